"""Unit tests of the Python API: constructors, conversions, results, errors, secrets."""

import datetime
import inspect
import random
from collections import OrderedDict
from typing import Any

import pytest

import cldkit

SECRET = "topSECRETvalue123"


@pytest.fixture
def client() -> cldkit.Client:
    return cldkit.Client(
        cloud_name="demo", api_key="1234567890", api_secret="abcd", analytics=False
    ).with_clock(1_700_000_000)


def test_url_default_and_python_profiles() -> None:
    c = cldkit.Client(cloud_name="demo", analytics=False)
    assert c.profile == "default"
    assert (
        c.url("sample.jpg", width=300, height=200, crop="fill")
        == "https://res.cloudinary.com/demo/image/upload/c_fill,h_200,w_300/sample.jpg"
    )
    py = cldkit.Client(profile="python", cloud_name="demo")
    assert py.profile == "python"
    assert py.url("sample.jpg", width=300) == "http://res.cloudinary.com/demo/image/upload/w_300/sample.jpg"
    assert c.with_profile("python").url("s") == "http://res.cloudinary.com/demo/image/upload/s"


def test_default_profile_adds_analytics_with_python_tech_version() -> None:
    c = cldkit.Client(cloud_name="demo")
    assert "?_a=" in c.url("sample")
    assert c.setting("tech_version").count(".") == 1


def test_from_url_and_env(monkeypatch: pytest.MonkeyPatch) -> None:
    c = cldkit.Client.from_url("cloudinary://key:sec@mycloud?secure=true", profile="python")
    assert c.setting("cloud_name") == "mycloud"
    assert c.setting("secure") == "true"  # query values stay strings, as in the SDKs
    monkeypatch.delenv("CLOUDINARY_CLOUD_NAME", raising=False)
    monkeypatch.setenv("CLOUDINARY_URL", "cloudinary://k:s@envcloud")
    assert cldkit.Client.from_env().setting("cloud_name") == "envcloud"
    monkeypatch.setenv("CLOUDINARY_CLOUD_NAME", "other")
    monkeypatch.setenv("CLOUDINARY_SECURE", "true")
    e = cldkit.Client.from_env()
    assert e.setting("cloud_name") == "other" and e.setting("secure") is True
    with pytest.raises(cldkit.ConfigError):
        cldkit.Client.from_url("http://k:s@c")


def test_with_config_keeps_clock_and_profile(client: cldkit.Client) -> None:
    c2 = client.with_config(cloud_name="other")
    assert c2.setting("cloud_name") == "other"
    assert client.setting("cloud_name") == "demo"
    url = c2.private_download_url("x", "jpg")
    assert "timestamp=1700000000" in url and "/other/" in url


def test_values_keep_their_python_types(client: cldkit.Client) -> None:
    py = client.with_profile("python")
    # bool is not an int; 2.0 stays a float; ints stay ints.
    assert "dpr_2.0" in py.url("s", dpr=2.0)
    assert "dpr_2/" in py.url("s", dpr=2)
    assert cldkit.string_to_sign({"a": True, "b": 1, "c": 1.5}) == "a=true&b=1&c=1.5"
    assert cldkit.string_to_sign({"a": False, "b": 0}) == ""
    # tuples are lists; dict subclasses and str/int subclasses are accepted
    assert cldkit.string_to_sign({"t": ("x", "y")}) == "t=x,y"
    assert cldkit.string_to_sign(OrderedDict(b="2", a="1")) == "a=1&b=2"

    class S(str):
        pass

    assert cldkit.string_to_sign({"a": S("v")}) == "a=v"
    # dict order is kept (the leftover options come back in order)
    _, left = py.cloudinary_url("s", zeta=1, alpha=2, width=3)
    assert list(left) == ["zeta", "alpha", "width"]


def test_datetimes_become_unix_seconds(client: cldkit.Client) -> None:
    when = datetime.datetime(2023, 11, 14, 22, 13, 20, tzinfo=datetime.timezone.utc)
    assert when.timestamp() == 1_700_000_000
    a = client.auth_token(key="00112233FF99", start_time=when, duration=300, acl="/image/*")
    b = client.auth_token(key="00112233FF99", start_time=1_700_000_000, duration=300, acl="/image/*")
    assert a == b and "st=1700000000" in a
    assert client.with_clock(when).private_download_url("x", "jpg") == client.private_download_url("x", "jpg")


