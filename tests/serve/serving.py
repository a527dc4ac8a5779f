"""Start `ccgtui serve` as a real process on a free loopback port, for the serve tests."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

URL_LINE = re.compile(r"serving the explorer at (http://\S+/)")
# Any http(s) URL in the page whose host is not this machine.
THIRD_PARTY = re.compile(
    r"(?:https?:|wss?:)?//(?!(?:127\.0\.0\.1|localhost|\[::1\])(?:[:/\"']|$))[^\s\"'<>)]+",
    re.IGNORECASE,
)


def serve_command(db_dir: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "ccgtui", "--db", str(db_dir / "serve.json"), "serve", *extra]


@contextmanager
def served(db_dir: Path, timeout: float = 30.0) -> Iterator[str]:
    """Run `ccgtui serve --port 0`; yield its URL once it accepts connections."""
    with served_process(db_dir, timeout) as (url, _process):
        yield url


@contextmanager
def served_process(
    db_dir: Path, timeout: float = 30.0
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """Like ``served``, with the server's process too."""
    process = subprocess.Popen(
        serve_command(db_dir, "--port", "0"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its app processes end with it (killpg below)
        cwd=db_dir,  # where an export would land if it went to the server's disk
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        found = URL_LINE.search(line)
        assert found, f"no URL printed: {line!r} {process.stderr.read() if process.stderr else ''}"
        url = found.group(1)
        _wait_for_port(url, process, timeout)
        yield url, process
    finally:
        _stop(process)


def _wait_for_port(url: str, process: subprocess.Popen[str], timeout: float) -> None:
    host, port = url.split("//")[1].rstrip("/").rsplit(":", 1)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"ccgtui serve exited with {process.returncode}")
        try:
            with socket.create_connection((host, int(port)), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listened on {url} within {timeout} s")


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    # The explorer processes a browser tab started, should any outlive the server.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()
