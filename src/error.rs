//! Diagnostics for input casim cannot use: they name the file, line and column,
//! say what was expected and suggest the nearest valid word.

use std::fmt::Write as _;
use std::path::Path;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, MietteError, MietteSpanContents, SourceCode, SourceSpan,
    SpanContents,
};

/// A position in an input file, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub fn from_location(loc: &(impl Located + ?Sized)) -> Option<Pos> {
        let (line, column) = (loc.line() as usize, loc.column() as usize);
        (line > 0).then_some(Pos { line, column: column.max(1) })
    }
}

/// Where a value of an input file starts: serde-saphyr's `Location`, or the
/// smaller position timeline steps keep (`scenario::raw::P`).
pub trait Located {
    /// From 1; 0 when unknown.
    fn line(&self) -> u64;
    fn column(&self) -> u64;
}

impl Located for serde_saphyr::Location {
    fn line(&self) -> u64 {
        serde_saphyr::Location::line(self)
    }

    fn column(&self) -> u64 {
        serde_saphyr::Location::column(self)
    }
}

/// The recurring kinds of input error, typed so that callers and tests tell
/// them apart without reading the words; the words stay in `message`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ErrorKind {
    /// A name casim does not know: `what` it should have been (a user, an
    /// app, a Graph property, an enum), and the name found.
    Unknown { what: String, name: String },
    /// A documented limit (docs/limits.md), with the setting that raises it.
    Limit { setting: &'static str },
    /// A file or list with nothing to read (an empty policies file).
    Empty,
    /// A template whose placeholders are not filled.
    Template,
    /// Several errors reported together (`related`).
    Many,
    /// Any other input error.
    #[default]
    Other,
}

/// Input casim cannot use. Carries enough to print `file:line:column: message`
/// followed by the offending source line and a hint.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{}", self.headline())]
pub struct InputError {
    pub path: String,
    pub pos: Option<Pos>,
    pub message: String,
    #[help]
    pub help: Option<String>,
    #[source_code]
    source_code: Option<Snippet>,
    #[label("{}", self.label)]
    span: Option<SourceSpan>,
    label: String,
    /// Further errors reported with this one (several bad files in a folder),
    /// rendered one after another below the headline.
    #[related]
    pub related: Vec<InputError>,
    kind: ErrorKind,
}

impl InputError {
    pub fn new(path: &Path, pos: Option<Pos>, message: impl Into<String>) -> InputError {
        InputError {
            path: path.display().to_string(),
            pos,
            message: message.into(),
            help: None,
            source_code: None,
            span: None,
            label: "here".to_string(),
            related: Vec::new(),
            kind: ErrorKind::Other,
        }
    }

    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    pub fn with_kind(mut self, kind: ErrorKind) -> InputError {
        self.kind = kind;
        self
    }

    /// One error for several: the error itself when there is one, else a
    /// headline at `path` (`message`) with every error listed below it.
    pub fn many(path: &Path, message: impl Into<String>, mut errors: Vec<InputError>) -> InputError {
        if errors.len() == 1
            && let Some(only) = errors.pop()
        {
            return only;
        }
        let mut e = InputError::new(path, None, message).with_kind(ErrorKind::Many);
        e.related = errors;
        e
    }

    pub fn with_help(mut self, help: Option<String>) -> InputError {
        self.help = help;
        self
    }

    /// Attaches the file's text so the report shows the offending line.
    pub fn with_source(mut self, text: &str) -> InputError {
        if let Some(pos) = self.pos
            && let Some(offset) = byte_offset(text, pos)
        {
            // A tab is drawn as `→`: a terminal would show it as blanks, and
            // YAML refuses tabs where blanks look right (issue 15).
            let shown: std::borrow::Cow<str> =
                if text.contains('\t') { text.replace('\t', "→").into() } else { text.into() };
            let offset = offset + text[..offset].matches('\t').count() * ("→".len() - 1);
            let (snippet, span) = Snippet::around(&self.path, &shown, offset);
            self.span = Some(span);
            self.source_code = Some(snippet);
        }
        self
    }

