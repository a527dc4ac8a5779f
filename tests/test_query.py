"""Search ranking, typo tolerance, filters, suggestions, and the CLI on top."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner

from bench.synth import synthetic_case
from ccgtui.cli import cli
from ccgtui.model import Case, Dataset, Source, Study
from ccgtui.query import (
    Filter,
    Hit,
    QueryError,
    SearchIndex,
    filter_cases,
    make_snippet,
    parse_query,
    passes,
)
from ccgtui.query import index as index_module
from ccgtui.query import ranking as ranking_module


@pytest.mark.parametrize(
    ("text", "words", "filters"),
    [
        ("frail", ("frail",), ()),
        ("Frail  Elderly", ("frail", "elderly"), ()),
        ("sector:social-work logics", ("logics",), (Filter("sector", "social-work"),)),
        ("-kind:in-depth", (), (Filter("kind", "in-depth", negate=True),)),
        ("is:unverified has:unknowns", (), (Filter("is", "unverified"), Filter("has", "unknowns"))),
        ("tag:Follow-Up", (), (Filter("tag", "Follow-Up"),)),
    ],
)
def test_parse_query(text: str, words: tuple[str, ...], filters: tuple[Filter, ...]) -> None:
    query = parse_query(text)
    assert query.words == words and query.filters == filters


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour:red", "unknown filter 'colour'; use one of: study, kind, arena"),
        ("kind:deep", "use one of: in-depth, scoping, composite, illustrative"),
        ("arena:boardroom", "use one of: board, programme, practice"),
        ("sector:social", "social-work"),
        ("is:great", "unverified, illustrative"),
        ("theme:", "needs a value"),
    ],
)
def test_bad_filters_say_what_is_allowed(text: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse_query(text)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind:in-depth", [f"in-depth-{n}" for n in range(1, 7)]),
        ("sector:social-work", ["composite-frail-elderly"]),
        ("arena:programme", ["composite-frail-elderly"]),
        ("study:coleman2015-early-ccgs", ["coleman-eight-early-ccgs"]),
        ("theme:frail-elderly", ["composite-frail-elderly"]),
        ("-has:unknowns", []),
        ("kind:scoping -study:coleman2015-early-ccgs", ["scoping-15-ccgs"]),
        ("is:illustrative", []),
        ("is:unverified", []),
    ],
)
def test_filter_semantics_on_bundled_data(
    bundled: Dataset, query: str, expected: list[str]
) -> None:
    assert [c.id for c in filter_cases(bundled, parse_query(query))] == expected


def test_filters_on_illustrative_data(illustrative: Dataset) -> None:
    ids = lambda q: [c.id for c in filter_cases(illustrative, parse_query(q))]  # noqa: E731
    assert ids("sector:hwb") == ["riverside-frailty"]
    assert ids("is:unverified") == ["riverside-frailty"]
    assert ids("arena:practice") == ["riverside-frailty"]
    assert ids("is:illustrative") == ["hillside-diabetes", "riverside-frailty"]
    assert ids("tag:follow-up") == []
    tagged = filter_cases(
        illustrative, parse_query("tag:follow-up"), {"hillside-diabetes": ["follow-up"]}
    )
    assert [c.id for c in tagged] == ["hillside-diabetes"]


def test_frail_finds_the_composite_first_and_the_study_finding(bundled: Dataset) -> None:
    hits = SearchIndex(bundled).search("frail")
    assert hits[0].case_id == "composite-frail-elderly" and hits[0].path == "label"
    assert any(h.case_id is None and h.study_id == "ccg-clinical-leadership" for h in hits)


def test_label_and_title_matches_rank_first(illustrative: Dataset) -> None:
    hits = SearchIndex(illustrative).search("huddles")
    assert hits[0].path.endswith(".title") and hits[0].tab == "story"


def test_typos_and_prefixes(bundled: Dataset) -> None:
    index = SearchIndex(bundled)
    assert index.search("frial")[0].case_id == "composite-frail-elderly"
    assert index.search("leg")  # prefix of legitimacy / legacy
    assert index.search("legitimcy")[0].tab in ("story", "arenas", "study")


def test_every_word_must_match(bundled: Dataset) -> None:
    index = SearchIndex(bundled)
    both = index.search("markets hierarchy")
    assert both and all("hierarchy" in h.text.lower() for h in both)
    assert index.search("markets zzzzqq") == []


def test_hits_say_where_and_highlight(bundled: Dataset) -> None:
    hit = SearchIndex(bundled).search("routinisation")[0]
    assert hit.tab in ("story", "arenas", "study") and hit.sources == ("storey2018",)
    a, b = hit.spans[0]
    assert hit.snippet[a:b].lower() == "routinisation"


def test_notes_are_searchable(bundled: Dataset) -> None:
    index = SearchIndex(bundled, notes=[("case:in-depth-2", "ask about the diabetes pathway")])
    (hit,) = index.search("diabetes")
    assert hit.case_id == "in-depth-2" and hit.tab == "notes"


def test_filters_narrow_search(bundled: Dataset) -> None:
    index = SearchIndex(bundled)
    assert index.search("kind:in-depth frail") == [] or all(
        h.case_id and h.case_id.startswith("in-depth") for h in index.search("kind:in-depth frail")
    )
    assert all(
        h.case_id == "composite-frail-elderly" for h in index.search("sector:social-work care")
    )


def test_suggest(bundled: Dataset) -> None:
    assert "frail" in SearchIndex(bundled).suggest("frayl")


def test_snippet_is_data_not_markup() -> None:
    snippet, spans = make_snippet("[bold red]x[/] frail", {"frail"})
    assert snippet == "[bold red]x[/] frail" and snippet[spans[0][0] : spans[0][1]] == "frail"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_search_json() -> None:
    code, out, _ = run("search", "frail", "--format", "json")
    hits = json.loads(out)
    assert code == 0 and hits[0]["case_id"] == "composite-frail-elderly"
    assert any(h["case_id"] is None and h["tab"] == "study" for h in hits)


def test_cli_search_table_shows_markup_literally(tmp_path, minimal_folder) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import MINIMAL_CASE

    (minimal_folder / "case-a.yaml").write_text(
        MINIMAL_CASE.replace("label: Case A", 'label: "[bold red]boom[/]"')
    )
    code, out, _ = run("--cases", str(minimal_folder), "search", "boom")
    assert code == 0 and "[bold red]boom[/]" in out


def test_cli_no_match_suggests() -> None:
    code, _, err = run("search", "frayl")
    # "frayl" is a near miss of "frail": fuzzy matching finds it, so it is not "no match".
    assert code == 0 or "Did you mean" in err
    code, _, err = run("search", "qqqqzzzz")
    assert code == 1 and "nothing matches 'qqqqzzzz'" in err


def test_cli_bad_filter_is_a_usage_error() -> None:
    code, _, err = run("search", "arena:boardroom", "x")
    assert code == 2 and "board, programme, practice" in err


def test_cli_list_filters() -> None:
    code, out, _ = run("list", "--format", "json", "kind:in-depth")
    assert code == 0 and len(json.loads(out)) == 6
    code, out, _ = run("list", "--format", "csv", "--", "-kind:in-depth", "-kind:scoping")
    assert out.splitlines()[1].startswith("composite-frail-elderly,")
    code, _, err = run("list", "sector:hwb")
    assert code == 1 and "no case matches" in err
    code, _, err = run("list", "frail")
    assert code == 2 and "ccgtui search" in err


def test_cli_filter_parity_with_search(bundled: Dataset) -> None:
    """The CLI list and the query layer (which the TUI uses) agree on every filter."""
    for q in ("sector:social-work", "kind:in-depth", "has:unknowns", "arena:board"):
        _, out, _ = run("list", "--format", "json", q)
        assert [r["id"] for r in json.loads(out)] == [
            c.id for c in filter_cases(bundled, parse_query(q))
        ]


def test_cli_search_csv_lists_are_plain() -> None:
    import csv as csv_module
    import io

    code, out, _ = run("search", "logics", "--format", "csv")
    rows = list(csv_module.DictReader(io.StringIO(out)))
    assert code == 0 and next(r for r in rows if r["sources"])["sources"] == "storey2018"


def test_filters_on_the_stores_lazy_view_match_the_loaded_folder(
    isolated_db: Path, bundled: Dataset
) -> None:
    """The store filters on the facets kept in its index; the folder on the cases."""
    from ccgtui.lazy_cases import LazyCases, summaries
    from ccgtui.store import Store
    from tests.conftest import BUNDLED_CASES, reopened_store

    lazy = reopened_store(isolated_db, BUNDLED_CASES).dataset()
    assert isinstance(lazy.cases, LazyCases)
    assert summaries(lazy.cases) == summaries(bundled.cases)  # facets survive the index
    every = sorted({f"{k}:{v}" for s in summaries(bundled.cases) for k, v in s.facets})
    assert {"kind:composite", "sector:social-work", "arena:programme", "has:unknowns"} <= set(every)
    for text in every + [f"-{f}" for f in every] + ["kind:in-depth -has:unknowns"]:
        query = parse_query(text)
        expected = [c.id for c in filter_cases(bundled, query)]
        assert [c.id for c in filter_cases(lazy, query)] == expected, text
    fresh = Store(isolated_db, BUNDLED_CASES)
    fresh.open()
    cases = fresh.dataset().cases
    assert isinstance(cases, LazyCases)
    assert [c.id for c in filter_cases(fresh.dataset(), parse_query("kind:composite"))] == [
        "composite-frail-elderly"
    ]
    assert cases.validated_count() == 1  # decided on the index; only the match was read


# -- the ranked search against a straightforward reference ------------------------------
#
# SearchIndex.search visits (word quality x field weight) groups best first and stops at
# ``limit``; ``reference_search`` scores every entry and sorts.  They must agree hit for
# hit (order and score included), on every kind of query.

MOST = 400  # the largest limit compared


def reference_search(
    index: SearchIndex,
    text: str,
    tokens: list[set[str]],
    tags: Mapping[str, Iterable[str]] | None = None,
    limit: int = MOST,
) -> list[Hit]:
    """The best ``limit`` entries as search() promises to rank them, by scoring every one."""
    q = parse_query(text)
    if not q.words:
        return []
    expanded = [index._expand(word) for word in q.words]
    allowed = {c for c, facets in index.facets.items() if passes(facets, c, q.filters, tags)}
    ranked = []
    for i, entry in enumerate(index.entries):
        if q.filters and entry.case_id not in allowed:
            continue
        total, worst = 0.0, 1.0
        for found in expanded:
            qualities = [found[token] for token in tokens[i] if token in found]
            if not qualities:
                break
            total += max(qualities)  # a word counts with its best token
            worst = min(worst, max(qualities))
        else:
            ranked.append(((-round(worst, 1), -total * entry.weight, i), total * entry.weight))
    ranked.sort()
    words = {t for found in expanded for t in found}
    return [index._hit(key[2], score, words) for key, score in ranked[:limit]]


def synthetic_dataset(n: int) -> Dataset:
    """``n`` of bench/synth.py's cases (a 40-word vocabulary), validated in memory."""
    rng = random.Random(3)
    sources = [f"synth-src-{k}" for k in range(20)]
    return Dataset(
        studies=[
            Study.model_validate(
                {
                    "id": "synthetic-study",
                    "title": "Synthetic benchmark study",
                    "illustrative": True,
                    "objective": {"text": "Frail care (synthetic).", "sources": sources[:1]},
                }
            )
        ],
        sources=[
            Source.model_validate(
                {"id": s, "type": "other", "title": f"Synthetic source {s}", "level": "unverified"}
            )
            for s in sources
        ],
        cases=[Case.model_validate(synthetic_case(i, rng, sources)) for i in range(n)],
    )


