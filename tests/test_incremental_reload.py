"""A reload after editing a few files reads only those files, and gives what a full load gives.

Issue 16: editing one file of a 10k folder re-parses that file, not the folder.
Correctness first: after seeded random edits, additions, deletions and renames
(and edits that break the folder), the incrementally reloaded cache must equal
a full load of the same folder into a fresh database, and a broken folder must
give the same problems and leave the database byte-identical.
"""

from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path
from typing import Any

import pytest

from bench.synth import write_synthetic
from ccgtui.loader import LoadError
from ccgtui.loader import folder as loader_folder
from ccgtui.store import Store
from tests.test_store import toc_data


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_synthetic(tmp_path / "cases", 24, seed=3)


@pytest.fixture
def full_loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The folders the store loaded in full (the incremental path never calls ``load``)."""
    calls: list[Path] = []
    real = loader_folder.load

    def counted(folder: Path, *args: Any, **kwargs: Any) -> Any:
        calls.append(folder)
        return real(folder, *args, **kwargs)

    monkeypatch.setattr(loader_folder, "load", counted)  # read by Store.open when it runs
    return calls


def cache_of(db: Path) -> dict[str, Any]:
    """The cache files as data, without what differs between any two loads (times, mtimes)."""
    content = json.loads(db.read_bytes())
    del content["meta"]["1"]["loaded_at"]
    index = toc_data(db.with_name(db.stem + ".toc.sqlite"))
    index["meta"] = [row for row in index["meta"] if row[0] != "content_mtime_ns"]
    return {"content": content, "index": index}


def full_load(folder: Path, db: Path) -> tuple[dict[str, Any] | None, list[str]]:
    """A full load into a fresh database: its cache, or the problems it reports."""
    shutil.rmtree(db.parent, ignore_errors=True)
    db.parent.mkdir(parents=True)
    try:
        Store(db, folder).open()
    except LoadError as exc:
        return None, [str(p) for p in exc.problems]
    return cache_of(db), []


def touch(path: Path) -> None:
    """A new mtime, as an editor's save without a change gives (the size is the same)."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def edit_label(path: Path, words: str) -> None:
    text = path.read_text(encoding="utf-8")
    start = text.index("\nlabel: ") + len("\nlabel: ")
    end = text.index("\n", start)
    path.write_text(f"{text[:start]}'{words}'{text[end:]}", encoding="utf-8")


def test_one_edited_file_is_read_alone_and_the_cache_is_a_full_loads(
    folder: Path, tmp_path: Path, full_loads: list[Path]
) -> None:
    db = tmp_path / "db" / "ccgtui.json"
    Store(db, folder).open()
    assert len(full_loads) == 1
    edit_label(folder / "synth-00007.yaml", "An edited label")
    store = Store(db, folder)
    assert store.open().reloaded
    assert len(full_loads) == 1  # nothing but the edited file was read
    assert store.dataset().case("synth-00007").label == "An edited label"
    expected, problems = full_load(folder, tmp_path / "full" / "ccgtui.json")
    assert problems == [] and cache_of(db) == expected
    assert not Store(db, folder).open().reloaded  # and it is current afterwards


def test_random_edits_adds_and_deletes_match_a_full_load(
    folder: Path, tmp_path: Path, full_loads: list[Path]
) -> None:
    rng = random.Random(16)
    db = tmp_path / "db" / "ccgtui.json"
    Store(db, folder).open()
    template = (folder / "synth-00000.yaml").read_text(encoding="utf-8")
    added = 0
    incremental = 0
    for step in range(40):
        cases = sorted(p for p in folder.glob("synth-*.yaml"))
        for _ in range(rng.randint(1, 3)):
            op = rng.choice(["edit", "edit", "touch", "add", "delete", "rename"])
            target = rng.choice(cases)
            if not target.exists():
                continue
            if op == "edit":
                edit_label(target, f"Edited at step {step} ({rng.random():.6f})")
            elif op == "touch":
                touch(target)
            elif op == "add":
                added += 1
                case_id = f"added-{added:03d}"
                text = template.replace("id: synth-00000", f"id: {case_id}", 1)
                (folder / f"{case_id}.yaml").write_text(text, encoding="utf-8")
            elif op == "delete" and len(cases) > 3:
                target.unlink()
            elif op == "rename":
                target.rename(folder / f"z-{target.name}")  # the same case, later in file order
        loads_before = len(full_loads)
        store = Store(db, folder)
        report = store.open()
        assert report.problems is None and report.reloaded
        incremental += len(full_loads) == loads_before
        expected, problems = full_load(folder, tmp_path / "full" / "ccgtui.json")
        assert problems == []
        assert cache_of(db) == expected, f"step {step}"
        ids = [row[1] for row in expected["index"]["cases"]]  # (ordinal, id, ...)
        assert [c.id for c in store.dataset().cases] == ids
    assert incremental >= 30  # nearly every step took the incremental path


