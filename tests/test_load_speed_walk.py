"""The loader's faster per-case path gives the same answers as the plain one (issue 16).

- ``iter_statements`` (the statement walk) against the generic recursive walk it replaced;
- ``walked_once``: the loader walks each case once and shares the walk, and only there;
- the facets' arenas and sectors against the matrix cells they summarise.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as hyp
from pydantic import BaseModel

from ccgtui import facts
from ccgtui.facts import CellState, arena_cell, sector_cell
from ccgtui.loader.checks import CaseContext, check_case
from ccgtui.model import Arena, Case, CaseKind, Dataset, Sector, Statement, Unknown
from ccgtui.model import statements as st
from ccgtui.search_build import case_raw_entries

FACTS_CASES = Path(__file__).parent / "data" / "facts"


def reference_walk(obj: BaseModel, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """The generic walk as it was before issue 16's speed-up (every field, every value)."""
    if isinstance(obj, Statement | Unknown):
        yield prefix, obj
    for name in type(obj).model_fields:
        yield from _reference_value(getattr(obj, name), f"{prefix}.{name}" if prefix else name)


def _reference_value(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, BaseModel):
        yield from reference_walk(value, path)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _reference_value(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _reference_value(item, f"{path}.{key}")


def _records(data: Dataset) -> list[BaseModel]:
    return [*data.cases, *data.studies, *data.sources]


def _frozen_cases() -> list[Case]:
    return [
        Case.model_validate(yaml.safe_load(p.read_text(encoding="utf-8")))
        for p in sorted(FACTS_CASES.glob("*.yaml"))
    ]


def _same(got: list[tuple[str, Any]], want: list[tuple[str, Any]]) -> None:
    assert [p for p, _ in got] == [p for p, _ in want]
    assert all(a is b for (_, a), (_, b) in zip(got, want, strict=True))


def test_walk_equals_the_generic_walk(bundled: Dataset, illustrative: Dataset) -> None:
    records = [*_records(bundled), *_records(illustrative), *_frozen_cases(), *_random_cases()]
    assert sum(1 for r in records for _ in reference_walk(r)) > 1000  # a real comparison
    for record in records:
        _same(list(st.iter_statements(record)), list(reference_walk(record)))
        _same(list(st.iter_statements(record, "x")), list(reference_walk(record, "x")))
        with st.walked_once():
            for _ in range(2):
                _same(list(st.iter_statements(record)), list(reference_walk(record)))


def _counting_walk(monkeypatch: pytest.MonkeyPatch) -> list[BaseModel]:
    walked: list[BaseModel] = []
    plain = st._walk_model

    def counted(obj: BaseModel, prefix: str, out: list[st.StatementRef]) -> None:
        if prefix == "":
            walked.append(obj)
        plain(obj, prefix, out)

    monkeypatch.setattr(st, "_walk_model", counted)
    return walked


def test_walked_once_shares_one_walk_and_only_inside(
    bundled: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    walked = _counting_walk(monkeypatch)
    case = bundled.cases[0]
    other = bundled.cases[1]
    with st.walked_once():
        first = list(st.iter_statements(case))
        with st.walked_once():  # nested: the outer block's memo stands
            assert list(st.iter_statements(case)) == first
        assert list(st.iter_statements(case)) == first
        list(st.iter_statements(other))
    assert walked == [case, other]
    assert st._memo.refs is None  # forgotten when the block ends
    list(st.iter_statements(case))
    assert walked == [case, other, case]  # outside the block, every call walks


def test_the_loader_walks_each_case_once(
    minimal_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """check_case derives the facts and the search texts from one walk of the case."""
    walked = _counting_walk(monkeypatch)
    raw_entries: list[object] = []

    def convert(case: Case) -> object:
        raw_entries.append(case_raw_entries(case))
        return facts.CaseSummary.of(case).as_row(), case_raw_entries(case)

    context = CaseContext(frozenset({"src-a", "src-b"}), frozenset({"study-a"}), convert)
    case_id, value, problems = check_case(context, minimal_folder / "case-a.yaml")
    assert problems == [] and value is not None, problems
    assert len(walked) == 1 and isinstance(walked[0], Case) and walked[0].id == case_id
    assert st._memo.refs is None


def test_present_arenas_and_sectors_are_the_present_cells(
    bundled: Dataset, illustrative: Dataset
) -> None:
    cases = [*bundled.cases, *illustrative.cases, *_frozen_cases(), *_random_cases()]
    seen_arena = seen_sector = 0
    for case in cases:
        arenas = {a for a in Arena if arena_cell(case, a).state is CellState.present}
        sectors = {s for s in Sector if sector_cell(case, s).state is CellState.present}
        assert facts.present_arenas(case) == arenas, case.id
        assert facts.present_sectors(case) == sectors, case.id
        seen_arena += len(arenas)
        seen_sector += len(sectors)
    assert seen_arena and seen_sector


def _random_cases(n: int = 300) -> list[Case]:
    """Cases mixing lists, unknown markers, unknown statements and empty fields."""
    rng = random.Random(16)
    arenas = [a.value for a in Arena]
    sectors = [s.value for s in Sector]

    def statement() -> dict[str, Any]:
        if rng.random() < 0.3:
            return {"unknown": True}
        return {"text": f"t{rng.random()}", "sources": ["s1"]}

    def listed(make: Any) -> Any:
        roll = rng.random()
        if roll < 0.2:
            return {"unknown": True}
        return [make() for _ in range(rng.randrange(0 if roll < 0.4 else 1, 4))]

    def stage(i: int) -> dict[str, Any]:
        out = {"id": f"s{i}", "title": "T", **statement()}
        if rng.random() < 0.7:
            out["arena"] = rng.choice(arenas)
        out["sectors"] = rng.sample(sectors, rng.randrange(0, 3))
        return out

    cases = []
    for i in range(n):
        story = listed(lambda: None)
        if isinstance(story, list):
            story = [stage(j) for j in range(len(story))]
        partners = listed(lambda: {"sector": rng.choice(sectors), **statement()})
        data: dict[str, Any] = {
            "id": f"c{i}",
            "study": "st",
            "kind": CaseKind.illustrative.value,
            "illustrative": True,
            "label": f"Case {i}",
            "story": story,
            "partners": partners,
            "arenas": {a: listed(statement) for a in rng.sample(arenas, rng.randrange(0, 4))},
            "enablers": listed(statement),
            "themes": ["a"] if rng.random() < 0.5 else [],
        }
        if rng.random() < 0.2:
            data["summary"] = statement()
        cases.append(Case.model_validate(data))
    return cases


def test_every_unknown_source_is_reported_where_it_is(
    bundled: Dataset, illustrative: Dataset, tmp_path: Path
) -> None:
    """The quick reference check (from the shared walk) misses no statement of a case."""
    from ccgtui.loader.checks import _parse_path

    sources = frozenset(s.id for s in [*bundled.sources, *illustrative.sources])
    studies = frozenset(s.id for s in [*bundled.studies, *illustrative.studies])
    context = CaseContext(sources, studies, lambda case: case.id)
    checked = 0
    for case in [bundled.cases[0], *illustrative.cases[:2], *_random_cases(20)]:
        base = case.model_dump(mode="json")
        for path, _ in reference_walk(case):
            data = case.model_dump(mode="json")
            where: Any = data
            for part in _parse_path(path):
                where = where[part]
            where["sources"] = [*where.get("sources", []), "not-a-source"]
            file = tmp_path / "case.yaml"
            file.write_text(yaml.safe_dump(data), encoding="utf-8")
            _, value, problems = check_case(context, file)
            fields = [p.field for p in problems if "not-a-source" in p.message]
            assert value is None and fields == [f"{path}.sources[{len(where['sources']) - 1}]"]
            checked += 1
        file.write_text(yaml.safe_dump(base), encoding="utf-8")
        if case.study in studies and all(
            sid in sources for _, item in reference_walk(case) for sid in item.sources
        ):
            assert check_case(context, file) == (case.id, case.id, [])
    assert checked > 100


_ANY_CHAR = hyp.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=())


@settings(max_examples=500, deadline=None)
@given(
    text=hyp.text(alphabet=_ANY_CHAR)
    | hyp.text(alphabet=hyp.sampled_from("a \t\n\r\x1b\x85\x9f\ud800"))
)
def test_text_is_cleaned_as_strip_control_cleans_it(text: str) -> None:
    assert st._text_cleaned(text) == st.strip_control(text)


@pytest.mark.parametrize(
    "text",
    ["plain", "tab\\there", "line\\nbreak", "cr\\r\\n", "esc\\x1b[2J", "\\x9b", "\\ud800", ""],
)
def test_printable_shortcut_on_every_kind_of_control(text: str) -> None:
    value = text.encode().decode("unicode_escape", "surrogatepass")
    assert st._text_cleaned(value) == st.strip_control(value)
