"""``ccgtui notes import [--merge]``: two researchers' notes, merged by uid (issue 17 item 6)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from ccgtui.cli import cli
from ccgtui.notes_merge import conflicted, key_of, legacy_uid, merge_notes, version_key

Run = Callable[..., tuple[int, str, str]]

# -- the pure merge --------------------------------------------------------------

UIDS = ["00000000-0000-4000-8000-00000000000" + str(i) for i in range(3)]
TEXTS = ["a", "b", "c"]
TARGETS = ["case:case-a", "stage:case-a/start"]


@st.composite
def note_rows(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A notes file's rows: a few uids, each with a few versions and plausible histories."""
    rows: list[dict[str, Any]] = []
    for number in range(1, draw(st.integers(0, 5)) + 1):
        uid = draw(st.sampled_from(UIDS))
        target, text = draw(st.sampled_from(TARGETS)), draw(st.sampled_from(TEXTS))
        # A history names earlier versions of the same note (what an edit records).
        earlier = draw(st.lists(st.tuples(st.sampled_from(TARGETS), st.sampled_from(TEXTS))))
        history = sorted(
            {version_key(uid, t, x) for t, x in earlier} - {version_key(uid, target, text)}
        )
        rows.append(
            {
                "id": number,
                "uid": uid,
                "target": target,
                "text": text,
                "created": draw(
                    st.sampled_from(["2026-01-01T00:00:00+00:00", "2026-02-01T00:00:00+00:00"])
                ),
                "updated": draw(
                    st.sampled_from(["2026-03-01T00:00:00+00:00", "2026-04-01T00:00:00+00:00"])
                ),
                "author": draw(st.sampled_from(["anna", "ben"])),
                "history": history,
                "context": "",
                "anchor": None,
            }
        )
    return rows


def _as_set(rows: list[dict[str, Any]]) -> set[str]:
    """The notes as a set, local numbers left out (they are each file's own)."""
    return {json.dumps({k: v for k, v in r.items() if k != "id"}, sort_keys=True) for r in rows}


def _kept(row: dict[str, Any], merged: list[dict[str, Any]]) -> bool:
    """The version is there, or one standing beside it (same uid) replaced it knowingly."""
    key = key_of(row)
    same = [m for m in merged if m["uid"] == row["uid"]]
    return any(key_of(m) == key or key in m["history"] for m in same)


@settings(max_examples=300, deadline=None)
@given(note_rows(), note_rows())
def test_merge_is_commutative_and_loses_nothing(
    mine: list[dict[str, Any]], theirs: list[dict[str, Any]]
) -> None:
    one, two = merge_notes(mine, theirs), merge_notes(theirs, mine)
    assert _as_set(one) == _as_set(two)
    assert all(_kept(row, one) for row in [*mine, *theirs])
    # Two versions of one note left standing are flagged; one version is not.
    for uid in {r["uid"] for r in one}:
        standing = {key_of(r) for r in one if r["uid"] == uid}
        assert (uid in conflicted(one)) == (len(standing) > 1)
    # Your note numbers stay yours: every local number is used once at most.
    numbers = [r["id"] for r in one if r["id"] is not None]
    assert len(numbers) == len(set(numbers)) and set(numbers) <= {r["id"] for r in mine}


@settings(max_examples=300, deadline=None)
@given(note_rows(), note_rows())
def test_merge_is_idempotent(mine: list[dict[str, Any]], theirs: list[dict[str, Any]]) -> None:
    once = merge_notes(mine, theirs)
    for number, row in enumerate(once, 100):  # as the store numbers new notes
        row["id"] = row["id"] if row["id"] is not None else number
    twice = merge_notes(once, theirs)
    assert _as_set(twice) == _as_set(once)
    assert all(r["id"] is not None for r in twice)  # nothing new the second time


