//! `cldkit calls`: the call catalogue (names, families, parameters, HTTP method and
//! path), as text or JSON, and the requests its network rows build.

use std::io::{BufRead, BufWriter, Write};

use cldkit::calls::{catalogue_json, Family, CALLS};
use cldkit::{Client, Config, Map, Value};

/// Usage of the `calls` command.
pub const USAGE: &str = "\
cldkit calls [--json]
cldkit calls --requests [--cloudinary-url URL]   < cases.jsonl > requests.jsonl
  Prints the call catalogue: one row per SDK call with its family, parameters, result
  and, for network calls, HTTP method and path template (--json: the whole catalogue as
  one JSON document, for generators and tests).
  --requests reads JSON lines {\"id\", \"name\", \"args\", \"options\", \"config\"} and writes
  one {\"id\", \"request\": {method, url, encoding, body}} (or {\"id\", \"error\"}) line per
  case: the request each network call would send, built but not sent (no credentials
  shown); a local call's result as {\"id\", \"value\"}. \"config\" (settings) replaces the CLOUDINARY_URL / --cloudinary-url client.";

/// Runs `cldkit calls` with the arguments after the command name.
pub fn run(args: &[String]) -> Result<(), String> {
    let mut json = false;
    let mut requests = false;
    let mut url: Option<String> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => json = true,
            "--requests" => requests = true,
            "--cloudinary-url" => {
                url = Some(it.next().ok_or("--cloudinary-url needs a URL")?.clone())
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unexpected argument {other:?}\n{USAGE}")),
        }
    }
    if requests {
        return run_requests(url.as_deref());
    }
    let mut out = BufWriter::new(std::io::stdout().lock());
    if json {
        let text = serde_json::to_string_pretty(&catalogue_json()).map_err(|e| e.to_string())?;
        writeln!(out, "{text}").map_err(|e| e.to_string())?;
        return out.flush().map_err(|e| e.to_string());
    }
    for family in Family::ALL {
        writeln!(out, "{}:", family.name()).map_err(|e| e.to_string())?;
        for c in CALLS.iter().filter(|c| c.family == family) {
            let params: Vec<String> = c
                .params
                .iter()
                .map(|p| {
                    if p.required {
                        p.name.to_owned()
                    } else {
                        format!("{}=None", p.name)
                    }
                })
                .collect();
            let http = c
                .http
                .map(|h| format!("  [{} {}]", h.method, h.template()))
                .unwrap_or_default();
            writeln!(out, "  {}({}){http}", c.name, params.join(", "))
                .map_err(|e| e.to_string())?;
        }
    }
    out.flush().map_err(|e| e.to_string())
}

fn as_map(v: Option<&serde_json::Value>, what: &str) -> Result<Map, String> {
    match v {
        None | Some(serde_json::Value::Null) => Ok(Map::new()),
        Some(v) => match serde_json::from_value::<Value>(v.clone()) {
            Ok(Value::Map(m)) => Ok(m),
            _ => Err(format!("{what} must be an object")),
        },
    }
}

fn run_requests(url: Option<&str>) -> Result<(), String> {
    let base = match url {
        Some(u) => Config::from_cloudinary_url(u),
        None => Config::from_env(),
    }
    .map_err(|e| e.to_string())?;
    let stdin = std::io::stdin();
    let mut out = BufWriter::new(std::io::stdout().lock());
    for (n, line) in stdin.lock().lines().enumerate() {
        let line = line.map_err(|e| format!("reading stdin: {e}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let case: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| format!("line {}: {e}", n + 1))?;
        let name = case
            .get("name")
            .and_then(|v| v.as_str())
            .ok_or_else(|| format!("line {}: missing \"name\"", n + 1))?;
        let args = as_map(case.get("args"), "args").map_err(|e| format!("line {}: {e}", n + 1))?;
        let options =
            as_map(case.get("options"), "options").map_err(|e| format!("line {}: {e}", n + 1))?;
        let client = match case.get("config") {
            Some(c) if !c.is_null() => Client::new(Config::from_map(
                as_map(Some(c), "config").map_err(|e| format!("line {}: {e}", n + 1))?,
            )),
            _ => Client::new(base.clone()),
        };
        let client = match case.get("clock").and_then(|v| v.as_i64()) {
            Some(t) => client.with_clock(move || t),
            None => client,
        };
        let local = cldkit::calls::find(name).is_some_and(|c| !c.is_network());
        let row = if local {
            match client.call_local(name, &args, &options) {
                Ok(v) => serde_json::json!({"id": case.get("id"), "value": v}),
                Err(e) => serde_json::json!({
                    "id": case.get("id"),
                    "error": {"code": e.code(), "message": e.message(), "option": e.option()},
                }),
            }
        } else {
            match client.call_request(name, &args, &options) {
                Ok(r) => serde_json::json!({"id": case.get("id"), "request": r.to_json()}),
                Err(e) => serde_json::json!({
                    "id": case.get("id"),
                    "error": {"code": e.code(), "message": e.message(), "option": e.option()},
                }),
            }
        };
        writeln!(out, "{row}").map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())
}
