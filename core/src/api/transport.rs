//! One HTTP connection pool per [`Client`]: timeouts, proxy and User-Agent from the
//! configuration, requests rebuilt for every attempt, and answers turned into
//! [`ApiResponse`] or [`ApiError`].

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::errors::{transport_error, ApiError, ApiErrorKind};
use super::progress::Progress;
use super::response::{header_str, parse_reset, ApiResponse, RateLimit};
use super::runtime::BlockingRuntime;
use crate::client::Clock;
use crate::upload::UploadRequest;
use crate::{Client, Map, Value};

/// Default connect timeout (seconds) when `connect_timeout` is not configured.
pub const DEFAULT_CONNECT_TIMEOUT: f64 = 30.0;
/// Default stall timeout (seconds without receiving a byte) when `read_timeout` is not
/// configured.
pub const DEFAULT_READ_TIMEOUT: f64 = 60.0;
/// Default total time (seconds) for one attempt of a request, from connecting to the
/// last byte of the answer, when `timeout` is not configured. A request that carries a
/// file part (an upload, a chunk) gets [`DEFAULT_UPLOAD_RATE`] time on top for its
/// bytes.
pub const DEFAULT_TIMEOUT: f64 = 300.0;
/// The slowest upload speed (bytes per second) the default deadline allows for: a
/// request carrying `n` file bytes has [`DEFAULT_TIMEOUT`] `+ n / DEFAULT_UPLOAD_RATE`
/// seconds when `timeout` is not configured (a 20 MB chunk: about 605 s).
pub const DEFAULT_UPLOAD_RATE: u64 = 64 * 1024;
/// Default cap (bytes) on the body of one answer when `max_response_bytes` is not
/// configured: 64 MiB, far above the largest Admin API answers (500 resources with
/// their metadata are a few MiB).
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;

/// How a client's connections are set up, read from its configuration.
#[derive(Clone, PartialEq)]
pub struct HttpSettings {
    /// `connect_timeout` (seconds): establishing a connection (TCP + TLS).
    pub connect_timeout: Duration,
    /// `read_timeout` (seconds): the longest wait for the next byte of an answer.
    pub read_timeout: Duration,
    /// `timeout` (seconds): the whole request, each attempt, from connecting to the
    /// last byte of the answer; `None` = the default ([`DEFAULT_TIMEOUT`], plus time
    /// for the file bytes of an upload at [`DEFAULT_UPLOAD_RATE`]).
    pub timeout: Option<Duration>,
    /// `max_response_bytes`: the largest answer body accepted; `None` = the default
    /// ([`DEFAULT_MAX_RESPONSE_BYTES`]). A larger answer fails with
    /// [`ApiErrorKind::Response`].
    pub max_response_bytes: Option<u64>,
    /// `api_proxy`: a proxy URL for every API call (else the standard `HTTP_PROXY`,
    /// `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY` variables apply).
    pub proxy: Option<String>,
    /// The `User-Agent` header ([`Client::user_agent`]).
    pub user_agent: String,
}

