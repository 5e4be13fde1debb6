/**
 * cldkit for Node.js: Cloudinary delivery URLs, signatures, upload requests, webhook
 * verification, download URLs and HTML tags, computed by the cldkit Rust engine; and
 * uploads and the Upload/Admin APIs as Promise-returning methods.
 * Options are the SDKs' snake_case option objects, passed unchanged.
 */

/** A value inside an option object: what the Cloudinary SDKs accept. */
export type OptionValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | undefined
  | PyFloat
  | Uint8Array
  | OptionValue[]
  | { [key: string]: OptionValue };

/** The SDKs' snake_case option (or parameter) object, e.g. `{ width: 300, crop: "fill" }`. */
export type Options = { [key: string]: OptionValue };

/** What cldkit uses of an `AbortSignal` (Node's and the DOM's fit). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** The options of a network call: the SDK options plus `signal`, an `AbortSignal` that stops the call (its Promise then rejects with `signal.reason`). */
export interface CallOptions {
  signal?: AbortSignalLike;
  [key: string]: OptionValue | AbortSignalLike | undefined;
}

/** The SDK settings (`cloud_name`, `api_key`, `api_secret`, `secure`, ...), plus `profile`. */
export interface ConfigOptions extends Options {
  cloud_name?: string;
  api_key?: string;
  api_secret?: string;
  secure?: boolean;
  private_cdn?: boolean;
  secure_distribution?: string;
  cname?: string;
  cdn_subdomain?: boolean;
  secure_cdn_subdomain?: boolean;
  sign_url?: boolean;
  signature_algorithm?: "sha1" | "sha256" | string;
  signature_version?: number;
  analytics?: boolean;
  urlAnalytics?: boolean;
  profile?: Profile;
}

/**
 * `"default"`: cldkit's defaults (https, escaped HTML); `"python"`: pycloudinary byte for
 * byte; `"node"`: the npm SDK `cloudinary` 2.11.0 byte for byte.
 */
export type Profile = "default" | "python" | "node" | "php";

/** Options of the client constructors. */
export interface ClientOptions {
  profile?: Profile;
}

/** An Upload API request ready to POST as multipart/form-data. */
export interface UploadRequest {
  /** The endpoint, e.g. `https://api.cloudinary.com/v1_1/demo/image/upload`. */
  url: string;
  /** Text fields in sending order (`name[]` repeated for lists). */
  fields: [string, string][];
  /** A local file to attach as the `file` part. */
  file?: { path: string; filename: string };
  /** `Bearer <oauth_token>` when OAuth replaces the signature. */
  authorization?: string;
}

/** What `explainSignature` returns. */
export interface SignatureExplanation {
  stringToSign: string;
  algorithm: "sha1" | "sha256";
  signatureVersion: number;
  signature: string;
}

/** What `signUploadWidget` returns. */
export interface WidgetSignature {
  timestamp: number;
  signature: string;
  apiKey: string;
}

/** Placeholder modes of `placeholderUrl` / `lazyImageTag`. */
export type PlaceholderMode = "blur" | "pixelate" | "predominant-color" | "vectorize";

/** What `upload` accepts: a local path, a remote URL or data URI, bytes, or a stream. */
export type UploadSource =
  | string
  | Uint8Array
  | ArrayBuffer
  | DataView
  | AsyncIterable<Uint8Array | string>;

/** How an upload is carried out (the wire parameters stay in the options). */
export interface UploadSettings {
  /** Chunk size in bytes (default: the `chunk_size` option, else 20 MB; at least 5 MiB). */
  chunkSize?: number;
  /** Chunks of a file in flight at once (default 1). */
  parallel?: number;
  /** Called on the event loop with the bytes sent and the total (`null` while a stream's is unknown); a last call with the final figures comes before the Promise settles. */
  onProgress?: (done: number, total: number | null) => void;
  /** Continues the chunked upload of `ApiError.resumeToken`. */
  resume?: string;
  /** A file the resume token is kept in while the upload runs (read at start, removed on success). */
  resumeFile?: string;
  /** For streams: how many chunks may wait between the stream and the upload (default 8). */
  streamBuffer?: number;
  /** Stops the upload when it fires (the Promise rejects with `signal.reason`). */
  signal?: AbortSignalLike;
}

/** A response of the Upload or Admin API: the JSON body, plus `request_id` and the rate-limit fields. */
export interface ApiResponse {
  request_id?: string;
  rate_limit_allowed?: number;
  rate_limit_remaining?: number;
  /** Unix seconds. */
  rate_limit_reset_at?: number;
  next_cursor?: string;
  [key: string]: any;
}

