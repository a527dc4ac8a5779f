"""``ccgtui note|tag|bookmark|notes export`` and ``db backup|restore``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ccgtui.cli import cli
from tests.conftest import MINIMAL_CASE

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(minimal_folder: Path) -> Run:
    def invoke(*args: str, input: str | None = None) -> tuple[int, str, str]:
        result = CliRunner().invoke(
            cli, ["--cases", str(minimal_folder), *args], input=input, catch_exceptions=False
        )
        return result.exit_code, result.stdout, result.stderr

    return invoke


def _notes(run: Run) -> list[dict[str, object]]:
    code, out, _ = run("note", "list", "--format", "json")
    assert code == 0
    return list(json.loads(out))


def test_note_add_list_edit_rm(run: Run) -> None:
    code, out, _ = run("note", "add", "case:case-a", "first [bold]note[/]")
    assert (code, out.strip()) == (0, "added note 1 on case:case-a")
    code, out, _ = run("note", "add", "Case A", "by label")
    assert (code, out.strip()) == (0, "added note 2 on case:case-a")
    run("note", "add", "stage:case-a/start", "stage")
    rows = _notes(run)
    assert [(r["id"], r["target"], r["status"]) for r in rows] == [
        (1, "case:case-a", "ok"),
        (2, "case:case-a", "ok"),
        (3, "stage:case-a/start", "ok"),
    ]
    assert rows[0]["text"] == "first [bold]note[/]"  # stored and printed as data
    code, out, _ = run("note", "list")
    assert code == 0 and "first [bold]note[/]" in out
    code, out, _ = run("note", "list", "stage:case-a/start", "--format", "csv")
    assert out.splitlines()[1].startswith("3,stage:case-a/start,ok,")
    code, _, _ = run("note", "edit", "2", "edited")
    assert code == 0 and _notes(run)[1]["text"] == "edited"
    code, out, _ = run("note", "rm", "1")
    assert code == 0 and [r["id"] for r in _notes(run)] == [2, 3]


def test_note_edit_opens_the_editor(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    run("note", "add", "case:case-a", "old text")
    seen: list[str | None] = []

    def fake_edit(text: str | None = None, **_: object) -> str:
        seen.append(text)
        return "new text from editor\n"

    monkeypatch.setattr(click, "edit", fake_edit)
    code, out, _ = run("note", "edit", "1")
    assert code == 0 and seen == ["old text"]
    assert _notes(run)[0]["text"] == "new text from editor"
    monkeypatch.setattr(click, "edit", lambda *a, **k: None)  # editor quit without saving
    code, out, _ = run("note", "edit", "1")
    assert code == 0 and "unchanged" in out


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("note", "add", "case:nope", "x"), 1, "does not exist"),
        (("note", "add", "nope-at-all", "x"), 1, "no case matches"),
        (("note", "add", "bogus:x", "x"), 2, "not a target"),
        (("note", "add", "partner:case-a/0", "x"), 2, "partner"),
        (("note", "add", "case:case-a", "   "), 1, "needs some text"),
        (("note", "rm", "99"), 1, "no note with id 99"),
        (("note", "rm", "abc"), 2, "not a valid integer"),
        (("bookmark", "rm", "5"), 1, "no bookmark"),
        (("tag", "rm", "case-a", "absent"), 1, "no tag"),
        (("tag", "add", "case-a", "  "), 1, "needs some text"),
    ],
)
def test_errors_are_clean(run: Run, args: tuple[str, ...], code: int, message: str) -> None:
    got, out, err = run(*args)
    assert got == code
    assert message in err
    assert "Traceback" not in err + out


def test_orphaned_notes_are_listed_never_dropped(run: Run, minimal_folder: Path) -> None:
    run("note", "add", "stage:case-a/start", "about the start")
    run("tag", "add", "case-a", "Follow up")
    (minimal_folder / "case-a.yaml").write_text(MINIMAL_CASE.replace("id: start", "id: begin"))
    rows = _notes(run)
    assert [(r["text"], r["status"]) for r in rows] == [("about the start", "ORPHANED")]
    code, out, _ = run("note", "list", "--orphaned", "--format", "csv")
    assert "about the start" in out
    code, out, _ = run("note", "list")
    assert "ORPHANED" in out
    (minimal_folder / "case-a.yaml").unlink()
    (minimal_folder / "case-b.yaml").write_text(MINIMAL_CASE.replace("case-a", "case-b"))
    code, out, _ = run("tag", "list", "--format", "json")
    assert json.loads(out) == [{"case": "case-a", "status": "ORPHANED", "tags": ["follow-up"]}]
    code, _, _ = run("tag", "rm", "case-a", "follow up")
    assert code == 0
    code, _, _ = run("note", "edit", "1", "--target", "stage:case-b/start")
    assert code == 0 and _notes(run)[0]["status"] == "ok"


def test_tags_cli(run: Run) -> None:
    code, out, _ = run("tag", "add", "case-a", "Follow  Up", "frailty")
    assert (code, out.strip()) == (0, "case-a: follow-up, frailty")
    code, out, _ = run("tag", "list", "--format", "csv")
    assert out.splitlines() == ["case,status,tags", "case-a,ok,follow-up frailty"]
    code, out, _ = run("tag", "rm", "case-a", "FRAILTY")
    assert code == 0
    code, out, _ = run("tag", "list", "case-a", "--format", "json")
    assert json.loads(out)[0]["tags"] == ["follow-up"]


def test_bookmarks_cli(run: Run) -> None:
    code, out, _ = run("bookmark", "add", "case-a", "--label", "for Tuesday")
    assert (code, out.strip()) == (0, "bookmark 1: case:case-a")
    run("bookmark", "add", "source:src-a")
    code, out, _ = run("bookmark", "list", "--format", "json")
    assert [(b["id"], b["label"]) for b in json.loads(out)] == [(1, "for Tuesday"), (2, "")]
    code, _, _ = run("bookmark", "rm", "1")
    code, out, _ = run("bookmark", "list", "--format", "json")
    assert [b["id"] for b in json.loads(out)] == [2]


def test_notes_export(run: Run, tmp_path: Path) -> None:
    run("note", "add", "case-a", "exported text")
    code, out, _ = run("notes", "export", "--format", "json")
    assert code == 0 and json.loads(out)["notes"][0]["text"] == "exported text"
    target = tmp_path / "notes.md"
    code, _, err = run("notes", "export", "-o", str(target))
    assert code == 0 and "wrote" in err
    assert "exported text" in target.read_text()


def test_db_backup_and_restore(run: Run, tmp_path: Path) -> None:
    run("note", "add", "case-a", "before backup")
    saved = tmp_path / "saved.json"
    code, out, _ = run("db", "backup", str(saved))
    assert code == 0 and saved.exists()
    code, _, err = run("db", "backup", str(saved))
    assert code == 1 and "--force" in err
    code, _, _ = run("db", "backup", str(saved), "--force")
    assert code == 0
    run("note", "add", "case-a", "after backup")
    code, out, _ = run("db", "restore", str(saved))
    assert code == 0 and [r["text"] for r in _notes(run)] == ["before backup"]
    code, _, err = run("db", "restore")
    assert code == 2 and "--latest" in err
    code, out, _ = run("db", "restore", "--latest")
    assert code == 0 and "ccgtui.backups" in out


def test_db_restore_refuses_a_bad_file_and_changes_nothing(
    run: Run, tmp_path: Path, isolated_db: Path
) -> None:
    run("note", "add", "case-a", "keep me")
    user = isolated_db.with_name("ccgtui.user.json")
    before = user.read_bytes()
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "ours"}')
    code, _, err = run("db", "restore", str(bad))
    assert code == 1 and "cannot restore" in err
    assert user.read_bytes() == before
    code, _, err = run("db", "restore", str(tmp_path / "missing.json"))
    assert code == 1 and "not a file" in err


def test_corrupt_notes_file_is_recovered_on_the_next_command(run: Run, isolated_db: Path) -> None:
    run("note", "add", "case-a", "survives")
    isolated_db.with_name("ccgtui.user.json").write_bytes(b"")
    code, out, err = run("note", "list", "--format", "json")
    assert code == 0
    assert "recovered notes from backup" in err
    assert [r["text"] for r in json.loads(out)] == ["survives"]
