//! The revocation table of Microsoft's "Refresh tokens in the Microsoft
//! identity platform" page (R-REV-2, R-REV-4): what each change of a user's
//! credentials or sessions revokes, row by row and column by column. Each row
//! is a timeline action; `revokes` is the table itself, so a reader can hold
//! it against the page cell by cell.

use super::DeviceIdx;

/// Where an administrator reset the password: the page gives the Azure
/// portal a row of its own, and the Microsoft Entra and Microsoft 365 admin
/// centers another (they also revoke non-password tokens and confidential
/// clients' tokens).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminPortal {
    AzurePortal,
    EntraAdminCenter,
    M365AdminCenter,
}

impl AdminPortal {
    pub const NAMES: [&'static str; 3] = ["azure_portal", "entra_admin_center", "m365_admin_center"];

    pub fn parse(s: &str) -> Option<AdminPortal> {
        match s {
            "azure_portal" => Some(AdminPortal::AzurePortal),
            "entra_admin_center" => Some(AdminPortal::EntraAdminCenter),
            "m365_admin_center" => Some(AdminPortal::M365AdminCenter),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            AdminPortal::AzurePortal => "azure_portal",
            AdminPortal::EntraAdminCenter => "entra_admin_center",
            AdminPortal::M365AdminCenter => "m365_admin_center",
        }
    }

    /// The portal as the page names it.
    pub fn title(self) -> &'static str {
        match self {
            AdminPortal::AzurePortal => "the Azure portal",
            AdminPortal::EntraAdminCenter => "the Microsoft Entra admin center",
            AdminPortal::M365AdminCenter => "the Microsoft 365 admin center",
        }
    }
}

/// One row of the table: a change to a user's credentials or sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevocationEvent {
    /// The password expires (`password_expires`): nothing is revoked.
    PasswordExpires,
    /// The user changes their password (`password_change`).
    PasswordChange,
    /// The user resets it with self-service password reset (`self_service_password_reset`).
    SelfServiceReset,
    /// An administrator resets it (`admin_password_reset`, `portal:`).
    AdminReset(AdminPortal),
    /// The user revokes their own refresh tokens (`revoke_own_sessions`).
    UserRevokes,
    /// An administrator revokes all the user's refresh tokens (`revoke_sessions`);
    /// `home_tenant` is false when a B2B guest's sessions are revoked in this,
    /// the resource tenant, which revokes none of their tokens.
    AdminRevokes { home_tenant: bool },
    /// The user signs out on the web (`single_sign_out`), in the browser of `device`.
    SingleSignOut { device: DeviceIdx },
}

/// A column of the table: what kind of artifact, resting on which factor.
/// Public clients' refresh tokens and the PRT are "tokens"; a browser's
/// session cookie a "cookie"; a confidential client's refresh token has a
/// column of its own whatever the factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    PasswordCookie,
    PasswordToken,
    NonPasswordCookie,
    NonPasswordToken,
    ConfidentialToken,
}