/** An upload's result (the SDKs' result object). */
export interface UploadResponse extends ApiResponse {
  public_id: string;
  version: number;
  resource_type: string;
  type: string;
  bytes: number;
  url: string;
  secure_url: string;
  format?: string;
  width?: number;
  height?: number;
  etag?: string;
  tags?: string[];
  signature?: string;
}

/** A search query bound to a client (`client.search()`): chain the setters, then run it. */
export declare class Search {
  private constructor();
  /** Sets the expression (`resource_type:image AND tags=kitten`). */
  expression(expression: string): this;
  /** Adds a sort field; `direction` defaults to `desc`. */
  sortBy(field: string, direction?: "asc" | "desc"): this;
  /** Sets the page size. */
  maxResults(n: number): this;
  /** Sets the cursor of the page to fetch. */
  nextCursor(cursor: string): this;
  /** Adds an aggregation. */
  aggregate(field: string): this;
  /** Adds a `with_field` (`context`, `tags`, `metadata`, ...). */
  withField(field: string): this;
  /** Adds a returned field. */
  fields(field: string): this;
  /** The JSON body that is sent. */
  toQuery(): { [key: string]: OptionValue };
  /** Runs the search. */
  execute(options?: CallOptions): Promise<ApiResponse>;
  /** Every page of results, following `next_cursor`. */
  pages(options?: Options): AsyncIterableIterator<ApiResponse>;
}

/**
 * One product environment's configuration. The URL, signing and tag methods are
 * synchronous and pure; the network methods (`upload`, `admin`, `ping`, ...) return
 * Promises, run off the event loop, and reject with `ApiError` subclasses.
 */
export declare class Client {
  /** `config` holds the SDK settings; `options.profile` (or `config.profile`) picks the profile. */
  constructor(config?: ConfigOptions, options?: ClientOptions);
  /** A client from a `cloudinary://api_key:api_secret@cloud_name` URL. */
  static fromUrl(cloudinaryUrl: string, options?: ClientOptions): Client;
  /** A client from `CLOUDINARY_URL` or the `CLOUDINARY_*` variables. */
  static fromEnv(options?: ClientOptions): Client;
  /** The same client with a fixed clock (Unix seconds). */
  withClock(unixSeconds: number): Client;
  /** The same client in another profile. */
  withProfile(profile: Profile): Client;
  /**
   * The same client with an OAuth refresh callback: when the server refuses the
   * `oauth_token` (HTTP 401), `callback(refusedToken)` returns the token to use (or a
   * Promise of it; `null`/`undefined` gives up and the call rejects with the 401
   * `AuthorizationError`). The request is sent once more with the new token, and later
   * requests use it. An exception, a rejection or a non-string result counts as giving
   * up and is reported with `process.emitWarning` (code `CLDKIT_OAUTH_REFRESH`). The
   * engine waits at most 60 s for an answer. Derived clients keep the callback.
   */
  withOAuthRefresh(
    callback: (refusedToken: string) => string | null | undefined | Promise<string | null | undefined>,
  ): Client;
  /** The compatibility profile. */
  readonly profile: Profile;
  /**
   * The settings for display (what `util.inspect(client)` shows): secret values
   * (`api_secret`, `auth_token`, `*secret*`, `*token*`, `*password*`, `*key` but `api_key`)
   * are `"***"` and URLs lose their credentials.
   */
  settings(): Record<string, unknown>;

  /** The delivery URL of `source`. */
  url(source: string, options?: Options): string;
  /** A falsy source comes back unchanged, as in the SDKs. */
  url(source: null | undefined, options?: Options): null | undefined;
  /** The Upload/Admin API endpoint URL for `action`. */
  apiUrl(action: string, options?: Options): string;
  /** A video's poster image URL (jpg unless `format` is given). */
  videoThumbnailUrl(publicId: string, options?: Options): string;
  /** A token-based authentication token (`__cld_token__=...`). */
  authToken(options?: Options): string;

  /** Signs `params` with this client's secret, algorithm and signature version. */
  signRequest(params: Options): string;
  /** Like `signRequest`, also returning the signed string (without the secret). */
  explainSignature(params: Options): SignatureExplanation;
  /** Verifies a webhook: raw body, `X-Cld-Timestamp`, `X-Cld-Signature`, validity in seconds (7200). */
  verifyNotification(
    body: Uint8Array | string,
    timestamp: number | string,
    signature: string,
    validFor?: number,
  ): boolean;
  /** Verifies the signature of an upload response. */
  verifyApiResponse(publicId: string, version: number | string, signature: string): boolean;

