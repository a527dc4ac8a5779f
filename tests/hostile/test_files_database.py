"""Database files someone else made or damaged (issue 13 items 7, 12, 13; issue 12 --db).

A damaged index is never trusted (an error naming `ccgtui load`); a file ccgtui
did not write is never moved aside; a notes file from a newer ccgtui is refused, not "recovered"; a
restore takes only a notes file; a group-shared notes file stays shared.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ccgtui import userdata as ud
from ccgtui.cli import cli
from ccgtui.store import Store, StoreError
from tests.test_store import edit_toc


def _run(folder: Path, db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--cases", str(folder), "--db", str(db), *args])


def _opened(folder: Path, db: Path) -> Store:
    store = Store(db, folder)
    store.open()
    return store


def _second_case(folder: Path) -> None:
    text = (folder / "case-a.yaml").read_text()
    (folder / "case-b.yaml").write_text(text.replace("case-a", "case-b").replace("Case A", "B"))


# -- item 7: a damaged index ------------------------------------------------------------------


def _damage_index(db: Path, change: str) -> None:
    index_path = db.with_name(db.stem + ".toc.sqlite")
    content = os.stat(db)
    if change == "swap":  # two cases' byte ranges exchanged, their checksums kept
        edit_toc(
            index_path,
            "UPDATE cases SET start = (SELECT start FROM cases AS o WHERE o.ordinal = 1 - "
            "cases.ordinal), stop = (SELECT stop FROM cases AS o WHERE o.ordinal = 1 - "
            "cases.ordinal) WHERE ordinal IN (0, 1)",
        )
    elif change == "swap ids":  # the ids exchanged: only the bytes at each start differ
        for ordinal, new_id in ((0, "x"), (1, "case-a"), (0, "case-b")):
            edit_toc(index_path, "UPDATE cases SET id = ? WHERE ordinal = ?", new_id, ordinal)
    else:
        edit_toc(index_path, "UPDATE cases SET stop = ? WHERE id = 'case-a'", 8 * 1024**3)
    os.utime(db, ns=(content.st_atime_ns, content.st_mtime_ns))  # size and mtime kept


@pytest.mark.parametrize("change", ["swap", "swap ids", "8 GB"])
@pytest.mark.parametrize(
    "command", [["show", "case-a"], ["search", "board"], ["list"], ["export", "json"]]
)
def test_a_damaged_index_is_never_trusted(
    minimal_folder: Path, tmp_path: Path, change: str, command: list[str]
) -> None:
    """Each record is checked when read (byte range, checksum, its id first): a damaged
    table of contents is a one-line error naming `ccgtui load`, never another case."""
    _second_case(minimal_folder)
    db = tmp_path / "ccgtui.json"
    _opened(minimal_folder, db)
    _damage_index(db, change)
    result = _run(minimal_folder, db, *command)
    if command[0] == "show" or command[0] == "export":
        assert result.exit_code == 1, (result.stdout, result.exception)
        assert "damaged" in result.stderr and "ccgtui load" in result.stderr
        assert "Case A" not in result.stdout and "case-b" not in result.stdout
    else:  # what they print (rows, the search index) is not what was damaged
        assert result.exit_code == 0, (result.stderr, result.exception)
    store = Store(db, minimal_folder)
    store.open(reload=True)  # what `ccgtui load` does
    assert [c.id for c in store.dataset().cases] == ["case-a", "case-b"]
    assert store.dataset().case("case-a").label == "Case A"  # type: ignore[union-attr]


# -- issue 12: --db names a file that is not a ccgtui database ----------------------------------


@pytest.mark.parametrize("text", ["# Briefing\n\nMy notes.\n", '{"name": "package"}', ""])
def test_a_db_that_is_someone_elses_file_is_refused_and_untouched(
    minimal_folder: Path, tmp_path: Path, text: str
) -> None:
    briefing = tmp_path / "briefing.md"
    briefing.write_text(text)
    before = sorted(p.name for p in tmp_path.iterdir())
    result = _run(minimal_folder, briefing, "list")
    if not text:  # an empty file holds nothing to lose: it becomes the database
        assert result.exit_code == 0, result.stderr
        return
    assert result.exit_code == 1, result.stderr
    assert "not a ccgtui database" in result.stderr and "untouched" in result.stderr
    assert briefing.read_text() == text
    assert not list(tmp_path.glob("briefing.md.corrupt-*"))
    assert set(before) <= {p.name for p in tmp_path.iterdir()}


def test_a_db_in_a_folder_that_does_not_exist_is_refused(
    minimal_folder: Path, tmp_path: Path
) -> None:
    db = tmp_path / "no" / "such" / "x.json"
    result = _run(minimal_folder, db, "list")
    assert result.exit_code == 1 and "does not exist" in result.stderr, result.stderr
    assert not (tmp_path / "no").exists()


def test_a_truncated_database_ccgtui_wrote_is_still_recovered(
    minimal_folder: Path, tmp_path: Path
) -> None:
    db = tmp_path / "ccgtui.json"
    _opened(minimal_folder, db)
    db.write_bytes(db.read_bytes()[:100])
    result = _run(minimal_folder, db, "list")
    assert result.exit_code == 0, result.stderr
    assert list(tmp_path.glob("ccgtui.json.corrupt-*"))


# -- item 12: restore, newer files, modes -----------------------------------------------------


def test_restore_refuses_the_case_cache(minimal_folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "ccgtui.json"
    store = _opened(minimal_folder, db)
    ud.add_note(store, "case:case-a", "precious")
    before = store.user_path.read_bytes()
    result = _run(minimal_folder, db, "db", "restore", str(db))
    assert result.exit_code == 1 and "case cache" in result.stderr, result.stderr
    assert store.user_path.read_bytes() == before


def test_a_notes_file_from_a_newer_ccgtui_is_refused_not_recovered(
    minimal_folder: Path, tmp_path: Path
) -> None:
    db = tmp_path / "ccgtui.json"
    store = _opened(minimal_folder, db)
    ud.add_note(store, "case:case-a", "old")
    data = json.loads(store.user_path.read_bytes())
    meta = data["meta"]["1"]
    meta.update(schema_version=2, written_by="9.0")
    store.user_path.write_text(json.dumps(data))
    newer = store.user_path.read_bytes()
    with pytest.raises(StoreError, match=r"newer ccgtui \(ccgtui 9.0.*upgrade"):
        Store(db, minimal_folder).open()
    result = _run(minimal_folder, db, "note", "list")
    assert result.exit_code == 1 and "upgrade" in result.stderr
    assert store.user_path.read_bytes() == newer
    assert not list(tmp_path.glob("*.corrupt-*"))


def test_a_group_shared_notes_file_keeps_its_mode(minimal_folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "ccgtui.json"
    store = _opened(minimal_folder, db)
    ud.add_note(store, "case:case-a", "first")
    assert stat.S_IMODE(store.user_path.stat().st_mode) == 0o600  # new files stay private
    store.user_path.chmod(0o660)
    ud.add_note(store, "case:case-a", "second")
    assert stat.S_IMODE(store.user_path.stat().st_mode) == 0o660


# -- item 13: notes without the case data ------------------------------------------------------


def test_db_check_reports_a_missing_or_moved_aside_content_file(
    minimal_folder: Path, tmp_path: Path
) -> None:
    db = tmp_path / "ccgtui.json"
    _opened(minimal_folder, db)
    db.rename(tmp_path / "ccgtui.json.corrupt-20260101-000000-1")
    result = _run(minimal_folder, db, "db", "check")
    assert result.exit_code == 1
    assert "missing" in result.stderr and "moved aside" in result.stderr, result.stderr
