"""Exports: each format parsed back by the tool people use, hostile values intact."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from ccgtui.cli import cli
from ccgtui.export import ExportError, Selection, render, write_output
from ccgtui.loader import load_folder
from ccgtui.model import Dataset
from ccgtui.wording import UNVERIFIED_MARK
from tests.conftest import BUNDLED_CASES, ILLUSTRATIVE, MINIMAL_CASE

HOSTILE = {
    "markup": "[bold]x[/]",
    "script": "<script>alert(1)</script>",
    "formula": '=HYPERLINK("http://x")',
    "cjk": "日本語のラベル",
    "arabic": "العربية",
    "md": "*not bold* # [link](http://x) | pipe",
}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def bundled() -> Dataset:
    return load_folder(BUNDLED_CASES)


@pytest.fixture
def hostile_folder(minimal_folder: Path) -> Path:
    label = " ".join(HOSTILE.values())
    long_text = "very long " * 500
    case = MINIMAL_CASE.replace("label: Case A", f"label: {json.dumps(label)}").replace(
        "text: Social work joined.",
        f"text: {json.dumps('- starts with a dash' + chr(10) + 'second line ' + long_text)}",
    )
    (minimal_folder / "case-a.yaml").write_text(case, encoding="utf-8")
    return minimal_folder


# -- JSON ------------------------------------------------------------------------------


@pytest.mark.parametrize("folder", [BUNDLED_CASES, ILLUSTRATIVE])
def test_json_round_trips_byte_identical(tmp_path: Path, folder: Path) -> None:
    code, first, _ = run("--cases", str(folder), "export", "json")
    assert code == 0
    (tmp_path / "a.json").write_text(first, encoding="utf-8")
    code, _, err = run("import", str(tmp_path / "a.json"), str(tmp_path / "folder"))
    assert code == 0, err
    code, second, _ = run(
        "--db", str(tmp_path / "db2.json"), "--cases", str(tmp_path / "folder"), "export", "json"
    )
    assert second == first
    data = json.loads(first)
    assert data["format"] == "ccgtui-export" and data["schema_version"] == 1
    assert list(data) == sorted(data)  # stable key order


def test_json_is_complete(bundled: Dataset) -> None:
    data = json.loads(render("json", Selection(bundled, cases=list(bundled.cases))))
    assert len(data["cases"]) == len(bundled.cases)
    assert len(data["sources"]) == len(bundled.sources)
    assert [s["id"] for s in data["studies"]] == [s.id for s in bundled.studies]


def test_import_refuses_a_non_export(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text('{"hello": 1}')
    code, _, err = run("import", str(tmp_path / "x.json"), str(tmp_path / "out"))
    assert code == 1 and "not a ccgtui JSON export" in err
    assert not (tmp_path / "out").exists()


# -- Markdown --------------------------------------------------------------------------


def test_markdown_is_commonmark_with_citations_and_flags(bundled: Dataset) -> None:
    text = render("md", Selection(bundled, cases=list(bundled.cases)))
    tokens = MarkdownIt("commonmark").parse(text)
    headings = [t for t in tokens if t.type == "heading_open"]
    assert len(headings) > 20
    assert "## References" in text and '<a id="ref-1"></a>' in text
    assert "*Unknown:* Locality not reported" in text
    assert f"**{UNVERIFIED_MARK}**" in text


def test_markdown_shows_illustrative_banner() -> None:
    dataset = load_folder(ILLUSTRATIVE)
    text = render("md", Selection(dataset, cases=list(dataset.cases)))
    assert text.count("ILLUSTRATIVE EXAMPLE") == 3  # the study and its two cases


def test_markdown_escapes_hostile_values(hostile_folder: Path) -> None:
    dataset = load_folder(hostile_folder)
    text = render("md", Selection(dataset, cases=list(dataset.cases)))
    html = MarkdownIt("commonmark").render(text)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<em>not bold</em>" not in html and "*not bold*" in html
    assert 'href="http://x"' not in html
    assert "日本語のラベル" in html and "العربية" in html
    assert "- starts with a dash second line" in html  # newline folded, dash kept literal


# -- CSV -------------------------------------------------------------------------------


def test_csv_one_row_per_case(bundled: Dataset) -> None:
    rows = list(
        csv.DictReader(io.StringIO(render("csv", Selection(bundled, cases=list(bundled.cases)))))
    )
    assert [r["id"] for r in rows] == [c.id for c in bundled.cases]
    composite = rows[0]
    assert composite["sectors_present"] == "primary-care secondary-care community-care social-work"
    assert rows[1]["sectors_unknown"].startswith("primary-care")


def test_csv_long_and_formula_neutralising(hostile_folder: Path) -> None:
    dataset = load_folder(hostile_folder)
    text = render("csv", Selection(dataset, cases=list(dataset.cases)), long=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    partner = next(r for r in rows if r["field"] == "partners[0]")
    assert partner["text"].startswith("'- starts with a dash\nsecond line")  # intact, neutralised
    raw = render("csv", Selection(dataset, cases=list(dataset.cases)), long=True, raw_csv=True)
    partner = next(r for r in csv.DictReader(io.StringIO(raw)) if r["field"] == "partners[0]")
    assert partner["text"].startswith("- starts")


def test_csv_formula_label(minimal_folder: Path) -> None:
    (minimal_folder / "case-a.yaml").write_text(
        MINIMAL_CASE.replace("label: Case A", "label: '=HYPERLINK(\"http://x\")'")
    )
    dataset = load_folder(minimal_folder)
    (row,) = csv.DictReader(
        io.StringIO(render("csv", Selection(dataset, cases=list(dataset.cases))))
    )
    assert row["label"] == '\'=HYPERLINK("http://x")'


def test_csv_excel_bom(minimal_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    code, _, _ = run("--cases", str(minimal_folder), "export", "csv", "--excel", "-o", str(out))
    assert code == 0 and out.read_bytes().startswith(b"\xef\xbb\xbfid,")


# -- HTML ------------------------------------------------------------------------------


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ("href", "src") and value:
                self.hrefs.append(value)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_self_contained_and_links_resolve(bundled: Dataset) -> None:
    page = Collect()
    page.feed(render("html", Selection(bundled, cases=list(bundled.cases))))
    assert "script" not in page.tags and "link" not in page.tags and "img" not in page.tags
    assert all(h.startswith("#") for h in page.hrefs)
    assert {h[1:] for h in page.hrefs} <= page.ids
    assert "nav" in page.tags and "h1" in page.tags


def test_html_escapes_hostile_values(hostile_folder: Path) -> None:
    dataset = load_folder(hostile_folder)
    text = render("html", Selection(dataset, cases=list(dataset.cases)))
    page = Collect()
    page.feed(text)
    assert "script" not in page.tags
    joined = "".join(page.text)
    for value in HOSTILE.values():
        assert value in joined


# -- writing -------------------------------------------------------------------------


def test_output_refuses_to_overwrite_without_force(minimal_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "b.md"
    out.write_text("keep me")
    code, _, err = run("--cases", str(minimal_folder), "export", "md", "-o", str(out))
    assert code == 1 and "--force" in err and out.read_text() == "keep me"
    code, _, _ = run("--cases", str(minimal_folder), "export", "md", "-o", str(out), "--force")
    assert code == 0 and out.read_text().startswith("# ccgtui briefing")


def test_failure_half_way_leaves_no_file(
    minimal_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ccgtui.export.document as document

    calls = {"n": 0}
    real = document.case_record

    def explode(case, dataset=None):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(document, "case_record", explode)
    out = tmp_path / "never.md"
    with pytest.raises(RuntimeError):
        dataset = load_folder(minimal_folder)
        write_output(render("md", Selection(dataset, cases=list(dataset.cases))), out)
    assert calls["n"] == 1 and not out.exists() and list(tmp_path.iterdir()) == [minimal_folder]
    assert real is not explode


def test_write_output_errors(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="already exists"):
        (tmp_path / "x").write_text("")
        write_output("y", tmp_path / "x")


def test_output_into_a_missing_folder_is_an_error(minimal_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "no-such-dir" / "x.md"
    code, _, err = run("--cases", str(minimal_folder), "export", "md", "-o", str(out))
    assert code == 1 and "does not exist" in err
    assert not (tmp_path / "no-such-dir").exists()  # a typo never creates folders


def test_output_mode_follows_umask_and_force_keeps_it(minimal_folder: Path, tmp_path: Path) -> None:
    import os
    import stat

    old = os.umask(0o022)
    try:
        out = tmp_path / "shared.html"
        assert run("--cases", str(minimal_folder), "export", "html", "-o", str(out))[0] == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o644  # readable by others, as `>` makes it
        out.chmod(0o640)
        args = ("--cases", str(minimal_folder), "export", "html", "-o", str(out), "--force")
        assert run(*args)[0] == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o640
    finally:
        os.umask(old)


def test_notes_export_refuses_to_overwrite_without_force(
    minimal_folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "n.md"
    out.write_text("keep")
    code, _, err = run("--cases", str(minimal_folder), "notes", "export", "-o", str(out))
    assert code == 1 and "--force" in err and out.read_text() == "keep"
    code, _, _ = run("--cases", str(minimal_folder), "notes", "export", "-o", str(out), "--force")
    assert code == 0 and out.read_text() != "keep"


def test_cli_export_case_and_matrix() -> None:
    code, out, _ = run("export", "md", "--case", "composite-frail-elderly")
    assert code == 0 and "Integrated care for frail elderly" in out and "In-depth case 1" not in out
    code, out, _ = run("export", "csv", "--what", "matrix", "--by", "arenas")
    assert code == 0 and out.splitlines()[0] == "id,label,board,programme,practice"
    code, out, _ = run("export", "csv", "kind:in-depth")
    assert code == 0 and len(out.strip().splitlines()) == 7
    code, _, err = run("export", "md", "--what", "case")
    assert code == 2 and "--case" in err
