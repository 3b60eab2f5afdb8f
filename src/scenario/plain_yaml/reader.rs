//! The reader: where it stands in the text, what a node is at its start,
//! and the scalars, keys and separators of plain YAML.

use super::*;

/// Where a node lies, relative to the reader's position.
#[derive(Debug, Clone, Copy)]
pub(super) enum At {
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
pub(super) enum Kind<'a> {
    BlockMap(usize),
    BlockList(usize),
    FlowMap,
    FlowList,
    Plain(&'a str),
    Quoted(&'a str),
}

pub(super) struct Reader<'a> {
    pub(super) text: &'a str,
    pub(super) bytes: &'a [u8],
    pub(super) pos: usize,
    /// The line of `pos`, from 1, and where it starts.
    pub(super) line: usize,
    pub(super) line_start: usize,
    /// Maps and lists started and not yet read to their end.
    pub(super) open: usize,
    /// The keys of the maps being read (each its own stretch), to refuse duplicates as serde-saphyr does.
    pub(super) keys: Vec<&'a str>,
}

/// A character of a plain scalar: words, names, ids, times, e-mail addresses,
/// durations. (`#` too, but not after a space, where it starts a comment.)
pub(super) fn plain_char(b: u8) -> bool {
    PLAIN[usize::from(b)]
}

/// `plain_char` as a table: it is asked of every character of every scalar.
pub(super) static PLAIN: [bool; 256] = {
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
pub(super) fn nullish(s: &str) -> bool {
    matches!(s, "~" | "null" | "Null" | "NULL")
}

/// A plain scalar that every YAML schema reads as text, so that a visitor
/// taking any type may be given a string: a word that is not a boolean,
/// null or a special float in YAML 1.1 or 1.2.
pub(super) fn surely_text(s: &str) -> bool {
    const SPECIAL: [&str; 12] = ["true", "false", "yes", "no", "on", "off", "y", "n", "null", "nan", "inf", "infinity"];
    s.as_bytes()[0].is_ascii_alphabetic() && !SPECIAL.iter().any(|w| s.eq_ignore_ascii_case(w))
}

/// A whole number as YAML writes it in every schema: digits, no sign, no leading zero.
pub(super) fn whole_number(s: &str) -> Option<u64> {
    let digits = s.bytes().all(|b| b.is_ascii_digit());
    if digits && (s == "0" || !s.starts_with('0')) { s.parse().ok() } else { None }
}

/// A decimal number as every schema reads it: a whole number, or one with a
/// fraction (`0.04`), without sign or exponent.
pub(super) fn decimal(s: &str) -> Option<f64> {
    let (whole, fraction) = s.split_once('.').unwrap_or((s, "0"));
    let digits = !fraction.is_empty() && fraction.bytes().all(|b| b.is_ascii_digit());
    if digits && whole_number(whole).is_some() { s.parse().ok() } else { None }
}

/// Eight ones, one a byte.
const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of each of eight bytes.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `x` equal to `b`, and maybe of bytes after
/// one (a borrow): the lowest set is always right.
fn equal(x: u64, b: u8) -> u64 {
    let y = x ^ (ONES * u64::from(b));
    y.wrapping_sub(ONES) & !y & HIGH
}

/// The first byte of `bytes` that `found` marks, eight bytes at a time
/// (`found` gives a word's marks as `equal` does), then byte by byte with
/// `stop`: 37 MB of generated text are looked through for line breaks and
/// quotes.
fn first(bytes: &[u8], found: impl Fn(u64) -> u64, stop: impl Fn(u8) -> bool) -> Option<usize> {
    let mut i = 0;
    while let Some(word) = bytes.get(i..i + 8) {
        let marks = found(u64::from_le_bytes(word.try_into().ok()?));
        if marks != 0 {
            return Some(i + (marks.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    bytes[i..].iter().position(|&b| stop(b)).map(|n| i + n)
}

/// Where the quoted text at the start of `bytes` stops: at the first
/// `quote`, line break, backslash or non-ASCII byte.
pub(super) fn quoted_len(bytes: &[u8], quote: u8) -> Option<usize> {
    let found = |x: u64| equal(x, quote) | equal(x, b'\n') | equal(x, b'\\') | (x & HIGH);
    first(bytes, found, |b| b == quote || b == b'\n' || b == b'\\' || !b.is_ascii())
}

/// Where the first line break of `bytes` is.
fn newline(bytes: &[u8]) -> Option<usize> {
    first(bytes, |x| equal(x, b'\n'), |b| b == b'\n')
}

impl<'a> Reader<'a> {
    pub(super) fn peek(&self) -> u8 {
        self.bytes.get(self.pos).copied().unwrap_or(b'\n')
    }

    pub(super) fn at_eof(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    /// The position of `pos` as serde-saphyr gives it: line and column from 1.
    pub(super) fn location(&self) -> (usize, usize) {
        (self.line, self.pos - self.line_start + 1)
    }

    pub(super) fn skip_spaces(&mut self) {
        while self.bytes.get(self.pos) == Some(&b' ') {
            self.pos += 1;
        }
    }

    /// Past the end of this line.
    pub(super) fn next_line(&mut self) {
        match newline(&self.bytes[self.pos..]) {
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
    pub(super) fn content_line(&mut self) -> Option<usize> {
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
    pub(super) fn end_of_line(&mut self) -> R<()> {
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
    pub(super) fn list_item(&self) -> bool {
        self.bytes.get(self.pos) == Some(&b'-') && self.bytes.get(self.pos + 1) == Some(&b' ')
    }

    /// A plain scalar: plain characters, inner spaces, and colons not
    /// followed by a space; outside flow maps and lists (`flow: false`),
    /// brackets and commas too. It ends before a space, comment, `: `, the
    /// line's end (or in flow, `,`, `}`, `]`); whatever ends it is for the
    /// caller to accept. Keys are read as in flow (no brackets or commas).
    pub(super) fn plain(&mut self, flow: bool) -> R<&'a str> {
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
    pub(super) fn quoted(&mut self) -> R<&'a str> {
        let quote = self.bytes[self.pos];
        let start = self.pos + 1;
        let end = start + quoted_len(&self.bytes[start..], quote).ok_or(GiveUp)?;
        // An escape, a doubled single quote, a line break or non-ASCII text: serde-saphyr's to read.
        if self.bytes[end] != quote || self.bytes.get(end + 1) == Some(&quote) {
            return Err(GiveUp);
        }
        self.pos = end + 1;
        Ok(&self.text[start..end])
    }

    /// A key of lowercase letters and `_` that `: ` follows (every key of a
    /// generated step): what `key` reads there, without its general rules.
    /// `None` for any other, for `key` to read from the same place.
    pub(super) fn short_key(&mut self) -> Option<&'a str> {
        let (start, b) = (self.pos, self.bytes);
        let mut end = start;
        while end < b.len() && (b[end].is_ascii_lowercase() || b[end] == b'_') {
            end += 1;
        }
        if end == start || b.get(end) != Some(&b':') || b.get(end + 1) != Some(&b' ') {
            return None;
        }
        self.pos = end + 1;
        self.text.get(start..end)
    }

    /// A scalar of plain characters only that `,` or `}` ends (a generated
    /// step's names and words): what `plain(true)` reads there, without its
    /// rules for inner spaces and colons. `None` for any other.
    pub(super) fn flow_word(&mut self) -> Option<&'a str> {
        let (start, b) = (self.pos, self.bytes);
        let lead = *b.get(start)?;
        if !(lead.is_ascii_alphanumeric() || lead == b'_' || lead == b'/') {
            return None;
        }
        let mut end = start + 1;
        while end < b.len() && plain_char(b[end]) {
            end += 1;
        }
        if !matches!(b.get(end), Some(b',' | b'}')) {
            return None;
        }
        self.pos = end;
        self.text.get(start..end)
    }

    /// `flow_word`, trying first the word `recent` (the last one read for
    /// the same field): the same bytes before a `,` or `}` are the same
    /// word, found by a comparison instead of a byte-by-byte scan.
    pub(super) fn flow_word_as(&mut self, recent: &mut &'a str) -> Option<&'a str> {
        let rest = &self.bytes[self.pos..];
        let same = !recent.is_empty() && rest.starts_with(recent.as_bytes());
        if same && matches!(rest.get(recent.len()), Some(b',' | b'}')) {
            self.pos += recent.len();
            return Some(*recent);
        }
        let word = self.flow_word()?;
        *recent = word;
        Some(word)
    }

    /// A map key and its `:`, which a space or the line's end follows.
    pub(super) fn key(&mut self) -> R<&'a str> {
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

    /// A collection starts: refused past `MAX_DEPTH`.
    pub(super) fn open(&mut self) -> R<()> {
        self.open += 1;
        if self.open > MAX_DEPTH { Err(GiveUp) } else { Ok(()) }
    }
}
