//! serde's side: the nodes of plain YAML as `Deserializer`s, maps and lists
//! as `MapAccess` and `SeqAccess`, and `Spanned` and `raw::P` as serde-saphyr
//! and the raw types read them.

use super::*;

/// The keys of one map, for duplicates: a stretch of `Reader::keys`, or a
/// hash set once there are many.
pub(super) struct Keys<'a> {
    pub(super) from: usize,
    pub(super) many: Option<HashSet<&'a str>>,
}

impl<'a> Keys<'a> {
    pub(super) fn new(r: &Reader<'a>) -> Keys<'a> {
        Keys { from: r.keys.len(), many: None }
    }

    pub(super) fn add(&mut self, r: &mut Reader<'a>, key: &'a str) -> R<()> {
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

    pub(super) fn close(&self, r: &mut Reader<'a>) {
        r.keys.truncate(self.from);
    }
}

/// A node to read, where `at` says.
pub(super) struct Node<'r, 'a> {
    pub(super) r: &'r mut Reader<'a>,
    pub(super) at: At,
}

impl<'r, 'a> Node<'r, 'a> {
    /// Moves to the node's first character; its position is the node's.
    pub(super) fn locate(&mut self) -> R<(usize, usize)> {
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
    pub(super) fn kind(&mut self) -> R<Kind<'a>> {
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
    pub(super) fn text(&mut self) -> R<&'a str> {
        match self.kind()? {
            Kind::Quoted(s) => Ok(s),
            Kind::Plain(s) if !nullish(s) => Ok(s),
            _ => Err(GiveUp),
        }
    }

    pub(super) fn map<V: Visitor<'a>>(mut self, visitor: V) -> R<V::Value> {
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

    pub(super) fn list<V: Visitor<'a>>(mut self, visitor: V) -> R<V::Value> {
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
pub(super) struct SpannedNode<'r, 'a> {
    pub(super) node: Node<'r, 'a>,
    pub(super) line: usize,
    pub(super) column: usize,
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

pub(super) struct SpannedFields<'r, 'a> {
    pub(super) node: Option<Node<'r, 'a>>,
    pub(super) line: usize,
    pub(super) column: usize,
    /// The next field: the marker, `value`, `referenced`, `defined`.
    pub(super) field: usize,
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
pub(super) struct PositionedNode<'r, 'a> {
    pub(super) node: Option<Node<'r, 'a>>,
    pub(super) line: usize,
    pub(super) column: usize,
    pub(super) element: usize,
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
pub(super) struct LocationFields {
    pub(super) line: usize,
    pub(super) column: usize,
    pub(super) field: usize,
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
pub(super) struct BlockMap<'r, 'a> {
    pub(super) r: &'r mut Reader<'a>,
    pub(super) indent: usize,
    pub(super) first: bool,
    pub(super) keys: Keys<'a>,
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
pub(super) struct BlockList<'r, 'a> {
    pub(super) r: &'r mut Reader<'a>,
    pub(super) indent: usize,
    pub(super) first: bool,
}

impl<'r, 'a> BlockList<'r, 'a> {
    /// Moves to the value of the next item: `false` at the end of the list.
    pub(super) fn item_start(&mut self) -> R<bool> {
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
    pub(super) fn item_value<T: DeserializeSeed<'a>>(&mut self, seed: T) -> R<T::Value> {
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
pub(super) fn flow_next(r: &mut Reader, first: bool, close: u8) -> R<bool> {
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
pub(super) struct FlowMap<'r, 'a> {
    pub(super) r: &'r mut Reader<'a>,
    pub(super) first: bool,
    pub(super) keys: Keys<'a>,
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
pub(super) struct FlowList<'r, 'a> {
    pub(super) r: &'r mut Reader<'a>,
    pub(super) first: bool,
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
