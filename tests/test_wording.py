"""Counted nouns read as English: "1 case", "2 cases" (issue 12: "1 cases", "1 problems")."""

from __future__ import annotations

import re
from pathlib import Path

from ccgtui.wording import plural

PACKAGE = Path(__file__).resolve().parents[1] / "ccgtui"
# An f-string placeholder (and an optional second one, "{n}{'+'}") followed by a plural noun.
COUNTED = re.compile(
    r"\{[^{}]*\}(?:\{[^{}]*\})? (cases|problems|results|studies|sources|files|notes|"
    r"statements|stages|partners|tags|bookmarks|hits|matches)\b"
)
# Counts that can never be 1, so the plural is always right.
ALWAYS_SEVERAL = (
    ("tui/screens/compare.py", "Comparing {len(result.cases)} cases"),  # compare needs two
    ("tui/screens/matrix.py", "reading {len(self.dataset.cases):,} cases"),  # over 2,000 only
    ("lazy_cases.py", "<LazyCases: {len(self)} cases>"),  # a debugging repr
    ("cli/progress.py", "files/s"),  # a rate, not a count
    ("glance.py", "{counts} statements"),  # "board 1, programme board 2 statements": a list
)


def test_plural() -> None:
    assert plural(1, "case") == "1 case"
    assert plural(0, "case") == "0 cases"
    assert plural(2, "study") == "2 studies"
    assert plural(1, "study") == "1 study"
    assert plural(10_000, "problem") == "10,000 problems"


def test_no_message_pluralises_a_count_by_hand() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            exempt = any(str(path).endswith(name) and text in line for name, text in ALWAYS_SEVERAL)
            if COUNTED.search(line) and "plural(" not in line and not exempt:
                found.append(f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}")
    assert found == []
