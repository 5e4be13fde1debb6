//! One method per Upload API call, each returning the [`UploadRequest`] to send.

use super::form::{build_request, CallSpec, UploadRequest};
use super::params::{
    archive_params, build_array, build_upload_params, encode_context, get, multi_and_sprite_params,
    now_text, slideshow_params,
};
use crate::{Client, Error, Map, Result, Value};

/// The tags, context and metadata endpoints accept these but leave them unsigned.
const NON_SIGNABLE_NOTIFICATION: &[&str] = &["notification_url", "batch_id"];

/// The text style options of the `text` call.
const TEXT_PARAMS: &[&str] = &[
    "public_id",
    "font_family",
    "font_size",
    "font_color",
    "text_align",
    "font_weight",
    "font_style",
    "background",
    "opacity",
    "text_decoration",
];

/// The `command` of the `tags` endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagCommand {
    /// Add the tag (`add`, or `set_exclusive` with the `exclusive` option).
    Add,
    /// Remove the tag.
    Remove,
    /// Replace all tags with the tag.
    Replace,
    /// Remove every tag (no `tag` parameter).
    RemoveAll,
}

fn signed<'a>(action: &'a str) -> CallSpec<'a> {
    CallSpec {
        action,
        non_signable: None,
    }
}

/// Rejects options that repeat a positional argument of the call (or a name the
/// SDK's request helpers take positionally), as Python rejects duplicate keywords.
pub(crate) fn reject_duplicates(options: &Map, names: &[&str]) -> Result<()> {
    for name in names.iter().chain(["action", "params"].iter()) {
        if options.contains_key(name) {
            return Err(duplicate(name));
        }
    }
    Ok(())
}

fn duplicate(option: &str) -> Error {
    Error::invalid_option(
        option,
        format!("got multiple values for keyword argument '{option}'"),
    )
}

impl Client {
    /// The signed `upload` request for `file` (a remote URL, data URI or local path)
    /// with the upload `options` (`public_id`, `tags`, `eager`, `context`, ...).
    ///
    /// Options `unsigned: true` (with an `upload_preset`) or an `oauth_token` replace
    /// the signature as in the SDKs.
    ///
    /// ```
    /// let client = cldkit::Client::from_url("cloudinary://1234:abcd@demo")
    ///     .unwrap()
    ///     .with_clock(|| 1_700_000_000);
    /// let opts: cldkit::Options = serde_json::from_str(r#"{"public_id": "sample"}"#).unwrap();
    /// # let _ = || -> cldkit::Result<()> {
    /// let req = client.upload_form("https://example.com/sample.jpg", &opts)?;
    /// assert_eq!(req.url, "https://api.cloudinary.com/v1_1/demo/image/upload");
    /// assert_eq!(req.field("timestamp"), Some("1700000000"));
    /// assert!(req.field("signature").is_some());
    /// # Ok(()) };
    /// ```
    pub fn upload_form(&self, file: &str, options: &Map) -> Result<UploadRequest> {
        self.upload_form_value(&Value::from(file), options)
    }

    fn upload_form_value(&self, file: &Value, options: &Map) -> Result<UploadRequest> {
        if self.profile() == crate::Profile::Node {
            return self.node_call("upload", &[("file", file.clone())], options);
        }
        reject_duplicates(options, &["file"])?;
        let params = build_upload_params(self, options)?;
        build_request(self, signed("upload"), params, Some(file), options)
    }

    /// The unsigned `upload` request with an unsigned upload preset.
    pub fn unsigned_upload_form(
        &self,
        file: &str,
        upload_preset: &str,
        options: &Map,
    ) -> Result<UploadRequest> {
        self.unsigned_upload_value(&Value::from(file), &Value::from(upload_preset), options)
    }

    fn unsigned_upload_value(
        &self,
        file: &Value,
        preset: &Value,
        options: &Map,
    ) -> Result<UploadRequest> {
        if self.profile() == crate::Profile::Node {
            return self.node_call(
                "unsigned_upload",
                &[("file", file.clone()), ("upload_preset", preset.clone())],
                options,
            );
        }
        for key in ["upload_preset", "unsigned"] {
            if options.contains_key(key) {
                return Err(duplicate(key));
            }
        }
        let mut opts = Map::with_capacity(options.len() + 2);
        opts.insert("upload_preset", preset.clone());
        opts.insert("unsigned", true);
        opts.update(options);
        self.upload_form_value(file, &opts)
    }

    /// The `explicit` request: upload parameters applied to an existing asset.
    pub fn explicit_form(
        &self,
        public_id: impl Into<Value>,
        options: &Map,
    ) -> Result<UploadRequest> {
        if self.profile() == crate::Profile::Node {
            return self.node_call("explicit", &[("public_id", public_id.into())], options);
        }
        reject_duplicates(options, &["public_id"])?;
        let mut params = build_upload_params(self, options)?;
        params.insert("public_id", public_id.into());
        build_request(self, signed("explicit"), params, None, options)
    }

