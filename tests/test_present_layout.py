"""The layout (ccgtui.present) holds every statement of a case once, with its path and
its provenance as the case file gives it: the front ends format it, so none can drop one."""

from __future__ import annotations

import pytest

from ccgtui.case_tabs import sections
from ccgtui.loader import load_folder
from ccgtui.model import Dataset, Statement, iter_statements
from ccgtui.present.case import case_record
from ccgtui.present.source import cited_source_ids, source_refs
from ccgtui.present.study import study_record
from tests.conftest import BUNDLED_CASES, ILLUSTRATIVE


@pytest.fixture(scope="module", params=[BUNDLED_CASES, ILLUSTRATIVE], ids=["bundled", "ill"])
def dataset(request: pytest.FixtureRequest) -> Dataset:
    return load_folder(request.param)


def test_each_case_statement_is_in_the_layout_once_with_its_provenance(dataset: Dataset) -> None:
    for case in dataset.cases:
        record = case_record(case, dataset)
        assert [s.id for s in record.sections] == [t.id for t in sections()]
        assert [s.title for s in record.sections] == [t.title for t in sections()]
        laid = [it for it in record.walk() if it.path in dict(iter_statements(case))]
        by_path = {it.path: it for it in laid}
        assert len(by_path) == len(laid), "a statement laid out twice"
        for path, value in iter_statements(case):
            it = by_path[path]
            assert it.text == value.text and it.sources == value.sources
            assert it.note == value.note
            assert it.unverified == (isinstance(value, Statement) and value.unverified)


def test_each_study_statement_is_in_the_layout(dataset: Dataset) -> None:
    for study in dataset.studies:
        paths = {it.path: it for it in study_record(study, dataset).walk() if it.path}
        for path, value in iter_statements(study):
            assert path in paths, path
            assert paths[path].sources == value.sources


def test_a_source_ref_keeps_level_notes_conflicts_and_flags(dataset: Dataset) -> None:
    for case in dataset.cases:
        for ref in source_refs(cited_source_ids(case), dataset):
            source = dataset.source_map[ref.id]
            assert ref.level == source.level.value and ref.notes == source.notes
            assert ref.illustrative == source.illustrative
            assert ref.conflicts == [n for n in source.notes if "conflict" in n.lower()]
            assert ref.disputed == bool(ref.conflicts or source.variants)
