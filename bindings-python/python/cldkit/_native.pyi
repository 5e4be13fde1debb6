"""Type stubs of the native module ``cldkit._native`` (checked by mypy's stubtest)."""

import datetime
from typing import (
    Any,
    AsyncIterator,
    Callable,
    Coroutine,
    Dict,
    Iterator,
    Mapping,
    Optional,
    Protocol,
    Sequence,
    Tuple,
    Union,
    final,
)
import os

__all__ = [
    "__version__",
    "USER_AGENT",
    "ADMIN_CALLS",
    "Client",
    "AccountClient",
    "Pages",
    "Error",
    "InvalidOptionError",
    "ConfigError",
    "SignatureError",
    "HttpError",
    "BadRequestError",
    "AuthorizationError",
    "NotAllowedError",
    "NotFoundError",
    "AlreadyExistsError",
    "RateLimitedError",
    "ServerError",
    "RequestTimeoutError",
    "NetworkError",
    "ResponseError",
    "SourceError",
    "IoError",
    "api_sign_request",
    "string_to_sign",
    "parse_cloudinary_url",
    "parse_account_url",
]

__version__: str
USER_AGENT: str
#: The Admin API calls ``Client.admin`` knows, by SDK name.
ADMIN_CALLS: Tuple[str, ...]

#: A Unix time: seconds as an int or float, or a ``datetime``.
_Time = Union[int, float, datetime.datetime]

class Error(Exception):
    """Base class of every cldkit error."""

    kind: str
    code: str
    option: Optional[str]
    message: str

class HttpError(Error):
    """An Upload or Admin API call failed."""

    status: Optional[int]
    request_id: Optional[str]
    reset_at: Optional[int]
    attempts: int
    resume_token: Optional[str]

# >>> generated: errors
class InvalidOptionError(Error):
    """An option has a value the SDK rules reject (`code` "invalid_option")."""

class ConfigError(Error):
    """The configuration is missing something or cannot be parsed (`code` "config")."""

class SignatureError(Error):
    """A signature could not be computed (missing secret, unknown algorithm, bad key) (`code` "signature")."""

class BadRequestError(HttpError):
    """HTTP 400: the API rejected the request (`code` "bad_request")."""

class AuthorizationError(HttpError):
    """HTTP 401: missing or wrong credentials, or an invalid signature (`code` "authorization")."""

class NotAllowedError(HttpError):
    """HTTP 403: valid credentials without permission (`code` "not_allowed")."""

class NotFoundError(HttpError):
    """HTTP 404: no such resource (`code` "not_found")."""

class AlreadyExistsError(HttpError):
    """HTTP 409: the resource already exists (`code` "already_exists")."""

class RateLimitedError(HttpError):
    """HTTP 420 or 429: rate limited until the reset time (`code` "rate_limited")."""

class ServerError(HttpError):
    """HTTP 5xx: the server failed (`code` "server_error")."""

class RequestTimeoutError(HttpError):
    """A connect, read or total timeout fired (`code` "timeout")."""

class NetworkError(HttpError):
    """The connection failed or was reset, or the proxy refused (`code` "network")."""

class ResponseError(HttpError):
    """Another HTTP status, or a body that is not the JSON the API returns (`code` "response")."""

class SourceError(HttpError):
    """A local file or stream could not be read (`code` "io")."""

IoError = SourceError
# <<< generated: errors

class _Readable(Protocol):
    def read(self, size: int = ..., /) -> Union[bytes, bytearray, str]: ...

#: What ``Client.upload`` accepts: a path or URL, an ``os.PathLike``, bytes, or a
#: binary file-like object.
_Source = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, _Readable]
#: An API answer: the JSON body with ``request_id`` (and ``rate_limit_*``) merged in.
_Answer = Dict[str, Any]
_Progress = Callable[[int, Optional[int]], Any]
_Checkpoint = Callable[[str], Any]

@final
class Pages:
    """The pages of an Admin list call (iterable and async-iterable)."""

    def __iter__(self) -> Iterator[_Answer]: ...
    def __next__(self) -> _Answer: ...
    def __aiter__(self) -> AsyncIterator[_Answer]: ...
    def __anext__(self) -> Coroutine[Any, Any, _Answer]: ...

#: An Upload API request: ``url``, ``fields`` (list of ``(name, value)``), ``file``
#: (``None`` or ``{"path", "filename"}``) and ``authorization`` (``str`` or ``None``).
_Request = Dict[str, Any]

