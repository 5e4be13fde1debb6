"""Conformance driver: ``python -m cldkit.conformance [--profile python|node|default]``.

Reads conformance cases (JSON Lines: ``{"id", "kind", "config", "input", ...}``) on
standard input and writes one ``{"id": ..., "result": ...}`` line per case on standard
output. Every kind is run through cldkit's *public* Python API only; a failing call
gives ``{"error": "<code>: <message>"}``, a kind this package does not expose gives
``{"unsupported": "<kind>"}``. Each case gets a fresh client built from its ``config``
with the clock frozen at the corpus clock (1700000000). In the ``node`` profile each
case also runs with the Node.js version the npm SDK's results were recorded with as
``tech_version`` (unless its config sets one), and ``sign_request`` goes through
``Client.sign_request`` with the call's secret, algorithm and version as settings (the
npm SDK's ``api_sign_request`` reads them so).
"""

import argparse
import json
import sys
from typing import Any, Callable, Dict, List, Optional, TextIO

import cldkit

#: The Unix time every case was recorded at.
CORPUS_CLOCK = 1_700_000_000

#: The Node.js version the corpus's npm SDK results were recorded with.
CORPUS_NODE_VERSION = "20.20.2"

_Input = Dict[str, Any]
_Result = Dict[str, Any]
_Handler = Callable[["cldkit.Client", _Input, Dict[str, Any]], _Result]


def _f(inp: _Input, name: str) -> Any:
    """An input field as it is in the case (``None`` when absent)."""
    return inp.get(name)


def _opts(inp: _Input, name: str = "options") -> Dict[str, Any]:
    value = inp.get(name)
    return {} if value is None else value  # type: ignore[no-any-return]


def _request(req: Dict[str, Any]) -> _Result:
    fields = sorted(req["fields"], key=lambda f: f[0])
    out: _Result = {"url": req["url"], "fields": [[k, v] for k, v in fields]}
    if req["authorization"] is not None:
        out["authorization"] = req["authorization"]
    return out


def _url(c: "cldkit.Client", inp: _Input, cfg: Dict[str, Any]) -> _Result:
    url, _ = c.cloudinary_url(_f(inp, "source"), **_opts(inp))
    return {"url": url}


def _analytics(c: "cldkit.Client", inp: _Input, cfg: Dict[str, Any]) -> _Result:
    url = _url(c, inp, cfg)["url"]
    a: Optional[str] = None
    if isinstance(url, str) and "?" in url:
        for pair in url.split("?", 1)[1].split("&"):
            if pair.startswith("_a="):
                a = pair[3:]
                break
    return {"url": url, "a": a}


def _sign_request_node(c: "cldkit.Client", inp: _Input, cfg: Dict[str, Any]) -> _Result:
    """The npm SDK's ``api_sign_request(params, secret, algorithm, version)``."""
    settings = dict(cfg)
    if "api_secret" in inp:
        settings["api_secret"] = inp["api_secret"]
    if inp.get("algorithm"):
        settings["signature_algorithm"] = inp["algorithm"]
    if inp.get("signature_version") is not None:
        settings["signature_version"] = inp["signature_version"]
    signer = cldkit.Client(profile="node", **settings)
    return {"signature": signer.sign_request(_f(inp, "params") or {})}


def _sign_request(c: "cldkit.Client", inp: _Input, cfg: Dict[str, Any]) -> _Result:
    secret: Any = inp["api_secret"] if "api_secret" in inp else cfg.get("api_secret")
    sig = cldkit.api_sign_request(
        _f(inp, "params") or {},
        secret,
        _f(inp, "algorithm"),
        inp["signature_version"] if "signature_version" in inp else 2,
    )
    return {"signature": sig}


def _verify_notification(c: "cldkit.Client", inp: _Input, cfg: Dict[str, Any]) -> _Result:
    body = _f(inp, "body")
    if isinstance(body, str):
        body = body.encode("utf-8")
    valid = c.with_clock(inp.get("now", CORPUS_CLOCK)).verify_notification(
        body, _f(inp, "timestamp"), _f(inp, "signature"), _f(inp, "valid_for")
    )
    return {"valid": valid}


def _upload_params(c: "cldkit.Client", inp: _Input, cfg: Dict[str, Any]) -> _Result:
    params = c.upload_params(**_opts(inp))
    shown = {k: [str(i) for i in v] if isinstance(v, list) else str(v) for k, v in params.items()}
    return {"params": shown}


