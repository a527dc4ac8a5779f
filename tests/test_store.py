"""The store: fingerprinted reloads, untouched user data, recovery from bad files."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccgtui.lazy_cases import LazyCases
from ccgtui.loader import LoadError
from ccgtui.model import Case
from ccgtui.store import SCHEMA_VERSION, AtomicJSONStorage, Store, atomic_write_bytes
from tests.conftest import MINIMAL_CASE
from tests.test_loader import cases as case_strategy


def open_store(db: Path, cases: Path) -> tuple[Store, list[str]]:
    store = Store(db, cases)
    report = store.open()
    return store, report.messages


def test_first_open_loads_the_folder(isolated_db: Path, minimal_folder: Path) -> None:
    store = Store(isolated_db, minimal_folder)
    report = store.open()
    assert report.reloaded
    assert [c.id for c in store.dataset().cases] == ["case-a"]
    data = json.loads(isolated_db.read_text())
    assert data["meta"]["1"]["schema_version"] == SCHEMA_VERSION
    assert set(data) == {"meta", "studies", "sources", "cases"}


def test_unchanged_folder_is_not_reloaded(isolated_db: Path, minimal_folder: Path) -> None:
    Store(isolated_db, minimal_folder).open()
    before = isolated_db.read_bytes()
    report = Store(isolated_db, minimal_folder).open()
    assert not report.reloaded
    assert isolated_db.read_bytes() == before


def test_changed_folder_is_reloaded(isolated_db: Path, minimal_folder: Path) -> None:
    Store(isolated_db, minimal_folder).open()
    (minimal_folder / "case-a.yaml").write_text(MINIMAL_CASE.replace("Case A", "Case A2"))
    store = Store(isolated_db, minimal_folder)
    assert store.open().reloaded
    assert store.dataset().cases[0].label == "Case A2"


def test_failed_reload_leaves_db_byte_identical(isolated_db: Path, minimal_folder: Path) -> None:
    Store(isolated_db, minimal_folder).open()
    before = isolated_db.read_bytes()
    (minimal_folder / "case-a.yaml").write_text(MINIMAL_CASE.replace("arena: board", "arena: x"))
    store = Store(isolated_db, minimal_folder)
    report = store.open()
    assert report.problems is not None
    assert "arena" in str(report.problems)
    assert isolated_db.read_bytes() == before
    assert store.dataset().cases[0].label == "Case A"  # the last good data


def test_invalid_folder_with_no_good_data_raises(isolated_db: Path, minimal_folder: Path) -> None:
    (minimal_folder / "case-a.yaml").write_text("id: [\n")
    with pytest.raises(LoadError):
        Store(isolated_db, minimal_folder).open()
    assert not isolated_db.exists()


@pytest.mark.parametrize("keep", [0, 30, 0.5])  # damage to a file ccgtui wrote: cut short
def test_unreadable_content_db_is_moved_aside_and_rebuilt(
    isolated_db: Path, minimal_folder: Path, keep: float
) -> None:
    Store(isolated_db, minimal_folder).open()
    good = isolated_db.read_bytes()
    isolated_db.write_bytes(good[: int(keep * len(good)) if keep < 1 else int(keep)])
    store = Store(isolated_db, minimal_folder)
    report = store.open()
    assert report.reloaded
    assert any("moved to" in m and "rebuilding" in m for m in report.messages)
    assert store.dataset().cases[0].id == "case-a"
    assert list(isolated_db.parent.glob("ccgtui.json.corrupt-*"))


def test_wrong_schema_version_is_rebuilt(isolated_db: Path, minimal_folder: Path) -> None:
    Store(isolated_db, minimal_folder).open()
    data = json.loads(isolated_db.read_text())
    data["meta"]["1"]["schema_version"] = 0  # older: a cache is rebuilt (newer is refused)
    isolated_db.write_text(json.dumps(data))
    report = Store(isolated_db, minimal_folder).open()
    assert any("schema version 0" in m for m in report.messages)


def test_reload_never_touches_user_data(isolated_db: Path, minimal_folder: Path) -> None:
    store = Store(isolated_db, minimal_folder)
    store.open()
    with store.user_db() as db:
        db.table("notes").insert({"target": "case:case-a", "text": "keep me"})
    before = store.user_path.read_bytes()
    (minimal_folder / "case-a.yaml").unlink()
    (minimal_folder / "case-b.yaml").write_text(MINIMAL_CASE.replace("case-a", "case-b"))
    assert Store(isolated_db, minimal_folder).open().reloaded
    assert store.user_path.read_bytes() == before


def test_corrupt_user_db_is_recovered_from_backup(isolated_db: Path, minimal_folder: Path) -> None:
    store = Store(isolated_db, minimal_folder)
    store.open()
    with store.user_db() as db:
        db.table("notes").insert({"id": 1, "target": "case:case-a", "text": "precious"})
    store.user_path.write_bytes(store.user_path.read_bytes()[:10])  # truncated
    report = Store(isolated_db, minimal_folder).open()
    assert any("recovered notes from backup" in m for m in report.messages)
    with store.user_db() as db:
        assert [n["text"] for n in db.table("notes").all()] == ["precious"]


def test_backups_rotate(isolated_db: Path, minimal_folder: Path) -> None:
    store = Store(isolated_db, minimal_folder)
    for i in range(8):
        with store.user_db() as db:
            db.table("notes").insert({"id": i + 1, "target": "case:case-a", "text": f"n{i}"})
    assert len(store.backups()) == 5


def test_atomic_write_leaves_no_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "x.json"
    atomic_write_bytes(target, b"one")
    atomic_write_bytes(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]


def test_atomic_storage_round_trip(tmp_path: Path) -> None:
    storage = AtomicJSONStorage(tmp_path / "db.json")
    assert storage.read() is None
    storage.write({"t": {"1": {"a": "ü"}}})
    assert storage.read() == {"t": {"1": {"a": "ü"}}}


def test_check_reports_damage(isolated_db: Path, minimal_folder: Path) -> None:
    store = Store(isolated_db, minimal_folder)
    store.open()
    assert store.check() == []
    isolated_db.write_text("nope")
    assert store.check() and "not valid JSON" in store.check()[0]


# -- property: whatever the loader accepts, the cache gives back unchanged ------------


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=case_strategy(), n=st.integers(min_value=0, max_value=10**6))
def test_cache_round_trip(tmp_path: Path, minimal_folder: Path, case: Case, n: int) -> None:
    import yaml

    data = case.model_dump(mode="json", exclude_defaults=True)
    (minimal_folder / "case-a.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    db = tmp_path / f"db-{n}" / "ccgtui.json"
    Store(db, minimal_folder).open()
    reopened = Store(db, minimal_folder)
    assert not reopened.open().reloaded  # served from the cache, not the folder
    assert reopened.partial_dataset([case.id]).cases == [case]  # by byte range
    assert reopened.dataset().cases == [case]


# -- the index: one case without validating them all -----------------------------------


def test_current_index_reopens_without_reading_the_content(
    isolated_db: Path, minimal_folder: Path
) -> None:
    Store(isolated_db, minimal_folder).open()
    store = Store(isolated_db, minimal_folder)
    report = store.open()
    assert not report.reloaded
    assert store._content is None and store._dataset is None  # only the index was read
    assert [s.id for s in store.case_summaries()] == ["case-a"]
    cases = store.dataset().cases
    assert isinstance(cases, LazyCases) and cases.validated_count() == 0
    assert cases[0].label == "Case A"
    assert cases.validated_count() == 1


def test_partial_dataset_equals_the_full_one(isolated_db: Path) -> None:
    from tests.conftest import BUNDLED_CASES

    Store(isolated_db, BUNDLED_CASES).open()
    full = Store(isolated_db, BUNDLED_CASES)
    full.open()
    everything = full.dataset()
    for case in everything.cases:
        store = Store(isolated_db, BUNDLED_CASES)
        store.open()
        part = store.partial_dataset([case.id, "no-such-case"])
        lazy = store.dataset().cases
        assert isinstance(lazy, LazyCases)
        assert lazy.validated_count() == 1  # read by byte range, not by loading everything
        assert part.cases == [case]
        assert part.studies == everything.studies
        assert part.sources == everything.sources


def test_missing_index_rebuilds_both_files(isolated_db: Path, minimal_folder: Path) -> None:
    store = Store(isolated_db, minimal_folder)
    store.open()
    store.index_path.unlink()  # as if killed between the content write and the index write
    again = Store(isolated_db, minimal_folder)
    assert again.open().reloaded
    assert again.index_path.exists()
    assert again.partial_dataset(["case-a"]).cases[0].label == "Case A"


def test_index_of_a_replaced_content_file_is_not_trusted(
    isolated_db: Path, minimal_folder: Path
) -> None:
    Store(isolated_db, minimal_folder).open()
    first = Store(isolated_db, minimal_folder)
    first.open()  # holds only the index
    # Another process reloads after a change; `first` still holds the old index.
    (minimal_folder / "case-a.yaml").write_text(MINIMAL_CASE.replace("Case A", "Case A2"))
    assert Store(isolated_db, minimal_folder).open().reloaded
    assert first.partial_dataset(["case-a"]).cases[0].label == "Case A2"
    # An index whose recorded size no longer matches its content file is ignored.
    edit_toc(first.index_path, "UPDATE meta SET value = value + 1 WHERE key = 'content_size'")
    assert Store(isolated_db, minimal_folder).open().reloaded


def test_a_table_of_contents_that_is_not_one_is_ignored(
    isolated_db: Path, minimal_folder: Path
) -> None:
    store = Store(isolated_db, minimal_folder)
    store.open()
    store.index_path.write_bytes(b"not a database at all")
    again = Store(isolated_db, minimal_folder)
    assert again.open().reloaded
    assert again.dataset().case("case-a") is not None
    edit_toc(again.index_path, "UPDATE meta SET value = 'someone else' WHERE key = 'format'")
    assert Store(isolated_db, minimal_folder).open().reloaded


def toc_data(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table of a table of contents (``*.toc.sqlite``), as rows."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: db.execute(f"SELECT * FROM {n} ORDER BY 1").fetchall() for n in names}


def edit_toc(path: Path, sql: str, *args: object) -> None:
    """Change a table of contents in place, as damage would (its content file untouched)."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute(sql, args)
        db.commit()


