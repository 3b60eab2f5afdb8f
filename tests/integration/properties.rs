//! Properties of the engine over random timelines: one user, one or two
//! devices, random policies and random steps over two days. Each case is
//! written as a scenario file and loaded through `casim::scenario::load`, so
//! the generated documents also exercise the parser and resolver.

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
        let mut by_user_device: BTreeMap<(&str, &str), Vec<&engine::Prompt>> = BTreeMap::new();
        for p in outcome.prompts.iter().filter(|p| p.reason == Reason::EveryTime) {
            by_user_device.entry((&p.user, &p.device)).or_default().push(p);
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
        prop_assert_eq!(
            casim::report::json::render(&s, &first),
            casim::report::json::render(&s, &second)
        );
        let traced = (
            engine::simulate(&s, Options { trace: true, ..Options::default() }),
            engine::simulate(&s, Options { trace: true, ..Options::default() }),
        );
        prop_assert_eq!(&traced.0, &traced.1);
    }
}
