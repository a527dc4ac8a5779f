"""Caches in the user cache folder, notes in the user data folder (issue 17 item 7).

platformdirs honours ``XDG_DATA_HOME`` and ``XDG_CACHE_HOME`` on Linux, so each
test points both (and ``HOME``) at temporary folders and unsets ``CCGTUI_DB``.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccgtui import userdata as ud
from ccgtui.cli import cli
from ccgtui.store import Store, store_for

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="XDG folders are Linux's")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """(data folder, cache folder) of ccgtui, neither created yet."""
    monkeypatch.delenv("CCGTUI_DB", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "data" / "ccgtui", tmp_path / "cache" / "ccgtui"


CACHES = ("ccgtui.json", "ccgtui.toc.sqlite", "ccgtui.search.sqlite")


def test_a_load_puts_caches_in_the_cache_folder_and_notes_in_the_data_folder(
    dirs: tuple[Path, Path], minimal_folder: Path
) -> None:
    data, cache = dirs
    assert run("--cases", str(minimal_folder), "load")[0] == 0
    assert run("--cases", str(minimal_folder), "note", "add", "case-a", "keep me")[0] == 0
    assert sorted(p.name for p in cache.iterdir()) == sorted(CACHES)
    assert (data / "ccgtui.user.json").is_file()
    assert [p.name for p in (data / "ccgtui.backups").iterdir()]
    assert (data / "ccgtui.json.lock").exists()  # the one lock, beside the notes
    assert not any((data / name).exists() for name in CACHES)
    code, out, _ = run("--cases", str(minimal_folder), "db", "path")
    assert code == 0
    assert f"database:  {cache / 'ccgtui.json'}" in out
    assert f"notes:     {data / 'ccgtui.user.json'}" in out
    assert f"backups:   {data / 'ccgtui.backups'}" in out
    assert run("--cases", str(minimal_folder), "db", "check")[0] == 0


def test_deleting_the_cache_folder_loses_no_note_and_the_next_command_rebuilds(
    dirs: tuple[Path, Path], minimal_folder: Path
) -> None:
    data, cache = dirs
    assert run("--cases", str(minimal_folder), "note", "add", "case-a", "keep me")[0] == 0
    assert (cache / "ccgtui.json").is_file()
    shutil.rmtree(cache)
    assert (data / "ccgtui.user.json").is_file()
    code, out, _ = run("--cases", str(minimal_folder), "note", "list", "--format", "json")
    assert code == 0 and "keep me" in out
    code, out, _ = run("--cases", str(minimal_folder), "search", "board")
    assert code == 0 and "case-a" in out
    assert all((cache / name).is_file() for name in CACHES)


def _old_layout(data: Path, cases: Path) -> None:
    """What an older ccgtui left: caches and notes together in the data folder."""
    old = Store(data / "ccgtui.json", cases)
    old.open()
    ud.add_note(old, "case:case-a", "written by the old layout")
    assert all((data / name).is_file() for name in CACHES)


def test_an_old_install_keeps_its_notes_and_loses_its_old_caches(
    dirs: tuple[Path, Path], minimal_folder: Path
) -> None:
    data, cache = dirs
    data.mkdir(parents=True)
    _old_layout(data, minimal_folder)
    stale, young = data / ".ccgtui.json.k1ll3d.tmp", data / ".ccgtui.index.json.wr1t1ng.tmp"
    stale.write_bytes(b"half a cache")
    young.write_bytes(b"another process, still writing")
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    code, out, _ = run("--cases", str(minimal_folder), "note", "list", "--format", "json")
    assert code == 0 and "written by the old layout" in out
    assert not any((data / name).exists() for name in CACHES)
    assert not stale.exists() and young.exists()  # only temp files minutes old are swept
    assert all((cache / name).is_file() for name in CACHES)


def test_files_ccgtui_did_not_write_under_the_old_names_are_left_alone(
    dirs: tuple[Path, Path], minimal_folder: Path
) -> None:
    data, cache = dirs
    data.mkdir(parents=True)
    theirs = {
        "ccgtui.json": b'{"meta": {"1": {"format": "someone else"}}}',
        "ccgtui.index.json": b'{"fingerprint": "not ours", "schema_version": 1}',
    }
    for name, raw in theirs.items():
        (data / name).write_bytes(raw)
    with sqlite3.connect(data / "ccgtui.search.sqlite") as db:
        db.execute("CREATE TABLE meta (key TEXT, value TEXT)")
        db.execute("INSERT INTO meta VALUES ('format', 'another tool')")
    db.close()
    with sqlite3.connect(data / "ccgtui.toc.sqlite") as db:
        db.execute("CREATE TABLE meta (key TEXT, value TEXT)")
        db.execute("INSERT INTO meta VALUES ('format', 'another tool')")
    db.close()
    names = [*theirs, "ccgtui.search.sqlite", "ccgtui.toc.sqlite"]
    before = {name: (data / name).read_bytes() for name in names}
    assert run("--cases", str(minimal_folder), "list")[0] == 0
    assert {name: (data / name).read_bytes() for name in names} == before
    assert (cache / "ccgtui.json").is_file()


def test_a_named_db_keeps_everything_beside_it(
    dirs: tuple[Path, Path], minimal_folder: Path, tmp_path: Path
) -> None:
    data, cache = dirs
    named = tmp_path / "team" / "team.json"
    named.parent.mkdir()
    args = ("--db", str(named), "--cases", str(minimal_folder))
    assert run(*args, "note", "add", "case-a", "team note")[0] == 0
    assert {p.name for p in named.parent.iterdir()} >= {
        "team.json",
        "team.toc.sqlite",
        "team.search.sqlite",
        "team.user.json",
        "team.json.lock",
    }
    assert not data.exists() and not cache.exists()


def test_a_store_of_the_default_layout_never_retires_its_own_caches(
    dirs: tuple[Path, Path], minimal_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the cache folder set to the data folder, the caches there are the current ones."""
    data, _ = dirs
    monkeypatch.setenv("XDG_CACHE_HOME", str(data.parent))
    store = store_for(None, minimal_folder)
    assert store.open().reloaded
    assert not store_for(None, minimal_folder).open().reloaded
    assert all((data / name).is_file() for name in CACHES)


