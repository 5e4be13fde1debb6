#!/usr/bin/env python3
"""Differential test of the call catalogue against the official Python SDK.

1. Coverage: every public function of pycloudinary 1.46.3's `cloudinary.api`,
   `cloudinary.uploader` (the calls issue 14 lists) and `cloudinary.provisioning.account`
   has a row in `cldkit calls --json` whose `python` field names it.
2. Request shapes: for every network row, at least one case below is run through
   pycloudinary with its HTTP layer replaced by a recorder (nothing is sent) and through
   `cldkit calls --requests` (built, not sent); method, path (escaping included), query
   pairs and the JSON body or form fields must be equal, and an SDK rejection must be
   a cldkit error. Local rows listed below are compared by value.

usage: pycloudinary_requests.py CLDKIT_BINARY [-v]

Needs `pip install cloudinary==1.46.3` in the running interpreter.
"""
import copy
import importlib
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse

import cloudinary
import cloudinary.api
import cloudinary.uploader
import cloudinary.provisioning.account as account
from cloudinary.provisioning.account_config import account_config

CLOCK = 1700000000
CONFIG = {
    "cloud_name": "demo",
    "api_key": "1234567890",
    "api_secret": "abcd",
    "secure": True,
    "analytics": False,
}
ACCOUNT = {"account_id": "acct-1", "provisioning_api_key": "pk", "provisioning_api_secret": "ps"}

# Public functions of the modules that are helpers or internals, not calls.
NOT_CALLS = {
    "api.only": "helper (dict filter)",
    "api.transformation_string": "helper (transformation text)",
    "uploader.call_api": "internal transport (the catalogue's Upload API rows)",
    "uploader.call_cacheable_api": "internal transport",
    "uploader.call_context_api": "internal (add_context / remove_all_context)",
    "uploader.call_tags_api": "internal (the tag calls)",
    "uploader.is_appengine_sandbox": "environment probe",
    "uploader.upload_image": "returns a CloudinaryImage model (upload covers the call)",
    "uploader.upload_resource": "returns a CloudinaryResource model (upload covers the call)",
    "uploader.upload_large_part": "one chunk of upload_large (chunking is internal)",
}

TMP = tempfile.mkdtemp()
IMAGE = os.path.join(TMP, "query image.jpg")
with open(IMAGE, "wb") as fh:
    fh.write(b"\xff\xd8\xff\xe0 not really a jpeg")

L = [{"external_id": "e1", "value": "v1"}, {"value": "v2", "other": 1}]

