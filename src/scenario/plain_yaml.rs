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

/// Where a block list lies in the text, found without reading it (a
/// deferred `timeline:`, `raw::RawTimeline`): its first item, its
/// indentation, and where the text after it starts. (`pub`: `raw::RawTimeline`
/// holds it; its fields stay private.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListAt {
    indent: usize,
    end: usize,
    /// How many items it has.
    items: usize,
    /// Where every `ITEMS_PER_STRETCH`-th item starts, the first included:
    /// stretches of the list read apart (in parallel), each up to the next.
    stretches: Vec<Place>,
}

/// An item's start: its position, and its line and where that starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Place {
    pos: usize,
    line: usize,
    line_start: usize,
}

/// Items in a stretch of a deferred list: enough to make reading one worth a
/// task, few enough that a generated population spreads over the cores.
const ITEMS_PER_STRETCH: usize = 4096;

impl ListAt {
    /// The numbers of `ListAt::read`.
    fn fields(self) -> de::value::SeqDeserializer<std::vec::IntoIter<u64>, GiveUp> {
        let places = self.stretches.iter().flat_map(|p| [p.pos, p.line, p.line_start]);
        let head = [self.indent, self.end, self.items];
        let numbers: Vec<u64> = head.into_iter().chain(places).map(|n| n as u64).collect();
        de::value::SeqDeserializer::new(numbers.into_iter())
    }

    /// A `ListAt` from the numbers `fields` gives.
    pub(crate) fn read<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<ListAt, A::Error> {
        let mut next = || -> Result<Option<usize>, A::Error> {
            seq.next_element::<u64>()?.map(|n| usize::try_from(n).map_err(de::Error::custom)).transpose()
        };
        let missing = || de::Error::custom("where a list lies");
        let (indent, end, items) =
            (next()?.ok_or_else(missing)?, next()?.ok_or_else(missing)?, next()?.ok_or_else(missing)?);
        let mut stretches = Vec::new();
        while let Some(pos) = next()? {
            let (line, line_start) = (next()?.ok_or_else(missing)?, next()?.ok_or_else(missing)?);
            stretches.push(Place { pos, line, line_start });
        }
        Ok(ListAt { indent, end, items, stretches })
    }
}

/// A timeline entry as read: a step of text values, read quickly, its text
/// borrowed from the scenario's (`quick_entry`); or any entry, read by serde.
#[derive(Debug)]
pub(crate) enum Entry<'a> {
    Quick(P<RawEntry<&'a str>>),
    Read(P<RawEntry>),
}

/// Reads the timeline entries of the block list `at` of `text`, stretch by
/// stretch in parallel, handing each entry to `each` with the stretch's `T`
/// (made by `new` for so many entries), and `each` says whether to go on. The stretches' `T`s in
/// list order, if the list was read to its end as it was found and `each`
/// accepted every entry; if not, it is not plain YAML after all (or `each`
/// refused an entry), and serde-saphyr has to read it.
pub(crate) fn read_entries<'a, T: Send>(
    text: &'a str,
    at: &ListAt,
    new: impl Fn(usize) -> T + Sync,
    each: impl Fn(Entry<'a>, &mut T) -> bool + Sync,
) -> Option<Vec<T>> {
    use rayon::prelude::*;
    let ends = at.stretches.iter().skip(1).map(|p| p.pos).chain([at.end]);
    let stretches: Vec<(Place, usize)> = at.stretches.iter().copied().zip(ends).collect();
    stretches
        .par_iter()
        .enumerate()
        .map(|(i, &(from, to))| {
            let last = i + 1 == stretches.len();
            let items = if last { at.items - ITEMS_PER_STRETCH * i } else { ITEMS_PER_STRETCH };
            let mut found = new(items);
            read_stretch(text, at.indent, from, to, last, |entry| each(entry, &mut found)).then_some(found)
        })
        .collect()
}

/// The entries of the list at `indent` from `from` (an item's start) to `to`,
/// where the next stretch starts (or, for the `last`, where the list ends).
fn read_stretch<'a>(
    text: &'a str,
    indent: usize,
    from: Place,
    to: usize,
    last: bool,
    mut each: impl FnMut(Entry<'a>) -> bool,
) -> bool {
    if from.line_start > from.pos || from.pos > to || to > text.len() {
        return false;
    }
    let (pos, line, line_start) = (from.pos, from.line, from.line_start);
    let mut reader = Reader { text, bytes: text.as_bytes(), pos, line, line_start, open: 1, keys: Vec::new() };
    let mut list = BlockList { r: &mut reader, indent, first: true };
    loop {
        if !last && !list.first && list.r.content_line().is_some_and(|_| list.r.pos == to) {
            return list.r.open == 1;
        }
        match list.item_start() {
            Ok(true) => {}
            Ok(false) => break,
            Err(_) => return false,
        }
        let before = (list.r.pos, list.r.open);
        let entry = match quick_entry(list.r) {
            Some(entry) if list.r.end_of_line().is_ok() => Entry::Quick(entry),
            Some(_) => return false,
            None => {
                (list.r.pos, list.r.open) = before;
                match list.item_value(std::marker::PhantomData::<P<RawEntry>>) {
                    Ok(entry) => Entry::Read(entry),
                    Err(_) => return false,
                }
            }
        };
        if !each(entry) {
            return false;
        }
    }
    last && reader.open == 0 && reader.pos == to
}

