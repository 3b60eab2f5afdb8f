//! Properties of the engine over random timelines: one user, one or two
//! devices, random policies and random steps over two days. Each case is
//! written as a scenario file and loaded through `casim::scenario::load`, so
//! the generated documents also exercise the parser and resolver. Property
//! (e) generates persona files instead, and checks what `casim generate`
//! makes of them.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};

use casim::engine::{self, Options, Outcome, Reason};
use casim::scenario::{self, Scenario};
use proptest::prelude::*;
use proptest::sample::select;

const MINUTE: i64 = 60;
const HOUR: i64 = 3600;
const DAY: i64 = 86_400;
/// The documented default of `every_time_skew` (R-ET-1).
const EVERY_TIME_SKEW: i64 = 5 * MINUTE;
/// Steps fall in the first two days.
const TIMELINE_MINUTES: u32 = 2 * 24 * 60;

// ----- what is generated ----------------------------------------------------------

#[derive(Debug, Clone)]
struct GenDevice {
    join: &'static str,
    browser: &'static str,
    sign_in: &'static str,
}

#[derive(Debug, Clone, Copy)]
enum GenSif {
    Hours(u32),
    Days(u32),
    EveryTime,
}

impl GenSif {
    fn text(self) -> String {
        match self {
            GenSif::Hours(h) => format!("{h}h"),
            GenSif::Days(d) => format!("{d}d"),
            GenSif::EveryTime => "every_time".to_string(),
        }
    }

    fn seconds(self) -> Option<i64> {
        match self {
            GenSif::Hours(h) => Some(i64::from(h) * HOUR),
            GenSif::Days(d) => Some(i64::from(d) * DAY),
            GenSif::EveryTime => None,
        }
    }
}

#[derive(Debug, Clone)]
struct GenPolicy {
    sif: Option<GenSif>,
    mfa: bool,
    /// `None`: `apps: all`.
    app: Option<&'static str>,
}

#[derive(Debug, Clone)]
enum GenAction {
    SignInDevice,
    Lock,
    Unlock,
    Use {
        app: &'static str,
        client: &'static str,
        /// Minutes after `at`; `None`: a single interaction.
        until: Option<u32>,
    },
    Background {
        app: &'static str,
        client: &'static str,
        until: u32,
    },
    CloseBrowser,
    OpenBrowser,
    PasswordChange,
    RevokeSessions,
}

#[derive(Debug, Clone)]
struct GenStep {
    minute: u32,
    /// Taken modulo the number of devices.
    device: usize,
    action: GenAction,
}

#[derive(Debug, Clone)]
struct GenScenario {
    seed: u32,
    evaluation: &'static str,
    stay_signed_in: bool,
    devices: Vec<GenDevice>,
    policies: Vec<GenPolicy>,
    steps: Vec<GenStep>,
}

// ----- strategies -----------------------------------------------------------------

const APPS: [&str; 5] = ["sharepoint", "exchange", "teams", "graph", "avd"];
const CLIENTS: [&str; 4] = ["browser", "desktop", "mobile", "confidential"];

fn device() -> impl Strategy<Value = GenDevice> {
    (
        select(vec!["entra_joined", "hybrid_joined", "registered", "unregistered"]),
        select(vec!["edge", "chrome_sso", "chrome", "firefox", "safari"]),
        select(vec!["password", "windows_hello"]),
    )
        .prop_map(|(join, browser, sign_in)| GenDevice { join, browser, sign_in })
}

fn periodic_sif() -> impl Strategy<Value = GenSif> {
    prop_oneof![
        3 => (1u32..=23).prop_map(GenSif::Hours),
        1 => (1u32..=3).prop_map(GenSif::Days),
        1 => (4u32..=365).prop_map(GenSif::Days),
    ]
}

fn any_sif() -> impl Strategy<Value = GenSif> {
    prop_oneof![4 => periodic_sif(), 1 => Just(GenSif::EveryTime)]
}

