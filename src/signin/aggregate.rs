//! R-LOG-2: non-interactive records are grouped when application, user, IP
//! address, status and resource match, inside windows of 1, 6 or 24 hours
//! aligned to UTC multiples of the window. Records arrive in time order, so one
//! window is held at a time: memory follows the window, not the log.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::time::Instant;

type GroupKey = (String, String, String, i64, String);

struct Group {
    first: Instant,
    first_text: Value,
    last_text: Value,
    template: Value,
    ids: Vec<Value>,
    records: Vec<Value>,
}

pub struct Aggregator {
    window: i64,
    expand: bool,
    current: Option<i64>,
    groups: BTreeMap<GroupKey, Group>,
}

impl Aggregator {
    pub fn new(window: i64, expand: bool) -> Aggregator {
        Aggregator { window, expand, current: None, groups: BTreeMap::new() }
    }

    /// Adds a non-interactive record; returns the groups of windows it closed.
    pub fn push(&mut self, at: Instant, record: Value) -> Vec<Value> {
        let window = at.div_euclid(self.window);
        let closed = if self.current.is_some_and(|w| w != window) { self.flush() } else { Vec::new() };
        self.current = Some(window);
        let key = group_key(&record);
        let expand = self.expand;
        let group = self.groups.entry(key).or_insert_with(|| Group {
            first: at,
            first_text: record["createdDateTime"].clone(),
            last_text: record["createdDateTime"].clone(),
            template: record.clone(),
            ids: Vec::new(),
            records: Vec::new(),
        });
        group.last_text = record["createdDateTime"].clone();
        group.ids.push(record["id"].clone());
        if expand {
            group.records.push(record);
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
        let t = &g.template;
        let mut out = json!({
            "firstDateTime": g.first_text,
            "lastDateTime": g.last_text,
            "signInCount": g.ids.len(),
            "appId": t["appId"],
            "appDisplayName": t["appDisplayName"],
            "userId": t["userId"],
            "userPrincipalName": t["userPrincipalName"],
            "ipAddress": t["ipAddress"],
            "status": t["status"],
            "resourceId": t["resourceId"],
            "resourceDisplayName": t["resourceDisplayName"],
            "signIns": g.ids,
        });
        if self.expand {
            out["records"] = Value::Array(g.records);
        }
        out
    }
}

fn group_key(record: &Value) -> GroupKey {
    let s = |k: &str| record[k].as_str().unwrap_or("").to_string();
    (s("appId"), s("userId"), s("ipAddress"), record["status"]["errorCode"].as_i64().unwrap_or(0), s("resourceId"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, at: &str, app: &str, error: i64) -> Value {
        json!({"id": id, "createdDateTime": at, "appId": app, "appDisplayName": app, "userId": "u", "userPrincipalName": "u@x",
               "ipAddress": "203.0.113.1", "status": {"errorCode": error}, "resourceId": app, "resourceDisplayName": app})
    }

    #[test]
    fn groups_match_on_app_user_ip_status_and_resource_inside_aligned_windows() {
        let mut agg = Aggregator::new(3600, false);
        assert!(agg.push(0, record("a", "00:00", "x", 0)).is_empty());
        assert!(agg.push(1800, record("b", "00:30", "x", 0)).is_empty());
        assert!(agg.push(1900, record("c", "00:31", "x", 70043)).is_empty());
        let closed = agg.push(3600, record("d", "01:00", "x", 0));
        assert_eq!(closed.len(), 2, "same app, different status: two groups");
        assert_eq!(closed[0]["signInCount"], 2);
        assert_eq!(closed[0]["signIns"], json!(["a", "b"]));
        assert_eq!(closed[0]["lastDateTime"], "00:30");
        assert_eq!(closed[1]["status"]["errorCode"], 70043);
        let last = agg.finish();
        assert_eq!(last.len(), 1);
        assert_eq!(last[0]["signIns"], json!(["d"]));
    }

    #[test]
    fn expand_keeps_the_member_records() {
        let mut agg = Aggregator::new(86_400, true);
        agg.push(10, record("a", "t", "x", 0));
        let groups = agg.finish();
        assert_eq!(groups[0]["records"][0]["id"], "a");
    }
}
