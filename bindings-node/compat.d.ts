/**
 * `cldkit/compat`: a drop-in for the cloudinary npm SDK's `require('cloudinary').v2`,
 * computed by cldkit in the `node` profile. The signatures are the npm SDK's (its
 * `types/index.d.ts`), with its option objects typed loosely as `Options`.
 */
import type { CldkitError as CldkitErrorClass } from "./index";

/** An option object of the SDK (`{ width: 300, crop: "fill" }`). */
export type Options = { [key: string]: any };

/** The SDK's settings (`cloud_name`, `api_key`, `api_secret`, `secure`, ...). */
export interface ConfigOptions {
  cloud_name?: string;
  api_key?: string;
  api_secret?: string;
  api_proxy?: string;
  private_cdn?: boolean;
  secure_distribution?: string;
  force_version?: boolean;
  ssl_detected?: boolean;
  secure?: boolean;
  cdn_subdomain?: boolean;
  secure_cdn_subdomain?: boolean;
  cname?: string;
  shorten?: boolean;
  sign_url?: boolean;
  long_url_signature?: boolean;
  use_root_path?: boolean;
  auth_token?: Options;
  oauth_token?: string;
  upload_prefix?: string;
  signature_algorithm?: "sha1" | "sha256" | string;
  signature_version?: number;
  analytics?: boolean;
  urlAnalytics?: boolean;
  account_id?: string;
  provisioning_api_key?: string;
  provisioning_api_secret?: string;
  hide_sensitive?: boolean;
  debug?: boolean;
  [futureKey: string]: any;
}

/** A response of the Admin or Upload API (the JSON body, plus the rate-limit fields). */
export interface ApiResponse {
  rate_limit_allowed?: number;
  /** The SDK makes it a Date (its own declarations say string). */
  rate_limit_reset_at?: Date;
  rate_limit_remaining?: number;
  next_cursor?: string;
  [futureKey: string]: any;
}

/** An upload's result. */
export interface UploadApiResponse {
  public_id: string;
  version: number;
  signature: string;
  width: number;
  height: number;
  format: string;
  resource_type: "image" | "video" | "raw" | "auto";
  created_at: string;
  tags: Array<string>;
  pages: number;
  bytes: number;
  type: string;
  etag: string;
  placeholder: boolean;
  url: string;
  secure_url: string;
  access_mode: string;
  original_filename: string;
  moderation: Array<string>;
  access_control: Array<string>;
  context: object;
  metadata: object;
  colors?: [string, number][];
  [futureKey: string]: any;
}

/** How an Upload API call fails (the Promise's rejection, the callback's error). */
export interface UploadApiErrorResponse {
  message: string;
  name: string;
  http_code: number;
  request_id?: string;
  [futureKey: string]: any;
}

/** How an Admin or Provisioning API call's Promise rejects. */
export interface AdminApiErrorResponse {
  error: { message: string; http_code: number; request_id?: string };
}

/** `(error, result)`: `error` is undefined on success. */
export type ResponseCallback = (err?: any, callResult?: any) => any;
/** `(error, result)` of an upload. */
export type UploadResponseCallback = (err?: UploadApiErrorResponse, callResult?: UploadApiResponse) => void;
/** A provisioning call's callback: the result, or `{ error }`. */
export type ProvisioningCallback = (result: any) => any;

/**
 * A call of the SDK taking its arguments `A`, then `(options?, callback?)` or
 * `(callback?)`, and returning `R`.
 */
export type WithCallback<A extends unknown[], C, R> = {
  (...args: [...args: A, options?: Options, callback?: C]): R;
  (...args: [...args: A, callback?: C]): R;
};
/** An Upload API call (`uploader.*`) resolving with `R`. */
export type UploadCall<A extends unknown[], R = ApiResponse> = WithCallback<A, UploadResponseCallback, Promise<R>>;
/** An Admin API call (`api.*`). */
export type AdminCall<A extends unknown[]> = WithCallback<A, ResponseCallback, Promise<ApiResponse>>;

/** The writable stream `upload_stream` returns: write the file's bytes, then `end()`. */
export interface UploadStream {
  write(chunk: Uint8Array | string, callback?: (error?: Error | null) => void): boolean;
  end(chunk?: Uint8Array | string, callback?: () => void): this;
  on(event: string, listener: (...args: any[]) => void): this;
  once(event: string, listener: (...args: any[]) => void): this;
  destroy(error?: Error): this;
  readonly writable: boolean;
}

export declare function config(new_config?: boolean | ConfigOptions): ConfigOptions;
export declare function config<K extends keyof ConfigOptions>(key: K, value?: undefined): ConfigOptions[K];
export declare function config<K extends keyof ConfigOptions>(key: K, value: ConfigOptions[K]): ConfigOptions;

