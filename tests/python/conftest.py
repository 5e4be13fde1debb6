"""Shared fixtures: where the conformance corpus is."""

import os
from pathlib import Path

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
