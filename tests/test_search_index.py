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


def test_a_damaged_case_table_found_by_a_filter_rebuilds(store: Store, reference) -> None:  # type: ignore[no-untyped-def]
    """Whose case an entry is (its position) is read only when a query asks (a filter, here)."""
    db = sqlite3.connect(store.search_path)
    db.execute("UPDATE cases SET pos = pos + 1000000")  # no entry is in a case any more
    db.commit()
    db.close()
    assert answers(store) == reference
    db = sqlite3.connect(store.search_path)
    (lowest,) = db.execute("SELECT min(pos) FROM cases").fetchone()
    assert lowest < 1000000  # found damaged and written again


def test_an_index_of_other_content_is_not_trusted(tmp_path: Path, store: Store) -> None:
    other = Store(tmp_path / "other" / "ccgtui.json", REPO / "examples" / "illustrative")
    other.open()
    store.search_path.write_bytes(other.search_path.read_bytes())  # right shape, wrong data
    again = Store(store.db_path, store.cases_dir)
    again.open()
    expected = hits(SearchIndex(again.dataset()), "care")
    assert hits(search_index(again), "care") == expected


def test_an_older_facts_version_is_rebuilt(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import ccgtui.store.index as store_module  # the one module that reads it

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


# -- answering from the file without opening the store (ccgtui search, issue 16) --------


def test_a_current_file_answers_without_the_table_of_contents(store: Store, reference) -> None:  # type: ignore[no-untyped-def]
    from ccgtui.search_index import current_index

    store.index_path.unlink()  # never read on this path: the file's stamp says it is current
    asked: list[int] = []
    index = current_index(Store(store.db_path, store.cases_dir), lambda: asked.append(1) or [])
    assert index is not None and asked == [1]
    assert {q: hits(index, q) for q in QUERIES} == reference


def test_a_changed_folder_or_content_file_is_not_answered_from_the_file(tmp_path: Path) -> None:
    import os
    import shutil

    from ccgtui.search_index import current_index

    folder = tmp_path / "cases"
    shutil.copytree(REPO / "cases", folder)
    opened = Store(tmp_path / "ccgtui.json", folder)
    opened.open()
    asked: list[int] = []

    def notes() -> list[tuple[str, str]]:
        asked.append(1)
        return []

    assert current_index(Store(opened.db_path, folder), notes) is not None
    edited = next(folder.glob("0*.yaml"))
    os.utime(edited, ns=(0, edited.stat().st_mtime_ns + 1_000_000))  # the folder changed
    assert current_index(Store(opened.db_path, folder), notes) is None
    opened.open()  # reloaded: current again
    assert current_index(Store(opened.db_path, folder), notes) is not None
    os.utime(opened.db_path, ns=(0, 1))  # a content file the index does not describe
    assert current_index(Store(opened.db_path, folder), notes) is None
    assert asked == [1, 1]  # the notes are read only for a current file


def test_the_command_answers_the_same_with_or_without_the_store_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    import ccgtui.search_index as module
    from ccgtui.cli import cli

    answered: list[bool] = []
    current_index = module.current_index

    def spy(*args: object) -> object:
        found = current_index(*args)  # type: ignore[arg-type]
        answered.append(found is not None)
        return found

    monkeypatch.setattr(module, "current_index", spy)
    env = {"CCGTUI_DB": str(tmp_path / "ccgtui.json"), "CCGTUI_CASES": str(REPO / "cases")}
    runner = CliRunner()
    assert runner.invoke(cli, ["load"], env=env).exit_code == 0
    note = ["note", "add", "case:composite-frail-elderly", "zanzibarquux"]
    assert runner.invoke(cli, note, env=env).exit_code == 0
    args = ["search", "zanzibarquux", "OR", "frail", "--limit", "500", "--format", "json"]
    current = runner.invoke(cli, args, env=env)
    (tmp_path / "ccgtui.search.sqlite").unlink()  # now only the opened store can answer
    opened = runner.invoke(cli, args, env=env)
    assert answered == [True, False]
    assert current.exit_code == opened.exit_code == 0, current.output + opened.output
    assert current.output == opened.output and '"tab": "notes"' in current.output
