//! The rule ids of docs/model.md (`### R-XXX-N — title`) as a type: every
//! prompt, block, deferral, finding, workload sign-in and sign-in record
//! names the rule behind it with a `Rule`, written as its id (`R-SIF-1`)
//! by `Display` and by serde, so outputs read the same as with strings.
//!
//! A test below checks that the variants and the headings of docs/model.md
//! are the same set: a rule is documented before the code can cite it.

use std::fmt;

use serde::{Serialize, Serializer};

/// Declares `Rule` with one variant per id, and `Rule::ALL` from the same
/// list, so that the list the docs test walks cannot miss a variant.
macro_rules! rules {
    ($($variant:ident = $id:literal: $title:literal,)*) => {
        /// A rule of docs/model.md, by its id.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $(#[doc = concat!("`", $id, "`: ", $title)] $variant,)*
        }

        impl Rule {
            /// Every rule, in the order of docs/model.md.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)*];

            /// The id, as docs/model.md and MODEL.md write it.
            pub fn id(self) -> &'static str {
                match self {
                    $(Rule::$variant => $id,)*
                }
            }

            /// The title of its heading in docs/model.md.
            pub fn title(self) -> &'static str {
                match self {
                    $(Rule::$variant => $title,)*
                }
            }
        }
    };
}

