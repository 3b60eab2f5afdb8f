//! `population:`: personas and counts, resolved against the persona files.

use std::path::Path;

use super::*;
use crate::population::{self, Mix, Population};

pub(super) fn resolve_population(r: &Resolver, raw: &S<RawPopulation>, limits: &Limits) -> Result<Population> {
    let p = &raw.value;
    let personas = match &p.personas_file {
        Some(f) => population::load_personas(&r.path.parent().unwrap_or(Path::new(".")).join(&f.value))?,
        None => population::built_in_personas(),
    };
    let names: Vec<&str> = personas.iter().map(|x| x.name.as_str()).collect();
    let mut mix = Vec::new();
    for (name, count) in &p.personas {
        let persona = personas
            .iter()
            .find(|x| &x.name == name)
            .ok_or_else(|| r.unknown(&count.referenced, "persona", name, &names))?;
        mix.push(Mix { persona: persona.clone(), users: count.value });
    }
    if mix.iter().all(|m| m.users == 0) {
        return Err(r.error(&raw.referenced, "the population has no users; give a persona a count above zero"));
    }
    if p.days.value == 0 {
        return Err(r.error(&p.days.referenced, "`days` must be at least 1"));
    }
    if i64::from(p.days.value) * DAY > limits.max_span {
        return Err(r
            .error(
                &p.days.referenced,
                format!(
                    "`days: {}` is longer than the limit of {} (`limits.max_span`)",
                    p.days.value,
                    crate::time::duration(limits.max_span)
                ),
            )
            .with_help(Some(format!(
                "raise it with `limits: {{ max_span: {}d }}` at the top of the scenario (docs/limits.md)",
                p.days.value
            ))));
    }
    Ok(Population { mix, days: p.days.value })
}

/// Population users are generated, so policies target them by group, role,
/// guests or all, never by a user id.
pub(super) fn forbid_user_references(r: &Resolver, raw: &RawPolicies, policies: &[Policy]) -> Result<()> {
    for (i, policy) in policies.iter().enumerate() {
        let names_a_user = |refs: &[UserRef]| refs.iter().any(|u| matches!(u, UserRef::User(_)));
        if names_a_user(&policy.users.include) || names_a_user(&policy.users.exclude) {
            let message = format!(
                "policy `{}` names a user, but a population's users are generated: target them with `all`, `group:`, `role:` or `guests`",
                policy.name
            );
            return Err(match raw {
                RawPolicies::List(list) if i < list.len() => r.error(&list[i].referenced, message),
                _ => InputError::new(r.path, None, message),
            });
        }
    }
    Ok(())
}
