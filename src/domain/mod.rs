//! The things a scenario describes and a policy reads: users, devices,
//! apps, clients, platforms, join types, risks, authentication methods and
//! the indices that name them; and the rules and error codes that a run's
//! outcomes (`engine`) and sign-in records (`signin`) both cite. Every other
//! module may depend on this one, and it depends on none (one concept per
//! file).

mod app;
mod client;
mod device;
pub mod error_code;
mod guest;
mod guid;
mod index;
mod join;
mod methods;
mod platform;
mod reason;
mod revocation;
mod risk;
pub mod rule;
mod user;
mod user_action;

pub use app::{App, TokenLifetimes};
pub use client::Client;
pub use device::{Browser, Device, DeviceSignIn};
pub use error_code::ErrorCode;
pub use guest::GuestKind;
pub use guid::is_guid;
pub use index::{AppIdx, DeviceIdx, PolicyIdx, UserIdx};
pub use join::Join;
pub use methods::{AuthMethod, MethodSet, Methods, default_user_methods};
pub use platform::{Platform, PlatformEntry, parse_platform};
pub use reason::REASON_NAMES;
pub use revocation::{AdminPortal, Column, RevocationEvent};
pub use risk::{InsiderRisk, Risk};
pub use rule::Rule;
pub use user::{User, UserType};
pub use user_action::UserAction;
