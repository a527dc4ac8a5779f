"""The loader reports every problem with file, line and field, and round-trips."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccgtui.loader import MAX_FILE_BYTES, LoadError, Problem, fingerprint, load_folder
from ccgtui.model import Arena, Case, CaseKind, Partner, Sector, Stage, Statement, Unknown
from ccgtui.yaml_safety import TEXT_RESOLVERS
from tests.conftest import MINIMAL_CASE, MINIMAL_STUDY, write_folder


def problems_for(folder: Path) -> list[Problem]:
    with pytest.raises(LoadError) as info:
        load_folder(folder)
    return info.value.problems


def one_problem(folder: Path, file: str) -> Problem:
    found = [p for p in problems_for(folder) if p.file.endswith(file)]
    assert len(found) == 1, found
    return found[0]


def test_minimal_folder_loads(minimal_folder: Path) -> None:
    dataset = load_folder(minimal_folder)
    assert [c.id for c in dataset.cases] == ["case-a"]
    case = dataset.cases[0]
    assert case.place.unknown and case.place.text == "Not reported in available sources"
    assert isinstance(case.story, list) and case.story[0].arena is Arena.board


def test_yaml_syntax_error_names_file_and_line(minimal_folder: Path) -> None:
    (minimal_folder / "broken.yaml").write_text("id: x\nlabel: [unclosed\n")
    problem = one_problem(minimal_folder, "broken.yaml")
    assert "YAML syntax error" in problem.message
    assert problem.line == 3


def test_duplicate_key_is_an_error_not_a_silent_overwrite(minimal_folder: Path) -> None:
    text = MINIMAL_CASE.replace("label: Case A", "label: Case A\nlabel: Case B")
    (minimal_folder / "case-a.yaml").write_text(text)
    problem = one_problem(minimal_folder, "case-a.yaml")
    assert problem.field == "label" and problem.line == 5
    assert "duplicate key 'label' (first on line 4)" in problem.message


def test_yaml_merge_keys_may_repeat(minimal_folder: Path) -> None:
    text = MINIMAL_CASE.replace("label: Case A", "label: Case A\nx-base: &b {a: 1}")
    assert "x-base" in text  # an unknown key is still reported, but not as a duplicate
    (minimal_folder / "case-a.yaml").write_text(text + "x-merged:\n  <<: *b\n  a: 2\n")
    problems = problems_for(minimal_folder)
    assert problems and not any("duplicate" in p.message for p in problems)


def test_wrong_type(minimal_folder: Path) -> None:
    text = MINIMAL_CASE.replace("label: Case A", "label: Case A\nthemes: not-a-list")
    (minimal_folder / "case-a.yaml").write_text(text)
    problem = one_problem(minimal_folder, "case-a.yaml")
    assert problem.field == "themes"
    assert problem.line == 5
    assert "list" in problem.message


def test_missing_required_field(minimal_folder: Path) -> None:
    (minimal_folder / "case-a.yaml").write_text(MINIMAL_CASE.replace("label: Case A\n", ""))
    problem = one_problem(minimal_folder, "case-a.yaml")
    assert problem.field == "label"
    assert problem.message == "required field is missing"


def test_unknown_key_is_an_error(minimal_folder: Path) -> None:
    (minimal_folder / "case-a.yaml").write_text(MINIMAL_CASE.replace("place:", "plcae:"))
    problem = one_problem(minimal_folder, "case-a.yaml")
    assert problem.field == "plcae"
    assert problem.line == 5
    assert "unknown key" in problem.message


def test_vocabulary_value_lists_allowed_values(minimal_folder: Path) -> None:
    (minimal_folder / "case-a.yaml").write_text(
        MINIMAL_CASE.replace("arena: board", "arena: boardroom")
    )
    problem = one_problem(minimal_folder, "case-a.yaml")
    assert problem.field == "story[0].arena"
    assert problem.line == 9
    assert "'boardroom'" in problem.message and "board, programme, practice" in problem.message


def test_sector_vocabulary(minimal_folder: Path) -> None:
    (minimal_folder / "case-a.yaml").write_text(
        MINIMAL_CASE.replace("sector: social-work", "sector: social")
    )
    problem = one_problem(minimal_folder, "case-a.yaml")
    assert problem.field == "partners[0].sector"
    assert "social-work" in problem.message and "hwb" in problem.message


def test_duplicate_case_ids(minimal_folder: Path) -> None:
    (minimal_folder / "case-b.yaml").write_text(MINIMAL_CASE)
    problem = one_problem(minimal_folder, "case-b.yaml")
    assert problem.field == "id"
    assert "duplicate case id 'case-a'" in problem.message


def test_unresolved_source_id(minimal_folder: Path) -> None:
    (minimal_folder / "case-a.yaml").write_text(
        MINIMAL_CASE.replace("sources: [src-a]\npartners", "sources: [nope]\npartners")
    )
    problem = one_problem(minimal_folder, "case-a.yaml")
    assert problem.field == "story[0].sources[0]"
    assert problem.line == 12
    assert "'nope' is not defined" in problem.message


def test_unknown_study_reference(minimal_folder: Path) -> None:
    (minimal_folder / "case-a.yaml").write_text(MINIMAL_CASE.replace("study: study-a", "study: zz"))
    problem = one_problem(minimal_folder, "case-a.yaml")
    assert problem.field == "study" and "study-a" in problem.message


def test_file_over_size_limit(minimal_folder: Path) -> None:
    (minimal_folder / "huge.yaml").write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    assert "limit" in one_problem(minimal_folder, "huge.yaml").message


def test_binary_file(minimal_folder: Path) -> None:
    (minimal_folder / "blob.yaml").write_bytes(b"id: x\x00\x01\x02")
    assert "binary" in one_problem(minimal_folder, "blob.yaml").message


def test_non_utf8_file(minimal_folder: Path) -> None:
    (minimal_folder / "latin.yaml").write_bytes("id: caf\xe9\n".encode("latin-1"))
    problem = one_problem(minimal_folder, "latin.yaml")
    assert "UTF-8" in problem.message and problem.line == 1


def test_empty_folder(tmp_path: Path) -> None:
    (problem,) = problems_for(tmp_path)
    assert "empty case folder" in problem.message


def test_missing_folder(tmp_path: Path) -> None:
    (problem,) = problems_for(tmp_path / "absent")
    assert "does not exist" in problem.message


def test_missing_sources_file(minimal_folder: Path) -> None:
    (minimal_folder / "sources.yaml").unlink()
    problems = problems_for(minimal_folder)
    assert any("sources.yaml" in p.file and "missing file" in p.message for p in problems)


def test_every_problem_is_reported_not_just_the_first(minimal_folder: Path) -> None:
    (minimal_folder / "case-a.yaml").write_text(
        MINIMAL_CASE.replace("arena: board", "arena: x").replace("place:", "plcae:")
    )
    (minimal_folder / "broken.yaml").write_text(": : :\n")
    files = {Path(p.file).name for p in problems_for(minimal_folder)}
    assert files == {"case-a.yaml", "broken.yaml"}
    assert len(problems_for(minimal_folder)) == 3


def test_problem_string_format(minimal_folder: Path) -> None:
    (minimal_folder / "case-a.yaml").write_text(MINIMAL_CASE.replace("place:", "plcae:"))
    text = str(one_problem(minimal_folder, "case-a.yaml"))
    assert text.endswith(
        "case-a.yaml:5: plcae: unknown key (check the spelling; see docs/data-format.md)"
    )


def test_control_characters_are_stripped(minimal_folder: Path) -> None:
    (minimal_folder / "case-a.yaml").write_text(
        MINIMAL_CASE.replace("label: Case A", 'label: "\\e[31mRed\\x07 case\\u009b"')
    )
    label = load_folder(minimal_folder).cases[0].label
    assert label == "[31mRed case"
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in label)


def test_markup_in_text_is_kept_as_data(minimal_folder: Path) -> None:
    (minimal_folder / "case-a.yaml").write_text(
        MINIMAL_CASE.replace("label: Case A", 'label: "[bold red]x[/]"')
    )
    assert load_folder(minimal_folder).cases[0].label == "[bold red]x[/]"


def test_fingerprint_changes_when_a_file_changes(minimal_folder: Path) -> None:
    before = fingerprint(minimal_folder)
    assert fingerprint(minimal_folder) == before
    (minimal_folder / "case-a.yaml").write_text(MINIMAL_CASE + "themes: [x]\n")
    assert fingerprint(minimal_folder) != before


# -- round trip: model -> YAML -> loader -> equal model --------------------------------

_text = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\x85"
        ),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)
_ident = st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True)
_sources = st.just(["src-a"])
_statement = st.builds(Statement, text=_text, sources=_sources, unverified=st.booleans())
_stage = st.builds(
    Stage,
    id=_ident,
    title=_text,
    text=_text,
    sources=_sources,
    arena=st.sampled_from(list(Arena)),
    sectors=st.lists(st.sampled_from(list(Sector)), max_size=3),
)
_partner = st.builds(
    Partner,
    sector=st.sampled_from(list(Sector)),
    text=_text,
    sources=_sources,
    organisation=st.none() | _text,
)
_unknown = st.builds(Unknown, unknown=st.just(True))


@st.composite
def cases(draw: st.DrawFn) -> Case:
    stages = draw(st.lists(_stage, max_size=4, unique_by=lambda s: s.id))
    return Case(
        id=draw(_ident),
        study="study-a",
        kind=draw(st.sampled_from([CaseKind.in_depth, CaseKind.composite, CaseKind.scoping])),
        label=draw(_text),
        place=draw(_statement | st.just(Statement(unknown=True))),
        story=stages,
        partners=draw(st.lists(_partner, max_size=3) | _unknown),
        arenas=draw(
            st.dictionaries(
                st.sampled_from(list(Arena)), st.lists(_statement, max_size=2) | _unknown
            )
        ),
        barriers=draw(st.lists(_statement, max_size=2) | _unknown),
        themes=draw(st.lists(_ident, max_size=3)),
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=cases())
def test_case_round_trips_through_yaml(minimal_folder: Path, case: Case) -> None:
    data = case.model_dump(mode="json", exclude_defaults=True)
    (minimal_folder / "case-a.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    loaded = load_folder(minimal_folder).cases[0]
    assert loaded == case


def test_subfolder_studies_are_loaded(minimal_folder: Path) -> None:
    write_folder(
        minimal_folder,
        {"studies/other.yaml": "id: study-b\ntitle: Another study\n"},
    )
    assert [s.id for s in load_folder(minimal_folder).studies] == ["study-a", "study-b"]


def test_big_folders_are_parsed_in_parallel_with_the_same_result(
    minimal_folder: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from ccgtui import loader

    for i in range(loader.PARALLEL_MIN_FILES):
        (minimal_folder / f"case-{i:04d}.yaml").write_text(
            MINIMAL_CASE.replace("id: case-a", f"id: case-{i:04d}")
        )
    (minimal_folder / "case-0007.yaml").write_text(
        MINIMAL_CASE.replace("id: case-a", "id: case-0007").replace("arena: board", "arena: x")
    )
    (minimal_folder / "zz-broken.yaml").write_text("id: [\n")
    with caplog.at_level(logging.DEBUG, logger="ccgtui.loader"):
        problems = problems_for(minimal_folder)
    assert "checked 502 case files in a process pool" in caplog.messages  # 500 + a + broken
    assert [(Path(p.file).name, p.line, p.field) for p in problems] == [
        ("case-0007.yaml", 9, "story[0].arena"),
        ("zz-broken.yaml", 2, ""),
    ]
    (minimal_folder / "case-0007.yaml").unlink()
    (minimal_folder / "zz-broken.yaml").unlink()
    dataset = load_folder(minimal_folder)
    assert len(dataset.cases) == loader.PARALLEL_MIN_FILES  # 499 numbered + case-a
    assert [c.id for c in dataset.cases][:2] == ["case-0000", "case-0001"]


def _every_kind_of_problem(folder: Path) -> None:
    """A folder with one of each problem a case file can have, some across files."""
    bad = {
        "c-arena.yaml": MINIMAL_CASE.replace("arena: board", "arena: boardroom"),
        "c-refs.yaml": MINIMAL_CASE.replace("[src-a]", "[nope, src-a]").replace(
            "place: {unknown: true}", "place: {unknown: true, sources: [gone]}"
        ),
        "c-study.yaml": MINIMAL_CASE.replace("study: study-a", "study: zz"),
        "c-dup-id.yaml": MINIMAL_CASE,  # case-a again
        "c-dup-key.yaml": MINIMAL_CASE.replace("label: Case A", "label: A\nlabel: B"),
        "c-syntax.yaml": "id: [\n",
        "c-binary.yaml": "id: x\x00",
        "c-list.yaml": "- a\n",
        "c-date.yaml": MINIMAL_CASE.replace(
            "label: Case A", "label: Case A\nwhen: !!timestamp 2015-13-45"
        ),
        "c-many.yaml": MINIMAL_CASE.replace("place:", "plcae:").replace(
            "kind: in-depth", "kind: x"
        ),
    }
    for i, (name, text) in enumerate(bad.items()):
        (folder / name).write_text(text.replace("id: case-a", f"id: case-{i}", i != 3))
    (folder / "study.yaml").write_text(MINIMAL_STUDY + "related: [nowhere]\n")


def test_the_process_pool_reports_exactly_what_one_process_reports(
    minimal_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ccgtui import loader

    _every_kind_of_problem(minimal_folder)
    monkeypatch.setattr(loader.parallel, "PARALLEL_MIN_FILES", 1)
    in_pool = problems_for(minimal_folder)
    monkeypatch.setattr(loader.parallel, "PARALLEL_MIN_FILES", 10**9)
    here = problems_for(minimal_folder)
    assert in_pool == here
    found = {(Path(p.file).name, p.field) for p in here}
    assert {
        ("c-arena.yaml", "story[0].arena"),
        ("c-refs.yaml", "story[0].sources[0]"),
        ("c-refs.yaml", "place.sources[0]"),
        ("c-study.yaml", "study"),
        ("case-a.yaml", "id"),  # case-a again, after c-dup-id.yaml
        ("c-dup-key.yaml", "label"),
        ("c-syntax.yaml", ""),
        ("c-binary.yaml", ""),
        ("c-list.yaml", ""),
        ("c-date.yaml", ""),
        ("c-many.yaml", "plcae"),
        ("c-many.yaml", "kind"),
        ("study.yaml", "related[0]"),
    } <= found


def test_an_impossible_date_is_a_problem_at_its_line(minimal_folder: Path) -> None:
    (minimal_folder / "case-a.yaml").write_text(
        MINIMAL_CASE.replace("label: Case A", "label: Case A\nperiod: !!timestamp 2015-13-45")
    )  # PyYAML let datetime's ValueError escape (a traceback); a plain 2015-13-45 is text
    problem = one_problem(minimal_folder, "case-a.yaml")
    assert problem.line == 5 and "'2015-13-45' is not a valid date" in problem.message


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("[' src-a ']", None),  # spaces are stripped by validation: the id resolves
        ("[src-a, src-b]", "'src-b' is not defined"),
        ("[123]", "'123' is not defined"),  # a number is read as text
    ],
)
def test_source_ids_are_checked_as_validated(
    minimal_folder: Path, written: str, problem: str | None
) -> None:
    text = MINIMAL_CASE.replace(
        "partners:\n", f"partners:\n  - {{sector: hwb, text: T, sources: {written}}}\n"
    )
    (minimal_folder / "case-a.yaml").write_text(text)
    if problem is None:
        assert load_folder(minimal_folder).cases[0].partners[0].sources == ["src-a"]  # type: ignore[index]
    else:
        found = one_problem(minimal_folder, "case-a.yaml")
        assert found.field.startswith("partners[0].sources[") and problem in found.message


def test_a_pool_starts_even_when_stderr_has_no_real_descriptor(minimal_folder: Path) -> None:
    """Textual's print capture answers fileno() with -1; the pool's helper process then
    failed to start ("bad value(s) in fds_to_keep") and the explorer parsed in one process.
    Run in a fresh interpreter: the helper starts once per process."""
    from ccgtui import loader

    for i in range(loader.PARALLEL_MIN_FILES):
        (minimal_folder / f"case-{i:04d}.yaml").write_text(
            MINIMAL_CASE.replace("id: case-a", f"id: case-{i:04d}")
        )
    script = f"""