  /** The upload parameters as their wire text (lists stay lists). */
  uploadParams(options?: Options): { [name: string]: string | string[] };
  /** The signed `upload` request for a remote URL, data URI or local path. */
  uploadForm(file: string, options?: Options): UploadRequest;
  /** The unsigned `upload` request with an unsigned upload preset. */
  unsignedUploadForm(file: string, uploadPreset: string, options?: Options): UploadRequest;
  /** Any Upload API request by SDK method name (`explicit`, `destroy`, `rename`, `add_tag`, ...). */
  uploadApiCall(method: string, args: Options, options?: Options): UploadRequest;
  /** Signs the Upload widget's parameters. */
  signUploadWidget(params: Options): WidgetSignature;

  /** A signed download URL of a private asset. */
  privateDownloadUrl(publicId: string, format: string | null, options?: Options): string;
  /** The legacy zip download URL of the assets with `tag`. */
  zipDownloadUrl(tag: string, options?: Options): string;
  /** A signed archive download URL. */
  downloadArchiveUrl(options?: Options): string;
  /** A signed zip download URL. */
  downloadZipUrl(options?: Options): string;
  /** A signed URL that downloads a folder as a zip. */
  downloadFolder(folderPath: string, options?: Options): string;
  /** A signed URL of a backed-up asset version. */
  downloadBackedupAsset(assetId: string, versionId: string | number, options?: Options): string;
  /** A signed URL of a generated sprite (by tag or URLs). */
  downloadGeneratedSprite(tag: string | null, urls?: string[] | string | null, options?: Options): string;
  /** A signed URL of a multi asset (by tag or URLs). */
  downloadMulti(tag: string | null, urls?: string[] | string | null, options?: Options): string;

  /** An `<img>` tag. */
  imageTag(publicId: string, options?: Options): string;
  /** A `<video>` tag. */
  videoTag(publicId: string, options?: Options): string;
  /** A `<picture>` tag. */
  pictureTag(publicId: string, options?: Options): string;
  /** One `<source>` tag for a `<picture>`. */
  sourceTag(publicId: string, options?: Options): string;
  /** The placeholder URL of `publicId` in `mode`. */
  placeholderUrl(publicId: string, mode?: PlaceholderMode, options?: Options): string;
  /** An `<img loading="lazy">` tag with a placeholder `src`. */
  lazyImageTag(publicId: string, options?: Options, mode?: PlaceholderMode): string;
  /** The `User-Agent` for API requests. */
  userAgent(): string;

  /** Uploads a path, URL, data URI, bytes or stream; large files and streams go in chunks. */
  upload(file: UploadSource, options?: CallOptions, settings?: UploadSettings): Promise<UploadResponse>;
  /** Uploads with an unsigned upload preset (no secret needed). */
  unsignedUpload(file: UploadSource, uploadPreset: string, options?: CallOptions, settings?: UploadSettings): Promise<UploadResponse>;
  /** Any Upload API call by SDK name, positional arguments by name in `args`. */
  callUploadApi(method: string, args?: Options, options?: CallOptions): Promise<ApiResponse>;
  /** `explicit(public_id, options)`. */
  explicit(publicId: string, options?: CallOptions): Promise<UploadResponse>;
  /** `destroy(public_id, options)`: `{result: "ok" | "not found"}`. */
  destroy(publicId: string, options?: CallOptions): Promise<ApiResponse>;
  /** `rename(from_public_id, to_public_id, options)`. */
  rename(fromPublicId: string, toPublicId: string, options?: CallOptions): Promise<UploadResponse>;
  /** `add_tag(tag, public_ids, options)`. */
  addTag(tag: string, publicIds: string[] | string, options?: CallOptions): Promise<ApiResponse>;
  /** `remove_tag(tag, public_ids, options)`. */
  removeTag(tag: string, publicIds: string[] | string, options?: CallOptions): Promise<ApiResponse>;
  /** `replace_tag(tag, public_ids, options)`. */
  replaceTag(tag: string, publicIds: string[] | string, options?: CallOptions): Promise<ApiResponse>;
  /** `remove_all_tags(public_ids, options)`. */
  removeAllTags(publicIds: string[] | string, options?: CallOptions): Promise<ApiResponse>;
  /** `add_context(context, public_ids, options)`. */
  addContext(context: OptionValue, publicIds: string[] | string, options?: CallOptions): Promise<ApiResponse>;
  /** `remove_all_context(public_ids, options)`. */
  removeAllContext(publicIds: string[] | string, options?: CallOptions): Promise<ApiResponse>;
  /** `update_metadata(metadata, public_ids, options)`. */
  updateMetadata(metadata: OptionValue, publicIds: string[] | string, options?: CallOptions): Promise<ApiResponse>;
  /** `explode(public_id, options)`. */
  explode(publicId: string, options?: CallOptions): Promise<ApiResponse>;
  /** `create_archive(options)`. */
  createArchive(options?: CallOptions): Promise<ApiResponse>;
  /** `create_zip(options)`. */
  createZip(options?: CallOptions): Promise<ApiResponse>;

