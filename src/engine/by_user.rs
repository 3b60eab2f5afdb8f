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
    fn user(&self) -> UserNo;
}

impl OfUser for Access {
    fn user(&self) -> UserNo {
        self.user
    }
}

impl OfUser for Seat {
    fn user(&self) -> UserNo {
        self.user
    }
}

/// A key made of a user's key and more (a policy, a reason).
impl<A: OfUser, B: Ord + Copy, C: Ord + Copy> OfUser for (A, B, C) {
    fn user(&self) -> UserNo {
        self.0.user()
    }
}

/// A map from `K` to `V`, held as one short list per user sorted by key: a
/// user has a few entries in each (an access per app and client, a seat per
/// device), which a list holds in a cache line or two where a tree node
/// takes a dozen (issue 11: one engine holds every user of a generated
/// scenario, and an event should touch as little memory as it can).
#[derive(Debug)]
pub(crate) struct ByUser<K, V> {
    lists: Vec<Vec<(K, V)>>,
}

impl<K, V> Default for ByUser<K, V> {
    fn default() -> Self {
        ByUser { lists: Vec::new() }
    }
}

impl<K: OfUser, V> ByUser<K, V> {
    /// The entries of `user`, in key order.
    pub(crate) fn of(&self, user: UserNo) -> &[(K, V)] {
        self.lists.get(user.0).map_or(&[], Vec::as_slice)
    }

    /// The entries of `user`, to change.
    pub(crate) fn of_mut(&mut self, user: UserNo) -> &mut [(K, V)] {
        self.lists.get_mut(user.0).map_or(&mut [], Vec::as_mut_slice)
    }

    /// The list of `user`, grown to hold it when new.
    fn list_mut(&mut self, user: UserNo) -> &mut Vec<(K, V)> {
        if self.lists.len() <= user.0 {
            self.lists.resize_with(user.0 + 1, Vec::new);
        }
        &mut self.lists[user.0]
    }

    fn find(list: &[(K, V)], key: &K) -> Result<usize, usize> {
        list.binary_search_by(|(k, _)| k.cmp(key))
    }

    pub(crate) fn get(&self, key: &K) -> Option<&V> {
        let list = self.of(key.user());
        Self::find(list, key).ok().map(|i| &list[i].1)
    }

    pub(crate) fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        let list = self.of_mut(key.user());
        Self::find(list, key).ok().map(|i| &mut list[i].1)
    }

    pub(crate) fn contains_key(&self, key: &K) -> bool {
        self.get(key).is_some()
    }

    pub(crate) fn insert(&mut self, key: K, value: V) -> Option<V> {
        let list = self.list_mut(key.user());
        match Self::find(list, &key) {
            Ok(i) => Some(std::mem::replace(&mut list[i].1, value)),
            Err(i) => {
                list.insert(i, (key, value));
                None
            }
        }
    }

    pub(crate) fn remove(&mut self, key: &K) -> Option<V> {
        let list = self.lists.get_mut(key.user().0)?;
        Self::find(list, key).ok().map(|i| list.remove(i).1)
    }

    /// The value of `key`, inserted from `new` if absent; and whether it was.
    pub(crate) fn get_or_insert_with(&mut self, key: K, new: impl FnOnce() -> V) -> (&mut V, bool) {
        let list = self.list_mut(key.user());
        match Self::find(list, &key) {
            Ok(i) => (&mut list[i].1, false),
            Err(i) => {
                list.insert(i, (key, new()));
                (&mut list[i].1, true)
            }
        }
    }

    /// Where the entries in `range` lie in their user's list: `range` lies
    /// within one user's keys (a seat's accesses, `Seat::accesses`).
    fn span(list: &[(K, V)], range: &RangeInclusive<K>) -> std::ops::Range<usize> {
        let start = list.partition_point(|(k, _)| k < range.start());
        let end = list.partition_point(|(k, _)| k <= range.end());
        start..end.max(start)
    }

    pub(crate) fn range(&self, range: RangeInclusive<K>) -> impl Iterator<Item = (&K, &V)> {
        debug_assert!(range.start().user() == range.end().user(), "a range within one user");
        let list = self.of(range.start().user());
        list[Self::span(list, &range)].iter().map(|(k, v)| (k, v))
    }

    pub(crate) fn range_mut(&mut self, range: RangeInclusive<K>) -> impl Iterator<Item = (&K, &mut V)> {
        debug_assert!(range.start().user() == range.end().user(), "a range within one user");
        let list = self.of_mut(range.start().user());
        let span = Self::span(list, &range);
        list[span].iter_mut().map(|(k, v)| (&*k, v))
    }

    /// Every entry, user by user, each user's in key order: the order of one
    /// map keyed by `K`, since keys order by user first.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.lists.iter().flatten().map(|(k, v)| (k, v))
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
}
