//! `cldkit`: the engine from the command line.
//!
//! ```text
//! cldkit url SOURCE [--opt key=value ...] [--cloudinary-url URL] [--profile python]
//! cldkit conformance [--profile python|node|php] [--score] < cases.jsonl
//! cldkit upload FILE [--opt key=value ...]   (CLOUDINARY_URL)
//! cldkit admin CALL [key=value ...]          (CLOUDINARY_URL)
//! cldkit calls [--json | --requests]         the call catalogue
//! cldkit sync DIR --folder F [...]          a directory to a folder (CLOUDINARY_URL)
//! cldkit serve [--port N] [--data DIR] ...   the local Cloudinary emulator
//! cldkit demo                                end to end against the emulator
//! ```

mod admin;
mod calls;
mod demo;
mod serve;
mod sync;
mod upload;

use std::io::{BufRead, BufWriter, Write};
use std::process::ExitCode;

use cldkit::{Client, Config, Map, Profile, Value};

const USAGE: &str = "\
usage:
  cldkit url SOURCE [--opt key=value ...] [--cloudinary-url URL] [--profile default|python|node|php]
      Prints the delivery URL of SOURCE. Values are JSON when they parse as JSON
      (--opt width=300, --opt flags='[\"a\",\"b\"]'), text otherwise (--opt crop=fill).
      Without --cloudinary-url, CLOUDINARY_URL or the CLOUDINARY_* variables are used.
  cldkit conformance [--profile default|python|node|php]
      Reads conformance cases (JSON lines) on stdin and writes one
      {\"id\": ..., \"result\": ...} line per case on stdout.
  cldkit conformance --score [--profile P] [--results FILE] [--max-failures N] [--show N]
      Scores the cases on stdin instead: each result (computed, or read from FILE
      as a binding's evaluator wrote it) against what the case expects in the profile
      (`expected_node` / `expected_php` in the node / php profile where present, else `expected`). Prints
      per-kind counts; fails when more than N cases (default 0) do not match. --show N
      prints the first N mismatches on stderr.
  cldkit upload FILE [--opt key=value ...]
      Uploads FILE (a path, a URL or a data URI) to the account in CLOUDINARY_URL and
      prints the response as JSON. Large files go in chunks, with retries.
  cldkit admin CALL [key=value ...]
      Calls the Admin API (ping, usage, resources, resource, tags, folders, search, ...).
  cldkit calls [--json | --requests]
      Prints the call catalogue (every SDK call: family, parameters, HTTP method and
      path), or the requests of the cases on stdin, built but not sent.
  cldkit sync DIR --folder F [--delete] [--dry-run] [--journal PATH] [--concurrency N]
      Syncs DIR to the folder F (relative paths become public ids) and prints the
      report (uploaded, updated, deleted, unchanged count, failed) as JSON.
  cldkit serve [--port N] [--data DIR] [--cloudinary-url URL ...] [--listen ADDR]
               [--hourly-budget N] [--fault JSON ...] [--seed N] [--strict-sha256]
      Runs the local Cloudinary emulator and prints the CLOUDINARY_URL to use.
  cldkit demo
      Uploads, transforms, signs, fetches and verifies a webhook against the local
      emulator (or the account in CLOUDINARY_URL, when set).
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("url") => cmd_url(&args[1..]),
        Some("conformance") => cmd_conformance(&args[1..]),
        Some("demo") => demo::run(),
        Some("serve") => serve::run(&args[1..]),
        Some("upload") => upload::run(&args[1..]),
        Some("admin") => admin::run(&args[1..]),
        Some("calls") => calls::run(&args[1..]),
        Some("sync") => sync::run(&args[1..]),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown or missing command\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cldkit: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Parses `--profile NAME` out of `args`, returning the rest.
fn take_profile(args: &[String]) -> Result<(Profile, Vec<String>), String> {
    let mut profile = Profile::Default;
    let mut rest = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--profile" {
            let name = it.next().ok_or("--profile needs a value")?;
            profile = Profile::parse(name).map_err(|e| e.to_string())?;
        } else if let Some(name) = a.strip_prefix("--profile=") {
            profile = Profile::parse(name).map_err(|e| e.to_string())?;
        } else {
            rest.push(a.clone());
        }
    }
    Ok((profile, rest))
}

fn parse_value(text: &str) -> Value {
    serde_json::from_str::<Value>(text).unwrap_or_else(|_| Value::from(text))
}

fn cmd_url(args: &[String]) -> Result<(), String> {
    let (profile, args) = take_profile(args)?;
    let mut source: Option<String> = None;
    let mut options = Map::new();
    let mut cloudinary_url: Option<String> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--opt" | "-o" => {
                let kv = it.next().ok_or("--opt needs key=value")?;
                let (k, v) = kv
                    .split_once('=')
                    .ok_or_else(|| format!("--opt {kv:?}: expected key=value"))?;
                options.insert(k, parse_value(v));
            }
            "--cloudinary-url" => {
                cloudinary_url = Some(it.next().ok_or("--cloudinary-url needs a URL")?.clone());
            }
            other if source.is_none() && !other.starts_with("--") => source = Some(other.into()),
            other => return Err(format!("unexpected argument {other:?}\n{USAGE}")),
        }
    }
    let source = source.ok_or_else(|| format!("missing SOURCE\n{USAGE}"))?;
    let config = match cloudinary_url {
        Some(u) => Config::from_cloudinary_url(&u),
        None => Config::from_env(),
    }
    .map_err(|e| e.to_string())?;
    let client = Client::new(config.with_profile(profile));
    let url = client.url(&source, &options).map_err(|e| e.to_string())?;
    println!("{url}");
    Ok(())
}

