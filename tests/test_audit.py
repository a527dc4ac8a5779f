"""Strict checks and coverage counts on small handmade folders."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from ccgtui.audit import coverage, strict_problems
from ccgtui.cli import cli
from ccgtui.loader import load_folder
from tests.conftest import MINIMAL_CASE, MINIMAL_SOURCES


def test_coverage_counts_exactly(minimal_folder: Path) -> None:
    cov = coverage(load_folder(minimal_folder))
    # study: objective + 1 phase; case: place (unknown) + population + service_area
    # (default unknowns) + 1 stage + 1 partner.
    assert (cov.studies, cov.cases, cov.sources) == (1, 1, 1)
    assert cov.statements == 7
    assert (cov.known, cov.cited, cov.unknowns) == (4, 4, 3)
    assert cov.unknowns_by_field == {"place": 1, "population": 1, "service_area": 1}
    assert cov.share_cited == 1.0 and cov.unverified == 0 and cov.conflicts == []


def test_strict_catches_an_uncited_statement(minimal_folder: Path) -> None:
    (minimal_folder / "case-a.yaml").write_text(
        MINIMAL_CASE + "enablers:\n  - text: Uncited claim.\n"
    )
    dataset = load_folder(minimal_folder)
    assert strict_problems(dataset) == [
        "case case-a: enablers[0]: statement has no source: 'Uncited claim.'"
    ]
    assert coverage(dataset).share_cited == 4 / 5


def test_strict_catches_a_source_without_link(minimal_folder: Path) -> None:
    (minimal_folder / "sources.yaml").write_text(
        MINIMAL_SOURCES.replace("    doi: 10.1000/xyz\n", "")
    )
    assert strict_problems(load_folder(minimal_folder)) == [
        "source src-a: has neither a DOI nor a URL"
    ]


def test_validate_strict_exit_codes(minimal_folder: Path) -> None:
    result = CliRunner().invoke(cli, ["--cases", str(minimal_folder), "validate", "--strict"])
    assert result.exit_code == 0 and "(100.0%)" in result.stdout
    (minimal_folder / "case-a.yaml").write_text(MINIMAL_CASE + "enablers:\n  - text: x\n")
    result = CliRunner().invoke(cli, ["--cases", str(minimal_folder), "validate", "--strict"])
    assert result.exit_code == 1 and "statement has no source" in result.stderr


def test_conflict_notes_are_counted(minimal_folder: Path) -> None:
    (minimal_folder / "sources.yaml").write_text(
        MINIMAL_SOURCES + '    notes: ["Conflict: pages differ"]\n'
    )
    assert coverage(load_folder(minimal_folder)).conflicts == [
        "source src-a: Conflict: pages differ"
    ]


def test_data_format_doc_example_case_is_valid(tmp_path: Path) -> None:
    """The case example in docs/data-format.md loads as written."""
    from tests.conftest import REPO, write_folder

    doc = (REPO / "docs" / "data-format.md").read_text(encoding="utf-8")
    block = doc.split("## A case file")[1].split("```yaml\n")[1].split("```")[0]
    sources = "sources:\n" + "".join(
        f"  - {{id: {sid}, type: other, title: T, level: primary, url: https://example.org}}\n"
        for sid in ("minutes", "interviews")
    )
    study = "id: illustrative-study\ntitle: T\nillustrative: true\n"
    folder = write_folder(
        tmp_path / "doc", {"sources.yaml": sources, "study.yaml": study, "case.yaml": block}
    )
    case = load_folder(folder).cases[0]
    assert case.id == "riverside-frailty" and case.illustrative


def test_conflicts_are_counted_once_per_topic(minimal_folder: Path) -> None:
    # One disagreement noted on both statements and on the source is one conflict; a
    # recorded variant is one more; a note without a topic stands alone.
    (minimal_folder / "sources.yaml").write_text(
        MINIMAL_SOURCES
        + '    notes: ["Conflict of start dates: the page says May.", "Conflict: odd."]\n'
        + "    variants: [{field: year, value: '2017', given_by: repository}]\n"
    )
    (minimal_folder / "case-a.yaml").write_text(
        MINIMAL_CASE
        + "enablers:\n"
        + "  - {text: a, sources: [src-a], note: 'Conflict of  Start Dates: April.'}\n"
    )
    cov = coverage(load_folder(minimal_folder))
    assert cov.conflict_topics == ["start dates", "Conflict: odd.", "year of src-a"]
    assert len(cov.conflicts) == 4
    result = CliRunner().invoke(cli, ["--cases", str(minimal_folder), "validate", "--strict"])
    assert "conflicts:            3 distinct (4 mentions)" in result.stdout