def test_the_lock_beside_the_notes_holds_back_a_reload_in_another_process(
    dirs: tuple[Path, Path], minimal_folder: Path
) -> None:
    data, cache = dirs
    store = store_for(None, minimal_folder)
    assert store.lock.path.parent == data and store.db_path.parent == cache
    with store.locked():
        proc = subprocess.Popen(
            [sys.executable, "-m", "ccgtui", "--cases", str(minimal_folder), "load"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ},
        )
        # The other process creates the cache folder just before it asks for the lock.
        deadline = time.monotonic() + 60
        while not cache.is_dir() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.5)
        assert proc.poll() is None, proc.communicate()
        assert not (cache / "ccgtui.json").exists(), "a cache was written without the lock"
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "loaded 1 case" in out and (cache / "ccgtui.json").is_file()


_WRITER = """
import sys
from pathlib import Path
from ccgtui.store import store_for
from ccgtui.userdata import add_note
store = store_for(None, Path(sys.argv[1]))
for i in range(int(sys.argv[2])):
    if sys.argv[3] == "r":
        store.open(reload=True)   # rewrites every cache under the lock
    add_note(store, "case:case-a", f"{sys.argv[3]}-{i}")
"""


def test_two_processes_writing_notes_and_caches_lose_nothing(
    dirs: tuple[Path, Path], minimal_folder: Path
) -> None:
    data, cache = dirs
    n = 15
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(minimal_folder), str(n), who],
            env={**os.environ},
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in ("r", "w")
    ]
    results = [(p.wait(timeout=300), p.communicate()[1]) for p in procs]
    assert [code for code, _ in results] == [0, 0], results
    store = store_for(None, minimal_folder)
    assert store.open().messages == [] and store.check() == []
    texts = sorted(note.text for note in ud.list_notes(store))
    assert texts == sorted(f"{who}-{i}" for who in ("r", "w") for i in range(n))
    assert (cache / "ccgtui.json").is_file() and (data / "ccgtui.user.json").is_file()
