//! A timeline entry in the exact shape `casim generate` writes it,
//! `{at: "…", do: use, device: d, app: teams, client: desktop, until: "…"}`:
//! one space after each `:` and `,`, words and double-quoted instants,
//! read by that shape alone. `quick_entry` reads anything else from the same
//! place, and gives the same `QuickEntry` for this shape
//! (`tests::generated_entries_are_quick_entries`). Issue 11: the general
//! rules for keys, spaces and separators took most of reading a generated
//! population's 300,000 steps.

use super::timeline::{RECENT, field_of, position};
use super::*;

/// The entry at the reader's `{`, if it has the shape above; the reader is
/// then past its `}`. `None`, with the reader where it was, otherwise.
/// `recent` holds the last word of each field, as for `quick_entry`.
pub(super) fn generated_entry<'a>(r: &mut Reader<'a>, recent: &mut [&'a str; RECENT]) -> Option<QuickEntry<'a>> {
    let (b, start) = (r.bytes, r.pos);
    if b.get(start) != Some(&b'{') {
        return None;
    }
    let column = |at: usize| position(r.line, at - r.line_start + 1);
    let mut entry = QuickEntry::new(column(start)?);
    let mut p = start + 1;
    loop {
        let (field, after_key) = key_at(r.text, p)?;
        let (value, after_value) = value_at(r.text, after_key, recent.get_mut(field))?;
        entry.push(field, value, column(after_key)?)?;
        match (b.get(after_value), b.get(after_value + 1)) {
            (Some(b','), Some(b' ')) => p = after_value + 2,
            (Some(b'}'), _) => {
                r.pos = after_value + 1;
                return Some(entry);
            }
            _ => return None,
        }
    }
}

/// The field of the key at `p` (lowercase letters and `_`, then `: `) and
/// where its value starts.
fn key_at(text: &str, p: usize) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let mut end = p;
    while end < b.len() && (b[end].is_ascii_lowercase() || b[end] == b'_') {
        end += 1;
    }
    if end == p || b.get(end) != Some(&b':') || b.get(end + 1) != Some(&b' ') {
        return None;
    }
    Some((field_of(text.get(p..end)?)?, end + 2))
}

/// The value at `p`, double-quoted text or a word that `,` or `}` ends, and
/// where it ends; a word is first looked for as `recent`, the field's last.
fn value_at<'a>(text: &'a str, p: usize, recent: Option<&mut &'a str>) -> Option<(&'a str, usize)> {
    let b = text.as_bytes();
    if b.get(p) == Some(&b'"') {
        let len = quoted_len(&b[p + 1..], b'"')?;
        let close = p + 1 + len;
        if b.get(close) != Some(&b'"') || b.get(close + 1) == Some(&b'"') {
            return None;
        }
        return Some((text.get(p + 1..close)?, close + 1));
    }
    let ends = |at: usize| matches!(b.get(at), Some(b',' | b'}'));
    if let Some(last) = &recent
        && !last.is_empty()
        && !nullish(last)
        && b[p..].starts_with(last.as_bytes())
        && ends(p + last.len())
    {
        return Some((**last, p + last.len()));
    }
    let lead = *b.get(p)?;
    if !(lead.is_ascii_alphanumeric() || lead == b'_' || lead == b'/') {
        return None;
    }
    let mut end = p + 1;
    while end < b.len() && plain_char(b[end]) {
        end += 1;
    }
    let word = text.get(p..end)?;
    if !ends(end) || nullish(word) {
        return None;
    }
    if let Some(last) = recent {
        *last = word;
    }
    Some((word, end))
}

#[cfg(test)]
mod tests {
    use super::super::timeline::quick_entry;
    use super::*;

    /// On every line of generated populations, and lines edited out of the
    /// shape, this reader gives `quick_entry`'s entry or leaves it to it.
    #[test]
    fn generated_entries_are_quick_entries() {
        use crate::scenario::population::{built_in_personas, generate, split};
        let text = generate(&split(built_in_personas(), 30), 7, 2, crate::time::DEFAULT_START).unwrap();
        let edits = [
            ("", ""),
            (", do:", ",do:"),
            ("do: use", "do:  use"),
            ("app: teams", "app: 'teams'"),
            ("client: desktop}", "client: desktop }"),
            ("Z\"}", "Z\", }"),
            ("device: ", "device: null, x: "),
            ("do: lock", "do: lock, do: lock"),
            ("app: teams", "app: \"te\"\"ams\""),
        ];
        let mut same = 0;
        for (from, to) in edits {
            let edited = if from.is_empty() { text.clone() } else { text.replace(from, to) };
            for (n, line) in edited.lines().enumerate().filter(|(_, l)| l.starts_with("- {")) {
                let mut quick = reader(line, n);
                let mut fast = reader(line, n);
                let slow = quick_entry(&mut quick, &mut [""; RECENT]).map(|e| format!("{:?}", e.raw()));
                if let Some(e) = generated_entry(&mut fast, &mut [""; RECENT]) {
                    assert_eq!(Some(format!("{:?}", e.raw())), slow, "{line}");
                    assert_eq!(fast.pos, quick.pos, "{line}");
                    same += 1;
                } else {
                    assert_eq!(fast.pos, 2, "{line}");
                }
            }
        }
        assert!(same > 5_000, "{same}");
    }

    /// A reader at the `{` of `line`, the `n`th of its text.
    fn reader(line: &str, n: usize) -> Reader<'_> {
        Reader { text: line, bytes: line.as_bytes(), pos: 2, line: n + 1, line_start: 0, open: 1, keys: Vec::new() }
    }
}