/// A step written as a one-line flow map of text values (as `casim generate`
/// writes them: `{at: "...", do: use, device: d, app: teams}`), read without
/// serde, as serde reads it through `Node`: the same values and positions.
/// `None` for anything else (another type of value, an unknown or repeated
/// key, null), which is left to serde from the same place.
fn quick_entry<'a>(r: &mut Reader<'a>) -> Option<P<RawEntry<&'a str>>> {
    if r.peek() != b'{' {
        return None;
    }
    let (line, column) = r.location();
    r.open().ok()?;
    r.pos += 1;
    let mut entry = RawEntry::default();
    let mut first = true;
    while !flow_next(r, std::mem::take(&mut first), b'}').ok()? {
        let key = r.key().ok()?;
        r.skip_spaces();
        let (value_line, value_column) = r.location();
        let value = match r.peek() {
            b'"' | b'\'' => r.quoted().ok()?,
            _ => Some(r.plain(true).ok()?).filter(|v| !nullish(v))?,
        };
        let slot = entry.text_field(key)?;
        if slot.is_some() {
            return None;
        }
        *slot = Some(P { value, referenced: position(value_line, value_column)? });
    }
    Some(P { value: entry, referenced: position(line, column)? })
}

fn position(line: usize, column: usize) -> Option<Position> {
    Some(Position { line: u32::try_from(line).ok()?, column: u32::try_from(column).ok()? })
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
use super::raw::{DEFERRED_LIST, P, POSITIONED, Position, RawEntry};

/// Where a node lies, relative to the reader's position.
#[derive(Debug, Clone, Copy)]
enum At {
    /// The whole document: a block map or list from its first line.
    Document,
    /// On the lines after `key:`: a block map indented more than the key, or
    /// a block list indented at least as much.
    Below { parent: usize },
    /// On this line: after `key: ` or `- ` (`flow: false`), or inside a flow map or list.
    Inline { flow: bool },
    /// A block map starting on the line of a list item (`- key: value`),
    /// its keys at this indentation.
    Item { indent: usize },
}

/// What a node is, found at its start.
enum Kind<'a> {
    BlockMap(usize),
    BlockList(usize),
    FlowMap,
    FlowList,
    Plain(&'a str),
    Quoted(&'a str),
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// The line of `pos`, from 1, and where it starts.
    line: usize,
    line_start: usize,
    /// Maps and lists started and not yet read to their end.
    open: usize,
    /// The keys of the maps being read (each its own stretch), to refuse duplicates as serde-saphyr does.
    keys: Vec<&'a str>,
}

/// A character of a plain scalar: words, names, ids, times, e-mail addresses,
/// durations. (`#` too, but not after a space, where it starts a comment.)
fn plain_char(b: u8) -> bool {
    PLAIN[usize::from(b)]
}

/// `plain_char` as a table: it is asked of every character of every scalar.
static PLAIN: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b'/' | b'@' | b'+' | b'(' | b')');
        b += 1;
    }
    table
};

/// Text YAML reads as null (serde-saphyr refuses it where text is expected).
fn nullish(s: &str) -> bool {
    matches!(s, "~" | "null" | "Null" | "NULL")
}

/// A plain scalar that every YAML schema reads as text, so that a visitor
/// taking any type may be given a string: a word that is not a boolean,
/// null or a special float in YAML 1.1 or 1.2.
fn surely_text(s: &str) -> bool {
    const SPECIAL: [&str; 12] = ["true", "false", "yes", "no", "on", "off", "y", "n", "null", "nan", "inf", "infinity"];
    s.as_bytes()[0].is_ascii_alphabetic() && !SPECIAL.iter().any(|w| s.eq_ignore_ascii_case(w))
}

/// A whole number as YAML writes it in every schema: digits, no sign, no leading zero.
fn whole_number(s: &str) -> Option<u64> {
    let digits = s.bytes().all(|b| b.is_ascii_digit());
    if digits && (s == "0" || !s.starts_with('0')) { s.parse().ok() } else { None }
}

/// A decimal number as every schema reads it: a whole number, or one with a
/// fraction (`0.04`), without sign or exponent.
fn decimal(s: &str) -> Option<f64> {
    let (whole, fraction) = s.split_once('.').unwrap_or((s, "0"));
    let digits = !fraction.is_empty() && fraction.bytes().all(|b| b.is_ascii_digit());
    if digits && whole_number(whole).is_some() { s.parse().ok() } else { None }
}

impl<'a> Reader<'a> {
    fn peek(&self) -> u8 {
        self.bytes.get(self.pos).copied().unwrap_or(b'\n')
    }