def test_conversion_errors_name_the_option(client: cldkit.Client) -> None:
    with pytest.raises(cldkit.InvalidOptionError) as e:
        client.url("s", width=object())
    assert e.value.option == "width" and "unsupported value type" in str(e.value)
    with pytest.raises(cldkit.InvalidOptionError) as e:
        client.url("s", width=2**80)
    assert e.value.option == "width"
    with pytest.raises(cldkit.InvalidOptionError):
        client.url("s", transformation={1: "x"})
    with pytest.raises(cldkit.InvalidOptionError):
        client.verify_notification(123, 1, "x")  # type: ignore[arg-type]


def test_url_arguments_behave_like_a_python_method(client: cldkit.Client) -> None:
    # `url` is a raw vectorcall method (bindings-python/src/fastcall.rs): it must take
    # and refuse arguments as a def with (source, **options) would.
    assert client.url(source="s", width=1) == client.url("s", width=1)
    options = {"width": 1, "crop": "fill"}
    assert client.url("s", **options) == client.url("s", width=1, crop="fill")
    bound = client.url
    assert bound("s") == cldkit.Client.url(client, "s")
    assert "options" in str(inspect.signature(cldkit.Client.url))
    for call, message in [
        (lambda: client.url(), "missing 1 required positional argument"),  # type: ignore[call-arg]
        (lambda: client.url(1), "must be str, not int"),  # type: ignore[arg-type]
        (lambda: client.url("a", "b"), "takes 1 positional argument"),  # type: ignore[call-arg]
        (lambda: client.url("a", source="b"), "multiple values for argument 'source'"),
        (lambda: cldkit.Client.url(object(), "s"), "Client"),  # type: ignore[arg-type]
    ]:
        with pytest.raises(TypeError, match=message):
            call()
    with pytest.raises(cldkit.InvalidOptionError) as e:
        client.url("s", **{"width": 1, "bad": b"x"})
    assert e.value.option == "bad"
    # cloudinary_url (also vectorcall) takes any source and returns (url, leftovers).
    url, left = client.cloudinary_url("s", width=10, crop="fill", alt="x")
    assert url == client.url("s", width=10, crop="fill", alt="x")
    assert left == {"width": 10, "alt": "x"}
    assert client.cloudinary_url(source=None) == (None, {})
    assert client.cloudinary_url(None, alt="y") == (None, {"alt": "y"})
    assert "options" in str(inspect.signature(cldkit.Client.cloudinary_url))
    for call, message in [
        (lambda: client.cloudinary_url(), "missing 1 required positional argument"),  # type: ignore[call-arg]
        (lambda: client.cloudinary_url("a", "b"), "takes 1 positional argument"),  # type: ignore[call-arg]
        (lambda: client.cloudinary_url("a", source="b"), "multiple values"),
    ]:
        with pytest.raises(TypeError, match=message):
            call()


def test_values_that_contain_themselves_are_refused(client: cldkit.Client) -> None:
    d: dict[str, Any] = {}
    d["x"] = d
    with pytest.raises(cldkit.InvalidOptionError, match="nest"):
        client.url("sample", overlay=d)
    deep: list[Any] = []
    for _ in range(10_000):
        deep = [deep]
    with pytest.raises(cldkit.InvalidOptionError):
        client.url("sample", effect=deep)
    # A reasonable nesting still works after the refusals.
    assert "c_fill,w_10" in client.url("sample", transformation=[{"width": 10, "crop": "fill"}])


def test_error_hierarchy_and_attributes(client: cldkit.Client) -> None:
    with pytest.raises(cldkit.InvalidOptionError) as e:
        client.url("s", radius=[1, 2, 3, 4, 5])
    err = e.value
    assert isinstance(err, cldkit.Error) and isinstance(err, Exception)
    assert (err.kind, err.code, err.option) == ("InvalidOption", "invalid_option", "radius")
    assert err.message and err.message in str(err)
    with pytest.raises(cldkit.ConfigError) as e2:
        cldkit.Client().api_url("upload")
    assert e2.value.code == "config"
    with pytest.raises(cldkit.SignatureError) as e3:
        cldkit.api_sign_request({"a": "b"}, "secret", "md5")
    assert e3.value.code == "signature"
    with pytest.raises(cldkit.SignatureError):
        cldkit.api_sign_request({"a": "b"}, "")
    with pytest.raises(cldkit.ConfigError):
        cldkit.Client(profile="nope")
    assert issubclass(cldkit.HttpError, cldkit.Error)


