//! Remote `file` URLs of uploads: which may be fetched (loopback `http(s)` only, every
//! redirect hop checked again), the client that fetches them (built once, kept in the
//! request state) and the fetch of a data URI or URL into a temporary file.

use std::io::Write;
use std::sync::Arc;

use base64::Engine as _;
use md5::{Digest, Md5};

use crate::error::{ApiError, ApiResult};
use crate::multipart::{temp_from_bytes, Received, MAX_REQUEST_FILE};
use crate::store::Store;

/// How many redirects a remote `file` URL may follow; every hop is checked like the
/// first URL (see [`redirect_allowed`]).
pub const MAX_REDIRECTS: usize = 5;

/// The longest time a remote `file` fetch may take to connect.
pub const FETCH_CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Whether the emulator may fetch `url` for an upload: `http`/`https` to `localhost`
/// or a loopback IP literal (IPv4-mapped IPv6 loopback included), nothing else.
pub fn fetchable(url: &url::Url) -> bool {
    matches!(url.scheme(), "http" | "https")
        && match url.host() {
            Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => crate::loopback::is_loopback(ip.into()),
            None => false,
        }
}

/// The redirect policy of remote `file` fetches, decided before the next hop is
/// connected to: `next` must itself be [`fetchable`] and at most [`MAX_REDIRECTS`]
/// redirects (`previous` URLs so far, the first one included) may be followed.
pub fn redirect_allowed(next: &url::Url, previous: usize) -> Result<(), String> {
    if !fetchable(next) {
        return Err(format!(
            "redirect to {next} refused: the emulator fetches loopback URLs only"
        ));
    }
    if previous > MAX_REDIRECTS {
        return Err(format!("more than {MAX_REDIRECTS} redirects"));
    }
    Ok(())
}

/// Resolves `localhost` to the loopback addresses without asking any resolver, and
/// refuses every other name (only `localhost` passes [`fetchable`]; IP literals are
/// not resolved).
struct LoopbackResolver;

impl reqwest::dns::Resolve for LoopbackResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().trim_end_matches('.').to_ascii_lowercase();
        Box::pin(async move {
            if host != "localhost" {
                return Err(format!("{host} is not a loopback name").into());
            }
            let addrs: reqwest::dns::Addrs = Box::new(
                [
                    std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
                    std::net::SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, 0)),
                ]
                .into_iter(),
            );
            Ok(addrs)
        })
    }
}

/// The HTTP client of remote `file` fetches: redirects re-checked hop by hop
/// ([`redirect_allowed`]), `localhost` resolved to loopback only, no proxy (a proxy
/// would make the request leave the machine), a connect timeout of
/// [`FETCH_CONNECT_TIMEOUT`] and `timeout` for the whole fetch.
pub fn fetch_client(timeout: std::time::Duration) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::custom(
            |attempt| match redirect_allowed(attempt.url(), attempt.previous().len()) {
                Ok(()) => attempt.follow(),
                Err(why) => attempt.error(why),
            },
        ))
        .no_proxy()
        .dns_resolver(Arc::new(LoopbackResolver))
        .connect_timeout(FETCH_CONNECT_TIMEOUT.min(timeout))
        .timeout(timeout)
        .build()
}

/// An error and its sources, `: `-separated (reqwest's own text omits the cause).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        cur = s.source();
    }
    out
}

