"""present.views: a case, its study and sources read from the cache's JSON as the models read.

``show`` prints through these views when the store hands out its records as JSON (issue 16),
so every field, default, enum, citation and cited source must be the model's: a field
added to a model fails here until its view has it.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import pytest
from pydantic import BaseModel

from ccgtui.describe import case_section, case_sections
from ccgtui.model import (
    Case,
    Dataset,
    Partner,
    SectorsUnknown,
    Source,
    Stage,
    Statement,
    Study,
    Unknown,
    Variant,
)
from ccgtui.present.source import cited_source_ids
from ccgtui.present.views import (
    CaseView,
    DatasetView,
    PartnerView,
    SectorsUnknownView,
    SourceView,
    StageView,
    StatementView,
    StudyView,
    UnknownView,
    VariantView,
    View,
    dumped,
)

PAIRS: list[tuple[type[View], type[BaseModel]]] = [
    (StatementView, Statement),
    (StageView, Stage),
    (PartnerView, Partner),
    (UnknownView, Unknown),
    (SectorsUnknownView, SectorsUnknown),
    (CaseView, Case),
    (VariantView, Variant),
    (SourceView, Source),
]
SECTIONS = ["overview", "story", "arenas", "partners", "evidence", "sources"]


def cached(record: BaseModel) -> dict[str, Any]:
    """What the cache holds for ``record`` (the store writes ``model_dump_json`` of it)."""
    return record.model_dump(mode="json", exclude_defaults=True)


def same(view: Any, model: Any, where: str = "") -> None:
    """``view`` reads as ``model`` does, field by field, all the way down."""
    if isinstance(model, BaseModel):
        assert isinstance(view, View), where
        assert list(view.FIELDS) == list(type(model).model_fields), where
        for name in type(model).model_fields:
            same(getattr(view, name), getattr(model, name), f"{where}.{name}")
    elif isinstance(model, list):
        assert isinstance(view, list) and len(view) == len(model), where
        for i, (v, m) in enumerate(zip(view, model, strict=True)):
            same(v, m, f"{where}[{i}]")
    elif isinstance(model, dict):
        assert isinstance(view, dict) and list(view) == list(model), where
        for key in model:
            same(view[key], model[key], f"{where}.{key}")
    else:
        assert type(view) is type(model) and view == model, where
        if isinstance(model, Enum):
            assert view is model, where  # the layout compares sectors with `is`


@pytest.mark.parametrize(("view", "model"), PAIRS, ids=lambda p: p.__name__)
def test_every_model_field_is_a_view_field_in_the_same_order(
    view: type[View], model: type[BaseModel]
) -> None:
    assert list(view.FIELDS) == list(model.model_fields)


def test_the_study_view_has_the_study_fields_it_names() -> None:
    assert set(StudyView.FIELDS) <= set(Study.model_fields)


MINIMAL: dict[type[BaseModel], dict[str, Any]] = {
    Statement: {"text": "t"},
    Stage: {"id": "s", "title": "T", "text": "t"},
    Partner: {"sector": "hwb", "text": "t"},
    Unknown: {"unknown": True},
    SectorsUnknown: {"sectors": ["hwb"]},
    Case: {"id": "c", "study": "s", "kind": "in-depth", "label": "C"},
    Variant: {"field": "year", "value": "2014", "given_by": "repository"},
    Source: {"id": "s", "type": "article", "title": "T", "level": "primary"},
}


@pytest.mark.parametrize(("view", "model"), PAIRS, ids=lambda p: p.__name__)
def test_every_default_is_the_models(view: type[View], model: type[BaseModel]) -> None:
    record = model.model_validate(MINIMAL[model])
    same(view(cached(record)), record)


def records(dataset: Dataset) -> list[tuple[View, BaseModel]]:
    found: list[tuple[View, BaseModel]] = [(CaseView(cached(c)), c) for c in dataset.cases]
    found += [(SourceView(cached(s)), s) for s in dataset.sources]
    return found


@pytest.mark.parametrize("which", ["bundled", "illustrative"])
def test_every_record_reads_as_its_model(which: str, request: pytest.FixtureRequest) -> None:
    dataset: Dataset = request.getfixturevalue(which)
    for view, model in records(dataset):
        same(view, model, getattr(model, "id", ""))
        if isinstance(model, Case):
            assert cited_source_ids(view) == cited_source_ids(model)  # type: ignore[arg-type]
        else:
            assert view.citation() == model.citation()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"authors": ["Doe J", "Roe R"], "year": 2015, "container": "J Things"},
        {"year": 2015, "volume": "6", "issue": "2", "pages": "1-9", "doi": "10.1/x"},
        {"container": "Why?", "volume": "6", "url": "https://example.org/a"},
        {"title": "Ends.", "pages": "3", "url": "doi:10.1/y"},
        {
            "year": 2015,
            "volume": "6",
            "issue": "2",
            "pages": "1-9",
            "variants": [
                {"field": f, "value": "v", "given_by": "repository"}
                for f in ("year", "volume", "issue", "pages")
            ],
        },
    ],
)
def test_a_citation_reads_as_the_models(extra: dict[str, Any]) -> None:
    source = Source.model_validate({**MINIMAL[Source], **extra})
    assert SourceView(cached(source)).citation() == source.citation()


def view_of(dataset: Dataset) -> DatasetView:
    return DatasetView(
        [StudyView(cached(s)) for s in dataset.studies],
        [SourceView(cached(s)) for s in dataset.sources],
    )


@pytest.mark.parametrize("which", ["bundled", "illustrative"])
def test_show_prints_the_same_from_a_view(which: str, request: pytest.FixtureRequest) -> None:
    from ccgtui.cli.case_ids import case_id_lines

    dataset: Dataset = request.getfixturevalue(which)
    views = view_of(dataset)
    for case in dataset.cases:
        view = CaseView(cached(case))
        assert case_sections(view, views) == case_sections(case, dataset), case.id
        for section in SECTIONS:
            assert case_section(view, views, section) == case_section(case, dataset, section)
        assert case_id_lines(view) == case_id_lines(case)
        assert dumped(view) == case.model_dump(mode="json")  # show --format json


@pytest.mark.parametrize(
    ("model", "damage"),
    [
        (Case, {"label": 5}),
        (Case, {"kind": "no-such-kind"}),
        (Case, {"story": "a text"}),
        (Case, {"arenas": {"nowhere": []}}),
        (Case, {"themes": [1]}),
        (Source, {"year": "2015"}),
        (Source, {"level": "gold"}),
        (Partner, {"sector": "space"}),
        (Unknown, {"unknown": False}),
        (Case, {"new_field": []}),  # a field the view does not know is never dropped
    ],
)
def test_json_not_as_validated_is_refused_not_shown(
    model: type[BaseModel], damage: dict[str, Any]
) -> None:
    kind = next(v for v, m in PAIRS if m is model)
    with pytest.raises((KeyError, TypeError, ValueError)):
        kind({**MINIMAL[model], **damage})


def test_a_view_cannot_be_changed() -> None:
    view = StatementView({"text": "t"})
    with pytest.raises(AttributeError):
        view.text = "u"
