//! R-LOG-1: sign-in records written as the engine produces them, in Graph's
//! JSON list, Log Analytics NDJSON, the diagnostic settings envelope, the admin
//! center's CSV download, casim's CSV or a table; with an aggregation
//! window, groups instead of records (R-LOG-2). Nothing is collected: memory
//! stays flat however long the timeline (one window is held at a time).

use std::io::{self, Write};

use serde_json::Value;

use super::aggregate::Aggregator;
use super::record::SignIn;
use super::{admin_csv, diagnostic, formats, log_analytics};
use crate::time::{Instant, Zone};

/// The `@odata.context` of Graph's `GET /beta/auditLogs/signIns`.
pub const ODATA_CONTEXT: &str = "https://graph.microsoft.com/beta/$metadata#auditLogs/signIns";

/// How records are written (docs/logs.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Json,
    Ndjson,
    Diagnostic,
    AdminCsv,
    Csv,
    Table,
}

/// Writes records (or groups) as they come. The first write error stops the
/// output and is returned by `finish`.
pub struct LogWriter<W: Write> {
    out: W,
    format: LogFormat,
    aggregator: Option<Aggregator>,
    expand: bool,
    written: u64,
    error: Option<io::Error>,
    /// The scenario's zone: a table writes its records' local times.
    zone: Zone,
}

impl<W: Write> LogWriter<W> {
    pub fn new(out: W, format: LogFormat, window: Option<i64>, expand: bool) -> LogWriter<W> {
        let aggregator = window.map(|w| Aggregator::new(w, expand));
        LogWriter { out, format, aggregator, expand, written: 0, error: None, zone: Zone::UTC }
    }

    /// With a `timezone:`, a table's TIME column is the local calendar time
    /// and its offset (`Thu 8 Jan 09:00 +01:00`); the other formats keep
    /// Graph's UTC `createdDateTime`.
    pub fn on_clock(mut self, zone: Zone) -> LogWriter<W> {
        self.zone = zone;
        self
    }

    fn write(&mut self, f: impl FnOnce(&mut W) -> io::Result<()>) {
        if self.error.is_some() {
            return;
        }
        if let Err(e) = f(&mut self.out) {
            self.error = Some(e);
        }
    }

    pub fn begin(&mut self) {
        let aggregated = self.aggregator.is_some();
        let expand = self.expand;
        match self.format {
            LogFormat::Json if aggregated => self.write(|o| o.write_all(b"{\"value\":[")),
            LogFormat::Json => self.write(|o| write!(o, "{{\"@odata.context\":\"{ODATA_CONTEXT}\",\"value\":[")),
            LogFormat::Ndjson => {}
            LogFormat::Diagnostic => self.write(|o| o.write_all(diagnostic::OPEN)),
            LogFormat::AdminCsv => self.write(|o| write!(o, "{}\r\n", admin_csv::header())),
            LogFormat::Csv if aggregated => self.write(|o| write!(o, "{}\r\n", formats::aggregate_csv_header(expand))),
            LogFormat::Csv => self.write(|o| write!(o, "{}\r\n", formats::csv_header())),
            LogFormat::Table if aggregated => self.write(|o| writeln!(o, "{}", formats::aggregate_table_header())),
            LogFormat::Table if self.zone.is_set() => {
                self.write(|o| writeln!(o, "{}", formats::table_header_with(formats::LOCAL_TIME_WIDTH)))
            }
            LogFormat::Table => self.write(|o| writeln!(o, "{}", formats::table_header())),
        }
    }

    pub fn record(&mut self, at: Instant, mut record: SignIn) {
        if self.error.is_some() {
            return;
        }
        if let Some(agg) = self.aggregator.as_mut() {
            let closed = agg.push(at, &record);
            for group in &closed {
                self.group(group);
            }
            return;
        }
        let first = self.written == 0;
        self.written += 1;
        match self.format {
            LogFormat::Json => self.write(|o| {
                o.write_all(if first { b"\n" } else { b",\n" })?;
                serde_json::to_writer(&mut *o, &record).map_err(io::Error::from)
            }),
            LogFormat::Ndjson => self.write(|o| {
                serde_json::to_writer(&mut *o, &log_analytics::row(&record))?;
                o.write_all(b"\n")
            }),
            LogFormat::Diagnostic => {
                // The envelope's `properties` spell `userType` as Log Analytics does.
                record.user_type = log_analytics::user_type(record.user_type);
                self.write(|o| {
                    o.write_all(if first { b"\n" } else { b",\n" })?;
                    serde_json::to_writer(&mut *o, &diagnostic::record(&record)).map_err(io::Error::from)
                })
            }
            LogFormat::AdminCsv => self.write(|o| write!(o, "{}\r\n", admin_csv::row(&record))),
            LogFormat::Csv => self.write(|o| write!(o, "{}\r\n", formats::to_csv_row(&record))),
            LogFormat::Table if self.zone.is_set() => {
                let local = self.zone.calendar(at);
                self.write(|o| writeln!(o, "{}", formats::to_table_row_at(&record, local.as_str())))
            }
            LogFormat::Table => self.write(|o| writeln!(o, "{}", formats::to_table_row(&record))),
        }
    }

    /// One aggregated group.
    fn group(&mut self, v: &Value) {
        let first = self.written == 0;
        self.written += 1;
        let expand = self.expand;
        match self.format {
            LogFormat::Json | LogFormat::Diagnostic => self.write(|o| {
                o.write_all(if first { b"\n" } else { b",\n" })?;
                serde_json::to_writer(&mut *o, v).map_err(io::Error::from)
            }),
            LogFormat::Ndjson => self.write(|o| {
                serde_json::to_writer(&mut *o, v)?;
                o.write_all(b"\n")
            }),
            // `casim logs` refuses --aggregate with the Microsoft shapes; groups
            // have no such shape, so these get casim's own.
            LogFormat::Csv | LogFormat::AdminCsv => {
                self.write(|o| write!(o, "{}\r\n", formats::aggregate_to_csv_row(v, expand)))
            }
            LogFormat::Table => self.write(|o| {
                writeln!(o, "{}", formats::aggregate_to_table_row(v))?;
                if expand {
                    for r in v["records"].as_array().into_iter().flatten() {
                        writeln!(o, "    {}", formats::value_to_table_row(r))?;
                    }
                }
                Ok(())
            }),
        }
    }

    /// Whether a write failed: the caller may stop producing records.
    pub fn failed(&self) -> bool {
        self.error.is_some()
    }

    /// Closes the groups and the JSON list, flushes, and returns the first
    /// write error, or the output.
    pub fn finish(mut self) -> io::Result<W> {
        if let Some(mut agg) = self.aggregator.take() {
            let groups = agg.finish();
            self.aggregator = Some(agg);
            for g in &groups {
                self.group(g);
            }
        }
        let empty = self.written == 0;
        if matches!(self.format, LogFormat::Json | LogFormat::Diagnostic) {
            self.write(|o| o.write_all(if empty { b"]}\n" } else { b"\n]}\n" }));
        }
        self.write(|o| o.flush());
        match self.error {
            None => Ok(self.out),
            Some(e) => Err(e),
        }
    }
}
