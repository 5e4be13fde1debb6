//! `cldkit.Client`: one product environment's configuration, with every core
//! capability as a method. Arguments and results are converted, nothing else: the
//! behaviour is the engine's.

use cldkit::upload::TagCommand;
use cldkit::{Config, Profile, Value};
use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple};

use crate::api;
use crate::convert::{options, to_py, to_value};
use crate::errors::{check, guard, invalid_option};
use crate::methods::{dict_out, py_methods, request_out, Dict, Obj};
use crate::pages::PyPages;

/// `major.minor` of the running Python, reported as the analytics `tech_version`.
static PYTHON_VERSION: PyOnceLock<String> = PyOnceLock::new();

fn python_version(py: Python<'_>) -> PyResult<&String> {
    PYTHON_VERSION.get_or_try_init(py, || {
        let info = py.import("sys")?.getattr("version_info")?;
        let major: u32 = info.getattr("major")?.extract()?;
        let minor: u32 = info.getattr("minor")?.extract()?;
        Ok(format!("{major}.{minor}"))
    })
}

/// Parses a `profile=` keyword (`None` is the default profile).
pub fn parse_profile(py: Python<'_>, profile: Option<&str>) -> PyResult<Profile> {
    match profile {
        None => Ok(Profile::Default),
        Some(name) => check(py, Profile::parse(name)),
    }
}

/// A client for `config`, with the runtime's `tech_version` unless one is set.
fn make_client(py: Python<'_>, mut config: Config, profile: Profile) -> PyResult<cldkit::Client> {
    if config.get("tech_version").is_none() {
        config.set("tech_version", python_version(py)?.as_str());
    }
    Ok(cldkit::Client::new(config.with_profile(profile)))
}

/// The settings of one Cloudinary product environment and every local computation
/// on them: delivery URLs, signatures, upload requests, download URLs, webhook
/// verification and HTML tags.
///
/// `Client(**config)` takes the SDKs' setting names (`cloud_name`, `api_key`,
/// `api_secret`, `secure`, `private_cdn`, ...); `profile="python"` reproduces
/// pycloudinary byte for byte (an unset `secure` means http), the default profile
/// uses https unless told otherwise. Clients are immutable and thread-safe; options
/// are the same snake_case keywords pycloudinary takes.
#[pyclass(name = "Client", module = "cldkit", frozen)]
pub struct PyClient {
    inner: cldkit::Client,
    /// The frozen time set by `with_clock`, kept across `with_config`.
    frozen_now: Option<i64>,
    /// The callback set by `with_oauth_refresh`, kept by every derived client.
    oauth_refresh: Option<Arc<Py<PyAny>>>,
}

impl PyClient {
    /// A new client (no frozen clock, no OAuth callback).
    fn wrap(inner: cldkit::Client) -> Self {
        Self::build(inner, None, None)
    }

    /// A client derived from this one: keeps its OAuth refresh callback.
    fn derived(&self, inner: cldkit::Client, now: Option<i64>) -> Self {
        Self::build(inner, now, self.oauth_refresh.clone())
    }

    /// Every client is made here: with the Ctrl-C hook and the OAuth callback.
    fn build(
        inner: cldkit::Client,
        now: Option<i64>,
        oauth_refresh: Option<Arc<Py<PyAny>>>,
    ) -> Self {
        let mut inner = api::interruptible(inner);
        if let Some(cb) = &oauth_refresh {
            inner = api::with_oauth_refresh(inner, cb.clone());
        }
        PyClient {
            inner,
            frozen_now: now,
            oauth_refresh,
        }
    }

    /// The engine's client.
    pub(crate) fn engine(&self) -> &cldkit::Client {
        &self.inner
    }
}

