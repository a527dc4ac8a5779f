"""Pilot tests: every screen and binding of the explorer, on a fixture folder."""

from __future__ import annotations

import contextlib
import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Input, Static, Tab, Tabs

from ccgtui.tui.app import make_app
from ccgtui.tui.hanging import HangingText
from ccgtui.tui.screens.help import HelpScreen, bindings_of, help_groups
from ccgtui.tui.screens.main import MainScreen
from ccgtui.tui.screens.source import SourceScreen
from ccgtui.tui.screens.study import StudyScreen
from ccgtui.tui.widgets.case_detail import (
    TABS,
    CaseDetail,
    fitting_labels,
    tab_bar_width,
    tab_labels,
)
from ccgtui.tui.widgets.case_list import CaseList
from ccgtui.tui.widgets.source_list import SourceList
from ccgtui.wording import COMPOSITE_BANNER, ILLUSTRATIVE_BANNER, NONE_RECORDED
from tests.conftest import write_folder
from tests.tui.conftest import (
    CASE_IDS,
    HOSTILE_LABEL,
    FakeClipboard,
    fixture_files,
    running,
    wait_loaded,
)
from tests.tui.screen_text import screen_text


def body(app: object, tab: str) -> str:
    from textual.app import App

    assert isinstance(app, App)
    return str(app.screen.query_one(f"#{tab}-body", Static).render())


def main_of(app: object) -> MainScreen:
    from textual.app import App

    assert isinstance(app, App)
    assert isinstance(app.screen, MainScreen)
    return app.screen


async def test_opens_on_first_case_with_list(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, _):
        main = main_of(app)
        assert main.case_list.case_ids == CASE_IDS
        assert main.current_case == "fix-composite"
        text = screen_text(app)
        assert "Fixture frail elderly integration" in text
        assert "COMPOSITE" in text and "IN-DEPTH" in text and "SCOPING" in text
        assert "4 cases" in text


async def test_every_case_and_every_tab_renders(fixture_folder: Path) -> None:
    async with running(fixture_folder, size=(120, 40)) as (app, pilot):
        main = main_of(app)
        for index, case_id in enumerate(CASE_IDS):
            if index:
                await pilot.press("j")
            assert main.current_case == case_id
            for number, (tab, _) in enumerate(TABS, 1):
                await pilot.press(str(number))
                await pilot.pause()
                assert main.detail.active_tab == tab
                if tab in ("overview", "story", "arenas", "partners", "evidence"):
                    assert body(app, tab).strip(), f"{case_id}/{tab} is blank"
            await pilot.press("1")


async def test_story_partners_arenas_evidence_content(fixture_folder: Path) -> None:
    async with running(fixture_folder, size=(120, 40)) as (app, pilot):
        await pilot.press("2")
        story = body(app, "story")
        assert story.index("Board gives legitimacy") < story.index("Programme board negotiates")
        assert "Secondary care, Social work" in story
        assert "[fix-article, fix-report]" in story
        assert "⚠ unverified" in story
        await pilot.press("3")
        arenas = body(app, "arenas")
        assert "Strategy is set at the board. [fix-article]" in arenas  # study meaning
        assert "GP leaders chaired the board discussion." in arenas  # this case
        assert f"    {NONE_RECORDED}" in arenas  # practice: absent
        await pilot.press("4")
        partners = body(app, "partners")
        assert partners.index("Secondary care") < partners.index("Social work")
        assert "Fixture Council: Social work joined the redesign." in partners
        assert "\u201cPatients were consulted.\u201d" in partners
        await pilot.press("5")
        evidence = body(app, "evidence")
        assert "Shared vision." in evidence and "Competing priorities." in evidence
        assert "Outcomes\n  Not reported in available sources" in evidence


async def test_unknowns_are_shown_as_unknown_never_blank(fixture_folder: Path) -> None:
    async with running(fixture_folder, size=(120, 40)) as (app, pilot):
        await pilot.press("j")  # the mostly-unknown in-depth case
        overview = body(app, "overview")
        assert "Place: Not reported in available sources" in overview
        assert "Population: Not reported in available sources" in overview
        await pilot.press("2")
        assert "Not reported in available sources" in body(app, "story")
        await pilot.press("4")
        assert "Not reported in available sources" in body(app, "partners")
        # The unknown is styled, not just printed.
        static = app.screen.query_one("#partners-body", Static)
        visual = static.visual
        assert isinstance(visual, HangingText)
        spans = [span for line in visual.lines for span in line.spans]
        assert any("italic" in str(span.style) for span in spans)