    /// The `destroy` request.
    pub fn destroy_form(
        &self,
        public_id: impl Into<Value>,
        options: &Map,
    ) -> Result<UploadRequest> {
        if self.profile() == crate::Profile::Node {
            return self.node_call("destroy", &[("public_id", public_id.into())], options);
        }
        reject_duplicates(options, &["public_id"])?;
        let mut p = Map::with_capacity(6);
        p.insert("timestamp", now_text(self));
        p.insert("type", get(options, "type").clone());
        p.insert("invalidate", get(options, "invalidate").clone());
        p.insert("public_id", public_id.into());
        p.insert("notification_url", get(options, "notification_url").clone());
        p.insert("batch_id", get(options, "batch_id").clone());
        build_request(self, signed("destroy"), p, None, options)
    }

    /// The `rename` request (`context` and `metadata` are sent as given, unencoded).
    pub fn rename_form(
        &self,
        from_public_id: impl Into<Value>,
        to_public_id: impl Into<Value>,
        options: &Map,
    ) -> Result<UploadRequest> {
        if self.profile() == crate::Profile::Node {
            return self.node_call(
                "rename",
                &[
                    ("from_public_id", from_public_id.into()),
                    ("to_public_id", to_public_id.into()),
                ],
                options,
            );
        }
        reject_duplicates(options, &["from_public_id", "to_public_id"])?;
        let mut p = Map::with_capacity(11);
        p.insert("timestamp", now_text(self));
        p.insert("type", get(options, "type").clone());
        p.insert("overwrite", get(options, "overwrite").clone());
        p.insert("invalidate", get(options, "invalidate").clone());
        p.insert("from_public_id", from_public_id.into());
        p.insert("to_public_id", to_public_id.into());
        for key in [
            "to_type",
            "context",
            "metadata",
            "notification_url",
            "batch_id",
        ] {
            p.insert(key, get(options, key).clone());
        }
        build_request(self, signed("rename"), p, None, options)
    }

    /// A `tags` request: add, remove or replace `tag` (a string or a list) on
    /// `public_ids`, or remove all tags. `notification_url` and `batch_id` are sent
    /// unsigned.
    pub fn tags_form(
        &self,
        command: TagCommand,
        tag: impl Into<Value>,
        public_ids: impl Into<Value>,
        options: &Map,
    ) -> Result<UploadRequest> {
        if self.profile() == crate::Profile::Node {
            let method = match command {
                TagCommand::Add => "add_tag",
                TagCommand::Remove => "remove_tag",
                TagCommand::Replace => "replace_tag",
                TagCommand::RemoveAll => "remove_all_tags",
            };
            let args = [("tag", tag.into()), ("public_ids", public_ids.into())];
            return self.node_call(method, &args, options);
        }
        reject_duplicates(options, &["tag", "command", "public_ids"])?;
        let mut options = options.clone();
        let command = match command {
            TagCommand::Add => match options.remove("exclusive") {
                Some(v) if v.truthy() => "set_exclusive",
                _ => "add",
            },
            TagCommand::Remove => "remove",
            TagCommand::Replace => "replace",
            TagCommand::RemoveAll => "remove_all",
        };
        let tag = if command == "remove_all" {
            Value::Null
        } else {
            tag.into()
        };
        let mut p = Map::with_capacity(7);
        p.insert("timestamp", now_text(self));
        p.insert("tag", tag);
        p.insert("public_ids", Value::List(build_array(&public_ids.into())));
        p.insert("command", command);
        for key in ["type", "notification_url", "batch_id"] {
            p.insert(key, get(&options, key).clone());
        }
        let spec = CallSpec {
            action: "tags",
            non_signable: Some(NON_SIGNABLE_NOTIFICATION),
        };
        build_request(self, spec, p, None, &options)
    }

    /// A `context` request: `add` the context map (or encoded string) to
    /// `public_ids`, or with `context` `None`... see [`Client::remove_all_context_form`].
    pub fn add_context_form(
        &self,
        context: impl Into<Value>,
        public_ids: impl Into<Value>,
        options: &Map,
    ) -> Result<UploadRequest> {
        self.context_call(context.into(), "add", public_ids.into(), options)
    }

    /// The `context` request that removes all context from `public_ids`.
    pub fn remove_all_context_form(
        &self,
        public_ids: impl Into<Value>,
        options: &Map,
    ) -> Result<UploadRequest> {
        self.context_call(Value::Null, "remove_all", public_ids.into(), options)
    }

