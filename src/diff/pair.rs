//! One scenario under two policy sets: both runs, folded into the
//! collector. A population is simulated member by member (in parallel), so
//! that each member's timeline gives their active days, and memory holds one
//! chunk of members' outcomes at a time.

use super::Collector;
use crate::engine::{self, Options, Outcome, population};
use crate::error::InputError;
use crate::scenario::Scenario;

/// Simulates `before` and `after` (one scenario under the baseline and the
/// proposed policies) and folds the outcomes in; a run that hit its event
/// cap is an error.
pub fn simulate_pair(collector: &mut Collector, before: &Scenario, after: &Scenario) -> Result<(), InputError> {
    let (Some(pop_before), Some(pop_after)) = (&before.population, &after.population) else {
        let (b, a) = rayon::join(
            || engine::simulate(before, Options::default()),
            || engine::simulate(after, Options::default()),
        );
        engine::check_event_limit(before, &b)?;
        engine::check_event_limit(after, &a)?;
        collector.add(before, &b, &a);
        return Ok(());
    };
    population::for_each_user(
        &[(before, pop_before), (after, pop_after)],
        population::chunk(pop_before.days.max(pop_after.days)),
        |_, users| -> (Scenario, Outcome, Outcome) {
            let (ob, oa) =
                (engine::simulate(&users[0], Options::default()), engine::simulate(&users[1], Options::default()));
            let [b, _]: [Scenario; 2] = users.try_into().expect("one scenario per run");
            (b, ob, oa)
        },
        |(s, b, a)| {
            engine::check_event_limit(&s, &b)?;
            engine::check_event_limit(&s, &a)?;
            collector.add(&s, &b, &a);
            Ok(())
        },
    )
}

/// A population's members of `shard` under both sets, each member's share
/// of the summary handed to `each` with their key (their place in the
/// population) in order: one shard's partial result (docs/scale.md).
pub fn population_shares(
    before: &Scenario,
    after: &Scenario,
    shard: crate::shard::Shard,
    mut each: impl FnMut(String, super::Share) -> Result<(), InputError>,
) -> Result<(), InputError> {
    let (Some(pop_before), Some(pop_after)) = (&before.population, &after.population) else {
        let message = "`--format partial` splits a `population:` scenario by user; this scenario has none";
        return Err(InputError::new(&before.path, None, message));
    };
    population::for_each_user(
        &[(before, pop_before), (after, pop_after)],
        population::chunk(pop_before.days.max(pop_after.days)),
        |index, users| -> Result<Option<(String, super::Share)>, InputError> {
            if !shard.holds(&crate::signin::record::user_id(&users[0], &users[0].users[0])) {
                return Ok(None);
            }
            let (ob, oa) =
                (engine::simulate(&users[0], Options::default()), engine::simulate(&users[1], Options::default()));
            engine::check_event_limit(&users[0], &ob)?;
            engine::check_event_limit(&users[1], &oa)?;
            Ok(Some((format!("{index:012}"), super::Share::of(&users[0], &ob, &oa))))
        },
        |r| match r? {
            Some((key, share)) => each(key, share),
            None => Ok(()),
        },
    )
}
