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
            let result = cldkit::conformance::run_case(&case, profile);
            let expected = cldkit::conformance::expected_for(&case, profile);
            if cldkit::conformance::matches(expected, &result) {
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
        println!("conformance ({profile:?}) {kind}: {passed} passed, {failed} failed");
        assert!(passed + failed > 0, "no cases found for kind {kind}");
        score.kinds.push((kind.to_string(), passed, failed));
    }
    score
}

/// Runs every case of every kind in `kinds` in the `python` profile; panics with the
/// first mismatches when any case fails. No case is skipped.
#[allow(dead_code)]
pub fn run_kinds(kinds: &[&str]) {
    let score = score_kinds(Profile::Python, kinds);
    println!("conformance total: {} cases", score.total());
    if !score.failures.is_empty() {
        panic!(
            "{} or more cases failed:\n{}",
            score.failures.len(),
            score.failures.join("\n")
        );
    }
}
