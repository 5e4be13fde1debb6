"""Fidelity test: the official Python SDK (cloudinary==1.46.3), unchanged, against the
cldkit emulator. Usage: python fidelity.py CLOUDINARY_URL  (upload_prefix set in it)."""
import http.server
import io
import json
import os
import threading
import time
import struct
import sys
import tempfile
import urllib.error
import urllib.request
import zlib

import cloudinary
import cloudinary.api
import cloudinary.exceptions
import cloudinary.uploader
import cloudinary.utils
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


def image_size(data):
    """Width and height of a PNG or JPEG (IHDR, or the first SOFn marker)."""
    if data[1:4] == b"PNG":
        return struct.unpack(">II", data[16:24])
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            return (w, h)
        i += 2 + struct.unpack(">H", data[i + 2:i + 4])[0]
    return None


def fetch(url):
    """GET a delivery URL: (status, content type, body)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status, resp.headers.get("Content-Type"), resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type"), e.read()


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

    # uploader.text: an image of the text, answered like an upload (delivery type text).
    tx = cloudinary.uploader.text("Hello fidelity", public_id="fid/text", font_family="Arial",
                                  font_size=30, font_color="#ff0000", font_weight="bold")
    check("text public_id/type/format",
          tx["public_id"] == "fid/text" and tx["type"] == "text" and tx["format"] == "png", tx)
    check("text size follows the text", tx["width"] > 14 * 15 and tx["height"] >= 30, tx)
    check("text url", tx["secure_url"].endswith("/image/text/v%d/fid/text.png" % tx["version"]), tx)
    check("text signature verifies",
          cloudinary.utils.verify_api_response_signature(tx["public_id"], tx["version"], tx["signature"]))
    small = cloudinary.uploader.text("Hello fidelity", font_size=10)
    check("text smaller font, smaller image", small["width"] < tx["width"] and small["height"] < tx["height"], small)
    check("text resource", cloudinary.api.resource("fid/text", type="text")["width"] == tx["width"])
    check("text destroy", cloudinary.uploader.destroy("fid/text", type="text")["result"] == "ok")

    # update_resources_access_mode_by_ids/_by_tag/_by_prefix: absent from pycloudinary
    # 1.46.3 (Node has them), so through the SDK's own Admin call when missing.
    def access_mode(mode, by_key, value):
        fn = getattr(cloudinary.api, "update_resources_access_mode_" + by_key, None)
        if fn is not None:
            return fn(mode, value)
        key = {"by_ids": "public_ids", "by_tag": "tag", "by_prefix": "prefix"}[by_key]
        return cloudinary.api.call_api("post", ["resources", "image", "upload", "update_access_mode"],
                                       {"access_mode": mode, key: value})
    am = access_mode("authenticated", "by_ids", ["fid/renamed", "fid/none"])
    check("access mode by ids", am["updated"] == [{"public_id": "fid/renamed", "access_mode": "authenticated"}]
          and [f["public_id"] for f in am["failed"]] == ["fid/none"], am)
    check("resource shows access_mode", cloudinary.api.resource("fid/renamed")["access_mode"] == "authenticated")
    am = access_mode("public", "by_tag", "kitten")
    check("access mode by tag", am["updated"] == [{"public_id": "fid/renamed", "access_mode": "public"}], am)
    am = access_mode("authenticated", "by_prefix", "fid/ren")
    check("access mode by prefix", [u["public_id"] for u in am["updated"]] == ["fid/renamed"], am)
    check("access mode persisted", cloudinary.api.resource("fid/renamed")["access_mode"] == "authenticated")
    try:
        access_mode("private", "by_ids", ["fid/renamed"])
        check("bad access_mode 400", False)
    except cloudinary.exceptions.BadRequest as ex:
        check("bad access_mode 400", "access_mode" in str(ex), str(ex))

    d = cloudinary.uploader.destroy("fid/renamed")
    check("destroy ok", d["result"] == "ok", d)
    d = cloudinary.uploader.destroy("fid/renamed")
    check("destroy not found", d["result"] == "not found", d)
    dr = cloudinary.api.delete_resources(["fid/big.bin"], resource_type="raw")
    check("delete_resources", dr["deleted"] == {"fid/big.bin": "deleted"}, dr)

    # Issue 18: answers carry URLs on the emulator, the SDK builds URLs the emulator serves
    # from the printed CLOUDINARY_URL (cname; pycloudinary's secure is unset = http), a
    # small video, responsive breakpoints.
    base = cfg.upload_prefix
    host = base.split("://", 1)[1]
    check("printed url names the emulator for delivery", cfg.cname == host and cfg.secure_distribution == host,
          (cfg.cname, cfg.secure_distribution))
    with open(img_path, "rb") as f:
        img = f.read()
    media = os.path.join(os.path.dirname(os.path.abspath(__file__)), "media")
    dv = cloudinary.uploader.upload(img_path, public_id="fid18/deliver", overwrite=True)
    answer = "%s/%s/image/upload/v%d/fid18/deliver.png" % (base, cfg.cloud_name, dv["version"])
    check("answer url on the emulator", dv["url"] == answer and dv["secure_url"] == answer, dv)
    status, _, body = fetch(dv["secure_url"])
    check("answer secure_url served", status == 200 and body == img, status)
    built, _ = cloudinary.utils.cloudinary_url("fid18/deliver", format="png", version=dv["version"])
    check("SDK url is the answer url", built == dv["url"], built)
    status, _, body = fetch(built)
    check("SDK url served", status == 200 and body == img, status)
    scaled = cloudinary.CloudinaryImage("fid18/deliver").build_url(width=10, crop="scale", format="png")
    status, _, body = fetch(scaled)
    check("SDK transformation url rendered", status == 200 and image_size(body) == (10, 5), (status, scaled))
    check("Admin resource url on the emulator", cloudinary.api.resource("fid18/deliver")["secure_url"] == answer)

    mp4_path = os.path.join(media, "sample.mp4")
    with open(mp4_path, "rb") as f:
        mp4 = f.read()
    vid = cloudinary.uploader.upload(mp4_path, resource_type="video", public_id="fid18/clip")
    check("video size", (vid["width"], vid["height"], vid["format"]) == (32, 32, "mp4"), vid)
    check("video duration and frame rate",
          (vid.get("duration"), vid.get("frame_rate"), vid.get("nb_frames")) == (0.5, 10.0, 5), vid)
    check("video codec", vid.get("video", {}).get("codec") == "h264" and vid.get("is_audio") is False, vid)
    vurl, _ = cloudinary.utils.cloudinary_url("fid18/clip", resource_type="video", format="mp4",
                                              version=vid["version"])
    status, ctype, body = fetch(vurl)
    check("SDK video url served", status == 200 and ctype == "video/mp4" and body == mp4, (status, vurl))
    thumb = cloudinary.CloudinaryVideo("fid18/clip").video_thumbnail(width=16, crop="scale")
    status, ctype, body = fetch(thumb)
    check("video_thumbnail is a jpg of the asked size",
          thumb.endswith(".jpg") and status == 200 and ctype == "image/jpeg" and image_size(body) == (16, 16),
          (status, thumb))
    wb = cloudinary.uploader.upload(os.path.join(media, "sample.webm"), resource_type="auto",
                                    public_id="fid18/wclip")
    check("webm auto upload", (wb["resource_type"], wb["format"], wb["width"], wb["height"], wb.get("duration"))
          == ("video", "webm", 64, 48, 0.5) and wb["video"]["codec"] == "vp8", wb)
    status, _, body = fetch(cloudinary.CloudinaryVideo("fid18/wclip").build_url(format="png"))
    check("webm frame as png", status == 200 and image_size(body) == (64, 48), status)

    bp_path = os.path.join(tmp, "bp.png")
    with open(bp_path, "wb") as f:
        f.write(png(200, 100))

    def check_breakpoints(name, entry, max_width, limit):
        bps = entry["breakpoints"]
        widths = [b["width"] for b in bps]
        check("%s: widest first, at most max_images" % name,
              1 <= len(bps) <= limit and widths[0] == max_width and widths == sorted(widths, reverse=True)
              and len(set(widths)) == len(widths), widths)
        for b in bps:
            status, _, body = fetch(b["secure_url"])
            check("%s: w_%d served" % (name, b["width"]),
                  status == 200 and len(body) == b["bytes"] and image_size(body) == (b["width"], b["height"])
                  and b["url"].startswith(base), (status, b))

    bp = cloudinary.uploader.upload(bp_path, public_id="fid18/bp", responsive_breakpoints=[
        dict(create_derived=True, bytes_step=500, min_width=20, max_width=200, max_images=4)])
    bpl = bp.get("responsive_breakpoints") or []
    check("breakpoints answered", len(bpl) == 1, bp)
    if bpl:
        check_breakpoints("upload breakpoints", bpl[0], 200, 4)
        check("upload breakpoints found more than one", len(bpl[0]["breakpoints"]) > 1, bpl[0])
    bpx = cloudinary.uploader.explicit("fid18/bp", type="upload", responsive_breakpoints=[
        dict(create_derived=True, transformation=dict(width=100, height=100, crop="fill"), bytes_step=500,
             max_images=3),
        dict(create_derived=False, max_width=1000, bytes_step=100000000)])
    ent = bpx.get("responsive_breakpoints") or []
    check("explicit breakpoints: one entry per setting",
          len(ent) == 2 and ent[0].get("transformation") == "c_fill,h_100,w_100", bpx)
    if len(ent) == 2:
        check_breakpoints("explicit breakpoints", ent[0], 100, 3)
        check("explicit breakpoints: original width when max_width is larger",
              [b["width"] for b in ent[1]["breakpoints"]] == [200], ent[1])
    try:
        cloudinary.uploader.upload(img_path, public_id="fid18/badbp", responsive_breakpoints=[dict(max_images=500)])
        check("bad breakpoints 400", False)
    except cloudinary.exceptions.BadRequest as ex:
        check("bad breakpoints 400", "responsive_breakpoints" in str(ex), str(ex))

    check_notifications(img_path)

    print(f"{PASSED} passed, {FAILED} failed")
    return 0 if FAILED == 0 else 1


NOTIFICATION_EVENTS = ["upload", "eager", "rename", "resource_tags_changed", "resource_context_changed",
                       "resource_metadata_changed", "resource_display_name_changed", "moderation", "delete"]


def check_notifications(img_path):
    """Every event type reaches a trigger created through the Admin API (and the per-call
    notification_url), once, signed so that the SDK's verify_notification_signature accepts it."""
    hits = []

    class Hook(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            hits.append((self.path, self.headers.get("X-Cld-Timestamp"), self.headers.get("X-Cld-Signature"), body))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    hook = "http://127.0.0.1:%d" % server.server_address[1]
    try:
        created = []
        for event in NOTIFICATION_EVENTS:
            t = cloudinary.api.create_trigger(f"{hook}/trigger/{event}", event)
            created.append(t["id"])
        check("create_trigger for each event type", len(created) == len(NOTIFICATION_EVENTS))
        cloudinary.uploader.upload(img_path, public_id="fidn/one", notification_url=f"{hook}/call")
        cloudinary.uploader.explicit("fidn/one", type="upload", eager=[dict(width=5, crop="scale")],
                                     eager_async=True, eager_notification_url=f"{hook}/call")
        cloudinary.uploader.rename("fidn/one", "fidn/two")
        cloudinary.uploader.add_tag("red", ["fidn/two"])
        cloudinary.uploader.add_context({"alt": "hi"}, ["fidn/two"])
        cloudinary.uploader.update_metadata({"color": "blue"}, ["fidn/two"])
        cloudinary.api.update("fidn/two", display_name="Shown")
        cloudinary.api.update("fidn/two", moderation_status="approved")
        cloudinary.uploader.destroy("fidn/two")
        expected = len(NOTIFICATION_EVENTS) + 2
        deadline = time.time() + 15
        while len(hits) < expected and time.time() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        for event in NOTIFICATION_EVENTS:
            got = [h for h in hits if h[0] == f"/trigger/{event}"]
            ok = len(got) == 1
            if ok:
                _, ts, sig, body = got[0]
                ok = (cloudinary.utils.verify_notification_signature(body.decode(), int(ts), sig)
                      and json.loads(body)["notification_type"] == event)
            check(f"notification {event}: once, signed, verified", ok, [h[0] for h in hits])
        calls = [json.loads(h[3])["notification_type"] for h in hits if h[0] == "/call"]
        check("per-call notification_url: upload and eager", calls == ["upload", "eager"], calls)
        check("no other notifications", len(hits) == expected, [h[0] for h in hits])
        for trigger_id in created:
            cloudinary.api.delete_trigger(trigger_id)
    finally:
        server.shutdown()


if __name__ == "__main__":
    sys.exit(main())
