"""Shell completion (issue 17): commands, case ids and note/bookmark targets complete."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ccgtui.cli import cli
from ccgtui.loader import load_folder
from tests.conftest import BUNDLED_CASES, ILLUSTRATIVE, write_folder


def complete(*words: str, cases: Path | None = None) -> list[str]:
    """What bash would offer for the last word of ``ccgtui [--cases DIR] WORDS``."""
    line = ["ccgtui", *(["--cases", str(cases)] if cases else []), *words]
    env = {"_CCGTUI_COMPLETE": "bash_complete", "COMP_WORDS": " ".join(line)}
    env["COMP_CWORD"] = str(len(line) - 1)
    result = CliRunner().invoke(cli, [], env=env, prog_name="ccgtui")
    assert result.exit_code == 0, result.output
    return [row.split(",", 1)[1] for row in result.stdout.splitlines()]


def test_commands_complete() -> None:
    assert "schema" in complete("sch")
    assert set(complete("ex")) == {"export"}


@pytest.mark.parametrize("folder", [BUNDLED_CASES, ILLUSTRATIVE], ids=["bundled", "illustrative"])
def test_case_ids_complete_from_the_case_folder(folder: Path) -> None:
    ids = sorted(c.id for c in load_folder(folder).cases)
    assert complete("show", "", cases=folder) == ids
    assert complete("export", "md", "--case", "", cases=folder) == ids
    assert complete("compare", ids[0], "", cases=folder) == ids
    assert complete("tag", "add", "", cases=folder) == ids
    first = ids[0][:3]
    assert complete("show", first, cases=folder) == [i for i in ids if i.startswith(first)]


def test_targets_complete_to_cases_and_sources() -> None:
    dataset = load_folder(ILLUSTRATIVE)
    sources = [f"source:{s.id}" for s in dataset.sources]
    assert complete("bookmark", "add", "source:", cases=ILLUSTRATIVE) == sources
    assert set(complete("note", "add", "", cases=ILLUSTRATIVE)) == {
        *(c.id for c in dataset.cases),
        *sources,
    }


def test_completion_never_fails_on_a_broken_folder(tmp_path: Path) -> None:
    folder = write_folder(
        tmp_path / "broken", {"a.yaml": "id: [unclosed\n", "b.yaml": "id: ok-1\n"}
    )
    (folder / "c.yaml").write_bytes(b"id: \xff\xfe\n")
    assert complete("show", "", cases=folder) == ["ok-1"]
    complete("show", "", cases=tmp_path / "missing")  # a usage error later; no traceback now


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_readme_completion_line_for_each_shell_gives_a_script(shell: str) -> None:
    from tests.conftest import REPO

    readme = (REPO / "README.md").read_text("utf-8")
    assert f"_CCGTUI_COMPLETE={shell}_source ccgtui" in readme
    result = CliRunner().invoke(
        cli, [], env={"_CCGTUI_COMPLETE": f"{shell}_source"}, prog_name="ccgtui"
    )
    assert result.exit_code == 0
    assert "_CCGTUI_COMPLETE" in result.stdout  # the script calls ccgtui back on TAB
