//! Turns a parameter set into the request the SDK would send: cleanup, signature or
//! OAuth header, `name[]` fields for lists, the endpoint URL and the `file` field.

use std::fmt;

use super::params::{cleanup, get};
use crate::sign::{option_or_config, sign_excluding, SigningKeys};
use crate::{Client, Error, Map, Result, Value};

/// A complete Upload API request, ready for an HTTP client to POST as
/// `multipart/form-data`.
#[derive(Clone, PartialEq, Eq)]
pub struct UploadRequest {
    /// The endpoint, e.g. `https://api.cloudinary.com/v1_1/demo/image/upload`.
    pub url: String,
    /// The text fields in sending order (`name[]` repeated for list values). A remote
    /// `file` (URL or data URI) is one of them.
    pub fields: Vec<(String, String)>,
    /// A local file to send as the `file` part, when the file is not remote.
    pub file: Option<FilePart>,
    /// The `Authorization` header value (`Bearer <oauth_token>`) when OAuth is used
    /// instead of a signature. Redacted from `Debug` output.
    pub authorization: Option<String>,
}

impl UploadRequest {
    /// The fields sorted by name (stable: repeated names keep their sending order).
    pub fn sorted_fields(&self) -> Vec<(String, String)> {
        let mut f = self.fields.clone();
        f.sort_by(|a, b| a.0.cmp(&b.0));
        f
    }

    /// The value of the first field called `name`.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl fmt::Debug for UploadRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadRequest")
            .field("url", &self.url)
            .field("fields", &self.fields)
            .field("file", &self.file)
            .field(
                "authorization",
                &self.authorization.as_ref().map(|_| "Bearer ***"),
            )
            .finish()
    }
}

/// A local file to attach as the multipart `file` part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilePart {
    /// The path to read.
    pub path: String,
    /// The part's `filename` (the `filename` option, else the path as given, as
    /// pycloudinary sends it).
    pub filename: String,
}

/// Whether `file` is sent as text (pycloudinary's remote-URL test): it starts with
/// `ftp:`, `http:`, `https:`, `s3:` or `gs:`, or is a base64 `data:` URI.
pub fn is_remote_url(file: &str) -> bool {
    ["ftp:", "http:", "https:", "s3:", "gs:"]
        .iter()
        .any(|p| file.starts_with(p))
        || is_base64_data_uri(file)
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// Length of the leading run of word characters (`[\w-]+`).
fn word_len(s: &str) -> usize {
    s.char_indices()
        .find(|(_, c)| !is_word(*c))
        .map_or(s.len(), |(i, _)| i)
}

fn is_base64_data_uri(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("data:") else {
        return false;
    };
    let after_mime = skip_mime(rest).filter(|r| data_tail_ok(r));
    match after_mime {
        Some(_) => true,
        None => data_tail_ok(rest),
    }
}

/// `[\w-]+/[\w-]+(\+[\w-]+)?`, returning the rest.
fn skip_mime(s: &str) -> Option<&str> {
    let n = word_len(s);
    if n == 0 {
        return None;
    }
    let s = s[n..].strip_prefix('/')?;
    let n = word_len(s);
    if n == 0 {
        return None;
    }
    let mut s = &s[n..];
    if let Some(r) = s.strip_prefix('+') {
        let n = word_len(r);
        if n > 0 {
            s = &r[n..];
        }
    }
    Some(s)
}

/// `(;[\w-]+=[\w-]+)*;base64,[a-zA-Z0-9/+\n=]+$`.
fn data_tail_ok(mut s: &str) -> bool {
    loop {
        if let Some(data) = s.strip_prefix(";base64,") {
            return !data.is_empty()
                && data
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '+' | '\n' | '='));
        }
        let Some(r) = s.strip_prefix(';') else {
            return false;
        };
        let n = word_len(r);
        if n == 0 {
            return false;
        }
        let Some(r) = r[n..].strip_prefix('=') else {
            return false;
        };
        let n = word_len(r);
        if n == 0 {
            return false;
        }
        s = &r[n..];
    }
}

