//! Records put in (user, time) order without holding a file whole (issue
//! 13, item 9): they are kept in memory up to a budget, and beyond it sorted
//! in runs written to anonymous temporary files, which are then merged. The
//! order is stable (records of one user and instant keep the order they
//! were read in), so spilling changes nothing in what replay prints.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};
use std::net::IpAddr;

use super::read::{ClientKind, LogRecord};

/// What a record costs in memory beyond its strings (the struct, the
/// strings' headers, the vector's slot), for the budget.
const OVERHEAD: usize = 320;

/// The default memory budget of the records held before a run is spilled.
pub const DEFAULT_BUDGET: usize = 128 << 20;

/// Records in, records out in (user, time) order.
pub struct Sorter {
    held: Vec<LogRecord>,
    bytes: usize,
    budget: usize,
    runs: Vec<File>,
}

impl Sorter {
    /// A sorter that holds about `budget` bytes of records before spilling.
    pub fn new(budget: usize) -> Sorter {
        Sorter { held: Vec::new(), bytes: 0, budget: budget.max(1), runs: Vec::new() }
    }

    pub fn push(&mut self, record: LogRecord) -> io::Result<()> {
        self.bytes += size(&record);
        self.held.push(record);
        if self.bytes >= self.budget {
            self.spill()?;
        }
        Ok(())
    }

    /// How many runs went to temporary files.
    pub fn runs(&self) -> usize {
        self.runs.len()
    }

    fn spill(&mut self) -> io::Result<()> {
        sort(&mut self.held);
        let mut out = BufWriter::new(tempfile::tempfile()?);
        for r in self.held.drain(..) {
            encode(&r, &mut out)?;
        }
        let mut file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.rewind()?;
        self.runs.push(file);
        self.bytes = 0;
        Ok(())
    }

    /// Every record pushed, in (user, time) order.
    pub fn finish(mut self) -> io::Result<Sorted> {
        if self.runs.is_empty() {
            sort(&mut self.held);
            return Ok(Sorted(Inner::Held(std::mem::take(&mut self.held).into_iter())));
        }
        if !self.held.is_empty() {
            self.spill()?;
        }
        let mut readers: Vec<BufReader<File>> =
            self.runs.drain(..).map(|f| BufReader::with_capacity(1 << 16, f)).collect();
        let mut heap = BinaryHeap::new();
        for (run, reader) in readers.iter_mut().enumerate() {
            if let Some(r) = decode(reader)? {
                heap.push(Reverse(Head(r, run)));
            }
        }
        Ok(Sorted(Inner::Merged { readers, heap }))
    }
}

/// Stable, so records of one user and instant keep their order.
fn sort(records: &mut [LogRecord]) {
    records.sort_by(|a, b| (a.user.as_str(), a.at).cmp(&(b.user.as_str(), b.at)));
}

fn size(r: &LogRecord) -> usize {
    let strings = [&r.user, &r.app_id, &r.app_name, &r.device_id, &r.device_name, &r.os, &r.browser, &r.trust];
    OVERHEAD
        + strings.iter().map(|s| s.len()).sum::<usize>()
        + r.user_id.as_ref().map_or(0, String::len)
        + r.country.as_ref().map_or(0, String::len)
}

/// A run's next record; runs earlier in the input come first among equals.
struct Head(LogRecord, usize);

impl Head {
    fn key(&self) -> (&str, i64, usize) {
        (&self.0.user, self.0.at, self.1)
    }
}

impl PartialEq for Head {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Head {}

impl PartialOrd for Head {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Head {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key().cmp(&other.key())
    }
}

/// The records in order: held, or merged from the runs.
pub struct Sorted(Inner);

enum Inner {
    Held(std::vec::IntoIter<LogRecord>),
    Merged { readers: Vec<BufReader<File>>, heap: BinaryHeap<Reverse<Head>> },
}

impl Sorted {
    /// The records a user at a time: each item all of one user's, in time order.
    pub fn by_user(self) -> ByUser {
        ByUser { records: self, next: None }
    }
}

/// `Sorted`, a user's records at a time.
pub struct ByUser {
    records: Sorted,
    /// The first record of the next user, read past the end of the last one.
    next: Option<LogRecord>,
}

impl Iterator for ByUser {
    type Item = io::Result<Vec<LogRecord>>;

