"""Cases from the cache's JSON without validating them, holding only the fields asked for.

The cache holds each case as the JSON of a case that was validated when the folder was
loaded, so validating it again (pydantic, with the models' Python field validators)
proves nothing new; at 10,000 cases it was most of a matrix's time (issue 16).  Here a
case is built from that JSON with the models' own classes and defaults but without
validation (as ``model_construct`` does, for the nested statements too), and only with
the fields a reader names, so a matrix by arenas never builds a case's partners.

A field this module does not know how to build makes it validate the case as
:class:`~ccgtui.lazy_cases.LazyCases` would: a new reader is never wrong, only slower.
``tests/test_light_cases.py`` checks that every field built here equals the validated one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel

from ccgtui.model import (
    Arena,
    Case,
    CaseKind,
    Partner,
    Sector,
    SectorsUnknown,
    Stage,
    Statement,
    Unknown,
)

_M = TypeVar("_M", bound=BaseModel)
# Enum members by value: a dict lookup, not EnumMeta.__call__ (200k calls at 10k cases).
_ARENA = {a.value: a for a in Arena}
_SECTOR = {s.value: s for s in Sector}
Defaults = tuple[dict[str, Any], tuple[tuple[str, Callable[[], Any]], ...]]
_DEFAULTS: dict[type[BaseModel], Defaults] = {}


@runtime_checkable
class RawCases(Protocol):
    """Cases whose cache JSON can be read one by one (the store's ``LazyCases``).

    No property here: ``isinstance`` against a runtime protocol reads every member, and
    reading ``summaries`` made all 10k of them (a second at 10k cases).
    """

    def raw(self, i: int) -> bytes: ...

    def __len__(self) -> int: ...


def _defaults(cls: type[BaseModel]) -> Defaults:
    found = _DEFAULTS.get(cls)
    if found is None:
        static = {
            name: f.default
            for name, f in cls.model_fields.items()
            if not f.is_required() and f.default_factory is None
        }
        factories = tuple(
            (name, f.default_factory)
            for name, f in cls.model_fields.items()
            if f.default_factory is not None
        )
        found = _DEFAULTS[cls] = (static, factories)  # type: ignore[assignment]
    return found  # type: ignore[return-value]


def _make(cls: type[_M], data: dict[str, Any], only: Sequence[str] | None = None) -> _M:
    """``cls`` holding ``data`` (already validated once) and its defaults, unvalidated.

    ``only``: the fields to give defaults to; any other field not in ``data`` is left
    out, so reading it fails loudly instead of answering with a default.
    """
    static, factories = _defaults(cls)
    if only is not None:
        static = {k: v for k, v in static.items() if k in only}
        factories = tuple(f for f in factories if f[0] in only)
    values = {**static, **data}
    for name, factory in factories:
        if name not in data:
            values[name] = factory()
    model = cls.__new__(cls)
    object.__setattr__(model, "__dict__", values)
    object.__setattr__(model, "__pydantic_fields_set__", set(data))
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", None)
    return model


def _unknown(data: dict[str, Any]) -> Unknown:
    return _make(Unknown, data)


def _statements(value: Any) -> list[Statement] | Unknown:
    if isinstance(value, list):
        return [_make(Statement, s) for s in value]
    return _unknown(value)


def _stage(data: dict[str, Any]) -> Stage:
    arena = data.get("arena")
    return _make(
        Stage,
        {
            **data,
            "arena": None if arena is None else _ARENA[arena],
            "sectors": [_SECTOR[s] for s in data.get("sectors", ())],
        },
    )


def _story(value: Any) -> list[Stage] | Unknown:
    return [_stage(s) for s in value] if isinstance(value, list) else _unknown(value)


def _partners(value: Any) -> list[Partner] | Unknown:
    if isinstance(value, list):
        return [_make(Partner, {**p, "sector": _SECTOR[p["sector"]]}) for p in value]
    return _unknown(value)


def _arenas(value: Any) -> dict[Arena, list[Statement] | Unknown]:
    return {_ARENA[k]: _statements(v) for k, v in value.items()}


def _sectors_unknown(value: Any) -> SectorsUnknown | None:
    if value is None:
        return None
    sectors = [_SECTOR[s] for s in value["sectors"]]
    return _make(SectorsUnknown, {**value, "sectors": sectors})


BUILDERS: dict[str, Callable[[Any], Any]] = {
    "story": _story,
    "arenas": _arenas,
    "partners": _partners,
    "sectors_unknown": _sectors_unknown,
    "themes": list,
}
"""The fields built without validation; any other field makes the case validated."""


def light_case(raw: bytes, fields: Iterable[str]) -> Case:
    """The case in ``raw`` (cache JSON) with its identity and ``fields`` (see the docstring)."""
    wanted = tuple(fields)
    if not all(f in BUILDERS for f in wanted):
        return Case.model_validate_json(raw)
    data = json.loads(raw)
    values: dict[str, Any] = {
        "id": data["id"],
        "study": data["study"],
        "kind": CaseKind(data["kind"]),
        "label": data["label"],
        "illustrative": data.get("illustrative", False),
    }
    for name in wanted:
        if name in data:
            values[name] = BUILDERS[name](data[name])
    return _make(Case, values, only=("illustrative", *wanted))