impl fmt::Debug for HttpSettings {
    /// Shows the proxy without the credentials a proxy URL may carry.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let proxy = self
            .proxy
            .as_deref()
            .map(|p| crate::redact::printable_str("api_proxy", p));
        f.debug_struct("HttpSettings")
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("timeout", &self.timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("proxy", &proxy)
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

#[cfg(test)]
mod limit_tests {
    use super::*;

    fn request(file: Option<u64>, timeout: Option<f64>, cap: Option<u64>) -> Request {
        let body = match file {
            None => Body::Empty,
            Some(n) => Body::Multipart(Arc::new(MultipartBody {
                fields: Vec::new(),
                file: Some(FilePayload {
                    filename: "f".into(),
                    mime: "application/octet-stream",
                    data: FileData::Bytes(Bytes::from(vec![0u8; n as usize])),
                }),
                file_field: "file",
            })),
        };
        Request {
            method: reqwest::Method::GET,
            url: "http://127.0.0.1:9/".into(),
            headers: Vec::new(),
            body,
            timeout: timeout.map(Duration::from_secs_f64),
            max_response_bytes: cap,
        }
    }

    fn transport(config: &str) -> Transport {
        let c = Client::from_url(&format!("cloudinary://k:s@c?{config}")).unwrap();
        Transport::new(HttpSettings::from_client(&c).unwrap())
    }

    #[test]
    fn every_request_has_a_total_deadline() {
        let t = transport("");
        // Without any setting: the default, plus time for the file bytes.
        assert_eq!(
            t.deadline(&request(None, None, None)),
            (Duration::from_secs(300), LimitSource::Default)
        );
        let (d, src) = t.deadline(&request(Some(20 * 64 * 1024), None, None));
        assert_eq!((d, src), (Duration::from_secs(320), LimitSource::Default));
        // A 20 MB chunk (the default chunk size) gets about ten minutes.
        let (d, _) = t.deadline(&request(Some(20_000_000), None, None));
        assert!((605.0..606.0).contains(&d.as_secs_f64()), "{d:?}");
        // The setting, then the per-call option, replace it (not scaled).
        let set = transport("timeout=7");
        assert_eq!(
            set.deadline(&request(Some(20_000_000), None, None)),
            (Duration::from_secs(7), LimitSource::Setting)
        );
        assert_eq!(
            set.deadline(&request(None, Some(2.5), None)),
            (Duration::from_millis(2500), LimitSource::Call)
        );
    }

    #[test]
    fn every_answer_has_a_size_cap() {
        assert_eq!(
            transport("").response_cap(&request(None, None, None)),
            (DEFAULT_MAX_RESPONSE_BYTES, LimitSource::Default)
        );
        let set = transport("max_response_bytes=1000");
        assert_eq!(
            set.response_cap(&request(None, None, None)),
            (1000, LimitSource::Setting)
        );
        assert_eq!(
            set.response_cap(&request(None, None, Some(5))),
            (5, LimitSource::Call)
        );
        for bad in ["0", "-1", "x", "2.5"] {
            let c =
                Client::from_url(&format!("cloudinary://k:s@c?max_response_bytes={bad}")).unwrap();
            let e = HttpSettings::from_client(&c).unwrap_err();
            assert_eq!(e.option(), Some("max_response_bytes"), "{bad}");
        }
        assert_eq!(
            byte_count(Some(&Value::Float(1e6)), "x").unwrap(),
            Some(1_000_000)
        );
    }

    #[test]
    fn limit_errors_say_which_limit_and_how_to_change_it() {
        let e = deadline_error(Duration::from_millis(1500), LimitSource::Call);
        assert_eq!(e.kind(), ApiErrorKind::Timeout);
        assert!(e.message().contains("1.5 s") && e.message().contains("`timeout`"));
        let e = too_large_error(100, LimitSource::Default, Some(500), Some("r".into()));
        assert_eq!(e.kind(), ApiErrorKind::Response);
        assert_eq!(e.request_id(), Some("r"));
        assert!(e.message().contains("500 bytes") && e.message().contains("`max_response_bytes`"));
    }
}

#[cfg(test)]
mod debug_tests {
    #[test]
    fn proxy_credentials_stay_out_of_debug() {
        let s = super::HttpSettings {
            connect_timeout: std::time::Duration::from_secs(1),
            read_timeout: std::time::Duration::from_secs(1),
            timeout: None,
            max_response_bytes: None,
            proxy: Some("http://user:pa55word@proxy.local:3128".into()),
            user_agent: "x".into(),
        };
        let d = format!("{s:?}");
        assert!(
            !d.contains("pa55word") && d.contains("proxy.local:3128"),
            "{d}"
        );
        // reqwest also accepts a proxy without a scheme.
        let s = super::HttpSettings {
            proxy: Some("user:pa55word@proxy.local:3128".into()),
            ..s
        };
        let d = format!("{s:?}");
        assert!(
            !d.contains("pa55word") && d.contains("proxy.local:3128"),
            "{d}"
        );
    }
}

impl HttpSettings {
    /// The settings of `client`'s configuration.
    pub fn from_client(client: &Client) -> Result<Self, ApiError> {
        let c = client.config();
        Ok(HttpSettings {
            connect_timeout: seconds(c.get("connect_timeout"), "connect_timeout")?
                .unwrap_or(Duration::from_secs_f64(DEFAULT_CONNECT_TIMEOUT)),
            read_timeout: seconds(c.get("read_timeout"), "read_timeout")?
                .unwrap_or(Duration::from_secs_f64(DEFAULT_READ_TIMEOUT)),
            timeout: seconds(c.get("timeout"), "timeout")?,
            max_response_bytes: byte_count(c.get("max_response_bytes"), "max_response_bytes")?,
            proxy: c
                .get("api_proxy")
                .filter(|v| v.truthy())
                .map(|v| v.py_str().into_owned()),
            user_agent: client.user_agent(),
        })
    }
}

/// A duration in seconds from an option value (number or numeric string); `None`
/// when absent, null or empty.
pub(crate) fn seconds(v: Option<&Value>, name: &str) -> Result<Option<Duration>, ApiError> {
    let bad = || {
        ApiError::from(crate::Error::invalid_option(
            name,
            "expected a positive number of seconds",
        ))
    };
    let secs = match v {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Str(s)) if s.trim().is_empty() => return Ok(None),
        Some(Value::Int(i)) => *i as f64,
        Some(Value::Float(f)) => *f,
        Some(Value::Str(s)) => s.trim().parse::<f64>().map_err(|_| bad())?,
        Some(_) => return Err(bad()),
    };
    if !secs.is_finite() || secs <= 0.0 || secs > 1e9 {
        return Err(bad());
    }
    Ok(Some(Duration::from_secs_f64(secs)))
}

/// A positive whole number of bytes from an option value (integer, integral float or
/// numeric string); `None` when absent, null or empty.
pub(crate) fn byte_count(v: Option<&Value>, name: &str) -> Result<Option<u64>, ApiError> {
    let bad = || {
        ApiError::from(crate::Error::invalid_option(
            name,
            "expected a positive whole number of bytes",
        ))
    };
    let n = match v {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Str(s)) if s.trim().is_empty() => return Ok(None),
        Some(Value::Int(i)) => u64::try_from(*i).map_err(|_| bad())?,
        Some(Value::Float(f)) if f.fract() == 0.0 && *f >= 1.0 && *f < 1.8e19 => *f as u64,
        Some(Value::Str(s)) => s.trim().parse::<u64>().map_err(|_| bad())?,
        Some(_) => return Err(bad()),
    };
    if n == 0 {
        return Err(bad());
    }
    Ok(Some(n))
}

