"""``ccgtui import qdpx`` (issue 17 item 2): a REFI-QDA project into a new case folder.

A ccgtui export comes back as it was: export, import and export again give the same
bytes, so the same codes, cases and selection offsets (and a parsed comparison says
which differ if they ever do).  Another tool's project becomes cases with findings
citing its text sources and the codes as themes, and the report names, per element,
what had no place.  The old ``ccgtui import FILE FOLDER`` usage goes on working.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import yaml
from click.testing import CliRunner, Result

from ccgtui.cli import cli
from ccgtui.loader import load_folder
from ccgtui.model import Unknown
from ccgtui.wording import NOT_REPORTED
from tests.conftest import BUNDLED_CASES, ILLUSTRATIVE
from tests.hostile.qdpx_files import FIRST, SECOND, foreign_qde, write_qdpx

Q = "{urn:QDA-XML:project:1.0}"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def export(folder: Path, out: Path, *extra: str) -> bytes:
    result = run("--cases", str(folder), "export", "qdpx", *extra, "-o", str(out))
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def parsed(data: bytes) -> dict[str, object]:
    """What other tools read: codes, cases with variables, selections with offsets."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = ET.fromstring(archive.read("project.qde"))
    return {
        "codes": [
            (c.get("guid"), c.get("name"), c.findtext(f"{Q}Description"))
            for c in root.iter(f"{Q}Code")
        ],
        "cases": [ET.tostring(c) for c in root.iter(f"{Q}Case")],
        "selections": [
            (
                s.get("name"),
                s.get("startPosition"),
                s.get("endPosition"),
                [r.get("targetGUID") for r in s.iter(f"{Q}CodeRef")],
            )
            for s in root.iter(f"{Q}PlainTextSelection")
        ],
    }


@pytest.mark.parametrize("folder", [BUNDLED_CASES, ILLUSTRATIVE], ids=["bundled", "illustrative"])
@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
def test_export_import_export_gives_the_same_project(
    tmp_path: Path, folder: Path, crlf: bool
) -> None:
    first = export(folder, tmp_path / "first.qdpx", *(["--crlf"] if crlf else []))
    cases = tmp_path / "imported"
    result = run("import", "qdpx", str(tmp_path / "first.qdpx"), "-o", str(cases))
    assert result.exit_code == 0, result.output
    assert run("--cases", str(cases), "validate").exit_code == 0
    again = export(cases, tmp_path / "again.qdpx", *(["--crlf"] if crlf else []))
    assert parsed(again) == parsed(first)
    assert again == first  # the same bytes, source texts included


@pytest.mark.parametrize("folder", [BUNDLED_CASES, ILLUSTRATIVE], ids=["bundled", "illustrative"])
def test_the_imported_cases_are_the_originals(tmp_path: Path, folder: Path) -> None:
    """Every case field comes back: statements with their sources, flags, notes and
    quote marks; stages and partners with their ids, titles, periods, roles."""
    export(folder, tmp_path / "out.qdpx")
    assert (
        run("import", "qdpx", str(tmp_path / "out.qdpx"), "-o", str(tmp_path / "c")).exit_code == 0
    )
    before, after = load_folder(folder), load_folder(tmp_path / "c")
    assert list(after.cases) == list(before.cases)
    lost = {"type", "volume", "issue", "pages", "variants"}  # not in a REFI-QDA project
    assert [s.model_dump(exclude=lost) for s in after.sources] == [
        s.model_dump(exclude=lost) for s in before.sources
    ]
    studies = [(s.id, s.title, s.illustrative) for s in after.studies]
    assert studies == [(s.id, s.title, s.illustrative) for s in before.studies]


def test_unknowns_stay_unknown(tmp_path: Path) -> None:
    export(BUNDLED_CASES, tmp_path / "b.qdpx")
    assert run("import", "qdpx", str(tmp_path / "b.qdpx"), "-o", str(tmp_path / "c")).exit_code == 0
    case = next(c for c in load_folder(tmp_path / "c").cases if c.id == "in-depth-1")
    assert (
        case.place.unknown
        and isinstance(case.story, Unknown)
        and isinstance(case.partners, Unknown)
    )
    assert case.place.text.startswith("Locality not reported")


