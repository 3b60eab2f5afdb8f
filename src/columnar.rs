//! Rows of JSON values written as one Parquet file, a row group at a time:
//! the writer `casim logs --format parquet` (Log Analytics rows) and `casim
//! run --format parquet` (prompts) share. Each column is declared with how
//! it is stored (`Kind`); a row is an object whose keys name the columns, a
//! missing key or a null being a null cell. Rows are held column by column
//! for one row group only, so memory stays flat however many rows come.

use std::io::{self, Write};
use std::sync::Arc;

use parquet::basic::Compression;
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use serde_json::{Map, Value};

/// Rows per row group: a few tens of MiB of sign-ins held at once, and
/// groups large enough for a query engine to skip by their statistics.
pub const ROW_GROUP_ROWS: usize = 1 << 14;

/// How a column is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Time,
    Bool,
    Long,
    Real,
}

impl Kind {
    /// The column's declaration in Parquet's message syntax.
    fn declare(self, name: &str) -> String {
        match self {
            Kind::Text => format!("optional binary {name} (STRING);"),
            Kind::Time => format!("optional int64 {name} (TIMESTAMP(MICROS,true));"),
            Kind::Bool => format!("optional boolean {name};"),
            Kind::Long => format!("optional int64 {name};"),
            Kind::Real => format!("optional double {name};"),
        }
    }
}

/// The values of one column in the row group being filled.
enum Values {
    Text(Vec<ByteArray>),
    Long(Vec<i64>),
    Bool(Vec<bool>),
    Real(Vec<f64>),
}

struct Buffer {
    name: &'static str,
    kind: Kind,
    values: Values,
    /// Parquet's definition levels: 1 where the row has a value, 0 for null.
    defined: Vec<i16>,
}

impl Buffer {
    fn new(name: &'static str, kind: Kind) -> Buffer {
        let values = match kind {
            Kind::Text => Values::Text(Vec::new()),
            Kind::Time | Kind::Long => Values::Long(Vec::new()),
            Kind::Bool => Values::Bool(Vec::new()),
            Kind::Real => Values::Real(Vec::new()),
        };
        Buffer { name, kind, values, defined: Vec::new() }
    }

    /// Adds a row's cell; `None` where its table has no such column.
    fn push(&mut self, cell: Option<&Value>) -> io::Result<()> {
        let present = match (cell, &mut self.values) {
            (None | Some(Value::Null), _) => false,
            (Some(Value::String(s)), Values::Text(v)) => push(v, ByteArray::from(s.as_str())),
            // A `dynamic` cell: its JSON as text.
            (Some(other), Values::Text(v)) => push(v, ByteArray::from(other.to_string().into_bytes())),
            (Some(Value::String(s)), Values::Long(v)) if self.kind == Kind::Time => push(v, micros(self.name, s)?),
            (Some(Value::Number(n)), Values::Long(v)) if n.is_i64() => push(v, n.as_i64().unwrap_or_default()),
            (Some(Value::Bool(b)), Values::Bool(v)) => push(v, *b),
            (Some(Value::Number(n)), Values::Real(v)) => push(v, n.as_f64().unwrap_or_default()),
            (Some(other), _) => {
                return Err(io::Error::other(format!("column {} cannot hold {other}", self.name)));
            }
        };
        self.defined.push(i16::from(present));
        Ok(())
    }

    fn clear(&mut self) {
        self.defined.clear();
        match &mut self.values {
            Values::Text(v) => v.clear(),
            Values::Long(v) => v.clear(),
            Values::Bool(v) => v.clear(),
            Values::Real(v) => v.clear(),
        }
    }
}

fn push<T>(values: &mut Vec<T>, v: T) -> bool {
    values.push(v);
    true
}

fn micros(column: &str, text: &str) -> io::Result<i64> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.timestamp_micros())
        .map_err(|e| io::Error::other(format!("column {column}: {text:?} is not an RFC 3339 time: {e}")))
}

fn parquet_error(e: ParquetError) -> io::Error {
    match e {
        ParquetError::External(inner) => match inner.downcast::<io::Error>() {
            Ok(io) => *io,
            Err(other) => io::Error::other(other),
        },
        other => io::Error::other(other),
    }
}

