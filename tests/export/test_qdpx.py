"""REFI-QDA exports (issue 17): qdpx and qdc validated against the official XSDs.

The schemas are in tests/data/refi-qda (MIT, provenance in its README).  Besides
validity, a QualCoder-style reading of the project checks what other tools rely
on: offsets that slice out each statement's text, lowercase ``sources/``, no BOM,
every reference pointing at an element that exists, and the same bytes each time.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xmlschema
from click.testing import CliRunner

from ccgtui.cli import cli
from ccgtui.export import Selection
from ccgtui.export.formats import Options, render, render_bytes
from ccgtui.export.qdpx import PROJECT_NS, xml_text
from ccgtui.loader import load_folder
from ccgtui.model import Dataset, iter_statements
from tests.conftest import BUNDLED_CASES, ILLUSTRATIVE

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "refi-qda"
PROJECT_XSD = xmlschema.XMLSchema(SCHEMAS / "Project.xsd")
CODEBOOK_XSD = xmlschema.XMLSchema(SCHEMAS / "Codebook.xsd")
Q = f"{{{PROJECT_NS}}}"
GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def qdpx(dataset: Dataset, options: Options | None = None) -> bytes:
    return render_bytes("qdpx", Selection(dataset, cases=list(dataset.cases)), options or Options())


def opened(data: bytes) -> tuple[str, dict[str, str]]:
    """project.qde's text and the zip's other members (name -> text)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        raw = archive.read("project.qde")
        assert not raw.startswith(b"\xef\xbb\xbf") and raw.startswith(b"<?xml")
        members = {n: archive.read(n).decode("utf-8") for n in archive.namelist()}
    members.pop("project.qde")
    return raw.decode("utf-8"), members


@pytest.fixture(params=["bundled", "illustrative"])
def dataset(request: pytest.FixtureRequest) -> Dataset:
    return request.getfixturevalue(request.param)  # type: ignore[no-any-return]


def test_qdpx_and_qdc_validate_against_the_official_xsds(dataset: Dataset) -> None:
    qde, _ = opened(qdpx(dataset))
    PROJECT_XSD.validate(qde)
    qdc = render("qdc", Selection(dataset, cases=list(dataset.cases)), Options())
    assert qdc.startswith("<?xml")
    CODEBOOK_XSD.validate(qdc)


def test_the_schema_rejects_a_broken_project() -> None:
    """The validation can fail: a selection without its required endPosition."""
    broken = (
        f'<Project xmlns="{PROJECT_NS}" name="x"><Sources><TextSource '
        'guid="11111111-1111-1111-1111-111111111111" plainTextPath="internal://a.txt">'
        '<PlainTextSelection guid="22222222-2222-2222-2222-222222222222" startPosition="0"/>'
        "</TextSource></Sources></Project>"
    )
    assert not PROJECT_XSD.is_valid(broken)


def test_offsets_slice_out_each_statements_text_exactly(dataset: Dataset) -> None:
    qde, members = opened(qdpx(dataset))
    root = ET.fromstring(qde)
    statements = {
        f"{case.id}/{path}": xml_text(item.text)
        for case in dataset.cases
        for path, item in iter_statements(case)
    }
    seen = set()
    for source in root.iter(f"{Q}TextSource"):
        path = source.get("plainTextPath", "")
        assert path.startswith("internal://") and source.get("richTextPath") is None
        text = members[f"sources/{path.removeprefix('internal://')}"]
        for sel in source.iter(f"{Q}PlainTextSelection"):
            start, end = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
            name = sel.get("name", "")
            assert text[start:end] == statements[name], name
            seen.add(name)
    assert seen == set(statements)  # every statement, stage and partner is a selection


def test_every_reference_points_at_an_element_and_guids_are_unique(bundled: Dataset) -> None:
    qde, members = opened(qdpx(bundled))
    assert all(name.startswith("sources/") for name in members)  # lowercase, ATLAS.ti
    root = ET.fromstring(qde)
    guids = [el.get("guid") for el in root.iter() if el.get("guid") is not None]
    assert len(guids) == len(set(guids))
    assert all(GUID.fullmatch(g or "") for g in guids)
    targets = [el.get("targetGUID") for el in root.iter() if el.get("targetGUID") is not None]
    assert targets and set(targets) <= set(guids)


def test_codes_cover_arenas_sectors_sources_and_flags(bundled: Dataset) -> None:
    qde, _ = opened(qdpx(bundled))
    root = ET.fromstring(qde)
    parents = [c.get("name") for c in root.find(f"{Q}CodeBook/{Q}Codes") or []]
    assert parents == [
        "Leadership arena",
        "Partner sector",
        "Case field",
        "Theme",
        "Cited source",
        "Flags",
    ]
    by_guid = {c.get("guid"): c.get("name", "") for c in root.iter(f"{Q}Code")}
    cited = root.find(f"{Q}CodeBook/{Q}Codes/{Q}Code[@name='Cited source']")
    assert cited is not None
    assert len(cited) - 1 == len(bundled.sources)  # a Description, then one code per source
    coded: dict[str, set[str]] = {}
    for sel in root.iter(f"{Q}PlainTextSelection"):
        refs = sel.findall(f"{Q}Coding/{Q}CodeRef")
        coded[sel.get("name", "")] = {by_guid[r.get("targetGUID")] for r in refs}
    for case in bundled.cases:
        for path, item in iter_statements(case):
            names = coded[f"{case.id}/{path}"]
            for source_id in item.sources:
                assert any(n.startswith(f"{source_id}: ") for n in names), (path, source_id)
            if getattr(item, "unverified", False):
                assert "unverified" in names
            if item.unknown:
                assert "unknown" in names


