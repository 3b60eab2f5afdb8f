//! The `casim` command line. `run`, `check` and `validate` live here; the
//! sign-in log commands in `logs` and `explain`.

mod ci_format;
mod diff;
mod evaluation;
mod explain;
mod files;
mod generate;
mod log_sink;
mod logs;
mod merge;
mod output;
mod policies;
mod replay;
#[path = "report.rs"]
mod report_cmd; // `report` is the crate's rendering module, imported below
mod run_out;
mod snapshot;
mod whatif;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use self::ci_format::CiFormat;
use self::evaluation::EvaluationFlag;
use self::output::{Mode, Stdout};
use self::run_out::RunOut;
use crate::engine::{self, Options};
use crate::error::InputError;
use crate::scenario::{self, Scenario};
use crate::{check, report};

#[derive(Parser)]
#[command(
    name = "casim",
    version,
    about = "Conditional Access session-lifetime simulator: replays timelines of what users do and reports every sign-in prompt"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

// Parsed once per process: the size of the biggest arguments is no cost.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Simulate scenarios and print every prompt.
    #[command(after_help = "Examples:
  casim run scenarios/
  casim run scenarios/example-3-scenario-2.yaml --format json
  casim run scenarios/work-week.yaml --policies examples/policies/proposed.yaml
  casim run scenarios/work-week.yaml --trace
  casim run scenarios/population-office.yaml                 # the population's summary by persona, join type...
  casim run scenarios/population-office.yaml --every-prompt  # every prompt of every user
  casim run scenarios/population-office.yaml --format parquet -o prompts.parquet
  casim run scenarios/token-evaluation-mode.yaml --evaluation interaction")]
    Run {
        /// Scenario files, or folders searched for .yaml files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format; `partial` is one shard's share of a population for `casim merge` (docs/scale.md);
        /// `parquet` one row per prompt (the JSON's `prompts` items) in -o FILE.
        #[arg(long, value_enum, default_value_t = RunFormat::Text)]
        format: RunFormat,
        /// Write to this file, whole or not at all, instead of standard output (needed for --format parquet).
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Policies that replace each scenario's policies: a YAML list, a Graph export, or `none` (docs/policies.md).
        #[arg(long, value_name = "FILE")]
        policies: Option<PathBuf>,
        /// With --format partial: only the users of shard K of N of a population (docs/scale.md).
        #[arg(long, value_name = "K/N", value_parser = crate::shard::Shard::parse)]
        shard: Option<crate::shard::Shard>,
        /// Print every engine event with its instant before the results.
        #[arg(long)]
        trace: bool,
        /// For a population: list every prompt, block and finding in the text instead of the
        /// population's summary and its tables by persona, group, join type and platform.
        #[arg(long)]
        every_prompt: bool,
        /// Print events processed, users, simulated user-days, wall time (loading and simulating apart)
        /// and events per second (on stderr).
        #[arg(long)]
        stats: bool,
        #[command(flatten)]
        evaluation: EvaluationFlag,
    },
    /// Run scenarios that have an `expect:` block and compare the prompts.
    #[command(after_help = "Exit status: 0 when all pass, 1 when any fails, 2 on input casim cannot use.

With --format junit or markdown the same verdicts are written as JUnit XML (a
test case a scenario; one without `expect:` is skipped) or as a Markdown
summary for a pull-request comment (docs/ci.md); the exit status is the same.