async def test_banners_only_on_illustrative_and_composite_cases(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, pilot):
        banner = app.screen.query_one("#record-banner", Static)
        assert banner.display  # the first case is the composite: its banner shows
        assert str(banner.render()) == COMPOSITE_BANNER
        assert banner.has_class("-composite")
        await pilot.press("j")
        assert not banner.display
        await pilot.press("G")
        assert main_of(app).current_case == "fix-illustrative"
        assert banner.display and banner.has_class("-illustrative")
        assert str(banner.render()) == ILLUSTRATIVE_BANNER
        assert "ILLUSTRATIVE EXAMPLE" in screen_text(app)


@pytest.mark.parametrize(
    ("size", "labels"),
    [
        ((80, 24), [title for _, title in TABS]),
        ((200, 60), [f"{n} {title}" for n, (_, title) in enumerate(TABS, 1)]),
    ],
    ids=["80x24", "200x60"],
)
async def test_every_tab_label_is_on_screen(
    fixture_folder: Path, size: tuple[int, int], labels: list[str]
) -> None:
    """The tab bar never scrolls or clips: every whole label is on screen, whichever is open."""
    async with running(fixture_folder, size=size) as (app, pilot):
        main = main_of(app)
        tabs = main.detail.tabs.query_one(Tabs)
        for number in range(1, len(TABS) + 1):
            await pilot.press(str(number))
            await pilot.pause()
            assert tabs.query_one("#tabs-scroll").scroll_offset.x == 0
            bar = screen_text(app).splitlines()[tabs.region.y]
            shown = list(tabs.query(Tab))
            assert [tab.label.plain for tab in shown] == labels
            for tab in shown:
                assert tab.region.width >= tab.label.cell_length
                assert app.screen.region.contains_region(tab.region), tab.label.plain
                assert tabs.region.contains_region(tab.region), tab.label.plain
                assert tab.label.plain in bar


def test_the_widest_tab_labels_that_fit_are_chosen() -> None:
    numbered, names = tab_labels()[0][0], [title for _, title in TABS]
    assert numbered[0] == "1 Overview"
    assert fitting_labels(200) == (numbered, False)
    assert fitting_labels(tab_bar_width(numbered, False)) == (numbered, False)
    assert fitting_labels(tab_bar_width(numbered, False) - 1) == (names, False)
    assert fitting_labels(tab_bar_width(names, True)) == (names, True)
    narrowest = fitting_labels(1)
    assert narrowest == tab_labels()[-1] and narrowest[0][0] == "1"
    for labels, tight in tab_labels():
        assert len(labels) == len(TABS)
        assert fitting_labels(tab_bar_width(labels, tight)) == (labels, tight)


async def test_tab_labels_follow_a_resize(fixture_folder: Path) -> None:
    async with running(fixture_folder, size=(200, 60)) as (app, pilot):
        main = main_of(app)
        tabs = main.detail.tabs.query_one(Tabs)
        for (width, height), first in [
            ((80, 24), "Overview"),
            ((66, 24), "Over"),
            ((200, 60), "1 Overview"),
        ]:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            await pilot.pause()
            assert tabs.query(Tab).first().label.plain == first
            for tab in tabs.query(Tab):
                assert tabs.region.contains_region(tab.region), (width, tab.label.plain)


async def test_tab_cycling_with_brackets(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, pilot):
        main = main_of(app)
        await pilot.press("right_square_bracket")
        assert main.detail.active_tab == "story"
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert main.detail.active_tab == "sources"