@final
class Client:
    def __new__(cls, *, profile: Optional[str] = None, **config: Any) -> "Client": ...
    @staticmethod
    def from_url(cloudinary_url: str, *, profile: Optional[str] = None) -> "Client": ...
    @staticmethod
    def from_env(*, profile: Optional[str] = None) -> "Client": ...
    def with_config(self, **settings: Any) -> "Client": ...
    def with_profile(self, profile: str) -> "Client": ...
    def with_clock(self, now: Optional[_Time]) -> "Client": ...
    def with_oauth_refresh(self, callback: Callable[[str], Optional[str]]) -> "Client": ...
    @property
    def profile(self) -> str: ...
    def setting(self, name: str) -> Any: ...
    def settings(self) -> Dict[str, Any]: ...
    # delivery URLs
    def url(self, source: str, **options: Any) -> str: ...
    def cloudinary_url(self, source: Any, **options: Any) -> Tuple[Any, Dict[str, Any]]: ...
    def api_url(self, action: str = "upload", **options: Any) -> str: ...
    def video_thumbnail_url(self, public_id: str, **options: Any) -> str: ...
    def auth_token(self, **options: Any) -> Optional[str]: ...
    # signing and verification
    def sign_request(self, params: Mapping[str, Any]) -> str: ...
    def explain_signature(self, params: Mapping[str, Any]) -> Dict[str, Any]: ...
    def verify_notification(
        self,
        body: Union[bytes, str],
        timestamp: Union[int, str, datetime.datetime],
        signature: str,
        valid_for: Optional[Union[int, float, datetime.timedelta]] = None,
    ) -> bool: ...
    def verify_api_response(self, public_id: Any, version: Any, signature: str) -> bool: ...
    def sign_upload_widget(self, params: Mapping[str, Any]) -> Dict[str, Any]: ...
    def media_library_config(
        self, username: Optional[str] = None, integration: Optional[Mapping[str, Any]] = None
    ) -> Dict[str, Any]: ...
    def user_agent(self) -> str: ...
    # upload requests
    def upload_params(self, **options: Any) -> Dict[str, Any]: ...
    def upload_form(self, file: str, **options: Any) -> _Request: ...
    def unsigned_upload_form(self, file: str, upload_preset: str, **options: Any) -> _Request: ...
    def upload_api_call(
        self, method: str, args: Optional[Mapping[str, Any]] = None, **options: Any
    ) -> _Request: ...
    def explicit_form(self, public_id: Any, **options: Any) -> _Request: ...
    def destroy_form(self, public_id: Any, **options: Any) -> _Request: ...
    def rename_form(self, from_public_id: Any, to_public_id: Any, **options: Any) -> _Request: ...
    def add_tag_form(self, tag: Any, public_ids: Any = None, **options: Any) -> _Request: ...
    def remove_tag_form(self, tag: Any, public_ids: Any = None, **options: Any) -> _Request: ...
    def replace_tag_form(self, tag: Any, public_ids: Any = None, **options: Any) -> _Request: ...
    def remove_all_tags_form(self, public_ids: Any = None, **options: Any) -> _Request: ...
    def add_context_form(self, context: Any, public_ids: Any = None, **options: Any) -> _Request: ...
    def remove_all_context_form(self, public_ids: Any = None, **options: Any) -> _Request: ...
    def update_metadata_form(
        self, metadata: Any, public_ids: Any = None, **options: Any
    ) -> _Request: ...
    def create_archive_form(self, **options: Any) -> _Request: ...
    # download URLs
    def private_download_url(self, public_id: Any, format: Any, **options: Any) -> str: ...
    def zip_download_url(self, tag: Any, **options: Any) -> str: ...
    def download_archive_url(self, **options: Any) -> str: ...
    def download_zip_url(self, **options: Any) -> str: ...
    def download_folder(self, folder_path: Any, **options: Any) -> str: ...
    def download_backedup_asset(self, asset_id: Any, version_id: Any, **options: Any) -> str: ...
    def download_generated_sprite(self, tag: Any = None, urls: Any = None, **options: Any) -> str: ...
    def download_multi(self, tag: Any = None, urls: Any = None, **options: Any) -> str: ...
    # HTML tags
    def image_tag(self, public_id: Any, **options: Any) -> str: ...
    def image_attributes(self, public_id: Any, **options: Any) -> Dict[str, Any]: ...
    def video_tag(self, public_id: Any, **options: Any) -> str: ...
    def picture_tag(self, public_id: Any, **options: Any) -> str: ...
    def source_tag(self, public_id: str, **options: Any) -> str: ...
    def lazy_image_tag(
        self, public_id: str, placeholder: Optional[str] = None, **options: Any
    ) -> str: ...
    def placeholder_urls(self, public_id: str, mode: str, **options: Any) -> Dict[str, str]: ...

    # uploads and the Upload API (HTTP)
    def upload(
        self,
        file: _Source,
        *,
        chunk_size: Optional[int] = None,
        parallel: Optional[int] = None,
        progress: Optional[_Progress] = None,
        resume: Optional[str] = None,
        checkpoint: Optional[_Checkpoint] = None,
        resume_file: Optional[Union[str, "os.PathLike[str]"]] = None,
        **options: Any,
    ) -> _Answer: ...
    def upload_async(
        self,
        file: _Source,
        *,
        chunk_size: Optional[int] = None,
        parallel: Optional[int] = None,
        progress: Optional[_Progress] = None,
        resume: Optional[str] = None,
        checkpoint: Optional[_Checkpoint] = None,
        resume_file: Optional[Union[str, "os.PathLike[str]"]] = None,
        **options: Any,
    ) -> Coroutine[Any, Any, _Answer]: ...
    def call_upload_api(
        self, method: str, args: Optional[Mapping[str, Any]] = None, **options: Any
    ) -> _Answer: ...
    def call_upload_api_async(
        self, method: str, args: Optional[Mapping[str, Any]] = None, **options: Any
    ) -> Coroutine[Any, Any, _Answer]: ...
    # the Admin API (HTTP)
    def admin(
        self, name: str, args: Optional[Mapping[str, Any]] = None, **options: Any
    ) -> _Answer: ...
    def admin_async(
        self, name: str, args: Optional[Mapping[str, Any]] = None, **options: Any
    ) -> Coroutine[Any, Any, _Answer]: ...
    def pages(
        self, name: str, args: Optional[Mapping[str, Any]] = None, **options: Any
    ) -> Pages: ...
    # any call of the catalogue by name
    def call(
        self, name: str, args: Optional[Mapping[str, Any]] = None, options: Optional[Mapping[str, Any]] = None
    ) -> Any: ...
    def call_async(
        self, name: str, args: Optional[Mapping[str, Any]] = None, options: Optional[Mapping[str, Any]] = None
    ) -> Coroutine[Any, Any, Any]: ...
    # the `sync` row with a progress callable (what the generated `sync` calls)
    def sync_call(
        self,
        args: Mapping[str, Any],
        options: Optional[Mapping[str, Any]] = None,
        progress: Optional[Callable[[Dict[str, Any]], None]] = None,
    ) -> Dict[str, Any]: ...
    def sync_call_async(
        self,
        args: Mapping[str, Any],
        options: Optional[Mapping[str, Any]] = None,
        progress: Optional[Callable[[Dict[str, Any]], None]] = None,
    ) -> Coroutine[Any, Any, Dict[str, Any]]: ...
    # the calls of the catalogue (generated)
    # >>> generated: Client
    def placeholder_url(self, public_id: str, placeholder: Optional[str] = None, **options: Any) -> str:
        """The URL of a low-cost placeholder (blur, pixelate, vectorize, predominant-color) for lazy loading."""
    def unsigned_upload(self, file: str, upload_preset: str, **options: Any) -> Dict[str, Any]:
        """Uploads without a signature through an unsigned upload preset."""
    async def unsigned_upload_async(self, file: str, upload_preset: str, **options: Any) -> Dict[str, Any]: ...
    def upload_large(self, file: str, **options: Any) -> Dict[str, Any]:
        """Uploads a large file in chunks (every upload above the chunk size is chunked)."""
    async def upload_large_async(self, file: str, **options: Any) -> Dict[str, Any]: ...
    def explicit(self, public_id: str, **options: Any) -> Dict[str, Any]:
        """Applies upload parameters (eager, tags, context, ...) to an existing asset."""
    async def explicit_async(self, public_id: str, **options: Any) -> Dict[str, Any]: ...
    def rename(self, from_public_id: str, to_public_id: str, **options: Any) -> Dict[str, Any]:
        """Renames an asset."""
    async def rename_async(self, from_public_id: str, to_public_id: str, **options: Any) -> Dict[str, Any]: ...
    def destroy(self, public_id: str, **options: Any) -> Dict[str, Any]:
        """Deletes an asset."""
    async def destroy_async(self, public_id: str, **options: Any) -> Dict[str, Any]: ...
    def add_tag(self, tag: Union[str, Sequence[str]], public_ids: Optional[Union[str, Sequence[str]]] = None, **options: Any) -> Dict[str, Any]:
        """Adds a tag to assets (exclusive: true removes it from all others)."""
    async def add_tag_async(self, tag: Union[str, Sequence[str]], public_ids: Optional[Union[str, Sequence[str]]] = None, **options: Any) -> Dict[str, Any]: ...
    def remove_tag(self, tag: Union[str, Sequence[str]], public_ids: Optional[Union[str, Sequence[str]]] = None, **options: Any) -> Dict[str, Any]:
        """Removes a tag from assets."""
    async def remove_tag_async(self, tag: Union[str, Sequence[str]], public_ids: Optional[Union[str, Sequence[str]]] = None, **options: Any) -> Dict[str, Any]: ...
    def replace_tag(self, tag: Union[str, Sequence[str]], public_ids: Optional[Union[str, Sequence[str]]] = None, **options: Any) -> Dict[str, Any]:
        """Replaces all tags of assets with one tag."""
    async def replace_tag_async(self, tag: Union[str, Sequence[str]], public_ids: Optional[Union[str, Sequence[str]]] = None, **options: Any) -> Dict[str, Any]: ...
    def remove_all_tags(self, public_ids: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]:
        """Removes every tag from assets."""
    async def remove_all_tags_async(self, public_ids: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]: ...
    def add_context(self, context: Mapping[str, Any], public_ids: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]:
        """Adds contextual metadata to assets."""
    async def add_context_async(self, context: Mapping[str, Any], public_ids: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]: ...
    def remove_all_context(self, public_ids: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]:
        """Removes all contextual metadata from assets."""
    async def remove_all_context_async(self, public_ids: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]: ...
    def update_metadata(self, metadata: Mapping[str, Any], public_ids: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]:
        """Sets structured metadata on assets."""
    async def update_metadata_async(self, metadata: Mapping[str, Any], public_ids: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]: ...
    def text(self, text: str, **options: Any) -> Dict[str, Any]:
        """Creates an image of a text with font options."""
    async def text_async(self, text: str, **options: Any) -> Dict[str, Any]: ...
    def generate_sprite(self, tag: Optional[str] = None, urls: Optional[Union[str, Sequence[str]]] = None, **options: Any) -> Dict[str, Any]:
        """Generates a sprite from the images with a tag or from URLs."""
    async def generate_sprite_async(self, tag: Optional[str] = None, urls: Optional[Union[str, Sequence[str]]] = None, **options: Any) -> Dict[str, Any]: ...
    def multi(self, tag: Optional[str] = None, urls: Optional[Union[str, Sequence[str]]] = None, **options: Any) -> Dict[str, Any]:
        """Creates an animated image, video or PDF from a tag or URLs."""
    async def multi_async(self, tag: Optional[str] = None, urls: Optional[Union[str, Sequence[str]]] = None, **options: Any) -> Dict[str, Any]: ...
    def explode(self, public_id: str, **options: Any) -> Dict[str, Any]:
        """Creates an image per page of a multi-page file (page: all)."""
    async def explode_async(self, public_id: str, **options: Any) -> Dict[str, Any]: ...
    def create_archive(self, **options: Any) -> Dict[str, Any]:
        """Creates an archive (ZIP by default, or TGZ) of assets and stores it as a raw asset."""
    async def create_archive_async(self, **options: Any) -> Dict[str, Any]: ...
    def create_zip(self, **options: Any) -> Dict[str, Any]:
        """Creates a ZIP archive of assets and stores it as a raw asset."""
    async def create_zip_async(self, **options: Any) -> Dict[str, Any]: ...
    def create_slideshow(self, **options: Any) -> Dict[str, Any]:
        """Creates a slideshow video from a manifest (manifest_json or manifest_transformation)."""
    async def create_slideshow_async(self, **options: Any) -> Dict[str, Any]: ...
    def ping(self, **options: Any) -> Dict[str, Any]:
        """Tests the reachability of the Admin API."""
    async def ping_async(self, **options: Any) -> Dict[str, Any]: ...
    def usage(self, **options: Any) -> Dict[str, Any]:
        """The product environment's usage (storage, bandwidth, credits, ...), of a date if given."""
    async def usage_async(self, **options: Any) -> Dict[str, Any]: ...
    def config(self, **options: Any) -> Dict[str, Any]:
        """The product environment's configuration (settings: true adds folder_mode and more)."""
    async def config_async(self, **options: Any) -> Dict[str, Any]: ...
    def resource_types(self, **options: Any) -> Dict[str, Any]:
        """The resource types in use."""
    async def resource_types_async(self, **options: Any) -> Dict[str, Any]: ...
    def resources(self, **options: Any) -> Dict[str, Any]:
        """Lists assets of a resource type (and delivery type, prefix, start_at, ...)."""
    async def resources_async(self, **options: Any) -> Dict[str, Any]: ...
    def resources_by_tag(self, tag: str, **options: Any) -> Dict[str, Any]:
        """Lists assets with a tag."""
    async def resources_by_tag_async(self, tag: str, **options: Any) -> Dict[str, Any]: ...
    def resources_by_context(self, key: str, value: Optional[str] = None, **options: Any) -> Dict[str, Any]:
        """Lists assets with a context key (and value)."""
    async def resources_by_context_async(self, key: str, value: Optional[str] = None, **options: Any) -> Dict[str, Any]: ...
    def resources_by_moderation(self, kind: str, status: str, **options: Any) -> Dict[str, Any]:
        """Lists assets in a moderation queue with a moderation status."""
    async def resources_by_moderation_async(self, kind: str, status: str, **options: Any) -> Dict[str, Any]: ...
    def resources_by_ids(self, public_ids: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]:
        """Lists the assets with these public ids."""
    async def resources_by_ids_async(self, public_ids: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]: ...
    def resources_by_asset_ids(self, asset_ids: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]:
        """Lists the assets with these asset ids."""
    async def resources_by_asset_ids_async(self, asset_ids: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]: ...
    def resources_by_asset_folder(self, asset_folder: str, **options: Any) -> Dict[str, Any]:
        """Lists the assets in an asset folder (dynamic folders)."""
    async def resources_by_asset_folder_async(self, asset_folder: str, **options: Any) -> Dict[str, Any]: ...
    def resource(self, public_id: str, **options: Any) -> Dict[str, Any]:
        """The details of an asset by public id (derived assets, versions, related assets, analysis)."""
    async def resource_async(self, public_id: str, **options: Any) -> Dict[str, Any]: ...
    def resource_by_asset_id(self, asset_id: str, **options: Any) -> Dict[str, Any]:
        """The details of an asset by asset id."""
    async def resource_by_asset_id_async(self, asset_id: str, **options: Any) -> Dict[str, Any]: ...
    def update(self, public_id: str, **options: Any) -> Dict[str, Any]:
        """Updates an asset's tags, context, metadata, folder, display name, moderation, ..."""
    async def update_async(self, public_id: str, **options: Any) -> Dict[str, Any]: ...
    def restore(self, public_ids: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]:
        """Restores deleted assets from their backups (latest, or the given versions)."""
    async def restore_async(self, public_ids: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]: ...
    def restore_by_asset_ids(self, asset_ids: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]:
        """Restores deleted assets by asset id from their backups."""
    async def restore_by_asset_ids_async(self, asset_ids: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]: ...
    def delete_resources(self, public_ids: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]:
        """Deletes assets by public id."""
    async def delete_resources_async(self, public_ids: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]: ...
    def delete_resources_by_prefix(self, prefix: str, **options: Any) -> Dict[str, Any]:
        """Deletes the assets whose public ids start with a prefix."""
    async def delete_resources_by_prefix_async(self, prefix: str, **options: Any) -> Dict[str, Any]: ...
    def delete_all_resources(self, **options: Any) -> Dict[str, Any]:
        """Deletes every asset of a resource and delivery type."""
    async def delete_all_resources_async(self, **options: Any) -> Dict[str, Any]: ...
    def delete_resources_by_tag(self, tag: str, **options: Any) -> Dict[str, Any]:
        """Deletes the assets with a tag."""
    async def delete_resources_by_tag_async(self, tag: str, **options: Any) -> Dict[str, Any]: ...
    def delete_resources_by_asset_ids(self, asset_ids: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]:
        """Deletes assets by asset id."""
    async def delete_resources_by_asset_ids_async(self, asset_ids: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]: ...
    def delete_derived_resources(self, derived_resource_ids: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]:
        """Deletes derived assets by derived resource id."""
    async def delete_derived_resources_async(self, derived_resource_ids: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]: ...
    def delete_derived_by_transformation(self, public_ids: Union[str, Sequence[str]], transformations: Any, resource_type: Optional[str] = None, type: Optional[str] = None, invalidate: Optional[bool] = None, **options: Any) -> Dict[str, Any]:
        """Deletes the derived assets of public ids made with the given transformations."""
    async def delete_derived_by_transformation_async(self, public_ids: Union[str, Sequence[str]], transformations: Any, resource_type: Optional[str] = None, type: Optional[str] = None, invalidate: Optional[bool] = None, **options: Any) -> Dict[str, Any]: ...
    def delete_backed_up_assets(self, asset_id: str, version_ids: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]:
        """Deletes backed-up versions of an asset."""
    async def delete_backed_up_assets_async(self, asset_id: str, version_ids: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]: ...
    def add_related_assets(self, public_id: str, assets_to_relate: Union[str, Sequence[str]], resource_type: Optional[str] = None, type: Optional[str] = None, **options: Any) -> Dict[str, Any]:
        """Relates an asset to other assets (resource_type/type/public_id each)."""
    async def add_related_assets_async(self, public_id: str, assets_to_relate: Union[str, Sequence[str]], resource_type: Optional[str] = None, type: Optional[str] = None, **options: Any) -> Dict[str, Any]: ...
    def add_related_assets_by_asset_ids(self, asset_id: str, assets_to_relate: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]:
        """Relates an asset to other assets by asset id."""
    async def add_related_assets_by_asset_ids_async(self, asset_id: str, assets_to_relate: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]: ...
    def delete_related_assets(self, public_id: str, assets_to_unrelate: Union[str, Sequence[str]], resource_type: Optional[str] = None, type: Optional[str] = None, **options: Any) -> Dict[str, Any]:
        """Unrelates an asset from other assets."""
    async def delete_related_assets_async(self, public_id: str, assets_to_unrelate: Union[str, Sequence[str]], resource_type: Optional[str] = None, type: Optional[str] = None, **options: Any) -> Dict[str, Any]: ...
    def delete_related_assets_by_asset_ids(self, asset_id: str, assets_to_unrelate: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]:
        """Unrelates an asset from other assets by asset id."""
    async def delete_related_assets_by_asset_ids_async(self, asset_id: str, assets_to_unrelate: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]: ...
    def publish_by_ids(self, public_ids: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]:
        """Publishes assets (access_mode public) by public id."""
    async def publish_by_ids_async(self, public_ids: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]: ...
    def publish_by_prefix(self, prefix: str, **options: Any) -> Dict[str, Any]:
        """Publishes the assets whose public ids start with a prefix."""
    async def publish_by_prefix_async(self, prefix: str, **options: Any) -> Dict[str, Any]: ...
    def publish_by_tag(self, tag: str, **options: Any) -> Dict[str, Any]:
        """Publishes the assets with a tag."""
    async def publish_by_tag_async(self, tag: str, **options: Any) -> Dict[str, Any]: ...
    def update_resources_access_mode_by_ids(self, access_mode: str, ids: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]:
        """Sets the access mode (public or authenticated) of assets by public id (Node SDK)."""
    async def update_resources_access_mode_by_ids_async(self, access_mode: str, ids: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]: ...
    def update_resources_access_mode_by_tag(self, access_mode: str, tag: str, **options: Any) -> Dict[str, Any]:
        """Sets the access mode of the assets with a tag (Node SDK)."""
    async def update_resources_access_mode_by_tag_async(self, access_mode: str, tag: str, **options: Any) -> Dict[str, Any]: ...
    def update_resources_access_mode_by_prefix(self, access_mode: str, prefix: str, **options: Any) -> Dict[str, Any]:
        """Sets the access mode of the assets whose public ids start with a prefix (Node SDK)."""
    async def update_resources_access_mode_by_prefix_async(self, access_mode: str, prefix: str, **options: Any) -> Dict[str, Any]: ...
    def tags(self, **options: Any) -> Dict[str, Any]:
        """Lists the tags of a resource type."""
    async def tags_async(self, **options: Any) -> Dict[str, Any]: ...
    def root_folders(self, **options: Any) -> Dict[str, Any]:
        """Lists the root folders."""
    async def root_folders_async(self, **options: Any) -> Dict[str, Any]: ...
    def subfolders(self, of_folder_path: str, **options: Any) -> Dict[str, Any]:
        """Lists the subfolders of a folder."""
    async def subfolders_async(self, of_folder_path: str, **options: Any) -> Dict[str, Any]: ...
    def create_folder(self, path: str, **options: Any) -> Dict[str, Any]:
        """Creates a folder (and its parents)."""
    async def create_folder_async(self, path: str, **options: Any) -> Dict[str, Any]: ...
    def rename_folder(self, from_path: str, to_path: str, **options: Any) -> Dict[str, Any]:
        """Renames or moves a folder."""
    async def rename_folder_async(self, from_path: str, to_path: str, **options: Any) -> Dict[str, Any]: ...
    def delete_folder(self, path: str, **options: Any) -> Dict[str, Any]:
        """Deletes an empty folder."""
    async def delete_folder_async(self, path: str, **options: Any) -> Dict[str, Any]: ...
    def upload_presets(self, **options: Any) -> Dict[str, Any]:
        """Lists the upload presets."""
    async def upload_presets_async(self, **options: Any) -> Dict[str, Any]: ...
    def upload_preset(self, name: str, **options: Any) -> Dict[str, Any]:
        """The settings of an upload preset."""
    async def upload_preset_async(self, name: str, **options: Any) -> Dict[str, Any]: ...
    def create_upload_preset(self, **options: Any) -> Dict[str, Any]:
        """Creates an upload preset from upload parameters (name, unsigned, disallow_public_id, live)."""
    async def create_upload_preset_async(self, **options: Any) -> Dict[str, Any]: ...
    def update_upload_preset(self, name: str, **options: Any) -> Dict[str, Any]:
        """Updates an upload preset's settings."""
    async def update_upload_preset_async(self, name: str, **options: Any) -> Dict[str, Any]: ...
    def delete_upload_preset(self, name: str, **options: Any) -> Dict[str, Any]:
        """Deletes an upload preset."""
    async def delete_upload_preset_async(self, name: str, **options: Any) -> Dict[str, Any]: ...
    def upload_mappings(self, **options: Any) -> Dict[str, Any]:
        """Lists the upload mappings (folder and URL template)."""
    async def upload_mappings_async(self, **options: Any) -> Dict[str, Any]: ...
    def upload_mapping(self, name: str, **options: Any) -> Dict[str, Any]:
        """The URL template of an upload mapping's folder."""
    async def upload_mapping_async(self, name: str, **options: Any) -> Dict[str, Any]: ...
    def create_upload_mapping(self, name: str, **options: Any) -> Dict[str, Any]:
        """Maps a folder to a URL template (auto-upload)."""
    async def create_upload_mapping_async(self, name: str, **options: Any) -> Dict[str, Any]: ...
    def update_upload_mapping(self, name: str, **options: Any) -> Dict[str, Any]:
        """Changes the URL template of an upload mapping."""
    async def update_upload_mapping_async(self, name: str, **options: Any) -> Dict[str, Any]: ...
    def delete_upload_mapping(self, name: str, **options: Any) -> Dict[str, Any]:
        """Deletes an upload mapping."""
    async def delete_upload_mapping_async(self, name: str, **options: Any) -> Dict[str, Any]: ...
    def transformations(self, **options: Any) -> Dict[str, Any]:
        """Lists the transformations (named: true for named ones only)."""
    async def transformations_async(self, **options: Any) -> Dict[str, Any]: ...
    def transformation(self, transformation: Union[str, Mapping[str, Any], Sequence[Any]], **options: Any) -> Dict[str, Any]:
        """The details of a transformation (its derived assets)."""
    async def transformation_async(self, transformation: Union[str, Mapping[str, Any], Sequence[Any]], **options: Any) -> Dict[str, Any]: ...
    def create_transformation(self, name: str, definition: Union[str, Mapping[str, Any], Sequence[Any]], **options: Any) -> Dict[str, Any]:
        """Creates a named transformation."""
    async def create_transformation_async(self, name: str, definition: Union[str, Mapping[str, Any], Sequence[Any]], **options: Any) -> Dict[str, Any]: ...
    def update_transformation(self, transformation: Union[str, Mapping[str, Any], Sequence[Any]], **options: Any) -> Dict[str, Any]:
        """Updates a transformation (allowed_for_strict, unsafe_update)."""
    async def update_transformation_async(self, transformation: Union[str, Mapping[str, Any], Sequence[Any]], **options: Any) -> Dict[str, Any]: ...
    def delete_transformation(self, transformation: Union[str, Mapping[str, Any], Sequence[Any]], **options: Any) -> Dict[str, Any]:
        """Deletes a transformation."""
    async def delete_transformation_async(self, transformation: Union[str, Mapping[str, Any], Sequence[Any]], **options: Any) -> Dict[str, Any]: ...
    def list_streaming_profiles(self, **options: Any) -> Dict[str, Any]:
        """Lists the built-in and custom adaptive streaming profiles."""
    async def list_streaming_profiles_async(self, **options: Any) -> Dict[str, Any]: ...
    def get_streaming_profile(self, name: str, **options: Any) -> Dict[str, Any]:
        """The representations of a streaming profile."""
    async def get_streaming_profile_async(self, name: str, **options: Any) -> Dict[str, Any]: ...
    def create_streaming_profile(self, name: str, **options: Any) -> Dict[str, Any]:
        """Creates a custom streaming profile (display_name, representations)."""
    async def create_streaming_profile_async(self, name: str, **options: Any) -> Dict[str, Any]: ...
    def update_streaming_profile(self, name: str, **options: Any) -> Dict[str, Any]:
        """Replaces a streaming profile's representations or display name."""
    async def update_streaming_profile_async(self, name: str, **options: Any) -> Dict[str, Any]: ...
    def delete_streaming_profile(self, name: str, **options: Any) -> Dict[str, Any]:
        """Deletes a custom streaming profile (or reverts a modified built-in one)."""
    async def delete_streaming_profile_async(self, name: str, **options: Any) -> Dict[str, Any]: ...
    def list_metadata_fields(self, **options: Any) -> Dict[str, Any]:
        """Lists the structured metadata fields."""
    async def list_metadata_fields_async(self, **options: Any) -> Dict[str, Any]: ...
    def metadata_field_by_field_id(self, field_external_id: str, **options: Any) -> Dict[str, Any]:
        """A structured metadata field by external id."""
    async def metadata_field_by_field_id_async(self, field_external_id: str, **options: Any) -> Dict[str, Any]: ...
    def add_metadata_field(self, field: Mapping[str, Any], **options: Any) -> Dict[str, Any]:
        """Creates a structured metadata field."""
    async def add_metadata_field_async(self, field: Mapping[str, Any], **options: Any) -> Dict[str, Any]: ...
    def update_metadata_field(self, field_external_id: str, field: Mapping[str, Any], **options: Any) -> Dict[str, Any]:
        """Updates a structured metadata field."""
    async def update_metadata_field_async(self, field_external_id: str, field: Mapping[str, Any], **options: Any) -> Dict[str, Any]: ...
    def delete_metadata_field(self, field_external_id: str, **options: Any) -> Dict[str, Any]:
        """Deletes a structured metadata field."""
    async def delete_metadata_field_async(self, field_external_id: str, **options: Any) -> Dict[str, Any]: ...
    def update_metadata_field_datasource(self, field_external_id: str, entries_external_id: Sequence[Any], **options: Any) -> Dict[str, Any]:
        """Adds or updates entries of a field's datasource ({external_id, value} each)."""
    async def update_metadata_field_datasource_async(self, field_external_id: str, entries_external_id: Sequence[Any], **options: Any) -> Dict[str, Any]: ...
    def delete_datasource_entries(self, field_external_id: str, entries_external_id: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]:
        """Deactivates entries of a field's datasource."""
    async def delete_datasource_entries_async(self, field_external_id: str, entries_external_id: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]: ...
    def restore_metadata_field_datasource(self, field_external_id: str, entries_external_ids: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]:
        """Restores deactivated entries of a field's datasource."""
    async def restore_metadata_field_datasource_async(self, field_external_id: str, entries_external_ids: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]: ...
    def reorder_metadata_field_datasource(self, field_external_id: str, order_by: str, direction: Optional[str] = None, **options: Any) -> Dict[str, Any]:
        """Orders a field's datasource entries (order_by value, direction asc or desc)."""
    async def reorder_metadata_field_datasource_async(self, field_external_id: str, order_by: str, direction: Optional[str] = None, **options: Any) -> Dict[str, Any]: ...
    def reorder_metadata_fields(self, order_by: str, direction: Optional[str] = None, **options: Any) -> Dict[str, Any]:
        """Orders the metadata fields (order_by label, external_id or created_at)."""
    async def reorder_metadata_fields_async(self, order_by: str, direction: Optional[str] = None, **options: Any) -> Dict[str, Any]: ...
    def list_metadata_rules(self, **options: Any) -> Dict[str, Any]:
        """Lists the conditional metadata rules."""
    async def list_metadata_rules_async(self, **options: Any) -> Dict[str, Any]: ...
    def add_metadata_rule(self, rule: Mapping[str, Any], **options: Any) -> Dict[str, Any]:
        """Creates a conditional metadata rule."""
    async def add_metadata_rule_async(self, rule: Mapping[str, Any], **options: Any) -> Dict[str, Any]: ...
    def update_metadata_rule(self, rule_external_id: str, rule: Mapping[str, Any], **options: Any) -> Dict[str, Any]:
        """Updates a conditional metadata rule."""
    async def update_metadata_rule_async(self, rule_external_id: str, rule: Mapping[str, Any], **options: Any) -> Dict[str, Any]: ...
    def delete_metadata_rule(self, rule_external_id: str, **options: Any) -> Dict[str, Any]:
        """Deletes a conditional metadata rule."""
    async def delete_metadata_rule_async(self, rule_external_id: str, **options: Any) -> Dict[str, Any]: ...
    def triggers(self, **options: Any) -> Dict[str, Any]:
        """Lists the notification triggers (of an event_type)."""
    async def triggers_async(self, **options: Any) -> Dict[str, Any]: ...
    def create_trigger(self, uri: str, event_type: str, uri_type: Optional[str] = None, **options: Any) -> Dict[str, Any]:
        """Creates a notification trigger (webhook, flow or poll destination)."""
    async def create_trigger_async(self, uri: str, event_type: str, uri_type: Optional[str] = None, **options: Any) -> Dict[str, Any]: ...
    def update_trigger(self, trigger_id: str, new_uri: str, **options: Any) -> Dict[str, Any]:
        """Changes a trigger's destination URI."""
    async def update_trigger_async(self, trigger_id: str, new_uri: str, **options: Any) -> Dict[str, Any]: ...
    def delete_trigger(self, trigger_id: str, **options: Any) -> Dict[str, Any]:
        """Deletes a notification trigger."""
    async def delete_trigger_async(self, trigger_id: str, **options: Any) -> Dict[str, Any]: ...
    def test_trigger(self, trigger_id: str, sample_data: Optional[Mapping[str, Any]] = None, **options: Any) -> Dict[str, Any]:
        """Evaluates a trigger's filter against sample data."""
    async def test_trigger_async(self, trigger_id: str, sample_data: Optional[Mapping[str, Any]] = None, **options: Any) -> Dict[str, Any]: ...
    def notifications(self, channel: Optional[str] = None, batch_id: Optional[str] = None, max_messages: Optional[int] = None, wait_seconds: Optional[int] = None, visibility_timeout: Optional[int] = None, **options: Any) -> Dict[str, Any]:
        """Claims notifications buffered for a poll destination (a channel or a batch_id)."""
    async def notifications_async(self, channel: Optional[str] = None, batch_id: Optional[str] = None, max_messages: Optional[int] = None, wait_seconds: Optional[int] = None, visibility_timeout: Optional[int] = None, **options: Any) -> Dict[str, Any]: ...
    def ack_notifications(self, receipt_handles: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]:
        """Acknowledges claimed notifications, deleting them from the buffer."""
    async def ack_notifications_async(self, receipt_handles: Union[str, Sequence[str]], **options: Any) -> Dict[str, Any]: ...
    def analyze(self, input_type: str, analysis_type: str, uri: Optional[str] = None, **options: Any) -> Dict[str, Any]:
        """Analyzes an asset (captioning, tagging, ...) from a URI."""
    async def analyze_async(self, input_type: str, analysis_type: str, uri: Optional[str] = None, **options: Any) -> Dict[str, Any]: ...
    def call_api(self, method: str, path: Union[str, Sequence[str]], params: Optional[Mapping[str, Any]] = None, **options: Any) -> Dict[str, Any]:
        """Calls any Admin API endpoint (for endpoints added after this release)."""
    async def call_api_async(self, method: str, path: Union[str, Sequence[str]], params: Optional[Mapping[str, Any]] = None, **options: Any) -> Dict[str, Any]: ...
    def search(self, expression: Optional[str] = None, **options: Any) -> Dict[str, Any]:
        """Searches assets (expression, sort_by, max_results, next_cursor, aggregate, with_field, fields)."""
    async def search_async(self, expression: Optional[str] = None, **options: Any) -> Dict[str, Any]: ...
    def search_folders(self, expression: Optional[str] = None, **options: Any) -> Dict[str, Any]:
        """Searches folders (same options as search)."""
    async def search_folders_async(self, expression: Optional[str] = None, **options: Any) -> Dict[str, Any]: ...
    def search_url(self, expression: Optional[str] = None, ttl: Optional[int] = None, next_cursor: Optional[str] = None, **options: Any) -> str:
        """The signed, cacheable search URL on the delivery host (ttl 300 s by default)."""
    def visual_search(self, image_url: Optional[str] = None, image_asset_id: Optional[str] = None, text: Optional[str] = None, image_file: Optional[str] = None, **options: Any) -> Dict[str, Any]:
        """Finds images similar to an image URL, asset, file or text description."""
    async def visual_search_async(self, image_url: Optional[str] = None, image_asset_id: Optional[str] = None, text: Optional[str] = None, image_file: Optional[str] = None, **options: Any) -> Dict[str, Any]: ...
    def sync(self, inventory: Any, *, progress: Optional[Callable[[Dict[str, Any]], None]] = None, **options: Any) -> Dict[str, Any]:
        """Syncs an inventory (a directory path, or a list of items with id, public_id and path, url or data) with a folder; returns the report."""
    async def sync_async(self, inventory: Any, *, progress: Optional[Callable[[Dict[str, Any]], None]] = None, **options: Any) -> Dict[str, Any]: ...
    # <<< generated: Client

