"""``ccgtui schema`` (issue 17): the shipped schemas are current and accept every bundled file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from ccgtui.cli import cli
from ccgtui.scaffold import SCHEMA_DIR, TEMPLATES, write_template
from ccgtui.schema import KINDS, schema_for
from tests.conftest import BUNDLED_CASES, ILLUSTRATIVE, REPO

SHIPPED = REPO / "docs" / "schema"
MODELINE = "# yaml-language-server: $schema="


def kind_of(path: Path) -> str:
    return {"sources.yaml": "sources", "study.yaml": "study"}.get(
        path.name, "study" if path.parent.name == "studies" else "case"
    )


def bundled_files() -> list[Path]:
    files = [*BUNDLED_CASES.glob("*.yaml"), *BUNDLED_CASES.glob("studies/*.yaml")]
    return sorted([*files, *ILLUSTRATIVE.glob("*.yaml")])


def validator(kind: str) -> Draft202012Validator:
    schema = schema_for(kind)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def errors(kind: str, data: object) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator(kind).iter_errors(data)]


@pytest.mark.parametrize("kind", KINDS)
def test_shipped_schema_is_what_the_command_writes(kind: str) -> None:
    result = CliRunner().invoke(cli, ["schema", "--kind", kind])
    assert result.exit_code == 0, result.stderr
    shipped = (SHIPPED / f"{kind}.schema.json").read_text("utf-8")
    assert result.stdout == shipped, f"run: ccgtui schema --kind {kind} -o {SHIPPED.name}/..."


@pytest.mark.parametrize("path", bundled_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_bundled_file_validates(path: Path) -> None:
    data = yaml.safe_load(path.read_text("utf-8"))
    assert errors(kind_of(path), data) == []


def test_the_bundled_folders_hold_every_kind() -> None:
    assert {kind_of(p) for p in bundled_files()} == set(KINDS)


@pytest.mark.parametrize(
    ("kind", "data", "where"),
    [
        ("case", {"id": "a", "study": "s", "kind": "in-depth", "label": "A", "labl": "x"}, "labl"),
        ("case", {"id": "a", "study": "s", "kind": "deep", "label": "A"}, "deep"),
        ("case", {"id": "A B", "study": "s", "kind": "in-depth", "label": "A"}, "A B"),
        (
            "case",
            {"id": "a", "study": "s", "kind": "in-depth", "label": "A", "arenas": {"pub": []}},
            "pub",
        ),
        ("case", {"id": "a", "study": "s", "kind": "in-depth"}, "label"),
        (
            "sources",
            {"sources": [{"id": "x", "type": "book", "title": "T", "level": "primary"}]},
            "book",
        ),
        ("sources", {"source": []}, "source"),
        ("study", {"id": "s", "title": "T", "phases": [{"number": "one", "name": "P"}]}, "one"),
    ],
)
def test_schema_rejects_what_the_loader_rejects(kind: str, data: object, where: str) -> None:
    found = errors(kind, data)
    assert found and any(where in e for e in found), found


def test_numbers_may_stand_for_text_as_in_the_models() -> None:
    case = {"id": "a", "study": "s", "kind": "in-depth", "label": "A", "period": {"text": 2015}}
    assert errors("case", case) == []


def test_init_templates_name_their_schema_and_it_accepts_them(tmp_path: Path) -> None:
    folder = tmp_path / "new"
    write_template(folder)
    for name in TEMPLATES:
        path = folder / name
        first = path.read_text("utf-8").splitlines()[0]
        assert first.startswith(MODELINE)
        schema_path = path.parent / first.removeprefix(MODELINE)
        assert schema_path.parent.name == SCHEMA_DIR
        schema = json.loads(schema_path.read_text("utf-8"))
        assert schema == schema_for(kind_of(path))
        data = yaml.safe_load(path.read_text("utf-8"))
        assert list(Draft202012Validator(schema).iter_errors(data)) == []


def test_schema_output_file_is_not_overwritten_without_force(tmp_path: Path) -> None:
    out = tmp_path / "case.schema.json"
    runner = CliRunner()
    assert runner.invoke(cli, ["schema", "-o", str(out)]).exit_code == 0
    assert json.loads(out.read_text("utf-8"))["title"] == "ccgtui case file"
    assert runner.invoke(cli, ["schema", "-o", str(out)]).exit_code == 1
    assert runner.invoke(cli, ["schema", "-o", str(out), "--force"]).exit_code == 0
