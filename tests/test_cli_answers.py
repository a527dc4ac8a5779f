"""Issue 12: the CLI never gives a confident wrong answer.

A mistyped folder, a load that did not load, an ambiguous or mistyped case
reference: each says what happened and exits with the code that means it.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from click.testing import CliRunner

from ccgtui.cli import cli
from tests.conftest import MINIMAL_CASE, MINIMAL_SOURCES, MINIMAL_STUDY, write_folder


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def other_folder(tmp_path: Path) -> Path:
    """A valid folder whose one case is not case-a."""
    case = MINIMAL_CASE.replace("id: case-a", "id: other-case").replace("Case A", "Other")
    return write_folder(
        tmp_path / "other",
        {"sources.yaml": MINIMAL_SOURCES, "study.yaml": MINIMAL_STUDY, "other.yaml": case},
    )


def break_folder(folder: Path) -> None:
    (folder / "case-a.yaml").write_text(MINIMAL_CASE.replace("kind: in-depth", "kind: nonsense"))


# -- item 1: --cases names the folder that answers -----------------------------------


def test_missing_cases_folder_is_a_usage_error(minimal_folder: Path, tmp_path: Path) -> None:
    assert run("--cases", str(minimal_folder), "load")[0] == 0
    code, out, err = run("--cases", str(tmp_path / "nonexist"), "show", "case-a")
    assert code == 2, (out, err)
    assert "nonexist" in err and "does not exist" in err
    assert "Case A" not in out


def test_broken_folder_is_never_answered_from_another_folders_cache(
    minimal_folder: Path, tmp_path: Path
) -> None:
    other = other_folder(tmp_path)
    assert run("--cases", str(other), "load")[0] == 0  # the database now holds `other`
    break_folder(minimal_folder)  # never loaded: no last good data of its own
    code, out, err = run("--cases", str(minimal_folder), "list", "--format", "json")
    assert code == 1, (out, err)
    assert "other-case" not in out
    assert "kind" in err  # the problem itself is listed


def test_last_good_data_of_the_same_folder_says_so_and_how_to_validate(
    minimal_folder: Path,
) -> None:
    assert run("--cases", str(minimal_folder), "load")[0] == 0
    break_folder(minimal_folder)
    code, out, err = run("--cases", str(minimal_folder), "list", "--format", "json")
    assert code == 0 and "case-a" in out
    assert "last good data" in err
    assert f"ccgtui --cases {shlex.quote(str(minimal_folder))} validate" in err


# -- item 2: a load that did not load -----------------------------------------------


def test_load_of_a_broken_folder_exits_1_and_leaves_the_db_byte_identical(
    minimal_folder: Path, isolated_db: Path
) -> None:
    assert run("--cases", str(minimal_folder), "load")[0] == 0
    files = sorted(p for p in isolated_db.parent.rglob("*") if p.is_file() and p.suffix != ".lock")
    before = {p: p.read_bytes() for p in files}
    break_folder(minimal_folder)
    code, out, err = run("--cases", str(minimal_folder), "load")
    assert code == 1, (out, err)
    assert "loaded" not in out
    assert "database left unchanged" in err
    after = sorted(p for p in isolated_db.parent.rglob("*") if p.is_file() and p.suffix != ".lock")
    assert after == files
    assert {p: p.read_bytes() for p in files} == before


def test_first_load_of_a_broken_folder_says_database_left_unchanged(minimal_folder: Path) -> None:
    break_folder(minimal_folder)
    code, _, err = run("--cases", str(minimal_folder), "load")
    assert code == 1 and "database left unchanged" in err


# -- item 3: case lookup messages ---------------------------------------------------


def test_ambiguous_prefix_lists_every_candidate() -> None:
    code, _, err = run("show", "in-depth")
    assert code == 1
    assert "no case matches" not in err
    assert "matches 6 cases" in err
    for n in range(1, 7):
        assert f"in-depth-{n}" in err


def test_typo_gets_the_nearest_ids() -> None:
    code, _, err = run("show", "compsite")
    assert code == 1
    assert "Did you mean: composite-frail-elderly" in err


def test_show_text_lists_the_ids_note_add_needs(minimal_folder: Path) -> None:
    code, out, _ = run("--cases", str(minimal_folder), "show", "case-a")
    assert code == 0
    for target in ("stage:case-a/start", "arena:case-a/board", "partner:case-a/1"):
        assert target in out
    # and each one really is accepted by `note add`
    code, out, err = run("--cases", str(minimal_folder), "note", "add", "stage:case-a/start", "x")
    assert code == 0, err


# -- item 6: grammar --------------------------------------------------------------


def test_one_of_a_thing_is_singular(minimal_folder: Path) -> None:
    code, out, _ = run("--cases", str(minimal_folder), "validate")
    assert code == 0 and "(1 study, 1 case, 1 source)" in out
    code, out, _ = run("--cases", str(minimal_folder), "load")
    assert code == 0 and "loaded 1 case from" in out
    break_folder(minimal_folder)
    code, _, err = run("--cases", str(minimal_folder), "list")
    assert "1 problems" not in err and "1 problem" in err


def test_citation_of_a_title_ending_in_a_question_mark(tmp_path: Path) -> None:
    sources = MINIMAL_SOURCES.replace("title: A paper", "title: Who leads?").replace(
        "authors: [Doe J]", "authors: [Doe J, et al.]"
    )
    folder = write_folder(
        tmp_path / "q",
        {"sources.yaml": sources, "study.yaml": MINIMAL_STUDY, "case-a.yaml": MINIMAL_CASE},
    )
    code, out, _ = run("--cases", str(folder), "show", "case-a", "--section", "sources")
    assert code == 0
    assert "Who leads? A Journal 2018." in out
    assert "?." not in out and "al.." not in out
