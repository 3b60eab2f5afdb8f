//! Which sign-in records `casim logs` writes: a kind, a user, an app and
//! a time window, resolved against the scenario and checked on the engine's
//! event before any rendering.

use super::record::record_app;
use super::{Resource, SignInEvent, WINDOWS_SIGN_IN_APP_ID};
use crate::error::{Problem, did_you_mean};
use crate::scenario::Scenario;
use crate::time::{self, Instant};

/// Interactive records, non-interactive ones, or both.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    All,
    Interactive,
    NonInteractive,
}

/// Which records to print; checked on the engine's event before any rendering.
pub struct Filter {
    pub kind: Kind,
    pub user: Option<usize>,
    pub resource: Option<Resource>,
    pub from: Option<Instant>,
    pub to: Option<Instant>,
    /// Per user, whether they are in the shard asked for (`--shard`); none: every user.
    pub in_shard: Option<Vec<bool>>,
}

impl Filter {
    pub fn keeps(&self, e: &SignInEvent) -> bool {
        let kind = match self.kind {
            Kind::All => true,
            Kind::Interactive => e.interactive,
            Kind::NonInteractive => !e.interactive,
        };
        kind && self.user.is_none_or(|u| u == e.user)
            && self.resource.is_none_or(|r| r == e.resource)
            && self.from.is_none_or(|t| e.at >= t)
            && self.to.is_none_or(|t| e.at < t)
            && self.in_shard.as_ref().is_none_or(|s| s.get(e.user).copied().unwrap_or(false))
    }

    /// Keeps only the records of users of `shard`, each known by the object
    /// id their records carry (`userId`), as `casim replay --shard` reads it.
    pub fn with_shard(mut self, scenario: &Scenario, shard: crate::shard::Shard) -> Filter {
        if shard.count > 1 {
            let ids = scenario.users.iter().map(|u| shard.holds(&super::record::user_id(scenario, u)));
            self.in_shard = Some(ids.collect());
        }
        self
    }

    /// The filter of `kind` records of the user and app named (an id, a UPN,
    /// an app key, id or name), from and to instants (flag and text, parsed
    /// as scenario times; `to` is exclusive).
    pub fn new(
        scenario: &Scenario,
        kind: Kind,
        user: Option<&str>,
        app: Option<&str>,
        from: (&str, Option<&str>),
        to: (&str, Option<&str>),
    ) -> Result<Filter, Problem> {
        let user = user.map(|u| find_user(scenario, u)).transpose()?;
        let resource = app.map(|a| find_app(scenario, a)).transpose()?;
        let parse = |(flag, text): (&str, Option<&str>)| {
            text.map(|t| {
                scenario.clock().parse(t, scenario.start).map_err(|e| Problem::new(format!("{flag}: {e}"), None))
            })
            .transpose()
        };
        let (from, to) = (parse(from)?, parse(to)?);
        if let (Some(f), Some(t)) = (from, to)
            && t <= f
        {
            return Err(Problem::new(
                format!("--to ({}) must be after --from ({}): --to is exclusive", time::rfc3339(t), time::rfc3339(f)),
                None,
            ));
        }
        Ok(Filter { kind, user, resource, from, to, in_shard: None })
    }
}

/// `--user`: a user id of the scenario or a UPN (case-insensitive).
pub fn find_user(scenario: &Scenario, wanted: &str) -> Result<usize, Problem> {
    let w = wanted.trim();
    scenario.users.iter().position(|u| u.id == w || u.upn.eq_ignore_ascii_case(w)).ok_or_else(|| {
        let ids: Vec<&str> = scenario.users.iter().map(|u| u.id.as_str()).collect();
        let candidates = scenario.users.iter().flat_map(|u| [u.id.as_str(), u.upn.as_str()]);
        Problem::new(
            format!("--user `{w}`: no such user in {}; users: {}", scenario.path.display(), ids.join(", ")),
            did_you_mean(w, candidates),
        )
    })
}

/// `--app`: an app key, app id or display name, or the id and name its
/// records carry (a user action's, `record::record_app`); Windows Sign In
/// (device sign-ins) answers to `windows_sign_in`, its app id and its name.
pub fn find_app(scenario: &Scenario, wanted: &str) -> Result<Resource, Problem> {
    let w = wanted.trim();
    if let Some(i) = scenario.apps.iter().position(|a| {
        let (logged_id, logged_name) = record_app(a);
        a.key == w || [a.app_id.as_str(), &a.name, logged_id, logged_name].iter().any(|n| n.eq_ignore_ascii_case(w))
    }) {
        return Ok(Resource::App(i));
    }
    if ["windows_sign_in", WINDOWS_SIGN_IN_APP_ID, "Windows Sign In"].iter().any(|n| n.eq_ignore_ascii_case(w)) {
        return Ok(Resource::WindowsSignIn);
    }
    let keys: Vec<&str> = scenario.apps.iter().map(|a| a.key.as_str()).chain(["windows_sign_in"]).collect();
    let candidates = scenario.apps.iter().flat_map(|a| [a.key.as_str(), a.name.as_str()]).chain(["windows_sign_in"]);
    Err(Problem::new(
        format!("--app `{w}`: no such application; apps: {}", keys.join(", ")),
        did_you_mean(w, candidates),
    ))
}