/// The HTTP machinery of one client: settings, the connection pool of the current
/// process and the runtime of blocking callers.
pub struct Transport {
    settings: HttpSettings,
    pool: Mutex<Option<(u32, reqwest::Client)>>,
    pub(crate) runtime: BlockingRuntime,
    pub(crate) oauth: OAuthTokens,
    /// The client's clock ([`Client::with_clock`]); the system clock when `None`.
    clock: Option<Clock>,
}

/// A client's OAuth refresh hook (see [`Client::with_oauth_refresh`]): given the token
/// the server refused, the token to use instead, or `None` to give up.
pub type OAuthRefreshFn = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// The refresh hook and the tokens it replaced: `(refused, current)` pairs, so every
/// later request that carries a refused token is sent with its replacement.
#[derive(Default)]
pub(crate) struct OAuthTokens {
    refresh: Option<OAuthRefreshFn>,
    replaced: Mutex<Vec<(String, String)>>,
}

impl OAuthTokens {
    /// The `Authorization` value to send instead of the request's bearer token, when
    /// that token was replaced.
    pub(crate) fn replacement(&self, req: &Request) -> Option<HeaderValue> {
        // Tokens are only ever replaced through the hook: without one, no lock.
        self.refresh.as_ref()?;
        let token = bearer(req)?;
        let replaced = self.replaced.lock().unwrap_or_else(|p| p.into_inner());
        let (_, current) = replaced.iter().find(|(old, _)| old == token)?;
        bearer_header(current)
    }

    /// Asks the hook for a token to replace `refused` (on a blocking thread: the hook
    /// may call out); records the replacement and returns its header.
    pub(crate) async fn refresh(&self, refused: &str) -> Option<HeaderValue> {
        let hook = self.refresh.clone()?;
        let old = refused.to_owned();
        let new = tokio::task::spawn_blocking(move || hook(&old))
            .await
            .ok()
            .flatten()
            .filter(|t| !t.is_empty())?;
        let header = bearer_header(&new)?;
        if new == refused {
            // The same token again (it may have been renewed server-side): retry as is.
            return Some(header);
        }
        let mut replaced = self.replaced.lock().unwrap_or_else(|p| p.into_inner());
        for (_, current) in replaced.iter_mut() {
            if current == refused {
                *current = new.clone();
            }
        }
        if !replaced.iter().any(|(old, _)| old == refused) {
            replaced.push((refused.to_owned(), new));
        }
        Some(header)
    }
}

