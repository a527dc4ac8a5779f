"""``o`` on a source opens its DOI or web address (issue 17 item 4), in a new browser tab."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccgtui.tui.app import CcgApp
from ccgtui.tui.screens.source import SourceScreen
from ccgtui.tui.widgets.source_list import SourceList
from tests.conftest import write_folder
from tests.tui.conftest import SOURCES, fixture_files, running


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """Every address the app was asked to open (nothing reaches a real browser)."""
    calls: list[tuple[str, bool]] = []

    def open_url(self: CcgApp, url: str, *, new_tab: bool = True) -> None:
        calls.append((url, new_tab))

    monkeypatch.setattr(CcgApp, "open_url", open_url)
    return calls


def notices(app: CcgApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_o_on_the_sources_tab_opens_the_doi_and_shows_it(
    fixture_folder: Path, opened: list[tuple[str, bool]]
) -> None:
    async with running(fixture_folder) as (app, pilot):
        await pilot.press("7", "enter")
        assert isinstance(app.focused, SourceList)
        assert app.focused.current_id == "fix-article"
        await pilot.press("o")
        assert opened == [("https://doi.org/10.0000/fixture", True)]
        # In a terminal the address is also shown: there may be no browser to open it.
        assert any("https://doi.org/10.0000/fixture" in n for n in notices(app))


async def test_o_on_the_source_screen_opens_its_url(
    fixture_folder: Path, opened: list[tuple[str, bool]]
) -> None:
    async with running(fixture_folder) as (app, pilot):
        await pilot.press("7", "enter", "j", "enter")
        assert isinstance(app.screen, SourceScreen)
        await pilot.press("o")
        assert opened == [("https://example.org/fixture-report", True)]


async def test_a_source_with_no_address_says_so(
    tmp_path: Path, opened: list[tuple[str, bool]]
) -> None:
    no_link = SOURCES.replace("    url: https://example.org/page\n", "")
    assert no_link != SOURCES
    folder = write_folder(tmp_path / "cases", {**fixture_files(), "sources.yaml": no_link})
    async with running(folder) as (app, pilot):
        await pilot.press("7", "enter")
        source_list = app.focused
        assert isinstance(source_list, SourceList)
        while source_list.current_id != "fix-web":
            await pilot.press("j")
        await pilot.press("o")
        assert opened == []
        assert any("fix-web has no DOI or web address" in n for n in notices(app))
        await pilot.press("enter", "o")
        assert isinstance(app.screen, SourceScreen)
        assert opened == []
        assert sum("fix-web has no DOI or web address" in n for n in notices(app)) == 2
