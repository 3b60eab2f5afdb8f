//! JUnit XML (`--format junit` of `casim check`, `casim snapshot` and `casim
//! diff --fail-if`), in the shape GitHub Actions test reporters, Azure
//! DevOps' `PublishTestResults@2` and Jenkins' JUnit plugin read:
//! `testsuites` › `testsuite` › `testcase`, a failing case holding one
//! `failure` with a `message` attribute and the details as its text.
//!
//! The output is deterministic (R-DET-1): no timestamp, no host name, and
//! every `time` is `0`, since casim measures simulated time, not the wall
//! clock, and a file that changed with each run would defeat comparing two.

use std::fmt::Write as _;

use super::verdict::{Outcome, Verdict};

/// One `testsuite`: the verdicts of one command, with figures as `properties`.
pub struct Suite<'a> {
    pub name: &'a str,
    pub verdicts: &'a [Verdict],
    /// `(name, value)` pairs, e.g. the figures of `casim diff`.
    pub properties: &'a [(String, String)],
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tests: usize,
    failures: usize,
    skipped: usize,
}

impl Counts {
    fn of(verdicts: &[Verdict]) -> Counts {
        let mut c = Counts { tests: verdicts.len(), ..Counts::default() };
        for v in verdicts {
            match v.outcome {
                Outcome::Passed => {}
                Outcome::Failed { .. } => c.failures += 1,
                Outcome::Skipped { .. } => c.skipped += 1,
            }
        }
        c
    }

    /// The attributes every reader looks for; `errors` is always 0, since
    /// input casim cannot use stops the command before any XML (exit 2).
    fn attributes(self) -> String {
        format!(r#"tests="{}" failures="{}" errors="0" skipped="{}" time="0""#, self.tests, self.failures, self.skipped)
    }
}

/// The whole document: one `testsuites` holding `suite`.
pub fn render(suite: &Suite) -> String {
    let counts = Counts::of(suite.verdicts);
    let name = escape(suite.name);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(out, r#"<testsuites name="{name}" {}>"#, counts.attributes());
    let _ = writeln!(out, r#"  <testsuite name="{name}" {}>"#, counts.attributes());
    if !suite.properties.is_empty() {
        out.push_str("    <properties>\n");
        for (n, v) in suite.properties {
            let _ = writeln!(out, r#"      <property name="{}" value="{}"/>"#, escape(n), escape(v));
        }
        out.push_str("    </properties>\n");
    }
    for v in suite.verdicts {
        case(&mut out, v);
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

fn case(out: &mut String, v: &Verdict) {
    let _ = write!(out, r#"    <testcase classname="{}" name="{}" time="0""#, escape(&v.group), escape(&v.name));
    match &v.outcome {
        Outcome::Passed => out.push_str("/>\n"),
        Outcome::Failed { message, details } => {
            let _ = writeln!(
                out,
                ">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
                escape(message),
                escape(&v.kind),
                escape_text(details)
            );
        }
        Outcome::Skipped { message } => {
            let _ = writeln!(out, ">\n      <skipped message=\"{}\"/>\n    </testcase>", escape(message));
        }
    }
}

/// Text as XML 1.0 character data or an attribute value: the five markup
/// characters as entities, line breaks kept (as `&#10;` so that attributes
/// keep them too), and characters XML 1.0 cannot hold at all (other C0
/// controls, such as a terminal's ESC) as U+FFFD, so that a hostile
/// scenario name never makes the file unreadable (docs/output.md).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// `escape` for character data, where line breaks and tabs stay as they
/// are, so that a failure's details read as the terminal shows them.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, newline) = line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n"));
        out.push_str(&escape(body).replace("&#9;", "\t"));
        out.push_str(newline);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_controls_are_escaped() {
        assert_eq!(escape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
        assert_eq!(escape("x\u{1b}[31my\n"), "x\u{fffd}[31my&#10;");
        assert_eq!(escape_text("a\tb\n<c>\n"), "a\tb\n&lt;c&gt;\n");
    }

    #[test]
    fn counts_follow_the_verdicts() {
        let verdicts = [
            Verdict::passed("g", "a"),
            Verdict::failed("g", "b", "check", "prompts differ", "expected 1, got 2"),
            Verdict::skipped("g", "c", "no expect: block"),
        ];
        let xml = render(&Suite { name: "casim check", verdicts: &verdicts, properties: &[] });
        assert!(
            xml.contains(r#"<testsuites name="casim check" tests="3" failures="1" errors="0" skipped="1" time="0">"#)
        );
        assert!(xml.contains(r#"<failure message="prompts differ" type="check">expected 1, got 2</failure>"#), "{xml}");
        assert!(xml.contains(r#"<skipped message="no expect: block"/>"#), "{xml}");
    }
}
