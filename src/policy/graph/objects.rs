//! The objects policies refer to, exported next to them: authentication
//! strength policies, authentication context class references and terms of
//! use agreements. casim keeps them as plain data (what the export says, and
//! where it says it); it does not yet use them to evaluate a grant.

use super::walk::{Field, Result, each_string};

/// A Graph `authenticationStrengthPolicy`: the method combinations a grant's
/// `authenticationStrength` accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrengthPolicy {
    /// Lowercased; built-in ones are `00000000-0000-0000-0000-00000000000N`.
    pub id: String,
    pub display_name: String,
    pub description: Option<String>,
    pub policy_type: StrengthPolicyType,
    /// `requirementsSatisfied` as written (`mfa` or `none`), if present.
    pub requirements_satisfied: Option<String>,
    /// `allowedCombinations` exactly as written, e.g. `"password,sms"` or
    /// `"windowsHelloForBusiness"`: one entry per accepted combination.
    pub allowed_combinations: Vec<String>,
    /// `file $path`: the file and JSON path it came from, for messages.
    pub origin: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrengthPolicyType {
    /// Microsoft's own (MFA, passwordless MFA, phishing-resistant MFA).
    BuiltIn,
    /// Defined by the tenant; also what a policy without `policyType` is.
    Custom,
}

/// A Graph `authenticationContextClassReference` (`c1` to `c99`), which
/// policies include under `applications.includeAuthenticationContextClassReferences`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthContextRef {
    /// Lowercased: `c1` … `c99`.
    pub id: String,
    pub display_name: String,
    pub description: Option<String>,
    /// Whether apps may request it (`isAvailable`; false when missing).
    pub is_available: bool,
    pub origin: String,
}

/// A Graph terms of use `agreement`, which grants name under `termsOfUse`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    /// Lowercased.
    pub id: String,
    pub display_name: String,
    pub origin: String,
}

fn origin(f: &Field) -> String {
    format!("{} {}", f.file.display(), f.path)
}

fn required_id(f: &Field, what: &str) -> Result<String> {
    let id = f.get("id").ok_or_else(|| f.error(format!("{what} needs its `id` (policies refer to it)")))?;
    Ok(id.str()?.trim().to_lowercase())
}

fn optional_str(f: &Field, key: &str) -> Result<Option<String>> {
    f.get(key).map(|v| v.str().map(str::to_string)).transpose()
}

pub(super) fn strength(f: &Field) -> Result<StrengthPolicy> {
    f.object()?;
    let id = required_id(f, "an authentication strength policy")?;
    let policy_type = match f.get("policyType") {
        None => StrengthPolicyType::Custom,
        Some(t) => match t.str()? {
            s if s.eq_ignore_ascii_case("builtIn") => StrengthPolicyType::BuiltIn,
            s if s.eq_ignore_ascii_case("custom") => StrengthPolicyType::Custom,
            other => return Err(t.error(format!("`{other}` is not a policyType; expected builtIn or custom"))),
        },
    };
    let mut allowed_combinations = Vec::new();
    each_string(f, "allowedCombinations", |item, text| {
        if text.split(',').any(|part| part.trim().is_empty()) {
            return Err(item.error(format!(
                "`{text}` is not a method combination; expected method names separated by commas, e.g. \"password,sms\""
            )));
        }
        allowed_combinations.push(text.to_string());
        Ok(())
    })?;
    Ok(StrengthPolicy {
        display_name: optional_str(f, "displayName")?.unwrap_or_else(|| id.clone()),
        id,
        description: optional_str(f, "description")?,
        policy_type,
        requirements_satisfied: optional_str(f, "requirementsSatisfied")?,
        allowed_combinations,
        origin: origin(f),
    })
}

pub(super) fn auth_context(f: &Field) -> Result<AuthContextRef> {
    f.object()?;
    let id = required_id(f, "an authentication context")?;
    let valid = id.strip_prefix('c').and_then(|n| n.parse::<u8>().ok()).is_some_and(|n| (1..=99).contains(&n));
    if !valid || id.starts_with("c0") {
        let at = f.get("id").unwrap_or_else(|| f.clone());
        return Err(at.error(format!("`{id}` is not an authentication context id; expected c1 to c99")));
    }
    Ok(AuthContextRef {
        display_name: optional_str(f, "displayName")?.unwrap_or_else(|| id.clone()),
        id,
        description: optional_str(f, "description")?,
        is_available: f.get("isAvailable").map(|b| b.bool()).transpose()?.unwrap_or(false),
        origin: origin(f),
    })
}

pub(super) fn agreement(f: &Field) -> Result<Agreement> {
    f.object()?;
    let id = required_id(f, "a terms of use agreement")?;
    Ok(Agreement { display_name: optional_str(f, "displayName")?.unwrap_or_else(|| id.clone()), id, origin: origin(f) })
}

/// A Graph `group` exported beside the policies: (display name, object id),
/// so that policies' group ids read as the names scenario users carry.
pub(super) fn group(f: &Field) -> Result<(String, String)> {
    let id = required_id(f, "group")?;
    let name = f.get("displayName").map(|n| n.str().map(str::to_string)).transpose()?.unwrap_or_else(|| id.clone());
    Ok((name, id))
}