    fn at_eof(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    /// The position of `pos` as serde-saphyr gives it: line and column from 1.
    fn location(&self) -> (usize, usize) {
        (self.line, self.pos - self.line_start + 1)
    }

    fn skip_spaces(&mut self) {
        while self.bytes.get(self.pos) == Some(&b' ') {
            self.pos += 1;
        }
    }

    /// Past the end of this line.
    fn next_line(&mut self) {
        match self.text[self.pos..].find('\n') {
            Some(n) => {
                self.pos += n + 1;
                self.line += 1;
                self.line_start = self.pos;
            }
            None => self.pos = self.bytes.len(),
        }
    }

    /// Moves to the first character of the next line that holds more than
    /// spaces and a comment, and returns its indentation; stays where it is
    /// when already there. `None` at the end of the text.
    fn content_line(&mut self) -> Option<usize> {
        if self.at_eof() {
            return None;
        }
        if self.pos > self.line_start {
            return Some(self.pos - self.line_start);
        }
        loop {
            self.skip_spaces();
            match self.bytes.get(self.pos) {
                None => return None,
                Some(b'\n' | b'#') => self.next_line(),
                Some(_) => return Some(self.pos - self.line_start),
            }
        }
    }

    /// The end of a line whose value was read: spaces, a comment, the line break.
    fn end_of_line(&mut self) -> R<()> {
        let before = self.pos;
        self.skip_spaces();
        match self.peek() {
            b'#' if self.pos > before => self.next_line(),
            b'\n' => self.next_line(),
            _ => return Err(GiveUp),
        }
        Ok(())
    }

    /// Whether a block list item starts here: `- ` (a lone `-` opens a block below it).
    fn list_item(&self) -> bool {
        self.bytes.get(self.pos) == Some(&b'-') && self.bytes.get(self.pos + 1) == Some(&b' ')
    }

    /// A plain scalar: plain characters, inner spaces, and colons not
    /// followed by a space; outside flow maps and lists (`flow: false`),
    /// brackets and commas too. It ends before a space, comment, `: `, the
    /// line's end (or in flow, `,`, `}`, `]`); whatever ends it is for the
    /// caller to accept. Keys are read as in flow (no brackets or commas).
    fn plain(&mut self, flow: bool) -> R<&'a str> {
        let start = self.pos;
        let b = self.bytes;
        if !b.get(start).is_some_and(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'/')) {
            return Err(GiveUp);
        }
        let punctuation = |c: u8| !flow && matches!(c, b',' | b'[' | b']' | b'{' | b'}');
        let mut i = start;
        let end = loop {
            // The common characters in a tight loop, the others one by one.
            while i < b.len() && plain_char(b[i]) {
                i += 1;
            }
            match b.get(i) {
                Some(b':') if b.get(i + 1).is_some_and(|&n| plain_char(n)) => i += 1,
                Some(&c) if c == b'#' || punctuation(c) => i += 1,
                Some(b' ') => {
                    let word = b[i..].iter().position(|&n| n != b' ').map_or(b.len(), |n| i + n);
                    if word < b.len() && (plain_char(b[word]) || punctuation(b[word])) {
                        i = word;
                    } else {
                        break i;
                    }
                }
                _ => break i,
            }
        };
        self.pos = end;
        Ok(&self.text[start..end])
    }

    /// A quoted scalar without escapes on one line, from its opening quote.
    fn quoted(&mut self) -> R<&'a str> {
        let quote = self.bytes[self.pos];
        let start = self.pos + 1;
        let stop = |b: u8| b == quote || b == b'\n' || b == b'\\' || !b.is_ascii();
        let len = self.bytes[start..].iter().position(|&b| stop(b)).ok_or(GiveUp)?;
        let end = start + len;
        // An escape, a doubled single quote, a line break or non-ASCII text: serde-saphyr's to read.
        if self.bytes[end] != quote || self.bytes.get(end + 1) == Some(&quote) {
            return Err(GiveUp);
        }
        self.pos = end + 1;
        Ok(&self.text[start..end])
    }

    /// A map key and its `:`, which a space or the line's end follows.
    fn key(&mut self) -> R<&'a str> {
        let key = match self.peek() {
            b'"' | b'\'' => self.quoted()?,
            _ => self.plain(true)?,
        };
        let next = self.bytes.get(self.pos + 1).copied().unwrap_or(b'\n');
        if self.peek() != b':' || !matches!(next, b' ' | b'\n') || nullish(key) {
            return Err(GiveUp);
        }
        self.pos += 1;
        Ok(key)
    }

    /// Past the block list at `indent` whose first item is here, without
    /// reading it: its items, and the lines below them, more indented.
    fn skip_list(&mut self, indent: usize) -> ListAt {
        let mut stretches = vec![Place { pos: self.pos, line: self.line, line_start: self.line_start }];
        let mut items = 1;
        loop {
            self.next_line();
            match self.content_line() {
                Some(n) if n > indent => {}
                Some(n) if n == indent && self.list_item() => {
                    if items % ITEMS_PER_STRETCH == 0 {
                        stretches.push(Place { pos: self.pos, line: self.line, line_start: self.line_start });
                    }
                    items += 1;
                }
                _ => return ListAt { indent, end: self.pos, items, stretches },
            }
        }
    }

    /// A collection starts: refused past `MAX_DEPTH`.
    fn open(&mut self) -> R<()> {
        self.open += 1;
        if self.open > MAX_DEPTH { Err(GiveUp) } else { Ok(()) }
    }
}

/// The keys of one map, for duplicates: a stretch of `Reader::keys`, or a
/// hash set once there are many.
struct Keys<'a> {
    from: usize,
    many: Option<HashSet<&'a str>>,
}

impl<'a> Keys<'a> {
    fn new(r: &Reader<'a>) -> Keys<'a> {
        Keys { from: r.keys.len(), many: None }
    }

    fn add(&mut self, r: &mut Reader<'a>, key: &'a str) -> R<()> {
        if let Some(set) = &mut self.many {
            return if set.insert(key) { Ok(()) } else { Err(GiveUp) };
        }
        if r.keys[self.from..].contains(&key) {
            return Err(GiveUp);
        }
        r.keys.push(key);
        if r.keys.len() - self.from > FEW_KEYS {
            self.many = Some(r.keys.drain(self.from..).collect());
        }
        Ok(())
    }

    fn close(&self, r: &mut Reader<'a>) {
        r.keys.truncate(self.from);
    }
}

/// A node to read, where `at` says.
struct Node<'r, 'a> {
    r: &'r mut Reader<'a>,
    at: At,
}

impl<'r, 'a> Node<'r, 'a> {
    /// Moves to the node's first character; its position is the node's.
    fn locate(&mut self) -> R<(usize, usize)> {
        match self.at {
            At::Document | At::Below { .. } => {
                self.r.content_line().ok_or(GiveUp)?;
            }
            At::Inline { .. } => self.r.skip_spaces(),
            At::Item { .. } => {}
        }
        Ok(self.r.location())
    }