# (name, args, options); args by the catalogue's parameter names.
CASES = [
    ("ping", {}, {}),
    ("usage", {}, {}),
    ("usage", {}, {"date": "01-06-2024"}),
    ("config", {}, {"settings": True}),
    ("resource_types", {}, {}),
    ("resources", {}, {"type": "upload", "prefix": "fo/", "max_results": 10, "next_cursor": "abc",
                       "tags": True, "context": True, "direction": "asc", "fields": ["public_id", "tags"]}),
    ("resources", {}, {"resource_type": "raw", "start_at": "2024-01-01 00:00:00", "metadata": True,
                       "moderations": False, "fields": "public_id"}),
    ("resources_by_tag", {"tag": "my tag"}, {"max_results": 5, "fields": []}),
    ("resources", {}, {"prefix": "a~b*c d+e/é&", "tags": None, "context": ""}),
    ("resources_by_context", {"key": "k", "value": "v w"}, {"resource_type": "video"}),
    ("resources_by_context", {"key": "k"}, {"direction": -1}),
    ("resources_by_moderation", {"kind": "manual", "status": "pending"}, {"tags": True}),
    ("resources_by_ids", {"public_ids": ["a b", "c/d"]}, {"type": "private", "tags": True}),
    ("resources_by_asset_ids", {"asset_ids": ["abc", "def"]}, {"context": True}),
    ("resources_by_asset_folder", {"asset_folder": "my folder"}, {"max_results": 3}),
    ("resource", {"public_id": "folder/sample one"}, {"colors": True, "versions": True, "related": True}),
    ("resource", {"public_id": "50%/é+&"}, {"resource_type": "video", "type": "authenticated"}),
    ("resource_by_asset_id", {"asset_id": "0123abc"}, {"exif": True, "max_results": 2}),
    ("update", {"public_id": "folder/pid"},
     {"tags": ["a", "b"], "context": {"k": "v", "l": ["x", "y"]}, "display_name": "DN", "asset_folder": "af",
      "moderation_status": "approved", "unique_display_name": True, "clear_invalid": False,
      "face_coordinates": [[1, 2, 3, 4], [5, 6, 7, 8]], "custom_coordinates": [1, 2, 3, 4],
      "regions": {"r": [[1, 2], [3, 4]]}, "auto_tagging": 0.5, "access_control": [{"access_type": "anonymous"}],
      "metadata": {"f": ["a", "b"]}, "batch_id": "b1"}),
    ("update", {"public_id": "x"}, {"tags": None, "access_control": '{"access_type": "token"}',
                                    "regions": "raw", "resource_type": "raw", "type": "private"}),
    ("update", {"public_id": "x"}, {"tags": ["a", 1]}),
    ("restore", {"public_ids": ["a", "b"]}, {"versions": ["v1"], "resource_type": "video"}),
    ("restore_by_asset_ids", {"asset_ids": ["x"]}, {}),
    ("delete_resources", {"public_ids": ["a", "b"]}, {"invalidate": True}),
    ("delete_resources", {"public_ids": "one"},
     {"transformations": [{"width": 100, "crop": "scale", "format": "png"}, "c_fill,w_10"], "keep_original": True}),
    ("delete_resources_by_prefix", {"prefix": "p/"}, {"keep_original": True, "next_cursor": "c"}),
    ("delete_all_resources", {}, {"type": "private", "batch_id": "b1", "notification_url": "http://x/y"}),
    ("delete_resources_by_tag", {"tag": "t"}, {"transformations": "w_100", "resource_type": "raw"}),
    ("delete_resources_by_asset_ids", {"asset_ids": ["x", "y"]}, {"invalidate": False}),
    ("delete_derived_resources", {"derived_resource_ids": ["d1", "d2"]}, {}),
    ("delete_derived_by_transformation", {"public_ids": "pid", "transformations": [{"width": 10}], "invalidate": True}, {}),
    ("delete_derived_by_transformation", {"public_ids": ["a", "b"], "transformations": "w_10|h_10",
                                          "resource_type": "video", "type": "private"}, {}),
    ("delete_backed_up_assets", {"asset_id": "aid", "version_ids": "v1"}, {}),
    ("add_related_assets", {"public_id": "p/q", "assets_to_relate": ["image/upload/a"]}, {}),
    ("add_related_assets", {"public_id": "p", "assets_to_relate": "raw/upload/b", "resource_type": "raw",
                            "type": "private"}, {}),
    ("add_related_assets_by_asset_ids", {"asset_id": "aid", "assets_to_relate": "bid"}, {}),
    ("delete_related_assets", {"public_id": "p", "assets_to_unrelate": ["image/upload/a"]}, {}),
    ("delete_related_assets_by_asset_ids", {"asset_id": "aid", "assets_to_unrelate": ["b", "c"]}, {}),
    ("publish_by_ids", {"public_ids": ["a"]}, {"type": "authenticated", "overwrite": True}),
    ("publish_by_prefix", {"prefix": "p"}, {"invalidate": True, "resource_type": "video"}),
    ("publish_by_tag", {"tag": "t"}, {}),
    ("tags", {}, {"prefix": "a", "max_results": 2, "resource_type": "video"}),
    ("root_folders", {}, {"max_results": 1, "next_cursor": "n"}),
    ("subfolders", {"of_folder_path": "a b/c"}, {}),
    ("create_folder", {"path": "new/é"}, {}),
    ("rename_folder", {"from_path": "a/old", "to_path": "a/new"}, {}),
    ("delete_folder", {"path": "x"}, {"skip_backup": True}),
    ("upload_presets", {}, {"max_results": 3}),
    ("upload_preset", {"name": "p1"}, {"max_results": 3}),
    ("create_upload_preset", {}, {"name": "p1", "unsigned": True, "folder": "x", "tags": ["a"],
                                  "eager": [{"width": 10}], "disallow_public_id": True}),
    ("update_upload_preset", {"name": "p1"}, {"unsigned": False, "live": True, "tags": "t", "use_filename": True}),
    ("delete_upload_preset", {"name": "p1"}, {}),
    ("upload_mappings", {}, {"max_results": 1}),
    ("upload_mapping", {"name": "wiki"}, {}),
    ("create_upload_mapping", {"name": "wiki"}, {"template": "https://example.com/wiki/"}),
    ("update_upload_mapping", {"name": "wiki"}, {"template": "https://example.com/w2/"}),
    ("delete_upload_mapping", {"name": "wiki"}, {}),
    ("transformations", {}, {"named": True, "max_results": 5}),
    ("transformation", {"transformation": {"width": 100, "crop": "scale", "format": "png"}}, {"max_results": 2}),
    ("transformation", {"transformation": "w_100"}, {}),
    ("create_transformation", {"name": "n1", "definition": {"width": 10, "crop": "fill"}}, {}),
    ("update_transformation", {"transformation": "w_10"}, {"allowed_for_strict": True,
                                                            "unsafe_update": {"crop": "fill", "width": 5}}),
    ("delete_transformation", {"transformation": "t_named"}, {}),
    ("list_streaming_profiles", {}, {}),
    ("get_streaming_profile", {"name": "hd"}, {}),
    ("create_streaming_profile", {"name": "custom"},
     {"display_name": "C", "representations": [{"crop": "limit", "width": 1200}, "c_limit,w_800"]}),
    ("update_streaming_profile", {"name": "custom"}, {"representations": [{"width": 640}]}),
    ("delete_streaming_profile", {"name": "custom"}, {}),
    ("list_metadata_fields", {}, {}),
    ("metadata_field_by_field_id", {"field_external_id": "f1"}, {}),
    ("add_metadata_field", {"field": {"type": "string", "label": "L", "external_id": "f1", "extra": 1}}, {}),
    ("update_metadata_field", {"field_external_id": "f1", "field": {"label": "M", "mandatory": True}}, {}),
    ("delete_metadata_field", {"field_external_id": "f1"}, {}),
    ("update_metadata_field_datasource", {"field_external_id": "f1", "entries_external_id": L}, {}),
    ("delete_datasource_entries", {"field_external_id": "f1", "entries_external_id": ["e1"]}, {}),
    ("restore_metadata_field_datasource", {"field_external_id": "f1", "entries_external_ids": ["e1"]}, {}),
    ("reorder_metadata_field_datasource", {"field_external_id": "f1", "order_by": "value", "direction": "asc"}, {}),
    ("reorder_metadata_fields", {"order_by": "label"}, {}),
    ("list_metadata_rules", {}, {}),
    ("add_metadata_rule", {"rule": {"metadata_field_id": "f1", "condition": {"metadata_field_id": "g",
                                                                              "equals": "x"},
                                    "result": {"enable": True}, "name": "r", "junk": 2}}, {}),
    ("update_metadata_rule", {"rule_external_id": "r1", "rule": {"state": "inactive"}}, {}),
    ("delete_metadata_rule", {"rule_external_id": "r1"}, {}),
    ("triggers", {}, {}),
    ("triggers", {}, {"event_type": "upload"}),
    ("create_trigger", {"uri": "https://example.com/hook", "event_type": "upload"}, {}),
    ("create_trigger", {"uri": "poll://chan", "event_type": "delete", "uri_type": "poll"}, {}),
    ("update_trigger", {"trigger_id": "t1", "new_uri": "https://example.com/h2"}, {}),
    ("delete_trigger", {"trigger_id": "t1"}, {}),
    ("test_trigger", {"trigger_id": "t1", "sample_data": {"a": 1}}, {}),
    ("notifications", {"channel": "c1", "max_messages": 5}, {}),
    ("notifications", {"batch_id": "b", "wait_seconds": 0, "visibility_timeout": 30}, {}),
    ("notifications", {}, {}),
    ("notifications", {"channel": "c", "batch_id": "b"}, {}),
    ("ack_notifications", {"receipt_handles": "h1"}, {}),
    ("ack_notifications", {"receipt_handles": ["h1", "h2"]}, {}),
    ("analyze", {"input_type": "uri", "analysis_type": "captioning", "uri": "https://example.com/y.jpg"},
     {"parameters": {"a": 1}}),
    ("call_api", {"method": "get", "path": "resources/image", "params": {"max_results": 3, "tags": True}}, {}),
    ("call_api", {"method": "post", "path": "resources/image/upload/x", "params": {"tags": "a"}}, {}),
    ("search", {"expression": "resource_type:image AND tags=kitten"},
     {"sort_by": [{"public_id": "desc"}, {"created_at": "asc"}, {"public_id": "asc"}], "max_results": 30,
      "with_field": ["context", "tags", "context"], "next_cursor": "cur", "aggregate": ["format"],
      "fields": ["tags"]}),
    ("search_folders", {"expression": "path:a*"}, {"max_results": 2}),
    ("visual_search", {"image_url": "https://example.com/a.jpg"}, {}),
    ("visual_search", {"text": "a cat", "image_asset_id": "aid"}, {}),
    ("visual_search", {"image_file": IMAGE}, {}),
    # Node SDK only: expectations written from the Node SDK (form fields as JSON).
    ("update_resources_access_mode_by_ids", {"access_mode": "authenticated", "ids": ["a", "b"]}, {}),
    ("update_resources_access_mode_by_tag", {"access_mode": "public", "tag": "t"}, {"resource_type": "video"}),
    ("update_resources_access_mode_by_prefix", {"access_mode": "public", "prefix": "p/"}, {"type": "private"}),
    # Provisioning.
    ("sub_accounts", {}, {}),
    ("sub_accounts", {"enabled": True, "ids": ["a", "b"], "prefix": "p"}, {}),
    ("sub_account", {"sub_account_id": "s1"}, {}),
    ("create_sub_account", {"name": "n", "cloud_name": "c", "custom_attributes": {"x": 1}, "enabled": False,
                            "base_account": "b"}, {}),
    ("update_sub_account", {"sub_account_id": "s1", "name": "m", "enabled": True}, {}),
    ("delete_sub_account", {"sub_account_id": "s1"}, {}),
    ("users", {}, {}),
    ("users", {"user_ids": ["u1", "u2"], "sub_account_id": "s", "status": "active", "prefix": "p",
               "last_login": True, "from_date": "2024-01-01", "to_date": "2024-02-01"}, {}),
    ("user", {"user_id": "u1"}, {}),
    ("create_user", {"name": "N", "email": "n@example.com", "role": "admin", "sub_account_ids": ["s1"]}, {}),
    ("update_user", {"user_id": "u1", "email": "m@example.com"}, {}),
    ("delete_user", {"user_id": "u1"}, {}),
    ("user_groups", {}, {}),
    ("user_group", {"user_group_id": "g1"}, {}),
    ("create_user_group", {"name": "G"}, {}),
    ("update_user_group", {"user_group_id": "g1", "name": "H"}, {}),
    ("delete_user_group", {"user_group_id": "g1"}, {}),
    ("add_user_to_group", {"user_group_id": "g1", "user_id": "u1"}, {}),
    ("remove_user_from_group", {"user_group_id": "g1", "user_id": "u1"}, {}),
    ("user_group_users", {"user_group_id": "g1"}, {}),
    ("user_in_user_groups", {"user_id": "u1"}, {}),
    ("access_keys", {"sub_account_id": "s1", "page_size": 10, "sort_by": "name"}, {}),
    ("generate_access_key", {"sub_account_id": "s1", "name": "k", "enabled": True}, {}),
    ("update_access_key", {"sub_account_id": "s1", "api_key": 1234, "enabled": False, "dedicated_for": "webhooks"}, {}),
    ("delete_access_key", {"sub_account_id": "s1", "api_key": "k1"}, {}),
    ("delete_access_key", {"sub_account_id": "s1", "name": "k"}, {}),
    ("create_agent_account", {"email": "a@example.com", "agent_framework": "f", "agent_llm_model": "m",
                              "agent_goal": "g"}, {}),
    ("create_cloud", {"delivery_ips": ["1.2.3.4"], "email": "a@example.com"}, {}),
    # Upload API (remote files: nothing is read).
    ("upload", {"file": "https://example.com/a.jpg"}, {"public_id": "p", "tags": ["a", "b"], "eager": [{"width": 10}]}),
    ("unsigned_upload", {"file": "https://example.com/a.jpg", "upload_preset": "pre"}, {"folder": "f"}),
    ("upload_large", {"file": "https://example.com/big.mp4"}, {"resource_type": "video"}),
    ("explicit", {"public_id": "p"}, {"type": "upload", "eager": "w_100"}),
    ("rename", {"from_public_id": "a", "to_public_id": "b"}, {"overwrite": True}),
    ("destroy", {"public_id": "a"}, {"invalidate": True}),
    ("add_tag", {"tag": "t", "public_ids": ["a", "b"]}, {}),
    ("remove_tag", {"tag": "t", "public_ids": "a"}, {}),
    ("replace_tag", {"tag": "t", "public_ids": ["a"]}, {}),
    ("remove_all_tags", {"public_ids": ["a"]}, {}),
    ("add_context", {"context": {"k": "v"}, "public_ids": ["a"]}, {}),
    ("remove_all_context", {"public_ids": ["a"]}, {}),
    ("update_metadata", {"metadata": {"f": "v"}, "public_ids": ["a"]}, {"clear_invalid": True}),
    ("text", {"text": "Hello"}, {"font_family": "Arial", "font_size": 12}),
    ("generate_sprite", {"tag": "t"}, {}),
    ("multi", {"urls": ["https://example.com/a.jpg"]}, {"format": "gif"}),
    ("explode", {"public_id": "p"}, {"page": "all"}),
    ("create_archive", {}, {"public_ids": ["a"], "target_format": "tgz"}),
    ("create_zip", {}, {"tags": ["t"]}),
    ("create_slideshow", {}, {"manifest_transformation": {"width": 100}}),
    # Local rows, compared by value.
    ("search_url", {"expression": "resource_type:image", "ttl": 1000}, {"max_results": 10}),
    ("search_url", {"expression": "é", "next_cursor": "nc"},
     {"sort_by": [{"public_id": "desc"}], "with_field": ["tags"], "secure": False}),
    ("url", {"source": "sample.jpg"}, {"width": 100, "crop": "fill"}),
    ("private_download_url", {"public_id": "p", "format": "png"}, {"attachment": True}),
    ("download_folder", {"folder_path": "f/g"}, {}),
    ("sign_request", {"params": {"public_id": "p", "timestamp": 1}}, {}),
    ("download_generated_sprite", {"tag": "t"}, {}),
    ("download_multi", {"urls": ["https://example.com/a.jpg"]}, {}),
]

# Rows without a pycloudinary equivalent: the expected request, written by hand.
EXPECTED = {
    "update_resources_access_mode_by_ids": {
        "method": "POST", "path": "/v1_1/demo/resources/image/upload/update_access_mode", "query": [],
        "raw_query": [],
        "body": {"access_mode": "authenticated", "public_ids": ["a", "b"]}},
    "update_resources_access_mode_by_tag": {
        "method": "POST", "path": "/v1_1/demo/resources/video/upload/update_access_mode", "query": [],
        "raw_query": [],
        "body": {"access_mode": "public", "tag": "t"}},
    "update_resources_access_mode_by_prefix": {
        "method": "POST", "path": "/v1_1/demo/resources/image/private/update_access_mode", "query": [],
        "raw_query": [],
        "body": {"access_mode": "public", "prefix": "p/"}},
}

SEARCH_LISTS = ("sort_by", "aggregate", "with_field", "fields")


class _Answer:
    status = 200
    headers = {}
    data = b"{}"


def configure():
    for var in ("CLOUDINARY_URL", "CLOUDINARY_CLOUD_NAME", "CLOUDINARY_ACCOUNT_URL"):
        os.environ.pop(var, None)
    cloudinary.reset_config()
    cloudinary.config(**CONFIG)
    account_config(**ACCOUNT)


