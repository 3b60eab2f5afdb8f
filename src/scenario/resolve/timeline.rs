//! The timeline of a scenario: its limits (docs/limits.md), repeat blocks
//! expanded into steps, each step's fields checked against its action, and
//! the `expect:` block.

use super::*;
use crate::domain::{AdminPortal, RevocationEvent, UserAction};
use crate::scenario::plain_yaml::{Entry, ITEMS_PER_STRETCH, ListAt, read_entries};

/// Where the timeline may lie and how big it may grow.
pub(super) struct Bounds {
    pub(super) start: Instant,
    pub(super) limits: Limits,
}

pub(super) fn resolve_limits(r: &Resolver, raw: Option<&S<RawLimits>>) -> Result<Limits> {
    let d = Limits::default();
    let Some(raw) = raw else { return Ok(d) };
    let at_least_one = |n: &Option<S<u64>>, name: &str, default: u64| match n {
        Some(n) if n.value == 0 => Err(r.error(&n.referenced, format!("`limits.{name}` must be at least 1"))),
        Some(n) => Ok(n.value),
        None => Ok(default),
    };
    Ok(Limits {
        max_span: r.positive_duration(&raw.value.max_span, d.max_span)?,
        max_steps: at_least_one(&raw.value.max_steps, "max_steps", d.max_steps)?,
        max_events: at_least_one(&raw.value.max_events, "max_events", d.max_events)?,
    })
}

/// How many steps `entries` expand to, saturating: computed before expanding,
/// so that `count: 4000000000` is refused at once instead of after minutes of
/// work (or never, for nested repeats of nothing).
pub(super) fn expanded_len<T>(entries: &[P<RawEntry<T>>]) -> u64 {
    entries
        .iter()
        .map(|e| match (&e.value.repeat, &e.value.steps) {
            (Some(repeat), Some(steps)) => u64::from(repeat.value.count.value).saturating_mul(expanded_len(steps)),
            _ => 1,
        })
        .fold(0, u64::saturating_add)
}

pub(super) fn check_step_count(r: &Resolver, timeline: &[P<RawEntry>], limits: &Limits) -> Result<()> {
    let mut total = 0u64;
    for entry in timeline {
        total = total.saturating_add(expanded_len(std::slice::from_ref(entry)));
        if total > limits.max_steps {
            let loc = entry.value.repeat.as_ref().map_or(&entry.referenced, |rep| &rep.value.count.referenced);
            let shown = if total == u64::MAX { "more than 18 quintillion".to_string() } else { total.to_string() };
            return Err(r
                .error(
                    loc,
                    format!(
                        "the timeline expands to {shown} steps by here, more than the limit of {} (`limits.max_steps`)",
                        limits.max_steps
                    ),
                )
                .with_help(Some(format!(
                    "lower `count`, or raise the limit with `limits: {{ max_steps: {} }}` at the top of the scenario (docs/limits.md)",
                    if total == u64::MAX { "N".to_string() } else { total.to_string() }
                )))
                .with_kind(ErrorKind::Limit { setting: "limits.max_steps" }));
        }
    }
    Ok(())
}

/// A timeline instant must lie within `limits.max_span` after `start`, and
/// not before it.
pub(super) fn check_span(r: &Resolver, bounds: &Bounds, t: Instant, text: &impl Text, what: &str) -> Result<()> {
    if t < bounds.start {
        return Err(r.error(
            &text.place(),
            format!("`{what}` ({}) is before the scenario's `start`; steps happen at or after it", text.text()),
        ));
    }
    if t - bounds.start > bounds.limits.max_span {
        let span = crate::time::duration(bounds.limits.max_span);
        return Err(r
            .error(
                &text.place(),
                format!(
                    "`{what}` ({}) is {} after `start`, past the limit of {span} (`limits.max_span`)",
                    text.text(),
                    crate::time::duration(t - bounds.start)
                ),
            )
            .with_help(Some(format!(
                "raise it with `limits: {{ max_span: {} }}` at the top of the scenario (docs/limits.md)",
                crate::time::duration((t - bounds.start + DAY - 1) / DAY * DAY)
            )))
            .with_kind(ErrorKind::Limit { setting: "limits.max_span" }));
    }
    Ok(())
}