/** The delivery URL (the options are not changed). */
export declare function url(public_id: string, options?: Options): string;
export declare function image(source: string, options?: Options): string;
export declare function video(public_id: string, options?: Options): string;
export declare function picture(public_id: string, options?: Options): string;
export declare function source(public_id: string, options?: Options): string;
/** A transparent 1x1 GIF data URI (`responsive_placeholder: "blank"`). */
export declare const BLANK: string;

export interface Utils {
  /** The delivery URL; deletes from `options` the keys it consumed (the SDK's habit). */
  url(public_id?: string, options?: Options): string;
  video_url(public_id?: string, options?: Options): string;
  video_thumbnail_url(public_id?: string, options?: Options): string;
  api_url(action?: string, options?: Options): string;
  api_sign_request(params_to_sign: Options, api_secret: string, signature_algorithm?: string | null, signature_version?: number | null): string;
  sign_request(params_to_sign: Options, options?: Options): { signature: string; api_key: string; [key: string]: any };
  verifyNotificationSignature(body: string, timestamp: number, signature: string, valid_for?: number): boolean;
  verify_notification_signature(body: string, timestamp: number, signature: string, valid_for?: number): boolean;
  verify_api_response_signature(public_id: string, version: number | string, signature: string): boolean;
  private_download_url(publicID: string, format: string, options?: Options): string;
  zip_download_url(tag: string, options?: Options): string;
  download_archive_url(options?: Options): string;
  download_zip_url(options?: Options): string;
  download_folder(folder_path: string, options?: Options): string;
  download_backedup_asset(asset_id?: string, version_id?: string, options?: Options): string;
  generate_auth_token(options?: Options): string;
  build_upload_params(options?: Options): { [name: string]: any };
  timestamp(): number;
}
export declare const utils: Utils;

export interface Uploader {
  upload: UploadCall<[file: string], UploadApiResponse>;
  unsigned_upload: UploadCall<[file: string, upload_preset: string], UploadApiResponse>;
  explicit: UploadCall<[public_id: string], UploadApiResponse>;
  destroy: UploadCall<[public_id: string], { result: string }>;
  rename: UploadCall<[from_public_id: string, to_public_id: string], UploadApiResponse>;
  text: UploadCall<[text: string], UploadApiResponse>;
  generate_sprite: UploadCall<[tag: string | Options]>;
  multi: UploadCall<[tag: string | Options]>;
  explode: UploadCall<[public_id: string]>;
  add_tag: UploadCall<[tag: string, public_ids: string | string[]]>;
  remove_tag: UploadCall<[tag: string, public_ids: string | string[]]>;
  replace_tag: UploadCall<[tag: string, public_ids: string | string[]]>;
  remove_all_tags: UploadCall<[public_ids: string | string[]]>;
  add_context: UploadCall<[context: string | Options, public_ids: string | string[]]>;
  remove_all_context: UploadCall<[public_ids: string | string[]]>;
  update_metadata: UploadCall<[metadata: string | Options, public_ids: string | string[]]>;
  create_archive: UploadCall<[]>;
  create_zip: UploadCall<[]>;
  upload_stream: WithCallback<[], UploadResponseCallback, UploadStream>;
  unsigned_upload_stream: WithCallback<[upload_preset: string], UploadResponseCallback, UploadStream>;
  upload_chunked_stream: WithCallback<[], UploadResponseCallback, UploadStream>;
  upload_chunked: WithCallback<[path: string], UploadResponseCallback, UploadStream>;
  /** A remote URL: a Promise; a local file: the stream it is piped into (as the SDK). */
  upload_large: WithCallback<[path: string], UploadResponseCallback, Promise<UploadApiResponse> | UploadStream>;
  download_generated_sprite(tag: string | Options, options?: Options): string;
  download_multi(tag: string | Options, options?: Options): string;
}
export declare const uploader: Uploader;

