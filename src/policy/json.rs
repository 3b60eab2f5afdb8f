//! JSON with positions, for Graph exports: every value knows its line and
//! column, so that an impossible value can be reported with the file, its
//! JSON path and its line. Syntax is checked by `serde_json` first (its error
//! messages are good); this parser then only builds the positioned tree and
//! never panics, whatever the input.

/// Deeper documents are refused (serde_json's own limit is 128).
const MAX_DEPTH: usize = 128;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    /// 1-based line and column of the value's first character.
    pub line: usize,
    pub column: usize,
    /// For an object member, the 1-based line and column of its key's
    /// opening quote: errors about the key itself (an unknown property)
    /// point there rather than at the value.
    pub key: Option<(usize, usize)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// The number as written.
    Number(String),
    String(String),
    Array(Vec<Node>),
    /// Members in document order; a repeated key keeps its last value.
    Object(Vec<(String, Node)>),
}

/// A syntax error: message and 1-based position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message).to_string();
        let line = e.line().max(1);
        return Err(SyntaxError { message, line, column: char_column(text, line, e.column()).max(1) });
    }
    let mut p = Parser { chars: text.chars().collect(), at: 0, line: 1, column: 1 };
    p.skip_ws();
    p.value(0)
}

/// serde_json counts columns in bytes; casim reports characters (as the
/// positioned tree does), so that a line with `é` or `→` points at the right place.
fn char_column(text: &str, line: usize, byte_column: usize) -> usize {
    let Some(row) = text.split('\n').nth(line - 1) else { return byte_column };
    row.char_indices().take_while(|(i, _)| *i < byte_column).count()
}

/// Graph PowerShell's bag of the properties its object class lacks.
const PARKED: &str = "AdditionalProperties";

impl Node {
    /// A member by key; the exact key first, else one differing only in case
    /// (Microsoft Graph PowerShell writes `DisplayName` for `displayName`),
    /// else one parked in `AdditionalProperties`, where Graph PowerShell puts
    /// the properties its class lacks (beta ones such as `insiderRiskLevels`):
    /// they belong to this object, and reading past them would widen a policy.
    pub fn get(&self, key: &str) -> Option<&Node> {
        let own = self.own(key);
        if own.is_some_and(|n| !n.is_null()) || key.eq_ignore_ascii_case(PARKED) {
            return own;
        }
        self.own(PARKED).and_then(|parked| parked.own(key)).or(own)
    }

