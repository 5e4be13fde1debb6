"""cldkit: Cloudinary URLs, signatures, upload requests, download URLs, webhook
verification, HTML tags, uploads and the Admin API, computed by one Rust engine and
byte-identical to the official SDKs (pycloudinary 1.46.3 in the ``"python"``
profile).

>>> import cldkit
>>> client = cldkit.Client(cloud_name="demo", api_key="1234", api_secret="abcd")
>>> client.url("sample.jpg", width=300, height=200, crop="fill")
'https://res.cloudinary.com/demo/image/upload/c_fill,h_200,w_300/sample.jpg'

Everything hangs off :class:`Client`; options are the snake_case keywords the
official SDKs take, results are ``str``, ``bool`` and ``dict``. Every call of the
catalogue (``cldkit calls --json``) is a method with pycloudinary's name and
positional parameters (``client.resources_by_tag("kitten", max_results=10)``), or
``client.call(name, args, options)``; the Provisioning API's calls are methods of
:class:`AccountClient`. Uploads and API calls release the GIL while they run;
``*_async`` variants await them from asyncio. Errors are :class:`Error`
subclasses carrying the engine's ``kind``, ``code``, ``option`` and ``message``;
failed API calls raise :class:`HttpError` subclasses (one per ``code``) that add
``status``, ``request_id`` and ``reset_at``. For drop-in replacements of
pycloudinary's helper functions see :mod:`cldkit.compat`.
"""

from cldkit import _calls
from cldkit._native import (
    ADMIN_CALLS,
    USER_AGENT,
    AccountClient,
    AlreadyExistsError,
    AuthorizationError,
    BadRequestError,
    Client,
    ConfigError,
    Error,
    HttpError,
    InvalidOptionError,
    IoError,
    NetworkError,
    NotAllowedError,
    NotFoundError,
    Pages,
    RateLimitedError,
    RequestTimeoutError,
    ResponseError,
    ServerError,
    SignatureError,
    SourceError,
    __version__,
    api_sign_request,
    parse_account_url,
    parse_cloudinary_url,
    string_to_sign,
)

_calls.install()

__all__ = [
    "ADMIN_CALLS",
    "USER_AGENT",
    "AccountClient",
    "AlreadyExistsError",
    "AuthorizationError",
    "BadRequestError",
    "Client",
    "ConfigError",
    "Error",
    "HttpError",
    "InvalidOptionError",
    "IoError",
    "NetworkError",
    "NotAllowedError",
    "NotFoundError",
    "Pages",
    "RateLimitedError",
    "RequestTimeoutError",
    "ResponseError",
    "ServerError",
    "SignatureError",
    "SourceError",
    "__version__",
    "api_sign_request",
    "parse_account_url",
    "parse_cloudinary_url",
    "string_to_sign",
]