/// The timeline's steps, in timeline order. A timeline of user actions gets
/// their synthetic apps first (`App::for_user_action`).
pub(super) fn resolve_timeline(
    r: &mut Resolver,
    timeline: Option<&RawTimeline>,
    policies: &[String],
    bounds: &Bounds,
) -> Result<Vec<Step>> {
    let entries = match timeline {
        Some(RawTimeline::Deferred(at)) => return stream_timeline(r, at, policies, bounds),
        Some(RawTimeline::Entries(entries)) => entries.as_slice(),
        None => &[],
    };
    for action in [UserAction::RegisterSecurityInfo, UserAction::RegisterDevice] {
        if timeline_mentions(entries, action.name()) {
            r.apps.push(App::for_user_action(action));
        }
    }
    check_step_count(r, entries, &bounds.limits)?;
    let mut steps = Vec::new();
    expand_entries(r, policies, entries, bounds.start, bounds, &mut steps)?;
    Ok(steps)
}

/// A timeline read entry by entry from plain YAML (`RawTimeline::Deferred`),
/// in stretches on all cores, each entry resolved as soon as it is read and
/// then dropped (issue 11). What would need the whole timeline first (a user
/// action's synthetic app, more than `limits.max_steps` steps) or is wrong
/// ends it with an error that `scenario::from_str` does not show: it reads
/// the file again with serde-saphyr, whose errors, in their order, are the
/// reference.
fn stream_timeline(r: &Resolver, at: &ListAt, policies: &[String], bounds: &Bounds) -> Result<Vec<Step>> {
    let again = || InputError::new(r.path, None, "the timeline is read again by the full YAML reader");
    // One step an entry, the usual case: each stretch writes its steps in
    // place, into the one vector of the whole timeline (gathering 300,000
    // steps from the stretches' vectors took a tenth of reading them, and as
    // much memory again). Within the limit: steps are held before being counted.
    if at.items() as u64 > bounds.limits.max_steps {
        return Err(again());
    }
    let mut all = vec![PLACEHOLDER; at.items()];
    let states: Vec<Stretch> = all.chunks_mut(ITEMS_PER_STRETCH).map(Stretch::new).collect();
    let stretches = read_entries(r.text, at, states, |entry, stretch| {
        if let Entry::Quick(q) = &entry
            && let Some(step) = super::quick_step::quick_step(r, q, bounds)
        {
            stretch.total += 1;
            stretch.put(step);
            return stretch.total <= bounds.limits.max_steps;
        }
        stretch.scratch.clear();
        let (scratch, total) = (&mut stretch.scratch, &mut stretch.total);
        let taken = match entry {
            Entry::Quick(q) => take_entry(r, policies, bounds, std::slice::from_ref(&q.raw()), scratch, total),
            Entry::Read(e) => take_entry(r, policies, bounds, std::slice::from_ref(&*e), scratch, total),
        };
        stretch.keep();
        taken
    });
    let max = bounds.limits.max_steps;
    let stretches: Vec<(usize, usize, Vec<Step>, u64)> = match stretches {
        Some(s) => s.into_iter().map(|s| (s.places.len(), s.filled, s.more, s.total)).collect(),
        None => return Err(again()),
    };
    if stretches.iter().fold(0u64, |n, s| n.saturating_add(s.3)) > max {
        return Err(again());
    }
    Ok(gathered(all, stretches))
}

/// A step that only holds a place in the timeline's vector until a stretch writes it.
const PLACEHOLDER: Step = Step { at: 0, line: 0, action: Action::Outage { until: 0 }, ip: None, country: None };