@pytest.mark.parametrize(
    ("breakage", "field"),
    [
        ("arena: board", "arena: boardroom"),  # a vocabulary error in the edited file
        ("id: synth-00005", "id: synth-00009"),  # a duplicate id of an unchanged file
        ("- synth-src-", "- no-such-source-"),  # a source that is not defined
    ],
)
def test_a_broken_edit_names_file_and_field_and_changes_nothing(
    folder: Path, tmp_path: Path, breakage: str, field: str
) -> None:
    db = tmp_path / "db" / "ccgtui.json"
    Store(db, folder).open()
    files = [db, db.with_name("ccgtui.toc.sqlite")]
    before = [p.read_bytes() for p in files]
    path = folder / "synth-00005.yaml"
    text = path.read_text(encoding="utf-8")
    assert breakage in text
    path.write_text(text.replace(breakage, field, 1), encoding="utf-8")
    report = Store(db, folder).open()
    _, expected = full_load(folder, tmp_path / "full" / "ccgtui.json")
    assert expected and report.problems is not None
    assert [str(p) for p in report.problems.problems] == expected
    assert any("synth-0000" in p for p in expected)
    assert [p.read_bytes() for p in files] == before  # the last good data, untouched
    path.write_text(text, encoding="utf-8")  # fixed again: reloads, incrementally or not
    store = Store(db, folder)
    assert store.open().reloaded and store.dataset().case("synth-00005") is not None


def test_a_changed_sources_file_reloads_the_whole_folder(
    folder: Path, tmp_path: Path, full_loads: list[Path]
) -> None:
    db = tmp_path / "db" / "ccgtui.json"
    Store(db, folder).open()
    sources = folder / "sources.yaml"
    sources.write_text(
        sources.read_text(encoding="utf-8").replace("Synthetic source", "A source"),
        encoding="utf-8",
    )
    assert Store(db, folder).open().reloaded
    assert len(full_loads) == 2  # every case may cite what changed
    expected, _ = full_load(folder, tmp_path / "full" / "ccgtui.json")
    assert cache_of(db) == expected


