"""One layout, one provenance (issue 14): every statement of a case folder carries the
same source ids and unverified mark in ``show``, each ``show --section``, ``compare``,
the explorer's tabs and the md, html, csv --long and json exports, and every source it cites the
same level and notes wherever sources are listed.

Run on the bundled study and on the illustrative example (whose figures are flagged
unverified), each statement found by its text in each output."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccgtui.cli import cli
from ccgtui.export.markdown import md_escape
from ccgtui.loader import load_folder
from ccgtui.model import Case, Dataset, Statement, Unknown, iter_statements
from ccgtui.tui import render
from ccgtui.wording import UNVERIFIED_MARK
from tests.conftest import BUNDLED_CASES, ILLUSTRATIVE

FOLDERS = {"bundled": BUNDLED_CASES, "illustrative": ILLUSTRATIVE}
# The show section (and explorer tab) each top-level field is in.
SECTION = {
    "summary": "overview",
    "place": "overview",
    "population": "overview",
    "service_area": "overview",
    "period": "overview",
    "methods": "overview",
    "story": "story",
    "arenas": "arenas",
    "partners": "partners",
    "sectors_unknown": "partners",
    "enablers": "evidence",
    "barriers": "evidence",
    "outcomes": "evidence",
    "findings": "evidence",
}
Found = tuple[str, Statement | Unknown]


def run(folder: Path, *args: str) -> str:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        cli, ["--cases", str(folder), *args], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    return result.stdout


def section_of(path: str) -> str:
    return SECTION[re.split(r"[.\[]", path, maxsplit=1)[0]]


def ids_text(item: Statement | Unknown) -> str:
    return f"[{', '.join(item.sources)}]"


def unverified(item: Statement | Unknown) -> bool:
    return isinstance(item, Statement) and item.unverified


def assert_cited(item: Statement | Unknown, lines: list[str], where: str, text: str = "") -> None:
    """Some line shows the statement's text with its source ids (and mark) after it."""
    text = text or item.text
    shown = [line for line in lines if text in line]
    assert shown, f"{where}: {item.text!r} not shown"
    cited = [line for line in shown if ids_text(item) in line.split(text, 1)[1]]
    if item.sources:
        assert cited, f"{where}: {item.text!r} without {ids_text(item)}"
    if unverified(item):
        assert any(UNVERIFIED_MARK in line for line in cited), f"{where}: {item.text!r} unmarked"


@pytest.fixture(scope="module", params=list(FOLDERS))
def folder(request: pytest.FixtureRequest) -> tuple[Path, Dataset]:
    path = FOLDERS[request.param]
    return path, load_folder(path)


def statements(case: Case) -> list[Found]:
    return list(iter_statements(case))


def test_the_folders_have_unverified_statements_and_sources(
    folder: tuple[Path, Dataset],
) -> None:
    path, dataset = folder
    found = [it for case in dataset.cases for _, it in statements(case)]
    assert found and any(it.sources for it in found)
    if path == ILLUSTRATIVE:  # the marks are tested, not only the ids
        assert any(unverified(it) for it in found)


def test_show_and_each_section_carry_each_statement(folder: tuple[Path, Dataset]) -> None:
    path, dataset = folder
    for case in dataset.cases:
        full = run(path, "show", case.id).splitlines()
        sections = {
            name: run(path, "show", case.id, "--section", name).splitlines()
            for name in {section_of(p) for p, _ in statements(case)}
        }
        for p, item in statements(case):
            assert_cited(item, full, f"show {case.id} {p}")
            own = sections[section_of(p)]
            assert_cited(item, own, f"show {case.id} --section {section_of(p)} {p}")
            # ... and the section lists the sources it cites, with their level
            for sid in item.sources:
                assert any(line.startswith(f"[{sid}] ") and "(level: " in line for line in own)


def test_the_explorer_tabs_carry_each_statement(folder: tuple[Path, Dataset]) -> None:
    _, dataset = folder
    for case in dataset.cases:
        tabs = {tab: lines(case, dataset) for tab, lines in render.TAB_LINES.items()}
        for p, item in statements(case):
            tagged = [line.plain for line, tag in tabs[section_of(p)] if render.shows(tag, p)]
            assert_cited(item, tagged, f"tab {section_of(p)} of {case.id} {p}")


