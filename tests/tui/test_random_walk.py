"""A seeded random walk of palette commands and navigation keys: the app stays alive.

Issue 12 found ``DuplicateIds`` and ``LookupError: the main screen is not open yet`` by
mixing palette commands with navigation.  Each step is either a palette command (typed
fast, sometimes before its results arrive) or a short burst of keys; after every step
the app must still run, with one main screen and no two screens of one kind.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest
from textual.command import CommandPalette

from tests.tui.conftest import running
from tests.tui.key_bursts import burst

STEPS = 150
SEEDS = [12, 1312]

PALETTE_QUERIES = [
    "open matrix by arenas",
    "open matrix by sectors",
    "open matrix by stages",
    "show matrix by themes",
    "compare with",
    "fix-article",
    "fix-report",
    "fix-scoping",
    "jump to case fix-composite",
    "All notes",
    "bookmarks",
    "export this case as md",
    "export this matrix as csv",
    "zzzz no such command",
]

# Navigation keys; never ``q`` (it quits from the main screen, which is not a failure).
KEYS = [
    *"jkgGhl1234567[]",
    "space",
    "equals_sign",
    "enter",
    "escape",
    "backspace",
    "tab",
    "m",
    "s",
    "N",
    "B",
    "n",
    "t",
    "b",
    "slash",
    "question_mark",
    "ctrl+o",
    "ctrl+n",
    "ctrl+r",
    "e",
    "d",
]


@pytest.mark.parametrize("seed", SEEDS)
async def test_random_palette_and_navigation_keep_the_app_alive(
    fixture_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    monkeypatch.chdir(tmp_path)  # an export dialog confirmed by a random Enter writes here
    rng = random.Random(seed)
    async with running(fixture_folder, size=(100, 30)) as (app, pilot):
        for step in range(STEPS):
            if rng.random() < 0.3:
                query = rng.choice(PALETTE_QUERIES)
                keys = ["ctrl+p", *query]
                if rng.random() < 0.5:
                    burst(app, keys)
                    await pilot.pause(0.05)  # let the results arrive (sometimes)
                    keys = []
                keys.append(rng.choice(["enter", "enter", "down", "escape"]))
                keys.append("enter")
            else:
                keys = [rng.choice(KEYS) for _ in range(rng.randint(1, 4))]
            burst(app, keys)  # typed ahead: queued before the first is read
            await pilot.pause()
            context = f"seed {seed}, step {step}: {keys}; stack {app.screen_stack}"
            assert app.is_running, f"{context}; {app._exception!r}"
            assert app.main_screen is not None, context
            kinds = Counter(
                type(s).__name__ for s in app.screen_stack if not isinstance(s, CommandPalette)
            )
            assert max(kinds.values()) == 1, context
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
