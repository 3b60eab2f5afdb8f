//! `casim logs`: the sign-in log records of one scenario (R-LOG-1..4): its
//! flags, and the engine's records through the filter into
//! `signin::writer::LogWriter` on a buffered stdout.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::log_sink::{LogSink, Shape};
use super::{Failure, files, load_single};
use crate::engine::{self, Options};
use crate::scenario::Scenario;
use crate::scenario::model::Action;
use crate::signin::SignInEvent;
use crate::signin::filter::{Filter, Kind};
use crate::signin::record::Recorder;
use crate::signin::writer;
use crate::time::HOUR;

pub(super) const AFTER_HELP: &str = "\
Records are printed in time order, as the engine produces them. Interactive
records go to `SigninLogs`, the others to `AADNonInteractiveUserSignInLogs`
(the `Type` column of --format ndjson).

Formats:
  json        a Microsoft Graph list response: {\"@odata.context\": ..., \"value\": [signIn, ...]}
  ndjson      one Log Analytics row per line, in the columns and types of its table
              (SigninLogs or AADNonInteractiveUserSignInLogs)
  diagnostic  the Azure Monitor diagnostic settings envelope Event Hubs receive:
              {\"records\": [{\"time\", \"category\", ..., \"properties\": signIn}, ...]}
  admin-csv   the Entra admin center's sign-in log download (needs --interactive or
              --non-interactive: one file per tab)
  csv         casim's RFC 4180 summary, one record per line
  table       one record per line, fixed widths
  parquet     the ndjson rows as one Parquet file (needs -o FILE): both tables' columns,
              `Type` naming each row's table, nulls where its table has no such column;
              datetime as UTC timestamps, dynamic as JSON text (docs/logs.md)

--aggregate 1h|6h|24h groups non-interactive records as the portal does (R-LOG-2):
same application, user, IP address, status and resource inside a window aligned to
UTC multiples of its length. --expand adds each group's records.

Examples:
  casim logs scenarios/example-2-background-upload.yaml --format table
  casim logs scenarios/native-background-refresh.yaml --non-interactive --format ndjson
  casim logs scenarios/work-week.yaml --user vera --app azure_portal --from \"1d 09:00\" --to \"2d 00:00\"
  casim logs bench/year-one-user.yaml --aggregate 24h --format csv
  casim logs scenarios/work-week.yaml --non-interactive --format admin-csv > NonInteractiveSignIns.csv
  casim logs scenarios/work-week.yaml --policies examples/policies/proposed.yaml --format json
  casim logs scenarios/work-week.yaml --format parquet -o signins.parquet";

#[derive(Args)]
pub(crate) struct LogsArgs {
    /// The scenario file.
    path: PathBuf,
    /// Only interactive sign-ins (the portal's "User sign-ins (interactive)" tab).
    #[arg(long, conflicts_with_all = ["non_interactive", "all"])]
    interactive: bool,
    /// Only non-interactive sign-ins (tokens a client or the OS got for the user).
    #[arg(long, conflicts_with = "all")]
    non_interactive: bool,
    /// Both kinds (the default).
    #[arg(long)]
    all: bool,
    /// Only this user: the scenario's user id or the UPN.
    #[arg(long, value_name = "USER")]
    user: Option<String>,
    /// Only this application: its key (e.g. sharepoint), app id or display name.
    #[arg(long, value_name = "APP")]
    app: Option<String>,
    /// Only records at or after this time ("09:00", "1d 09:00" or RFC 3339; relative to the start).
    #[arg(long, value_name = "TIME")]
    from: Option<String>,
    /// Only records before this time (exclusive), in the same forms as --from.
    #[arg(long, value_name = "TIME")]
    to: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = LogFormat::Json)]
    format: LogFormat,
    /// Group non-interactive records in windows of 1h, 6h or 24h (R-LOG-2).
    #[arg(long, value_name = "WINDOW")]
    aggregate: Option<String>,
    /// With --aggregate: list each group's records.
    #[arg(long)]
    expand: bool,
    /// Write to this file, whole or not at all, instead of standard output (needed for --format parquet).
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Policies that replace the scenario's policies: a YAML list, a Graph export, or `none` (docs/policies.md).
    #[arg(long, value_name = "FILE")]
    policies: Option<PathBuf>,
    /// Only the records of users of shard K of N, by the stable hash of the object id their
    /// records carry, as `casim replay --shard` splits them (docs/scale.md).
    #[arg(long, value_name = "K/N", value_parser = crate::shard::Shard::parse)]
    shard: Option<crate::shard::Shard>,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
enum LogFormat {
    Json,
    Ndjson,
    Diagnostic,
    AdminCsv,
    Csv,
    Table,
    Parquet,
}

