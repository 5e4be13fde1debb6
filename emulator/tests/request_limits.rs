//! Memory before authentication (security review, finding 4): a request's text fields,
//! form and JSON bodies are bounded before the signature is checked, and a request whose
//! credentials are already known to be wrong is answered without reading the rest.
//!
//! The memory checks run `cldkit-emulator` as a child process and compare its peak
//! resident set (`VmHWM`) before and after the hostile requests: without the limits each
//! of them costs hundreds of MiB, with them a few MiB.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value as Json;

/// A `cldkit-emulator` child process, killed on drop.
struct Server {
    child: Child,
    addr: String,
    url: String,
}

impl Server {
    fn start() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cldkit-emulator"))
            .args(["--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("emulator starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("first line");
        let url = line
            .trim()
            .strip_prefix("CLOUDINARY_URL=")
            .expect("CLOUDINARY_URL line")
            .to_owned();
        let base = url.split("upload_prefix=").nth(1).expect("upload_prefix");
        let addr = base.trim_start_matches("http://").to_owned();
        Server { child, addr, url }
    }

    /// Peak resident set of the child, in KiB.
    fn peak_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("/proc status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmHWM")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends `head` (request line and headers, without the blank line) and then `body` from
/// a writer thread that gives up quietly when the server stops reading; returns the
/// status and the JSON body of the answer, read within `wait`.
fn exchange(addr: &str, head: &str, body: Vec<Vec<u8>>, wait: Duration) -> (u16, Json) {
    let mut conn = TcpStream::connect(addr).expect("connect");
    conn.set_read_timeout(Some(wait)).unwrap();
    let mut writer = conn.try_clone().expect("clone");
    let head = format!("{head}\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    let sender = std::thread::spawn(move || {
        if writer.write_all(head.as_bytes()).is_err() {
            return;
        }
        for piece in body {
            if writer.write_all(&piece).is_err() {
                return;
            }
        }
    });
    let mut raw = Vec::new();
    let start = Instant::now();
    let mut buf = [0u8; 8192];
    loop {
        match conn.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                raw.extend_from_slice(&buf[..n]);
                if let Some(parsed) = parse_response(&raw) {
                    drop(conn);
                    let _ = sender.join();
                    return parsed;
                }
            }
            Err(e) => panic!(
                "no complete answer after {:?} ({e}); got {:?}",
                start.elapsed(),
                String::from_utf8_lossy(&raw)
            ),
        }
    }
    let _ = sender.join();
    parse_response(&raw)
        .unwrap_or_else(|| panic!("incomplete answer {:?}", String::from_utf8_lossy(&raw)))
}

/// (status, JSON body) once the whole answer (by `Content-Length`) is in `raw`.
fn parse_response(raw: &[u8]) -> Option<(u16, Json)> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..end]).ok()?;
    let status: u16 = head.split(' ').nth(1)?.parse().ok()?;
    let len: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    let body = raw.get(end + 4..end + 4 + len)?;
    Some((status, serde_json::from_slice(body).unwrap_or(Json::Null)))
}

const BOUNDARY: &str = "cldkitlimitsboundary";

fn text_part(name: &str, value: &[u8]) -> Vec<u8> {
    let mut p = format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n")
        .into_bytes();
    p.extend_from_slice(value);
    p.extend_from_slice(b"\r\n");
    p
}

fn multipart_head(len: usize, extra: &str) -> String {
    format!(
        "POST /v1_1/emulator/image/upload HTTP/1.1\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {len}{extra}"
    )
}

fn total(pieces: &[Vec<u8>]) -> usize {
    pieces.iter().map(Vec::len).sum()
}

/// The emulator answers a health check and a signed upload.
fn still_serves(server: &Server) {
    let (status, r) = exchange(
        &server.addr,
        "GET /_emulator/health HTTP/1.1",
        Vec::new(),
        Duration::from_secs(10),
    );
    assert_eq!((status, &r["status"]), (200, &Json::from("ok")));
    let client = cldkit::Client::from_url(&server.url).expect("client");
    let req = client
        .upload_form("data:text/plain;base64,aGVsbG8=", &cldkit::Map::new())
        .expect("form");
    let mut pieces: Vec<Vec<u8>> = req
        .fields
        .iter()
        .map(|(k, v)| text_part(k, v.as_bytes()))
        .collect();
    pieces.push(format!("--{BOUNDARY}--\r\n").into_bytes());
    let (status, r) = exchange(
        &server.addr,
        &multipart_head(total(&pieces), "").replace("/image/", "/raw/"),
        pieces,
        Duration::from_secs(10),
    );
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["bytes"], 5, "{r}");
}

