"""cldkit (Python package) vs pycloudinary 1.46.3, one interleaved run.

Run in a virtualenv that has both packages (this script installs nothing):

    python bench/python_vs_pycloudinary.py [--rounds 15] [--calls 2000]

Workloads (issue 5, section 6):
  W1  delivery URL of sample.jpg {width 300, height 200, crop fill}
  W2  a 4-step chained transformation (fill/face, text overlay, sepia, auto
      quality/format) with sign_url
  W3  api_sign_request on the 10 parameters of the signing issue
  import  `python -c "import X"` minus `python -c "pass"` (best of N)

Before timing, the outputs of both libraries are checked to be identical (cldkit in
the "python" profile). Each round times every workload with both libraries back to
back; the per-call time reported is the best round, so both see the same machine
load. Ratio = pycloudinary / cldkit.
"""

import argparse
import subprocess
import sys
import time
from typing import Any, Callable, Dict, List, Tuple

import cloudinary
import cloudinary.utils

import cldkit
from cldkit import compat

CONFIG = {"cloud_name": "demo", "api_key": "1234567890", "api_secret": "abcd"}

W2_CHAIN: List[Dict[str, Any]] = [
    {"width": 500, "height": 500, "crop": "fill", "gravity": "face"},
    {
        "overlay": {"font_family": "Arial", "font_size": 40, "text": "Hello World"},
        "gravity": "south_east",
        "x": 10,
        "y": 10,
        "color": "white",
    },
    {"effect": "sepia:50"},
    {"quality": "auto", "fetch_format": "auto"},
]

W3_PARAMS: Dict[str, Any] = {
    "timestamp": 1700000000,
    "public_id": "folder/sample",
    "folder": "folder",
    "tags": "a,b,c",
    "context": "caption=Hello|alt=World",
    "eager": "c_fill,h_200,w_300|e_sepia",
    "overwrite": True,
    "invalidate": True,
    "notification_url": "https://example.com/notify",
    "upload_preset": "preset1",
}

TARGETS = {"W1": 50.0, "W2": 40.0, "W3": 2.0}


def workloads() -> List[Tuple[str, Callable[[], Any], Callable[[], Any]]]:
    """(name, pycloudinary call, cldkit call) per workload."""
    cloudinary.config(**CONFIG)
    client = cldkit.Client(profile="python", **CONFIG)
    py_url = cloudinary.utils.cloudinary_url
    py_sign = cloudinary.utils.api_sign_request
    ck_url = client.url
    ck_sign = cldkit.api_sign_request
    chain = W2_CHAIN
    params = W3_PARAMS
    return [
        (
            "W1",
            lambda: py_url("sample.jpg", width=300, height=200, crop="fill")[0],
            lambda: ck_url("sample.jpg", width=300, height=200, crop="fill"),
        ),
        (
            "W2",
            lambda: py_url("sample.jpg", transformation=chain, sign_url=True)[0],
            lambda: ck_url("sample.jpg", transformation=chain, sign_url=True),
        ),
        (
            "W3",
            lambda: py_sign(params, "abcd"),
            lambda: ck_sign(params, "abcd"),
        ),
        (
            "W1 compat",
            lambda: py_url("sample.jpg", width=300, height=200, crop="fill"),
            lambda: compat.cloudinary_url("sample.jpg", width=300, height=200, crop="fill"),
        ),
    ]


def check_identical() -> None:
    """Fails unless both libraries produce the same outputs."""
    compat.config(**CONFIG)
    for name, py, ck in workloads():
        a, b = py(), ck()
        if a != b:
            sys.exit(f"{name}: outputs differ\n  pycloudinary: {a!r}\n  cldkit:       {b!r}")
        print(f"{name:10} identical: {a!r}"[:160])


def per_call_us(f: Callable[[], Any], calls: int) -> float:
    """Mean µs per call over one batch."""
    t = time.perf_counter()
    for _ in range(calls):
        f()
    return (time.perf_counter() - t) / calls * 1e6


def import_ms(code: str, runs: int) -> float:
    """Best wall time in ms of `python -c code`."""
    best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        best = min(best, time.perf_counter() - t)
    return best * 1000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--calls", type=int, default=2000)
    ap.add_argument("--import-runs", type=int, default=15)
    args = ap.parse_args()

    check_identical()
    loads = workloads()
    best: Dict[str, List[float]] = {n: [float("inf"), float("inf")] for n, _, _ in loads}
    for _ in range(args.rounds):
        for name, py, ck in loads:
            # Fewer pycloudinary calls per batch: it is the slow side.
            best[name][0] = min(best[name][0], per_call_us(py, max(args.calls // 20, 50)))
            best[name][1] = min(best[name][1], per_call_us(ck, args.calls))

    print()
    print(f"{'workload':10} {'pycloudinary µs':>16} {'cldkit µs':>10} {'ratio':>8} {'target':>8}")
    failed = False
    for name, (py_us, ck_us) in best.items():
        ratio = py_us / ck_us
        target = TARGETS.get(name)
        mark = ""
        if target is not None:
            mark = f"≥{target:g}×" + (" ok" if ratio >= target else " MISSED")
            failed |= ratio < target
        print(f"{name:10} {py_us:16.2f} {ck_us:10.3f} {ratio:7.1f}× {mark:>8}")

    bare = import_ms("pass", args.import_runs)
    ck_imp = import_ms("import cldkit", args.import_runs) - bare
    py_imp = import_ms("import cloudinary", args.import_runs) - bare
    ok = ck_imp <= 20
    failed |= not ok
    print(
        f"{'import':10} {py_imp:14.1f}ms {ck_imp:8.1f}ms {py_imp / max(ck_imp, 0.01):7.1f}× "
        f"{'≤20ms ' + ('ok' if ok else 'MISSED'):>8}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
