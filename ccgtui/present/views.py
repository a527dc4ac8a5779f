"""Read-only views of a case, its study and its sources, made from the cache's JSON.

``show`` prints a case through the layout of :mod:`ccgtui.present`, which reads a record's
fields by name.  These views have the same fields, with the model's defaults for those the
cached JSON leaves out (it is ``model_dump(mode="json", exclude_defaults=True)``) and the
model's enums, so the layout reads them exactly as it reads the models, without importing
pydantic (issue 16).  They hold only what was validated when the folder was loaded.

``tests/test_present_views.py`` keeps them honest: every field of every model has its
view field (a field added to the model fails the test until it is added here), every
default equals the model's, every bundled and illustrative record reads the same through
its view as through its model, and ``show`` prints the same bytes either way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from enum import Enum
from typing import Any, ClassVar

from ccgtui.model.citation import citation
from ccgtui.model.vocabularies import Arena, CaseKind, Level, Sector, SourceType
from ccgtui.wording import NOT_REPORTED

Json = Mapping[str, Any]
Convert = Callable[[Any], Any]
SECTORS_UNKNOWN_TEXT = "Whether these sectors took part is not reported in available sources"

_REQUIRED = object()  # a field the JSON always holds (no default)


class View:
    """A record's fields from its JSON: ``FIELDS`` maps each to (default, converter)."""

    FIELDS: ClassVar[dict[str, tuple[Any, Convert | None]]] = {}
    PARTIAL: ClassVar[bool] = False  # True: reads only some of the record's fields

    def __init__(self, data: Json) -> None:
        if not self.PARTIAL and not data.keys() <= self.FIELDS.keys():
            # a field this view does not know: the model would have it; never drop it
            unknown = sorted(data.keys() - self.FIELDS.keys())
            raise KeyError(f"{type(self).__name__} has no field {', '.join(unknown)}")
        for name, (default, convert) in self.FIELDS.items():
            if name in data:
                value = data[name]
                value = convert(value) if convert is not None else value
            elif default is _REQUIRED:
                raise KeyError(f"{type(self).__name__}.{name} missing from the cached JSON")
            else:
                value = default() if callable(default) else default
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.FIELDS)
        return f"{type(self).__name__}({shown})"


def _texts(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"expected a list of text, got {value!r:.40}")
    return list(value)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {value!r:.40}")
    return value


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, got {value!r:.40}")
    return value


def _maybe_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _sectors(value: Any) -> list[Sector]:
    return [Sector(s) for s in _texts(value)]


_STATEMENT_FIELDS: dict[str, tuple[Any, Convert | None]] = {
    "text": ("", _text),
    "sources": (list, _texts),
    "unknown": (False, _flag),
    "unverified": (False, _flag),
    "quote": (False, _flag),
    "note": (None, _maybe_text),
}


class StatementView(View):
    FIELDS = _STATEMENT_FIELDS
    text: str
    sources: list[str]
    unknown: bool
    unverified: bool
    quote: bool
    note: str | None

    @property
    def cited(self) -> bool:
        return bool(self.sources)


class StageView(StatementView):
    FIELDS = {
        **_STATEMENT_FIELDS,
        "id": (_REQUIRED, _text),
        "title": (_REQUIRED, _text),
        "period": (None, _maybe_text),
        "arena": (None, lambda v: None if v is None else Arena(v)),
        "sectors": (list, _sectors),
    }
    id: str
    title: str
    period: str | None
    arena: Arena | None
    sectors: list[Sector]


class PartnerView(StatementView):
    FIELDS = {
        **_STATEMENT_FIELDS,
        "id": (None, _maybe_text),
        "sector": (_REQUIRED, Sector),
        "organisation": (None, _maybe_text),
        "role": (None, _maybe_text),
    }
    id: str | None
    sector: Sector
    organisation: str | None
    role: str | None


def _true(value: Any) -> bool:
    if value is not True:
        raise TypeError(f"expected true, got {value!r:.40}")
    return True


_UNKNOWN_FIELDS: dict[str, tuple[Any, Convert | None]] = {
    "unknown": (_REQUIRED, _true),
    "text": (NOT_REPORTED, _text),
    "sources": (list, _texts),
    "note": (None, _maybe_text),
}


class UnknownView(View):
    """A whole list-valued field the sources do not report (the model's ``Unknown``)."""

    FIELDS = _UNKNOWN_FIELDS
    unknown: bool
    text: str
    sources: list[str]
    note: str | None


class SectorsUnknownView(UnknownView):
    FIELDS = {
        **_UNKNOWN_FIELDS,
        "unknown": (True, _true),
        "text": (SECTORS_UNKNOWN_TEXT, _text),
        "sectors": (_REQUIRED, _sectors),
    }
    sectors: list[Sector]


def _record(value: Any) -> Json:
    if not isinstance(value, dict):
        raise TypeError(f"expected a record, got {value!r:.40}")
    return value


def _statement(value: Any) -> StatementView:
    return StatementView(_record(value))


def _statements(value: Any) -> list[StatementView]:
    if not isinstance(value, list):
        raise TypeError(f"expected a list, got {value!r:.40}")
    return [_statement(v) for v in value]


def _or_unknown(
    make: Callable[[Json], Any],
) -> Callable[[Any], list[Any] | UnknownView]:
    """A ``list[X] | Unknown`` field: a JSON list of X, or an object (the unknown)."""

    def convert(value: Any) -> list[Any] | UnknownView:
        if isinstance(value, list):
            return [make(_record(v)) for v in value]
        if isinstance(value, dict):
            return UnknownView(value)
        raise TypeError(f"expected a list or an unknown, got {value!r:.40}")

    return convert


