//! Rendering outcomes: the JSON contract, the human table and `casim explain`.

pub mod explain;
pub mod html;
pub mod json;
pub mod text;