async def test_vim_keys_and_arrows_move_the_list(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, pilot):
        main = main_of(app)
        await pilot.press("down")
        assert main.current_case == "fix-in-depth-1"
        await pilot.press("j", "j")
        assert main.current_case == "fix-illustrative"
        await pilot.press("k")
        assert main.current_case == "fix-scoping"
        await pilot.press("up")
        assert main.current_case == "fix-in-depth-1"
        await pilot.press("G")
        assert main.current_case == "fix-illustrative"
        await pilot.press("g")
        assert main.current_case == "fix-composite"


async def test_filter_by_typing(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, pilot):
        main = main_of(app)
        await pilot.press("f")
        assert isinstance(app.focused, Input)
        await pilot.press(*"scoping")
        assert main.case_list.case_ids == ["fix-scoping"]
        assert main.current_case == "fix-scoping"
        assert "1 of 4 cases" in screen_text(app)
        # Keys typed into the filter do not trigger screen bindings ("s" is Study).
        assert isinstance(app.screen, MainScreen)
        await pilot.press("enter")
        assert isinstance(app.focused, CaseList)
        await pilot.press("f", *["backspace"] * 7, *"frail")
        assert main.case_list.case_ids == ["fix-composite"]
        await pilot.press(*["backspace"] * 5, *"nothing-matches")
        assert main.case_list.case_ids == []
        assert "0 of 4 cases" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.focused, CaseList)


async def test_filter_takes_the_search_filter_syntax(fixture_folder: Path) -> None:
    """The list filter is the query language of `ccgtui list` / `search`, not a substring."""
    from ccgtui.lazy_cases import LazyCases
    from ccgtui.query import filter_cases, parse_query

    async with running(fixture_folder) as (app, pilot):
        main = main_of(app)
        assert app.dataset is not None and isinstance(app.dataset.cases, LazyCases)
        assert app.dataset.cases.validated_count() <= 1  # listed from summaries, not cases
        for text in ("kind:scoping", "-kind:in-depth", "sector:social-work", "-has:unknowns"):
            main.query_one("#case-filter", Input).value = text
            await pilot.pause()
            expected = [c.id for c in filter_cases(app.dataset, parse_query(text))]
            assert main.case_list.case_ids == expected, text
            assert expected != [c.id for c in app.dataset.cases], text  # the filter bites
        main.query_one("#case-filter", Input).value = "sector:"
        await pilot.pause()
        count = str(main.query_one("#case-count", Static).render())
        assert "sector: needs a value" in count  # an unfinished filter says what is wrong
        assert "filter sector: needs" in screen_text(app)  # wrapped, not cut off
        # tag: filters use the user's own tags, read in a worker.
        from ccgtui.userdata import add_tags

        assert app.store is not None
        add_tags(app.store, "fix-scoping", ["follow up"])
        main.query_one("#case-filter", Input).value = "tag:follow-up"
        await pilot.pause()  # the filter's change message, which starts the tags worker
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert main.case_list.case_ids == ["fix-scoping"]


async def test_history_back_and_forward(fixture_folder: Path) -> None:
    """History records visits, not cursor moves (issue 18): scanning the list with j is
    one step back; a case the reader used (a tab opened on it) is a visit of its own."""
    async with running(fixture_folder) as (app, pilot):
        main = main_of(app)
        await pilot.press("j", "j", "j")  # composite -> (in-depth, scoping passed over) -> ill.
        assert main.current_case == "fix-illustrative"
        await pilot.press("backspace")
        assert main.current_case == "fix-composite"
        await pilot.press("ctrl+o")  # nothing earlier: stays, says so
        assert main.current_case == "fix-composite"
        await pilot.press("alt+right")
        assert main.current_case == "fix-illustrative"
        await pilot.press("k", "2", "k")  # scoping read (a tab opened), then in-depth
        assert main.current_case == "fix-in-depth-1"
        await pilot.press("alt+left")
        assert main.current_case == "fix-scoping"
        await pilot.press("alt+left")
        assert main.current_case == "fix-illustrative"
        await pilot.press("ctrl+n")
        assert main.current_case == "fix-scoping"
        # A new visit clears the forward history.
        await pilot.press("backspace", "g")
        assert main.current_case == "fix-composite"
        assert main.history.forward == []
        await pilot.press("backspace")
        assert main.current_case == "fix-illustrative"


