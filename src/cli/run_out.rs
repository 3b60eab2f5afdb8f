//! Where `casim run` writes: standard output, or the file of `-o` written
//! whole (`files::Whole`), put in place only once the run has succeeded.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::files::Whole;
use super::output::{self, Mode, Stdout};
use super::{Failure, RunShape};
use crate::error::InputError;
use crate::report::run::RunError;

pub(super) enum RunOut {
    Stdout(Stdout),
    File(BufWriter<Whole>, PathBuf),
}

impl RunOut {
    pub(super) fn open(file: Option<&Path>, format: RunShape) -> Result<RunOut, Failure> {
        match file {
            None => Ok(RunOut::Stdout(Stdout::new(if format == RunShape::Text { Mode::Text } else { Mode::Data }))),
            Some(path) => {
                let whole = Whole::create(path).map_err(|e| cannot(path, e))?;
                Ok(RunOut::File(BufWriter::with_capacity(64 * 1024, whole), path.to_path_buf()))
            }
        }
    }

    pub(super) fn writer(&mut self) -> &mut dyn Write {
        match self {
            RunOut::Stdout(out) => out,
            RunOut::File(out, _) => out,
        }
    }

    pub(super) fn write(&mut self, bytes: &[u8]) -> Result<(), Failure> {
        let written = self.writer().write_all(bytes);
        written.map_err(|e| self.write_failure(e))
    }

    /// A run's failure, a write error naming the file written.
    pub(super) fn failure(&self, e: RunError) -> Failure {
        match e {
            RunError::Write(e) => self.write_failure(e),
            other => super::run_failure(other),
        }
    }

    fn write_failure(&self, e: io::Error) -> Failure {
        match self {
            RunOut::Stdout(_) => output::failure(e),
            RunOut::File(_, path) => cannot(path, e),
        }
    }

    /// Flushes standard output, or puts the file in place.
    pub(super) fn finish(self) -> Result<(), Failure> {
        match self {
            RunOut::Stdout(out) => out.finish(),
            RunOut::File(out, path) => {
                let whole = out.into_inner().map_err(|e| cannot(&path, e.into_error()))?;
                let bytes = whole.commit().map_err(|e| cannot(&path, e))?;
                super::files::wrote(&path, bytes, "");
                Ok(())
            }
        }
    }
}

fn cannot(path: &Path, e: io::Error) -> Failure {
    Failure::from(InputError::new(path, None, format!("cannot write the file: {e}")))
}
