//! Dense slots per access and per seat (issue 11): every access (and
//! every seat) an engine meets gets a number once, and the state kept per
//! access (tokens, ongoing activities, the applicable-policy cache,
//! deferrals) or per seat (PRTs, browsers) sits in vectors indexed by it.
//! One request looks its access up in several maps; the registry remembers
//! the key it last found, so the first lookup of a request searches and the
//! others index a vector.
//!
//! Keys are never forgotten, so a slot stays valid for the engine's life and
//! the registry keeps every key in key order: visiting a seat's or a user's
//! entries goes through it, in the order one map keyed by the key gave
//! (R-DET-1).

use std::cell::{Cell, RefCell};
use std::ops::RangeInclusive;
use std::rc::Rc;

use super::by_user::{ByUser, OfUser};
use super::state::{Access, AppNo, DeviceNo, Seat, UserNo};

/// A key that registries number.
pub(crate) trait Slotted: OfUser {
    /// A key no scenario holds (a user at index `usize::MAX`): the registry's
    /// memory starts there, so the first lookup searches.
    const NONE: Self;
}

impl Slotted for Access {
    const NONE: Access = Access {
        user: UserNo(usize::MAX),
        device: DeviceNo(usize::MAX),
        client: crate::domain::Client::Browser,
        app: AppNo(usize::MAX),
    };
}

impl Slotted for Seat {
    const NONE: Seat = Seat { user: UserNo(usize::MAX), device: DeviceNo(usize::MAX) };
}

/// The accesses (or seats) of one engine and their slots, shared by its maps.
pub(crate) type Slots<K = Access> = Rc<Registry<K>>;

#[derive(Debug)]
pub(crate) struct Registry<K: Slotted> {
    by_key: RefCell<ByUser<K, u32>>,
    /// The key last found or added, with its slot: most lookups repeat it.
    last: Cell<(K, u32)>,
    count: Cell<u32>,
}

impl<K: Slotted> Default for Registry<K> {
    fn default() -> Self {
        Registry { by_key: RefCell::default(), last: Cell::new((K::NONE, u32::MAX)), count: Cell::new(0) }
    }
}

impl<K: Slotted> Registry<K> {
    /// The slot of `key`, if it has one.
    #[inline]
    fn find(&self, key: K) -> Option<u32> {
        let (last, slot) = self.last.get();
        if last == key {
            return Some(slot);
        }
        self.search(key)
    }

    /// `find` for a key other than the last: kept out of line, so that the
    /// repeated lookups, most of them, stay a comparison where they are made.
    #[inline(never)]
    fn search(&self, key: K) -> Option<u32> {
        let slot = *self.by_key.borrow().get(&key)?;
        self.last.set((key, slot));
        Some(slot)
    }

    /// Makes `key`, whose slot an event carried, the last key found: the
    /// lookups of the event it drives then search nothing (issue 11).
    #[inline]
    fn prime(&self, key: K, slot: u32) {
        debug_assert_eq!(self.by_key.borrow().get(&key).copied(), Some(slot), "a slot is its key's");
        self.last.set((key, slot));
    }

    /// The slot of `key`, given one if new.
    fn slot(&self, key: K) -> u32 {
        if let Some(slot) = self.find(key) {
            return slot;
        }
        let slot = self.count.get();
        self.count.set(slot.checked_add(1).expect("fewer keys than u32::MAX"));
        self.by_key.borrow_mut().insert(key, slot);
        self.last.set((key, slot));
        slot
    }

    /// Visits the keys in `range` (within one user) and their slots, in
    /// key order; `visit` must not add keys.
    fn each_in(&self, range: RangeInclusive<K>, mut visit: impl FnMut(K, u32)) {
        self.by_key.borrow().range(range).for_each(|(k, s)| visit(*k, *s));
    }

    /// Whether some key in `range` passes `hit`.
    fn any_in(&self, range: RangeInclusive<K>, mut hit: impl FnMut(u32) -> bool) -> bool {
        self.by_key.borrow().range(range).any(|(_, s)| hit(*s))
    }