    /// What the node is; a scalar is read, a collection is left at its start.
    fn kind(&mut self) -> R<Kind<'a>> {
        self.locate()?;
        let r = &mut *self.r;
        match self.at {
            At::Document | At::Below { .. } => {
                let indent = r.pos - r.line_start;
                match self.at {
                    At::Document if indent > 0 => Err(GiveUp),
                    At::Document => Ok(if r.list_item() { Kind::BlockList(0) } else { Kind::BlockMap(0) }),
                    At::Below { parent } if r.list_item() && indent >= parent => Ok(Kind::BlockList(indent)),
                    At::Below { parent } if indent > parent && !r.list_item() => Ok(Kind::BlockMap(indent)),
                    _ => Err(GiveUp), // an empty value (null)
                }
            }
            At::Item { indent } => Ok(Kind::BlockMap(indent)),
            At::Inline { flow } => match r.peek() {
                b'{' => Ok(Kind::FlowMap),
                b'[' => Ok(Kind::FlowList),
                b'"' | b'\'' => r.quoted().map(Kind::Quoted),
                b'\n' | b'#' | b',' | b'}' | b']' => Err(GiveUp), // null
                _ => r.plain(flow).map(Kind::Plain),
            },
        }
    }

    /// A text scalar, for a visitor expecting text.
    fn text(&mut self) -> R<&'a str> {
        match self.kind()? {
            Kind::Quoted(s) => Ok(s),
            Kind::Plain(s) if !nullish(s) => Ok(s),
            _ => Err(GiveUp),
        }
    }

    fn map<V: Visitor<'a>>(mut self, visitor: V) -> R<V::Value> {
        let open = self.r.open;
        let value = match self.kind()? {
            Kind::BlockMap(indent) => {
                self.r.open()?;
                visitor.visit_map(BlockMap { keys: Keys::new(self.r), r: self.r, indent, first: true })?
            }
            Kind::FlowMap => {
                self.r.open()?;
                self.r.pos += 1;
                visitor.visit_map(FlowMap { keys: Keys::new(self.r), r: self.r, first: true })?
            }
            _ => return Err(GiveUp),
        };
        // A visitor that stopped before the end would leave the rest unread.
        if self.r.open == open { Ok(value) } else { Err(GiveUp) }
    }

    fn list<V: Visitor<'a>>(mut self, visitor: V) -> R<V::Value> {
        let open = self.r.open;
        let value = match self.kind()? {
            Kind::BlockList(indent) => {
                self.r.open()?;
                visitor.visit_seq(BlockList { r: self.r, indent, first: true })?
            }
            Kind::FlowList => {
                self.r.open()?;
                self.r.pos += 1;
                visitor.visit_seq(FlowList { r: self.r, first: true })?
            }
            _ => return Err(GiveUp),
        };
        if self.r.open == open { Ok(value) } else { Err(GiveUp) }
    }
}

/// The `Deserializer` methods this reader leaves to serde-saphyr.
macro_rules! give_up {
    ($($method:ident),*) => {
        $(fn $method<V: Visitor<'a>>(self, _visitor: V) -> R<V::Value> {
            Err(GiveUp)
        })*
    };
}

