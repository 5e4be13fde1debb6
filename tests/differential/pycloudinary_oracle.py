#!/usr/bin/env python3
"""Differential test: unseen cases, answered by the official Python SDK, run through cldkit.

The shared corpus is the contract, but hidden cases "from the same generator" must pass too.
This script makes new cases by recombining the corpus's own configs, sources and option
entries (seeded, so a failure can be replayed), asks pycloudinary 1.46.3 for `expected`
with the corpus clock, runs them through `cldkit conformance --profile python`, and
reports every mismatch.

usage: pycloudinary_oracle.py CLDKIT_BINARY [--kind url] [--cases 2000] [--seed 1]

Needs `pip install cloudinary==1.46.3` in the running interpreter.
"""
import argparse
import copy
import json
import os
import random
import subprocess
import sys
import time

import cloudinary
import cloudinary.utils
import importlib

CLOCK = 1700000000
WILD = False


def shared_dir():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.environ.get("CLDKIT_SHARED") or os.path.join(here, "..", "..", "..", "shared")


def load(kind):
    path = os.path.join(shared_dir(), "conformance", kind + ".jsonl")
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def configure(config):
    os.environ.pop("CLOUDINARY_URL", None)
    os.environ.pop("CLOUDINARY_CLOUD_NAME", None)
    cloudinary.reset_config()
    cloudinary.config(**copy.deepcopy(config))


def oracle(kind, config, inp):
    configure(config)
    real_time = time.time
    time.time = lambda: CLOCK
    try:
        if kind == "url":
            url = cloudinary.utils.cloudinary_url(copy.deepcopy(inp["source"]), **copy.deepcopy(inp["options"]))[0]
            return {"url": url}
        if kind == "video_thumbnail_url":
            return {"url": cloudinary.CloudinaryVideo(inp["public_id"]).video_thumbnail(**copy.deepcopy(inp["options"]))}
        if kind == "config_parse":
            account = inp["env"] == "CLOUDINARY_ACCOUNT_URL"
            cls = importlib.import_module("cloudinary.provisioning.account_config").AccountConfig if account else cloudinary.Config
            cfg = object.__new__(cls)
            cfg._uri_scheme = "account" if account else "cloudinary"
            cfg._load_from_url(inp["url"])
            return {"config": {k: v for k, v in cfg.__dict__.items() if k != "_uri_scheme"}}
        if kind == "auth_token":
            return {"token": cloudinary.utils.generate_auth_token(**copy.deepcopy(inp["options"]))}
        if kind == "sign_request":
            args = [copy.deepcopy(inp["params"]),
                    inp.get("api_secret", cloudinary.config().api_secret), inp.get("algorithm")]
            if "signature_version" in inp:
                args.append(inp["signature_version"])
            return {"signature": cloudinary.utils.api_sign_request(*args)}
        if kind == "upload_params":
            params = cloudinary.utils.cleanup_params(
                cloudinary.utils.build_upload_params(**copy.deepcopy(inp["options"])))
            # As the corpus shows them: the text each value goes on the wire as.
            return {"params": {k: [str(i) for i in v] if isinstance(v, list) else str(v)
                               for k, v in params.items()}}
        if kind == "api_url":
            return {"url": cloudinary.utils.cloudinary_api_url(inp["action"], **copy.deepcopy(inp["options"]))}
        if kind in DOWNLOADS:
            fn, positional = DOWNLOADS[kind]
            named = {k: copy.deepcopy(inp[k]) for k in ("tag", "urls") if k in inp and not positional}
            args = [copy.deepcopy(inp[k]) for k in positional]
            return {"url": fn()(*args, **named, **copy.deepcopy(inp["options"]))}
        if kind in ("signed_upload_form", "upload_api_call"):
            return record_upload_call(kind, inp)
        if kind == "image_tag":
            return {"html": cloudinary.CloudinaryImage(copy.deepcopy(inp["public_id"])).image(**copy.deepcopy(inp["options"]))}
        if kind == "video_tag":
            return {"html": cloudinary.CloudinaryVideo(copy.deepcopy(inp["public_id"])).video(**copy.deepcopy(inp["options"]))}
        if kind == "picture_tag":
            return {"html": cloudinary.CloudinaryImage(copy.deepcopy(inp["public_id"])).picture(**copy.deepcopy(inp["options"]))}
        raise ValueError(kind)
    except Exception as e:  # the SDK's rejection is the expected answer
        return {"error": "%s: %s" % (type(e).__name__, e)}
    finally:
        time.time = real_time


class _Recorded:
    """What the recorder answers in place of the Upload API: an empty JSON body."""
    status = 200
    headers = {}
    data = b"{}"


