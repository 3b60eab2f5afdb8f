//! What a CI check decided about one thing it checked (a scenario's
//! `expect:` block, a prompt snapshot, a `--fail-if` clause): the shared
//! input of the JUnit (`report::junit`) and Markdown (`report::markdown`)
//! outputs.

use crate::diff::expr::Clause;

/// One verdict: a test case of a CI report.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// What holds the case: a scenario file, or the `--fail-if` condition (JUnit's `classname`).
    pub group: String,
    /// The case itself: a scenario's name, or a clause as written.
    pub name: String,
    /// What kind of check failed (JUnit's failure `type`): `check`, `snapshot`, `fail-if`.
    pub kind: String,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Passed,
    /// A one-line `message` and the `details` as the text output prints them.
    Failed {
        message: String,
        details: String,
    },
    /// Not checked, and why.
    Skipped {
        message: String,
    },
}

impl Verdict {
    pub fn passed(group: &str, name: &str) -> Verdict {
        Verdict { group: group.into(), name: name.into(), kind: String::new(), outcome: Outcome::Passed }
    }

    pub fn failed(group: &str, name: &str, kind: &str, message: &str, details: &str) -> Verdict {
        Verdict {
            group: group.into(),
            name: name.into(),
            kind: kind.into(),
            outcome: Outcome::Failed { message: message.into(), details: details.into() },
        }
    }

    pub fn skipped(group: &str, name: &str, message: &str) -> Verdict {
        Verdict {
            group: group.into(),
            name: name.into(),
            kind: String::new(),
            outcome: Outcome::Skipped { message: message.into() },
        }
    }
}

/// `casim diff --fail-if`: a verdict per clause (`Expr::clauses`), failed
/// when the clause holds, since the condition names what must not happen.
pub fn of_clauses(clauses: &[Clause]) -> Vec<Verdict> {
    clauses
        .iter()
        .map(|c| match c.evaluation.holds {
            false => Verdict::passed("fail-if", &c.text),
            true => Verdict::failed(
                "fail-if",
                &c.text,
                "fail-if",
                &format!("the condition holds: {}", c.text),
                &c.evaluation.explain(),
            ),
        })
        .collect()
}