async def test_history_back_to_a_case_hidden_by_the_filter_clears_it(
    fixture_folder: Path,
) -> None:
    async with running(fixture_folder) as (app, pilot):
        main = main_of(app)
        await pilot.press("f", *"scoping", "enter")
        assert main.current_case == "fix-scoping"
        await pilot.press("backspace")
        assert main.current_case == "fix-composite"
        assert main.case_list.case_ids == CASE_IDS
        assert app.screen.query_one("#case-filter", Input).value == ""


async def test_enter_opens_the_detail_and_escape_returns(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, pilot):
        await pilot.press("2", "enter")
        assert app.focused is not None and app.focused.id == "story-scroll"
        await pilot.press("escape")
        assert isinstance(app.focused, CaseList)


async def test_tab_key_moves_between_panes(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, pilot):
        assert isinstance(app.focused, CaseList)
        await pilot.press("tab")
        detail = app.screen.query_one(CaseDetail)
        assert app.focused is not None and detail in app.focused.ancestors
        await pilot.press("shift+tab")
        assert isinstance(app.focused, CaseList)


async def test_sources_tab_enter_opens_detail_and_c_copies(
    fixture_folder: Path, clipboard: FakeClipboard
) -> None:
    async with running(fixture_folder) as (app, pilot):
        await pilot.press("7", "enter")
        assert isinstance(app.focused, SourceList)
        await pilot.press("c")
        assert clipboard.copied == [
            "Author C. Fixture journal article. Journal of Fixtures 2018. doi:10.0000/fixture"
        ]
        await pilot.press("j", "enter")
        assert isinstance(app.screen, SourceScreen)
        text = screen_text(app)
        assert "Fixture final report" in text
        assert "https://example.org/fixture-report" in text
        assert "Dates differ from the protocol." in text
        await pilot.press("c")
        assert clipboard.copied[-1].startswith("Author A, Author B. Fixture final report.")
        assert any("Copied citation" in str(n.message) for n in app._notifications)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_study_screen(fixture_folder: Path) -> None:
    async with running(fixture_folder, size=(120, 60)) as (app, pilot):
        await pilot.press("s")
        assert isinstance(app.screen, StudyScreen)
        screen = app.screen

        def section(name: str) -> str:
            return str(screen.query_one(f"#study-{name}", Static).render())

        objectives = section("objectives")
        assert "Overall objective: Understand fixture leadership. [fix-report]" in objectives
        for n in range(1, 5):
            assert f"  {n}. " in objectives
        assert "Fourth fixture objective. [fix-web] ⚠ unverified" in objectives
        phases = section("phases")
        assert [phases.index(f"Phase {n}") for n in range(1, 6)] == sorted(
            phases.index(f"Phase {n}") for n in range(1, 6)
        )
        assert "period not stated" in phases
        assert "Author A" in section("team") and "Fixture University" in section("team")
        surveys = section("surveys")
        assert "Survey 2014" in surveys and "⚠ unverified" in surveys and "60%" in surveys
        assert "Board arena (arena, board)" in section("concepts")
        assert "Fixture finding about leadership." in section("findings")
        assert "Fixture participants were interviewed." in section("participants")
        # Two studies: a picker, and ] moves to the other study.
        assert screen.query_one("#study-tabs").display
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert screen.study_id == "fix-other"
        assert "A second study's objective." in section("objectives")
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_study_screen_opens_on_the_current_cases_study(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, pilot):
        await pilot.press("G", "s")
        assert isinstance(app.screen, StudyScreen)
        assert app.screen.study_id == "fix-other"


async def test_study_screen_wide_uses_two_columns(fixture_folder: Path) -> None:
    async with running(fixture_folder, size=(200, 60)) as (app, pilot):
        await pilot.press("s")
        left = app.screen.query_one("#study-col-left")
        right = app.screen.query_one("#study-col-right")
        assert left.region.y == right.region.y and left.region.x < right.region.x
    async with running(fixture_folder, size=(80, 24)) as (app, pilot):
        await pilot.press("s")
        left = app.screen.query_one("#study-col-left")
        right = app.screen.query_one("#study-col-right")
        assert right.region.y > left.region.y or right.virtual_region.y > left.virtual_region.y


