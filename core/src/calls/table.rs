//! The rows of the catalogue, one per call, in family order.
//!
//! Network rows name their wire parameters as [`Field`]s: the wire name, the argument
//! or option it comes from, when it is sent and how it is encoded (pycloudinary
//! 1.46.3's rules; see `api.py`, `uploader.py`, `provisioning/account.py`).

use super::exec::{self, Enc, Exec, Field, Req, When};
use super::{Auth, Call, Encoding, Family, Http, Param, ParamType as T, Returns, Root};

// ---- constructors ------------------------------------------------------------------

const fn p(name: &'static str, ty: T) -> Param {
    Param {
        name,
        ty,
        required: true,
    }
}

const fn o(name: &'static str, ty: T) -> Param {
    Param {
        name,
        ty,
        required: false,
    }
}

/// Sent when given (`only(options, key)`), as it is.
const fn f(key: &'static str) -> Field {
    Field {
        wire: key,
        src: key,
        when: When::Present,
        enc: Enc::Raw,
    }
}

/// Always sent (`None` when not given), as it is.
const fn a(key: &'static str) -> Field {
    Field {
        wire: key,
        src: key,
        when: When::Always,
        enc: Enc::Raw,
    }
}

/// Sent per `when`, encoded per `enc`.
const fn e(key: &'static str, when: When, enc: Enc) -> Field {
    Field {
        wire: key,
        src: key,
        when,
        enc,
    }
}

/// Always sent under `wire`, from the argument `src`.
const fn r(wire: &'static str, src: &'static str) -> Field {
    Field {
        wire,
        src,
        when: When::Always,
        enc: Enc::Raw,
    }
}

const fn http(method: &'static str, root: Root, path: &'static str) -> Option<Http> {
    let encoding = match method.as_bytes() {
        b"GET" => Encoding::Query,
        _ => Encoding::Json,
    };
    let auth = match root {
        Root::Account => Auth::Provisioning,
        Root::Provisioning => Auth::None,
        _ => Auth::Basic,
    };
    Some(Http {
        method,
        root,
        path,
        encoding,
        auth,
    })
}

const fn get(path: &'static str) -> Option<Http> {
    http("GET", Root::Cloud, path)
}
const fn post(path: &'static str) -> Option<Http> {
    http("POST", Root::Cloud, path)
}
const fn put(path: &'static str) -> Option<Http> {
    http("PUT", Root::Cloud, path)
}
const fn del(path: &'static str) -> Option<Http> {
    http("DELETE", Root::Cloud, path)
}
const fn upload_http(path: &'static str) -> Option<Http> {
    Some(Http {
        method: "POST",
        root: Root::Cloud,
        path,
        encoding: Encoding::Multipart,
        auth: Auth::Signature,
    })
}

const fn fields(fields: &'static [Field]) -> Exec {
    Exec::Request(Req {
        fields,
        build: None,
        check: None,
    })
}

const fn built(build: exec::BuildFn) -> Exec {
    Exec::Request(Req {
        fields: &[],
        build: Some(build),
        check: None,
    })
}

const NONE: Exec = fields(&[]);

#[allow(clippy::too_many_arguments)]
const fn row(
    name: &'static str,
    family: Family,
    python: &'static str,
    params: &'static [Param],
    returns: Returns,
    http: Option<Http>,
    doc: &'static str,
    exec: Exec,
) -> Call {
    Call {
        name,
        family,
        python,
        params,
        returns,
        http,
        doc,
        exec,
    }
}

/// A local row.
const fn local(
    name: &'static str,
    family: Family,
    python: &'static str,
    params: &'static [Param],
    returns: Returns,
    doc: &'static str,
    run: exec::LocalFn,
) -> Call {
    row(
        name,
        family,
        python,
        params,
        returns,
        None,
        doc,
        Exec::Local(run),
    )
}

/// An Admin API row (answers a response).
const fn admin(
    name: &'static str,
    python: &'static str,
    params: &'static [Param],
    http: Option<Http>,
    doc: &'static str,
    exec: Exec,
) -> Call {
    row(
        name,
        Family::AdminApi,
        python,
        params,
        Returns::Response,
        http,
        doc,
        exec,
    )
}

/// An Upload API row, sent as a signed form under `method`.
const fn upload(
    name: &'static str,
    python: &'static str,
    params: &'static [Param],
    path: &'static str,
    doc: &'static str,
    method: &'static str,
) -> Call {
    row(
        name,
        Family::UploadApi,
        python,
        params,
        Returns::Response,
        upload_http(path),
        doc,
        Exec::Upload(method),
    )
}

/// A Provisioning API row.
const fn account(
    name: &'static str,
    python: &'static str,
    params: &'static [Param],
    http: Option<Http>,
    doc: &'static str,
    exec: Exec,
) -> Call {
    row(
        name,
        Family::Provisioning,
        python,
        params,
        Returns::Response,
        http,
        doc,
        exec,
    )
}

const fn acct(method: &'static str, path: &'static str) -> Option<Http> {
    http(method, Root::Account, path)
}

// ---- shared field lists --------------------------------------------------------------

/// `__list_resources_params`.
const LIST: &[Field] = &[
    f("tags"),
    f("context"),
    f("metadata"),
    f("moderations"),
    e("fields", When::Truthy, Enc::Fields),
    f("next_cursor"),
    f("max_results"),
    f("direction"),
];

const RESOURCES: &[Field] = &[
    f("tags"),
    f("context"),
    f("metadata"),
    f("moderations"),
    e("fields", When::Truthy, Enc::Fields),
    f("next_cursor"),
    f("max_results"),
    f("direction"),
    f("prefix"),
    f("start_at"),
];

const BY_CONTEXT: &[Field] = &[
    f("tags"),
    f("context"),
    f("metadata"),
    f("moderations"),
    e("fields", When::Truthy, Enc::Fields),
    f("next_cursor"),
    f("max_results"),
    f("direction"),
    a("key"),
    e("value", When::NotNull, Enc::Raw),
];

const BY_IDS: &[Field] = &[
    f("tags"),
    f("context"),
    f("metadata"),
    f("moderations"),
    e("fields", When::Truthy, Enc::Fields),
    a("public_ids"),
];

const BY_ASSET_IDS: &[Field] = &[
    f("tags"),
    f("context"),
    f("metadata"),
    f("moderations"),
    e("fields", When::Truthy, Enc::Fields),
    a("asset_ids"),
];