py_methods! {
#[pymethods]
impl PyClient {
convert {
    // ----- delivery URLs -----

    // `url(source, **options)` and `cloudinary_url(source, **options)` are installed
    // on the type by `crate::fastcall`.

    /// The Upload/Admin API endpoint for `action` (`cloudinary_api_url`).
    #[pyo3(signature = (action = "upload", **options))]
    fn api_url<'py>(action: keep(&str), **options) -> String
        => |py, c| check(py, c.api_url(action, &options));

    /// The poster image URL of a video (`CloudinaryVideo(id).video_thumbnail(**options)`).
    #[pyo3(signature = (public_id, **options))]
    fn video_thumbnail_url<'py>(public_id: keep(&str), **options) -> String
        => |py, c| check(py, c.video_thumbnail_url(public_id, &options));

    /// A `__cld_token__=...` auth token (`generate_auth_token`), options merged over the
    /// `auth_token` setting: `key`, `start_time`, `duration`, `expiration`, `acl`, `url`,
    /// `ip`, `token_name`. Times may be `datetime`s. `None` in the `php` profile when no
    /// `key` is set (cloudinary_php's `AuthToken::generate` returns null).
    #[pyo3(signature = (**options))]
    fn auth_token<'py>(**options) -> Option<String> => |py, c| check(py, c.auth_token_opt(&options));

    // ----- signing and verification -----

    /// Signs `params` with this client's `api_secret`, `signature_algorithm` and
    /// `signature_version` (the default profile leaves out `file`, `cloud_name`,
    /// `resource_type` and `api_key`, as the server does).
    fn sign_request<'py>(params: dict(&Obj<'py>),) -> String
        => |py, c| check(py, c.sign_request(&params));

    /// Like `sign_request`, also returning the exact string signed (without the
    /// secret): `{"string_to_sign", "algorithm", "signature_version", "signature"}`.
    fn explain_signature<'py>(params: dict(&Obj<'py>),) -> Dict<'py>
        => |py, c| {
            let e = check(py, c.explain_signature(&params))?;
            let d = PyDict::new(py);
            d.set_item("string_to_sign", e.string_to_sign)?;
            d.set_item("algorithm", e.algorithm.name())?;
            d.set_item("signature_version", e.signature_version)?;
            d.set_item("signature", e.signature)?;
            Ok(d)
        };

    /// Verifies a webhook: `body` is the raw request body (`bytes`, or `str`),
    /// `timestamp` the `X-Cld-Timestamp` header (int, str or datetime), `signature` the
    /// `X-Cld-Signature` header. Stale after `valid_for` seconds (default 7200; a
    /// `timedelta` works too). Compares in constant time.
    #[pyo3(signature = (body, timestamp, signature, valid_for = None))]
    fn verify_notification<'py>(
        body: bytes(&Obj<'py>),
        timestamp: value(&Obj<'py>),
        signature: keep(&str),
        valid_for: opt_seconds(Option<&Obj<'py>>),
    ) -> bool
        => |py, c| check(py, c.verify_notification(&body, timestamp, signature, valid_for));

    /// Verifies the `signature` of an upload result against its `public_id` and
    /// `version`.
    fn verify_api_response<'py>(public_id: value(&Obj<'py>), version: value(&Obj<'py>), signature: keep(&str),) -> bool
        => |py, c| check(py, c.verify_api_response(public_id, version, signature));

    /// Signs the Upload widget's parameters: `{"timestamp", "signature", "api_key"}`.
    fn sign_upload_widget<'py>(params: dict(&Obj<'py>),) -> Dict<'py>
        => |py, c| {
            let s = check(py, c.sign_upload_widget(&params))?;
            let d = PyDict::new(py);
            d.set_item("timestamp", s.timestamp)?;
            d.set_item("signature", s.signature)?;
            d.set_item("api_key", s.api_key)?;
            Ok(d)
        };

    /// The signed Media Library widget configuration. `integration` is
    /// `{"name", "version", "platform"?, "platform_version"?}`.
    #[pyo3(signature = (username = None, integration = None))]
    fn media_library_config<'py>(username: keep(Option<&str>), integration: integration(Option<&Obj<'py>>),) -> Dict<'py>
        => |py, c| dict_out(py, c.media_library_config(username, integration.as_ref()));

    // ----- upload requests -----

    /// The upload parameters `options` produce (`cleanup_params(build_upload_params(...))`).
    #[pyo3(signature = (**options))]
    fn upload_params<'py>(**options) -> Dict<'py>
        => |py, c| dict_out(py, c.upload_params(&options));

    /// The signed `upload` request for `file` (remote URL, data URI or local path).
    #[pyo3(signature = (file, **options))]
    fn upload_form<'py>(file: keep(&str), **options) -> Dict<'py>
        => |py, c| request_out(py, c.upload_form(file, &options));

    /// The unsigned `upload` request with an unsigned `upload_preset`.
    #[pyo3(signature = (file, upload_preset, **options))]
    fn unsigned_upload_form<'py>(file: keep(&str), upload_preset: keep(&str), **options) -> Dict<'py>
        => |py, c| request_out(py, c.unsigned_upload_form(file, upload_preset, &options));

    /// Any Upload API request by pycloudinary's function name (`upload`, `explicit`,
    /// `destroy`, `rename`, `add_tag`, `remove_tag`, `replace_tag`, `remove_all_tags`,
    /// `add_context`, `remove_all_context`, `update_metadata`, `text`, `explode`,
    /// `generate_sprite`, `multi`, `create_archive`, `create_zip`, `create_slideshow`,
    /// `unsigned_upload`), positional arguments given by name in `args`.
    #[pyo3(signature = (method, args = None, **options))]
    fn upload_api_call<'py>(method: keep(&str), args: opt_dict(Option<&Obj<'py>>), **options) -> Dict<'py>
        => |py, c| request_out(py, c.upload_api_call(method, &args, &options));

    /// The `explicit` request for an existing asset.
    #[pyo3(signature = (public_id, **options))]
    fn explicit_form<'py>(public_id: value(&Obj<'py>), **options) -> Dict<'py>
        => |py, c| request_out(py, c.explicit_form(public_id, &options));

    /// The `destroy` request.
    #[pyo3(signature = (public_id, **options))]
    fn destroy_form<'py>(public_id: value(&Obj<'py>), **options) -> Dict<'py>
        => |py, c| request_out(py, c.destroy_form(public_id, &options));

    /// The `rename` request.
    #[pyo3(signature = (from_public_id, to_public_id, **options))]
    fn rename_form<'py>(from_public_id: value(&Obj<'py>), to_public_id: value(&Obj<'py>), **options) -> Dict<'py>
        => |py, c| request_out(py, c.rename_form(from_public_id, to_public_id, &options));

    /// The `tags` request adding `tag` to `public_ids` (`exclusive=True` for
    /// `set_exclusive`).
    #[pyo3(signature = (tag, public_ids = None, **options))]
    fn add_tag_form<'py>(tag: value(&Obj<'py>), public_ids: opt_value(Option<&Obj<'py>>), **options) -> Dict<'py>
        => |py, c| request_out(py, c.tags_form(TagCommand::Add, tag, public_ids, &options));

    /// The `tags` request removing `tag` from `public_ids`.
    #[pyo3(signature = (tag, public_ids = None, **options))]
    fn remove_tag_form<'py>(tag: value(&Obj<'py>), public_ids: opt_value(Option<&Obj<'py>>), **options) -> Dict<'py>
        => |py, c| request_out(py, c.tags_form(TagCommand::Remove, tag, public_ids, &options));

    /// The `tags` request replacing every tag of `public_ids` with `tag`.
    #[pyo3(signature = (tag, public_ids = None, **options))]
    fn replace_tag_form<'py>(tag: value(&Obj<'py>), public_ids: opt_value(Option<&Obj<'py>>), **options) -> Dict<'py>
        => |py, c| request_out(py, c.tags_form(TagCommand::Replace, tag, public_ids, &options));

    /// The `tags` request removing every tag of `public_ids`.
    #[pyo3(signature = (public_ids = None, **options))]
    fn remove_all_tags_form<'py>(public_ids: opt_value(Option<&Obj<'py>>), **options) -> Dict<'py>
        => |py, c| request_out(py, c.tags_form(TagCommand::RemoveAll, Value::Null, public_ids, &options));

    /// The `context` request adding `context` (a dict or an encoded string).
    #[pyo3(signature = (context, public_ids = None, **options))]
    fn add_context_form<'py>(context: value(&Obj<'py>), public_ids: opt_value(Option<&Obj<'py>>), **options) -> Dict<'py>
        => |py, c| request_out(py, c.add_context_form(context, public_ids, &options));

    /// The `context` request removing all context of `public_ids`.
    #[pyo3(signature = (public_ids = None, **options))]
    fn remove_all_context_form<'py>(public_ids: opt_value(Option<&Obj<'py>>), **options) -> Dict<'py>
        => |py, c| request_out(py, c.remove_all_context_form(public_ids, &options));

    /// The `metadata` request setting structured metadata on `public_ids`.
    #[pyo3(signature = (metadata, public_ids = None, **options))]
    fn update_metadata_form<'py>(metadata: value(&Obj<'py>), public_ids: opt_value(Option<&Obj<'py>>), **options) -> Dict<'py>
        => |py, c| request_out(py, c.update_metadata_form(metadata, public_ids, &options));

    /// The `create_archive` (`generate_archive`) request.
    #[pyo3(signature = (**options))]
    fn create_archive_form<'py>(**options) -> Dict<'py>
        => |py, c| request_out(py, c.create_archive_form(&options));

    // ----- download URLs -----

    /// The signed URL downloading a private or authenticated asset.
    #[pyo3(signature = (public_id, format, **options))]
    fn private_download_url<'py>(public_id: value(&Obj<'py>), format: value(&Obj<'py>), **options) -> String
        => |py, c| check(py, c.private_download_url(public_id, format, &options));

    /// The legacy signed URL downloading every asset with `tag` as a ZIP.
    #[pyo3(signature = (tag, **options))]
    fn zip_download_url<'py>(tag: value(&Obj<'py>), **options) -> String
        => |py, c| check(py, c.zip_download_url(tag, &options));

    /// The signed URL generating and downloading an archive.
    #[pyo3(signature = (**options))]
    fn download_archive_url<'py>(**options) -> String
        => |py, c| check(py, c.download_archive_url(&options));

    /// `download_archive_url` with `target_format="zip"`.
    #[pyo3(signature = (**options))]
    fn download_zip_url<'py>(**options) -> String
        => |py, c| check(py, c.download_zip_url(&options));

    /// The signed URL downloading a folder as an archive.
    #[pyo3(signature = (folder_path, **options))]
    fn download_folder<'py>(folder_path: value(&Obj<'py>), **options) -> String
        => |py, c| check(py, c.download_folder(folder_path, &options));

    /// The signed URL downloading a backed-up version of an asset.
    #[pyo3(signature = (asset_id, version_id, **options))]
    fn download_backedup_asset<'py>(asset_id: value(&Obj<'py>), version_id: value(&Obj<'py>), **options) -> String
        => |py, c| check(py, c.download_backedup_asset(asset_id, version_id, &options));

    /// The signed URL generating and downloading a sprite from `tag` or `urls`.
    #[pyo3(signature = (tag = None, urls = None, **options))]
    fn download_generated_sprite<'py>(tag: opt_value(Option<&Obj<'py>>), urls: opt_value(Option<&Obj<'py>>), **options) -> String
        => |py, c| check(py, c.download_generated_sprite(tag, urls, &options));

    /// The signed URL generating and downloading a multi-page file from `tag` or `urls`.
    #[pyo3(signature = (tag = None, urls = None, **options))]
    fn download_multi<'py>(tag: opt_value(Option<&Obj<'py>>), urls: opt_value(Option<&Obj<'py>>), **options) -> String
        => |py, c| check(py, c.download_multi(tag, urls, &options));

    // ----- HTML tags -----

    /// An `<img>` tag (`CloudinaryImage(public_id).image(**options)`).
    #[pyo3(signature = (public_id, **options))]
    fn image_tag<'py>(public_id: value(&Obj<'py>), **options) -> String
        => |py, c| check(py, c.image_tag_value(&public_id, &options));

    /// The attributes of the `<img>` tag `image_tag` renders, as a dict.
    #[pyo3(signature = (public_id, **options))]
    fn image_attributes<'py>(public_id: value(&Obj<'py>), **options) -> Dict<'py>
        => |py, c| dict_out(py, c.image_attributes(&public_id, &options));

    /// A `<video>` tag (`CloudinaryVideo(public_id).video(**options)`).
    #[pyo3(signature = (public_id, **options))]
    fn video_tag<'py>(public_id: value(&Obj<'py>), **options) -> String
        => |py, c| check(py, c.video_tag_value(&public_id, &options));

    /// A `<picture>` tag (`CloudinaryImage(public_id).picture(**options)`).
    #[pyo3(signature = (public_id, **options))]
    fn picture_tag<'py>(public_id: value(&Obj<'py>), **options) -> String
        => |py, c| check(py, c.picture_tag_value(&public_id, &options));

    /// A `<source>` tag for a `<picture>` (`CloudinaryImage(public_id).source(**options)`).
    #[pyo3(signature = (public_id, **options))]
    fn source_tag<'py>(public_id: keep(&str), **options) -> String
        => |py, c| check(py, c.source_tag(public_id, &options));

    /// An `<img>` tag that loads lazily, with an optional low-quality `placeholder`
    /// (`"blur"`, `"pixelate"`, `"vectorize"`, `"predominant_color"`) in `src`.
    #[pyo3(signature = (public_id, placeholder = None, **options))]
    fn lazy_image_tag<'py>(public_id: keep(&str), placeholder: opt_mode(Option<&str>), **options) -> String
        => |py, c| check(py, c.lazy_image_tag(public_id, &options, placeholder));

    /// The placeholder URL and the final URL of an image:
    /// `{"placeholder": ..., "url": ...}`.
    #[pyo3(signature = (public_id, mode, **options))]
    fn placeholder_urls<'py>(public_id: keep(&str), mode: mode(&str), **options) -> Dict<'py>
        => |py, c| {
            let urls = check(py, c.placeholder_urls(public_id, mode, &options))?;
            let d = PyDict::new(py);
            d.set_item("placeholder", urls.placeholder)?;
            d.set_item("url", urls.url)?;
            Ok(d)
        };

    // ----- the Upload API and the Admin API (HTTP) -----

    /// Sends any Upload API call by its SDK name (`upload`, `explicit`, `destroy`,
    /// `rename`, `add_tag`, `text`, `create_archive`, ...), its positional arguments
    /// by name in `args` (`{"public_id": ...}`), and returns the answer as a `dict`.
    #[pyo3(signature = (method, args = None, **options))]
    fn call_upload_api<'py>(method: keep(&str), args: opt_dict(Option<&Obj<'py>>), **options) -> Obj<'py>
        => |py, c| api::blocking(py, || c.call_upload_api_blocking(method, &args, &options));

    /// Calls the Admin API `name` (see `ADMIN_CALLS`), its positional arguments by
    /// name in `args` (`{"public_id": ...}`, `{"path": ...}`), and returns the answer
    /// as a `dict` (with `request_id` and the `rate_limit_*` fields).
    #[pyo3(signature = (name, args = None, **options))]
    fn admin<'py>(name: keep(&str), args: opt_dict(Option<&Obj<'py>>), **options) -> Obj<'py>
        => |py, c| api::blocking(py, || c.admin_blocking(name, &args, &options));

    /// Runs any call of the catalogue (`cldkit calls --json`) by its SDK name, its
    /// positional arguments by name in `args` (`{"tag": "kitten"}`) and its keyword
    /// options in `options`. Local calls (URLs, tags, signatures) return their value;
    /// network calls block with the GIL released and return the answer as a `dict`
    /// (with `request_id` and the `rate_limit_*` fields). The generated methods
    /// (`client.resources_by_tag(tag, **options)`, ...) go through here.
    #[pyo3(signature = (name, args = None, options = None))]
    fn call<'py>(name: keep(&str), args: opt_dict(Option<&Obj<'py>>), options: opt_dict(Option<&Obj<'py>>),) -> Obj<'py>
        => |py, c| api::call(py, c, name, &args, &options);

    /// The catalogue's `sync` row with a `progress` callable (what the generated
    /// `sync(inventory, *, progress=None, **options)` calls): `progress` gets a `dict`
    /// (`done`, `total`, `public_id`, `action`, `ok`) after each finished action, with
    /// the GIL taken, one call at a time; an exception it raises goes to
    /// `sys.unraisablehook` and the sync goes on.
    #[pyo3(signature = (args, options = None, progress = None))]
    fn sync_call<'py>(args: dict(&Obj<'py>), options: opt_dict(Option<&Obj<'py>>), progress: keep(Option<&Obj<'py>>),) -> Obj<'py>
        => |py, c| api::sync_call(py, c, &args, &options, progress);

    /// The pages of an Admin list call (`resources`, `tags`, `search`, ...), following
    /// `next_cursor`: iterate it, or `async for` it.
    #[pyo3(signature = (name, args = None, **options))]
    fn pages<'py>(name: keep(&str), args: opt_dict(Option<&Obj<'py>>), **options) -> PyPages
        => |_py, c| Ok(PyPages::new(c.pages(name, &args, &options)));
}
to_thread {
    /// `upload` in a worker thread, for asyncio: `await client.upload_async(...)`.
    fn upload_async(*args, **kwargs) = "upload", "($self, file, *, chunk_size=None, parallel=None, progress=None, resume=None, checkpoint=None, resume_file=None, **options)";

    /// `call_upload_api` in a worker thread, for asyncio.
    fn call_upload_api_async(*args, **kwargs) = "call_upload_api", "($self, method, args=None, **options)";

    /// `admin` in a worker thread, for asyncio.
    fn admin_async(*args, **kwargs) = "admin", "($self, name, args=None, **options)";

    /// `sync_call` in a worker thread, for asyncio.
    fn sync_call_async(*args, **kwargs) = "sync_call", "($self, args, options=None, progress=None)";

    /// `call` in a worker thread, for asyncio: `await client.call_async(name, ...)`.
    fn call_async(*args, **kwargs) = "call", "($self, name, args=None, options=None)";
}

    /// Creates a client from settings given as keywords.
    #[new]
    #[pyo3(signature = (*, profile = None, **config))]
    fn new(
        py: Python<'_>,
        profile: Option<&str>,
        config: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        guard(py, || {
            let profile = parse_profile(py, profile)?;
            let settings = options(config)?;
            Ok(Self::wrap(make_client(
                py,
                Config::from_map(settings),
                profile,
            )?))
        })
    }

    /// Creates a client from a `CLOUDINARY_URL` (`cloudinary://key:secret@cloud_name`).
    #[staticmethod]
    #[pyo3(signature = (cloudinary_url, *, profile = None))]
    fn from_url(py: Python<'_>, cloudinary_url: &str, profile: Option<&str>) -> PyResult<Self> {
        guard(py, || {
            let profile = parse_profile(py, profile)?;
            let config = check(py, Config::from_cloudinary_url(cloudinary_url))?;
            Ok(Self::wrap(make_client(py, config, profile)?))
        })
    }

    /// Creates a client from the environment: the `CLOUDINARY_*` variables when
    /// `CLOUDINARY_CLOUD_NAME` is set, else `CLOUDINARY_URL`.
    #[staticmethod]
    #[pyo3(signature = (*, profile = None))]
    fn from_env(py: Python<'_>, profile: Option<&str>) -> PyResult<Self> {
        guard(py, || {
            let profile = parse_profile(py, profile)?;
            let config = check(py, Config::from_env())?;
            Ok(Self::wrap(make_client(py, config, profile)?))
        })
    }

    /// A copy of this client with the given settings added or replaced.
    #[pyo3(signature = (**settings))]
    fn with_config(&self, py: Python<'_>, settings: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        guard(py, || {
            let mut config = self.inner.config().clone();
            for (k, v) in options(settings)? {
                config.set(k, v);
            }
            let mut client = cldkit::Client::new(config);
            if let Some(now) = self.frozen_now {
                client = client.with_clock(move || now);
            }
            Ok(self.derived(client, self.frozen_now))
        })
    }

    /// A copy of this client in another profile (`"default"`, `"python"` or `"node"`).
    fn with_profile(&self, py: Python<'_>, profile: &str) -> PyResult<Self> {
        guard(py, || {
            let profile = parse_profile(py, Some(profile))?;
            Ok(self.derived(self.inner.clone().with_profile(profile), self.frozen_now))
        })
    }

    /// A copy of this client whose clock is frozen at `now` (Unix seconds as an int or
    /// float, or a `datetime`); `None` restores the system clock.
    fn with_clock(&self, py: Python<'_>, now: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(py, || {
            let base = cldkit::Client::new(self.inner.config().clone());
            let now = match to_value(now, "now")? {
                Value::Null => return Ok(self.derived(base, None)),
                Value::Int(i) => i,
                Value::Float(f) if f.is_finite() => f.floor() as i64,
                other => {
                    return Err(invalid_option(
                        py,
                        "now",
                        &format!(
                            "expected Unix seconds or a datetime, found {}",
                            other.type_name()
                        ),
                    ))
                }
            };
            Ok(self.derived(base.with_clock(move || now), Some(now)))
        })
    }

    /// A copy of this client that calls `callback(refused_token)` when the server
    /// refuses its OAuth token (HTTP 401), as pycloudinary's
    /// `oauth_token_refresh_callback`: the callback returns the token to use (or
    /// `None` to give up), the same request (the same chunk) is sent once more with
    /// it, and later requests use it too. The callback runs on a worker thread with
    /// the GIL taken; an exception it raises is reported through
    /// `sys.unraisablehook` and counts as `None`.
    fn with_oauth_refresh(&self, callback: &Bound<'_, PyAny>) -> PyResult<Self> {
        if !callback.is_callable() {
            return Err(invalid_option(
                callback.py(),
                "callback",
                "expected a callable",
            ));
        }
        Ok(Self::build(
            self.inner.clone(),
            self.frozen_now,
            Some(Arc::new(callback.clone().unbind())),
        ))
    }

    /// The compatibility profile: `"default"`, `"python"` or `"node"`.
    #[getter]
    fn profile(&self) -> &'static str {
        self.inner.profile().name()
    }

    /// The value of one setting (secrets included), or `None` when unset.
    fn setting<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        match self.inner.config().get(name) {
            Some(v) => to_py(py, v),
            None => Ok(py.None().into_bound(py)),
        }
    }

    /// All settings as a `dict` for display: secrets (`api_secret`, `auth_token`, any
    /// `*secret*`, `*token*`, `*password*`, `*key` but `api_key`, at any depth) are
    /// `"***"` and URLs lose their credentials (`http://***@proxy:3128`), by the core's
    /// rule (`cldkit::redact`). `setting(name)` reads one real value.
    fn settings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (k, v) in self.inner.config().values().iter() {
            d.set_item(k, to_py(py, &cldkit::redact::printable(k, v))?)?;
        }
        Ok(d)
    }

    /// `cldkit.Client({...} (profile))`: the settings as `settings()` shows them.
    fn __repr__(&self) -> String {
        format!("cldkit.Client({:?})", self.inner.config())
    }

    /// The `User-Agent` for API requests, led by the `user_platform` setting (the
    /// integration identity, e.g. `"PluginName/1.2 (Django 5.0)"`).
    fn user_agent(&self) -> String {
        self.inner.user_agent()
    }

    /// Uploads `file` and returns Cloudinary's answer as a `dict` (with `request_id`).
    ///
    /// `file` is a local path (`str` or `os.PathLike`, streamed from disk), a remote
    /// URL or data URI (`str`, fetched by Cloudinary), `bytes`/`bytearray`/`memoryview`,
    /// or a binary file-like object (read block by block). Above `chunk_size` bytes
    /// (default 20 MB) the upload goes in chunks, `parallel` at a time for files.
    /// `progress(bytes_done, total_or_None)` is called as bytes are sent;
    /// `checkpoint(token)` after every confirmed chunk with a resume token (JSON) that
    /// `resume=` accepts; `resume_file` keeps that token in a file. Options are the
    /// SDK's upload parameters (`public_id`, `tags`, `folder`, `resource_type`,
    /// `upload_preset` with `unsigned=True`, `timeout`, ...). The GIL is released
    /// while the upload runs.
    #[pyo3(signature = (file, *, chunk_size = None, parallel = None, progress = None, resume = None, checkpoint = None, resume_file = None, **options))]
    #[allow(clippy::too_many_arguments)]
    fn upload<'py>(
        &self,
        py: Python<'py>,
        file: &Bound<'py, PyAny>,
        chunk_size: Option<i64>,
        parallel: Option<i64>,
        progress: Option<&Bound<'py, PyAny>>,
        resume: Option<&str>,
        checkpoint: Option<&Bound<'py, PyAny>>,
        resume_file: Option<&Bound<'py, PyAny>>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let transfer = api::TransferArgs {
                chunk_size: api::chunk_size(py, chunk_size)?,
                parallel: api::parallel(py, parallel)?,
                progress,
                resume,
                checkpoint,
                resume_file,
            };
            let opts = crate::convert::options(options)?;
            api::upload(&self.inner, file, &transfer, opts)
        })
    }
}
}

/// Calls the method `name` of `slf` in a worker thread: a coroutine for asyncio.
pub(crate) fn aio<'py>(
    slf: &Bound<'py, PyAny>,
    name: &str,
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = slf.py();
    let helper = TO_THREAD.get_or_try_init(py, || {
        Ok::<_, PyErr>(py.import("cldkit._aio")?.getattr("to_thread")?.unbind())
    })?;
    let mut all = vec![slf.getattr(name)?];
    all.extend(args.iter());
    helper.bind(py).call(PyTuple::new(py, all)?, kwargs)
}

/// `cldkit._aio.to_thread`, imported on first use.
static TO_THREAD: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