def _unknown_statement() -> StatementView:
    return StatementView({"unknown": True, "text": NOT_REPORTED})


def _arenas(value: Any) -> dict[Arena, list[StatementView] | UnknownView]:
    if not isinstance(value, dict):
        raise TypeError(f"expected arenas, got {value!r:.40}")
    return {Arena(k): _or_unknown(StatementView)(v) for k, v in value.items()}


def _maybe(make: Callable[[Json], View]) -> Convert:
    return lambda v: None if v is None else make(_record(v))


class CaseView(View):
    """A case as the layout reads it (the model's ``Case``, from its cached JSON)."""

    FIELDS = {
        "id": (_REQUIRED, _text),
        "study": (_REQUIRED, _text),
        "kind": (_REQUIRED, CaseKind),
        "label": (_REQUIRED, _text),
        "illustrative": (False, _flag),
        "summary": (None, _maybe(StatementView)),
        "place": (_unknown_statement, _statement),
        "population": (_unknown_statement, _statement),
        "service_area": (_unknown_statement, _statement),
        "period": (None, _maybe(StatementView)),
        "methods": (list, _statements),
        "story": (list, _or_unknown(StageView)),
        "arenas": (dict, _arenas),
        "partners": (list, _or_unknown(PartnerView)),
        "sectors_unknown": (None, _maybe(SectorsUnknownView)),
        "enablers": (list, _or_unknown(StatementView)),
        "barriers": (list, _or_unknown(StatementView)),
        "outcomes": (list, _or_unknown(StatementView)),
        "findings": (list, _statements),
        "themes": (list, _texts),
    }
    id: str
    study: str
    kind: CaseKind
    label: str
    illustrative: bool
    summary: StatementView | None
    place: StatementView
    population: StatementView
    service_area: StatementView
    period: StatementView | None
    methods: list[StatementView]
    story: list[StageView] | UnknownView
    arenas: dict[Arena, list[StatementView] | UnknownView]
    partners: list[PartnerView] | UnknownView
    sectors_unknown: SectorsUnknownView | None
    enablers: list[StatementView] | UnknownView
    barriers: list[StatementView] | UnknownView
    outcomes: list[StatementView] | UnknownView
    findings: list[StatementView]
    themes: list[str]


class VariantView(View):
    FIELDS = {
        "field": (_REQUIRED, _text),
        "value": (_REQUIRED, _text),
        "given_by": (_REQUIRED, _text),
    }
    field: str
    value: str
    given_by: str


def _year(value: Any) -> int | None:
    if value is not None and type(value) is not int:
        raise TypeError(f"expected a year, got {value!r:.40}")
    return value  # type: ignore[no-any-return]


class SourceView(View):
    """A source as references read it (the model's ``Source``, from its cached JSON)."""

    FIELDS = {
        "id": (_REQUIRED, _text),
        "type": (_REQUIRED, SourceType),
        "authors": (list, _texts),
        "year": (None, _year),
        "title": (_REQUIRED, _text),
        "container": (None, _maybe_text),
        "volume": (None, _maybe_text),
        "issue": (None, _maybe_text),
        "pages": (None, _maybe_text),
        "doi": (None, _maybe_text),
        "url": (None, _maybe_text),
        "level": (_REQUIRED, Level),
        "illustrative": (False, _flag),
        "notes": (list, _texts),
        "variants": (list, lambda v: [VariantView(_record(x)) for x in v]),
    }
    id: str
    type: SourceType
    authors: list[str]
    year: int | None
    title: str
    container: str | None
    volume: str | None
    issue: str | None
    pages: str | None
    doi: str | None
    url: str | None
    level: Level
    illustrative: bool
    notes: list[str]
    variants: list[VariantView]

    def citation(self) -> str:
        """The model's ``Source.citation()`` (tests compare them over every source)."""
        return citation(self)


class StudyView(View):
    """What a case's pages read of its study: id, title and flag (not the whole study)."""

    PARTIAL = True
    FIELDS = {
        "id": (_REQUIRED, _text),
        "title": (_REQUIRED, _text),
        "illustrative": (False, _flag),
    }
    id: str
    title: str
    illustrative: bool


class DatasetView:
    """The studies and sources a case's pages look up (the model's ``Dataset`` API)."""

    def __init__(self, studies: list[StudyView], sources: list[SourceView]) -> None:
        self.studies = studies
        self.sources = sources

    def study(self, study_id: str) -> StudyView | None:
        return next((s for s in self.studies if s.id == study_id), None)

    def source(self, source_id: str) -> SourceView | None:
        return next((s for s in self.sources if s.id == source_id), None)

    @property
    def source_map(self) -> dict[str, SourceView]:
        return {s.id: s for s in self.sources}


def statements(view: View) -> Iterator[StatementView | UnknownView]:
    """Every statement or unknown inside ``view``, in the order ``iter_statements`` walks
    the model (field order, each statement before what is inside it)."""
    if isinstance(view, StatementView | UnknownView):
        yield view
    for name in view.FIELDS:
        yield from _inside(getattr(view, name))


def _inside(value: Any) -> Iterator[StatementView | UnknownView]:
    if isinstance(value, View):
        yield from statements(value)
    elif isinstance(value, list):
        for item in value:
            yield from _inside(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _inside(item)


def dumped(value: Any) -> Any:
    """A view as its model's ``model_dump(mode="json")``: every field, defaults included."""
    if isinstance(value, View):
        return {name: dumped(getattr(value, name)) for name in value.FIELDS}
    if isinstance(value, list):
        return [dumped(v) for v in value]
    if isinstance(value, dict):
        return {(k.value if isinstance(k, Enum) else k): dumped(v) for k, v in value.items()}
    return value.value if isinstance(value, Enum) else value
