//! Every network row of the call catalogue, run by name through `Client::call_blocking`
//! (and `AccountClient` for provisioning) against the in-process emulator: each call
//! changes or reads the emulator's state and answers Cloudinary's shape. The last
//! check fails when a network row was not exercised here.
#![cfg(feature = "http")]

use std::cell::RefCell;
use std::collections::BTreeSet;

use base64::Engine as _;
use cldkit::api::{AccountClient, ApiErrorKind};
use cldkit::calls::{Family, CALLS};
use cldkit::{Client, Map, Value};
use cldkit_emulator::{Emulator, EmulatorConfig};

/// A 1x1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

struct Run {
    client: Client,
    account: AccountClient,
    done: RefCell<BTreeSet<String>>,
}

fn map(json: &str) -> Map {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
}

impl Run {
    fn call(&self, name: &str, args: &str, options: &str) -> Value {
        self.done.borrow_mut().insert(name.to_owned());
        let r = if cldkit::calls::find(name).map(|c| c.family) == Some(Family::Provisioning) {
            self.account.call_blocking(name, &map(args), &map(options))
        } else {
            self.client.call_blocking(name, &map(args), &map(options))
        };
        r.unwrap_or_else(|e| panic!("{name}({args}, {options}): {e}"))
    }

    fn fails(&self, name: &str, args: &str, options: &str) -> cldkit::api::ApiError {
        self.done.borrow_mut().insert(name.to_owned());
        let r = if cldkit::calls::find(name).map(|c| c.family) == Some(Family::Provisioning) {
            self.account.call_blocking(name, &map(args), &map(options))
        } else {
            self.client.call_blocking(name, &map(args), &map(options))
        };
        match r {
            Ok(v) => panic!("{name}({args}) should fail, answered {v:?}"),
            Err(e) => e,
        }
    }
}

fn get<'a>(v: &'a Value, path: &str) -> &'a Value {
    let mut cur = v;
    for key in path.split('.') {
        cur = match cur {
            Value::Map(m) => m.get(key).unwrap_or_else(|| panic!("no {key} in {v:?}")),
            Value::List(l) => &l[key.parse::<usize>().unwrap()],
            _ => panic!("no {key} in {v:?}"),
        };
    }
    cur
}

fn text(v: &Value, path: &str) -> String {
    get(v, path)
        .as_str()
        .unwrap_or_else(|| panic!("{path} in {v:?}"))
        .to_owned()
}

fn len(v: &Value, path: &str) -> usize {
    get(v, path).as_list().map_or(0, <[Value]>::len)
}

fn public_ids(v: &Value) -> Vec<String> {
    get(v, "resources")
        .as_list()
        .unwrap()
        .iter()
        .map(|r| text(r, "public_id"))
        .collect()
}

