//! # cldkit-emulator
//!
//! A local stand-in for Cloudinary: the Upload and Admin APIs, delivery with simple
//! image transformations, webhooks, rate limits and fault injection, backed by files on
//! disk and SQLite. Official SDKs pointed at it with `upload_prefix` work unchanged.
//!
//! ```no_run
//! use cldkit_emulator::{Emulator, EmulatorConfig};
//! let emu = Emulator::start(EmulatorConfig::default()).unwrap();
//! println!("CLOUDINARY_URL={}", emu.cloudinary_url());
//! emu.shutdown();
//! ```
//!
//! Storage never shows a half-written asset: bytes go to a temporary file that is
//! flushed and renamed before the metadata row is committed (see [`store`]).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod account;
pub mod admin;
pub mod admin_more;
pub mod auth;
pub mod breakpoints;
pub mod cli;
pub mod delivery;
pub mod eager;
pub mod error;
pub mod extras;
pub mod faults;
pub mod ids;
pub mod listing;
pub mod loopback;
pub mod multipart;
pub mod params;
pub mod provisioning;
pub mod remote;
pub mod render;
pub mod resource;
pub mod router;
pub mod search;
pub mod state;
pub mod store;
pub mod upload;
pub mod upload_more;
pub mod video;
pub mod webhook;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::thread::JoinHandle;

pub use account::{Account, FolderMode};

/// The host of the delivery URLs in the emulator's answers (`url`, `secure_url`, eager
/// and breakpoint URLs) and in the printed `CLOUDINARY_URL`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum DeliveryHost {
    /// The emulator's own address (`127.0.0.1:PORT`; loopback when it listens on an
    /// unspecified address), over plain http: the URLs are served by the emulator.
    #[default]
    Emulator,
    /// Another `host[:port]` that reaches the emulator (a container's service name).
    Named(String),
    /// Cloudinary's hosts (`res.cloudinary.com`), for answers byte-identical to the
    /// real service's; such URLs are not served offline.
    Cloudinary,
}
pub use faults::FaultRule;

/// How to run an emulator.
#[derive(Clone, Debug)]
pub struct EmulatorConfig {
    /// Where assets and metadata live; `None` = a fresh temporary directory that is
    /// removed at shutdown.
    pub data_dir: Option<PathBuf>,
    /// The product environments served (at least one; the first is the default).
    pub accounts: Vec<Account>,
    /// Address to listen on; loopback port 0 (any free port) by default.
    pub bind: SocketAddr,
    /// Admin API requests allowed per hour and cloud before 420 answers.
    pub hourly_budget: u64,
    /// The length of the budget window in seconds: 3600 (an hour, Cloudinary's) by
    /// default; tests of rate-limit pacing shorten it.
    pub budget_window_secs: u32,
    /// Fault-injection rules active from the start.
    pub faults: Vec<FaultRule>,
    /// Seed of the fault-injection random choices.
    pub seed: u64,
    /// Reject SHA-1 request signatures (accept SHA-256 only).
    pub strict_sha256: bool,
    /// Delay before the first webhook retry, in milliseconds (doubles each retry).
    pub webhook_retry_ms: u64,
    /// Webhook attempts per notification.
    pub webhook_attempts: u32,
    /// The longest a remote `file` URL fetch may take (connecting, redirects and the
    /// whole body); 30 s by default.
    pub remote_fetch_timeout: std::time::Duration,
    /// The host of the delivery URLs the emulator announces.
    pub delivery_host: DeliveryHost,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            data_dir: None,
            accounts: vec![Account::default_test()],
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            hourly_budget: 5000,
            budget_window_secs: 3600,
            faults: Vec::new(),
            seed: 0,
            strict_sha256: false,
            webhook_retry_ms: 1000,
            webhook_attempts: 4,
            remote_fetch_timeout: std::time::Duration::from_secs(30),
            delivery_host: DeliveryHost::Emulator,
        }
    }
}

/// A running emulator (its own tokio runtime on a background thread).
pub struct Emulator {
    addr: SocketAddr,
    base_url: String,
    accounts: Vec<Account>,
    state: Arc<state::State>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
    temp_dir: Option<PathBuf>,
}

