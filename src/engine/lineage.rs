//! Where every auth instant came from: a graph of credential presentations and
//! the artifacts derived from them (PRT → browser cookie → ...). Prompts use it
//! to explain an expired auth instant; revocation (R-REV-2) uses it to find
//! everything derived from a credential.
//!
//! Only live provenance is kept: a node disappears once no artifact holds it
//! and nothing derives from it, so memory follows live state, not history.

use petgraph::Direction;
use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use petgraph::visit::{Dfs, Walker};

use super::state::{Seat, UserNo};
use crate::domain::Client;
use crate::time::Instant;

/// The factor the user presented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    Password,
    WindowsHello,
}

/// How an auth instant was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// R-PRT-1: the PRT was refreshed at device sign-in or unlock.
    PrtRefresh { at_unlock: bool },
    /// R-PRT-3 / R-PRT-6: an interactive sign-in through WAM set the PRT.
    WamSignIn,
    /// An interactive sign-in answered in the browser (R-PRT-6).
    BrowserSignIn,
    /// An interactive sign-in answered in an app without a broker.
    AppSignIn(Client),
    /// R-PRT-5: the browser cookie was minted silently from the PRT.
    PrtSso,
}

#[derive(Debug, Clone)]
pub struct Node {
    /// Who presented it, where.
    pub seat: Seat,
    pub at: Instant,
    pub origin: Origin,
    pub credential: Credential,
    /// Creation order: the sign-in session behind correlation ids.
    pub serial: u64,
    holders: u32,
}

impl Node {
    /// Words for this node, e.g. "PRT refreshed at unlock".
    pub fn describe(&self) -> &'static str {
        match self.origin {
            Origin::PrtRefresh { at_unlock: true } => "PRT refreshed at unlock",
            Origin::PrtRefresh { at_unlock: false } => "PRT refreshed at device sign-in",
            Origin::WamSignIn => "sign-in through WAM in a native app",
            Origin::BrowserSignIn => "sign-in answered in the browser",
            Origin::AppSignIn(_) => "sign-in answered in the app",
            Origin::PrtSso => "browser session from PRT single sign-on",
        }
    }
}

#[derive(Debug, Default)]
pub struct Lineage {
    graph: StableDiGraph<Node, ()>,
    created: u64,
    /// Each user's live nodes, so that a revocation (R-REV-2) looks among
    /// that user's only (issue 11: not every node of every user). In no
    /// order: `derived_from` sorts what it finds, and a user has few live
    /// nodes, so a list costs less to keep than a tree at every token.
    of_user: Vec<Vec<NodeIndex>>,
}

impl Lineage {
    /// Records a new auth instant, derived from `parent` when given, and holds it once.
    pub fn record(
        &mut self,
        seat: Seat,
        at: Instant,
        origin: Origin,
        credential: Credential,
        parent: Option<NodeIndex>,
    ) -> NodeIndex {
        self.created += 1;
        let node = self.graph.add_node(Node { seat, at, origin, credential, serial: self.created, holders: 1 });
        let user = seat.user.0;
        if self.of_user.len() <= user {
            self.of_user.resize_with(user + 1, Vec::new);
        }
        self.of_user[user].push(node);
        if let Some(p) = parent {
            self.graph.add_edge(p, node, ());
        }
        node
    }

    /// Another artifact now rests on `node`.
    pub fn hold(&mut self, node: NodeIndex) {
        if let Some(n) = self.graph.node_weight_mut(node) {
            n.holders += 1;
        }
    }

    /// An artifact no longer rests on `node`; forget it and its unused ancestors.
    pub fn release(&mut self, node: NodeIndex) {
        let mut current = Some(node);
        if let Some(n) = self.graph.node_weight_mut(node) {
            n.holders = n.holders.saturating_sub(1);
        }
        while let Some(idx) = current {
            let unused = self.graph.node_weight(idx).is_some_and(|n| n.holders == 0)
                && self.graph.neighbors_directed(idx, Direction::Outgoing).next().is_none();
            if !unused {
                break;
            }
            current = self.graph.neighbors_directed(idx, Direction::Incoming).next();
            if let Some(n) = self.graph.remove_node(idx) {
                let live = &mut self.of_user[n.seat.user.0];
                if let Some(i) = live.iter().position(|&l| l == idx) {
                    live.swap_remove(i);
                }
            }
        }
    }

