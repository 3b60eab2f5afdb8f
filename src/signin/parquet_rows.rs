//! Log Analytics rows as Parquet (`casim logs --format parquet`): the rows
//! `--format ndjson` writes, both tables in one file.
//!
//! One schema holds both tables: the union of the columns casim writes in
//! either, in the order they first appear (`SigninLogs`' order, then the
//! columns only `AADNonInteractiveUserSignInLogs` has), with `Type` naming
//! each row's table and nulls where its table lacks a column. Types follow
//! Kusto's own Parquet export (docs/logs.md): `string` and `dynamic` are
//! UTF-8 strings (a `dynamic` value as its JSON text, so the columns the two
//! tables type differently agree), `datetime` a UTC timestamp in
//! microseconds, `bool` a boolean, `long` an INT64, `real` a DOUBLE.

use std::io::{self, Write};

use serde_json::Map;

use super::log_analytics::{self, Field, NON_INTERACTIVE_USER_SIGNIN_LOGS, SIGNIN_LOGS, Ty};
use super::record::SignIn;
use crate::columnar::{Kind, Table};

fn kind(ty: Ty) -> Kind {
    match ty {
        Ty::String | Ty::Dynamic => Kind::Text,
        Ty::DateTime => Kind::Time,
        Ty::Bool => Kind::Bool,
        Ty::Long => Kind::Long,
        Ty::Real => Kind::Real,
    }
}

/// The file's columns: every column casim writes in either table, once.
pub fn columns() -> Vec<(&'static str, Kind)> {
    let mut out: Vec<(&'static str, Kind)> = Vec::new();
    for c in SIGNIN_LOGS.iter().chain(NON_INTERACTIVE_USER_SIGNIN_LOGS) {
        if c.field != Field::Absent && !out.iter().any(|(name, _)| *name == c.name) {
            out.push((c.name, kind(c.ty)));
        }
    }
    out
}

/// Writes Log Analytics rows to `out` as they come.
pub struct ParquetRows<W: Write + Send> {
    table: Table<W>,
}

impl<W: Write + Send> ParquetRows<W> {
    pub fn new(out: W) -> io::Result<ParquetRows<W>> {
        Ok(ParquetRows { table: Table::new(out, "SignIns", &columns())? })
    }

    /// Adds one record's row.
    pub fn record(&mut self, record: &SignIn) -> io::Result<()> {
        match serde_json::to_value(log_analytics::row(record))? {
            serde_json::Value::Object(cells) => self.table.push(&cells),
            _ => self.table.push(&Map::new()),
        }
    }

    /// Writes the last rows and the footer; returns the output.
    pub fn finish(self) -> io::Result<W> {
        self.table.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_tables_share_one_column_list_with_their_types() {
        let cols = columns();
        let kind = |name: &str| cols.iter().find(|(n, _)| *n == name).map(|(_, k)| *k);
        assert_eq!(kind("TimeGenerated"), Some(Kind::Time));
        assert_eq!(kind("IsInteractive"), Some(Kind::Bool));
        assert_eq!(kind("DurationMs"), Some(Kind::Long));
        assert_eq!(kind("DeviceDetail"), Some(Kind::Text), "dynamic in one table, string in the other");
        assert_eq!(kind("SignInEventTypes"), Some(Kind::Text), "only the non-interactive table has it");
        assert_eq!(kind("AADTenantId"), Some(Kind::Text), "only SigninLogs has it");
        assert_eq!(kind("MfaDetail"), None, "casim writes no such column");
        assert_eq!(cols.iter().filter(|(n, _)| *n == "Type").count(), 1);
    }
}
