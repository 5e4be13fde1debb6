"""Every public conformance case of every kind, through `python -m cldkit.conformance`
(the public Python API), in the python profile; any mismatch fails."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List

import pytest

from cldkit.conformance import SUPPORTED_KINDS

from conftest import corpus_dir

KINDS = sorted(p.stem for p in corpus_dir().glob("*.jsonl"))


def matches(expected: Dict[str, Any], result: Dict[str, Any]) -> bool:
    if "error" in expected:
        return "error" in result
    return expected == result


def run_driver(path: Path, profile: str) -> List[Dict[str, Any]]:
    with open(path, "rb") as f:
        out = subprocess.run(
            [sys.executable, "-m", "cldkit.conformance", "--profile", profile],
            stdin=f,
            capture_output=True,
            check=True,
        )
    return [json.loads(line) for line in out.stdout.decode("utf-8").splitlines()]


def test_corpus_is_present_and_every_kind_is_supported() -> None:
    assert len(KINDS) >= 5
    missing = [k for k in KINDS if k not in SUPPORTED_KINDS]
    assert not missing, f"kinds in the corpus the driver does not run: {missing}"


@pytest.mark.parametrize("kind", KINDS)
def test_kind(corpus: Path, kind: str) -> None:
    path = corpus / f"{kind}.jsonl"
    cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    results = run_driver(path, "python")
    assert [r["id"] for r in results] == [c["id"] for c in cases]
    failures = []
    for case, r in zip(cases, results):
        assert case["kind"] == kind
        if not matches(case["expected"], r["result"]):
            failures.append(f"{case['id']}: expected {case['expected']!r}, got {r['result']!r}")
    assert not failures, f"{len(failures)}/{len(cases)} failed:\n" + "\n".join(failures[:10])


def test_unknown_kind_is_reported_unsupported() -> None:
    line = json.dumps({"id": "x-1", "kind": "no_such_kind", "config": {}, "input": {}})
    out = subprocess.run(
        [sys.executable, "-m", "cldkit.conformance"],
        input=line.encode(),
        capture_output=True,
        check=True,
    )
    assert json.loads(out.stdout) == {"id": "x-1", "result": {"unsupported": "no_such_kind"}}


def test_default_profile_runs() -> None:
    line = json.dumps(
        {
            "id": "url-x",
            "kind": "url",
            "config": {"cloud_name": "demo", "analytics": False},
            "input": {"source": "sample", "options": {"width": 100}},
        }
    )
    out = subprocess.run(
        [sys.executable, "-m", "cldkit.conformance"],
        input=line.encode(),
        capture_output=True,
        check=True,
    )
    # The default profile uses https when `secure` is unset; pycloudinary uses http.
    assert json.loads(out.stdout)["result"] == {
        "url": "https://res.cloudinary.com/demo/image/upload/w_100/sample"
    }
