"""Security review finding 8 (webhook part): in the default profile a timestamp with
surrounding whitespace and a NaN or infinite `valid_for` are `InvalidOptionError`s;
the `python` profile (and the compat layer, which uses it) keeps pycloudinary's
behaviour (whitespace stripped by `int()`, a non-finite `valid_for` never expires)."""

import hashlib
import math

import pytest

import cldkit

SECRET = "abcd"
BODY = '{"public_id":"sample","version":1}'
NOW = 1_700_000_000


def signed(ts: str) -> str:
    return hashlib.sha1((BODY + ts + SECRET).encode()).hexdigest()


def client(profile: str = "default") -> cldkit.Client:
    return cldkit.Client(
        profile=profile, cloud_name="demo", api_key="1234567890", api_secret=SECRET
    ).with_clock(NOW)


@pytest.mark.parametrize("ts", [" 1699999900", "1699999900 ", "\t1699999900\n"])
def test_default_profile_refuses_whitespace_around_the_timestamp(ts: str) -> None:
    with pytest.raises(cldkit.InvalidOptionError) as e:
        client().verify_notification(BODY, ts, signed(ts))
    assert e.value.option == "timestamp"
    # pycloudinary's behaviour in the python profile: the digest covers the text.
    assert client("python").verify_notification(BODY, ts, signed(ts)) is True


@pytest.mark.parametrize("valid_for", [math.nan, math.inf, -math.inf])
def test_default_profile_refuses_non_finite_valid_for(valid_for: float) -> None:
    stale = "1600000000"
    with pytest.raises(cldkit.InvalidOptionError) as e:
        client().verify_notification(BODY, stale, signed(stale), valid_for=valid_for)
    assert e.value.option == "valid_for"
    expected = valid_for != -math.inf  # NaN and +inf never expire in pycloudinary
    assert client("python").verify_notification(BODY, stale, signed(stale), valid_for=valid_for) is expected


def test_plain_timestamps_still_verify() -> None:
    assert client().verify_notification(BODY, "1699999900", signed("1699999900")) is True
    assert client().verify_notification(BODY, 1_699_999_900, signed("1699999900"), valid_for=200.5) is True
    assert client().verify_notification(BODY, "1600000000", signed("1600000000")) is False
