"""A source's one-line citation, written once for the model and the cached-JSON views.

``ccgtui.model.source.Source.citation`` and ``ccgtui.present.views`` (which reads
the cache without importing pydantic) both call :func:`citation`, so the two can
never cite a source differently.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class _Variant(Protocol):
    @property
    def field(self) -> str: ...
    @property
    def value(self) -> str: ...
    @property
    def given_by(self) -> str: ...


class Citable(Protocol):
    """What a citation reads: a ``Source`` or a view of one."""

    @property
    def authors(self) -> Sequence[str]: ...
    @property
    def year(self) -> int | None: ...
    @property
    def title(self) -> str: ...
    @property
    def container(self) -> str | None: ...
    @property
    def volume(self) -> str | None: ...
    @property
    def issue(self) -> str | None: ...
    @property
    def pages(self) -> str | None: ...
    @property
    def doi(self) -> str | None: ...
    @property
    def url(self) -> str | None: ...
    @property
    def variants(self) -> Sequence[_Variant]: ...


def sentence(text: str) -> str:
    """End a citation element with a full stop, unless it ends in one already ("Why?", "al.")."""
    return text if text.endswith((".", "?", "!")) else text + "."


def with_variants(source: Citable, name: str) -> str:
    """``2015`` -> ``2015 [repository: 2014]`` for each recorded variant."""
    text = str(getattr(source, name))
    for variant in source.variants:
        if variant.field == name:
            text += f" [{variant.given_by}: {variant.value}]"
    return text


def citation(source: Citable) -> str:
    """A one-line reference in Vancouver-like style, with every recorded variant."""
    parts: list[str] = []
    if source.authors:
        parts.append(sentence(", ".join(source.authors)))
    parts.append(sentence(source.title))
    where = source.container or ""
    if source.year:
        where = f"{where} {with_variants(source, 'year')}".strip()
    if source.volume:
        where += f";{with_variants(source, 'volume')}"
        if source.issue:
            where += f"({with_variants(source, 'issue')})"
    if source.pages:
        where += f":{with_variants(source, 'pages')}"
    if where:
        parts.append(sentence(where))
    if source.doi:
        parts.append(f"doi:{source.doi}")
    elif source.url:
        parts.append(source.url)
    return " ".join(parts)
