"""Global search in the explorer: live results, Enter jumps to the case, tab and statement."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.containers import VerticalScroll
from textual.widgets import OptionList

from ccgtui.tui.render import MARK_BACKGROUND
from ccgtui.tui.screens.main import MainScreen
from ccgtui.tui.screens.search import SearchScreen
from ccgtui.tui.screens.study import StudyScreen
from tests.conftest import BUNDLED_CASES
from tests.tui.conftest import running
from tests.tui.screen_text import screen_text, text_on_background


async def type_query(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*text)
    await pilot.pause(0.3)  # past the debounce
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_slash_opens_search_and_enter_jumps_to_case_and_tab(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, pilot):
        await pilot.press("j")  # move away from the composite case first
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await app.workers.wait_for_complete()
        await type_query(pilot, "negotiated")
        text = screen_text(app)
        assert "negotiated" in text.lower() and "Story, stage 2" in text
        await pilot.press("enter")
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        assert main.current_case == "fix-composite"
        assert main.detail.active_tab == "story"


def highlighted(app) -> str:  # type: ignore[no-untyped-def]
    """The text the screen shows highlighted, as one line."""
    return " ".join(" ".join(text_on_background(app, MARK_BACKGROUND)).split())


async def search_and_enter(pilot, query: str) -> MainScreen:  # type: ignore[no-untyped-def]
    await pilot.press("slash")
    await pilot.app.workers.wait_for_complete()
    await type_query(pilot, query)
    await pilot.press("enter")
    await pilot.pause()
    await pilot.pause()
    main = pilot.app.screen
    assert isinstance(main, MainScreen)
    return main


@pytest.mark.parametrize(
    ("query", "tab", "path", "shown", "not_shown"),
    [
        # a whole story stage, not its neighbours
        (
            "negotiated",
            "story",
            "story[1]",
            ["2. Programme board negotiates", "Partners negotiated the plan."],
            ["The board backed", "Teams deliver", "Community teams"],
        ),
        # partners are grouped by sector: the highlight follows the partner, not its position
        (
            "council",
            "partners",
            "partners[0].organisation",
            ["Fixture Council: Social work joined the redesign."],
            ["The hospital took part.", "Patients were consulted."],
        ),
        ("chaired", "arenas", "arenas.board[0]", ["GP leaders chaired"], ["Strategy is set"]),
        ("priorities", "evidence", "barriers[0]", ["Competing priorities."], ["Shared vision."]),
        (
            "synthesis fixture",
            "overview",
            "summary",
            ["Summary: A cross-case synthesis fixture."],
            ["Leadership: all three arenas", "Integrated care"],
        ),
    ],
)
async def test_enter_highlights_the_exact_statement(
    fixture_folder: Path,
    query: str,
    tab: str,
    path: str,
    shown: list[str],
    not_shown: list[str],
) -> None:
    async with running(fixture_folder) as (app, pilot):
        await pilot.press("j")  # start on another case: the jump must change case too
        main = await search_and_enter(pilot, query)
        assert main.current_case == "fix-composite"
        assert main.detail.active_tab == tab
        marked = main.detail.marked
        assert marked is not None and marked.tab == tab and marked.path == path
        text = highlighted(app)
        on_screen = " ".join(screen_text(app).split())
        for part in shown:
            assert part in text
        for part in not_shown:  # on screen, next to it, but not highlighted
            assert part in on_screen
            assert part not in text


async def test_highlight_clears_on_the_next_tab_or_case(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, pilot):
        main = await search_and_enter(pilot, "negotiated")
        assert "Partners negotiated the plan." in highlighted(app)
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert main.detail.active_tab == "story"
        assert main.detail.marked is None
        assert highlighted(app) == ""
        assert "Partners negotiated the plan." in screen_text(app)
        # and again, then leave the case: back on it, nothing is highlighted
        await search_and_enter(pilot, "negotiated")
        assert "Partners negotiated the plan." in highlighted(app)
        await pilot.press("escape", "j")
        await pilot.pause()
        assert main.current_case == "fix-in-depth-1"
        assert main.detail.marked is None
        assert highlighted(app) == ""


async def test_enter_scrolls_the_statement_into_view_on_the_bundled_data() -> None:
    """A statement far down a long tab at 80x24: scrolled to and highlighted, not a neighbour."""
    if not any(BUNDLED_CASES.glob("*.yaml")):
        pytest.skip("the bundled cases/ folder is empty")
    async with running(BUNDLED_CASES) as (app, pilot):
        case = app.dataset.case("composite-frail-elderly") if app.dataset else None
        assert case is not None and isinstance(case.outcomes, list)
        wanted, neighbour = case.outcomes[0].text, case.outcomes[1].text
        assert "meaningful" in wanted and "meaningful" not in neighbour
        main = await search_and_enter(pilot, "meaningful")
        assert main.current_case == "composite-frail-elderly"
        assert main.detail.active_tab == "evidence"
        marked = main.detail.marked
        assert marked is not None and marked.path == "outcomes[0]" and marked.rows is not None
        scroll = main.query_one("#evidence-scroll", VerticalScroll)
        assert scroll.scroll_y > 0  # it had to scroll: Outcomes is below the first screen
        top, end = marked.rows
        assert scroll.scroll_y <= top and end <= scroll.scroll_y + scroll.scrollable_size.height
        text = highlighted(app)
        assert " ".join(wanted.split()) in text
        assert neighbour.split()[0] not in text.replace(wanted, "")
        assert "[storey2018]" in text  # its source ids are part of the highlighted line


async def search_and_enter_study(pilot, query: str) -> StudyScreen:  # type: ignore[no-untyped-def]
    await pilot.press("slash")
    await pilot.app.workers.wait_for_complete()
    await type_query(pilot, query)
    await pilot.press("enter")
    await pilot.pause()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, StudyScreen)
    return screen


async def test_study_hit_highlights_the_statement_on_the_study_screen(
    fixture_folder: Path,
) -> None:
    async with running(fixture_folder) as (app, pilot):
        screen = await search_and_enter_study(pilot, "literature")
        assert screen.study_id == "fix-study"
        assert screen.marked is not None and screen.marked[:2] == ("phases", "phases[0]")
        text = highlighted(app)
        assert "Phase 1: Review" in text and "Read the literature." in text
        assert "First survey." not in text and "First survey." in screen_text(app)


async def test_study_hit_in_the_second_study_and_the_mark_clears_on_another_study(
    fixture_folder: Path,
) -> None:
    async with running(fixture_folder) as (app, pilot):
        screen = await search_and_enter_study(pilot, "second study")
        assert screen.study_id == "fix-other"
        assert screen.marked is not None and screen.marked[:2] == ("objectives", "objective")
        assert "Overall objective: A second study's objective." in highlighted(app)
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert screen.study_id == "fix-study"
        assert screen.marked is None and highlighted(app) == ""
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert screen.study_id == "fix-other" and highlighted(app) == ""


async def test_study_hit_scrolls_into_view_on_the_bundled_data() -> None:
    if not any(BUNDLED_CASES.glob("*.yaml")):
        pytest.skip("the bundled cases/ folder is empty")
    async with running(BUNDLED_CASES) as (app, pilot):
        study = app.dataset.study("ccg-clinical-leadership") if app.dataset else None
        assert study is not None and len(study.context) > 1
        wanted, neighbour = study.context[0].text, study.context[1].text
        assert "abolished" in wanted and "abolished" not in neighbour
        screen = await search_and_enter_study(pilot, "abolished")
        assert screen.marked is not None and screen.marked[:2] == ("overview", "context[0]")
        assert screen.query_one("#study-body", VerticalScroll).scroll_y > 0
        text = highlighted(app)
        assert " ".join(wanted.split()) in text
        assert neighbour.split()[-1] not in text.replace(wanted, "")


async def test_typo_and_no_match_suggestion(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, pilot):
        await pilot.press("slash")
        await app.workers.wait_for_complete()
        await type_query(pilot, "negotiatd")
        assert "results" in screen_text(app)
        await pilot.press(*["backspace"] * 9)
        await type_query(pilot, "zzqqxx")
        assert "No match" in screen_text(app)


async def test_bad_filter_is_explained(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, pilot):
        await pilot.press("slash")
        await app.workers.wait_for_complete()
        await type_query(pilot, "arena:boardroom")
        assert "board, programme, practice" in " ".join(screen_text(app).replace("│", " ").split())


async def test_study_hit_opens_study_screen_and_escape_closes(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, pilot):
        await pilot.press("slash")
        await app.workers.wait_for_complete()
        await type_query(pilot, "literature")  # a phase of the fixture study
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("slash")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_stale_results_are_dropped(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, pilot):
        await pilot.press("slash")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await app.workers.wait_for_complete()
        screen._generation = 5
        screen._show(4, [], "stale")  # an older search finishing late
        assert "stale" not in screen_text(app)


async def test_hostile_text_in_results_is_literal(hostile_folder: Path) -> None:
    async with running(hostile_folder, size=(120, 40)) as (app, pilot):
        await pilot.press("slash")
        await app.workers.wait_for_complete()
        await type_query(pilot, "boom")
        assert isinstance(app.screen, SearchScreen)
        assert "[@click=app.quit]boom[/]" in screen_text(app)


async def test_results_name_their_place_as_a_reader_would(fixture_folder: Path) -> None:
    """ "Story, stage 2: title", not ``story · story[1].title`` (issue 12)."""
    async with running(fixture_folder, size=(100, 30)) as (app, pilot):
        await pilot.press("slash")
        await app.workers.wait_for_complete()
        await type_query(pilot, "negotiat")
        text = screen_text(app)
        assert "Story, stage 2: title" in text
        assert "Story, stage 2" in text.replace("Story, stage 2: title", "")
        assert "Study concepts, 2" in text
        assert "story[" not in text and "concepts[" not in text


async def test_hits_from_different_places_look_different(tmp_path: Path) -> None:
    """Two cases may share a label: their hits still differ (the case id is shown)."""
    from tests.conftest import write_folder
    from tests.tui.conftest import SCOPING, fixture_files

    twin = SCOPING.replace("id: fix-scoping", "id: fix-scoping-twin")
    folder = write_folder(tmp_path / "cases", {**fixture_files(), "e-twin.yaml": twin})
    async with running(folder, size=(100, 30)) as (app, pilot):
        await pilot.press("slash")
        await app.workers.wait_for_complete()
        await type_query(pilot, "scoping interviews")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        results = screen.query_one("#search-results", OptionList)
        heads = [
            str(results.get_option_at_index(i).prompt).splitlines()[0]
            for i in range(results.option_count)
        ]
        assert len(heads) == 4
        assert len(set(heads)) == len(heads), heads


def fully_visible_results(results: OptionList) -> list[int]:
    """Indexes of the results whose every row is inside the list's visible window."""
    top = round(results.scroll_y)
    window = results._lines[top : top + results.scrollable_content_region.height]
    rows: dict[int, int] = {}
    for index, _ in window:
        rows[index] = rows.get(index, 0) + 1
    return [i for i, n in rows.items() if n == results._line_cache.heights[i]]


