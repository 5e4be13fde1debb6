//! The language-neutral end-to-end scenario, `tests/calls/scenario.json` (format in
//! `tests/calls/README.md`), run through the Rust engine against the in-process
//! emulator: local rows through `Client::call_local`, provisioning rows through
//! `AccountClient::call_blocking`, every other network row through
//! `Client::call_blocking`. Every binding runs the same file through its own surface;
//! this runner also checks the file itself (known rows, arguments that are the row's
//! parameters) and fails when a network row of the catalogue has no step.
#![cfg(feature = "http")]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use cldkit::api::AccountClient;
use cldkit::calls::{Family, CALLS};
use cldkit::{Client, Map, Value};
use cldkit_emulator::{Emulator, EmulatorConfig};
use serde_json::Value as Json;

/// The scenario file, read from the repository.
fn scenario() -> Json {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/calls/scenario.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `${var}` in every string of `v` replaced by the saved value (texts as they are,
/// other values as their JSON); an unknown variable fails the step.
fn substitute(v: &Json, vars: &BTreeMap<String, Json>, step: usize) -> Json {
    match v {
        Json::String(s) => {
            // A string that is exactly one variable takes the saved value's type.
            if let Some(name) = s.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
                if !name.contains("${") {
                    return vars
                        .get(name)
                        .unwrap_or_else(|| panic!("step {step}: ${{{name}}} was never saved"))
                        .clone();
                }
            }
            let mut out = String::new();
            let mut rest = s.as_str();
            while let Some(start) = rest.find("${") {
                out.push_str(&rest[..start]);
                let end = rest[start..]
                    .find('}')
                    .unwrap_or_else(|| panic!("step {step}: unclosed ${{ in {s:?}"));
                let name = &rest[start + 2..start + end];
                match vars.get(name) {
                    Some(Json::String(t)) => out.push_str(t),
                    Some(other) => out.push_str(&other.to_string()),
                    None => panic!("step {step}: ${{{name}}} was never saved"),
                }
                rest = &rest[start + end + 1..];
            }
            out.push_str(rest);
            Json::String(out)
        }
        Json::Array(a) => Json::Array(a.iter().map(|x| substitute(x, vars, step)).collect()),
        Json::Object(o) => Json::Object(
            o.iter()
                .map(|(k, x)| (k.clone(), substitute(x, vars, step)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The value at a dotted path (`resources.0.public_id`): map keys, list indexes.
/// A path key may itself hold dots only where a map has that exact key, so the
/// longest matching key wins (`deleted.gone/a` finds `"gone/a"` under `deleted`).
fn at<'a>(v: &'a Json, path: &str) -> Option<&'a Json> {
    if path.is_empty() {
        return Some(v);
    }
    match v {
        Json::Object(m) => {
            // Try the longest key first: "a.b.c" may be the key "a.b" then "c".
            let parts: Vec<&str> = path.split('.').collect();
            (1..=parts.len()).rev().find_map(|n| {
                let key = parts[..n].join(".");
                let rest = parts[n..].join(".");
                m.get(&key).and_then(|x| at(x, &rest))
            })
        }
        Json::Array(l) => {
            let (head, rest) = path.split_once('.').unwrap_or((path, ""));
            let i: usize = head.parse().ok()?;
            l.get(i).and_then(|x| at(x, rest))
        }
        _ => None,
    }
}

fn type_name(v: &Json) -> &'static str {
    match v {
        Json::String(_) => "string",
        Json::Object(_) => "map",
        Json::Array(_) => "list",
        Json::Bool(_) => "bool",
        Json::Null => "null",
        Json::Number(_) => "number",
    }
}

/// Numbers compare by value (an integer 2 equals 2.0).
fn same(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => x.as_f64() == y.as_f64(),
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, p)| y.get(k).is_some_and(|q| same(p, q)))
        }
        _ => a == b,
    }
}

fn to_map(v: Option<&Json>, what: &str, step: usize) -> Map {
    match v {
        None => Map::new(),
        Some(j @ Json::Object(_)) => {
            serde_json::from_value(j.clone()).unwrap_or_else(|e| panic!("step {step}: {what}: {e}"))
        }
        Some(other) => panic!("step {step}: {what} must be a map, not {other}"),
    }
}

const STEP_KEYS: &[&str] = &[
    "call",
    "args",
    "options",
    "expect",
    "expect_len",
    "expect_type",
    "fails",
    "save",
];

