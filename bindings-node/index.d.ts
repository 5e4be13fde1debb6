/**
 * cldkit for Node.js: Cloudinary delivery URLs, signatures, upload requests, webhook
 * verification, download URLs and HTML tags, computed by the cldkit Rust engine; and
 * uploads and the Upload/Admin APIs as Promise-returning methods.
 * Options are the SDKs' snake_case option objects, passed unchanged.
 */

import type {
  ClientCalls,
  AccountClientCalls,
  CallControl,
  CallName,
  LocalCallName,
  AccountCallName,
  TransformationOptions,
} from "./calls";
import * as errors from "./errors";

export * from "./errors";
export * from "./calls";

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
  url(source: string, options?: TransformationOptions): string;
  /** A falsy source comes back unchanged, as in the SDKs. */
  url(source: null | undefined, options?: TransformationOptions): null | undefined;

  /** Like `signRequest`, also returning the signed string (without the secret). */
  explainSignature(params: Options, options?: Options): SignatureExplanation;
  /** Verifies a webhook: raw body, `X-Cld-Timestamp`, `X-Cld-Signature`, validity in seconds (7200). */
  verifyNotification(
    body: Uint8Array | string,
    timestamp: number | string,
    signature: string,
    validFor?: number | null,
    options?: Options,
  ): boolean;
  /** The upload parameters as their wire text (lists stay lists). */
  uploadParams(options?: Options): { [name: string]: string | string[] };
  /** Signs the Upload widget's parameters. */
  signUploadWidget(params: Options, options?: Options): WidgetSignature;
  /** An `<img loading="lazy">` tag with a placeholder `src` in mode `placeholder`. */
  lazyImageTag(publicId: string, placeholder?: PlaceholderMode | null, options?: TransformationOptions): string;
  /** The earlier argument order: `(publicId, options, mode)`. */
  lazyImageTag(publicId: string, options: TransformationOptions, mode?: PlaceholderMode | null): string;

  /** The signed `upload` request for a remote URL, data URI or local path. */
  uploadForm(file: string, options?: Options): UploadRequest;
  /** The unsigned `upload` request with an unsigned upload preset. */
  unsignedUploadForm(file: string, uploadPreset: string, options?: Options): UploadRequest;
  /** Any Upload API request by SDK method name (`explicit`, `destroy`, `rename`, `add_tag`, ...). */
  uploadApiCall(method: string, args: Options, options?: Options): UploadRequest;
  /** The `User-Agent` for API requests. */
  userAgent(): string;

  /**
   * Runs any row of the call catalogue by its SDK name (`cldkit calls --json`), its
   * positional arguments by name in `args`; `signal` (or `options.signal`) stops it.
   */
  call(name: CallName, args?: Options, options?: CallOptions, signal?: AbortSignalLike): Promise<any>;
  /** Runs a local row (a URL, tag, signature or download URL) synchronously. */
  callLocal(name: LocalCallName, args?: Options, options?: Options): any;

  /** Uploads a path, URL, data URI, bytes or stream; large files and streams go in chunks. */
  upload(file: UploadSource, options?: CallOptions, settings?: UploadSettings): Promise<UploadResponse>;
  /** Uploads with an unsigned upload preset (no secret needed). */
  unsignedUpload(file: UploadSource, uploadPreset: string, options?: CallOptions, settings?: UploadSettings): Promise<UploadResponse>;
  /** Any Upload API call by SDK name, positional arguments by name in `args`. */
  callUploadApi(method: string, args?: Options, options?: CallOptions): Promise<ApiResponse>;
  /** Any Admin API call by SDK name (see `adminCalls`), positional arguments by name in `args`. */
  admin(name: string, args?: Options, options?: CallOptions): Promise<ApiResponse>;
  /** Every page of an Admin list call, following `next_cursor`. */
  pages(name: string, args?: Options, options?: Options): AsyncIterableIterator<ApiResponse>;
  /** A resource search query builder. */
  search(): Search;
  /** Runs a resource search with `expression`. */
  search(expression?: string | null, options?: CallOptions, callOptions?: CallControl): Promise<ApiResponse>;
  /** A folder search query builder. */
  searchFolders(): Search;
  /** Runs a folder search with `expression`. */
  searchFolders(expression?: string | null, options?: CallOptions, callOptions?: CallControl): Promise<ApiResponse>;
}
/** The generated methods: one per row of the call catalogue (see `calls.d.ts`). */
export interface Client extends ClientCalls {}

/**
 * A Provisioning (account) API client: product environments (sub-accounts), users,
 * user groups and access keys. Made from an account URL
 * (`account://provisioning_key:provisioning_secret@account_id`), by default
 * `CLOUDINARY_ACCOUNT_URL`.
 */
export declare class AccountClient {
  constructor(accountUrl?: string);
  /** The settings for display (the secret is `"***"`). */
  settings(): Record<string, unknown>;
  /** Runs a Provisioning row by its SDK name; `signal` (or `options.signal`) stops it. */
  call(name: AccountCallName, args?: Options, options?: CallOptions, signal?: AbortSignalLike): Promise<ApiResponse>;
}
/** The generated methods: one per Provisioning row (see `calls.d.ts`). */
export interface AccountClient extends AccountClientCalls {}

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

declare const cldkit: typeof errors & {
  Client: typeof Client;
  AccountClient: typeof AccountClient;
  Search: typeof Search;
  adminCalls: readonly string[];
  PyFloat: typeof PyFloat;
  float: typeof float;
  isFloat: typeof isFloat;
  apiSignRequest: typeof apiSignRequest;
  parseConfigUrl: typeof parseConfigUrl;
  engineVersion: string;
};
export default cldkit;
