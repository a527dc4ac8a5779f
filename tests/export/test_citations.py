"""Citations out (issue 17): CSL-JSON, RIS and BibTeX parsed back field by field."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from ccgtui.cli import cli
from ccgtui.export.citations import note_lines
from ccgtui.model import Dataset, Level, Source
from tests.conftest import BUNDLED_CASES, ILLUSTRATIVE, MINIMAL_SOURCES, write_folder
from tests.export.citation_parsers import brace_depths_ok, parse_bibtex, parse_ris, unescape_bibtex

CSL_SCHEMA = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "csl" / "csl-data.json").read_text("utf-8")
)
FOLDERS = [BUNDLED_CASES, ILLUSTRATIVE]


def export(folder: Path, fmt: str, *extra: str) -> str:
    result = CliRunner().invoke(cli, ["--cases", str(folder), "export", fmt, *extra])
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes.decode("utf-8")  # .stdout would turn RIS's CRLF into LF


def loaded(folder: Path) -> Dataset:
    from ccgtui.loader import load_folder

    return load_folder(folder)


@pytest.mark.parametrize("folder", FOLDERS, ids=["bundled", "illustrative"])
def test_csl_json_is_valid_csl_and_keeps_every_field(folder: Path) -> None:
    items = json.loads(export(folder, "csl-json"))
    jsonschema.validate(items, CSL_SCHEMA)
    sources = loaded(folder).sources
    assert [i["id"] for i in items] == [s.id for s in sources]
    for item, source in zip(items, sources, strict=True):
        assert item["title"] == source.title
        assert item.get("container-title") == source.container
        assert item.get("volume") == source.volume
        assert item.get("issue") == source.issue
        assert item.get("page") == source.pages
        assert item.get("DOI") == source.doi
        assert item.get("URL") == source.url
        issued = item.get("issued", {}).get("date-parts", [[None]])[0][0]
        assert issued == source.year
        names = [a.get("literal") or f"{a['family']} {a['given']}" for a in item.get("author", [])]
        assert names == source.authors
        for line in [f"level: {source.level.value}", *source.notes]:
            assert line in item["note"]


def test_csl_json_names_people_and_organisations_apart(bundled: Dataset) -> None:
    items = {i["id"]: i for i in json.loads(export(BUNDLED_CASES, "csl-json"))}
    for source in bundled.sources:
        for author, name in zip(source.authors, items[source.id].get("author", []), strict=True):
            # Vancouver initials are a person's given names; anything else is an organisation.
            person = author.rsplit(" ", 1)[-1].isupper() and len(author.rsplit(" ", 1)[-1]) <= 3
            assert ("family" in name) == person, author


def test_unverified_sources_and_variants_keep_their_warning_in_every_format(
    bundled: Dataset,
) -> None:
    unverified = [s for s in bundled.sources if s.level is Level.unverified]
    varied = [s for s in bundled.sources if s.variants]
    assert unverified and varied  # the bundled data has both; the test needs them
    csl = {i["id"]: i["note"] for i in json.loads(export(BUNDLED_CASES, "csl-json"))}
    ris = {r["ID"][0]: r["N1"] for r in parse_ris(export(BUNDLED_CASES, "ris"))}
    bib = {
        k: unescape_bibtex(f["note"]) for _, k, f in parse_bibtex(export(BUNDLED_CASES, "bibtex"))
    }
    for source in [*unverified, *varied]:
        for line in note_lines(source):
            assert line in csl[source.id]
            assert line in ris[source.id]
            assert line in bib[source.id]
    for source in unverified:
        assert "ccgtui evidence level: unverified" in csl[source.id]
    for source in varied:
        for variant in source.variants:
            assert f"{variant.given_by} gives {variant.value}" in csl[source.id]


@pytest.mark.parametrize("folder", FOLDERS, ids=["bundled", "illustrative"])
def test_ris_records_parse_back(folder: Path) -> None:
    text = export(folder, "ris")
    records = parse_ris(text)
    sources = loaded(folder).sources
    assert [r["ID"] for r in records] == [[s.id] for s in sources]
    for record, source in zip(records, sources, strict=True):
        assert record["TI"] == [source.title]
        assert record.get("PY") == ([str(source.year)] if source.year else None)
        assert record.get("DO") == ([source.doi] if source.doi else None)
        assert record.get("UR") == ([source.url] if source.url else None)
        pages = "-".join(record.get("SP", []) + record.get("EP", []))
        assert pages == (source.pages or "")
        assert len(record.get("AU", [])) == len(source.authors)


@pytest.mark.parametrize("folder", FOLDERS, ids=["bundled", "illustrative"])
def test_bibtex_parses_back_with_unique_keys_and_balanced_braces(folder: Path) -> None:
    text = export(folder, "bibtex")
    assert brace_depths_ok(text)
    entries = parse_bibtex(text)
    keys = [key for _, key, _ in entries]
    assert len(set(keys)) == len(keys)
    sources = loaded(folder).sources
    assert keys == [s.id for s in sources]
    for (_, _, fields), source in zip(entries, sources, strict=True):
        assert unescape_bibtex(fields["title"]) == source.title
        assert fields.get("year") == (str(source.year) if source.year else None)
        assert unescape_bibtex(fields.get("pages", "")).replace("--", "-") == (source.pages or "")


def test_case_selects_the_sources_it_cites(tmp_path: Path) -> None:
    extra = """\
  - id: src-b
    type: web-page
    title: Cited by nothing
    url: https://example.org/b
    level: secondary
"""
    from tests.conftest import MINIMAL_CASE, MINIMAL_STUDY

    folder = write_folder(
        tmp_path / "cases",
        {
            "sources.yaml": MINIMAL_SOURCES + extra,
            "study.yaml": MINIMAL_STUDY,
            "case-a.yaml": MINIMAL_CASE,
        },
    )
    every = [i["id"] for i in json.loads(export(folder, "csl-json"))]
    assert every == ["src-a", "src-b"]
    for fmt in ("csl-json", "ris", "bibtex"):
        text = export(folder, fmt, "--case", "case-a")
        assert "src-a" in text
        assert "src-b" not in text


def test_citations_written_to_a_file_atomically_and_never_over_one(tmp_path: Path) -> None:
    out = tmp_path / "refs.bib"
    runner = CliRunner()
    args = ["--cases", str(BUNDLED_CASES), "export", "bibtex", "-o", str(out)]
    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.stderr
    assert "source" in first.stderr
    assert parse_bibtex(out.read_text("utf-8"))
    again = runner.invoke(cli, args)
    assert again.exit_code == 1  # refused without --force


def test_matrix_is_not_a_citation_selection() -> None:
    result = CliRunner().invoke(
        cli, ["--cases", str(BUNDLED_CASES), "export", "ris", "--what", "matrix"]
    )
    assert result.exit_code == 1
    assert "--what matrix" in result.stderr


def test_note_lines_start_with_the_level() -> None:
    source = Source(id="x", type="report", title="T", level="unverified")
    assert note_lines(source)[0] == "ccgtui evidence level: unverified"