impl RevocationEvent {
    /// The action that writes this row in a timeline.
    pub fn action(self) -> &'static str {
        match self {
            RevocationEvent::PasswordExpires => "password_expires",
            RevocationEvent::PasswordChange => "password_change",
            RevocationEvent::SelfServiceReset => "self_service_password_reset",
            RevocationEvent::AdminReset(_) => "admin_password_reset",
            RevocationEvent::UserRevokes => "revoke_own_sessions",
            RevocationEvent::AdminRevokes { .. } => "revoke_sessions",
            RevocationEvent::SingleSignOut { .. } => "single_sign_out",
        }
    }

    /// What happened, in words, as explanations give a revocation's cause.
    pub fn cause(self) -> &'static str {
        match self {
            RevocationEvent::PasswordExpires => "the password expired",
            RevocationEvent::PasswordChange => "the password changed",
            RevocationEvent::SelfServiceReset => "the user reset the password (self-service password reset)",
            RevocationEvent::AdminReset(AdminPortal::AzurePortal) => {
                "an administrator reset the password in the Azure portal"
            }
            RevocationEvent::AdminReset(AdminPortal::EntraAdminCenter) => {
                "an administrator reset the password in the Microsoft Entra admin center"
            }
            RevocationEvent::AdminReset(AdminPortal::M365AdminCenter) => {
                "an administrator reset the password in the Microsoft 365 admin center"
            }
            RevocationEvent::UserRevokes => "the user revoked their sessions",
            RevocationEvent::AdminRevokes { home_tenant: true } => "an administrator revoked the sessions",
            RevocationEvent::AdminRevokes { home_tenant: false } => {
                "an administrator of the resource tenant revoked the guest's sessions"
            }
            RevocationEvent::SingleSignOut { .. } => "the user signed out on the web",
        }
    }

    /// The report's timeline mark: the cause, with the words the marks had
    /// before the table's rows were told apart.
    pub fn mark(self) -> &'static str {
        match self {
            RevocationEvent::PasswordChange => "password changed",
            other => other.cause(),
        }
    }

    /// R-REV-2, R-REV-4: whether this row revokes the artifacts of `column`
    /// ("Revoked" in the table; "Stays alive" otherwise).
    pub fn revokes(self, column: Column) -> bool {
        use Column::*;
        use RevocationEvent::*;
        match self {
            PasswordExpires | AdminRevokes { home_tenant: false } => false,
            PasswordChange | SelfServiceReset | AdminReset(AdminPortal::AzurePortal) => {
                matches!(column, PasswordCookie | PasswordToken)
            }
            AdminReset(AdminPortal::EntraAdminCenter | AdminPortal::M365AdminCenter) => column != NonPasswordCookie,
            UserRevokes | AdminRevokes { home_tenant: true } => true,
            SingleSignOut { .. } => matches!(column, PasswordCookie | NonPasswordCookie),
        }
    }

    /// Whether it changes the password, which also remediates user risk (R-CA-2).
    pub fn changes_password(self) -> bool {
        matches!(
            self,
            RevocationEvent::PasswordChange | RevocationEvent::SelfServiceReset | RevocationEvent::AdminReset(_)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: [Column; 5] = [
        Column::PasswordCookie,
        Column::PasswordToken,
        Column::NonPasswordCookie,
        Column::NonPasswordToken,
        Column::ConfidentialToken,
    ];

    /// The table as the page prints it, R for "Revoked" and a dot for "Stays alive".
    #[test]
    fn every_row_reads_as_the_page_prints_it() {
        let rows = [
            (RevocationEvent::PasswordExpires, "....."),
            (RevocationEvent::PasswordChange, "RR..."),
            (RevocationEvent::SelfServiceReset, "RR..."),
            (RevocationEvent::AdminReset(AdminPortal::AzurePortal), "RR..."),
            (RevocationEvent::AdminReset(AdminPortal::EntraAdminCenter), "RR.RR"),
            (RevocationEvent::AdminReset(AdminPortal::M365AdminCenter), "RR.RR"),
            (RevocationEvent::UserRevokes, "RRRRR"),
            (RevocationEvent::AdminRevokes { home_tenant: true }, "RRRRR"),
            (RevocationEvent::AdminRevokes { home_tenant: false }, "....."),
            (RevocationEvent::SingleSignOut { device: 0 }, "R.R.."),
        ];
        for (row, printed) in rows {
            let read: String = COLUMNS.iter().map(|&c| if row.revokes(c) { 'R' } else { '.' }).collect();
            assert_eq!(read, printed, "{row:?}");
        }
    }

    #[test]
    fn portals_parse_back_from_their_names() {
        for name in AdminPortal::NAMES {
            assert_eq!(AdminPortal::parse(name).map(AdminPortal::name), Some(name));
        }
        assert_eq!(AdminPortal::parse("azure"), None);
    }
}
