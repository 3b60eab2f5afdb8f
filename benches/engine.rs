//! Engine speed (issue 11, item 5), each workload beside the floor a bare
//! `BinaryHeap` push/pop loop sets for the same number of events, in the same
//! group, so `cargo bench --bench engine` prints both throughputs (events per
//! second) and their ratio comes from one run (docs/performance.md):
//! - `office_1000x30`: 1,000 `office_worker` users for 30 days under an 8-hour
//!   sign-in frequency, run as a population (`engine::simulate_each`, rayon);
//! - `mixed_1000x30`: the six built-in personas in equal shares under the
//!   three policies of `MIXED_POLICIES`, also a population;
//! - `generated_mixed_60x30`: the same mix written out as `casim generate`
//!   does (explicit users, devices and timeline), parsed once outside the
//!   timed loop and run as one scenario by `engine::simulate` (one thread).

#[path = "support/floor.rs"]
mod floor;

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use casim::engine::{self, Options};
use casim::scenario::{Scenario, population};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// The built-in personas in the order `bench/population.sh` writes them.
const PERSONAS: [&str; 6] =
    ["office_worker", "hybrid_worker", "mobile_user", "administrator", "frontline_worker", "guest"];

const OFFICE_POLICIES: &str =
    "policies:\n  - { name: SIF 8h, users: all, apps: all, session: { sign_in_frequency: 8h } }\n";

const MIXED_POLICIES: &str = "policies:\n  \
    - { name: SIF 8h, users: all, apps: all, session: { sign_in_frequency: 8h } }\n  \
    - { name: every time admins, users: { include: ['role:Global Administrator'] }, apps: all, session: { sign_in_frequency: every_time } }\n  \
    - { name: MFA, users: all, apps: all, grant: mfa }\n";

/// `users` split in equal shares among `personas`, the remainder to the first ones.
fn equal_shares(personas: &[&str], users: usize) -> Vec<(String, usize)> {
    let n = personas.len();
    personas.iter().enumerate().map(|(i, p)| (p.to_string(), users / n + usize::from(i < users % n))).collect()
}

fn population(personas: &[&str], users: usize, days: u32, policies: &str) -> Scenario {
    let counts: Vec<String> = equal_shares(personas, users).iter().map(|(p, n)| format!("{p}: {n}")).collect();
    let yaml = format!(
        "name: bench\nseed: 1\npopulation: {{ personas: {{ {} }}, days: {days} }}\n{policies}",
        counts.join(", ")
    );
    casim::scenario::from_str(Path::new("bench.yaml"), &yaml).expect("the bench scenario is valid")
}

/// The mixed population written out by the library as `casim generate` does,
/// with the mixed policies in place of its empty list.
fn generated_mixed(users: usize, days: u32) -> Scenario {
    let shares = equal_shares(&PERSONAS, users);
    let mix: Vec<population::Mix> = population::built_in_personas()
        .into_iter()
        .filter_map(|persona| {
            let users = shares.iter().find(|(p, _)| *p == persona.name)?.1;
            Some(population::Mix { persona, users })
        })
        .collect();
    assert_eq!(mix.iter().map(|m| m.users).sum::<usize>(), users, "every built-in persona is in PERSONAS");
    let text = population::generate(&mix, days, 1, casim::time::DEFAULT_START).expect("the mix generates");
    assert!(text.contains("\npolicies: []\n"), "`generate` writes an empty policy list to fill");
    let text = text.replacen("\npolicies: []\n", &format!("\n{MIXED_POLICIES}"), 1);
    casim::scenario::from_str(Path::new("generated.yaml"), &text).expect("the generated scenario is valid")
}

/// Every user's events, summed through the population path the CLI uses.
fn population_events(scenario: &Scenario) -> u64 {
    let mut events = 0;
    engine::simulate_each(
        scenario,
        Options::default(),
        |_, outcome| outcome.stats.events,
        |e| {
            events += e;
            Ok::<(), ()>(())
        },
    )
    .expect("the fold never fails");
    events
}

fn group(c: &mut Criterion, name: &str, events: u64, engine_run: impl Fn() -> u64) {
    let mut group = c.benchmark_group(name);
    // Small samples: the whole file runs in a few minutes on two cores.
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Elements(events));
    group.bench_function("engine", |b| b.iter(|| black_box(engine_run())));
    group.bench_function("binary_heap_floor", |b| b.iter(|| black_box(floor::binary_heap_floor(black_box(events)))));
    group.finish();
}

fn populations(c: &mut Criterion) {
    let office = population(&["office_worker"], 1_000, 30, OFFICE_POLICIES);
    let events = population_events(&office);
    assert!(events > 0, "the office population simulates events");
    group(c, "office_1000x30", events, || population_events(&office));

    let mixed = population(&PERSONAS, 1_000, 30, MIXED_POLICIES);
    let events = population_events(&mixed);
    assert!(events > 0, "the mixed population simulates events");
    group(c, "mixed_1000x30", events, || population_events(&mixed));
}

fn generated_file(c: &mut Criterion) {
    let scenario = generated_mixed(60, 30);
    let events = engine::simulate(&scenario, Options::default()).stats.events;
    assert!(events > 0, "the generated scenario simulates events");
    group(c, "generated_mixed_60x30", events, || engine::simulate(&scenario, Options::default()).stats.events);
}

criterion_group!(benches, populations, generated_file);
criterion_main!(benches);
