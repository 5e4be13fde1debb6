/**
 * cldkit for Node.js: Cloudinary delivery URLs, signatures, upload requests, webhook
 * verification, download URLs and HTML tags, computed by the cldkit Rust engine.
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

/** `"default"`: cldkit's defaults (https, escaped HTML); `"python"`: pycloudinary byte for byte. */
export type Profile = "default" | "python";

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

/** One product environment's configuration; every method is synchronous and pure. */
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
  /** The compatibility profile. */
  readonly profile: Profile;

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
}

/** Stable error codes. */
export type ErrorCode = "invalid_option" | "config" | "signature" | "internal";

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
/** Parses a `CLOUDINARY_URL` (`kind` "cloudinary") or `CLOUDINARY_ACCOUNT_URL` (`"account"`). */
export declare function parseConfigUrl(
  url: string,
  kind?: "cloudinary" | "account" | "CLOUDINARY_URL" | "CLOUDINARY_ACCOUNT_URL",
): { [key: string]: OptionValue };
/** The cldkit engine version. */
export declare const engineVersion: string;

declare const cldkit: {
  Client: typeof Client;
  CldkitError: typeof CldkitError;
  InvalidOptionError: typeof InvalidOptionError;
  ConfigError: typeof ConfigError;
  SignatureError: typeof SignatureError;
  InternalError: typeof InternalError;
  PyFloat: typeof PyFloat;
  float: typeof float;
  isFloat: typeof isFloat;
  apiSignRequest: typeof apiSignRequest;
  parseConfigUrl: typeof parseConfigUrl;
  engineVersion: string;
};
export default cldkit;
