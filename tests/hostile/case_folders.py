"""Helpers for the hostile case-folder tests: a valid folder to spoil, and the CLI run for real."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tests.conftest import MINIMAL_CASE, MINIMAL_SOURCES, MINIMAL_STUDY, write_folder


def valid_folder(root: Path, case: str = MINIMAL_CASE) -> Path:
    """A small valid case folder whose case file is ``case``."""
    return write_folder(
        root, {"sources.yaml": MINIMAL_SOURCES, "study.yaml": MINIMAL_STUDY, "case-a.yaml": case}
    )


def limit_memory(megabytes: int) -> Callable[[], None]:
    """A ``preexec_fn`` capping the child's address space, so a blow-up fails fast."""

    def apply() -> None:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def run_cli(
    args: list[str | bytes],
    db: Path,
    *,
    cwd: Path | None = None,
    memory_mb: int | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[bytes]:
    """``python -m ccgtui ARGS`` in a fresh process; output kept as bytes to check every byte."""
    env = {**os.environ, "CCGTUI_DB": str(db)}
    env.pop("CCGTUI_CASES", None)
    return subprocess.run(
        [sys.executable, "-m", "ccgtui", *args],
        capture_output=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
        preexec_fn=limit_memory(memory_mb) if memory_mb else None,
        check=False,
    )


def terminal_safe(output: bytes) -> bool:
    """No byte a terminal could act on: nothing below 0x20 but newline and tab, no DEL/C1."""
    text = output.decode("utf-8", "replace")
    return not any((ord(ch) < 0x20 and ch not in "\n\t") or 0x7F <= ord(ch) <= 0x9F for ch in text)