/// A stretch of a streamed timeline being read: its places in the
/// timeline's vector, how many it wrote, the steps past them (repeat blocks
/// expand to more steps than entries), and how many steps its entries expand to.
struct Stretch<'s> {
    places: &'s mut [Step],
    filled: usize,
    more: Vec<Step>,
    total: u64,
    /// The steps of the entry being read.
    scratch: Vec<Step>,
}

impl<'s> Stretch<'s> {
    fn new(places: &'s mut [Step]) -> Stretch<'s> {
        Stretch { places, filled: 0, more: Vec::new(), total: 0, scratch: Vec::new() }
    }

    /// The entry's steps (`scratch`), in the places left, then in `more`.
    fn keep(&mut self) {
        let mut steps = std::mem::take(&mut self.scratch);
        for step in steps.drain(..) {
            self.put(step);
        }
        self.scratch = steps;
    }

    /// A step, in the next place left, or in `more`.
    fn put(&mut self, step: Step) {
        match self.places.get_mut(self.filled) {
            Some(place) if self.more.is_empty() => {
                *place = step;
                self.filled += 1;
            }
            _ => self.more.push(step),
        }
    }
}

/// The timeline's steps in order: each stretch's (places, places written,
/// steps past them, total). Nothing moves when every entry was one step.
fn gathered(all: Vec<Step>, stretches: Vec<(usize, usize, Vec<Step>, u64)>) -> Vec<Step> {
    if stretches.iter().all(|(places, filled, more, _)| filled == places && more.is_empty()) {
        return all;
    }
    let mut out = Vec::new();
    let mut places = all.into_iter();
    for (count, filled, more, _) in stretches {
        let mut stretch = places.by_ref().take(count);
        out.extend(stretch.by_ref().take(filled));
        stretch.for_each(drop);
        out.extend(more);
    }
    out
}

/// One entry of a streamed timeline: its steps added to `steps` and their
/// number to `total`. Whether it could be: no user action (its synthetic app
/// comes before any step), the steps within `limits.max_steps`, no error.
fn take_entry<T: AsRef<str>>(
    r: &Resolver,
    policies: &[String],
    bounds: &Bounds,
    one: &[P<RawEntry<T>>],
    steps: &mut Vec<Step>,
    total: &mut u64,
) -> bool {
    let user_action =
        [UserAction::RegisterSecurityInfo, UserAction::RegisterDevice].iter().any(|a| timeline_mentions(one, a.name()));
    *total = total.saturating_add(expanded_len(one));
    !user_action
        && *total <= bounds.limits.max_steps
        && expand_entries(r, policies, one, bounds.start, bounds, steps).is_ok()
}

pub(super) fn expand_entries<T: AsRef<str>>(
    r: &Resolver,
    policies: &[String],
    entries: &[P<RawEntry<T>>],
    base: Instant,
    bounds: &Bounds,
    out: &mut Vec<Step>,
) -> Result<()> {
    for entry in entries {
        if let Some(repeat) = &entry.value.repeat {
            expand_repeat(r, policies, entry, repeat, base, bounds, out)?;
        } else {
            out.push(resolve_step(r, policies, entry, base, bounds)?);
        }
    }
    Ok(())
}

pub(super) fn expand_repeat<T: AsRef<str>>(
    r: &Resolver,
    policies: &[String],
    entry: &P<RawEntry<T>>,
    repeat: &P<RawRepeat>,
    base: Instant,
    bounds: &Bounds,
    out: &mut Vec<Step>,
) -> Result<()> {
    let e = &entry.value;
    let stray = [
        ("at", e.at.is_some()),
        ("do", e.action.is_some()),
        ("user", e.user.is_some()),
        ("device", e.device.is_some()),
        ("app", e.app.is_some()),
        ("client", e.client.is_some()),
        ("until", e.until.is_some()),
        ("value", e.value.is_some()),
        ("policy", e.policy.is_some()),
        ("state", e.state.is_some()),
        ("on_prompt", e.on_prompt.is_some()),
        ("ip", e.ip.is_some()),
        ("country", e.country.is_some()),
        ("sign_in_risk", e.sign_in_risk.is_some()),
        ("auth_context", e.auth_context.is_some()),
        ("authentication_flow", e.authentication_flow.is_some()),
        ("consent", e.consent.is_some()),
    ];
    if let Some((name, _)) = stray.iter().find(|(_, present)| *present) {
        return Err(r.error(&entry.referenced, format!("a repeat block takes only `repeat` and `steps`, not `{name}`")));
    }
    let steps = e.steps.as_ref().ok_or_else(|| r.error(&entry.referenced, "a repeat block needs `steps`"))?;
    let every = r.duration(&repeat.value.every)?;
    if every <= 0 {
        return Err(r.error(&repeat.value.every.referenced, "`every` must be longer than zero"));
    }
    if repeat.value.count.value == 0 {
        return Err(r.error(&repeat.value.count.referenced, "`count` must be at least 1"));
    }
    // The last repetition must start within the span: checked here, with
    // checked arithmetic, because `every × count` can pass i64's end and wrap
    // back before `start`.
    let count = i64::from(repeat.value.count.value);
    let last = every.checked_mul(count - 1).and_then(|d| base.checked_add(d));
    if last.is_none_or(|last| last - bounds.start > bounds.limits.max_span) {
        let span = crate::time::duration(bounds.limits.max_span);
        return Err(r
            .error(
                &repeat.value.every.referenced,
                format!(
                    "`every: {}` × `count: {count}` runs past the limit of {span} after `start` (`limits.max_span`)",
                    repeat.value.every.value
                ),
            )
            .with_help(Some(
                "lower `count` or `every`, or raise the limit with `limits: { max_span: … }` at the top of the scenario (docs/limits.md)"
                    .to_string(),
            ))
            .with_kind(ErrorKind::Limit { setting: "limits.max_span" }));
    }
    if expanded_len(steps) == 0 {
        // Nothing to repeat: check the (empty) blocks once instead of looping `count` times.
        return expand_entries(r, policies, steps, base, bounds, out);
    }
    for n in 0..count {
        expand_entries(r, policies, steps, base + n * every, bounds, out)?;
    }
    Ok(())
}

/// Which fields each action takes: (required, optional).
pub(super) fn action_fields(action: &str) -> (&'static [&'static str], &'static [&'static str]) {
    match action {
        "sign_in_device" | "unlock" | "close_browser" | "open_browser" => (&["device"], &["user", "ip", "country"]),
        "lock" | "sign_out_device" => (&["device"], &["ip", "country"]),
        "use" => (
            &["device", "app"],
            &[
                "user",
                "client",
                "until",
                "on_prompt",
                "ip",
                "country",
                "sign_in_risk",
                "auth_context",
                "authentication_flow",
                "consent",
            ],
        ),
        "background" => (&["device", "app", "until"], &["user", "client", "ip", "country"]),
        "register_security_info" | "register_device" => (&["device"], &["user", "ip", "country", "sign_in_risk"]),
        "password_change"
        | "password_expires"
        | "self_service_password_reset"
        | "revoke_own_sessions"
        | "disable_user"
        | "enable_user" => (&["user"], &[]),
        "admin_password_reset" => (&["user"], &["portal"]),
        "revoke_sessions" => (&["user"], &["tenant"]),
        "single_sign_out" => (&["device"], &["user"]),
        "set_compliant" => (&["device", "value"], &[]),
        "set_policy_state" => (&["policy", "state"], &[]),
        "request_token" => (&["workload", "app"], &["ip", "country"]),
        "outage" => (&["until"], &[]),
        _ => (&[], &[]),
    }
}

