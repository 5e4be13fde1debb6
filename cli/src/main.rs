//! `cldkit`: delivery URLs and conformance runs from the command line.
//!
//! ```text
//! cldkit url SOURCE [--opt key=value ...] [--cloudinary-url URL] [--profile python]
//! cldkit conformance [--profile python]      < cases.jsonl > results.jsonl
//! cldkit demo
//! ```

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
  cldkit demo
      Prints the URLs of a few real-world cases.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("url") => cmd_url(&args[1..]),
        Some("conformance") => cmd_conformance(&args[1..]),
        Some("demo") => cmd_demo(),
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

fn cmd_demo() -> Result<(), String> {
    let client =
        Client::from_url("cloudinary://1234567890:demo-secret@demo").map_err(|e| e.to_string())?;
    let cases: &[(&str, &str, &str)] = &[
        (
            "Product thumbnail",
            "shoes/red-sneaker.jpg",
            r#"{"width": 300, "height": 300, "crop": "fill", "gravity": "auto", "quality": "auto", "fetch_format": "auto"}"#,
        ),
        (
            "Hero banner, responsive",
            "banners/summer-sale",
            r#"{"width": "auto", "crop": "scale", "dpr": "auto", "format": "jpg"}"#,
        ),
        (
            "Watermarked and signed",
            "gallery/photo 1.jpg",
            r##"{"transformation": [{"width": 800, "crop": "limit"}, {"overlay": {"font_family": "Arial", "font_size": 40, "text": "© Shop"}, "gravity": "south_east", "x": 10, "y": 10, "color": "#ffffff"}], "sign_url": true}"##,
        ),
        (
            "Fetched remote image",
            "https://upload.wikimedia.org/example.png",
            r#"{"type": "fetch", "width": 200, "crop": "scale", "format": "webp"}"#,
        ),
        (
            "Video poster",
            "videos/intro",
            r#"{"resource_type": "video", "format": "jpg", "start_offset": "auto", "width": 640, "crop": "fill"}"#,
        ),
        (
            "SEO-friendly URL on a private CDN",
            "products/12345",
            r#"{"url_suffix": "red-running-shoe", "private_cdn": true, "format": "jpg", "width": 500, "crop": "fit"}"#,
        ),
    ];
    println!("cldkit demo: delivery URLs for cloud \"demo\"\n");
    for (title, source, options) in cases {
        let options: Map = serde_json::from_str(options).map_err(|e| e.to_string())?;
        let url = client.url(source, &options).map_err(|e| e.to_string())?;
        println!(
            "{title}\n  {source} {}\n  -> {url}\n",
            serde_json::to_string(&options).unwrap_or_default()
        );
    }
    Ok(())
}