rules! {
    Tok1 = "R-TOK-1": "Access tokens and silent token requests",
    Tok2 = "R-TOK-2": "Apps that take a fresh token per connection",
    Tok3 = "R-TOK-3": "Configurable token lifetime policies",
    Tok4 = "R-TOK-4": "Long-lived tokens in CAE sessions",
    Tok5 = "R-TOK-5": "Two-hour tokens for Teams and Microsoft 365 without Conditional Access",
    Down1 = "R-DOWN-1": "An app's downstream resources hold it to their policies",
    Cae1 = "R-CAE-1": "Critical events reach CAE apps within a latency",
    Cae2 = "R-CAE-2": "CAE apps enforce location policies at once",
    Res1 = "R-RES-1": "Resilience defaults extend sessions during an outage",
    Res2 = "R-RES-2": "No new sign-in during an outage",
    Sif1 = "R-SIF-1": "What sign-in frequency is",
    Sif2 = "R-SIF-2": "The default: a rolling 90-day window",
    Sif3 = "R-SIF-3": "Sign-in frequency applies to MFA too",
    Sif4 = "R-SIF-4": "The shortest frequency wins; apps in one browser share it",
    Sif5 = "R-SIF-5": "When the session is evaluated (interaction mode)",
    Sif6 = "R-SIF-6": "Token evaluation mode",
    Prt1 = "R-PRT-1": "Unlock refreshes the PRT at most every 4 hours",
    Prt2 = "R-PRT-2": "The PRT satisfies SIF only within SIF of its last refresh",
    Prt3 = "R-PRT-3": "Registered devices",
    Prt4 = "R-PRT-4": "Windows Hello for Business and the PRT's MFA claim",
    Prt5 = "R-PRT-5": "Single sign-on from the PRT",
    Prt6 = "R-PRT-6": "Where an answer to a prompt is stored",
    Prt7 = "R-PRT-7": "PRT validity and password change",
    Prt8 = "R-PRT-8": "PRTs of non-Windows devices and their idle window",
    Prt9 = "R-PRT-9": "Browser single sign-on beyond Edge and Chrome",
    Def1 = "R-DEF-1": "Browser background activity",
    Def2 = "R-DEF-2": "Confidential clients",
    Def3 = "R-DEF-3": "Native background refresh meets an expired session",
    Def4 = "R-DEF-4": "Returning to the device can withdraw a waiting prompt",
    Et1 = "R-ET-1": "Every-time reauthentication and the 5-minute skew",
    Et2 = "R-ET-2": "When \"every time\" is evaluated",
    Et3 = "R-ET-3": "Every time without MFA; documented use cases",
    Et4 = "R-ET-4": "A step-up the access token already satisfies is no token request",
    Et5 = "R-ET-5": "Azure Virtual Desktop's 15 minutes, as a per-app setting",
    Pb1 = "R-PB-1": "\"Stay signed in?\"",
    Pb2 = "R-PB-2": "Persistent browser session control",
    Pb3 = "R-PB-3": "Closing the browser",
    Pb4 = "R-PB-4": "Persistent cookies ignore later policies",
    Pb5 = "R-PB-5": "Cookie idle lifetimes",
    Pb6 = "R-PB-6": "\"Never persistent\" takes hold at the next round trip",
    Pb7 = "R-PB-7": "When \"Stay signed in?\" is not shown",
    Pb8 = "R-PB-8": "AD FS persistent SSO makes the session persistent",
    Spa1 = "R-SPA-1": "Single-page apps hold a refresh token fixed at 24 hours",
    Spa2 = "R-SPA-2": "A lapsed single-page-app refresh token sends the app back to the browser",
    Spa3 = "R-SPA-3": "Nothing is deferred for single-page apps",
    Web1 = "R-WEB-1": "A web app's own session decides when it goes back to Entra ID",
    Web2 = "R-WEB-2": "Web sessions that end with the ID token",
    Web3 = "R-WEB-3": "Web sessions with a sliding expiry",
    Rmfa1 = "R-RMFA-1": "Remembered MFA skips MFA in that browser",
    Rmfa2 = "R-RMFA-2": "MFA older than the remembered days no longer counts",
    Rmfa3 = "R-RMFA-3": "Sign-in frequency replaces remembered MFA",
    Rev1 = "R-REV-1": "Events that end the session",
    Rev2 = "R-REV-2": "What each event revokes",
    Rev3 = "R-REV-3": "When a revocation is noticed",
    Rev4 = "R-REV-4": "The revocation table, row by row",
    Ca1 = "R-CA-1": "Which policies apply; policy states",
    Ca2 = "R-CA-2": "Grant controls",
    Ca4 = "R-CA-4": "Conditions never match on missing input",
    Ca5 = "R-CA-5": "Authentication strengths by combination",
    Ca6 = "R-CA-6": "Workload identities request tokens; policies on them only block",
    Ca3 = "R-CA-3": "Conditional Access status in sign-in logs",
    Prompt1 = "R-PROMPT-1": "Prompt kinds and reasons",
    Prompt2 = "R-PROMPT-2": "Users answer at once and succeed",
    Prompt3 = "R-PROMPT-3": "Blocked access is not a prompt",
    Prompt4 = "R-PROMPT-4": "A browser sign-in without MFA re-creates the cookie without MFA",
    Prompt5 = "R-PROMPT-5": "An answered prompt issues a token",
    Log1 = "R-LOG-1": "Every token issuance is a sign-in record",
    Log2 = "R-LOG-2": "Grouping of non-interactive records",
    Log3 = "R-LOG-3": "IP address of confidential clients' records",
    Log4 = "R-LOG-4": "Fields of a record",
    Det1 = "R-DET-1": "Same inputs, same output",
    Det2 = "R-DET-2": "`until` is exclusive",
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The id string, so `"rule": "R-SIF-1"` in JSON as before.
impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::Rule;

    /// The `### R-XXX-N — title` headings of docs/model.md.
    fn documented() -> Vec<(String, String)> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/model.md");
        let text = std::fs::read_to_string(path).expect("docs/model.md is readable");
        text.lines()
            .filter_map(|l| l.strip_prefix("### "))
            .filter(|l| l.starts_with("R-"))
            .map(|l| {
                let (id, title) = l.split_once(" — ").unwrap_or((l, ""));
                (id.trim().to_string(), title.trim().to_string())
            })
            .collect()
    }

    #[test]
    fn every_rule_has_its_heading_in_docs_model_and_every_heading_its_rule() {
        let docs: BTreeSet<String> = documented().into_iter().map(|(id, _)| id).collect();
        let code: BTreeSet<String> = Rule::ALL.iter().map(|r| r.id().to_string()).collect();
        let undocumented: Vec<_> = code.difference(&docs).collect();
        let missing: Vec<_> = docs.difference(&code).collect();
        assert!(undocumented.is_empty(), "rules without a `### R-…` heading in docs/model.md: {undocumented:?}");
        assert!(missing.is_empty(), "headings of docs/model.md without a `Rule` variant: {missing:?}");
        assert_eq!(code.len(), Rule::ALL.len(), "an id is given to two variants");
        for (id, title) in documented() {
            let rule = Rule::ALL.iter().find(|r| r.id() == id).expect("checked above");
            assert_eq!(rule.title(), title, "the title of {id} in docs/model.md and in `Rule`");
        }
    }

    #[test]
    fn display_and_json_are_the_id() {
        for rule in Rule::ALL {
            assert_eq!(rule.to_string(), rule.id());
            assert_eq!(serde_json::to_string(rule).expect("serializes"), format!("\"{}\"", rule.id()));
        }
        assert_eq!(Rule::Sif1.to_string(), "R-SIF-1");
        assert_eq!(Rule::Prompt2.to_string(), "R-PROMPT-2");
    }
}
