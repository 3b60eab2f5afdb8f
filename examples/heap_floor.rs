//! The bare `BinaryHeap` floor as a program, so callgrind can count its
//! instructions per event beside casim's (`bench/instructions.sh`).
//!
//!     cargo build --release --example heap_floor
//!     valgrind --tool=callgrind target/release/examples/heap_floor 67000

#[path = "../benches/support/floor.rs"]
mod floor;

use std::process::ExitCode;

fn main() -> ExitCode {
    let arg = std::env::args().nth(1);
    let Some(events) = arg.as_deref().and_then(|a| a.parse::<u64>().ok()) else {
        eprintln!("usage: heap_floor EVENTS   (EVENTS: how many events to push and pop, a whole number)");
        return ExitCode::from(2);
    };
    // Printed so the loop's result is used: the optimiser keeps all of it.
    println!("{events} events, checksum {}", floor::binary_heap_floor(events));
    ExitCode::SUCCESS
}
