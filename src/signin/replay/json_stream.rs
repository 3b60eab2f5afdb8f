//! JSON sign-in files read record by record, never whole (issue 13, item 9):
//! NDJSON and concatenated objects, arrays, and list responses or
//! diagnostic envelopes (`{"value": [...]}`, `{"records": [...]}`) whose
//! list is streamed element by element. Each record's text is cut out by
//! bracket depth (strings and escapes respected) and handed on with the line
//! it starts on; serde_json parses it, so a malformed record is reported as
//! serde_json reports it, at its line.

use std::io::{self, BufRead};

/// The largest record the reader keeps: a sign-in record is a few kilobytes,
/// so anything this size is not one (and would otherwise be held whole).
pub const MAX_RECORD_BYTES: usize = 64 << 20;

/// Why a file could not be cut into records.
#[derive(Debug)]
pub enum ScanError {
    Io(io::Error),
    /// What was expected where the file had something else, at a line.
    Syntax {
        line: usize,
        expected: &'static str,
    },
    /// A record longer than `MAX_RECORD_BYTES`, starting at a line.
    TooLarge {
        line: usize,
    },
}

impl From<io::Error> for ScanError {
    fn from(e: io::Error) -> ScanError {
        ScanError::Io(e)
    }
}

/// Calls `each(line, text)` for every record of the JSON in `input`, in order;
/// the first error `each` returns stops the reading.
pub fn for_each_record<E: From<ScanError>>(
    input: impl BufRead,
    mut each: impl FnMut(usize, &[u8]) -> Result<(), E>,
) -> Result<(), E> {
    let mut s = Scanner { input, line: 1, text: Vec::new(), scratch: Vec::new() };
    loop {
        s.skip_ws()?;
        match s.peek()? {
            None => return Ok(()),
            Some(b'[') => {
                s.bump()?;
                s.elements(&mut each)?;
            }
            Some(b'{') => s.object(&mut each)?,
            Some(_) => return Err(s.syntax("a JSON object or array").into()),
        }
    }
}

struct Scanner<R> {
    input: R,
    line: usize,
    /// The record being cut out.
    text: Vec<u8>,
    /// Values of a list response other than its list, read and dropped.
    scratch: Vec<u8>,
}

impl<R: BufRead> Scanner<R> {
    fn peek(&mut self) -> Result<Option<u8>, ScanError> {
        Ok(self.input.fill_buf()?.first().copied())
    }

    fn bump(&mut self) -> Result<Option<u8>, ScanError> {
        let b = self.peek()?;
        if let Some(b) = b {
            self.input.consume(1);
            if b == b'\n' {
                self.line += 1;
            }
        }
        Ok(b)
    }

    fn skip_ws(&mut self) -> Result<(), ScanError> {
        loop {
            let buf = self.input.fill_buf()?;
            let n = buf.iter().take_while(|b| b.is_ascii_whitespace()).count();
            let all = n == buf.len() && n > 0;
            self.line += buf[..n].iter().filter(|&&b| b == b'\n').count();
            self.input.consume(n);
            if !all {
                return Ok(());
            }
        }
    }

    fn syntax(&self, expected: &'static str) -> ScanError {
        ScanError::Syntax { line: self.line, expected }
    }

    /// The elements of an array whose `[` was read, each a record.
    fn elements<E: From<ScanError>>(&mut self, each: &mut impl FnMut(usize, &[u8]) -> Result<(), E>) -> Result<(), E> {
        self.skip_ws()?;
        if self.peek()? == Some(b']') {
            self.bump()?;
            return Ok(());
        }
        loop {
            self.skip_ws()?;
            let line = self.line;
            let mut text = std::mem::take(&mut self.text);
            text.clear();
            let value = self.value(&mut text, line);
            self.text = text;
            value?;
            each(line, &self.text)?;
            self.skip_ws()?;
            match self.bump()? {
                Some(b',') => continue,
                Some(b']') => return Ok(()),
                _ => return Err(self.syntax("`,` or `]` after a list's element").into()),
            }
        }
    }

    /// A top-level object: a list response or envelope, whose list is
    /// streamed, or a record, cut out whole.
    fn object<E: From<ScanError>>(&mut self, each: &mut impl FnMut(usize, &[u8]) -> Result<(), E>) -> Result<(), E> {
        let line = self.line;
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        let mut listed = false;
        let result = self.members(&mut text, line, &mut listed, each);
        self.text = text;
        result?;
        if !listed {
            each(line, &self.text)?;
        }
        Ok(())
    }