fn policy_app() -> impl Strategy<Value = Option<&'static str>> {
    prop_oneof![3 => Just(None), 1 => select(APPS.to_vec()).prop_map(Some)]
}

fn random_policy() -> impl Strategy<Value = GenPolicy> {
    (proptest::option::of(any_sif()), any::<bool>(), policy_app()).prop_map(|(sif, mfa, app)| GenPolicy {
        sif,
        mfa,
        app,
    })
}

/// The scenario's only policy: a sign-in frequency from `sif`, perhaps with
/// an MFA grant.
fn only_policy(sif: impl Strategy<Value = GenSif>) -> impl Strategy<Value = Vec<GenPolicy>> {
    (sif, any::<bool>(), policy_app()).prop_map(|(sif, mfa, app)| vec![GenPolicy { sif: Some(sif), mfa, app }])
}

fn action() -> impl Strategy<Value = GenAction> {
    let app = || select(APPS.to_vec());
    let client = || select(CLIENTS.to_vec());
    prop_oneof![
        2 => Just(GenAction::SignInDevice),
        2 => Just(GenAction::Lock),
        2 => Just(GenAction::Unlock),
        5 => (app(), client(), proptest::option::of(1u32..=600))
            .prop_map(|(app, client, until)| GenAction::Use { app, client, until }),
        2 => (app(), client(), 1u32..=900)
            .prop_map(|(app, client, until)| GenAction::Background { app, client, until }),
        1 => Just(GenAction::CloseBrowser),
        1 => Just(GenAction::OpenBrowser),
        1 => Just(GenAction::PasswordChange),
        1 => Just(GenAction::RevokeSessions),
    ]
}

fn step() -> impl Strategy<Value = GenStep> {
    (0..TIMELINE_MINUTES, 0usize..2, action()).prop_map(|(minute, device, action)| GenStep { minute, device, action })
}

fn scenario_with(policies: impl Strategy<Value = Vec<GenPolicy>>) -> impl Strategy<Value = GenScenario> {
    (
        0u32..1_000_000,
        select(vec!["interaction", "token"]),
        any::<bool>(),
        proptest::collection::vec(device(), 1..=2),
        policies,
        proptest::collection::vec(step(), 0..=30),
    )
        .prop_map(|(seed, evaluation, stay_signed_in, devices, policies, steps)| GenScenario {
            seed,
            evaluation,
            stay_signed_in,
            devices,
            policies,
            steps,
        })
}

fn any_scenario() -> impl Strategy<Value = GenScenario> {
    scenario_with(proptest::collection::vec(random_policy(), 0..=3))
}

// ----- rendering and loading ------------------------------------------------------

fn time(minute: u32) -> String {
    format!("\"{}d {:02}:{:02}\"", minute / (24 * 60), minute % (24 * 60) / 60, minute % 60)
}

