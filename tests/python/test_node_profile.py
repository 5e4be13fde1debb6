"""The node profile through the module's own entry points: ``parse_cloudinary_url`` /
``parse_account_url`` with a profile (against the corpus's npm SDK answers) and the
``profile`` getter of a node client."""

import json
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

import cldkit


def _config_parse_cases(corpus: Path) -> List[Dict[str, Any]]:
    cases = []
    for f in sorted(corpus.glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                if case.get("kind") == "config_parse":
                    cases.append(case)
    return cases


def _parsed(inp: Dict[str, Any], profile: Optional[str]) -> Dict[str, Any]:
    parse = (
        cldkit.parse_account_url
        if inp.get("env") == "CLOUDINARY_ACCOUNT_URL"
        else cldkit.parse_cloudinary_url
    )
    try:
        return {"config": parse(inp["url"], profile)}
    except cldkit.Error as e:
        return {"error": e.code}


def _same(expected: Dict[str, Any], got: Dict[str, Any]) -> bool:
    if "error" in expected:
        return "error" in got
    return got == expected


def test_parse_in_node_profile_gives_the_npm_answers(corpus: Path) -> None:
    cases = _config_parse_cases(corpus)
    assert any("expected_node" in c for c in cases)
    bad = [
        c["id"]
        for c in cases
        if not _same(c.get("expected_node", c["expected"]), _parsed(c["input"], "node"))
    ]
    assert bad == []


def test_parse_without_profile_is_unchanged(corpus: Path) -> None:
    cases = _config_parse_cases(corpus)
    bad = [c["id"] for c in cases if not _same(c["expected"], _parsed(c["input"], None))]
    assert bad == []
    url = "cloudinary://key:secret@MixedCase"
    assert cldkit.parse_cloudinary_url(url)["cloud_name"] == "mixedcase"
    assert cldkit.parse_cloudinary_url(url, profile="default")["cloud_name"] == "mixedcase"
    assert cldkit.parse_cloudinary_url(url, profile="node")["cloud_name"] == "MixedCase"
    assert cldkit.parse_account_url("account://k:s@acc", "node")["account_id"] == "acc"
    with pytest.raises(cldkit.ConfigError):
        cldkit.parse_cloudinary_url(url, "ruby")


def test_profile_getter_names_the_node_profile() -> None:
    assert cldkit.Client(profile="node", cloud_name="demo").profile == "node"
    assert cldkit.Client.from_url("cloudinary://k:s@demo", profile="node").profile == "node"
    c = cldkit.Client(cloud_name="demo")
    assert c.profile == "default"
    assert c.with_profile("node").profile == "node"
    assert c.with_profile("python").profile == "python"
