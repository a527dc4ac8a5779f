"""What every record is made of: a :class:`Statement` or an explicit :class:`Unknown`.

Also the frozen, strict base of every model, the one-line :data:`Label` text,
and :func:`iter_statements`, which finds every statement inside a record.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from ccgtui.model.vocabularies import Sector
from ccgtui.safe_text import clean, clean_id
from ccgtui.wording import NOT_REPORTED

UNKNOWN_TEXT = NOT_REPORTED  # the one wording of an unknown (ccgtui.wording)

_ID = r"^[a-z0-9][a-z0-9._-]*$"


@functools.cache
def _as_bool() -> TypeAdapter[bool]:
    """Built on first use: a TypeAdapter at import cost ~45 ms (it loads pydantic's plugins)."""
    return TypeAdapter(bool)


def strip_control(text: str) -> str:
    """Drop control characters (escape codes, NUL, ...) but keep newline and tab."""
    return clean(text)


def _as_label(value: Any) -> Any:
    return clean_id(value) if isinstance(value, str) else value


# An identifier-like or one-line text (label, title, name, theme): besides control
# characters, line breaks become spaces and bidi overrides and zero-width characters
# go, so one label cannot pose as another or reorder what is printed after it.
Label = Annotated[str, BeforeValidator(_as_label)]


class _Frozen(BaseModel):
    # Numbers are accepted where text is expected (`period: 2015`, `volume: 6`).
    # defer_build: each schema is built on its first use, not at import (issue 16: building
    # all of them cost ~50 ms of every command, and `list` validates nothing).
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        str_strip_whitespace=True,
        coerce_numbers_to_str=True,
        defer_build=True,
    )

    @field_validator("*", mode="before")
    @classmethod
    def _no_control_chars(cls, value: Any) -> Any:
        if isinstance(value, str):
            return _text_cleaned(value)
        if isinstance(value, list):
            return [_text_cleaned(v) if isinstance(v, str) else v for v in value]
        return value


def _text_cleaned(text: str) -> str:
    """:func:`strip_control`, answered at once for printable text (nearly all of it).

    Every character :func:`strip_control` drops or changes (C0 and C1 controls, DEL,
    lone surrogates) is unprintable, so printable text comes back as it is; this runs
    for every value of every case loaded.
    """
    return text if type(text) is str and text.isprintable() else strip_control(text)


SourceId = Annotated[str, Field(pattern=_ID)]


class Statement(_Frozen):
    """One fact: its text and the sources it comes from, or an explicit unknown."""

    text: str = ""
    sources: list[SourceId] = Field(default_factory=list)
    unknown: bool = False
    unverified: bool = False
    quote: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _text_or_unknown(self) -> Statement:
        if self.unknown and not self.text:
            object.__setattr__(self, "text", UNKNOWN_TEXT)
        if not self.text:
            raise ValueError("a statement needs 'text' (or 'unknown: true')")
        return self

    @property
    def cited(self) -> bool:
        return bool(self.sources)


class Unknown(_Frozen):
    """Marks a whole list-valued field as not reported in the sources."""

    unknown: Literal[True]
    text: str = UNKNOWN_TEXT
    sources: list[SourceId] = Field(default_factory=list)
    note: str | None = None

    @field_validator("unknown", mode="before")
    @classmethod
    def _text_as_bool(cls, value: Any) -> Any:
        # The loader keeps plain YAML scalars as text ("true", "yes"); a Literal does not
        # convert text as a bool field does, so read it as one here.
        if isinstance(value, str):
            try:
                return _as_bool().validate_python(value)
            except ValidationError:
                return value
        return value


class SectorsUnknown(Unknown):
    """Partner sectors whose part in a case the sources do not report.

    Where a case names some partners and the sources are silent on the others, this
    says so: those sectors show as unknown ("?"), never as absent.
    """

    unknown: Literal[True] = True
    text: str = "Whether these sectors took part is not reported in available sources"
    sectors: list[Sector] = Field(min_length=1)


# Where a statement sits, as a dotted path a person can read ("story[2]").
StatementRef = tuple[str, Statement | Unknown]


def iter_statements(obj: BaseModel, prefix: str = "") -> Iterator[StatementRef]:
    """Yield every Statement or Unknown inside ``obj`` with its field path.

    Inside :func:`walked_once`, a record walked before is not walked again: the
    statements found the first time are handed out again (the facts, the search
    texts and the reference check each walk every case as it is loaded).
    """
    memo = _memo.refs if prefix == "" else None
    if memo is None:
        found: list[StatementRef] = []
        _walk_model(obj, prefix, found)
        return iter(found)
    hit = memo.get(id(obj))
    if hit is None or hit[0] is not obj:
        hit = (obj, [])
        _walk_model(obj, prefix, hit[1])
        memo[id(obj)] = hit
    return iter(hit[1])


class _Memo(threading.local):
    refs: dict[int, tuple[BaseModel, list[StatementRef]]] | None = None


_memo = _Memo()


@contextmanager
def walked_once() -> Iterator[None]:
    """Within this block (this thread), :func:`iter_statements` walks each record once.

    For the loader, which derives several things from each case it has just
    validated: the models are frozen, and the records walked are kept alive by
    the block (so an ``id`` cannot be reused for another record), then forgotten.
    """
    outer = _memo.refs
    if outer is None:
        _memo.refs = {}
    try:
        yield
    finally:
        if outer is None:
            _memo.refs = None


# Values of these types hold no statement: not walked (the walk learns more as it goes).
_LEAVES: set[type] = {str, bool, int, float, type(None)}
_FIELDS: dict[type, tuple[str, ...]] = {}


def _walk_model(obj: BaseModel, prefix: str, out: list[StatementRef]) -> None:
    if isinstance(obj, Statement | Unknown):
        out.append((prefix, obj))
    cls = type(obj)
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(cls.model_fields)
    leaves = _LEAVES
    for name in names:
        value = getattr(obj, name)
        if type(value) not in leaves:
            _walk_value(value, f"{prefix}.{name}" if prefix else name, out)


def _walk_value(value: Any, path: str, out: list[StatementRef]) -> None:
    if isinstance(value, BaseModel):
        _walk_model(value, path, out)
    elif isinstance(value, list):
        leaves = _LEAVES
        for i, item in enumerate(value):
            if type(item) not in leaves:
                _walk_value(item, f"{path}[{i}]", out)
    elif isinstance(value, dict):
        for key, item in value.items():
            _walk_value(item, f"{path}.{key}", out)
    else:  # an enum, a date: nothing of that type holds a statement
        _LEAVES.add(type(value))