Examples:
  casim check scenarios/
  casim check scenarios/work-week.yaml scenarios/example-3-scenario-2.yaml --policies examples/policies/proposed.yaml
  casim check scenarios/ --format junit")]
    Check {
        /// Scenario files, or folders searched for .yaml files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Policies that replace each scenario's policies: a YAML list, a Graph export, or `none` (docs/policies.md).
        #[arg(long, value_name = "FILE")]
        policies: Option<PathBuf>,
        /// Output format: the text, JUnit XML or a Markdown summary (docs/ci.md).
        #[arg(long, value_enum, default_value_t = CiFormat::Text)]
        format: CiFormat,
    },
    /// Parse and resolve scenarios without simulating them.
    #[command(after_help = "Examples:
  casim validate scenarios/
  casim validate scenarios/example-3-scenario-2.yaml")]
    Validate {
        /// Scenario files, or folders searched for .yaml files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Policies to validate against each scenario: a YAML list, a Graph export, or `none` (docs/policies.md).
        #[arg(long, value_name = "FILE")]
        policies: Option<PathBuf>,
    },
    /// Print the sign-in log records a scenario produces, as Entra would write them.
    #[command(after_help = logs::AFTER_HELP)]
    Logs(logs::LogsArgs),
    /// Show one sign-in record like the portal's activity details, and why casim wrote it.
    #[command(after_help = explain::AFTER_HELP)]
    Explain(explain::ExplainArgs),
    /// One sign-in instant, like Microsoft's What If: which policies apply, why not, and the outcome.
    #[command(name = "whatif", after_help = whatif::AFTER_HELP)]
    WhatIf(whatif::WhatIfArgs),
    /// Show or lint Conditional Access policies (casim YAML or Graph JSON exports).
    #[command(after_help = policies::AFTER_HELP)]
    Policies {
        #[command(subcommand)]
        command: policies::PoliciesCommand,
    },
    /// Write a population scenario whose users follow personas (docs/personas.md).
    #[command(after_help = "Examples:
  casim generate --users 100 --days 30 --seed 7 -o population.yaml
  casim generate --persona office_worker --users 10 --days 5
  casim generate --personas examples/my-personas.yaml --users 500 --days 14 -o mine.yaml")]
    Generate(generate::GenerateArgs),
    /// Compare prompts under two policy sets over the same timelines (docs/diff.md).
    #[command(after_help = diff::AFTER_HELP)]
    Diff(diff::DiffArgs),
    /// Write or check `<scenario>.prompts.snap` prompt snapshots (docs/ci.md).
    #[command(after_help = snapshot::AFTER_HELP)]
    Snapshot(snapshot::SnapshotArgs),
    /// Write one self-contained HTML report: a timeline per user, and a before-and-after summary (docs/report.md).
    #[command(after_help = report_cmd::AFTER_HELP)]
    Report(report_cmd::ReportArgs),
    /// Replay a tenant's sign-in logs under a policy set, or two (docs/replay.md).
    #[command(after_help = replay::AFTER_HELP)]
    Replay(replay::ReplayArgs),
    /// Merge the partial results of shards into one output (docs/scale.md).
    #[command(after_help = merge::AFTER_HELP)]
    Merge(merge::MergeArgs),
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum RunFormat {
    Text,
    Json,
    Partial,
    Parquet,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

/// What `run` writes, once `casim run --format partial` went its own way.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RunShape {
    Text,
    Json,
    Parquet,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let (command, result) = match cli.command {
        Command::Run { paths, format, output, policies, shard, trace, every_prompt, stats, evaluation } => {
            match (format, shard) {
                (RunFormat::Partial, _) if output.is_some() => (
                    "run",
                    Err(Failure::usage(
                        "`casim run --format partial` writes to standard output, for `casim merge`: -o is for text, json and parquet",
                        Some(
                            "redirect it: casim run population.yaml --format partial --shard 1/2 > 1.partial"
                                .to_string(),
                        ),
                    )),
                ),
                (RunFormat::Partial, _) => {
                    ("run", run_partial(&paths, policies, shard, RunFlags { trace, every_prompt, evaluation }))
                }
                (_, Some(_)) => (
                    "run",
                    Err(Failure::usage(
                        "`casim run --shard` writes one shard's partial result: add `--format partial`, then `casim merge` the shards",
                        Some("docs/scale.md".to_string()),
                    )),
                ),
                (format, None) => {
                    let shape = match format {
                        RunFormat::Json => RunShape::Json,
                        RunFormat::Parquet => RunShape::Parquet,
                        // Partial is taken by the arms above.
                        RunFormat::Text | RunFormat::Partial => RunShape::Text,
                    };
                    ("run", run(&paths, shape, RunOptions { output, policies, trace, every_prompt, stats, evaluation }))
                }
            }
        }
        Command::Check { paths, policies, format } => ("check", check(&paths, policies, format)),
        Command::Validate { paths, policies } => ("validate", validate(&paths, policies)),
        Command::Logs(args) => return finish(logs::logs(args)),
        Command::Replay(args) => return finish(replay::replay(args)),
        Command::Merge(args) => return finish(merge::merge(args)),
        Command::Explain(args) => return finish(explain::explain(args)),
        Command::WhatIf(args) => return finish(whatif::whatif(args)),
        Command::Policies { command } => return finish(policies::policies(command)),
        Command::Generate(args) => ("generate", generate::run(args)),
        Command::Diff(args) => return finish(diff::diff(args)),
        Command::Snapshot(args) => ("snapshot", snapshot::run(args)),
        Command::Report(args) => return finish(report_cmd::report(args)),
    };
    finish(result.map_err(|f| (f, command)))
}

/// The exit status of a reader that went away: 128 + SIGPIPE, what a shell
/// reports for a Unix tool the signal ended (docs/output.md).
const CLOSED: u8 = 141;

