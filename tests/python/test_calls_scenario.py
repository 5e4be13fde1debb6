"""tests/calls/scenario.json (format: tests/calls/README.md) through the generated
methods of `cldkit.Client` and `cldkit.AccountClient` against the emulator: each step
is `getattr(client, name)(*positional, **options)` with the row's positional
parameters in catalogue order; a second run sends a prefix of the steps and the
provisioning section through the `*_async` twins."""

import asyncio
import json
import urllib.parse
from typing import Any, Callable, Dict, List, Optional, Tuple

import cldkit
import pytest

from calls_catalogue import REPO_ROOT, is_network, rows
from conftest import Emulator

SCENARIO = REPO_ROOT / "tests" / "calls" / "scenario.json"
TYPES = {"string": str, "map": dict, "list": list, "bool": bool}


def steps() -> List[Dict[str, Any]]:
    doc = json.loads(SCENARIO.read_text())
    assert doc["version"] == 1
    out: List[Dict[str, Any]] = doc["steps"]
    return out


def account_url(emu: Emulator) -> str:
    """The emulator's CLOUDINARY_ACCOUNT_URL (see tests/calls/README.md)."""
    parts = urllib.parse.urlsplit(emu.cloudinary_url)
    creds = parts.netloc.rsplit("@", 1)[0]
    return f"account://{creds}@emulator-account?upload_prefix={emu.base_url}"


def substitute(v: Any, saved: Dict[str, Any]) -> Any:
    if isinstance(v, str):
        if v.startswith("${") and v.endswith("}") and v.count("${") == 1:
            return saved[v[2:-1]]
        out = v
        for name, value in saved.items():
            out = out.replace("${" + name + "}", value if isinstance(value, str) else json.dumps(value))
        assert "${" not in out, f"unsaved variable in {v!r}"
        return out
    if isinstance(v, list):
        return [substitute(x, saved) for x in v]
    if isinstance(v, dict):
        return {k: substitute(x, saved) for k, x in v.items()}
    return v


_MISSING = object()


def at(v: Any, path: str) -> Any:
    for key in path.split("."):
        if isinstance(v, dict) and key in v:
            v = v[key]
        elif isinstance(v, list) and key.isdigit() and int(key) < len(v):
            v = v[int(key)]
        else:
            return _MISSING
    return v


def same(a: Any, b: Any) -> bool:
    """JSON equality: numbers by value, but a bool is no number."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def bind(row: Dict[str, Any], args: Dict[str, Any]) -> List[Any]:
    """The positional arguments: the row's parameters in order, None for an absent
    optional one before a present one."""
    names = [p["name"] for p in row["params"]]
    unknown = set(args) - set(names)
    assert not unknown, f"{row['name']}: {unknown} are not parameters of the row"
    last = max((i for i, n in enumerate(names) if n in args), default=-1)
    return [args.get(n) for n in names[: last + 1]]


Call = Callable[[Dict[str, Any], Any, List[Any], Dict[str, Any]], Any]


def run(step_list: List[Tuple[int, Dict[str, Any]]], client: Any, account: Any, call: Call) -> List[str]:
    """Runs the steps with `call(row, target, positional, options)`; the failures."""
    catalogue = {r["name"]: r for r in rows()}
    saved: Dict[str, Any] = {}
    failures: List[str] = []
    for i, step in step_list:
        name = step["call"]
        row = catalogue[name]
        label = f"step {i} ({name})"
        target = account if row["family"] == "provisioning" else client
        args = substitute(step.get("args", {}), saved)
        options = substitute(step.get("options", {}), saved)
        try:
            result = call(row, target, bind(row, args), options)
        except cldkit.Error as e:
            if e.code != step.get("fails"):
                failures.append(f"{label}: {type(e).__name__} {e.code}: {e}")
            continue
        if "fails" in step:
            failures.append(f"{label}: should fail with {step['fails']}, answered {result!r}")
            continue
        if "expect_type" in step and not isinstance(result, TYPES[step["expect_type"]]):
            failures.append(f"{label}: a {type(result).__name__}, expected a {step['expect_type']}")
        for path, want in step.get("expect", {}).items():
            got = at(result, path)
            if got is _MISSING or not same(got, want):
                failures.append(f"{label}: {path} is {got!r}, expected {want!r}")
        for path, n in step.get("expect_len", {}).items():
            got = at(result, path)
            if not isinstance(got, list) or len(got) != n:
                failures.append(f"{label}: {path} is {got!r}, expected a list of {n}")
        for var, path in step.get("save", {}).items():
            value = at(result, path)
            assert value is not _MISSING, f"{label}: nothing at {path} to save as {var}"
            saved[var] = value
    return failures


def blocking(row: Dict[str, Any], target: Any, positional: List[Any], options: Dict[str, Any]) -> Any:
    return getattr(target, row["name"])(*positional, **options)


@pytest.fixture
def fresh() -> Any:
    emu = Emulator()
    try:
        client = cldkit.Client.from_url(emu.cloudinary_url + "&analytics=false")
        account = cldkit.AccountClient(account_url(emu))
        yield client, account
    finally:
        emu.stop()


def test_the_scenario_through_the_generated_methods(fresh: Any) -> None:
    client, account = fresh
    all_steps = steps()
    failures = run(list(enumerate(all_steps)), client, account, blocking)
    assert not failures, "\n".join(failures)
    done = {s["call"] for s in all_steps}
    missing = [r["name"] for r in rows() if is_network(r) and r["name"] not in done]
    assert not missing, f"network rows with no step in the scenario: {missing}"


def test_a_step_set_through_the_async_twins(fresh: Any) -> None:
    client, account = fresh
    all_steps = list(enumerate(steps()))
    # The steps up to the first metadata call (uploads, tags, presets) and the
    # provisioning section (which depends only on itself).
    first_metadata = next(i for i, s in all_steps if s["call"] == "add_metadata_field")
    first_account = next(i for i, s in all_steps if s["call"] == "sub_accounts")
    chosen = all_steps[:first_metadata] + all_steps[first_account:]
    awaited: List[str] = []

    async def main() -> List[str]:
        loop = asyncio.get_running_loop()

        def via_async(row: Dict[str, Any], target: Any, positional: List[Any], options: Dict[str, Any]) -> Any:
            if not is_network(row):
                return blocking(row, target, positional, options)
            twin = getattr(target, row["name"] + "_async")
            awaited.append(row["name"])
            # The coroutine runs on the loop (in this thread's loop, from a worker).
            return asyncio.run_coroutine_threadsafe(twin(*positional, **options), loop).result()

        return await loop.run_in_executor(None, run, chosen, client, account, via_async)

    failures = asyncio.run(main())
    assert not failures, "\n".join(failures)
    assert {"upload", "upload_large", "explicit", "users", "create_user"} <= set(awaited)
    assert len(awaited) > 40


def test_an_unknown_or_misplaced_call_is_refused(fresh: Any) -> None:
    client, account = fresh
    with pytest.raises(cldkit.InvalidOptionError):
        client.call("no_such_call")
    with pytest.raises(cldkit.InvalidOptionError):
        account.call("ping")
    assert client.call("url", {"source": "a.jpg"}, {"width": 10}).endswith("/w_10/a.jpg")
    with pytest.raises(cldkit.NotFoundError) as e:
        asyncio.run(client.resource_async("nope"))
    assert e.value.code == "not_found" and e.value.status == 404
