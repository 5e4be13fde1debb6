//! Keep-alive connections as the Node SDK uses them: several requests on one TCP
//! connection, multipart bodies sent with `Transfer-Encoding: chunked` whose last chunk
//! comes after the multipart closing delimiter, form-bodied DELETEs, early errors.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use cldkit_emulator::EmulatorConfig;
use common::*;
use serde_json::Value as Json;

/// Reads one HTTP/1.1 response (Content-Length framed, as the emulator's JSON answers
/// are): (status, lower-cased head, JSON body). Panics on EOF, i.e. a connection closed
/// before an answer.
fn read_response(stream: &mut TcpStream) -> (u16, String, Json) {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        let n = stream.read(&mut byte).expect("read head");
        assert_eq!(n, 1, "connection closed before a response; got {buf:?}");
        buf.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&buf).to_ascii_lowercase();
    let status: u16 = head[9..12].parse().expect("status");
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map(|v| v.trim().parse().expect("length"))
        .expect("content-length");
    let mut body = vec![0u8; len];
    stream.read_exact(&mut body).expect("read body");
    (
        status,
        head,
        serde_json::from_slice(&body).unwrap_or(Json::Null),
    )
}

fn connect(emu: &cldkit_emulator::Emulator) -> TcpStream {
    let s = TcpStream::connect(emu.addr()).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.set_nodelay(true).unwrap();
    s
}

fn health(stream: &mut TcpStream) {
    stream
        .write_all(b"GET /_emulator/health HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let (status, _, body) = read_response(stream);
    assert_eq!((status, body["status"].as_str()), (200, Some("ok")));
}

fn basic(emu: &cldkit_emulator::Emulator) -> String {
    use base64::Engine as _;
    let a = &emu.accounts()[0];
    base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", a.api_key, a.api_secret))
}

/// A Node-style multipart body: a short boundary, no per-field content type, the file
/// part last, and no CRLF after the closing delimiter.
fn node_multipart(fields: &[(String, String)], file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "q7f".to_owned();
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"n.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--").as_bytes());
    (boundary, body)
}

#[test]
fn chunked_multipart_whose_last_chunk_comes_late_keeps_the_connection() {
    let (emu, client) = start(EmulatorConfig::default());
    let mut conn = connect(&emu);
    for i in 0..3 {
        let req = client
            .upload_form(
                "/nonexistent/n.bin",
                &opts(&format!(
                    r#"{{"public_id": "ka/{i}.bin", "resource_type": "raw"}}"#
                )),
            )
            .expect("form");
        let path = url::Url::parse(&req.url).unwrap().path().to_owned();
        let file = format!("chunked body {i}").into_bytes();
        let (boundary, body) = node_multipart(&req.fields, &file);
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n"
        );
        conn.write_all(head.as_bytes()).unwrap();
        conn.write_all(format!("{:x}\r\n", body.len()).as_bytes())
            .unwrap();
        conn.write_all(&body).unwrap();
        conn.write_all(b"\r\n").unwrap();
        conn.flush().unwrap();
        // The terminating chunk comes separately, as Node's `req.end()` sends it.
        std::thread::sleep(Duration::from_millis(150));
        conn.write_all(b"0\r\n\r\n").unwrap();
        let (status, head, r) = read_response(&mut conn);
        assert_eq!(status, 200, "{r}");
        assert!(!head.contains("connection: close"), "{head}");
        assert_eq!(r["public_id"], format!("ka/{i}.bin"));
        assert_eq!(r["bytes"].as_u64(), Some(file.len() as u64));
    }
    // The same connection still answers.
    health(&mut conn);
}

#[test]
fn early_upload_error_then_next_request_on_the_same_connection() {
    let (emu, client) = start(EmulatorConfig::default());
    let mut conn = connect(&emu);
    let req = client
        .upload_form("/nonexistent/e.bin", &opts(r#"{"resource_type": "raw"}"#))
        .expect("form");
    let path = url::Url::parse(&req.url).unwrap().path().to_owned();
    let (boundary, body) = node_multipart(&req.fields, b"");
    // Node's empty-file range: refused before the body is read.
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nX-Unique-Upload-Id: abc123\r\nContent-Range: bytes 0--1/0\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    conn.write_all(head.as_bytes()).unwrap();
    conn.write_all(&body).unwrap();
    let (status, _, r) = read_response(&mut conn);
    assert_eq!(status, 400, "{r}");
    assert!(r["error"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("Content-Range")));
    health(&mut conn);
}

#[test]
fn form_bodied_and_bodyless_deletes_on_one_connection() {
    let (emu, client) = start(EmulatorConfig::default());
    for id in ["d/a", "d/b"] {
        let (status, r) = upload(
            &client,
            png(2, 2),
            "x.png",
            &opts(&format!(r#"{{"public_id": "{id}"}}"#)),
        );
        assert_eq!(status, 200, "{r}");
    }
    let auth = basic(&emu);
    let mut conn = connect(&emu);
    // Node's delete_resources: a form body with Content-Length.
    let form = "public_ids%5B%5D=d%2Fa&public_ids%5B%5D=nope&invalidate=true";
    conn.write_all(
        format!(
            "DELETE /v1_1/emulator/resources/image/upload HTTP/1.1\r\nHost: x\r\nAuthorization: Basic {auth}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: keep-alive\r\n\r\n{form}",
            form.len()
        )
        .as_bytes(),
    )
    .unwrap();
    let (status, _, r) = read_response(&mut conn);
    assert_eq!(status, 200, "{r}");
    assert_eq!(
        r["deleted"],
        serde_json::json!({"d/a": "deleted", "nope": "not_found"})
    );
    // A bodyless DELETE (Content-Length: 0) of the control endpoint, then one with no
    // length at all, then a form body on a control DELETE (loopback Host, credentials).
    for extra in [
        "Content-Length: 0\r\n\r\n",
        "\r\n",
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\n\r\na=b",
    ] {
        conn.write_all(
            format!(
                "DELETE /_emulator/faults HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic {auth}\r\n{extra}"
            )
            .as_bytes(),
        )
        .unwrap();
        let (status, _, r) = read_response(&mut conn);
        assert_eq!((status, &r), (200, &serde_json::json!({"faults": []})));
    }
    // A delete by tag-less prefix in the query, form-typed and empty.
    conn.write_all(
        format!(
            "DELETE /v1_1/emulator/resources/image/upload?prefix=d%2F HTTP/1.1\r\nHost: x\r\nAuthorization: Basic {auth}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 0\r\n\r\n"
        )
        .as_bytes(),
    )
    .unwrap();
    let (status, _, r) = read_response(&mut conn);
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["deleted"]["d/b"], "deleted");
    // An unauthenticated DELETE with a body is refused without spoiling the connection.
    conn.write_all(
        format!(
            "DELETE /v1_1/emulator/resources/image/upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
            form.len()
        )
        .as_bytes(),
    )
    .unwrap();
    let (status, _, _) = read_response(&mut conn);
    assert_eq!(status, 401);
    health(&mut conn);
}
