//! The event queue (R-DET-1): timeline steps and engine-scheduled events in
//! order of (instant, sequence). At one instant timeline steps run first, in
//! timeline order, then engine events in the order they were scheduled.

use crate::scenario::model::Step;
use crate::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Next<E> {
    Step(usize),
    Engine(E),
}

/// Where an engine event came from: the event being processed when it was
/// scheduled, by its place in processing order (steps included). At one
/// instant, one engine processes engine events in the order of their
/// origins (those of one origin in the order it scheduled them);
/// `engine::parts` merges the runs of a scenario's independent parts by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    pub parent: u64,
}

/// How many children a node of the heap has: four halve its depth, and a
/// node's children share a cache line or two.
const ARITY: usize = 4;

/// A scheduled engine event in the heap: its instant and sequence order it
/// (never the event, so equal instants keep scheduling order), and `slot`
/// says where the event waits.
#[derive(Debug, Clone, Copy)]
struct Pending {
    at: Instant,
    sequence: u64,
    slot: u32,
}

impl Pending {
    fn before(&self, other: &Pending) -> bool {
        (self.at, self.sequence) < (other.at, other.sequence)
    }
}

pub struct Queue<E> {
    /// Steps' instants and indices in the order they run, (instant, timeline
    /// order): the instant is kept here so that finding the next step reads
    /// this list only, not the steps, which lie in timeline order.
    order: Vec<(Instant, usize)>,
    cursor: usize,
    /// A min-heap of small entries (issue 11: one engine's heap holds the
    /// pending events of every user of a generated scenario, so its entries
    /// are kept small and its levels few; the events wait in `events`).
    heap: Vec<Pending>,
    events: Vec<(E, Origin)>,
    /// Slots of `events` free for reuse.
    free: Vec<u32>,
    sequence: u64,
    /// Events taken so far, steps included.
    taken: u64,
    /// The origin of the last engine event taken.
    origin: Option<Origin>,
}

impl<E: Copy> Queue<E> {
    pub fn new(steps: &[Step]) -> Queue<E> {
        let mut order: Vec<(Instant, usize)> = steps.iter().enumerate().map(|(i, s)| (s.at, i)).collect();
        order.sort_unstable(); // indices are distinct: no two keys are equal
        let (heap, events, free) = (Vec::new(), Vec::new(), Vec::new());
        Queue { order, cursor: 0, heap, events, free, sequence: 0, taken: 0, origin: None }
    }

    pub fn schedule(&mut self, at: Instant, event: E) {
        let origin = Origin { parent: self.taken.saturating_sub(1) };
        let slot = match self.free.pop() {
            Some(slot) => {
                self.events[slot as usize] = (event, origin);
                slot
            }
            None => {
                self.events.push((event, origin));
                u32::try_from(self.events.len() - 1).expect("fewer pending events than limits.max_events")
            }
        };
        self.heap.push(Pending { at, sequence: self.sequence, slot });
        self.sequence += 1;
        self.sift_up(self.heap.len() - 1);
    }

    pub fn pop(&mut self) -> Option<(Instant, Next<E>)> {
        self.taken += 1;
        let step = self.order.get(self.cursor).copied();
        let engine = self.heap.first().map(|p| p.at);
        match (step, engine) {
            (Some((at, i)), Some(e_at)) if at <= e_at => self.take_step(at, i),
            (Some((at, i)), None) => self.take_step(at, i),
            (_, Some(_)) => self.take_event(),
            (None, None) => None,
        }
    }

    fn take_step(&mut self, at: Instant, i: usize) -> Option<(Instant, Next<E>)> {
        self.cursor += 1;
        self.origin = None;
        Some((at, Next::Step(i)))
    }

    /// The origin of the event last taken, when it was an engine event.
    pub fn origin(&self) -> Option<Origin> {
        self.origin
    }

    fn take_event(&mut self) -> Option<(Instant, Next<E>)> {
        let last = self.heap.pop()?;
        let first = match self.heap.first_mut() {
            Some(first) => std::mem::replace(first, last),
            None => last,
        };
        self.sift_down(0);
        self.free.push(first.slot);
        let (event, origin) = self.events[first.slot as usize];
        self.origin = Some(origin);
        Some((first.at, Next::Engine(event)))
    }

    fn sift_up(&mut self, mut i: usize) {
        while i > 0 {
            let parent = (i - 1) / ARITY;
            if !self.heap[i].before(&self.heap[parent]) {
                break;
            }
            self.heap.swap(i, parent);
            i = parent;
        }
    }

    fn sift_down(&mut self, mut i: usize) {
        let len = self.heap.len();
        loop {
            let first = ARITY * i + 1;
            if first >= len {
                break;
            }
            let children = first..(first + ARITY).min(len);
            let least = children.reduce(|a, b| if self.heap[b].before(&self.heap[a]) { b } else { a });
            match least {
                Some(c) if self.heap[c].before(&self.heap[i]) => {
                    self.heap.swap(i, c);
                    i = c;
                }
                _ => break,
            }
        }
    }

    /// Engine events still waiting (for memory checks).
    pub fn pending(&self) -> usize {
        self.heap.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::model::Action;

    fn step(at: Instant) -> Step {
        Step { at, line: 0, action: Action::Lock { device: 0 }, ip: None, country: None }
    }

    #[test]
    fn equal_instants_keep_timeline_then_schedule_order() {
        let steps = vec![step(10), step(5), step(10)];
        let mut q: Queue<u8> = Queue::new(&steps);
        q.schedule(10, 2);
        q.schedule(10, 1);
        q.schedule(3, 9);
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(
            order,
            vec![
                (3, Next::Engine(9)),
                (5, Next::Step(1)),
                (10, Next::Step(0)),
                (10, Next::Step(2)),
                (10, Next::Engine(2)),
                (10, Next::Engine(1))
            ]
        );
    }

    /// The heap gives events in the order of a sorted list of (instant, sequence).
    #[test]
    fn events_come_out_sorted_by_instant_then_schedule_order() {
        let mut q: Queue<u32> = Queue::new(&[]);
        let mut expected = Vec::new();
        let mut popped = Vec::new();
        let mut x: u64 = 7;
        for n in 0..2000u32 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let at = (x >> 33) as Instant % 50;
            q.schedule(at, n);
            expected.push((at, n));
            if n % 3 == 0 {
                popped.extend(q.pop());
            }
        }
        popped.extend(std::iter::from_fn(|| q.pop()));
        // Every pop took the least pending (instant, sequence): replay that order.
        let mut pending = std::collections::BTreeSet::new();
        let mut next = expected.iter();
        let mut replay = Vec::new();
        for n in 0..2000u32 {
            let &(at, e) = next.next().unwrap();
            pending.insert((at, e));
            if n % 3 == 0 {
                replay.extend(pending.pop_first());
            }
        }
        replay.extend(std::iter::from_fn(|| pending.pop_first()));
        let got: Vec<(Instant, u32)> =
            popped.into_iter().map(|(at, n)| (at, if let Next::Engine(e) = n { e } else { u32::MAX })).collect();
        assert_eq!(got, replay);
    }
}