    fn headline(&self) -> String {
        match self.pos {
            Some(p) => format!("{}:{}:{}: {}", self.path, p.line, p.column, self.message),
            None => format!("{}: {}", self.path, self.message),
        }
    }

    /// The full report, without colours so that it is stable in tests and logs.
    pub fn render(&self) -> String {
        let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor());
        let mut out = String::new();
        if handler.render_report(&mut out, self).is_err() {
            out = self.headline();
            if let Some(help) = &self.help {
                let _ = write!(out, "\n  help: {help}");
            }
        }
        out
    }
}

fn byte_offset(text: &str, pos: Pos) -> Option<usize> {
    let mut line_start = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        if n + 1 == pos.line {
            let within = line.char_indices().nth(pos.column - 1).map(|(i, _)| i).unwrap_or(line.len());
            return Some(line_start + within);
        }
        line_start += line.len();
    }
    None
}

/// The length of the token at the start of `rest`, for the label's underline:
/// a quoted scalar with its quotes, else up to the next `,`, `}`, `]`, line
/// end or `: ` (a colon inside `09:00` is part of the value).
fn token_len(rest: &str) -> usize {
    if let Some(len) = quoted_len(rest) {
        return len;
    }
    let bytes = rest.as_bytes();
    let end = rest
        .char_indices()
        .find(|(i, c)| {
            matches!(c, ',' | '}' | ']' | '\n')
                || (*c == ':' && matches!(bytes.get(i + 1), None | Some(b' ' | b'\t' | b'\r' | b'\n')))
        })
        .map(|(i, _)| i);
    rest[..end.unwrap_or(rest.len())].trim_end().len().max(1)
}

/// The length of a quoted scalar at the start of `rest`, quotes included,
/// when it closes on its line (`\"` escapes in double quotes, `''` in single).
fn quoted_len(rest: &str) -> Option<usize> {
    let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let mut chars = rest.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\n' => return None,
            '\\' if quote == '"' => {
                chars.next();
            }
            c if c == quote => {
                if quote == '\'' && chars.peek().is_some_and(|(_, n)| *n == '\'') {
                    chars.next();
                    continue;
                }
                return Some(i + 1);
            }
            _ => {}
        }
    }
    None
}

/// Lines longer than this are shown as a window around the error. Besides
/// keeping a one-line Graph export from flooding the terminal, this keeps
/// every column miette pads to under 65,536: Rust's formatting widths are
/// 16-bit, and miette panics ("Formatting argument out of range") on a label
/// past that column.
const MAX_SHOWN_LINE: usize = 200;
/// Characters shown on each side of the error in a windowed line.
const WINDOW_SIDE: usize = 60;

/// The source text miette renders: the whole file, or, when the lines around
/// the error are too long, those lines cut to a window around the error's
/// column, with the file's own line and column numbers kept.
#[derive(Debug)]
struct Snippet {
    name: String,
    text: String,
    /// The file's line (0-based) of the snippet's first line.
    first_line: usize,
    /// The snippet's line (0-based) that holds the error, and how many bytes
    /// of the file's line were cut before the window on it.
    error_line: usize,
    cut_before: usize,
}