fn cmd_conformance(args: &[String]) -> Result<(), String> {
    let (profile, rest) = take_profile(args)?;
    let mut score = false;
    let mut results_file: Option<String> = None;
    let mut max_failures: usize = 0;
    let mut show: usize = 0;
    let mut it = rest.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--score" => score = true,
            "--results" => {
                results_file = Some(it.next().ok_or("--results needs a file")?.clone());
            }
            "--max-failures" => {
                let n = it.next().ok_or("--max-failures needs a number")?;
                max_failures = n
                    .parse()
                    .map_err(|_| format!("--max-failures {n:?}: not a number"))?;
            }
            "--show" => {
                let n = it.next().ok_or("--show needs a number")?;
                show = n
                    .parse()
                    .map_err(|_| format!("--show {n:?}: not a number"))?;
            }
            other => return Err(format!("unexpected argument {other:?}\n{USAGE}")),
        }
    }
    if !score && (results_file.is_some() || max_failures > 0 || show > 0) {
        return Err(format!(
            "--results, --max-failures and --show go with --score\n{USAGE}"
        ));
    }
    let recorded = match &results_file {
        Some(path) => Some(read_results(path)?),
        None => None,
    };
    let stdin = std::io::stdin();
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut tally = Tally::default();
    for (n, line) in stdin.lock().lines().enumerate() {
        let line = line.map_err(|e| format!("reading stdin: {e}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let case: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| format!("line {}: {e}", n + 1))?;
        if !score {
            let result = cldkit::conformance::run_case(&case, profile);
            let row = serde_json::json!({ "id": case.get("id"), "result": result });
            writeln!(out, "{row}").map_err(|e| e.to_string())?;
            continue;
        }
        let result = match &recorded {
            Some(map) => {
                let id = case.get("id").map(ToString::to_string).unwrap_or_default();
                map.get(&id)
                    .cloned()
                    .unwrap_or_else(|| serde_json::json!({ "missing": true }))
            }
            None => cldkit::conformance::run_case(&case, profile),
        };
        let expected = cldkit::conformance::expected_for(&case, profile);
        let ok = cldkit::conformance::matches(expected, &result);
        tally.add(&case, ok);
        if !ok && tally.shown < show {
            tally.shown += 1;
            eprintln!(
                "MISMATCH {}\n  input:    {}\n  expected: {expected}\n  got:      {result}",
                case["id"], case["input"]
            );
        }
    }
    if score {
        for (kind, (passed, failed)) in &tally.kinds {
            writeln!(out, "{kind:<26} {passed:>6} passed {failed:>6} failed")
                .map_err(|e| e.to_string())?;
        }
        writeln!(
            out,
            "total ({} profile): {} cases, {} failed (allowed: {max_failures})",
            profile.name(),
            tally.total,
            tally.failed
        )
        .map_err(|e| e.to_string())?;
        out.flush().map_err(|e| e.to_string())?;
        if tally.total == 0 {
            return Err("no cases on stdin".into());
        }
        if tally.failed > max_failures {
            return Err(format!(
                "{} cases do not match the {} profile's expectations (allowed: {max_failures})",
                tally.failed,
                profile.name()
            ));
        }
        return Ok(());
    }
    out.flush().map_err(|e| e.to_string())
}

/// Per-kind pass/fail counts of `cldkit conformance --score`.
#[derive(Default)]
struct Tally {
    kinds: std::collections::BTreeMap<String, (usize, usize)>,
    total: usize,
    failed: usize,
    shown: usize,
}

impl Tally {
    fn add(&mut self, case: &serde_json::Value, ok: bool) {
        let kind = case["kind"].as_str().unwrap_or("?").to_owned();
        let entry = self.kinds.entry(kind).or_default();
        if ok {
            entry.0 += 1;
        } else {
            entry.1 += 1;
            self.failed += 1;
        }
        self.total += 1;
    }
}

/// Reads a binding evaluator's output (`{"id", "result"}` lines), keyed by the id's
/// JSON text.
fn read_results(
    path: &str,
) -> Result<std::collections::HashMap<String, serde_json::Value>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{path}: {e}"))?;
    let mut out = std::collections::HashMap::new();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| format!("{path}: {e}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let row: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| format!("{path} line {}: {e}", n + 1))?;
        let id = row.get("id").map(ToString::to_string).unwrap_or_default();
        out.insert(id, row.get("result").cloned().unwrap_or_default());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scoring_reads_results_by_id_and_counts_per_kind() {
        let path = std::env::temp_dir().join(format!("cldkit-score-{}.jsonl", std::process::id()));
        std::fs::write(
            &path,
            "{\"id\": \"url-1\", \"result\": {\"url\": \"https://a\"}}\n\n{\"id\": 7, \"result\": {\"error\": \"x\"}}\n",
        )
        .unwrap();
        let map = read_results(path.to_str().unwrap()).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(map["\"url-1\""]["url"], "https://a");
        assert!(map["7"].get("error").is_some());

        let mut tally = Tally::default();
        let case = serde_json::json!({"kind": "url"});
        tally.add(&case, true);
        tally.add(&case, false);
        tally.add(&serde_json::json!({"kind": "sign_request"}), true);
        assert_eq!((tally.total, tally.failed), (3, 1));
        assert_eq!(tally.kinds["url"], (1, 1));
        assert_eq!(tally.kinds["sign_request"], (1, 0));
    }

    #[test]
    fn score_options_need_score() {
        let args = vec!["--max-failures".to_string(), "3".to_string()];
        assert!(cmd_conformance(&args).is_err());
    }
}