/// Long: one arm per action of the format; the fields each takes are checked above.
pub(super) fn resolve_step<T: AsRef<str>>(
    r: &Resolver,
    policies: &[String],
    entry: &P<RawEntry<T>>,
    base: Instant,
    bounds: &Bounds,
) -> Result<Step> {
    let e = &entry.value;
    let at_text =
        e.at.as_ref().ok_or_else(|| r.error(&entry.referenced, "a step needs `at` (a time such as \"09:00\")"))?;
    let action =
        e.action.as_ref().ok_or_else(|| r.error(&entry.referenced, "a step needs `do` (an action such as `use`)"))?;
    if !Action::NAMES.contains(&action.value.as_ref()) {
        return Err(r.unknown(&action.referenced, "action", action.value.as_ref(), &Action::NAMES));
    }
    check_step_fields(r, entry, action.value.as_ref())?;
    let at = r.time(at_text, base)?;
    check_span(r, bounds, at, at_text, "at")?;
    let device = e.device.as_ref().map(|d| r.device_idx(d)).transpose()?;
    let user = match (&e.user, device) {
        (Some(u), _) => r.user_idx(u)?,
        (None, Some(d)) => r.devices[d].owner,
        // `request_token` names a workload; every other action without a device requires `user`.
        (None, None) => 0,
    };
    let app = e.app.as_ref().map(|a| r.app_idx(a)).transpose()?;
    let client = match &e.client {
        Some(c) => {
            Client::parse(c.text()).ok_or_else(|| r.unknown(&c.referenced, "client", c.text(), &Client::NAMES))?
        }
        None => Client::Browser,
    };
    let until = match &e.until {
        Some(u) => {
            let t = r.time(u, base)?;
            check_span(r, bounds, t, u, "until")?;
            if t <= at {
                return Err(
                    r.error(&u.referenced, format!("`until` ({}) must be after `at` ({})", u.text(), at_text.text()))
                );
            }
            Some(t)
        }
        None => None,
    };
    let dev = || device.unwrap_or_default();
    let action = match action.value.as_ref() {
        "sign_in_device" => Action::SignInDevice { user, device: dev() },
        "lock" => Action::Lock { device: dev() },
        "unlock" => Action::Unlock { user, device: dev() },
        "sign_out_device" => Action::SignOutDevice { device: dev() },
        "use" => Action::Use {
            user,
            device: dev(),
            app: app.unwrap_or_default(),
            client,
            until,
            on_prompt: e.on_prompt.as_ref().map(|o| o.value).unwrap_or_default(),
            facts: access_facts(r, e)?,
        },
        "register_security_info" | "register_device" => {
            let app = r.user_action_app(action.text()).expect("appended when the timeline has user actions");
            Action::UserAction { user, device: dev(), app, facts: access_facts(r, e)? }
        }
        "background" => {
            Action::Background { user, device: dev(), app: app.unwrap_or_default(), client, until: until.unwrap_or(at) }
        }
        "close_browser" => Action::CloseBrowser { user, device: dev() },
        "open_browser" => Action::OpenBrowser { user, device: dev() },
        "password_change" => Action::Revoke { user, event: RevocationEvent::PasswordChange },
        "password_expires" => Action::Revoke { user, event: RevocationEvent::PasswordExpires },
        "self_service_password_reset" => Action::Revoke { user, event: RevocationEvent::SelfServiceReset },
        "admin_password_reset" => Action::Revoke { user, event: RevocationEvent::AdminReset(portal(r, e)?) },
        "revoke_own_sessions" => Action::Revoke { user, event: RevocationEvent::UserRevokes },
        "revoke_sessions" => {
            Action::Revoke { user, event: RevocationEvent::AdminRevokes { home_tenant: home_tenant(r, e, user)? } }
        }
        "single_sign_out" => Action::Revoke { user, event: RevocationEvent::SingleSignOut { device: dev() } },
        "disable_user" => Action::DisableUser { user },
        "outage" => Action::Outage { until: until.unwrap_or(at) },
        "enable_user" => Action::EnableUser { user },
        "request_token" => Action::RequestToken {
            workload: r.workload_idx(e.workload.as_ref().expect("checked by check_step_fields"))?,
            app: app.unwrap_or_default(),
        },
        "set_compliant" => {
            let value = e.value.as_ref().is_some_and(|v| v.value);
            if value && r.devices[dev()].join == Join::Unregistered {
                let loc = &e.value.as_ref().expect("checked by check_step_fields").referenced;
                return Err(r.error(
                    loc,
                    "an unregistered device cannot become compliant; compliance needs a registered or joined device",
                ));
            }
            Action::SetCompliant { device: dev(), value }
        }
        _ => {
            let name = e.policy.as_ref().expect("checked by check_step_fields");
            let known: Vec<&str> = policies.iter().map(String::as_str).collect();
            let policy = policies
                .iter()
                .position(|p| p == name.text())
                .ok_or_else(|| r.unknown(&name.referenced, "policy", name.text(), &known))?;
            Action::SetPolicyState { policy, state: e.state.as_ref().expect("checked").value }
        }
    };
    let ip = e.ip.as_ref().map(|ip| parse_ip(r, ip)).transpose()?;
    let country = e.country.as_ref().map(|c| country_code(r, c)).transpose()?;
    Ok(Step { at, line: entry.referenced.line() as usize, action, ip, country })
}

