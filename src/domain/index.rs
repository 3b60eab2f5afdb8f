//! Indices into a scenario's users, devices, apps and policies, as the
//! engine and the policy matcher hold them.

pub type UserIdx = usize;
pub type DeviceIdx = usize;
pub type AppIdx = usize;
pub type PolicyIdx = usize;
