"""Notes and bookmarks on partners survive a reordering of the case file's partners.

With partner ids the note follows its partner; without them the note remembers
which partner it was written on and is flagged orphaned (with where that partner
went) instead of being shown on whichever partner now sits at its position.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccgtui import userdata as ud
from ccgtui.cli import cli
from ccgtui.export.notes import render_notes_markdown
from ccgtui.loader import LoadError, load_folder
from ccgtui.model import Dataset
from ccgtui.store import Store
from tests.conftest import MINIMAL_SOURCES, MINIMAL_STUDY, write_folder

HEAD = """\
id: case-a
study: study-a
kind: in-depth
label: Case A
partners:
"""
GP = """\
  - {id}sector: primary-care
    organisation: Eastside GP federation
    text: GPs led the design.
    sources: [src-a]
"""
COUNCIL = """\
  - {id}sector: social-work
    organisation: Eastside Council
    text: Social workers joined the huddles.
    sources: [src-a]
"""
NURSES = """\
  - {id}sector: community-care
    text: Community nurses coordinated care.
    sources: [src-a]
"""
WARDS = """\
  - {id}sector: community-care
    text: Community wards took the discharges.
    sources: [src-a]
"""
PARTNERS = {"gp": GP, "council": COUNCIL, "nurses": NURSES, "wards": WARDS}


def case_file(order: list[str], *, ids: bool) -> str:
    return HEAD + "".join(
        PARTNERS[name].format(id=f"id: {name}\n    " if ids else "") for name in order
    )


def make_folder(root: Path, order: list[str], *, ids: bool) -> Path:
    return write_folder(
        root,
        {
            "sources.yaml": MINIMAL_SOURCES,
            "study.yaml": MINIMAL_STUDY,
            "case-a.yaml": case_file(order, ids=ids),
        },
    )


def reorder(folder: Path, order: list[str], *, ids: bool) -> None:
    (folder / "case-a.yaml").write_text(case_file(order, ids=ids), encoding="utf-8")


def open_store(db: Path, folder: Path) -> tuple[Store, Dataset]:
    store = Store(db, folder)
    store.open(reload=True)
    return store, store.dataset()


ORDER = ["gp", "council", "nurses", "wards"]
REORDERED = ["wards", "council", "gp", "nurses"]  # every partner but the council moves


# -- with partner ids: the note follows its partner ---------------------------------


def test_notes_follow_partners_with_ids(tmp_path: Path, isolated_db: Path) -> None:
    folder = make_folder(tmp_path / "cases", ORDER, ids=True)
    store, data = open_store(isolated_db, folder)
    case = data.case("case-a")
    assert case is not None
    assert ud.target_for_partner(case, 1) == "partner:case-a/gp"
    on_gp = ud.add_note(store, ud.target_for_partner(case, 1), "about the GPs", dataset=data)
    # A position typed by hand is stored as the partner's id.
    on_nurses = ud.add_note(store, "partner:case-a/3", "about the nurses", dataset=data)
    assert (on_gp.target, on_nurses.target) == ("partner:case-a/gp", "partner:case-a/nurses")
    mark = ud.add_bookmark(store, "partner:case-a/4", dataset=data)
    assert mark.target == "partner:case-a/wards"

    reorder(folder, REORDERED, ids=True)
    store, data = open_store(isolated_db, folder)
    notes = {n.text: n for n in ud.list_notes(store)}
    assert notes["about the GPs"].name(data) == "Case A › Partner gp: Eastside GP federation"
    assert notes["about the nurses"].name(data) == "Case A › Partner nurses: Community care"
    assert ud.orphaned(notes.values(), data) == []
    [bookmark] = ud.list_bookmarks(store)
    assert bookmark.name(data) == "Case A › Partner wards: Community care"


def test_a_partner_id_that_disappears_orphans_the_note(tmp_path: Path, isolated_db: Path) -> None:
    folder = make_folder(tmp_path / "cases", ORDER, ids=True)
    store, data = open_store(isolated_db, folder)
    ud.add_note(store, "partner:case-a/council", "keep me", dataset=data)
    text = case_file(ORDER, ids=True).replace("id: council", "id: borough")
    (folder / "case-a.yaml").write_text(text, encoding="utf-8")
    store, data = open_store(isolated_db, folder)
    [note] = ud.list_notes(store)
    assert note.text == "keep me" and note.name(data) is None
    # The remembered partner is found under its new id.
    assert note.moved_to(data) == "partner:case-a/borough"


# -- without ids: flagged, never silently moved ------------------------------------------


def test_position_notes_are_flagged_not_moved(tmp_path: Path, isolated_db: Path) -> None:
    folder = make_folder(tmp_path / "cases", ORDER, ids=False)
    store, data = open_store(isolated_db, folder)
    case = data.case("case-a")
    assert case is not None
    targets = [ud.target_for_partner(case, n) for n in range(1, 5)]
    assert targets == [f"partner:case-a/{n}" for n in range(1, 5)]
    for target, name in zip(targets, ORDER, strict=True):
        ud.add_note(store, target, f"about {name}", dataset=data)

    reorder(folder, REORDERED, ids=False)
    store, data = open_store(isolated_db, folder)
    notes = {n.text: n for n in ud.list_notes(store)}
    assert len(notes) == 4  # nothing dropped
    # The council is still second: its note stays attached.
    assert notes["about council"].name(data) == "Case A › Partner 2: Eastside Council"
    # Every other position now holds another partner: orphaned, with where it went.
    moved = {
        text: (n.target, n.name(data), n.moved_to(data))
        for text, n in notes.items()
        if text != "about council"
    }
    assert moved == {
        "about gp": ("partner:case-a/1", None, "partner:case-a/3"),
        "about nurses": ("partner:case-a/3", None, "partner:case-a/4"),
        "about wards": ("partner:case-a/4", None, "partner:case-a/1"),
    }
    assert notes["about gp"].title(data) == (
        "Case A › Partner 1: Eastside GP federation "
        "(orphaned: that partner is now partner:case-a/3)"
    )
    assert {n.text for n in ud.orphaned(notes.values(), data)} == set(moved)
    # Listing the case still shows every note; the export flags the moved ones.
    assert len(ud.list_notes(store, "case:case-a")) == 4
    exported = {n["text"]: n for n in ud.export_data(store, data)["notes"]}
    assert exported["about gp"]["orphaned"] is True
    assert exported["about gp"]["moved_to"] == "partner:case-a/3"
    assert exported["about council"]["orphaned"] is False
    markdown = render_notes_markdown(ud.export_data(store, data))
    assert "ORPHANED (that partner is now `partner:case-a/3`)" in markdown

    # Rescue: move the note to where its partner is now.
    fixed = ud.edit_note(store, notes["about gp"].id, target="partner:case-a/3", dataset=data)
    assert fixed.name(data) == "Case A › Partner 3: Eastside GP federation"


def test_same_sector_partners_without_organisation_are_told_apart(
    tmp_path: Path, isolated_db: Path
) -> None:
    """Two community-care partners with no organisation: the text tells them apart."""
    folder = make_folder(tmp_path / "cases", ["nurses", "wards"], ids=False)
    store, data = open_store(isolated_db, folder)
    ud.add_note(store, "partner:case-a/1", "about nurses", dataset=data)
    reorder(folder, ["wards", "nurses"], ids=False)
    store, data = open_store(isolated_db, folder)
    [note] = ud.list_notes(store)
    assert note.name(data) is None and note.moved_to(data) == "partner:case-a/2"


def test_a_reworded_partner_with_an_organisation_keeps_its_notes(
    tmp_path: Path, isolated_db: Path
) -> None:
    folder = make_folder(tmp_path / "cases", ORDER, ids=False)
    store, data = open_store(isolated_db, folder)
    ud.add_note(store, "partner:case-a/2", "about council", dataset=data)
    text = case_file(ORDER, ids=False).replace("joined the huddles", "joined each huddle")
    (folder / "case-a.yaml").write_text(text, encoding="utf-8")
    store, data = open_store(isolated_db, folder)
    [note] = ud.list_notes(store)
    assert note.name(data) == "Case A › Partner 2: Eastside Council"


def test_old_position_notes_still_work_and_are_checked_by_their_context(
    tmp_path: Path, isolated_db: Path
) -> None:
    """Notes written before anchors: no ``anchor``, a context naming the partner (or none)."""
    folder = make_folder(tmp_path / "cases", ORDER, ids=False)
    store, data = open_store(isolated_db, folder)
    with store.user_db() as db:
        db.table("notes").insert_multiple(
            [
                {
                    "id": 1,
                    "target": "partner:case-a/1",
                    "text": "old note with context",
                    "created": "2024-01-01T00:00:00+00:00",
                    "updated": "2024-01-01T00:00:00+00:00",
                    "context": "Case A › Partner 1: Eastside GP federation",
                },
                {
                    "id": 2,
                    "target": "partner:case-a/2",
                    "text": "old note without context",
                    "created": "2024-01-01T00:00:00+00:00",
                },
            ]
        )
    notes = ud.list_notes(store)
    assert [n.name(data) for n in notes] == [
        "Case A › Partner 1: Eastside GP federation",
        "Case A › Partner 2: Eastside Council",
    ]
    reorder(folder, REORDERED, ids=False)
    store, data = open_store(isolated_db, folder)
    with_context, without_context = ud.list_notes(store)
    assert with_context.name(data) is None
    assert with_context.moved_to(data) == "partner:case-a/3"
    # Nothing to check it against: it keeps its position, as before.
    assert without_context.name(data) == "Case A › Partner 2: Eastside Council"


def test_bookmarking_a_position_that_changed_makes_a_new_bookmark(
    tmp_path: Path, isolated_db: Path
) -> None:
    folder = make_folder(tmp_path / "cases", ORDER, ids=False)
    store, data = open_store(isolated_db, folder)
    first = ud.add_bookmark(store, "partner:case-a/1", "GPs", dataset=data)
    assert ud.add_bookmark(store, "partner:case-a/1", "GPs!", dataset=data).id == first.id
    reorder(folder, REORDERED, ids=False)
    store, data = open_store(isolated_db, folder)
    second = ud.add_bookmark(store, "partner:case-a/1", "wards", dataset=data)
    assert second.id != first.id
    marks = {b.label: b for b in ud.list_bookmarks(store)}
    assert marks["GPs!"].name(data) is None
    assert marks["wards"].name(data) == "Case A › Partner 1: Community care"


def test_cli_lists_a_moved_partner_note_as_orphaned(tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "cases", ORDER, ids=False)

    def run(*args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(cli, ["--cases", str(folder), *args], catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    code, out, _ = run("note", "add", "partner:case-a/1", "about gp")
    assert (code, out.strip()) == (0, "added note 1 on partner:case-a/1")
    reorder(folder, REORDERED, ids=False)
    code, out, err = run("note", "list", "--orphaned", "--format", "json")
    assert code == 0
    assert [(r["id"], r["status"]) for r in json.loads(out)] == [(1, "ORPHANED")]
    assert "now partner:case-a/3" in err
    assert "ccgtui note edit 1 --target partner:case-a/3" in err
    code, _, _ = run("note", "edit", "1", "--target", "partner:case-a/3")
    assert code == 0
    code, out, _ = run("note", "list", "--format", "json")
    assert [r["status"] for r in json.loads(out)] == ["ok"]


def test_cli_help_explains_partner_targets() -> None:
    result = CliRunner().invoke(cli, ["note", "add", "--help"])
    assert "partner:<case>/<partner-id>" in result.stdout


# -- the case file: partner ids ----------------------------------------------------------


def test_duplicate_partner_ids_are_rejected_with_file_field_and_problem(tmp_path: Path) -> None:
    text = case_file(ORDER, ids=True).replace("id: nurses", "id: gp")
    folder = make_folder(tmp_path / "cases", ORDER, ids=True)
    (folder / "case-a.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_folder(folder)
    [problem] = info.value.problems
    assert Path(problem.file).name == "case-a.yaml"
    assert problem.field == "partners"
    assert problem.line == 5  # the partners: key
    assert "duplicate partner id 'gp' (partners[0] and partners[2])" in problem.message
    result = CliRunner().invoke(cli, ["--cases", str(folder), "validate"])
    assert result.exit_code == 1
    assert "case-a.yaml:5: partners: duplicate partner id 'gp'" in result.stderr


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ('"2"', "only digits"),
        ("Council", "not a valid id"),
    ],
)
def test_bad_partner_ids_are_rejected(tmp_path: Path, bad: str, message: str) -> None:
    text = case_file(ORDER, ids=True).replace("id: council", f"id: {bad}")
    folder = make_folder(tmp_path / "cases", ORDER, ids=True)
    (folder / "case-a.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_folder(folder)
    [problem] = info.value.problems
    assert (Path(problem.file).name, problem.field) == ("case-a.yaml", "partners[1].id")
    assert message in problem.message


def test_bundled_partners_have_unique_ids(bundled: Dataset, illustrative: Dataset) -> None:
    for dataset in (bundled, illustrative):
        for case in dataset.cases:
            if isinstance(case.partners, list):
                assert all(p.id for p in case.partners), case.id
