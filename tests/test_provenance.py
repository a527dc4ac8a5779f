"""Provenance in every output (issue 15): the same statement carries the same source id,
unverified mark, note and composite banner in ``show`` (every section), ``compare``,
``matrix`` and the md/html/csv/json exports, and sectors the sources are silent on read
as unknown, never absent."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccgtui.cli import cli
from ccgtui.wording import (
    COMPOSITE_BANNER,
    COMPOSITE_MARK,
    ILLUSTRATIVE_BANNER,
    ILLUSTRATIVE_MARK,
    ILLUSTRATIVE_SOURCE_BANNER,
    ILLUSTRATIVE_SOURCE_MARK,
    NONE_RECORDED,
    NOT_REPORTED,
    SOURCE_NOT_DEFINED,
    UNKNOWN_PREFIX,
    UNVERIFIED_MARK,
)
from tests.conftest import MINIMAL_CASE, MINIMAL_STUDY, write_folder

SOURCES = """\
sources:
  - id: src-a
    type: article
    authors: [Doe J]
    year: 2018
    title: A paper
    container: A Journal
    volume: "3"
    pages: 10-20
    level: primary
  - id: src-b
    type: article
    authors: [Roe K]
    year: 2015
    title: Another paper
    container: B Journal
    volume: "29"
    pages: 75-91
    level: secondary
    notes: [The repository copy gives other pages.]
    variants:
      - {field: pages, value: 75-81, given_by: repository}
"""

STUDY = (
    MINIMAL_STUDY
    + """\
surveys:
  - id: s2014
    year: 2014
    population: {text: All CCG board members., sources: [src-a]}
    mode: {text: Postal questionnaire., sources: [src-a]}
"""
)

COMPOSITE = """\
id: synth
study: study-a
kind: composite
label: Synthesis
story: {unknown: true, text: No sequence is reported, sources: [src-a]}
arenas:
  board:
    - text: The board gave legitimacy.
      sources: [src-a]
partners:
  - sector: social-work
    text: Social work joined the redesign.
    sources: [src-b]
    unverified: true
    note: Only the copy says so.
sectors_unknown:
  sectors: [hwb]
  text: Whether the HWB took part is not reported
  sources: [src-a]
enablers:
  - text: Shared aims helped.
    sources: [src-b]
    unverified: true
    note: Only the copy says so.