export interface Api {
  ping: AdminCall<[]>;
  usage: AdminCall<[]>;
  config: AdminCall<[]>;
  resource_types: AdminCall<[]>;
  resources: AdminCall<[]>;
  resources_by_tag: AdminCall<[tag: string]>;
  resources_by_context: AdminCall<[key: string, value: string | undefined]>;
  resources_by_moderation: AdminCall<[kind: string, status: string]>;
  resource_by_asset_id: AdminCall<[asset_id: string]>;
  resources_by_asset_ids: AdminCall<[asset_ids: string | string[]]>;
  resources_by_ids: AdminCall<[public_ids: string | string[]]>;
  resources_by_asset_folder: AdminCall<[asset_folder: string]>;
  resource: AdminCall<[public_id: string]>;
  restore: AdminCall<[public_ids: string | string[]]>;
  restore_by_asset_ids: AdminCall<[asset_ids: string | string[]]>;
  update: AdminCall<[public_id: string]>;
  delete_resources: AdminCall<[public_ids: string | string[]]>;
  delete_resources_by_asset_ids: AdminCall<[asset_ids: string | string[]]>;
  delete_resources_by_prefix: AdminCall<[prefix: string]>;
  delete_resources_by_tag: AdminCall<[tag: string]>;
  delete_all_resources: AdminCall<[]>;
  delete_derived_resources: AdminCall<[derived_resource_ids: string | string[]]>;
  delete_derived_by_transformation: AdminCall<[public_ids: string | string[], transformations: string | Options | Array<string | Options>]>;
  delete_backed_up_assets: AdminCall<[asset_id: string, version_ids: string | string[]]>;
  add_related_assets: AdminCall<[public_id: string, assets_to_relate: string | string[]]>;
  add_related_assets_by_asset_id: AdminCall<[asset_id: string, assets_to_relate: string | string[]]>;
  delete_related_assets: AdminCall<[public_id: string, assets_to_unrelate: string | string[]]>;
  delete_related_assets_by_asset_id: AdminCall<[asset_id: string, assets_to_unrelate: string | string[]]>;
  tags: AdminCall<[]>;
  transformations: AdminCall<[]>;
  transformation: AdminCall<[transformation: string | Options]>;
  delete_transformation: AdminCall<[transformation: string | Options]>;
  update_transformation: AdminCall<[transformation: string | Options, updates: Options]>;
  create_transformation: AdminCall<[name: string, definition: string | Options]>;
  upload_presets: AdminCall<[]>;
  upload_preset: AdminCall<[name: string]>;
  delete_upload_preset: AdminCall<[name: string]>;
  update_upload_preset: AdminCall<[name: string]>;
  create_upload_preset: AdminCall<[]>;
  root_folders: AdminCall<[]>;
  sub_folders: AdminCall<[path: string]>;
  create_folder: AdminCall<[path: string]>;
  delete_folder: AdminCall<[path: string]>;
  rename_folder: AdminCall<[old_path: string, new_path: string]>;
  upload_mappings: AdminCall<[]>;
  upload_mapping: AdminCall<[name: string]>;
  delete_upload_mapping: AdminCall<[name: string]>;
  update_upload_mapping: AdminCall<[name: string]>;
  create_upload_mapping: AdminCall<[name: string]>;
  list_streaming_profiles: AdminCall<[]>;
  get_streaming_profile: AdminCall<[name: string]>;
  delete_streaming_profile: AdminCall<[name: string]>;
  update_streaming_profile: AdminCall<[name: string]>;
  create_streaming_profile: AdminCall<[name: string]>;
  publish_by_ids: AdminCall<[public_ids: string | string[]]>;
  publish_by_tag: AdminCall<[tag: string]>;
  publish_by_prefix: AdminCall<[prefix: string]>;
  update_resources_access_mode_by_prefix: AdminCall<[access_mode: string, prefix: string]>;
  update_resources_access_mode_by_tag: AdminCall<[access_mode: string, tag: string]>;
  update_resources_access_mode_by_ids: AdminCall<[access_mode: string, ids: string | string[]]>;
  search: AdminCall<[params: Options]>;
  search_folders: AdminCall<[params: Options]>;
  visual_search: AdminCall<[params: Options]>;
  add_metadata_field: AdminCall<[field: Options]>;
  list_metadata_fields: AdminCall<[]>;
  delete_metadata_field: AdminCall<[field_external_id: string]>;
  metadata_field_by_field_id: AdminCall<[external_id: string]>;
  update_metadata_field: AdminCall<[external_id: string, field: Options]>;
  update_metadata_field_datasource: AdminCall<[field_external_id: string, entries_external_id: Options]>;
  delete_datasource_entries: AdminCall<[field_external_id: string, entries_external_id: string[]]>;
  restore_metadata_field_datasource: AdminCall<[field_external_id: string, entries_external_id: string[]]>;
  order_metadata_field_datasource: AdminCall<[field_external_id: string, sort_by: string, direction: string]>;
  reorder_metadata_fields: AdminCall<[order_by: string, direction: string]>;
  list_metadata_rules: AdminCall<[]>;
  add_metadata_rule: AdminCall<[metadata_rule: Options]>;
  update_metadata_rule: AdminCall<[field_external_id: string, updated_metadata_rule: Options]>;
  delete_metadata_rule: AdminCall<[field_external_id: string]>;
}
export declare const api: Api;

