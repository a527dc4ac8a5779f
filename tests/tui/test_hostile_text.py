"""Issue 13: text from someone else's notes file or case folder never reaches the terminal
as a control sequence in the explorer (notes, tags, bookmarks, the start-up notice), and
no input grows without bound."""

from __future__ import annotations

import re
from pathlib import Path

from textual.widgets import Input

from ccgtui import userdata
from ccgtui.store import open_store
from ccgtui.tui.app import CcgApp, make_app
from ccgtui.tui.screens.search import SearchScreen
from tests.tui.conftest import running, wait_loaded
from tests.tui.screen_text import screen_text

MARK = "zqzq"  # replaced in the notes file by an escape sequence
ESCAPE_JSON = r"\u001b]0;pwned\u0007\u001b[2J\u009b31m"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _controls(app: CcgApp) -> list[str]:
    return CONTROL.findall(screen_text(app))


def _hostile_notes(folder: Path, db: Path) -> None:
    """A notes file as someone else could send it: escape codes in notes, tags, bookmarks."""
    store, _ = open_store(db, folder)
    dataset = store.dataset()
    userdata.add_note(store, "case:fix-composite", f"first {MARK} line\nsecond", dataset=dataset)
    userdata.set_tags(store, "fix-composite", [f"tag{MARK}"])
    userdata.add_bookmark(store, "case:fix-composite", f"mark {MARK}", dataset=dataset)
    patched = 0
    for path in db.parent.rglob("*"):
        if path.is_file() and MARK.encode() in path.read_bytes():
            path.write_text(path.read_text().replace(MARK, ESCAPE_JSON))
            patched += 1
    assert patched, "the notes were not found in the data folder"


async def test_escape_codes_from_a_notes_file_are_not_shown(
    fixture_folder: Path, isolated_db: Path
) -> None:
    _hostile_notes(fixture_folder, isolated_db)
    async with running(fixture_folder, size=(100, 30)) as (app, pilot):
        store = app.store
        assert store is not None
        assert any("\x1b" in n.text for n in userdata.list_notes(store)), "fixture not hostile"
        for keys in (["6"], ["N"], ["escape", "t"], ["escape", "B"]):
            await pilot.press(*keys)
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.pause()
            text = screen_text(app)
            assert not _controls(app), (keys, _controls(app))
            assert "pwned" in text, (keys, text)  # the note is shown, only cleaned


async def test_escape_codes_in_a_problem_notice_are_not_shown(
    fixture_folder: Path, isolated_db: Path
) -> None:
    """The start-up notice quotes a bad YAML key from the case folder."""
    open_store(isolated_db, fixture_folder)  # last good data
    (fixture_folder / "e-bad.yaml").write_text(
        'id: bad\nstudy: fix-study\nkind: scoping\nlabel: Bad\n"\\e]0;pwned\\a\\e[2J": 1\n'
    )
    app = make_app(cases=fixture_folder, cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        notices = [str(n.message) for n in app._notifications]
        assert any("e-bad.yaml" in n for n in notices), notices
        assert not any(CONTROL.search(n) for n in notices), notices
        assert not _controls(app)


async def test_typing_a_huge_query_is_capped(fixture_folder: Path) -> None:
    """Issue 13 item 14: the search box and the filter stop at a sane length."""
    async with running(fixture_folder) as (app, pilot):
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        box = app.screen.query_one("#search-input", Input)
        for _ in range(2000):  # typed key by key, as without bracketed paste
            box.insert_text_at_cursor("x")
        await pilot.pause()
        assert 0 < len(box.value) <= 1000
        await pilot.press("escape", "f")
        box = app.main_screen.query_one("#case-filter", Input)
        for _ in range(2000):
            box.insert_text_at_cursor("y")
        await pilot.pause()
        assert 0 < len(box.value) <= 1000