def normalize(method, url, body):
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    query = sorted(query, key=lambda kv: kv[0])
    # The encoded query too, pair by pair (order aside): `+` for spaces, `~` kept, ...
    raw = sorted(parts.query.split("&")) if parts.query else []
    return {"method": method.upper(), "path": parts.path, "query": query, "raw_query": raw, "body": body}


def form_pairs(fields):
    out = []
    for k, v in (fields.items() if isinstance(fields, dict) else fields):
        if isinstance(v, tuple):
            v = {"file": os.path.basename(v[0])}
        elif isinstance(v, bytes):
            v = v.decode()
        elif not isinstance(v, str):
            v = str(v)
        out.append([k, v])
    return sorted(out, key=lambda kv: kv[0])


def python_fn(row):
    module, _, fn = row["python"].partition(".")
    return {"api": cloudinary.api, "uploader": cloudinary.uploader, "account": account}[module], fn


def search_builder(row, args, options):
    cls = cloudinary.SearchFolders if row["python"].startswith("SearchFolders") else cloudinary.Search
    s = cls()
    if args.get("expression") is not None:
        s.expression(args["expression"])
    rest = {}
    for k, v in options.items():
        if k in SEARCH_LISTS:
            for item in (v if isinstance(v, list) else [v]):
                if k == "sort_by":
                    (field, direction), = item.items()
                    s.sort_by(field, direction)
                else:
                    getattr(s, k)(item)
        elif k in ("max_results", "next_cursor"):
            getattr(s, k)(v)
        else:
            rest[k] = v
    return s, rest


