//! How a device is known to Entra ID.

use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Join {
    EntraJoined,
    HybridJoined,
    Registered,
    #[default]
    Unregistered,
}