/** The SDK's chainable search query (each static setter starts a new one). */
export declare class search {
  static instance(): search;
  static expression(value: string): search;
  static max_results(value: number): search;
  static next_cursor(value: string): search;
  static aggregate(value: string): search;
  static with_field(value: string | string[]): search;
  static fields(value: string | string[]): search;
  static sort_by(key: string, value?: "asc" | "desc"): search;
  static ttl(value: number): search;
  static execute(options?: Options, callback?: ResponseCallback): Promise<ApiResponse>;
  query_hash: Options;
  expression(value: string): search;
  max_results(value: number): search;
  next_cursor(value: string): search;
  aggregate(value: string): search;
  with_field(value: string | string[]): search;
  fields(value: string | string[]): search;
  sort_by(key: string, value?: "asc" | "desc"): search;
  ttl(value: number): search;
  /** The body sent. */
  to_query(): Options;
  /** The signed, cacheable search URL (`ttl` 300 s by default). */
  to_url(ttl?: number, next_cursor?: string, options?: Options): string;
  execute(options?: Options, callback?: ResponseCallback): Promise<ApiResponse>;
}
/** The chainable folder search. */
export declare class search_folders extends search {
  static instance(): search_folders;
}

export interface ProvisioningAccount {
  sub_accounts(enabled: boolean | undefined, ids: string[] | undefined, prefix: string | undefined, options?: Options, callback?: ProvisioningCallback): Promise<ApiResponse>;
  sub_account(sub_account_id: string, options?: Options, callback?: ProvisioningCallback): Promise<ApiResponse>;
  create_sub_account(name: string, cloud_name: string | undefined, custom_attributes: Options | undefined, enabled: boolean | undefined, base_account: string | undefined, options?: Options, callback?: ProvisioningCallback): Promise<ApiResponse>;
  delete_sub_account(sub_account_id: string, options?: Options, callback?: ProvisioningCallback): Promise<ApiResponse>;
  update_sub_account(sub_account_id: string, name: string | undefined, cloud_name: string | undefined, custom_attributes: Options | undefined, enabled: boolean | undefined, options?: Options, callback?: ProvisioningCallback): Promise<ApiResponse>;
  user(user_id: string, options?: Options, callback?: ProvisioningCallback): Promise<ApiResponse>;
  users(pending: boolean | undefined, user_ids: string[] | undefined, prefix: string | undefined, sub_account_id: string | undefined, options?: Options, callback?: ProvisioningCallback): Promise<ApiResponse>;
  create_user(name: string, email: string, role: string, sub_account_ids: string[] | undefined, options?: Options, callback?: ProvisioningCallback): Promise<ApiResponse>;
  update_user(user_id: string, name: string | undefined, email: string | undefined, role: string | undefined, sub_account_ids: string[] | undefined, options?: Options, callback?: ProvisioningCallback): Promise<ApiResponse>;
  delete_user(user_id: string, options?: Options, callback?: ProvisioningCallback): Promise<ApiResponse>;
  create_user_group(name: string, options?: Options, callback?: ProvisioningCallback): Promise<ApiResponse>;
  update_user_group(group_id: string, name: string, options?: Options, callback?: ProvisioningCallback): Promise<ApiResponse>;
  delete_user_group(group_id: string, options?: Options, callback?: ProvisioningCallback): Promise<ApiResponse>;
  add_user_to_group(group_id: string, user_id: string, options?: Options, callback?: ProvisioningCallback): Promise<ApiResponse>;
  remove_user_from_group(group_id: string, user_id: string, options?: Options, callback?: ProvisioningCallback): Promise<ApiResponse>;
  user_group(group_id: string, options?: Options, callback?: ProvisioningCallback): Promise<ApiResponse>;
  user_groups(options?: Options, callback?: ProvisioningCallback): Promise<ApiResponse>;
  user_group_users(group_id: string, options?: Options, callback?: ProvisioningCallback): Promise<ApiResponse>;
  access_keys(sub_account_id: string, options?: Options, callback?: ProvisioningCallback): Promise<ApiResponse>;
  generate_access_key(sub_account_id: string, options?: Options, callback?: ProvisioningCallback): Promise<ApiResponse>;
  update_access_key(sub_account_id: string, api_key: string, options?: Options, callback?: ProvisioningCallback): Promise<ApiResponse>;
  delete_access_key(sub_account_id: string, api_key: string, options?: Options, callback?: ProvisioningCallback): Promise<ApiResponse>;
  delete_access_key_by_name(sub_account_id: string, options?: Options, callback?: ProvisioningCallback): Promise<ApiResponse>;
}
export declare const provisioning: { account: ProvisioningAccount };

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
  api: Api;
  search: typeof search;
  search_folders: typeof search_folders;
  provisioning: { account: ProvisioningAccount };
  BLANK: string;
  CldkitError: typeof CldkitErrorClass;
  v2: Compat;
}
export declare const v2: Compat;
declare const compat: Compat;
export default compat;