fn render(g: &GenScenario) -> String {
    let mut y = String::new();
    let _ = writeln!(y, "name: generated");
    let _ = writeln!(y, "seed: {}", g.seed);
    let _ = writeln!(y, "settings: {{ evaluation: {} }}", g.evaluation);
    let _ = writeln!(y, "users:");
    let _ = writeln!(y, "  alice: {{ stay_signed_in: {} }}", g.stay_signed_in);
    let _ = writeln!(y, "devices:");
    for (i, d) in g.devices.iter().enumerate() {
        let _ =
            writeln!(y, "  d{i}: {{ owner: alice, join: {}, browser: {}, sign_in: {} }}", d.join, d.browser, d.sign_in);
    }
    let _ = writeln!(y, "policies:");
    if g.policies.is_empty() {
        y.pop();
        let _ = writeln!(y, " []");
    }
    for (i, p) in g.policies.iter().enumerate() {
        let _ = writeln!(y, "  - name: policy {i}");
        let _ = writeln!(y, "    users: all");
        match p.app {
            Some(app) => {
                let _ = writeln!(y, "    apps: [{app}]");
            }
            None => {
                let _ = writeln!(y, "    apps: all");
            }
        }
        if p.mfa {
            let _ = writeln!(y, "    grant: mfa");
        }
        if let Some(sif) = p.sif {
            let _ = writeln!(y, "    session: {{ sign_in_frequency: {} }}", sif.text());
        }
    }
    let _ = writeln!(y, "timeline:");
    if g.steps.is_empty() {
        y.pop();
        let _ = writeln!(y, " []");
    }
    for s in &g.steps {
        let at = time(s.minute);
        let device = format!("d{}", s.device % g.devices.len());
        let fields = match &s.action {
            GenAction::SignInDevice => format!("do: sign_in_device, device: {device}"),
            GenAction::Lock => format!("do: lock, device: {device}"),
            GenAction::Unlock => format!("do: unlock, device: {device}"),
            GenAction::Use { app, client, until } => {
                let mut f = format!("do: use, device: {device}, app: {app}, client: {client}");
                if let Some(until) = until {
                    let _ = write!(f, ", until: {}", time(s.minute + until));
                }
                f
            }
            GenAction::Background { app, client, until } => format!(
                "do: background, device: {device}, app: {app}, client: {client}, until: {}",
                time(s.minute + until)
            ),
            GenAction::CloseBrowser => format!("do: close_browser, device: {device}"),
            GenAction::OpenBrowser => format!("do: open_browser, device: {device}"),
            GenAction::PasswordChange => "do: password_change, user: alice".to_string(),
            GenAction::RevokeSessions => "do: revoke_sessions, user: alice".to_string(),
        };
        let _ = writeln!(y, "  - {{ at: {at}, {fields} }}");
    }
    y
}

static CASE: AtomicUsize = AtomicUsize::new(0);

/// Writes the generated scenario to a folder of its own under the temp dir
/// and loads it; the folder is removed again.
fn load(g: &GenScenario) -> Result<Scenario, TestCaseError> {
    let text = render(g);
    let dir = std::env::temp_dir().join(format!(
        "casim-props-{}-{}",
        std::process::id(),
        CASE.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).expect("create the scratch folder");
    let path = dir.join("generated.yaml");
    std::fs::write(&path, &text).expect("write the scenario");
    let loaded = scenario::load(&path);
    let _ = std::fs::remove_dir_all(&dir);
    loaded
        .map_err(|e| TestCaseError::fail(format!("the generated scenario does not load:\n{}\n---\n{text}", e.render())))
}

fn simulate(s: &Scenario) -> Outcome {
    engine::simulate(s, Options::default())
}

/// 96 cases a property, unless `PROPTEST_CASES` asks for more (or fewer).
fn config() -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 96;
    }
    config
}

// ----- properties -------------------------------------------------------------------