const BY_FOLDER: &[Field] = &[
    f("tags"),
    f("context"),
    f("metadata"),
    f("moderations"),
    e("fields", When::Truthy, Enc::Fields),
    f("next_cursor"),
    f("max_results"),
    f("direction"),
    a("asset_folder"),
];

/// `_prepare_asset_details_params`.
const DETAILS: &[Field] = &[
    f("exif"),
    f("faces"),
    f("colors"),
    f("image_metadata"),
    f("media_metadata"),
    f("cinemagraph_analysis"),
    f("pages"),
    f("phash"),
    f("coordinates"),
    f("max_results"),
    f("quality_analysis"),
    f("derived_next_cursor"),
    f("accessibility_analysis"),
    f("versions"),
    f("related"),
    f("related_next_cursor"),
];

const UPDATE: &[Field] = &[
    f("moderation_status"),
    f("raw_convert"),
    f("quality_override"),
    f("ocr"),
    f("categorization"),
    f("detection"),
    f("similarity_search"),
    f("background_removal"),
    f("notification_url"),
    f("batch_id"),
    e("tags", When::Present, Enc::Join),
    e("face_coordinates", When::Present, Enc::DoubleArray),
    e("custom_coordinates", When::Present, Enc::DoubleArray),
    e("regions", When::Present, Enc::Json),
    e("context", When::Present, Enc::Context),
    e("metadata", When::Present, Enc::Context),
    e("auto_tagging", When::Present, Enc::Str),
    e("access_control", When::Present, Enc::ListOfDictsJson),
    f("asset_folder"),
    f("display_name"),
    f("unique_display_name"),
    f("clear_invalid"),
];

/// `__delete_resource_params` without the call's own keys.
macro_rules! delete_fields {
    ($($extra:expr),*) => {
        &[
            e("transformations", When::Always, Enc::Eager),
            f("keep_original"),
            f("next_cursor"),
            f("invalidate"),
            f("batch_id"),
            f("notification_url"),
            $($extra),*
        ]
    };
}

const CURSOR: &[Field] = &[f("next_cursor"), f("max_results")];

const METADATA_FIELD_KEYS: &[&str] = &[
    "type",
    "external_id",
    "label",
    "mandatory",
    "restrictions",
    "default_value",
    "default_disabled",
    "validation",
    "datasource",
    "allow_dynamic_list_values",
];

const METADATA_RULE_KEYS: &[&str] = &[
    "external_id",
    "metadata_field_id",
    "condition",
    "result",
    "name",
    "state",
];

// ---- the rows ------------------------------------------------------------------------

