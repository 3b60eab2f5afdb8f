//! A quick reader for plain YAML: what `casim generate` writes and most
//! hand-written scenarios hold. Block maps and lists whose entries fit on one
//! line, with words, quoted text without escapes, whole numbers, booleans and
//! one-line flow maps and lists as values (`- {at: "...", do: use, device: d}`).
//!
//! serde-saphyr reads a generated population of 8,000 users (37 MB, 300,000
//! steps) in about 5 s, most of it per-node work this format does not need
//! (issue 11); this reader takes a small fraction of that. It fills the same
//! types through serde, with the positions serde-saphyr gives (`Spanned`: the
//! first key of a block map, the `-` of a block list, the `{`, `[` or quote
//! of a flow value or scalar), and gives up on anything else: anchors, tags,
//! block scalars, escapes, flow values over several lines, tabs, non-ASCII
//! text, values whose type YAML would have to guess, and every error.
//! `parse_yaml` then reads the text with serde-saphyr, whose values and
//! error messages stay the reference; `tests::reads_as_serde_saphyr_does`
//! holds this reader to them.

use std::collections::HashSet;
use std::fmt;

use serde::de::value::{BorrowedStrDeserializer, StrDeserializer};
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};

use super::raw::{DEFERRED_LIST, P, POSITIONED, Position, RawEntry};

mod generated;
mod nodes;
mod reader;
mod timeline;

// The three parts see each other's items through this module.
use self::generated::generated_entry;
use self::nodes::*;
use self::reader::*;
pub(crate) use self::timeline::{Entry, ITEMS_PER_STRETCH, ListAt, QuickEntry, read_entries};

/// The document, read quickly; `None` when it is not plain YAML as above (or
/// does not fit `T`), and serde-saphyr has to read it.
pub(crate) fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
    // Tabs, carriage returns and other control characters: serde-saphyr's to
    // read. Other text is ASCII but in comments, which keeps columns (counted
    // in characters) equal to byte offsets wherever a value starts.
    if !readable(text.as_bytes()) {
        return None;
    }
    let mut reader = Reader { text, bytes: text.as_bytes(), pos: 0, line: 1, line_start: 0, open: 0, keys: Vec::new() };
    let value = T::deserialize(Node { r: &mut reader, at: At::Document }).ok()?;
    // Whatever follows the document (a second one, stray text) is for serde-saphyr to judge.
    (reader.open == 0 && reader.content_line().is_none()).then_some(value)
}

/// Whether `bytes` hold no control character but line breaks. Written to
/// run without a branch per byte, over blocks, so that it is not a
/// noticeable part of reading (37 MB for 8,000 generated users).
fn readable(bytes: &[u8]) -> bool {
    bytes.chunks(4096).all(|block| {
        let control = block.iter().fold(0u8, |found, &b| found | u8::from((b < b' ' && b != b'\n') || b == 0x7f));
        control == 0
    })
}

/// Why the reader gave up. Never shown: serde-saphyr reads the text instead.
#[derive(Debug)]
pub(crate) struct GiveUp;

impl fmt::Display for GiveUp {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("not plain YAML")
    }
}

impl std::error::Error for GiveUp {}

impl de::Error for GiveUp {
    fn custom<T: fmt::Display>(_: T) -> Self {
        GiveUp
    }
}

type R<T> = Result<T, GiveUp>;

/// Nested collections deeper than this are left to serde-saphyr (and its limits).
const MAX_DEPTH: usize = 64;

/// Maps with more keys than this find duplicates with a hash set.
const FEW_KEYS: usize = 16;

/// serde-saphyr's marker for `Spanned` (see `serde_saphyr::Spanned`'s `Deserialize`).
const SPANNED: &str = "__yaml_spanned";
const SPANNED_MARKER: &str = "__serde_saphyr_private_spanned";

#[cfg(test)]
pub(crate) mod tests;
