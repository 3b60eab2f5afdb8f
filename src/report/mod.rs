//! Rendering outcomes: the JSON contract, the human table and `casim explain`;
//! `words` says the engine's typed causes in English.

pub mod explain;
pub mod html;
pub mod json;
pub mod run;
pub mod text;
pub mod words;
