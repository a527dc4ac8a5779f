"""Matrices, compare and study stats: exact cells, unknown kept apart from absent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccgtui.analysis import CellState, bar_chart, compare, matrix, stage_arena, study_stats
from ccgtui.cli import cli
from ccgtui.loader import load_folder
from ccgtui.model import Dataset
from tests.conftest import MINIMAL_CASE, write_folder

P, A, U = CellState.present, CellState.absent, CellState.unknown


def states(m, row: str) -> list[CellState]:  # type: ignore[no-untyped-def]
    return [m.cell(row, key).state for key, _ in m.columns]


def test_minimal_sectors_matrix(minimal_folder: Path) -> None:
    m = matrix(load_folder(minimal_folder), "sectors")
    # stage names primary-care; a partner is social-work; nothing else recorded.
    assert states(m, "case-a") == [P, A, A, P, A, A, A]
    assert m.cell("case-a", "social-work").count == 1
    assert m.cell("case-a", "social-work").evidence[0].path == "partners[0]"
    assert m.cell("case-a", "primary-care").evidence[0].path == "story[0]"


def test_minimal_arenas_matrix(minimal_folder: Path) -> None:
    m = matrix(load_folder(minimal_folder), "arenas")
    assert states(m, "case-a") == [P, A, A]


def test_unknown_partners_are_unknown_not_absent(tmp_path: Path, minimal_folder: Path) -> None:
    text = MINIMAL_CASE.replace(
        "partners:\n  - sector: social-work\n    text: Social work joined.\n    sources: [src-a]\n",
        "partners: {unknown: true}\n",
    )
    (minimal_folder / "case-a.yaml").write_text(text)
    m = matrix(load_folder(minimal_folder), "sectors")
    # The stage still names primary care; every other sector is unknown.
    assert states(m, "case-a") == [P, U, U, U, U, U, U]
    assert m.cell("case-a", "hwb").count == 0


def test_bundled_composite_and_in_depth_cases(bundled: Dataset) -> None:
    m = matrix(bundled, "sectors")
    # The report names four sectors and is silent on the rest: unknown, not absent.
    assert states(m, "composite-frail-elderly") == [P, P, P, P, U, U, U]
    # The sources name the partners, not the stage they joined in: one statement each.
    assert m.cell("composite-frail-elderly", "social-work").count == 1
    for n in range(1, 7):
        assert set(states(m, f"in-depth-{n}")) == {U}
    arenas = matrix(bundled, "arenas")
    assert states(arenas, "composite-frail-elderly") == [P, P, P]
    # One statement per arena: the sources give no story stages to count as well.
    assert [arenas.cell("composite-frail-elderly", k).count for k, _ in arenas.columns] == [1, 1, 1]
    assert set(states(arenas, "in-depth-3")) == {U}


def test_illustrative_matrices(illustrative: Dataset) -> None:
    m = matrix(illustrative, "sectors")
    assert states(m, "riverside-frailty") == [P, P, P, P, P, P, A]
    assert states(m, "hillside-diabetes") == [P, P, A, A, A, A, A]
    arenas = matrix(illustrative, "arenas")
    assert states(arenas, "hillside-diabetes") == [P, P, U]


def test_themes_matrix_with_user_tags(illustrative: Dataset) -> None:
    m = matrix(illustrative, "themes", tags={"hillside-diabetes": ["follow-up"]})
    keys = [k for k, _ in m.columns]
    assert "tag:follow-up" in keys and "frail-elderly" in keys
    assert m.cell("hillside-diabetes", "tag:follow-up").state is P
    assert m.cell("riverside-frailty", "tag:follow-up").state is A


def test_unknown_dimension() -> None:
    with pytest.raises(ValueError, match="sectors, arenas, themes"):
        matrix(Dataset(studies=[], sources=[], cases=[]), "colours")


def test_stage_arena(illustrative: Dataset, bundled: Dataset) -> None:
    case = illustrative.case("riverside-frailty")
    assert case is not None
    m = stage_arena(case)
    assert [r for r, _ in m.rows] == ["mandate", "programme-board", "huddles"]
    assert states(m, "mandate") == [P, A, A]
    assert states(m, "huddles") == [A, A, P]
    unknown_story = bundled.case("in-depth-1")
    assert unknown_story is not None
    assert set(states(stage_arena(unknown_story), "story")) == {U}


def test_compare_marks_differences(illustrative: Dataset) -> None:
    result = compare(illustrative, ["riverside-frailty", "hillside-diabetes"])
    rows = {r.field: r for r in result.rows}
    assert not rows["kind"].differs and not rows["study"].differs
    assert rows["place"].differs
    assert rows["stages: board"].values == [
        ["Board adopts frailty as a priority"],
        ["Board chooses to tender the service"],
    ]
    assert rows["partners: hwb"].values == [
        ["Riverside Health and Wellbeing Board (fictional)"],
        [],
    ]
    assert rows["population"].values[1] == ["? Not reported in available sources"]
    with pytest.raises(KeyError):
        compare(illustrative, ["riverside-frailty", "nope"])


def test_study_stats_and_chart(bundled: Dataset) -> None:
    stats = study_stats(bundled, "ccg-clinical-leadership")
    assert stats.cases_by_kind == {
        "in-depth": 6,
        "scoping": 1,
        "composite": 1,
        "illustrative": 0,
        "related-study": 0,
    }
    assert [p.number for p in stats.phases] == [1, 2, 3, 4, 5]
    assert stats.unverified == 7  # every survey-mirror statement (issue 15 added five)
    chart = bar_chart(stats.measures, width=10)
    assert "UNVERIFIED" in chart[0]
    assert chart[1] == "  2014  ███░░░░░░░ 33%"
    assert chart[2] == "  2016  █████░░░░░ 54%"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_matrix_formats() -> None:
    code, out, _ = run("matrix", "--by", "sectors", "--format", "json")
    data = json.loads(out)
    composite = next(r for r in data["rows"] if r["id"] == "composite-frail-elderly")
    assert composite["cells"]["social-work"]["state"] == "present"
    assert composite["cells"]["social-work"]["statements"][0]["sources"] == ["storey2018"]
    code, out, _ = run("matrix", "--by", "arenas", "--format", "csv")
    assert code == 0 and out.splitlines()[0] == "id,board,programme,practice"
    assert "in-depth-1,?,?,?" in out.splitlines()
    code, out, _ = run("matrix", "--format", "md")
    assert code == 0 and out.startswith("| case | Primary care |")
    code, out, _ = run("matrix")
    assert code == 0 and "composite-frail-" in out and "unknown" in out


def test_cli_compare() -> None:
    code, out, _ = run("compare", "composite-frail-elderly", "in-depth-1", "--format", "json")
    assert code == 0
    rows = {r["field"]: r for r in json.loads(out)["rows"]}
    assert rows["kind"]["values"] == [["composite"], ["in-depth"]] and rows["kind"]["differs"]
    code, _, err = run("compare", "composite-frail-elderly")
    assert code == 2 and "at least two" in err
    code, _, err = run("compare", "composite-frail-elderly", "nope-zzz")
    assert code == 1 and "no case matches" in err


def test_cli_study_stats() -> None:
    code, out, _ = run("study", "--stats")
    assert code == 0 and "in-depth 6" in out and "⚠ UNVERIFIED" in out and "54%" in out
    code, out, _ = run("study", "--stats", "--format", "json")
    assert json.loads(out)["cases_by_kind"]["in-depth"] == 6


def test_matrix_markdown_escapes_pipes(tmp_path: Path, minimal_folder: Path) -> None:
    (minimal_folder / "case-a.yaml").write_text(MINIMAL_CASE.replace("Case A", '"A | B"'))
    write_folder(minimal_folder, {})
    code, out, _ = run("--cases", str(minimal_folder), "matrix", "--format", "md")
    assert code == 0 and "A \\| B" in out


def test_study_stats_from_the_stores_index_equal_those_from_the_folder(
    isolated_db: Path, bundled: Dataset
) -> None:
    from ccgtui.lazy_cases import LazyCases
    from tests.conftest import BUNDLED_CASES, reopened_store

    lazy = reopened_store(isolated_db, BUNDLED_CASES).dataset()
    assert isinstance(lazy.cases, LazyCases)
    for study in bundled.studies:
        assert study_stats(lazy, study.id) == study_stats(bundled, study.id)
    assert lazy.cases.validated_count() == 0  # counted from the index alone
