//! A resource (app) users sign in to.

use super::UserAction;

#[derive(Debug, Clone)]
pub struct App {
    pub key: String,
    pub name: String,
    pub app_id: String,
    /// R-TOK-2: requests a fresh token at every use.
    pub fresh_token_each_use: bool,
    /// R-REV-3: notices revocation at its next request.
    pub cae: bool,
    /// An approved client app (grant `approvedApplication`, on iOS and Android).
    pub approved_client_app: bool,
    /// Enforces an Intune app protection policy (grant `compliantApplication`).
    pub app_protection: bool,
}

impl App {
    /// An app known only by its name and id (a custom app of a replayed log):
    /// no fresh token per use, no CAE, no app protection.
    pub fn custom(key: String, name: String, app_id: String) -> App {
        App {
            key,
            name,
            app_id,
            fresh_token_each_use: false,
            cae: false,
            approved_client_app: false,
            app_protection: false,
        }
    }

    /// The synthetic app of a user action step (its id is the action's URN).
    pub fn is_user_action(&self) -> bool {
        self.app_id.starts_with("urn:user:")
    }

    /// A user action as an app, so that the engine can track its tokens like any other.
    pub fn for_user_action(action: UserAction) -> App {
        App {
            key: action.name().to_string(),
            name: format!("User action: {}", action.name().replace('_', " ")),
            app_id: action.urn().to_string(),
            // Each registration is its own sign-in.
            fresh_token_each_use: true,
            cae: false,
            approved_client_app: false,
            app_protection: false,
        }
    }
}