proptest! {
    #![proptest_config(config())]

    /// (a) No generated timeline makes the engine panic (traced or not).
    #[test]
    fn simulation_never_panics(g in any_scenario()) {
        let s = load(&g)?;
        let _ = engine::simulate(&s, Options::default());
        let _ = engine::simulate(&s, Options { trace: true, ..Options::default() });
    }

    /// (b) R-SIF-1: with one time-based sign-in frequency S, every sign-in
    /// frequency prompt names the auth instant t that expired, and comes at
    /// or after t + S.
    #[test]
    fn sign_in_frequency_prompts_come_after_the_frequency(
        g in scenario_with(only_policy(periodic_sif()))
    ) {
        let s = load(&g)?;
        let frequency = g.policies[0].sif.and_then(GenSif::seconds).expect("periodic");
        let outcome = simulate(&s);
        for p in outcome.prompts.iter().filter(|p| p.reason == Reason::SignInFrequency) {
            let Some(t) = p.expired_auth_instant else {
                return Err(TestCaseError::fail(format!(
                    "sign-in frequency prompt without expired_auth_instant: {p:#?}\n---\n{}",
                    render(&g)
                )));
            };
            prop_assert!(
                p.at >= t + frequency,
                "prompt at {} but the auth instant {} expires only at {} (SIF {}s): {:#?}\n---\n{}",
                p.at, t, t + frequency, frequency, p, render(&g)
            );
        }
    }

    /// (c) R-ET-1: with only an every-time policy, a full sign-in less than
    /// every_time_skew ago satisfies it, so two every-time prompts for the
    /// same user and device are at least 5 minutes apart.
    #[test]
    fn every_time_prompts_are_five_minutes_apart(
        g in scenario_with(only_policy(Just(GenSif::EveryTime)))
    ) {
        let s = load(&g)?;
        let outcome = simulate(&s);
        let mut by_user_device: BTreeMap<(usize, usize), Vec<&engine::Prompt>> = BTreeMap::new();
        for p in outcome.prompts.iter().filter(|p| p.reason == Reason::EveryTime) {
            by_user_device.entry((p.access.user.0, p.access.device.0)).or_default().push(p);
        }
        for prompts in by_user_device.values_mut() {
            prompts.sort_by_key(|p| p.at);
            for pair in prompts.windows(2) {
                prop_assert!(
                    pair[1].at - pair[0].at >= EVERY_TIME_SKEW,
                    "every-time prompts {}s apart:\n{:#?}\n{:#?}\n---\n{}",
                    pair[1].at - pair[0].at, pair[0], pair[1], render(&g)
                );
            }
        }
    }

    /// (d) Simulation is deterministic: the same scenario gives the same
    /// outcome and the same JSON report.
    #[test]
    fn simulation_is_deterministic(g in any_scenario()) {
        let s = load(&g)?;
        let first = simulate(&s);
        let second = simulate(&s);
        prop_assert_eq!(&first, &second);
        let json = || casim::report::run::render(&s, casim::report::run::Format::Json, Options::default()).ok();
        prop_assert_eq!(json(), json());
        let traced = (
            engine::simulate(&s, Options { trace: true, ..Options::default() }),
            engine::simulate(&s, Options { trace: true, ..Options::default() }),
        );
        prop_assert_eq!(&traced.0, &traced.1);
    }
}

// ----- persona files ----------------------------------------------------------------
//
// (e) docs/personas.md: "a persona file casim accepts always generates a
// scenario that `casim validate` accepts". Persona files are generated over
// the whole format (names with YAML's special characters, devices, custom
// apps, routine steps, jitter), some of them refused; every accepted one goes
// through `population::generate` as `casim generate` calls it, and the
// scenario reader must accept the result.

use casim::scenario::population;

/// Names and keys as text: YAML indicators, words YAML 1.1 reads as other
/// types, quotes, spaces at the ends, line breaks, non-ASCII.
fn persona_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-z][a-z0-9_-]{0,11}",
        3 => "[-a-zA-Z0-9 :#&*!|>'\"%@`,?{}\\[\\]~=<.\\\\/éß日\u{1F600}\t]{1,16}",
        2 => select(vec![
            "yes", "no", "on", "off", "null", "~", "true", "1e3", "0x1F", "012", ".inf", "-", "- a", "a: b",
            "#x", "a #b", "&anchor", "*alias", "!tag", "!!str", "'q'", "\"dq\"", "? k", "| x", "> x", "%YAML",
            "@at", "`tick", "{a}", "[b]", "x,y", " lead", "trail ", "a\nb", "tab\there", "back\\slash",
            "\u{85}nel", "\u{feff}bom", "日本語", "<<", "=", "---", "...",
        ])
        .prop_map(String::from),
    ]
}