impl<'r, 'a> de::Deserializer<'a> for Node<'r, 'a> {
    type Error = GiveUp;

    fn deserialize_any<V: Visitor<'a>>(mut self, visitor: V) -> R<V::Value> {
        // Finding a collection's kind reads nothing of it: `map` and `list` find it again.
        match self.kind()? {
            Kind::BlockMap(_) | Kind::FlowMap => self.map(visitor),
            Kind::BlockList(_) | Kind::FlowList => self.list(visitor),
            Kind::Quoted(s) => visitor.visit_borrowed_str(s),
            Kind::Plain(s) if surely_text(s) => visitor.visit_borrowed_str(s),
            Kind::Plain(_) => Err(GiveUp),
        }
    }

    fn deserialize_bool<V: Visitor<'a>>(mut self, visitor: V) -> R<V::Value> {
        match self.kind()? {
            Kind::Plain("true") => visitor.visit_bool(true),
            Kind::Plain("false") => visitor.visit_bool(false),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_u64<V: Visitor<'a>>(mut self, visitor: V) -> R<V::Value> {
        match self.kind()? {
            Kind::Plain(s) => visitor.visit_u64(whole_number(s).ok_or(GiveUp)?),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_u8<V: Visitor<'a>>(self, visitor: V) -> R<V::Value> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u16<V: Visitor<'a>>(self, visitor: V) -> R<V::Value> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u32<V: Visitor<'a>>(self, visitor: V) -> R<V::Value> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_i8<V: Visitor<'a>>(self, visitor: V) -> R<V::Value> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_i16<V: Visitor<'a>>(self, visitor: V) -> R<V::Value> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_i32<V: Visitor<'a>>(self, visitor: V) -> R<V::Value> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_i64<V: Visitor<'a>>(self, visitor: V) -> R<V::Value> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_str<V: Visitor<'a>>(mut self, visitor: V) -> R<V::Value> {
        visitor.visit_borrowed_str(self.text()?)
    }

    fn deserialize_string<V: Visitor<'a>>(self, visitor: V) -> R<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'a>>(self, visitor: V) -> R<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'a>>(self, visitor: V) -> R<V::Value> {
        if let At::Inline { .. } = self.at {
            self.r.skip_spaces();
            // Null is `~` or `null` in three spellings, then not a plain character.
            let rest = &self.r.bytes[self.r.pos..];
            let word = rest.iter().take(5).position(|&b| !plain_char(b) && b != b'~').unwrap_or(rest.len().min(5));
            if nullish(&self.r.text[self.r.pos..self.r.pos + word]) {
                return Err(GiveUp); // null: serde-saphyr's to read
            }
        }
        // A missing value fails where the value is read.
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'a>>(mut self, name: &'static str, visitor: V) -> R<V::Value> {
        match name {
            SPANNED => {
                let (line, column) = self.locate()?;
                visitor.visit_newtype_struct(SpannedNode { node: self, line, column })
            }
            POSITIONED => {
                let (line, column) = self.locate()?;
                visitor.visit_seq(PositionedNode { node: Some(self), line, column, element: 0 })
            }
            DEFERRED_LIST if matches!(self.at, At::Below { .. }) => match self.kind()? {
                Kind::BlockList(indent) => visitor.visit_seq(ListAt::fields(self.r.skip_list(indent))),
                _ => visitor.visit_newtype_struct(self),
            },
            _ => visitor.visit_newtype_struct(self),
        }
    }

    fn deserialize_seq<V: Visitor<'a>>(self, visitor: V) -> R<V::Value> {
        self.list(visitor)
    }

    fn deserialize_tuple<V: Visitor<'a>>(self, _len: usize, visitor: V) -> R<V::Value> {
        self.list(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'a>>(self, _name: &'static str, _len: usize, visitor: V) -> R<V::Value> {
        self.list(visitor)
    }

    fn deserialize_map<V: Visitor<'a>>(self, visitor: V) -> R<V::Value> {
        self.map(visitor)
    }

    fn deserialize_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> R<V::Value> {
        self.map(visitor)
    }

    /// Unit variants written as plain words (`join: entra_joined`).
    fn deserialize_enum<V: Visitor<'a>>(
        mut self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> R<V::Value> {
        match self.kind()? {
            Kind::Plain(s) if !nullish(s) => visitor.visit_enum(StrDeserializer::<GiveUp>::new(s)),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'a>>(self, _name: &'static str, _visitor: V) -> R<V::Value> {
        Err(GiveUp)
    }

    fn deserialize_f64<V: Visitor<'a>>(mut self, visitor: V) -> R<V::Value> {
        match self.kind()? {
            Kind::Plain(s) => visitor.visit_f64(decimal(s).ok_or(GiveUp)?),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_f32<V: Visitor<'a>>(self, visitor: V) -> R<V::Value> {
        self.deserialize_f64(visitor)
    }

    give_up!(deserialize_char, deserialize_bytes, deserialize_byte_buf, deserialize_unit, deserialize_ignored_any);
}

/// A node as `Spanned` reads it from serde-saphyr: a map of the marker, the
/// value, and where it was referenced and defined (the same place here: no aliases).
struct SpannedNode<'r, 'a> {
    node: Node<'r, 'a>,
    line: usize,
    column: usize,
}

impl<'r, 'a> de::Deserializer<'a> for SpannedNode<'r, 'a> {
    type Error = GiveUp;

    fn deserialize_any<V: Visitor<'a>>(self, visitor: V) -> R<V::Value> {
        visitor.visit_map(SpannedFields { node: Some(self.node), line: self.line, column: self.column, field: 0 })
    }

    serde::forward_to_deserialize_any! {
        <W: Visitor<'a>>
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

struct SpannedFields<'r, 'a> {
    node: Option<Node<'r, 'a>>,
    line: usize,
    column: usize,
    /// The next field: the marker, `value`, `referenced`, `defined`.
    field: usize,
}

impl<'r, 'a> MapAccess<'a> for SpannedFields<'r, 'a> {
    type Error = GiveUp;

    fn next_key_seed<K: DeserializeSeed<'a>>(&mut self, seed: K) -> R<Option<K::Value>> {
        let key = [SPANNED_MARKER, "value", "referenced", "defined"].get(self.field).copied();
        key.map(|k| seed.deserialize(BorrowedStrDeserializer::new(k))).transpose()
    }

    fn next_value_seed<S: DeserializeSeed<'a>>(&mut self, seed: S) -> R<S::Value> {
        self.field += 1;
        match self.field {
            1 => seed.deserialize(true.into_deserializer()),
            2 => seed.deserialize(self.node.take().ok_or(GiveUp)?),
            _ => seed.deserialize(LocationFields { line: self.line, column: self.column, field: 0 }),
        }
    }
}

/// A node as `raw::P` reads it from this reader: its line, column and value.
struct PositionedNode<'r, 'a> {
    node: Option<Node<'r, 'a>>,
    line: usize,
    column: usize,
    element: usize,
}

impl<'r, 'a> SeqAccess<'a> for PositionedNode<'r, 'a> {
    type Error = GiveUp;

    fn next_element_seed<T: DeserializeSeed<'a>>(&mut self, seed: T) -> R<Option<T::Value>> {
        self.element += 1;
        let narrow = |n: usize| u32::try_from(n).map_err(|_| GiveUp);
        match self.element {
            1 => seed.deserialize(narrow(self.line)?.into_deserializer()).map(Some),
            2 => seed.deserialize(narrow(self.column)?.into_deserializer()).map(Some),
            3 => seed.deserialize(self.node.take().ok_or(GiveUp)?).map(Some),
            _ => Ok(None),
        }
    }
}

/// A `serde_saphyr::Location`: its line and column (its span is unknown, which casim never reads).
struct LocationFields {
    line: usize,
    column: usize,
    field: usize,
}

