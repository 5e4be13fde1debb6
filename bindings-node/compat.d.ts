/**
 * `cldkit/compat`: the cloudinary npm SDK's names and signatures for the URL, signing,
 * verification, download and tag helpers. Network calls are not covered.
 */
import type { Options, OptionValue, CldkitError as CldkitErrorClass } from "./index";

/** The SDK's configuration object. */
export type ConfigObject = { [key: string]: OptionValue };

export declare function config(): ConfigObject;
export declare function config(reload: true): ConfigObject;
export declare function config(newConfig: ConfigObject): ConfigObject;
export declare function config(key: string): OptionValue;
export declare function config(key: string, value: OptionValue): ConfigObject;

export declare function url(public_id: string, options?: Options): string;
export declare function image(source: string, options?: Options): string;
export declare function video(public_id: string, options?: Options): string;
export declare function picture(public_id: string, options?: Options): string;
export declare function source(public_id: string, options?: Options): string;

export interface Utils {
  url(public_id: string, options?: Options): string;
  video_url(public_id: string, options?: Options): string;
  video_thumbnail_url(public_id: string, options?: Options): string;
  api_url(action?: string, options?: Options): string;
  api_sign_request(
    params_to_sign: Options,
    api_secret: string,
    signature_algorithm?: string | null,
    signature_version?: number | null,
  ): string;
  sign_request(params: Options, options?: Options): Options & { signature: string; api_key: string };
  verifyNotificationSignature(
    body: string | Uint8Array,
    timestamp: number | string,
    signature: string,
    valid_for?: number,
  ): boolean;
  verify_api_response_signature(public_id: string, version: number | string, signature: string): boolean;
  private_download_url(public_id: string, format: string | null, options?: Options): string;
  zip_download_url(tag: string, options?: Options): string;
  download_archive_url(options?: Options): string;
  download_zip_url(options?: Options): string;
  download_folder(folder_path: string, options?: Options): string;
  download_backedup_asset(asset_id: string, version_id: string | number, options?: Options): string;
  generate_auth_token(options?: Options): string;
}
export declare const utils: Utils;

export interface Uploader {
  download_generated_sprite(tag: string | Options, options?: Options): string;
  download_multi(tag: string | Options, options?: Options): string;
}
export declare const uploader: Uploader;

export declare const CldkitError: typeof CldkitErrorClass;

export interface Compat {
  config: typeof config;
  url: typeof url;
  image: typeof image;
  video: typeof video;
  picture: typeof picture;
  source: typeof source;
  utils: Utils;
  uploader: Uploader;
  CldkitError: typeof CldkitErrorClass;
  v2: Compat;
}
export declare const v2: Compat;
declare const compat: Compat;
export default compat;
