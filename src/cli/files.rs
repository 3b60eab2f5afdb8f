//! Every file casim writes (`-o` of `report`, `generate` and `logs`,
//! `.prompts.snap` files) is written whole or not at all: the text goes to a temporary file
//! in the target's folder, which is renamed over the target only once it is
//! complete. An interrupted run, a full disk or a crash leaves the old file
//! as it was, never half a report (docs/output.md).

use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use super::Failure;

/// Writes `bytes` to `path` through a temporary file renamed into place.
pub(crate) fn write_whole(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = Whole::create(path)?;
    file.write_all(bytes)?;
    file.commit().map(drop)
}

/// Says on standard error what `-o` wrote, so a command that printed nothing
/// else still tells where its result went (issue 15: "`generate -o` and
/// `report -o` say what they wrote").
pub(crate) fn wrote(path: &Path, bytes: u64, what: &str) {
    let what = if what.is_empty() { String::new() } else { format!("{what}, ") };
    super::output::stderr(&format!("wrote {} ({what}{})", path.display(), size(bytes)));
}

/// A byte count as people read it: `812 bytes`, `44.7 KB`, `96.2 MB` (powers of 1,000).
fn size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} bytes");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 999.95 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// A file being written whole: a temporary file beside the target until
/// `commit` renames it into place; dropped uncommitted, it is removed.
pub(crate) struct Whole {
    to: To,
    target: PathBuf,
    written: u64,
}

enum To {
    Temporary(tempfile::NamedTempFile),
    /// `-o /dev/stdout`, a named pipe, a terminal: written to, never replaced
    /// (a rename would put a regular file where the device was).
    Device(std::fs::File),
}

impl Whole {
    pub(crate) fn create(path: &Path) -> io::Result<Whole> {
        // A symbolic link stays a link: its target is what gets replaced.
        let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if std::fs::metadata(&target).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
            return Ok(Whole { to: To::Device(std::fs::File::create(path)?), target, written: 0 });
        }
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".casim-").suffix(".tmp");
        #[cfg(unix)]
        {
            // What `fs::write` would create: 0666 less the umask (tempfile's
            // default, 0600, would hide a shared report from its readers).
            use std::os::unix::fs::PermissionsExt as _;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let file = builder.tempfile_in(&dir)?;
        if let Ok(old) = std::fs::metadata(&target) {
            std::fs::set_permissions(file.path(), old.permissions())?;
        }
        Ok(Whole { to: To::Temporary(file), target, written: 0 })
    }

    /// Puts the file in place of the target; the number of bytes written.
    pub(crate) fn commit(self) -> io::Result<u64> {
        match self.to {
            To::Device(mut device) => device.flush()?,
            To::Temporary(file) => {
                // On disk before the rename, so that a crash right after it
                // cannot leave an empty file where the old one was.
                file.as_file().sync_all()?;
                file.persist(&self.target).map_err(|e| e.error)?;
            }
        }
        Ok(self.written)
    }
}

impl io::Write for Whole {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = match &mut self.to {
            To::Temporary(file) => file.write(buf),
            To::Device(device) => device.write(buf),
        }?;
        self.written += n as u64;
        Ok(n)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match &mut self.to {
            To::Temporary(file) => file.write_all(buf),
            To::Device(device) => device.write_all(buf),
        }?;
        self.written += buf.len() as u64;
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.to {
            To::Temporary(file) => file.flush(),
            To::Device(device) => device.flush(),
        }
    }
}

/// `-o FILE` must not be one of the command's own inputs, however spelled
/// (`s.yaml`, `./s.yaml`, a link to it): writing it would destroy the input.
pub(crate) fn refuse_input_as_output(output: &Path, inputs: &[&Path], command: &str) -> Result<(), Failure> {
    let Ok(out) = std::fs::canonicalize(output) else {
        return Ok(()); // not there yet, so not an input
    };
    for input in inputs {
        if std::fs::canonicalize(input).is_ok_and(|i| i == out) {
            return Err(Failure::usage(
                format!(
                    "-o {} is the input {}: writing the output there would destroy the input",
                    output.display(),
                    input.display()
                ),
                Some(format!("write the output of `casim {command}` to another file")),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_read_as_people_read_them() {
        assert_eq!(size(0), "0 bytes");
        assert_eq!(size(999), "999 bytes");
        assert_eq!(size(1000), "1.0 KB");
        assert_eq!(size(44_744), "44.7 KB");
        assert_eq!(size(999_960), "1.0 MB");
        assert_eq!(size(96_200_000), "96.2 MB");
        assert_eq!(size(u64::MAX), "18446744.1 TB");
    }

    use super::*;

    fn scratch(label: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("casim-files-{label}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch folder");
        dir
    }

    #[test]
    fn a_file_is_replaced_whole_and_no_temporary_file_stays() {
        let dir = scratch("whole");
        let path = dir.join("out.html");
        std::fs::write(&path, "old").unwrap();
        write_whole(&path, b"new").expect("writes");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("out.html")]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_write_that_cannot_happen_leaves_the_old_file() {
        let dir = scratch("fails");
        // The target is a folder: the rename fails after the text was written.
        let path = dir.join("taken");
        std::fs::create_dir(&path).unwrap();
        std::fs::write(path.join("keep"), "kept").unwrap();
        assert!(write_whole(&path, b"new").is_err());
        assert_eq!(std::fs::read_to_string(path.join("keep")).unwrap(), "kept");
        let names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("taken")], "the temporary file is removed");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_written_to_not_replaced() {
        use std::os::unix::fs::FileTypeExt as _;
        write_whole(Path::new("/dev/null"), b"gone").expect("writes to the device");
        assert!(std::fs::metadata("/dev/null").unwrap().file_type().is_char_device());
        if Path::new("/dev/full").exists() {
            assert!(write_whole(Path::new("/dev/full"), b"x").is_err(), "a full device is an error");
            assert!(std::fs::metadata("/dev/full").unwrap().file_type().is_char_device());
        }
    }

    #[test]
    fn an_input_is_refused_as_output_under_any_spelling() {
        let dir = scratch("inputs");
        let input = dir.join("s.yaml");
        std::fs::write(&input, "x").unwrap();
        let other = dir.join("sub").join("..").join("s.yaml");
        std::fs::create_dir(dir.join("sub")).unwrap();
        let refused = refuse_input_as_output(&other, &[&input], "report").expect_err("refused");
        let text = refused.render("report");
        assert!(text.contains(&other.display().to_string()) && text.contains(&input.display().to_string()), "{text}");
        assert!(refuse_input_as_output(&dir.join("new.html"), &[&input], "report").is_ok());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
