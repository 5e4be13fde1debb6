//! `cldkit`: the engine from the command line.
//!
//! ```text
//! cldkit url SOURCE [--opt key=value ...] [--cloudinary-url URL] [--profile python]
//! cldkit conformance [--profile python]      < cases.jsonl > results.jsonl
//! cldkit upload FILE [--opt key=value ...]   (CLOUDINARY_URL)
//! cldkit admin CALL [key=value ...]          (CLOUDINARY_URL)
//! cldkit serve [--port N] [--data DIR] ...   the local Cloudinary emulator
//! cldkit demo                                end to end against the emulator
//! ```

mod admin;
mod demo;
mod serve;
mod upload;

use std::io::{BufRead, BufWriter, Write};
use std::process::ExitCode;

use cldkit::{Client, Config, Map, Profile, Value};

const USAGE: &str = "\
usage:
  cldkit url SOURCE [--opt key=value ...] [--cloudinary-url URL] [--profile default|python]
      Prints the delivery URL of SOURCE. Values are JSON when they parse as JSON
      (--opt width=300, --opt flags='[\"a\",\"b\"]'), text otherwise (--opt crop=fill).
      Without --cloudinary-url, CLOUDINARY_URL or the CLOUDINARY_* variables are used.
  cldkit conformance [--profile default|python]
      Reads conformance cases (JSON lines) on stdin and writes one
      {\"id\": ..., \"result\": ...} line per case on stdout.
  cldkit upload FILE [--opt key=value ...]
      Uploads FILE (a path, a URL or a data URI) to the account in CLOUDINARY_URL and
      prints the response as JSON. Large files go in chunks, with retries.
  cldkit admin CALL [key=value ...]
      Calls the Admin API (ping, usage, resources, resource, tags, folders, search, ...).
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
    if let Some(extra) = rest.first() {
        return Err(format!("unexpected argument {extra:?}\n{USAGE}"));
    }
    let stdin = std::io::stdin();
    let mut out = BufWriter::new(std::io::stdout().lock());
    for (n, line) in stdin.lock().lines().enumerate() {
        let line = line.map_err(|e| format!("reading stdin: {e}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let case: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| format!("line {}: {e}", n + 1))?;
        let result = cldkit::conformance::run_case(&case, profile);
        let row = serde_json::json!({ "id": case.get("id"), "result": result });
        writeln!(out, "{row}").map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())
}