#[test]
fn every_network_row_against_the_emulator() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let client = Client::from_url(&format!("{}&analytics=false", emu.cloudinary_url())).unwrap();
    let account =
        AccountClient::from_url(&cldkit_emulator::provisioning::account_url(&emu)).unwrap();
    let run = Run {
        client,
        account,
        done: RefCell::new(BTreeSet::new()),
    };
    let dir = tempfile_dir();
    let png = dir.join("one.png");
    std::fs::write(&png, PNG).unwrap();
    let png = png.to_string_lossy().into_owned();
    let file = |extra: &str| format!(r#"{{"file": {png:?}{extra}}}"#);

    // -- product environment --
    assert_eq!(text(&run.call("ping", "{}", "{}"), "status"), "ok");
    assert!(get(&run.call("usage", "{}", "{}"), "plan")
        .as_str()
        .is_some());
    assert!(get(
        &run.call("config", "{}", r#"{"settings": true}"#),
        "settings.folder_mode"
    )
    .as_str()
    .is_some());
    assert!(len(&run.call("resource_types", "{}", "{}"), "resource_types") >= 3);

    // -- Upload API --
    let up = run.call(
        "upload",
        &file(""),
        r#"{"public_id": "cat/one", "tags": ["kitten", "pet"], "context": {"who": "tom"}}"#,
    );
    assert_eq!(text(&up, "public_id"), "cat/one");
    let one_asset = text(&up, "asset_id");
    let two = run.call(
        "upload_large",
        &file(""),
        r#"{"public_id": "cat/two", "tags": ["kitten"]}"#,
    );
    let two_asset = text(&two, "asset_id");
    run.call(
        "upload",
        &file(""),
        r#"{"public_id": "dog/three", "tags": ["puppy"]}"#,
    );
    run.call(
        "create_upload_preset",
        "{}",
        r#"{"name": "open", "unsigned": true, "tags": "via_preset"}"#,
    );
    let unsigned = run.call(
        "unsigned_upload",
        &format!(r#"{{"file": {png:?}, "upload_preset": "open"}}"#),
        "{}",
    );
    assert!(text(&unsigned, "public_id").len() > 3);
    run.call(
        "explicit",
        r#"{"public_id": "cat/one"}"#,
        r#"{"type": "upload", "tags": ["kitten", "pet", "explicit"]}"#,
    );
    run.call("upload", &file(""), r#"{"public_id": "tmp/x"}"#);
    assert_eq!(
        text(
            &run.call(
                "rename",
                r#"{"from_public_id": "tmp/x", "to_public_id": "tmp/y"}"#,
                "{}"
            ),
            "public_id"
        ),
        "tmp/y"
    );
    assert_eq!(
        text(
            &run.call("destroy", r#"{"public_id": "tmp/y"}"#, "{}"),
            "result"
        ),
        "ok"
    );
    run.call(
        "add_tag",
        r#"{"tag": "added", "public_ids": ["cat/one", "cat/two"]}"#,
        "{}",
    );
    run.call(
        "remove_tag",
        r#"{"tag": "added", "public_ids": ["cat/two"]}"#,
        "{}",
    );
    run.call(
        "replace_tag",
        r#"{"tag": "solo", "public_ids": ["dog/three"]}"#,
        "{}",
    );
    run.call("remove_all_tags", r#"{"public_ids": ["dog/three"]}"#, "{}");
    run.call(
        "add_context",
        r#"{"context": {"k": "v"}, "public_ids": ["cat/two"]}"#,
        "{}",
    );
    run.call("remove_all_context", r#"{"public_ids": ["cat/two"]}"#, "{}");
    run.call(
        "text",
        r#"{"text": "Hello"}"#,
        r#"{"public_id": "hello", "font_family": "Arial", "font_size": 12}"#,
    );

    // -- structured metadata (update_metadata needs a field) --
    let field = run.call("add_metadata_field", r#"{"field": {"type": "enum", "label": "Color", "external_id": "color", "datasource": {"values": [{"external_id": "r", "value": "red"}]}}}"#, "{}");
    assert_eq!(text(&field, "external_id"), "color");
    run.call(
        "add_metadata_field",
        r#"{"field": {"type": "string", "label": "Alpha", "external_id": "alpha"}}"#,
        "{}",
    );
    run.call(
        "update_metadata",
        r#"{"metadata": {"alpha": "a"}, "public_ids": ["cat/one"]}"#,
        "{}",
    );
    assert_eq!(
        len(
            &run.call("list_metadata_fields", "{}", "{}"),
            "metadata_fields"
        ),
        2
    );
    assert_eq!(
        text(
            &run.call(
                "metadata_field_by_field_id",
                r#"{"field_external_id": "color"}"#,
                "{}"
            ),
            "label"
        ),
        "Color"
    );
    assert_eq!(
        text(
            &run.call(
                "update_metadata_field",
                r#"{"field_external_id": "alpha", "field": {"label": "Beta"}}"#,
                "{}"
            ),
            "label"
        ),
        "Beta"
    );
    let ds = run.call("update_metadata_field_datasource", r#"{"field_external_id": "color", "entries_external_id": [{"external_id": "g", "value": "green"}, {"value": "blue"}]}"#, "{}");
    assert_eq!(len(&ds, "values"), 3);
    let ds = run.call(
        "delete_datasource_entries",
        r#"{"field_external_id": "color", "entries_external_id": ["g"]}"#,
        "{}",
    );
    assert_eq!(len(&ds, "values"), 2, "g is inactive");
    let ds = run.call(
        "restore_metadata_field_datasource",
        r#"{"field_external_id": "color", "entries_external_ids": ["g"]}"#,
        "{}",
    );
    assert_eq!(len(&ds, "values"), 3);
    let ds = run.call(
        "reorder_metadata_field_datasource",
        r#"{"field_external_id": "color", "order_by": "value", "direction": "desc"}"#,
        "{}",
    );
    assert_eq!(text(&ds, "values.0.value"), "red");
    let fields = run.call(
        "reorder_metadata_fields",
        r#"{"order_by": "label", "direction": "asc"}"#,
        "{}",
    );
    assert_eq!(
        text(&fields, "metadata_fields.0.external_id"),
        "alpha",
        "Beta < Color"
    );
    assert_eq!(
        text(
            &run.call("list_metadata_fields", "{}", "{}"),
            "metadata_fields.0.external_id"
        ),
        "alpha"
    );
    let rule = run.call("add_metadata_rule", r#"{"rule": {"metadata_field_id": "alpha", "condition": {"metadata_field_id": "color", "equals": "r"}, "result": {"enable": true}, "name": "r1"}}"#, "{}");
    let rule_id = text(&rule, "external_id");
    assert_eq!(
        len(
            &run.call("list_metadata_rules", "{}", "{}"),
            "metadata_rules"
        ),
        1
    );
    let upd = run.call(
        "update_metadata_rule",
        &format!(r#"{{"rule_external_id": "{rule_id}", "rule": {{"state": "inactive"}}}}"#),
        "{}",
    );
    assert_eq!(text(&upd, "state"), "inactive");
    assert_eq!(
        get(
            &run.call(
                "delete_metadata_rule",
                &format!(r#"{{"rule_external_id": "{rule_id}"}}"#),
                "{}"
            ),
            "success"
        ),
        &Value::Bool(true)
    );
    run.call(
        "delete_metadata_field",
        r#"{"field_external_id": "alpha"}"#,
        "{}",
    );

    // -- reading assets --
    let by_tag = run.call("resources_by_tag", r#"{"tag": "kitten"}"#, "{}");
    assert_eq!(public_ids(&by_tag).len(), 2);
    let all = run.call("resources", "{}", r#"{"prefix": "cat/", "type": "upload"}"#);
    assert_eq!(public_ids(&all).len(), 2);
    assert_eq!(
        public_ids(&run.call(
            "resources_by_context",
            r#"{"key": "who", "value": "tom"}"#,
            "{}"
        )),
        ["cat/one"]
    );
    assert_eq!(
        public_ids(&run.call(
            "resources_by_ids",
            r#"{"public_ids": ["cat/one", "dog/three"]}"#,
            "{}"
        ))
        .len(),
        2
    );
    assert_eq!(
        public_ids(&run.call(
            "resources_by_asset_ids",
            &format!(r#"{{"asset_ids": ["{two_asset}"]}}"#),
            "{}"
        )),
        ["cat/two"]
    );
    run.call("resources_by_asset_folder", r#"{"asset_folder": ""}"#, "{}");
    assert_eq!(
        text(
            &run.call("resource", r#"{"public_id": "cat/one"}"#, "{}"),
            "asset_id"
        ),
        one_asset
    );
    assert_eq!(
        text(
            &run.call(
                "resource_by_asset_id",
                &format!(r#"{{"asset_id": "{one_asset}"}}"#),
                "{}"
            ),
            "public_id"
        ),
        "cat/one"
    );
    run.call(
        "update",
        r#"{"public_id": "cat/two"}"#,
        r#"{"moderation_status": "approved", "display_name": "Two"}"#,
    );
    assert_eq!(
        public_ids(&run.call(
            "resources_by_moderation",
            r#"{"kind": "manual", "status": "approved"}"#,
            "{}"
        )),
        ["cat/two"]
    );
    assert!(len(&run.call("tags", "{}", r#"{"prefix": "k"}"#), "tags") >= 1);

    // -- related assets --
    let rel = run.call("add_related_assets", r#"{"public_id": "cat/one", "assets_to_relate": ["image/upload/cat/two", "image/upload/nope"]}"#, "{}");
    assert_eq!((len(&rel, "success"), len(&rel, "failed")), (1, 1));
    let details = run.call(
        "resource",
        r#"{"public_id": "cat/two"}"#,
        r#"{"related": true}"#,
    );
    assert_eq!(
        text(&details, "related_assets.0.public_id"),
        "cat/one",
        "relations go both ways"
    );
    let rel = run.call(
        "delete_related_assets",
        r#"{"public_id": "cat/one", "assets_to_unrelate": ["image/upload/cat/two"]}"#,
        "{}",
    );
    assert_eq!(len(&rel, "success"), 1);
    let rel = run.call(
        "add_related_assets_by_asset_ids",
        &format!(r#"{{"asset_id": "{one_asset}", "assets_to_relate": ["{two_asset}"]}}"#),
        "{}",
    );
    assert_eq!(len(&rel, "success"), 1);
    let rel = run.call(
        "delete_related_assets_by_asset_ids",
        &format!(r#"{{"asset_id": "{one_asset}", "assets_to_unrelate": ["{two_asset}"]}}"#),
        "{}",
    );
    assert_eq!(len(&rel, "success"), 1);
    assert_eq!(
        len(
            &run.call(
                "resource",
                r#"{"public_id": "cat/one"}"#,
                r#"{"related": true}"#
            ),
            "related_assets"
        ),
        0
    );

    // -- access modes and publishing --
    let am = run.call(
        "update_resources_access_mode_by_ids",
        r#"{"access_mode": "authenticated", "ids": ["cat/one"]}"#,
        "{}",
    );
    assert_eq!(len(&am, "updated"), 1);
    let am = run.call(
        "update_resources_access_mode_by_tag",
        r#"{"access_mode": "authenticated", "tag": "kitten"}"#,
        "{}",
    );
    assert_eq!(len(&am, "updated"), 2);
    run.call(
        "update_resources_access_mode_by_prefix",
        r#"{"access_mode": "authenticated", "prefix": "cat/"}"#,
        "{}",
    );
    let p = run.call(
        "publish_by_ids",
        r#"{"public_ids": ["cat/one", "nope"]}"#,
        "{}",
    );
    assert_eq!((len(&p, "published"), len(&p, "failed")), (1, 1));
    assert_eq!(text(&p, "published.0.access_mode"), "public");
    assert_eq!(
        len(
            &run.call("publish_by_prefix", r#"{"prefix": "cat/"}"#, "{}"),
            "published"
        ),
        2
    );
    assert_eq!(
        len(
            &run.call("publish_by_tag", r#"{"tag": "kitten"}"#, "{}"),
            "published"
        ),
        2
    );

    // -- notifications: a poll trigger buffers Admin API events --
    let trig = run.call(
        "create_trigger",
        r#"{"uri": "poll://chan", "event_type": "delete"}"#,
        "{}",
    );
    let trig_id = text(&trig, "id");
    run.call(
        "create_trigger",
        r#"{"uri": "https://example.com/hook", "event_type": "upload"}"#,
        "{}",
    );
    assert_eq!(
        len(
            &run.call("triggers", "{}", r#"{"event_type": "delete"}"#),
            "triggers"
        ),
        1
    );
    assert_eq!(
        text(
            &run.call(
                "update_trigger",
                &format!(r#"{{"trigger_id": "{trig_id}", "new_uri": "poll://chan"}}"#),
                "{}"
            ),
            "uri"
        ),
        "poll://chan"
    );
    assert_eq!(
        get(
            &run.call(
                "test_trigger",
                &format!(r#"{{"trigger_id": "{trig_id}", "sample_data": {{"a": 1}}}}"#),
                "{}"
            ),
            "matched"
        ),
        &Value::Bool(true)
    );

    // -- deletion, backups, restore --
    run.call(
        "upload",
        &file(""),
        r#"{"public_id": "gone/a", "tags": ["doomed"]}"#,
    );
    run.call(
        "upload",
        &file(""),
        r#"{"public_id": "gone/b", "tags": ["doomed"]}"#,
    );
    run.call("upload", &file(""), r#"{"public_id": "gone/c"}"#);
    run.call("upload", &file(""), r#"{"public_id": "gone/d"}"#);
    let d = run.call("upload", &file(""), r#"{"public_id": "gone/e"}"#);
    let e_asset = text(&d, "asset_id");
    let del = run.call(
        "delete_resources",
        r#"{"public_ids": ["gone/a", "nope"]}"#,
        r#"{"batch_id": "b1"}"#,
    );
    assert_eq!(text(&del, "deleted.gone/a"), "deleted");
    assert_eq!(text(&del, "deleted.nope"), "not_found");
    let claimed = run.call(
        "notifications",
        r#"{"channel": "chan", "max_messages": 10}"#,
        "{}",
    );
    assert_eq!(len(&claimed, "messages"), 1);
    let msg = get(&claimed, "messages.0").clone();
    assert_eq!(text(&msg, "payload.public_id"), "gone/a");
    let raw = base64url(&text(&msg, "signed_payload"));
    assert!(run
        .client
        .verify_notification(
            &raw,
            text(&msg, "timestamp"),
            &text(&msg, "signature"),
            None
        )
        .unwrap());
    assert!(run
        .call("notifications", r#"{"channel": "chan"}"#, "{}")
        .is_null_or_empty());
    let by_batch = run.call(
        "notifications",
        r#"{"batch_id": "b1", "visibility_timeout": 1}"#,
        "{}",
    );
    assert!(
        by_batch.as_map().unwrap().get("messages").is_none(),
        "claimed already"
    );
    let acked = run.call(
        "ack_notifications",
        &format!(
            r#"{{"receipt_handles": "{}"}}"#,
            text(&msg, "receipt_handle")
        ),
        "{}",
    );
    assert_eq!(len(&acked, "acknowledged"), 1);
    let e = run.fails("notifications", "{}", "{}");
    assert_eq!(e.kind(), ApiErrorKind::Invalid);
    assert_eq!(
        text(
            &run.call(
                "delete_trigger",
                &format!(r#"{{"trigger_id": "{trig_id}"}}"#),
                "{}"
            ),
            "message"
        ),
        "ok"
    );

    let restored = run.call("restore", r#"{"public_ids": ["gone/a", "never"]}"#, "{}");
    assert_eq!(text(&restored, "gone/a.public_id"), "gone/a");
    assert!(get(&restored, "never.error").as_str().is_some());
    assert_eq!(
        public_ids(&run.call("resources_by_ids", r#"{"public_ids": ["gone/a"]}"#, "{}")),
        ["gone/a"]
    );
    run.call("delete_resources_by_tag", r#"{"tag": "doomed"}"#, "{}");
    run.call(
        "delete_resources_by_prefix",
        r#"{"prefix": "gone/c"}"#,
        "{}",
    );
    let del = run.call(
        "delete_resources_by_asset_ids",
        &format!(r#"{{"asset_ids": ["{e_asset}"]}}"#),
        "{}",
    );
    assert_eq!(text(&del, &format!("deleted.{e_asset}")), "deleted");
    let restored = run.call(
        "restore_by_asset_ids",
        &format!(r#"{{"asset_ids": ["{e_asset}"]}}"#),
        "{}",
    );
    assert_eq!(text(&restored, &format!("{e_asset}.public_id")), "gone/e");
    let versions = run.call(
        "resource",
        r#"{"public_id": "gone/e"}"#,
        r#"{"versions": true}"#,
    );
    assert_eq!(
        len(&versions, "versions"),
        2,
        "the current version and the backup"
    );
    let backup_version = text(&versions, "versions.1.version_id");
    let gone = run.call(
        "delete_backed_up_assets",
        &format!(r#"{{"asset_id": "{e_asset}", "version_ids": ["{backup_version}"]}}"#),
        "{}",
    );
    assert_eq!(len(&gone, "deleted_version_ids"), 1);
    let kept = run.call(
        "delete_derived_by_transformation",
        r#"{"public_ids": "gone/e", "transformations": [{"width": 10}]}"#,
        "{}",
    );
    assert!(get(&kept, "deleted").as_map().is_some());
    assert_eq!(
        public_ids(&run.call("resources_by_ids", r#"{"public_ids": ["gone/e"]}"#, "{}")),
        ["gone/e"],
        "keep_original keeps it"
    );
    run.call(
        "delete_derived_resources",
        r#"{"derived_resource_ids": ["d1"]}"#,
        "{}",
    );
    run.call(
        "upload",
        &file(""),
        r#"{"public_id": "x", "type": "private"}"#,
    );
    let all_private = run.call("delete_all_resources", "{}", r#"{"type": "private"}"#);
    assert_eq!(text(&all_private, "deleted.x"), "deleted");

    // -- folders --
    run.call("create_folder", r#"{"path": "top/sub"}"#, "{}");
    assert!(len(&run.call("root_folders", "{}", "{}"), "folders") >= 1);
    assert_eq!(
        len(
            &run.call("subfolders", r#"{"of_folder_path": "top"}"#, "{}"),
            "folders"
        ),
        1
    );
    run.call(
        "rename_folder",
        r#"{"from_path": "top/sub", "to_path": "top/moved"}"#,
        "{}",
    );
    run.call("delete_folder", r#"{"path": "top/moved"}"#, "{}");

    // -- presets and mappings --
    assert!(len(&run.call("upload_presets", "{}", "{}"), "presets") >= 1);
    assert_eq!(
        get(
            &run.call("upload_preset", r#"{"name": "open"}"#, "{}"),
            "unsigned"
        ),
        &Value::Bool(true)
    );
    run.call(
        "update_upload_preset",
        r#"{"name": "open"}"#,
        r#"{"folder": "incoming"}"#,
    );
    run.call("delete_upload_preset", r#"{"name": "open"}"#, "{}");
    assert_eq!(
        text(
            &run.call(
                "create_upload_mapping",
                r#"{"name": "wiki"}"#,
                r#"{"template": "https://example.com/w/"}"#
            ),
            "message"
        ),
        "created"
    );
    assert_eq!(
        text(
            &run.call("upload_mapping", r#"{"name": "wiki"}"#, "{}"),
            "template"
        ),
        "https://example.com/w/"
    );
    run.call(
        "update_upload_mapping",
        r#"{"name": "wiki"}"#,
        r#"{"template": "https://example.com/w2/"}"#,
    );
    assert_eq!(
        text(
            &run.call("upload_mappings", "{}", "{}"),
            "mappings.0.template"
        ),
        "https://example.com/w2/"
    );
    run.call("delete_upload_mapping", r#"{"name": "wiki"}"#, "{}");
    assert_eq!(
        run.fails("upload_mapping", r#"{"name": "wiki"}"#, "{}")
            .kind(),
        ApiErrorKind::NotFound
    );

    // -- transformations and streaming profiles --
    run.call(
        "create_transformation",
        r#"{"name": "thumb", "definition": {"width": 100, "crop": "fill"}}"#,
        "{}",
    );
    assert_eq!(
        text(
            &run.call("transformations", "{}", r#"{"named": true}"#),
            "transformations.0.name"
        ),
        "t_thumb"
    );
    assert_eq!(
        text(
            &run.call("transformation", r#"{"transformation": "t_thumb"}"#, "{}"),
            "info.0.transformation"
        ),
        "c_fill,w_100"
    );
    run.call(
        "update_transformation",
        r#"{"transformation": "t_thumb"}"#,
        r#"{"allowed_for_strict": true}"#,
    );
    assert_eq!(
        get(
            &run.call("transformation", r#"{"transformation": "t_thumb"}"#, "{}"),
            "allowed_for_strict"
        ),
        &Value::Bool(true)
    );
    run.call(
        "delete_transformation",
        r#"{"transformation": "t_thumb"}"#,
        "{}",
    );
    assert!(len(&run.call("list_streaming_profiles", "{}", "{}"), "data") >= 7);
    assert_eq!(
        get(
            &run.call("get_streaming_profile", r#"{"name": "hd"}"#, "{}"),
            "data.predefined"
        ),
        &Value::Bool(true)
    );
    run.call(
        "create_streaming_profile",
        r#"{"name": "mine"}"#,
        r#"{"display_name": "Mine", "representations": [{"width": 640, "crop": "limit"}]}"#,
    );
    let p = run.call(
        "update_streaming_profile",
        r#"{"name": "mine"}"#,
        r#"{"representations": ["c_limit,w_320", "c_limit,w_160"]}"#,
    );
    assert_eq!(len(&p, "data.representations"), 2);
    run.call("delete_streaming_profile", r#"{"name": "mine"}"#, "{}");

    // -- Upload API calls that generate assets --
    let sprite = run.call("generate_sprite", r#"{"tag": "kitten"}"#, "{}");
    assert_eq!(get(&sprite, "image_infos").as_map().unwrap().len(), 2);
    assert!(text(&sprite, "css_url").ends_with(".css"));
    let multi = run.call("multi", r#"{"tag": "kitten"}"#, r#"{"format": "gif"}"#);
    assert!(text(&multi, "url").ends_with("/kitten.gif"));
    let e = run.fails(
        "generate_sprite",
        r#"{"tag": "kitten", "urls": ["https://example.com/a.jpg"]}"#,
        "{}",
    );
    assert_eq!(e.kind(), ApiErrorKind::Invalid, "refused before sending");
    assert_eq!(
        text(
            &run.call(
                "explode",
                r#"{"public_id": "cat/one"}"#,
                r#"{"page": "all"}"#
            ),
            "status"
        ),
        "processing"
    );
    assert_eq!(
        run.fails("explode", r#"{"public_id": "nope"}"#, r#"{"page": "all"}"#)
            .kind(),
        ApiErrorKind::NotFound
    );
    let zip = run.call(
        "create_archive",
        "{}",
        r#"{"public_ids": ["cat/one", "cat/two"], "target_format": "tgz"}"#,
    );
    assert_eq!(get(&zip, "resource_count"), &Value::Int(2));
    assert!(text(&zip, "public_id").ends_with(".tgz"));
    let zip = run.call("create_zip", "{}", r#"{"tags": ["kitten"]}"#);
    assert!(text(&zip, "public_id").ends_with(".zip"));
    let show = run.call(
        "create_slideshow",
        "{}",
        r#"{"manifest_transformation": {"width": 100}, "public_id": "show"}"#,
    );
    assert_eq!(text(&show, "public_id"), "show");
    // A wrong secret is refused by the signature check.
    let forged = Client::from_url(&format!(
        "{}&analytics=false",
        emu.cloudinary_url().replace("abcd1234SECRETxyz", "wrong")
    ))
    .unwrap()
    .call_blocking("create_zip", &Map::new(), &map(r#"{"tags": ["kitten"]}"#))
    .unwrap_err();
    assert_eq!(forged.kind(), ApiErrorKind::Authorization);

    // -- search, visual search, analysis, raw calls --
    let found = run.call(
        "search",
        r#"{"expression": "tags=kitten"}"#,
        r#"{"sort_by": [{"public_id": "asc"}], "max_results": 5}"#,
    );
    assert_eq!(public_ids(&found), ["cat/one", "cat/two"]);
    run.call("search_folders", r#"{"expression": "name:top"}"#, "{}");
    let vs = run.call("visual_search", r#"{"text": "kitten"}"#, "{}");
    assert_eq!(get(&vs, "total_count"), &Value::Int(2));
    let vs = run.call(
        "visual_search",
        &format!(r#"{{"image_file": {png:?}}}"#),
        "{}",
    );
    assert!(len(&vs, "resources") >= 2);
    let a = run.call("analyze", r#"{"input_type": "uri", "analysis_type": "captioning", "uri": "https://example.com/a.jpg"}"#, "{}");
    assert_eq!(text(&a, "data.entity"), "https://example.com/a.jpg");
    let raw = run.call(
        "call_api",
        r#"{"method": "GET", "path": "resources/image/tags/kitten", "params": {"max_results": 1}}"#,
        "{}",
    );
    assert_eq!(public_ids(&raw).len(), 1);

    // -- provisioning --
    let subs = run.call("sub_accounts", "{}", "{}");
    assert_eq!(text(&subs, "sub_accounts.0.cloud_name"), "emulator");
    let sub = run.call(
        "create_sub_account",
        r#"{"name": "Second", "cloud_name": "second"}"#,
        "{}",
    );
    let sub_id = text(&sub, "id");
    assert_eq!(len(&sub, "api_access_keys"), 1);
    assert_eq!(
        text(
            &run.call(
                "sub_account",
                &format!(r#"{{"sub_account_id": "{sub_id}"}}"#),
                "{}"
            ),
            "name"
        ),
        "Second"
    );
    let upd = run.call(
        "update_sub_account",
        &format!(r#"{{"sub_account_id": "{sub_id}", "enabled": false}}"#),
        "{}",
    );
    assert_eq!(get(&upd, "enabled"), &Value::Bool(false));
    assert_eq!(
        len(
            &run.call("sub_accounts", r#"{"enabled": false}"#, "{}"),
            "sub_accounts"
        ),
        1
    );
    let key = run.call(
        "generate_access_key",
        &format!(r#"{{"sub_account_id": "{sub_id}", "name": "ci"}}"#),
        "{}",
    );
    let api_key = text(&key, "api_key");
    let keys = run.call(
        "access_keys",
        &format!(r#"{{"sub_account_id": "{sub_id}", "sort_by": "name"}}"#),
        "{}",
    );
    assert_eq!(get(&keys, "total"), &Value::Int(2));
    let key = run.call("update_access_key", &format!(r#"{{"sub_account_id": "{sub_id}", "api_key": "{api_key}", "enabled": false, "dedicated_for": "webhooks"}}"#), "{}");
    assert_eq!(get(&key, "enabled"), &Value::Bool(false));
    run.call(
        "delete_access_key",
        &format!(r#"{{"sub_account_id": "{sub_id}", "name": "ci"}}"#),
        "{}",
    );
    let user = run.call("create_user", &format!(r#"{{"name": "Ann", "email": "ann@example.com", "role": "admin", "sub_account_ids": ["{sub_id}"]}}"#), "{}");
    let user_id = text(&user, "id");
    assert_eq!(
        run.fails(
            "create_user",
            r#"{"name": "A", "email": "ann@example.com", "role": "admin"}"#,
            "{}"
        )
        .kind(),
        ApiErrorKind::AlreadyExists
    );
    assert_eq!(
        len(
            &run.call("users", &format!(r#"{{"user_ids": ["{user_id}"]}}"#), "{}"),
            "users"
        ),
        1
    );
    assert_eq!(
        text(
            &run.call("user", &format!(r#"{{"user_id": "{user_id}"}}"#), "{}"),
            "email"
        ),
        "ann@example.com"
    );
    assert_eq!(
        text(
            &run.call(
                "update_user",
                &format!(r#"{{"user_id": "{user_id}", "role": "billing"}}"#),
                "{}"
            ),
            "role"
        ),
        "billing"
    );
    let group = run.call("create_user_group", r#"{"name": "Editors"}"#, "{}");
    let group_id = text(&group, "id");
    assert_eq!(len(&run.call("user_groups", "{}", "{}"), "user_groups"), 1);
    run.call(
        "update_user_group",
        &format!(r#"{{"user_group_id": "{group_id}", "name": "Writers"}}"#),
        "{}",
    );
    assert_eq!(
        text(
            &run.call(
                "user_group",
                &format!(r#"{{"user_group_id": "{group_id}"}}"#),
                "{}"
            ),
            "name"
        ),
        "Writers"
    );
    let members = run.call(
        "add_user_to_group",
        &format!(r#"{{"user_group_id": "{group_id}", "user_id": "{user_id}"}}"#),
        "{}",
    );
    assert_eq!(len(&members, "users"), 1);
    assert_eq!(
        len(
            &run.call(
                "user_group_users",
                &format!(r#"{{"user_group_id": "{group_id}"}}"#),
                "{}"
            ),
            "users"
        ),
        1
    );
    assert_eq!(
        text(
            &run.call(
                "user_in_user_groups",
                &format!(r#"{{"user_id": "{user_id}"}}"#),
                "{}"
            ),
            "user_groups.0.name"
        ),
        "Writers"
    );
    assert_eq!(
        len(
            &run.call(
                "remove_user_from_group",
                &format!(r#"{{"user_group_id": "{group_id}", "user_id": "{user_id}"}}"#),
                "{}"
            ),
            "users"
        ),
        0
    );
    run.call(
        "delete_user_group",
        &format!(r#"{{"user_group_id": "{group_id}"}}"#),
        "{}",
    );
    run.call(
        "delete_user",
        &format!(r#"{{"user_id": "{user_id}"}}"#),
        "{}",
    );
    run.call(
        "delete_sub_account",
        &format!(r#"{{"sub_account_id": "{sub_id}"}}"#),
        "{}",
    );
    assert!(get(&run.call("create_agent_account", r#"{"email": "a@example.com", "agent_framework": "f", "agent_llm_model": "m", "agent_goal": "g"}"#, "{}"), "api_key").as_str().is_some());
    assert!(get(
        &run.call("create_cloud", r#"{"delivery_ips": ["203.0.113.9"]}"#, "{}"),
        "claim_url"
    )
    .as_str()
    .is_some());
    // Wrong provisioning credentials are refused.
    let wrong = AccountClient::from_url(&format!(
        "account://k:wrong@emulator-account?upload_prefix={}",
        emu.base_url()
    ))
    .unwrap();
    let e = wrong
        .call_blocking("users", &Map::new(), &Map::new())
        .unwrap_err();
    assert_eq!(e.kind(), ApiErrorKind::Authorization);

    // -- sync: a list inventory of data URIs, uploaded under a folder --
    #[cfg(feature = "sync")]
    {
        let data = format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(PNG)
        );
        let inventory = serde_json::json!({"inventory": [{"id": "s1.png", "data": data}]});
        let r = run.call("sync", &inventory.to_string(), r#"{"folder": "synced"}"#);
        assert_eq!(public_ids_of(&r, "uploaded"), ["synced/s1"]);
    }

    // -- every network row was exercised --
    let done = run.done.borrow();
    let missing: Vec<&str> = CALLS
        .iter()
        .filter(|c| c.is_network() && !done.contains(c.name))
        .filter(|c| cfg!(feature = "sync") || c.name != "sync")
        .map(|c| c.name)
        .collect();
    assert!(
        missing.is_empty(),
        "network rows not run against the emulator: {missing:?}"
    );
}

fn base64url(s: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s.trim_end_matches('='))
        .unwrap()
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("cldkit-calls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

trait NullOrEmpty {
    fn is_null_or_empty(&self) -> bool;
}

impl NullOrEmpty for Value {
    fn is_null_or_empty(&self) -> bool {
        match self {
            Value::Null => true,
            Value::Map(m) => m
                .keys()
                .all(|k| k.starts_with("rate_limit") || k == "request_id"),
            _ => false,
        }
    }
}

#[cfg(feature = "sync")]
fn public_ids_of(v: &Value, key: &str) -> Vec<String> {
    get(v, key)
        .as_list()
        .unwrap_or_default()
        .iter()
        .filter_map(|p| p.as_str().map(str::to_owned))
        .collect()
}