/// Why a command stopped: input casim cannot use, arguments that do not fit
/// the scenario or each other, or output it could not write. The reader
/// going away (`Closed`) is no error and is not reported.
#[derive(Debug)]
pub(crate) enum Failure {
    // Boxed: the error carries its source text and spans, and travels only on the way out.
    Input(Box<InputError>),
    /// Every file `validate` and `check` could not use, each with its own position.
    Inputs(Vec<InputError>),
    Usage {
        message: String,
        help: Option<String>,
    },
    Write(std::io::Error),
    Closed,
}

impl Failure {
    pub(crate) fn usage(message: impl Into<String>, help: Option<String>) -> Failure {
        Failure::Usage { message: message.into(), help }
    }

    pub(crate) fn render(&self, command: &str) -> String {
        match self {
            Failure::Input(e) => e.render(),
            Failure::Inputs(errors) => {
                let mut out: Vec<String> = errors.iter().map(InputError::render).collect();
                out.push(format!("error: {} files could not be used", errors.len()));
                out.join("\n")
            }
            Failure::Usage { message, help } => {
                let mut out = format!("error: {message}");
                if let Some(help) = help {
                    out.push_str(&format!("\n  help: {help}"));
                }
                out.push_str(&format!("\n\nFor more information, try 'casim {command} --help'."));
                out
            }
            Failure::Write(e) => format!("error: casim {command}: cannot write to standard output: {e}"),
            Failure::Closed => String::new(),
        }
    }

    /// The crate's one mapping of failures to exit statuses: 2 for anything
    /// casim could not do (1 is kept for checks that ran and failed).
    fn exit_code(&self) -> ExitCode {
        match self {
            Failure::Closed => ExitCode::from(CLOSED),
            Failure::Input(_) | Failure::Inputs(_) | Failure::Usage { .. } | Failure::Write(_) => ExitCode::from(2),
        }
    }
}

impl From<crate::error::Problem> for Failure {
    fn from(p: crate::error::Problem) -> Failure {
        Failure::usage(p.message, p.help)
    }
}

impl From<InputError> for Failure {
    fn from(e: InputError) -> Failure {
        Failure::Input(Box::new(e))
    }
}

