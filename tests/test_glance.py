"""ccgtui.glance: who led it and who took part, one line each; and ``show --brief``."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from ccgtui.cli.main import cli
from ccgtui.glance import arena_line, brief, partner_line
from ccgtui.model import Case, Dataset
from ccgtui.wording import COMPOSITE_BANNER, NONE_RECORDED, NOT_REPORTED
from tests.conftest import write_folder
from tests.tui.conftest import fixture_files


def case(**fields: object) -> Case:
    base: dict[str, object] = {"id": "c", "study": "s", "kind": "in-depth", "label": "C"}
    return Case.model_validate({**base, **fields})


def said(text: str) -> dict[str, object]:
    return {"text": text, "sources": ["src"]}


def test_arenas_in_one_line_with_counts_and_unknowns() -> None:
    mixed = case(
        arenas={"board": [said("a"), said("b")], "programme": {"unknown": True}},
        story=[{"id": "s1", "title": "T", "arena": "practice", **said("c")}],
    )
    assert arena_line(mixed) == (
        "Leadership: two arenas (1 ?) — board 2, programme board ?, point of delivery 1 statements"
    )


def test_an_arena_the_case_does_not_mention_is_none_not_unknown() -> None:
    only_board = case(arenas={"board": [said("a")]})
    assert arena_line(only_board) == (
        "Leadership: one arena — board 1, programme board none, point of delivery none statements"
    )


def test_no_arena_reported_reads_as_unknown() -> None:
    assert arena_line(case(story={"unknown": True})) == f"Leadership: ? {NOT_REPORTED}"
    assert arena_line(case()) == f"Leadership: {NONE_RECORDED}"  # recorded as empty


def test_partners_in_one_line_silent_sectors_as_unknown() -> None:
    c = case(
        partners=[
            {"sector": "social-work", **said("a")},
            {"sector": "social-work", **said("b")},
            {"sector": "primary-care", **said("c")},
        ],
        sectors_unknown={"sectors": ["hwb", "other"], "sources": ["src"]},
    )
    assert partner_line(c) == (
        "Partners: 2 sectors — Primary care 1, Social work 2; ? Health and Wellbeing Board, Other"
    )
    assert partner_line(case(partners={"unknown": True})) == f"Partners: ? {NOT_REPORTED}"


def test_the_brief_is_five_lines_with_banner_and_cited_finding() -> None:
    c = case(
        kind="composite",
        findings=[{"text": "It worked.", "sources": ["src", "other"], "unverified": True}],
    )
    lines = brief(c, Dataset(studies=[], sources=[], cases=[c]))
    assert len(lines) == 5
    assert lines[0] == "C (c)"
    assert lines[1] == COMPOSITE_BANNER
    assert lines[4] == "Key finding: It worked. [src, other] ⚠ unverified"


def test_show_brief_prints_the_five_lines(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "cases", fixture_files())
    runner = CliRunner()
    result = runner.invoke(cli, ["--cases", str(folder), "show", "fix-comp", "--brief"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines == [
        "Fixture frail elderly integration (fix-composite)",
        COMPOSITE_BANNER,
        "Leadership: all three arenas — board 2, programme board 1, point of delivery 1 statements",
        "Partners: 5 sectors — Primary care 1, Secondary care 2, Community care 1, Social work 2, "
        "Patients and public 1",
        "Key finding: Leadership spanned three arenas. [fix-article]",
    ]
    both = runner.invoke(
        cli, ["--cases", str(folder), "show", "fix-comp", "--brief", "--section", "story"]
    )
    assert both.exit_code == 2