    /// Visits the keys of `user` and their slots, in key order.
    fn each_of(&self, user: UserNo, mut visit: impl FnMut(K, u32)) {
        self.by_key.borrow().of(user).iter().for_each(|(k, s)| visit(*k, *s));
    }

    /// Visits every key and its slot, user by user, in key order.
    fn each(&self, mut visit: impl FnMut(K, u32)) {
        self.by_key.borrow().iter().for_each(|(k, s)| visit(*k, *s));
    }
}

/// A map from accesses to `V` over an engine's slots.
pub(crate) type PerAccess<V> = PerKey<Access, V>;

/// A map from seats to `V` over an engine's seat slots.
pub(crate) type PerSeat<V> = PerKey<Seat, V>;

/// A map from `K` to `V` over an engine's slots.
#[derive(Debug)]
pub(crate) struct PerKey<K: Slotted, V> {
    slots: Slots<K>,
    values: Vec<Option<V>>,
}

impl<K: Slotted, V> PerKey<K, V> {
    pub(crate) fn new(slots: &Slots<K>) -> PerKey<K, V> {
        PerKey { slots: Rc::clone(slots), values: Vec::new() }
    }

    #[inline]
    pub(crate) fn get(&self, key: &K) -> Option<&V> {
        let slot = self.slots.find(*key)?;
        self.values.get(slot as usize)?.as_ref()
    }

