"""`Client.sync` / `sync_async` with a progress callable, against the local emulator."""

import asyncio
import pathlib
import sys
import uuid
from typing import Any, Dict, List

import pytest

import cldkit
from conftest import Emulator


@pytest.fixture
def client(emulator: Emulator) -> cldkit.Client:
    return cldkit.Client.from_url(emulator.cloudinary_url)


def three_files(root: pathlib.Path) -> pathlib.Path:
    d = root / "media"
    (d / "sub").mkdir(parents=True)
    for name, body in (("a.txt", b"alpha"), ("b.txt", b"bravo"), ("sub/c.txt", b"charlie")):
        (d / name).write_bytes(body)
    return d


def test_sync_progress_then_unchanged(client: cldkit.Client, tmp_path: pathlib.Path) -> None:
    folder = f"pysync-{uuid.uuid4().hex[:8]}"
    media = three_files(tmp_path)
    events: List[Dict[str, Any]] = []
    report = client.sync(str(media), progress=events.append, folder=folder)
    assert sorted(report["uploaded"]) == [f"{folder}/a", f"{folder}/b", f"{folder}/sub/c"]
    assert len(events) == 3
    assert sorted(e["done"] for e in events) == [1, 2, 3]
    assert all(e["total"] == 3 and e["action"] == "upload" and e["ok"] is True for e in events)
    assert sorted(e["public_id"] for e in events) == sorted(report["uploaded"])

    again: List[Dict[str, Any]] = []
    second = client.sync(str(media), progress=again.append, folder=folder)
    assert len(second["unchanged"]) == 3
    assert second["uploaded"] == [] and second["updated"] == []
    assert again == []


def test_sync_callback_that_raises_does_not_stop_it(
    client: cldkit.Client, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = f"pysync-{uuid.uuid4().hex[:8]}"
    media = three_files(tmp_path)
    unraisable: List[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    calls: List[int] = []

    def boom(event: Dict[str, Any]) -> None:
        calls.append(event["done"])
        raise RuntimeError("callback failed")

    report = client.sync(str(media), progress=boom, folder=folder)
    assert len(report["uploaded"]) == 3 and report["failed"] == []
    assert len(calls) == 3
    assert len(unraisable) == 3
    assert all(isinstance(u.exc_value, RuntimeError) for u in unraisable)


def test_sync_async_progress(client: cldkit.Client, tmp_path: pathlib.Path) -> None:
    folder = f"pysync-{uuid.uuid4().hex[:8]}"
    media = three_files(tmp_path)
    events: List[Dict[str, Any]] = []
    report = asyncio.run(client.sync_async(str(media), progress=events.append, folder=folder))
    assert len(report["uploaded"]) == 3
    assert sorted(e["done"] for e in events) == [1, 2, 3]


def test_sync_progress_must_be_callable(client: cldkit.Client, tmp_path: pathlib.Path) -> None:
    with pytest.raises(cldkit.InvalidOptionError):
        client.sync(str(tmp_path), progress=42, folder="x")  # type: ignore[arg-type]
