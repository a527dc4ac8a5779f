"""The command palette shows case and source text literally, whatever it contains."""

from __future__ import annotations

import time
from pathlib import Path

from textual.command import CommandList
from textual.content import Content
from textual.fuzzy import Matcher
from textual.pilot import Pilot

from ccgtui.tui.app import CcgApp
from ccgtui.tui.palette import highlight
from tests.conftest import write_folder
from tests.tui.conftest import fixture_files, running

# Labels that are (or break) Textual markup, and one with a terminal escape sequence.
HOSTILE_CASES = {
    "hostile-bold": "[bold red]x hostile bold",
    "hostile-close": "Evil x[/] case hostile",
    "hostile-click": "[@click=app.quit]y hostile click",
    "hostile-escape": "Esc \\x1b[31mred\\x1b[0m hostile escape",
}
SHOWN = {
    "hostile-bold": "Jump to case: [bold red]x hostile bold (hostile-bold)",
    "hostile-close": "Jump to case: Evil x[/] case hostile (hostile-close)",
    "hostile-click": "Jump to case: [@click=app.quit]y hostile click (hostile-click)",
    # the loader drops the ESC characters; what is left is shown as typed
    "hostile-escape": "Jump to case: Esc [31mred[0m hostile escape (hostile-escape)",
}


def _case(case_id: str, label: str) -> str:
    return f'id: {case_id}\nstudy: fix-study\nkind: scoping\nlabel: "{label}"\n'


def hostile_palette_folder(root: Path) -> Path:
    files = fixture_files()
    for case_id, label in HOSTILE_CASES.items():
        files[f"z-{case_id}.yaml"] = _case(case_id, label)
    return write_folder(root, files)


def _options(app: CcgApp) -> list[Content]:
    listing = app.screen.query_one(CommandList)
    return [
        Content.from_markup(listing.get_option_at_index(i).prompt)  # type: ignore[arg-type]
        for i in range(listing.option_count)
    ]


def _lines(options: list[Content]) -> list[str]:
    return [option.plain.split("\n")[0] for option in options]


async def _search(pilot: Pilot[None], app: CcgApp, query: str, wanted: list[str]) -> list[Content]:
    """Open the palette, type ``query`` and wait (up to 10 s) for the ``wanted`` lines."""
    await pilot.press("ctrl+p", *query)
    deadline = time.monotonic() + 10
    options: list[Content] = []
    while time.monotonic() < deadline:
        await pilot.pause(0.1)
        options = _options(app)
        if set(wanted) <= set(_lines(options)):
            break
    return options


async def test_hostile_case_labels_are_literal_in_the_palette(tmp_path: Path) -> None:
    folder = hostile_palette_folder(tmp_path / "cases")
    async with running(folder, size=(120, 40)) as (app, pilot):
        options = await _search(pilot, app, "hostile", list(SHOWN.values()))
        assert app.is_running
        lines = _lines(options)
        for expected in SHOWN.values():
            assert expected in lines
        for option in options:
            assert "\x1b" not in option.plain
            for span in option.spans:
                style = str(span.style)
                assert "@click" not in style and "link" not in style, style
        # The matched characters are still highlighted, on the literal text.
        bold = next(o for o in options if o.plain.startswith(SHOWN["hostile-bold"]))
        start = bold.plain.index("hostile")
        styled = {i for span in bold.spans for i in range(span.start, span.end)}
        assert set(range(start, start + len("hostile"))) <= styled
        # Choosing the [@click=app.quit] case jumps to it; nothing else runs.
        await pilot.press("escape")
        await pilot.pause()
        await _search(pilot, app, "hostile click", [SHOWN["hostile-click"]])
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running
        assert app.main_screen.current_case == "hostile-click"


async def test_source_results_keep_their_id(tmp_path: Path) -> None:
    folder = hostile_palette_folder(tmp_path / "cases")
    async with running(folder, size=(120, 40)) as (app, pilot):
        shown = "Jump to source: [fix-report] Author A, Author B 2017 Fixture final report"
        options = await _search(pilot, app, "fixture final report", [shown])
        assert shown in _lines(options)


def test_highlight_styles_the_matched_characters_of_literal_text() -> None:
    matcher = Matcher("evil")
    content = highlight(matcher, "Evil x[/] case")
    assert content.plain == "Evil x[/] case"
    styled = sorted({i for span in content.spans for i in range(span.start, span.end)})
    assert styled == [0, 1, 2, 3]
    # No match: the text, unstyled.
    assert highlight(matcher, "[b]other[/b]").plain == "[b]other[/b]"
    # Lower-casing that lengthens the text never styles past its end.
    assert highlight(Matcher("i̇"), "İ").plain == "İ"