/// A YAML double-quoted scalar (JSON's escapes are YAML's).
fn quoted(text: &str) -> String {
    let mut q = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            c if c.is_control() || c == '\u{feff}' || c == '\u{2028}' || c == '\u{2029}' => {
                let _ = write!(q, "\\u{:04x}", c as u32);
            }
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const PERSONA_APPS: [&str; 6] = ["sharepoint", "exchange", "teams", "office", "azure_portal", "graph"];

#[derive(Debug, Clone)]
struct GenPersonaDevice {
    key: String,
    join: Option<&'static str>,
    platform: Option<&'static str>,
    sign_in: Option<&'static str>,
    browser: Option<&'static str>,
    compliant: Option<bool>,
}

#[derive(Debug, Clone)]
struct GenPersonaApp {
    key: String,
    name: String,
    app_id: u32,
    fresh: Option<bool>,
}

#[derive(Debug, Clone)]
struct GenRoutineStep {
    /// Minutes from the start of the day (up to two days).
    at: u32,
    action: &'static str,
    device: usize,
    /// An index into the built-in apps, then the persona's own.
    app: Option<usize>,
    client: Option<&'static str>,
    /// Minutes after `at`.
    until: Option<u32>,
    on_prompt: Option<&'static str>,
    jitter: Option<&'static str>,
    on: Option<Vec<&'static str>>,
}

#[derive(Debug, Clone)]
struct GenPersona {
    name: String,
    description: Option<String>,
    share: Option<f64>,
    stay_signed_in: Option<bool>,
    guest: Option<bool>,
    roles: Vec<String>,
    groups: Vec<String>,
    devices: Vec<GenPersonaDevice>,
    apps: Vec<GenPersonaApp>,
    days: Vec<&'static str>,
    start: u32,
    start_jitter: Option<&'static str>,
    day_off_share: Option<f64>,
    sick_share: Option<f64>,
    routine: Vec<GenRoutineStep>,
}

#[derive(Debug, Clone)]
struct GenPersonaFile {
    personas: Vec<GenPersona>,
    users: usize,
    days: u32,
    seed: u64,
}

/// Durations up to the limit of 1d, and one over it (refused).
fn jitter() -> impl Strategy<Value = Option<&'static str>> {
    proptest::option::of(prop_oneof![
        30 => select(vec!["0m", "5m", "30m", "1h", "90m", "12h", "1d"]),
        1 => Just("25h"),
    ])
}

fn persona_device() -> impl Strategy<Value = GenPersonaDevice> {
    (
        persona_text(),
        proptest::option::of(select(vec!["entra_joined", "hybrid_joined", "registered", "unregistered"])),
        proptest::option::of(select(vec!["windows", "macOS", "iOS", "android", "linux"])),
        proptest::option::of(select(vec!["password", "windows_hello"])),
        proptest::option::of(select(vec!["edge", "chrome_sso", "chrome", "firefox", "safari"])),
        proptest::option::of(any::<bool>()),
        proptest::bool::weighted(0.1),
    )
        .prop_map(|(key, join, platform, sign_in, browser, compliant, stray)| {
            // Only a registered or joined device can be compliant; now and
            // then an unregistered one claims it (refused).
            let registered = join.is_some_and(|j| j != "unregistered");
            let compliant = compliant.filter(|c| !c || registered || stray);
            GenPersonaDevice { key, join, platform, sign_in, browser, compliant }
        })
}

fn persona_app() -> impl Strategy<Value = GenPersonaApp> {
    (persona_text(), persona_text(), any::<u32>(), proptest::option::of(any::<bool>()))
        .prop_map(|(key, name, app_id, fresh)| GenPersonaApp { key, name, app_id, fresh })
}