    fn next(&mut self) -> Option<io::Result<Vec<LogRecord>>> {
        let mut user: Vec<LogRecord> = self.next.take().into_iter().collect();
        for r in self.records.by_ref() {
            let r = match r {
                Ok(r) => r,
                Err(e) => return Some(Err(e)),
            };
            if user.first().is_some_and(|u| u.user != r.user) {
                self.next = Some(r);
                return Some(Ok(user));
            }
            user.push(r);
        }
        (!user.is_empty()).then_some(Ok(user))
    }
}

impl Iterator for Sorted {
    type Item = io::Result<LogRecord>;

    fn next(&mut self) -> Option<io::Result<LogRecord>> {
        match &mut self.0 {
            Inner::Held(records) => records.next().map(Ok),
            Inner::Merged { readers, heap } => {
                let Reverse(Head(record, run)) = heap.pop()?;
                match decode(&mut readers[run]) {
                    Ok(Some(next)) => heap.push(Reverse(Head(next, run))),
                    Ok(None) => {}
                    Err(e) => return Some(Err(e)),
                }
                Some(Ok(record))
            }
        }
    }
}

// The runs' format: each record's fields in declaration order; strings as a
// u32 length and bytes, options behind a 0/1 byte. Only this process reads it.

fn encode(r: &LogRecord, out: &mut impl Write) -> io::Result<()> {
    out.write_all(&r.at.to_le_bytes())?;
    text(out, &r.user)?;
    optional(out, r.user_id.as_deref())?;
    let client = match r.client {
        ClientKind::Browser => 0u8,
        ClientKind::Native => 1,
        ClientKind::Confidential => 2,
    };
    let compliant = match r.compliant {
        None => 0u8,
        Some(false) => 1,
        Some(true) => 2,
    };
    let flags = u8::from(r.guest) | u8::from(r.interactive) << 1 | u8::from(r.from_prt) << 2 | u8::from(r.hello) << 3;
    out.write_all(&[client, compliant, flags])?;
    out.write_all(&r.error.to_le_bytes())?;
    for s in [&r.app_id, &r.app_name, &r.device_id, &r.device_name, &r.os, &r.browser, &r.trust] {
        text(out, s)?;
    }
    optional(out, r.ip.map(|ip| ip.to_string()).as_deref())?;
    optional(out, r.country.as_deref())
}

fn text(out: &mut impl Write, s: &str) -> io::Result<()> {
    let len = u32::try_from(s.len()).map_err(|_| io::Error::other("a field longer than 4 GiB"))?;
    out.write_all(&len.to_le_bytes())?;
    out.write_all(s.as_bytes())
}

fn optional(out: &mut impl Write, s: Option<&str>) -> io::Result<()> {
    match s {
        None => out.write_all(&[0]),
        Some(s) => {
            out.write_all(&[1])?;
            text(out, s)
        }
    }
}

fn decode(input: &mut impl Read) -> io::Result<Option<LogRecord>> {
    let mut at = [0u8; 8];
    match input.read_exact(&mut at) {
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        other => other?,
    }
    let user = read_text(input)?;
    let user_id = read_optional(input)?;
    let mut small = [0u8; 3];
    input.read_exact(&mut small)?;
    let [client, compliant, flags] = small;
    let mut error = [0u8; 4];
    input.read_exact(&mut error)?;
    let mut strings = [(); 7].map(|()| String::new());
    for s in &mut strings {
        *s = read_text(input)?;
    }
    let [app_id, app_name, device_id, device_name, os, browser, trust] = strings;
    let ip = read_optional(input)?.and_then(|s| s.parse::<IpAddr>().ok());
    let country = read_optional(input)?;
    Ok(Some(LogRecord {
        at: i64::from_le_bytes(at),
        user,
        user_id,
        guest: flags & 1 != 0,
        app_id,
        app_name,
        client: match client {
            0 => ClientKind::Browser,
            2 => ClientKind::Confidential,
            _ => ClientKind::Native,
        },
        interactive: flags & 2 != 0,
        from_prt: flags & 4 != 0,
        error: u32::from_le_bytes(error),
        device_id,
        device_name,
        os,
        browser,
        trust,
        compliant: [None, Some(false), Some(true)].get(usize::from(compliant)).copied().flatten(),
        hello: flags & 8 != 0,
        ip,
        country,
    }))
}

fn read_text(input: &mut impl Read) -> io::Result<String> {
    let mut len = [0u8; 4];
    input.read_exact(&mut len)?;
    let mut bytes = vec![0u8; u32::from_le_bytes(len) as usize];
    input.read_exact(&mut bytes)?;
    String::from_utf8(bytes).map_err(io::Error::other)
}

fn read_optional(input: &mut impl Read) -> io::Result<Option<String>> {
    let mut flag = [0u8; 1];
    input.read_exact(&mut flag)?;
    if flag[0] == 0 { Ok(None) } else { read_text(input).map(Some) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(user: &str, at: i64, n: u32) -> LogRecord {
        LogRecord {
            at,
            user: user.into(),
            user_id: n.is_multiple_of(2).then(|| format!("id-{n}")),
            guest: n.is_multiple_of(3),
            app_id: format!("app-{n}"),
            app_name: "Ä name".into(),
            client: [ClientKind::Browser, ClientKind::Native, ClientKind::Confidential][n as usize % 3],
            interactive: n % 2 == 1,
            from_prt: n.is_multiple_of(5),
            error: n * 7,
            device_id: String::new(),
            device_name: "d".into(),
            os: "Windows10".into(),
            browser: "Edge".into(),
            trust: String::new(),
            compliant: [None, Some(false), Some(true)][n as usize % 3],
            hello: n.is_multiple_of(4),
            ip: n.is_multiple_of(2).then(|| "2001:db8::1".parse().unwrap()),
            country: Some("FR".into()),
        }
    }

    fn fields(r: &LogRecord) -> String {
        format!("{r:?}")
    }

    #[test]
    fn spilled_runs_merge_into_the_order_held_records_sort_into() {
        let input: Vec<LogRecord> =
            (0..500u32).map(|n| record(&format!("u{}", (n * 37) % 11), i64::from((n * 13) % 7), n)).collect();
        let sorted = |budget: usize| -> (Vec<String>, usize) {
            let mut s = Sorter::new(budget);
            for r in input.iter().cloned() {
                s.push(r).unwrap();
            }
            let runs = s.runs();
            (s.finish().unwrap().map(|r| fields(&r.unwrap())).collect(), runs)
        };
        let (held, none) = sorted(usize::MAX);
        let (spilled, runs) = sorted(OVERHEAD * 40);
        assert_eq!(none, 0);
        assert!(runs >= 10, "{runs} runs");
        assert_eq!(held.len(), 500);
        assert_eq!(spilled, held);
        let mut expected = input.clone();
        expected.sort_by(|a, b| (&a.user, a.at).cmp(&(&b.user, b.at)));
        assert_eq!(held, expected.iter().map(fields).collect::<Vec<_>>());
        let mut s = Sorter::new(OVERHEAD * 40);
        for r in input.iter().cloned() {
            s.push(r).unwrap();
        }
        let users: Vec<Vec<LogRecord>> = s.finish().unwrap().by_user().map(Result::unwrap).collect();
        assert_eq!(users.len(), 11, "one item per user");
        assert!(users.iter().all(|u| u.iter().all(|r| r.user == u[0].user)));
        assert_eq!(users.iter().map(Vec::len).sum::<usize>(), 500);
    }
}
