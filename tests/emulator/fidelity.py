"""Fidelity test: the official Python SDK (cloudinary==1.46.3), unchanged, against the
cldkit emulator. Usage: python fidelity.py CLOUDINARY_URL  (upload_prefix set in it)."""
import io
import os
import struct
import sys
import tempfile
import zlib

import cloudinary
import cloudinary.api
import cloudinary.exceptions
import cloudinary.uploader
from cloudinary.search import Search

PASSED = 0
FAILED = 0


def check(name, cond, detail=""):
    global PASSED, FAILED
    if cond:
        PASSED += 1
        print(f"ok   {name}")
    else:
        FAILED += 1
        print(f"FAIL {name} {detail}")


def png(width, height):
    """A small valid RGB PNG."""
    raw = b"".join(b"\x00" + bytes(
        [v for x in range(width) for v in ((x * 7) % 256, (y * 5) % 256, 128)]) for y in range(height))
    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def main():
    url = sys.argv[1]
    os.environ["CLOUDINARY_URL"] = url
    cloudinary.reset_config()
    cfg = cloudinary.config()
    check("config has upload_prefix", cfg.upload_prefix and cfg.upload_prefix.startswith("http://127.0.0.1"))

    tmp = tempfile.mkdtemp()
    img_path = os.path.join(tmp, "tiny.png")
    with open(img_path, "wb") as f:
        f.write(png(40, 20))

    r = cloudinary.uploader.upload(img_path, public_id="fid/sample", tags=["a", "b"],
                                   context={"alt": "a=b|c"}, overwrite=True)
    check("upload width/height", r["width"] == 40 and r["height"] == 20, r)
    check("upload format", r["format"] == "png", r)
    check("upload public_id", r["public_id"] == "fid/sample", r)
    check("upload tags", r["tags"] == ["a", "b"], r)
    check("upload context", r.get("context") == {"custom": {"alt": "a=b|c"}}, r)
    check("upload request_id", "request_id" in r)
    check("response signature verifies",
          cloudinary.utils.verify_api_response_signature(r["public_id"], r["version"], r["signature"]))
    check("secure_url", r["secure_url"].endswith("/image/upload/v%d/fid/sample.png" % r["version"]), r["secure_url"])

    r2 = cloudinary.uploader.upload(img_path, public_id="fid/sample", overwrite=False)
    check("existing with overwrite=False", r2.get("existing") is True, r2)

    # Chunked upload (raw), 2.5 chunks.
    big_path = os.path.join(tmp, "big.bin")
    data = os.urandom(2_500_000)
    with open(big_path, "wb") as f:
        f.write(data)
    rl = cloudinary.uploader.upload_large(big_path, chunk_size=1_000_000, public_id="fid/big.bin", tags=["t"])
    check("upload_large bytes", rl.get("bytes") == len(data), rl)
    import hashlib
    check("upload_large etag", rl.get("etag") == hashlib.md5(data).hexdigest(), rl)
    check("upload_large raw", rl.get("resource_type") == "raw", rl)

    e = cloudinary.uploader.explicit("fid/sample", type="upload", tags=["x"], eager=[{"width": 10, "crop": "scale"}])
    check("explicit", e["public_id"] == "fid/sample" and e["tags"] == ["x"], e)

    t = cloudinary.uploader.add_tag("kitten", ["fid/sample"])
    check("add_tag", t.get("public_ids") == ["fid/sample"], t)
    t = cloudinary.uploader.remove_tag("x", ["fid/sample"])
    check("remove_tag", t.get("public_ids") == ["fid/sample"], t)
    c = cloudinary.uploader.add_context({"k": "v"}, ["fid/sample"])
    check("add_context", c.get("public_ids") == ["fid/sample"], c)

    rn = cloudinary.uploader.rename("fid/sample", "fid/renamed")
    check("rename", rn["public_id"] == "fid/renamed", rn)

    res = cloudinary.api.resources(type="upload", prefix="fid/", max_results=10, tags=True)
    ids = [x["public_id"] for x in res["resources"]]
    check("resources by prefix", "fid/renamed" in ids, res)
    check("rate limit headers", isinstance(res.rate_limit_allowed, int) and res.rate_limit_remaining >= 0)
    page1 = cloudinary.api.resources(type="upload", max_results=1, resource_type="image")
    check("next_cursor", page1.get("next_cursor") is None or isinstance(page1.get("next_cursor"), str))
    by_tag = cloudinary.api.resources_by_tag("kitten")
    check("resources_by_tag", [x["public_id"] for x in by_tag["resources"]] == ["fid/renamed"], by_tag)
    one = cloudinary.api.resource("fid/renamed")
    check("resource details", one["public_id"] == "fid/renamed" and one["width"] == 40, one)
    tags = cloudinary.api.tags()
    check("tags list", "kitten" in tags["tags"], tags)

    s = Search().expression("resource_type:image AND tags=kitten").sort_by("public_id", "desc") \
        .with_field("tags").max_results(10).execute()
    check("search", s["total_count"] == 1 and s["resources"][0]["public_id"] == "fid/renamed", s)

    u = cloudinary.api.usage()
    check("usage", "storage" in u and u["resources"] >= 2, u)
    check("ping", cloudinary.api.ping().get("status") == "ok")

    cloudinary.api.create_upload_preset(name="unsigned_p", unsigned=True, folder="uns")
    ur = cloudinary.uploader.unsigned_upload(img_path, "unsigned_p")
    check("unsigned upload through preset", ur["public_id"].startswith("uns/"), ur)

    try:
        cloudinary.uploader.upload(img_path, api_secret="wrong")
        check("bad signature rejected", False)
    except cloudinary.exceptions.AuthorizationRequired as ex:
        check("bad signature rejected", "Invalid Signature" in str(ex), str(ex))

    try:
        cloudinary.api.resource("does/not/exist")
        check("missing resource 404", False)
    except cloudinary.exceptions.NotFound:
        check("missing resource 404", True)

    d = cloudinary.uploader.destroy("fid/renamed")
    check("destroy ok", d["result"] == "ok", d)
    d = cloudinary.uploader.destroy("fid/renamed")
    check("destroy not found", d["result"] == "not found", d)
    dr = cloudinary.api.delete_resources(["fid/big.bin"], resource_type="raw")
    check("delete_resources", dr["deleted"] == {"fid/big.bin": "deleted"}, dr)

    print(f"{PASSED} passed, {FAILED} failed")
    return 0 if FAILED == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
