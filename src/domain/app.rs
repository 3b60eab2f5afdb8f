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
    /// R-TOK-3, R-TOK-5: what sets its access tokens' lifetime besides the tenant's defaults.
    pub lifetimes: TokenLifetimes,
    /// R-DOWN-1: resources the app asks tokens for when the user signs in to
    /// it (early-bound service dependencies), so their policies apply to it.
    pub downstream: Vec<super::AppIdx>,
}

/// Access-token lifetimes that belong to one app, in seconds (`domain`
/// stands below `time`, so plain `i64`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TokenLifetimes {
    /// R-TOK-3: `AccessTokenLifetime` of a configurable token lifetime policy assigned to the app.
    pub policy: Option<i64>,
    /// R-TOK-5: the default in a tenant that uses no Conditional Access (two hours for Teams and Microsoft 365).
    pub without_ca: Option<i64>,
    /// R-TOK-3: a token lifetime policy reaches only its mobile and desktop
    /// clients, not browser sessions (SharePoint Online and OneDrive).
    pub policy_native_only: bool,
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
            lifetimes: TokenLifetimes::default(),
            downstream: Vec::new(),
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
            lifetimes: TokenLifetimes::default(),
            downstream: Vec::new(),
        }
    }
}