/// The bearer token of a request, if it carries one.
pub(crate) fn bearer(req: &Request) -> Option<&str> {
    req.headers
        .iter()
        .find(|(k, _)| k == reqwest::header::AUTHORIZATION)
        .and_then(|(_, v)| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
}

fn bearer_header(token: &str) -> Option<HeaderValue> {
    let mut v = HeaderValue::from_str(&format!("Bearer {token}")).ok()?;
    v.set_sensitive(true);
    Some(v)
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("settings", &self.settings)
            .finish()
    }
}

impl Transport {
    /// A transport with `settings` (connections are opened on first use).
    pub fn new(settings: HttpSettings) -> Self {
        Transport {
            settings,
            pool: Mutex::new(None),
            runtime: BlockingRuntime::default(),
            oauth: OAuthTokens::default(),
            clock: None,
        }
    }

    /// The same transport reading `clock` (Unix seconds) for rate-limit waits.
    pub(crate) fn with_clock(mut self, clock: Option<Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The current Unix time in seconds, from the client's clock if it has one.
    pub(crate) fn now(&self) -> i64 {
        match &self.clock {
            Some(c) => c(),
            None => system_now(),
        }
    }

    /// The same transport calling `refresh` when the server refuses an OAuth token
    /// (HTTP 401): the request is sent again once with the new token, and later
    /// requests carrying the refused token send the new one.
    pub fn with_oauth_refresh(mut self, refresh: Option<OAuthRefreshFn>) -> Self {
        self.oauth.refresh = refresh;
        self
    }

    /// The settings.
    pub fn settings(&self) -> &HttpSettings {
        &self.settings
    }

    /// The total time one attempt of `req` may take, and where that limit comes from:
    /// the per-call `timeout`, else the configured one, else [`DEFAULT_TIMEOUT`] plus
    /// the file bytes at [`DEFAULT_UPLOAD_RATE`].
    pub(crate) fn deadline(&self, req: &Request) -> (Duration, LimitSource) {
        if let Some(t) = req.timeout {
            return (t, LimitSource::Call);
        }
        if let Some(t) = self.settings.timeout {
            return (t, LimitSource::Setting);
        }
        let extra = Duration::from_secs_f64(req.file_len() as f64 / DEFAULT_UPLOAD_RATE as f64);
        (
            Duration::from_secs_f64(DEFAULT_TIMEOUT) + extra,
            LimitSource::Default,
        )
    }

    /// The largest answer body accepted for `req`, and where that limit comes from.
    pub(crate) fn response_cap(&self, req: &Request) -> (u64, LimitSource) {
        match (req.max_response_bytes, self.settings.max_response_bytes) {
            (Some(n), _) => (n, LimitSource::Call),
            (None, Some(n)) => (n, LimitSource::Setting),
            (None, None) => (DEFAULT_MAX_RESPONSE_BYTES, LimitSource::Default),
        }
    }

    /// The pooled reqwest client of this process (rebuilt after a `fork()`, whose
    /// inherited connections belong to the parent).
    pub(crate) fn http(&self) -> Result<reqwest::Client, ApiError> {
        let pid = std::process::id();
        let mut slot = self.pool.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((owner, c)) = slot.as_ref() {
            if *owner == pid {
                return Ok(c.clone());
            }
        }
        if let Some((_, stale)) = slot.take() {
            std::mem::forget(stale);
        }
        let s = &self.settings;
        let mut b = reqwest::Client::builder()
            .user_agent(s.user_agent.clone())
            .connect_timeout(s.connect_timeout)
            .read_timeout(s.read_timeout)
            .pool_idle_timeout(Duration::from_secs(60))
            .tcp_keepalive(Duration::from_secs(60))
            .tcp_nodelay(true);
        if let Some(p) = &s.proxy {
            let proxy = reqwest::Proxy::all(p.as_str()).map_err(|_| {
                ApiError::from(crate::Error::config_option(
                    "api_proxy",
                    "not a valid proxy URL",
                ))
            })?;
            b = b.proxy(proxy);
        }
        let c = b
            .build()
            .map_err(|e| ApiError::new(ApiErrorKind::Invalid, e.to_string()))?;
        *slot = Some((pid, c.clone()));
        Ok(c)
    }
}

pub(crate) use crate::client::system_now;

/// The transport of `client`, kept in the client (clones of a client share one
/// connection pool; `with_clock` and `with_oauth_refresh` start a new one).
pub(crate) fn transport(client: &Client) -> Result<Arc<Transport>, ApiError> {
    if let Some(t) = client.http.get() {
        return Ok(t.clone());
    }
    let t = Arc::new(
        Transport::new(HttpSettings::from_client(client)?)
            .with_oauth_refresh(client.oauth_refresh.clone())
            .with_clock(client.clock.clone()),
    );
    Ok(client.http.get_or_init(|| t).clone())
}

/// The body of one request, kept so that every attempt can rebuild it.
#[derive(Clone, Debug)]
pub(crate) enum Body {
    /// No body.
    Empty,
    /// A JSON document.
    Json(Bytes),
    /// A `multipart/form-data` form.
    Multipart(Arc<MultipartBody>),
}

/// Text fields in order, then an optional file part.
#[derive(Clone, Debug)]
pub(crate) struct MultipartBody {
    pub(crate) fields: Vec<(String, String)>,
    pub(crate) file: Option<FilePayload>,
    /// The name of the file part (`file` for uploads, `image_file` for visual search).
    pub(crate) file_field: &'static str,
}

/// The `file` part.
#[derive(Clone, Debug)]
pub(crate) struct FilePayload {
    pub(crate) filename: String,
    pub(crate) mime: &'static str,
    pub(crate) data: FileData,
}

/// Where the file part's bytes come from.
#[derive(Clone, Debug)]
pub(crate) enum FileData {
    /// Bytes in memory.
    Bytes(Bytes),
    /// `len` bytes of a file from `start`, read as they are sent.
    Range {
        path: Arc<PathBuf>,
        start: u64,
        len: u64,
    },
}

impl FileData {
    fn len(&self) -> u64 {
        match self {
            FileData::Bytes(b) => b.len() as u64,
            FileData::Range { len, .. } => *len,
        }
    }
}

/// One HTTP request, rebuildable for each attempt.
#[derive(Clone, Debug)]
pub(crate) struct Request {
    pub(crate) method: reqwest::Method,
    pub(crate) url: String,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) body: Body,
    /// Per-call total timeout (overrides the configured `timeout`).
    pub(crate) timeout: Option<Duration>,
    /// Per-call cap on the answer body (overrides the configured `max_response_bytes`).
    pub(crate) max_response_bytes: Option<u64>,
}

