"""`ccgtui serve` in a real browser: Debian's chromium driven by Playwright.

The terminal is drawn on a canvas (there is no DOM text), so the test compares
screenshots of it.  Every request that leaves the machine is blocked and counted.
Skipped when chromium or Playwright is missing (CI installs chromium in .ci/run).
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.serve.serving import serve_command, served

CHROMIUM = Path("/usr/bin/chromium")
LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (/usr/bin/chromium)"),
]
pytest.importorskip("textual_serve", reason="ccgtui serve needs the serve extra")
sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")


def wait_until(check: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def cli_export(db_dir: Path, fmt: str, what: str, by: str) -> str:
    argv = [*serve_command(db_dir)[:-1], "export", fmt, "--what", what, "--by", by, "-o", "-"]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=True)
    return result.stdout


def test_explorer_in_chromium(tmp_path: Path) -> None:
    leaving: list[str] = []

    def only_this_machine(route: sync_api.Route) -> None:
        if urlsplit(route.request.url).hostname in LOOPBACK:
            route.continue_()
        else:
            leaving.append(route.request.url)
            route.abort()

    with (
        served(tmp_path) as url,
        sync_api.sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        try:
            context = browser.new_context(
                viewport={"width": 1100, "height": 700}, accept_downloads=True
            )
            context.route("**/*", only_this_machine)
            page = context.new_page()
            page.goto(url)
            # The first bytes of the explorer's screen have reached the terminal.
            page.wait_for_selector("body.-first-byte", timeout=30_000)
            terminal = page.locator("#terminal")
            page.locator(".xterm-helper-textarea").focus()

            def shot() -> bytes:
                picture: bytes = terminal.screenshot()
                return picture

            def settled() -> bytes:
                """The screen once two screenshots a moment apart agree."""
                last = shot()
                for _ in range(50):
                    time.sleep(0.3)
                    now = shot()
                    if now == last:
                        return now
                    last = now
                raise AssertionError("the screen never settled")

            main = settled()
            page.keyboard.press("m")
            wait_until(lambda: shot() != main, "the matrix to replace the case screen")
            matrix = settled()
            assert matrix != main

            # Export the matrix: under the browser it arrives as a download.
            page.keyboard.press("e")
            wait_until(lambda: shot() != matrix, "the export dialog")
            settled()
            with page.expect_download(timeout=20_000) as arrival:
                page.keyboard.press("Enter")
            download = arrival.value
            assert download.suggested_filename.startswith("ccgtui-matrix-")
            saved = tmp_path / "downloads" / download.suggested_filename
            download.save_as(saved)
            # The same document the command line exports.
            assert saved.read_text("utf-8") == cli_export(tmp_path, "md", "matrix", "sectors")
            # Nothing was written beside the server instead.
            assert not list(tmp_path.glob("ccgtui-*"))

            # Esc, then a pause: Esc followed at once by a key reads as Alt+key.
            page.keyboard.press("Escape")
            time.sleep(0.5)
            wait_until(lambda: shot() != matrix, "the matrix to close")

            # Search: the box opens, results arrive as the word is typed, Enter acts on them.
            back = settled()
            page.keyboard.press("/")
            wait_until(lambda: shot() != back, "the search screen")
            empty = settled()
            page.keyboard.type("frail")
            wait_until(lambda: shot() != empty, "search results for 'frail'")
            results = settled()
            page.keyboard.press("Enter")
            wait_until(lambda: shot() != results, "Enter on the search results")
        finally:
            browser.close()
    assert leaving == []
