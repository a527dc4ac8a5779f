"""Case files checked over every core: a spawn process pool for big folders.

Parsing and validating is nearly all of the load time and each case file is
independent; the workers end with their parent and keep quiet under a
full-screen app.
"""

from __future__ import annotations

import io
import os
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ccgtui.bulk import gc_paused
from ccgtui.loader.checks import CaseContext, CaseResult, check_case

# Folders with at least this many files are parsed in a process pool.
PARALLEL_MIN_FILES = 500

# progress(case files checked, case files in all): for a progress bar (issue 16)
Progress = Callable[[int, int], None]


def check_cases(
    paths: list[Path], context: CaseContext, progress: Progress | None = None
) -> list[CaseResult]:
    """Check every case file; big folders are shared out over every core.

    Parsing and validating is nearly all of the load time (about 1 ms a file)
    and each file is independent, so a process pool does it, and converts each
    case there too (see :func:`load`).
    """
    if len(paths) < PARALLEL_MIN_FILES or (os.cpu_count() or 1) < 2:
        return _counted((check_case(context, path) for path in paths), len(paths), progress)
    import logging  # here, not at the top: 20 ms that small folders never need
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    log = logging.getLogger(__name__)
    try:
        _start_resource_tracker()
        # "spawn", not fork: the explorer loads from a thread, and forking a threaded
        # process can deadlock.
        with ProcessPoolExecutor(
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(context, _std_streams_replaced(), os.getpid()),
        ) as pool:
            mapped = pool.map(_check_case_in_worker, paths, chunksize=32)
            results = _counted(mapped, len(paths), progress)
    except (OSError, ValueError, RuntimeError) as exc:
        # No pool here: check in this process, as for small folders.
        log.debug("no process pool (%s); checking %d case files in this process", exc, len(paths))
        return _counted((check_case(context, path) for path in paths), len(paths), progress)
    log.debug("checked %d case files in a process pool", len(paths))
    return results


def _counted(
    results: Iterable[CaseResult], total: int, progress: Progress | None
) -> list[CaseResult]:
    """The results as a list, telling ``progress`` every 32 files and at the end."""
    if progress is None:
        return list(results)
    out: list[CaseResult] = []
    progress(0, total)
    for result in results:
        out.append(result)
        if len(out) % 32 == 0:
            progress(len(out), total)
    progress(len(out), total)
    return out


_worker_context: CaseContext | None = None


def _init_worker(context: CaseContext, quiet: bool, parent_pid: int) -> None:
    global _worker_context
    from ccgtui.orphans import die_with_parent

    die_with_parent(parent_pid)  # a kill -9 of ccgtui must not leave workers behind
    _worker_context = context
    if quiet:
        # The parent's terminal belongs to a full-screen app (the explorer): a stray
        # warning from a worker must not be written across it.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.close(devnull)


def _check_case_in_worker(path: Path) -> CaseResult:
    if _worker_context is None:  # pragma: no cover - the initializer always ran
        raise RuntimeError("worker not initialised")
    with gc_paused():
        return check_case(_worker_context, path)


def _std_streams_replaced() -> bool:
    return sys.stderr is not sys.__stderr__ or sys.stdout is not sys.__stdout__


class _NoFileno:
    """A text stream as it is, except that it admits to having no file descriptor."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def fileno(self) -> int:
        raise io.UnsupportedOperation("fileno")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


_tracker_lock = threading.Lock()


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker even if ``sys.stderr`` is not a real file.

    A spawn pool needs the tracker process, and the tracker is handed
    ``sys.stderr.fileno()`` to write its warnings to.  It copes with a stream
    that has no descriptor (fileno() raises), but Textual's print capture, which
    is ``sys.stderr`` while the explorer runs, answers -1, and starting the
    process fails ("bad value(s) in fds_to_keep").  So while the tracker starts,
    ``sys.stderr`` is that same stream wrapped to say it has no descriptor; writes
    still go where they went.  The tracker then writes to the process's own
    stderr (descriptor 2), and it runs until this process ends, so this happens
    at most once.
    """
    stream = sys.stderr
    try:
        fd = stream.fileno()
    except Exception:  # any failure: the tracker skips the stream itself
        return
    if not isinstance(fd, int) or fd >= 0:
        return
    from multiprocessing import resource_tracker

    with _tracker_lock:
        wrapper = _NoFileno(stream)
        sys.stderr = wrapper
        try:
            resource_tracker.ensure_running()
        finally:
            if sys.stderr is wrapper:  # unless someone else replaced it meanwhile
                sys.stderr = stream
