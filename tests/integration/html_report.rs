//! `casim report` through the binary: one self-contained, deterministic HTML
//! file; the timeline's marks (prompts by reason with their explanation, PRT
//! refreshes, device events, valid sessions); the diff summary and charts; a
//! 1,000-user population that stays small; and the page rendered in a real
//! headless Chromium (screenshot and DOM after rendering).

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use assert_cmd::Command;

use crate::common::{Scratch, casim};

fn repo(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path).display().to_string()
}

/// Writes a report with `args` (plus `-o FILE`) and returns the file's text.
fn report(scratch: &Scratch, name: &str, args: &[&str]) -> String {
    let out = scratch.path_arg(name);
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-o", &out]);
    let output = casim(&all);
    assert_eq!(output.status.code(), Some(0), "casim {all:?} failed:\n{}", String::from_utf8_lossy(&output.stderr));
    std::fs::read_to_string(&out).expect("the report is written as UTF-8")
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// The page's data block (`#casim-data`): `{"a": axis, "u": users, "s": strings}`.
fn page_data(page: &str) -> serde_json::Value {
    let open = r#"<script type="application/json" id="casim-data">"#;
    let start = page.find(open).expect("the page has its data block") + open.len();
    let end = start + page[start..].find("</script>").expect("the data block ends");
    serde_json::from_str(&page[start..end]).expect("the data block is JSON")
}

/// One user's record: `[lanes, prompts, policy changes]`, with strings resolved by `text`.
struct UserData<'a> {
    strings: &'a [serde_json::Value],
    lanes: &'a [serde_json::Value],
    prompts: &'a [serde_json::Value],
}

impl<'a> UserData<'a> {
    fn of(data: &'a serde_json::Value, user: usize) -> UserData<'a> {
        let u = &data["u"][user];
        UserData {
            strings: data["s"].as_array().expect("strings"),
            lanes: u[0].as_array().expect("lanes"),
            prompts: u[1].as_array().expect("prompts"),
        }
    }

    fn text(&self, v: &serde_json::Value) -> &'a str {
        self.strings[v.as_u64().expect("a string's number") as usize].as_str().expect("a string")
    }

    fn labels(&self) -> Vec<&'a str> {
        self.lanes.iter().map(|l| self.text(&l[1])).collect()
    }

    /// Marks of a shape (page.js: 7 PRT refresh, 8 sign-in, 9 sign-out, 10 lock, 11 unlock).
    fn marks(&self, shape: u64) -> usize {
        self.lanes.iter().flat_map(|l| l[11].as_array().unwrap()).filter(|p| p[0] == shape).count()
    }

    /// Bars of a kind (0 unlocked, 1 locked, 2 use, 3 background, 4 valid session), four numbers each.
    fn bars(&self, kind: u64) -> usize {
        self.lanes.iter().map(|l| l[10].as_array().unwrap().chunks(4).filter(|b| b[0] == kind).count()).sum()
    }

    /// Prompts of a run (0 the only run, 1 baseline, 2 proposed, 3 both alike).
    fn prompts_of(&self, run: u64) -> usize {
        self.prompts.iter().filter(|p| p[0] == run).count()
    }
}