EQUIVALENCE_QUERIES = [
    # single words: exact, exact plus longer tokens (frail/frailty), prefixes, typos
    "frail",
    "care",
    "synthetic",
    "fr",
    "c",
    "s",
    "1",
    "17",
    "frial",
    "learnign",
    "hospitl",
    "legitimcy",
    "routinisation",
    # several words: all common, common beside rare, prefix beside typo, repeated
    "integrated care",
    "programme board",
    "budget contract",
    "synthetic place 17",
    "synthetic case 42",
    "care care",
    "frail frailty",
    "frai elder",
    "frial learnign",
    "hospitl negotiaton evaluaton",
    "markets hierarchy",
    "clinical leadership redesign",
    "org 7 primary",
    # filters: broad, narrow, negated, tags, none passing, none matching
    "kind:illustrative frail",
    "sector:social-work care",
    "-sector:hwb frail board",
    "theme:diabetes care",
    "arena:board -theme:frailty logic",
    "has:unknowns outcome",
    "tag:follow-up care",
    "-tag:follow-up frail",
    "tag:follow-up -kind:scoping c",
    "kind:in-depth frail",
    "study:nowhere care",
    "zzzzqq",
    "care zzzzqq",
]
LIMITS = (1, 7, 50, MOST)
KNOBS = {
    "default": {},
    # tiny slices, every level merged, every lookup by bisection, every filter as ranks
    "small": {"_FIRST_STEP": 3, "_MERGE_TOKENS": 1, "_LOOKUP_RATIO": 1, "_FEW_CASES": 1},
    # one slice per band, nothing merged, no bisection, no filter as ranks
    "large": {
        "_FIRST_STEP": 10**9,
        "_MERGE_TOKENS": 10**9,
        "_LOOKUP_RATIO": 10**9,
        "_FEW_CASES": 10**9,
    },
    # too many groups: score every candidate instead
    "score-each": {"_MAX_GROUPS": 0},
}
NOTES = [
    ("case:in-depth-2", "ask about the diabetes pathway and frail care"),
    ("case:synth-00003", "frail care budget, follow up"),
    ("partner:synth-00004/1", "care contract"),
    ("source:storey2018", "the main report, care"),
]


