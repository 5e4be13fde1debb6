//! Shared driver for the conformance tests: finds `$CLDKIT_SHARED/conformance` (default
//! `../shared` beside the repository root), runs every case of the given kinds through
//! `cldkit::conformance::run_case`, prints per-kind counts and fails on any mismatch.

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

/// Runs every case of every kind in `kinds` in the `python` profile; panics with the
/// first mismatches when any case fails. No case is skipped.
pub fn run_kinds(kinds: &[&str]) {
    let dir = conformance_dir();
    let mut failures = Vec::new();
    let mut total_cases = 0;
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
            let result = cldkit::conformance::run_case(&case, Profile::Python);
            if cldkit::conformance::matches(&case["expected"], &result) {
                passed += 1;
            } else {
                failed += 1;
                if failures.len() < 30 {
                    failures.push(format!(
                        "{}\n  input:    {}\n  expected: {}\n  got:      {}",
                        case["id"], case["input"], case["expected"], result
                    ));
                }
            }
        }
        total_cases += passed + failed;
        println!("conformance {kind}: {passed} passed, {failed} failed");
        assert!(passed + failed > 0, "no cases found for kind {kind}");
    }
    println!("conformance total: {total_cases} cases");
    if !failures.is_empty() {
        panic!(
            "{} or more cases failed:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
}
