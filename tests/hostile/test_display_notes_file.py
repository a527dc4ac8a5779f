"""A notes file from someone else (``db restore``, a shared ``--db``) reaches no terminal raw.

The fixture writes notes, tags and bookmarks the normal way, then edits the TinyDB JSON
as another tool would: every string in those rows gets escape sequences (window title,
OSC 52 clipboard, clear screen, an 8-bit CSI, NUL) and a bidi override.  The index
file's labels get the same.  Every command that prints them must print no byte below
0x20 other than newline and tab, and no C1 control.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccgtui import userdata
from ccgtui.cli import cli
from ccgtui.store import Store
from tests.test_store import edit_toc

ATTACK = "\x1b]0;pwned\x07\x1b]52;c;SGVsbG8=\x07\x1b[2J\x9b31m\x00\u202e"
Run = Callable[..., tuple[int, str, str]]


def _poison(value: object) -> object:
    """Every string in a row gains the attack (keys and numbers are left alone)."""
    if isinstance(value, str):
        return f"{value}{ATTACK}x"
    if isinstance(value, dict):
        return {k: _poison(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_poison(v) for v in value]
    return value


def _visible_only(text: str) -> list[str]:
    """Characters a terminal could act on: C0 but newline/tab, DEL, C1."""
    return [ch for ch in text if (ord(ch) < 0x20 and ch not in "\n\t") or 0x7F <= ord(ch) <= 0x9F]


@pytest.fixture
def run(minimal_folder: Path, isolated_db: Path) -> Run:
    store = Store(isolated_db, minimal_folder)
    store.open()
    dataset = store.dataset()
    # A row on a real target (its text poisoned) and one whose target is poisoned too.
    userdata.add_note(store, "case:case-a", "note one", dataset=dataset)
    userdata.add_note(store, "stage:case-a/start", "note two", dataset=dataset)
    userdata.add_tags(store, "case-a", ["follow-up"])
    userdata.add_bookmark(store, "case:case-a", "look again", dataset=dataset)
    data = json.loads(store.user_path.read_text(encoding="utf-8"))
    notes, tags, bookmarks = data["notes"], data["tags"], data["bookmarks"]
    first, last = list(notes)
    # note 1 and the bookmark keep their real target, so names are resolved and shown too;
    # note 2 is poisoned throughout (an orphan with a hostile target).
    notes[first] = {**_poison(notes[first]), "id": 1, "target": "case:case-a"}
    notes[last] = {**_poison(notes[last]), "id": 2}
    mark = next(iter(bookmarks))
    bookmarks[mark] = {**_poison(bookmarks[mark]), "id": 1, "target": "case:case-a"}
    # a hostile tag on a real case (theme matrices, tag filters) and one on a hostile case
    row = next(iter(tags.values()))
    tags["98"] = {**_poison(row), "case": "case-a"}
    tags["99"] = _poison(row)
    store.user_path.write_text(json.dumps(data), encoding="utf-8")
    # the label the lazy case list shows
    edit_toc(store.index_path, "UPDATE cases SET label = ? WHERE ordinal = 0", f"Case A{ATTACK}")

    def invoke(*args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(cli, ["--cases", str(minimal_folder), *args])
        return result.exit_code, result.stdout, result.stderr

    return invoke


COMMANDS = [
    *(("note", "list", "--format", f) for f in ("table", "json", "csv")),
    *(("tag", "list", "--format", f) for f in ("table", "json", "csv")),
    *(("bookmark", "list", "--format", f) for f in ("table", "json", "csv")),
    ("notes", "export"),
    ("notes", "export", "--format", "json"),
    ("tag", "add", "case-a", "another"),
    ("note", "rm", "2"),
    ("bookmark", "rm", "1"),
    ("search", "note"),
    ("search", "note", "--format", "json"),
    ("search", "note", "--format", "csv"),
    *(("matrix", "--by", "themes", "--format", f) for f in ("table", "json", "csv", "md")),
    *(("list", "--format", f) for f in ("table", "json", "csv")),
    ("export", "csv", "--what", "matrix", "--by", "themes"),
    ("export", "md", "--what", "matrix", "--by", "themes"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_no_terminal_control_reaches_the_output(run: Run, args: tuple[str, ...]) -> None:
    code, out, err = run(*args)
    assert code == 0, err
    assert _visible_only(out) == [], out
    assert _visible_only(err) == [], err


def test_the_poisoned_rows_are_shown_not_dropped(run: Run) -> None:
    code, out, _ = run("note", "list", "--format", "json")
    assert code == 0
    # JSON keeps the data exactly: controls and bidi come out as \\uXXXX escapes.
    assert [row["text"] for row in json.loads(out)] == [f"note one{ATTACK}x", f"note two{ATTACK}x"]
    code, out, _ = run("note", "list")
    assert "pwned" in out
    code, out, _ = run("list", "--format", "csv")
    assert "Case A" in out and "pwned" in out