fn finish(result: Result<ExitCode, (Failure, &'static str)>) -> ExitCode {
    match result {
        Ok(code) => code,
        Err((failure, command)) => {
            if !matches!(failure, Failure::Closed) {
                output::stderr(&failure.render(command));
            }
            failure.exit_code()
        }
    }
}

/// Loads every scenario first, so that bad input stops the run before any output.
fn load_all(paths: &[PathBuf], policies: &Option<PathBuf>) -> Result<Vec<Scenario>, InputError> {
    let scenarios = scenario::load_all(paths, policies.as_deref())?;
    print_warnings(&scenarios);
    Ok(scenarios)
}

/// Loads every scenario as `load_all` does, but goes on past a file it
/// cannot use, so that `validate` and `check` report every bad file of a
/// library at once (issue 15), each error once (a bad `--policies` file
/// would otherwise be reported for every scenario).
fn load_every(paths: &[PathBuf], policies: &Option<PathBuf>) -> Result<Vec<Scenario>, Failure> {
    let files = scenario::collect_paths(paths)?;
    if files.is_empty() {
        return Err(InputError::new(&paths[0], None, "no .yaml scenario files found here").into());
    }
    let (mut scenarios, mut errors) = (Vec::new(), Vec::<InputError>::new());
    for file in &files {
        match load_one(file, policies) {
            Ok(s) => scenarios.push(s),
            Err(e) if errors.iter().any(|seen| seen.render() == e.render()) => {}
            Err(e) => errors.push(e),
        }
    }
    match errors.len() {
        0 => {
            print_warnings(&scenarios);
            Ok(scenarios)
        }
        1 => Err(errors.remove(0).into()),
        _ => Err(Failure::Inputs(errors)),
    }
}

/// What loading read but ignored (e.g. Graph fields casim does not model), once each.
fn print_warnings(scenarios: &[Scenario]) {
    let mut seen = std::collections::BTreeSet::new();
    for w in scenarios.iter().flat_map(|s| &s.warnings) {
        if seen.insert(w) {
            output::stderr(&format!("warning: {w}"));
        }
    }
}

/// Loads one scenario file, with its policies replaced by `--policies FILE`.
fn load_one(file: &std::path::Path, policies: &Option<PathBuf>) -> Result<Scenario, InputError> {
    scenario::load_with_policies(file, policies.as_deref())
}

/// `logs` and `explain` take one scenario file, not a folder.
fn load_single(path: &std::path::Path, policies: &Option<PathBuf>, command: &str) -> Result<Scenario, Failure> {
    if path.is_dir() {
        return Err(Failure::usage(
            format!("`casim {command}` takes one scenario file, and {} is a folder", path.display()),
            Some(format!("name a file, e.g. `casim {command} {}/<scenario>.yaml`", path.display())),
        ));
    }
    if !path.exists() {
        return Err(InputError::new(path, None, "no such file or folder").into());
    }
    let scenario = load_one(path, policies)?;
    if scenario.population.is_some() {
        return Err(Failure::usage(
            format!(
                "`casim {command}` needs a scenario with its users and timeline, and {} describes a population",
                path.display()
            ),
            Some(format!(
                "write the population out with `casim generate` (same personas, days and seed) and run `casim {command}` on that file"
            )),
        ));
    }
    print_warnings(std::slice::from_ref(&scenario));
    Ok(scenario)
}

/// `casim run --format partial [--shard K/N]`: one population's users of a shard, for `casim merge`.
fn run_partial(
    paths: &[PathBuf],
    policies: Option<PathBuf>,
    shard: Option<crate::shard::Shard>,
    flags: RunFlags,
) -> Result<ExitCode, Failure> {
    let mut scenarios = load_all(paths, &policies)?;
    scenarios.iter_mut().for_each(|s| flags.evaluation.apply(s));
    let [scenario] = scenarios.as_slice() else {
        return Err(Failure::usage(
            format!("`--format partial` takes one population scenario, and {} were given", scenarios.len()),
            None::<String>,
        ));
    };
    let mut files: Vec<&std::path::Path> = vec![scenario.path.as_path()];
    files.extend(policies.as_deref());
    let fingerprint = flags.evaluation.fingerprint(report::partial::fingerprint(&files));
    let mut out = Stdout::new(Mode::Data);
    let shard = shard.unwrap_or(crate::shard::Shard::ALL);
    report::partial::write_run(
        scenario,
        shard,
        Options { trace: flags.trace, every_prompt: flags.every_prompt, ..Options::default() },
        fingerprint,
        &mut out,
    )
    .map_err(run_failure)?;
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}

/// `casim run`'s flags besides the paths and the format.
struct RunOptions {
    output: Option<PathBuf>,
    policies: Option<PathBuf>,
    trace: bool,
    every_prompt: bool,
    stats: bool,
    evaluation: EvaluationFlag,
}

/// The flags of `casim run --format partial` besides its paths, policies and shard.
struct RunFlags {
    trace: bool,
    every_prompt: bool,
    evaluation: EvaluationFlag,
}

fn run(paths: &[PathBuf], format: RunShape, opts: RunOptions) -> Result<ExitCode, Failure> {
    let started = std::time::Instant::now();
    if let Some(output) = &opts.output {
        let inputs: Vec<&Path> = paths.iter().map(PathBuf::as_path).chain(opts.policies.as_deref()).collect();
        files::refuse_input_as_output(output, &inputs, "run")?;
    }
    let mut scenarios = load_all(paths, &opts.policies)?;
    scenarios.iter_mut().for_each(|s| opts.evaluation.apply(s));
    check_parquet(format, opts.output.as_deref(), scenarios.len())?;
    let mut totals = RunTotals { loading: started.elapsed(), ..RunTotals::default() };
    let mut out = RunOut::open(opts.output.as_deref(), format)?;
    let many = scenarios.len() > 1;
    let json = format == RunShape::Json;
    if json && many {
        out.write(b"[\n")?;
    }
    for (i, s) in scenarios.iter().enumerate() {
        let simulating = std::time::Instant::now();
        let options = Options {
            trace: opts.trace,
            population: s.is_population(),
            every_prompt: opts.every_prompt,
            ..Options::default()
        };
        let simulated = match format {
            RunShape::Text => report::run::write(s, report::run::Format::Text, options, out.writer()),
            RunShape::Json => report::run::write(s, report::run::Format::Json, options, out.writer()),
            RunShape::Parquet => report::run::write_parquet_prompts(s, options, out.writer()),
        }
        .map_err(|e| out.failure(e))?;
        totals.simulating += simulating.elapsed();
        totals.add(s, &simulated);
        if format != RunShape::Parquet {
            out.write(if json && many && i + 1 < scenarios.len() { b",\n" } else { b"\n" })?;
        }
    }
    if json && many {
        out.write(b"]\n")?;
    }
    out.finish()?;
    if opts.stats {
        output::stderr(&totals.render(started.elapsed()));
    }
    Ok(ExitCode::SUCCESS)
}

/// Parquet is a binary file of one scenario's prompts: never a terminal's.
fn check_parquet(format: RunShape, output: Option<&Path>, scenarios: usize) -> Result<(), Failure> {
    if format != RunShape::Parquet {
        return Ok(());
    }
    if output.is_none() {
        return Err(Failure::usage(
            "--format parquet writes a binary file, so it needs -o FILE: it is never written to a terminal or a pipe",
            Some("e.g. casim run population.yaml --format parquet -o prompts.parquet".into()),
        ));
    }
    if scenarios > 1 {
        return Err(Failure::usage(
            format!("--format parquet writes one scenario's prompts, and {scenarios} scenarios were given"),
            Some("run each scenario to a file of its own".into()),
        ));
    }
    Ok(())
}

fn run_failure(e: report::run::RunError) -> Failure {
    match e {
        report::run::RunError::Input(e) => Failure::Input(e),
        report::run::RunError::Write(e) => output::failure(e),
        report::run::RunError::Keep(e) => {
            Failure::usage(format!("cannot keep the run's output in a temporary file: {e}"), None)
        }
    }
}

/// `casim run --stats`: what was simulated and how fast.
#[derive(Default)]
struct RunTotals {
    events: u64,
    users: u64,
    user_days: u64,
    /// Reading, parsing and resolving every scenario.
    loading: std::time::Duration,
    /// Simulating and writing the output (a population's users are rendered
    /// as they are simulated), so that the engine's cost can be compared
    /// across sizes without the parser's (bench/generated.sh).
    simulating: std::time::Duration,
}

impl RunTotals {
    fn add(&mut self, s: &Scenario, stats: &engine::Stats) {
        self.events += stats.events;
        let (users, days) = s.users_and_days();
        self.users += users;
        self.user_days += users * days;
    }

    fn render(&self, elapsed: std::time::Duration) -> String {
        let secs = elapsed.as_secs_f64();
        let rate = if secs > 0.0 { self.events as f64 / secs } else { 0.0 };
        format!(
            "stats: {} events, {} users, {} simulated user-days, {:.3} s wall time (loading {:.3} s, simulating {:.3} s), {:.0} events/s",
            self.events,
            self.users,
            self.user_days,
            secs,
            self.loading.as_secs_f64(),
            self.simulating.as_secs_f64(),
            rate
        )
    }
}

fn check(paths: &[PathBuf], policies: Option<PathBuf>, format: CiFormat) -> Result<ExitCode, Failure> {
    use crate::report::verdict::Verdict;
    let scenarios = load_every(paths, &policies)?;
    let text = format == CiFormat::Text;
    let mut out = Stdout::new(Mode::Text);
    let (mut passed, mut failed, mut skipped, mut verdicts) = (0, 0, 0, Vec::new());
    for s in &scenarios {
        let file = s.path.display().to_string();
        if s.expect.is_none() {
            // Said, not silent (issue 15): a file without `expect:` checks nothing.
            skipped += 1;
            verdicts.push(Verdict::skipped(&file, &s.name, "no `expect:` block"));
            if text {
                out.line(&format!("skipped {} ({file}): no `expect:` block, nothing to compare", s.name))?;
            }
            continue;
        }
        let line = match check::run(s)? {
            None => {
                passed += 1;
                verdicts.push(Verdict::passed(&file, &s.name));
                format!("ok      {} ({file})", s.name)
            }
            Some(diff) => {
                failed += 1;
                verdicts.push(Verdict::failed(&file, &s.name, "check", "the prompts differ from `expect:`", &diff));
                format!("FAILED  {} ({file})\n{diff}", s.name)
            }
        };
        if text {
            out.line(&line)?;
        }
    }
    let totals = format!("{passed} passed, {failed} failed");
    if text {
        out.line(&totals)?;
    }
    out.finish()?;
    if skipped > 0 && passed + failed == 0 {
        output::stderr(&format!(
            "warning: nothing was checked: {skipped} scenario{} without an `expect:` block (docs/scenario-format.md, \"expect\")",
            if skipped == 1 { "" } else { "s" }
        ));
    }
    ci_format::print(format, "casim check", &totals, &verdicts)?;
    Ok(if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn validate(paths: &[PathBuf], policies: Option<PathBuf>) -> Result<ExitCode, Failure> {
    let scenarios = load_every(paths, &policies)?;
    let mut out = Stdout::new(Mode::Text);
    for s in &scenarios {
        out.line(&format!(
            "valid   {} ({}): {} users, {} devices, {} policies, {} steps",
            s.name,
            s.path.display(),
            s.users.len(),
            s.devices.len(),
            s.policies.len(),
            s.steps.len()
        ))?;
    }
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}