"""

PARTNER = "Social work joined the redesign."


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_folder(
        tmp_path / "cases",
        {
            "sources.yaml": SOURCES,
            "study.yaml": STUDY,
            "case-a.yaml": MINIMAL_CASE,
            "synth.yaml": COMPOSITE,
        },
    )


def run(folder: Path, *args: str, width: int = 80) -> str:
    result = CliRunner(env={"COLUMNS": str(width)}).invoke(
        cli, ["--cases", str(folder), *args], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    return result.stdout


def line_with(text: str, out: str) -> str:
    found = [line for line in out.splitlines() if text in line]
    assert found, f"{text!r} not in:\n{out}"
    return found[0]


# -- show ------------------------------------------------------------------------------


def test_show_carries_banner_sources_mark_and_note(folder: Path) -> None:
    out = run(folder, "show", "synth")
    assert out.startswith(COMPOSITE_BANNER)
    line = line_with(PARTNER, out)
    assert "[src-b]" in line and UNVERIFIED_MARK in line and "Only the copy says so." in line


@pytest.mark.parametrize(
    "section", ["overview", "story", "arenas", "partners", "evidence", "sources", "ids"]
)
def test_every_show_section_starts_with_the_composite_banner(folder: Path, section: str) -> None:
    out = run(folder, "show", "synth", "--section", section)
    assert out.splitlines()[0] == COMPOSITE_BANNER


def test_show_section_of_an_illustrative_case_has_its_banner(tmp_path: Path) -> None:
    from tests.conftest import ILLUSTRATIVE

    out = run(ILLUSTRATIVE, "show", "riverside-frailty", "--section", "partners")
    assert out.splitlines()[0] == ILLUSTRATIVE_BANNER


def test_show_partners_lists_the_silent_sectors_as_unknown(folder: Path) -> None:
    out = run(folder, "show", "synth", "--section", "partners")
    line = line_with("Health and Wellbeing Board", out)
    assert "?" in line or "UNKNOWN" in line
    assert "Whether the HWB took part is not reported [src-a]" in out


def test_show_sources_give_level_notes_and_variants(folder: Path) -> None:
    out = run(folder, "show", "synth", "--section", "sources")
    assert "75-91 [repository: 75-81]" in out and "level: secondary" in out
    assert "The repository copy gives other pages." in out


# -- compare ---------------------------------------------------------------------------


def test_compare_table_carries_sources_mark_note_and_banner(folder: Path) -> None:
    out = run(folder, "compare", "synth", "case-a", width=250)
    assert COMPOSITE_BANNER in out and f"synth {COMPOSITE_MARK}" in out
    line = line_with("Social work joined", out)
    assert "[src-b]" in line and UNVERIFIED_MARK in line and "Only the copy says so." in line


def test_compare_md_carries_sources_mark_and_banner(folder: Path) -> None:
    out = run(folder, "compare", "synth", "case-a", "--format", "md")
    assert COMPOSITE_MARK.replace("[", "\\[").replace("]", "\\]") in out
    assert COMPOSITE_BANNER in out
    row = line_with("partners: social-work", out)
    assert "\\[src-b\\]" in row and UNVERIFIED_MARK in row


def test_compare_json_carries_statements_with_provenance(folder: Path) -> None:
    data = json.loads(run(folder, "compare", "synth", "case-a", "--format", "json"))
    assert data["banners"] == {"synth": [COMPOSITE_BANNER]}
    row = next(r for r in data["rows"] if r["field"] == "partners: social-work")
    (stmt,) = row["statements"][0]
    assert stmt["sources"] == ["src-b"] and stmt["unverified"] is True
    assert stmt["note"] == "Only the copy says so."


def test_compare_shows_silent_sectors_as_unknown(folder: Path) -> None:
    data = json.loads(run(folder, "compare", "synth", "case-a", "--format", "json"))
    row = next(r for r in data["rows"] if r["field"] == "partners: hwb")
    assert row["values"][0][0].startswith("?")
    assert row["statements"][0][0]["sources"] == ["src-a"]


# -- matrix ----------------------------------------------------------------------------


def test_matrix_json_cells_carry_paths_sources_and_marks(folder: Path) -> None:
    data = json.loads(run(folder, "matrix", "--format", "json"))
    row = next(r for r in data["rows"] if r["id"] == "synth")
    assert row["banners"] == [COMPOSITE_BANNER]
    (stmt,) = row["cells"]["social-work"]["statements"]
    assert stmt["path"] == "partners[0]" and stmt["sources"] == ["src-b"]
    assert stmt["unverified"] is True and stmt["note"] == "Only the copy says so."
    hwb = row["cells"]["hwb"]
    assert hwb["state"] == "unknown" and hwb["statements"][0]["path"] == "sectors_unknown"


def test_matrix_table_marks_the_composite_row(folder: Path) -> None:
    out = run(folder, "matrix")
    assert f"synth {COMPOSITE_MARK}" in out
    assert COMPOSITE_BANNER in " ".join(out.split())


def test_matrix_evidence_traces_every_cell(folder: Path) -> None:
    out = run(folder, "matrix", "--evidence")
    flat = " ".join(out.split())
    assert "synth × social-work: ✓ 1" in flat
    assert f"partners[0]: {PARTNER} [src-b] {UNVERIFIED_MARK}" in flat
    assert "synth × hwb: ?" in flat and "sectors_unknown:" in flat


# -- exports ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html", "csv"])
def test_matrix_export_marks_the_composite_row(folder: Path, fmt: str) -> None:
    text = run(folder, "export", fmt, "--what", "matrix", "-o", "-")
    assert COMPOSITE_MARK in text.replace("\\", "")
    if fmt != "csv":  # CSV: the mark in the label column; the banner is in the case CSV
        assert COMPOSITE_BANNER in text


def test_matrix_export_json_carries_banner_and_sources(folder: Path) -> None:
    data = json.loads(run(folder, "export", "json", "--what", "matrix", "-o", "-"))
    row = next(r for r in data["rows"] if r["id"] == "synth")
    assert row["banners"] == [COMPOSITE_BANNER]
    assert row["cells"]["social-work"]["statements"][0]["unverified"] is True


def export(folder: Path, fmt: str, *extra: str) -> str:
    return run(folder, "export", fmt, *extra, "-o", "-")


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_briefing_carries_banner_mark_and_source_details(folder: Path, fmt: str) -> None:
    text = export(folder, fmt)
    assert COMPOSITE_BANNER in text
    assert UNVERIFIED_MARK in line_with(PARTNER.rstrip("."), text)
    refs = text[text.index("References") :]
    src_b = line_with("Another paper", refs)
    assert "75-91 [repository: 75-81]" in src_b.replace("\\", "")
    assert "secondary" in src_b
    assert "The repository copy gives other pages." in refs
    assert "primary" in line_with("A paper", refs)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_briefing_lists_silent_sectors_and_survey_mode(folder: Path, fmt: str) -> None:
    text = export(folder, fmt)
    assert "Whether the HWB took part is not reported" in text
    assert "Postal questionnaire." in text


def test_briefing_lists_each_composite_arena_statement_once() -> None:
    from tests.conftest import BUNDLED_CASES

    text = run(BUNDLED_CASES, "export", "md", "--case", "composite-frail-elderly", "-o", "-")
    items = [line for line in text.splitlines() if line.startswith("- ")]
    repeated = {i for i in items if items.count(i) > 1}
    assert repeated == set()


def test_csv_case_rows_carry_banner_and_unknown_sectors(folder: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(export(folder, "csv"))))
    synth = next(r for r in rows if r["id"] == "synth")
    assert synth["banner"] == COMPOSITE_BANNER
    assert synth["sectors_unknown"] == "hwb"
    assert "src-b" in synth["sources"].split()


def test_csv_long_rows_carry_sources_mark_note_and_banner(folder: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(export(folder, "csv", "--long"))))
    row = next(r for r in rows if r["text"] == PARTNER)
    assert row["sources"] == "src-b" and row["unverified"] == "True"
    assert row["note"] == "Only the copy says so." and row["banner"] == COMPOSITE_BANNER


def test_json_export_carries_banner_and_statement_flags(folder: Path) -> None:
    data = json.loads(export(folder, "json"))
    assert data["banners"] == {"synth": [COMPOSITE_BANNER]}
    synth = next(c for c in data["cases"] if c["id"] == "synth")
    assert synth["partners"][0]["sources"] == ["src-b"]
    assert synth["partners"][0]["unverified"] is True
    assert synth["sectors_unknown"]["sectors"] == ["hwb"]


# -- one home for each fixed wording ---------------------------------------------------

PACKAGE = Path(__file__).resolve().parents[1] / "ccgtui"
WORDINGS = [
    ILLUSTRATIVE_BANNER,
    COMPOSITE_BANNER,
    ILLUSTRATIVE_MARK,
    COMPOSITE_MARK,
    NOT_REPORTED,
    UNVERIFIED_MARK,
    NONE_RECORDED,
    ILLUSTRATIVE_SOURCE_BANNER,
    ILLUSTRATIVE_SOURCE_MARK,
    UNKNOWN_PREFIX,
    SOURCE_NOT_DEFINED,
]


@pytest.mark.parametrize("wording", WORDINGS)
def test_each_fixed_wording_is_written_once(wording: str) -> None:
    """Every front end, the explorer included, imports the wording from ccgtui.wording."""
    pattern = re.compile(re.escape(wording))
    places = [
        f"{path.relative_to(PACKAGE)}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for _ in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert places == ["wording.py"]


# A banner reworded in one front end ("ILLUSTRATIVE EXAMPLE: fictional, not study data")
# is a copy too: its first words may appear only in wording.py.
BANNER_OPENINGS = [b.split(" - ")[0] for b in (ILLUSTRATIVE_BANNER, COMPOSITE_BANNER)]


@pytest.mark.parametrize("opening", BANNER_OPENINGS)
def test_no_front_end_words_a_banner_its_own_way(opening: str) -> None:
    places = [
        f"{path.relative_to(PACKAGE)}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if opening.casefold() in path.read_text(encoding="utf-8").casefold()
    ]
    assert places == ["wording.py"]


def test_illustrative_banner_reads_the_same_in_show_and_exports() -> None:
    from tests.conftest import ILLUSTRATIVE

    shown = run(ILLUSTRATIVE, "show", "riverside-frailty")
    briefing = run(ILLUSTRATIVE, "export", "md", "-o", "-")
    assert shown.splitlines()[0] == ILLUSTRATIVE_BANNER
    assert ILLUSTRATIVE_BANNER in briefing
