"""export json over the store's cache (issue 16): each case's cached JSON, never validated again.

The streamed export of a lazy store view reads each case's JSON from the cache file and
re-encodes it; the bytes must be those of the same export of the validated cases.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ccgtui.export import Selection
from ccgtui.export.json_export import stream_json
from ccgtui.lazy_cases import LazyCases
from ccgtui.loader import load_folder
from tests.conftest import BUNDLED_CASES, ILLUSTRATIVE, reopened_store, write_folder


def hostile_folder(root: Path) -> Path:
    """The illustrative folder with a bidi override, a C1 control and markup in a label."""
    files = {p.name: p.read_text(encoding="utf-8") for p in ILLUSTRATIVE.glob("*.yaml")}
    name = next(n for n in files if n not in ("study.yaml", "sources.yaml"))
    text = files[name]
    label = next(line for line in text.splitlines() if line.startswith("label:"))
    files[name] = text.replace(label, 'label: "[bold]evil\\u202elabel\\x85 & <b>"', 1)
    return write_folder(root, files)


@pytest.mark.parametrize("which", ["bundled", "illustrative", "hostile"])
def test_the_cached_stream_is_byte_identical(which: str, tmp_path: Path) -> None:
    folder = {"bundled": BUNDLED_CASES, "illustrative": ILLUSTRATIVE}.get(which)
    folder = folder or hostile_folder(tmp_path / "cases")
    lazy = reopened_store(tmp_path / "db.json", folder).dataset()
    assert isinstance(lazy.cases, LazyCases)
    streamed = "".join(stream_json(Selection(lazy, what="cases", cases=lazy.cases)))  # type: ignore[arg-type]
    assert lazy.cases.validated_count() == 0  # read from the cache, never validated
    validated = load_folder(folder)
    expected = "".join(stream_json(Selection(validated, cases=list(validated.cases))))
    assert streamed == expected
    if which == "hostile":
        assert "evil" in streamed and "\u202e" not in streamed and "\x85" not in streamed


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ('{"a":"plain"}', '{"a":"plain"}'),  # ASCII: the fast path, unchanged
        ('{"a":"del\x7f"}', '{"a":"del\\u007f"}'),  # DEL is ASCII and still escaped
        ('{"a":"c1\x9b"}', '{"a":"c1\\u009b"}'),
        ('{"a":"bidi\u202e£"}', '{"a":"bidi\\u202e£"}'),  # readable non-ASCII kept
    ],
)
def test_made_safe_escapes_what_a_terminal_acts_on(raw: str, safe: str) -> None:
    from ccgtui.json_safe import made_safe

    assert made_safe(raw) == safe