def test_secrets_stay_out_of_repr_settings_and_errors() -> None:
    c = cldkit.Client(cloud_name="demo", api_key="k", api_secret=SECRET, auth_token={"key": SECRET})
    assert SECRET not in repr(c)
    assert SECRET not in repr(c.settings())
    assert c.settings()["api_secret"] == "***"
    assert c.setting("api_secret") == SECRET  # explicit reads still work
    for call in (
        lambda: c.sign_request({"a": [1]}),
        lambda: c.url("s", radius=[1, 2, 3, 4, 5]),
        lambda: c.with_config(signature_algorithm="md5").sign_request({"a": "b"}),
    ):
        with pytest.raises(cldkit.Error) as e:
            call()
        assert SECRET not in str(e.value) and SECRET not in repr(e.value.args)
    f = cldkit.Client.from_url(f"cloudinary://k:{SECRET}@demo")
    assert SECRET not in repr(f)


def test_signing(client: cldkit.Client) -> None:
    params = {"public_id": "sample", "timestamp": 1315060510, "value": "sample"}
    assert client.sign_request(params) == "e918a796ec67230979a69dfec53a3b5b5be68604"
    assert cldkit.api_sign_request(params, "abcd") == client.sign_request(params)
    e = client.explain_signature({"public_id": "a&b", "timestamp": 1700000000})
    assert e["string_to_sign"] == "public_id=a%26b&timestamp=1700000000"
    assert (e["algorithm"], e["signature_version"]) == ("sha1", 2)
    assert e["signature"] == client.sign_request({"public_id": "a&b", "timestamp": 1700000000})


def test_verify_notification_bytes_str_and_expiry(client: cldkit.Client) -> None:
    body = b'{"public_id":"sample","version":1}'
    sig = "d47ca1f665f25767592b7782be8a51659ee22764"
    assert client.verify_notification(body, 1_699_999_900, sig) is True
    assert client.verify_notification(body.decode(), "1699999900", sig) is True
    assert client.verify_notification(body, 1_699_999_900, sig[:-1] + "5") is False
    assert client.verify_notification(body, 1_699_999_900, sig, valid_for=50) is False
    assert client.verify_notification(body, 1_699_999_900, sig, valid_for=datetime.timedelta(minutes=5))
    assert client.verify_api_response("sample", 1234567890, "d67d8bab591ef75a5a612c8812ae72281522dd3b")
    with pytest.raises(cldkit.ConfigError):
        cldkit.Client(cloud_name="x").verify_api_response("a", 1, "x")


def test_upload_forms(client: cldkit.Client) -> None:
    req = client.upload_form("https://example.com/sample.jpg", public_id="sample", tags=["a", "b"])
    assert req["url"] == "https://api.cloudinary.com/v1_1/demo/image/upload"
    fields = dict(req["fields"])
    assert fields["timestamp"] == "1700000000" and fields["api_key"] == "1234567890"
    assert len(fields["signature"]) == 40
    assert [v for k, v in req["fields"] if k == "tags"] == ["a,b"]
    assert req["file"] is None and req["authorization"] is None
    local = client.upload_form("/tmp/photo.jpg")
    assert local["file"] == {"path": "/tmp/photo.jpg", "filename": "/tmp/photo.jpg"}
    assert client.upload_api_call("upload", {"file": "https://x/y.jpg"}, public_id="p")["url"].endswith("/upload")
    t = client.add_tag_form("t1", ["a", "b"])
    assert [v for k, v in t["fields"] if k == "public_ids[]"] == ["a", "b"]
    assert dict(t["fields"])["command"] == "add"
    assert dict(client.add_tag_form("t1", ["a"], exclusive=True)["fields"])["command"] == "set_exclusive"
    assert dict(client.remove_all_tags_form(["a"])["fields"])["command"] == "remove_all"
    assert client.upload_params(overwrite=True, tags=["a"]) == {
        "overwrite": "1", "timestamp": "1700000000", "tags": "a"
    }
    u = client.unsigned_upload_form("https://x/y.jpg", "preset")
    assert dict(u["fields"])["upload_preset"] == "preset" and "signature" not in dict(u["fields"])
    with pytest.raises(cldkit.InvalidOptionError):
        client.upload_api_call("no_such_call")


