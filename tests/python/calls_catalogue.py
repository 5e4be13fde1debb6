"""The call catalogue as `cldkit calls --json` prints it (the CLI binary is
`$CLDKIT_BIN`, else the debug build in `$CARGO_TARGET_DIR` or target/, built by
bindings-python/ci.sh)."""

import json
import os
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List

REPO_ROOT = Path(__file__).resolve().parents[2]


def cli_binary() -> Path:
    explicit = os.environ.get("CLDKIT_BIN")
    if explicit:
        return Path(explicit)
    target = os.environ.get("CARGO_TARGET_DIR") or str(REPO_ROOT / "target")
    return Path(target) / "debug" / "cldkit"


@lru_cache(maxsize=1)
def rows() -> List[Dict[str, Any]]:
    """Every row of the catalogue."""
    binary = cli_binary()
    assert binary.is_file(), f"cldkit CLI not found at {binary}: run bindings-python/ci.sh or set CLDKIT_BIN"
    out = subprocess.run([str(binary), "calls", "--json"], capture_output=True, text=True, check=True)
    doc = json.loads(out.stdout)
    assert doc["version"] == 1
    calls: List[Dict[str, Any]] = doc["calls"]
    return calls


def is_network(row: Dict[str, Any]) -> bool:
    """A network row: `network` where the catalogue prints it, else an `http` entry."""
    return bool(row.get("network", row.get("http") is not None))
