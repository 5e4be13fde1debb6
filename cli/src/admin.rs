//! `cldkit admin CALL [key=value ...]`: one Admin API call with the client configured by
//! `CLOUDINARY_URL`, printing the response (with rate-limit fields) as JSON.

use cldkit::api::ADMIN_CALLS;
use cldkit::Map;

use crate::upload::{client, put_option};

/// Usage of the `admin` command.
pub const USAGE: &str = "\
cldkit admin CALL [key=value ...] [--cloudinary-url URL] [--all-pages]
cldkit admin list
  CALL is an SDK Admin API name (ping, usage, resources, resource, update,
  delete_resources, tags, root_folders, upload_presets, search, ...; `list` shows all).
  key=value pairs are its arguments and options (public_id=..., tag=..., max_results=10,
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
        for c in ADMIN_CALLS {
            println!("{c}");
        }
        return Ok(());
    }
    let client = client(url.as_deref())?;
    let print = |r: cldkit::api::ApiResponse| -> Result<(), String> {
        let json = serde_json::to_string_pretty(&r.into_value()).map_err(|e| e.to_string())?;
        println!("{json}");
        Ok(())
    };
    if all_pages {
        for page in client.pages(&call, &params, &params) {
            print(page.map_err(|e| e.to_string())?)?;
        }
        return Ok(());
    }
    print(
        client
            .admin_blocking(&call, &params, &params)
            .map_err(|e| e.to_string())?,
    )
}
