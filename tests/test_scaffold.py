"""``ccgtui init``: the templates are a valid folder and explain every field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccgtui import model
from ccgtui.audit import coverage, strict_problems
from ccgtui.cli import cli
from ccgtui.loader import load_folder
from ccgtui.scaffold import TEMPLATES, write_template

DOCUMENTED_MODELS = (
    model.Source,
    model.Statement,
    model.Unknown,
    model.Study,
    model.TeamMember,
    model.Phase,
    model.Survey,
    model.Measure,
    model.Concept,
    model.Case,
    model.Stage,
    model.Partner,
)

# A commented-out YAML line in a template: "# key: ...", "#   - {...}", '    #   - "..."'.
COMMENTED_YAML = re.compile(r'^(\s*)# (?=\s*(- )?([a-z_]+:|\{|"))')


def test_init_writes_a_strictly_valid_folder(tmp_path: Path) -> None:
    written = write_template(tmp_path / "new")
    assert [p.name for p in written] == [
        "sources.yaml",
        "study.yaml",
        "example-case.yaml",
        # the schemas the templates' first lines name (tests/test_schema.py)
        "case.schema.json",
        "study.schema.json",
        "sources.schema.json",
    ]
    dataset = load_folder(tmp_path / "new")
    assert strict_problems(dataset) == []
    cov = coverage(dataset)
    assert (cov.studies, cov.cases, cov.sources) == (1, 1, 1)
    assert cov.share_cited == 1.0
    assert not any(r.illustrative for r in (*dataset.studies, *dataset.cases, *dataset.sources))


def test_init_into_an_existing_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me\n")
    write_template(tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "keep me\n"
    assert load_folder(tmp_path).cases[0].id == "example-case"


@pytest.mark.parametrize("name", ["x.yaml", "x.yml"])
def test_write_template_refuses_a_folder_with_yaml(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text("a: 1\n")
    with pytest.raises(FileExistsError):
        write_template(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_init_command_refuses_a_folder_with_yaml(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("a: 1\n")
    result = CliRunner().invoke(cli, ["init", str(tmp_path)])
    assert result.exit_code == 1 and "already holds case files" in result.stderr
    assert (tmp_path / "x.yaml").read_text() == "a: 1\n"


def test_every_schema_field_is_explained_in_a_template() -> None:
    text = "\n".join(TEMPLATES.values())
    missing = [
        f"{m.__name__}.{name}"
        for m in DOCUMENTED_MODELS
        for name in m.model_fields
        if not re.search(rf"\b{name}:", text)
    ]
    assert missing == []


def test_commented_out_fields_are_valid_when_uncommented(tmp_path: Path) -> None:
    """Uncommenting every optional field still gives a strictly valid folder."""
    folder = tmp_path / "full"
    write_template(folder)
    uncommented = 0
    for name in TEMPLATES:
        path = folder / name
        lines = path.read_text(encoding="utf-8").splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith(("id:", "sources:")))
        for i in range(start, len(lines)):
            lines[i], n = COMMENTED_YAML.subn(r"\1", lines[i])
            uncommented += n
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "studies").mkdir()
    (folder / "studies" / "other.yaml").write_text("id: other-study\ntitle: Another study\n")
    assert uncommented > 30
    dataset = load_folder(folder)
    assert strict_problems(dataset) == []
    study = dataset.studies[0]
    assert study.team and study.surveys and study.measures and study.concepts and study.related
    assert dataset.sources[0].url and dataset.sources[0].notes
    assert dataset.sources[0].variants
    assert len(coverage(dataset).conflict_topics) == 2  # the titles note and the pages variant


def test_every_schema_field_is_documented() -> None:
    """docs/data-format.md names every field a research team can write."""
    doc = (Path(__file__).parents[1] / "docs" / "data-format.md").read_text(encoding="utf-8")
    missing = [
        f"{m.__name__}.{name}"
        for m in DOCUMENTED_MODELS
        for name in m.model_fields
        if f"`{name}`" not in doc and not re.search(rf"\b{name}:", doc)
    ]
    assert missing == []
