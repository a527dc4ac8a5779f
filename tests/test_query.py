"""Search ranking, typo tolerance, filters, suggestions, and the CLI on top."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccgtui.cli import cli
from ccgtui.model import Dataset
from ccgtui.query import Filter, QueryError, SearchIndex, filter_cases, make_snippet, parse_query


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
    assert code == 0 and rows[0]["sources"] == "storey2018"


def test_filters_on_the_stores_lazy_view_match_the_loaded_folder(
    isolated_db: Path, bundled: Dataset
) -> None:
    """The store filters on the facets kept in its index; the folder on the cases."""
    from ccgtui.lazy_cases import LazyCases, summaries
    from ccgtui.store import Store
    from tests.conftest import BUNDLED_CASES

    Store(isolated_db, BUNDLED_CASES).open()
    store = Store(isolated_db, BUNDLED_CASES)
    store.open()
    lazy = store.dataset()
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
