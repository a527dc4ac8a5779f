"""Notes when there is no case data at all (issue 13 item 13).

The case folder has a problem and the case cache is missing or damaged, so no
case data can be had.  The notes file does not depend on either: `note`, `tag`,
`bookmark` and `notes export` still read it, say once on stderr why the case
data is unavailable, and show each item's status as unknown (never ORPHANED,
which would claim its target has gone).  Writes that must check a target
against the case data are refused and change nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ccgtui import userdata as ud
from ccgtui.cli import cli
from ccgtui.store import Store

NOTICE = "case data is unavailable"


def _run(folder: Path, db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--cases", str(folder), "--db", str(db), *args])


def _damage_cache(db: Path, how: str) -> None:
    if how == "deleted":
        db.unlink()
    elif how == "truncated":
        db.write_bytes(db.read_bytes()[:120])
    else:  # garbled in the middle; ccgtui's marker at the start is kept
        raw = bytearray(db.read_bytes())
        middle = len(raw) // 2
        raw[middle : middle + 40] = b"\x00\xff{{{[[[" * 5
        db.write_bytes(bytes(raw))


@pytest.fixture(params=["deleted", "truncated", "garbled"])
def no_case_data(request: pytest.FixtureRequest, minimal_folder: Path, tmp_path: Path) -> Path:
    """A database with notes, tags and a bookmark; then a broken folder and a damaged cache."""
    db = tmp_path / "ccgtui.json"
    store = Store(db, minimal_folder)
    store.open()
    ud.add_note(store, "case:case-a", "remember the board", dataset=store.dataset())
    ud.add_note(store, "partner:case-a/1", "social work first", dataset=store.dataset())
    ud.add_tags(store, "case-a", ["follow-up"])
    ud.add_bookmark(store, "case:case-a", "start here", dataset=store.dataset())
    (minimal_folder / "zz-broken.yaml").write_text("id: [unclosed\n")
    _damage_cache(db, str(request.param))
    return db


def _one_notice(result: Result) -> None:
    assert result.stderr.count(NOTICE) == 1, result.stderr
    assert "problem" in result.stderr and "validate" in result.stderr, result.stderr  # why
    assert "Traceback" not in result.stderr


def test_note_list_still_lists_the_notes(minimal_folder: Path, no_case_data: Path) -> None:
    result = _run(minimal_folder, no_case_data, "note", "list", "--format", "json")
    assert result.exit_code == 0, (result.stderr, result.exception)
    rows = json.loads(result.stdout)
    assert [r["text"] for r in rows] == ["remember the board", "social work first"]
    assert {r["status"] for r in rows} == {"unknown"}
    _one_notice(result)


def test_note_list_table_says_unknown_not_orphaned(
    minimal_folder: Path, no_case_data: Path
) -> None:
    result = _run(minimal_folder, no_case_data, "note", "list")
    assert result.exit_code == 0, (result.stderr, result.exception)
    assert "remember the board" in result.stdout and "unknown" in result.stdout
    assert "ORPHANED" not in result.stdout + result.stderr
    _one_notice(result)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["tag", "list", "--format", "json"], "follow-up"),
        (["bookmark", "list", "--format", "json"], "start here"),
        (["note", "list", "case:case-a", "--format", "json"], "remember the board"),
    ],
)
def test_tags_and_bookmarks_are_listed_with_status_unknown(
    minimal_folder: Path, no_case_data: Path, args: list[str], expected: str
) -> None:
    result = _run(minimal_folder, no_case_data, *args)
    assert result.exit_code == 0, (result.stderr, result.exception)
    rows = json.loads(result.stdout)
    assert expected in result.stdout
    assert {r["status"] for r in rows} == {"unknown"}
    _one_notice(result)


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_notes_export_has_everything_and_claims_no_orphan(
    minimal_folder: Path, no_case_data: Path, fmt: str
) -> None:
    result = _run(minimal_folder, no_case_data, "notes", "export", "--format", fmt)
    assert result.exit_code == 0, (result.stderr, result.exception)
    for text in ("remember the board", "social work first", "follow-up", "start here"):
        assert text in result.stdout
    assert "ORPHANED" not in result.stdout
    if fmt == "json":
        data = json.loads(result.stdout)
        assert {n["orphaned"] for n in data["notes"] + data["bookmarks"]} == {None}
    _one_notice(result)


@pytest.mark.parametrize(
    "args",
    [
        ["note", "add", "case:case-a", "a new thought"],
        ["note", "add", "case-a", "a new thought"],
        ["note", "edit", "1", "--target", "case:case-a"],
        ["bookmark", "add", "case:case-a"],
        ["tag", "add", "case-a", "new-tag"],
    ],
)
def test_a_write_that_needs_the_case_data_is_refused_and_changes_nothing(
    minimal_folder: Path, no_case_data: Path, args: list[str]
) -> None:
    user = no_case_data.with_name("ccgtui.user.json")
    before = user.read_bytes()
    result = _run(minimal_folder, no_case_data, *args)
    assert result.exit_code == 1, (result.stderr, result.exception)
    assert "cannot be checked" in result.stderr and "nothing was saved" in result.stderr
    assert "Traceback" not in result.stderr
    assert user.read_bytes() == before


def test_orphaned_filter_says_it_cannot_tell(minimal_folder: Path, no_case_data: Path) -> None:
    result = _run(minimal_folder, no_case_data, "note", "list", "--orphaned")
    assert result.exit_code == 1
    assert "cannot tell" in result.stderr


def test_writes_that_need_no_case_data_still_work(minimal_folder: Path, no_case_data: Path) -> None:
    assert _run(minimal_folder, no_case_data, "note", "edit", "1", "new words").exit_code == 0
    assert _run(minimal_folder, no_case_data, "note", "rm", "2").exit_code == 0
    assert _run(minimal_folder, no_case_data, "tag", "rm", "case-a", "follow-up").exit_code == 0
    texts = [n.text for n in ud.list_notes(Store(no_case_data, minimal_folder))]
    assert texts == ["new words"]


def test_commands_about_cases_still_refuse(minimal_folder: Path, no_case_data: Path) -> None:
    result = _run(minimal_folder, no_case_data, "list")
    assert result.exit_code == 1
    assert "no earlier good load" in result.stderr


def test_a_damaged_cache_moved_aside_is_reported_when_the_load_fails(
    minimal_folder: Path, tmp_path: Path
) -> None:
    db = tmp_path / "ccgtui.json"
    Store(db, minimal_folder).open()
    (minimal_folder / "zz-broken.yaml").write_text("id: [unclosed\n")
    _damage_cache(db, "truncated")
    result = _run(minimal_folder, db, "list")
    assert result.exit_code == 1
    assert "was unreadable" in result.stderr and "moved to" in result.stderr, result.stderr
