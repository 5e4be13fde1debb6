"""Drop-in replacements for pycloudinary's helper functions.

A plugin switches by changing its imports::

    # from cloudinary.utils import cloudinary_url, api_sign_request
    from cldkit.compat import cloudinary_url, api_sign_request

The functions keep pycloudinary's names and signatures and return what pycloudinary
1.46.3 returns, byte for byte: they run on a module-level default client in the
``"python"`` profile, configured like pycloudinary's global configuration (from
``CLOUDINARY_URL`` / ``CLOUDINARY_*`` on first use, then by :func:`config`).

Covered: ``config``, ``reset_config``; from ``cloudinary.utils``:
``cloudinary_url``, ``cloudinary_api_url``, ``api_sign_request``,
``verify_notification_signature``, ``verify_api_response_signature``,
``private_download_url``, ``zip_download_url``, ``download_archive_url``,
``download_zip_url``, ``download_folder``, ``download_backedup_asset``,
``generate_auth_token``; from ``cloudinary.uploader``: ``download_generated_sprite``,
``download_multi``; ``CloudinaryImage(public_id)`` / ``CloudinaryVideo(public_id)``
with ``image``, ``picture``, ``source``, ``video``, ``video_thumbnail`` and (images)
``build_url``.

Not covered: the functions that talk to the network (``cloudinary.uploader.upload``
and the other Upload API calls, ``cloudinary.api``, ``cloudinary.Search``): use the
``cldkit.Client`` methods of the same names instead (``upload``, ``explicit``,
``destroy``, ``rename``, ``add_tag``, ..., ``ping``, ``resources``, ``resource``,
``update``, ``search``, or ``call_upload_api`` / ``admin`` by SDK name), which raise
``cldkit.HttpError`` subclasses rather than ``cloudinary.exceptions``; ``cloudinary.utils.sign_request`` and ``build_upload_params`` (use
``Client.sign_request`` / ``Client.upload_params``); the keyword arguments of
``CloudinaryResource`` other than ``public_id`` (``format``, ``version``, ``type``,
``url_options``, ...: pass them as options instead); ``CloudinaryVideo.build_url``;
the Django template tags and form fields; and pycloudinary's ``Config`` object, of
which :func:`config` returns a read-only view.
"""

from typing import Any, Dict, Optional, Tuple, Union

from cldkit._native import Client
from cldkit._native import api_sign_request as _api_sign_request

__all__ = [
    "CloudinaryImage",
    "CloudinaryVideo",
    "api_sign_request",
    "cloudinary_api_url",
    "cloudinary_url",
    "config",
    "default_client",
    "download_archive_url",
    "download_backedup_asset",
    "download_folder",
    "download_generated_sprite",
    "download_multi",
    "download_zip_url",
    "generate_auth_token",
    "private_download_url",
    "reset_config",
    "verify_api_response_signature",
    "verify_notification_signature",
    "zip_download_url",
]

_client: Optional[Client] = None


def default_client() -> Client:
    """The module-level client the functions use (created from the environment on
    first use, in the ``"python"`` profile)."""
    global _client
    if _client is None:
        _client = Client.from_env(profile="python")
    return _client


