//! Rendering outcomes: the JSON contract, the human table and `casim explain`;
//! `words` says the engine's typed causes in English, `trace` its traced events.

pub mod explain;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod partial;
pub mod prompts_parquet;
pub mod run;
pub(crate) mod summary;
pub mod text;
pub(crate) mod trace;
pub mod verdict;
pub mod whatif;
pub mod words;
