"""Security review finding 7: no printing path of the Python binding shows a secret.

`repr(client)`, `str(client)`, `client.settings()`, the compat `ConfigView` and the
exceptions' text are checked with settings whose secrets are recognised by rule
(`*secret*`, `*token*`, `*password*`, `*key` but `api_key`) and URL-valued settings with
credentials (`api_proxy`, `account_url`, as `CLOUDINARY_ACCOUNT_URL` gives it).
Network calls go to a closed loopback port only.
"""

import socket
from typing import Any, Dict, List

import pytest

import cldkit
from cldkit import compat

PROXY_USER = "proxyUSERname"
PROXY_PW = "PrOxYpAsS7731"
ACCOUNT_SECRET = "AcCoUnTsEcReT4410"
API_SECRET = "ApIsEcReT9902"
TOKEN_KEY = "00112233FFeeDD99"
OAUTH = "OaUtHtOkEn5512"
NESTED = "NeStEdSeCrEt6620"
CUSTOM = "CuStOmPaSsWoRd33"
SECRETS = [PROXY_USER, PROXY_PW, ACCOUNT_SECRET, API_SECRET, TOKEN_KEY, OAUTH, NESTED, CUSTOM]


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def settings(port: int = 3128) -> Dict[str, Any]:
    return dict(
        cloud_name="demo",
        api_key="1234567890",
        api_secret=API_SECRET,
        oauth_token=OAUTH,
        auth_token={"key": TOKEN_KEY, "duration": 300},
        api_proxy=f"http://{PROXY_USER}:{PROXY_PW}@127.0.0.1:{port}",
        account_url=f"account://pk:{ACCOUNT_SECRET}@acct-1",
        foo={"api_secret": NESTED, "label": "shown"},
        db_password=CUSTOM,
    )


def assert_clean(what: str, text: str) -> None:
    for s in SECRETS:
        assert s not in text, f"{what} shows {s}: {text}"


def test_repr_and_str_hide_every_secret() -> None:
    c = cldkit.Client(**settings())
    for text in (repr(c), str(c), f"{c}", f"{c!r}"):
        assert_clean("repr/str", text)
    assert "1234567890" in repr(c) and "127.0.0.1:3128" in repr(c) and "acct-1" in repr(c)
    # Derived clients print the same way.
    assert_clean("derived repr", repr(c.with_config(secure=True).with_profile("python")))


def test_settings_hide_every_secret_and_keep_the_rest() -> None:
    c = cldkit.Client(**settings())
    s = c.settings()
    assert_clean("settings()", repr(s))
    assert s["api_secret"] == "***" and s["oauth_token"] == "***" and s["auth_token"] == "***"
    assert s["db_password"] == "***"
    assert s["foo"] == {"api_secret": "***", "label": "shown"}
    assert s["api_proxy"] == "http://***@127.0.0.1:3128"
    assert s["account_url"] == "account://***@acct-1"
    assert s["api_key"] == "1234567890" and s["cloud_name"] == "demo"
    # Explicit reads of one setting still give the real value.
    assert c.setting("api_proxy") == settings()["api_proxy"]
    assert c.setting("account_url") == settings()["account_url"]


def test_from_env_account_url_is_not_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUDINARY_CLOUD_NAME", "demo")
    monkeypatch.setenv("CLOUDINARY_API_SECRET", API_SECRET)
    monkeypatch.setenv("CLOUDINARY_ACCOUNT_URL", f"account://pk:{ACCOUNT_SECRET}@acct-1")
    monkeypatch.setenv("CLOUDINARY_API_PROXY", f"http://{PROXY_USER}:{PROXY_PW}@127.0.0.1:3128")
    c = cldkit.Client.from_env()
    assert c.setting("account_url") == f"account://pk:{ACCOUNT_SECRET}@acct-1"
    for text in (repr(c), str(c), repr(c.settings())):
        assert_clean("from_env", text)


def test_compat_config_view_hides_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLOUDINARY_CLOUD_NAME", raising=False)
    monkeypatch.setenv("CLOUDINARY_URL", "cloudinary://k:s@demo")
    compat.reset_config()
    try:
        view = compat.config(**settings())
        assert_clean("ConfigView", repr(view))
        assert view.api_proxy == settings()["api_proxy"]
    finally:
        compat.reset_config()


def test_errors_do_not_show_url_credentials() -> None:
    port = closed_port()
    base = dict(settings(port), max_retries=0, connect_timeout=5)
    del base["oauth_token"]  # Basic credentials, so the call goes out
    clients = [
        cldkit.Client(**base),
        cldkit.Client(**dict(base, api_proxy=None, upload_prefix=f"http://{PROXY_USER}:{PROXY_PW}@127.0.0.1:{port}")),
        cldkit.Client(**dict(base, api_proxy=f"http://{PROXY_USER}:{PROXY_PW}@[bad")),
    ]
    errors: List[BaseException] = []
    for c in clients:
        with pytest.raises(cldkit.Error) as e:
            c.ping()
        errors.append(e.value)
    with pytest.raises(cldkit.Error) as e:
        cldkit.Client.from_url(f"cloudinary://{PROXY_USER}:{PROXY_PW}@[::1")
    errors.append(e.value)
    for err in errors:
        text = " ".join([str(err), repr(err), repr(err.args), repr(vars(err))])
        assert_clean(type(err).__name__, text)
