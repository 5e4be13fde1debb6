"""Checks an installed cldkit wheel the way a user meets it (run by tests/dist/ci.sh).

Runs with the venv's Python in an empty folder, so ``import cldkit`` can only find the
installed package. Env: CLDKIT_VERSION (expected), CLOUDINARY_URL (a local emulator),
CLDKIT_SAMPLE (conformance cases, JSON Lines). Prints one line per check; any failure
raises.
"""

import importlib.metadata
import json
import os
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compare import compare  # noqa: E402  (tests/dist/compare.py)

import cldkit  # noqa: E402

version = os.environ["CLDKIT_VERSION"]
package = Path(cldkit.__file__).resolve().parent


def ok(what: str) -> None:
    print(f"python: ok  {what}")


# The installed package, not a checkout, at the release version.
assert "site-packages" in package.parts, package
assert cldkit.__version__ == version, (cldkit.__version__, version)
assert importlib.metadata.version("cldkit") == version
ok(f"import cldkit {cldkit.__version__} from {package}")
for name in ("py.typed", "_native.pyi"):
    assert (package / name).is_file(), f"{name} missing from the wheel"
ok("py.typed and _native.pyi ship in the wheel")

# A URL (no network).
client = cldkit.Client(cloud_name="demo", analytics=False)
url = client.url("sample.jpg", width=300, height=200, crop="fill")
assert url == "https://res.cloudinary.com/demo/image/upload/c_fill,h_200,w_300/sample.jpg", url
ok(f"url {url}")

# An upload to the emulator, read back through the Admin API and delivery.
cloudinary_url = os.environ["CLOUDINARY_URL"]
base = urllib.parse.parse_qs(urllib.parse.urlsplit(cloudinary_url).query)["upload_prefix"][0]
cloud = urllib.parse.urlsplit(cloudinary_url).hostname
api = cldkit.Client.from_url(cloudinary_url)
payload = os.urandom(3000)
public_id = "dist-check-python.bin"
result = api.upload(payload, public_id=public_id, resource_type="raw")
assert result["public_id"] == public_id and result["bytes"] == len(payload), result
assert api.resource(public_id, resource_type="raw")["bytes"] == len(payload)
with urllib.request.urlopen(f"{base}/{cloud}/raw/upload/{public_id}", timeout=30) as r:
    assert r.read() == payload
ok(f"upload of {len(payload)} bytes to the emulator, read back (Admin API, delivery)")

# The conformance driver that ships in the wheel, on the corpus sample.
sample = Path(os.environ["CLDKIT_SAMPLE"])
out = subprocess.run(
    [sys.executable, "-m", "cldkit.conformance", "--profile", "python"],
    input=sample.read_bytes(),
    capture_output=True,
    check=True,
).stdout
n = compare(sample.read_text(encoding="utf-8"), out.decode("utf-8"))
ok(f"python -m cldkit.conformance: {n} sample cases match")
