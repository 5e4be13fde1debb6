//! `cldkit admin CALL [key=value ...]`: one call of the catalogue (an Admin API call,
//! or any other) with the client configured by `CLOUDINARY_URL`, printing the response
//! (with rate-limit fields) as JSON.

use cldkit::calls::{lookup, CALLS};
use cldkit::Map;

use crate::upload::{client, put_option};

/// Usage of the `admin` command.
pub const USAGE: &str = "\
cldkit admin CALL [key=value ...] [--cloudinary-url URL] [--all-pages]
cldkit admin list
  CALL is an SDK call name (ping, usage, resources, resource, update, delete_resources,
  tags, root_folders, upload_presets, search, upload_mappings, ...; `list` shows the
  network calls, `cldkit calls` all of them). key=value pairs are its arguments (by
  parameter name: public_id=..., tag=...) and options (max_results=10,
  resource_type=raw, timeout=5); values are parsed as JSON when they parse.
  --all-pages follows next_cursor and prints one JSON document per page.";

/// Runs `cldkit admin` with the arguments after the command name.
pub fn run(args: &[String]) -> Result<(), String> {
    let mut call: Option<String> = None;
    let mut params = Map::new();
    let mut url: Option<String> = None;
    let mut all_pages = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--cloudinary-url" => {
                url = Some(it.next().ok_or("--cloudinary-url needs a URL")?.clone())
            }
            "--all-pages" => all_pages = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other if call.is_none() && !other.starts_with("--") => call = Some(other.into()),
            other if other.contains('=') && !other.starts_with("--") => {
                put_option(&mut params, other)?
            }
            other => return Err(format!("unexpected argument {other:?}\n{USAGE}")),
        }
    }
    let call = call.ok_or_else(|| format!("missing CALL\n{USAGE}"))?;
    if call == "list" {
        for c in CALLS.iter().filter(|c| c.is_network()) {
            println!("{}", c.name);
        }
        return Ok(());
    }
    let row = lookup(&call).map_err(|e| e.to_string())?;
    // Parameters of the call are its arguments; the rest are options.
    let mut args = Map::new();
    let mut options = Map::new();
    for (k, v) in params {
        if row.params.iter().any(|p| p.name == k) {
            args.insert(k, v);
        } else {
            options.insert(k, v);
        }
    }
    let client = client(url.as_deref())?;
    let print = |v: cldkit::Value| -> Result<(), String> {
        let json = serde_json::to_string_pretty(&v).map_err(|e| e.to_string())?;
        println!("{json}");
        Ok(())
    };
    if all_pages {
        for page in client.pages(&call, &args, &options) {
            print(page.map_err(|e| e.to_string())?.into_value())?;
        }
        return Ok(());
    }
    print(
        client
            .call_blocking(&call, &args, &options)
            .map_err(|e| e.to_string())?,
    )
}