def test_same_note_edited_apart_is_kept_twice_and_an_edit_replaces_its_old_text() -> None:
    uid = UIDS[0]
    base = {
        "uid": uid,
        "target": "case:case-a",
        "created": "",
        "updated": "",
        "author": "",
        "context": "",
        "anchor": None,
    }
    old = {**base, "id": 1, "text": "old", "history": []}
    edited = {**base, "id": 7, "text": "new", "history": [version_key(uid, "case:case-a", "old")]}
    clash = {**base, "id": 9, "text": "other", "history": [version_key(uid, "case:case-a", "old")]}
    assert [r["text"] for r in merge_notes([old], [edited])] == ["new"]
    assert merge_notes([old], [edited])[0]["id"] == 1  # your number, their newer text
    both = merge_notes([edited], [clash])
    assert sorted(r["text"] for r in both) == ["new", "other"] and conflicted(both) == {uid}


def test_legacy_uid_is_the_same_for_two_copies_of_one_old_note() -> None:
    assert legacy_uid("2026-01-01T00:00:00+00:00", 3, "case:a") == legacy_uid(
        "2026-01-01T00:00:00+00:00", 3, "case:a"
    )
    assert legacy_uid("2026-01-01T00:00:00+00:00", 3, "case:a") != legacy_uid(
        "2026-01-01T00:00:00+00:00", 4, "case:a"
    )


# -- two researchers, through the CLI --------------------------------------------


@pytest.fixture
def researcher(minimal_folder: Path, tmp_path: Path) -> Callable[[str], Run]:
    """A CLI runner with its own notes file (``--db``) and author name."""

    def make(name: str) -> Run:
        folder = tmp_path / name
        folder.mkdir()

        def invoke(*args: str) -> tuple[int, str, str]:
            result = CliRunner(env={"CCGTUI_AUTHOR": name}).invoke(
                cli,
                ["--cases", str(minimal_folder), "--db", str(folder / "ccgtui.json"), *args],
                catch_exceptions=False,
            )
            return result.exit_code, result.stdout, result.stderr

        return invoke

    return make


def _export(run: Run, path: Path) -> Path:
    code, _, err = run("notes", "export", "--format", "json", "-o", str(path), "--force")
    assert code == 0, err
    return path


def _notes(run: Run, *extra: str) -> list[dict[str, Any]]:
    code, out, err = run("note", "list", "--format", "json", *extra)
    assert code == 0, err
    return list(json.loads(out))


def _state(run: Run, tmp_path: Path) -> tuple[set[tuple[str, str]], dict[str, Any], set[str]]:
    data = json.loads(_export(run, tmp_path / "state.json").read_text())
    notes = {(n["target"], n["text"]) for n in data["notes"]}
    return notes, data["tags"], {b["target"] for b in data["bookmarks"]}


def test_two_researchers_edit_apart_and_merge_both_ways(
    researcher: Callable[[str], Run], tmp_path: Path
) -> None:
    anna, ben = researcher("anna"), researcher("ben")
    anna("note", "add", "case:case-a", "shared note")
    anna("tag", "add", "case-a", "frailty")
    # Ben starts from Anna's notes.
    assert ben("notes", "import", str(_export(anna, tmp_path / "anna0.json")))[0] == 0
    assert [n["text"] for n in _notes(ben)] == ["shared note"]
    # Apart: both edit the shared note differently, each adds notes, tags, bookmarks.
    anna("note", "edit", "1", "anna's reading")
    ben("note", "edit", "1", "ben's reading")
    anna("note", "add", "stage:case-a/start", "only anna")
    ben("note", "add", "case:case-a", "only ben")
    anna("tag", "add", "case-a", "board")
    ben("tag", "add", "case-a", "practice")
    anna("bookmark", "add", "case:case-a")
    ben("bookmark", "add", "stage:case-a/start")
    a_file, b_file = _export(anna, tmp_path / "anna.json"), _export(ben, tmp_path / "ben.json")

    code, out, err = anna("notes", "import", str(b_file), "--merge")
    assert code == 0 and "1 note in two versions" in err, (out, err)
    code, _, _ = ben("notes", "import", str(a_file), "--merge")
    assert code == 0

    assert _state(anna, tmp_path) == _state(ben, tmp_path)
    notes, tags, marks = _state(anna, tmp_path)
    assert notes == {
        ("case:case-a", "anna's reading"),
        ("case:case-a", "ben's reading"),
        ("stage:case-a/start", "only anna"),
        ("case:case-a", "only ben"),
    }
    assert tags == {"case-a": ["board", "frailty", "practice"]}
    assert marks == {"case:case-a", "stage:case-a/start"}
    clash = _notes(anna, "--conflicts")
    assert sorted((n["text"], n["author"]) for n in clash) == [
        ("anna's reading", "anna"),
        ("ben's reading", "ben"),
    ]
    assert len({n["uid"] for n in clash}) == 1
    assert [n["id"] for n in _notes(anna) if n["text"] == "anna's reading"] == [
        1
    ]  # her number kept

    # Idempotent: importing the same file again changes nothing.
    before = (tmp_path / "anna" / "ccgtui.user.json").read_bytes()
    code, out, _ = anna("notes", "import", str(b_file), "--merge")
    assert code == 0 and "0 notes added" in out
    assert (tmp_path / "anna" / "ccgtui.user.json").read_bytes() == before

    # Resolving keeps one version; the other stays away when Ben's file comes again,
    # and Anna's choice wins on Ben's side too.
    winner = next(n["id"] for n in clash if n["author"] == "anna")
    code, out, _ = anna("note", "resolve", str(winner))
    assert code == 0 and "removed note" in out
    assert _notes(anna, "--conflicts") == []
    anna("notes", "import", str(b_file), "--merge")
    assert _notes(anna, "--conflicts") == []
    ben("notes", "import", str(_export(anna, tmp_path / "anna2.json")), "--merge")
    assert _notes(ben, "--conflicts") == []
    assert _state(anna, tmp_path)[0] == _state(ben, tmp_path)[0]
    assert ("case:case-a", "ben's reading") not in _state(ben, tmp_path)[0]
    assert anna("note", "resolve", str(winner))[0] == 1  # no longer in conflict