fn routine_step() -> impl Strategy<Value = GenRoutineStep> {
    (
        (
            0u32..2 * 24 * 60,
            select(vec![
                "sign_in_device",
                "lock",
                "unlock",
                "sign_out_device",
                "use",
                "use",
                "use",
                "background",
                "close_browser",
                "open_browser",
            ]),
            0usize..3,
            proptest::option::of(0usize..PERSONA_APPS.len() + 2),
            proptest::option::of(select(CLIENTS.to_vec())),
        ),
        (
            proptest::option::of(1u32..=600),
            proptest::option::of(select(vec!["answer", "fail", "abandon"])),
            jitter(),
            proptest::option::of(proptest::sample::subsequence(WEEKDAYS.to_vec(), 0..=7)),
            proptest::bool::weighted(0.05),
        ),
    )
        .prop_map(|((at, action, device, app, client), (until, on_prompt, jitter, on, stray))| {
            // Mostly the fields the action takes (docs/scenario-format.md);
            // now and then all of them, which the loader must refuse.
            let mut step = GenRoutineStep { at, action, device, app, client, until, on_prompt, jitter, on };
            if !stray {
                let (app, client, until, on_prompt) = match action {
                    "use" => (true, true, true, true),
                    "background" => (true, true, true, false),
                    _ => (false, false, false, false),
                };
                step.app = if app { Some(step.app.unwrap_or(0)) } else { None };
                step.client = step.client.filter(|_| client);
                step.until = match action {
                    "background" => Some(step.until.unwrap_or(60)),
                    _ => step.until.filter(|_| until),
                };
                step.on_prompt = step.on_prompt.filter(|_| on_prompt);
            }
            step
        })
}

fn share() -> impl Strategy<Value = Option<f64>> {
    proptest::option::of(prop_oneof![30 => (0u32..=100).prop_map(|n| f64::from(n) / 100.0), 1 => Just(1.5)])
}

fn persona() -> impl Strategy<Value = GenPersona> {
    (
        (
            persona_text(),
            proptest::option::of(persona_text()),
            share(),
            proptest::option::of(any::<bool>()),
            proptest::option::of(any::<bool>()),
            proptest::collection::vec(persona_text(), 0..=2),
            proptest::collection::vec(persona_text(), 0..=2),
        ),
        (
            proptest::collection::vec(persona_device(), 1..=3),
            proptest::collection::vec(persona_app(), 0..=2),
            proptest::sample::subsequence(WEEKDAYS.to_vec(), 1..=7),
            0u32..24 * 60,
            jitter(),
            share(),
            share(),
            proptest::collection::vec(routine_step(), 0..=8),
        ),
    )
        .prop_map(
            |(
                (name, description, share, stay_signed_in, guest, roles, groups),
                (devices, apps, days, start, start_jitter, day_off_share, sick_share, routine),
            )| GenPersona {
                name,
                description,
                share,
                stay_signed_in,
                guest,
                roles,
                groups,
                devices,
                apps,
                days,
                start,
                start_jitter,
                day_off_share,
                sick_share,
                routine,
            },
        )
}

fn persona_file() -> impl Strategy<Value = GenPersonaFile> {
    (proptest::collection::vec(persona(), 1..=3), 1usize..=6, 1u32..=14, any::<u64>())
        .prop_map(|(personas, users, days, seed)| GenPersonaFile { personas, users, days, seed })
}

fn offset(minutes: u32) -> String {
    let (days, minutes) = (minutes / (24 * 60), minutes % (24 * 60));
    if days == 0 {
        format!("\"{:02}:{:02}\"", minutes / 60, minutes % 60)
    } else {
        format!("\"{days}d {:02}:{:02}\"", minutes / 60, minutes % 60)
    }
}

