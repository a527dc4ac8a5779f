"""Reading the explorer at 80 columns (issue 12): wrapped rows keep their indent."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import write_folder
from tests.tui.conftest import fixture_files, running, wait_loaded
from tests.tui.screen_text import screen_text

LONG = (
    "Shared vision across the practices and the council, stated again and again by every "
    "partner in every meeting of the board over the two years."
)


def long_folder(tmp_path: Path) -> Path:
    files = fixture_files()
    files["a-composite.yaml"] = files["a-composite.yaml"].replace("Shared vision.", f"'{LONG}'")
    return write_folder(tmp_path / "cases", files)


async def test_a_wrapped_bullet_keeps_its_indent(tmp_path: Path) -> None:
    async with running(long_folder(tmp_path)) as (app, pilot):
        await pilot.press("5")  # Evidence
        await pilot.pause()
        rows = screen_text(app).splitlines()
        first = next(i for i, row in enumerate(rows) if "• Shared vision" in row)
        bullet_at = rows[first].index("•")
        text_at = bullet_at + 2  # "• " then the text
        following = rows[first + 1]
        assert following[text_at - 1] == " " and following[text_at] != " ", rows[first : first + 3]
        # and nothing of it was lost: every word is on the screen, in order
        words = " ".join(r[text_at:].strip() for r in rows[first : first + 4])
        assert "again and again by every" in " ".join(words.split())


async def test_the_delete_confirmation_shows_its_whole_question() -> None:
    """A long note heading (a stage of a long-named case) is not cut at 80x24."""
    from ccgtui.tui.dialogs.confirm import ConfirmScreen
    from ccgtui.tui.dialogs.note import NoteScreen
    from tests.tui.test_notes_screens import Host

    title = (
        "Stage 2 (Programme board negotiates the pathway with secondary care, community "
        "services and the local authority's social work team) of Coleman et al.: eight early "
        "clinical commissioning groups and their leaders"
    )
    app = Host(lambda: NoteScreen("stage:c1/s2", "old", title=title, note_id=3))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        shown = " ".join(" ".join(row.strip("│ ") for row in screen_text(app).splitlines()).split())
        assert f"Delete note #3 on {title}?" in shown, shown


async def test_notices_do_not_cover_the_compare_table(fixture_folder: Path) -> None:
    """The "Marked …" notices follow the reader to Compare; they must not hide its cells."""
    from textual.widgets import DataTable
    from textual.widgets._toast import Toast

    from ccgtui.tui.app import make_app
    from ccgtui.tui.screens.compare import CompareScreen

    app = make_app(cases=fixture_folder, cursor_blink=False)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_loaded(pilot)
        await pilot.press("space", "j", "space", "equals_sign")
        await pilot.pause(0.2)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        toasts = [t for t in screen.query(Toast) if t.region.area]
        assert toasts  # the notices are still shown ...
        table = screen.query_one("#compare-table", DataTable).region
        for toast in toasts:  # ... but beside or below the table, not over it
            assert not toast.region.overlaps(table), (toast.region, table)


async def test_a_wrapped_study_objective_keeps_its_indent(tmp_path: Path) -> None:
    files = fixture_files()
    files["study.yaml"] = files["study.yaml"].replace("First fixture objective.", f"'{LONG}'")
    async with running(write_folder(tmp_path / "cases", files)) as (app, pilot):
        await pilot.press("s")
        await pilot.pause()
        rows = screen_text(app).splitlines()
        first = next(i for i, row in enumerate(rows) if "1. Shared vision" in row)
        text_at = rows[first].index("1.") + 3  # "1. " then the text
        following = rows[first + 1]
        assert following[text_at - 1] == " " and following[text_at] != " ", rows[first : first + 3]
