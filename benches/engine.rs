//! Engine speed: the built-in office-worker persona over a population, and the
//! floor a bare `BinaryHeap` push/pop loop sets for the same number of events.
//! `cargo bench` prints both throughputs (events per second) so their ratio is
//! measured in one run (docs/performance.md).

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::hint::black_box;
use std::path::Path;

use casim::engine::{self, Options};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn office_population(users: usize, days: u32) -> casim::scenario::Scenario {
    let yaml = format!(
        "name: bench\nseed: 1\npopulation: {{ personas: {{ office_worker: {users} }}, days: {days} }}\n\
         policies:\n  - {{ name: SIF 8h, users: all, apps: all, session: {{ sign_in_frequency: 8h }} }}\n"
    );
    casim::scenario::from_str(Path::new("bench.yaml"), &yaml).expect("the bench scenario is valid")
}

fn engine_and_floor(c: &mut Criterion) {
    let scenario = office_population(1_000, 30);
    let events = engine::simulate(&scenario, Options::default()).stats.events;
    let mut group = c.benchmark_group("office_worker_1000x30");
    group.sample_size(10);
    group.throughput(Throughput::Elements(events));
    group.bench_function("engine", |b| b.iter(|| black_box(engine::simulate(&scenario, Options::default()))));
    group.bench_function("binary_heap_floor", |b| {
        b.iter(|| {
            let mut heap = BinaryHeap::with_capacity(1024);
            let mut popped = 0u64;
            for i in 0..events {
                heap.push(Reverse((i.wrapping_mul(0x9E37_79B9) % 86_400, i)));
                if heap.len() > 512 {
                    popped ^= heap.pop().map(|Reverse((t, _))| t).unwrap_or(0);
                }
            }
            while let Some(Reverse((t, _))) = heap.pop() {
                popped ^= t;
            }
            black_box(popped)
        })
    });
    group.finish();
}

criterion_group!(benches, engine_and_floor);
criterion_main!(benches);