impl Snippet {
    fn around(path: &str, text: &str, offset: usize) -> (Snippet, SourceSpan) {
        let whole = |len| {
            let snippet =
                Snippet { name: path.to_string(), text: text.to_string(), first_line: 0, error_line: 0, cut_before: 0 };
            (snippet, SourceSpan::new(offset.into(), len))
        };
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let prev_start = text[..line_start.saturating_sub(1)].rfind('\n').map_or(0, |i| i + 1);
        let next_end =
            text.get(line_end + 1..).and_then(|rest| rest.find('\n')).map_or(text.len(), |i| line_end + 1 + i);
        let context = &text[prev_start..next_end];
        let token = token_len(&text[offset..]);
        if context.lines().all(|l| l.chars().count() <= MAX_SHOWN_LINE) {
            return whole(token);
        }
        // The window is the same range of columns on each context line, so
        // that they stay aligned with the error's line.
        let column = text[line_start..offset].chars().count();
        let from = column.saturating_sub(WINDOW_SIDE);
        let to = column + WINDOW_SIDE;
        let cut = |line: &str| -> (String, usize) {
            let line = line.trim_end_matches('\r');
            let start = line.char_indices().nth(from).map_or(line.len(), |(i, _)| i);
            let end = line.char_indices().nth(to).map_or(line.len(), |(i, _)| i);
            let mut shown = String::new();
            if start > 0 {
                shown.push('…');
            }
            shown.push_str(&line[start..end]);
            if end < line.len() {
                shown.push('…');
            }
            (shown, start)
        };
        let mut lines = Vec::new();
        if prev_start < line_start {
            lines.push(cut(&text[prev_start..line_start - 1]).0);
        }
        let (shown, start) = cut(&text[line_start..line_end]);
        let marker = if start > 0 { '…'.len_utf8() } else { 0 };
        let shown_before: usize = lines.iter().map(|l| l.len() + 1).sum();
        let within = marker + (offset - line_start - start);
        let span =
            SourceSpan::new((shown_before + within).into(), token.min(shown.len().saturating_sub(within)).max(1));
        let error_line = lines.len();
        lines.push(shown);
        if line_end < next_end {
            lines.push(cut(&text[line_end + 1..next_end]).0);
        }
        let snippet = Snippet {
            name: path.to_string(),
            text: lines.join("\n"),
            first_line: text[..line_start].matches('\n').count() - error_line,
            error_line,
            cut_before: start - marker,
        };
        (snippet, span)
    }
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let read = self.text.as_str().read_span(span, before, after)?;
        let column = if read.line() == self.error_line && read.column() > 0 {
            read.column() + self.cut_before
        } else {
            read.column()
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            read.data(),
            *read.span(),
            read.line() + self.first_line,
            column,
            read.line_count(),
        )))
    }
}

/// A request the library cannot answer as given (an unknown user, a bad
/// value): what is wrong, and a hint. Commands show it as a usage error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub help: Option<String>,
}

impl Problem {
    pub fn new(message: impl Into<String>, help: Option<String>) -> Problem {
        Problem { message: message.into(), help }
    }
}

/// Reads a text input (policies, scenarios) as Windows tools write it: UTF-8
/// with or without a byte order mark, or UTF-16 (little or big endian) with
/// one, which is what Windows PowerShell 5.1 `Out-File` and `>` produce. The
/// text comes back without its byte order mark, so that every position casim
/// reports is a line and column of the decoded text.
pub fn read_input(path: &Path) -> Result<String, InputError> {
    let bytes = std::fs::read(path).map_err(|e| InputError::new(path, None, format!("cannot read the file: {e}")))?;
    // UTF-8 without a byte order mark, the usual case, becomes the text as
    // it is, without a copy (a generated population is tens of megabytes);
    // anything else is decoded as `decode_input` does.
    let marked = matches!(bytes.first(), Some(0xEF | 0xFF | 0xFE | 0));
    if !marked && !bytes.iter().take(64).any(|b| *b == 0) {
        return String::from_utf8(bytes).or_else(|e| decode_input(path, e.as_bytes()));
    }
    decode_input(path, &bytes)
}

/// Decodes the bytes of an input file by its byte order mark (see `read_input`).
pub fn decode_input(path: &Path, bytes: &[u8]) -> Result<String, InputError> {
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => utf8(path, rest, 3),
        // Checked before UTF-16 LE, whose mark is a prefix of UTF-32 LE's.
        [0xFF, 0xFE, 0, 0, ..] | [0, 0, 0xFE, 0xFF, ..] => Err(InputError::new(
            path,
            None,
            "the file is UTF-32, which casim does not read; save it as UTF-8 (or UTF-16 with a byte order mark)",
        )),
        [0xFF, 0xFE, rest @ ..] => utf16(path, rest, u16::from_le_bytes, "UTF-16 LE"),
        [0xFE, 0xFF, rest @ ..] => utf16(path, rest, u16::from_be_bytes, "UTF-16 BE"),
        _ => {
            // JSON and YAML never hold NUL; early NULs without a byte order
            // mark are UTF-16 text whose mark was lost, which would otherwise
            // pass as (odd) UTF-8 and fail later with a baffling message.
            if let Some(at) = bytes.iter().take(64).position(|b| *b == 0) {
                return Err(InputError::new(
                    path,
                    None,
                    format!(
                        "NUL byte at byte offset {at} and no byte order mark: this looks like UTF-16 without its byte order mark"
                    ),
                )
                .with_help(Some(
                    "save the file as UTF-8 (PowerShell: `Out-File -Encoding utf8`), or as UTF-16 with a byte order mark"
                        .into(),
                )));
            }
            utf8(path, bytes, 0)
        }
    }
}