def record_upload_call(kind, inp):
    """The Upload API request pycloudinary would send, recorded instead of sent: the
    endpoint, the multipart fields (values as the text that goes on the wire, sorted by
    name, stable) and the Authorization header when OAuth is used."""
    uploader = importlib.import_module("cloudinary.uploader")
    seen = {}

    def request(method, url, fields, headers, **kw):
        seen.update(url=url, fields=fields, headers=headers)
        return _Recorded()

    real = uploader._http.request
    uploader._http.request = request
    try:
        if kind == "signed_upload_form":
            uploader.upload(copy.deepcopy(inp["file"]), **copy.deepcopy(inp["options"]))
        else:
            getattr(uploader, inp["method"])(**copy.deepcopy(inp["args"]), **copy.deepcopy(inp["options"]))
    finally:
        uploader._http.request = real
    fields = [[k, v if isinstance(v, str) else str(v)] for k, v in seen["fields"]]
    out = {"url": seen["url"], "fields": sorted(fields, key=lambda kv: kv[0])}
    if seen["headers"].get("authorization"):
        out["authorization"] = seen["headers"]["authorization"]
    return out


# Download URL kinds: (the SDK function, the input keys passed positionally).
DOWNLOADS = {
    "private_download_url": (lambda: cloudinary.utils.private_download_url, ["public_id", "format"]),
    "download_archive_url": (lambda: cloudinary.utils.download_archive_url, []),
    "download_zip_url": (lambda: cloudinary.utils.download_zip_url, []),
    "download_folder": (lambda: cloudinary.utils.download_folder, ["folder_path"]),
    "download_backedup_asset": (lambda: cloudinary.utils.download_backedup_asset, ["asset_id", "version_id"]),
    "zip_download_url": (lambda: cloudinary.utils.zip_download_url, ["tag"]),
    "download_generated_sprite": (lambda: importlib.import_module("cloudinary.uploader").download_generated_sprite, []),
    "download_multi": (lambda: importlib.import_module("cloudinary.uploader").download_multi, []),
}


WILD_VALUES = [None, True, False, 0, 1, -3, 2.0, 0.5, 1e-07, 1e16, "", " ", "auto", "0", "10%",
               "1.5..2", "width > 100", "$x", "!q!", "a/b", "a,b", "#fff", "x\n", "é", [], [1],
               ["a", "b"], [0, 1], [1, 2, 3, 4, 5], {}, {"a": 1}, {"public_id": "p"},
               {"text": "t", "font_family": "Arial", "font_size": 10}, {"codec": "h264"},
               {"function_type": "remote", "source": "http://x"}, [{"width": 5}], ["n", {"crop": "fit"}]]


def wild(rng, cases, opts):
    """Puts a value of a random type under a random known option name."""
    names = sorted({k for c in cases for k in c["input"].get("options", c["input"].get("params", {}))})
    for _ in range(rng.randint(1, 2)):
        opts[rng.choice(names)] = copy.deepcopy(rng.choice(WILD_VALUES))


URL_NOISE = ["", ":", "@", "/", "?", "&", "=", "[", "]", "%", "%41", "+", " ", "#", "\t", "é", "a", "Z", "//"]


def mutate_config_url(rng, base):
    url = base["input"]["url"]
    for _ in range(rng.randint(1, 4)):
        i = rng.randint(0, len(url))
        url = url[:i] + rng.choice(URL_NOISE) + url[i + rng.choice([0, 0, 1]):]
    base["input"]["url"] = url
    return base


def mutate(rng, cases, kind):
    base = copy.deepcopy(rng.choice(cases))
    if kind == "config_parse":
        return mutate_config_url(rng, base)
    donor = rng.choice(cases)
    inp = base["input"]
    field = "params" if kind == "sign_request" else "options"
    opts = inp[field]
    for _ in range(rng.randint(1, 3)):
        other = rng.choice(cases)["input"][field]
        if other:
            k = rng.choice(list(other))
            opts[k] = copy.deepcopy(other[k])
    if WILD and rng.random() < 0.5:
        wild(rng, cases, opts)
    if rng.random() < 0.3:
        base["config"] = copy.deepcopy(donor["config"])
    if kind == "url" and rng.random() < 0.3:
        inp["source"] = copy.deepcopy(donor["input"]["source"])
    if kind.endswith("_tag") and rng.random() < 0.3:
        inp["public_id"] = copy.deepcopy(donor["input"]["public_id"])
    return base


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--kind", default="url")
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--wild", action="store_true", help="also put values of random types under known names")
    args = ap.parse_args()
    global WILD
    WILD = args.wild
    rng = random.Random(args.seed)
    corpus = load(args.kind)
    cases = []
    for i in range(args.cases):
        c = mutate(rng, corpus, args.kind)
        c["id"] = "%s-diff-%06d" % (args.kind, i)
        c["expected"] = oracle(args.kind, c["config"], c["input"])
        cases.append(c)
    out = subprocess.run([args.binary, "conformance", "--profile", "python"],
                         input="\n".join(json.dumps(c) for c in cases),
                         capture_output=True, text=True, check=True)
    results = {}
    for line in out.stdout.splitlines():
        row = json.loads(line)
        results[row["id"]] = row["result"]
    failed = 0
    for c in cases:
        got = results.get(c["id"])
        exp = c["expected"]
        ok = ("error" in got) if "error" in exp else got == exp
        if not ok:
            failed += 1
            if failed <= 20:
                print(json.dumps({"config": c["config"], "input": c["input"]}), file=sys.stderr)
                print("  expected", json.dumps(exp), "\n  got     ", json.dumps(got), file=sys.stderr)
    print("differential %s: %d passed, %d failed" % (args.kind, len(cases) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
