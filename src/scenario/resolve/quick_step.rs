//! The steps `casim generate` writes, resolved straight from the quick
//! reader's fields: a device's sign-in, lock and browser steps, `use` and
//! `background`, with nothing but `at`, `do`, `device`, `app`, `client` and
//! `until`. Anything else, and any error, is `resolve_step`'s, from the
//! `RawEntry` the fields make; `tests::quick_steps_are_resolve_steps` holds
//! the two to the same steps. (Issue 11: the general rules took half the
//! time of reading a generated population.)

use super::timeline::{Bounds, check_span};
use super::*;
use crate::scenario::plain_yaml::QuickEntry;

/// The text of the fields a quick step may have, by name.
#[derive(Default)]
struct Fields<'a> {
    at: Option<P<&'a str>>,
    action: Option<&'a str>,
    device: Option<P<&'a str>>,
    app: Option<P<&'a str>>,
    client: Option<&'a str>,
    until: Option<P<&'a str>>,
}

/// Where the fields a quick step may have are in `RawEntry::TEXT_FIELDS`
/// (`tests::field_places`): entries name their fields so.
const AT: u8 = 0;
const DO: u8 = 1;
const DEVICE: u8 = 4;
const APP: u8 = 5;
const CLIENT: u8 = 6;
const UNTIL: u8 = 7;

/// The step `entry` (a top-level timeline entry) resolves to, if it is one
/// of the steps above and has no error; `None` for `resolve_step` to resolve.
pub(super) fn quick_step(r: &Resolver, entry: &QuickEntry, bounds: &Bounds) -> Option<Step> {
    let f = fields(entry)?;
    let (action, at_text, device) = (f.action?, f.at?, f.device?);
    let takes_app = matches!(action, "use" | "background");
    if takes_app != f.app.is_some() || !takes_app && (f.client.is_some() || f.until.is_some()) {
        return None;
    }
    let at = instant(r, bounds, &at_text)?;
    let device = r.device_idx(&device).ok()?;
    let user = r.devices[device].owner;
    let until = match &f.until {
        Some(u) => Some(instant(r, bounds, u).filter(|&t| t > at)?),
        None => None,
    };
    let client = match f.client {
        Some(c) => Client::parse(c)?,
        None => Client::Browser,
    };
    let app = || f.app.as_ref().and_then(|a| r.app_idx(a).ok());
    // The commonest first: each arm compares the text.
    let action = match action {
        "use" => Action::Use {
            user,
            device,
            app: app()?,
            client,
            until,
            on_prompt: OnPrompt::default(),
            facts: AccessFacts::default(),
        },
        "background" => Action::Background { user, device, app: app()?, client, until: until? },
        "close_browser" => Action::CloseBrowser { user, device },
        "sign_in_device" => Action::SignInDevice { user, device },
        "lock" => Action::Lock { device },
        "unlock" => Action::Unlock { user, device },
        "sign_out_device" => Action::SignOutDevice { device },
        "open_browser" => Action::OpenBrowser { user, device },
        _ => return None,
    };
    Some(Step { at, line: entry.at.line() as usize, action, ip: None, country: None })
}

/// The entry's fields by name; `None` if it has another.
fn fields<'a>(entry: &QuickEntry<'a>) -> Option<Fields<'a>> {
    let mut f = Fields::default();
    for &(field, value, referenced) in entry.fields() {
        let text = P { value, referenced };
        match field {
            AT => f.at = Some(text),
            DO => f.action = Some(value),
            DEVICE => f.device = Some(text),
            APP => f.app = Some(text),
            CLIENT => f.client = Some(value),
            UNTIL => f.until = Some(text),
            _ => return None,
        }
    }
    Some(f)
}

/// A step's instant, within the timeline's span.
fn instant(r: &Resolver, bounds: &Bounds, text: &P<&str>) -> Option<Instant> {
    let t = r.time(text, bounds.start).ok()?;
    check_span(r, bounds, t, text, "").ok().map(|_| t)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::scenario::plain_yaml::{Entry, ITEMS_PER_STRETCH, read_entries};

    /// Every quick step of generated populations, under policies and with
    /// edits that leave them to `resolve_step`, is the step it resolves.
    #[test]
    fn quick_steps_are_resolve_steps() {
        use crate::scenario::population::{built_in_personas, generate, split};
        let text = generate(&split(built_in_personas(), 40), 9, 4, crate::time::DEFAULT_START).unwrap();
        let edits = [
            ("do: lock", "do: lock, app: teams"),
            ("client: desktop", "client: nowhere"),
            ("app: teams", "app: nothing"),
            ("T09:", "T9:"),
            ("do: use", "do: background"),
            ("do: background", "do: use"),
        ];
        let mut compared = 0;
        let r = resolver_of(&text);
        for (from, to) in std::iter::once(("", "")).chain(edits) {
            let edited = if from.is_empty() { text.clone() } else { text.replacen(from, to, 3) };
            compared += compare(&r, &edited);
        }
        assert!(compared > 10_000, "{compared}");
    }

    #[test]
    fn field_places() {
        let names = RawEntry::<&str>::TEXT_FIELDS;
        let places = [(AT, "at"), (DO, "do"), (DEVICE, "device"), (APP, "app"), (CLIENT, "client"), (UNTIL, "until")];
        for (place, name) in places {
            assert_eq!(names[usize::from(place)], name);
        }
    }

    /// How many quick steps of `text`, read with the users, devices and
    /// apps of `r`, were compared with `resolve_step`'s.
    fn compare(r: &Resolver, text: &str) -> usize {
        let raw = crate::scenario::plain_yaml::from_str::<RawScenario>(text).expect("plain YAML");
        let Some(RawTimeline::Deferred(at)) = &raw.timeline else { panic!("a deferred timeline") };
        let bounds = Bounds { start: crate::time::DEFAULT_START, limits: Limits::default() };
        let policies: Vec<String> = Vec::new();
        let states = (0..at.items().div_ceil(ITEMS_PER_STRETCH)).map(|_| 0).collect();
        let counts = read_entries(text, at, states, |entry, n: &mut usize| {
            if let Entry::Quick(q) = entry
                && let Some(step) = quick_step(r, &q, &bounds)
            {
                let slow = resolve_step(r, &policies, &q.raw(), bounds.start, &bounds).expect("resolves");
                assert_eq!(step, slow);
                *n += 1;
            }
            true
        });
        counts.expect("read").iter().sum()
    }

    /// A resolver with the users and devices of the scenario `text`.
    fn resolver_of(text: &str) -> Resolver<'_> {
        let sc = crate::scenario::from_str(Path::new("g.yaml"), text).unwrap();
        let clock = sc.clock();
        Resolver {
            path: Path::new("g.yaml"),
            text,
            users: sc.users,
            workloads: sc.workloads,
            apps: sc.apps,
            devices: sc.devices,
            groups: sc.groups,
            named_locations: sc.named_locations,
            location_keys: Default::default(),
            clock,
        }
    }
}
