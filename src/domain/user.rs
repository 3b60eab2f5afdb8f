//! A user of the directory: a member or a guest, and what Conditional
//! Access reads of them (R-CA-1).

use serde::Deserialize;

use super::{GuestKind, InsiderRisk, Methods, Risk};

#[derive(Debug, Clone)]
pub struct User {
    pub id: String,
    pub upn: String,
    pub object_id: Option<String>,
    pub user_type: UserType,
    pub groups: Vec<String>,
    pub roles: Vec<String>,
    pub risk: Risk,
    pub stay_signed_in: bool,
    /// R-PB-8: federated through AD FS with persistent SSO, which Entra ID honours.
    pub adfs_persistent_sso: bool,
    /// The user's guest or external kind (R-CA-1 users condition); a `guest`
    /// without one is a B2B collaboration guest.
    pub guest_kind: Option<GuestKind>,
    /// The home tenant of an external user, for `externalTenants`.
    pub home_tenant: Option<String>,
    /// Authentication methods the user has (R-CA-5).
    pub methods: Methods,
    /// Insider risk (R-CA-1 `insiderRiskLevels`); `none` by default.
    pub insider_risk: InsiderRisk,
    /// The persona the user was generated from (`casim generate`, a
    /// `population:`), or a scenario's own label: what summaries group by
    /// (issue 15); Conditional Access never reads it.
    pub persona: Option<String>,
}

impl User {
    /// A guest whose home tenant is another (not an internal guest): their
    /// sessions are theirs to revoke there (R-REV-4).
    pub fn is_external(&self) -> bool {
        self.user_type == UserType::Guest && self.guest_kind != Some(GuestKind::InternalGuest)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum UserType {
    #[default]
    Member,
    Guest,
}