impl Request {
    /// Bytes of the file part, if the request has one.
    fn file_len(&self) -> u64 {
        match &self.body {
            Body::Multipart(m) => m.file.as_ref().map_or(0, |f| f.data.len()),
            _ => 0,
        }
    }
}

/// Where a limit of one request comes from, for the error message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LimitSource {
    /// The per-call option.
    Call,
    /// The client's configuration.
    Setting,
    /// The built-in default.
    Default,
}

/// `secs` for a message: whole seconds plainly, else to the millisecond.
fn show_secs(d: Duration) -> String {
    let ms = d.as_millis();
    if ms % 1000 == 0 {
        format!("{}", ms / 1000)
    } else {
        format!("{}", ms as f64 / 1000.0)
    }
}

/// Size of the reads that feed a file part.
const READ_BUF: usize = 1 << 20;

/// The bytes one attempt has counted into the progress, and whether it may still
/// count: a failed attempt is closed (its bytes taken back) under the same lock, so a
/// body chunk the HTTP stack pulls after the failure cannot be counted twice.
#[derive(Default)]
pub(crate) struct AttemptCount {
    closed: bool,
    sent: u64,
}

/// Counts `n` bytes of an attempt into `progress`, unless the attempt was closed.
fn count_bytes(progress: &Progress, attempt: &Mutex<AttemptCount>, n: u64) {
    let mut a = attempt.lock().unwrap_or_else(|p| p.into_inner());
    if !a.closed {
        a.sent += n;
        progress.add(n);
    }
}

