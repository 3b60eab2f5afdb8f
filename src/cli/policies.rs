//! `casim policies show` and `casim policies lint`: a policy set in words,
//! and every finding of every policy with the documentation it rests on.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use serde_json::json;

use super::Failure;
use super::output::{self, Mode};
use crate::error::InputError;
use crate::policy::describe::{self, Names};
use crate::policy::lint::{self, Finding, Tenant};
use crate::scenario::{self, Scenario};

pub(super) const AFTER_HELP: &str =
    "PATH is casim's YAML policy list, a Graph export (one conditionalAccessPolicy, a JSON
array of them, a Graph list response {\"value\": [...]}, or an EntraExporter folder), or a
scenario file (its policies).

Examples:
  casim policies show scenarios/graph/baseline-blocks.json
  casim policies show tests/fixtures/graph/entraexporter --scenario scenarios/work-week.yaml
  casim policies lint examples/policies/proposed.yaml --scenario scenarios/work-week.yaml
  casim policies lint scenarios/graph/baseline-blocks.json --remember-mfa 14 --format json

Exit status of lint: 0 with warnings only, 1 when there are errors (values Entra refuses),
2 on input casim cannot use.";

#[derive(Subcommand)]
pub(super) enum PoliciesCommand {
    /// Print each policy in words.
    Show(ShowArgs),
    /// Report every problem of every policy, each with its source.
    Lint(LintArgs),
}

#[derive(Args)]
pub(super) struct ShowArgs {
    /// Policies: YAML list, Graph JSON file, EntraExporter folder, or a scenario file.
    path: PathBuf,
    /// Resolve user, group and app ids against this scenario.
    #[arg(long, value_name = "FILE")]
    scenario: Option<PathBuf>,
}

#[derive(Args)]
pub(super) struct LintArgs {
    /// Policies: YAML list, Graph JSON file, EntraExporter folder, or a scenario file.
    path: PathBuf,
    /// Resolve user, group and app ids against this scenario.
    #[arg(long, value_name = "FILE")]
    scenario: Option<PathBuf>,
    /// The tenant remembers MFA on trusted devices for this many days (1–365).
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..=365))]
    remember_mfa: Option<u32>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

pub(super) fn policies(command: PoliciesCommand) -> Result<ExitCode, (Failure, &'static str)> {
    match command {
        PoliciesCommand::Show(a) => show(&a).map_err(|e| (e, "policies show")),
        PoliciesCommand::Lint(a) => lint_command(&a).map_err(|e| (e, "policies lint")),
    }
}

/// The scenario whose policies are shown: `path` itself when it is a
/// scenario, else `--scenario` (or nothing) with `path`'s policies.
pub(crate) fn load(path: &Path, base: &Option<PathBuf>) -> Result<Scenario, Failure> {
    if !path.exists() {
        return Err(InputError::new(path, None, "no such file or folder").into());
    }
    if is_scenario_file(path) {
        return Ok(scenario::load(path)?);
    }
    let mut sc = match base {
        Some(file) => scenario::load(file)?,
        None => scenario::empty(path),
    };
    let set = scenario::load_policies(path, &sc)?;
    scenario::attach_policies(&mut sc, set);
    Ok(sc)
}

/// A YAML file with a top-level `timeline:` is a scenario.
fn is_scenario_file(path: &Path) -> bool {
    let yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
    yaml && std::fs::read_to_string(path).is_ok_and(|t| t.lines().any(|l| l.starts_with("timeline:")))
}

pub(crate) fn print_warnings(sc: &Scenario) {
    for w in &sc.warnings {
        output::stderr(&format!("warning: {w}"));
    }
}

fn show(args: &ShowArgs) -> Result<ExitCode, Failure> {
    let sc = load(&args.path, &args.scenario)?;
    print_warnings(&sc);
    let names = Names { users: &sc.users, apps: &sc.apps, locations: &sc.named_locations };
    let blocks: Vec<String> = sc.policies.iter().map(|p| describe::describe(p, names)).collect();
    let text = match blocks.len() {
        0 => "no policies".to_string(),
        _ => blocks.join("\n\n"),
    };
    output::print(Mode::Text, &format!("{text}\n"))?;
    Ok(ExitCode::SUCCESS)
}

fn lint_command(args: &LintArgs) -> Result<ExitCode, Failure> {
    let sc = load(&args.path, &args.scenario)?;
    print_warnings(&sc);
    let inputs = args.scenario.as_ref().map(|_| lint::Inputs {
        devices_with_country: sc.devices.iter().any(|d| d.country.is_some()),
        users_with_insider_risk: sc.users.iter().any(|u| u.insider_risk != Default::default()),
        steps_with_auth_flow: sc.steps.iter().any(|s| match &s.action {
            crate::scenario::model::Action::Use { facts, .. } => facts.auth_flow.is_some(),
            _ => false,
        }),
    });
    let tenant = Tenant { remember_mfa_days: args.remember_mfa, inputs };
    let findings = lint::lint(&sc.policies, &sc.apps, &sc.named_locations, tenant);
    let text = match args.format {
        Format::Text => text(&findings),
        Format::Json => serde_json::to_string_pretty(&json_findings(&findings)).unwrap_or_default(),
    };
    let mode = if args.format == Format::Json { Mode::Data } else { Mode::Text };
    output::print(mode, &format!("{text}\n"))?;
    Ok(if lint::has_errors(&findings) { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn text(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let whom = f.policy.as_ref().map(|p| format!("`{p}`: ")).unwrap_or_default();
        out.push_str(&format!(
            "{:<8}{whom}{} [{}]\n        source: {}\n",
            f.severity.name(),
            f.message,
            f.check,
            f.source
        ));
    }
    let errors = findings.iter().filter(|f| f.severity == lint::Severity::Error).count();
    out.push_str(&format!("{errors} errors, {} warnings", findings.len() - errors));
    out
}

fn json_findings(findings: &[Finding]) -> serde_json::Value {
    let list: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            json!({
                "severity": f.severity.name(),
                "check": f.check,
                "policy": f.policy,
                "message": f.message,
                "source": f.source,
            })
        })
        .collect();
    let errors = findings.iter().filter(|f| f.severity == lint::Severity::Error).count();
    json!({ "findings": list, "errors": errors, "warnings": findings.len() - errors })
}