/// Every call, in family order: delivery, tag, signing, download URL, Upload API,
/// Admin API, search, provisioning.
pub static CALLS: &[Call] = &[
    // -- delivery --
    local("url", Family::Delivery, "utils.cloudinary_url", &[p("source", T::String)], Returns::Url,
        "The delivery URL of a public id or remote URL with the transformation and URL options.", exec::url),
    local("video_thumbnail_url", Family::Delivery, "CloudinaryVideo.video_thumbnail", &[p("public_id", T::String)], Returns::Url,
        "The URL of a video's poster image (resource type video, format jpg unless given).", exec::video_thumbnail_url),
    local("placeholder_url", Family::Delivery, "", &[p("public_id", T::String), o("placeholder", T::String)], Returns::Url,
        "The URL of a low-cost placeholder (blur, pixelate, vectorize, predominant-color) for lazy loading.", exec::placeholder_url),
    local("api_url", Family::Delivery, "utils.cloudinary_api_url", &[p("action", T::String)], Returns::Url,
        "The Upload/Admin API endpoint URL of an action ({upload_prefix}/v1_1/{cloud}/{resource_type}/{action}).", exec::api_url),
    // -- tags --
    local("image_tag", Family::Tag, "CloudinaryImage.image", &[p("public_id", T::String)], Returns::Html,
        "An <img> tag, with responsive srcset and sizes when asked for.", exec::image_tag),
    local("image_attributes", Family::Tag, "", &[p("public_id", T::String)], Returns::Map,
        "The attributes image_tag would render, as a map.", exec::image_attributes),
    local("video_tag", Family::Tag, "CloudinaryVideo.video", &[p("public_id", T::String)], Returns::Html,
        "A <video> tag with its poster and one <source> per source type.", exec::video_tag),
    local("picture_tag", Family::Tag, "CloudinaryImage.picture", &[p("public_id", T::String)], Returns::Html,
        "A <picture> tag with one <source> per media query.", exec::picture_tag),
    local("source_tag", Family::Tag, "CloudinaryImage.source", &[p("public_id", T::String)], Returns::Html,
        "A <source> tag for a <picture> element.", exec::source_tag),
    local("lazy_image_tag", Family::Tag, "", &[p("public_id", T::String), o("placeholder", T::String)], Returns::Html,
        "An <img> tag that loads lazily, with a placeholder URL in src when a mode is given.", exec::lazy_image_tag),
    // -- signing --
    local("sign_request", Family::Signing, "utils.api_sign_request", &[p("params", T::Map)], Returns::Text,
        "The signature of request parameters with the configured secret, algorithm and version.", exec::sign_request),
    local("explain_signature", Family::Signing, "", &[p("params", T::Map)], Returns::Map,
        "The signature with the exact string that was signed (without the secret).", exec::explain_signature),
    local("verify_api_response", Family::Signing, "utils.verify_api_response_signature",
        &[p("public_id", T::String), p("version", T::Integer), p("signature", T::String)], Returns::Bool,
        "Whether an upload response's signature matches its public id and version.", exec::verify_api_response),
    local("verify_notification", Family::Signing, "utils.verify_notification_signature",
        &[p("body", T::String), p("timestamp", T::Integer), p("signature", T::String), o("valid_for", T::Integer)], Returns::Bool,
        "Whether a webhook body, timestamp and signature match (and the timestamp is recent).", exec::verify_notification),
    local("auth_token", Family::Signing, "utils.generate_auth_token", &[], Returns::OptionalText,
        "A token-based authentication token (key, duration or expiration, acl or url).", exec::auth_token),
    local("sign_upload_widget", Family::Signing, "", &[p("params", T::Map)], Returns::Map,
        "The timestamp, signature and API key of the Upload widget's signed mode.", exec::sign_upload_widget),
    local("upload_params", Family::Signing, "utils.build_upload_params", &[], Returns::Map,
        "The upload parameters an upload would send (and sign), as their wire text.", exec::upload_params),
    // -- download URLs --
    local("private_download_url", Family::DownloadUrl, "utils.private_download_url",
        &[p("public_id", T::String), p("format", T::String)], Returns::Url,
        "The signed URL that downloads a private or authenticated asset.", exec::private_download_url),
    local("zip_download_url", Family::DownloadUrl, "utils.zip_download_url", &[p("tag", T::String)], Returns::Url,
        "The signed URL that downloads every asset with a tag as a ZIP.", exec::zip_download_url),
    local("download_archive_url", Family::DownloadUrl, "utils.download_archive_url", &[], Returns::Url,
        "The signed URL that generates and downloads an archive.", exec::download_archive_url),
    local("download_zip_url", Family::DownloadUrl, "utils.download_zip_url", &[], Returns::Url,
        "The signed URL that generates and downloads a ZIP archive.", exec::download_zip_url),
    local("download_folder", Family::DownloadUrl, "utils.download_folder", &[p("folder_path", T::String)], Returns::Url,
        "The signed URL that downloads a folder as an archive.", exec::download_folder),
    local("download_backedup_asset", Family::DownloadUrl, "utils.download_backedup_asset",
        &[p("asset_id", T::String), p("version_id", T::String)], Returns::Url,
        "The signed URL that downloads a backed-up version of an asset.", exec::download_backedup_asset),
    local("download_generated_sprite", Family::DownloadUrl, "uploader.download_generated_sprite",
        &[o("tag", T::String), o("urls", T::Strings)], Returns::Url,
        "The signed URL that generates and downloads a sprite from a tag or URLs.", exec::download_generated_sprite),
    local("download_multi", Family::DownloadUrl, "uploader.download_multi",
        &[o("tag", T::String), o("urls", T::Strings)], Returns::Url,
        "The signed URL that generates and downloads an animated or multi-page file.", exec::download_multi),
    // -- Upload API --
    upload("upload", "uploader.upload", &[p("file", T::File)], "{resource_type=image}/upload",
        "Uploads a local file (streamed, chunked when large), remote URL or data URI.", "upload"),
    upload("unsigned_upload", "uploader.unsigned_upload", &[p("file", T::File), p("upload_preset", T::String)],
        "{resource_type=image}/upload", "Uploads without a signature through an unsigned upload preset.", "unsigned_upload"),
    upload("upload_large", "uploader.upload_large", &[p("file", T::File)], "{resource_type=image}/upload",
        "Uploads a large file in chunks (every upload above the chunk size is chunked).", "upload"),
    upload("explicit", "uploader.explicit", &[p("public_id", T::String)], "{resource_type=image}/explicit",
        "Applies upload parameters (eager, tags, context, ...) to an existing asset.", "explicit"),
    upload("rename", "uploader.rename", &[p("from_public_id", T::String), p("to_public_id", T::String)],
        "{resource_type=image}/rename", "Renames an asset.", "rename"),
    upload("destroy", "uploader.destroy", &[p("public_id", T::String)], "{resource_type=image}/destroy",
        "Deletes an asset.", "destroy"),
    upload("add_tag", "uploader.add_tag", &[p("tag", T::Strings), o("public_ids", T::Strings)],
        "{resource_type=image}/tags", "Adds a tag to assets (exclusive: true removes it from all others).", "add_tag"),
    upload("remove_tag", "uploader.remove_tag", &[p("tag", T::Strings), o("public_ids", T::Strings)],
        "{resource_type=image}/tags", "Removes a tag from assets.", "remove_tag"),
    upload("replace_tag", "uploader.replace_tag", &[p("tag", T::Strings), o("public_ids", T::Strings)],
        "{resource_type=image}/tags", "Replaces all tags of assets with one tag.", "replace_tag"),
    upload("remove_all_tags", "uploader.remove_all_tags", &[p("public_ids", T::Strings)],
        "{resource_type=image}/tags", "Removes every tag from assets.", "remove_all_tags"),
    upload("add_context", "uploader.add_context", &[p("context", T::Map), p("public_ids", T::Strings)],
        "{resource_type=image}/context", "Adds contextual metadata to assets.", "add_context"),
    upload("remove_all_context", "uploader.remove_all_context", &[p("public_ids", T::Strings)],
        "{resource_type=image}/context", "Removes all contextual metadata from assets.", "remove_all_context"),
    upload("update_metadata", "uploader.update_metadata", &[p("metadata", T::Map), p("public_ids", T::Strings)],
        "{resource_type=image}/metadata", "Sets structured metadata on assets.", "update_metadata"),
    upload("text", "uploader.text", &[p("text", T::String)], "{resource_type=image}/text",
        "Creates an image of a text with font options.", "text"),
    upload("generate_sprite", "uploader.generate_sprite", &[o("tag", T::String), o("urls", T::Strings)],
        "{resource_type=image}/sprite", "Generates a sprite from the images with a tag or from URLs.", "generate_sprite"),
    upload("multi", "uploader.multi", &[o("tag", T::String), o("urls", T::Strings)],
        "{resource_type=image}/multi", "Creates an animated image, video or PDF from a tag or URLs.", "multi"),
    upload("explode", "uploader.explode", &[p("public_id", T::String)], "{resource_type=image}/explode",
        "Creates an image per page of a multi-page file (page: all).", "explode"),
    upload("create_archive", "uploader.create_archive", &[], "{resource_type=image}/generate_archive",
        "Creates an archive (ZIP by default, or TGZ) of assets and stores it as a raw asset.", "create_archive"),
    upload("create_zip", "uploader.create_zip", &[], "{resource_type=image}/generate_archive",
        "Creates a ZIP archive of assets and stores it as a raw asset.", "create_zip"),
    upload("create_slideshow", "uploader.create_slideshow", &[], "{resource_type=video}/create_slideshow",
        "Creates a slideshow video from a manifest (manifest_json or manifest_transformation).", "create_slideshow"),
    // -- Admin API: product environment --
    admin("ping", "api.ping", &[], get("ping"), "Tests the reachability of the Admin API.", NONE),
    admin("usage", "api.usage", &[], get("usage/{date?}"),
        "The product environment's usage (storage, bandwidth, credits, ...), of a date if given.", NONE),
    admin("config", "api.config", &[], get("config"),
        "The product environment's configuration (settings: true adds folder_mode and more).", fields(&[f("settings")])),
    // -- Admin API: assets --
    admin("resource_types", "api.resource_types", &[], get("resources"), "The resource types in use.", NONE),
    admin("resources", "api.resources", &[], get("resources/{resource_type=image}/{type?}"),
        "Lists assets of a resource type (and delivery type, prefix, start_at, ...).", fields(RESOURCES)),
    admin("resources_by_tag", "api.resources_by_tag", &[p("tag", T::String)],
        get("resources/{resource_type=image}/tags/{tag}"), "Lists assets with a tag.", fields(LIST)),
    admin("resources_by_context", "api.resources_by_context", &[p("key", T::String), o("value", T::String)],
        get("resources/{resource_type=image}/context"), "Lists assets with a context key (and value).", fields(BY_CONTEXT)),
    admin("resources_by_moderation", "api.resources_by_moderation", &[p("kind", T::String), p("status", T::String)],
        get("resources/{resource_type=image}/moderations/{kind}/{status}"),
        "Lists assets in a moderation queue with a moderation status.", fields(LIST)),
    admin("resources_by_ids", "api.resources_by_ids", &[p("public_ids", T::Strings)],
        get("resources/{resource_type=image}/{type=upload}"), "Lists the assets with these public ids.", fields(BY_IDS)),
    admin("resources_by_asset_ids", "api.resources_by_asset_ids", &[p("asset_ids", T::Strings)],
        get("resources/by_asset_ids"), "Lists the assets with these asset ids.", fields(BY_ASSET_IDS)),
    admin("resources_by_asset_folder", "api.resources_by_asset_folder", &[p("asset_folder", T::String)],
        get("resources/by_asset_folder"), "Lists the assets in an asset folder (dynamic folders).", fields(BY_FOLDER)),
    admin("resource", "api.resource", &[p("public_id", T::String)],
        get("resources/{resource_type=image}/{type=upload}/{public_id}"),
        "The details of an asset by public id (derived assets, versions, related assets, analysis).", fields(DETAILS)),
    admin("resource_by_asset_id", "api.resource_by_asset_id", &[p("asset_id", T::String)],
        get("resources/{asset_id}"), "The details of an asset by asset id.", fields(DETAILS)),
    admin("update", "api.update", &[p("public_id", T::String)],
        post("resources/{resource_type=image}/{type=upload}/{public_id}"),
        "Updates an asset's tags, context, metadata, folder, display name, moderation, ...", fields(UPDATE)),
    admin("restore", "api.restore", &[p("public_ids", T::Strings)],
        post("resources/{resource_type=image}/{type=upload}/restore"),
        "Restores deleted assets from their backups (latest, or the given versions).",
        fields(&[a("public_ids"), f("versions")])),
    admin("restore_by_asset_ids", "api.restore_by_asset_ids", &[p("asset_ids", T::Strings)],
        post("resources/restore"), "Restores deleted assets by asset id from their backups.",
        fields(&[a("asset_ids"), f("versions")])),
    admin("delete_resources", "api.delete_resources", &[p("public_ids", T::Strings)],
        del("resources/{resource_type=image}/{type=upload}"), "Deletes assets by public id.",
        fields(delete_fields!(a("public_ids")))),
    admin("delete_resources_by_prefix", "api.delete_resources_by_prefix", &[p("prefix", T::String)],
        del("resources/{resource_type=image}/{type=upload}"), "Deletes the assets whose public ids start with a prefix.",
        fields(delete_fields!(a("prefix")))),
    admin("delete_all_resources", "api.delete_all_resources", &[],
        del("resources/{resource_type=image}/{type=upload}"), "Deletes every asset of a resource and delivery type.",
        fields(delete_fields!(e("all", When::Always, Enc::True)))),
    admin("delete_resources_by_tag", "api.delete_resources_by_tag", &[p("tag", T::String)],
        del("resources/{resource_type=image}/tags/{tag}"), "Deletes the assets with a tag.", fields(delete_fields!())),
    admin("delete_resources_by_asset_ids", "api.delete_resources_by_asset_ids", &[p("asset_ids", T::Strings)],
        del("resources"), "Deletes assets by asset id.", fields(delete_fields!(a("asset_ids")))),
    admin("delete_derived_resources", "api.delete_derived_resources", &[p("derived_resource_ids", T::Strings)],
        del("derived_resources"), "Deletes derived assets by derived resource id.", fields(&[a("derived_resource_ids")])),
    admin("delete_derived_by_transformation", "api.delete_derived_by_transformation",
        &[p("public_ids", T::Strings), p("transformations", T::Any), o("resource_type", T::String), o("type", T::String), o("invalidate", T::Boolean)],
        del("resources/{resource_type=image}/{type=upload}"),
        "Deletes the derived assets of public ids made with the given transformations.",
        fields(&[
            e("public_ids", When::Always, Enc::Wrap),
            e("transformations", When::Always, Enc::Eager),
            e("keep_original", When::Always, Enc::True),
            e("invalidate", When::NotNull, Enc::Raw),
        ])),
    admin("delete_backed_up_assets", "api.delete_backed_up_assets", &[p("asset_id", T::String), p("version_ids", T::Strings)],
        del("resources/backup/{asset_id}"), "Deletes backed-up versions of an asset.",
        fields(&[e("version_ids", When::Always, Enc::Array)])),
    admin("add_related_assets", "api.add_related_assets",
        &[p("public_id", T::String), p("assets_to_relate", T::Strings), o("resource_type", T::String), o("type", T::String)],
        post("resources/related_assets/{resource_type=image}/{type=upload}/{public_id}"),
        "Relates an asset to other assets (resource_type/type/public_id each).",
        fields(&[e("assets_to_relate", When::Always, Enc::Array)])),
    admin("add_related_assets_by_asset_ids", "api.add_related_assets_by_asset_ids",
        &[p("asset_id", T::String), p("assets_to_relate", T::Strings)],
        post("resources/related_assets/{asset_id}"), "Relates an asset to other assets by asset id.",
        fields(&[e("assets_to_relate", When::Always, Enc::Array)])),
    admin("delete_related_assets", "api.delete_related_assets",
        &[p("public_id", T::String), p("assets_to_unrelate", T::Strings), o("resource_type", T::String), o("type", T::String)],
        del("resources/related_assets/{resource_type=image}/{type=upload}/{public_id}"),
        "Unrelates an asset from other assets.", fields(&[e("assets_to_unrelate", When::Always, Enc::Array)])),
    admin("delete_related_assets_by_asset_ids", "api.delete_related_assets_by_asset_ids",
        &[p("asset_id", T::String), p("assets_to_unrelate", T::Strings)],
        del("resources/related_assets/{asset_id}"), "Unrelates an asset from other assets by asset id.",
        fields(&[e("assets_to_unrelate", When::Always, Enc::Array)])),
    admin("publish_by_ids", "api.publish_by_ids", &[p("public_ids", T::Strings)],
        post("resources/{resource_type=image}/publish_resources"),
        "Publishes assets (access_mode public) by public id.",
        fields(&[f("type"), f("overwrite"), f("invalidate"), a("public_ids")])),
    admin("publish_by_prefix", "api.publish_by_prefix", &[p("prefix", T::String)],
        post("resources/{resource_type=image}/publish_resources"),
        "Publishes the assets whose public ids start with a prefix.",
        fields(&[f("type"), f("overwrite"), f("invalidate"), a("prefix")])),
    admin("publish_by_tag", "api.publish_by_tag", &[p("tag", T::String)],
        post("resources/{resource_type=image}/publish_resources"), "Publishes the assets with a tag.",
        fields(&[f("type"), f("overwrite"), f("invalidate"), a("tag")])),
    admin("update_resources_access_mode_by_ids", "", &[p("access_mode", T::String), p("ids", T::Strings)],
        post("resources/{resource_type=image}/{type=upload}/update_access_mode"),
        "Sets the access mode (public or authenticated) of assets by public id (Node SDK).",
        fields(&[a("access_mode"), r("public_ids", "ids")])),
    admin("update_resources_access_mode_by_tag", "", &[p("access_mode", T::String), p("tag", T::String)],
        post("resources/{resource_type=image}/{type=upload}/update_access_mode"),
        "Sets the access mode of the assets with a tag (Node SDK).", fields(&[a("access_mode"), a("tag")])),
    admin("update_resources_access_mode_by_prefix", "", &[p("access_mode", T::String), p("prefix", T::String)],
        post("resources/{resource_type=image}/{type=upload}/update_access_mode"),
        "Sets the access mode of the assets whose public ids start with a prefix (Node SDK).",
        fields(&[a("access_mode"), a("prefix")])),
    admin("tags", "api.tags", &[], get("tags/{resource_type=image}"), "Lists the tags of a resource type.",
        fields(&[f("next_cursor"), f("max_results"), f("prefix")])),
    // -- Admin API: folders --
    admin("root_folders", "api.root_folders", &[], get("folders"), "Lists the root folders.", fields(CURSOR)),
    admin("subfolders", "api.subfolders", &[p("of_folder_path", T::String)], get("folders/{of_folder_path}"),
        "Lists the subfolders of a folder.", fields(CURSOR)),
    admin("create_folder", "api.create_folder", &[p("path", T::String)], post("folders/{path}"),
        "Creates a folder (and its parents).", NONE),
    admin("rename_folder", "api.rename_folder", &[p("from_path", T::String), p("to_path", T::String)],
        put("folders/{from_path}"), "Renames or moves a folder.", fields(&[r("to_folder", "to_path")])),
    admin("delete_folder", "api.delete_folder", &[p("path", T::String)], del("folders/{path}"),
        "Deletes an empty folder.", fields(&[f("skip_backup")])),
    // -- Admin API: upload presets and mappings --
    admin("upload_presets", "api.upload_presets", &[], get("upload_presets"), "Lists the upload presets.", fields(CURSOR)),
    admin("upload_preset", "api.upload_preset", &[p("name", T::String)], get("upload_presets/{name}"),
        "The settings of an upload preset.", fields(&[f("max_results")])),
    admin("create_upload_preset", "api.create_upload_preset", &[], post("upload_presets"),
        "Creates an upload preset from upload parameters (name, unsigned, disallow_public_id, live).",
        built(exec::create_preset_body)),
    admin("update_upload_preset", "api.update_upload_preset", &[p("name", T::String)], put("upload_presets/{name}"),
        "Updates an upload preset's settings.", built(exec::update_preset_body)),
    admin("delete_upload_preset", "api.delete_upload_preset", &[p("name", T::String)], del("upload_presets/{name}"),
        "Deletes an upload preset.", NONE),
    admin("upload_mappings", "api.upload_mappings", &[], get("upload_mappings"),
        "Lists the upload mappings (folder and URL template).", fields(CURSOR)),
    admin("upload_mapping", "api.upload_mapping", &[p("name", T::String)], get("upload_mappings"),
        "The URL template of an upload mapping's folder.", fields(&[r("folder", "name")])),
    admin("create_upload_mapping", "api.create_upload_mapping", &[p("name", T::String)], post("upload_mappings"),
        "Maps a folder to a URL template (auto-upload).", fields(&[r("folder", "name"), f("template")])),
    admin("update_upload_mapping", "api.update_upload_mapping", &[p("name", T::String)], put("upload_mappings"),
        "Changes the URL template of an upload mapping.", fields(&[r("folder", "name"), f("template")])),
    admin("delete_upload_mapping", "api.delete_upload_mapping", &[p("name", T::String)], del("upload_mappings"),
        "Deletes an upload mapping.", fields(&[r("folder", "name")])),
    // -- Admin API: transformations and streaming profiles --
    admin("transformations", "api.transformations", &[], get("transformations"),
        "Lists the transformations (named: true for named ones only).",
        fields(&[f("named"), f("next_cursor"), f("max_results")])),
    admin("transformation", "api.transformation", &[p("transformation", T::Transformation)], get("transformations"),
        "The details of a transformation (its derived assets).",
        fields(&[f("next_cursor"), f("max_results"), e("transformation", When::Always, Enc::SingleEager)])),
    admin("create_transformation", "api.create_transformation",
        &[p("name", T::String), p("definition", T::Transformation)], post("transformations"),
        "Creates a named transformation.",
        fields(&[a("name"), Field { wire: "transformation", src: "definition", when: When::Always, enc: Enc::SingleEager }])),
    admin("update_transformation", "api.update_transformation", &[p("transformation", T::Transformation)],
        put("transformations"), "Updates a transformation (allowed_for_strict, unsafe_update).",
        fields(&[
            f("allowed_for_strict"),
            e("unsafe_update", When::Present, Enc::Transformation),
            e("transformation", When::Always, Enc::SingleEager),
        ])),
    admin("delete_transformation", "api.delete_transformation", &[p("transformation", T::Transformation)],
        del("transformations"), "Deletes a transformation.",
        fields(&[e("transformation", When::Always, Enc::SingleEager)])),
    admin("list_streaming_profiles", "api.list_streaming_profiles", &[], get("streaming_profiles"),
        "Lists the built-in and custom adaptive streaming profiles.", NONE),
    admin("get_streaming_profile", "api.get_streaming_profile", &[p("name", T::String)], get("streaming_profiles/{name}"),
        "The representations of a streaming profile.", NONE),
    admin("create_streaming_profile", "api.create_streaming_profile", &[p("name", T::String)], post("streaming_profiles"),
        "Creates a custom streaming profile (display_name, representations).",
        fields(&[f("display_name"), e("representations", When::Present, Enc::Representations), a("name")])),
    admin("update_streaming_profile", "api.update_streaming_profile", &[p("name", T::String)], put("streaming_profiles/{name}"),
        "Replaces a streaming profile's representations or display name.",
        fields(&[f("display_name"), e("representations", When::Present, Enc::Representations)])),
    admin("delete_streaming_profile", "api.delete_streaming_profile", &[p("name", T::String)], del("streaming_profiles/{name}"),
        "Deletes a custom streaming profile (or reverts a modified built-in one).", NONE),
    // -- Admin API: structured metadata --
    admin("list_metadata_fields", "api.list_metadata_fields", &[], get("metadata_fields"),
        "Lists the structured metadata fields.", NONE),
    admin("metadata_field_by_field_id", "api.metadata_field_by_field_id", &[p("field_external_id", T::String)],
        get("metadata_fields/{field_external_id}"), "A structured metadata field by external id.", NONE),
    admin("add_metadata_field", "api.add_metadata_field", &[p("field", T::Map)], post("metadata_fields"),
        "Creates a structured metadata field.",
        fields(&[e("field", When::Always, Enc::Spread(METADATA_FIELD_KEYS))])),
    admin("update_metadata_field", "api.update_metadata_field", &[p("field_external_id", T::String), p("field", T::Map)],
        put("metadata_fields/{field_external_id}"), "Updates a structured metadata field.",
        fields(&[e("field", When::Always, Enc::Spread(METADATA_FIELD_KEYS))])),
    admin("delete_metadata_field", "api.delete_metadata_field", &[p("field_external_id", T::String)],
        del("metadata_fields/{field_external_id}"), "Deletes a structured metadata field.", NONE),
    admin("update_metadata_field_datasource", "api.update_metadata_field_datasource",
        &[p("field_external_id", T::String), p("entries_external_id", T::List)],
        put("metadata_fields/{field_external_id}/datasource"),
        "Adds or updates entries of a field's datasource ({external_id, value} each).",
        fields(&[Field { wire: "values", src: "entries_external_id", when: When::Always, enc: Enc::DatasourceValues }])),
    admin("delete_datasource_entries", "api.delete_datasource_entries",
        &[p("field_external_id", T::String), p("entries_external_id", T::Strings)],
        del("metadata_fields/{field_external_id}/datasource"), "Deactivates entries of a field's datasource.",
        fields(&[r("external_ids", "entries_external_id")])),
    admin("restore_metadata_field_datasource", "api.restore_metadata_field_datasource",
        &[p("field_external_id", T::String), p("entries_external_ids", T::Strings)],
        post("metadata_fields/{field_external_id}/datasource_restore"),
        "Restores deactivated entries of a field's datasource.", fields(&[r("external_ids", "entries_external_ids")])),
    admin("reorder_metadata_field_datasource", "api.reorder_metadata_field_datasource",
        &[p("field_external_id", T::String), p("order_by", T::String), o("direction", T::String)],
        post("metadata_fields/{field_external_id}/datasource/order"),
        "Orders a field's datasource entries (order_by value, direction asc or desc).",
        fields(&[a("order_by"), a("direction")])),
    admin("reorder_metadata_fields", "api.reorder_metadata_fields", &[p("order_by", T::String), o("direction", T::String)],
        put("metadata_fields/order"), "Orders the metadata fields (order_by label, external_id or created_at).",
        fields(&[a("order_by"), a("direction")])),
    admin("list_metadata_rules", "api.list_metadata_rules", &[], get("metadata_rules"),
        "Lists the conditional metadata rules.", NONE),
    admin("add_metadata_rule", "api.add_metadata_rule", &[p("rule", T::Map)], post("metadata_rules"),
        "Creates a conditional metadata rule.", fields(&[e("rule", When::Always, Enc::Spread(METADATA_RULE_KEYS))])),
    admin("update_metadata_rule", "api.update_metadata_rule", &[p("rule_external_id", T::String), p("rule", T::Map)],
        put("metadata_rules/{rule_external_id}"), "Updates a conditional metadata rule.",
        fields(&[e("rule", When::Always, Enc::Spread(METADATA_RULE_KEYS))])),
    admin("delete_metadata_rule", "api.delete_metadata_rule", &[p("rule_external_id", T::String)],
        del("metadata_rules/{rule_external_id}"), "Deletes a conditional metadata rule.", NONE),
    // -- Admin API: notifications and analysis --
    admin("triggers", "api.triggers", &[], get("triggers"), "Lists the notification triggers (of an event_type).",
        fields(&[a("event_type")])),
    admin("create_trigger", "api.create_trigger", &[p("uri", T::String), p("event_type", T::String), o("uri_type", T::String)],
        post("triggers"), "Creates a notification trigger (webhook, flow or poll destination).",
        fields(&[a("uri"), a("event_type"), a("uri_type")])),
    admin("update_trigger", "api.update_trigger", &[p("trigger_id", T::String), p("new_uri", T::String)],
        put("triggers/{trigger_id}"), "Changes a trigger's destination URI.", fields(&[a("new_uri")])),
    admin("delete_trigger", "api.delete_trigger", &[p("trigger_id", T::String)], del("triggers/{trigger_id}"),
        "Deletes a notification trigger.", NONE),
    admin("test_trigger", "api.test_trigger", &[p("trigger_id", T::String), o("sample_data", T::Map)],
        post("triggers/{trigger_id}/test"), "Evaluates a trigger's filter against sample data.", fields(&[a("sample_data")])),
    admin("notifications", "api.notifications",
        &[o("channel", T::String), o("batch_id", T::String), o("max_messages", T::Integer), o("wait_seconds", T::Integer), o("visibility_timeout", T::Integer)],
        http("GET", Root::Module("notifications"), "messages"),
        "Claims notifications buffered for a poll destination (a channel or a batch_id).",
        Exec::Request(Req {
            fields: &[a("channel"), a("batch_id"), a("max_messages"), a("wait_seconds"), a("visibility_timeout")],
            build: None,
            check: Some(exec::one_channel),
        })),
    admin("ack_notifications", "api.ack_notifications", &[p("receipt_handles", T::Strings)],
        http("POST", Root::Module("notifications"), "messages/ack"),
        "Acknowledges claimed notifications, deleting them from the buffer.",
        fields(&[e("receipt_handles", When::Always, Enc::WrapStr)])),
    admin("analyze", "api.analyze", &[p("input_type", T::String), p("analysis_type", T::String), o("uri", T::String)],
        http("POST", Root::CloudV2, "analysis/analyze/{input_type}"),
        "Analyzes an asset (captioning, tagging, ...) from a URI.",
        fields(&[a("analysis_type"), a("uri"), a("parameters")])),
    admin("call_api", "", &[p("method", T::String), p("path", T::Strings), o("params", T::Map)],
        Some(Http { method: "ANY", root: Root::Cloud, path: "{path}", encoding: Encoding::Json, auth: Auth::Basic }),
        "Calls any Admin API endpoint (for endpoints added after this release).", Exec::Raw),
    // -- search --
    row("search", Family::Search, "Search.execute", &[o("expression", T::String)], Returns::Response,
        post("resources/search"),
        "Searches assets (expression, sort_by, max_results, next_cursor, aggregate, with_field, fields).",
        built(exec::search_body)),
    row("search_folders", Family::Search, "SearchFolders.execute", &[o("expression", T::String)], Returns::Response,
        post("folders/search"), "Searches folders (same options as search).", built(exec::search_body)),
    local("search_url", Family::Search, "Search.to_url",
        &[o("expression", T::String), o("ttl", T::Integer), o("next_cursor", T::String)], Returns::Url,
        "The signed, cacheable search URL on the delivery host (ttl 300 s by default).", exec::search_url_row),
    row("visual_search", Family::Search, "api.visual_search",
        &[o("image_url", T::String), o("image_asset_id", T::String), o("text", T::String), o("image_file", T::File)],
        Returns::Response,
        Some(Http { method: "POST", root: Root::Cloud, path: "resources/visual_search", encoding: Encoding::Multipart, auth: Auth::Basic }),
        "Finds images similar to an image URL, asset, file or text description.",
        fields(&[a("image_url"), a("image_asset_id"), a("text"), a("image_file")])),
    // -- provisioning --
    account("sub_accounts", "account.sub_accounts", &[o("enabled", T::Boolean), o("ids", T::Strings), o("prefix", T::String)],
        acct("GET", "sub_accounts"), "Lists the product environments (sub-accounts).",
        fields(&[a("ids"), a("enabled"), a("prefix")])),
    account("sub_account", "account.sub_account", &[p("sub_account_id", T::String)],
        acct("GET", "sub_accounts/{sub_account_id}"), "A product environment.", NONE),
    account("create_sub_account", "account.create_sub_account",
        &[p("name", T::String), o("cloud_name", T::String), o("custom_attributes", T::Map), o("enabled", T::Boolean), o("base_account", T::String)],
        acct("POST", "sub_accounts"), "Creates a product environment (optionally copying a base one).",
        fields(&[a("name"), a("cloud_name"), a("custom_attributes"), a("enabled"), r("base_sub_account_id", "base_account")])),
    account("update_sub_account", "account.update_sub_account",
        &[p("sub_account_id", T::String), o("name", T::String), o("cloud_name", T::String), o("custom_attributes", T::Map), o("enabled", T::Boolean)],
        acct("PUT", "sub_accounts/{sub_account_id}"), "Updates a product environment.",
        fields(&[a("name"), a("cloud_name"), a("custom_attributes"), a("enabled")])),
    account("delete_sub_account", "account.delete_sub_account", &[p("sub_account_id", T::String)],
        acct("DELETE", "sub_accounts/{sub_account_id}"), "Deletes a product environment.", NONE),
    account("users", "account.users",
        &[o("user_ids", T::Strings), o("sub_account_id", T::String), o("status", T::String), o("prefix", T::String),
          o("last_login", T::Boolean), o("from_date", T::String), o("to_date", T::String)],
        acct("GET", "users"), "Lists the account's users.",
        fields(&[
            Field { wire: "ids", src: "user_ids", when: When::Always, enc: Enc::EncodeList },
            a("sub_account_id"),
            a("status"),
            a("prefix"),
            a("last_login"),
            r("from", "from_date"),
            r("to", "to_date"),
        ])),
    account("user", "account.user", &[p("user_id", T::String)], acct("GET", "users/{user_id}"), "A user.", NONE),
    account("create_user", "account.create_user",
        &[p("name", T::String), p("email", T::String), p("role", T::String), o("sub_account_ids", T::Strings)],
        acct("POST", "users"), "Creates a user with a role (and product environments).",
        fields(&[a("name"), a("email"), a("role"), a("sub_account_ids")])),
    account("update_user", "account.update_user",
        &[p("user_id", T::String), o("name", T::String), o("email", T::String), o("role", T::String), o("sub_account_ids", T::Strings)],
        acct("PUT", "users/{user_id}"), "Updates a user.",
        fields(&[a("name"), a("email"), a("role"), a("sub_account_ids")])),
    account("delete_user", "account.delete_user", &[p("user_id", T::String)], acct("DELETE", "users/{user_id}"),
        "Deletes a user.", NONE),
    account("user_groups", "account.user_groups", &[], acct("GET", "user_groups"), "Lists the user groups.", NONE),
    account("user_group", "account.user_group", &[p("user_group_id", T::String)],
        acct("GET", "user_groups/{user_group_id}"), "A user group.", NONE),
    account("create_user_group", "account.create_user_group", &[p("name", T::String)], acct("POST", "user_groups"),
        "Creates a user group.", fields(&[a("name")])),
    account("update_user_group", "account.update_user_group", &[p("user_group_id", T::String), p("name", T::String)],
        acct("PUT", "user_groups/{user_group_id}"), "Renames a user group.", fields(&[a("name")])),
    account("delete_user_group", "account.delete_user_group", &[p("user_group_id", T::String)],
        acct("DELETE", "user_groups/{user_group_id}"), "Deletes a user group.", NONE),
    account("add_user_to_group", "account.add_user_to_group", &[p("user_group_id", T::String), p("user_id", T::String)],
        acct("POST", "user_groups/{user_group_id}/users/{user_id}"), "Adds a user to a user group.", NONE),
    account("remove_user_from_group", "account.remove_user_from_group", &[p("user_group_id", T::String), p("user_id", T::String)],
        acct("DELETE", "user_groups/{user_group_id}/users/{user_id}"), "Removes a user from a user group.", NONE),
    account("user_group_users", "account.user_group_users", &[p("user_group_id", T::String)],
        acct("GET", "user_groups/{user_group_id}/users"), "Lists the users of a user group.", NONE),
    account("user_in_user_groups", "account.user_in_user_groups", &[p("user_id", T::String)],
        acct("GET", "users/{user_id}/groups"), "Lists the user groups of a user.", NONE),
    account("access_keys", "account.access_keys",
        &[p("sub_account_id", T::String), o("page_size", T::Integer), o("page", T::Integer), o("sort_by", T::String), o("sort_order", T::String)],
        acct("GET", "sub_accounts/{sub_account_id}/access_keys"), "Lists a product environment's access keys.",
        fields(&[a("page_size"), a("page"), a("sort_by"), a("sort_order")])),
    account("generate_access_key", "account.generate_access_key",
        &[p("sub_account_id", T::String), o("name", T::String), o("enabled", T::Boolean)],
        acct("POST", "sub_accounts/{sub_account_id}/access_keys"), "Generates an access key (API key and secret).",
        fields(&[a("name"), a("enabled")])),
    account("update_access_key", "account.update_access_key",
        &[p("sub_account_id", T::String), p("api_key", T::String), o("name", T::String), o("enabled", T::Boolean), o("dedicated_for", T::String)],
        acct("PUT", "sub_accounts/{sub_account_id}/access_keys/{api_key}"),
        "Renames, enables or disables an access key (dedicated_for: webhooks).",
        fields(&[a("name"), a("enabled"), a("dedicated_for")])),
    account("delete_access_key", "account.delete_access_key",
        &[p("sub_account_id", T::String), o("api_key", T::String), o("name", T::String)],
        acct("DELETE", "sub_accounts/{sub_account_id}/access_keys/{api_key?}"),
        "Deletes an access key by API key or by name.", fields(&[a("name")])),
    account("create_agent_account", "account.create_agent_account",
        &[p("email", T::String), p("agent_framework", T::String), p("agent_llm_model", T::String), p("agent_goal", T::String), o("sdk_framework", T::String)],
        http("POST", Root::Provisioning, "agents/accounts"),
        "Creates a Free-plan account for a person, on behalf of an AI agent (public endpoint).",
        fields(&[a("email"), a("agent_framework"), a("agent_llm_model"), a("agent_goal"), a("sdk_framework")])),
    account("create_cloud", "account.create_cloud",
        &[o("delivery_ips", T::Strings), o("email", T::String), o("agent_framework", T::String), o("agent_llm_model", T::String), o("agent_goal", T::String), o("sdk_framework", T::String)],
        http("POST", Root::Provisioning, "clouds"),
        "Creates a claimable cloud with delivery restricted to IP addresses (public endpoint).",
        fields(&[a("delivery_ips"), a("email"), a("agent_framework"), a("agent_llm_model"), a("agent_goal"), a("sdk_framework")])),
    // -- sync --
    row("sync", Family::Sync, "", &[p("inventory", T::Any)], Returns::Map, None,
        "Syncs an inventory (a directory path, or a list of items with id, public_id and path, url or data) with a folder; returns the report.",
        Exec::Sync),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Client, Map, Value};

    #[test]
    fn names_are_unique_and_rows_consistent() {
        let mut seen = std::collections::HashSet::new();
        for c in CALLS {
            assert!(seen.insert(c.name), "duplicate row {}", c.name);
            assert!(
                !c.doc.is_empty() && !c.doc.contains('\n'),
                "{}: one-line doc",
                c.name
            );
            // Python signatures: no required parameter after an optional one.
            let first_optional = c.params.iter().position(|p| !p.required);
            if let Some(i) = first_optional {
                assert!(c.params[i..].iter().all(|p| !p.required), "{}", c.name);
            }
            let local = matches!(c.exec, Exec::Local(_));
            assert_eq!(
                local || matches!(c.exec, Exec::Sync),
                c.http.is_none(),
                "{}: local rows have no http",
                c.name
            );
            match c.family {
                Family::Delivery | Family::Tag | Family::Signing | Family::DownloadUrl => {
                    assert!(local, "{}", c.name)
                }
                Family::UploadApi => assert!(matches!(c.exec, Exec::Upload(_)), "{}", c.name),
                Family::AdminApi | Family::Provisioning => assert!(!local, "{}", c.name),
                Family::Search => {}
                Family::Sync => assert!(matches!(c.exec, Exec::Sync), "{}", c.name),
            }
            if let Some(h) = c.http {
                // Every required placeholder of the path is a parameter of the call.
                for seg in h.path.split('/') {
                    if let Some(name) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                        if !name.contains('=') && !name.ends_with('?') {
                            assert!(
                                c.params.iter().any(|p| p.name == name),
                                "{}: {{{name}}} is not a parameter",
                                c.name
                            );
                        }
                    }
                }
                assert_eq!(
                    h.auth == Auth::Provisioning,
                    h.root == Root::Account,
                    "{}",
                    c.name
                );
            }
        }
        assert!(crate::calls::find("nope").is_none());
        assert_eq!(crate::calls::find("ping").unwrap().name, "ping");
    }

    #[test]
    fn every_network_row_builds_from_its_required_arguments() {
        let client = Client::from_url("cloudinary://k:s@demo").unwrap();
        for c in CALLS.iter().filter(|c| c.http.is_some()) {
            let mut args = Map::new();
            for p in c.params.iter().filter(|p| p.required) {
                let v: Value = match p.ty {
                    T::Map => Value::Map(Map::from_iter([("label", "x")])),
                    T::List => Value::List(vec![Value::Map(Map::from_iter([("value", "v")]))]),
                    T::Strings => Value::List(vec!["a".into()]),
                    T::Integer => Value::Int(1),
                    T::Boolean => Value::Bool(true),
                    _ => Value::from("x"),
                };
                args.insert(p.name, v);
            }
            if c.name == "notifications" {
                args.insert("channel", "c");
            }
            if c.name == "call_api" {
                args.insert("method", "get");
            }
            if c.name == "generate_sprite" || c.name == "multi" {
                args.insert("tag", "t");
            }
            let built = match c.exec {
                Exec::Upload(m) => client.upload_api_call(m, &args, &Map::new()).map(|_| ()),
                _ => crate::calls::build_request(&client, c, &args, &Map::new()).map(|_| ()),
            };
            assert!(built.is_ok(), "{}: {:?}", c.name, built.err());
            // A missing required argument is a typed error naming it.
            if let (Some(p), false) = (
                c.params.iter().find(|p| p.required),
                matches!(c.exec, Exec::Upload(_)),
            ) {
                let mut fewer = args.clone();
                fewer.remove(p.name);
                let e = crate::calls::build_request(&client, c, &fewer, &Map::new()).unwrap_err();
                assert_eq!(e.option(), Some(p.name), "{}", c.name);
            }
        }
    }
}