    fn members<E: From<ScanError>>(
        &mut self,
        text: &mut Vec<u8>,
        line: usize,
        listed: &mut bool,
        each: &mut impl FnMut(usize, &[u8]) -> Result<(), E>,
    ) -> Result<(), E> {
        self.take(text, line)?; // `{`
        self.skip_ws()?;
        if self.peek()? == Some(b'}') {
            self.take(text, line)?;
            return Ok(());
        }
        loop {
            self.skip_ws()?;
            if self.peek()? != Some(b'"') {
                return Err(self.syntax("a member name in quotes").into());
            }
            let key_start = text.len();
            self.span(text, line)?;
            let is_list = matches!(&text[key_start..], k if k.eq_ignore_ascii_case(b"\"value\"") || k.eq_ignore_ascii_case(b"\"records\""));
            self.skip_ws()?;
            if self.peek()? != Some(b':') {
                return Err(self.syntax("`:` after a member name").into());
            }
            self.take(text, line)?;
            self.skip_ws()?;
            if is_list && self.peek()? == Some(b'[') {
                *listed = true;
                self.bump()?;
                self.elements(each)?;
            } else if *listed {
                let mut scratch = std::mem::take(&mut self.scratch);
                scratch.clear();
                let value = self.value(&mut scratch, line);
                self.scratch = scratch;
                value?;
            } else {
                self.value(text, line)?;
            }
            self.skip_ws()?;
            match self.peek()? {
                Some(b',') => {
                    self.take(text, line)?;
                }
                Some(b'}') => {
                    self.take(text, line)?;
                    return Ok(());
                }
                _ => return Err(self.syntax("`,` or `}` after a member").into()),
            }
        }
    }

    /// Appends the next byte to `text`, within the record size limit.
    fn take(&mut self, text: &mut Vec<u8>, line: usize) -> Result<u8, ScanError> {
        let Some(b) = self.bump()? else { return Err(self.syntax("more JSON, not the end of the file")) };
        if text.len() >= MAX_RECORD_BYTES {
            return Err(ScanError::TooLarge { line });
        }
        text.push(b);
        Ok(b)
    }

    /// One JSON value, appended to `text` as it is: containers by depth,
    /// strings to their closing quote, numbers and literals to a delimiter.
    fn value(&mut self, text: &mut Vec<u8>, line: usize) -> Result<(), ScanError> {
        match self.peek()? {
            Some(b'{') | Some(b'[') | Some(b'"') => self.span(text, line),
            Some(_) => {
                while let Some(b) = self.peek()? {
                    if b.is_ascii_whitespace() || matches!(b, b',' | b']' | b'}') {
                        break;
                    }
                    self.take(text, line)?;
                }
                Ok(())
            }
            None => Err(self.syntax("a JSON value")),
        }
    }

    /// A container or a string, copied a buffer at a time up to its end:
    /// this is where a record's bytes go, so it does not look at them one
    /// call at a time. JSON strings hold no raw line break, so counting
    /// them in whole slices keeps the line.
    fn span(&mut self, text: &mut Vec<u8>, line: usize) -> Result<(), ScanError> {
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        loop {
            let buf = self.input.fill_buf()?;
            if buf.is_empty() {
                return Err(self.syntax("more JSON, not the end of the file"));
            }
            let mut end = None;
            for (i, &b) in buf.iter().enumerate() {
                if in_string {
                    if escaped {
                        escaped = false;
                    } else if b == b'\\' {
                        escaped = true;
                    } else if b == b'"' {
                        in_string = false;
                        if depth == 0 {
                            end = Some(i + 1);
                            break;
                        }
                    }
                    continue;
                }
                match b {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            end = Some(i + 1);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let n = end.unwrap_or(buf.len());
            if text.len() + n > MAX_RECORD_BYTES {
                return Err(ScanError::TooLarge { line });
            }
            text.extend_from_slice(&buf[..n]);
            self.line += buf[..n].iter().filter(|&&b| b == b'\n').count();
            self.input.consume(n);
            if end.is_some() {
                return Ok(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str) -> Result<Vec<(usize, String)>, ScanError> {
        let mut out = Vec::new();
        for_each_record(text.as_bytes(), |line, t| {
            out.push((line, String::from_utf8(t.to_vec()).unwrap()));
            Ok::<(), ScanError>(())
        })?;
        Ok(out)
    }

    #[test]
    fn ndjson_arrays_and_lists_give_their_records_with_lines() {
        let ndjson = records("{\"a\":1}\n{\"a\":\"}\\\"]\"}\n\n{\"a\":[{}]}\n").unwrap();
        assert_eq!(ndjson, vec![(1, "{\"a\":1}".into()), (2, "{\"a\":\"}\\\"]\"}".into()), (4, "{\"a\":[{}]}".into())]);
        let array = records("[\n  {\"a\":1},\n  {\"b\":2}\n]").unwrap();
        assert_eq!(array, vec![(2, "{\"a\":1}".into()), (3, "{\"b\":2}".into())]);
        let list = records("{\"@odata.context\":\"x\",\n\"VALUE\":[{\"a\":1},\n{\"b\":2}],\"@odata.nextLink\":\"y\"}\n{\"records\":[]}").unwrap();
        assert_eq!(list, vec![(2, "{\"a\":1}".into()), (3, "{\"b\":2}".into())]);
        assert_eq!(records("{\"value\":3}").unwrap(), vec![(1, "{\"value\":3}".into())]);
    }

    #[test]
    fn broken_json_is_an_error_at_its_line() {
        for (text, at) in [("{\"a\":1}\nnot json", 2), ("[{\"a\":1}\n{\"b\":2}]", 2), ("{\"a\":1", 1), ("{\"a\" 1}", 1)]
        {
            match records(text) {
                Err(ScanError::Syntax { line, .. }) => assert_eq!(line, at, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_record_beyond_the_limit_is_refused_before_it_is_held() {
        let huge = format!("{{\"a\":\"{}\"}}", "x".repeat(MAX_RECORD_BYTES));
        assert!(matches!(records(&huge), Err(ScanError::TooLarge { line: 1 })));
    }
}
