"""The `.pyi` stubs and the package's annotations match the real signatures (mypy's
stubtest), and the package is typed (`py.typed`)."""

import subprocess
import sys
from pathlib import Path

import cldkit


def test_py_typed_marker_is_installed() -> None:
    assert (Path(cldkit.__file__).parent / "py.typed").is_file()
    assert (Path(cldkit.__file__).parent / "_native.pyi").is_file()


def test_stubtest(tmp_path: Path) -> None:
    out = subprocess.run(
        # `cldkit` covers its submodules (_native, compat, conformance).
        [sys.executable, "-m", "mypy.stubtest", "cldkit"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_mypy_strict_on_a_user_program(tmp_path: Path) -> None:
    prog = tmp_path / "user.py"
    prog.write_text(
        "import cldkit\n"
        "from cldkit import compat\n"
        "c = cldkit.Client(cloud_name='demo')\n"
        "url: str = c.url('sample', width=100)\n"
        "ok: bool = c.verify_notification(b'{}', 1, 'sig')\n"
        "pair = compat.cloudinary_url('sample')\n"
        "try:\n"
        "    c.url('x')\n"
        "except cldkit.InvalidOptionError as e:\n"
        "    code: str = e.code\n"
        "def progress(done: int, total: 'int | None') -> None: ...\n"
        "def uploads(c: cldkit.Client) -> None:\n"
        "    r = c.upload(b'x', public_id='p', chunk_size=6_000_000, progress=progress)\n"
        "    pid: str = r['public_id']\n"
        "    c.upload(open('f', 'rb'))\n"
        "    try:\n"
        "        c.resource('p')\n"
        "    except cldkit.HttpError as e:\n"
        "        status: 'int | None' = e.status\n"
        "        reset: 'int | None' = e.reset_at\n"
        "    for page in c.pages('resources', max_results=10):\n"
        "        n: int = len(page['resources'])\n"
        "def generated(c: cldkit.Client, a: cldkit.AccountClient) -> None:\n"
        "    page = c.resources_by_tag('kitten', max_results=10)\n"
        "    ids: list[str] = [r['public_id'] for r in page['resources']]\n"
        "    c.add_related_assets('p', ['image/upload/q'], resource_type='image')\n"
        "    c.resources_by_context('k', None)\n"
        "    signed: str = c.search_url('tags=kitten', 300)\n"
        "    users = a.users(['u1'], prefix='a')\n"
        "    raw = c.call('ping')\n"
        "    try:\n"
        "        a.user('u1')\n"
        "    except (cldkit.NotFoundError, cldkit.IoError) as e:\n"
        "        s: 'int | None' = e.status\n"
        "async def aio(c: cldkit.Client) -> None:\n"
        "    tagged = await c.resources_by_tag_async('kitten')\n"
        "    n2: int = len(tagged['resources'])\n"
        "    await cldkit.AccountClient('account://k:s@a').sub_accounts_async(enabled=True)\n"
        "    r = await c.upload_async('https://example.com/x.png')\n"
        "    await c.admin_async('ping')\n"
        "    async for page in c.pages('tags'):\n"
        "        pass\n"
    )
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", str(prog)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr
