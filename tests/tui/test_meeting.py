"""Answers on one screen at 80x24 (issue 18 item 3): who led it and who took part on the
Overview, the keys that matter in the footer, ``y`` copies a section with its sources,
history of visits, tags on the case, and the composite banner (issue 15)."""

from __future__ import annotations

from pathlib import Path

from textual.color import Color
from textual.widgets import Static

from ccgtui.tui.app import CcgApp
from ccgtui.tui.hanging import HangingText, hung_lines
from ccgtui.tui.widgets.key_hints import KeyHints
from ccgtui.userdata import add_tags
from tests.tui.conftest import FakeClipboard, running
from tests.tui.screen_text import screen_text

LEADERSHIP = "Leadership: all three arenas — board 2, programme board 1, point of delivery 1"


def flat(text: str) -> str:
    return " ".join(text.split())


def overview_rows(app: CcgApp, width: int | None = None) -> list[str]:
    """The Overview tab's rows as drawn at its width (wrapped, with hanging indents)."""
    body = app.screen.query_one("#overview-body", Static)
    visual = body.visual
    assert isinstance(visual, HangingText)
    lines = hung_lines(visual.lines, width or body.content_size.width)
    return [line.plain for line in lines]


def on_first_screen(app: CcgApp, text: str) -> bool:
    """``text`` is in the Overview's rows that fit without scrolling."""
    scroll = app.screen.query_one("#overview-scroll")
    rows = overview_rows(app)[: scroll.scrollable_content_region.height]
    return text in flat(" ".join(rows))


async def test_the_overview_answers_who_led_it_and_who_took_part(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, pilot):
        assert on_first_screen(app, LEADERSHIP)  # at 80x24, without scrolling
        assert on_first_screen(app, "Partners: 5 sectors — Primary care 1, Secondary care 2")
        await pilot.press("j")  # arenas and partners unknown: "?" never blank
        await pilot.pause()
        assert on_first_screen(app, "Leadership: ? Not reported in available sources")
        assert on_first_screen(app, "Partners: ? Not reported in available sources")


async def test_the_footer_shows_the_keys_a_meeting_needs(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, _pilot):
        hints = app.screen.query_one(KeyHints)
        shown = dict(hints.hints())
        for key in ("m", "␣", "=", "n", "t", "b", "B", "N", "y", "/", "^b"):
            assert key in shown, key
        footer = screen_text(app).splitlines()[-2:]  # two rows at 80 columns
        assert all(len(row) <= 80 for row in footer)
        for item in ("m Matrix", "␣ Mark", "= Compare", "N Notes", "B Bmarks", "y Copy"):
            assert any(item in row for row in footer), item


async def test_a_rebound_key_shows_in_the_footer(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, _pilot):
        app.set_keymap({"open-matrix": "M"})
        hints = app.screen.query_one(KeyHints)
        hints.refresh_hints()
        assert ("M", "Matrix") in hints.hints()
        assert ("m", "Matrix") not in hints.hints()


async def test_y_copies_the_section_with_its_citations(
    fixture_folder: Path, clipboard: FakeClipboard
) -> None:
    async with running(fixture_folder) as (_app, pilot):
        await pilot.press("3", "y")
        (copied,) = clipboard.copied
        lines = copied.splitlines()
        assert lines[0] == "Fixture frail elderly integration (fix-composite)"
        assert lines[1].startswith("COMPOSITE CASE")
        assert "GP leaders chaired the board discussion. [fix-article]" in copied
        assert "Sources:\n[fix-article] " in copied  # the full reference, not only the id
        assert "Fixture journal article" in copied
        assert "\x1b" not in copied


async def test_y_after_a_search_copies_only_that_statement(
    fixture_folder: Path, clipboard: FakeClipboard
) -> None:
    async with running(fixture_folder) as (app, pilot):
        await pilot.press("slash")
        await app.workers.wait_for_complete()
        await pilot.press(*"negotiated")
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        (copied,) = clipboard.copied
        assert "Partners negotiated the plan. [fix-article, fix-report]" in copied
        assert "The board backed" not in copied  # the stage before it
        assert "[fix-report] " in copied and "[fix-article] " in copied


async def test_the_case_list_can_be_hidden(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, pilot):
        assert "Fixture in-depth case" in screen_text(app)
        await pilot.press("ctrl+b")
        await pilot.pause()
        text = screen_text(app)
        assert "Fixture in-depth case" not in text
        assert any(LEADERSHIP in row for row in overview_rows(app))  # one row: the width is its
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert "Fixture in-depth case" in screen_text(app)


async def test_the_users_tags_show_on_the_case(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, pilot):
        assert app.store is not None
        add_tags(app.store, "fix-composite", ["follow up", "frailty-board"])
        main = app.main_screen
        main._refresh_notes("fix-composite", force=True)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert on_first_screen(app, "Your tags: follow-up, frailty-board")
        await pilot.press("j")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Your tags" not in " ".join(overview_rows(app))


async def test_the_composite_banner_is_not_green(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, _pilot):
        banner = app.screen.query_one("#record-banner", Static)
        success = Color.parse(app.current_theme.success or "green")
        for colour in (banner.styles.color, banner.styles.background):
            assert colour.hsl.h != success.hsl.h  # hue, whatever the tint