fn flow_list(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

fn render_personas(file: &GenPersonaFile) -> String {
    let mut y = String::from("# generated by tests/integration/properties.rs\n");
    for p in &file.personas {
        let _ = writeln!(y, "- name: {}", quoted(&p.name));
        if let Some(d) = &p.description {
            let _ = writeln!(y, "  description: {}", quoted(d));
        }
        if let Some(s) = p.share {
            let _ = writeln!(y, "  share: {s}");
        }
        let mut user = Vec::new();
        if let Some(s) = p.stay_signed_in {
            user.push(format!("stay_signed_in: {s}"));
        }
        if let Some(g) = p.guest {
            user.push(format!("type: {}", if g { "guest" } else { "member" }));
        }
        if !p.roles.is_empty() {
            user.push(format!("roles: {}", flow_list(&p.roles.iter().map(|r| quoted(r)).collect::<Vec<_>>())));
        }
        if !p.groups.is_empty() {
            user.push(format!("groups: {}", flow_list(&p.groups.iter().map(|g| quoted(g)).collect::<Vec<_>>())));
        }
        if !user.is_empty() {
            let _ = writeln!(y, "  user: {{ {} }}", user.join(", "));
        }
        let _ = writeln!(y, "  devices:");
        for d in &p.devices {
            let mut fields = Vec::new();
            for (k, v) in [("join", d.join), ("platform", d.platform), ("sign_in", d.sign_in), ("browser", d.browser)] {
                if let Some(v) = v {
                    fields.push(format!("{k}: {v}"));
                }
            }
            if let Some(c) = d.compliant {
                fields.push(format!("compliant: {c}"));
            }
            let _ = writeln!(y, "    {}: {{ {} }}", quoted(&d.key), fields.join(", "));
        }
        if !p.apps.is_empty() {
            let _ = writeln!(y, "  apps:");
            for a in &p.apps {
                let mut fields = vec![
                    format!("name: {}", quoted(&a.name)),
                    format!("app_id: {:08x}-78ba-4d2f-a4b7-768e336e890e", a.app_id),
                ];
                if let Some(f) = a.fresh {
                    fields.push(format!("fresh_token_each_use: {f}"));
                }
                let _ = writeln!(y, "    {}: {{ {} }}", quoted(&a.key), fields.join(", "));
            }
        }
        let _ = writeln!(y, "  schedule:");
        let _ = writeln!(y, "    days: {}", flow_list(&p.days.iter().map(|d| d.to_string()).collect::<Vec<_>>()));
        let _ = writeln!(y, "    start: {}", offset(p.start));
        if let Some(j) = p.start_jitter {
            let _ = writeln!(y, "    start_jitter: {j}");
        }
        if let Some(s) = p.day_off_share {
            let _ = writeln!(y, "    day_off_share: {s}");
        }
        if let Some(s) = p.sick_share {
            let _ = writeln!(y, "    sick_share: {s}");
        }
        if p.routine.is_empty() {
            let _ = writeln!(y, "  routine: []");
            continue;
        }
        let _ = writeln!(y, "  routine:");
        for s in &p.routine {
            let device = &p.devices[s.device % p.devices.len()].key;
            let mut fields = vec![format!("at: {}", offset(s.at)), format!("do: {}", s.action)];
            fields.push(format!("device: {}", quoted(device)));
            if let Some(app) = s.app {
                let key = match PERSONA_APPS.get(app) {
                    Some(builtin) => builtin.to_string(),
                    None => p.apps.get(app - PERSONA_APPS.len()).map_or("teams".to_string(), |a| a.key.clone()),
                };
                fields.push(format!("app: {}", quoted(&key)));
            }
            if let Some(c) = s.client {
                fields.push(format!("client: {c}"));
            }
            if let Some(u) = s.until {
                fields.push(format!("until: {}", offset(s.at + u)));
            }
            if let Some(o) = s.on_prompt {
                fields.push(format!("on_prompt: {o}"));
            }
            if let Some(j) = s.jitter {
                fields.push(format!("jitter: {j}"));
            }
            if let Some(on) = &s.on {
                fields.push(format!("on: {}", flow_list(&on.iter().map(|d| d.to_string()).collect::<Vec<_>>())));
            }
            let _ = writeln!(y, "    - {{ {} }}", fields.join(", "));
        }
    }
    y
}

/// 64 cases, unless `PROPTEST_CASES` asks for more (or fewer); refused
/// persona files and populations do not count, so each case is an accepted
/// file (proptest gives up if too few are).
fn persona_config() -> ProptestConfig {
    let mut config = config();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 64;
    }
    config.max_global_rejects = 4096;
    config
}

