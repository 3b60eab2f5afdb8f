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
                escape(details)
            );
        }
        Outcome::Skipped { message } => {
            let _ = writeln!(out, ">\n      <skipped message=\"{}\"/>\n    </testcase>", escape(message));
        }
    }
}

/// Text as XML 1.0 character data or an attribute value: as the HTML
/// report escapes it (`html::esc`: the markup characters as entities,
/// control characters other than line breaks and tabs written `\u{..}` as
/// the terminal shows them), and the two non-characters XML 1.0 cannot hold
/// as U+FFFD, so that a hostile scenario name never makes the file
/// unreadable (docs/output.md).
pub fn escape(text: &str) -> String {
    super::html::esc(text).replace(['\u{fffe}', '\u{ffff}'], "\u{fffd}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_controls_are_escaped() {
        assert_eq!(escape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
        assert_eq!(escape("x\u{1b}[31my\n\u{ffff}"), "x\\u{1b}[31my\n\u{fffd}");
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
