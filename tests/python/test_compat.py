"""`cldkit.compat` against pycloudinary 1.46.3 itself (installed by ci.sh)."""

import os
from typing import Any, Callable, Dict, Iterator

import cloudinary
import cloudinary.uploader
import cloudinary.utils
import pytest

import cldkit
from cldkit import compat

CONFIG = {"cloud_name": "demo", "api_key": "1234567890", "api_secret": "abcd"}


@pytest.fixture(autouse=True)
def configured(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in list(os.environ):
        if name.startswith("CLOUDINARY_"):
            monkeypatch.delenv(name)
    compat.reset_config()
    compat.config(**CONFIG)
    cloudinary.reset_config()
    cloudinary.config(**CONFIG)
    yield
    compat.reset_config()


CHAIN = [
    {"width": 500, "height": 500, "crop": "fill", "gravity": "face"},
    {"overlay": {"font_family": "Arial", "font_size": 40, "text": "Hello World"},
     "gravity": "south_east", "x": 10, "y": 10, "color": "white"},
    {"effect": "sepia:50"},
    {"quality": "auto", "fetch_format": "auto"},
]


@pytest.mark.parametrize(
    "source,options",
    [
        ("sample.jpg", {"width": 300, "height": 200, "crop": "fill"}),
        ("sample.jpg", {"transformation": CHAIN, "sign_url": True}),
        ("https://example.com/a b.jpg", {"type": "fetch", "width": 10, "alt": "x"}),
        (None, {"width": 10}),
        ("folder/ü x", {"secure": True, "version": 12, "format": "png"}),
    ],
)
def test_cloudinary_url_matches_pycloudinary(source: Any, options: Dict[str, Any]) -> None:
    assert compat.cloudinary_url(source, **options) == cloudinary.utils.cloudinary_url(source, **options)


def test_helpers_match_pycloudinary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("time.time", lambda: 1_700_000_000)
    compat.config(**CONFIG)  # the default client reads the clock at call time
    u = cloudinary.utils
    params = {"public_id": "a&b", "timestamp": 1700000000, "tags": ["x", "y"], "overwrite": True}
    assert compat.api_sign_request(params, "abcd") == u.api_sign_request(params, "abcd")
    assert compat.api_sign_request(params, "abcd", "sha256", 1) == u.api_sign_request(params, "abcd", "sha256", 1)
    assert compat.cloudinary_api_url("destroy", resource_type="video") == u.cloudinary_api_url("destroy", resource_type="video")
    tok = {"key": "00112233FF99", "start_time": 1111111111, "duration": 300, "acl": "/image/*"}
    assert compat.generate_auth_token(**tok) == u.generate_auth_token(**tok)
    assert compat.verify_api_response_signature("sample", 1234567890, "d67d8bab591ef75a5a612c8812ae72281522dd3b") \
        == u.verify_api_response_signature("sample", 1234567890, "d67d8bab591ef75a5a612c8812ae72281522dd3b") is True
    body = '{"public_id":"sample","version":1}'
    sig = "d47ca1f665f25767592b7782be8a51659ee22764"
    for ts in (1_699_999_900, 1_600_000_000):
        # pycloudinary reads time.time(); cldkit's default client the system clock,
        # so compare against a fixed clock through the Client API for the stale case.
        expected = u.verify_notification_signature(body, ts, sig)
        got = compat.default_client().with_clock(1_700_000_000).verify_notification(body, ts, sig)
        assert got == expected
    assert compat.verify_notification_signature(body, 4_000_000_000, sig) is False


def test_download_helpers_have_pycloudinary_shape() -> None:
    # The timestamp comes from each library's clock; compare everything else.
    def strip(url: str) -> str:
        parts = [p for p in url.split("?", 1)[1].split("&") if not p.startswith(("timestamp=", "signature="))]
        return url.split("?", 1)[0] + "?" + "&".join(parts)

    pairs: Dict[str, Callable[[Any], str]] = {
        "private_download_url": lambda m: m.private_download_url("x", "jpg", attachment=True),
        "download_archive_url": lambda m: m.download_archive_url(tags=["a"], public_ids=["p1", "p2"]),
        "download_zip_url": lambda m: m.download_zip_url(prefixes="f/"),
        "download_folder": lambda m: m.download_folder("f/"),
        "download_backedup_asset": lambda m: m.download_backedup_asset("aid", "vid"),
        "zip_download_url": lambda m: m.zip_download_url("t", width=10),
    }
    for name, call in pairs.items():
        assert strip(call(compat)) == strip(call(cloudinary.utils)), name
    assert strip(compat.download_multi(tag="t")) == strip(cloudinary.uploader.download_multi(tag="t"))
    assert strip(compat.download_generated_sprite(tag="t")) == strip(
        cloudinary.uploader.download_generated_sprite(tag="t")
    )


def test_resources_match_pycloudinary() -> None:
    opts = {"width": 100, "crop": "scale", "alt": "A"}
    assert compat.CloudinaryImage("dog").image(**opts) == cloudinary.CloudinaryImage("dog").image(**opts)
    assert compat.CloudinaryImage("dog").build_url(**opts) == cloudinary.CloudinaryImage("dog").build_url(**opts)
    src = {"sources": [{"min_width": 100, "transformation": {"width": 100}}]}
    assert compat.CloudinaryImage("dog").picture(**src) == cloudinary.CloudinaryImage("dog").picture(**src)
    assert compat.CloudinaryVideo("mov").video(width=300) == cloudinary.CloudinaryVideo("mov").video(width=300)
    assert compat.CloudinaryVideo("mov").video_thumbnail(width=300) == cloudinary.CloudinaryVideo("mov").video_thumbnail(width=300)


def test_config_view_and_reset(monkeypatch: pytest.MonkeyPatch) -> None:
    view = compat.config(secure=True)
    assert view.cloud_name == "demo" and view.secure is True and view.nothing_here is None
    assert "abcd" not in repr(view)
    monkeypatch.setenv("CLOUDINARY_URL", "cloudinary://k:s@fromenv")
    compat.reset_config()
    assert compat.config().cloud_name == "fromenv"
    assert compat.default_client().profile == "python"
    assert isinstance(compat.default_client(), cldkit.Client)
