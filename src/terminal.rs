//! Text meant for a terminal: names come from input files, and a name is
//! whatever the file says. An escape sequence in a user name must not recolour,
//! retitle or clear the reader's terminal, and a 100,000-character app name
//! must not push every other column off the screen (or overflow the width of
//! Rust's `{:width$}`, which panics beyond `u16::MAX`). See docs/output.md.

use std::borrow::Cow;

/// Padded columns are at most this wide. A longer cell is written in full and
/// pushes the rest of its own line to the right: nothing is cut off, and the
/// other lines keep a readable layout.
pub const MAX_COLUMN: usize = 40;

/// Characters a terminal may act on instead of showing: C0 controls, DEL and
/// C1 controls (U+0080..U+009F, which some terminals read as ESC sequences).
fn is_control(c: char) -> bool {
    matches!(c, '\0'..='\x1f' | '\x7f' | '\u{80}'..='\u{9f}')
}

/// Whether `text` may hold a control character: every one starts with a byte
/// below 0x20, 0x7f, or 0xc2 (U+0080..U+009F). Text without them, nearly all
/// text, is read once, 16 bytes at a time without a branch.
fn may_hold_controls(text: &[u8]) -> bool {
    let suspect = |b: u8| u8::from(b < 0x20) | u8::from(b == 0x7f) | u8::from(b == 0xc2);
    // Arrays of a known length, which the compiler checks a vector at a time.
    let (blocks, rest) = text.as_chunks::<16>();
    blocks.iter().any(|block| block.iter().fold(0, |seen, &b| seen | suspect(b)) != 0)
        || rest.iter().any(|&b| suspect(b) != 0)
}

/// `escape` of UTF-8 bytes (outputs built as bytes).
pub fn escape_utf8(text: &[u8]) -> Cow<'_, [u8]> {
    if !may_hold_controls(text) {
        return Cow::Borrowed(text);
    }
    match std::str::from_utf8(text).map(escape) {
        Ok(Cow::Borrowed(_)) => Cow::Borrowed(text),
        Ok(Cow::Owned(escaped)) => Cow::Owned(escaped.into_bytes()),
        Err(_) => Cow::Owned(escape(&String::from_utf8_lossy(text)).into_owned().into_bytes()),
    }
}

/// A cell's escaped text and its width on screen, when the text is plain
/// ASCII without controls (nearly every name): then both are the text itself
/// and its length, found in one reading.
pub fn plain_width(text: &str) -> Option<usize> {
    let odd = |b: u8| u8::from(!(0x20..0x7f).contains(&b));
    let (blocks, rest) = text.as_bytes().as_chunks::<16>();
    let plain = blocks.iter().all(|block| block.iter().fold(0, |seen, &b| seen | odd(b)) == 0)
        && rest.iter().all(|&b| odd(b) == 0);
    plain.then_some(text.len())
}

fn escape_where(text: &str, escaped: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !may_hold_controls(text.as_bytes()) || !text.chars().any(&escaped) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escaped(c) {
            // Rust's own escape (`\u{1b}`): unambiguous, and what a reader
            // types back into a YAML double-quoted string as `\x1b`.
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A name or other value inside a line: every control character is shown
/// as `\u{..}`, line breaks and tabs too, so the value stays on its line.
pub fn escape(text: &str) -> Cow<'_, str> {
    escape_where(text, is_control)
}

/// Whole text output on its way to the terminal: like `escape`, but keeps
/// the line breaks and tabs the renderers themselves write.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    escape_where(text, |c| is_control(c) && c != '\n' && c != '\t')
}

/// The width a cell takes on screen, counted in characters.
pub fn width(text: &str) -> usize {
    text.chars().count()
}

/// The widths of padded columns: the widest cell of each, at most `MAX_COLUMN`
/// (a header is never cut, however narrow its cells).
pub fn column_widths<R: AsRef<[S]>, S: AsRef<str>>(header: &[&str], rows: &[R]) -> Vec<usize> {
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row.as_ref()) {
            *w = (*w).max(width(cell.as_ref()).min(MAX_COLUMN));
        }
    }
    widths
}

/// Appends `cell` left-aligned in `width` characters (or in full when longer).
pub fn push_left(out: &mut String, cell: &str, width: usize) {
    out.push_str(cell);
    pad(out, width.saturating_sub(self::width(cell)));
}

/// Appends `cell` right-aligned in `width` characters (or in full when longer).
pub fn push_right(out: &mut String, cell: &str, width: usize) {
    pad(out, width.saturating_sub(self::width(cell)));
    out.push_str(cell);
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_sent() {
        assert_eq!(escape("plain name"), "plain name");
        assert_eq!(escape("a\x1b[31mred\x07"), "a\\u{1b}[31mred\\u{7}");
        assert_eq!(escape("cr\rlf\ntab\tdel\x7fcsi\u{9b}"), "cr\\u{d}lf\\u{a}tab\\u{9}del\\u{7f}csi\\u{9b}");
        // Printable non-ASCII is a name like any other.
        assert_eq!(escape("Zoë → 東京 \u{a0}"), "Zoë → 東京 \u{a0}");
    }

    #[test]
    fn whole_outputs_keep_their_own_lines_and_tabs() {
        assert_eq!(sanitize("a\tb\nc\x1b]0;title\x07\r\n"), "a\tb\nc\\u{1b}]0;title\\u{7}\\u{d}\n");
    }

    #[test]
    fn columns_are_capped_and_long_cells_overflow_whole() {
        let long = "x".repeat(70_000);
        let widths = column_widths(&["NAME", "N"], &[[long.as_str(), "1"], ["bob", "22"]]);
        assert_eq!(widths, [MAX_COLUMN, 2]);
        let mut line = String::new();
        push_left(&mut line, &long, widths[0]);
        push_right(&mut line, "1", widths[1]);
        assert_eq!(line.len(), 70_000 + 2);
        let mut short = String::new();
        push_left(&mut short, "bob", widths[0]);
        push_right(&mut short, "22", widths[1]);
        assert_eq!(short, format!("bob{}22", " ".repeat(MAX_COLUMN - 3)));
    }
}
