//! `population:`: personas and counts, resolved against the persona files.

use std::path::Path;

use super::*;
use crate::scenario::population::{self, Mix, Population};

pub(super) fn resolve_population(
    r: &Resolver,
    raw: &S<RawPopulation>,
    start: Instant,
    seed: u64,
    limits: &Limits,
) -> Result<Population> {
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
    population::check_size(&mix, p.days.value, start).map_err(|refusal| {
        let at = match refusal.culprit {
            population::Culprit::Users => &raw.referenced,
            population::Culprit::Days => &p.days.referenced,
        };
        r.error(at, refusal.message).with_help(refusal.help)
    })?;
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
            )))
            .with_kind(crate::error::ErrorKind::Limit { setting: "limits.max_span" }));
    }
    // The personas' clock: their own `timezone:`, else the scenario's.
    let zone = match &p.timezone {
        Some(_) => r.zone(p.timezone.as_ref())?,
        None => r.clock.zone,
    };
    let mut population = Population { mix, days: p.days.value, templates: Vec::new(), zone };
    // Each persona once, through the scenario reader: the engine copies these
    // templates per user instead of reading YAML for each one.
    for (i, (name, count)) in p.personas.iter().enumerate() {
        let text = population.template_yaml(i, seed, start).map_err(|e| r.error(&count.referenced, e))?;
        let template = crate::scenario::from_str(Path::new(name), &text).map_err(|e| {
            r.error(&count.referenced, format!("persona `{name}` does not make a valid scenario: {}", e.message))
        })?;
        population.templates.push(template);
    }
    Ok(population)
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
