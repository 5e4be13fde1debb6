//! `cldkit demo`: the whole engine end to end, offline.
//!
//! Starts the local Cloudinary emulator in-process (or, with a real `CLOUDINARY_URL` in
//! the environment, targets that account), uploads a generated image with a webhook
//! receiver as `notification_url`, verifies the upload response's signature, builds
//! transformed, signed and responsive URLs with the core, fetches the derived images
//! back, shows that a tampered signature is refused, and verifies the webhook.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::Duration;

use cldkit::api::{Source, UploadSettings};
use cldkit::html::PlaceholderMode;
use cldkit::{Client, Config, Map, Value};
use cldkit_emulator::{Emulator, EmulatorConfig};

/// A webhook as received: body and the two signature headers.
struct Webhook {
    body: Vec<u8>,
    timestamp: String,
    signature: String,
}

fn opts(json: &str) -> Result<Map, String> {
    serde_json::from_str(json).map_err(|e| format!("demo options: {e}"))
}

/// A small gradient PNG, made here so the demo needs no files.
fn sample_png() -> Result<Vec<u8>, String> {
    let (w, h) = (320u32, 200u32);
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x * 255 / w) as u8, (y * 255 / h) as u8, 160])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .map_err(|e| format!("encoding the sample image: {e}"))?;
    Ok(out.into_inner())
}

/// Accepts one HTTP POST on loopback and hands its body and signature headers over.
fn webhook_receiver() -> Result<(String, mpsc::Receiver<Webhook>), String> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| format!("webhook listener: {e}"))?;
    let url = format!(
        "http://{}/cloudinary-webhook",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(match stream.try_clone() {
                Ok(s) => s,
                Err(_) => continue,
            });
            let (mut length, mut timestamp, mut signature) = (0usize, String::new(), String::new());
            let mut line = String::new();
            while reader.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
                let l = line.trim_end();
                if l.is_empty() {
                    break;
                }
                if let Some((name, value)) = l.split_once(':') {
                    let value = value.trim().to_owned();
                    match name.to_ascii_lowercase().as_str() {
                        "content-length" => length = value.parse().unwrap_or(0),
                        "x-cld-timestamp" => timestamp = value,
                        "x-cld-signature" => signature = value,
                        _ => {}
                    }
                }
                line.clear();
            }
            let mut body = vec![0u8; length.min(1 << 20)];
            if reader.read_exact(&mut body).is_err() {
                continue;
            }
            let mut stream = stream;
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
            if tx
                .send(Webhook {
                    body,
                    timestamp,
                    signature,
                })
                .is_err()
            {
                return;
            }
        }
    });
    Ok((url, rx))
}

fn fetch(runtime: &tokio::runtime::Runtime, url: &str) -> Result<(u16, String, usize), String> {
    runtime.block_on(async {
        let resp = reqwest::get(url)
            .await
            .map_err(|e| format!("GET {url}: {e}"))?;
        let status = resp.status().as_u16();
        let kind = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let bytes = resp.bytes().await.map_err(|e| e.to_string())?;
        Ok((status, kind, bytes.len()))
    })
}

fn text(v: &Value, key: &str) -> String {
    v.as_map()
        .and_then(|m| m.get(key))
        .map(|v| v.py_str().into_owned())
        .unwrap_or_default()
}

