"""The core CLI commands: output, exit codes, and no Textual on the CLI path."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ccgtui.cli import cli
from tests.conftest import MINIMAL_CASE


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_validate_ok(minimal_folder: Path) -> None:
    code, out, _ = run("--cases", str(minimal_folder), "validate")
    assert code == 0
    assert "valid (1 study, 1 case, 1 source)" in out


def test_validate_lists_every_problem(minimal_folder: Path) -> None:
    (minimal_folder / "case-a.yaml").write_text(
        MINIMAL_CASE.replace("arena: board", "arena: x").replace("place:", "plcae:")
    )
    code, _, err = run("--cases", str(minimal_folder), "validate")
    assert code == 1
    assert "2 problems in case folder" in err
    assert "case-a.yaml:5: plcae: unknown key" in err
    assert "case-a.yaml:9: story[0].arena: 'x' is not allowed" in err
    assert "Traceback" not in err


def test_list_json_is_clean_for_pipes(minimal_folder: Path) -> None:
    code, out, _ = run("--cases", str(minimal_folder), "list", "--format", "json")
    assert code == 0
    assert json.loads(out)[0] == {
        "id": "case-a",
        "kind": "in-depth",
        "label": "Case A",
        "study": "study-a",
        "illustrative": False,
    }


def test_list_csv(minimal_folder: Path) -> None:
    code, out, _ = run("--cases", str(minimal_folder), "list", "--format", "csv")
    assert code == 0
    assert out.splitlines() == [
        "id,kind,label,study,illustrative",
        "case-a,in-depth,Case A,study-a,False",
    ]


def test_list_table_shows_markup_literally(minimal_folder: Path) -> None:
    (minimal_folder / "case-a.yaml").write_text(
        MINIMAL_CASE.replace("label: Case A", 'label: "[bold red]x[/]"')
    )
    code, out, _ = run("--cases", str(minimal_folder), "list")
    assert code == 0
    assert "[bold red]x[/]" in out


def test_show_prints_story_partners_and_unknowns(minimal_folder: Path) -> None:
    code, out, _ = run("--cases", str(minimal_folder), "show", "case-a")
    assert code == 0
    assert "The board agreed. [src-a]" in out
    assert "Social work" in out and "local authority" not in out
    assert "Place: UNKNOWN: Not reported in available sources" in out
    assert "[src-a] Doe J. A paper. A Journal 2018. doi:10.1000/xyz" in out


def test_show_one_section(minimal_folder: Path) -> None:
    code, out, _ = run("--cases", str(minimal_folder), "show", "case", "--section", "partners")
    assert code == 0
    assert out.startswith("Partners\n")
    assert "Story" not in out


def test_show_unknown_case_exits_1_with_suggestion(minimal_folder: Path) -> None:
    code, _, err = run("--cases", str(minimal_folder), "show", "cse-a")
    assert code == 1
    assert "no case matches 'cse-a'" in err and "Did you mean: case-a" in err


def test_study_text_and_json(minimal_folder: Path) -> None:
    code, out, _ = run("--cases", str(minimal_folder), "study")
    assert code == 0 and "1. Scoping: Look around. [src-a]" in out
    code, out, _ = run("--cases", str(minimal_folder), "study", "--format", "json")
    assert json.loads(out)["id"] == "study-a"
    code, _, err = run("--cases", str(minimal_folder), "study", "nope")
    assert code == 1 and "known studies: study-a" in err


def test_load_and_db_commands(minimal_folder: Path, isolated_db: Path) -> None:
    code, out, _ = run("--cases", str(minimal_folder), "load")
    assert code == 0 and "loaded 1 case from" in out
    code, out, _ = run("db", "path")
    assert code == 0 and str(isolated_db) in out
    code, out, _ = run("db", "check")
    assert code == 0 and out.startswith("ok:")
    isolated_db.write_text("{broken")
    code, _, err = run("db", "check")
    assert code == 1 and "not valid JSON" in err


def test_usage_error_exits_2() -> None:
    code, _, err = run("list", "--format", "xml")
    assert code == 2 and "Invalid value" in err


def _command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    ctx = click.Context(group)
    paths = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        if isinstance(command, click.Group):
            paths += _command_paths(command, (*prefix, name))
        else:
            paths.append((*prefix, name))
    return paths


def test_help_on_every_command_has_an_example() -> None:
    from ccgtui.cli.main import cli

    paths = _command_paths(cli)
    assert ("db", "restore") in paths and ("note", "add") in paths  # the walk reaches groups
    missing = []
    for path in paths:
        code, out, _ = run(*path, "--help")
        assert code == 0, path
        if "Example" not in out:
            missing.append(" ".join(path))
    assert missing == []


def test_cli_does_not_import_textual(minimal_folder: Path) -> None:
    code = (
        "import sys; from ccgtui.cli import cli\n"
        "try:\n    cli(['--cases', sys.argv[1], 'list', '--format', 'json'])\n"
        "except SystemExit:\n    pass\n"
        "assert 'textual' not in sys.modules, 'textual imported on the CLI path'\n"
        "print('no-textual')"
    )
    env = {**os.environ}
    result = subprocess.run(
        [sys.executable, "-c", code, str(minimal_folder)], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("no-textual")


def installed_ccgtui() -> str:
    found = shutil.which("ccgtui") or str(Path(sys.executable).parent / "ccgtui")
    if not Path(found).exists():
        pytest.skip("ccgtui is not installed")
    return found


def test_installed_console_script(minimal_folder: Path) -> None:
    result = subprocess.run(
        [installed_ccgtui(), "--cases", str(minimal_folder), "list", "--format", "json"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["id"] == "case-a"


def test_python_dash_m(minimal_folder: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ccgtui", "--cases", str(minimal_folder), "validate"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_help_imports_no_command_module_and_no_pydantic() -> None:
    code = (
        "import sys; from ccgtui.cli import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in sys.modules if m.startswith(('pydantic', 'textual', 'ccgtui.cli.'))"
        # cli.filters (FILTERS parsing) and cli.complete (TAB completion of ids) import only
        # click and safe_text; they are argument helpers, not commands.
        # cli.folder, cli.show and cli.database hold the core commands (split from cli.main).
        " and m not in ('ccgtui.cli.main', 'ccgtui.cli.context', 'ccgtui.cli.output',"
        " 'ccgtui.cli.filters', 'ccgtui.cli.complete', 'ccgtui.cli.folder', 'ccgtui.cli.show',"
        " 'ccgtui.cli.database')]\n"
        "print('HEAVY', heavy)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "HEAVY []" in result.stdout, result.stdout[-500:]


def test_every_lazy_command_exists_and_has_help() -> None:
    import importlib

    from ccgtui.cli.main import LAZY_COMMANDS, LAZY_HELP

    assert set(LAZY_HELP) == set(LAZY_COMMANDS)
    import click

    def leaves(command: click.Command) -> list[click.Command]:
        if isinstance(command, click.Group):
            return [leaf for sub in command.commands.values() for leaf in leaves(sub)]
        return [command]

    for name, target in LAZY_COMMANDS.items():
        module, attr = target.split(":")
        for command in leaves(getattr(importlib.import_module(module), attr)):
            assert command.help and "xample" in command.help, (name, command.name)


# -- paths that cannot be used: one clear line, nothing renamed --------------------------


def test_db_that_is_not_a_regular_file_is_refused(minimal_folder: Path, tmp_path: Path) -> None:
    # Like --db /dev/null: a special file must never be moved aside or replaced.
    fifo = tmp_path / "a-fifo"
    os.mkfifo(fifo)
    code, _, err = run("--db", str(fifo), "--cases", str(minimal_folder), "list")
    assert code == 1 and "not a regular file" in err, err
    assert fifo.is_fifo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-fifo", "cases"]  # no lock, no db
    # A folder is fine: the database goes inside it.
    folder = tmp_path / "a-folder"
    folder.mkdir()
    assert run("--db", str(folder), "--cases", str(minimal_folder), "list")[0] == 0
    assert (folder / "ccgtui.json").is_file()


def test_unusable_paths_give_one_line_not_a_traceback(minimal_folder: Path, tmp_path: Path) -> None:
    a_file = tmp_path / "plain-file"
    a_file.write_text("")
    db = a_file / "sub" / "db.json"
    code, _, err = run("--db", str(db), "--cases", str(minimal_folder), "list")
    # An explicit --db in a folder that does not exist is refused, never created (issue 12).
    assert code == 1 and "database folder" in err and "Traceback" not in err
    code, _, err = run("init", str(a_file / "cases"))
    assert code == 1 and "cannot create" in err and "Traceback" not in err