/// R-REV-4: the portal of an `admin_password_reset`; the Microsoft Entra
/// admin center when not said, where admins reset passwords today (docs/model.md).
fn portal<T: AsRef<str>>(r: &Resolver, e: &RawEntry<T>) -> Result<AdminPortal> {
    let Some(p) = &e.portal else { return Ok(AdminPortal::EntraAdminCenter) };
    AdminPortal::parse(p.text()).ok_or_else(|| r.unknown(&p.referenced, "portal", p.text(), &AdminPortal::NAMES))
}

/// R-REV-4: whether a `revoke_sessions` reaches the user's tokens. A B2B
/// guest's sessions revoked in this (the resource) tenant, the default for
/// them, revoke nothing; `tenant: home` is a revocation in their home tenant.
/// Members have no other tenant, so `tenant: resource` is an error for them.
fn home_tenant<T: AsRef<str>>(r: &Resolver, e: &RawEntry<T>, user: UserIdx) -> Result<bool> {
    let external = r.users[user].is_external();
    let Some(t) = &e.tenant else { return Ok(!external) };
    match t.text() {
        "home" => Ok(true),
        "resource" if external => Ok(false),
        "resource" => Err(r.error(
            &t.referenced,
            format!(
                "`{}` is a member of this tenant, which is their home tenant: `tenant: resource` is for B2B guests",
                r.users[user].id
            ),
        )),
        other => Err(r.unknown(&t.referenced, "tenant", other, &["home", "resource"])),
    }
}