def test_another_tools_project_becomes_a_valid_folder_and_a_report(tmp_path: Path) -> None:
    qdpx = write_qdpx(tmp_path / "team.qdpx", foreign_qde())
    out, report = tmp_path / "team", tmp_path / "unmapped.txt"
    result = run("import", "qdpx", str(qdpx), "-o", str(out), "--report", str(report))
    assert result.exit_code == 0, result.output
    assert run("--cases", str(out), "validate").exit_code == 0
    dataset = load_folder(out)
    (case,) = dataset.cases
    assert (case.id, case.label, case.kind.value) == ("northtown-ccg", "Northtown CCG", "in-depth")
    assert [f.text for f in case.findings] == [FIRST, SECOND]  # sliced exactly
    assert [f.note for f in case.findings] == ["The chair's own words.", None]  # the memo
    interview = next(s for s in dataset.sources if s.title == "Interview 1")
    assert all(f.sources == [interview.id] for f in case.findings)
    assert case.themes == ["Priority setting", "Partnership", "Whole document"]
    assert case.place.text == "Northtown" and case.place.sources  # cites the project
    assert case.population.unknown and case.population.text == NOT_REPORTED  # no value given
    assert dataset.studies[0].title == "Frailty & leadership"
    lines = report.read_text(encoding="utf-8").splitlines()
    for expected in (
        "variable 'Region' not imported",  # per element, named
        "no kind variable; set to in-depth",
        "source 'Minutes.pdf': not imported (a PDFSource",
        "Notes (1): not imported",
        "1 codes on no case's text: 'Never used'",
        "type other and level primary",
    ):
        assert any(expected in line for line in lines), (expected, lines)


def test_kind_option_and_report_on_stderr(tmp_path: Path) -> None:
    qdpx = write_qdpx(tmp_path / "team.qdpx", foreign_qde())
    result = run("import", "qdpx", str(qdpx), "-o", str(tmp_path / "t"), "--kind", "scoping")
    assert result.exit_code == 0, result.output
    assert "not mapped" in result.stderr and "set to scoping" in result.stderr
    assert (
        yaml.safe_load(next((tmp_path / "t").glob("*northtown*.yaml")).read_text())["kind"]
        == "scoping"
    )


def test_old_usage_still_works_and_detects_a_qdpx(tmp_path: Path) -> None:
    data = tmp_path / "all.json"
    assert run("--cases", str(ILLUSTRATIVE), "export", "json", "-o", str(data)).exit_code == 0
    assert run("import", str(data), str(tmp_path / "from-json")).exit_code == 0
    assert run("import", "json", str(data), str(tmp_path / "from-json-2")).exit_code == 0
    export(ILLUSTRATIVE, tmp_path / "ill.qdpx")
    result = run("import", str(tmp_path / "ill.qdpx"), str(tmp_path / "from-qdpx"))
    assert result.exit_code == 0, result.output
    assert len(load_folder(tmp_path / "from-qdpx").cases) == 2


def test_a_folder_that_is_not_empty_is_refused(tmp_path: Path) -> None:
    qdpx = write_qdpx(tmp_path / "team.qdpx", foreign_qde())
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "mine.yaml").write_text("keep: me\n")
    result = run("import", "qdpx", str(qdpx), "-o", str(tmp_path / "full"))
    assert result.exit_code == 1 and "not an empty folder" in result.stderr
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["mine.yaml"]


def test_help_shows_both_forms() -> None:
    result = run("import", "--help")
    assert "ccgtui import all.json my-cases" in result.output
    assert "ccgtui import qdpx team.qdpx -o team-cases" in result.output


def test_a_project_without_cases_gets_a_case_per_coded_text_source(tmp_path: Path) -> None:
    start, end = foreign_qde().index("<Cases>"), foreign_qde().index("</Cases>") + len("</Cases>")
    qde = foreign_qde()[:start] + foreign_qde()[end:]
    result = run(
        "import", "qdpx", str(write_qdpx(tmp_path / "q.qdpx", qde)), "-o", str(tmp_path / "o")
    )
    assert result.exit_code == 0, result.output
    (case,) = load_folder(tmp_path / "o").cases
    assert case.label == "Interview 1" and [f.text for f in case.findings] == [FIRST, SECOND]
    assert "the project has no cases" in result.stderr


def test_an_existing_report_file_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    qdpx = write_qdpx(tmp_path / "team.qdpx", foreign_qde())
    (tmp_path / "r.txt").write_text("mine\n")
    out = tmp_path / "t"
    result = run("import", "qdpx", str(qdpx), "-o", str(out), "--report", str(tmp_path / "r.txt"))
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert not out.exists() and (tmp_path / "r.txt").read_text() == "mine\n"