async def test_help_lists_every_binding(fixture_folder: Path) -> None:
    async with running(fixture_folder, size=(120, 200)) as (app, pilot):
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-body", Static).render())
        listed = {i for _, rows in help_groups(app) for row in rows for i in row[2]}
        for cls in (MainScreen, StudyScreen, SourceScreen, CaseList, SourceList, type(app)):
            for binding in bindings_of(cls):
                if binding.id:
                    assert binding.id in listed
                assert (binding.tooltip or binding.description or binding.action) in text
        for expected in ("Filter", "Study", "Search", "Back", "Forward", "Copy citation"):
            assert expected in text
        assert "Command palette" in text
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_palette_jump_to_case(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, pilot):
        await pilot.press("s")  # jumping works from any screen
        await pilot.press("ctrl+p")
        await pilot.press(*"scoping interviews")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.screen.current_case == "fix-scoping"
        await pilot.press("backspace")
        assert app.screen.current_case == "fix-composite"


async def test_palette_jump_to_source(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, pilot):
        await pilot.press("ctrl+p")
        await pilot.press(*"source fixture web page")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        assert app.screen.source_id == "fix-web"


async def test_space_marks_and_equals_needs_two(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, pilot):
        main = main_of(app)
        await pilot.press("space")
        assert main.case_list.marked == {"fix-composite"}
        assert "●" in screen_text(app)
        app._notifications.clear()
        await pilot.press("equals_sign")
        assert any("two or more" in str(n.message) for n in app._notifications)
        await pilot.press("space")
        assert main.case_list.marked == set()


async def test_notes_tab_has_the_hook(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, pilot):
        await pilot.press("6")
        pane = app.screen.query_one("#notes-pane")
        assert "No notes yet" in str(pane.query_one("#notes-empty", Static).render())
        assert "No notes yet" in screen_text(app)


async def test_case_shown_message_for_hooks(fixture_folder: Path) -> None:
    seen: list[str] = []

    def hook(message: object) -> None:
        if isinstance(message, MainScreen.CaseShown):
            seen.append(message.case_id)

    app = make_app(cases=fixture_folder, cursor_blink=False)
    async with app.run_test(size=(80, 24), message_hook=hook) as pilot:
        await wait_loaded(pilot)
        await pilot.press("j")
        await pilot.pause()
    assert list(dict.fromkeys(seen)) == ["fix-composite", "fix-in-depth-1"]


async def test_hostile_text_renders_literally(hostile_folder: Path) -> None:
    async with running(hostile_folder, size=(200, 60)) as (app, pilot):
        await pilot.press("G")
        main = main_of(app)
        assert main.current_case == "hostile"
        text = screen_text(app)
        assert HOSTILE_LABEL in text  # label in the list and the overview, as typed
        assert "[@click=app.quit]place[/]" in text
        assert "\x1b" not in text
        await pilot.press("2")
        text = screen_text(app)
        assert "[b]stage[/b]" in text
        assert "Unbalanced [/] closing tag" in text
        await pilot.press("4")
        assert "[red]Org[/red]: $text-muted [reverse]p" in screen_text(app)
        # Clicking the hostile label must not run the embedded action.
        await pilot.press("1")
        await pilot.click("#overview-body", offset=(5, 0))
        await pilot.pause()
        assert app.is_running
        # The palette shows it literally too.
        await pilot.press("ctrl+p", *"boom")
        await pilot.pause(0.3)
        assert "[@click=app.quit]boom[/]" in screen_text(app)


async def test_invalid_folder_with_cached_data_opens_with_warning(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "cases", fixture_files())
    async with running(folder) as (app, _):
        assert app.dataset is not None
    (folder / "c-scoping.yaml").write_text("id: [broken\n", encoding="utf-8")
    async with running(folder) as (app, _):
        assert isinstance(app.screen, MainScreen)
        assert app.screen.case_list.case_ids == CASE_IDS  # the last good data
        warnings = [n for n in app._notifications if n.severity == "warning"]
        assert warnings and "1 problem;" in warnings[0].title  # issue 12: not "1 problems"
        assert "c-scoping.yaml" in str(warnings[0].message)


