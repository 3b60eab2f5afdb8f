//! R-LOG-2: non-interactive records are grouped when application, user, IP
//! address, status and resource match, inside windows of 1, 6 or 24 hours
//! aligned to UTC multiples of the window. Records arrive in time order, so one
//! window is held at a time: memory follows the window, not the log. A group
//! keeps its members' request ids, and their full records only when expanded.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::record::SignIn;
use crate::time::Instant;

/// (app id, user id, IP address, error code, resource id).
type GroupKey = (String, String, String, u32, String);

struct Group {
    first: Instant,
    first_text: String,
    last_text: String,
    /// The fields every member shares, from the first member.
    template: Value,
    ids: Vec<String>,
    records: Vec<Value>,
}

pub struct Aggregator {
    window: i64,
    expand: bool,
    current: Option<i64>,
    groups: BTreeMap<GroupKey, Group>,
}

impl Aggregator {
    /// `window` in seconds (3600, 21600 or 86400); `expand` keeps the members' records.
    pub fn new(window: i64, expand: bool) -> Aggregator {
        Aggregator { window, expand, current: None, groups: BTreeMap::new() }
    }

    /// Adds a non-interactive record; returns the groups of the window it closed.
    pub fn push(&mut self, at: Instant, record: &SignIn) -> Vec<Value> {
        let window = at.div_euclid(self.window);
        let closed = if self.current.is_some_and(|w| w != window) { self.flush() } else { Vec::new() };
        self.current = Some(window);
        let key = (
            record.app_id.to_string(),
            record.user_id.clone(),
            record.ip_address.clone(),
            record.status.error_code,
            record.resource_id.to_string(),
        );
        let group = self.groups.entry(key).or_insert_with(|| Group {
            first: at,
            first_text: record.created_date_time.clone(),
            last_text: String::new(),
            template: template(record),
            ids: Vec::new(),
            records: Vec::new(),
        });
        group.last_text.clone_from(&record.created_date_time);
        group.ids.push(record.id.clone());
        if self.expand {
            group.records.push(serde_json::to_value(record).expect("sign-in records always serialize"));
        }
        closed
    }

    /// The groups of the last open window.
    pub fn finish(&mut self) -> Vec<Value> {
        self.flush()
    }

    fn flush(&mut self) -> Vec<Value> {
        let mut groups: Vec<(GroupKey, Group)> = std::mem::take(&mut self.groups).into_iter().collect();
        groups.sort_by(|a, b| (a.1.first, &a.0).cmp(&(b.1.first, &b.0)));
        groups.into_iter().map(|(_, g)| self.render(g)).collect()
    }

    fn render(&self, g: Group) -> Value {
        let mut out = json!({
            "firstDateTime": g.first_text,
            "lastDateTime": g.last_text,
            "signInCount": g.ids.len(),
        });
        let fields = out.as_object_mut().expect("an object");
        if let Value::Object(shared) = g.template {
            fields.extend(shared);
        }
        fields.insert("signIns".into(), json!(g.ids));
        if self.expand {
            fields.insert("records".into(), Value::Array(g.records));
        }
        out
    }
}

/// What a group shows besides its times and members. The status is the error
/// code and its reason: `additionalDetails` may differ between members.
fn template(r: &SignIn) -> Value {
    json!({
        "appId": r.app_id,
        "appDisplayName": r.app_display_name,
        "userId": r.user_id,
        "userPrincipalName": r.user_principal_name,
        "ipAddress": r.ip_address,
        "status": { "errorCode": r.status.error_code, "failureReason": r.status.failure_reason },
        "resourceId": r.resource_id,
        "resourceDisplayName": r.resource_display_name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signin::record::test_support::{Fixture, event};

    #[test]
    fn groups_match_on_app_user_ip_status_and_resource_inside_aligned_windows() {
        let fx = Fixture::new();
        let rec = fx.recorder();
        let (sharepoint, exchange) = (fx.app("sharepoint"), fx.app("exchange"));
        let start = fx.scenario.start; // 2026-01-05T00:00:00Z, a multiple of every window
        let events = [
            event(1, start, sharepoint, 0),
            event(2, start + 1800, sharepoint, 0),
            event(3, start + 1900, sharepoint, 70043),
            event(4, start + 2000, exchange, 0),
            event(5, start + 3600, sharepoint, 0),
        ];
        let mut agg = Aggregator::new(3600, false);
        for e in &events[..4] {
            assert!(agg.push(e.at, &rec.sign_in(e)).is_empty(), "the first hour is still open");
        }
        let closed = agg.push(events[4].at, &rec.sign_in(&events[4]));
        assert_eq!(closed.len(), 3, "same app, different status or app: separate groups");
        let ids = |e: &crate::signin::SignInEvent| json!(crate::signin::record::request_id(&fx.scenario, e.serial));
        assert_eq!(closed[0]["signInCount"], 2);
        assert_eq!(closed[0]["signIns"], json!([ids(&events[0]), ids(&events[1])]));
        assert_eq!(closed[0]["firstDateTime"], "2026-01-05T00:00:00Z");
        assert_eq!(closed[0]["lastDateTime"], "2026-01-05T00:30:00Z");
        assert_eq!(closed[1]["status"]["errorCode"], 70043);
        assert_eq!(closed[2]["appDisplayName"], "Office 365 Exchange Online");
        assert!(closed[0].get("records").is_none());
        let last = agg.finish();
        assert_eq!(last.len(), 1);
        assert_eq!(last[0]["signIns"], json!([ids(&events[4])]));
        assert!(agg.finish().is_empty());
    }

    #[test]
    fn expand_keeps_the_member_records() {
        let fx = Fixture::new();
        let rec = fx.recorder();
        let e = event(1, fx.scenario.start + 10, fx.app("sharepoint"), 0);
        let mut agg = Aggregator::new(86_400, true);
        agg.push(e.at, &rec.sign_in(&e));
        let groups = agg.finish();
        assert_eq!(groups[0]["records"][0]["id"], groups[0]["signIns"][0]);
        assert_eq!(groups[0]["records"][0]["createdDateTime"], "2026-01-05T00:00:10Z");
    }
}
