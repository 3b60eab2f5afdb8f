//! `--fail-if` expressions: parse, then resolve and evaluate what parses, so
//! that evaluation (division, comparisons of odd numbers) is fuzzed too.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else { return };
    match casim::diff::expr::parse(source) {
        Ok(mut e) => {
            if e.resolve(&|name| Some(name.to_string())).is_ok() {
                let _ = e.evaluate(&|name| name.len() as f64 - 3.0).explain();
            }
        }
        Err(err) => {
            let _ = err.render(source);
        }
    }
});
