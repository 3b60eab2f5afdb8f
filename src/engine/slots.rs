//! Dense slots per access (issue 11): every access an engine meets gets a
//! number once, and the state kept per access (tokens, ongoing activities,
//! the applicable-policy cache, deferrals) sits in vectors indexed by it.
//! One request looks its access up in several maps; the registry remembers
//! the access it last found, so the first lookup of a request searches and
//! the others index a vector.
//!
//! Keys are never forgotten, so a slot stays valid for the engine's life and
//! the registry keeps every access in key order: visiting a seat's or a
//! user's entries goes through it, in the order one map keyed by `Access`
//! gave (R-DET-1).

use std::cell::{Cell, RefCell};
use std::ops::RangeInclusive;
use std::rc::Rc;

use super::by_user::ByUser;
use super::state::{Access, UserNo};

/// The accesses of one engine and their slots, shared by its maps.
pub(crate) type Slots = Rc<Registry>;

#[derive(Debug)]
pub(crate) struct Registry {
    by_key: RefCell<ByUser<Access, u32>>,
    /// The access last found or added, with its slot: most lookups repeat it.
    last: Cell<(Access, u32)>,
    count: Cell<u32>,
}

impl Default for Registry {
    fn default() -> Self {
        // No scenario has a user at index `usize::MAX`: the first lookup searches.
        let none = Access::of(usize::MAX, usize::MAX, crate::domain::Client::Browser, usize::MAX);
        Registry { by_key: RefCell::default(), last: Cell::new((none, u32::MAX)), count: Cell::new(0) }
    }
}

impl Registry {
    /// The slot of `access`, if it has one.
    #[inline]
    fn find(&self, access: Access) -> Option<u32> {
        let (last, slot) = self.last.get();
        if last == access {
            return Some(slot);
        }
        let slot = *self.by_key.borrow().get(&access)?;
        self.last.set((access, slot));
        Some(slot)
    }

    /// The slot of `access`, given one if new.
    fn slot(&self, access: Access) -> u32 {
        if let Some(slot) = self.find(access) {
            return slot;
        }
        let slot = self.count.get();
        self.count.set(slot.checked_add(1).expect("fewer accesses than u32::MAX"));
        self.by_key.borrow_mut().insert(access, slot);
        self.last.set((access, slot));
        slot
    }

    /// Visits the accesses in `range` (within one user) and their slots, in
    /// key order; `visit` must not add accesses.
    fn each_in(&self, range: RangeInclusive<Access>, mut visit: impl FnMut(Access, u32)) {
        self.by_key.borrow().range(range).for_each(|(a, s)| visit(*a, *s));
    }

    /// Whether some access in `range` passes `hit`.
    fn any_in(&self, range: RangeInclusive<Access>, mut hit: impl FnMut(u32) -> bool) -> bool {
        self.by_key.borrow().range(range).any(|(_, s)| hit(*s))
    }

    /// Visits the accesses of `user` and their slots, in key order.
    fn each_of(&self, user: UserNo, mut visit: impl FnMut(Access, u32)) {
        self.by_key.borrow().of(user).iter().for_each(|(a, s)| visit(*a, *s));
    }

    /// Visits every access and its slot, user by user, in key order.
    fn each(&self, mut visit: impl FnMut(Access, u32)) {
        self.by_key.borrow().iter().for_each(|(a, s)| visit(*a, *s));
    }
}

/// A map from `Access` to `V` over an engine's slots.
#[derive(Debug)]
pub(crate) struct PerAccess<V> {
    slots: Slots,
    values: Vec<Option<V>>,
}

impl<V> PerAccess<V> {
    pub(crate) fn new(slots: &Slots) -> PerAccess<V> {
        PerAccess { slots: Rc::clone(slots), values: Vec::new() }
    }

    #[inline]
    pub(crate) fn get(&self, access: &Access) -> Option<&V> {
        let slot = self.slots.find(*access)?;
        self.values.get(slot as usize)?.as_ref()
    }

    #[inline]
    pub(crate) fn get_mut(&mut self, access: &Access) -> Option<&mut V> {
        let slot = self.slots.find(*access)?;
        self.values.get_mut(slot as usize)?.as_mut()
    }

    #[inline]
    pub(crate) fn contains_key(&self, access: &Access) -> bool {
        self.get(access).is_some()
    }

    /// The place of `access`'s value, grown to hold it.
    fn place(&mut self, access: Access) -> &mut Option<V> {
        let slot = self.slots.slot(access) as usize;
        if self.values.len() <= slot {
            self.values.resize_with(slot + 1, || None);
        }
        &mut self.values[slot]
    }

    pub(crate) fn insert(&mut self, access: Access, value: V) -> Option<V> {
        self.place(access).replace(value)
    }

    pub(crate) fn remove(&mut self, access: &Access) -> Option<V> {
        let slot = self.slots.find(*access)?;
        self.values.get_mut(slot as usize)?.take()
    }

    #[inline]
    fn at(&self, slot: u32) -> Option<&V> {
        self.values.get(slot as usize).and_then(Option::as_ref)
    }

    /// The entries in `range` (within one user), in key order.
    pub(crate) fn range(&self, range: RangeInclusive<Access>) -> Vec<(Access, &V)> {
        let mut found = Vec::new();
        self.slots.each_in(range, |a, s| found.extend(self.at(s).map(|v| (a, v))));
        found
    }

    /// Whether any entry lies in `range` (within one user).
    pub(crate) fn any_in(&self, range: RangeInclusive<Access>) -> bool {
        self.slots.any_in(range, |s| self.at(s).is_some())
    }

    /// Changes the entries in `range` (within one user), in key order.
    pub(crate) fn for_each_in(&mut self, range: RangeInclusive<Access>, mut change: impl FnMut(&Access, &mut V)) {
        let values = &mut self.values;
        self.slots.each_in(range, |a, s| {
            if let Some(v) = values.get_mut(s as usize).and_then(Option::as_mut) {
                change(&a, v);
            }
        });
    }

    /// Removes the entries in `range` (within one user) whose key `gone` picks.
    pub(crate) fn remove_in(&mut self, range: RangeInclusive<Access>, mut gone: impl FnMut(&Access) -> bool) {
        let values = &mut self.values;
        self.slots.each_in(range, |a, s| {
            if let Some(place) = values.get_mut(s as usize).filter(|p| p.is_some() && gone(&a)) {
                *place = None;
            }
        });
    }

    /// The entries of `user`, in key order.
    pub(crate) fn of(&self, user: UserNo) -> Vec<(Access, &V)> {
        let mut found = Vec::new();
        self.slots.each_of(user, |a, s| found.extend(self.at(s).map(|v| (a, v))));
        found
    }

    /// Changes the entries of `user`, in key order.
    pub(crate) fn for_each_of(&mut self, user: UserNo, mut change: impl FnMut(&Access, &mut V)) {
        let values = &mut self.values;
        self.slots.each_of(user, |a, s| {
            if let Some(v) = values.get_mut(s as usize).and_then(Option::as_mut) {
                change(&a, v);
            }
        });
    }

    /// Every entry, user by user, each user's in key order.
    pub(crate) fn iter(&self) -> Vec<(Access, &V)> {
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