#[test]
fn the_scenario_against_the_emulator() {
    let doc = scenario();
    assert_eq!(doc["version"], 1, "scenario version");
    let steps = doc["steps"].as_array().expect("steps is a list");

    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let client = Client::from_url(&format!("{}&analytics=false", emu.cloudinary_url())).unwrap();
    let account =
        AccountClient::from_url(&cldkit_emulator::provisioning::account_url(&emu)).unwrap();

    let mut vars: BTreeMap<String, Json> = BTreeMap::new();
    let mut run: BTreeSet<&str> = BTreeSet::new();
    let mut failures = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let obj = step
            .as_object()
            .unwrap_or_else(|| panic!("step {i} is not a map"));
        for k in obj.keys() {
            assert!(
                STEP_KEYS.contains(&k.as_str()),
                "step {i}: unknown key {k:?}"
            );
        }
        let name = obj["call"].as_str().expect("call is a string");
        let row = cldkit::calls::find(name).unwrap_or_else(|| panic!("step {i}: no row {name}"));
        let args = substitute(obj.get("args").unwrap_or(&Json::Null), &vars, i);
        let options = substitute(obj.get("options").unwrap_or(&Json::Null), &vars, i);
        if let Json::Object(a) = &args {
            for k in a.keys() {
                assert!(
                    row.params.iter().any(|p| p.name == k),
                    "step {i} ({name}): {k:?} is not a parameter of the row (an option?)"
                );
            }
        }
        for p in row.params.iter().filter(|p| p.required) {
            assert!(
                args.get(p.name).is_some(),
                "step {i} ({name}): required parameter {} missing",
                p.name
            );
        }
        let args = to_map(if args.is_null() { None } else { Some(&args) }, "args", i);
        let options = to_map(
            if options.is_null() {
                None
            } else {
                Some(&options)
            },
            "options",
            i,
        );
        run.insert(row.name);

        let result: Result<Value, String> = if !row.is_network() {
            client
                .call_local(name, &args, &options)
                .map_err(|e| e.code().to_owned())
        } else if row.family == Family::Provisioning {
            account
                .call_blocking(name, &args, &options)
                .map_err(|e| cldkit::Error::from(e).code().to_owned())
        } else {
            client
                .call_blocking(name, &args, &options)
                .map_err(|e| cldkit::Error::from(e).code().to_owned())
        };
        let label = format!("step {i} ({name})");
        let value = match (result, obj.get("fails")) {
            (Err(code), Some(want)) => {
                if want.as_str() != Some(code.as_str()) {
                    failures.push(format!("{label}: failed with {code}, expected {want}"));
                }
                continue;
            }
            (Err(code), None) => {
                failures.push(format!("{label}: failed with {code}"));
                continue;
            }
            (Ok(v), Some(want)) => {
                failures.push(format!("{label}: should fail with {want}, answered {v:?}"));
                continue;
            }
            (Ok(v), None) => serde_json::to_value(&v).unwrap(),
        };
        if let Some(t) = obj.get("expect_type") {
            if t.as_str() != Some(type_name(&value)) {
                failures.push(format!("{label}: a {}, expected a {t}", type_name(&value)));
            }
        }
        for (path, want) in obj
            .get("expect")
            .and_then(Json::as_object)
            .into_iter()
            .flatten()
        {
            match at(&value, path) {
                Some(got) if same(got, want) => {}
                got => failures.push(format!("{label}: {path} is {got:?}, expected {want}")),
            }
        }
        for (path, want) in obj
            .get("expect_len")
            .and_then(Json::as_object)
            .into_iter()
            .flatten()
        {
            match at(&value, path) {
                Some(Json::Array(l)) if Some(l.len() as u64) == want.as_u64() => {}
                got => failures.push(format!(
                    "{label}: {path} is {got:?}, expected a list of {want}"
                )),
            }
        }
        for (var, path) in obj
            .get("save")
            .and_then(Json::as_object)
            .into_iter()
            .flatten()
        {
            let path = path.as_str().expect("a save path is a string");
            match at(&value, path) {
                Some(v) => {
                    vars.insert(var.clone(), v.clone());
                }
                None => panic!("{label}: nothing at {path} to save as {var} in {value}"),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // Every network row: the Upload, Admin, Search and Provisioning APIs (`call_api`
    // included) and `sync` (many requests in one call).
    let missing: Vec<&str> = CALLS
        .iter()
        .filter(|c| c.is_network() && !run.contains(c.name))
        .map(|c| c.name)
        .collect();
    assert!(
        missing.is_empty(),
        "network rows with no step in tests/calls/scenario.json: {missing:?}"
    );
}

#[test]
fn dotted_paths() {
    let v: Json =
        serde_json::json!({"deleted": {"gone/a": "deleted", "a.b": {"c": 1}}, "l": [{"x": 2}]});
    assert_eq!(at(&v, "deleted.gone/a"), Some(&Json::from("deleted")));
    assert_eq!(at(&v, "deleted.a.b.c"), Some(&Json::from(1)));
    assert_eq!(at(&v, "l.0.x"), Some(&Json::from(2)));
    assert_eq!(at(&v, "l.1.x"), None);
    assert_eq!(at(&v, "nope"), None);
    let vars = BTreeMap::from([("id".to_owned(), Json::from("abc"))]);
    assert_eq!(
        substitute(&serde_json::json!({"a": ["x-${id}", "${id}"]}), &vars, 0),
        serde_json::json!({"a": ["x-abc", "abc"]})
    );
}