/// Whether any step, repeated or not, does `action`.
pub(super) fn timeline_mentions<T: AsRef<str>>(entries: &[P<RawEntry<T>>], action: &str) -> bool {
    entries.iter().any(|e| {
        e.value.action.as_ref().is_some_and(|a| a.value.as_ref() == action)
            || e.value.steps.as_ref().is_some_and(|steps| timeline_mentions(steps, action))
    })
}

pub(super) fn access_facts<T: AsRef<str>>(r: &Resolver, e: &RawEntry<T>) -> Result<AccessFacts> {
    let auth_context = match &e.auth_context {
        Some(c) if is_auth_context(c.value.as_ref()) => Some(c.value.as_ref().to_string()),
        Some(c) => {
            return Err(
                r.error(&c.referenced, format!("`{}` is not an authentication context; expected c1 to c99", c.text()))
            );
        }
        None => None,
    };
    let auth_flow = match &e.authentication_flow {
        None => None,
        Some(f) => Some(
            AuthFlow::parse(f.text())
                .ok_or_else(|| r.unknown(&f.referenced, "authentication flow", f.text(), &AuthFlow::NAMES))?,
        ),
    };
    Ok(AccessFacts {
        sign_in_risk: e.sign_in_risk.as_ref().map(|s| s.value).unwrap_or_default(),
        auth_context,
        auth_flow,
        consent: e.consent.as_ref().is_some_and(|c| c.value),
    })
}

