//! Rendering outcomes: the JSON contract and the human table.

pub mod json;
pub mod text;
