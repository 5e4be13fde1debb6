//! Runs the shared conformance cases (recorded from the official SDKs) through the
//! public API, one case at a time.
//!
//! A case is one JSON object (`{"id", "kind", "config", "input", "expected"}`, see the
//! corpus README). [`run_case`] builds a [`Client`] from the case's `config` with the
//! clock fixed at the corpus clock, calls the public function named by `kind`, and
//! returns the result shaped like `expected`: `{"error": "..."}` when the call failed,
//! `{"unsupported": kind}` for a kind this engine does not handle.
//!
//! The `cldkit conformance` command and the test suite both go through here, and this
//! module only calls what a user can call.
//!
//! ```
//! let case = serde_json::json!({
//!     "id": "x", "kind": "url",
//!     "config": {"cloud_name": "demo", "secure": true},
//!     "input": {"source": "sample", "options": {"width": 100, "crop": "fill"}}
//! });
//! let result = cldkit::conformance::run_case(&case, cldkit::Profile::Python);
//! assert_eq!(result["url"], "https://res.cloudinary.com/demo/image/upload/c_fill,w_100/sample");
//! ```

mod api_cases;
mod html_cases;
mod url_cases;

use serde_json::{json, Value as Json};

use crate::{Client, Config, Error, Map, Profile, Value};

/// The Unix time every case was recorded at.
pub const CORPUS_CLOCK: i64 = 1_700_000_000;

/// The Node.js version the npm SDK's results were recorded with (its `_a` analytics
/// tokens encode the runtime's `major.minor`). In the `node` profile each case runs
/// with this `tech_version` unless its configuration sets one, as the clock is pinned.
pub const CORPUS_NODE_VERSION: &str = "20.20.2";

/// Runs one case and returns its `result` object.
pub fn run_case(case: &Json, profile: Profile) -> Json {
    let kind = case.get("kind").and_then(Json::as_str).unwrap_or("");
    let mut config: Map = case
        .get("config")
        .cloned()
        .map(Value::from)
        .and_then(|v| v.as_map().cloned())
        .unwrap_or_default();
    if profile == Profile::Node && !config.contains_key("tech_version") {
        config.insert("tech_version", CORPUS_NODE_VERSION);
    }
    let client =
        Client::new(Config::from_map(config).with_profile(profile)).with_clock(|| CORPUS_CLOCK);
    let input = case.get("input").cloned().unwrap_or(Json::Null);
    let outcome = url_cases::run(kind, &client, &input)
        .or_else(|| api_cases::run(kind, &client, &input))
        .or_else(|| html_cases::run(kind, &client, &input));
    match outcome {
        Some(Ok(v)) => v,
        Some(Err(e)) => error_json(&e),
        None => json!({ "unsupported": kind }),
    }
}

/// What `case` expects in `profile`: the npm SDK's result (`expected_node`) in the
/// [`Profile::Node`] profile and the PHP SDK's (`expected_php`) in the [`Profile::Php`]
/// profile where the corpus records one, else `expected` (pycloudinary's result).
///
/// ```
/// use cldkit::{conformance::expected_for, Profile};
/// let case = serde_json::json!({"expected": {"url": "http://a"}, "expected_node": {"url": "https://a"}});
/// assert_eq!(expected_for(&case, Profile::Node)["url"], "https://a");
/// assert_eq!(expected_for(&case, Profile::Python)["url"], "http://a");
/// ```
pub fn expected_for(case: &Json, profile: Profile) -> &Json {
    let node = match profile {
        Profile::Node => case.get("expected_node"),
        Profile::Php => case.get("expected_php"),
        Profile::Python | Profile::Default => None,
    };
    node.or_else(|| case.get("expected")).unwrap_or(&Json::Null)
}

/// Whether `result` satisfies `expected`: equal JSON, or both errors.
pub fn matches(expected: &Json, result: &Json) -> bool {
    if expected.get("error").is_some() {
        return result.get("error").is_some();
    }
    expected == result
}

fn error_json(e: &Error) -> Json {
    json!({ "error": format!("{}: {}", e.code(), e) })
}

/// The case's input field `name` as an option [`Value`] (`Null` when absent).
fn field(input: &Json, name: &str) -> Value {
    input
        .get(name)
        .cloned()
        .map(Value::from)
        .unwrap_or(Value::Null)
}

/// The case's input field `name` as an option map (empty when absent).
fn options(input: &Json, name: &str) -> crate::Result<Map> {
    match field(input, name) {
        Value::Map(m) => Ok(m),
        Value::Null => Ok(Map::new()),
        other => Err(Error::invalid_option(
            name,
            format!("expected a map, found {}", other.type_name()),
        )),
    }
}
