"""The Partners tab shows sectors the sources are silent on as unknown, never absent (issue 15)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from ccgtui.tui.render import partners_lines
from tests.conftest import write_folder
from tests.tui.conftest import fixture_files, running

UNKNOWN_SECTORS = """\
sectors_unknown:
  sectors: [hwb, other]
  text: Whether the board or others took part is not reported in available sources
  sources: [fix-report]
enablers:
"""


def folder_with_unknown_sectors(tmp_path: Path) -> Path:
    files = fixture_files()
    files["a-composite.yaml"] = files["a-composite.yaml"].replace("enablers:\n", UNKNOWN_SECTORS)
    return write_folder(tmp_path / "cases", files)


async def test_partners_tab_lists_unknown_sectors_as_unknown(tmp_path: Path) -> None:
    async with running(folder_with_unknown_sectors(tmp_path), size=(120, 40)) as (app, pilot):
        await pilot.press("4")
        await pilot.pause()
        body = str(app.screen.query_one("#partners-body", Static).render())
        for sector in ("Health and Wellbeing Board", "Other"):
            at = body.index(f"{sector}\n")  # its own heading, as a named sector has
            assert (
                body[at:]
                .splitlines()[1]
                .startswith(
                    "  ? Whether the board or others took part is not reported in available sources"
                )
            ), body
        assert "[fix-report]" in body
        # the named partners are still there, under their sectors
        assert "Social work\n  • Fixture Council:" in body


async def test_a_search_for_the_unknown_sectors_text_has_a_line_to_mark(tmp_path: Path) -> None:
    """The unknown lines are tagged ``sectors_unknown``, the path the data names them by."""
    from ccgtui.loader import load_folder

    dataset = load_folder(folder_with_unknown_sectors(tmp_path))
    case = dataset.case("fix-composite")
    assert case is not None
    tags = [tag for _, tag in partners_lines(case, dataset)]
    assert tags.count("sectors_unknown") == 2