#[test]
fn unauthenticated_bodies_are_refused_within_bounded_memory() {
    let server = Server::start();
    still_serves(&server);
    let before = server.peak_kib();

    // 8 000 text fields of 16 KiB each (128 MiB), no credentials at all.
    let value = vec![b'x'; 16 << 10];
    let mut pieces: Vec<Vec<u8>> = (0..8000)
        .map(|i| text_part(&format!("f{i}"), &value))
        .collect();
    pieces.push(format!("--{BOUNDARY}--\r\n").into_bytes());
    let (status, r) = exchange(
        &server.addr,
        &multipart_head(total(&pieces), ""),
        pieces,
        Duration::from_secs(60),
    );
    assert_eq!(status, 413, "{r}");
    assert!(r["error"]["message"].is_string(), "{r}");

    // An 8 MiB JSON body of four million tiny values.
    let mut json = b"{\"a\":[0".to_vec();
    json.extend_from_slice(&b",0".repeat(4 << 20));
    json.extend_from_slice(b"]}");
    let (status, r) = exchange(
        &server.addr,
        &format!(
            "POST /v1_1/emulator/image/upload HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: {}",
            json.len()
        ),
        vec![json],
        Duration::from_secs(60),
    );
    assert_eq!(status, 413, "{r}");

    // An 8 MiB form body of four million empty fields.
    let form: Vec<u8> = b"a&".repeat(4 << 20);
    let (status, r) = exchange(
        &server.addr,
        &format!(
            "POST /v1_1/emulator/image/upload HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}",
            form.len()
        ),
        vec![form],
        Duration::from_secs(60),
    );
    assert_eq!(status, 413, "{r}");

    // A JSON body over the form/JSON limit is refused on its Content-Length alone.
    let (status, r) = exchange(
        &server.addr,
        "POST /v1_1/emulator/image/upload HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 209715200",
        vec![b"{\"file\": \"".to_vec()],
        Duration::from_secs(10),
    );
    assert_eq!(status, 413, "{r}");

    let grown_mib = (server.peak_kib().saturating_sub(before)) / 1024;
    eprintln!("peak RSS growth: {grown_mib} MiB");
    assert!(
        grown_mib < 48,
        "peak RSS grew by {grown_mib} MiB while refusing unauthenticated bodies"
    );
    still_serves(&server);
}

#[test]
fn wrong_credentials_are_refused_before_the_rest_of_the_body() {
    let server = Server::start();
    // A wrong Authorization header: refused with the body (announced as 50 MiB) unsent.
    let (status, r) = exchange(
        &server.addr,
        &multipart_head(50 << 20, "\r\nAuthorization: Basic eDp5"),
        vec![text_part("public_id", b"x")],
        Duration::from_secs(10),
    );
    assert_eq!(status, 401, "{r}");
    assert_eq!(
        r["error"]["message"],
        "Invalid credentials (api_key, api_secret or oauth_token)"
    );
    // Signed fields with an unknown key, then the start of a large file part that never
    // ends: refused as soon as the key is known.
    let mut file = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n\r\n"
    )
    .into_bytes();
    file.extend(vec![0u8; 64 << 10]);
    let pieces = vec![
        text_part("timestamp", cldkit_now().as_bytes()),
        text_part("signature", &[b'0'; 40]),
        text_part("api_key", b"999"),
        file,
    ];
    let (status, r) = exchange(
        &server.addr,
        &multipart_head(50 << 20, ""),
        pieces,
        Duration::from_secs(10),
    );
    assert_eq!(status, 401, "{r}");
    assert_eq!(r["error"]["message"], "Unknown API key 999");
    // A stale timestamp with the right key: refused at once too.
    let pieces = vec![
        text_part("api_key", b"123456789012345"),
        text_part("signature", &[b'0'; 40]),
        text_part("timestamp", b"1000"),
        text_part("tags", &vec![b'x'; 64 << 10]),
    ];
    let (status, r) = exchange(
        &server.addr,
        &multipart_head(50 << 20, ""),
        pieces,
        Duration::from_secs(10),
    );
    assert_eq!(status, 400, "{r}");
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap_or("")
            .starts_with("Stale request"),
        "{r}"
    );
    still_serves(&server);
}

#[test]
fn a_multipart_part_header_that_never_ends_is_bounded() {
    let server = Server::start();
    let before = server.peak_kib();
    // One part header of 96 MiB without its closing blank line.
    let mut pieces =
        vec![
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Pad: ")
                .into_bytes(),
        ];
    pieces.extend((0..96).map(|_| vec![b'p'; 1 << 20]));
    let (status, r) = exchange(
        &server.addr,
        &multipart_head(total(&pieces) + 4, ""),
        pieces,
        Duration::from_secs(60),
    );
    assert_eq!(status, 413, "{r}");
    let grown_mib = (server.peak_kib().saturating_sub(before)) / 1024;
    eprintln!("peak RSS growth: {grown_mib} MiB");
    assert!(grown_mib < 48, "peak RSS grew by {grown_mib} MiB");
    still_serves(&server);
}

#[test]
fn data_uris_beyond_the_text_budget_still_upload() {
    let server = Server::start();
    // 12 MiB of bytes as a 16 MiB base64 data URI in a multipart text field: more than
    // all other text fields may carry together, within the data URI limit.
    use base64::Engine as _;
    let bytes: Vec<u8> = (0..12u32 << 20).map(|i| (i % 251) as u8).collect();
    let uri = format!(
        "data:application/octet-stream;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(&bytes)
    );
    let client = cldkit::Client::from_url(&server.url).expect("client");
    let req = client
        .upload_form("placeholder", &cldkit::Map::new())
        .expect("form");
    let mut pieces: Vec<Vec<u8>> = req
        .fields
        .iter()
        .filter(|(k, _)| k != "file")
        .map(|(k, v)| text_part(k, v.as_bytes()))
        .collect();
    pieces.push(text_part("file", uri.as_bytes()));
    pieces.push(format!("--{BOUNDARY}--\r\n").into_bytes());
    let (status, r) = exchange(
        &server.addr,
        &multipart_head(total(&pieces), "").replace("/image/", "/raw/"),
        pieces,
        Duration::from_secs(60),
    );
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["bytes"].as_u64(), Some(bytes.len() as u64), "{r}");
}

fn cldkit_now() -> String {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string()
}
