//! Chunked-upload client for `bench/emulator_upload.sh`: sends FILE to the emulator at
//! CLOUDINARY_URL in CHUNK-byte chunks (signed by the core) and prints the throughput.
//!
//! usage: upload_bench CLOUDINARY_URL FILE [CHUNK]

use std::io::Read;
use std::time::Instant;

use reqwest::blocking::multipart::{Form, Part};

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, path, rest @ ..] = args.as_slice() else {
        return Err("usage: upload_bench CLOUDINARY_URL FILE [CHUNK]".into());
    };
    let chunk: usize = rest
        .first()
        .map(|c| c.parse().unwrap_or(20_000_000))
        .unwrap_or(20_000_000);
    let client = cldkit::Client::from_url(url).map_err(|e| e.to_string())?;
    let total = std::fs::metadata(path).map_err(|e| e.to_string())?.len() as usize;
    let mut file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let http = reqwest::blocking::Client::builder()
        .timeout(None)
        .build()
        .map_err(|e| e.to_string())?;
    let options: cldkit::Map =
        serde_json::from_str(r#"{"public_id": "bench.bin", "resource_type": "raw"}"#)
            .map_err(|e| e.to_string())?;
    let upload_id = format!("bench{}", std::process::id());
    let started = Instant::now();
    let mut offset = 0usize;
    let mut last = serde_json::Value::Null;
    let mut buf = vec![0u8; chunk];
    while offset < total {
        let n = chunk.min(total - offset);
        file.read_exact(&mut buf[..n]).map_err(|e| e.to_string())?;
        let req = client
            .upload_form("/bench", &options)
            .map_err(|e| e.to_string())?;
        let mut form = Form::new();
        for (k, v) in &req.fields {
            form = form.text(k.clone(), v.clone());
        }
        form = form.part(
            "file",
            Part::bytes(buf[..n].to_vec()).file_name("bench.bin"),
        );
        let resp = http
            .post(&req.url)
            .header("x-unique-upload-id", &upload_id)
            .header(
                "content-range",
                format!("bytes {}-{}/{}", offset, offset + n - 1, total),
            )
            .multipart(form)
            .send()
            .map_err(|e| e.to_string())?;
        let status = resp.status();
        last = resp.json().map_err(|e| e.to_string())?;
        if !status.is_success() {
            return Err(format!("chunk at {offset}: {status} {last}"));
        }
        offset += n;
    }
    let secs = started.elapsed().as_secs_f64();
    if last["bytes"].as_u64() != Some(total as u64) || last.get("done").is_some() {
        return Err(format!("upload did not complete: {last}"));
    }
    println!(
        "uploaded {} bytes in {} chunks of {} in {:.2} s: {:.1} MB/s (etag {})",
        total,
        total.div_ceil(chunk),
        chunk,
        secs,
        total as f64 / secs / 1e6,
        last["etag"].as_str().unwrap_or("")
    );
    Ok(())
}
