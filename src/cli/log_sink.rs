//! Where `casim logs` writes its records: standard output, or the file of
//! `-o` written whole (`files::Whole`), as text or as Parquet.

use std::io::{self, BufWriter};
use std::path::{Path, PathBuf};

use super::Failure;
use super::files::{self, Whole};
use super::output::{self, Mode, Stdout};
use crate::error::InputError;
use crate::signin::parquet_rows::ParquetRows;
use crate::signin::record::SignIn;
use crate::signin::writer::{LogFormat, LogWriter};
use crate::time::{Instant, Zone};

/// What is written: one of `LogWriter`'s text formats, or Parquet.
#[derive(Clone, Copy)]
pub(super) enum Shape {
    Text(LogFormat),
    Parquet,
}

pub(super) enum LogSink {
    Stdout(LogWriter<Stdout>),
    File(LogWriter<BufWriter<Whole>>, PathBuf),
    /// The first write error stops the output, as `LogWriter` does.
    Parquet(Box<ParquetRows<Whole>>, PathBuf, Option<io::Error>),
}

impl LogSink {
    /// Text formats go to `file` or standard output; Parquet needs a file.
    pub(super) fn open(
        file: Option<&Path>,
        shape: Shape,
        (window, zone): (Option<i64>, Zone),
        expand: bool,
    ) -> Result<LogSink, Failure> {
        let cannot = |path: &Path, e: io::Error| InputError::new(path, None, format!("cannot write the file: {e}"));
        let sink = match (file, shape) {
            (None, Shape::Text(format)) => {
                let mut out = LogWriter::new(Stdout::new(Mode::Data), format, window, expand).on_clock(zone);
                out.begin();
                LogSink::Stdout(out)
            }
            (Some(path), Shape::Text(format)) => {
                let whole = Whole::create(path).map_err(|e| cannot(path, e))?;
                let mut out =
                    LogWriter::new(BufWriter::with_capacity(64 * 1024, whole), format, window, expand).on_clock(zone);
                out.begin();
                LogSink::File(out, path.to_path_buf())
            }
            (Some(path), Shape::Parquet) => {
                let whole = Whole::create(path).map_err(|e| cannot(path, e))?;
                let rows = ParquetRows::new(whole).map_err(|e| cannot(path, e))?;
                LogSink::Parquet(Box::new(rows), path.to_path_buf(), None)
            }
            (None, Shape::Parquet) => return Err(needs_a_file()),
        };
        Ok(sink)
    }

    pub(super) fn record(&mut self, at: Instant, record: SignIn) {
        match self {
            LogSink::Stdout(out) => out.record(at, record),
            LogSink::File(out, _) => out.record(at, record),
            LogSink::Parquet(rows, _, error) => {
                if error.is_none()
                    && let Err(e) = rows.record(&record)
                {
                    *error = Some(e);
                }
            }
        }
    }

    /// Whether a write failed: the caller may stop producing records.
    pub(super) fn failed(&self) -> bool {
        match self {
            LogSink::Stdout(out) => out.failed(),
            LogSink::File(out, _) => out.failed(),
            LogSink::Parquet(_, _, error) => error.is_some(),
        }
    }

    /// Ends the output; a file is put in place only now, whole.
    pub(super) fn finish(self) -> Result<(), Failure> {
        let cannot = |path: &Path, e: io::Error| {
            Failure::from(InputError::new(path, None, format!("cannot write the file: {e}")))
        };
        match self {
            // A closed pipe ends quietly, any other write error is reported.
            LogSink::Stdout(out) => out.finish().map(drop).map_err(output::failure),
            LogSink::File(out, path) => {
                let buffered = out.finish().map_err(|e| cannot(&path, e))?;
                let whole = buffered.into_inner().map_err(|e| cannot(&path, e.into_error()))?;
                let bytes = whole.commit().map_err(|e| cannot(&path, e))?;
                files::wrote(&path, bytes, "sign-in records");
                Ok(())
            }
            LogSink::Parquet(rows, path, error) => {
                if let Some(e) = error {
                    return Err(cannot(&path, e));
                }
                let bytes = rows.finish().and_then(Whole::commit).map_err(|e| cannot(&path, e))?;
                files::wrote(&path, bytes, "sign-in records as Parquet");
                Ok(())
            }
        }
    }
}

fn needs_a_file() -> Failure {
    Failure::usage(
        "--format parquet writes a binary file, so it needs -o FILE: it is never written to a terminal or a pipe",
        Some("e.g. casim logs office.yaml --format parquet -o signins.parquet".into()),
    )
}