impl<'a> de::Deserializer<'a> for LocationFields {
    type Error = GiveUp;

    fn deserialize_any<V: Visitor<'a>>(self, visitor: V) -> R<V::Value> {
        visitor.visit_map(self)
    }

    serde::forward_to_deserialize_any! {
        <W: Visitor<'a>>
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

impl<'a> MapAccess<'a> for LocationFields {
    type Error = GiveUp;

    fn next_key_seed<K: DeserializeSeed<'a>>(&mut self, seed: K) -> R<Option<K::Value>> {
        let key = ["line", "column"].get(self.field).copied();
        key.map(|k| seed.deserialize(BorrowedStrDeserializer::new(k))).transpose()
    }

    fn next_value_seed<S: DeserializeSeed<'a>>(&mut self, seed: S) -> R<S::Value> {
        self.field += 1;
        let value = if self.field == 1 { self.line } else { self.column };
        seed.deserialize(u32::try_from(value).map_err(|_| GiveUp)?.into_deserializer())
    }
}

/// A block map at `indent`: `key: value` lines, a value inline or on the lines below.
struct BlockMap<'r, 'a> {
    r: &'r mut Reader<'a>,
    indent: usize,
    first: bool,
    keys: Keys<'a>,
}

impl<'r, 'a> MapAccess<'a> for BlockMap<'r, 'a> {
    type Error = GiveUp;

    fn next_key_seed<K: DeserializeSeed<'a>>(&mut self, seed: K) -> R<Option<K::Value>> {
        if !std::mem::take(&mut self.first) {
            match self.r.content_line() {
                Some(n) if n == self.indent => {}
                Some(n) if n > self.indent => return Err(GiveUp),
                _ => {
                    self.keys.close(self.r);
                    self.r.open -= 1;
                    return Ok(None);
                }
            }
        }
        let key = self.r.key()?;
        self.keys.add(self.r, key)?;
        seed.deserialize(BorrowedStrDeserializer::new(key)).map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'a>>(&mut self, seed: S) -> R<S::Value> {
        self.r.skip_spaces();
        if matches!(self.r.peek(), b'\n' | b'#') {
            self.r.end_of_line()?;
            return seed.deserialize(Node { r: self.r, at: At::Below { parent: self.indent } });
        }
        let value = seed.deserialize(Node { r: &mut *self.r, at: At::Inline { flow: false } })?;
        self.r.end_of_line()?;
        Ok(value)
    }
}

/// A block list at `indent`: `- value` lines, each value inline.
struct BlockList<'r, 'a> {
    r: &'r mut Reader<'a>,
    indent: usize,
    first: bool,
}

impl<'r, 'a> BlockList<'r, 'a> {
    /// Moves to the value of the next item: `false` at the end of the list.
    fn item_start(&mut self) -> R<bool> {
        if !std::mem::take(&mut self.first) {
            match self.r.content_line() {
                Some(n) if n == self.indent && self.r.list_item() => {}
                Some(n) if n > self.indent => return Err(GiveUp),
                // A shallower line, or the next key of the map this list is a value of.
                _ => {
                    self.r.open -= 1;
                    return Ok(false);
                }
            }
        }
        self.r.pos += 1;
        self.r.skip_spaces();
        if matches!(self.r.peek(), b'\n' | b'#') {
            return Err(GiveUp); // a map or list below the `-`
        }
        Ok(true)
    }

    /// The value of the item `item_start` moved to.
    fn item_value<T: DeserializeSeed<'a>>(&mut self, seed: T) -> R<T::Value> {
        // `- key: value` starts a block map whose keys line up with this one.
        let start = self.r.pos;
        let item_map = self.r.key().is_ok();
        self.r.pos = start;
        if item_map {
            let indent = start - self.r.line_start;
            return seed.deserialize(Node { r: &mut *self.r, at: At::Item { indent } });
        }
        let value = seed.deserialize(Node { r: &mut *self.r, at: At::Inline { flow: false } })?;
        self.r.end_of_line()?;
        Ok(value)
    }
}

impl<'r, 'a> SeqAccess<'a> for BlockList<'r, 'a> {
    type Error = GiveUp;

    fn next_element_seed<T: DeserializeSeed<'a>>(&mut self, seed: T) -> R<Option<T::Value>> {
        if self.item_start()? { self.item_value(seed).map(Some) } else { Ok(None) }
    }
}

/// Past the separator before the next entry of a flow map or list: `true`
/// when `close` ends it instead.
fn flow_next(r: &mut Reader, first: bool, close: u8) -> R<bool> {
    r.skip_spaces();
    if r.peek() == close {
        r.pos += 1;
        r.open -= 1;
        return Ok(true);
    }
    if !first {
        if r.peek() != b',' {
            return Err(GiveUp);
        }
        r.pos += 1;
        r.skip_spaces();
        if r.peek() == close {
            return Err(GiveUp); // a trailing comma
        }
    }
    Ok(false)
}

/// A flow map on one line: `{key: value, ...}`.
struct FlowMap<'r, 'a> {
    r: &'r mut Reader<'a>,
    first: bool,
    keys: Keys<'a>,
}

impl<'r, 'a> MapAccess<'a> for FlowMap<'r, 'a> {
    type Error = GiveUp;

    fn next_key_seed<K: DeserializeSeed<'a>>(&mut self, seed: K) -> R<Option<K::Value>> {
        if flow_next(self.r, std::mem::take(&mut self.first), b'}')? {
            self.keys.close(self.r);
            return Ok(None);
        }
        let key = self.r.key()?;
        self.keys.add(self.r, key)?;
        seed.deserialize(BorrowedStrDeserializer::new(key)).map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'a>>(&mut self, seed: S) -> R<S::Value> {
        seed.deserialize(Node { r: &mut *self.r, at: At::Inline { flow: true } })
    }
}