# >>> generated: AccountClient
@final
class AccountClient:
    """The Provisioning API's client (from ``CLOUDINARY_ACCOUNT_URL`` when ``url`` is None)."""

    def __new__(cls, url: Optional[str] = None) -> "AccountClient": ...
    def call(
        self, name: str, args: Optional[Mapping[str, Any]] = None, options: Optional[Mapping[str, Any]] = None
    ) -> Any: ...
    def call_async(
        self, name: str, args: Optional[Mapping[str, Any]] = None, options: Optional[Mapping[str, Any]] = None
    ) -> Coroutine[Any, Any, Any]: ...
    def sub_accounts(self, enabled: Optional[bool] = None, ids: Optional[Union[str, Sequence[str]]] = None, prefix: Optional[str] = None, **options: Any) -> Dict[str, Any]:
        """Lists the product environments (sub-accounts)."""
    async def sub_accounts_async(self, enabled: Optional[bool] = None, ids: Optional[Union[str, Sequence[str]]] = None, prefix: Optional[str] = None, **options: Any) -> Dict[str, Any]: ...
    def sub_account(self, sub_account_id: str, **options: Any) -> Dict[str, Any]:
        """A product environment."""
    async def sub_account_async(self, sub_account_id: str, **options: Any) -> Dict[str, Any]: ...
    def create_sub_account(self, name: str, cloud_name: Optional[str] = None, custom_attributes: Optional[Mapping[str, Any]] = None, enabled: Optional[bool] = None, base_account: Optional[str] = None, **options: Any) -> Dict[str, Any]:
        """Creates a product environment (optionally copying a base one)."""
    async def create_sub_account_async(self, name: str, cloud_name: Optional[str] = None, custom_attributes: Optional[Mapping[str, Any]] = None, enabled: Optional[bool] = None, base_account: Optional[str] = None, **options: Any) -> Dict[str, Any]: ...
    def update_sub_account(self, sub_account_id: str, name: Optional[str] = None, cloud_name: Optional[str] = None, custom_attributes: Optional[Mapping[str, Any]] = None, enabled: Optional[bool] = None, **options: Any) -> Dict[str, Any]:
        """Updates a product environment."""
    async def update_sub_account_async(self, sub_account_id: str, name: Optional[str] = None, cloud_name: Optional[str] = None, custom_attributes: Optional[Mapping[str, Any]] = None, enabled: Optional[bool] = None, **options: Any) -> Dict[str, Any]: ...
    def delete_sub_account(self, sub_account_id: str, **options: Any) -> Dict[str, Any]:
        """Deletes a product environment."""
    async def delete_sub_account_async(self, sub_account_id: str, **options: Any) -> Dict[str, Any]: ...
    def users(self, user_ids: Optional[Union[str, Sequence[str]]] = None, sub_account_id: Optional[str] = None, status: Optional[str] = None, prefix: Optional[str] = None, last_login: Optional[bool] = None, from_date: Optional[str] = None, to_date: Optional[str] = None, **options: Any) -> Dict[str, Any]:
        """Lists the account's users."""
    async def users_async(self, user_ids: Optional[Union[str, Sequence[str]]] = None, sub_account_id: Optional[str] = None, status: Optional[str] = None, prefix: Optional[str] = None, last_login: Optional[bool] = None, from_date: Optional[str] = None, to_date: Optional[str] = None, **options: Any) -> Dict[str, Any]: ...
    def user(self, user_id: str, **options: Any) -> Dict[str, Any]:
        """A user."""
    async def user_async(self, user_id: str, **options: Any) -> Dict[str, Any]: ...
    def create_user(self, name: str, email: str, role: str, sub_account_ids: Optional[Union[str, Sequence[str]]] = None, **options: Any) -> Dict[str, Any]:
        """Creates a user with a role (and product environments)."""
    async def create_user_async(self, name: str, email: str, role: str, sub_account_ids: Optional[Union[str, Sequence[str]]] = None, **options: Any) -> Dict[str, Any]: ...
    def update_user(self, user_id: str, name: Optional[str] = None, email: Optional[str] = None, role: Optional[str] = None, sub_account_ids: Optional[Union[str, Sequence[str]]] = None, **options: Any) -> Dict[str, Any]:
        """Updates a user."""
    async def update_user_async(self, user_id: str, name: Optional[str] = None, email: Optional[str] = None, role: Optional[str] = None, sub_account_ids: Optional[Union[str, Sequence[str]]] = None, **options: Any) -> Dict[str, Any]: ...
    def delete_user(self, user_id: str, **options: Any) -> Dict[str, Any]:
        """Deletes a user."""
    async def delete_user_async(self, user_id: str, **options: Any) -> Dict[str, Any]: ...
    def user_groups(self, **options: Any) -> Dict[str, Any]:
        """Lists the user groups."""
    async def user_groups_async(self, **options: Any) -> Dict[str, Any]: ...
    def user_group(self, user_group_id: str, **options: Any) -> Dict[str, Any]:
        """A user group."""
    async def user_group_async(self, user_group_id: str, **options: Any) -> Dict[str, Any]: ...
    def create_user_group(self, name: str, **options: Any) -> Dict[str, Any]:
        """Creates a user group."""
    async def create_user_group_async(self, name: str, **options: Any) -> Dict[str, Any]: ...
    def update_user_group(self, user_group_id: str, name: str, **options: Any) -> Dict[str, Any]:
        """Renames a user group."""
    async def update_user_group_async(self, user_group_id: str, name: str, **options: Any) -> Dict[str, Any]: ...
    def delete_user_group(self, user_group_id: str, **options: Any) -> Dict[str, Any]:
        """Deletes a user group."""
    async def delete_user_group_async(self, user_group_id: str, **options: Any) -> Dict[str, Any]: ...
    def add_user_to_group(self, user_group_id: str, user_id: str, **options: Any) -> Dict[str, Any]:
        """Adds a user to a user group."""
    async def add_user_to_group_async(self, user_group_id: str, user_id: str, **options: Any) -> Dict[str, Any]: ...
    def remove_user_from_group(self, user_group_id: str, user_id: str, **options: Any) -> Dict[str, Any]:
        """Removes a user from a user group."""
    async def remove_user_from_group_async(self, user_group_id: str, user_id: str, **options: Any) -> Dict[str, Any]: ...
    def user_group_users(self, user_group_id: str, **options: Any) -> Dict[str, Any]:
        """Lists the users of a user group."""
    async def user_group_users_async(self, user_group_id: str, **options: Any) -> Dict[str, Any]: ...
    def user_in_user_groups(self, user_id: str, **options: Any) -> Dict[str, Any]:
        """Lists the user groups of a user."""
    async def user_in_user_groups_async(self, user_id: str, **options: Any) -> Dict[str, Any]: ...
    def access_keys(self, sub_account_id: str, page_size: Optional[int] = None, page: Optional[int] = None, sort_by: Optional[str] = None, sort_order: Optional[str] = None, **options: Any) -> Dict[str, Any]:
        """Lists a product environment's access keys."""
    async def access_keys_async(self, sub_account_id: str, page_size: Optional[int] = None, page: Optional[int] = None, sort_by: Optional[str] = None, sort_order: Optional[str] = None, **options: Any) -> Dict[str, Any]: ...
    def generate_access_key(self, sub_account_id: str, name: Optional[str] = None, enabled: Optional[bool] = None, **options: Any) -> Dict[str, Any]:
        """Generates an access key (API key and secret)."""
    async def generate_access_key_async(self, sub_account_id: str, name: Optional[str] = None, enabled: Optional[bool] = None, **options: Any) -> Dict[str, Any]: ...
    def update_access_key(self, sub_account_id: str, api_key: str, name: Optional[str] = None, enabled: Optional[bool] = None, dedicated_for: Optional[str] = None, **options: Any) -> Dict[str, Any]:
        """Renames, enables or disables an access key (dedicated_for: webhooks)."""
    async def update_access_key_async(self, sub_account_id: str, api_key: str, name: Optional[str] = None, enabled: Optional[bool] = None, dedicated_for: Optional[str] = None, **options: Any) -> Dict[str, Any]: ...
    def delete_access_key(self, sub_account_id: str, api_key: Optional[str] = None, name: Optional[str] = None, **options: Any) -> Dict[str, Any]:
        """Deletes an access key by API key or by name."""
    async def delete_access_key_async(self, sub_account_id: str, api_key: Optional[str] = None, name: Optional[str] = None, **options: Any) -> Dict[str, Any]: ...
    def create_agent_account(self, email: str, agent_framework: str, agent_llm_model: str, agent_goal: str, sdk_framework: Optional[str] = None, **options: Any) -> Dict[str, Any]:
        """Creates a Free-plan account for a person, on behalf of an AI agent (public endpoint)."""
    async def create_agent_account_async(self, email: str, agent_framework: str, agent_llm_model: str, agent_goal: str, sdk_framework: Optional[str] = None, **options: Any) -> Dict[str, Any]: ...
    def create_cloud(self, delivery_ips: Optional[Union[str, Sequence[str]]] = None, email: Optional[str] = None, agent_framework: Optional[str] = None, agent_llm_model: Optional[str] = None, agent_goal: Optional[str] = None, sdk_framework: Optional[str] = None, **options: Any) -> Dict[str, Any]:
        """Creates a claimable cloud with delivery restricted to IP addresses (public endpoint)."""
    async def create_cloud_async(self, delivery_ips: Optional[Union[str, Sequence[str]]] = None, email: Optional[str] = None, agent_framework: Optional[str] = None, agent_llm_model: Optional[str] = None, agent_goal: Optional[str] = None, sdk_framework: Optional[str] = None, **options: Any) -> Dict[str, Any]: ...
# <<< generated: AccountClient

def api_sign_request(
    params: Mapping[str, Any], api_secret: str, algorithm: str = "sha1", signature_version: int = 2
) -> str: ...
def string_to_sign(params: Mapping[str, Any], signature_version: int = 2) -> str: ...
def parse_cloudinary_url(url: str, profile: Optional[str] = None) -> Dict[str, Any]: ...
def parse_account_url(url: str, profile: Optional[str] = None) -> Dict[str, Any]: ...