def oracle(row, args, options):
    """What pycloudinary sends (or returns, for local rows), or its rejection."""
    configure()
    seen = {}

    def record(method, url, fields=None, headers=None, **kw):
        seen.update(method=method, url=url, fields=fields, body=kw.get("body"))
        return _Answer()

    transports = [importlib.import_module("cloudinary.api_client.call_api")._http,
                  importlib.import_module("cloudinary.api_client.call_account_api")._http,
                  cloudinary.uploader._http]
    saved = [t.request for t in transports]
    for t in transports:
        t.request = record
    real_time = time.time
    time.time = lambda: CLOCK
    args, options = copy.deepcopy(args), copy.deepcopy(options)
    try:
        name = row["name"]
        required = [p["name"] for p in row["params"] if p["required"]]
        positional = [args.pop(p) for p in required if p in args]
        if row["python"] in ("Search.execute", "SearchFolders.execute"):
            s, rest = search_builder(row, args, options)
            s.execute(**rest)
        elif row["python"] == "Search.to_url":
            s, rest = search_builder(row, {"expression": args.pop("expression", None)}, options)
            return {"value": s.to_url(**args, **rest)}
        elif name == "call_api":
            call_json_api = importlib.import_module("cloudinary.api_client.call_api").call_json_api
            call_json_api(positional[0], positional[1].split("/"), args.get("params") or {}, **options)
        elif row["python"] == "utils.api_sign_request":
            # The SDK takes the secret as an argument; the row signs with the client's.
            return {"value": cloudinary.utils.api_sign_request(*positional, CONFIG["api_secret"])}
        elif row["python"].startswith("utils."):
            fn = getattr(cloudinary.utils, row["python"].split(".", 1)[1])
            value = fn(*positional, **args, **options)
            # cloudinary_url answers (url, leftover options).
            return {"value": value[0] if isinstance(value, tuple) else value}
        elif row["http"] is None:
            module, fn = python_fn(row)
            return {"value": getattr(module, fn)(*positional, **args, **options)}
        else:
            module, fn = python_fn(row)
            getattr(module, fn)(*positional, **args, **options)
    except Exception as e:  # the SDK's rejection is the expected answer
        return {"error": "%s: %s" % (type(e).__name__, e)}
    finally:
        time.time = real_time
        for t, r in zip(transports, saved):
            t.request = r
    body = None
    if seen.get("body") is not None:
        body = json.loads(seen["body"])
    elif seen.get("fields") is not None:
        body = form_pairs(seen["fields"])
    return {"request": normalize(seen["method"], seen["url"], body)}


