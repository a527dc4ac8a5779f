"""A killed ccgtui leaves no loader workers behind (issue 13 item 15).

``kill -9`` of ``ccgtui --cases BIG load`` while its process pool is loading
used to leave both workers and the resource tracker running, parented to
init, for as long as the machine ran.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ccgtui.loader import PARALLEL_MIN_FILES

REPO = Path(__file__).resolve().parents[1]


def _state(pid: int) -> str | None:
    """The process's state letter, ``None`` if it is gone (a zombie counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    state = stat.rpartition(")")[2].split()[0]
    return None if state in ("Z", "X") else state


def _helpers(parent: int) -> list[int]:
    """The multiprocessing processes (workers, resource tracker) ``parent`` started."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rpartition(")")[2].split()[1])
            cmdline = (entry / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
        if ppid == parent and b"multiprocessing" in cmdline:
            found.append(int(entry.name))
    return found


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the pool needs two cores")
def test_kill_9_during_a_pooled_load_leaves_no_worker(tmp_path: Path) -> None:
    big = tmp_path / "big"
    n = max(3000, PARALLEL_MIN_FILES * 4)
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "synth.py"), "--cases", str(n), "--out", str(big)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    db = tmp_path / "db" / "ccgtui.json"
    db.parent.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "ccgtui", "--cases", str(big), "--db", str(db), "load"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    helpers: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        helpers = _helpers(proc.pid)
        if len(helpers) >= 2:  # the tracker and at least one worker: the pool is loading
            break
        time.sleep(0.02)
    assert proc.poll() is None and len(helpers) >= 2, "the load ended before the pool was seen"
    time.sleep(0.3)  # let the pool start working
    helpers = sorted(set(helpers) | set(_helpers(proc.pid)))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 5
    alive = helpers
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [pid for pid in helpers if _state(pid) is not None]
    for pid in alive:  # do not leave them running if the test fails
        os.kill(pid, signal.SIGKILL)
    assert alive == [], f"{len(alive)} of {len(helpers)} pool processes outlived their parent"