async def test_invalid_folder_without_data_exits_1(tmp_path: Path) -> None:
    from textual.worker import WorkerCancelled

    folder = write_folder(tmp_path / "cases", {"c-scoping.yaml": "id: [broken\n"})
    app = make_app(cases=folder)
    async with app.run_test(size=(80, 24)) as pilot:
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    assert app.return_code == 1
    message = app.exit_message or ""
    assert message.startswith("ccgtui: 3 problems in case folder:")
    assert "c-scoping.yaml:2: -: YAML syntax error" in message
    assert "missing file: every case folder needs sources.yaml" in message


def test_cli_prints_the_exit_message_and_code(tmp_path: Path) -> None:
    """The installed entry point: no good data means stderr message and exit code 1."""
    import os
    import pty
    import subprocess
    import sys

    folder = write_folder(tmp_path / "cases", {"c-scoping.yaml": "id: [broken\n"})
    # The explorer refuses without a terminal (tests/test_cli_terminal.py): give it one on
    # stdin and stdout; Textual draws on stderr, which the test reads.
    controller, terminal = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "ccgtui", "--cases", str(folder)],
            stdin=terminal,
            stdout=terminal,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(terminal)
        os.close(controller)
    assert proc.returncode == 1, proc.stderr
    # Textual drew on the terminal (stderr) first; the message comes after it exited.
    lines = proc.stderr.splitlines()
    assert lines[-1].endswith("study.yaml: -: missing file: every case folder needs study.yaml")
    assert any(line.endswith("ccgtui: 3 problems in case folder:") for line in lines)
    # The wording is libyaml's (or PyYAML's when libyaml is missing); the place is ours.
    assert any(
        "c-scoping.yaml:2: -: YAML syntax error:" in line and "',' or ']'" in line for line in lines
    )


async def test_store_recovery_messages_become_notifications(tmp_path: Path) -> None:
    import os

    from ccgtui.store import Store

    folder = write_folder(tmp_path / "cases", fixture_files())
    db = Path(os.environ["CCGTUI_DB"])
    db.parent.mkdir(parents=True, exist_ok=True)
    # Only a file ccgtui wrote is recovered (anything else is refused, issue 12): cut one short.
    Store(db, folder).open()
    db.write_bytes(db.read_bytes()[:100])
    async with running(folder) as (app, _):
        assert isinstance(app.screen, MainScreen)
        assert any("unreadable" in str(n.message) for n in app._notifications)
    assert list(db.parent.glob(f"{db.name}.corrupt-*"))


async def test_reload_keeps_the_current_case(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "cases", fixture_files())
    async with running(folder) as (app, pilot):
        await pilot.press("j", "j")
        (folder / "c-scoping.yaml").write_text(
            fixture_files()["c-scoping.yaml"].replace("interviews", "talks"), encoding="utf-8"
        )
        await pilot.press("ctrl+r")
        await wait_loaded(pilot)
        main = main_of(app)
        assert main.current_case == "fix-scoping"
        assert "Fixture scoping talks" in screen_text(app)


async def test_quit(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, pilot):
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_long_list_fills_in_batches_and_jumps_reach_every_case(tmp_path: Path) -> None:
    from ccgtui.tui.widgets.case_list import BATCH, FIRST_BATCH

    n = FIRST_BATCH + BATCH + 20
    files = dict(fixture_files())
    for i in range(n):
        files[f"z-{i:04d}.yaml"] = (
            f"id: bulk-{i:04d}\nstudy: fix-study\nkind: scoping\nlabel: Bulk case {i}\n"
        )
    folder = write_folder(tmp_path / "cases", files)
    async with running(folder) as (app, pilot):
        main = main_of(app)
        last = f"bulk-{n - 1:04d}"
        # Jump before the batches land: the list catches up to the target.
        app.jump_to_case(last)
        await pilot.pause()
        assert main.current_case == last
        assert main.case_list.current_id == last
        for _ in range(10):
            await pilot.pause()
        assert len(main.case_list.case_ids) == n + len(CASE_IDS)
        assert f"{n + len(CASE_IDS)} cases" in screen_text(app)


