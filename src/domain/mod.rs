//! The things a scenario describes and a policy reads: users, devices,
//! apps, clients, platforms, join types, risks, authentication methods and
//! the indices that name them. Both `scenario` and `policy` depend on this
//! module, and it depends on neither (one concept per file).

mod app;
mod client;
mod device;
mod guest;
mod guid;
mod index;
mod join;
mod methods;
mod platform;
mod reason;
mod risk;
mod user;
mod user_action;

pub use app::App;
pub use client::Client;
pub use device::{Browser, Device, DeviceSignIn};
pub use guest::GuestKind;
pub use guid::is_guid;
pub use index::{AppIdx, DeviceIdx, PolicyIdx, UserIdx};
pub use join::Join;
pub use methods::{AuthMethod, MethodSet, Methods, default_user_methods};
pub use platform::{Platform, PlatformEntry, parse_platform};
pub use reason::REASON_NAMES;
pub use risk::{InsiderRisk, Risk};
pub use user::{User, UserType};
pub use user_action::UserAction;