/// The stream of `len` bytes of `path` from `start`, counting into `progress`.
fn file_stream(
    path: Arc<PathBuf>,
    start: u64,
    len: u64,
    progress: Option<(Progress, Arc<Mutex<AttemptCount>>)>,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static {
    use tokio::io::{AsyncReadExt, AsyncSeekExt};
    struct St {
        file: Option<tokio::fs::File>,
        path: Arc<PathBuf>,
        start: u64,
        left: u64,
    }
    let st = St {
        file: None,
        path,
        start,
        left: len,
    };
    futures_util::stream::unfold(Some(st), move |st| {
        let progress = progress.clone();
        async move {
            let mut st = st?;
            if st.left == 0 {
                return None;
            }
            let step = async {
                if st.file.is_none() {
                    let mut f = tokio::fs::File::open(&*st.path).await?;
                    f.seek(std::io::SeekFrom::Start(st.start)).await?;
                    st.file = Some(f);
                }
                let f = st.file.as_mut().expect("opened above");
                let want = (st.left as usize).min(READ_BUF);
                let mut buf = vec![0u8; want];
                let mut got = 0;
                while got < want {
                    let n = f.read(&mut buf[got..]).await?;
                    if n == 0 {
                        return Err(std::io::Error::new(
                            std::io::ErrorKind::UnexpectedEof,
                            "the file became shorter while it was being uploaded",
                        ));
                    }
                    got += n;
                }
                Ok::<_, std::io::Error>(Bytes::from(buf))
            };
            match step.await {
                Ok(b) => {
                    st.left -= b.len() as u64;
                    if let Some((p, attempt)) = &progress {
                        count_bytes(p, attempt, b.len() as u64);
                    }
                    Some((Ok(b), Some(st)))
                }
                Err(e) => Some((Err(e), None)),
            }
        }
    })
}

/// The MIME type pycloudinary would guess from a file name's extension.
pub(crate) fn guess_mime(filename: &str) -> &'static str {
    let ext = filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" | "jpe" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "bmp" => "image/bmp",
        "tif" | "tiff" => "image/tiff",
        "ico" => "image/vnd.microsoft.icon",
        "avif" => "image/avif",
        "heic" => "image/heic",
        "pdf" => "application/pdf",
        "json" => "application/json",
        "zip" => "application/zip",
        "txt" => "text/plain",
        "csv" => "text/csv",
        "html" | "htm" => "text/html",
        "mp4" => "video/mp4",
        "mov" => "video/quicktime",
        "webm" => "video/webm",
        "avi" => "video/x-msvideo",
        "mp3" => "audio/mpeg",
        "wav" => "audio/x-wav",
        _ => "application/octet-stream",
    }
}

impl Transport {
    /// Sends `req` once; `progress` counts the file bytes streamed by this attempt.
    pub(crate) async fn send_once(
        &self,
        req: &Request,
        progress: Option<&Progress>,
        authorization: Option<&HeaderValue>,
    ) -> Result<ApiResponse, ApiError> {
        let http = self.http()?;
        let mut b = http.request(req.method.clone(), &req.url);
        let mut headers = HeaderMap::with_capacity(req.headers.len());
        for (k, v) in &req.headers {
            match authorization {
                Some(a) if k == reqwest::header::AUTHORIZATION => {
                    headers.append(k.clone(), a.clone())
                }
                _ => headers.append(k.clone(), v.clone()),
            };
        }
        b = b.headers(headers);
        // The total deadline is enforced below, around the whole exchange (the answer
        // body included), so that its error can say which limit fired.
        let (deadline, deadline_source) = self.deadline(req);
        let cap = self.response_cap(req);
        let sent = Arc::new(Mutex::new(AttemptCount::default()));
        match &req.body {
            Body::Empty => {}
            Body::Json(j) => {
                b = b
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(j.clone());
            }
            Body::Multipart(m) => {
                let mut form = reqwest::multipart::Form::new();
                for (k, v) in &m.fields {
                    form = form.text(k.clone(), v.clone());
                }
                if let Some(f) = &m.file {
                    let counting = progress.filter(|p| p.active()).cloned();
                    let len = f.data.len();
                    let body = match &f.data {
                        FileData::Bytes(bytes) => match counting {
                            None => reqwest::Body::from(bytes.clone()),
                            Some(p) => {
                                let pieces = bytes_pieces(bytes.clone());
                                let sent = sent.clone();
                                reqwest::Body::wrap_stream(futures_util::stream::iter(pieces).map(
                                    move |b| {
                                        count_bytes(&p, &sent, b.len() as u64);
                                        Ok::<_, std::io::Error>(b)
                                    },
                                ))
                            }
                        },
                        FileData::Range { path, start, len } => {
                            reqwest::Body::wrap_stream(file_stream(
                                path.clone(),
                                *start,
                                *len,
                                counting.map(|p| (p, sent.clone())),
                            ))
                        }
                    };
                    let part = reqwest::multipart::Part::stream_with_length(body, len)
                        .file_name(f.filename.clone())
                        .mime_str(f.mime)
                        .map_err(|e| ApiError::new(ApiErrorKind::Invalid, e.to_string()))?;
                    form = form.part(m.file_field, part);
                }
                b = b.multipart(form);
            }
        }
        let exchange = async {
            let resp = b
                .send()
                .await
                .map_err(|e| self.explain_timeout(&e, transport_error(&e)))?;
            read_response(resp, cap, self.now(), |e| {
                self.explain_timeout(e, transport_error(e))
            })
            .await
        };
        let result = match tokio::time::timeout(deadline, exchange).await {
            Ok(r) => r,
            Err(_) => Err(deadline_error(deadline, deadline_source)),
        };
        if result.is_err() {
            if let Some(p) = progress {
                let mut a = sent.lock().unwrap_or_else(|p| p.into_inner());
                a.closed = true;
                if a.sent > 0 {
                    p.sub(a.sent);
                    a.sent = 0;
                }
            }
        }
        result
    }
}