class ConfigView:
    """A read-only view of the default client's settings (``config().cloud_name``).
    Unset settings read as ``None``; ``repr`` hides secrets."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._client.setting(name)

    def __repr__(self) -> str:
        return f"ConfigView({self._client.settings()!r})"


def config(**keywords: Any) -> ConfigView:
    """``cloudinary.config(**keywords)``: adds or replaces settings of the default
    client and returns a view of its configuration."""
    global _client
    client = default_client()
    if keywords:
        client = client.with_config(**keywords)
        _client = client
    return ConfigView(client)


def reset_config() -> None:
    """``cloudinary.reset_config()``: forgets the settings given to :func:`config`; the
    next call reads the environment again."""
    global _client
    _client = None


def cloudinary_url(source: Any, **options: Any) -> Tuple[Any, Dict[str, Any]]:
    """``cloudinary.utils.cloudinary_url``: ``(url, options_left_for_html)``."""
    return default_client().cloudinary_url(source, **options)


def cloudinary_api_url(action: str = "upload", **options: Any) -> str:
    """``cloudinary.utils.cloudinary_api_url``: the Upload API endpoint of ``action``."""
    return default_client().api_url(action, **options)


def api_sign_request(
    params_to_sign: Dict[str, Any],
    api_secret: str,
    algorithm: str = "sha1",
    signature_version: int = 2,
) -> str:
    """``cloudinary.utils.api_sign_request``: the hex signature of ``params_to_sign``."""
    return _api_sign_request(params_to_sign, api_secret, algorithm, signature_version)


def _with_algorithm(algorithm: Optional[str]) -> Client:
    client = default_client()
    if algorithm is not None:
        client = client.with_config(signature_algorithm=algorithm)
    return client


def verify_notification_signature(
    body: Union[bytes, str],
    timestamp: Union[int, str],
    signature: str,
    valid_for: Union[int, float] = 7200,
    algorithm: Optional[str] = None,
) -> bool:
    """``cloudinary.utils.verify_notification_signature``: whether a webhook's
    ``X-Cld-Signature`` matches its body and ``X-Cld-Timestamp`` and is fresh."""
    return _with_algorithm(algorithm).verify_notification(body, timestamp, signature, valid_for)


def verify_api_response_signature(
    public_id: Any, version: Any, signature: str, algorithm: Optional[str] = None
) -> bool:
    """``cloudinary.utils.verify_api_response_signature``."""
    return _with_algorithm(algorithm).verify_api_response(public_id, version, signature)


def private_download_url(public_id: Any, format: Any, **options: Any) -> str:
    """``cloudinary.utils.private_download_url``."""
    return default_client().private_download_url(public_id, format, **options)


def zip_download_url(tag: Any, **options: Any) -> str:
    """``cloudinary.utils.zip_download_url``."""
    return default_client().zip_download_url(tag, **options)


def download_archive_url(**options: Any) -> str:
    """``cloudinary.utils.download_archive_url``."""
    return default_client().download_archive_url(**options)


def download_zip_url(**options: Any) -> str:
    """``cloudinary.utils.download_zip_url``."""
    return default_client().download_zip_url(**options)


def download_folder(folder_path: Any, **options: Any) -> str:
    """``cloudinary.utils.download_folder``."""
    return default_client().download_folder(folder_path, **options)


def download_backedup_asset(asset_id: Any, version_id: Any, **options: Any) -> str:
    """``cloudinary.utils.download_backedup_asset``."""
    return default_client().download_backedup_asset(asset_id, version_id, **options)


def download_generated_sprite(tag: Any = None, urls: Any = None, **options: Any) -> str:
    """``cloudinary.uploader.download_generated_sprite``."""
    return default_client().download_generated_sprite(tag, urls, **options)


def download_multi(tag: Any = None, urls: Any = None, **options: Any) -> str:
    """``cloudinary.uploader.download_multi``."""
    return default_client().download_multi(tag, urls, **options)


def generate_auth_token(**options: Any) -> str:
    """``cloudinary.utils.generate_auth_token``."""
    token = default_client().auth_token(**options)
    # The python profile gives a token or raises (only the php profile gives None).
    assert token is not None
    return token


class CloudinaryImage:
    """``cloudinary.CloudinaryImage(public_id)``: tags and URLs of one image."""

    def __init__(self, public_id: Any = None) -> None:
        self.public_id = public_id

    def build_url(self, **options: Any) -> Any:
        """The delivery URL (``cloudinary_url(public_id, **options)[0]``)."""
        return default_client().cloudinary_url(self.public_id, **options)[0]

    def image(self, **options: Any) -> str:
        """The ``<img>`` tag."""
        return default_client().image_tag(self.public_id, **options)

    def picture(self, **options: Any) -> str:
        """The ``<picture>`` tag."""
        return default_client().picture_tag(self.public_id, **options)

    def source(self, **options: Any) -> str:
        """A ``<source>`` tag for a ``<picture>``."""
        return default_client().source_tag(self.public_id, **options)

    def __str__(self) -> str:
        return str(self.public_id)


class CloudinaryVideo:
    """``cloudinary.CloudinaryVideo(public_id)``: tags and URLs of one video."""

    def __init__(self, public_id: Any = None) -> None:
        self.public_id = public_id

    def video(self, **options: Any) -> str:
        """The ``<video>`` tag."""
        return default_client().video_tag(self.public_id, **options)

    def video_thumbnail(self, **options: Any) -> str:
        """The poster image URL (format ``jpg`` unless given)."""
        return default_client().video_thumbnail_url(self.public_id, **options)

    def __str__(self) -> str:
        return str(self.public_id)
