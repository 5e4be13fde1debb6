"""Parity with the call catalogue (`cldkit calls --json`): every row is a method of
`cldkit.Client` (`cldkit.AccountClient` for provisioning rows) with the row's name and
its positional parameters in order (required ones without a default, optional ones
defaulting to None), keyword options, and an `*_async` twin for network rows."""

import inspect
from typing import Any, Dict, List

import cldkit

from calls_catalogue import is_network, rows

# Hand-written methods whose signature differs from the rule on purpose.
#: `api_url()` has always defaulted `action` to "upload".
DEFAULTED_REQUIRED = {("api_url", "action")}
#: Signature checks and verification take no options.
NO_OPTIONS = {"sign_request", "explain_signature", "verify_api_response", "verify_notification", "sign_upload_widget"}


def problems_of(row: Dict[str, Any], method: Any, name: str) -> List[str]:
    sig = inspect.signature(method)
    params = [p for p in sig.parameters.values() if p.name != "self"]
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    out = []
    want = [p["name"] for p in row["params"]]
    if [p.name for p in positional] != want:
        out.append(f"{name}{sig}: positional parameters {[p.name for p in positional]}, catalogue {want}")
        return out
    for p, spec in zip(positional, row["params"]):
        if spec["required"] and p.default is not p.empty and (row["name"], p.name) not in DEFAULTED_REQUIRED:
            out.append(f"{name}{sig}: {p.name} is required in the catalogue")
        if not spec["required"] and p.default is not None:
            out.append(f"{name}{sig}: {p.name} should default to None")
    if row["name"] not in NO_OPTIONS and not any(p.kind == p.VAR_KEYWORD for p in params):
        out.append(f"{name}{sig}: no **options")
    return out


def test_every_row_is_a_method_with_its_parameters() -> None:
    problems: List[str] = []
    for row in rows():
        cls = cldkit.AccountClient if row["family"] == "provisioning" else cldkit.Client
        names = [row["name"]] + ([row["name"] + "_async"] if is_network(row) else [])
        for name in names:
            method = getattr(cls, name, None)
            if method is None:
                problems.append(f"{cls.__name__}.{name} is missing")
                continue
            problems.extend(problems_of(row, method, f"{cls.__name__}.{name}"))
    assert not problems, "\n".join(problems)


def test_the_generated_methods_carry_the_rows_docs() -> None:
    for row in rows():
        cls = cldkit.AccountClient if row["family"] == "provisioning" else cldkit.Client
        doc = getattr(cls, row["name"]).__doc__ or ""
        assert doc.strip(), row["name"]
    resources_by_tag = next(r for r in rows() if r["name"] == "resources_by_tag")
    assert resources_by_tag["doc"] in (cldkit.Client.resources_by_tag.__doc__ or "")


def test_exception_classes_follow_the_error_table() -> None:
    # The table's classes, with Python's two names: RequestTimeoutError (TimeoutError is
    # a builtin) and SourceError (IoError is an alias).
    for name in ["InvalidOptionError", "ConfigError", "SignatureError"]:
        assert issubclass(getattr(cldkit, name), cldkit.Error)
        assert not issubclass(getattr(cldkit, name), cldkit.HttpError)
    for name in ["BadRequestError", "AuthorizationError", "NotAllowedError", "NotFoundError",
                 "AlreadyExistsError", "RateLimitedError", "ServerError", "RequestTimeoutError",
                 "NetworkError", "ResponseError", "SourceError"]:
        assert issubclass(getattr(cldkit, name), cldkit.HttpError), name
    assert cldkit.IoError is cldkit.SourceError
    assert not hasattr(cldkit, "TimeoutError")
    assert '`code` "not_found"' in (cldkit.NotFoundError.__doc__ or "")
    assert "HTTP 404" in (cldkit.NotFoundError.__doc__ or "")