def test_compare_carries_each_statement(folder: tuple[Path, Dataset]) -> None:
    path, dataset = folder
    ids = [c.id for c in dataset.cases]
    for case in dataset.cases:
        other = next(i for i in ids if i != case.id)
        data = json.loads(run(path, "compare", case.id, other, "--format", "json"))
        shown = [st for row in data["rows"] for st in row["statements"][0] if st is not None]
        listed = {s["id"]: s for s in data["sources"]}
        for p, item in statements(case):
            same = [
                st
                for st in shown
                if st["text"] == item.text
                and st["sources"] == item.sources
                and st["unverified"] == unverified(item)
            ]
            assert same, f"compare {case.id}: {p} {item.text!r}"
            for sid in item.sources:
                assert listed[sid]["level"] == dataset.source_map[sid].level.value


def test_md_and_html_briefings_carry_each_statement(folder: tuple[Path, Dataset]) -> None:
    path, dataset = folder
    for case in dataset.cases:
        md = run(path, "export", "md", "--case", case.id, "-o", "-")
        page = run(path, "export", "html", "--case", case.id, "-o", "-")
        refs = dict(re.findall(r'<a id="ref-(\d+)"></a>\\\[(.+?)\\\]', md))
        number = {sid: n for n, sid in refs.items()}
        for p, item in statements(case):
            md_lines = [line for line in md.splitlines() if md_escape(item.text) in line]
            assert md_lines, f"md {case.id} {p}"
            if item.sources:
                wanted = [f"#ref-{number[sid]}" for sid in item.sources]
                assert any(all(w in line for w in wanted) for line in md_lines), f"md {p}"
            html_lines = [line for line in page.splitlines() if html.escape(item.text) in line]
            assert html_lines, f"html {case.id} {p}"
            wanted = [f'title="{html.escape(sid)}"' for sid in item.sources]
            assert any(all(w in line for w in wanted) for line in html_lines), f"html {p}"
            if unverified(item):
                assert any(UNVERIFIED_MARK in line for line in md_lines + html_lines)


def test_json_export_carries_each_statement(folder: tuple[Path, Dataset]) -> None:
    path, dataset = folder
    data = json.loads(run(path, "export", "json", "-o", "-"))
    exported = {c["id"]: Case.model_validate(c) for c in data["cases"]}
    for case in dataset.cases:
        again = dict(statements(exported[case.id]))
        for p, item in statements(case):
            assert again[p].sources == item.sources and unverified(again[p]) == unverified(item)


def test_csv_long_carries_each_statement(folder: tuple[Path, Dataset]) -> None:
    path, dataset = folder
    rows = list(csv.DictReader(io.StringIO(run(path, "export", "csv", "--long", "-o", "-"))))
    by_path = {(r["case_id"], r["field"]): r for r in rows}
    for case in dataset.cases:
        for p, item in statements(case):
            row = by_path[(case.id, p)]
            assert row["sources"].split() == item.sources
            assert row["unverified"] == str(unverified(item))


def test_every_source_list_gives_the_same_level_and_notes(folder: tuple[Path, Dataset]) -> None:
    """show's Sources, the explorer's Sources tab, what its y copies, and the briefing's
    references."""
    from ccgtui.tui.copy_text import section_text

    path, dataset = folder
    md = run(path, "export", "md", "-o", "-")
    for case in dataset.cases:
        shown = run(path, "show", case.id, "--section", "sources")
        copied = section_text(case, dataset, "sources", "Sources") or ""
        copied += section_text(case, dataset, "evidence", "Evidence") or ""
        cited = {sid for _, it in statements(case) for sid in it.sources}
        for sid in cited:
            source = dataset.source_map[sid]
            tab = render.source_prompt(sid, source).plain
            level = f"(level: {source.level.value})"
            assert level in tab and level in shown and level in copied
            assert md_escape(level) in md
            for note in source.notes:
                assert note in tab and note in shown and note in copied
                assert md_escape(note) in md
