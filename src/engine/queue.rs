//! The event queue (R-DET-1): timeline steps and engine-scheduled events in
//! order of (instant, sequence). At one instant timeline steps run first, in
//! timeline order, then engine events in the order they were scheduled.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::scenario::model::Step;
use crate::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Next<E> {
    Step(usize),
    Engine(E),
}

pub struct Queue<E: Ord> {
    /// Step indices sorted by (instant, timeline order); steps are never copied.
    order: Vec<usize>,
    cursor: usize,
    heap: BinaryHeap<Reverse<(Instant, u64, E)>>,
    sequence: u64,
}

impl<E: Ord + Copy> Queue<E> {
    pub fn new(steps: &[Step]) -> Queue<E> {
        let mut order: Vec<usize> = (0..steps.len()).collect();
        order.sort_by_key(|&i| (steps[i].at, i));
        Queue { order, cursor: 0, heap: BinaryHeap::new(), sequence: 0 }
    }

    pub fn schedule(&mut self, at: Instant, event: E) {
        self.heap.push(Reverse((at, self.sequence, event)));
        self.sequence += 1;
    }

    pub fn pop(&mut self, steps: &[Step]) -> Option<(Instant, Next<E>)> {
        let step = self.order.get(self.cursor).map(|&i| (steps[i].at, i));
        let engine = self.heap.peek().map(|Reverse((at, _, _))| *at);
        match (step, engine) {
            (Some((at, i)), Some(e_at)) if at <= e_at => self.take_step(at, i),
            (Some((at, i)), None) => self.take_step(at, i),
            (_, Some(_)) => self.heap.pop().map(|Reverse((at, _, e))| (at, Next::Engine(e))),
            (None, None) => None,
        }
    }

    fn take_step(&mut self, at: Instant, i: usize) -> Option<(Instant, Next<E>)> {
        self.cursor += 1;
        Some((at, Next::Step(i)))
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
        let order: Vec<_> = std::iter::from_fn(|| q.pop(&steps)).collect();
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
}