  /** Any Admin API call by SDK name (see `adminCalls`), positional arguments by name in `args`. */
  admin(name: string, args?: Options, options?: CallOptions): Promise<ApiResponse>;
  /** Every page of an Admin list call, following `next_cursor`. */
  pages(name: string, args?: Options, options?: Options): AsyncIterableIterator<ApiResponse>;
  /** A resource search. */
  search(): Search;
  /** A folder search. */
  searchFolders(): Search;
  ping(options?: CallOptions): Promise<ApiResponse>;
  usage(options?: CallOptions): Promise<ApiResponse>;
  resources(options?: CallOptions): Promise<ApiResponse>;
  resourcesByTag(tag: string, options?: CallOptions): Promise<ApiResponse>;
  resourcesByContext(key: string, value?: string | null, options?: CallOptions): Promise<ApiResponse>;
  resourcesByIds(publicIds: string[] | string, options?: CallOptions): Promise<ApiResponse>;
  resourcesByAssetFolder(assetFolder: string, options?: CallOptions): Promise<ApiResponse>;
  resource(publicId: string, options?: CallOptions): Promise<ApiResponse>;
  update(publicId: string, options?: CallOptions): Promise<ApiResponse>;
  deleteResources(publicIds: string[] | string, options?: CallOptions): Promise<ApiResponse>;
  deleteResourcesByPrefix(prefix: string, options?: CallOptions): Promise<ApiResponse>;
  deleteResourcesByTag(tag: string, options?: CallOptions): Promise<ApiResponse>;
  deleteAllResources(options?: CallOptions): Promise<ApiResponse>;
  tags(options?: CallOptions): Promise<ApiResponse>;
  rootFolders(options?: CallOptions): Promise<ApiResponse>;
  subfolders(path: string, options?: CallOptions): Promise<ApiResponse>;
  createFolder(path: string, options?: CallOptions): Promise<ApiResponse>;
  renameFolder(fromPath: string, toPath: string, options?: CallOptions): Promise<ApiResponse>;
  deleteFolder(path: string, options?: CallOptions): Promise<ApiResponse>;
  uploadPresets(options?: CallOptions): Promise<ApiResponse>;
  uploadPreset(name: string, options?: CallOptions): Promise<ApiResponse>;
  createUploadPreset(options?: CallOptions): Promise<ApiResponse>;
  updateUploadPreset(name: string, options?: CallOptions): Promise<ApiResponse>;
  deleteUploadPreset(name: string, options?: CallOptions): Promise<ApiResponse>;
}

/** Stable error codes. */
export type ErrorCode =
  | "invalid_option"
  | "config"
  | "signature"
  | "internal"
  | ApiErrorCode;

/** Stable codes of failed network calls. */
export type ApiErrorCode =
  | "bad_request"
  | "authorization"
  | "not_allowed"
  | "not_found"
  | "already_exists"
  | "rate_limited"
  | "server_error"
  | "timeout"
  | "network"
  | "response"
  | "io";

/** Base class of every error cldkit throws. */
export declare class CldkitError extends Error {
  constructor(message: string, code?: ErrorCode | string, option?: string | null);
  /** A stable machine-readable code. */
  readonly code: ErrorCode | string;
  /** The option or setting the error is about, or null. */
  readonly option: string | null;
}
/** An option has a value the SDK rules reject. */
export declare class InvalidOptionError extends CldkitError {}
/** The configuration is missing something or cannot be parsed. */
export declare class ConfigError extends CldkitError {}
/** A signature could not be computed. */
export declare class SignatureError extends CldkitError {}
/** A bug inside cldkit, caught at the boundary. */
export declare class InternalError extends CldkitError {}

