//! Remote `file` URLs (security review, finding 5): every redirect hop is checked like
//! the first URL before it is connected to, the fetch has a timeout and a size bound.
//! All traffic stays on this machine: the hostile hop is `0.0.0.0`, which Linux
//! connects to the local host, so a follower would reach the counting listener.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use cldkit_emulator::EmulatorConfig;
use common::*;
use serde_json::Value as Json;

/// A loopback HTTP server answering every request with `answer(path)` (raw response
/// bytes; `None` = read the request and never answer); counts connections.
struct Server {
    port: u16,
    accepted: Arc<AtomicUsize>,
}

impl Server {
    fn start(answer: impl Fn(&str) -> Option<Vec<u8>> + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let accepted = Arc::new(AtomicUsize::new(0));
        let count = accepted.clone();
        let answer = Arc::new(answer);
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(mut conn) = conn else { return };
                count.fetch_add(1, Ordering::SeqCst);
                let answer = answer.clone();
                std::thread::spawn(move || {
                    let mut req = Vec::new();
                    let mut buf = [0u8; 4096];
                    while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                        match conn.read(&mut buf) {
                            Ok(0) | Err(_) => return,
                            Ok(n) => req.extend_from_slice(&buf[..n]),
                        }
                    }
                    let text = String::from_utf8_lossy(&req);
                    let path = text.split(' ').nth(1).unwrap_or("/").to_owned();
                    match answer(&path) {
                        Some(bytes) => {
                            let _ = conn.write_all(&bytes);
                        }
                        None => std::thread::sleep(Duration::from_secs(20)),
                    }
                });
            }
        });
        Server { port, accepted }
    }

    fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

fn redirect(to: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .into_bytes()
}

fn ok(body: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    r.extend_from_slice(body);
    r
}

/// A signed upload of the remote `url`.
fn upload_url(client: &cldkit::Client, url: &str) -> (u16, Json) {
    let req = client.upload_form(url, &opts("{}")).expect("form");
    post_form(&req, None, &[])
}

#[test]
fn a_redirect_off_loopback_is_refused_before_connecting() {
    let (_emu, client) = start(EmulatorConfig::default());
    let png = png(3, 2);
    let target = Server::start(move |_| Some(ok(&png)));
    let hop = format!("http://0.0.0.0:{}/secret.png", target.port);
    let first = Server::start(move |_| Some(redirect(&hop)));
    let (status, r) = upload_url(
        &client,
        &format!("http://127.0.0.1:{}/start.png", first.port),
    );
    assert_eq!(status, 400, "{r}");
    let msg = r["error"]["message"].as_str().unwrap_or("");
    assert!(msg.contains("loopback URLs only"), "{r}");
    assert_eq!(first.accepted(), 1);
    assert_eq!(target.accepted(), 0, "the refused hop was connected to");
    // The same URL as the first one is refused without any connection either.
    let (status, _) = upload_url(&client, &format!("http://0.0.0.0:{}/x.png", target.port));
    assert_eq!(status, 400);
    assert_eq!(target.accepted(), 0);
}

#[test]
fn loopback_redirects_are_followed_a_few_times() {
    let (_emu, client) = start(EmulatorConfig::default());
    let png = png(3, 2);
    let target = Server::start(move |_| Some(ok(&png)));
    let hop = format!("http://localhost:{}/final.png", target.port);
    let first = Server::start(move |_| Some(redirect(&hop)));
    let (status, r) = upload_url(
        &client,
        &format!("http://127.0.0.1:{}/start.png", first.port),
    );
    assert_eq!(status, 200, "{r}");
    assert_eq!(
        (r["width"].as_u64(), r["height"].as_u64()),
        (Some(3), Some(2))
    );
    assert_eq!(r["original_filename"], "start", "{r}");
    // A redirect loop ends after a bounded number of hops.
    let port = Arc::new(AtomicUsize::new(0));
    let p = port.clone();
    let looping = Server::start(move |_| {
        Some(redirect(&format!(
            "http://127.0.0.1:{}/again.png",
            p.load(Ordering::SeqCst)
        )))
    });
    port.store(looping.port as usize, Ordering::SeqCst);
    let (status, r) = upload_url(&client, &format!("http://127.0.0.1:{}/a.png", looping.port));
    assert_eq!(status, 400, "{r}");
    assert!(looping.accepted() <= 1 + cldkit_emulator::remote::MAX_REDIRECTS);
}

#[test]
fn remote_fetches_are_bounded_in_time_and_size() {
    let (_emu, client) = start(EmulatorConfig {
        remote_fetch_timeout: Duration::from_secs(1),
        ..EmulatorConfig::default()
    });
    // A server that never answers: the fetch gives up after the timeout.
    let silent = Server::start(|_| None);
    let t = Instant::now();
    let (status, r) = upload_url(
        &client,
        &format!("http://127.0.0.1:{}/slow.png", silent.port),
    );
    assert_eq!(status, 400, "{r}");
    assert!(t.elapsed() < Duration::from_secs(15), "{:?}", t.elapsed());
    // A body announced as larger than an upload may be: refused on its length.
    let huge = Server::start(|_| {
        Some(
            b"HTTP/1.1 200 OK\r\nContent-Length: 1000000000\r\nConnection: close\r\n\r\nabc"
                .to_vec(),
        )
    });
    let (status, r) = upload_url(&client, &format!("http://127.0.0.1:{}/huge.bin", huge.port));
    assert_eq!(status, 400, "{r}");
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap_or("")
            .starts_with("File size too large. Got 1000000000."),
        "{r}"
    );
}
