//! `cldkit upload FILE [--opt key=value ...]`: uploads a file, URL or data URI with the
//! client configured by `CLOUDINARY_URL` and prints the response as JSON.

use std::io::Write;
use std::sync::Arc;

use cldkit::api::{Source, UploadSettings};
use cldkit::{Client, Config, Map, Value};

/// Usage of the `upload` command.
pub const USAGE: &str = "\
cldkit upload FILE [--opt key=value ...] [--cloudinary-url URL] [--chunk-size BYTES]
              [--parallel N] [--resume-file PATH] [--progress]
  FILE is a local path (streamed; chunked above chunk_size), an http(s)/ftp/s3/gs URL or
  a base64 data URI. Options are the SDKs' upload options (values parsed as JSON when
  they parse, else strings), plus timeout, max_retries, resource_type. The response is
  printed as JSON; errors go to stderr with their category, status and request id.";

/// Parses `key=value` into a map entry, the value as JSON when it parses.
pub(crate) fn put_option(map: &mut Map, kv: &str) -> Result<(), String> {
    let (k, v) = kv
        .split_once('=')
        .ok_or_else(|| format!("{kv:?}: expected key=value"))?;
    let value = serde_json::from_str::<Value>(v).unwrap_or_else(|_| Value::from(v));
    map.insert(k, value);
    Ok(())
}

/// The client of `--cloudinary-url`, else of the environment.
pub(crate) fn client(url: Option<&str>) -> Result<Client, String> {
    let config = match url {
        Some(u) => Config::from_cloudinary_url(u),
        None => Config::from_env(),
    }
    .map_err(|e| e.to_string())?;
    Ok(Client::new(config))
}

/// Runs `cldkit upload` with the arguments after the command name.
pub fn run(args: &[String]) -> Result<(), String> {
    let mut file: Option<String> = None;
    let mut options = Map::new();
    let mut url: Option<String> = None;
    let mut settings = UploadSettings::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--opt" | "-o" => put_option(&mut options, &value("--opt")?)?,
            "--cloudinary-url" => url = Some(value("--cloudinary-url")?),
            "--chunk-size" => {
                let v = value("--chunk-size")?;
                settings.chunk_size =
                    Some(v.parse().map_err(|_| format!("bad --chunk-size {v:?}"))?);
            }
            "--parallel" => {
                let v = value("--parallel")?;
                settings.parallel = v.parse().map_err(|_| format!("bad --parallel {v:?}"))?;
            }
            "--resume-file" => settings.resume_file = Some(value("--resume-file")?.into()),
            "--progress" => {
                settings.progress = Some(Arc::new(|done, total| {
                    let mut err = std::io::stderr().lock();
                    let _ = match total {
                        Some(t) if t > 0 => write!(err, "\r{done}/{t} bytes ({}%)", done * 100 / t),
                        _ => write!(err, "\r{done} bytes"),
                    };
                }))
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other if file.is_none() && !other.starts_with("--") => file = Some(other.into()),
            other => return Err(format!("unexpected argument {other:?}\n{USAGE}")),
        }
    }
    let file = file.ok_or_else(|| format!("missing FILE\n{USAGE}"))?;
    let client = client(url.as_deref())?;
    let progress = settings.progress.is_some();
    let result = client.upload_blocking(Source::from_str_arg(&file), &options, &settings);
    if progress {
        eprintln!();
    }
    let resp = result.map_err(|e| match e.resume_token() {
        Some(t) => format!("{e}\nresume token: {}", t.to_json()),
        None => e.to_string(),
    })?;
    let json = serde_json::to_string_pretty(&resp.into_value()).map_err(|e| e.to_string())?;
    println!("{json}");
    Ok(())
}