def _config_parse(c: "cldkit.Client", inp: _Input, cfg: Dict[str, Any]) -> _Result:
    if _f(inp, "env") == "CLOUDINARY_ACCOUNT_URL":
        return {"config": cldkit.parse_account_url(_f(inp, "url"), c.profile)}
    return {"config": cldkit.parse_cloudinary_url(_f(inp, "url"), c.profile)}


HANDLERS: Dict[str, _Handler] = {
    "url": _url,
    "analytics": _analytics,
    "video_thumbnail_url": lambda c, i, _: {
        "url": c.video_thumbnail_url(_f(i, "public_id"), **_opts(i))
    },
    "auth_token": lambda c, i, _: {"token": c.auth_token(**_opts(i))},
    "config_parse": _config_parse,
    "api_url": lambda c, i, _: {"url": c.api_url(_f(i, "action"), **_opts(i))},
    "sign_request": _sign_request,
    "verify_notification": _verify_notification,
    "verify_api_response": lambda c, i, _: {
        "valid": c.verify_api_response(_f(i, "public_id"), _f(i, "version"), _f(i, "signature"))
    },
    "upload_params": _upload_params,
    "signed_upload_form": lambda c, i, _: _request(
        c.upload_api_call("upload", {"file": _f(i, "file")}, **_opts(i))
    ),
    "upload_api_call": lambda c, i, _: _request(
        c.upload_api_call(_f(i, "method"), _opts(i, "args"), **_opts(i))
    ),
    "private_download_url": lambda c, i, _: {
        "url": c.private_download_url(_f(i, "public_id"), _f(i, "format"), **_opts(i))
    },
    "download_archive_url": lambda c, i, _: {"url": c.download_archive_url(**_opts(i))},
    "download_zip_url": lambda c, i, _: {"url": c.download_zip_url(**_opts(i))},
    "download_folder": lambda c, i, _: {
        "url": c.download_folder(_f(i, "folder_path"), **_opts(i))
    },
    "download_backedup_asset": lambda c, i, _: {
        "url": c.download_backedup_asset(_f(i, "asset_id"), _f(i, "version_id"), **_opts(i))
    },
    "zip_download_url": lambda c, i, _: {"url": c.zip_download_url(_f(i, "tag"), **_opts(i))},
    "download_generated_sprite": lambda c, i, _: {
        "url": c.download_generated_sprite(tag=_f(i, "tag"), urls=_f(i, "urls"), **_opts(i))
    },
    "download_multi": lambda c, i, _: {
        "url": c.download_multi(tag=_f(i, "tag"), urls=_f(i, "urls"), **_opts(i))
    },
    "image_tag": lambda c, i, _: {"html": c.image_tag(_f(i, "public_id"), **_opts(i))},
    "video_tag": lambda c, i, _: {"html": c.video_tag(_f(i, "public_id"), **_opts(i))},
    "picture_tag": lambda c, i, _: {"html": c.picture_tag(_f(i, "public_id"), **_opts(i))},
}

#: The kinds this driver runs.
SUPPORTED_KINDS: List[str] = sorted(HANDLERS)


def run_case(case: Dict[str, Any], profile: str = "default") -> _Result:
    """Runs one case through the public API and returns its ``result`` object."""
    kind = case.get("kind", "")
    handler = HANDLERS.get(kind)
    if profile == "node" and kind == "sign_request":
        handler = _sign_request_node
    if handler is None:
        return {"unsupported": kind}
    config = case.get("config") or {}
    if profile == "node" and "tech_version" not in config:
        config = {**config, "tech_version": CORPUS_NODE_VERSION}
    try:
        client = cldkit.Client(profile=profile, **config).with_clock(CORPUS_CLOCK)
        return handler(client, case.get("input") or {}, config)
    except cldkit.Error as e:
        return {"error": f"{e.code}: {e}"}
    except (TypeError, ValueError) as e:
        # Arguments of the wrong Python type, as pycloudinary would reject them too.
        return {"error": f"{type(e).__name__}: {e}"}


def run(stdin: TextIO, stdout: TextIO, profile: str) -> int:
    """Runs every case of ``stdin``; returns the number of cases."""
    n = 0
    for line in stdin:
        if not line.strip():
            continue
        case = json.loads(line)
        result = run_case(case, profile)
        stdout.write(json.dumps({"id": case.get("id"), "result": result}, ensure_ascii=False))
        stdout.write("\n")
        n += 1
    return n


def main(argv: Optional[List[str]] = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m cldkit.conformance", description=__doc__)
    parser.add_argument("--profile", choices=["default", "python", "node"], default="default")
    args = parser.parse_args(argv)
    run(sys.stdin, sys.stdout, args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