def test_an_edit_on_one_side_replaces_the_old_text_on_the_other(
    researcher: Callable[[str], Run], tmp_path: Path
) -> None:
    anna, ben = researcher("anna"), researcher("ben")
    anna("note", "add", "case:case-a", "draft")
    ben("notes", "import", str(_export(anna, tmp_path / "a0.json")))
    ben("note", "edit", "1", "better")
    code, out, err = anna("notes", "import", str(_export(ben, tmp_path / "b.json")), "--merge")
    assert code == 0 and "1 replaced" in out and "two versions" not in err
    assert [(n["id"], n["text"]) for n in _notes(anna)] == [(1, "better")]
    assert _notes(anna, "--conflicts") == []


def test_plain_import_refuses_when_you_have_notes(
    researcher: Callable[[str], Run], tmp_path: Path
) -> None:
    anna, ben = researcher("anna"), researcher("ben")
    anna("note", "add", "case:case-a", "a")
    ben("note", "add", "case:case-a", "b")
    before = (tmp_path / "ben" / "ccgtui.user.json").read_bytes()
    code, _, err = ben("notes", "import", str(_export(anna, tmp_path / "a.json")))
    assert code == 1 and "use --merge" in err
    assert (tmp_path / "ben" / "ccgtui.user.json").read_bytes() == before


def test_notes_without_uids_get_stable_ones_and_old_exports_merge(
    researcher: Callable[[str], Run], tmp_path: Path
) -> None:
    """A notes file from before uids: each copy derives the same uid on reading."""
    anna, ben = researcher("anna"), researcher("ben")
    anna("note", "add", "case:case-a", "old note")
    user = tmp_path / "anna" / "ccgtui.user.json"
    data = json.loads(user.read_text())
    for row in data["notes"].values():
        del row["uid"], row["author"]  # as ccgtui 0.1 wrote it
    user.write_text(json.dumps(data))
    exported = json.loads(_export(anna, tmp_path / "old.json").read_text())
    for key in ("format", "format_version"):
        del exported[key]  # an export from before the marker
    for row in exported["notes"]:
        del row["uid"], row["author"], row["history"]
    (tmp_path / "old.json").write_text(json.dumps(exported))
    assert ben("notes", "import", str(tmp_path / "old.json"))[0] == 0
    # Both derive the same uid, so merging back adds nothing and flags nothing.
    code, out, err = anna("notes", "import", str(_export(ben, tmp_path / "b.json")), "--merge")
    assert code == 0 and "0 notes added" in out and "two versions" not in err
    assert [n["text"] for n in _notes(anna)] == ["old note"]