/// Writes rows to `out` as they come, a row group at a time.
pub struct Table<W: Write + Send> {
    file: SerializedFileWriter<W>,
    buffers: Vec<Buffer>,
    rows: usize,
}

impl<W: Write + Send> Table<W> {
    /// A file of `columns`, in that order; `name` names its schema.
    pub fn new(out: W, name: &str, columns: &[(&'static str, Kind)]) -> io::Result<Table<W>> {
        let declarations: Vec<String> = columns.iter().map(|(column, kind)| kind.declare(column)).collect();
        let schema =
            parse_message_type(&format!("message {name} {{ {} }}", declarations.join(" "))).map_err(parquet_error)?;
        // Snappy: what Spark and Kusto write, and cheap to build in.
        let properties = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("casim version {}", env!("CARGO_PKG_VERSION")))
            .build();
        let file = SerializedFileWriter::new(out, Arc::new(schema), Arc::new(properties)).map_err(parquet_error)?;
        let buffers = columns.iter().map(|(column, kind)| Buffer::new(column, *kind)).collect();
        Ok(Table { file, buffers, rows: 0 })
    }

    /// Adds one row, writing the row group once it is full.
    pub fn push(&mut self, cells: &Map<String, Value>) -> io::Result<()> {
        for buffer in &mut self.buffers {
            buffer.push(cells.get(buffer.name))?;
        }
        self.rows += 1;
        if self.rows == ROW_GROUP_ROWS { self.flush_group() } else { Ok(()) }
    }

    fn flush_group(&mut self) -> io::Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut group = self.file.next_row_group().map_err(parquet_error)?;
        for buffer in &mut self.buffers {
            let mut column = group
                .next_column()
                .map_err(parquet_error)?
                .ok_or_else(|| io::Error::other(format!("the schema has no column {}", buffer.name)))?;
            let defined = Some(buffer.defined.as_slice());
            match &buffer.values {
                Values::Text(v) => column.typed::<ByteArrayType>().write_batch(v, defined, None),
                Values::Long(v) => column.typed::<Int64Type>().write_batch(v, defined, None),
                Values::Bool(v) => column.typed::<BoolType>().write_batch(v, defined, None),
                Values::Real(v) => column.typed::<DoubleType>().write_batch(v, defined, None),
            }
            .map_err(parquet_error)?;
            column.close().map_err(parquet_error)?;
            buffer.clear();
        }
        group.close().map_err(parquet_error)?;
        self.rows = 0;
        Ok(())
    }

    /// Writes the last row group and the footer; returns the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.flush_group()?;
        self.file.into_inner().map_err(parquet_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use serde_json::json;

    fn row(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn missing_keys_and_nulls_are_null_cells_and_json_is_text() {
        let columns = [("at", Kind::Time), ("name", Kind::Text), ("n", Kind::Long), ("ok", Kind::Bool)];
        let mut table = Table::new(Vec::new(), "t", &columns).unwrap();
        table.push(&row(json!({"at": "2026-01-05T09:00:00Z", "name": {"a": 1}, "n": 3, "ok": true}))).unwrap();
        table.push(&row(json!({"name": null}))).unwrap();
        let bytes = bytes::Bytes::from(table.finish().unwrap());
        let reader = SerializedFileReader::new(bytes).unwrap();
        let rows: Vec<String> = reader.get_row_iter(None).unwrap().map(|r| r.unwrap().to_string()).collect();
        assert_eq!(rows.len(), 2);
        assert!(rows[0].contains(r#"name: "{"a":1}""#) && rows[0].contains("n: 3"), "{}", rows[0]);
        assert!(rows[1].contains("name: null") && rows[1].contains("at: null"), "{}", rows[1]);
    }

    #[test]
    fn a_value_of_another_type_is_an_error_naming_the_column() {
        let mut table = Table::new(Vec::new(), "t", &[("n", Kind::Long)]).unwrap();
        let e = table.push(&row(json!({"n": "three"}))).unwrap_err();
        assert!(e.to_string().contains("column n"), "{e}");
    }
}