/// Loads a `file` given as text: a base64 data URI or a loopback `http(s)` URL
/// (fetched with `client`, made by [`fetch_client`], at most [`MAX_REQUEST_FILE`]
/// bytes) into a temporary file of `store`.
pub async fn fetch_text_file(
    client: Option<&reqwest::Client>,
    store: &Store,
    file: &str,
) -> ApiResult<Received> {
    if let Some(rest) = file.strip_prefix("data:") {
        let (_, b64) = rest.split_once(";base64,").ok_or_else(|| {
            ApiError::bad_request("Invalid data URI: only base64 data URIs are supported")
        })?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .map_err(|e| ApiError::bad_request(format!("Invalid data URI: {e}")))?;
        return temp_from_bytes(store, &bytes, None);
    }
    if file.starts_with("http://") || file.starts_with("https://") {
        let url = reqwest::Url::parse(file)
            .map_err(|e| ApiError::bad_request(format!("Error in loading {file} - {e}")))?;
        if !fetchable(&url) {
            return Err(ApiError::bad_request(format!(
                "Error in loading {file} - the emulator fetches loopback URLs only"
            )));
        }
        let client =
            client.ok_or_else(|| ApiError::internal("the remote fetch client is unavailable"))?;
        let failed = |e: &dyn std::error::Error| {
            ApiError::bad_request(format!("Error in loading {file} - {}", error_chain(e)))
        };
        let resp = client
            .get(url.clone())
            .send()
            .await
            .map_err(|e| failed(&e))?;
        if !resp.status().is_success() {
            return Err(ApiError::bad_request(format!(
                "Error in loading {file} - {}",
                resp.status()
            )));
        }
        if let Some(n) = resp.content_length().filter(|n| *n > MAX_REQUEST_FILE) {
            return Err(ApiError::bad_request(format!(
                "File size too large. Got {n}. Maximum is {MAX_REQUEST_FILE}."
            )));
        }
        let name = url
            .path_segments()
            .and_then(|mut s| s.next_back())
            .map(str::to_owned);
        let path = store.temp_path();
        let mut f = std::fs::File::create(&path)?;
        let mut hasher = Md5::new();
        let mut size = 0u64;
        let mut resp = resp;
        loop {
            let chunk = match resp.chunk().await {
                Ok(Some(c)) => c,
                Ok(None) => break,
                Err(e) => {
                    let _ = std::fs::remove_file(&path);
                    return Err(failed(&e));
                }
            };
            size += chunk.len() as u64;
            if size > MAX_REQUEST_FILE {
                let _ = std::fs::remove_file(&path);
                return Err(ApiError::bad_request(format!(
                    "File size too large. Got {size}. Maximum is {MAX_REQUEST_FILE}."
                )));
            }
            if let Err(e) = f.write_all(&chunk) {
                let _ = std::fs::remove_file(&path);
                return Err(e.into());
            }
            hasher.update(&chunk);
        }
        if let Err(e) = f.sync_data() {
            let _ = std::fs::remove_file(&path);
            return Err(e.into());
        }
        return Ok(Received {
            path,
            filename: name,
            size,
            md5: hex::encode(hasher.finalize()),
        });
    }
    Err(ApiError::bad_request(format!(
        "Error in loading {file} - only file parts, base64 data URIs and loopback URLs are supported by the emulator"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_hops_stay_on_loopback() {
        let u = |s: &str| url::Url::parse(s).unwrap();
        for ok in [
            "http://127.0.0.1:9/a.png",
            "https://127.200.0.1/a",
            "http://localhost:80/x",
            "http://LOCALHOST/x",
            "http://[::1]:9/x",
            "http://[::ffff:127.0.0.1]/x",
        ] {
            assert!(fetchable(&u(ok)), "{ok}");
            assert_eq!(redirect_allowed(&u(ok), 1), Ok(()), "{ok}");
        }
        for bad in [
            "http://0.0.0.0:9/x",
            "http://10.0.0.1/x",
            "http://169.254.169.254/latest/meta-data",
            "http://[::]/x",
            "http://example.com/x",
            "http://localhost.example.com/x",
            "http://127.0.0.1.nip.io/x",
            "ftp://127.0.0.1/x",
            "file:///etc/passwd",
        ] {
            assert!(!fetchable(&u(bad)), "{bad}");
            let e = redirect_allowed(&u(bad), 1).unwrap_err();
            assert!(e.contains("loopback URLs only"), "{e}");
        }
        assert!(redirect_allowed(&u("http://127.0.0.1/x"), MAX_REDIRECTS).is_ok());
        assert!(redirect_allowed(&u("http://127.0.0.1/x"), MAX_REDIRECTS + 1).is_err());
    }

    #[test]
    fn the_loopback_resolver_resolves_localhost_only() {
        use reqwest::dns::Resolve as _;
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let resolve = |name: &str| {
            let name: reqwest::dns::Name = name.parse().unwrap();
            rt.block_on(LoopbackResolver.resolve(name))
                .map(|addrs| addrs.collect::<Vec<_>>())
        };
        let addrs = resolve("localhost").unwrap();
        assert!(!addrs.is_empty() && addrs.iter().all(|a| a.ip().is_loopback()));
        assert!(resolve("example.com").is_err());
    }
}
