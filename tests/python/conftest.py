"""Shared fixtures: where the conformance corpus is, and local Cloudinary emulators
(the `cldkit-emulator` binary, `$CLDKIT_EMULATOR`, built by bindings-python/ci.sh)."""

import os
import subprocess
import tempfile
import urllib.parse
from pathlib import Path
from typing import Iterator, List

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def corpus_dir() -> Path:
    """`$CLDKIT_SHARED/conformance`, default `../shared` next to the repo root."""
    shared = os.environ.get("CLDKIT_SHARED") or str(REPO_ROOT.parent / "shared")
    return Path(shared) / "conformance"


@pytest.fixture(scope="session")
def corpus() -> Path:
    d = corpus_dir()
    assert d.is_dir(), f"conformance corpus not found at {d} (set CLDKIT_SHARED)"
    return d


def emulator_binary() -> Path:
    """`$CLDKIT_EMULATOR`, else the debug build in `$CARGO_TARGET_DIR` (or target/)."""
    explicit = os.environ.get("CLDKIT_EMULATOR")
    if explicit:
        return Path(explicit)
    target = os.environ.get("CARGO_TARGET_DIR") or str(REPO_ROOT / "target")
    return Path(target) / "debug" / "cldkit-emulator"


class Emulator:
    """A running `cldkit-emulator` process on a free loopback port."""

    def __init__(self, *flags: str) -> None:
        binary = emulator_binary()
        assert binary.is_file(), (
            f"emulator not found at {binary}: run bindings-python/ci.sh or set CLDKIT_EMULATOR"
        )
        self._data = tempfile.TemporaryDirectory(prefix="cldkit-py-emu-")
        self.proc = subprocess.Popen(
            [str(binary), "--port", "0", "--data", self._data.name, *flags],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        assert line.startswith("CLOUDINARY_URL="), f"unexpected emulator output {line!r}"
        #: `cloudinary://key:secret@cloud?upload_prefix=http://127.0.0.1:PORT`.
        self.cloudinary_url = line.split("=", 1)[1]
        query = urllib.parse.urlsplit(self.cloudinary_url).query
        #: `http://127.0.0.1:PORT`.
        self.base_url = urllib.parse.parse_qs(query)["upload_prefix"][0]
        parts = urllib.parse.urlsplit(self.cloudinary_url)
        #: The account's API secret (tests check it never leaks).
        self.api_secret = urllib.parse.unquote(parts.password or "")

    def set_faults(self, rules: List[dict]) -> None:  # type: ignore[type-arg]
        """Replaces the fault-injection rules (authenticated as the account)."""
        import base64
        import json
        import urllib.request

        key = urllib.parse.unquote(urllib.parse.urlsplit(self.cloudinary_url).username or "")
        token = base64.b64encode(f"{key}:{self.api_secret}".encode()).decode()
        req = urllib.request.Request(
            self.base_url + "/_emulator/faults",
            data=json.dumps(rules).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Basic {token}"},
            method="POST",
        )
        with urllib.request.urlopen(req, timeout=10) as r:
            assert r.status < 300

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self._data.cleanup()


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    emu = Emulator()
    try:
        yield emu
    finally:
        emu.stop()


@pytest.fixture
def fault_emulator() -> Iterator[Emulator]:
    """A fresh emulator per test, for fault injection."""
    emu = Emulator()
    try:
        yield emu
    finally:
        emu.stop()


@pytest.fixture(scope="session")
def budget_emulator() -> Iterator[Emulator]:
    """An emulator whose Admin API budget is 3 calls an hour."""
    emu = Emulator("--hourly-budget", "3")
    try:
        yield emu
    finally:
        emu.stop()
