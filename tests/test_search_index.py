"""The persistent search index (issue 16): written at load, trusted only when whole and current."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ccgtui.lazy_cases import LazyCases
from ccgtui.query import SearchIndex
from ccgtui.search_index import search_index
from ccgtui.store import Store

REPO = Path(__file__).resolve().parents[1]
QUERIES = ["frail", "leadershp", "clinical leadership", "kind:in-depth care", "gp"]


def hits(index: object, query: str) -> list[tuple[object, ...]]:
    found = index.search(query, 50)  # type: ignore[attr-defined]
    return [(h.case_id, h.path, h.snippet, h.score) for h in found]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "ccgtui.json", REPO / "cases")
    s.open()
    return s


@pytest.fixture(scope="module")
def reference() -> dict[str, list[tuple[object, ...]]]:
    from ccgtui.loader import load_folder

    index = SearchIndex(load_folder(REPO / "cases"))
    return {q: hits(index, q) for q in QUERIES}


def answers(store: Store) -> dict[str, list[tuple[object, ...]]]:
    index = search_index(store)
    return {q: hits(index, q) for q in QUERIES}


def test_a_reopened_store_searches_without_reading_any_case(store: Store, reference) -> None:  # type: ignore[no-untyped-def]
    again = Store(store.db_path, store.cases_dir)
    assert not again.open().reloaded
    assert answers(again) == reference
    cases = again.dataset().cases
    assert isinstance(cases, LazyCases) and cases.validated_count() == 0


@pytest.mark.parametrize("damage", ["garbage", "empty", "truncated", "missing"])
def test_a_damaged_or_missing_file_is_rebuilt(store: Store, reference, damage: str) -> None:  # type: ignore[no-untyped-def]
    path = store.search_path
    raw = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(b"not sqlite at all" * 100)
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "truncated":
        path.write_bytes(raw[: len(raw) // 3])
    else:
        path.unlink()
    again = Store(store.db_path, store.cases_dir)
    again.open()
    assert answers(again) == reference
    assert sqlite3.connect(path).execute("SELECT count(*) FROM entries").fetchone()[0] > 0


def test_a_damaged_posting_found_mid_query_rebuilds(store: Store, reference) -> None:  # type: ignore[no-untyped-def]
    db = sqlite3.connect(store.search_path)
    db.execute("UPDATE tokens SET ranks = x'010203' WHERE token = 'frail'")  # 3 bytes
    db.execute("UPDATE tokens SET ranks = x'ffffff7f' WHERE token = 'care'")  # past the end
    db.commit()
    db.close()
    assert answers(store) == reference


def test_an_index_of_other_content_is_not_trusted(tmp_path: Path, store: Store) -> None:
    other = Store(tmp_path / "other" / "ccgtui.json", REPO / "examples" / "illustrative")
    other.open()
    store.search_path.write_bytes(other.search_path.read_bytes())  # right shape, wrong data
    again = Store(store.db_path, store.cases_dir)
    again.open()
    expected = hits(SearchIndex(again.dataset()), "care")
    assert hits(search_index(again), "care") == expected


def test_an_older_facts_version_is_rebuilt(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import ccgtui.store as store_module

    before = store.search_path.stat().st_mtime_ns
    monkeypatch.setattr(store_module, "FACTS_VERSION", store_module.FACTS_VERSION + 1)
    again = Store(store.db_path, store.cases_dir)
    again.open()
    search_index(again).search("care")
    assert store.search_path.stat().st_mtime_ns != before


def test_notes_are_searched_with_the_file(store: Store) -> None:
    case_id = store.case_summaries()[0].id
    index = search_index(store, [(f"case:{case_id}", "zanzibarquux follow up")])
    found = index.search("zanzibarquux")
    assert [(h.tab, h.case_id) for h in found] == [("notes", case_id)]
    assert index.search("zanzibarqux")  # typo found in the notes' words too


def test_front_ends_get_the_file_or_an_index_in_memory(store: Store, reference) -> None:  # type: ignore[no-untyped-def]
    from ccgtui.search_index import PersistentIndex, index_for

    dataset = store.dataset()
    assert isinstance(index_for(store, dataset), PersistentIndex)
    in_memory = index_for(None, dataset)  # a dataset with no store behind it
    assert isinstance(in_memory, SearchIndex)
    assert {q: hits(in_memory, q) for q in QUERIES} == reference