def test_reload_false_uses_a_stale_index(isolated_db: Path, minimal_folder: Path) -> None:
    Store(isolated_db, minimal_folder).open()
    (minimal_folder / "case-a.yaml").write_text(MINIMAL_CASE.replace("Case A", "Case A2"))
    store = Store(isolated_db, minimal_folder)
    assert not store.open(reload=False).reloaded
    assert store.case_summaries()[0].label == "Case A"


# -- the cache is written from what the loader's workers send back ---------------------


def _files_of(db: Path) -> tuple[bytes, dict[str, object]]:
    content = db.read_bytes()
    meta = json.loads(content)["meta"]["1"]
    content = content.replace(json.dumps(meta["loaded_at"]).encode(), b'""')
    index = toc_data(db.with_name(db.stem + ".toc.sqlite"))
    index["meta"] = [row for row in index["meta"] if row[0] != "content_mtime_ns"]
    return content, index


def test_the_cache_is_the_same_whether_the_loader_used_a_pool_or_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ccgtui import loader
    from tests.conftest import BUNDLED_CASES

    monkeypatch.setattr(loader.parallel, "PARALLEL_MIN_FILES", 1)
    Store(tmp_path / "pool" / "ccgtui.json", BUNDLED_CASES).open()
    monkeypatch.setattr(loader.parallel, "PARALLEL_MIN_FILES", 10**9)
    Store(tmp_path / "here" / "ccgtui.json", BUNDLED_CASES).open()
    assert _files_of(tmp_path / "pool" / "ccgtui.json") == _files_of(
        tmp_path / "here" / "ccgtui.json"
    )


