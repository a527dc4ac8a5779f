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


async def shoot(cases: Path, out: Path, story: bool = True) -> list[Path]:
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
        if story:
            await shoot_story(app, pilot, out, written)
        await pilot.press("s")
        await pilot.pause()
        written.append(Path(app.save_screenshot("study.svg", str(out))))
    return written


async def shoot_story(app, pilot, out: Path, written: list[Path]) -> None:  # type: ignore[no-untyped-def]
    """The case with the longest story, on its Story tab."""
    best = max(
        app.dataset.cases,
        key=lambda c: len(c.story) if isinstance(c.story, list) else 0,
    )
    app.jump_to_case(best.id)
    await pilot.press("2")
    await pilot.pause()
    written.append(Path(app.save_screenshot("explorer-story.svg", str(out))))


def has_stages(cases: Path) -> bool:
    from ccgtui.loader import load_folder

    return any(isinstance(c.story, list) and c.story for c in load_folder(cases).cases)


async def shoot_story_only(cases: Path, out: Path) -> list[Path]:
    from ccgtui.tui.app import make_app

    app = make_app(cases=cases, cursor_blink=False)
    written: list[Path] = []
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await shoot_story(app, pilot, out, written)
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
        # The bundled cases report no sequence of stages (their stories are explicit
        # unknowns), so the story is shown on the illustrative example, which has one.
        story_here = has_stages(cases)
        paths = asyncio.run(shoot(cases, HERE, story=story_here))
        if not story_here:
            paths += asyncio.run(shoot_story_only(REPO / "examples" / "illustrative", HERE))
        for path in paths:
            print(path)


if __name__ == "__main__":
    main()