proptest! {
    #![proptest_config(persona_config())]

    /// (e) An accepted persona file generates a scenario that the scenario
    /// reader accepts (`casim generate --personas FILE`, then `casim validate`).
    #[test]
    fn accepted_persona_files_generate_readable_scenarios(file in persona_file()) {
        let text = render_personas(&file);
        let path = std::path::Path::new("personas.yaml");
        let personas = population::personas_from_str(path, &text);
        prop_assume!(personas.is_ok(), "refused persona file");
        let mix = population::split(personas.expect("accepted"), file.users);
        let start = casim::time::DEFAULT_START;
        let checked = population::check_size(&mix, file.days, start)
            .and_then(|()| population::check_working_day(&mix, file.days, start));
        prop_assume!(checked.is_ok(), "refused population");
        let generated = population::generate(&mix, file.days, file.seed, start);
        let generated = match generated {
            Ok(g) => g,
            Err(e) => return Err(TestCaseError::fail(format!("generate failed: {e}\n--- personas:\n{text}"))),
        };
        if let Err(e) = scenario::from_str(std::path::Path::new("generated.yaml"), &generated) {
            return Err(TestCaseError::fail(format!(
                "an accepted persona file generated a refused scenario:\n{}\n--- personas:\n{text}\n--- generated:\n{generated}",
                e.render()
            )));
        }
    }
}

/// Two real-shaped records (Graph, then a Log Analytics row with nested
/// columns as strings): what the sign-in log property mutates.
const LOG_SEED: &str = concat!(
    r#"{"createdDateTime":"2026-01-05T09:00:00Z","userPrincipalName":"ann@contoso.com","appId":"00000003-0000-0ff1-ce00-000000000000","clientAppUsed":"Browser","isInteractive":true,"status":{"errorCode":0},"deviceDetail":{"deviceId":"d1","trustType":"Azure AD joined","operatingSystem":"Windows10","browser":"Edge 131"}}"#,
    "\n",
    r#"{"TimeGenerated":"2026-01-05T10:00:00Z","UserPrincipalName":"ann@contoso.com","AppId":"x","ClientAppUsed":"Mobile Apps and Desktop clients","IsInteractive":false,"ResultType":"70043","DeviceDetail":"{\"deviceId\":\"d1\"}","LocationDetails":"{\"countryOrRegion\":\"fr\"}"}"#,
    "\n"
);

proptest! {
    #![proptest_config(config())]

    /// (f) Sign-in log bytes, mutated from real-shaped records or arbitrary,
    /// end in a replay or an error through `casim replay`'s reader, sort and
    /// rebuilder: never a panic (the fuzz target's entry point).
    #[test]
    fn signin_log_bytes_end_in_ok_or_err(
        edits in proptest::collection::vec((0usize..2048, any::<u8>()), 0..6),
        cut in 0usize..2048,
        wrap in 0usize..4,
        noise in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        let mut bytes = LOG_SEED.as_bytes().to_vec();
        for (at, b) in edits {
            let i = at % bytes.len();
            bytes[i] = b;
        }
        bytes.truncate(cut.max(1).min(bytes.len()));
        let bytes = match wrap {
            0 => bytes,
            1 => [b"[".as_slice(), &bytes.split(|&b| b == b'\n').collect::<Vec<_>>().join(&b","[..]), b"]"].concat(),
            2 => [b"{\"value\":[".as_slice(), &bytes, b"]}"].concat(),
            _ => noise,
        };
        casim::fuzzing::signin_logs(&bytes);
    }
}
