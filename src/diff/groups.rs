//! The largest changes of `casim diff` with identical changes grouped: users
//! of one scenario whose prompts in one app moved the same way (same counts
//! before and after, same blocks, same reasons) are one line, so ten tied users
//! do not push every other change off the list (issue 15).

use std::collections::BTreeMap;
use std::io;

use super::stats::{Row, Rows};

/// How many groups the text lists.
pub const LARGEST_GROUPS: usize = 10;

/// Users whose (scenario, app) row changed identically.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The first row of the group (its user is the first of `users`).
    pub row: Row,
    /// How many users share the change.
    pub users: usize,
}

type Key = (String, String, usize, usize, usize, usize, Vec<String>);

fn key(row: &Row) -> Key {
    (
        row.scenario.clone(),
        row.app.clone(),
        row.prompts_before,
        row.prompts_after,
        row.blocked_before,
        row.blocked_after,
        row.reasons.clone(),
    )
}

/// The `LARGEST_GROUPS` largest changed groups, by the size of the change per
/// user (prompts, then blocks), then by how many users share it, then in the
/// order of their first row.
pub fn largest(rows: &Rows) -> io::Result<Vec<Group>> {
    let mut groups: BTreeMap<Key, (usize, Group)> = BTreeMap::new();
    let mut place = 0;
    rows.for_each(|row| {
        if row.changed() {
            let next = place;
            let (_, group) = groups.entry(key(&row)).or_insert_with(|| (next, Group { row: row.clone(), users: 0 }));
            group.users += 1;
            place += 1;
        }
        Ok(())
    })?;
    let mut list: Vec<(usize, Group)> = groups.into_values().collect();
    let size = |g: &Group| {
        let blocked = g.row.blocked_after as i64 - g.row.blocked_before as i64;
        (g.row.change.unsigned_abs(), blocked.unsigned_abs(), g.users)
    };
    list.sort_by(|(pa, a), (pb, b)| size(b).cmp(&size(a)).then(pa.cmp(pb)));
    list.truncate(LARGEST_GROUPS);
    Ok(list.into_iter().map(|(_, g)| g).collect())
}

impl Group {
    /// The USER cell: the user, or the first user and how many more share the change.
    pub fn who(&self) -> String {
        match self.users {
            1 => self.row.user.clone(),
            n => format!("{} and {} more", self.row.user, n - 1),
        }
    }
}
