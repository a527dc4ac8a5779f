"""The search index patched in place after an incremental reload (issue 16).

A patched file must say exactly what a file written whole from the same cases says
(same entries in the same order, same postings, same cases) and answer every query
the same; a change that does not fit the file (no room, a grown case, other studies
or sources, a fault half way) leaves the kept file as it was and is written whole.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from bench.synth import write_synthetic
from ccgtui import search_file, search_patch
from ccgtui.facts import FACTS_VERSION, case_facets
from ccgtui.search_build import (
    Entry,
    IndexCase,
    Stamp,
    index_texts,
    other_entries,
    tokens_of,
    write_index,
)
from ccgtui.search_index import open_index
from ccgtui.search_patch import KeptTexts
from tests.test_incremental_reload import edit_label, search_tables

BEFORE = Stamp("before", 1, 1, FACTS_VERSION)
AFTER = Stamp("after", 2, 2, FACTS_VERSION)
QUERIES = [
    "board",
    "negotiation hospital",
    "synth",
    "synthetic case",
    '"synthetic case"',
    "care -board",
    "board OR quokka",
    "quokka",
    "negotiaton",  # a typo
    "kind:composite care",
    "arena:board community",
    "edited",
]


@pytest.fixture(scope="module")
def folder_cases(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[IndexCase], list[Entry]]:
    from ccgtui.loader import load_folder

    folder = write_synthetic(tmp_path_factory.mktemp("synth") / "cases", 30, seed=5)
    data = load_folder(folder)
    cases: list[IndexCase] = [
        (c.id, c.study, c.label, case_facets(c), index_texts(c)) for c in data.cases
    ]
    return cases, other_entries(data.studies, data.sources)


def edited(case: IndexCase, words: str, extra: int = 0) -> IndexCase:
    """The case with its first statement's text changed and ``extra`` statements added."""
    case_id, study, label, facets, texts = case
    out = list(texts)
    tab, where, text, sources, weight, _ = out[2]
    new = f"{text} {words}"
    out[2] = (tab, where, new, sources, weight, tuple(tokens_of(new)))
    for n in range(extra):
        more = f"extra statement {n} about quokka {words}"
        out.append((tab, f"more[{n}]", more, "", 1.0, tuple(tokens_of(more))))
    return case_id, study, label, facets, out


def renamed(case: IndexCase, case_id: str) -> IndexCase:
    _, study, label, facets, texts = case
    return case_id, study, f"{label} (copy {case_id})", facets, list(texts)


def whole(path: Path, cases: list[IndexCase], others: list[Entry]) -> Path:
    path.unlink(missing_ok=True)
    write_index(path, cases, others, AFTER)
    return path


def kept(prev: Path, cases: list[IndexCase], fresh: set[str]) -> list[IndexCase]:
    """``cases``, each not in ``fresh`` handed over as kept in ``prev``."""
    return [c if c[0] in fresh else (*c[:4], KeptTexts(prev)) for c in cases]


