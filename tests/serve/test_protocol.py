"""`ccgtui serve` without a browser: the page, the websocket, the host check.

Each test starts the real command on a free loopback port (`--port 0`).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.serve.serving import THIRD_PARTY, serve_command, served, served_process

pytest.importorskip("textual_serve", reason="ccgtui serve needs the serve extra")
aiohttp = pytest.importorskip("aiohttp")


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        body: str = response.read().decode("utf-8")
        return body


def test_the_page_loads_nothing_from_another_machine(tmp_path: Path) -> None:
    with served(tmp_path) as url:
        assert url.startswith("http://127.0.0.1:")
        page = fetch(url)
        assert 'class="textual-terminal"' in page
        assert THIRD_PARTY.findall(page) == []
        # What the page does load comes from this server.
        assert "/static/js/textual.js" in page
        font = urllib.request.urlopen(url + "static/fonts/RobotoMono-VariableFont_wght.ttf")
        assert font.status == 200 and len(font.read()) > 10_000


def test_third_party_pattern_catches_the_default_template() -> None:
    # textual-serve's own page asks a font service for Roboto Mono: the check sees it.
    import textual_serve

    default = Path(textual_serve.__file__).parent / "templates" / "app_index.html"
    assert THIRD_PARTY.findall(default.read_text("utf-8"))
    assert not THIRD_PARTY.findall('href="http://127.0.0.1:8470/x" src="//localhost/y"')


async def _first_screen(ws_url: str) -> bytes:
    """Open the websocket as textual.js does and collect what the explorer draws."""
    drawn = b""
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(ws_url + "?width=80&height=24") as ws,
    ):
        await ws.send_json(["resize", {"width": 80, "height": 24}])
        try:
            # One deadline for the lot: the server's heartbeat pings restart a
            # per-message receive timeout, so that alone could wait for ever.
            async with asyncio.timeout(30):
                while len(drawn) < 2000:
                    message = await ws.receive()
                    if message.type == aiohttp.WSMsgType.BINARY:
                        drawn += message.data
                    elif message.type != aiohttp.WSMsgType.TEXT:
                        break
        except TimeoutError:
            pass  # too little drawn: the test's assertion says so
    return drawn


def test_the_websocket_runs_the_explorer(tmp_path: Path) -> None:
    with served(tmp_path) as url:
        drawn = asyncio.run(_first_screen(url.replace("http:", "ws:") + "ws"))
    # The explorer started under textual-serve and drew its first screen.
    assert len(drawn) >= 2000, drawn[:500]
    assert b"\x1b[" in drawn


async def _stop_with_a_tab_open(ws_url: str, process: subprocess.Popen[str]) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(ws_url + "?width=80&height=24") as ws,
    ):
        async with asyncio.timeout(30):
            while (await ws.receive()).type != aiohttp.WSMsgType.BINARY:
                pass  # until the explorer draws: its process is running
        process.send_signal(signal.SIGTERM)  # Ctrl+C in the terminal that serves
        await asyncio.to_thread(process.wait, 15)  # raises if the server hangs on
        # The tab's explorer process goes with the server.
        for _ in range(100):
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                return
            await asyncio.sleep(0.1)
        raise AssertionError("the tab's explorer outlived the server")


def test_ctrl_c_stops_the_server_and_the_tabs_explorers(tmp_path: Path) -> None:
    with served_process(tmp_path) as (url, process):
        asyncio.run(_stop_with_a_tab_open(url.replace("http:", "ws:") + "ws", process))


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "example.org", "::"])
def test_a_non_loopback_host_is_refused_without_allow_remote(tmp_path: Path, host: str) -> None:
    result = subprocess.run(
        serve_command(tmp_path, "--host", host, "--port", "0"),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "no login" in result.stderr and "SSH tunnel" in result.stderr
    assert result.stderr.count("\n") == 1


def test_the_help_says_to_use_an_ssh_tunnel(tmp_path: Path) -> None:
    result = subprocess.run(
        serve_command(tmp_path, "--help"), capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0
    assert "SSH tunnel" in result.stdout and "no login" in result.stdout


def test_serve_help_imports_neither_textual_nor_textual_serve(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from ccgtui.cli import cli\n"
        "try:\n"
        "    cli(['serve', '--help'], prog_name='ccgtui')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('textual', 'textual_serve')]\n"
        "print('HEAVY', heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=True
    )
    assert "HEAVY []" in result.stdout