/// Runs the demo.
pub fn run() -> Result<(), String> {
    let real = std::env::var("CLOUDINARY_URL")
        .ok()
        .filter(|u| !u.is_empty());
    let emulator;
    let client = match &real {
        Some(url) => {
            println!("Target: the Cloudinary account in CLOUDINARY_URL");
            Client::from_url(url).map_err(|e| e.to_string())?
        }
        None => {
            emulator = Emulator::start(EmulatorConfig::default())?;
            println!(
                "Target: the local Cloudinary emulator at {}",
                emulator.base_url()
            );
            println!("  CLOUDINARY_URL={}", redact(&emulator.cloudinary_url()));
            // Delivery URLs point at the emulator through the `cname` setting.
            let host = emulator.base_url().trim_start_matches("http://").to_owned();
            let config = Config::from_cloudinary_url(&emulator.cloudinary_url())
                .map_err(|e| e.to_string())?
                .with("secure", false)
                .with("cname", host)
                .with("user_platform", "cldkit-demo/1.0");
            Client::new(config)
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;

    // 1. Upload, with a webhook receiver as notification_url.
    let (hook_url, hooks) = webhook_receiver()?;
    let png = sample_png()?;
    println!(
        "\n1. Upload a {} byte PNG (user agent: {})",
        png.len(),
        client.user_agent()
    );
    let mut upload_opts = opts(
        r#"{"public_id": "demo/gradient", "tags": ["demo", "cldkit"], "overwrite": true,
            "context": {"alt": "A gradient"}}"#,
    )?;
    upload_opts.insert("notification_url", hook_url.as_str());
    let result = client
        .upload_blocking(
            Source::bytes(png, Some("gradient.png".into())),
            &upload_opts,
            &UploadSettings::default(),
        )
        .map_err(|e| format!("upload failed: {e}"))?;
    let body = result.body;
    let (public_id, version) = (text(&body, "public_id"), text(&body, "version"));
    println!(
        "   uploaded {public_id} v{version}: {}x{} {} ({} bytes), etag {}",
        text(&body, "width"),
        text(&body, "height"),
        text(&body, "format"),
        text(&body, "bytes"),
        text(&body, "etag")
    );
    let signature = text(&body, "signature");
    let response_ok = client
        .verify_api_response(public_id.as_str(), version.as_str(), &signature)
        .map_err(|e| e.to_string())?;
    println!("   response signature verified: {response_ok}");

    // 2. URLs built by the core.
    println!("\n2. Delivery URLs");
    let thumb = client
        .url(&public_id, &opts(r#"{"width": 120, "height": 120, "crop": "fill", "gravity": "north_west", "format": "jpg"}"#)?)
        .map_err(|e| e.to_string())?;
    let signed = client
        .url(
            &public_id,
            &opts(r#"{"width": 200, "crop": "scale", "format": "webp", "sign_url": true}"#)?,
        )
        .map_err(|e| e.to_string())?;
    let tag = client
        .image_tag(
            &public_id,
            &opts(
                r#"{"width": 320, "crop": "scale", "alt": "A gradient", "format": "png",
                      "srcset": {"breakpoints": [160, 320], "sizes": true}}"#,
            )?,
        )
        .map_err(|e| e.to_string())?;
    // A lazy-loading placeholder, an image overlay (the asset on itself) and a text overlay.
    let placeholder = client
        .placeholder_urls(
            &public_id,
            PlaceholderMode::Blur,
            &opts(r#"{"width": 320, "crop": "scale"}"#)?,
        )
        .map_err(|e| e.to_string())?
        .placeholder;
    let overlay_spec = format!(
        r#"{{"transformation": [{{"width": 320, "crop": "scale"}},
            {{"overlay": "{}", "width": 80, "crop": "scale", "gravity": "south_east", "x": 8, "y": 8}},
            {{"overlay": {{"font_family": "Arial", "font_size": 28, "text": "cldkit"}},
              "color": "white", "gravity": "north_west", "x": 10, "y": 10}}],
            "format": "png"}}"#,
        public_id.replace('/', ":")
    );
    let overlay = client
        .url(&public_id, &opts(&overlay_spec)?)
        .map_err(|e| e.to_string())?;
    println!("   thumbnail: {thumb}\n   signed:    {signed}\n   <img>:     {tag}");
    println!("   placeholder: {placeholder}\n   overlays:    {overlay}");

    // 3. Fetch the derived images back.
    println!("\n3. Fetch the derived images");
    for url in [&thumb, &signed, &placeholder, &overlay] {
        let (status, kind, len) = fetch(&runtime, url)?;
        println!("   {status} {kind} {len} bytes  <- {url}");
        if status != 200 {
            return Err(format!("fetching {url} answered {status}"));
        }
    }
    let tampered = signed.replacen("s--", "s--x", 1);
    let (status, _, _) = fetch(&runtime, &tampered)?;
    println!("   {status} for the same URL with a tampered signature");

    // 4. The webhook.
    println!("\n4. Webhook");
    match hooks.recv_timeout(Duration::from_secs(15)) {
        Ok(hook) => {
            let valid = client
                .verify_notification(&hook.body, hook.timestamp.as_str(), &hook.signature, None)
                .map_err(|e| e.to_string())?;
            let note: Value = serde_json::from_slice(&hook.body).unwrap_or(Value::Null);
            println!(
                "   received {} for {} ({} bytes), signature verified: {valid}",
                text(&note, "notification_type"),
                text(&note, "public_id"),
                hook.body.len()
            );
            if !valid {
                return Err("the webhook signature did not verify".into());
            }
        }
        Err(_) => return Err("no webhook arrived within 15 s".into()),
    }
    if !response_ok {
        return Err("the upload response signature did not verify".into());
    }
    println!(
        "\nDone: upload, signed and transformed delivery, and webhook verification all worked."
    );
    Ok(())
}

/// The URL with its API secret hidden.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let key = creds.split(':').next().unwrap_or("");
            format!("{}{key}:***{}", &url[..s + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}