def answers(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    index = open_index(path, AFTER)
    assert index is not None
    out = {}
    for q in QUERIES:
        hits = index.search(q, 500)
        out[q] = [(h.case_id, h.study_id, h.tab, h.path, h.label, h.snippet, h.score) for h in hits]
    return out


@pytest.fixture
def ways(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """How each write_index call went: "patched" or "whole"."""
    went: list[str] = []
    patch, write = search_patch.patch_file, search_patch.write_whole

    def patched(*args: Any) -> bool:
        done = patch(*args)
        went.append("patched" if done else "refused")
        return done

    def written(*args: Any) -> None:
        went.append("whole")
        write(*args)

    monkeypatch.setattr(search_patch, "patch_file", patched)
    monkeypatch.setattr(search_patch, "write_whole", written)
    return went


def bring_up_to_date(
    tmp_path: Path,
    old: list[IndexCase],
    new: list[IndexCase],
    others: list[Entry],
    fresh: set[str],
    old_others: list[Entry] | None = None,
) -> tuple[Path, Path]:
    """The kept file of ``old`` brought to ``new``, and ``new`` written whole, to compare.

    Patched, the kept file becomes the index; written whole, it is left for the store
    to drop (``drop_previous``).
    """
    prev = tmp_path / "x.search.sqlite.prev"
    write_index(prev, old, others if old_others is None else old_others, BEFORE)
    index = tmp_path / "x.search.sqlite"
    write_index(index, kept(prev, new, fresh), others, AFTER)
    return index, whole(tmp_path / "whole.sqlite", new, others)


CHANGES = {
    "one edited": lambda cs: ([*cs[:7], edited(cs[7], "edited quokka"), *cs[8:]], {cs[7][0]}),
    "removed and added": lambda cs: (
        [*cs[:3], renamed(cs[3], cs[3][0] + "a"), *cs[5:-1], renamed(cs[0], "zz-last")],
        {cs[3][0] + "a", "zz-last"},
    ),
    "added first": lambda cs: ([renamed(cs[2], "aa-first"), *cs], {"aa-first"}),
    "grown in place": lambda cs: (
        [*cs[:4], edited(cs[4], "edited", extra=20), *cs[5:]],
        {cs[4][0]},
    ),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_patched_file_says_and_answers_what_a_whole_one_does(
    folder_cases: tuple[list[IndexCase], list[Entry]], tmp_path: Path, ways: list[str], change: str
) -> None:
    cases, others = folder_cases
    new, fresh = CHANGES[change](cases)
    patched, written = bring_up_to_date(tmp_path, cases, new, others, fresh)
    assert ways == ["whole", "patched", "whole"]  # old file, the patch, the reference
    assert not (tmp_path / "x.search.sqlite.prev").exists()  # it became the index
    assert search_tables(patched) == search_tables(written)
    assert answers(patched) == answers(written)


def too_many_first(cs: list[IndexCase]) -> tuple[list[IndexCase], set[str]]:
    added = [renamed(cs[0], f"aa-{n}") for n in range(search_file.GAP + 1)]
    return [*added, *cs], {c[0] for c in added}


def outgrown(cs: list[IndexCase]) -> tuple[list[IndexCase], set[str]]:
    return [edited(cs[0], "edited", extra=200), *cs[1:]], {cs[0][0]}


def reordered(cs: list[IndexCase]) -> tuple[list[IndexCase], set[str]]:
    return [cs[1], edited(cs[0], "edited"), *cs[2:]], {cs[0][0]}


def new_weight(cs: list[IndexCase]) -> tuple[list[IndexCase], set[str]]:
    case_id, study, label, facets, texts = cs[0]
    tab, where, text, sources, _, words = texts[2]
    return [
        (case_id, study, label, facets, [*texts, (tab, where, text, sources, 7.5, words)]),
        *cs[1:],
    ], {case_id}


@pytest.mark.parametrize("change", [too_many_first, outgrown, reordered, new_weight])
def test_a_change_that_does_not_fit_is_written_whole(
    folder_cases: tuple[list[IndexCase], list[Entry]], tmp_path: Path, ways: list[str], change: Any
) -> None:
    cases, others = folder_cases
    new, fresh = change(cases)
    written, reference = bring_up_to_date(tmp_path, cases, new, others, fresh)
    assert ways == ["whole", "refused", "whole", "whole"]
    assert (tmp_path / "x.search.sqlite.prev").exists()  # as it was, for the store to drop
    assert search_tables(written) == search_tables(reference)
    assert answers(written) == answers(reference)


def test_other_studies_or_sources_are_written_whole(
    folder_cases: tuple[list[IndexCase], list[Entry]], tmp_path: Path, ways: list[str]
) -> None:
    cases, others = folder_cases
    first = others[0]
    changed = [Entry(*[*vars_of(first)[:4], first.text + " quokka", *vars_of(first)[5:]])]
    new_others = [*changed, *others[1:]]
    written, reference = bring_up_to_date(tmp_path, cases, cases, new_others, set(), others)
    assert ways == ["whole", "refused", "whole", "whole"]
    assert search_tables(written) == search_tables(reference)


def vars_of(entry: Entry) -> list[Any]:
    return [getattr(entry, name) for name in Entry.__slots__]


def test_a_fault_half_way_leaves_the_kept_file_as_it_was(
    folder_cases: tuple[list[IndexCase], list[Entry]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cases, others = folder_cases
    prev = tmp_path / "x.search.sqlite.prev"
    write_index(prev, cases, others, BEFORE)
    before = search_tables(prev)

    def fail(*args: Any) -> None:
        raise sqlite3.OperationalError("disk I/O error")  # after entries and cases changed

    monkeypatch.setattr(search_patch, "_merge_postings", fail)
    new = [edited(cases[0], "edited quokka"), *cases[1:]]
    rows = [
        (e.case_id, e.study_id, e.tab, e.path, e.label, "\x1f".join(e.sources), e.weight, e.text)
        for e in others
    ]
    assert search_patch.patch_file(prev, kept(prev, new, {cases[0][0]}), rows, AFTER) is False
    assert search_tables(prev) == before  # rolled back whole
    assert open_index(prev, BEFORE) is not None and open_index(prev, AFTER) is None


def test_kept_texts_refuse_to_be_read_as_an_empty_list(tmp_path: Path) -> None:
    texts = KeptTexts(tmp_path / "kept")
    with pytest.raises(TypeError):
        list(texts)
    with pytest.raises(TypeError):
        bool(texts)


def test_a_damaged_kept_file_is_not_patched_and_never_answers(
    folder_cases: tuple[list[IndexCase], list[Entry]], tmp_path: Path
) -> None:
    cases, others = folder_cases
    prev = tmp_path / "x.search.sqlite.prev"
    write_index(prev, cases, others, BEFORE)
    prev.write_bytes(prev.read_bytes()[:20000])  # truncated
    index = tmp_path / "x.search.sqlite"
    new = [edited(cases[0], "edited"), *cases[1:]]
    with pytest.raises(sqlite3.DatabaseError):  # the store warns and searches without it
        write_index(index, kept(prev, new, {cases[0][0]}), others, AFTER)
    assert not index.exists()


def test_the_store_patches_the_kept_file_after_a_reload(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ways: list[str]
) -> None:
    """End to end: edit, add and remove case files; the first search patches the kept file."""
    from ccgtui.query import SearchIndex
    from ccgtui.search_index import search_index
    from ccgtui.store import Store, refresh, search_prev

    monkeypatch.setattr(refresh, "SEARCH_NOW_MAX", 0)
    # Left to the first search even if the reload learns to patch it at once (patch_now,
    # imported by the reload from search_prev when it runs, or at the top of refresh).
    monkeypatch.setattr(search_prev, "patch_now", lambda *args: False)
    monkeypatch.setattr(refresh, "patch_now", lambda *args: False, raising=False)
    folder = write_synthetic(tmp_path / "cases", 24, seed=3)
    db = tmp_path / "db" / "ccgtui.json"
    Store(db, folder).open()
    edit_label(folder / "synth-00005.yaml", "Quokka at the board")
    (folder / "synth-00009.yaml").unlink()
    shutil.copy(folder / "synth-00002.yaml", folder / "synth-00002b.yaml")
    added = folder / "synth-00002b.yaml"
    added.write_text(added.read_text().replace("synth-00002", "synth-00002b"), encoding="utf-8")
    store = Store(db, folder)
    assert store.open().reloaded and not store.search_path.exists()
    del ways[:]
    index = search_index(store)
    assert ways == ["patched"]
    reference = SearchIndex(store.dataset())
    for q in [*QUERIES, "quokka synth"]:
        assert [(h.case_id, h.path, h.score) for h in index.search(q, 500)] == [
            (h.case_id, h.path, h.score) for h in reference.search(q, 500)
        ], q


# -- patched with the reload itself (store/search_prev.patch_now) ----------------------------


def test_patch_now_brings_the_current_index_up_to_date(
    folder_cases: tuple[list[IndexCase], list[Entry]], tmp_path: Path, ways: list[str]
) -> None:
    from ccgtui.store.search_prev import patch_now

    cases, others = folder_cases
    index = tmp_path / "x.search.sqlite"
    write_index(index, cases, others, BEFORE)
    new = [*cases[:3], edited(cases[3], "edited quokka"), *cases[5:], renamed(cases[0], "zz")]
    fresh = [new[3], new[-1]]
    assert patch_now(index, BEFORE, AFTER, [c[0] for c in new], fresh)
    assert ways == ["whole", "patched"] and not list(tmp_path.glob("*.prev"))
    reference = whole(tmp_path / "whole.sqlite", new, others)
    assert search_tables(index) == search_tables(reference)
    assert answers(index) == answers(reference)


def test_patch_now_leaves_an_index_it_cannot_patch_as_it_was(
    folder_cases: tuple[list[IndexCase], list[Entry]], tmp_path: Path
) -> None:
    from ccgtui.store.search_prev import patch_now

    cases, others = folder_cases
    index = tmp_path / "x.search.sqlite"
    write_index(index, cases, others, BEFORE)
    raw = index.read_bytes()
    new, _ = outgrown(cases)
    ids = [c[0] for c in new]
    assert not patch_now(index, BEFORE, AFTER, ids, [new[0]])  # no room for the grown case
    assert index.read_bytes() == raw and not list(tmp_path.glob("*.prev"))
    assert not patch_now(index, AFTER, AFTER, ids, [new[0]])  # not what the index describes
    assert index.read_bytes() == raw


def test_an_empty_folder_has_an_empty_index(tmp_path: Path) -> None:
    path = tmp_path / "x.search.sqlite"
    write_index(path, [], [], AFTER)
    index = open_index(path, AFTER)
    assert index is not None and index.search("anything") == []
    found = open_index(path, AFTER, [("case:nowhere", "zanzibarquux")])
    assert found is not None and [h.tab for h in found.search("zanzibarquux")] == ["notes"]
