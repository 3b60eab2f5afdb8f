//! State kept per user (issue 11, "linear time on every path"). One engine
//! may simulate thousands of users (a generated scenario): one list per user
//! keeps a lookup among that user's few entries, so an event costs the same
//! whatever the number of users, and a step that acts on one user or one seat
//! reaches its entries without passing over anyone else's.
//!
//! Keys still carry their user and order as before, and `iter` visits users
//! in order: everything comes out in the order one map of all users gave
//! (R-DET-1).

use std::ops::RangeInclusive;

use super::state::{Access, Seat, UserNo};

/// A key that belongs to one user.
pub(crate) trait OfUser: Ord + Copy {
    /// What orders a user's keys as `Ord` does, in fewer instructions: the
    /// derived order compares field by field, and lookups compare at every
    /// request (issue 11: the engine's largest cost was these comparisons).
    type Rank: Ord + Copy + std::fmt::Debug;

    fn user(&self) -> UserNo;

    /// The key's rank among the keys of its user.
    fn rank(&self) -> Self::Rank;
}

/// An app index past any a scenario holds; `Seat::accesses` ends its range at `usize::MAX`.
const APP_RANKS: usize = (1 << 56) - 1;

impl OfUser for Access {
    /// Device, then client, then app, as one number.
    type Rank = u128;

    fn user(&self) -> UserNo {
        self.user
    }

    fn rank(&self) -> u128 {
        ((self.device.0 as u128) << 64) | ((self.client as u128) << 56) | self.app.0.min(APP_RANKS) as u128
    }
}

impl OfUser for Seat {
    type Rank = usize;

    fn user(&self) -> UserNo {
        self.user
    }

    fn rank(&self) -> usize {
        self.device.0
    }
}

/// A key made of a user's key and more (a policy, a reason).
impl<A: OfUser, B: Ord + Copy + std::fmt::Debug, C: Ord + Copy + std::fmt::Debug> OfUser for (A, B, C) {
    type Rank = (A::Rank, B, C);

    fn user(&self) -> UserNo {
        self.0.user()
    }

    fn rank(&self) -> Self::Rank {
        (self.0.rank(), self.1, self.2)
    }
}

/// A map from `K` to `V`, held as one short list per user sorted by key: a
/// user has a few entries in each (an access per app and client, a seat per
/// device), which a list holds in a cache line or two where a tree node
/// takes a dozen (issue 11: one engine holds every user of a generated
/// scenario, and an event should touch as little memory as it can).
///
/// Each list keeps its keys' ranks apart from the entries, so a lookup
/// searches a short run of numbers (`OfUser::rank`).
#[derive(Debug)]
pub(crate) struct ByUser<K: OfUser, V> {
    lists: Vec<List<K, V>>,
}

#[derive(Debug)]
struct List<K: OfUser, V> {
    ranks: Vec<K::Rank>,
    entries: Vec<(K, V)>,
}

impl<K: OfUser, V> Default for List<K, V> {
    fn default() -> Self {
        List { ranks: Vec::new(), entries: Vec::new() }
    }
}

impl<K: OfUser, V> List<K, V> {
    fn find(&self, key: &K) -> Result<usize, usize> {
        self.ranks.binary_search(&key.rank())
    }

    fn insert(&mut self, i: usize, key: K, value: V) {
        self.ranks.insert(i, key.rank());
        self.entries.insert(i, (key, value));
    }

    /// Where the entries in `range` lie: `range` lies within one user's keys
    /// (a seat's accesses, `Seat::accesses`).
    fn span(&self, range: &RangeInclusive<K>) -> std::ops::Range<usize> {
        let (first, last) = (range.start().rank(), range.end().rank());
        let start = self.ranks.partition_point(|r| *r < first);
        let end = self.ranks.partition_point(|r| *r <= last);
        start..end.max(start)
    }
}

impl<K: OfUser, V> Default for ByUser<K, V> {
    fn default() -> Self {
        ByUser { lists: Vec::new() }
    }
}

impl<K: OfUser, V> ByUser<K, V> {
    /// The entries of `user`, in key order.
    pub(crate) fn of(&self, user: UserNo) -> &[(K, V)] {
        self.lists.get(user.0).map_or(&[], |l| l.entries.as_slice())
    }

    /// The list of `user`, grown to hold it when new.
    fn list_mut(&mut self, user: UserNo) -> &mut List<K, V> {
        if self.lists.len() <= user.0 {
            self.lists.resize_with(user.0 + 1, List::default);
        }
        &mut self.lists[user.0]
    }

