"""The facts derived from one case, and the version the store's index records for them.

The index caches each case's row (``CaseSummary.as_row``); an index built by older code
is trusted only while ``FACTS_VERSION`` is unchanged.  The golden rows below pin what
the code derives from four frozen case files (a composite, an in-depth case with
unknowns, two illustrative ones, one with an unverified statement): when the code
changes a row, this test fails until the version is bumped and the rows re-recorded.

To re-record after bumping ``FACTS_VERSION`` in ccgtui/facts.py::

    CCGTUI_RECORD_FACTS=1 .venv/bin/pytest -p no:xdist -q tests/test_facts.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from ccgtui import facts
from ccgtui.facts import FACTS_VERSION, ROW_FIELDS, CaseSummary
from ccgtui.model import Case
from ccgtui.store import Store
from tests.test_store import toc_data

FROZEN = Path(__file__).parent / "data" / "facts"
GOLDEN = FROZEN / "golden.json"
BUMP = (
    "the index row of a case changed, but FACTS_VERSION did not: an index built by the "
    "older code would be trusted with stale facets or counts. Bump FACTS_VERSION in "
    "ccgtui/facts.py and re-record (see this module's docstring)."
)


def rows_now() -> dict[str, list[object]]:
    """Each frozen case's index row, as the index file holds it (through JSON)."""
    rows: dict[str, list[object]] = {}
    for path in sorted(FROZEN.glob("*.yaml")):
        case = Case.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        rows[path.stem] = json.loads(json.dumps(CaseSummary.of(case).as_row()))
    return rows


def check(golden: dict[str, object], rows: dict[str, list[object]], version: int) -> str | None:
    """Why the golden rows do not hold (None when they do)."""
    if rows != golden["rows"]:
        if golden["facts_version"] == version:
            return BUMP
        return f"FACTS_VERSION is {version}; re-record the golden rows (see the docstring)."
    if golden["facts_version"] != version:
        return f"golden rows are for FACTS_VERSION {golden['facts_version']}: re-record them."
    return None


def test_index_rows_are_golden_for_this_facts_version() -> None:
    rows = rows_now()
    golden = json.loads(GOLDEN.read_text(encoding="utf-8")) if GOLDEN.exists() else None
    if os.environ.get("CCGTUI_RECORD_FACTS"):
        if golden is not None and rows != golden["rows"]:
            assert golden["facts_version"] != FACTS_VERSION, BUMP  # no re-record without a bump
        record = {"facts_version": FACTS_VERSION, "rows": rows}
        GOLDEN.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", "utf-8")
        golden = record
    assert golden is not None, "no golden rows: record them (see the docstring)"
    problem = check(golden, rows, FACTS_VERSION)
    assert problem is None, problem


def test_a_changed_row_without_a_bump_fails_with_the_bump_message() -> None:
    """The check above cannot pass a changed row: simulate a change in the derived facets."""
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    changed: dict[str, list[object]] = {}
    for name, row in rows_now().items():
        facets = [*row[5], "has:x"]  # type: ignore[misc]  # a list, as the index holds it
        changed[name] = [*row[:5], facets, row[6]]
    assert check(golden, changed, golden["facts_version"]) == BUMP
    assert check(golden, changed, golden["facts_version"] + 1) is not None  # and re-record


def test_rows_round_trip_and_have_the_stored_width() -> None:
    for row in rows_now().values():
        assert len(row) == ROW_FIELDS
        summary = CaseSummary.from_row(row)
        assert summary.as_row() == row


def test_the_index_records_the_facts_version(isolated_db: Path, minimal_folder: Path) -> None:
    store = Store(isolated_db, minimal_folder)
    store.open()
    assert ("facts_version", facts.FACTS_VERSION) in toc_data(store.index_path)["meta"]
    assert not Store(isolated_db, minimal_folder).open().reloaded


def test_an_index_from_other_facts_code_is_rebuilt(
    isolated_db: Path, minimal_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Store(isolated_db, minimal_folder).open()
    monkeypatch.setattr("ccgtui.store.index.FACTS_VERSION", FACTS_VERSION + 1)  # after a bump
    again = Store(isolated_db, minimal_folder)
    assert again.open().reloaded
    assert ("facts_version", FACTS_VERSION + 1) in toc_data(again.index_path)["meta"]
