//! One section of an output built user by user and written when the run
//! ends (issue 11: memory follows live state, not history). A population's
//! prompts come in user order but their table's column widths, and the
//! sections after the table, are known only at the end; and a run that stops
//! at its event cap must write nothing. So each section is kept in memory up
//! to `IN_MEMORY` bytes, then in an anonymous temporary file that the system
//! deletes when it is closed, whatever happens to the process.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Cursor, Read, Seek, Write};

/// Bytes kept in memory before a section moves to a temporary file: small
/// runs (every bundled scenario) never touch the disk.
const IN_MEMORY: usize = 1 << 20;

pub(crate) struct Spill {
    /// The bytes not yet in `file`: everything, until `IN_MEMORY` is passed.
    memory: Vec<u8>,
    file: Option<BufWriter<File>>,
    empty: bool,
}

impl Default for Spill {
    fn default() -> Spill {
        Spill { memory: Vec::new(), file: None, empty: true }
    }
}

impl Spill {
    pub(crate) fn new() -> Spill {
        Spill::default()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.empty
    }

    pub(crate) fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.empty &= bytes.is_empty();
        self.memory.extend_from_slice(bytes);
        if self.memory.len() > IN_MEMORY {
            if self.file.is_none() {
                self.file = Some(BufWriter::new(tempfile::tempfile()?));
            }
            if let Some(file) = &mut self.file {
                file.write_all(&self.memory)?;
            }
            self.memory.clear();
        }
        Ok(())
    }

    /// Everything written, from the start.
    pub(crate) fn reader(self) -> io::Result<Box<dyn BufRead>> {
        let memory = Cursor::new(self.memory);
        Ok(match self.file {
            None => Box::new(memory),
            Some(file) => {
                let mut file = file.into_inner().map_err(|e| e.into_error())?;
                file.rewind()?;
                // Large enough to hold a user's share of a section whole (the
                // text table pads its rows where the reader holds them).
                Box::new(BufReader::with_capacity(1 << 18, file.chain(memory)))
            }
        })
    }

    /// Writes everything written, from the start, to `out`.
    pub(crate) fn copy_to(self, out: &mut dyn Write) -> io::Result<()> {
        io::copy(&mut self.reader()?, out)?;
        Ok(())
    }

    /// The section, done with writing, to be read as often as needed.
    pub(crate) fn freeze(self) -> io::Result<Frozen> {
        let file = match self.file {
            None => None,
            Some(file) => Some(file.into_inner().map_err(|e| e.into_error())?),
        };
        Ok(Frozen { memory: self.memory, file })
    }
}

/// A section that is only read.
#[derive(Debug, Default)]
pub(crate) struct Frozen {
    memory: Vec<u8>,
    file: Option<File>,
}

impl Frozen {
    /// Everything written, from the start. Readers take turns: each one
    /// starts the file over.
    pub(crate) fn reader(&self) -> io::Result<Box<dyn BufRead + '_>> {
        let memory = Cursor::new(self.memory.as_slice());
        Ok(match &self.file {
            None => Box::new(memory),
            Some(file) => {
                let mut file = file.try_clone()?;
                file.rewind()?;
                Box::new(BufReader::new(file.chain(memory)))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_past_the_memory_bound_reads_back_whole_and_in_order() {
        let mut spill = Spill::new();
        let line = [b'x'; 1000];
        for i in 0..3000u32 {
            spill.write(format!("{i:05} ").as_bytes()).unwrap();
            spill.write(&line).unwrap();
            spill.write(b"\n").unwrap();
        }
        assert!(spill.file.is_some(), "3 MB must have moved to a file");
        let lines: Vec<String> = spill.reader().unwrap().lines().map(Result::unwrap).collect();
        assert_eq!(lines.len(), 3000);
        assert!(lines.iter().enumerate().all(|(i, l)| l.starts_with(&format!("{i:05} ")) && l.len() == 1006));
    }

    #[test]
    fn a_frozen_section_reads_whole_every_time() {
        let mut spill = Spill::new();
        for i in 0..300_000u32 {
            spill.write(format!("{i}\n").as_bytes()).unwrap();
        }
        let frozen = spill.freeze().unwrap();
        for _ in 0..2 {
            let lines: Vec<String> = frozen.reader().unwrap().lines().map(Result::unwrap).collect();
            assert_eq!(lines.len(), 300_000);
            assert_eq!(lines.last().map(String::as_str), Some("299999"));
        }
    }

    #[test]
    fn a_small_section_stays_in_memory() {
        let mut spill = Spill::new();
        assert!(spill.is_empty());
        spill.write(b"one\n").unwrap();
        assert!(!spill.is_empty() && spill.file.is_none());
        let mut out = Vec::new();
        spill.copy_to(&mut out).unwrap();
        assert_eq!(out, b"one\n");
    }
}
