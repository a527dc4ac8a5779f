"""`n` and `b` on the Story/Arenas/Partners tabs ask which item the note is about."""

from __future__ import annotations

from pathlib import Path

from ccgtui import userdata
from ccgtui.tui.dialogs.note import NoteScreen
from ccgtui.tui.screens.target import TargetScreen, target_choices
from tests.tui.conftest import running


async def test_note_on_a_stage_from_the_story_tab(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, pilot):
        await pilot.press("2", "n")
        await pilot.pause()
        assert isinstance(app.screen, TargetScreen)
        await pilot.press("down", "enter")  # the first stage, after "the whole case"
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"ask about this stage")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.store is not None
        notes = userdata.list_notes(app.store)
        assert [(n.target, n.text) for n in notes] == [
            ("stage:fix-composite/legitimacy", "ask about this stage")
        ]


async def test_note_on_a_partner_without_an_id_remembers_the_partner(
    fixture_folder: Path,
) -> None:
    """The fixture's partners have no ids: the note targets a position plus an anchor."""
    async with running(fixture_folder) as (app, pilot):
        await pilot.press("4", "n")
        await pilot.pause()
        assert isinstance(app.screen, TargetScreen)
        await pilot.press("down", "down", "enter")  # the second partner
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"ask the hospital", "ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.store is not None
        [note] = userdata.list_notes(app.store)
        assert note.target == "partner:fix-composite/2"
        assert note.anchor == userdata.PartnerAnchor(
            "secondary-care", "", "The hospital took part."
        )
        await pilot.press("b")
        await pilot.pause()
        await pilot.press("down", "down", "enter")
        await app.workers.wait_for_complete()
        [mark] = userdata.list_bookmarks(app.store)
        assert mark.target == "partner:fix-composite/2" and mark.anchor == note.anchor


async def test_escape_cancels_the_picker(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, pilot):
        await pilot.press("3", "b")
        await pilot.pause()
        assert isinstance(app.screen, TargetScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, TargetScreen)


def test_choices_follow_the_tab(bundled) -> None:  # type: ignore[no-untyped-def]
    case = bundled.case("composite-frail-elderly")
    assert [t for t, _ in target_choices(case, "overview")] == ["case:composite-frail-elderly"]
    assert [t for t, _ in target_choices(case, "arenas")][1:] == [
        "arena:composite-frail-elderly/board",
        "arena:composite-frail-elderly/programme",
        "arena:composite-frail-elderly/practice",
    ]
    # Bundled partners have ids: a note on one follows it if the partners are reordered.
    assert target_choices(case, "partners")[1] == (
        "partner:composite-frail-elderly/primary-care",
        "Partner: Primary care",
    )
    assert target_choices(case, "sources", "storey2018")[-1][0] == "source:storey2018"