def cldkit_side(answer):
    if "error" in answer:
        return {"error": answer["error"]}
    if "value" in answer:
        return {"value": answer["value"]}
    r = answer["request"]
    body = r["body"]
    if r["encoding"] == "multipart":
        body = sorted(body, key=lambda kv: kv[0])
    return {"request": normalize(r["method"], r["url"], body)}


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    binary = sys.argv[1]
    verbose = "-v" in sys.argv
    catalogue = json.loads(subprocess.run([binary, "calls", "--json"], check=True,
                                          capture_output=True, text=True).stdout)["calls"]
    rows = {r["name"]: r for r in catalogue}
    failures = []

    # 1. Coverage of the SDK's modules.
    import inspect
    covered = {r["python"] for r in catalogue if r["python"]}
    for label, module in (("api", cloudinary.api), ("uploader", cloudinary.uploader), ("account", account)):
        for fn_name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module.__name__ or fn_name.startswith("_"):
                continue
            key = "%s.%s" % (label, fn_name)
            if key not in covered and key not in NOT_CALLS:
                failures.append("no catalogue row for pycloudinary's %s" % key)
    for key in covered:
        module, _, fn = key.partition(".")
        target = {"api": cloudinary.api, "uploader": cloudinary.uploader, "account": account,
                  "utils": cloudinary.utils}.get(module)
        if target is not None and not hasattr(target, fn):
            failures.append("row names %s, which pycloudinary does not have" % key)

    # 2. Every network row has a request case.
    cased = {name for name, _, _ in CASES}
    for r in catalogue:
        if r["http"] is not None and r["name"] not in cased:
            failures.append("no request case for the network row %s" % r["name"])

    # 3. Request shapes.
    config = dict(CONFIG, **ACCOUNT)
    lines = [json.dumps({"id": i, "name": n, "args": a, "options": o, "config": config, "clock": CLOCK})
             for i, (n, a, o) in enumerate(CASES)]
    out = subprocess.run([binary, "calls", "--requests"], input="\n".join(lines),
                         capture_output=True, text=True, check=True).stdout
    answers = {json.loads(l)["id"]: json.loads(l) for l in out.splitlines()}
    passed = 0
    for i, (name, args, options) in enumerate(CASES):
        row = rows.get(name)
        if row is None:
            failures.append("case %d: no row %s" % (i, name))
            continue
        if name in EXPECTED:
            expected = {"request": EXPECTED[name]}
        else:
            expected = oracle(row, args, options)
        got = cldkit_side(answers[i])
        ok = ("error" in got) if "error" in expected else got == expected
        if ok:
            passed += 1
            if verbose:
                print("ok  ", name, json.dumps(got)[:160])
        else:
            failures.append("case %d %s(%s, %s)\n  expected %s\n  got      %s" % (
                i, name, json.dumps(args), json.dumps(options), json.dumps(expected), json.dumps(got)))
    for f in failures:
        print(f, file=sys.stderr)
    print("catalogue %d rows; request cases: %d passed, %d failed; coverage and other failures: %d" % (
        len(catalogue), passed, len(CASES) - passed,
        len([f for f in failures if not f.startswith("case ")])))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
