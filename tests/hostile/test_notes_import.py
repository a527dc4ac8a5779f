"""Hostile notes exports given to ``ccgtui notes import``: the file is someone else's.

Every bad row is named (``ccgtui: FILE: notes[3].text: ...``), exit 1, and the
notes file is left byte-identical; text that gets in is shown without its
terminal controls; the import is one locked cycle, so a concurrent ``note add``
is kept.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ccgtui import notes_import, notes_merge
from ccgtui import userdata as ud
from ccgtui.cli import cli
from ccgtui.store import Store

Run = Callable[..., tuple[int, str, str]]
UID = "2b0c6f0e-4c1a-4d55-9a51-1b9d3f0c7e11"


@pytest.fixture
def run(minimal_folder: Path) -> Run:
    def invoke(*args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(
            cli, ["--cases", str(minimal_folder), *args], catch_exceptions=False
        )
        return result.exit_code, result.stdout, result.stderr

    return invoke


def _note(**changes: Any) -> dict[str, Any]:
    return {
        "id": 1,
        "uid": UID,
        "target": "case:case-a",
        "text": "fine",
        "created": "2026-01-01T00:00:00+00:00",
        "updated": "2026-01-01T00:00:00+00:00",
        "author": "anna",
        "history": [],
        **changes,
    }


def _export(notes: list[Any], **top: Any) -> dict[str, Any]:
    return {
        "format": "ccgtui notes export",
        "format_version": 1,
        "notes": notes,
        "tags": {},
        "bookmarks": [],
        **top,
    }


@pytest.fixture
def user_file(run: Run, isolated_db: Path) -> Path:
    """A notes file with one note of yours in it."""
    assert run("note", "add", "case:case-a", "mine")[0] == 0
    return isolated_db.with_name("ccgtui.user.json")


def _refused(run: Run, user_file: Path, path: Path, *expected: str) -> str:
    before = user_file.read_bytes()
    code, out, err = run("notes", "import", str(path), "--merge")
    assert code == 1, (out, err)
    for line in expected:
        assert f"ccgtui: {path}: {line}" in err, err
    assert user_file.read_bytes() == before
    assert "Traceback" not in err
    return err


BAD_ROWS = [
    ({"text": 5}, "notes[3].text: not text (5)"),
    ({"text": "   "}, "notes[3].text: empty"),
    ({"target": "case:../etc"}, 'notes[3].target: not a target such as case:<id> ("case:../etc")'),
    ({"target": None}, "notes[3].target: missing"),
    ({"uid": "not-a-uuid"}, 'notes[3].uid: not a UUID ("not-a-uuid")'),
    ({"uid": None, "id": None}, "notes[3].uid: missing, and no id to derive one from"),
    ({"id": True}, "notes[3].id: not a whole number (true)"),
    ({"created": "yesterday"}, 'notes[3].created: not a date and time ("yesterday")'),
    ({"history": ["zz"]}, "notes[3].history: holds something that is not a version key"),
    ({"history": "abc"}, "notes[3].history: not a list of at most"),
    ({"anchor": ["x"]}, "notes[3].anchor: not an object of short texts"),
    ({"author": "x" * 201}, "notes[3].author: 201 characters, more than 200"),
    (
        {"text": "x" * (notes_import.MAX_TEXT + 1)},
        "notes[3].text: 100001 characters, more than 100000",
    ),
]


@pytest.mark.parametrize(
    ("change", "message"),
    BAD_ROWS,
    ids=[m.split(":")[0] + str(i) for i, (_, m) in enumerate(BAD_ROWS)],
)
def test_a_bad_row_is_named_and_nothing_is_written(
    run: Run, user_file: Path, tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    rows = [_note(uid=f"2b0c6f0e-4c1a-4d55-9a51-1b9d3f0c7e1{i}") for i in range(3)] + [
        _note(**change)
    ]
    path = tmp_path / "theirs.json"
    path.write_text(json.dumps(_export(rows)))
    _refused(run, user_file, path, message)


def test_every_bad_row_is_listed_not_only_the_first(
    run: Run, user_file: Path, tmp_path: Path
) -> None:
    path = tmp_path / "theirs.json"
    path.write_text(
        json.dumps(
            _export(
                [_note(text=1), _note(target=2)],
                bookmarks=[{"target": "nope"}],
                tags={"Not An Id": ["x"], "case-a": [3]},
            )
        )
    )
    _refused(
        run,
        user_file,
        path,
        "notes[0].text: not text (1)",
        "notes[1].target: not text (2)",
        'bookmarks[0].target: not a target such as case:<id> ("nope")',
        'tags["Not An Id"]: not a case id',
        'tags["case-a"]: not a list of tags',
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\xff\xfe{}", "not UTF-8 text"),
        (
            b'{"format": "ccgtui notes export", "notes": [NaN]}',
            "not valid JSON (NaN is not a JSON number)",
        ),
        (
            b'{"notes": [], "notes": []}',
            'not valid JSON (the key "notes" appears twice in one object',
        ),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b"[]", "not a notes export (the top level is not a JSON object)"),
        (b'{"format": "ccgtui cache"}', 'not a notes export (format "ccgtui cache")'),
        (
            b'{"meta": {"1": {"format": "ccgtui notes"}}, "notes": {}}',
            "a ccgtui database file, not a notes export",
        ),
        (
            b'{"format": "ccgtui notes export", "format_version": 2}',
            "written by a newer ccgtui (export format 2)",
        ),
        (b'{"format": "ccgtui notes export", "notes": {}}', "notes: not a list"),
        (b'{"hello": 1}', "not a notes export (no 'format' marker and no 'notes' list)"),
    ],
)
def test_files_that_are_not_a_notes_export(
    run: Run, user_file: Path, tmp_path: Path, raw: bytes, message: str
) -> None:
    path = tmp_path / "theirs.json"
    path.write_bytes(raw)
    _refused(run, user_file, path, message)


def test_size_caps(
    run: Run, user_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "theirs.json"
    path.write_text(json.dumps(_export([_note(uid=None, id=i) for i in range(1, 6)])))
    monkeypatch.setattr(notes_import, "MAX_ROWS", 4)
    _refused(run, user_file, path, "notes: 5 rows, more than 4")
    monkeypatch.setattr(notes_import, "MAX_FILE_BYTES", 100)
    _refused(run, user_file, path, "larger than 0 MB; not a notes export")


def test_a_folder_or_missing_file(run: Run, user_file: Path, tmp_path: Path) -> None:
    _refused(run, user_file, tmp_path, "is a folder, not a notes export")
    _refused(run, user_file, tmp_path / "nope.json", "cannot read it: No such file or directory")


def test_terminal_controls_in_text_and_file_name_never_reach_the_terminal(
    run: Run, user_file: Path, tmp_path: Path
) -> None:
    evil = "\x1b]0;pwned\x07\x1b[2Jnote \u202eevil"
    path = tmp_path / "a\x1b[31mb.json"
    path.write_text(
        json.dumps(_export([_note(text=evil, author="\x1b[5mben", context="\x1b[1mctx")]))
    )
    code, out, err = run("notes", "import", str(path), "--merge")
    assert code == 0 and "\x1b" not in out + err and "a\\x1b[31mb.json'" in out
    code, out, err = run("note", "list")
    assert code == 0 and "\x1b" not in out + err and "pwned" in out
    bad = tmp_path / "b\x1b[31m.json"
    bad.write_text("[]")
    code, out, err = run("notes", "import", str(bad), "--merge")
    assert code == 1 and "\x1b" not in err and "b\\x1b[31m.json'" in err


def test_a_concurrent_note_add_is_not_lost(
    minimal_folder: Path, isolated_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`note add` in another process while the import merges: the lock makes it wait."""
    store = Store(isolated_db, minimal_folder)
    store.open()
    other = Store(isolated_db, minimal_folder)  # its own lock handle, as another process has
    real = notes_merge.merge_notes
    adder: list[threading.Thread] = []
    waiting: list[bool] = []

    def merge_while_someone_adds(local: Any, incoming: Any) -> Any:
        thread = threading.Thread(
            target=ud.add_note, args=(other, "case:case-a", "added meanwhile")
        )
        thread.start()
        thread.join(timeout=1.0)
        waiting.append(thread.is_alive())  # it must still be waiting for the lock
        adder.append(thread)
        return real(local, incoming)

    monkeypatch.setattr(notes_merge, "merge_notes", merge_while_someone_adds)
    incoming = notes_import.parse_export(json.dumps(_export([_note(text="imported")])).encode())
    ud.import_notes(store, incoming, merge=True)
    adder[0].join()
    assert waiting == [True]
    assert sorted(n.text for n in ud.list_notes(store)) == ["added meanwhile", "imported"]
