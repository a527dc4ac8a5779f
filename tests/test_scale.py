"""Correctness (not speed) at 10,000 synthetic cases: load, lookup, search, filters, matrix.

The folder is bench/synth.py's generator plus three planted cases whose words,
kinds and partners are known, so every assertion has an exact expected answer.
Speed is measured by `make bench`, never here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from bench.synth import write_synthetic
from ccgtui.analysis import CellState, matrix
from ccgtui.cli import cli
from ccgtui.lazy_cases import LazyCases
from ccgtui.model import Case, Dataset
from ccgtui.query import SearchIndex, filter_cases, parse_query
from ccgtui.store import Store

pytestmark = pytest.mark.slow

N = 10_000
PLANTED = """\
id: planted-{n}
study: synthetic-study
kind: {kind}
illustrative: {illustrative}
label: Planted zanzibarquux case {n}
place: {{text: Planted place {n}, sources: [synth-src-1]}}
story:
  - id: only
    title: Planted stage
    arena: programme
    sectors: [hwb]
    text: The planted programme board negotiated with the Health and Wellbeing Board.
    sources: [synth-src-1]
partners:
  - {{sector: hwb, organisation: Planted HWB {n}, text: A planted partner., sources: [synth-src-1]}}
themes: [planted]
"""


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, Dataset, Path]:
    folder = write_synthetic(tmp_path_factory.mktemp("scale") / "cases", N)
    for n, kind in ((1, "in-depth"), (2, "scoping"), (3, "illustrative")):
        illustrative = "true" if kind == "illustrative" else "false"
        text = PLANTED.format(n=n, kind=kind, illustrative=illustrative)
        (folder / f"zz-planted-{n}.yaml").write_text(text)
    db = tmp_path_factory.mktemp("scale-db") / "ccgtui.json"
    assert Store(db, folder).open().reloaded  # validates 10,003 files (in a process pool)
    store = Store(db, folder)
    assert not store.open().reloaded  # and re-opens from the index
    return store, store.dataset(), db


def test_every_case_is_loaded_once(big: tuple[Store, Dataset, Path]) -> None:
    store, dataset, _ = big
    assert isinstance(dataset.cases, LazyCases)
    ids = [s.id for s in store.case_summaries()]
    assert len(ids) == len(set(ids)) == N + 3
    assert ids[0] == "synth-00000" and ids[-1] == "planted-3"


def test_one_case_from_the_cache_equals_its_file(big: tuple[Store, Dataset, Path]) -> None:
    store, dataset, _ = big
    folder = store.cases_dir
    for case_id in ("synth-00000", "synth-04242", "synth-09999"):
        raw = yaml.safe_load((folder / f"{case_id}.yaml").read_text())
        assert dataset.case(case_id) == Case.model_validate(raw)


def test_search_finds_exactly_the_planted_cases(big: tuple[Store, Dataset, Path]) -> None:
    _, dataset, _ = big
    index = SearchIndex(dataset)
    hits = index.search("zanzibarquux", limit=50)
    assert {h.case_id for h in hits} == {"planted-1", "planted-2", "planted-3"}
    assert all(h.path == "label" for h in hits)  # only labels carry the word
    typo = index.search("zanzibarqux", limit=50)  # one letter missing
    assert {h.case_id for h in typo} == {"planted-1", "planted-2", "planted-3"}
    filtered = index.search("zanzibarquux -is:illustrative", limit=50)
    assert {h.case_id for h in filtered} == {"planted-1", "planted-2"}
    label = index.search("synthetic case 4242", limit=5)
    assert label and label[0].case_id == "synth-04242"


def test_filters_are_exact(big: tuple[Store, Dataset, Path]) -> None:
    _, dataset, _ = big

    def ids(text: str) -> set[str]:
        return {c.id for c in filter_cases(dataset, parse_query(text))}

    assert ids("kind:in-depth") == {"planted-1"}
    assert ids("kind:scoping") == {"planted-2"}
    assert ids("theme:planted -kind:illustrative") == {"planted-1", "planted-2"}
    # The generator leaves every fourth case's outcomes unknown (i % 4 == 0).
    assert {f"synth-{i:05d}" for i in range(0, N, 4)} <= ids("has:unknowns")
    assert len(ids("is:illustrative")) == N + 1
    assert ids("sector:hwb theme:planted") == {"planted-1", "planted-2", "planted-3"}


def test_matrix_has_a_row_per_case(big: tuple[Store, Dataset, Path]) -> None:
    _, dataset, _ = big
    result = matrix(dataset, "sectors")
    assert len(result.rows) == N + 3
    assert result.cell("planted-1", "hwb").state is CellState.present
    assert result.cell("planted-1", "primary-care").state is CellState.absent


def test_cli_show_reads_one_case_from_10k(big: tuple[Store, Dataset, Path]) -> None:
    store, _, db = big
    result = CliRunner().invoke(
        cli,
        [
            "--db",
            str(db),
            "--cases",
            str(store.cases_dir),
            "show",
            "planted-2",
            "--section",
            "partners",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Planted HWB 2" in result.output


SCALE_QUERIES = [
    "zanzibarquux",
    "zanzibarqux",
    "zanzibarquux -is:illustrative",
    "synthetic case 4242",
    "frail",
    "frial",
    "integrated care",
    "programme board",
    "kind:illustrative frail",
    "sector:social-work care",
    "learnign",
    "theme:planted board",
    '"planted programme board"',
    "zanzibarquux OR negotiated",
    "planted -zanzibarquux",
    "synthetic place 17",
]


def test_the_persistent_index_answers_as_the_in_memory_one(
    big: tuple[Store, Dataset, Path],
) -> None:
    from ccgtui.search_index import search_index

    store, dataset, _ = big
    assert store.search_path.is_file()  # written by the load, not by this test
    notes = [("case:planted-2", "zanzibarquux note on the planted partner")]
    persistent = search_index(store, notes)
    reference = SearchIndex(dataset, notes=notes)
    for query in SCALE_QUERIES:
        got = [(h.case_id, h.path, h.score, h.snippet) for h in persistent.search(query, 50)]
        want = [(h.case_id, h.path, h.score, h.snippet) for h in reference.search(query, 50)]
        assert got == want, query
    planted = persistent.search('"planted programme board"', 50)
    assert {h.case_id for h in planted} == {"planted-1", "planted-2", "planted-3"}