async def test_bundled_study_walks_from_the_keyboard() -> None:
    from tests.conftest import BUNDLED_CASES

    if not any(BUNDLED_CASES.glob("*.yaml")):
        pytest.skip("the bundled cases/ folder is empty")
    async with running(BUNDLED_CASES, size=(120, 40)) as (app, pilot):
        main = main_of(app)
        assert "composite-frail-elderly" in main.case_list.case_ids
        app.jump_to_case("composite-frail-elderly")
        await pilot.press("2")
        # The sources give three interlocking arenas, not numbered steps (issue 15).
        story = body(app, "story")
        assert "1. " not in story and "interlocking" in story
        await pilot.press("3")
        arenas = body(app, "arenas")
        for title in ("CCG board", "Programme board", "Point of delivery"):
            assert title in arenas
        await pilot.press("s")
        assert isinstance(app.screen, StudyScreen)
        phases = str(app.screen.query_one("#study-phases", Static).render())
        assert all(f"Phase {n}" in phases for n in range(1, 6))


def big_folder(tmp_path: Path) -> Path:
    """The fixture folder plus enough cases for the loader's process pool."""
    from ccgtui import loader

    files = fixture_files()
    case = files["b-in-depth.yaml"]
    for i in range(loader.PARALLEL_MIN_FILES):
        files[f"z-{i:04d}.yaml"] = case.replace("id: fix-in-depth-1", f"id: big-{i:04d}")
    return write_folder(tmp_path / "cases", files)


async def test_a_big_folder_loads_in_the_explorer(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Folders big enough for the loader's process pool load inside the app, in the pool."""
    from ccgtui import loader

    caplog.set_level(logging.DEBUG, logger="ccgtui.loader")
    async with running(big_folder(tmp_path)) as (app, _):
        main = main_of(app)
        assert len(main.dataset.cases) == len(CASE_IDS) + loader.PARALLEL_MIN_FILES
    assert any("in a process pool" in m for m in caplog.messages), caplog.messages


# Run in a fresh interpreter: multiprocessing starts its helper process once per
# process, so inside this test session another test may have started it already.
_EXPLORER_LOAD = """
import asyncio, json, logging, sys
from pathlib import Path
from ccgtui.tui.app import make_app

messages = []
handler = logging.Handler()
handler.emit = lambda record: messages.append(record.getMessage())
logging.getLogger("ccgtui.loader").addHandler(handler)
logging.getLogger("ccgtui.loader").setLevel(logging.DEBUG)

async def main():
    app = make_app(cases=Path(sys.argv[1]), cursor_blink=False)
    async with app.run_test() as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        stderr = type(sys.stderr).__name__
        cases = None if app.dataset is None else len(app.dataset.cases)
    print(json.dumps({"cases": cases, "log": messages, "stderr": stderr}))

asyncio.run(main())
"""


def test_a_cold_start_of_the_explorer_loads_a_big_folder_in_the_process_pool(
    tmp_path: Path,
) -> None:
    """The explorer's load runs while Textual's print capture is sys.stderr, whose
    fileno() is -1: multiprocessing's helper process could not start, and 10k cases
    were parsed in one process (about three times slower on two cores)."""
    from ccgtui import loader

    folder = big_folder(tmp_path)
    out = subprocess.run(
        [sys.executable, "-c", _EXPLORER_LOAD, str(folder)],
        capture_output=True,
        text=True,
        check=True,
        timeout=180,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    files = len(CASE_IDS) + loader.PARALLEL_MIN_FILES
    assert result == {
        "cases": files,
        "log": [f"checked {files} case files in a process pool"],
        "stderr": "_PrintCapture",  # the app's own, put back after the pool started
    }


async def test_the_loading_screen_counts_the_case_files_parsed(fixture_folder: Path) -> None:
    """A (re)load that parses the folder shows "n of m files" under the spinner (issue 16)."""
    import re

    app = make_app(cases=fixture_folder, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        count = app.screen_stack[0].query_one("#loading-count", Static)
        shown = re.fullmatch(r"Reading the case folder: (\d+) of (\d+) files", str(count.render()))
        assert shown is not None and shown[1] == shown[2] and int(shown[2]) >= 4
        assert not count.display  # gone with the spinner once the cases show
