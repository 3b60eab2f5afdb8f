//! The floor an event engine is measured against (issue 11): a bare
//! `BinaryHeap` of (instant, sequence) pairs, pushed and popped once per
//! event, with about 512 events pending, which is more than one simulated
//! user ever has queued. Shared by `benches/engine.rs` and
//! `examples/heap_floor.rs` (callgrind, `bench/instructions.sh`) so both
//! measure the same loop.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Pushes and pops `events` events; returns a value that depends on every
/// popped instant, so the optimiser keeps the whole loop.
#[inline(never)]
pub fn binary_heap_floor(events: u64) -> u64 {
    let mut heap = BinaryHeap::with_capacity(1024);
    let mut popped = 0u64;
    for i in 0..events {
        // Instants spread over a day, in an order unrelated to the sequence.
        heap.push(Reverse((i.wrapping_mul(0x9E37_79B9) % 86_400, i)));
        if heap.len() > 512 {
            popped ^= heap.pop().map(|Reverse((t, _))| t).unwrap_or(0);
        }
    }
    while let Some(Reverse((t, _))) = heap.pop() {
        popped ^= t;
    }
    popped
}