/// The work week's policy, and the same plus a 2-hour sign-in frequency for everything.
const PORTAL_SIF: &str = "\
- name: SIF 1 hour for the Azure portal
  users: { include: [\"role:Global Administrator\"] }
  apps: [azure_portal]
  session: { sign_in_frequency: 1h }
";

fn proposed_policies() -> String {
    format!(
        "{PORTAL_SIF}- name: SIF 2 hours for everything\n  users: all\n  apps: all\n  session: {{ sign_in_frequency: 2h }}\n"
    )
}

#[test]
fn html_report_is_one_self_contained_deterministic_file() {
    let scratch = Scratch::new("self-contained");
    let ww = repo("scenarios/work-week.yaml");
    let a = report(&scratch, "a.html", &[&ww]);
    let b = report(&scratch, "b.html", &[&ww]);
    assert_eq!(a, b, "the same input must give the same bytes");
    let stdout = casim(&["report", &ww]);
    assert_eq!(String::from_utf8(stdout.stdout).unwrap(), a, "stdout and -o write the same page");

    assert!(a.starts_with("<!DOCTYPE html>"), "{}", &a[..80]);
    assert!(a.trim_end().ends_with("</html>"));
    // Nothing is fetched: no URLs, external scripts, stylesheets, fonts or images.
    for forbidden in
        ["http://", "https://", "//cdn", " src=", "<link", "@import", "url(", "@font-face", "<img", "<iframe"]
    {
        assert!(!a.contains(forbidden), "the report references `{forbidden}`");
    }
    assert_eq!(count(&a, "<style>"), 1);
    // One script, and one data block the browser does not run.
    assert_eq!(count(&a, "<script>"), 1);
    assert_eq!(count(&a, r#"<script type="application/json" id="casim-data">"#), 1);
    let at = a.find("<script>").unwrap();
    let script = &a[at..at + a[at..].find("</script>").unwrap()];
    assert!(script.len() < 16_384, "the inline script stays small: {} bytes", script.len());
    // The data is the last thing before the script: what the first paint shows comes first.
    assert!(a.find("casim-data").unwrap() > a.find(r#"<section id="users">"#).unwrap());
}

#[test]
fn html_report_draws_prompts_prt_refreshes_and_device_events() {
    let scratch = Scratch::new("marks");
    let page = report(&scratch, "r.html", &[&repo("scenarios/work-week.yaml")]);
    // One section for the one user; its timeline is in the data, drawn when opened (page.js).
    assert_eq!(count(&page, r#"<details class="user""#), 1);
    let data = page_data(&page);
    assert_eq!(data["u"].as_array().unwrap().len(), 1);
    let user = UserData::of(&data, 0);
    // Lanes: the device, then each app and client used on it.
    let labels = user.labels();
    for lane in ["laptop", "teams · desktop", "azure_portal · browser"] {
        assert!(labels.contains(&lane), "no lane {lane}: {labels:?}");
    }
    // Ten SIF prompts (15:00 and 16:00 each day), each with its reason and sentence, instants apart.
    assert_eq!(user.prompts_of(0), 10);
    assert!(user.prompts.iter().all(|p| user.text(&p[3]) == "sign_in_frequency"));
    let first = &user.prompts[0];
    assert_eq!(
        user.text(&first[5]),
        "sign-in frequency 1h exceeded: last sign-in \u{1} (PRT refreshed at unlock)",
        "the sentence keeps a place for its instant"
    );
    let from = data["a"][0].as_i64().unwrap();
    assert_eq!(first[2].as_i64().unwrap() + from, 1_767_625_200, "Mon 5 Jan 15:00 UTC");
    assert_eq!(first[6][0].as_i64().unwrap() + from, 1_767_618_000, "last sign-in Mon 5 Jan 13:00 UTC");
    assert_eq!(user.text(&first[7]), "SIF 1 hour for the Azure portal");
    assert_eq!(user.text(&first[8]), "R-PRT-2");
    assert_eq!(first[12], 0, "the \"Stay signed in?\" answer: no");
    // PRT refreshes from the Windows Sign In records: sign-in at 08:00 and the 13:00 unlock, each day.
    assert_eq!(user.marks(7), 10);
    assert!(page.contains(r#""\u0001\nPRT refreshed at device sign-in or unlock (Windows Sign In record) on laptop""#));
    for (shape, what) in [(8, "sign-in"), (9, "sign-out"), (10, "lock"), (11, "unlock")] {
        assert_eq!(user.marks(shape), 5, "{what}");
    }
    // Use bars, device state and valid sessions.
    assert_eq!(user.bars(2), 15);
    assert_eq!(user.bars(0), 10);
    assert_eq!(user.bars(1), 5);
    assert!(user.bars(4) >= 15, "valid sessions are shaded");
    // The summary of a single run.
    assert!(page.contains("<th>prompts</th><td>10</td>"));
    assert!(
        page.contains("Prompts per user-day")
            && page.contains("Prompts by hour of day")
            && page.contains("Prompts by app")
    );
}

#[test]
fn html_report_diff_summarises_before_and_after() {
    let scratch = Scratch::new("diff");
    let baseline = scratch.write_arg("baseline.yaml", PORTAL_SIF);
    let proposed = scratch.write_arg("proposed.yaml", &proposed_policies());
    let ww = repo("scenarios/work-week.yaml");
    let page = report(&scratch, "d.html", &[&ww, "--baseline", &baseline, "--proposed", &proposed]);
    assert_eq!(page, report(&scratch, "d2.html", &[&ww, "--baseline", &baseline, "--proposed", &proposed]));
    assert!(page.contains("<th>baseline</th><th>proposed</th><th>change</th>"));
    assert!(page.contains(r#"<tr><th>prompts</th><td>10</td><td>25</td><td class="up">+15</td></tr>"#), "{page}");
    assert!(page.contains(r#"<tr><th>users whose prompts rose</th><td colspan="3">1</td></tr>"#));
    // The charts, before and after.
    for chart in ["Prompts per user-day", "Prompts by hour of day (UTC)", "Prompts by app", "Prompts by reason"] {
        assert!(page.contains(&format!(r#"aria-label="{chart}""#)), "no chart {chart}");
    }
    assert!(page.contains("<title>teams: proposed 15</title>") && page.contains("<title>teams: baseline 0</title>"));
    // Largest changes, linked to the user's timeline.
    assert!(
        page.contains(r##"<td><a href="#u0">vera</a></td><td>teams</td><td>0</td><td>15</td><td class="up">+15</td>"##)
    );
    // Both runs: the ten Azure portal prompts both raised alike are one row each
    // (drawn once), the fifteen Teams prompts are the proposed run's alone.
    let data = page_data(&page);
    let user = UserData::of(&data, 0);
    assert_eq!((user.prompts_of(1), user.prompts_of(2), user.prompts_of(3)), (0, 15, 10));
    assert_eq!(data["a"][3], 1, "the page knows it is a diff");
    assert!(page.contains("prompts 10 → 25 (+15)"));
}

/// The summary's figures are `casim diff`'s, for a plain scenario and a population.
#[test]
fn html_report_summary_agrees_with_casim_diff() {
    let scratch = Scratch::new("agrees");
    let baseline = scratch.write_arg("baseline.yaml", PORTAL_SIF);
    let proposed = scratch.write_arg("proposed.yaml", &proposed_policies());
    let population = scratch.write_arg(
        "population.yaml",
        "name: \"Thirty users\"\nseed: 11\npopulation:\n  personas: { office_worker: 12, hybrid_worker: 6, frontline_worker: 4, mobile_user: 4, administrator: 2, guest: 2 }\n  days: 7\n",
    );
    for scenario in [repo("scenarios/work-week.yaml"), population] {
        let page = report(&scratch, "a.html", &[&scenario, "--baseline", &baseline, "--proposed", &proposed]);
        let output = casim(&["diff", "--baseline", &baseline, "--proposed", &proposed, &scenario, "--format", "json"]);
        assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("casim diff prints JSON");
        let field = |side: &str, path: &str| {
            let v = path.split('.').fold(&json[side], |v, k| &v[k]);
            v.as_f64().unwrap_or_else(|| panic!("{side}.{path} is not a number: {v}"))
        };
        for (label, path) in [
            ("active user-days", "user_days"),
            ("prompts", "prompts"),
            ("prompts per user-day: mean", "prompts_per_user_day.mean"),
            ("prompts per user-day: median", "prompts_per_user_day.median"),
            ("prompts per user-day: p95", "prompts_per_user_day.p95"),
            ("prompts per user-day: max", "prompts_per_user_day.max"),
            ("users with at least one prompt", "users_prompted"),
            ("most prompts one user saw inside one hour", "max_prompts_in_hour"),
            ("blocked accesses", "blocked"),
            ("users blocked at least once", "users_blocked"),
        ] {
            let (b, p) = (field("baseline", path), field("proposed", path));
            let row = format!("<tr><th>{label}</th><td>{b}</td><td>{p}</td>");
            assert!(page.contains(&row), "{scenario}: expected {row}");
        }
        let users = json["proposed"]["users"].as_u64().unwrap();
        assert!(page.contains(&format!(r#"<tr><th>users simulated</th><td colspan="3">{users}</td></tr>"#)));
        // The histogram counts the same user-days.
        let days = field("proposed", "user_days") as u64;
        let histogram: u64 = page
            .split("<title>")
            .filter_map(|t| t.split_once(": proposed ").filter(|(c, _)| c.len() <= 3 && !c.contains(':')))
            .filter(|(c, _)| c.parse::<u32>().is_ok() || *c == "10+")
            .map(|(_, v)| v.split('<').next().unwrap())
            .map(|v| v.parse::<u64>().unwrap())
            .take(11)
            .sum();
        assert_eq!(histogram, days, "{scenario}: the per-user-day histogram");
    }
}

#[test]
fn html_report_escapes_scenario_text() {
    let scratch = Scratch::new("escape");
    let text = std::fs::read_to_string(repo("scenarios/work-week.yaml"))
        .unwrap()
        .replace("name: \"A work week", "name: \"<script>alert('x')</script> & \\\"quotes\\\" A work week");
    let path = scratch.write_arg("escape.yaml", &text);
    let page = report(&scratch, "e.html", &[&path]);
    assert!(!page.contains("<script>alert"), "scenario text reaches the page unescaped");
    assert!(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot; A work week"));
}

#[test]
fn html_report_rejects_half_a_diff_and_folders() {
    let ww = repo("scenarios/work-week.yaml");
    let output = casim(&["report", &ww, "--baseline", &ww]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--proposed"));
    let output = casim(&["report", &repo("scenarios")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("takes one scenario file"));
}

/// 1,000 generated users over 5 days, under two policy sets: one `<details>`
/// and one small record per user, a filter box, and a file of a few megabytes
/// (96 MB for 30 days before the page drew timelines on demand; docs/report.md).
#[test]
fn html_report_of_a_1000_user_population_stays_small() {
    let scratch = Scratch::new("population");
    let population = scratch.write_arg(
        "population.yaml",
        "name: \"1,000 users\"\nseed: 7\npopulation:\n  personas: { office_worker: 500, hybrid_worker: 200, frontline_worker: 100, mobile_user: 100, administrator: 50, guest: 50 }\n  days: 5\n",
    );
    let baseline = casim::scenario::NO_POLICIES.to_string();
    let proposed = scratch.write_arg(
        "proposed.yaml",
        "- { name: SIF 4 hours, users: all, apps: all, session: { sign_in_frequency: 4h } }\n",
    );
    let args = [population.as_str(), "--baseline", &baseline, "--proposed", &proposed];
    let page = report(&scratch, "p.html", &args);
    let size = page.len();
    eprintln!("1,000-user diff report: {size} bytes");
    assert!(size < 4_000_000, "the report is {size} bytes");
    assert_eq!(count(&page, r#"<details class="user""#), 1000);
    // No timeline is written into the page: each is drawn from the data when opened.
    assert_eq!(count(&page[..page.find("casim-data").unwrap()], "<svg class=\"tl\""), 0);
    let data = page_data(&page);
    let users = data["u"].as_array().unwrap();
    assert_eq!(users.len(), 1000);
    // One small record per user (a user off sick all week has no lanes), each a few lanes.
    let active = users.iter().filter(|u| !u[0].as_array().unwrap().is_empty()).count();
    assert!(active > 950, "{active} timelines");
    let most = users.iter().map(|u| u[0].as_array().unwrap().len()).max().unwrap();
    assert!(most < 20, "a timeline of {most} lanes");
    assert!(page.contains(r#"<input id="q" type="search""#), "a filter box");
    assert!(page.contains(r#"<tr><th>users simulated</th><td colspan="3">1000</td></tr>"#));
    // Users are simulated in parallel; the page must not depend on it.
    assert_eq!(page, report(&scratch, "p2.html", &args), "the same input must give the same bytes");
}

// ---------------------------------------------------------------------------
// Headless Chromium

const CHROMIUM: &str = "/usr/bin/chromium";

/// The flags Chromium needs here (as root, in a closed network): see
/// .ci/run and docs/report.md.
const CHROMIUM_FLAGS: [&str; 9] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
];

/// Runs Chromium with a fresh profile; its stdout goes to `stdout_file`.
fn run_chromium(scratch: &Scratch, profile: &str, args: &[String], stdout_file: &str) {
    let out = std::fs::File::create(stdout_file).expect("create the stdout file");
    let err_path = format!("{stdout_file}.stderr");
    let err = std::fs::File::create(&err_path).expect("create the stderr file");
    let mut child = std::process::Command::new(CHROMIUM)
        .args(CHROMIUM_FLAGS)
        .arg(format!("--user-data-dir={}", scratch.path_arg(profile)))
        .args(args)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .expect("start chromium");
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for chromium") {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium {args:?} did not finish in 120 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stderr = std::fs::read_to_string(&err_path).unwrap_or_default();
    assert!(status.success(), "chromium {args:?} failed ({status}):\n{stderr}");
}

/// Width and height from a PNG's IHDR chunk (the first chunk, at byte 8).
fn png_size(png: &[u8]) -> (u32, u32) {
    assert!(png.len() > 33, "a PNG of {} bytes", png.len());
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    assert_eq!(&png[12..16], b"IHDR", "the first chunk is not IHDR");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&png[16..20]), be(&png[20..24]))
}

/// Appended to a copy of the report: after rendering, writes into the DOM, for
/// each kind of mark, how many exist, how many are visible (laid out with a
/// size, not hidden, and the topmost element at their centre once scrolled
/// into view) and how many lack a hover `<title>`.
const VISIBILITY_PROBE: &str = "<script>(function(){var out=[];\
function check(sel){var els=document.querySelectorAll(sel),vis=0,untitled=0;\
for(var i=0;i<els.length;i++){var e=els[i];if(!e.querySelector('title'))untitled++;\
e.scrollIntoView({block:'center',inline:'center'});var r=e.getBoundingClientRect();\
if(r.width<=0||r.height<=0)continue;var cs=getComputedStyle(e);\
if(cs.visibility==='hidden'||cs.display==='none'||cs.opacity==='0')continue;\
var hit=document.elementFromPoint(r.left+r.width/2,r.top+r.height/2);\
if(hit&&(hit===e||e.contains(hit)))vis++;}\
out.push(sel+'='+els.length+'/'+vis+'/'+untitled);}\
['circle.m.prompt','circle.m.prompt.same','circle.m.base','path.m.prt','rect.m.lock','rect.m.unlock','path.m.signin','path.m.signout','svg.tl rect.b.use','svg.tl rect.b.ses','svg.tl'].forEach(check);\
var p=document.createElement('pre');p.id='casim-check';p.textContent=out.join(';');document.body.appendChild(p);})();</script>";

/// Whether Chromium is here to run `test`: under CI its absence fails the
/// test; elsewhere the test says loudly that it skipped.
fn chromium_present(test: &str) -> bool {
    if Path::new(CHROMIUM).exists() {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "{CHROMIUM} is missing, and CI is set: install Debian's chromium package \
             (`apt-get install -y chromium`, as .ci/run does) to run the browser test"
        );
    }
    crate::common::skipped_loudly(
        test,
        &format!("{CHROMIUM} is missing (`apt-get install -y chromium`); the page was not rendered"),
    );
    false
}

#[test]
fn html_report_renders_in_headless_chromium() {
    if !chromium_present("html_report_renders_in_headless_chromium") {
        return;
    }
    let scratch = Scratch::new("chromium");
    // The work week under its own policy and under one that adds a 2-hour SIF for everything.
    // Run in the scratch folder with relative names, so that the page (and docs' picture) names
    // `work-week.yaml`, `baseline.yaml` and `proposed.yaml` rather than temporary paths.
    scratch.write_arg("baseline.yaml", PORTAL_SIF);
    scratch.write_arg("proposed.yaml", &proposed_policies());
    std::fs::copy(repo("scenarios/work-week.yaml"), scratch.path_arg("work-week.yaml")).expect("copy the scenario");
    let args = ["report", "work-week.yaml", "--baseline", "baseline.yaml", "--proposed", "proposed.yaml"];
    let output = Command::cargo_bin("casim")
        .expect("the casim binary is built")
        .current_dir(&scratch.dir)
        .args(args)
        .args(["-o", "report.html"])
        .output()
        .expect("casim runs");
    assert_eq!(output.status.code(), Some(0), "casim {args:?} failed:\n{}", String::from_utf8_lossy(&output.stderr));
    let report_path = scratch.path_arg("report.html");
    let page = std::fs::read_to_string(&report_path).expect("the report");

    // The DOM after rendering: the marks exist, are visible and explain themselves.
    let probe = page.replace("</body>", &format!("{VISIBILITY_PROBE}</body>"));
    let probe_path = scratch.write_arg("probe.html", &probe);
    let dom_path = scratch.path_arg("dom.html");
    run_chromium(&scratch, "profile-dom", &["--dump-dom".into(), format!("file://{probe_path}")], &dom_path);
    let dom = std::fs::read_to_string(&dom_path).expect("the dumped DOM");
    let start = dom.find(r#"<pre id="casim-check">"#).expect("the probe ran in the page") + 22;
    let check = &dom[start..start + dom[start..].find("</pre>").unwrap()];
    eprintln!("visibility: {check}");
    for (selector, n) in [
        // Fifteen prompts of the proposed run alone, and ten both runs raised alike, drawn once.
        ("circle.m.prompt", 25),
        ("circle.m.prompt.same", 10),
        ("circle.m.base", 0),
        // Under the proposed policies the 10:00 Teams sign-in (WAM) renews the PRT, so the
        // 13:00 unlock does not (3h < 4h): only the 08:00 device sign-ins write Windows Sign In.
        ("path.m.prt", 5),
        ("rect.m.lock", 5),
        ("rect.m.unlock", 5),
        ("path.m.signin", 5),
        ("path.m.signout", 5),
        ("svg.tl rect.b.use", 15),
    ] {
        let entry = check.split(';').find(|e| e.starts_with(&format!("{selector}="))).expect(selector);
        let expected = if selector.contains("rect.b") {
            format!("{selector}={n}/") // bars: present; marks may sit on them
        } else {
            format!("{selector}={n}/{n}/0")
        };
        assert!(entry.starts_with(&expected), "{entry}: expected {expected}… (count/visible/untitled)");
    }
    assert!(dom.contains("<circle class=\"m prompt same r-sign_in_frequency\""), "prompt marks in the rendered DOM");
    // Hover texts and prompt rows, written by the page's script with one form of time.
    for text in [
        // A prompt both runs raised at 15:00, drawn and listed once, with both explanations.
        "baseline 1 · proposed 3 (unchanged) · Mon 5 Jan 15:00 UTC\nreauthentication in Azure Portal (browser) on laptop\nreason: sign_in_frequency\nsign-in frequency 1h exceeded: last sign-in Mon 5 Jan 13:00 UTC (sign-in through WAM in a native app)\npolicy: SIF 1 hour for the Azure portal\nrule: R-PRT-2\nerror: AADSTS70044\n\"Stay signed in?\" no\nbaseline's explanation: sign-in frequency 1h exceeded: last sign-in Mon 5 Jan 13:00 UTC (PRT refreshed at unlock) (R-PRT-2)",
        "Tue 6 Jan 08:00 UTC\nPRT refreshed at device sign-in or unlock (Windows Sign In record) on laptop",
        "<td>both</td><td>Mon 5 Jan 15:00 UTC</td><td title=\"laptop: Windows Entra joined, Edge\">laptop</td><td>azure_portal</td><td>browser</td>",
        "<th>\"Stay signed in?\"</th>",
    ] {
        assert!(dom.contains(text), "the rendered DOM lacks {text:?}");
    }
    // The summary's figures are on the page.
    assert!(dom.contains(r#"<tr><th>prompts</th><td>10</td><td>25</td><td class="up">+15</td></tr>"#));
    // One form of time: no relative `1d 13:00` or `(15:00)` in what the script wrote.
    let drawn = &dom[dom.find("<svg class=\"tl\"").expect("a timeline")..dom.find("casim-data").expect("the data")];
    for relative in ["(1d ", "(15:00)", " 1d 13:00"] {
        assert!(!drawn.contains(relative), "a relative time `{relative}` on the page");
    }
    assert_eq!(count(drawn, "<table class=\"pl\">"), 1, "the prompt rows are drawn");

    // A screenshot: the right size, and far from blank (a blank page of the same size compresses to almost nothing).
    let shot = scratch.path_arg("report.png");
    let size = ["--window-size=1400,1500".to_string()];
    let mut args = size.to_vec();
    args.extend([format!("--screenshot={shot}"), format!("file://{report_path}")]);
    run_chromium(&scratch, "profile-shot", &args, &scratch.path_arg("shot.out"));
    let png = std::fs::read(&shot).expect("chromium wrote the screenshot");
    assert_eq!(png_size(&png), (1400, 1500));

    let blank_page = scratch.write_arg("blank.html", "<!DOCTYPE html><html><body></body></html>");
    let blank = scratch.path_arg("blank.png");
    let mut args = size.to_vec();
    args.extend([format!("--screenshot={blank}"), format!("file://{blank_page}")]);
    run_chromium(&scratch, "profile-blank", &args, &scratch.path_arg("blank.out"));
    let blank_png = std::fs::read(&blank).expect("chromium wrote the blank screenshot");
    assert_eq!(png_size(&blank_png), (1400, 1500));
    assert!(
        png.len() > 30_000 && png.len() > 5 * blank_png.len(),
        "the screenshot looks blank: {} bytes, a blank page {} bytes",
        png.len(),
        blank_png.len()
    );
    // `CASIM_UPDATE_SCREENSHOT=1 cargo test html_report_renders` refreshes the docs' picture.
    if std::env::var_os("CASIM_UPDATE_SCREENSHOT").is_some() {
        std::fs::copy(&shot, repo("docs/report-screenshot.png")).expect("update docs/report-screenshot.png");
    }
}

/// With `timezone:`, the page writes local times with their offset, as `casim run` does,
/// on both sides of a daylight saving change (issue 15, item 1).
#[test]
fn html_report_writes_local_times_with_timezone() {
    let scratch = Scratch::new("zone-report");
    let page = report(&scratch, "paris.html", &[&repo("scenarios/timezone-paris-dst.yaml")]);
    let data = page_data(&page);
    // The axis starts on a UTC midnight in winter (+01:00); Paris moves to +02:00 at 01:00 UTC on 29 March.
    let z = data["z"].as_array().expect("the zone's offsets");
    assert_eq!(z.len(), 2, "{z:?}");
    assert_eq!(z[0][1], 3600);
    assert_eq!(z[1][1], 7200);
    let change = data["a"][0].as_i64().unwrap() + z[1][0].as_i64().unwrap();
    assert_eq!(change, 1_774_746_000, "2026-03-29T01:00:00Z");
    assert!(page.contains("times are local to Europe/Paris with their UTC offset"));
    // No zone, no offsets: the page stays UTC.
    let utc = report(&scratch, "utc.html", &[&repo("scenarios/example-3-scenario-2.yaml")]);
    assert!(page_data(&utc).get("z").is_none());
    assert!(utc.contains("times are UTC"));

    if !chromium_present("html_report_writes_local_times_with_timezone") {
        return;
    }
    let dom_path = scratch.path_arg("dom.html");
    run_chromium(
        &scratch,
        "profile-zone",
        &["--dump-dom".into(), format!("file://{}", scratch.path_arg("paris.html"))],
        &dom_path,
    );
    let dom = std::fs::read_to_string(&dom_path).expect("the dumped DOM");
    let drawn = &dom[dom.find("<svg class=\"tl\"").expect("a timeline")..dom.find("casim-data").expect("the data")];
    // The prompt rows and explanations, as `casim run` prints them (the scenario's snapshot).
    for text in [
        "<td>Thu 26 Mar 14:45 +01:00</td>",
        "<td>Mon 30 Mar 14:45 +02:00</td>",
        "last sign-in Mon 30 Mar 13:45 +02:00 (PRT refreshed at unlock)",
    ] {
        assert!(drawn.contains(text), "the rendered DOM lacks {text:?}");
    }
    assert!(!drawn.contains(" UTC"), "a UTC time on a zoned page");
}

/// Appended to a report of more than 12 users: opens the fifth user (the
/// page draws on `toggle`; the probe sends it at once rather than wait for the
/// browser's), then filters for nobody, and writes what it saw into the DOM.
const OPEN_PROBE: &str = "<script>(function(){var us=document.querySelectorAll('details.user'),out=[];\
out.push('drawn_at_load='+document.querySelectorAll('svg.tl').length);\
var d=us[4];out.push('closed_has_svg='+(d.querySelector('svg.tl')?1:0));\
d.open=true;d.dispatchEvent(new Event('toggle'));\
out.push('opened_svg='+d.querySelectorAll('svg.tl').length+'/'+d.querySelectorAll('svg.tl .m').length);\
out.push('opened_rows='+d.querySelectorAll('table.pl tbody tr').length);\
var q=document.getElementById('q');q.value='nobody-is-called-this';q.dispatchEvent(new Event('input'));\
out.push('none_hidden='+document.getElementById('none').hidden+';shown='+document.getElementById('shown').textContent);\
var p=document.createElement('pre');p.id='casim-open';p.textContent=out.join(';');document.body.appendChild(p);})();</script>";

/// A report of many users draws only the open sections at load, draws a user
/// when opened, and says so when the filter matches nobody.
#[test]
fn html_report_draws_a_user_when_opened_in_headless_chromium() {
    if !chromium_present("html_report_draws_a_user_when_opened_in_headless_chromium") {
        return;
    }
    let scratch = Scratch::new("chromium-open");
    let population = scratch.write_arg(
        "population.yaml",
        "name: \"Twenty users\"\nseed: 3\npopulation:\n  personas: { office_worker: 20 }\n  days: 2\npolicies:\n  - { name: SIF 2h, users: all, apps: all, session: { sign_in_frequency: 2h } }\n",
    );
    let page = report(&scratch, "p.html", &[&population]);
    let probe_path = scratch.write_arg("probe.html", &page.replace("</body>", &format!("{OPEN_PROBE}</body>")));
    let dom_path = scratch.path_arg("dom.html");
    run_chromium(&scratch, "profile", &["--dump-dom".into(), format!("file://{probe_path}")], &dom_path);
    let dom = std::fs::read_to_string(&dom_path).expect("the dumped DOM");
    let start = dom.find(r#"<pre id="casim-open">"#).expect("the probe ran in the page") + 21;
    let seen = &dom[start..start + dom[start..].find("</pre>").unwrap()];
    eprintln!("opened: {seen}");
    // Three sections open at load, each drawn; the fifth drawn only once opened.
    assert!(seen.starts_with("drawn_at_load=3;closed_has_svg=0;opened_svg=1/"), "{seen}");
    let marks: usize = seen.split("opened_svg=1/").nth(1).unwrap().split(';').next().unwrap().parse().unwrap();
    assert!(marks > 10, "the opened timeline has {marks} marks");
    let rows: usize = seen.split("opened_rows=").nth(1).unwrap().split(';').next().unwrap().parse().unwrap();
    assert!(rows > 0, "the opened user's prompts are listed");
    assert!(seen.ends_with("none_hidden=false;shown=0"), "the filter says it matches nobody: {seen}");
}

/// A long timeline is a band on the page, not a rectangle per step: bars
/// and marks closer than the page can show join or thin out past 1,000 on a
/// lane, and the page says so (issue 9: memory follows live state).
#[test]
fn a_long_timeline_draws_a_bounded_page() {
    let scratch = Scratch::new("long-timeline");
    let scenario = scratch.write_arg(
        "long.yaml",
        "name: long\nusers: { alice: {} }\ndevices: { laptop: { owner: alice, join: entra_joined } }\n\
         timeline:\n  - { at: \"00:00\", do: sign_in_device, device: laptop }\n\
         \x20 - repeat: { every: 10m, count: 20000 }\n    steps:\n\
         \x20     - { at: \"00:00\", do: use, device: laptop, app: sharepoint, until: \"00:05\" }\n\
         \x20     - { at: \"00:06\", do: use, device: laptop, app: exchange }\n",
    );
    let page = report(&scratch, "long.html", &[scenario.as_str()]);
    let data = page_data(&page);
    let user = UserData::of(&data, 0);
    let bars: usize = (0..5).map(|k| user.bars(k)).sum();
    assert!(bars < 10_000, "{bars} bars for 40,000 steps");
    // Merged bars and thinned marks are counted, so their hover texts can say so (page.js).
    let merged: u64 =
        user.lanes.iter().flat_map(|l| l[10].as_array().unwrap().chunks(4).map(|b| b[3].as_u64().unwrap())).sum();
    assert!(merged > 10_000, "merged bars are counted: {merged}");
    let thinned: u64 = user.lanes.iter().map(|l| l[3].as_u64().unwrap()).sum();
    assert!(thinned > 0, "thinned marks are counted");
}

/// A page draws at most `MAX_USERS` users (docs/limits.md): past it, `casim
/// report` refuses at once, names the limit and says what to do instead.
#[test]
fn html_report_refuses_more_users_than_a_page_holds() {
    let scratch = Scratch::new("too-many");
    let population = scratch.write_arg(
        "population.yaml",
        &format!(
            "name: \"Too many\"\npopulation:\n  personas: {{ office_worker: {} }}\n  days: 30\n",
            casim::report::html::MAX_USERS + 1
        ),
    );
    let output = casim(&["report", &population, "-o", &scratch.path_arg("r.html")]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("at most 10000 users") && stderr.contains("report.max_users"), "{stderr}");
    assert!(stderr.contains("casim diff"), "{stderr}");
    assert!(!Path::new(&scratch.path_arg("r.html")).exists(), "no page is written");
}
