//! One error type for the whole engine.
//!
//! Every failure is data: a [`ErrorKind`] the bindings map to their own exception
//! classes (with a stable [`Error::code`] string), and a message for people. Messages
//! name the offending option but never contain a secret.

use std::fmt;

/// What went wrong, as a stable category the bindings map to exception types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An option has a value the SDK rules reject.
    InvalidOption,
    /// The configuration is missing something or cannot be parsed.
    Config,
    /// A signature could not be computed (missing secret, unknown algorithm, bad key).
    Signature,
}

impl ErrorKind {
    /// A stable, machine-readable code: `invalid_option`, `config` or `signature`.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::InvalidOption => "invalid_option",
            ErrorKind::Config => "config",
            ErrorKind::Signature => "signature",
        }
    }
}

/// The error returned by every fallible cldkit function.
///
/// ```
/// let client = cldkit::Client::from_url("cloudinary://key:secret@demo").unwrap();
/// let opts = cldkit::Options::from_iter([("radius", vec![1, 2, 3, 4, 5])]);
/// let err = client.url("sample", &opts).unwrap_err();
/// assert_eq!(err.kind(), cldkit::ErrorKind::InvalidOption);
/// assert_eq!(err.option(), Some("radius"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    option: Option<String>,
    message: String,
}

/// `Result` with cldkit's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error about one option.
    pub fn invalid_option(option: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::InvalidOption,
            option: Some(option.into()),
            message: message.into(),
        }
    }

    /// A configuration error.
    pub fn config(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Config,
            option: None,
            message: message.into(),
        }
    }

    /// A configuration error about one setting.
    pub fn config_option(option: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Config,
            option: Some(option.into()),
            message: message.into(),
        }
    }

    /// A signing error.
    pub fn signature(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Signature,
            option: None,
            message: message.into(),
        }
    }

    /// The category of the error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The stable code of the category (see [`ErrorKind::code`]).
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// The option or setting the error is about, when there is one.
    pub fn option(&self) -> Option<&str> {
        self.option.as_deref()
    }

    /// The human-readable message, without the option prefix.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.option {
            Some(o) => write!(f, "invalid `{o}`: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("option", &self.option)
            .field("message", &self.message)
            .finish()
    }
}

impl std::error::Error for Error {}