def test_cache_entries_are_each_case_as_json_and_its_summary(isolated_db: Path) -> None:
    from ccgtui.lazy_cases import CaseSummary
    from ccgtui.loader import load_folder
    from tests.conftest import BUNDLED_CASES

    Store(isolated_db, BUNDLED_CASES).open()
    content, _ = _files_of(isolated_db)
    cases = load_folder(BUNDLED_CASES).cases
    store = Store(isolated_db, BUNDLED_CASES)
    store.open()
    assert store._index is not None
    assert store._index.rows == [CaseSummary.of(case).as_row() for case in cases]
    tables = json.loads(content)
    assert list(tables["cases"].values()) == [
        case.model_dump(mode="json", exclude_defaults=True) for case in cases
    ]


def test_case_summaries_come_from_a_current_index_alone(isolated_db: Path) -> None:
    """`list` needs the index rows only: no case, study or source is validated for it."""
    from ccgtui.facts import summaries
    from tests.conftest import BUNDLED_CASES

    Store(isolated_db, BUNDLED_CASES).open()
    store = Store(isolated_db, BUNDLED_CASES)
    store.open()
    listed = store.case_summaries()
    assert store._dataset is None  # the dataset (studies, sources, lazy cases) was not built
    assert listed == summaries(list(store.dataset().cases))  # what the validated cases say
