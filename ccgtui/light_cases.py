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
import weakref
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from types import UnionType
from typing import (
    Annotated,
    Any,
    Literal,
    Protocol,
    TypeVar,
    Union,
    get_args,
    get_origin,
    runtime_checkable,
)

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


class DamagedCache(ValueError):
    """A cached case that no longer validates: the cache changed after ccgtui wrote it."""


def validated_case(raw: bytes, case_id: str | None = None, where: object = "") -> Case:
    """``Case.model_validate_json(raw)``; a failure is a :class:`DamagedCache` naming the case."""
    from pydantic import ValidationError

    try:
        return Case.model_validate_json(raw)
    except ValidationError as exc:  # said as a command's error, not a traceback
        which = "" if case_id is None else f"case {case_id!r}: "
        raise DamagedCache(
            f"the case cache {where}is damaged ({which}{exc.errors()[0]['msg']}); "
            "run `ccgtui load` to rebuild it"
        ) from exc


def light_case(raw: bytes, fields: Iterable[str]) -> Case:
    """The case in ``raw`` (cache JSON) with its identity and ``fields`` (see the docstring)."""
    wanted = tuple(fields)
    if not all(f in BUILDERS for f in wanted):
        return validated_case(raw)
    try:
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
    except (KeyError, TypeError, ValueError, AttributeError):  # damaged: validation says how
        return validated_case(raw)
    return _make(Case, values, only=("illustrative", *wanted))


# -- whole records, every field (show, export, the store's lazy view) --------------------


class Unbuildable(Exception):
    """A field type :func:`construct` does not know: validate the record instead."""


_PLANS: dict[type[BaseModel], dict[str, Callable[[Any], Any]]] = {}


def _kind(value: Any) -> str:
    return "list" if isinstance(value, list) else "dict" if isinstance(value, dict) else "scalar"


def _converter(tp: Any) -> Callable[[Any], Any]:
    """How to turn a cached JSON value into the value validation gave for type ``tp``."""
    origin, args = get_origin(tp), get_args(tp)
    if origin is Annotated:
        return _converter(args[0])
    if origin is Union or origin is UnionType:
        arms = [a for a in args if a is not type(None)]
        nullable = len(arms) < len(args)
        by_kind: dict[str, Callable[[Any], Any]] = {}
        for arm in arms:
            inner = get_args(arm)[0] if get_origin(arm) is Annotated else arm
            o = get_origin(inner)
            k = "list" if o is list else "dict" if o is dict or _is_model(inner) else "scalar"
            if k in by_kind:  # two arms one JSON shape could fill: validation decides
                raise Unbuildable(repr(tp))
            by_kind[k] = _converter(arm)

        def either(value: Any) -> Any:
            return None if value is None and nullable else by_kind[_kind(value)](value)

        return either
    if origin is list:
        item = _converter(args[0])
        return lambda value: [item(v) for v in value]
    if origin is dict:
        key, val = _converter(args[0]), _converter(args[1])
        return lambda value: {key(k): val(v) for k, v in value.items()}
    # Each JSON value is checked to be of the type validation wrote: a cache damaged in
    # place (its index still fits) is then validated, which reports it, instead of
    # showing a number as a label or a list as a statement's text.
    if origin is Literal:
        allowed = frozenset(args)
        return lambda value: _checked(value in allowed, value)
    if tp is str:
        return lambda value: _checked(type(value) is str, value)
    if tp is bool:
        return lambda value: _checked(type(value) is bool, value)
    if tp is int or tp is float:
        # JSON object keys come as text; a float field may have been written as 33
        numbers = (int,) if tp is int else (int, float)
        return lambda value: tp(value) if type(value) in (str, *numbers) else _checked(False, value)
    if _is_model(tp):
        return lambda value: construct(tp, value)
    if isinstance(tp, type) and issubclass(tp, Enum):
        return {m.value: m for m in tp}.__getitem__
    raise Unbuildable(repr(tp))


def _checked(ok: bool, value: Any) -> Any:
    if not ok:
        raise TypeError(f"unexpected {type(value).__name__} {value!r:.40}")
    return value


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def construct(cls: type[_M], data: dict[str, Any]) -> _M:
    """``cls`` from its cached JSON (``model_dump(mode="json", exclude_defaults=True)`` of a
    validated record), nested records and enums included, without validating it again.

    Equal to ``cls.model_validate(data)`` (tests compare every bundled and illustrative
    record); raises :class:`Unbuildable` for a field type it does not know.
    """
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = {n: _converter(f.annotation) for n, f in cls.model_fields.items()}
    if not plan.keys() >= data.keys():
        raise Unbuildable(f"{cls.__name__}: {sorted(data.keys() - plan.keys())}")
    static, factories = _defaults(cls)
    made = dict(factories)
    values: dict[str, Any] = {}
    try:
        for name, convert in plan.items():  # in field order, as validation leaves them
            if name in data:
                values[name] = convert(data[name])
            elif name in static:
                values[name] = static[name]
            elif name in made:
                values[name] = made[name]()
            else:
                raise Unbuildable(f"{cls.__name__}.{name} is required")
    except (KeyError, TypeError, AttributeError, ValueError) as exc:  # not a validated record
        raise Unbuildable(f"{cls.__name__}: {exc!r}") from exc
    model = cls.__new__(cls)
    object.__setattr__(model, "__dict__", values)
    object.__setattr__(model, "__pydantic_fields_set__", set(data))
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", None)
    return model


# The cached JSON a study or source was rebuilt from, by identity: ``export json`` writes it
# as it is (it is that record's ``model_dump(mode="json", exclude_defaults=True)``), so
# dumping a record needs no serializer schema either.
_JSON_OF: dict[int, tuple[weakref.ref[BaseModel], dict[str, Any]]] = {}


def construct_keeping_json(cls: type[_M], data: dict[str, Any]) -> _M:
    """:func:`construct`, remembering ``data`` for :func:`cached_json` while the record lives."""
    record = construct(cls, data)
    key = id(record)
    _JSON_OF[key] = (weakref.ref(record, lambda _: _JSON_OF.pop(key, None)), data)
    return record


def cached_json(record: BaseModel) -> dict[str, Any] | None:
    """The JSON ``record`` was rebuilt from by :func:`construct_keeping_json`, if it was."""
    found = _JSON_OF.get(id(record))
    return found[1] if found is not None and found[0]() is record else None
