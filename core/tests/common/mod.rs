//! Shared driver for the conformance tests: finds `$CLDKIT_SHARED/conformance` (default
//! `../shared` beside the repository root), runs every case of the given kinds through
//! `cldkit::conformance::run_case`, prints per-kind counts and fails on any mismatch.
//!
//! `CLDKIT_CASE=<id or id prefix>` runs only the matching cases (`url-000123`, `url-0001`,
//! `image_tag`) and prints each one with its difference from the expected result:
//! `CLDKIT_CASE=url-000123 cargo test -p cldkit --test 'conformance*' -- --nocapture`
//! (or `CLDKIT_CASE=url-000123 cargo xtask test-core`).

use std::io::BufRead;
use std::path::PathBuf;

use cldkit::Profile;

/// The conformance folder.
pub fn conformance_dir() -> PathBuf {
    let shared = std::env::var_os("CLDKIT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"));
    shared.join("conformance")
}

/// Per-kind results of [`score_kinds`].
#[allow(dead_code)]
pub struct Score {
    /// `(kind, passed, failed)` in the order asked.
    pub kinds: Vec<(String, usize, usize)>,
    /// The first mismatches, described.
    pub failures: Vec<String>,
}

#[allow(dead_code)]
impl Score {
    /// Cases that do not match.
    pub fn failed(&self) -> usize {
        self.kinds.iter().map(|(_, _, f)| f).sum()
    }

    /// Cases run.
    pub fn total(&self) -> usize {
        self.kinds.iter().map(|(_, p, f)| p + f).sum()
    }

    /// Mismatches of one kind.
    pub fn failed_of(&self, kind: &str) -> usize {
        self.kinds
            .iter()
            .find(|(k, _, _)| k == kind)
            .map_or(0, |(_, _, f)| *f)
    }
}

/// Runs every case of every kind in `kinds` in `profile` against what the case
/// expects there ([`cldkit::conformance::expected_for`]); no case is skipped.
pub fn score_kinds(profile: Profile, kinds: &[&str]) -> Score {
    let dir = conformance_dir();
    let only = case_filter();
    let mut score = Score {
        kinds: Vec::new(),
        failures: Vec::new(),
    };
    for kind in kinds {
        let path = dir.join(format!("{kind}.jsonl"));
        let file = std::fs::File::open(&path)
            .unwrap_or_else(|e| panic!("cannot open {}: {e} (set CLDKIT_SHARED)", path.display()));
        let (mut passed, mut failed) = (0, 0);
        for line in std::io::BufReader::new(file).lines() {
            let line = line.expect("read line");
            if line.trim().is_empty() {
                continue;
            }
            let case: serde_json::Value = serde_json::from_str(&line).expect("valid JSON case");
            let id = case["id"].as_str().unwrap_or_default();
            if only.as_deref().is_some_and(|p| !id.starts_with(p)) {
                continue;
            }
            let result = cldkit::conformance::run_case(&case, profile);
            let expected = cldkit::conformance::expected_for(&case, profile);
            let ok = cldkit::conformance::matches(expected, &result);
            if only.is_some() {
                println!("{}", describe(&case, profile, expected, &result, ok));
            }
            if ok {
                passed += 1;
            } else {
                failed += 1;
                if score.failures.len() < 30 {
                    score.failures.push(format!(
                        "{}\n  input:    {}\n  expected: {}\n  got:      {}",
                        case["id"], case["input"], expected, result
                    ));
                }
            }
        }
        if only.is_none() || passed + failed > 0 {
            println!("conformance ({profile:?}) {kind}: {passed} passed, {failed} failed");
        }
        assert!(
            passed + failed > 0 || only.is_some(),
            "no cases found for kind {kind}"
        );
        score.kinds.push((kind.to_string(), passed, failed));
    }
    score
}

/// Runs every case of every kind in `kinds` in the `python` profile; panics with the
/// first mismatches when any case fails. No case is skipped.
#[allow(dead_code)]
pub fn run_kinds(kinds: &[&str]) {
    let score = score_kinds(Profile::Python, kinds);
    if case_filter().is_none() || score.total() > 0 {
        println!("conformance total: {} cases", score.total());
    }
    if !score.failures.is_empty() {
        panic!(
            "{} or more cases failed:\n{}",
            score.failures.len(),
            score.failures.join("\n")
        );
    }
}

/// The `CLDKIT_CASE` filter: a case id or id prefix.
fn case_filter() -> Option<String> {
    std::env::var("CLDKIT_CASE").ok().filter(|s| !s.is_empty())
}

/// One case, its input, and how the result differs from the expected one: the members
/// of a map that differ, and for texts the first differing character.
fn describe(
    case: &serde_json::Value,
    profile: Profile,
    expected: &serde_json::Value,
    got: &serde_json::Value,
    ok: bool,
) -> String {
    use serde_json::Value as J;
    let mut out = format!(
        "{} ({profile:?}): {}\n  config:   {}\n  input:    {}\n",
        case["id"].as_str().unwrap_or("?"),
        if ok { "ok" } else { "MISMATCH" },
        case["config"],
        case["input"]
    );
    if ok {
        out.push_str(&format!("  result:   {got}\n"));
        return out;
    }
    let diff_text = |out: &mut String, path: &str, e: &J, g: &J| {
        out.push_str(&format!("  - {path}{e}\n  + {path}{g}\n"));
        if let (J::String(e), J::String(g)) = (e, g) {
            let at = e.chars().zip(g.chars()).take_while(|(a, b)| a == b).count();
            let shown: String = e.chars().take(at).collect();
            out.push_str(&format!(
                "    first difference at character {at}, after {shown:?}\n"
            ));
        }
    };
    match (expected, got) {
        (J::Object(e), J::Object(g)) => {
            let mut keys: Vec<&String> = e.keys().chain(g.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let (ev, gv) = (e.get(k).unwrap_or(&J::Null), g.get(k).unwrap_or(&J::Null));
                if ev != gv {
                    diff_text(&mut out, &format!("{k}: "), ev, gv);
                }
            }
        }
        (e, g) => diff_text(&mut out, "", e, g),
    }
    out
}