fn utf8(path: &Path, bytes: &[u8], mark: usize) -> Result<String, InputError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(e) => {
            let good = e.valid_up_to();
            let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or_default();
            let byte = bytes.get(good).copied().unwrap_or_default();
            let message = format!("not valid UTF-8: byte 0x{byte:02X} at byte offset {}", good + mark);
            Err(bad_encoding(path, prefix, &String::from_utf8_lossy(bytes), message))
        }
    }
}

fn utf16(path: &Path, bytes: &[u8], unit: fn([u8; 2]) -> u16, name: &str) -> Result<String, InputError> {
    let units: Vec<u16> = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]])).collect();
    let mut text = String::with_capacity(units.len());
    for (i, decoded) in char::decode_utf16(units.iter().copied()).enumerate() {
        match decoded {
            Ok(c) => text.push(c),
            Err(e) => {
                // `i` counts chars, not units: find the unit by re-counting.
                let at = 2 + 2 * units_before(&units, i);
                let lossy: String =
                    char::decode_utf16(units.iter().copied()).map(|c| c.unwrap_or('\u{fffd}')).collect();
                let message = format!(
                    "not valid {name}: unpaired surrogate 0x{:04X} at byte offset {at}",
                    e.unpaired_surrogate()
                );
                return Err(bad_encoding(path, &text, &lossy, message));
            }
        }
    }
    if bytes.len() % 2 == 1 {
        let message = format!("not valid {name}: the file ends in half a character (an odd number of bytes)");
        return Err(bad_encoding(path, &text, &text, message));
    }
    Ok(text)
}

/// How many UTF-16 units the first `chars` decoded characters took.
fn units_before(units: &[u16], chars: usize) -> usize {
    let mut n = 0;
    for _ in 0..chars {
        n += if (0xD800..0xDC00).contains(&units.get(n).copied().unwrap_or(0)) { 2 } else { 1 };
    }
    n
}

/// An encoding error at the end of `good` (the text decoded so far), shown
/// against `shown` (the whole file decoded with replacement characters).
fn bad_encoding(path: &Path, good: &str, shown: &str, message: String) -> InputError {
    let line = good.matches('\n').count() + 1;
    let column = good.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    InputError::new(path, Some(Pos { line, column }), message)
        .with_help(Some("save the file as UTF-8, or as UTF-16 with a byte order mark".into()))
        .with_source(shown)
}

/// The candidate nearest to `word` (ignoring case), if it is close enough to
/// be a likely typo: casim's one suggestion function, for scenarios, Graph
/// exports, device filters, flags and `--fail-if` fields. Ties go to the
/// candidate closest in length, since a slip rarely adds or drops several
/// characters at once.
pub fn nearest<'a, I>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let lowered = word.to_lowercase();
    let len = lowered.chars().count();
    candidates
        .into_iter()
        .filter_map(|c| {
            let folded = c.to_lowercase();
            let distance = strsim::levenshtein(&lowered, &folded);
            let gap = len.abs_diff(folded.chars().count());
            plausible_typo(&lowered, &folded, distance).then_some((distance, gap, c))
        })
        .min_by_key(|&(distance, gap, _)| (distance, gap))
        .map(|(_, _, c)| c.to_string())
}

/// A few edits for the candidate's length, or a prefix either way (`-eqq`,
/// `trustTyp`).
fn plausible_typo(found: &str, candidate: &str, distance: usize) -> bool {
    let n = candidate.chars().count();
    let few_edits = distance <= (n / 3).max(2) || distance * 2 <= n;
    let is_prefix = found.chars().count() >= 3 && (candidate.starts_with(found) || found.starts_with(candidate));
    few_edits || is_prefix
}