impl Transport {
    /// A timeout of the connection or of a read says which setting fired.
    fn explain_timeout(&self, e: &reqwest::Error, err: ApiError) -> ApiError {
        if err.kind() != ApiErrorKind::Timeout {
            return err;
        }
        let (name, d, what) = if e.is_connect() {
            (
                "connect_timeout",
                self.settings.connect_timeout,
                "no connection",
            )
        } else {
            (
                "read_timeout",
                self.settings.read_timeout,
                "no data from the server",
            )
        };
        let message = format!(
            "{} ({what} for `{name}` = {} s; raise the `{name}` setting, in seconds, to wait longer)",
            err.message(),
            show_secs(d)
        );
        ApiError::new(ApiErrorKind::Timeout, message)
    }
}

/// The error of an attempt that outlived its total deadline.
fn deadline_error(d: Duration, source: LimitSource) -> ApiError {
    let limit = match source {
        LimitSource::Call => "the `timeout` of this call",
        LimitSource::Setting => "the configured `timeout`",
        LimitSource::Default => "the default `timeout`",
    };
    ApiError::new(
        ApiErrorKind::Timeout,
        format!(
            "the request did not complete within {limit} ({} s, from connecting to the last \
             byte of the answer); set `timeout` (seconds, per call or in the configuration) \
             to allow more",
            show_secs(d)
        ),
    )
}

/// The error of an answer larger than the cap.
fn too_large_error(
    cap: u64,
    source: LimitSource,
    declared: Option<u64>,
    request_id: Option<String>,
) -> ApiError {
    let limit = match source {
        LimitSource::Call => "the `max_response_bytes` of this call",
        LimitSource::Setting => "the configured `max_response_bytes`",
        LimitSource::Default => "the default `max_response_bytes`",
    };
    let what = match declared {
        Some(n) => format!(
            "the server's answer declares {n} bytes (Content-Length), more than {limit} \
             ({cap} bytes); not read"
        ),
        None => format!("the server's answer grew past {limit} ({cap} bytes); stopped reading it"),
    };
    ApiError::new(
        ApiErrorKind::Response,
        format!(
            "{what}. Set `max_response_bytes` (per call or in the configuration) to accept \
             larger answers"
        ),
    )
    .with_request_id(request_id)
}