impl From<LogFormat> for Shape {
    fn from(f: LogFormat) -> Shape {
        match f {
            LogFormat::Json => Shape::Text(writer::LogFormat::Json),
            LogFormat::Ndjson => Shape::Text(writer::LogFormat::Ndjson),
            LogFormat::Diagnostic => Shape::Text(writer::LogFormat::Diagnostic),
            LogFormat::AdminCsv => Shape::Text(writer::LogFormat::AdminCsv),
            LogFormat::Csv => Shape::Text(writer::LogFormat::Csv),
            LogFormat::Table => Shape::Text(writer::LogFormat::Table),
            LogFormat::Parquet => Shape::Parquet,
        }
    }
}

/// The time aggregates the portal offers (R-LOG-2).
const WINDOWS: [(&str, i64); 3] = [("1h", HOUR), ("6h", 6 * HOUR), ("24h", 24 * HOUR)];

pub(super) fn logs(args: LogsArgs) -> Result<ExitCode, (Failure, &'static str)> {
    let with = |f: Failure| (f, "logs");
    let window = check_flags(&args).map_err(with)?;
    if let Some(output) = &args.output {
        let inputs: Vec<&Path> = std::iter::once(args.path.as_path()).chain(args.policies.as_deref()).collect();
        files::refuse_input_as_output(output, &inputs, "logs").map_err(with)?;
    }
    let scenario = load_single(&args.path, &args.policies, "logs").map_err(with)?;
    let filter = build_filter(&scenario, &args, window.is_some()).map_err(with)?;
    let requests = scenario.steps.iter().filter(|s| matches!(s.action, Action::RequestToken { .. })).count();
    if requests > 0 {
        super::output::stderr(&format!(
            "note: {requests} workload token requests are not written: casim writes user sign-in records, not servicePrincipalSignIns (not simulated; `casim run` lists them, R-CA-6)"
        ));
    }
    let mut out = LogSink::open(args.output.as_deref(), args.format.into(), (window, scenario.zone), args.expand)
        .map_err(with)?;
    let recorder = Recorder::new(&scenario);
    let mut sink = |event: SignInEvent| {
        if filter.keeps(&event) && !out.failed() {
            out.record(event.at, recorder.sign_in(&event));
        }
    };
    let outcome = engine::simulate_with_sink(&scenario, Options::default(), &mut sink);
    engine::check_event_limit(&scenario, &outcome).map_err(|e| with(e.into()))?;
    out.finish().map_err(with)?;
    Ok(ExitCode::SUCCESS)
}

/// Flag combinations clap cannot express; returns the aggregation window.
fn check_flags(args: &LogsArgs) -> Result<Option<i64>, Failure> {
    let window = match &args.aggregate {
        None => None,
        Some(text) => {
            Some(WINDOWS.iter().find(|(name, _)| name == &text.trim()).map(|(_, w)| *w).ok_or_else(|| {
                Failure::usage(
                    format!(
                        "`--aggregate {text}` is not a time aggregate; the allowed values are 1h, 6h and 24h (R-LOG-2)"
                    ),
                    Some("e.g. --aggregate 1h; the portal offers no other windows".into()),
                )
            })?)
        }
    };
    if window.is_some() && args.interactive {
        return Err(Failure::usage(
            "--aggregate groups non-interactive sign-ins only (R-LOG-2), so it cannot be combined with --interactive",
            Some("drop --interactive, or drop --aggregate to list interactive sign-ins one by one".into()),
        ));
    }
    let microsoft_shape = match args.format {
        LogFormat::Diagnostic => Some("diagnostic"),
        LogFormat::AdminCsv => Some("admin-csv"),
        LogFormat::Parquet => Some("parquet"),
        _ => None,
    };
    if let (Some(shape), Some(_)) = (microsoft_shape, window) {
        return Err(Failure::usage(
            format!("--format {shape} writes records one by one, as Microsoft does; it cannot hold --aggregate groups"),
            Some("use --format json, ndjson, csv or table with --aggregate".into()),
        ));
    }
    if args.format == LogFormat::AdminCsv && !args.interactive && !args.non_interactive {
        return Err(Failure::usage(
            "--format admin-csv writes one of the admin center's two downloads, so it needs --interactive or --non-interactive",
            Some("e.g. --interactive --format admin-csv > InteractiveSignIns.csv".into()),
        ));
    }
    if args.expand && window.is_none() {
        return Err(Failure::usage(
            "--expand lists the records of aggregated groups, so it needs --aggregate",
            Some("add --aggregate 1h, 6h or 24h".into()),
        ));
    }
    Ok(window)
}

fn build_filter(scenario: &Scenario, args: &LogsArgs, aggregate: bool) -> Result<Filter, Failure> {
    let kind = if args.interactive {
        Kind::Interactive
    } else if args.non_interactive || aggregate {
        Kind::NonInteractive
    } else {
        Kind::All
    };
    let filter = Filter::new(
        scenario,
        kind,
        args.user.as_deref(),
        args.app.as_deref(),
        ("--from", args.from.as_deref()),
        ("--to", args.to.as_deref()),
    )?;
    Ok(filter.with_shard(scenario, args.shard.unwrap_or(crate::shard::Shard::ALL)))
}