    /// The sign-in session of an auth instant: the serial of its root presentation.
    pub fn session(&self, idx: NodeIndex) -> u64 {
        self.root(idx).map(|n| n.serial).unwrap_or(0)
    }

    /// The presentation an auth instant rests on: the last of its chain,
    /// found without collecting the chain (this runs at most requests).
    pub fn root(&self, idx: NodeIndex) -> Option<&Node> {
        let mut found = self.graph.node_weight(idx)?;
        let mut current = idx;
        while let Some(parent) = self.graph.neighbors_directed(current, Direction::Incoming).next() {
            let Some(n) = self.graph.node_weight(parent) else { break };
            (found, current) = (n, parent);
        }
        Some(found)
    }

    pub fn node(&self, idx: NodeIndex) -> Option<&Node> {
        self.graph.node_weight(idx)
    }

    /// The node and its ancestors, newest first.
    pub fn chain(&self, idx: NodeIndex) -> Vec<&Node> {
        let mut out = Vec::new();
        let mut current = Some(idx);
        while let Some(i) = current {
            let Some(n) = self.graph.node_weight(i) else {
                break;
            };
            out.push(n);
            current = self.graph.neighbors_directed(i, Direction::Incoming).next();
        }
        out
    }

    /// Every node of `user` derived (directly or not) from a presentation
    /// matching `root`: what a revocation of that credential reaches.
    pub fn derived_from(&self, user: UserNo, root: impl Fn(&Node) -> bool) -> Vec<NodeIndex> {
        let mine = self.of_user.get(user.0).into_iter().flatten().copied();
        let roots: Vec<NodeIndex> = mine
            .filter(|&i| self.graph.neighbors_directed(i, Direction::Incoming).next().is_none() && root(&self.graph[i]))
            .collect();
        let mut out: Vec<NodeIndex> =
            roots.iter().flat_map(|&r| Dfs::new(&self.graph, r).iter(&self.graph).collect::<Vec<_>>()).collect();
        out.sort();
        out.dedup();
        out
    }

    pub fn len(&self) -> usize {
        self.graph.node_count()
    }

    pub fn is_empty(&self) -> bool {
        self.graph.node_count() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn released_nodes_are_forgotten_with_unused_ancestors() {
        let mut g = Lineage::default();
        let prt = g.record(Seat::of(0, 0), 0, Origin::PrtRefresh { at_unlock: false }, Credential::Password, None);
        let cookie = g.record(Seat::of(0, 0), 10, Origin::PrtSso, Credential::Password, Some(prt));
        g.release(prt); // the PRT moved on, but the cookie still derives from it
        assert_eq!(g.len(), 2);
        assert_eq!(g.chain(cookie).len(), 2);
        assert_eq!(g.root(cookie).map(|n| n.at), Some(0));
        g.release(cookie);
        assert!(g.is_empty());
    }

    #[test]
    fn revocation_reaches_everything_derived_from_a_password() {
        let mut g = Lineage::default();
        let pw = g.record(Seat::of(0, 0), 0, Origin::PrtRefresh { at_unlock: false }, Credential::Password, None);
        let sso = g.record(Seat::of(0, 0), 5, Origin::PrtSso, Credential::Password, Some(pw));
        let hello =
            g.record(Seat::of(0, 1), 0, Origin::PrtRefresh { at_unlock: false }, Credential::WindowsHello, None);
        let other_user = g.record(Seat::of(1, 2), 0, Origin::BrowserSignIn, Credential::Password, None);
        let hit = g.derived_from(UserNo(0), |n| n.credential == Credential::Password);
        assert_eq!(hit, vec![pw, sso]);
        assert!(!hit.contains(&hello) && !hit.contains(&other_user));
    }
}