TAGS = {"in-depth-2": ["Follow-Up"], "synth-00003": ["follow-up"], "synth-00007": ["x"]}


def _merged(*datasets: Dataset) -> Dataset:
    return Dataset(
        studies=[s for d in datasets for s in d.studies],
        sources=[s for d in datasets for s in d.sources],
        cases=[c for d in datasets for c in d.cases],
    )


Indexed = tuple[SearchIndex, dict[str, list[Hit]]]


@pytest.fixture(
    scope="module", params=["bundled", pytest.param("synthetic", marks=pytest.mark.slow)]
)
def indexed(request: pytest.FixtureRequest, bundled: Dataset, illustrative: Dataset) -> Indexed:
    """An index (bundled data, or 2,000 synthetic cases) and the reference answers.

    The illustrative cases join the bundled ones because no bundled case has story
    stages (the sources report no sequence), and the queries must reach that tab too."""
    dataset = (
        _merged(bundled, illustrative) if request.param == "bundled" else synthetic_dataset(2_000)
    )
    index = SearchIndex(dataset, notes=NOTES)
    tokens = [{t.lower() for t in re.findall(r"\w+", e.text)} for e in index.entries]
    expected = {text: reference_search(index, text, tokens, TAGS) for text in EQUIVALENCE_QUERIES}
    return index, expected