def test_the_same_data_gives_the_same_bytes(bundled: Dataset) -> None:
    assert qdpx(bundled) == qdpx(bundled)


def test_cli_writes_notes_tags_and_bookmarks_and_never_overwrites(tmp_path: Path) -> None:
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(cli, ["--cases", str(BUNDLED_CASES), *args])
        assert result.exit_code == 0, result.output
        return result.output

    case = next(iter(load_folder(BUNDLED_CASES).cases))
    run("note", "add", f"case:{case.id}", "a <b>case</b> note & more")
    run("note", "add", "source:storey2018", "about the report")
    run("tag", "add", case.id, "to-read")
    run("bookmark", "add", f"case:{case.id}")
    out = tmp_path / "study.qdpx"
    run("export", "qdpx", "-o", str(out))
    qde, _ = opened(out.read_bytes())
    PROJECT_XSD.validate(qde)
    root = ET.fromstring(qde)
    notes = {n.get("guid"): n.findtext(f"{Q}PlainTextContent") for n in root.iter(f"{Q}Note")}
    assert set(notes.values()) == {"a <b>case</b> note & more", "about the report"}
    refs = {r.get("targetGUID") for r in root.iter(f"{Q}NoteRef")}
    assert refs == set(notes)  # each note hangs on what it is about
    sets = {s.get("name") for s in root.iter(f"{Q}Set")}
    assert sets == {"Tag: to-read", "Bookmarks"}
    again = runner.invoke(cli, ["--cases", str(BUNDLED_CASES), "export", "qdpx", "-o", str(out)])
    assert again.exit_code == 1 and "already exists" in again.stderr


def test_qdpx_is_not_written_to_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import ccgtui.cli.export

    monkeypatch.setattr(ccgtui.cli.export, "_stdout_is_terminal", lambda: True)
    result = CliRunner().invoke(cli, ["--cases", str(ILLUSTRATIVE), "export", "qdpx"])
    assert result.exit_code == 2 and "-o FILE.qdpx" in result.stderr


def test_matrix_and_study_only_are_refused() -> None:
    for extra in (["--what", "matrix"], ["--what", "study"]):
        result = CliRunner().invoke(
            cli, ["--cases", str(ILLUSTRATIVE), "export", "qdpx", *extra, "-o", "/dev/null"]
        )
        assert result.exit_code == 1, result.output


@pytest.mark.parametrize("folder", [BUNDLED_CASES, ILLUSTRATIVE], ids=["bundled", "illustrative"])
def test_crlf_sources_still_slice_out_each_statement(tmp_path: Path, folder: Path) -> None:
    """--crlf (MAXQDA): every line ends CRLF and the offsets count the CRs."""
    dataset = load_folder(folder)
    out = tmp_path / "maxqda.qdpx"
    result = CliRunner().invoke(
        cli, ["--cases", str(folder), "export", "qdpx", "--crlf", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    qde, members = opened(out.read_bytes())
    PROJECT_XSD.validate(qde)
    statements = {
        f"{case.id}/{path}": xml_text(item.text)
        for case in dataset.cases
        for path, item in iter_statements(case)
    }
    for source in ET.fromstring(qde).iter(f"{Q}TextSource"):
        text = members[f"sources/{source.get('plainTextPath', '').removeprefix('internal://')}"]
        assert "\r\n" in text and "\n" not in text.replace("\r\n", "")  # no bare LF left
        for sel in source.iter(f"{Q}PlainTextSelection"):
            start, end = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
            want = statements[sel.get("name", "")]
            assert text[start:end] == want.replace("\n", "\r\n")


def test_crlf_moves_offsets_past_a_statement_of_several_lines(illustrative: Dataset) -> None:
    from ccgtui.export.qdpx_text import case_text, with_crlf

    case = illustrative.cases[0]
    story = [s.model_copy(update={"text": "line one\nline two\n\nline four"}) for s in case.story]
    plain = case_text(case.model_copy(update={"story": story}))
    crlf = with_crlf(plain)
    assert crlf.text == plain.text.replace("\n", "\r\n")
    for before, after in zip(plain.spans, crlf.spans, strict=True):
        piece = plain.text[before.start : before.end]
        assert crlf.text[after.start : after.end] == piece.replace("\n", "\r\n")
    assert any("\r\n" in crlf.text[s.start : s.end] for s in crlf.spans)


def test_crlf_is_refused_for_other_formats() -> None:
    result = CliRunner().invoke(cli, ["--cases", str(ILLUSTRATIVE), "export", "md", "--crlf"])
    assert result.exit_code == 2 and "qdpx only" in result.stderr