    fn own(&self, key: &str) -> Option<&Node> {
        let Value::Object(members) = &self.value else { return None };
        let exact = members.iter().rev().find(|(k, _)| k == key);
        exact.or_else(|| members.iter().rev().find(|(k, _)| k.eq_ignore_ascii_case(key))).map(|(_, v)| v)
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Null, an empty string, an empty array or an empty object.
    pub fn is_empty(&self) -> bool {
        match &self.value {
            Value::Null => true,
            Value::String(s) => s.is_empty(),
            Value::Array(a) => a.is_empty(),
            Value::Object(o) => o.is_empty(),
            _ => false,
        }
    }

    /// The value on one line, for "as written" notes.
    pub fn compact(&self) -> String {
        match &self.value {
            Value::Null => "null".into(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.clone(),
            Value::String(t) => format!("{t:?}"),
            Value::Array(items) => format!("[{}]", items.iter().map(Node::compact).collect::<Vec<_>>().join(", ")),
            Value::Object(m) => {
                format!("{{{}}}", m.iter().map(|(k, v)| format!("{k}: {}", v.compact())).collect::<Vec<_>>().join(", "))
            }
        }
    }

    /// A JSON type name for messages.
    pub fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
}

struct Parser {
    chars: Vec<char>,
    at: usize,
    line: usize,
    column: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += 1;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(|c| c.is_whitespace() || c == '\u{feff}') {
            self.bump();
        }
    }

    fn error(&self, message: &str) -> SyntaxError {
        SyntaxError { message: message.to_string(), line: self.line, column: self.column }
    }

    fn value(&mut self, depth: usize) -> Result<Node, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.error("the document nests deeper than 128 levels"));
        }
        let (line, column) = (self.line, self.column);
        let value = match self.peek() {
            Some('{') => self.object(depth)?,
            Some('[') => self.array(depth)?,
            Some('"') => Value::String(self.string()?),
            Some('t') => self.word("true", Value::Bool(true))?,
            Some('f') => self.word("false", Value::Bool(false))?,
            Some('n') => self.word("null", Value::Null)?,
            Some(c) if c == '-' || c.is_ascii_digit() => self.number(),
            _ => return Err(self.error("expected a JSON value")),
        };
        Ok(Node { value, line, column, key: None })
    }

    fn word(&mut self, word: &str, value: Value) -> Result<Value, SyntaxError> {
        for expected in word.chars() {
            if self.bump() != Some(expected) {
                return Err(self.error("expected a JSON value"));
            }
        }
        Ok(value)
    }

    fn number(&mut self) -> Value {
        let mut text = String::new();
        while let Some(c) = self.peek().filter(|c| c.is_ascii_digit() || "+-.eE".contains(*c)) {
            text.push(c);
            self.bump();
        }
        Value::Number(text)
    }

    fn string(&mut self) -> Result<String, SyntaxError> {
        self.bump(); // the opening quote
        let mut out = String::new();
        loop {
            match self.bump() {
                None => return Err(self.error("unterminated string")),
                Some('"') => return Ok(out),
                Some('\\') => self.escape(&mut out)?,
                Some(c) => out.push(c),
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), SyntaxError> {
        let c = self.bump().ok_or_else(|| self.error("unterminated string"))?;
        match c {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'u' => {
                let high = self.hex4()?;
                let code = if (0xd800..0xdc00).contains(&high) && self.peek() == Some('\\') {
                    self.bump();
                    self.bump();
                    let low = self.hex4()?;
                    0x10000 + ((high - 0xd800) << 10) + (low.wrapping_sub(0xdc00) & 0x3ff)
                } else {
                    high
                };
                out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
            }
            other => out.push(other),
        }
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let mut n = 0u32;
        for _ in 0..4 {
            let d = self.bump().and_then(|c| c.to_digit(16)).ok_or_else(|| self.error("bad \\u escape"))?;
            n = n * 16 + d;
        }
        Ok(n)
    }

    fn array(&mut self, depth: usize) -> Result<Value, SyntaxError> {
        self.bump();
        let mut items = Vec::new();
        loop {
            self.skip_ws();
            match self.peek() {
                Some(']') => {
                    self.bump();
                    return Ok(Value::Array(items));
                }
                Some(',') => {
                    self.bump();
                }
                None => return Err(self.error("unterminated array")),
                _ => items.push(self.value(depth + 1)?),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, SyntaxError> {
        self.bump();
        let mut members: Vec<(String, Node)> = Vec::new();
        loop {
            self.skip_ws();
            match self.peek() {
                Some('}') => {
                    self.bump();
                    return Ok(Value::Object(members));
                }
                Some(',') => {
                    self.bump();
                }
                Some('"') => {
                    let key_at = (self.line, self.column);
                    let key = self.string()?;
                    self.skip_ws();
                    if self.bump() != Some(':') {
                        return Err(self.error("expected `:`"));
                    }
                    self.skip_ws();
                    let mut value = self.value(depth + 1)?;
                    value.key = Some(key_at);
                    members.push((key, value));
                }
                _ => return Err(self.error("unterminated object")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_know_their_positions() {
        let doc = parse("{\n  \"a\": [1, \"x\\u00e9\"],\n  \"b\": {\"c\": null}\n}").expect("valid");
        let a = doc.get("a").expect("a");
        assert_eq!((a.line, a.column), (2, 8));
        let Value::Array(items) = &a.value else { panic!("array") };
        assert_eq!(items[1].as_str(), Some("xé"));
        assert_eq!((items[1].line, items[1].column), (2, 12));
        assert!(doc.get("b").and_then(|b| b.get("c")).is_some_and(Node::is_null));
    }

    #[test]
    fn members_know_where_their_key_is() {
        let doc = parse("{\n  \"a\": {\n    \"b\" :  1\n  }\n}").expect("valid");
        let a = doc.get("a").expect("a");
        assert_eq!(a.key, Some((2, 3)));
        let b = a.get("b").expect("b");
        assert_eq!((b.key, b.line, b.column), (Some((3, 5)), 3, 12));
        assert_eq!(doc.key, None);
    }

    #[test]
    fn syntax_errors_carry_a_position() {
        let e = parse("{\n  \"a\": [1,,]\n}").expect_err("invalid");
        assert_eq!(e.line, 2);
        assert!(!e.message.contains("at line"), "{}", e.message);
        assert!(parse("").is_err());
        assert!(parse("[").is_err());
    }

    #[test]
    fn syntax_error_columns_count_characters_not_bytes() {
        let e = parse("{\"é→\": 1,, }").expect_err("invalid");
        assert_eq!((e.line, e.column), (1, 10), "the second comma, not byte 13: {e:?}");
    }

    #[test]
    fn hostile_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        assert!(parse(&deep).is_err());
    }
}
