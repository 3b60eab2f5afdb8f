//! The `casim` command line.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

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

#[derive(Subcommand)]
enum Command {
    /// Simulate scenarios and print every prompt.
    #[command(after_help = "Examples:
  casim run scenarios/
  casim run scenarios/example-3-scenario-2.yaml --format json
  casim run office.yaml --policies proposed-policies.yaml
  casim run office.yaml --trace")]
    Run {
        /// Scenario files, or folders searched for .yaml files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// A YAML list of policies that replaces each scenario's policies.
        #[arg(long, value_name = "FILE")]
        policies: Option<PathBuf>,
        /// Print every engine event with its instant before the results.
        #[arg(long)]
        trace: bool,
    },
    /// Run scenarios that have an `expect:` block and compare the prompts.
    #[command(after_help = "Exit status: 0 when all pass, 1 when any fails, 2 on input casim cannot use.

Examples:
  casim check scenarios/
  casim check my-library/ --policies proposed-policies.yaml")]
    Check {
        /// Scenario files, or folders searched for .yaml files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// A YAML list of policies that replaces each scenario's policies.
        #[arg(long, value_name = "FILE")]
        policies: Option<PathBuf>,
    },
    /// Parse and resolve scenarios without simulating them.
    #[command(after_help = "Examples:
  casim validate scenarios/
  casim validate new-scenario.yaml")]
    Validate {
        /// Scenario files, or folders searched for .yaml files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// A YAML list of policies to validate against each scenario.
        #[arg(long, value_name = "FILE")]
        policies: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run { paths, format, policies, trace } => run(&paths, format, policies, trace),
        Command::Check { paths, policies } => check(&paths, policies),
        Command::Validate { paths, policies } => validate(&paths, policies),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{}", e.render());
            ExitCode::from(2)
        }
    }
}

/// Loads every scenario first, so that bad input stops the run before any output.
fn load_all(paths: &[PathBuf], policies: &Option<PathBuf>) -> Result<Vec<Scenario>, InputError> {
    let files = scenario::collect_paths(paths)?;
    if files.is_empty() {
        return Err(InputError::new(&paths[0], None, "no .yaml scenario files found here"));
    }
    files
        .iter()
        .map(|f| {
            let mut s = scenario::load(f)?;
            if let Some(p) = policies {
                let replacement = scenario::load_policies(p, &s)?;
                scenario::replace_policies(&mut s, replacement, p)?;
            }
            Ok(s)
        })
        .collect()
}

fn run(paths: &[PathBuf], format: Format, policies: Option<PathBuf>, trace: bool) -> Result<ExitCode, InputError> {
    let scenarios = load_all(paths, &policies)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let many = scenarios.len() > 1;
    if format == Format::Json && many {
        let _ = writeln!(out, "[");
    }
    for (i, s) in scenarios.iter().enumerate() {
        let outcome = engine::simulate(s, Options { trace, ..Options::default() });
        let text = match format {
            Format::Text => {
                let mut t = String::new();
                if trace {
                    t.push_str(&outcome.trace.join("\n"));
                    t.push('\n');
                }
                t + &report::text::render(s, &outcome)
            }
            Format::Json => {
                let sep = if many && i + 1 < scenarios.len() { "," } else { "" };
                format!("{}{sep}", report::json::render(s, &outcome))
            }
        };
        if writeln!(out, "{text}").is_err() {
            return Ok(ExitCode::SUCCESS); // the reader went away (e.g. `| head`)
        }
    }
    if format == Format::Json && many {
        let _ = writeln!(out, "]");
    }
    Ok(ExitCode::SUCCESS)
}

fn check(paths: &[PathBuf], policies: Option<PathBuf>) -> Result<ExitCode, InputError> {
    let scenarios = load_all(paths, &policies)?;
    let (mut passed, mut failed) = (0, 0);
    for s in scenarios.iter().filter(|s| s.expect.is_some()) {
        let outcome = engine::simulate(s, Options::default());
        match check::compare(s, &outcome) {
            None => {
                passed += 1;
                println!("ok      {} ({})", s.name, s.path.display());
            }
            Some(diff) => {
                failed += 1;
                println!("FAILED  {} ({})\n{diff}", s.name, s.path.display());
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    Ok(if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn validate(paths: &[PathBuf], policies: Option<PathBuf>) -> Result<ExitCode, InputError> {
    let scenarios = load_all(paths, &policies)?;
    for s in &scenarios {
        println!(
            "valid   {} ({}): {} users, {} devices, {} policies, {} steps",
            s.name,
            s.path.display(),
            s.users.len(),
            s.devices.len(),
            s.policies.len(),
            s.steps.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}