@pytest.mark.parametrize("knobs", KNOBS.values(), ids=KNOBS.keys())
def test_search_returns_what_scoring_every_entry_returns(
    indexed: Indexed, knobs: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    index, expected = indexed
    for name, value in knobs.items():  # each knob patched where it is read
        home = index_module if name in ("_FEW_CASES", "_MAX_GROUPS") else ranking_module
        monkeypatch.setattr(home, name, value)
    index._filter_cache.clear()  # _FEW_CASES decides what the cache holds
    for text, hits in expected.items():
        for limit in LIMITS:
            assert index.search(text, limit=limit, tags=TAGS) == hits[:limit], (text, limit)
    assert index.search("frail", limit=0) == []


def test_equivalence_queries_reach_every_kind_of_group(indexed: Indexed) -> None:
    """The queries above are worth comparing: they hit ties, typos and several weights."""
    _, expected = indexed
    every = [h for hits in expected.values() for h in hits]
    assert {h.tab for h in every} >= {"overview", "story", "partners", "notes", "sources"}
    assert any(h.score < 1 for h in every)  # a typo (quality 0.4 to 0.5)
    assert any(h.score == 8 * 0.8 or h.score == 10 * 0.8 for h in every)  # a prefix on a title


def test_expand_finds_exact_and_prefix_tokens(bundled: Dataset) -> None:
    index = SearchIndex(bundled)
    for word in ("frail", "fr", "c", "leg", "zz", "routinisation"):
        naive = {t: 1.0 if t == word else 0.8 for t in index.vocabulary if t.startswith(word)}
        assert index._expand(word) == naive


def test_postings_list_ranks_heaviest_weight_first(bundled: Dataset) -> None:
    index = SearchIndex(bundled, notes=NOTES)
    weights = [w for w, _, _ in index.bands]
    assert weights == sorted(weights, reverse=True) and len(set(weights)) == len(weights)
    assert sorted(index.order) == list(range(len(index.entries)))
    for weight, first, end in index.bands:
        ranks = index.order[first:end]
        assert list(ranks) == sorted(ranks)  # entry order within one weight
        assert {index.entries[i].weight for i in ranks} == {weight}
    for token in ("frail", "care", "storey"):
        ranks = list(index.postings[token])
        assert ranks == sorted(set(ranks))
        assert {index.order[r] for r in ranks} == {
            i for i, e in enumerate(index.entries) if token in re.findall(r"\w+", e.text.lower())
        }
