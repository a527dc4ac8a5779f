"""``ccgtui import`` of a hostile or broken JSON export (issue 13, items 11 and 9).

File names came from the export's raw ids (newlines, ESC, spaces survived into
names, since validation strips them from the value only); a 20 MB value was
imported and then refused by ``load``; missing or wrong-typed keys raised a
traceback.  Now files are named from validated ids, the written folder must
pass the loader (size limit included) before it appears, and every refusal is
a message with exit 1.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from ccgtui.cli import cli
from ccgtui.loader import MAX_FILE_BYTES, load_folder
from tests.hostile.case_folders import terminal_safe

SOURCE = {"id": "src-a", "type": "article", "title": "A paper", "level": "primary"}
STUDY = {"id": "study-a", "title": "A study"}
CASE = {"id": "case-a", "study": "study-a", "kind": "in-depth", "label": "Case A"}
SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def _export(**records: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"format": "ccgtui-export", "schema_version": 1}
    data.update({"studies": [STUDY], "sources": [SOURCE], "cases": [CASE]})
    data.update(records)
    return data


def _import(tmp_path: Path, data: object) -> tuple[Result, Path]:
    export = tmp_path / "export.json"
    export.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "out"
    return CliRunner().invoke(cli, ["import", str(export), str(out)]), out


def _refused(result: Result, *expected: str) -> None:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # no traceback
    assert result.stderr.startswith("ccgtui: ") or result.stderr.startswith("Error: ")
    for text in expected:
        assert text in result.stderr, result.stderr
    assert terminal_safe((result.stdout + result.stderr).encode())


@pytest.mark.parametrize("raw_id", ["\x1bcase-a", "case-a\n", " case-a", "case-a\x07\x1b"])
def test_files_are_named_from_validated_ids(tmp_path: Path, raw_id: str) -> None:
    studies = [STUDY, {**STUDY, "id": raw_id.replace("case-a", "study-b")}]
    result, out = _import(tmp_path, _export(studies=studies, cases=[{**CASE, "id": raw_id}]))
    assert result.exit_code == 0, result.output
    names = [p.name for p in out.rglob("*")]
    assert all(SAFE_NAME.match(name) for name in names), names
    assert sorted(names) == [
        "00001-case-a.yaml",
        "0001-study-b.yaml",
        "sources.yaml",
        "studies",
        "study.yaml",
    ]
    assert [c.id for c in load_folder(out).cases] == ["case-a"]


def test_a_value_over_the_loaders_size_limit_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    huge = {**CASE, "label": "x" * (MAX_FILE_BYTES + 1)}
    result, out = _import(tmp_path, _export(cases=[huge]))
    _refused(result, "cases[0]", "limit")
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["export.json"]  # no temp folder left


def test_a_folder_the_loader_would_refuse_is_not_written(tmp_path: Path) -> None:
    citing = {**CASE, "summary": {"text": "T", "sources": ["nowhere"]}}
    result, out = _import(tmp_path, _export(cases=[citing]))
    _refused(result, "'nowhere' is not defined")
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["export.json"]


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"studies": None}, "studies"),
        ({"cases": 5}, "cases"),
        ({"cases": [5]}, "cases[0]"),
        ({"sources": {"id": "x"}}, "sources"),
        ({"cases": [{**CASE, "kind": ["x"]}]}, "cases[0].kind"),
        ({"cases": [{"id": "case-a"}]}, "cases[0].study"),
        ({"cases": [{**CASE, "\x1b]0;pwned\x07": 1}]}, "\\x1b]0;pwned\\x07"),
    ],
)
def test_missing_or_wrong_typed_keys_get_a_message(
    tmp_path: Path, change: dict[str, Any], where: str
) -> None:
    data = _export(**change)
    if change.get("studies", "") is None:
        del data["studies"]
    result, out = _import(tmp_path, data)
    _refused(result, where)
    assert not out.exists()


def test_a_top_level_that_is_not_a_mapping_gets_a_message(tmp_path: Path) -> None:
    result, out = _import(tmp_path, ["ccgtui-export"])
    _refused(result, "not a ccgtui JSON export")
    assert not out.exists()
