//! Issue 9, input limits: no input makes casim panic, run unbounded or grow
//! without bound. Every limit's error names the file, line and column (or the
//! flag), the limit, and how to raise it (docs/limits.md).

use std::process::Output;

use crate::common::{Scratch, casim};

/// Folds miette's gutter and wrapping away so that phrases can be searched.
fn flat(text: &str) -> String {
    text.replace('│', " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Asserts exit status 2 and nothing on stdout; returns stderr, flattened.
fn refused(args: &[&str]) -> String {
    let output: Output = casim(args);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "casim {args:?} should exit 2; stderr:\n{stderr}");
    assert!(
        output.stdout.is_empty(),
        "no output on refused input; stdout:\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
    flat(&stderr)
}

/// A minified Graph export of `n` policies on one line, the last with
/// `builtInControls` misspelled, so that the error is past column 65,535.
fn one_line_export(min_len: usize) -> String {
    let policy = |i: usize, grant: &str| {
        format!(
            r#"{{"id":"7359d0e0-d8a9-4afa-8a93-{i:012}","displayName":"Policy {i}","state":"enabled","conditions":{{"clientAppTypes":["all"],"applications":{{"includeApplications":["All"]}},"users":{{"includeUsers":["All"]}}}},"grantControls":{{"operator":"OR","{grant}":["mfa"]}}}}"#
        )
    };
    let mut policies = Vec::new();
    while policies.iter().map(String::len).sum::<usize>() < min_len {
        policies.push(policy(policies.len(), "builtInControls"));
    }
    policies.push(policy(policies.len(), "bultInControls"));
    format!(r#"{{"value":[{}]}}"#, policies.join(","))
}

#[test]
fn an_error_past_column_65535_of_a_one_line_export_is_shown_in_a_window() {
    let scratch = Scratch::new("limits-long-json");
    let text = one_line_export(100_000);
    let column = text.find(r#""bultInControls""#).expect("the typo is there") + 1;
    assert!(column > 100_000, "the typo must be past u16 columns: {column}");
    let file = scratch.write_arg("export.json", &text);
    let stderr = refused(&["policies", "show", &file]);
    assert!(stderr.contains(&format!("export.json:1:{column}:")), "{stderr}");
    assert!(stderr.contains("did you mean `builtInControls`?"), "{stderr}");
    // The line is shown cut around the typo, not 100,000 characters wide.
    assert!(stderr.contains(r#"…"#) && stderr.contains(r#""bultInControls":["mfa"]"#), "{stderr}");
    assert!(stderr.len() < 2_000, "the report shows a window, not the whole line: {} bytes", stderr.len());
}

#[test]
fn an_error_past_column_65535_of_a_yaml_line_is_shown_in_a_window() {
    let scratch = Scratch::new("limits-long-yaml");
    let long = "x".repeat(100_000);
    let file = scratch
        .write_arg("long.yaml", &format!("name: t\nusers:\n  alice: {{ upn: \"{long}\", bogus: 1 }}\ntimeline: []\n"));
    let stderr = refused(&["validate", &file]);
    let column = "  alice: { upn: \"".len() + long.len() + "\", ".len() + 1;
    assert!(stderr.contains(&format!("long.yaml:3:{column}: unknown key `bogus`")), "{stderr}");
    assert!(stderr.contains("bogus: 1 }"), "{stderr}");
    assert!(stderr.len() < 2_000, "{} bytes", stderr.len());
}