/// Reads the body of an answer, refusing more than `cap` bytes: at once when the
/// declared `Content-Length` is larger, else as soon as the bytes read pass it.
async fn read_capped(
    mut resp: reqwest::Response,
    (cap, source): (u64, LimitSource),
    request_id: &Option<String>,
    on_error: impl Fn(&reqwest::Error) -> ApiError,
) -> Result<Bytes, ApiError> {
    let declared = resp.content_length();
    if let Some(n) = declared.filter(|&n| n > cap) {
        return Err(too_large_error(cap, source, Some(n), request_id.clone()));
    }
    // A declared length is at most the cap here; preallocate no more than 1 MiB on
    // its word alone.
    let mut buf = bytes::BytesMut::with_capacity(declared.unwrap_or(0).min(1 << 20) as usize);
    while let Some(chunk) = resp.chunk().await.map_err(|e| on_error(&e))? {
        if (buf.len() + chunk.len()) as u64 > cap {
            return Err(too_large_error(cap, source, None, request_id.clone()));
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf.freeze())
}

/// Splits bytes into 1 MiB pieces (cheap `Bytes` slices) for progress counting.
fn bytes_pieces(b: Bytes) -> Vec<Bytes> {
    let mut out = Vec::with_capacity(b.len() / READ_BUF + 1);
    let mut i = 0;
    while i < b.len() {
        let j = (i + READ_BUF).min(b.len());
        out.push(b.slice(i..j));
        i = j;
    }
    out
}

/// Reads an answer: JSON expected; a body with an `error` member is a failure
/// whatever the status (the SDKs' rule); so is a non-JSON body.
async fn read_response(
    resp: reqwest::Response,
    cap: (u64, LimitSource),
    now: i64,
    on_error: impl Fn(&reqwest::Error) -> ApiError,
) -> Result<ApiResponse, ApiError> {
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let request_id = header_str(&headers, "x-request-id");
    let rate_limit = RateLimit::from_headers(&headers);
    let reset_at = rate_limit
        .as_ref()
        .and_then(|r| r.reset_at)
        .or_else(|| retry_after(&headers, now));
    let body = read_capped(resp, cap, &request_id, on_error).await?;
    let parsed: Result<Value, _> = serde_json::from_slice(&body);
    match parsed {
        Ok(Value::Map(map)) => {
            if let Some(err) = map.get("error") {
                let message = error_message(err);
                let code = if (200..300).contains(&status) {
                    400
                } else {
                    status
                };
                return Err(ApiError::http(code, message, request_id).with_reset_at(reset_at));
            }
            if status >= 400 {
                return Err(ApiError::http(
                    status,
                    format!("Server returned unexpected status code - {status}"),
                    request_id,
                )
                .with_reset_at(reset_at));
            }
            Ok(ApiResponse {
                status,
                body: Value::Map(map),
                request_id,
                rate_limit,
            })
        }
        Ok(other) if status < 400 => Ok(ApiResponse {
            status,
            body: other,
            request_id,
            rate_limit,
        }),
        _ => {
            let mut snippet: String = String::from_utf8_lossy(&body[..body.len().min(200)])
                .chars()
                .filter(|c| !c.is_control())
                .collect();
            if body.len() > 200 {
                snippet.push('…');
            }
            let message = format!("Error parsing server response ({status}) - {snippet}");
            let mut e = ApiError::http(status, message, request_id).with_reset_at(reset_at);
            if status < 400 {
                e = ApiError::new(ApiErrorKind::Response, e.message().to_owned());
            }
            Err(e)
        }
    }
}

fn error_message(err: &Value) -> String {
    match err {
        Value::Map(m) => match m.get("message") {
            Some(Value::Str(s)) => s.clone(),
            Some(v) => v.py_str().into_owned(),
            None => "unknown error".to_owned(),
        },
        Value::Str(s) => s.clone(),
        v => v.py_str().into_owned(),
    }
}

/// `Retry-After` as an absolute Unix time (seconds form, from `now`, or HTTP date).
fn retry_after(h: &HeaderMap, now: i64) -> Option<i64> {
    let v = header_str(h, "retry-after")?;
    if let Ok(secs) = v.parse::<i64>() {
        return Some(now + secs.max(0));
    }
    parse_reset(&v)
}

/// Per-call option overrides of `timeout` (seconds).
pub(crate) fn call_timeout(options: &Map) -> Result<Option<Duration>, ApiError> {
    seconds(options.get("timeout"), "timeout")
}

/// Per-call option overrides of `max_response_bytes`.
pub(crate) fn call_max_response_bytes(options: &Map) -> Result<Option<u64>, ApiError> {
    byte_count(options.get("max_response_bytes"), "max_response_bytes")
}

/// The `Authorization` header of an upload form (OAuth), if any.
pub(crate) fn auth_headers(
    form: &UploadRequest,
) -> Result<Vec<(HeaderName, HeaderValue)>, ApiError> {
    let mut out = Vec::new();
    if let Some(a) = &form.authorization {
        let mut v = HeaderValue::from_str(a).map_err(|_| {
            ApiError::from(crate::Error::config_option(
                "oauth_token",
                "contains characters not allowed in a header",
            ))
        })?;
        v.set_sensitive(true);
        out.push((reqwest::header::AUTHORIZATION, v));
    }
    Ok(out)
}
