"""No module over 450 lines (issue 14): a file that grows past it holds more than one idea."""

from __future__ import annotations

from pathlib import Path

MAX_LINES = 450
PACKAGE = Path(__file__).resolve().parents[1] / "ccgtui"


def test_no_module_exceeds_the_line_limit() -> None:
    too_long = {
        str(path.relative_to(PACKAGE)): n
        for path in sorted(PACKAGE.rglob("*.py"))
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert too_long == {}, f"split these (over {MAX_LINES} lines): {too_long}"
