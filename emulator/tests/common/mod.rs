//! Helpers shared by the emulator tests: an in-process emulator, a core client
//! pointed at it, and multipart posting of the core's upload forms.
#![allow(dead_code)]

use std::io::Cursor;

use cldkit::{Client, Map, Value};
use cldkit_emulator::{Emulator, EmulatorConfig};
use reqwest::blocking::multipart::{Form, Part};
use serde_json::Value as Json;

/// An emulator with the default account and a core client for it.
pub fn start(config: EmulatorConfig) -> (Emulator, Client) {
    let emu = Emulator::start(config).expect("emulator starts");
    let client = Client::from_url(&emu.cloudinary_url()).expect("client");
    (emu, client)
}

/// Options from JSON.
pub fn opts(json: &str) -> Map {
    serde_json::from_str(json).expect("options")
}

/// A PNG of the given size.
pub fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 7) as u8, (y * 5) as u8, 99]));
    let mut out = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("encode");
    out.into_inner()
}

/// POSTs an upload request built by the core, with `bytes` as the file part (named
/// `filename`) and extra headers; returns (status, JSON).
pub fn post_form(
    req: &cldkit::upload::UploadRequest,
    file: Option<(&str, Vec<u8>)>,
    headers: &[(&str, String)],
) -> (u16, Json) {
    let mut form = Form::new();
    for (k, v) in &req.fields {
        form = form.text(k.clone(), v.clone());
    }
    if let Some((name, bytes)) = file {
        form = form.part("file", Part::bytes(bytes).file_name(name.to_owned()));
    }
    let http = reqwest::blocking::Client::new();
    let mut rb = http.post(&req.url).multipart(form);
    for (k, v) in headers {
        rb = rb.header(*k, v.clone());
    }
    let resp = rb.send().expect("request");
    let status = resp.status().as_u16();
    let body: Json = resp.json().unwrap_or(Json::Null);
    (status, body)
}

/// Uploads `bytes` as `filename` with `options`.
pub fn upload(client: &Client, bytes: Vec<u8>, filename: &str, options: &Map) -> (u16, Json) {
    // The core builds the signed fields; a local path would be read by the caller, so
    // sign a placeholder path and attach the bytes ourselves.
    let req = client
        .upload_form("/nonexistent/placeholder", options)
        .expect("form");
    post_form(&req, Some((filename, bytes)), &[])
}

/// An Admin API GET with Basic auth.
pub fn admin_get(emu: &Emulator, path: &str) -> reqwest::blocking::Response {
    let a = &emu.accounts()[0];
    reqwest::blocking::Client::new()
        .get(format!("{}/v1_1/{}/{}", emu.base_url(), a.cloud_name, path))
        .basic_auth(&a.api_key, Some(&a.api_secret))
        .send()
        .expect("admin request")
}

/// A string value.
pub fn s(v: &str) -> Value {
    Value::from(v)
}
