//! The one way every command writes to standard output and standard error
//! (docs/output.md). A write that fails is never ignored and never panics
//! (`println!` panics): a full disk or a broken device is an error with a
//! message (exit 2), a reader that went away (`casim run scenarios/ | head -1`)
//! ends the command quietly with the status a Unix tool killed by SIGPIPE
//! has (141), so that `set -o pipefail` scripts never see a truncated run as
//! a success (a failing `casim check` included).

use std::io::{self, BufWriter, StdoutLock, Write};

use super::Failure;
use crate::terminal;

/// What the output is: text for a terminal, whose control characters are
/// escaped, or data (JSON, CSV, YAML, HTML) written byte for byte.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Text,
    Data,
}

/// Buffered standard output. Errors surface at the latest in `finish`, which
/// every command calls before it reports success.
pub(crate) struct Stdout {
    out: BufWriter<StdoutLock<'static>>,
    mode: Mode,
}

impl Stdout {
    pub(crate) fn new(mode: Mode) -> Stdout {
        Stdout { out: BufWriter::with_capacity(64 * 1024, io::stdout().lock()), mode }
    }

    /// Writes `text` (escaped if this is text output).
    pub(crate) fn write(&mut self, text: &str) -> Result<(), Failure> {
        let text = match self.mode {
            Mode::Text => terminal::sanitize(text),
            Mode::Data => text.into(),
        };
        self.out.write_all(text.as_bytes()).map_err(failure)
    }

    /// Writes `text` and a line break.
    pub(crate) fn line(&mut self, text: &str) -> Result<(), Failure> {
        self.write(text)?;
        self.out.write_all(b"\n").map_err(failure)
    }

    /// Flushes what is buffered: the last chance for a write error to show.
    pub(crate) fn finish(mut self) -> Result<(), Failure> {
        self.out.flush().map_err(failure)
    }
}

/// Byte-for-byte writing for streaming renderers (`casim logs`), which
/// escape their own table cells; errors go through `failure`.
impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.write(buf)
    }

    // BufWriter's own: serde_json writes a record in many small pieces, and
    // the default `write_all` loop around `write` cost a fifth of `casim logs`.
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.out.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Text output written through `io::Write` by a streaming renderer, escaped
/// like `Stdout::write` (the renderers write whole strings at a time, so no
/// character is ever split between two writes).
pub(crate) struct Sanitized<'a>(pub(crate) &'a mut Stdout);

impl Write for Sanitized<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.0.out.write_all(terminal::sanitize(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.out.flush()
    }
}

/// The whole output of a command at once.
pub(crate) fn print(mode: Mode, text: &str) -> Result<(), Failure> {
    let mut out = Stdout::new(mode);
    out.write(text)?;
    out.finish()
}

/// Why a write failed, as the command's failure.
pub(crate) fn failure(e: io::Error) -> Failure {
    if e.kind() == io::ErrorKind::BrokenPipe { Failure::Closed } else { Failure::Write(e) }
}

/// A line on standard error (warnings, diagnostics), escaped like text
/// output. When standard error itself cannot be written there is nowhere
/// left to report it, and the exit status still tells.
pub(crate) fn stderr(text: &str) {
    let mut err = io::stderr().lock();
    let _ = err.write_all(terminal::sanitize(text).as_bytes());
    let _ = err.write_all(b"\n");
}
