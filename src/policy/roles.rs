//! Directory roles: Graph policies name them by role template id, scenarios by
//! name. The table holds the admin roles Microsoft's "Require MFA for
//! administrators" template lists, plus a few other common ones; template ids
//! from Microsoft Entra built-in roles (learn.microsoft.com/entra/identity/
//! role-based-access-control/permissions-reference, "All roles").

/// (display name, template id)
pub const ROLES: [(&str, &str); 24] = [
    ("Global Administrator", "62e90394-69f5-4237-9190-012177145e10"),
    ("Application Administrator", "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3"),
    ("Application Developer", "cf1c38e5-3621-4004-a7cb-879624dced7c"),
    ("Authentication Administrator", "c4e39bd9-1100-46d3-8c65-fb160da0071f"),
    ("Billing Administrator", "b0f54661-2d74-4c50-afa3-1ec803f12efe"),
    ("Cloud Application Administrator", "158c047a-c907-4556-b7ef-446551a6b5f7"),
    ("Conditional Access Administrator", "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9"),
    ("Exchange Administrator", "29232cdf-9323-42fd-ade2-1d097af3e4de"),
    ("Helpdesk Administrator", "729827e3-9c14-49f7-bb1b-9608f156bbb8"),
    ("Password Administrator", "966707d0-3269-4727-9be2-8c3a10f19b9d"),
    ("Privileged Authentication Administrator", "7be44c8a-adaf-4e2a-84d6-ab2649e08a13"),
    ("Privileged Role Administrator", "e8611ab8-c189-46e8-94e1-60213ab1f814"),
    ("Security Administrator", "194ae4cb-b126-40b2-bd5b-6091b380977d"),
    ("SharePoint Administrator", "f28a1f50-f6e7-4571-818b-6a12f2af6b6c"),
    ("User Administrator", "fe930be7-5e62-47db-91af-98c3a49a38b1"),
    ("Global Reader", "f2ef992c-3afb-46b9-b7cf-a126ee74c451"),
    ("Intune Administrator", "3a2c62db-5318-420d-8d74-23affee5d9d5"),
    ("Teams Administrator", "69091246-20e8-4a56-aa4d-066075b2a7a8"),
    ("Security Reader", "5d6b6bb7-de71-4623-b4af-96380a352509"),
    ("Security Operator", "5f2222b1-57c3-48ba-8ad5-d4759f1fde6f"),
    ("Hybrid Identity Administrator", "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2"),
    ("Groups Administrator", "fdd7a751-b60b-444a-984c-02652fe8fa1c"),
    ("Directory Synchronization Accounts", "d29b2b05-8046-44ba-8758-1e26182fcf32"),
    ("Reports Reader", "4a5d8f65-41da-4de4-8968-e035b65339cf"),
];

/// Lowercase letters and digits only: "Global Administrator",
/// "global_administrator" and "GlobalAdministrator" compare equal.
fn squash(text: &str) -> String {
    squashed(text).map(char::from).collect()
}

/// `squash` without building the string: policy matching compares roles at
/// every applicable-policy evaluation (issue 11).
fn squashed(text: &str) -> impl Iterator<Item = u8> + '_ {
    text.bytes().filter(u8::is_ascii_alphanumeric).map(|b| b.to_ascii_lowercase())
}

/// The table entry a role name or template id refers to.
pub fn lookup(text: &str) -> Option<(&'static str, &'static str)> {
    let id = text.trim();
    ROLES.iter().copied().find(|(name, role_id)| squashed(name).eq(squashed(text)) || role_id.eq_ignore_ascii_case(id))
}

/// The form two role references are compared in: the template id when the
/// table knows the role, else the squashed text.
pub fn canonical(text: &str) -> String {
    match lookup(text) {
        Some((_, id)) => id.to_string(),
        None => squash(text),
    }
}

/// Whether two role references name the same role: `canonical(a) ==
/// canonical(b)`, without allocating.
pub fn same(a: &str, b: &str) -> bool {
    match (lookup(a), lookup(b)) {
        (Some((_, x)), Some((_, y))) => x == y,
        (None, None) => squashed(a).eq(squashed(b)),
        // A known role's canonical form is its template id, which no unknown role squashes to
        // (squashing drops the dashes a template id keeps).
        _ => false,
    }
}

/// A role in words: its display name when known.
pub fn display(text: &str) -> String {
    lookup(text).map(|(name, _)| name.to_string()).unwrap_or_else(|| text.to_string())
}

/// The display names, for suggestions.
pub fn names() -> impl Iterator<Item = &'static str> {
    ROLES.iter().map(|(name, _)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_template_ids_meet() {
        assert_eq!(canonical("Global Administrator"), "62e90394-69f5-4237-9190-012177145e10");
        assert_eq!(canonical("global_administrator"), canonical("62E90394-69F5-4237-9190-012177145E10"));
        assert_eq!(canonical("Payroll Approver"), "payrollapprover");
        assert_eq!(display("e8611ab8-c189-46e8-94e1-60213ab1f814"), "Privileged Role Administrator");
    }

    #[test]
    fn same_agrees_with_canonical() {
        let refs = [
            "Global Administrator",
            "global_administrator",
            "62E90394-69F5-4237-9190-012177145E10",
            " 62e90394-69f5-4237-9190-012177145e10 ",
            "Payroll Approver",
            "payroll-approver",
            "Security Reader",
            "",
            "Ünïcode Rôle",
            "unicode role",
        ];
        for a in refs {
            for b in refs {
                assert_eq!(same(a, b), canonical(a) == canonical(b), "{a:?} against {b:?}");
            }
        }
    }

    #[test]
    fn template_ids_are_unique_guids() {
        let mut ids: Vec<&str> = ROLES.iter().map(|(_, id)| *id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), ROLES.len());
        assert!(ids.iter().all(|id| id.len() == 36));
    }
}