import io, json, logging, sys
from ccgtui.loader import load_folder

class Capture(io.StringIO):
    def fileno(self) -> int:
        return -1  # as textual.app._PrintCapture

messages = []
handler = logging.Handler()
handler.emit = lambda record: messages.append(record.getMessage())
logging.getLogger("ccgtui.loader").addHandler(handler)
logging.getLogger("ccgtui.loader").setLevel(logging.DEBUG)
sys.stderr = capture = Capture()
cases = len(load_folder({str(minimal_folder)!r}).cases)
print(json.dumps({{"cases": cases, "log": messages, "kept": sys.stderr is capture}}))
"""
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {
        "cases": loader.PARALLEL_MIN_FILES + 1,
        "log": [f"checked {loader.PARALLEL_MIN_FILES + 1} case files in a process pool"],
        "kept": True,
    }


class _TextPyYAML(yaml.CSafeLoader):  # type: ignore[misc]
    """PyYAML's own safe loader with the loader's resolvers: plain scalars stay text."""

    yaml_implicit_resolvers = TEXT_RESOLVERS


_YAML_DOCUMENTS = [
    "a: 1\nb: [x, 'y', \"z\", 2.5, -3, 0x1F, 0o17, 1_000, .inf, ~, null, true, no, On]\n",
    "when: 2001-12-14t21:59:43.10-05:00\nday: 2002-12-14\nbin: !!binary aGVsbG8=\n",
    "base: &b {a: 1, b: [1, 2]}\nuse: *b\nmerged:\n  <<: *b\n  a: 2\n",
    "s: !!set {a, b}\no: !!omap [a: 1, b: 2]\np: !!pairs [a: 1, a: 2]\n",
    "text: |\n  two\n  lines\nfolded: >\n  one\n  line\nq: '1'\nk: \"yes\"\n",
    "? [a, b]\n: c\n",
    "1: a\n1.0: b\n",
    "rec: &r [1, *r]\n",
    "x: !!str 12\ny: !!int '7'\nz: !!float 1\nn: !!null ''\n",
    "x: !!python/object:os.system ls\n",
    "",
    "just a scalar\n",
    "- [a, {b: c}]\n- {d: [e, f]}\n",
    "'': empty key\n~: null key\nyes: bool key\n",
]


@pytest.mark.parametrize("text", _YAML_DOCUMENTS)
def test_the_yaml_shortcut_reads_what_pyyaml_reads(text: str) -> None:
    from ccgtui.loader.yaml_file import SafeLoader as _SafeLoader

    def read(loader: type[yaml.SafeLoader]) -> object:
        try:
            return ("data", repr(yaml.load(text, Loader=loader)))  # noqa: S506 - safe loaders
        except yaml.YAMLError as exc:
            return ("error", type(exc).__name__, str(exc))

    ours, pyyaml = read(_SafeLoader), read(_TextPyYAML)
    if ours[0] == "error" and "duplicate key" in ours[2]:
        assert pyyaml[0] == "data"  # ours refuses a repeated key, PyYAML keeps the last
    elif ours[0] == "error" and "recursive alias" in ours[2]:
        assert pyyaml[0] == "data"  # ours refuses a list that contains itself
    else:
        assert ours == pyyaml


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(value=_json_values, flow=st.booleans() | st.none())
def test_the_yaml_shortcut_round_trips_what_safe_dump_writes(
    value: object, flow: bool | None
) -> None:
    from ccgtui.loader.yaml_file import SafeLoader as _SafeLoader

    text = yaml.safe_dump(value, default_flow_style=flow, allow_unicode=True)
    assert yaml.load(text, Loader=_SafeLoader) == yaml.load(text, Loader=_TextPyYAML)  # noqa: S506


@pytest.mark.parametrize(
    "value",
    [
        "",
        "a",
        "yes",
        "No",
        "on",
        "~",
        "null",
        "Null",
        "NULL",
        "1",
        "-1",
        "+1",
        "0x1f",
        "0o7",
        "1_0",
        "1.5",
        ".5",
        "-.inf",
        ".NaN",
        "2002-12-14",
        "2001-12-14t21:59:43.10-05:00",
        "<<",
        "=",
        "1:20",
        "190:20:30.15",
        "true",
        "False",
        "off",
        "y",
        "Y",
        "n",
        "text with 1",
    ],
)
def test_the_faster_resolver_resolves_as_pyyaml(value: str) -> None:
    from ccgtui.loader.yaml_file import SafeLoader as _SafeLoader

    ours, pyyaml = _SafeLoader(""), _TextPyYAML("")
    for kind, implicit in (
        (yaml.ScalarNode, (True, False)),
        (yaml.ScalarNode, (False, True)),
        (yaml.ScalarNode, (False, False)),
        (yaml.SequenceNode, True),
        (yaml.MappingNode, True),
    ):
        assert ours.resolve(kind, value, implicit) == pyyaml.resolve(kind, value, implicit)


def test_fingerprint_changes_when_the_validating_code_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache written under other validation rules is never reused (issue 13's stale cache)."""
    from ccgtui import loader

    before = loader.fingerprint(tmp_path)
    monkeypatch.setattr(loader.files, "_rules_digest", lambda: b"other rules")
    assert loader.fingerprint(tmp_path) != before


def test_the_rules_digest_reads_every_validating_module() -> None:
    """A module missing from the digest (moved, renamed) would fall back to its name silently."""
    from ccgtui.loader import files

    package = Path(files.__file__).parent.parent
    read = files._rule_files(package)
    assert all((package / name).is_file() for name in read)
    for name in ("loader/checks.py", "loader/yaml_file.py", "model/case.py", "yaml_safety.py"):
        assert name in read
