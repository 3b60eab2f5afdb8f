//! What-if comparison of two policy sets (`casim diff`) and prompt snapshots
//! (`casim snapshot`). `stats` computes the summary, `expr` is the
//! `--fail-if` language over its fields, `render` prints it for a terminal,
//! `snapshot` writes `.prompts.snap` text and `unified` diffs two texts.
//! docs/diff.md documents every field.

pub mod breakdown;
pub mod expr;
pub mod groups;
pub mod pair;
pub mod render;
pub mod snapshot;
pub mod stats;
pub mod unified;

pub use pair::{population_shares, simulate_pair};
pub use stats::{Collector, Report, Share};

use serde_json::Value;

/// The sections of the summary, and so the prefixes of full field paths.
pub const SECTIONS: [&str; 3] = ["baseline", "proposed", "changes"];

/// Every numeric field of the report as a full dotted path
/// (`proposed.prompts_per_user_day.p95`) with its value, in JSON order.
/// Lists (`changes.largest`, `changes.by_user_app`) and text are left out.
pub fn fields(report: &Report) -> Vec<(String, f64)> {
    fn walk(prefix: &str, value: &Value, out: &mut Vec<(String, f64)>) {
        match value {
            Value::Number(n) => out.push((prefix.to_string(), n.as_f64().unwrap_or(f64::NAN))),
            Value::Object(map) => {
                for (k, v) in map {
                    walk(&format!("{prefix}.{k}"), v, out);
                }
            }
            _ => {}
        }
    }
    let value = |v: Result<Value, serde_json::Error>| v.unwrap_or(Value::Null);
    let values = [
        value(serde_json::to_value(&report.baseline)),
        value(serde_json::to_value(&report.proposed)),
        value(serde_json::to_value(&report.changes.figures)),
    ];
    let mut out = Vec::new();
    for (section, v) in SECTIONS.into_iter().zip(&values) {
        walk(section, v, &mut out);
    }
    out
}

/// The names of every field; they do not depend on the data.
pub fn field_names() -> Vec<String> {
    match Collector::new("", "").finish() {
        Ok(report) => fields(&report).into_iter().map(|(name, _)| name).collect(),
        // Nothing was kept, so nothing can fail to be read back.
        Err(_) => Vec::new(),
    }
}

/// The full path a written path names: itself when it starts with a section
/// (`baseline.`, `proposed.`, `changes.`), else the proposed value of that
/// name, else the change of that name.
pub fn resolve(written: &str, names: &[String]) -> Option<String> {
    let known = |full: String| names.contains(&full).then_some(full);
    if SECTIONS.iter().any(|s| written.starts_with(&format!("{s}."))) {
        return known(written.to_string());
    }
    known(format!("proposed.{written}")).or_else(|| known(format!("changes.{written}")))
}

/// The field list for an error message: the summary fields once (they exist
/// under `baseline.` and `proposed.`), then those of `changes.`, wrapped.
pub fn describe_fields(names: &[String]) -> String {
    fn wrap(items: Vec<&str>) -> String {
        let mut out = String::new();
        let mut line = String::from("    ");
        for (i, item) in items.iter().enumerate() {
            let piece = if i + 1 < items.len() { format!("{item}, ") } else { item.to_string() };
            if line.len() + piece.len() > 100 && !line.trim().is_empty() {
                out.push_str(line.trim_end());
                out.push('\n');
                line = String::from("    ");
            }
            line.push_str(&piece);
        }
        out.push_str(line.trim_end());
        out
    }
    let of = |prefix: &str| -> Vec<&str> { names.iter().filter_map(|n| n.strip_prefix(prefix)).collect() };
    format!(
        "  fields of `baseline.` and `proposed.`:\n{}\n  fields of `changes.`:\n{}\n  a name without a prefix is the proposed value, or the change when only `changes.` has it",
        wrap(of("proposed.")),
        wrap(of("changes."))
    )
}

/// Names worth suggesting: the full paths and their shorthands.
pub fn suggestions(names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = names.to_vec();
    for n in names {
        for prefix in ["proposed.", "changes."] {
            if let Some(short) = n.strip_prefix(prefix)
                && resolve(short, names).as_deref() == Some(n.as_str())
            {
                out.push(short.to_string());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_cover_the_three_sections_and_skip_lists() {
        let names = field_names();
        for must in [
            "baseline.prompts_per_user_day.p95",
            "proposed.prompts_per_user_day.median",
            "proposed.max_prompts_in_hour",
            "proposed.prompts_by_reason.sign_in_frequency",
            "proposed.report_only.findings",
            "changes.users_newly_blocked",
            "changes.prompts_per_user_day.mean",
        ] {
            assert!(names.iter().any(|n| n == must), "{must} missing from {names:?}");
        }
        assert!(!names.iter().any(|n| n.contains("largest") || n.contains("by_user_app")), "{names:?}");
    }

    #[test]
    fn shorthand_prefers_proposed_then_changes() {
        let names = field_names();
        assert_eq!(resolve("prompts_per_user_day.p95", &names).as_deref(), Some("proposed.prompts_per_user_day.p95"));
        assert_eq!(resolve("prompts", &names).as_deref(), Some("proposed.prompts"));
        assert_eq!(resolve("users_prompts_rose", &names).as_deref(), Some("changes.users_prompts_rose"));
        assert_eq!(resolve("changes.prompts", &names).as_deref(), Some("changes.prompts"));
        assert_eq!(resolve("baseline.users_prompts_rose", &names), None);
        assert_eq!(resolve("nope", &names), None);
        let s = suggestions(&names);
        assert!(s.contains(&"users_newly_blocked".to_string()));
        assert!(s.contains(&"prompts_per_user_day.p95".to_string()));
        // `changes.prompts` is shadowed by `proposed.prompts`: no shorthand for it.
        assert_eq!(s.iter().filter(|n| *n == "prompts").count(), 1);
    }
}
