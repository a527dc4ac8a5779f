"""``ccgtui matrix`` and ``ccgtui export --what matrix``: your tags, and one case's stages."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccgtui.cli import cli
from tests.conftest import ILLUSTRATIVE

FORMATS = ["table", "csv", "json", "md"]
EXPORT_FORMATS = ["md", "html", "csv", "json"]
# The bundled composite has no story stages (the sources report three interlocking arenas,
# not a sequence), so stages are tested on the illustrative Riverside case.
STAGES = ["mandate", "programme-board", "huddles"]
EXAMPLES = ("--cases", str(ILLUSTRATIVE))


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def tagged() -> None:
    """The bundled cases, with the user's tag ``follow-up`` on in-depth-2."""
    code, out, _ = run("tag", "add", "in-depth-2", "Follow up")
    assert code == 0 and "follow-up" in out


# -- your tags are columns of the themes matrix -------------------------------------


@pytest.mark.usefixtures("tagged")
def test_matrix_by_themes_has_a_column_per_user_tag() -> None:
    code, out, _ = run("matrix", "--by", "themes", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert {"key": "tag:follow-up", "label": "tag:follow-up"} in data["columns"]
    states = {r["id"]: r["cells"]["tag:follow-up"]["state"] for r in data["rows"]}
    assert states["in-depth-2"] == "present"
    assert states["in-depth-1"] == "absent"

    code, out, _ = run("matrix", "--by", "themes", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and {r["id"]: r["tag:follow-up"] for r in rows}["in-depth-2"] == "✓"

    code, out, _ = run("matrix", "--by", "themes", "--format", "md")
    assert code == 0 and "tag:follow-up" in out.splitlines()[0]

    code, out, _ = run("matrix", "--by", "themes", "tag:follow-up", "--format", "table")
    assert code == 0 and "tag:follow-up" in out and "in-depth-2" in out


@pytest.mark.usefixtures("tagged")
@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_matrix_export_by_themes_has_the_user_tag(fmt: str) -> None:
    code, out, _ = run("export", fmt, "--what", "matrix", "--by", "themes")
    assert code == 0
    assert "tag:follow-up" in out
    if fmt == "json":
        row = next(r for r in json.loads(out)["rows"] if r["id"] == "in-depth-2")
        assert row["cells"]["tag:follow-up"]["state"] == "present"


def test_without_tags_there_is_no_tag_column() -> None:
    code, out, _ = run("matrix", "--by", "themes", "--format", "csv")
    assert code == 0 and "tag:" not in out


# -- stages × arenas for one case ---------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_matrix_by_stages_for_one_case(fmt: str) -> None:
    code, out, err = run(
        *EXAMPLES, "matrix", "--by", "stages", "--case", "riverside-frailty", "--format", fmt
    )
    assert code == 0, err
    if fmt == "json":
        data = json.loads(out)
        assert data["by"] == "stages" and data["case"] == "riverside-frailty"
        assert [c["key"] for c in data["columns"]] == ["board", "programme", "practice"]
        assert [r["id"] for r in data["rows"]] == STAGES
        cells = data["rows"][1]["cells"]
        assert cells["programme"]["state"] == "present"
        assert cells["programme"]["statements"][0]["sources"]
        assert cells["board"]["state"] == "absent"
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert [r["id"] for r in rows] == STAGES
        assert [(r["board"], r["programme"], r["practice"]) for r in rows] == [
            ("✓ 1", "·", "·"),
            ("·", "✓ 1", "·"),
            ("·", "·", "✓ 1"),
        ]
    elif fmt == "md":
        assert out.startswith("**Stages of riverside-frailty × arenas**")
        assert "| stage | CCG board (strategy) |" in out
        assert "| Board adopts frailty as a priority | ✓ 1 | · | · |" in out
    else:
        assert "Stages of riverside-frailty × arenas" in out
        assert "stage" in out and "programme" in out and "✓ 1" in out


def test_matrix_by_stages_finds_the_case_by_prefix_and_keeps_unknowns() -> None:
    code, out, _ = run("matrix", "--by", "stages", "--case", "in-depth-1", "--format", "csv")
    assert code == 0
    assert out.splitlines()[1] == "story,?,?,?"  # the story is not reported: unknown, not absent


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--by", "stages"), "--by stages needs --case"),
        (("--by", "arenas", "--case", "in-depth-1"), "--case goes with --by stages"),
        (("--by", "stages", "--case", "in-depth-1", "kind:in-depth"), "drop the filters"),
    ],
)
def test_matrix_by_stages_usage_errors(args: tuple[str, ...], message: str) -> None:
    code, _, err = run("matrix", *args)
    assert code == 2 and message in err


def test_matrix_by_stages_unknown_case() -> None:
    code, _, err = run("matrix", "--by", "stages", "--case", "no-such-case")
    assert code == 1 and "no case matches" in err


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_export_matrix_by_stages(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"stages.{fmt}"
    code, _, err = run(
        *EXAMPLES,
        "export",
        fmt,
        "--what",
        "matrix",
        "--by",
        "stages",
        "--case",
        "riverside",
        "-o",
        str(out),
    )
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    if fmt == "json":
        assert [r["id"] for r in json.loads(text)["rows"]] == STAGES
    elif fmt == "csv":
        assert [line.split(",")[0] for line in text.splitlines()[1:]] == STAGES
    else:
        assert "Stages of riverside-frailty × arenas" in text
        assert "Frailty programme board negotiates the model" in text


def test_export_matrix_by_stages_needs_one_case() -> None:
    code, _, err = run("export", "md", "--what", "matrix", "--by", "stages")
    assert code == 2 and "needs one --case" in err
