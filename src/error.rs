//! Diagnostics for input casim cannot use: they name the file, line and column,
//! say what was expected and suggest the nearest valid word.

use std::fmt::Write as _;
use std::path::Path;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, NamedSource, SourceSpan};

/// A position in an input file, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub fn from_location(loc: &serde_saphyr::Location) -> Option<Pos> {
        let (line, column) = (loc.line() as usize, loc.column() as usize);
        (line > 0).then_some(Pos { line, column: column.max(1) })
    }
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
    source_code: Option<NamedSource<String>>,
    #[label("{}", self.label)]
    span: Option<SourceSpan>,
    label: String,
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
        }
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
            let len = token_len(&text[offset..]);
            self.span = Some(SourceSpan::new(offset.into(), len));
            self.source_code = Some(NamedSource::new(self.path.clone(), text.to_string()));
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

/// The length of the token at the start of `rest`, for the label's underline.
fn token_len(rest: &str) -> usize {
    let end = rest.char_indices().find(|(_, c)| matches!(c, ',' | '}' | ']' | '\n' | ':')).map(|(i, _)| i);
    rest[..end.unwrap_or(rest.len())].trim_end().len().max(1)
}

/// The candidate nearest to `word`, if it is close enough to be a likely typo.
pub fn nearest<'a, I>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let lowered = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(&lowered, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.to_string())
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