/// A flow list on one line: `[value, ...]`.
struct FlowList<'r, 'a> {
    r: &'r mut Reader<'a>,
    first: bool,
}

impl<'r, 'a> SeqAccess<'a> for FlowList<'r, 'a> {
    type Error = GiveUp;

    fn next_element_seed<T: DeserializeSeed<'a>>(&mut self, seed: T) -> R<Option<T::Value>> {
        if flow_next(self.r, std::mem::take(&mut self.first), b']')? {
            return Ok(None);
        }
        seed.deserialize(Node { r: &mut *self.r, at: At::Inline { flow: true } }).map(Some)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::path::Path;

    use super::*;
    use crate::scenario::raw::{RawPolicyList, RawScenario, RawTimeline};

    /// `Debug` of a parsed document without the spans of its locations, which
    /// this reader leaves unknown (casim reads lines and columns only).
    fn without_spans(debug: &str) -> String {
        let mut out = String::with_capacity(debug.len());
        let mut rest = debug;
        while let Some(at) = rest.find("span: Span {") {
            out.push_str(&rest[..at]);
            let mut depth = 0;
            let mut end = at;
            for (i, c) in rest[at..].char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 1 => {
                        end = at + i + 1;
                        break;
                    }
                    '}' => depth -= 1,
                    _ => {}
                }
            }
            rest = rest[end..].strip_prefix(", ").unwrap_or(&rest[end..]);
        }
        out.push_str(rest);
        out
    }

    /// A scenario read quickly, and its timeline's entries in words (`Debug`,
    /// where a borrowed text reads as an owned one), a deferred one read.
    fn whole_scenario(text: &str) -> Option<(RawScenario, Vec<String>)> {
        let mut raw = from_str::<RawScenario>(text)?;
        let entries = match raw.timeline.take() {
            Some(RawTimeline::Deferred(at)) => {
                let words = |e: Entry, entries: &mut Vec<String>| {
                    entries.push(match e {
                        Entry::Quick(e) => format!("{e:?}"),
                        Entry::Read(e) => format!("{e:?}"),
                    });
                    true
                };
                read_entries(text, &at, Vec::with_capacity, words)?.into_iter().flatten().collect()
            }
            other => timeline_words(other),
        };
        Some((raw, entries))
    }

    fn timeline_words(timeline: Option<RawTimeline>) -> Vec<String> {
        match timeline {
            Some(RawTimeline::Entries(entries)) => entries.iter().map(|e| format!("{e:?}")).collect(),
            other => vec![format!("{other:?}")],
        }
    }

    /// When this reader reads `text` as `T`, serde-saphyr reads it the same.
    /// Returns whether this reader read it.
    pub(crate) fn agrees<T: DeserializeOwned + fmt::Debug>(name: &str, text: &str) -> bool {
        agrees_with(name, text, from_str::<T>(text))
    }

    fn agrees_with<T: DeserializeOwned + fmt::Debug>(name: &str, text: &str, quick: Option<T>) -> bool {
        let Some(quick) = quick else { return false };
        match serde_saphyr::from_str::<T>(text) {
            Ok(reference) => {
                assert_eq!(without_spans(&format!("{quick:?}")), without_spans(&format!("{reference:?}")), "{name}");
            }
            Err(e) => panic!("{name}: read quickly, but serde-saphyr refuses it: {e}\n{text}"),
        }
        true
    }

    /// The document read quickly (its timeline too) as serde-saphyr reads
    /// it, and the scenario made of it as from serde-saphyr's reading, errors
    /// included. Returns whether the document was read quickly.
    fn scenario_agrees(name: &str, text: &str) -> bool {
        let quick = whole_scenario(text).is_some_and(|(raw, entries)| {
            let mut reference = serde_saphyr::from_str::<RawScenario>(text)
                .unwrap_or_else(|e| panic!("{name}: read quickly, but serde-saphyr refuses it: {e}\n{text}"));
            let reference_entries = timeline_words(reference.timeline.take());
            assert_eq!(entries, reference_entries, "{name}");
            assert_eq!(without_spans(&format!("{raw:?}")), without_spans(&format!("{reference:?}")), "{name}");
            true
        });
        let outcome = |r: Result<crate::scenario::Scenario, crate::error::InputError>| match r {
            Ok(s) => format!("{s:?}"),
            Err(e) => e.render(),
        };
        let path = Path::new("s.yaml");
        let reference = outcome(crate::scenario::from_str_by_serde_saphyr(path, text));
        assert_eq!(outcome(crate::scenario::from_str(path, text)), reference, "{name}");
        quick
    }

    fn yaml_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                yaml_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                out.push(path);
            }
        }
    }

    fn repository_yaml() -> Vec<(String, String)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["scenarios", "tests", "bench", "fuzz/regressions", "personas"] {
            yaml_files(&root.join(dir), &mut files);
        }
        files.sort();
        files.into_iter().filter_map(|p| Some((p.display().to_string(), std::fs::read_to_string(&p).ok()?))).collect()
    }

    #[test]
    fn reads_as_serde_saphyr_does() {
        let files = repository_yaml();
        let (mut scenarios, mut quick) = (0, 0);
        for (name, text) in &files {
            let read = scenario_agrees(name, text);
            agrees::<RawPolicyList>(name, text);
            if name.contains("/scenarios/") {
                scenarios += 1;
                quick += usize::from(read);
            }
        }
        // Nearly all scenarios are plain YAML: the reader is used, not only given up.
        assert!(quick * 10 >= scenarios * 9, "{quick} of {scenarios} scenarios read quickly");
    }

    #[test]
    fn generated_populations_are_read_quickly() {
        use crate::scenario::population::{built_in_personas, generate, split};
        for (users, days, seed) in [(12, 7, 1), (40, 14, 9), (150, 14, 2)] {
            let text = generate(&split(built_in_personas(), users), days, seed, crate::time::DEFAULT_START).unwrap();
            assert!(scenario_agrees("generated", &text), "a generated population is plain YAML");
            let raw = from_str::<RawScenario>(&text).unwrap();
            let Some(RawTimeline::Deferred(at)) = raw.timeline else { panic!("its timeline is read step by step") };
            assert_eq!(at.stretches.len(), text.matches("\n- {").count().div_ceil(ITEMS_PER_STRETCH), "{users} users");
        }
    }

    /// Each piece of plain YAML this reader reads, against serde-saphyr.
    #[test]
    fn reads_each_plain_form() {
        let head = "name: x\n";
        for body in [
            "seed: 3\nstart: \"2026-01-05T00:00:00Z\"\n",
            "users:\n  alice: {}\n  bob: {type: guest, groups: [a, \"b c\"], stay_signed_in: true}\n",
            "users: {alice: {upn: alice@contoso.com}}   # a comment\n",
            "# a comment\n\nusers:\n  # inside\n  alice:\n    groups:\n      - sales\n      -   'support'\n",
            "timeline:\n- {at: \"09:00\", do: use, user: alice, device: pc, app: teams, client: desktop}\n- { at: 1d 08:00 , do: lock, device: pc }\n",
            "timeline:\n  - {at: \"09:00\", do: use, on_prompt: fail}\nseed: 0\n",
            "settings: {evaluation: token, kmsi: hidden}\n",
            "policies:\n  - {name: SIF 8h, users: all, apps: [teams], session: {sign_in_frequency: 8h}, grant: {any_of: [mfa, compliant_device]}}\n",
            "apps:\n  pim: {name: Privileged Identity Management elevation, app_id: 01fc33a7-78ba-4d2f-a4b7-768e336e890e}\n",
            "limits: {max_steps: 10, max_events: 0}\n",
            "description: Office worker (Windows Hello, Edge) [laptop] {x}\nsource: a #b, c# d\n",
            "policies:\n  - name: SIF\n    users:\n      include: [alice]\n    session: { sign_in_frequency: 8h }   # \u{2014} non-ASCII comment\n  - name: B\n    grant: block\n",
            "timeline:\n  - at: \"09:00\"\n    do: lock\n    device: pc\n  - { at: \"10:00\", do: unlock, device: pc }\n",
            "devices:\n  pc: {owner: alice, ip: 203.0.113.7, compliant: false}\n",
        ] {
            let text = format!("{head}{body}");
            assert!(scenario_agrees(body, &text), "not read quickly:\n{text}");
        }
    }

    /// What this reader leaves to serde-saphyr: it reads none of these.
    #[test]
    fn gives_up_on_the_rest() {
        for text in [
            "name: &a x\n",
            "name: !!str x\n",
            "name: |\n  x\n",
            "name: \"a\\tb\"\n",
            "name: 'it''s'\n",
            "name: x\nusers: {alice: {},\n  bob: {}}\n",
            "name: x\n\tseed: 1\n",
            "name: caf\u{e9}\n",
            "name: x\nseed: 07\n",
            "name: x\nseed: 1.5\n",
            "name: x\nseed: 1e3\n",
            "name: x\nseed: ~\n",
            "name: x\nseed:\n",
            "name: x\nname: y\n",
            "name: x\nusers: {a: {}, a: {}}\n",
            "name: x\ndescription: null\n",
            "name: x\nusers: {a: {},}\n",
            "name: x\n  seed: 1\n",
            "name: a\n  b\n",
            "---\nname: x\n",
            "name: x\ntimeline:\n  - at: \"09:00\"\n     do: lock\n",
            "name: x\nusers:\n  a: {groups: [x\n",
            "name: x\nunknown: 1\n",
            "name: x\nseed: yes\n",
            "name: x\nsettings: {browser_shared_sif: True}\n",
        ] {
            assert!(whole_scenario(text).is_none(), "read quickly:\n{text}");
        }
    }

    /// Small edits of real scenarios (characters YAML gives meaning to, cut
    /// or added): whatever this reader still reads, serde-saphyr reads the same.
    #[test]
    fn edited_scenarios_are_read_as_serde_saphyr_does() {
        let texts: Vec<String> = repository_yaml().into_iter().map(|(_, t)| t).filter(|t| t.len() < 20_000).collect();
        let marks = [" ", ":", "-", "{", "}", "[", "]", ",", "#", "\"", "'", "\n", "  ", "~", "0", "a", "null", "true"];
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |n: usize| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n as u64) as usize
        };
        for round in 0..3000 {
            let text = &texts[next(texts.len())];
            let mut edited = text.clone();
            for _ in 0..1 + next(3) {
                let mut at = next(edited.len() + 1);
                while !edited.is_char_boundary(at) {
                    at -= 1;
                }
                if next(2) == 0 && at < edited.len() {
                    let end = (at + 1..=edited.len()).find(|&e| edited.is_char_boundary(e)).unwrap_or(edited.len());
                    edited.replace_range(at..end, "");
                } else {
                    edited.insert_str(at, marks[next(marks.len())]);
                }
            }
            scenario_agrees(&format!("edit {round}"), &edited);
        }
    }
}