def rows_with_reverse(app, word: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Screen rows where ``word`` is drawn reversed (the search highlight)."""
    rows = []
    for strip in app.screen._compositor.render_strips():
        marked = "".join(seg.text for seg in strip if seg.style is not None and seg.style.reverse)
        if word in marked.lower():
            rows.append(strip.text)
    return rows


async def test_seven_or_more_results_fit_at_80x24_one_line_each() -> None:
    """Issue 18: a meeting needs many results at a glance, each the place then the match."""
    if not any(BUNDLED_CASES.glob("*.yaml")):
        pytest.skip("the bundled cases/ folder is empty")
    async with running(BUNDLED_CASES) as (app, pilot):
        await pilot.press("slash")
        await app.workers.wait_for_complete()
        await type_query(pilot, "board")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        results = screen.query_one("#search-results", OptionList)
        assert results.option_count >= 10
        shown = fully_visible_results(results)
        assert len(shown) >= 7, f"{len(shown)} of {results.option_count} fit"
        assert all(results._line_cache.heights[i] == 1 for i in shown)
        # Every visible result shows its match, highlighted, on its one row.
        assert len(rows_with_reverse(app, "board")) >= 7
        first = screen._hits[0]
        rows = screen_text(app).splitlines()
        assert any(first.label[:10] in r and first.place[:10] in r for r in rows)


async def test_the_search_index_is_kept_per_notes_revision(fixture_folder: Path) -> None:
    """``/`` again reuses the app's index instead of building it again (issues 14, 16);
    a note added since (here as by another process) makes a new one, which finds it."""
    from ccgtui import userdata as ud

    async with running(fixture_folder) as (app, pilot):
        for _ in range(2):
            await pilot.press("slash")
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
        assert app.search_indexes.builds == 1
        assert app.store is not None
        ud.add_note(app.store, "case:fix-composite", "a zanzibarish remark")
        await pilot.press("slash")
        await app.workers.wait_for_complete()
        await type_query(pilot, "zanzibarish")
        assert "zanzibarish" in screen_text(app)
        assert app.search_indexes.builds == 2
