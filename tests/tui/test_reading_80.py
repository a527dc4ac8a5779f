"""Reading the explorer at 80 columns (issue 12): wrapped rows keep their indent."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import write_folder
from tests.tui.conftest import fixture_files, running
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
