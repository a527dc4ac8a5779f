"""An over-long query or filter argument is refused at once with a clear usage error.

Issue 13 item 14: a 100 kB query made the explorer grow past 2 GB.  On the command line
a query is ``search`` terms or the FILTERS of ``list``, ``matrix`` and ``export``; each is
capped at :data:`ccgtui.query.MAX_QUERY_CHARS`, and a longer one exits 2 with a one-line
message (not echoed back whole, nor a page of "did you mean").
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ccgtui.cli import cli
from ccgtui.query import MAX_QUERY_CHARS

LONG_WORD = "frail" * (MAX_QUERY_CHARS // 5 + 1)
LONG_FILTER = "theme:" + "x" * MAX_QUERY_CHARS


@pytest.mark.parametrize(
    "args",
    [
        ("search", LONG_WORD),
        ("search", *(["frail"] * (MAX_QUERY_CHARS // 5))),
        ("list", LONG_FILTER),
        ("matrix", LONG_FILTER),
        ("export", "csv", LONG_FILTER),
    ],
    ids=["search-word", "search-many-words", "list", "matrix", "export"],
)
def test_over_long_query_is_a_usage_error(minimal_folder: Path, args: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, ["--cases", str(minimal_folder), *args])
    assert result.exit_code == 2, result.output
    message = result.stderr.strip().splitlines()[-1]
    assert f"{MAX_QUERY_CHARS:,}" in message and "characters" in message
    assert len(result.stderr) < 1000  # the query is not echoed back


def test_a_query_at_the_limit_still_runs(minimal_folder: Path) -> None:
    words = " ".join(["board"] * (MAX_QUERY_CHARS // 6))
    assert len(words) <= MAX_QUERY_CHARS
    result = CliRunner().invoke(cli, ["--cases", str(minimal_folder), "search", words])
    assert result.exit_code == 0, result.output
