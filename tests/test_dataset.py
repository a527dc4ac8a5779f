"""The bundled dataset is faithful to its sources: key facts pinned, every fact cited."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ccgtui.audit import coverage, strict_problems
from ccgtui.model import Arena, CaseKind, Dataset, Sector, Unknown, iter_statements

MAIN = "ccg-clinical-leadership"


def main_study(dataset: Dataset):  # type: ignore[no-untyped-def]
    study = dataset.study(MAIN)
    assert study is not None
    return study


def all_text(dataset: Dataset) -> str:
    records = [*dataset.studies, *dataset.cases]
    return "\n".join(item.text for r in records for _, item in iter_statements(r))


def test_five_phases_in_order(bundled: Dataset) -> None:
    phases = main_study(bundled).phases
    assert [p.number for p in phases] == [1, 2, 3, 4, 5]
    names = [p.name.lower() for p in phases]
    assert "scoping" in names[0] and "15" in names[0]
    assert "survey" in names[1] and phases[1].period == "2014"
    assert "six" in names[2] and "case" in names[2]
    assert "survey" in names[3] and phases[3].period == "2016"
    assert "international" in names[4]


def test_four_objectives_quoted_from_the_project_page(bundled: Dataset) -> None:
    objectives = main_study(bundled).objectives
    assert all(o.quote and o.sources == ["ucl-project"] for o in objectives)
    # Verbatim from the UCL project page (seed), so quote: true is honest.
    assert [o.text for o in objectives] == [
        "To determine the range of clinical engagement and clinical leadership modes being used"
        " in CCGs",
        "To explore the extent and nature of the scope for clinical leadership and engagement in"
        " service redesign that is possible and facilitated by commissioning bodies, particularly"
        " the CCGs and the HWBs",
        "To examine the range of benefits being targeted through different kinds of clinical"
        " engagement and leadership",
        "To describe the forces and factors that serve to either enable or block the achievement"
        " of benefits in different contexts, and how appropriate are different kinds of clinical"
        " engagement and leadership for achieving effective service design",
    ]


def test_every_reference_of_the_research_notes_is_a_source(bundled: Dataset) -> None:
    levels = {s.id: s.level.value for s in bundled.sources}
    assert levels == {
        "storey2018": "primary",
        "marshall2018": "primary",
        "storey2019": "primary",
        "coleman2015": "primary",
        "ucl-project": "primary",
        "ou-project": "secondary",
        "nihr-record": "secondary",
        "hsj-storey-marshall": "secondary",
        "nhse-2012-wave1": "secondary",
        "nhse-2013-wave3": "secondary",
        "survey-mirror": "unverified",
    }
    storey2018 = bundled.source("storey2018")
    assert storey2018 is not None and storey2018.doi == "10.3310/hsdr06020"
    assert storey2018.volume == "6" and storey2018.issue == "2"
    assert all(s.url is None or s.url.startswith("https://") for s in bundled.sources)


def test_three_arenas(bundled: Dataset) -> None:
    arenas = [c for c in main_study(bundled).concepts if c.kind == "arena"]
    assert {c.arena for c in arenas} == set(Arena)
    board = next(c for c in arenas if c.arena is Arena.board)
    assert "legitimacy" in board.text
    programme = next(c for c in arenas if c.arena is Arena.programme)
    assert "markets, hierarchy and networks" in programme.text


def test_five_team_members(bundled: Dataset) -> None:
    team = {m.name: m.institution for m in main_study(bundled).team}
    assert team == {
        "John Storey": "The Open University Business School",
        "Richard Holti": "The Open University Business School",
        "Jean Hartley": "The Open University Business School",
        "Tatum Matharu": "The Open University",
        "Martin Marshall": "UCL",
    }


def test_211_ccgs_and_project_number_are_cited(bundled: Dataset) -> None:
    study = main_study(bundled)
    assert any("211" in c.text and c.sources for c in study.context)
    assert study.project_number is not None and study.project_number.text == "12/136/104"


def test_both_start_dates_are_kept_and_cited(bundled: Dataset) -> None:
    dates = main_study(bundled).dates
    assert any("December 2013" in d.text for d in dates)
    assert any("1 November 2013" in d.text for d in dates)
    assert all(d.sources for d in dates)


def test_surveys_in_2014_and_2016_with_unverified_figures_flagged(bundled: Dataset) -> None:
    study = main_study(bundled)
    assert [s.year for s in study.surveys] == [2014, 2016]
    assert all(s.response.unknown for s in study.surveys)
    assert all("postal" in s.mode.text for s in study.surveys)
    (measure,) = study.measures
    assert measure.values == {2014: 33, 2016: 54}
    assert measure.unverified and measure.sources == ["survey-mirror"]
    # The 35% / 25% figures have no stated year, so they are a statement, not a measure.
    (figures,) = [f for f in study.findings if "35%" in f.text]
    assert figures.unverified and "25%" in figures.text


def test_every_figure_from_the_third_party_copy_is_unverified(bundled: Dataset) -> None:
    for record in (*bundled.studies, *bundled.cases):
        for path, item in iter_statements(record):
            if "survey-mirror" in item.sources:
                assert getattr(item, "unverified", False), f"{record.id} {path}"


def test_six_in_depth_cases_with_unknowns_not_guesses(bundled: Dataset) -> None:
    in_depth = [c for c in bundled.cases if c.kind is CaseKind.in_depth]
    assert len(in_depth) == 6
    for case in in_depth:
        assert case.place.unknown and case.service_area.unknown and case.population.unknown
        assert isinstance(case.partners, Unknown)
        assert isinstance(case.story, Unknown)
        assert isinstance(case.outcomes, Unknown)
        assert all(isinstance(case.arenas[a], Unknown) for a in Arena)
        assert "not named" in case.label


def test_fifteen_scoping_ccgs_and_the_composite(bundled: Dataset) -> None:
    scoping = bundled.case("scoping-15-ccgs")
    assert scoping is not None and scoping.kind is CaseKind.scoping and "15" in scoping.label
    composite = bundled.case("composite-frail-elderly")
    assert composite is not None and composite.kind is CaseKind.composite
    assert "not one site" in composite.label
    assert isinstance(composite.partners, list)
    assert {p.sector for p in composite.partners} == {
        Sector.primary_care,
        Sector.secondary_care,
        Sector.community_care,
        Sector.social_work,
    }


def test_coleman_is_a_second_study(bundled: Dataset) -> None:
    assert [s.id for s in bundled.studies] == [MAIN, "coleman2015-early-ccgs"]
    coleman = bundled.study("coleman2015-early-ccgs")
    assert coleman is not None
    assert {c.id for c in coleman.concepts} == {"responsible-guardianship", "positive-deviancy"}
    (case,) = [c for c in bundled.cases if c.study == coleman.id]
    assert "Eight" in case.label


def test_bundled_data_is_fully_cited_and_strict_clean(bundled: Dataset) -> None:
    assert strict_problems(bundled) == []
    cov = coverage(bundled)
    assert cov.share_cited == 1.0
    assert cov.known > 100 and cov.unknowns > 50


def test_known_conflicts_are_visible(bundled: Dataset) -> None:
    conflicts = "\n".join(coverage(bundled).conflicts)
    assert "75-91" in conflicts
    assert "1 November 2013" in conflicts
    assert "2017" in conflicts and "2018" in conflicts


def test_every_bundled_record_cites_sources(bundled: Dataset) -> None:
    for record in (*bundled.studies, *bundled.cases):
        cited = {sid for _, item in iter_statements(record) for sid in item.sources}
        assert cited, record.id
    assert all(m.sources for s in bundled.studies for m in s.team)


def test_coleman_dates_are_marked_as_from_a_source_we_do_not_hold(bundled: Dataset) -> None:
    case = bundled.case("coleman-eight-early-ccgs")
    assert case is not None and case.period is not None
    assert "September 2011" in case.period.text and "May 2012" in case.period.text
    assert case.period.note is not None and "ext" in case.period.note


def test_not_confused_with_the_earlier_dementia_and_sexual_health_study(bundled: Dataset) -> None:
    text = all_text(bundled).lower()
    assert "dementia" not in text and "sexual" not in text
    assert "greater manchester" not in text


def test_no_record_outside_examples_is_illustrative(bundled: Dataset) -> None:
    flagged = [r.id for r in (*bundled.studies, *bundled.cases, *bundled.sources) if r.illustrative]
    assert flagged == []
    assert all(c.kind is not CaseKind.illustrative for c in bundled.cases)


def test_every_illustrative_record_is_flagged(illustrative: Dataset) -> None:
    records = (*illustrative.studies, *illustrative.cases, *illustrative.sources)
    assert records and all(r.illustrative for r in records)
    assert all(c.kind is CaseKind.illustrative for c in illustrative.cases)
    assert strict_problems(illustrative) == []
    assert coverage(illustrative).share_cited == 1.0


def test_every_source_has_a_link_and_a_level(bundled: Dataset) -> None:
    for source in bundled.sources:
        assert source.doi or source.url, source.id
    assert bundled.source("survey-mirror").level.value == "unverified"  # type: ignore[union-attr]


def test_no_code_or_test_reads_shared() -> None:
    repo = Path(__file__).resolve().parents[1]
    needle = "../" + "shared"
    offenders = [
        p
        for p in [
            *repo.glob("ccgtui/**/*.py"),
            *repo.glob("tests/**/*.py"),
            *repo.glob("bench/**/*.py"),
        ]
        if needle in p.read_text(encoding="utf-8")
        or "/work/" + "shared" in p.read_text(encoding="utf-8")
    ]
    assert offenders == []


# -- issue 15: each statement keeps its source's strength ------------------------------

PROJECT_PAGES = {"ucl-project", "ou-project"}


def statements(dataset: Dataset):  # type: ignore[no-untyped-def]
    """Every known statement as (record id, path, statement)."""
    for record in (*dataset.studies, *dataset.cases):
        for path, item in iter_statements(record):
            if not (isinstance(item, Unknown) or item.unknown):
                yield record.id, path, item


def test_plans_on_the_project_pages_stay_plans(bundled: Dataset) -> None:
    # The project pages say what the study "will" do; nothing we hold reports the
    # seeking of HWBs' views or the assessment of inroads into integrated care as done.
    done = re.compile(r"\b(sought|assessed|investigated|examined|extended)\b", re.IGNORECASE)
    for record_id, path, item in statements(bundled):
        if item.sources and set(item.sources) <= PROJECT_PAGES:
            assert not done.search(item.text), f"{record_id} {path}: {item.text}"
    for item in main_study(bundled).scope:
        assert re.search(r"\b(will|planned|plans)\b", item.text), item.text


# (source, words that mark the claim, the source's own hedge the text must keep)
HEDGES = [
    ("storey2019", "pioneering clinical leaders", "examples of situations where"),
    ("storey2018", "new modes of service design", "significant examples"),
]


@pytest.mark.parametrize(("source", "claim", "hedge"), HEDGES)
def test_hedged_findings_keep_their_hedge(
    bundled: Dataset, source: str, claim: str, hedge: str
) -> None:
    found = [
        (r, p, s)
        for r, p, s in statements(bundled)
        if source in s.sources and claim in s.text.lower()
    ]
    assert found, claim
    for record_id, path, item in found:
        assert hedge in item.text.lower(), f"{record_id} {path}: {item.text}"


def test_only_the_report_places_statements_in_an_arena(bundled: Dataset) -> None:
    # storey2018 is the only source that names the three arenas; nothing from another
    # source may be filed under one.
    for case in bundled.cases:
        if case.illustrative:
            continue
        for arena, items in case.arenas.items():
            if isinstance(items, list):
                for item in items:
                    assert item.sources == ["storey2018"], f"{case.id} arenas.{arena}: {item.text}"


def test_the_composite_marks_every_borrowed_cross_case_finding(bundled: Dataset) -> None:
    # Only the enabling of "such breakthroughs" is tied by the report to the most notable
    # (frail-elderly) redesigns; every other enabler, barrier, outcome or finding is a
    # study-wide result and must say so.
    composite = bundled.case("composite-frail-elderly")
    assert composite is not None
    for field in ("enablers", "barriers", "outcomes", "findings"):
        items = getattr(composite, field)
        assert isinstance(items, list)
        for i, item in enumerate(items):
            if item.unknown or "breakthroughs" in item.text:
                continue
            assert item.note and "cross-case" in item.note, f"{field}[{i}]: {item.text}"


def test_study_wide_results_are_not_claimed_for_the_six_cases(bundled: Dataset) -> None:
    for case in bundled.cases:
        if case.kind is CaseKind.in_depth:
            for path, item in iter_statements(case):
                assert "across the cases" not in item.text.lower(), f"{case.id} {path}"
            assert "our numbering" in case.label, case.label


def test_the_composite_tells_no_story_the_sources_do_not(bundled: Dataset) -> None:
    # The report describes interlocking arenas, not a sequence: no numbered story steps.
    composite = bundled.case("composite-frail-elderly")
    assert composite is not None and isinstance(composite.story, Unknown)
    assert "interlocking" in composite.story.text and composite.story.sources == ["storey2018"]
    assert all(isinstance(composite.arenas[a], list) for a in Arena)


def test_the_composite_place_is_not_applicable_not_unknown(bundled: Dataset) -> None:
    composite = bundled.case("composite-frail-elderly")
    assert composite is not None
    assert not composite.place.unknown and composite.place.sources
    assert "not one place" in composite.place.text.lower()


# -- the Coleman record: both bibliographic versions, counted as conflicts ----------------


def test_coleman_citation_shows_both_years_and_both_page_ranges(bundled: Dataset) -> None:
    coleman = bundled.source("coleman2015")
    assert coleman is not None
    citation = coleman.citation()
    assert "2015 [repository: 2014]" in citation
    assert "29(1):75-91 [repository: 75-81]" in citation


def test_every_recorded_variant_is_in_its_citation(bundled: Dataset) -> None:
    for source in bundled.sources:
        citation = source.citation()
        for variant in source.variants:
            assert f"[{variant.given_by}: {variant.value}]" in citation, source.id
            assert str(getattr(source, variant.field)) in citation, source.id


def test_a_source_note_that_names_other_pages_or_years_has_variants(bundled: Dataset) -> None:
    # A note saying a record gives other pages or another year must not be the only
    # place the disagreement shows: the citation has to carry it too.
    for source in bundled.sources:
        variants = {(v.field, v.value) for v in source.variants}
        for note in source.notes:
            for pages in re.findall(r"\bpages (\d+-\d+)", note):
                assert pages == source.pages or ("pages", pages) in variants, (source.id, note)
            for year in re.findall(r"\b(?:gives|lists) ((?:19|20)\d\d)\b", note):
                assert year == str(source.year) or ("year", year) in variants, (source.id, note)


def test_validate_counts_distinct_conflicts(bundled: Dataset) -> None:
    cov = coverage(bundled)
    # Start dates, report titles, Coleman's year, Coleman's pages.
    assert len(cov.conflict_topics) == 4
    assert len(cov.conflicts) > len(cov.conflict_topics)


# -- kinds, labels and explicit unknowns -------------------------------------------------


def test_coleman_eight_are_a_related_studys_case_studies(bundled: Dataset) -> None:
    case = bundled.case("coleman-eight-early-ccgs")
    assert case is not None and case.kind is CaseKind.related_study
    scoping = [c.id for c in bundled.cases if c.kind is CaseKind.scoping]
    assert scoping == ["scoping-15-ccgs"]


def test_the_social_work_label_says_no_more_than_the_source() -> None:
    assert Sector.social_work.label == "Social work"


@pytest.mark.parametrize(
    "needle",
    [
        "findings of the international comparison phase",
        "findings of the scoping phase",
        "number of interviews",
        "by role",
        "hsj",
        "health and wellbeing boards",
        "numbering",
    ],
)
def test_the_missing_unknowns_are_explicit(bundled: Dataset, needle: str) -> None:
    unknowns = [u for u in main_study(bundled).unknowns if u.unknown]
    assert any(needle in u.text.lower() for u in unknowns), needle


def test_the_bjgp_conclusion_is_never_shipped_only_half(bundled: Dataset) -> None:
    # The BJGP conclusion has two halves: GPs are making an important contribution, but
    # barriers stop them optimising the role. A record with the barriers needs the other.
    for record in (*bundled.studies, *bundled.cases):
        texts = [
            item.text.lower()
            for _, item in iter_statements(record)
            if "marshall2018" in item.sources
        ]
        if any("political barriers" in t for t in texts):
            assert any("important contribution" in t for t in texts), record.id


def test_supported_content_from_the_review_is_present(bundled: Dataset) -> None:
    study = main_study(bundled)
    findings = " ".join(f.text for f in study.findings)
    assert "first study" in findings and "significant examples" in findings
    assert "revert to the status quo" in findings and "very mixed picture" in findings
    context = " ".join(c.text for c in study.context)
    assert '"step up"' in context and "£65 billion of the £95 billion" in context
    assert study.funder is not None and "HS&DR" in study.funder.text
    coleman = bundled.study("coleman2015-early-ccgs")
    assert coleman is not None and any("guardianship" in f.text for f in coleman.findings)


# -- unknown is never shown as absent ------------------------------------------------------


def test_no_bundled_partner_sector_is_absent_without_a_source(bundled: Dataset) -> None:
    # "Absent" (·) would claim a source says the sector took no part; no source we hold
    # says that of any sector in any case, so every sector is present or unknown.
    from ccgtui.analysis import CellState, sector_cell

    for case in bundled.cases:
        for sector in Sector:
            state = sector_cell(case, sector).state
            assert state is not CellState.absent, (case.id, sector.value)
    composite = bundled.case("composite-frail-elderly")
    assert composite is not None and composite.sectors_unknown is not None
    assert set(composite.sectors_unknown.sectors) == {
        Sector.hwb,
        Sector.patients_public,
        Sector.other,
    }
    cell = sector_cell(composite, Sector.hwb)
    assert cell.state is CellState.unknown
    assert cell.evidence[0].path == "sectors_unknown"


def test_a_sector_cannot_be_both_a_partner_and_unknown() -> None:
    from pydantic import ValidationError

    from ccgtui.model import Case

    with pytest.raises(ValidationError, match=r"sectors_unknown.*primary-care"):
        Case(
            id="c",
            study="s",
            kind=CaseKind.in_depth,
            label="C",
            partners=[{"sector": "primary-care", "text": "t", "sources": ["x"]}],
            sectors_unknown={"sectors": ["primary-care", "hwb"]},
        )


def test_the_cli_shows_the_composite_s_unnamed_sectors_as_unknown() -> None:
    import csv
    import io
    import json

    from click.testing import CliRunner

    from ccgtui.cli import cli

    def run(*args: str) -> str:
        result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        return result.stdout

    rows = json.loads(run("matrix", "--by", "sectors", "--format", "json"))["rows"]
    cells = next(r for r in rows if r["id"] == "composite-frail-elderly")["cells"]
    assert [cells[s]["state"] for s in ("hwb", "patients-public", "other")] == ["unknown"] * 3
    (row,) = [
        r
        for r in csv.DictReader(io.StringIO(run("export", "csv")))
        if r["id"] == "composite-frail-elderly"
    ]
    assert row["sectors_unknown"] == "hwb patients-public other"
