"""``-key:value`` exclusion filters on the command line, without ``--``.

Every command with a FILTERS argument (list, search, matrix, export) takes
``-kind:scoping`` as a filter; real options, unknown options and option typos
still fail with a clear usage error (exit 2).
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from ccgtui.cli import cli

IN_DEPTH = [f"in-depth-{n}" for n in range(1, 7)]
ALL_CASES = ["composite-frail-elderly", *IN_DEPTH, "scoping-15-ccgs", "coleman-eight-early-ccgs"]


def run(*args: str) -> tuple[int, str, str]:
    """Run ccgtui on the bundled study (each test has its own database)."""
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def listed(*args: str) -> list[str]:
    code, out, err = run("list", "--format", "json", *args)
    assert code == 0, err
    return [row["id"] for row in json.loads(out)]


def test_the_bundled_case_ids_this_file_relies_on() -> None:
    assert sorted(listed()) == sorted(ALL_CASES)


@pytest.mark.parametrize(
    "args",
    [
        ("-kind:scoping",),
        ("-kind:scoping", "-kind:composite"),
        ("-Kind:scoping",),  # keys are case-insensitive, as in the explorer
        ("-study:nope",),
    ],
)
def test_list_excludes_without_double_dash(args: tuple[str, ...]) -> None:
    assert listed(*args) == listed("--", *args)
    assert "scoping-15-ccgs" not in listed("-kind:scoping", *args[1:])


def test_list_exclusions_mix_with_filters_and_options() -> None:
    assert listed("kind:in-depth", "-sector:social-work") == IN_DEPTH
    # Coleman's eight are a related study's case studies, not scoping sites (issue 15).
    assert listed("-kind:scoping", "-kind:in-depth") == [
        "composite-frail-elderly",
        "coleman-eight-early-ccgs",
    ]
    code, out, _ = run("list", "-kind:in-depth", "--format", "csv", "-kind:composite")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in rows] == ["scoping-15-ccgs", "coleman-eight-early-ccgs"]


def test_has_and_is_filters_are_not_read_as_the_help_option() -> None:
    code, out, err = run("list", "-is:illustrative", "--format", "json")
    assert code == 0, err
    assert "Usage" not in out and len(json.loads(out)) == len(ALL_CASES)
    code, _, err = run("list", "-has:unknowns")
    assert code == 1 and "no case matches '-has:unknowns'" in err


def test_search_excludes_without_double_dash() -> None:
    code, out, _ = run("search", "leadership", "-kind:composite", "--format", "json")
    assert code == 0
    hits = json.loads(out)
    assert hits and all(h["case_id"] != "composite-frail-elderly" for h in hits)
    assert run("search", "--format", "json", "--", "leadership", "-kind:composite")[1] == out
    code, _, err = run("search", "frail", "-kind:composite")
    assert code == 1 and "with -kind:composite" in err
    # An exclusion before the words, and the --limit option after them.
    code, out, _ = run(
        "search", "-kind:composite", "leadership", "--limit", "2", "--format", "json"
    )
    assert code == 0 and len(json.loads(out)) == 2


def test_matrix_excludes_without_double_dash() -> None:
    code, out, err = run("matrix", "-kind:scoping", "--by", "arenas", "--format", "json")
    assert code == 0, err
    ids = [row["id"] for row in json.loads(out)["rows"]]
    assert "scoping-15-ccgs" not in ids and "composite-frail-elderly" in ids
    code, _, err = run("matrix", "frail")
    assert code == 2 and "matrix takes only key:value filters" in err


def test_export_excludes_without_double_dash() -> None:
    code, out, err = run("export", "csv", "-kind:scoping", "-kind:in-depth", "-kind:related-study")
    assert code == 0, err
    ids = [r["id"] for r in csv.DictReader(io.StringIO(out))]
    assert ids == ["composite-frail-elderly"]
    # The filter may come before FORMAT too.
    code, out2, _ = run("export", "-kind:scoping", "csv", "-kind:in-depth", "-kind:related-study")
    assert code == 0 and out2 == out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("list", "--formt", "json"), "No such option '--formt'. Did you mean '--format'?"),
        (("search", "frail", "-x"), "No such option '-x'"),
        (("search", "frail", "--limt", "3"), "Did you mean '--limit'?"),
        (("export", "csv", "--forse"), "No such option '--forse'"),
        (("list", "-sectr:social-work"), "Did you mean -sector:social-work?"),
        (("list", "-format:json"), "Did you mean --format json?"),
        (("matrix", "-bogus:x"), "neither an option nor a filter; filters are study:, kind:"),
        (("list", "--kind:scoping"), "write '-kind:scoping' (one dash)"),
        (("list", "-kind:bogus"), "kind:bogus is not allowed; use one of: in-depth"),
        (("search", "frail", "-kind:"), "filter kind: needs a value"),
    ],
)
def test_options_and_their_typos_still_fail_clearly(args: tuple[str, ...], expected: str) -> None:
    code, _, err = run(*args)
    assert code == 2, err
    assert expected in err


def test_a_short_option_glued_to_a_colon_stays_an_option(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """``-o:name`` is ``-o`` with the value ``:name`` (there is no ``o:`` filter)."""
    code, _, err = run("export", "md", "-kind:scoping", f"-o{tmp_path}/x:y.md")
    assert code == 0, err
    assert (tmp_path / "x:y.md").read_text(encoding="utf-8").startswith("#")


def test_filter_words_after_double_dash_are_left_alone() -> None:
    assert listed("-kind:scoping", "--", "-kind:composite") == listed(
        "--", "-kind:scoping", "-kind:composite"
    )


def test_help_still_imports_nothing_heavy() -> None:
    """Parsing arguments with no filter words imports neither the query layer nor pydantic."""
    code = (
        "import sys; from ccgtui.cli import cli\n"
        "for args in (['--help'], ['list', '--help'], ['search', '--help']):\n"
        "    try:\n        cli(args)\n    except SystemExit:\n        pass\n"
        "print('HEAVY', [m for m in sys.modules if m.startswith(('pydantic', 'textual',"
        " 'ccgtui.query', 'ccgtui.model'))])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "HEAVY []" in result.stdout, result.stdout[-500:] + result.stderr[-500:]


def test_list_help_shows_the_exclusion_without_double_dash() -> None:
    code, out, _ = run("list", "--help")
    assert code == 0 and "ccgtui list sector:social-work -is:illustrative" in out
    code, out, _ = run("search", "--help")
    assert code == 0 and "ccgtui search frail -kind:composite" in out and "after --" not in out