    pub(crate) fn get(&self, key: &K) -> Option<&V> {
        let list = self.lists.get(key.user().0)?;
        list.find(key).ok().map(|i| &list.entries[i].1)
    }

    pub(crate) fn insert(&mut self, key: K, value: V) -> Option<V> {
        let list = self.list_mut(key.user());
        match list.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut list.entries[i].1, value)),
            Err(i) => {
                list.insert(i, key, value);
                None
            }
        }
    }

    pub(crate) fn remove(&mut self, key: &K) -> Option<V> {
        let list = self.lists.get_mut(key.user().0)?;
        let i = list.find(key).ok()?;
        list.ranks.remove(i);
        Some(list.entries.remove(i).1)
    }

    /// The value of `key`, inserted from `new` if absent; and whether it was.
    pub(crate) fn get_or_insert_with(&mut self, key: K, new: impl FnOnce() -> V) -> (&mut V, bool) {
        let list = self.list_mut(key.user());
        match list.find(&key) {
            Ok(i) => (&mut list.entries[i].1, false),
            Err(i) => {
                list.insert(i, key, new());
                (&mut list.entries[i].1, true)
            }
        }
    }

    pub(crate) fn range(&self, range: RangeInclusive<K>) -> impl Iterator<Item = (&K, &V)> {
        debug_assert!(range.start().user() == range.end().user(), "a range within one user");
        let entries = match self.lists.get(range.start().user().0) {
            Some(list) => &list.entries[list.span(&range)],
            None => &[],
        };
        entries.iter().map(|(k, v)| (k, v))
    }

    /// Every entry, user by user, each user's in key order: the order of one
    /// map keyed by `K`, since keys order by user first.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.lists.iter().flat_map(|l| &l.entries).map(|(k, v)| (k, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Client;

    use std::collections::BTreeMap;

    #[test]
    fn entries_come_out_in_the_order_of_one_map() {
        let keys = [
            Access::of(2, 0, Client::Browser, 1),
            Access::of(0, 1, Client::Desktop, 0),
            Access::of(0, 0, Client::Confidential, 9),
            Access::of(1, 1, Client::Browser, 0),
        ];
        let mut by_user = ByUser::default();
        let mut one = BTreeMap::new();
        for (i, k) in keys.into_iter().enumerate() {
            by_user.insert(k, i);
            one.insert(k, i);
        }
        assert!(by_user.iter().eq(one.iter()));
        let seat = Seat::of(0, 1);
        assert!(by_user.range(seat.accesses()).eq(one.range(seat.accesses())));
        assert_eq!(by_user.remove(&keys[1]), Some(1));
        assert!(by_user.range(seat.accesses()).next().is_none());
        assert!(by_user.get(&Access::of(7, 0, Client::Browser, 0)).is_none());
        let (value, new) = by_user.get_or_insert_with(keys[1], || 5);
        assert_eq!((*value, new), (5, true));
        assert_eq!(by_user.insert(keys[1], 6), Some(5));
        assert_eq!(by_user.get_or_insert_with(keys[1], || 7), (&mut 6, false));
    }

    /// Lookups search ranks: within a user they must order keys as `Ord` does,
    /// the ends of `Seat::accesses` included.
    #[test]
    fn ranks_order_a_users_keys_as_the_keys_do() {
        let mut keys = vec![Seat::of(3, 0).accesses().into_inner().0, Seat::of(3, 2).accesses().into_inner().1];
        for device in [0, 1, 2, usize::MAX] {
            for client in [Client::Browser, Client::Desktop, Client::Mobile, Client::Confidential] {
                for app in [0, 1, 7, (1 << 56) - 2, usize::MAX] {
                    keys.push(Access::of(3, device, client, app));
                }
            }
        }
        for a in &keys {
            for b in &keys {
                assert_eq!(a.rank().cmp(&b.rank()), a.cmp(b), "{a:?} {b:?}");
            }
        }
        let seats = [Seat::of(3, 0), Seat::of(3, 1), Seat::of(3, usize::MAX)];
        for a in &seats {
            for b in &seats {
                assert_eq!(a.rank().cmp(&b.rank()), a.cmp(b));
            }
        }
        let mut map = ByUser::default();
        for (i, k) in keys.iter().enumerate() {
            map.insert(*k, i);
        }
        let seat: Vec<Access> = map.range(Seat::of(3, 1).accesses()).map(|(a, _)| *a).collect();
        assert!(seat.len() == 20 && seat.iter().all(|a| a.device.0 == 1));
    }
}
