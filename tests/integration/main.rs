//! The one integration test binary (the casey/just layout): every file in
//! this folder is a module of it, so the crate is linked once.

mod ci_formats;
mod cli_cases;
mod cli_errors;
mod common;
mod conditions;
mod diff;
mod doc_commands;
mod evaluation_flag;
mod fuzz_regressions;
mod group_summaries;
mod html_report;
mod layouts;
mod limits;
mod local_time;
mod log_shapes;
mod logs;
mod module_graph;
mod outputs;
mod parquet;
mod policies;
mod populations;
mod portability;
mod properties;
mod replay;
mod replay_accuracy;
mod rules;
mod rules_clients;
mod rules_tables;
mod rules_tenant;
mod scale;
mod snapshot_cmd;
mod snapshots;
mod spark;
