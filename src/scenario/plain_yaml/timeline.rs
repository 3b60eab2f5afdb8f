//! A deferred block list (the `timeline:` of a generated population), read
//! in stretches on all cores, its plain steps without serde (`quick_entry`).

use super::*;

/// Where a block list lies in the text, found without reading it (a
/// deferred `timeline:`, `raw::RawTimeline`): its first item, its
/// indentation, and where the text after it starts. (`pub`: `raw::RawTimeline`
/// holds it; its fields stay private.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListAt {
    pub(super) indent: usize,
    pub(super) end: usize,
    /// How many items it has.
    pub(super) items: usize,
    /// Where every `ITEMS_PER_STRETCH`-th item starts, the first included:
    /// stretches of the list read apart (in parallel), each up to the next.
    pub(super) stretches: Vec<Place>,
}

/// An item's start: its position, and its line and where that starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Place {
    pub(super) pos: usize,
    pub(super) line: usize,
    pub(super) line_start: usize,
}

/// Items in a stretch of a deferred list: enough to make reading one worth a
/// task, few enough that a generated population spreads over the cores.
pub(crate) const ITEMS_PER_STRETCH: usize = 4096;

impl ListAt {
    /// The numbers of `ListAt::read`.
    pub(super) fn fields(self) -> de::value::SeqDeserializer<std::vec::IntoIter<u64>, GiveUp> {
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
    Quick(QuickEntry<'a>),
    Read(Box<P<RawEntry>>),
}

/// Text fields a quick entry holds at most: a generated step has six.
const QUICK_FIELDS: usize = 6;

/// A step of text values read quickly: where its `{` is and its fields in
/// the order written, each once (`RawEntry::TEXT_FIELDS` numbers them), with
/// where its value starts. A few words beside the hundreds of bytes of a
/// `RawEntry`, which is made of it only for the steps that need one.
#[derive(Debug, Clone, Copy)]
pub(crate) struct QuickEntry<'a> {
    pub(crate) at: Position,
    fields: [(u8, &'a str, Position); QUICK_FIELDS],
    len: usize,
}

impl<'a> QuickEntry<'a> {
    /// An entry whose `{` is at `at`, without fields yet.
    pub(super) fn new(at: Position) -> QuickEntry<'a> {
        QuickEntry { at, fields: [(0, "", Position::default()); QUICK_FIELDS], len: 0 }
    }

    /// Adds field `field` (its place in `RawEntry::TEXT_FIELDS`); `None` when
    /// the entry has it already or is full (for serde to read).
    pub(super) fn push(&mut self, field: usize, value: &'a str, at: Position) -> Option<()> {
        let seen = self.fields().iter().any(|&(f, _, _)| usize::from(f) == field);
        if seen || self.len == QUICK_FIELDS {
            return None;
        }
        self.fields[self.len] = (u8::try_from(field).ok()?, value, at);
        self.len += 1;
        Some(())
    }

    /// Its fields as (place in `RawEntry::TEXT_FIELDS`, value, where the value starts).
    pub(crate) fn fields(&self) -> &[(u8, &'a str, Position)] {
        &self.fields[..self.len]
    }

    /// The same step as the quick reader's `RawEntry`, as serde reads it.
    pub(crate) fn raw(&self) -> P<RawEntry<&'a str>> {
        let mut entry = RawEntry::default();
        for &(field, value, referenced) in self.fields() {
            let name = RawEntry::<&str>::TEXT_FIELDS[usize::from(field)];
            if let Some(slot) = entry.text_field(name) {
                *slot = Some(P { value, referenced });
            }
        }
        P { value: entry, referenced: self.at }
    }
}

impl ListAt {
    /// How many items the list has.
    pub(crate) fn items(&self) -> usize {
        self.items
    }
}

/// Reads the timeline entries of the block list `at` of `text`, stretch by
/// stretch in parallel, handing each entry to `each` with the stretch's `T`
/// (`states`, one a stretch of `ITEMS_PER_STRETCH` items, the last of the
/// rest), and `each` says whether to go on. The stretches' `T`s in list
/// order, if the list was read to its end as it was found and `each`
/// accepted every entry; if not, it is not plain YAML after all (or `each`
/// refused an entry), and serde-saphyr has to read it.
pub(crate) fn read_entries<'a, T: Send>(
    text: &'a str,
    at: &ListAt,
    states: Vec<T>,
    each: impl Fn(Entry<'a>, &mut T) -> bool + Sync,
) -> Option<Vec<T>> {
    use rayon::prelude::*;
    if states.len() != at.stretches.len() {
        return None;
    }
    let ends = at.stretches.iter().skip(1).map(|p| p.pos).chain([at.end]);
    let stretches: Vec<(Place, usize, T)> =
        at.stretches.iter().copied().zip(ends).zip(states).map(|((from, to), t)| (from, to, t)).collect();
    let count = stretches.len();
    stretches
        .into_par_iter()
        .enumerate()
        .map(|(i, (from, to, mut found))| {
            read_stretch(text, at.indent, from, to, i + 1 == count, |entry| each(entry, &mut found)).then_some(found)
        })
        .collect()
}

/// The entries of the list at `indent` from `from` (an item's start) to `to`,
/// where the next stretch starts (or, for the `last`, where the list ends).
pub(super) fn read_stretch<'a>(
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
    let mut recent = [""; RECENT];
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
        let quick = generated_entry(list.r, &mut recent).or_else(|| quick_entry(list.r, &mut recent));
        let entry = match quick {
            Some(entry) if list.r.end_of_line().is_ok() => Entry::Quick(entry),
            Some(_) => return false,
            None => {
                (list.r.pos, list.r.open) = before;
                match list.item_value(std::marker::PhantomData::<P<RawEntry>>) {
                    Ok(entry) => Entry::Read(Box::new(entry)),
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
/// Fields (the first of `RawEntry::TEXT_FIELDS`) whose last word a stretch
/// keeps: a generated user's steps repeat their device's name, and often
/// their action, app and client.
pub(super) const RECENT: usize = 8;

pub(super) fn quick_entry<'a>(r: &mut Reader<'a>, recent: &mut [&'a str; RECENT]) -> Option<QuickEntry<'a>> {
    if r.peek() != b'{' {
        return None;
    }
    let (line, column) = r.location();
    r.open().ok()?;
    r.pos += 1;
    let mut entry = QuickEntry::new(position(line, column)?);
    let mut first = true;
    while !flow_next(r, std::mem::take(&mut first), b'}').ok()? {
        let key = match r.short_key() {
            Some(key) => key,
            None => r.key().ok()?,
        };
        // An unknown or repeated key, or more than fit: serde's to read.
        let field = field_of(key)?;
        r.skip_spaces();
        let (value_line, value_column) = r.location();
        let value = match (r.peek(), recent.get_mut(field)) {
            (b'"' | b'\'', _) => r.quoted().ok()?,
            (_, last) => {
                let word = match last {
                    Some(last) => r.flow_word_as(last),
                    None => r.flow_word(),
                };
                Some(word.map_or_else(|| r.plain(true).ok(), Some)?).filter(|v| !nullish(v))?
            }
        };
        entry.push(field, value, position(value_line, value_column)?)?;
    }
    Some(entry)
}

/// Where `key` is in `RawEntry::TEXT_FIELDS`, a generated step's keys first.
pub(super) fn field_of(key: &str) -> Option<usize> {
    match key {
        "at" => Some(0),
        "do" => Some(1),
        "device" => Some(4),
        "app" => Some(5),
        "client" => Some(6),
        "until" => Some(7),
        _ => RawEntry::<&str>::TEXT_FIELDS.iter().position(|f| *f == key),
    }
}

pub(super) fn position(line: usize, column: usize) -> Option<Position> {
    Some(Position { line: u32::try_from(line).ok()?, column: u32::try_from(column).ok()? })
}

impl Reader<'_> {
    /// Past the block list at `indent` whose first item is here, without
    /// reading it: its items, and the lines below them, more indented.
    pub(super) fn skip_list(&mut self, indent: usize) -> ListAt {
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
}
