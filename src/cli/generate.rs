//! `casim generate`: writes a population scenario from personas.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::Failure;
use super::files;
use super::output::{self, Mode};
use crate::error::InputError;
use crate::scenario::population;
use crate::time::{DEFAULT_START, Zone};

#[derive(clap::Args)]
pub(super) struct GenerateArgs {
    /// A YAML list of personas (docs/personas.md); default: the built-in mix.
    #[arg(long, value_name = "FILE")]
    personas: Option<PathBuf>,
    /// Only this built-in persona (office_worker, hybrid_worker, frontline_worker, administrator, mobile_user, guest).
    #[arg(long, conflicts_with = "personas")]
    persona: Option<String>,
    /// How many users.
    #[arg(long)]
    users: usize,
    /// How many days from the start (2026-01-05, a Monday).
    #[arg(long)]
    days: u32,
    /// Seed of every random variation.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// The IANA time zone the personas live in (e.g. Europe/Paris): schedules
    /// follow its local clock, from 2026-01-05 00:00 local time, and the
    /// scenario gets `timezone:` (default: UTC).
    #[arg(long, value_name = "ZONE")]
    timezone: Option<String>,
    /// Where to write the scenario (default: standard output).
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub(super) fn run(args: GenerateArgs) -> Result<ExitCode, Failure> {
    if let (Some(output), Some(personas)) = (&args.output, &args.personas) {
        files::refuse_input_as_output(output, &[personas.as_path()], "generate")?;
    }
    let mut personas = population::personas(args.personas.as_deref())?;
    if let Some(name) = &args.persona {
        let known: Vec<String> = personas.iter().map(|p| p.name.clone()).collect();
        personas.retain(|p| &p.name == name);
        if personas.is_empty() {
            return Err(InputError::new(Path::new("--persona"), None, format!("unknown persona `{name}`"))
                .with_help(crate::error::did_you_mean(name, known.iter().map(String::as_str)))
                .into());
        }
    }
    let zone = match &args.timezone {
        Some(name) => Zone::parse(name).map_err(|nearest| {
            InputError::new(
                Path::new("--timezone"),
                None,
                format!("unknown time zone `{name}`; expected an IANA name such as Europe/Paris or America/New_York"),
            )
            .with_help(nearest.map(|n| format!("did you mean `{n}`?")))
        })?,
        None => Zone::UTC,
    };
    // Monday 2026-01-05 00:00 on the zone's clock (DEFAULT_START in UTC).
    let start = zone.instant(DEFAULT_START).unwrap_or(DEFAULT_START);
    let mix = population::split(personas, args.users);
    population::check_size(&mix, args.days, start)
        .and_then(|()| population::check_working_day(&mix, args.days, zone.wall(start)))
        .map_err(|refusal| {
            let flag = match refusal.culprit {
                population::Culprit::Users => "--users",
                population::Culprit::Days => "--days",
            };
            InputError::new(Path::new(flag), None, refusal.message).with_help(refusal.help)
        })?;
    let text = population::generate_in(&mix, args.days, args.seed, start, zone)
        .map_err(|e| InputError::new(args.output.as_deref().unwrap_or(Path::new("-")), None, e))?;
    match &args.output {
        Some(path) => {
            files::write_whole(path, text.as_bytes())
                .map_err(|e| InputError::new(path, None, format!("cannot write the file: {e}")))?;
            let plural = |n: u64, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
            let what = format!("{}, {}", plural(args.users as u64, "user"), plural(u64::from(args.days), "day"));
            files::wrote(path, text.len() as u64, &what);
        }
        None => output::print(Mode::Data, &text)?,
    }
    Ok(ExitCode::SUCCESS)
}
