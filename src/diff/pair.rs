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
