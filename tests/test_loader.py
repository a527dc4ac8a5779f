"""The loader reports every problem with file, line and field, and round-trips."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccgtui.loader import MAX_FILE_BYTES, LoadError, Problem, fingerprint, load_folder
from ccgtui.model import Arena, Case, CaseKind, Partner, Sector, Stage, Statement, Unknown
from tests.conftest import MINIMAL_CASE, write_folder


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


def test_big_folders_are_parsed_in_parallel_with_the_same_result(minimal_folder: Path) -> None:
    from ccgtui import loader

    for i in range(loader.PARALLEL_MIN_FILES):
        (minimal_folder / f"case-{i:04d}.yaml").write_text(
            MINIMAL_CASE.replace("id: case-a", f"id: case-{i:04d}")
        )
    (minimal_folder / "case-0007.yaml").write_text(
        MINIMAL_CASE.replace("id: case-a", "id: case-0007").replace("arena: board", "arena: x")
    )
    (minimal_folder / "zz-broken.yaml").write_text("id: [\n")
    problems = problems_for(minimal_folder)
    assert [(Path(p.file).name, p.line, p.field) for p in problems] == [
        ("case-0007.yaml", 9, "story[0].arena"),
        ("zz-broken.yaml", 2, ""),
    ]
    (minimal_folder / "case-0007.yaml").unlink()
    (minimal_folder / "zz-broken.yaml").unlink()
    dataset = load_folder(minimal_folder)
    assert len(dataset.cases) == loader.PARALLEL_MIN_FILES  # 499 numbered + case-a
    assert [c.id for c in dataset.cases][:2] == ["case-0000", "case-0001"]
