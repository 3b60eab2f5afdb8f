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
    assert_eq!(count(&a, "<script>"), 1);
    let script = &a[a.find("<script>").unwrap()..a.find("</script>").unwrap()];
    assert!(script.len() < 2048, "the inline script stays small: {} bytes", script.len());
}

#[test]
fn html_report_draws_prompts_prt_refreshes_and_device_events() {
    let scratch = Scratch::new("marks");
    let page = report(&scratch, "r.html", &[&repo("scenarios/work-week.yaml")]);
    // One small SVG for the one user (charts are figures of their own).
    assert_eq!(count(&page, r#"<svg class="tl""#), 1);
    assert_eq!(count(&page, r#"<details class="user""#), 1);
    // Lanes: the device, then each app and client used on it.
    for lane in [">laptop<", ">teams · desktop<", ">azure_portal · browser<"] {
        assert!(page.contains(lane), "no lane {lane}");
    }
    // Ten SIF prompts (15:00 and 16:00 each day), coloured by reason, each with its explanation.
    assert_eq!(count(&page, r#"<circle class="m prompt r-sign_in_frequency""#), 10);
    assert_eq!(count(&page, r#"class="m prompt"#), 10);
    assert!(page.contains("prompt 1 · Mon 5 Jan 15:00 UTC (15:00)\nreauthentication in Azure Portal (browser) on laptop\nreason: sign_in_frequency\nsign-in frequency 1h exceeded: last sign-in 13:00 (PRT refreshed at unlock)"), "{page}");
    assert!(page.contains("policy: SIF 1 hour for the Azure portal\nrule: R-PRT-2"));
    // PRT refreshes from the Windows Sign In records: sign-in at 08:00 and the 13:00 unlock, each day.
    assert_eq!(count(&page, r#"class="m prt""#), 10);
    assert!(page.contains(
        "Tue 6 Jan 13:00 UTC (1d 13:00)\nPRT refreshed at device sign-in or unlock (Windows Sign In record) on laptop"
    ));
    for (class, n) in [("m signin", 5), ("m signout", 5), ("m lock", 5), ("m unlock", 5)] {
        assert_eq!(count(&page, &format!(r#"class="{class}""#)), n, "{class}");
    }
    // Use bars, device state and valid sessions.
    assert_eq!(count(&page, r#"class="b use""#), 15);
    assert_eq!(count(&page, r#"class="b unlocked""#), 10);
    assert_eq!(count(&page, r#"class="b locked""#), 5);
    assert!(count(&page, r#"class="b ses""#) >= 15, "valid sessions are shaded");
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
    // Both runs on the timeline: baseline rings above, proposed prompts filled.
    assert_eq!(count(&page, r#"class="m base r-"#), 10);
    assert_eq!(count(&page, r#"class="m prompt r-"#), 25);
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
/// and one small SVG per user, a filter box, and a file well under 50 MB.
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
    assert!(size < 50_000_000, "the report is {size} bytes");
    assert_eq!(count(&page, r#"<details class="user""#), 1000);
    // One small SVG per user, never one giant one (a user off sick all week has none).
    let (svgs, idle) = (count(&page, r#"<svg class="tl""#), count(&page, "No activity."));
    assert_eq!(svgs + idle, 1000);
    assert!(svgs > 950, "{svgs} timelines");
    assert!(page.contains(r#"<input id="q" type="search""#), "a filter box");
    assert!(page.contains(r#"<tr><th>users simulated</th><td colspan="3">1000</td></tr>"#));
    // Every timeline is small: no SVG is taller than a few dozen lanes.
    let tallest = page
        .split(r#"<svg class="tl" "#)
        .skip(1)
        .map(|s| {
            let h = s.split("height=\"").nth(1).unwrap();
            h[..h.find('"').unwrap()].parse::<u32>().unwrap()
        })
        .max()
        .unwrap();
    assert!(tallest < 600, "a timeline {tallest} px tall");
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
['circle.m.prompt','circle.m.base','path.m.prt','rect.m.lock','rect.m.unlock','path.m.signin','path.m.signout','svg.tl rect.b.use','svg.tl rect.b.ses','svg.tl'].forEach(check);\
var p=document.createElement('pre');p.id='casim-check';p.textContent=out.join(';');document.body.appendChild(p);})();</script>";

#[test]
fn html_report_renders_in_headless_chromium() {
    if !Path::new(CHROMIUM).exists() {
        if std::env::var_os("CI").is_some() {
            panic!(
                "{CHROMIUM} is missing, and CI is set: install Debian's chromium package \
                 (`apt-get install -y chromium`, as .ci/run does) to run the browser test"
            );
        }
        crate::common::skipped_loudly(
            "html_report_renders_in_headless_chromium",
            &format!("{CHROMIUM} is missing (`apt-get install -y chromium`); the page was not rendered"),
        );
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
        ("circle.m.prompt", 25),
        ("circle.m.base", 10),
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
    assert!(dom.contains("<circle class=\"m prompt r-sign_in_frequency\""), "prompt marks in the rendered DOM");
    assert!(dom.contains("reason: sign_in_frequency"), "hover text in the rendered DOM");

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
    let rects = page.matches("<rect").count();
    assert!(rects < 10_000, "{rects} rectangles for 40,000 steps");
    assert!(page.contains("too close to draw apart"), "merged bars say so");
    assert!(page.contains("marks too close to the ones drawn are not drawn"), "thinned marks say so");
}