    fn context_call(
        &self,
        context: Value,
        command: &str,
        public_ids: Value,
        options: &Map,
    ) -> Result<UploadRequest> {
        if self.profile() == crate::Profile::Node {
            let method = if command == "add" {
                "add_context"
            } else {
                "remove_all_context"
            };
            let args = [("context", context), ("public_ids", public_ids)];
            return self.node_call(method, &args, options);
        }
        reject_duplicates(options, &["context", "command", "public_ids"])?;
        let mut p = Map::with_capacity(7);
        p.insert("timestamp", now_text(self));
        p.insert("context", encode_context(&context)?);
        p.insert("public_ids", Value::List(build_array(&public_ids)));
        p.insert("command", command);
        for key in ["type", "notification_url", "batch_id"] {
            p.insert(key, get(options, key).clone());
        }
        let spec = CallSpec {
            action: "context",
            non_signable: Some(NON_SIGNABLE_NOTIFICATION),
        };
        build_request(self, spec, p, None, options)
    }

    /// The `metadata` request that sets structured metadata on `public_ids`.
    pub fn update_metadata_form(
        &self,
        metadata: impl Into<Value>,
        public_ids: impl Into<Value>,
        options: &Map,
    ) -> Result<UploadRequest> {
        if self.profile() == crate::Profile::Node {
            return self.node_call(
                "update_metadata",
                &[
                    ("metadata", metadata.into()),
                    ("public_ids", public_ids.into()),
                ],
                options,
            );
        }
        reject_duplicates(options, &["metadata", "public_ids"])?;
        let mut p = Map::with_capacity(7);
        p.insert("timestamp", now_text(self));
        p.insert("metadata", encode_context(&metadata.into())?);
        p.insert("public_ids", Value::List(build_array(&public_ids.into())));
        for key in ["type", "clear_invalid", "notification_url", "batch_id"] {
            p.insert(key, get(options, key).clone());
        }
        let spec = CallSpec {
            action: "metadata",
            non_signable: Some(NON_SIGNABLE_NOTIFICATION),
        };
        build_request(self, spec, p, None, options)
    }

    /// The `text` request (an image of `text` with the font options).
    pub fn text_form(&self, text: impl Into<Value>, options: &Map) -> Result<UploadRequest> {
        if self.profile() == crate::Profile::Node {
            return self.node_call("text", &[("text", text.into())], options);
        }
        reject_duplicates(options, &["text"])?;
        let mut p = Map::with_capacity(12);
        p.insert("timestamp", now_text(self));
        p.insert("text", text.into());
        for key in TEXT_PARAMS {
            p.insert(*key, get(options, key).clone());
        }
        build_request(self, signed("text"), p, None, options)
    }

    /// The `explode` request (the transformation must select pages, e.g. `page: "all"`).
    pub fn explode_form(
        &self,
        public_id: impl Into<Value>,
        options: &Map,
    ) -> Result<UploadRequest> {
        if self.profile() == crate::Profile::Node {
            return self.node_call("explode", &[("public_id", public_id.into())], options);
        }
        reject_duplicates(options, &["public_id"])?;
        let mut p = Map::with_capacity(7);
        p.insert("timestamp", now_text(self));
        p.insert("public_id", public_id.into());
        for key in ["format", "type", "notification_url", "batch_id"] {
            p.insert(key, get(options, key).clone());
        }
        p.insert(
            "transformation",
            crate::transform::transformation_string(self, options)?,
        );
        build_request(self, signed("explode"), p, None, options)
    }

    /// The `sprite` request for a `tag` or a list of `urls` (exactly one of them).
    pub fn generate_sprite_form(
        &self,
        tag: impl Into<Value>,
        urls: impl Into<Value>,
        options: &Map,
    ) -> Result<UploadRequest> {
        if self.profile() == crate::Profile::Node {
            return self.node_call(
                "generate_sprite",
                &[("tag", tag.into()), ("urls", urls.into())],
                options,
            );
        }
        reject_duplicates(options, &["tag", "urls"])?;
        let p = multi_and_sprite_params(self, &tag.into(), &urls.into(), options)?;
        build_request(self, signed("sprite"), p, None, options)
    }

    /// The `multi` request (animated image, video or PDF from a `tag` or `urls`).
    pub fn multi_form(
        &self,
        tag: impl Into<Value>,
        urls: impl Into<Value>,
        options: &Map,
    ) -> Result<UploadRequest> {
        if self.profile() == crate::Profile::Node {
            return self.node_call(
                "multi",
                &[("tag", tag.into()), ("urls", urls.into())],
                options,
            );
        }
        reject_duplicates(options, &["tag", "urls"])?;
        let p = multi_and_sprite_params(self, &tag.into(), &urls.into(), options)?;
        build_request(self, signed("multi"), p, None, options)
    }

