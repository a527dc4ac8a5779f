"""YAML aliases may not expand a small case file into gigabytes (issue 13, item 3).

A 141 kB file with one 100 kB anchor and 10,000 aliases used to validate as
"valid" at 1 GB of memory; within the 5 MB file limit the same trick reaches
terabytes.  The loader measures the expanded size on the node graph (each
shared node counted once per use, without building anything) and refuses the
file at the line where the repetition starts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ccgtui.loader import LoadError, load_folder
from tests.conftest import MINIMAL_CASE
from tests.hostile.case_folders import run_cli, terminal_safe, valid_folder

BIG = "x" * 100_000


def _bomb_case(kind: str) -> str:
    """The minimal case plus a list (line 5) that repeats one 100 kB anchor 10,000 times."""
    if kind == "mapping":  # an alias to a mapping: each use was a new 100 kB statement
        first = f'findings: [&big {{text: "{BIG}", sources: [src-a]}}'
    elif kind == "scalar":  # an alias to a string: shared while parsing, copied after
        first = f'themes: [&big "{BIG}"'
    else:
        raise ValueError(kind)
    repeated = ", ".join([first] + ["*big"] * 10_000) + "]"
    return MINIMAL_CASE.replace("label: Case A\n", f"label: Case A\n{repeated}\n")


def _laughs_case() -> str:
    """Nested aliases: ten levels of ten, 10**10 strings from a file of 2 kB."""
    lines = ['  l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, 10):
        lines.append(f"  l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 10) + "]")
    return MINIMAL_CASE.replace(
        "label: Case A\n", "label: Case A\nfindings:\n  - text: lol\n    note: *l9\n"
    ).replace("id: case-a\n", "id: case-a\nx-laughs:\n" + "\n".join(lines) + "\n")


@pytest.mark.parametrize("kind", ["mapping", "scalar"])
@pytest.mark.parametrize("command", ["validate", "load"])
def test_an_alias_bomb_is_refused_within_512_mb(tmp_path: Path, kind: str, command: str) -> None:
    folder = valid_folder(tmp_path / "cases", _bomb_case(kind))
    assert (folder / "case-a.yaml").stat().st_size < 200_000
    result = run_cli(["--cases", str(folder), command], tmp_path / "db.json", memory_mb=512)
    err = result.stderr.decode()
    assert result.returncode == 1, err[-2000:]
    assert "Traceback" not in err and "MemoryError" not in err
    assert f"{folder / 'case-a.yaml'}:5: " in err, err[-2000:]
    assert "aliases" in err
    assert terminal_safe(result.stdout + result.stderr)
    assert not (tmp_path / "db.json").exists()  # nothing was cached


def test_nested_aliases_are_refused_without_expanding_them(tmp_path: Path) -> None:
    folder = valid_folder(tmp_path / "cases", _laughs_case())
    with pytest.raises(LoadError) as info:
        load_folder(folder)
    problems = [p for p in info.value.problems if "aliases" in p.message]
    assert len(problems) == 1
    assert problems[0].file.endswith("case-a.yaml") and problems[0].line is not None


def test_a_few_aliases_still_load(tmp_path: Path) -> None:
    """Reusing an anchor is legitimate YAML; only runaway expansion is refused."""
    case = MINIMAL_CASE.replace("sources: [src-a]", "sources: &cited [src-a]", 1).replace(
        "    text: Social work joined.\n    sources: [src-a]",
        "    text: Social work joined.\n    sources: *cited",
    )
    assert "*cited" in case
    dataset = load_folder(valid_folder(tmp_path / "cases", case))
    assert dataset.cases[0].partners[0].sources == ["src-a"]  # type: ignore[index]


def test_a_recursive_alias_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    case = MINIMAL_CASE.replace("label: Case A\n", "label: Case A\nthemes: &t [a, *t]\n")
    with pytest.raises(LoadError) as info:
        load_folder(valid_folder(tmp_path / "cases", case))
    (problem,) = info.value.problems
    assert problem.line == 5 and "itself" in problem.message