/** What an `ApiError` carries besides the message. */
export interface ApiErrorDetails {
  status?: number | null;
  requestId?: string | null;
  resetAt?: number | null;
  attempts?: number;
  resumeToken?: string | null;
}
/** A failed network call; the subclass follows `code`. */
export declare class ApiError extends CldkitError {
  constructor(message: string, code?: ApiErrorCode | string, option?: string | null, details?: ApiErrorDetails | null);
  /** The HTTP status, when the server answered. */
  readonly status: number | null;
  /** The `X-Request-Id` of the failing answer, for Cloudinary support. */
  readonly requestId: string | null;
  /** When rate limited: the Unix time (seconds) the limit resets. */
  readonly resetAt: number | null;
  /** How many attempts were made. */
  readonly attempts: number;
  /** A failed chunked upload: the JSON token that continues it (`UploadSettings.resume`). */
  readonly resumeToken: string | null;
}
/** HTTP 400 (`bad_request`). */
export declare class BadRequestError extends ApiError {}
/** HTTP 401 (`authorization`). */
export declare class AuthorizationError extends ApiError {}
/** HTTP 403 (`not_allowed`). */
export declare class NotAllowedError extends ApiError {}
/** HTTP 404 (`not_found`). */
export declare class NotFoundError extends ApiError {}
/** HTTP 409 (`already_exists`). */
export declare class AlreadyExistsError extends ApiError {}
/** HTTP 420/429 (`rate_limited`); see `resetAt`. */
export declare class RateLimitedError extends ApiError {}
/** HTTP 5xx (`server_error`). */
export declare class ServerError extends ApiError {}
/** A connect, read or total timeout (`timeout`). */
export declare class TimeoutError extends ApiError {}
/** The connection failed or was reset (`network`). */
export declare class NetworkError extends ApiError {}
/** Another status, or a body that is not the API's JSON (`response`). */
export declare class ResponseError extends ApiError {}
/** A local file or stream could not be read (`io`). */
export declare class IoError extends ApiError {}
/** The Admin API calls `admin(name, ...)` knows, by SDK name. */
export declare const adminCalls: readonly string[];

/** A number that renders with Python's float formatting (`2.0`). */
export declare class PyFloat {
  constructor(value: number | string);
  valueOf(): number;
  toJSON(): number;
}
/** Marks `x` as a float: `float(2)` renders `2.0`, as Python code would. */
export declare function float(x: number | string): PyFloat;
/** Whether `x` was made by `float()`. */
export declare function isFloat(x: unknown): x is PyFloat;
/** The SDKs' `api_sign_request(params, api_secret, algorithm = "sha1", signature_version = 2)`. */
export declare function apiSignRequest(
  params: Options,
  apiSecret: string,
  algorithm?: "sha1" | "sha256" | string | null,
  signatureVersion?: number | null,
): string;
/**
 * Parses a `CLOUDINARY_URL` (`kind` "cloudinary") or `CLOUDINARY_ACCOUNT_URL` (`"account"`)
 * as the SDK of `profile` does (`"default"` when absent; `"node"`: the npm SDK's parser).
 */
export declare function parseConfigUrl(
  url: string,
  kind?: "cloudinary" | "account" | "CLOUDINARY_URL" | "CLOUDINARY_ACCOUNT_URL" | null,
  profile?: Profile | null,
): { [key: string]: OptionValue };
/** The cldkit engine version. */
export declare const engineVersion: string;

declare const cldkit: {
  Client: typeof Client;
  Search: typeof Search;
  adminCalls: readonly string[];
  CldkitError: typeof CldkitError;
  InvalidOptionError: typeof InvalidOptionError;
  ConfigError: typeof ConfigError;
  SignatureError: typeof SignatureError;
  InternalError: typeof InternalError;
  ApiError: typeof ApiError;
  BadRequestError: typeof BadRequestError;
  AuthorizationError: typeof AuthorizationError;
  NotAllowedError: typeof NotAllowedError;
  NotFoundError: typeof NotFoundError;
  AlreadyExistsError: typeof AlreadyExistsError;
  RateLimitedError: typeof RateLimitedError;
  ServerError: typeof ServerError;
  TimeoutError: typeof TimeoutError;
  NetworkError: typeof NetworkError;
  ResponseError: typeof ResponseError;
  IoError: typeof IoError;
  PyFloat: typeof PyFloat;
  float: typeof float;
  isFloat: typeof isFloat;
  apiSignRequest: typeof apiSignRequest;
  parseConfigUrl: typeof parseConfigUrl;
  engineVersion: string;
};
export default cldkit;
