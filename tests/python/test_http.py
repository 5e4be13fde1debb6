"""Uploads, Upload API calls and Admin calls through the public Python API, against
the local emulator: every source kind, chunked uploads with progress and resume,
pagination, asyncio, the GIL released during calls, and error mapping (404, 401 with
a bad secret, 420 from the hourly budget) without the secret ever showing."""

import asyncio
import base64
import io
import json
import os
import pathlib
import signal
import struct
import sys
import threading
import time
import uuid
import zlib
from typing import Any, Dict, List, Optional, Tuple

import pytest

import cldkit
from conftest import Emulator


def png(width: int, height: int) -> bytes:
    """A valid grey PNG of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def uid(prefix: str = "py") -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="module")
def client(emulator: Emulator) -> cldkit.Client:
    return cldkit.Client.from_url(emulator.cloudinary_url)


@pytest.fixture
def image_file(tmp_path: pathlib.Path) -> pathlib.Path:
    p = tmp_path / "dot.png"
    p.write_bytes(png(3, 2))
    return p


# ----- uploads from every kind of source -----


def test_upload_from_str_path_with_progress(
    client: cldkit.Client, image_file: pathlib.Path
) -> None:
    seen: List[Tuple[int, Optional[int]]] = []
    pid = uid()
    r = client.upload(
        str(image_file), public_id=pid, tags=["a", "b"], progress=lambda d, t: seen.append((d, t))
    )
    assert r["public_id"] == pid
    assert (r["width"], r["height"], r["format"]) == (3, 2, "png")
    assert r["bytes"] == image_file.stat().st_size
    assert r["tags"] == ["a", "b"]
    assert r["request_id"]
    size = image_file.stat().st_size
    assert seen and seen[-1] == (size, size)
    # The answer is signed by the server: the client verifies it.
    assert client.verify_api_response(r["public_id"], r["version"], r["signature"])


def test_upload_from_pathlike_keeps_the_file_name(
    client: cldkit.Client, image_file: pathlib.Path
) -> None:
    r = client.upload(image_file, use_filename=True, unique_filename=False)
    assert r["public_id"] == "dot"
    assert r["original_filename"] == "dot"


def test_upload_from_bytes_bytearray_memoryview(client: cldkit.Client) -> None:
    data = png(4, 4)
    for source in (data, bytearray(data), memoryview(data)):
        pid = uid()
        r = client.upload(source, public_id=pid)
        assert (r["public_id"], r["width"], r["bytes"]) == (pid, 4, len(data))


def test_upload_from_file_like_objects(
    client: cldkit.Client, image_file: pathlib.Path
) -> None:
    r = client.upload(io.BytesIO(png(5, 1)), public_id=uid())
    assert r["width"] == 5
    with open(image_file, "rb") as f:
        r = client.upload(f, use_filename=True, unique_filename=False, public_id=None)
    assert r["original_filename"] == "dot"
    # A text-mode file uploads its UTF-8 text (raw resource).
    r = client.upload(io.StringIO("héllo"), resource_type="raw", public_id=uid() + ".txt")
    assert r["bytes"] == len("héllo".encode())


def test_upload_file_like_is_read_in_blocks(client: cldkit.Client) -> None:
    class Reader:
        def __init__(self, data: bytes) -> None:
            self.buf = io.BytesIO(data)
            self.sizes: List[int] = []

        def read(self, n: int = -1) -> bytes:
            self.sizes.append(n)
            return self.buf.read(n)

    reader = Reader(b"z" * (3 << 20))
    r = client.upload(reader, resource_type="raw", public_id=uid())
    assert r["bytes"] == 3 << 20
    # Never asked for the whole file at once.
    assert all(0 < n <= 1 << 20 for n in reader.sizes) and len(reader.sizes) >= 3


def test_upload_from_remote_url_and_data_uri(
    client: cldkit.Client, emulator: Emulator
) -> None:
    data = png(2, 3)
    uri = "data:image/png;base64," + base64.b64encode(data).decode()
    first = client.upload(uri, public_id=uid())
    assert (first["width"], first["height"]) == (2, 3)
    # A loopback http URL (the emulator's own delivery of that asset) is fetched.
    path = first["url"].split("://", 1)[1].split("/", 1)[1]
    second = client.upload(f"{emulator.base_url}/{path}", public_id=uid())
    assert second["bytes"] == len(data) and second["etag"] == first["etag"]


def test_unsigned_upload_with_a_preset(client: cldkit.Client) -> None:
    name = uid("preset")
    client.create_upload_preset(name=name, unsigned=True, tags="from_preset")
    r = client.upload(png(1, 1), upload_preset=name, unsigned=True)
    assert "from_preset" in r["tags"]
    client.delete_upload_preset(name)


# ----- chunked uploads -----


def test_chunked_upload_of_a_file_above_the_chunk_size(
    client: cldkit.Client, tmp_path: pathlib.Path
) -> None:
    p = tmp_path / "big.bin"
    p.write_bytes(bytes(range(256)) * 1200)  # 307,200 bytes
    seen: List[Tuple[int, Optional[int]]] = []
    tokens: List[str] = []
    r = client.upload(
        p,
        resource_type="raw",
        public_id=uid() + ".bin",
        chunk_size=100_000,
        allow_small_chunks=True,
        parallel=2,
        progress=lambda d, t: seen.append((d, t)),
        checkpoint=tokens.append,
    )
    assert r["bytes"] == 307_200
    assert seen[-1] == (307_200, 307_200)
    assert len(tokens) >= 3
    assert json.loads(tokens[-1])["total"] == 307_200


def test_chunked_upload_of_a_stream_of_unknown_length(client: cldkit.Client) -> None:
    seen: List[Tuple[int, Optional[int]]] = []
    r = client.upload(
        io.BytesIO(b"s" * 250_000),
        resource_type="raw",
        public_id=uid(),
        chunk_size=100_000,
        allow_small_chunks=True,
        progress=lambda d, t: seen.append((d, t)),
    )
    assert r["bytes"] == 250_000
    assert seen[0][1] is None and seen[-1] == (250_000, 250_000)


def test_chunk_size_below_the_minimum_is_refused(client: cldkit.Client) -> None:
    with pytest.raises(cldkit.InvalidOptionError) as e:
        client.upload(b"x" * 10, chunk_size=1000)
    assert e.value.option == "chunk_size"
    with pytest.raises(cldkit.InvalidOptionError):
        client.upload(b"x", chunk_size=0)
    with pytest.raises(cldkit.InvalidOptionError) as e:
        client.upload(b"x", parallel=-1)
    assert e.value.option == "parallel"


def test_failed_chunked_upload_resumes_from_its_token(
    fault_emulator: Emulator, tmp_path: pathlib.Path
) -> None:
    c = cldkit.Client.from_url(fault_emulator.cloudinary_url)
    p = tmp_path / "resume.bin"
    p.write_bytes(b"r" * 300_000)
    fault_emulator.set_faults(
        [{"path": "/upload", "nth": 2, "action": "status", "status": 400, "message": "boom"}]
    )
    opts: Dict[str, Any] = dict(
        resource_type="raw", public_id="resumed", chunk_size=100_000, allow_small_chunks=True
    )
    # The emulator answers the fault before reading the chunk, so the client sees
    # either that 400 or (when the answer races the body) a reset connection, which
    # it would retry: no retries here, so the upload stops at chunk 2 either way.
    with pytest.raises(cldkit.HttpError) as e:
        c.upload(p, max_retries=0, **opts)
    assert e.value.code in ("bad_request", "network")
    token = e.value.resume_token
    assert token is not None and json.loads(token)["confirmed"] == [[0, 99_999]]
    seen: List[int] = []
    r = c.upload(p, resume=token, progress=lambda d, t: seen.append(d), **opts)
    assert r["bytes"] == 300_000 and r["public_id"] == "resumed"
    assert seen[0] == 100_000  # the confirmed chunk counts as sent
    with pytest.raises(cldkit.InvalidOptionError):
        c.upload(p, resume="not a token", **opts)


def test_resume_file_is_removed_on_success(
    client: cldkit.Client, tmp_path: pathlib.Path
) -> None:
    p = tmp_path / "rf.bin"
    p.write_bytes(b"f" * 250_000)
    token_file = tmp_path / "upload.token"
    r = client.upload(
        p,
        resource_type="raw",
        public_id=uid(),
        chunk_size=100_000,
        allow_small_chunks=True,
        resume_file=token_file,
    )
    assert r["bytes"] == 250_000
    assert not token_file.exists()


# ----- callbacks and sources that fail -----


def test_exception_in_progress_callback_does_not_stop_the_upload(
    client: cldkit.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    reported: List[BaseException] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: reported.append(u.exc_value))

    def progress(done: int, total: Optional[int]) -> None:
        raise ValueError("callback bug")

    r = client.upload(b"p" * 1000, resource_type="raw", public_id=uid(), progress=progress)
    assert r["bytes"] == 1000
    assert reported and isinstance(reported[0], ValueError)


def test_read_error_of_a_file_like_is_a_source_error_with_its_cause(
    client: cldkit.Client,
) -> None:
    class Broken:
        def read(self, n: int = -1) -> bytes:
            raise OSError("disk on fire")

    with pytest.raises(cldkit.SourceError) as e:
        client.upload(Broken(), resource_type="raw")
    assert e.value.code == "io" and e.value.status is None
    assert isinstance(e.value.__cause__, OSError)
    assert "disk on fire" in str(e.value)


def test_bad_sources_and_callbacks_are_typed_errors(client: cldkit.Client) -> None:
    with pytest.raises(cldkit.InvalidOptionError) as e:
        client.upload(12345)  # type: ignore[arg-type]
    assert e.value.option == "file"
    with pytest.raises(cldkit.InvalidOptionError):
        client.upload(b"x", progress="not callable")  # type: ignore[arg-type]
    with pytest.raises(cldkit.SourceError) as se:
        client.upload("/nonexistent/dir/file.png")
    assert se.value.code == "io"
    with pytest.raises(cldkit.SourceError):
        client.upload(pathlib.Path("/"))  # a directory


# ----- the Upload API -----


def test_upload_api_calls(client: cldkit.Client) -> None:
    a, b = uid(), uid()
    client.upload(png(2, 2), public_id=a, tags=["t1"])
    client.upload(png(2, 2), public_id=b)

    r = client.explicit(a, type="upload", tags=["t2", "t3"])
    assert sorted(r["tags"]) == ["t2", "t3"]

    assert client.add_tag("shared", [a, b])["public_ids"] == [a, b]
    assert "shared" in client.resource(b)["tags"]
    client.remove_tag("shared", [b])
    assert "shared" not in client.resource(b)["tags"]
    client.replace_tag("only", [a])
    assert client.resource(a)["tags"] == ["only"]
    client.remove_all_tags([a])
    assert client.resource(a)["tags"] == []

    client.add_context({"alt": "a dot"}, [a])
    assert client.resource(a)["context"]["custom"]["alt"] == "a dot"
    client.remove_all_context([a])
    assert "context" not in client.resource(a)

    # The generic call by SDK name.
    r = client.call_upload_api("add_tag", {"tag": "generic", "public_ids": [a]})
    assert r["public_ids"] == [a]

    renamed = uid()
    r = client.rename(a, renamed)
    assert r["public_id"] == renamed
    assert client.destroy(renamed)["result"] == "ok"
    assert client.destroy(renamed)["result"] == "not found"
    with pytest.raises(cldkit.NotFoundError):
        client.resource(renamed)


def test_call_upload_api_upload_of_a_path_streams_it(
    client: cldkit.Client, image_file: pathlib.Path
) -> None:
    r = client.call_upload_api("upload", {"file": str(image_file)}, public_id="via_call")
    assert r["public_id"] == "via_call" and r["width"] == 3


# ----- the Admin API -----


def test_admin_calls_and_rate_limit_fields(client: cldkit.Client) -> None:
    r = client.ping()
    assert r["status"] == "ok"
    assert r["rate_limit_allowed"] > 0 and r["rate_limit_remaining"] >= 0
    assert isinstance(r["rate_limit_reset_at"], int)
    assert isinstance(client.usage(), dict)
    assert client.admin("ping")["status"] == "ok"
    assert "ping" in cldkit.ADMIN_CALLS and "search" in cldkit.ADMIN_CALLS


def test_resource_update_and_delete(client: cldkit.Client) -> None:
    pid = uid()
    client.upload(png(6, 2), public_id=pid)
    r = client.resource(pid)
    assert (r["public_id"], r["width"], r["height"]) == (pid, 6, 2)
    r = client.update(pid, tags=["upd"], context={"k": "v"})
    assert r["tags"] == ["upd"]
    assert client.admin("resource", {"public_id": pid})["tags"] == ["upd"]
    r = client.delete_resources([pid])
    assert r["deleted"] == {pid: "deleted"}
    with pytest.raises(cldkit.NotFoundError):
        client.resource(pid)


def test_pagination_follows_next_cursor(client: cldkit.Client) -> None:
    prefix = uid("pg")
    ids = [f"{prefix}/{i}" for i in range(7)]
    for pid in ids:
        client.upload(b"raw", resource_type="raw", public_id=pid)
    first = client.resources(resource_type="raw", prefix=prefix, max_results=2)
    assert len(first["resources"]) == 2 and first["next_cursor"]
    second = client.resources(
        resource_type="raw", prefix=prefix, max_results=2, next_cursor=first["next_cursor"]
    )
    assert not {x["public_id"] for x in first["resources"]} & {
        x["public_id"] for x in second["resources"]
    }
    pages = list(client.pages("resources", resource_type="raw", prefix=prefix, max_results=3))
    assert [len(p["resources"]) for p in pages] == [3, 3, 1]
    got = [r["public_id"] for p in pages for r in p["resources"]]
    assert sorted(got) == sorted(ids)
    # Search, one page and all pages.
    found = client.search(f"public_id:{prefix}/*", max_results=10)
    assert found["total_count"] == 7
    pages = list(
        client.pages("search", expression=f"public_id:{prefix}/*", max_results=3)
    )
    assert [len(p["resources"]) for p in pages] == [3, 3, 1]


def test_tags_folders_and_presets(client: cldkit.Client) -> None:
    tag = uid("tag")
    client.upload(png(1, 1), public_id=uid(), tags=[tag])
    assert tag in client.tags(prefix=tag[:6], max_results=500)["tags"]

    folder = uid("fold")
    assert client.create_folder(f"{folder}/sub")["success"] is True
    assert folder in [f["name"] for f in client.root_folders()["folders"]]
    assert [f["path"] for f in client.subfolders(folder)["folders"]] == [f"{folder}/sub"]
    client.delete_folder(f"{folder}/sub")
    assert client.subfolders(folder)["folders"] == []
    assert isinstance(client.search_folders(f"name:{folder}"), dict)

    name = uid("preset")
    client.create_upload_preset(name=name, unsigned=False, tags=["p"])
    assert client.upload_preset(name)["name"] == name
    client.update_upload_preset(name, tags=["q"])
    assert client.upload_preset(name)["settings"]["tags"] == "q"
    assert name in [p["name"] for p in client.upload_presets(max_results=100)["presets"]]
    client.delete_upload_preset(name)
    with pytest.raises(cldkit.NotFoundError):
        client.upload_preset(name)


def test_bad_admin_call_arguments_are_option_errors(client: cldkit.Client) -> None:
    with pytest.raises(cldkit.InvalidOptionError) as e:
        client.admin("no_such_call")
    assert e.value.option == "call"
    with pytest.raises(cldkit.InvalidOptionError) as e:
        client.admin("resource")
    assert e.value.option == "public_id"
    with pytest.raises(cldkit.InvalidOptionError):
        client.admin("ping", ["not", "a", "dict"])  # type: ignore[arg-type]


# ----- errors -----


def test_not_found_maps_to_a_typed_http_error(client: cldkit.Client) -> None:
    with pytest.raises(cldkit.NotFoundError) as e:
        client.resource("missing_asset_xyz")
    err = e.value
    assert isinstance(err, cldkit.HttpError) and isinstance(err, cldkit.Error)
    assert (err.code, err.kind, err.status) == ("not_found", "NotFound", 404)
    assert err.request_id and err.request_id in str(err)
    assert "missing_asset_xyz" in err.message
    assert err.attempts == 1 and err.resume_token is None
    # reset_at comes from the rate-limit headers every Admin answer carries.
    assert err.reset_at is None or isinstance(err.reset_at, int)


def test_bad_secret_is_401_and_the_secret_never_shows(emulator: Emulator) -> None:
    secret = "WRONGsecretVALUE987"
    c = cldkit.Client.from_url(emulator.cloudinary_url).with_config(api_secret=secret)
    errors: List[cldkit.HttpError] = []
    for call in (
        lambda: c.upload(png(1, 1)),
        lambda: c.ping(),
        lambda: c.destroy("x"),
        lambda: list(c.pages("resources")),
    ):
        with pytest.raises(cldkit.AuthorizationError) as e:
            call()
        errors.append(e.value)
    for err in errors:
        assert err.status == 401 and err.code == "authorization"
        text = " ".join(
            [str(err), repr(err), repr(err.args), err.message, repr(vars(err))]
        )
        for s in (secret, emulator.api_secret):
            assert s not in text
    assert secret not in repr(c) and secret not in repr(c.settings())


def test_hourly_budget_spent_is_420_rate_limited(budget_emulator: Emulator) -> None:
    c = cldkit.Client.from_url(budget_emulator.cloudinary_url)
    with pytest.raises(cldkit.RateLimitedError) as e:
        for _ in range(10):
            c.ping(max_retries=0)
    err = e.value
    assert (err.status, err.code) == (420, "rate_limited")
    assert isinstance(err.reset_at, int) and err.reset_at > time.time()
    assert budget_emulator.api_secret not in str(err)


def test_server_errors_are_retried_then_raised(fault_emulator: Emulator) -> None:
    c = cldkit.Client.from_url(fault_emulator.cloudinary_url)
    fault_emulator.set_faults([{"path": "/ping", "action": "status", "status": 503}])
    with pytest.raises(cldkit.ServerError) as e:
        c.ping(max_retries=2, retry_delay=0.01)
    assert e.value.status == 503 and e.value.attempts == 3
    fault_emulator.set_faults([{"path": "/ping", "nth": 1, "action": "status", "status": 503}])
    assert c.ping(retry_delay=0.01)["status"] == "ok"


def test_timeout_and_network_errors(fault_emulator: Emulator) -> None:
    c = cldkit.Client.from_url(fault_emulator.cloudinary_url)
    fault_emulator.set_faults([{"path": "/ping", "action": "stall"}])
    with pytest.raises(cldkit.RequestTimeoutError) as e:
        c.ping(timeout=0.3, max_retries=0)
    assert e.value.code == "timeout" and e.value.status is None
    dead = c.with_config(upload_prefix="http://127.0.0.1:9")
    with pytest.raises(cldkit.NetworkError):
        dead.ping(max_retries=0)


def test_ctrl_c_stops_a_stalled_blocking_call(
    fault_emulator: Emulator, tmp_path: pathlib.Path
) -> None:
    c = cldkit.Client.from_url(fault_emulator.cloudinary_url)
    fault_emulator.set_faults([{"action": "stall"}])
    big = tmp_path / "big.bin"
    big.write_bytes(b"\x07" * 300_000)
    for call in [
        lambda: c.upload(str(big), resource_type="raw", timeout=60, max_retries=0),
        lambda: c.ping(timeout=60, max_retries=0),
    ]:
        # SIGINT from another thread, as a terminal's Ctrl-C would send it.
        timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
        timer.start()
        start = time.monotonic()
        try:
            with pytest.raises(KeyboardInterrupt):
                call()
        finally:
            timer.cancel()
        assert time.monotonic() - start < 3
    # Signals that do not raise leave calls alone.
    fault_emulator.set_faults([{"path": "/ping", "action": "delay", "delay_ms": 400}])
    previous = signal.signal(signal.SIGUSR1, lambda *_: None)
    try:
        threading.Timer(0.05, lambda: os.kill(os.getpid(), signal.SIGUSR1)).start()
        assert c.ping()["status"] == "ok"
    finally:
        signal.signal(signal.SIGUSR1, previous)


def test_a_refused_oauth_token_is_refreshed_by_the_callback() -> None:
    emu = Emulator(
        "--cloudinary-url",
        "cloudinary://123456789012345:abcd1234SECRETxyz@emulator?oauth_token=fresh-token",
    )
    try:
        base = cldkit.Client.from_url(emu.cloudinary_url + "&oauth_token=stale-token")
        with pytest.raises(cldkit.AuthorizationError):
            base.ping()
        asked: List[str] = []

        def refresh(refused: str) -> str:
            asked.append(refused)
            return "fresh-token"

        c = base.with_oauth_refresh(refresh)
        r = c.upload(b"x" * 1000, resource_type="raw")
        assert r["bytes"] == 1000
        assert c.ping()["status"] == "ok"
        assert asked == ["stale-token"]
        # Derived clients keep the callback; one that raises or answers None gives up.
        assert c.with_config(secure=True).ping()["status"] == "ok"
        with pytest.raises(cldkit.AuthorizationError):
            base.with_oauth_refresh(lambda refused: None).ping()
        with pytest.raises(cldkit.InvalidOptionError):
            base.with_oauth_refresh("not callable")  # type: ignore[arg-type]
    finally:
        emu.stop()


# ----- the GIL and asyncio -----


def test_calls_release_the_gil(fault_emulator: Emulator) -> None:
    c = cldkit.Client.from_url(fault_emulator.cloudinary_url)
    fault_emulator.set_faults([{"path": "/ping", "action": "delay", "delay_ms": 600}])
    ticks = 0
    stop = threading.Event()

    def spin() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0.01)

    t = threading.Thread(target=spin)
    t.start()
    try:
        start = time.monotonic()
        c.ping()
        elapsed = time.monotonic() - start
    finally:
        stop.set()
        t.join()
    assert elapsed >= 0.5
    # With the GIL held for the whole call the thread could not have ticked.
    assert ticks >= 20


def test_one_client_from_many_threads(client: cldkit.Client) -> None:
    from concurrent.futures import ThreadPoolExecutor

    ids = [uid() for _ in range(8)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda pid: client.upload(png(2, 2), public_id=pid), ids))
    assert [r["public_id"] for r in results] == ids
    with ThreadPoolExecutor(max_workers=4) as pool:
        found = list(pool.map(lambda pid: client.resource(pid)["public_id"], ids))
    assert found == ids


def test_async_variants(client: cldkit.Client, emulator: Emulator) -> None:
    async def main() -> None:
        pid = uid()
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.001)

        tick = asyncio.create_task(ticker())
        r = await client.upload_async(png(2, 2), public_id=pid, tags=["aio"])
        assert r["public_id"] == pid
        ping, res, found = await asyncio.gather(
            client.admin_async("ping"),
            client.admin_async("resource", {"public_id": pid}),
            client.search_async(f"public_id:{pid}"),
        )
        assert ping["status"] == "ok" and res["tags"] == ["aio"]
        assert found["total_count"] == 1
        r = await client.call_upload_api_async("destroy", {"public_id": pid})
        assert r["result"] == "ok"
        with pytest.raises(cldkit.NotFoundError):
            await client.admin_async("resource", {"public_id": pid})
        prefix = uid("apg")
        for i in range(3):
            await client.upload_async(b"r", resource_type="raw", public_id=f"{prefix}/{i}")
        pages = client.pages("resources", resource_type="raw", prefix=prefix, max_results=2)
        assert [len(p["resources"]) async for p in pages] == [2, 1]
        tick.cancel()
        assert ticks > 0  # the loop kept running during the calls

    asyncio.run(main())