impl Emulator {
    /// Starts an emulator and returns once it accepts connections.
    ///
    /// A non-loopback `bind` address is refused while any account has the built-in
    /// test credentials ([`Account::default_test`]): its secret is published, so anyone
    /// who can reach the address could use the account and its control endpoints.
    pub fn start(mut config: EmulatorConfig) -> Result<Emulator, String> {
        if config.accounts.is_empty() {
            return Err("at least one account is needed".into());
        }
        if !loopback::is_loopback(config.bind.ip()) {
            let builtin = Account::default_test();
            if config
                .accounts
                .iter()
                .any(|a| a.api_secret == builtin.api_secret || a.api_key == builtin.api_key)
            {
                return Err(format!(
                    "refusing to listen on {} with the built-in test account (its secret is public): \
                     give your own credentials with --cloudinary-url cloudinary://KEY:SECRET@CLOUD",
                    config.bind.ip()
                ));
            }
        }
        let (data_dir, temp_dir) = match &config.data_dir {
            Some(d) => (d.clone(), None),
            None => {
                let d = std::env::temp_dir().join(format!("cldkit-emulator-{}", ids::hex32()));
                (d.clone(), Some(d))
            }
        };
        let store = store::Store::open(&data_dir)?;
        let listener = std::net::TcpListener::bind(config.bind)
            .map_err(|e| format!("{}: {e}", config.bind))?;
        listener.set_nonblocking(true).map_err(|e| e.to_string())?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let base_url = format!("http://{addr}");
        let host = match &config.delivery_host {
            DeliveryHost::Emulator if addr.ip().is_unspecified() => {
                Some(SocketAddr::new(std::net::Ipv4Addr::LOCALHOST.into(), addr.port()).to_string())
            }
            DeliveryHost::Emulator => Some(addr.to_string()),
            DeliveryHost::Named(h) => Some(h.clone()),
            DeliveryHost::Cloudinary => None,
        };
        for account in &mut config.accounts {
            account.delivery_host = host.clone();
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        let state = Arc::new(state::State::new(&config, store, base_url.clone()));
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let st = state.clone();
        let thread = std::thread::Builder::new()
            .name("cldkit-emulator".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = match tokio::net::TcpListener::from_std(listener) {
                        Ok(l) => l,
                        Err(e) => {
                            eprintln!("cldkit emulator: {e}");
                            return;
                        }
                    };
                    let app = router::router(st);
                    let _ = axum::serve(listener, app)
                        .with_graceful_shutdown(async move {
                            let _ = stop_rx.await;
                        })
                        .await;
                });
                runtime.shutdown_timeout(std::time::Duration::from_secs(2));
            })
            .map_err(|e| e.to_string())?;
        Ok(Emulator {
            addr,
            base_url,
            accounts: config.accounts,
            state,
            stop: Some(stop_tx),
            thread: Some(thread),
            temp_dir,
        })
    }

    /// The listening address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`: the `upload_prefix` and the delivery host.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The `CLOUDINARY_URL` of the first account, with `upload_prefix` pointing here and,
    /// unless [`DeliveryHost::Cloudinary`], the delivery settings that make the SDKs build
    /// URLs on the emulator (see [`account::delivery_settings`]).
    pub fn cloudinary_url(&self) -> String {
        self.accounts[0].cloudinary_url(&self.base_url)
    }

    /// The `CLOUDINARY_URL` of every account.
    pub fn cloudinary_urls(&self) -> Vec<String> {
        self.accounts
            .iter()
            .map(|a| a.cloudinary_url(&self.base_url))
            .collect()
    }

    /// The accounts served.
    pub fn accounts(&self) -> &[Account] {
        &self.accounts
    }

    /// Replaces the fault-injection rules (same as `POST /_emulator/faults`).
    pub fn set_faults(&self, rules: Vec<FaultRule>) {
        self.state.faults.set(rules);
    }

    /// Blocks until the emulator stops (for `cldkit serve`).
    pub fn wait(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }

    /// Stops accepting connections, finishes in-flight requests and joins the server.
    pub fn shutdown(mut self) {
        self.stop_inner();
    }

    fn stop_inner(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        if let Some(d) = self.temp_dir.take() {
            let _ = std::fs::remove_dir_all(d);
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.stop_inner();
    }
}
