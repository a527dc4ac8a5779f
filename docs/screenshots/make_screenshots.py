"""Regenerate the README screenshots: ``.venv/bin/python docs/screenshots/make_screenshots.py``.

Uses the bundled ``cases/`` (a temporary database, so your own is untouched).
With ``--fixture`` (or when the bundled folder is still empty) it uses the
invented test fixture from ``tests/tui/conftest.py`` instead.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SIZE = (120, 34)


async def shoot(cases: Path, out: Path) -> list[Path]:
    from ccgtui.tui.app import make_app
    from ccgtui.tui.screens.main import MainScreen

    app = make_app(cases=cases, cursor_blink=False)
    written: list[Path] = []
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, MainScreen), "the data did not load"
        dataset = app.dataset
        assert dataset is not None
        # The case with the longest story shows the most.
        best = max(
            dataset.cases,
            key=lambda c: len(c.story) if isinstance(c.story, list) else 0,
        )
        app.jump_to_case(best.id)
        await pilot.press("2")
        await pilot.pause()
        written.append(Path(app.save_screenshot("explorer-story.svg", str(out))))
        await pilot.press("s")
        await pilot.pause()
        written.append(Path(app.save_screenshot("study.svg", str(out))))
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixture", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from ccgtui import paths

    cases = paths.bundled_cases_dir()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CCGTUI_DB"] = str(Path(tmp) / "ccgtui.json")
        if args.fixture or not any(cases.glob("*.yaml")):
            from tests.conftest import write_folder
            from tests.tui.conftest import fixture_files

            cases = write_folder(Path(tmp) / "fixture", fixture_files())
            print("using the invented test fixture (bundled cases/ is empty)")
        for path in asyncio.run(shoot(cases, HERE)):
            print(path)


if __name__ == "__main__":
    main()
