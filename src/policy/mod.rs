//! Conditional Access policies: the model the engine evaluates (`model`),
//! condition matching (`matching`, R-CA-1), grant controls (`grants`, R-CA-2),
//! named locations, app groups and directory roles, Graph JSON import
//! (`graph`), What If (`whatif`), `policies show` (`describe`) and
//! `policies lint` (`lint`).

pub mod apps;
pub mod conditions;
pub mod describe;
pub mod device_filter;
pub mod grants;
pub mod graph;
pub mod json;
pub mod lint;
pub mod locations;
pub mod matching;
pub mod model;
pub mod roles;
pub mod strengths;
pub mod whatif;

pub use grants::{Grant, GrantFacts, GrantOutcome, Strength, combine_all};
pub use matching::{AnalysisReason, DeviceView, SignInContext};
pub use model::*;