def test_download_urls(client: cldkit.Client) -> None:
    url = client.private_download_url("sample", "jpg", attachment=True)
    assert url.startswith("https://api.cloudinary.com/v1_1/demo/image/download?")
    assert "signature=" in url and "timestamp=1700000000" in url
    assert "generate_archive" in client.download_zip_url(tags=["t"])
    assert client.download_folder("f/").startswith("https://api.cloudinary.com/v1_1/demo/all/")
    assert "download_tag.zip" in client.zip_download_url("t")
    assert "/sprite?" in client.download_generated_sprite(tag="t")
    assert "/multi?" in client.download_multi(urls=["https://x/a.jpg"])


def test_tags(client: cldkit.Client) -> None:
    html = client.image_tag("dog", width=100, crop="scale", alt="A dog")
    assert html.startswith("<img ") and 'alt="A dog"' in html
    assert "c_scale,w_100/dog" in html
    assert client.image_attributes("dog", width=100, crop="scale")["width"] == 100
    assert client.video_tag("movie").startswith("<video")
    assert client.picture_tag("dog", sources=[{"min_width": 100, "transformation": {"width": 100}}]).startswith("<picture>")
    lazy = client.lazy_image_tag("dog", placeholder="blur", width=400, crop="scale")
    assert 'loading="lazy"' in lazy and "e_blur" in lazy
    urls = client.placeholder_urls("dog", "pixelate")
    assert "e_pixelate" in urls["placeholder"] and urls["url"].endswith("/dog")
    with pytest.raises(cldkit.InvalidOptionError):
        client.lazy_image_tag("dog", placeholder="nope")


def test_identity_and_widgets(client: cldkit.Client) -> None:
    assert client.user_agent() == cldkit.USER_AGENT
    c = client.with_config(user_platform="MyPlugin/1.2 (Django 5.0)")
    assert c.user_agent().startswith("MyPlugin/1.2 (Django 5.0) cldkit/")
    s = client.sign_upload_widget({"source": "uw", "folder": "w"})
    assert s["timestamp"] == 1_700_000_000 and s["api_key"] == "1234567890" and len(s["signature"]) == 40
    cfg = client.media_library_config("user@example.com", {"name": "P", "version": "1"})
    assert cfg["cloud_name"] == "demo" and len(cfg["signature"]) == 64 and "integration" in cfg


def test_parse_urls() -> None:
    assert cldkit.parse_cloudinary_url("cloudinary://k:s@c/dist?foo[bar]=1") == {
        "cloud_name": "c", "api_key": "k", "api_secret": "s", "private_cdn": True,
        "secure_distribution": "dist", "foo": {"bar": "1"},
    }
    assert cldkit.parse_account_url("account://pk:ps@acc")["account_id"] == "acc"


def _random_value(rng: random.Random, depth: int = 0) -> Any:
    choices = [None, True, False, 0, -1, 2**62, 1.5, float("nan"), "", "x", "a&b", "ü", "\x00", "/", "$w", "auto"]
    if depth < 2:
        choices += [[_random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]]
        choices += [{rng.choice(["width", "crop", "x", "overlay", "transformation", "if"]): _random_value(rng, depth + 1)}]
    return rng.choice(choices)


def test_no_panic_escapes_on_random_input(client: cldkit.Client) -> None:
    rng = random.Random(5)
    keys = ["width", "height", "crop", "overlay", "underlay", "transformation", "effect", "radius",
            "sign_url", "type", "resource_type", "format", "version", "srcset", "sources", "if",
            "variables", "tags", "context", "eager", "auth_token", "responsive_breakpoints"]
    calls = [client.url, client.image_tag, client.video_tag, client.upload_params,
             client.private_download_url, client.download_archive_url, client.auth_token]
    for _ in range(1500):
        opts = {rng.choice(keys): _random_value(rng) for _ in range(rng.randint(1, 4))}
        f = rng.choice(calls)
        try:
            if f in (client.upload_params, client.download_archive_url, client.auth_token):
                f(**opts)
            elif f is client.private_download_url:
                f("x", "jpg", **opts)
            else:
                f("sample", **opts)
        except (cldkit.Error, TypeError):
            pass
        except BaseException as e:  # a PanicException is a BaseException
            pytest.fail(f"{f.__name__}({opts!r}) raised {type(e).__name__}: {e}")
