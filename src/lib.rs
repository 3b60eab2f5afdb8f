//! casim: a Conditional Access session-lifetime simulator.
//!
//! A scenario (`scenario`) describes users, devices, apps, policies (`policy`)
//! and a timeline; the engine (`engine`) replays it and reports every prompt,
//! which `report` renders and `check` compares with expectations.

// Input errors carry the file's text and a located span for miette's
// report; they are built once, on the cold path that ends the command, so
// boxing them would add noise for no gain (clippy 1.95 flags every `Result`).
#![allow(clippy::result_large_err)]
#![warn(unreachable_pub)]

pub mod check;
pub mod cli;
pub mod columnar;
pub mod diff;
pub mod domain;
pub mod engine;
pub mod error;
pub mod fuzzing;
pub mod ids;
pub mod policy;
pub mod report;
pub mod scenario;
pub mod shard;
pub mod signin;
mod spill;
pub mod terminal;
pub mod time;
pub mod whatif;