pub(super) fn is_auth_context(text: &str) -> bool {
    text.strip_prefix('c').and_then(|n| n.parse::<u8>().ok()).is_some_and(|n| (1..=99).contains(&n))
        && !text.starts_with("c0")
}

pub(super) fn check_step_fields<T: AsRef<str>>(r: &Resolver, entry: &P<RawEntry<T>>, action: &str) -> Result<()> {
    let e = &entry.value;
    // Right fields, the case at every step, found with bits; an error is
    // looked for field by field below, which says which field is wrong.
    if let Some((required, allowed)) = action_bits(action) {
        let present = present_bits(e);
        if e.steps.is_none() && present & !allowed == 0 && required & !present == 0 {
            return Ok(());
        }
    }
    let present: [(&str, Option<&Position>); 17] = [
        ("user", e.user.as_ref().map(|x| &x.referenced)),
        ("workload", e.workload.as_ref().map(|x| &x.referenced)),
        ("device", e.device.as_ref().map(|x| &x.referenced)),
        ("app", e.app.as_ref().map(|x| &x.referenced)),
        ("client", e.client.as_ref().map(|x| &x.referenced)),
        ("until", e.until.as_ref().map(|x| &x.referenced)),
        ("value", e.value.as_ref().map(|x| &x.referenced)),
        ("policy", e.policy.as_ref().map(|x| &x.referenced)),
        ("on_prompt", e.on_prompt.as_ref().map(|x| &x.referenced)),
        ("ip", e.ip.as_ref().map(|x| &x.referenced)),
        ("country", e.country.as_ref().map(|x| &x.referenced)),
        ("sign_in_risk", e.sign_in_risk.as_ref().map(|x| &x.referenced)),
        ("auth_context", e.auth_context.as_ref().map(|x| &x.referenced)),
        ("authentication_flow", e.authentication_flow.as_ref().map(|x| &x.referenced)),
        ("portal", e.portal.as_ref().map(|x| &x.referenced)),
        ("tenant", e.tenant.as_ref().map(|x| &x.referenced)),
        ("consent", e.consent.as_ref().map(|x| &x.referenced)),
    ];
    let (required, optional) = action_fields(action);
    // Worded only for an error: this runs at every step.
    let takes = || required.iter().chain(optional).copied().collect::<Vec<_>>().join(", ");
    if e.steps.is_some() {
        return Err(r.error(&entry.referenced, "`steps` belongs to a repeat block (`repeat: { every: 1d, count: 5 }`)"));
    }
    for (name, loc) in present {
        if let Some(loc) = loc
            && !required.contains(&name)
            && !optional.contains(&name)
        {
            return Err(r.error(loc, format!("`{action}` does not take `{name}`; it takes: {}", takes())));
        }
    }
    if let Some(state) = e.state.as_ref().filter(|_| action != "set_policy_state") {
        return Err(r.error(&state.referenced, format!("`{action}` does not take `state`; it takes: {}", takes())));
    }
    let has = |name: &str| match name {
        "state" => e.state.is_some(),
        _ => present.iter().any(|(n, l)| *n == name && l.is_some()),
    };
    if let Some(missing) = required.iter().find(|n| !has(n)) {
        return Err(r.error(&entry.referenced, format!("`{action}` needs `{missing}`; it takes: {}", takes())));
    }
    Ok(())
}

/// The fields `check_step_fields` checks, in its order, each a bit of a mask.
pub(super) const FIELDS: [&str; 18] = [
    "user",
    "workload",
    "device",
    "app",
    "client",
    "until",
    "value",
    "policy",
    "on_prompt",
    "ip",
    "country",
    "sign_in_risk",
    "auth_context",
    "authentication_flow",
    "portal",
    "tenant",
    "consent",
    "state",
];

