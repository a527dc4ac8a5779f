"""Mapping keys and file names in problem messages are shown escaped (issue 13, item 2).

Values in case files were cleaned, but a key such as ``"\\e]0;pwned\\a"`` (retitles
the window), ``"\\e]52;c;..."`` (writes the clipboard) or a file name holding
``\\e[2J`` reached the terminal raw through ``validate``, ``load`` and every
command that opens the store.  Identifiers and labels also lose bidi overrides
and zero-width characters, which make one id look like another.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ccgtui.cli import cli
from ccgtui.loader import LoadError, Problem, load_folder
from tests.conftest import MINIMAL_CASE
from tests.hostile.case_folders import run_cli, terminal_safe, valid_folder

KEY = "\x1b]0;pwned\x07"
SHOWN_KEY = "\\x1b]0;pwned\\x07"


def _hostile_key_folder(root: Path) -> Path:
    case = MINIMAL_CASE.replace("label: Case A\n", 'label: Case A\n"\\e]0;pwned\\a": 1\n')
    return valid_folder(root, case)


@pytest.mark.parametrize("command", [["validate"], ["load"], ["list"], ["show", "case-a"]])
def test_a_hostile_key_is_shown_escaped_by_every_command(
    tmp_path: Path, command: list[str]
) -> None:
    folder = _hostile_key_folder(tmp_path / "cases")
    result = CliRunner().invoke(cli, ["--cases", str(folder), *command])
    assert result.exit_code == 1
    assert KEY not in result.output and "\x1b" not in result.stderr + result.stdout
    assert SHOWN_KEY in result.stderr
    assert "case-a.yaml:5: " in result.stderr


def test_a_hostile_file_name_is_shown_escaped(tmp_path: Path) -> None:
    folder = valid_folder(tmp_path / "cases")
    (folder / "x\x1b[2J\u202e.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    result = run_cli(["--cases", str(folder), "validate"], tmp_path / "db.json")
    assert result.returncode == 1
    err = result.stderr.decode()
    assert "x\\x1b[2J\\u202e.yaml" in err
    assert terminal_safe(result.stdout + result.stderr) and "\u202e" not in err


def test_a_duplicate_case_id_names_the_first_file_escaped(tmp_path: Path) -> None:
    folder = valid_folder(tmp_path / "cases")
    (folder / "a\x1b]0;x\x07.yaml").write_text(MINIMAL_CASE, encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_folder(folder)
    shown = str(info.value)
    assert "\x1b" not in shown and "\x07" not in shown
    assert "duplicate case id 'case-a' (first defined in " in shown
    assert "a\\x1b]0;x\\x07.yaml" in shown


def test_a_problem_shows_every_part_escaped() -> None:
    shown = str(Problem("f\x1b.yaml", 3, f"story[0].{KEY}", "unknown key \x9b2J"))
    assert shown.startswith("'f\\x1b.yaml':3: ")
    assert SHOWN_KEY in shown and "\x1b" not in shown and "\x9b" not in shown


def test_labels_and_themes_lose_bidi_overrides_and_zero_width_characters(tmp_path: Path) -> None:
    case = MINIMAL_CASE.replace(
        "label: Case A\n", 'label: "Case\\u202e A\\u200b"\nthemes: ["ad\\u2066min", "x"]\n'
    ).replace("title: Start", 'title: "St\\u200dart"')
    dataset = load_folder(valid_folder(tmp_path / "cases", case))
    chosen = dataset.cases[0]
    assert chosen.label == "Case A"
    assert chosen.themes == ["admin", "x"]
    assert chosen.story[0].title == "Start"  # type: ignore[index]