/// "did you mean `x`?" for the nearest candidate, if any.
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    nearest(word, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// Turns serde-saphyr's error text into (message, help). Serde reports unknown
/// keys and values as "unknown field `x`, expected one of `a`, `b`": the list is
/// where the suggestion comes from.
pub fn explain_serde_message(raw: &str) -> (String, Option<String>) {
    let message = raw.lines().next().unwrap_or(raw).trim_start_matches("error: ").trim().to_string();
    let message = strip_position_prefix(&message);
    // serde-saphyr's depth budget and the YAML parser's flow nesting limit
    // (both keep its recursion off the end of the stack).
    if message.starts_with("budget breached: Depth") || message == "recursion limit exceeded" {
        return (
            "the YAML nests too deeply: casim reads at most 64 levels of nested maps and lists (a fixed limit)".into(),
            Some("flatten the document: each nested repeat block takes two levels".into()),
        );
    }
    if let Some(what) = message.strip_prefix("budget breached: ") {
        return (format!("the YAML exceeds a reading limit: {what}"), None);
    }
    if let Some(key) = message.strip_prefix("duplicate mapping key: ") {
        let key = key.split(',').next().unwrap_or(key).trim();
        return (format!("duplicate key `{key}`; each key may appear once in a map"), None);
    }
    for kind in ["unknown field", "unknown variant"] {
        if let Some(rest) = message.split(kind).nth(1) {
            let word = rest.split('`').nth(1).unwrap_or("");
            let expected = rest.split("expected").nth(1).unwrap_or("");
            let candidates: Vec<&str> = expected
                .trim_start_matches(" one of")
                .split([',', ' '])
                .map(|s| s.trim_matches(|c: char| c == '`' || c.is_whitespace()))
                .filter(|s| !s.is_empty() && *s != "or")
                .collect();
            let noun = if kind == "unknown field" { "key" } else { "value" };
            let pretty = format!("unknown {noun} `{word}`; expected one of {}", candidates.join(", "));
            return (pretty, did_you_mean(word, candidates.iter().copied()));
        }
    }
    (message, None)
}

fn strip_position_prefix(message: &str) -> String {
    // serde-saphyr prefixes "line L column C: "; we print the position ourselves.
    if let Some(rest) = message.strip_prefix("line ")
        && let Some((_, tail)) = rest.split_once(": ")
    {
        return tail.to_string();
    }
    message.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_pick_the_nearest_close_word() {
        assert_eq!(nearest("devce", ["at", "do", "device"]), Some("device".into()));
        assert_eq!(nearest("xyzzy", ["at", "do", "device"]), None);
        assert_eq!(nearest("SharePoint", ["sharepoint", "exchange"]), Some("sharepoint".into()));
        // One function for every input: device filter operators and properties too.
        assert_eq!(nearest("-eqq", ["-eq", "-ne", "-in", "-notIn"]), Some("-eq".into()));
        assert_eq!(nearest("trusttyp", ["trustType", "deviceId"]), Some("trustType".into()));
        // Equal distances: the candidate of the closest length wins.
        assert_eq!(nearest("lapto", ["laptops", "laptop"]), Some("laptop".into()));
    }

    #[test]
    fn serde_messages_become_key_errors_with_a_suggestion() {
        let (msg, help) =
            explain_serde_message("error: line 3 column 30: unknown field `devce`, expected one of at, do, device");
        assert_eq!(msg, "unknown key `devce`; expected one of at, do, device");
        assert_eq!(help.as_deref(), Some("did you mean `device`?"));
        let (msg, help) =
            explain_serde_message("unknown variant `entra_joind`, expected one of `entra_joined`, `registered`");
        assert!(msg.starts_with("unknown value `entra_joind`"), "{msg}");
        assert_eq!(help.as_deref(), Some("did you mean `entra_joined`?"));
    }

    #[test]
    fn inputs_decode_by_their_byte_order_mark() {
        let path = Path::new("p.json");
        let text = "{\r\n  \"a\": \"é →\"\r\n}";
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect();
        let bom: Vec<u8> = [0xEF, 0xBB, 0xBF].into_iter().chain(text.bytes()).collect();
        for bytes in [text.as_bytes(), &bom, &le, &be] {
            assert_eq!(decode_input(path, bytes).expect("decodes"), text);
        }
        let pair: Vec<u8> = [0xFF, 0xFE].into_iter().chain("x😀y".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(decode_input(path, &pair).expect("a surrogate pair decodes"), "x😀y");
    }

    #[test]
    fn undecodable_inputs_are_located_errors() {
        let path = Path::new("p.json");
        let e = decode_input(path, b"{\n  \"a\": \"\xff\"}").expect_err("not UTF-8");
        assert_eq!(e.pos, Some(Pos { line: 2, column: 9 }));
        assert!(e.message.contains("byte offset 10"), "{}", e.message);
        // An unpaired low surrogate after a valid pair: the offset counts both units of the pair.
        let bytes: Vec<u8> = vec![0xFF, 0xFE, b'a', 0, 0x3D, 0xD8, 0x00, 0xDE, b'\n', 0, 0x00, 0xDC];
        let e = decode_input(path, &bytes).expect_err("unpaired surrogate");
        assert_eq!(e.pos, Some(Pos { line: 2, column: 1 }));
        assert!(e.message.contains("0xDC00 at byte offset 10"), "{}", e.message);
        let e = decode_input(path, &[0xFE, 0xFF, 0, b'{', 0]).expect_err("odd length");
        assert!(e.message.contains("half a character"), "{}", e.message);
        let e = decode_input(path, &[0xFF, 0xFE, 0, 0, b'{', 0, 0, 0]).expect_err("UTF-32");
        assert!(e.message.contains("UTF-32"), "{}", e.message);
        let e = decode_input(path, &[b'{', 0, b'}', 0]).expect_err("UTF-16 without a mark");
        assert!(e.message.contains("without its byte order mark"), "{}", e.message);
    }

    #[test]
    fn several_errors_render_one_after_another() {
        let a = InputError::new(Path::new("a.json"), Some(Pos { line: 1, column: 1 }), "first");
        let b = InputError::new(Path::new("b.json"), None, "second");
        let text = InputError::many(Path::new("dir"), "2 of 2 files have errors", vec![a, b]).render();
        let (head, first, second) =
            (text.find("dir: 2 of 2"), text.find("a.json:1:1: first"), text.find("b.json: second"));
        assert!(head.is_some() && head < first && first < second, "{text}");
        let only = InputError::new(Path::new("a.json"), None, "only");
        assert_eq!(InputError::many(Path::new("dir"), "x", vec![only]).message, "only");
    }

    #[test]
    fn errors_on_long_lines_show_a_window_with_the_file_s_numbers() {
        let long = format!("a: \"{}\", bad: 1\n", "y".repeat(70_000));
        let text = format!("first\n{long}third\n");
        let column = long.find("bad").expect("bad is there") + 1;
        let err = InputError::new(Path::new("a.yaml"), Some(Pos { line: 2, column }), "unknown key")
            .with_source(&text)
            .render();
        assert!(err.contains(&format!("[a.yaml:2:{column}]")), "{err}");
        assert!(err.contains(" 2 │ …yyyy"), "{err}");
        assert!(err.contains("\", bad: 1"), "{err}");
        assert!(err.len() < 1_500, "{err}");
        let short =
            InputError::new(Path::new("a.yaml"), Some(Pos { line: 2, column: 4 }), "x").with_source("a\nbb cc\n");
        assert!(short.render().contains(" 2 │ bb cc"), "{}", short.render());
    }

    #[test]
    fn reports_show_file_line_and_column() {
        let err = InputError::new(Path::new("a.yaml"), Some(Pos { line: 2, column: 3 }), "bad")
            .with_help(Some("try this".into()))
            .with_source("x: 1\ny: oops\n");
        let text = err.render();
        assert!(text.contains("a.yaml:2:3: bad"), "{text}");
        assert!(text.contains("y: oops"), "{text}");
        assert!(text.contains("try this"), "{text}");
    }
}