    /// The `generate_archive` request from archive options (`public_ids`, `tags`,
    /// `prefixes`, `target_format`, ...).
    pub fn create_archive_form(&self, options: &Map) -> Result<UploadRequest> {
        if self.profile() == crate::Profile::Node {
            return self.node_call("create_archive", &[], options);
        }
        reject_duplicates(options, &[])?;
        let p = archive_params(self, options)?;
        build_request(self, signed("generate_archive"), p, None, options)
    }

    /// [`Client::create_archive_form`] with `target_format: "zip"`.
    pub fn create_zip_form(&self, options: &Map) -> Result<UploadRequest> {
        if self.profile() == crate::Profile::Node {
            return self.node_call("create_zip", &[], options);
        }
        if options.contains_key("target_format") {
            return Err(duplicate("target_format"));
        }
        let mut opts = Map::with_capacity(options.len() + 1);
        opts.insert("target_format", "zip");
        opts.update(options);
        self.create_archive_form(&opts)
    }

    /// The `create_slideshow` request (resource type `video` unless given).
    pub fn create_slideshow_form(&self, options: &Map) -> Result<UploadRequest> {
        if self.profile() == crate::Profile::Node {
            return self.node_call("create_slideshow", &[], options);
        }
        reject_duplicates(options, &[])?;
        let mut opts = options.clone();
        if !opts.contains_key("resource_type") {
            opts.insert("resource_type", "video");
        }
        let p = slideshow_params(self, &opts)?;
        build_request(self, signed("create_slideshow"), p, None, &opts)
    }

    /// The node profile's request for `method` with these positional arguments.
    fn node_call(
        &self,
        method: &str,
        args: &[(&str, Value)],
        options: &Map,
    ) -> Result<UploadRequest> {
        let args: Map = args.iter().map(|(k, v)| (*k, v.clone())).collect();
        super::node::upload_api_call(self, method, &args, options)
    }

    /// Any Upload API call by its SDK function name, with positional arguments by name
    /// (`{"public_id": ...}`, `{"tag": ..., "public_ids": [...]}`, `{"file": ...}`):
    /// `upload`, `unsigned_upload`, `explicit`, `destroy`, `rename`, `add_tag`,
    /// `remove_tag`, `replace_tag`, `remove_all_tags`, `add_context`,
    /// `remove_all_context`, `update_metadata`, `text`, `explode`, `generate_sprite`,
    /// `multi`, `create_archive`, `create_zip`, `create_slideshow`.
    pub fn upload_api_call(
        &self,
        method: &str,
        args: &Map,
        options: &Map,
    ) -> Result<UploadRequest> {
        match self.profile() {
            crate::Profile::Node => super::node::upload_api_call(self, method, args, options),
            crate::Profile::Php => super::php::upload_api_call(self, method, args, options),
            crate::Profile::Python | crate::Profile::Default => {
                self.python_upload_api_call(method, args, options)
            }
        }
    }

    /// [`Client::upload_api_call`] as pycloudinary builds it.
    pub(crate) fn python_upload_api_call(
        &self,
        method: &str,
        args: &Map,
        options: &Map,
    ) -> Result<UploadRequest> {
        let arg = |name: &str| get(args, name).clone();
        match method {
            "upload" => self.upload_form_value(&arg("file"), options),
            "unsigned_upload" => {
                self.unsigned_upload_value(&arg("file"), &arg("upload_preset"), options)
            }
            "explicit" => self.explicit_form(arg("public_id"), options),
            "destroy" => self.destroy_form(arg("public_id"), options),
            "rename" => self.rename_form(arg("from_public_id"), arg("to_public_id"), options),
            "add_tag" => self.tags_form(TagCommand::Add, arg("tag"), arg("public_ids"), options),
            "remove_tag" => {
                self.tags_form(TagCommand::Remove, arg("tag"), arg("public_ids"), options)
            }
            "replace_tag" => {
                self.tags_form(TagCommand::Replace, arg("tag"), arg("public_ids"), options)
            }
            "remove_all_tags" => self.tags_form(
                TagCommand::RemoveAll,
                Value::Null,
                arg("public_ids"),
                options,
            ),
            "add_context" => self.add_context_form(arg("context"), arg("public_ids"), options),
            "remove_all_context" => self.remove_all_context_form(arg("public_ids"), options),
            "update_metadata" => {
                self.update_metadata_form(arg("metadata"), arg("public_ids"), options)
            }
            "text" => self.text_form(arg("text"), options),
            "explode" => self.explode_form(arg("public_id"), options),
            "generate_sprite" => self.generate_sprite_form(arg("tag"), arg("urls"), options),
            "multi" => self.multi_form(arg("tag"), arg("urls"), options),
            "create_archive" => self.create_archive_form(options),
            "create_zip" => self.create_zip_form(options),
            "create_slideshow" => self.create_slideshow_form(options),
            other => Err(Error::invalid_option(
                "method",
                format!("unknown Upload API call {other:?}"),
            )),
        }
    }
}