def test_an_index_from_other_validating_code_reloads_in_full(
    folder: Path, tmp_path: Path, full_loads: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ccgtui.loader import files

    db = tmp_path / "db" / "ccgtui.json"
    Store(db, folder).open()
    monkeypatch.setattr(files, "_rules_digest", lambda: b"other rules")
    edit_label(folder / "synth-00003.yaml", "Read under other rules")
    assert Store(db, folder).open().reloaded
    assert len(full_loads) == 2


@pytest.mark.parametrize(("search_now_max", "patched"), [(1000, True), (0, True), (0, False)])
def test_search_after_an_incremental_reload_finds_the_edit(
    folder: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    search_now_max: int,
    patched: bool,
) -> None:
    """The search index is patched with the reload; if it cannot be, written with the
    reload (small folders) or when first searched."""
    from ccgtui.search_index import search_index
    from ccgtui.store import refresh

    monkeypatch.setattr(refresh, "SEARCH_NOW_MAX", search_now_max)
    if not patched:
        monkeypatch.setattr(refresh, "patch_now", lambda *_: False)
    db = tmp_path / "db" / "ccgtui.json"
    Store(db, folder).open()
    edit_label(folder / "synth-00011.yaml", "Zanzibar quokka")
    store = Store(db, folder)
    store.open()
    assert store.search_path.exists() == (patched or bool(search_now_max))
    hits = search_index(store).search("quokka")
    assert hits and {h.case_id for h in hits} == {"synth-00011"}


def search_tables(path: Path) -> dict[str, Any]:
    """What a search index file says, not where: entry numbers are sparse (a patched file
    keeps a removed case's numbers unused), so entries, cases and postings are compared in
    entry order; not what says which content it describes, nor the layout."""
    import sqlite3
    from array import array

    from ccgtui.search_file import ENTRY_MASK, Layout

    with sqlite3.connect(path) as db:
        meta = dict(db.execute("SELECT key, value FROM meta"))
        layout = Layout.from_meta(meta)
        numbered = db.execute("SELECT * FROM entries ORDER BY id").fetchall()
        order = {row[0]: n for n, row in enumerate(numbered)}
        weights = layout.weights

        def entries(blob: bytes) -> list[tuple[float, int]]:
            return sorted((weights[r >> 29], order[r & ENTRY_MASK]) for r in array("I", blob))

        postings: dict[str, list[tuple[float, int]]] = {}
        for token, _, blob in db.execute("SELECT * FROM tokens ORDER BY token, seg"):
            postings.setdefault(token, []).extend(entries(blob))
        cases = [(*r[1:5], entries(r[5])) for r in db.execute("SELECT * FROM cases ORDER BY pos")]
        vocabulary = [t for (t,) in db.execute("SELECT token FROM vocabulary ORDER BY token")]
    assert vocabulary == sorted(postings)  # every token with a posting, once
    dropped = {"fingerprint", "content", *layout.as_meta()}
    return {
        "meta": sorted(item for item in meta.items() if item[0] not in dropped),
        "entries": [row[1:] for row in numbered],
        "tokens": postings,
        "cases": cases,
    }


def test_a_deferred_search_index_is_rebuilt_from_the_kept_one_as_a_full_load_writes_it(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above SEARCH_NOW_MAX the rebuild validates only the cases edited since (two reloads)."""
    from ccgtui import search_build
    from ccgtui.search_index import search_index
    from ccgtui.store import refresh

    monkeypatch.setattr(refresh, "SEARCH_NOW_MAX", 0)
    monkeypatch.setattr(refresh, "patch_now", lambda *_: False)  # the deferred path
    db = tmp_path / "db" / "ccgtui.json"
    Store(db, folder).open()
    edit_label(folder / "synth-00002.yaml", "First edit")
    assert Store(db, folder).open().reloaded
    (folder / "synth-00004.yaml").unlink()
    edit_label(folder / "synth-00006.yaml", "Second edit")
    store = Store(db, folder)
    assert store.open().reloaded and not store.search_path.exists()
    worked_out: list[str] = []
    real = search_build.index_texts  # what the store's rebuild imports when it runs

    def counted(case: Any) -> Any:
        worked_out.append(case.id)
        return real(case)

    monkeypatch.setattr(search_build, "index_texts", counted)
    assert {h.case_id for h in search_index(store).search("edit")} >= {"synth-00002"}
    assert sorted(worked_out) == ["synth-00002", "synth-00006"]  # not the 21 others
    full = tmp_path / "full" / "ccgtui.json"
    full_load(folder, full)
    assert search_tables(store.search_path) == search_tables(full.with_name("ccgtui.search.sqlite"))
    assert not list(store.search_path.parent.glob("*.prev")) and not list(
        store.search_path.parent.glob("*.stale.json")
    )


def test_a_reload_patches_the_search_index_to_what_a_full_load_writes(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above SEARCH_NOW_MAX the reload patches the index with the cases it read: the
    index is current at once (no search rebuilds it) and holds what a full load writes."""
    from ccgtui import search_build
    from ccgtui.search_index import search_index
    from ccgtui.store import refresh

    monkeypatch.setattr(refresh, "SEARCH_NOW_MAX", 0)
    db = tmp_path / "db" / "ccgtui.json"
    Store(db, folder).open()
    edit_label(folder / "synth-00002.yaml", "Patched quokka")
    (folder / "synth-00004.yaml").unlink()
    store = Store(db, folder)
    assert store.open().reloaded and store.search_path.exists()

    def no_rebuild(case: Any) -> Any:
        raise AssertionError(f"the search index was rebuilt ({case.id})")

    real = search_build.index_texts
    monkeypatch.setattr(search_build, "index_texts", no_rebuild)
    assert {h.case_id for h in search_index(store).search("quokka")} == {"synth-00002"}
    monkeypatch.setattr(search_build, "index_texts", real)  # the full load below needs it
    full = tmp_path / "full" / "ccgtui.json"
    full_load(folder, full)
    assert search_tables(store.search_path) == search_tables(full.with_name("ccgtui.search.sqlite"))
