"""YAML 1.1 may not rewrite citation values (issue 13, item 10).

``issue: 012`` became "10", ``volume: 1.10`` "1.1", ``period: 1:30:00`` "5400",
``.inf`` "inf", and all of it passed ``validate --strict``.  Text fields now keep
the scalar exactly as written; fields that are numbers or booleans still read them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ccgtui.loader import LoadError, load_folder
from tests.conftest import MINIMAL_CASE, MINIMAL_SOURCES, MINIMAL_STUDY, write_folder

WRITTEN = {  # field: the plain scalar as written, which YAML 1.1 would turn into a number
    "volume": "1.10",
    "issue": "012",
    "pages": "1:30:00",
    "container": ".inf",
    "doi": "10.1000/1e5",
}


def _folder(root: Path, sources: str = MINIMAL_SOURCES, study: str = MINIMAL_STUDY) -> Path:
    return write_folder(
        root, {"sources.yaml": sources, "study.yaml": study, "case-a.yaml": MINIMAL_CASE}
    )


def test_citation_fields_keep_the_scalar_as_written(tmp_path: Path) -> None:
    sources = MINIMAL_SOURCES.replace("    container: A Journal\n", "").replace(
        "    doi: 10.1000/xyz\n", "".join(f"    {key}: {value}\n" for key, value in WRITTEN.items())
    )
    source = load_folder(_folder(tmp_path / "cases", sources)).sources[0]
    assert {key: getattr(source, key) for key in WRITTEN} == WRITTEN
    assert "1.10(012):1:30:00" in source.citation()


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("1:30:00", "1:30:00"),  # sexagesimal: was 5400
        ("2015-03-01", "2015-03-01"),  # a date: was a datetime.date, refused as not text
        ("0x1F", "0x1F"),  # hexadecimal: was 31
        ("1_000", "1_000"),  # was 1000
        ("No", "No"),  # a boolean: was refused as not text
        ("-.inf", "-.inf"),
    ],
)
def test_a_phase_period_is_text_as_written(tmp_path: Path, written: str, kept: str) -> None:
    study = MINIMAL_STUDY.replace(
        "    name: Scoping\n", f"    name: Scoping\n    period: {written}\n"
    )
    dataset = load_folder(_folder(tmp_path / "cases", study=study))
    assert dataset.studies[0].phases[0].period == kept


def test_numbers_and_booleans_still_work_where_the_field_is_one(tmp_path: Path) -> None:
    study = MINIMAL_STUDY.replace("  - number: 1\n", "  - number: 2\n") + (
        "surveys:\n"
        "  - {id: s1, year: 2015, population: {text: P}, mode: {text: M}}\n"
        "measures:\n"
        "  - {id: m1, label: L, text: T, values: {2015: 45.5, 2016: 50}}\n"
        "illustrative: True\n"
        "funder: {unknown: yes}\n"
    )
    dataset = load_folder(_folder(tmp_path / "cases", study=study))
    chosen = dataset.studies[0]
    assert chosen.phases[0].number == 2
    assert chosen.surveys[0].year == 2015
    assert chosen.measures[0].values == {2015: 45.5, 2016: 50.0}
    assert chosen.illustrative is True
    assert chosen.funder is not None and chosen.funder.unknown is True
    assert dataset.sources[0].year == 2018


def test_a_whole_field_marked_unknown_still_reads_true(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "cases")
    (folder / "case-a.yaml").write_text(MINIMAL_CASE + "enablers: {unknown: true}\n")
    case = load_folder(folder).cases[0]
    assert case.enablers.unknown is True  # type: ignore[union-attr]


def test_text_in_a_number_field_is_still_a_problem(tmp_path: Path) -> None:
    sources = MINIMAL_SOURCES.replace("year: 2018", "year: 1:30:00")
    with pytest.raises(LoadError) as info:
        load_folder(_folder(tmp_path / "cases", sources))
    (problem,) = [p for p in info.value.problems if p.file.endswith("sources.yaml")]
    assert problem.field == "sources[0].year" and problem.line == 5
    assert problem.message == "expected a whole number, got '1:30:00'"