/// The bits of `names` among `FIELDS`.
fn field_bits(names: &[&str]) -> u32 {
    names.iter().filter_map(|n| FIELDS.iter().position(|f| f == n)).fold(0, |bits, i| bits | 1 << i)
}

/// The fields of a step that are present, as bits of `FIELDS`.
fn present_bits<T>(e: &RawEntry<T>) -> u32 {
    let present = [
        e.user.is_some(),
        e.workload.is_some(),
        e.device.is_some(),
        e.app.is_some(),
        e.client.is_some(),
        e.until.is_some(),
        e.value.is_some(),
        e.policy.is_some(),
        e.on_prompt.is_some(),
        e.ip.is_some(),
        e.country.is_some(),
        e.sign_in_risk.is_some(),
        e.auth_context.is_some(),
        e.authentication_flow.is_some(),
        e.portal.is_some(),
        e.tenant.is_some(),
        e.consent.is_some(),
        e.state.is_some(),
    ];
    present.iter().enumerate().fold(0, |bits, (i, &p)| bits | u32::from(p) << i)
}

/// An action's (required, allowed) fields as bits of `FIELDS`, from
/// `action_fields`, worked out once; `None` for an unknown action.
fn action_bits(action: &str) -> Option<(u32, u32)> {
    static BITS: std::sync::OnceLock<Vec<(u32, u32)>> = std::sync::OnceLock::new();
    let i = Action::NAMES.iter().position(|n| *n == action)?;
    let bits = BITS.get_or_init(|| {
        let bits = |a: &str| {
            let (required, optional) = action_fields(a);
            (field_bits(required), field_bits(required) | field_bits(optional))
        };
        Action::NAMES.iter().map(|a| bits(a)).collect()
    });
    bits.get(i).copied()
}

pub(super) fn resolve_expect(r: &Resolver, raw: RawExpect, start: Instant) -> Result<Expect> {
    let prompts = raw
        .prompts
        .map(|list| {
            list.iter()
                .map(|p| expected(r, &p.value.at, &p.value.user, &p.value.app, &p.value.reason, start))
                .collect::<Result<Vec<_>>>()
        })
        .transpose()?;
    let blocked = raw
        .blocked
        .map(|list| {
            list.iter()
                .map(|b| {
                    let mut e = expected(r, &b.value.at, &b.value.user, &b.value.app, &None, start)?;
                    if let Some(w) = &b.value.workload {
                        e.user = Some(r.workloads[r.workload_idx(w)?].identity.key.clone());
                    }
                    Ok(e)
                })
                .collect::<Result<Vec<_>>>()
        })
        .transpose()?;
    Ok(Expect { prompts, blocked })
}

pub(super) fn expected(
    r: &Resolver,
    at: &S<String>,
    user: &Option<S<String>>,
    app: &Option<S<String>>,
    reason: &Option<S<String>>,
    start: Instant,
) -> Result<ExpectedEvent> {
    let user = user.as_ref().map(|u| r.user_idx(u).map(|i| r.users[i].id.clone())).transpose()?;
    // A user action step's prompts name its synthetic app (e.g. `register_security_info`).
    let app_key = |a: &S<String>| match r.user_action_app(&a.value) {
        Some(i) => Ok(r.apps[i].key.clone()),
        None => r.app_idx(a).map(|i| r.apps[i].key.clone()),
    };
    let app = app.as_ref().map(app_key).transpose()?;
    let reason = match reason {
        Some(x) if REASON_NAMES.contains(&x.value.as_str()) => Some(x.value.clone()),
        Some(x) => return Err(r.unknown(&x.referenced, "reason", &x.value, &REASON_NAMES)),
        None => None,
    };
    Ok(ExpectedEvent { at: r.time(at, start)?, user, app, reason })
}
