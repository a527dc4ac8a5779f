"""Pool workers that end with their parent (issue 13 item 15).

A ``kill -9`` of ccgtui while its process pool is loading used to leave the
workers (and, through their pipe, multiprocessing's resource tracker) alive,
parented to init, for as long as the machine ran.  :func:`die_with_parent`,
called first in each worker's initializer, makes that impossible:

* on Linux, ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` has the kernel kill the
  worker the moment its parent dies;
* everywhere, a daemon thread checks every half second that the parent is
  still the process that started the worker, and ends the worker if not
  (this also covers a parent that died before the ``prctl``).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
POLL_S = 0.5


def die_with_parent(parent_pid: int) -> None:
    if sys.platform.startswith("linux"):
        _pdeathsig()
    if os.getppid() != parent_pid:  # the parent is already gone
        os._exit(1)
    threading.Thread(target=_watch, args=(parent_pid,), daemon=True, name="parent-watch").start()


def _pdeathsig() -> None:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # no libc prctl: the watcher thread still covers it
        pass


def _watch(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(POLL_S)
    os._exit(1)