    #[inline]
    pub(crate) fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        let slot = self.slots.find(*key)?;
        self.values.get_mut(slot as usize)?.as_mut()
    }

    /// The slot of `key`, given one if new: events carry it (`prime`).
    pub(crate) fn slot_of(&self, key: K) -> u32 {
        self.slots.slot(key)
    }

    /// Says that `key` has `slot` (from `slot_of`), so that the next
    /// lookups of `key`, in every map over these slots, search nothing.
    #[inline]
    pub(crate) fn prime(&self, key: K, slot: u32) {
        self.slots.prime(key, slot);
    }

    #[inline]
    pub(crate) fn contains_key(&self, key: &K) -> bool {
        self.get(key).is_some()
    }

    /// The place of `key`'s value, grown to hold it.
    fn place(&mut self, key: K) -> &mut Option<V> {
        let slot = self.slots.slot(key) as usize;
        if self.values.len() <= slot {
            self.values.resize_with(slot + 1, || None);
        }
        &mut self.values[slot]
    }

    pub(crate) fn insert(&mut self, key: K, value: V) -> Option<V> {
        self.place(key).replace(value)
    }

    /// The value of `key`, inserted from `new` if absent; and whether it was.
    pub(crate) fn get_or_insert_with(&mut self, key: K, new: impl FnOnce() -> V) -> (&mut V, bool) {
        let place = self.place(key);
        let added = place.is_none();
        (place.get_or_insert_with(new), added)
    }

    pub(crate) fn remove(&mut self, key: &K) -> Option<V> {
        let slot = self.slots.find(*key)?;
        self.values.get_mut(slot as usize)?.take()
    }

    #[inline]
    fn at(&self, slot: u32) -> Option<&V> {
        self.values.get(slot as usize).and_then(Option::as_ref)
    }

    /// The entries in `range` (within one user), in key order.
    pub(crate) fn range(&self, range: RangeInclusive<K>) -> Vec<(K, &V)> {
        let mut found = Vec::new();
        self.slots.each_in(range, |a, s| found.extend(self.at(s).map(|v| (a, v))));
        found
    }

    /// Whether any entry lies in `range` (within one user).
    pub(crate) fn any_in(&self, range: RangeInclusive<K>) -> bool {
        self.slots.any_in(range, |s| self.at(s).is_some())
    }

    /// Changes the entries in `range` (within one user), in key order.
    pub(crate) fn for_each_in(&mut self, range: RangeInclusive<K>, mut change: impl FnMut(&K, &mut V)) {
        let values = &mut self.values;
        self.slots.each_in(range, |a, s| {
            if let Some(v) = values.get_mut(s as usize).and_then(Option::as_mut) {
                change(&a, v);
            }
        });
    }

    /// Removes the entries in `range` (within one user) whose key `gone` picks.
    pub(crate) fn remove_in(&mut self, range: RangeInclusive<K>, mut gone: impl FnMut(&K) -> bool) {
        let values = &mut self.values;
        self.slots.each_in(range, |a, s| {
            if let Some(place) = values.get_mut(s as usize).filter(|p| p.is_some() && gone(&a)) {
                *place = None;
            }
        });
    }

    /// The entries of `user`, in key order.
    pub(crate) fn of(&self, user: UserNo) -> Vec<(K, &V)> {
        let mut found = Vec::new();
        self.slots.each_of(user, |a, s| found.extend(self.at(s).map(|v| (a, v))));
        found
    }

    /// Changes the entries of `user`, in key order.
    pub(crate) fn for_each_of(&mut self, user: UserNo, mut change: impl FnMut(&K, &mut V)) {
        let values = &mut self.values;
        self.slots.each_of(user, |a, s| {
            if let Some(v) = values.get_mut(s as usize).and_then(Option::as_mut) {
                change(&a, v);
            }
        });
    }

    /// Every entry, user by user, each user's in key order.
    pub(crate) fn iter(&self) -> Vec<(K, &V)> {
        let mut found = Vec::new();
        self.slots.each(|a, s| found.extend(self.at(s).map(|v| (a, v))));
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Client;
    use crate::engine::state::Seat;

    use std::collections::BTreeMap;

    /// Maps over one registry give what one `BTreeMap` per map gives, in its order.
    #[test]
    fn maps_over_slots_behave_as_ordered_maps() {
        let slots = Slots::default();
        let (mut a, mut b) = (PerAccess::new(&slots), PerAccess::new(&slots));
        let (mut one, mut two) = (BTreeMap::new(), BTreeMap::new());
        let keys = [
            Access::of(2, 0, Client::Browser, 1),
            Access::of(0, 1, Client::Desktop, 0),
            Access::of(0, 0, Client::Confidential, 9),
            Access::of(0, 1, Client::Browser, 3),
            Access::of(1, 1, Client::Browser, 0),
        ];
        for (i, k) in keys.into_iter().enumerate() {
            assert_eq!(a.insert(k, i), one.insert(k, i));
            if i % 2 == 0 {
                assert_eq!(b.insert(k, i * 10), two.insert(k, i * 10));
            }
        }
        let pairs = |m: &BTreeMap<Access, usize>| m.iter().map(|(k, v)| (*k, *v)).collect::<Vec<_>>();
        let copied = |v: Vec<(Access, &usize)>| v.into_iter().map(|(k, v)| (k, *v)).collect::<Vec<_>>();
        assert_eq!(copied(a.iter()), pairs(&one));
        assert_eq!(copied(b.iter()), pairs(&two));
        let seat = Seat::of(0, 1);
        assert_eq!(
            copied(a.range(seat.accesses())),
            copied(one.range(seat.accesses()).map(|(k, v)| (*k, v)).collect())
        );
        assert_eq!(a.remove(&keys[1]), one.remove(&keys[1]));
        assert_eq!(a.get(&keys[1]), None);
        assert!(a.any_in(seat.accesses()));
        a.remove_in(seat.accesses(), |k| k.client == Client::Browser);
        assert!(!a.any_in(seat.accesses()));
        assert_eq!(copied(b.of(UserNo(0))), vec![(keys[2], 20)]);
        b.for_each_of(UserNo(0), |_, v| *v += 1);
        assert_eq!(b.get(&keys[2]), Some(&21));
        assert!(b.get(&Access::of(7, 0, Client::Browser, 0)).is_none());
    }
}
