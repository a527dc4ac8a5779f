"""Drive the installed ``ccgtui`` in a real terminal (tmux): its story and partners appear."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import write_folder
from tests.tui.conftest import fixture_files

pytestmark = pytest.mark.e2e

WAIT_S = 30.0


def installed_ccgtui() -> str | None:
    found = shutil.which("ccgtui")
    if found:
        return found
    beside = Path(sys.executable).with_name("ccgtui")
    return str(beside) if beside.exists() else None


class Tmux:
    def __init__(self) -> None:
        self.socket = f"ccgtui-e2e-{uuid.uuid4().hex[:8]}"

    def run(self, *args: str) -> str:
        proc = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            timeout=15,
        )
        return proc.stdout

    def pane(self) -> str:
        return self.run("capture-pane", "-p", "-t", "e2e")

    def alive(self) -> bool:
        proc = subprocess.run(
            ["tmux", "-L", self.socket, "has-session", "-t", "e2e"],
            capture_output=True,
            timeout=15,
        )
        return proc.returncode == 0

    def wait_for(self, *texts: str) -> str:
        """Poll the pane until every text shows (not a timing assertion: a bounded wait)."""
        deadline = time.monotonic() + WAIT_S
        screen = ""
        while time.monotonic() < deadline:
            screen = self.pane()
            if all(t in screen for t in texts):
                return screen
            time.sleep(0.2)
        missing = [t for t in texts if t not in screen]
        raise AssertionError(f"never showed {missing}; the pane was:\n{screen}")

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", "e2e", *keys)


def launch(tmux: Tmux, folder: Path, db: Path, size: tuple[int, int] = (120, 40)) -> None:
    """Start the installed ``ccgtui`` on ``folder`` in a fresh tmux session."""
    exe = installed_ccgtui()
    if exe is None:
        pytest.skip("ccgtui is not installed")
    command = " ".join(
        [
            "env",
            "-u",
            "COLUMNS",
            "-u",
            "LINES",
            f"CCGTUI_DB={shlex.quote(str(db))}",
            # Its own preferences: a real user's last case or keymap must not steer the test.
            f"CCGTUI_CONFIG={shlex.quote(str(db.parent / 'config.toml'))}",
            "TERM=xterm-256color",
            shlex.quote(exe),
            "--cases",
            shlex.quote(str(folder)),
        ]
    )
    width, height = size
    tmux.run("new-session", "-d", "-s", "e2e", "-x", str(width), "-y", str(height), command)
    # Without a client, some tmux versions keep the default 80x24: size it explicitly.
    tmux.run("resize-window", "-t", "e2e", "-x", str(width), "-y", str(height))


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    session = Tmux()
    try:
        yield session
    finally:
        session.run("kill-server")


def test_story_and_partners_in_a_real_terminal(
    tmux: Tmux, tmp_path: Path, isolated_db: Path
) -> None:
    launch(tmux, write_folder(tmp_path / "cases", fixture_files()), isolated_db)
    tmux.wait_for("Fixture frail elderly integration", "COMPOSITE", "4 cases")
    tmux.keys("2")
    tmux.wait_for(
        "1. Board gives legitimacy",
        "Arena: CCG board (strategy)",
        "Partners negotiated the plan. [fix-article, fix-report]",
    )
    tmux.keys("4")
    tmux.wait_for(
        "Social work",
        "Fixture Council: Social work joined the redesign. [fix-article]",
    )
    # Move to another case, then back with backspace (history).
    tmux.keys("j")
    tmux.wait_for("Not reported in available sources")
    tmux.keys("BSpace")
    tmux.wait_for("Fixture Council: Social work joined")
    tmux.keys("q")
    deadline = time.monotonic() + WAIT_S
    while tmux.alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not tmux.alive(), "ccgtui did not quit on q"


def test_keys_typed_ahead_of_the_main_screen(tmux: Tmux, tmp_path: Path, isolated_db: Path) -> None:
    """Issue 12: ``ctrl+p`` and a query typed right after launch reach the palette, in
    order; no key lands in another widget (``n`` once opened a note editor)."""
    launch(tmux, write_folder(tmp_path / "cases", fixture_files()), isolated_db)
    tmux.keys("C-p")
    tmux.keys("-l", "case one")  # literally, at once: before the explorer is up
    screen = tmux.wait_for("Jump to case: Fixture in-depth case one")
    assert "New note" not in screen and "Note on" not in screen
    tmux.keys("Enter")
    # Only that case's Overview says this (the composite's, visible around the palette,
    # names all three arenas): the jump has happened.
    screen = tmux.wait_for("Fixture in-depth case one", "Leadership: ? Not reported")
    assert "Jump to case" not in screen
    tmux.keys("q")
    deadline = time.monotonic() + WAIT_S
    while tmux.alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not tmux.alive(), "ccgtui did not quit on q"
