"""The HTTP client's limits through the Python API, against a misbehaving emulator
(fault actions `endless`, `trickle`, `cursor`): an answer larger than
`max_response_bytes` raises `ResponseError`, an answer trickling past `timeout`
raises `RequestTimeoutError`, and pages stop with `ResponseError` when the server
repeats a `next_cursor`."""

import base64
import json
import time
import urllib.parse
import urllib.request
from typing import Any, Dict, List

import pytest

import cldkit
from conftest import Emulator


def set_faults(emu: Emulator, rules: List[Dict[str, Any]]) -> None:
    """Replaces the emulator's fault rules, authenticated as its account."""
    parts = urllib.parse.urlsplit(emu.cloudinary_url)
    key = urllib.parse.unquote(parts.username or "")
    token = base64.b64encode(f"{key}:{emu.api_secret}".encode()).decode()
    req = urllib.request.Request(
        emu.base_url + "/_emulator/faults",
        data=json.dumps(rules).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Basic {token}"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status < 300


# Endless answers are paced, and calls carry a `timeout` as a safety net, so a client
# without the cap fails with a timeout after a bounded read.
ENDLESS = {"path": "/ping", "action": "endless", "bytes": 65536, "interval_ms": 2}


def test_an_endless_answer_raises_response_error(fault_emulator: Emulator) -> None:
    set_faults(fault_emulator, [ENDLESS])
    c = cldkit.Client.from_url(fault_emulator.cloudinary_url + "&max_response_bytes=1000000")
    start = time.monotonic()
    with pytest.raises(cldkit.ResponseError) as e:
        c.ping(max_retries=0, timeout=20)
    assert time.monotonic() - start < 10
    assert e.value.code == "response"
    assert "max_response_bytes" in str(e.value) and "1000000" in str(e.value)
    # The per-call option.
    with pytest.raises(cldkit.ResponseError) as e:
        c.ping(max_retries=0, timeout=20, max_response_bytes=50_000)
    assert "50000" in str(e.value)


def test_an_answer_trickling_past_the_timeout_raises_timeout_error(
    fault_emulator: Emulator,
) -> None:
    set_faults(
        fault_emulator,
        [{"path": "/ping", "action": "trickle", "bytes": 1, "interval_ms": 250}],
    )
    c = cldkit.Client.from_url(fault_emulator.cloudinary_url + "&read_timeout=1")
    start = time.monotonic()
    with pytest.raises(cldkit.RequestTimeoutError) as e:
        c.ping(max_retries=0, timeout=1)
    assert 1 <= time.monotonic() - start < 1.5
    assert e.value.code == "timeout" and "`timeout`" in str(e.value)


def test_pages_stop_when_the_server_repeats_a_cursor(fault_emulator: Emulator) -> None:
    c = cldkit.Client.from_url(fault_emulator.cloudinary_url)
    for i in range(2):
        c.upload(b"x" * 10, public_id=f"pg/{i}", resource_type="raw", filename="x.txt")
    # The emulator checks cursors: the fault hands out a real one, again and again.
    first = c.resources(resource_type="raw", max_results=1)["next_cursor"]
    set_faults(
        fault_emulator,
        [{"method": "GET", "path": "/resources/raw", "action": "cursor", "cursor": first}],
    )
    seen = 0
    with pytest.raises(cldkit.ResponseError) as e:
        for _ in c.pages("resources", resource_type="raw", max_results=1, max_retries=0):
            seen += 1
            assert seen < 10, "paging did not stop"
    assert seen == 2 and "next_cursor" in str(e.value)
