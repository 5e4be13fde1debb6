//! [`Client`]: a configuration plus an injectable clock, the handle every capability
//! hangs off.

use std::fmt;
use std::sync::{Arc, OnceLock};

use crate::config::{Config, Profile};
use crate::error::Result;

/// A source of Unix time in seconds; injectable so tests and conformance runs are
/// deterministic.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// The entry point: one product environment's configuration and a clock.
///
/// A `Client` is cheap to clone and safe to share across threads; it holds no global
/// state, so one process can serve many product environments at once.
///
/// ```
/// use cldkit::{Client, Options};
/// let client = Client::from_url("cloudinary://key:secret@demo?analytics=false").unwrap();
/// let opts = Options::from_iter([("width", 300.into()), ("crop", "fill".into())]
///     as [(&str, cldkit::Value); 2]);
/// assert_eq!(
///     client.url("sample.jpg", &opts).unwrap(),
///     "https://res.cloudinary.com/demo/image/upload/c_fill,w_300/sample.jpg"
/// );
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) config: Arc<Config>,
    pub(crate) clock: Option<Clock>,
    /// The configuration-level analytics token, computed on first use.
    pub(crate) analytics_base: Arc<OnceLock<String>>,
    /// The HTTP transport (connection pool, runtime), created on first use.
    #[cfg(feature = "http")]
    pub(crate) http: Arc<OnceLock<Arc<crate::api::Transport>>>,
    /// Asked by blocking API calls whether to stop (see [`Client::with_interrupt`]).
    #[cfg(feature = "http")]
    pub(crate) interrupt: Option<crate::api::InterruptFn>,
    /// Called when the server refuses an OAuth token (see [`Client::with_oauth_refresh`]).
    #[cfg(feature = "http")]
    pub(crate) oauth_refresh: Option<crate::api::OAuthRefreshFn>,
}

impl Client {
    /// A client for the given configuration, reading the system clock.
    pub fn new(config: Config) -> Self {
        Client {
            config: Arc::new(config),
            clock: None,
            analytics_base: Arc::default(),
            #[cfg(feature = "http")]
            http: Arc::default(),
            #[cfg(feature = "http")]
            interrupt: None,
            #[cfg(feature = "http")]
            oauth_refresh: None,
        }
    }

    /// A client configured from a `CLOUDINARY_URL`.
    pub fn from_url(cloudinary_url: &str) -> Result<Self> {
        Ok(Client::new(Config::from_cloudinary_url(cloudinary_url)?))
    }

    /// A client configured from the process environment (see [`Config::from_env`]).
    pub fn from_env() -> Result<Self> {
        Ok(Client::new(Config::from_env()?))
    }

    /// The same client with another clock (Unix seconds).
    pub fn with_clock(mut self, clock: impl Fn() -> i64 + Send + Sync + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        // A new transport reads it (clones made before keep theirs).
        #[cfg(feature = "http")]
        {
            self.http = Arc::default();
        }
        self
    }

    /// The same client with an interrupt hook: every blocking API call
    /// (`upload_blocking`, `admin_blocking`, ...) calls `interrupt` about every
    /// [`INTERRUPT_POLL`](crate::api::INTERRUPT_POLL) while it waits, on the calling
    /// thread, and stops with an [`Io`](crate::api::ApiErrorKind::Io) error
    /// ("interrupted") when it returns `true`. The request in flight is dropped
    /// (its connection closed). This is how a binding lets Ctrl-C stop a long upload;
    /// async calls are stopped by dropping their future instead.
    ///
    /// ```
    /// use std::sync::atomic::{AtomicBool, Ordering};
    /// use std::sync::Arc;
    /// let stop = Arc::new(AtomicBool::new(false));
    /// let flag = stop.clone();
    /// let client = cldkit::Client::from_url("cloudinary://key:secret@demo")
    ///     .unwrap()
    ///     .with_interrupt(move || flag.load(Ordering::Relaxed));
    /// # drop((client, stop));
    /// ```
    #[cfg(feature = "http")]
    pub fn with_interrupt(mut self, interrupt: impl Fn() -> bool + Send + Sync + 'static) -> Self {
        self.interrupt = Some(Arc::new(interrupt));
        self
    }

    /// The same client with an OAuth refresh hook (pycloudinary's
    /// `oauth_token_refresh_callback`): when the server answers HTTP 401 to a request
    /// sent with an `oauth_token`, `refresh` gets the refused token and returns the
    /// one to use (or `None` to give up and report the 401). The same request is then
    /// sent once more with the new token (a chunk keeps its upload id and range), and
    /// every later request of this client that carries the refused token sends the
    /// new one. The hook runs on a blocking thread and may call out.
    ///
    /// ```
    /// let client = cldkit::Client::from_url("cloudinary://demo?oauth_token=expired")
    ///     .unwrap()
    ///     .with_oauth_refresh(|_refused| Some("fresh-token".to_owned()));
    /// # drop(client);
    /// ```
    #[cfg(feature = "http")]
    pub fn with_oauth_refresh(
        mut self,
        refresh: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        self.oauth_refresh = Some(Arc::new(refresh));
        // A new transport carries the hook (clones made before keep theirs).
        self.http = Arc::default();
        self
    }

    /// The same client in another compatibility profile.
    pub fn with_profile(mut self, profile: Profile) -> Self {
        Arc::make_mut(&mut self.config).set_profile(profile);
        self.analytics_base = Arc::default();
        #[cfg(feature = "http")]
        {
            self.http = Arc::default();
        }
        self
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The compatibility profile.
    pub fn profile(&self) -> Profile {
        self.config.profile()
    }

    /// The current Unix time in seconds, from the injected clock if any.
    pub fn now(&self) -> i64 {
        match &self.clock {
            Some(c) => c(),
            None => system_now(),
        }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Client");
        d.field("config", &self.config).field(
            "clock",
            &if self.clock.is_some() {
                "injected"
            } else {
                "system"
            },
        );
        #[cfg(feature = "http")]
        d.field("interrupt", &self.interrupt.is_some())
            .field("oauth_refresh", &self.oauth_refresh.is_some());
        d.finish()
    }
}

/// The current Unix time in seconds from the system clock (what [`Client::now`] gives
/// without an injected clock).
pub(crate) fn system_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