/// How one call is authenticated and which parameters stay out of its signature.
pub(crate) struct CallSpec<'a> {
    pub(crate) action: &'a str,
    /// Sent but not signed (the tags, context and metadata endpoints).
    pub(crate) non_signable: Option<&'a [&'a str]>,
}

/// pycloudinary's `call_api` up to the point of sending.
pub(crate) fn build_request(
    client: &Client,
    spec: CallSpec<'_>,
    params: Map,
    file: Option<&Value>,
    options: &Map,
) -> Result<UploadRequest> {
    let mut params = cleanup(params);
    let mut authorization = None;
    let oauth = option_or_config(client, options, "oauth_token").filter(|v| v.truthy());
    if let Some(token) = oauth {
        authorization = Some(format!("Bearer {}", token.py_str()));
    } else if !get(options, "unsigned").truthy() {
        params = sign_params(client, params, options, spec.non_signable)?;
    }
    let mut fields = Vec::with_capacity(params.len() + 1);
    for (k, v) in params.iter() {
        match v {
            Value::List(items) => {
                for item in items {
                    fields.push((format!("{k}[]"), item.py_str().into_owned()));
                }
            }
            v if v.truthy() => fields.push((k.clone(), v.py_str().into_owned())),
            _ => {}
        }
    }
    let url = client.api_url(spec.action, options)?;
    let mut file_part = None;
    if let Some(file) = file.filter(|f| f.truthy()) {
        match file {
            Value::Str(s) if is_remote_url(s) => fields.push(("file".into(), s.clone())),
            Value::Str(s) => {
                let filename = match get(options, "filename") {
                    v if v.truthy() => v.py_str().into_owned(),
                    _ => s.clone(),
                };
                file_part = Some(FilePart {
                    path: s.clone(),
                    filename,
                });
            }
            other => {
                return Err(Error::invalid_option(
                    "file",
                    format!("expected a path or URL, found {}", other.type_name()),
                ))
            }
        }
    }
    Ok(UploadRequest {
        url,
        fields,
        file: file_part,
        authorization,
    })
}

/// pycloudinary's `sign_request`: cleanup, signature over the signable parameters,
/// then `signature` and `api_key` appended.
pub(crate) fn sign_params(
    client: &Client,
    params: Map,
    options: &Map,
    non_signable: Option<&[&str]>,
) -> Result<Map> {
    let api_key = match option_or_config(client, options, "api_key") {
        Some(v) if v.truthy() => v.clone(),
        _ => return Err(Error::config_option("api_key", "Must supply api_key")),
    };
    let keys = SigningKeys::resolve(client, options)?;
    let from_options: Vec<String>;
    let excluded: Vec<&str> = match non_signable {
        Some(list) => list.to_vec(),
        None => {
            from_options = match get(options, "non_signable") {
                Value::List(items) => items.iter().map(|i| i.py_str().into_owned()).collect(),
                _ => Vec::new(),
            };
            from_options.iter().map(String::as_str).collect()
        }
    };
    let mut params = cleanup(params);
    let signature = sign_excluding(
        &params,
        &keys.secret,
        keys.algorithm,
        keys.version,
        &excluded,
    )?;
    params.insert("signature", signature);
    params.insert("api_key", api_key);
    Ok(params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_url_detection() {
        assert!(is_remote_url("https://x"));
        assert!(is_remote_url("s3://b/k"));
        assert!(is_remote_url("data:image/png;base64,iVBO=="));
        assert!(is_remote_url("data:;base64,AAAA"));
        assert!(is_remote_url("data:text/plain;charset=utf-8;base64,AAAA"));
        assert!(!is_remote_url("data:text/plain,hello"));
        assert!(!is_remote_url("/tmp/a.png"));
    }

    #[test]
    fn debug_redacts_the_oauth_token() {
        let r = UploadRequest {
            url: "u".into(),
            fields: vec![],
            file: None,
            authorization: Some("Bearer topsecret".into()),
        };
        assert!(!format!("{r:?}").contains("topsecret"));
    }
}
