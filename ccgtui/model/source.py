"""A source: its bibliographic record, evidence level, variants and citation."""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator

from ccgtui.model.citation import citation
from ccgtui.model.statements import _ID, Label, _Frozen
from ccgtui.model.vocabularies import Level, SourceType
from ccgtui.safe_text import clean_id

# Characters that end or break out of a link in Markdown or HTML: whitespace, angle
# brackets, quotes, backticks.  A source link is written into exports as it is.
_UNSAFE_IN_LINK = re.compile(r"[\s<>\"'`]")


def _is_allowed_url(value: str) -> bool:
    """An http(s) URL with a host, or a ``doi:`` one; nothing a link could break out with."""
    if _UNSAFE_IN_LINK.search(value) or clean_id(value) != value:
        return False
    parts = urlsplit(value)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        return bool(parts.netloc) and value.lower().startswith(f"{scheme}://")
    return scheme == "doi" and bool(parts.path)


class Variant(_Frozen):
    """Another value for one bibliographic field, as another record of the work gives it.

    Shown in the citation beside the value used ("2015 [repository: 2014]"), so a
    reference never hides that its records disagree.
    """

    field: Literal["year", "volume", "issue", "pages"]
    value: str = Field(min_length=1)
    given_by: Label = Field(min_length=1)


class Source(_Frozen):
    id: str = Field(pattern=_ID)
    type: SourceType
    authors: list[Label] = Field(default_factory=list)
    year: int | None = None
    title: Label
    container: Label | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    url: str | None = None
    level: Level
    illustrative: bool = False
    notes: list[str] = Field(default_factory=list)
    variants: list[Variant] = Field(default_factory=list)

    @model_validator(mode="after")
    def _variants_name_a_set_field(self) -> Source:
        for variant in self.variants:
            if getattr(self, variant.field) is None:
                raise ValueError(
                    f"variants: {variant.field!r} has a variant but no value of its own"
                )
        return self

    @field_validator("url")
    @classmethod
    def _allowed_url(cls, value: str | None) -> str | None:
        if value is not None and not _is_allowed_url(value):
            raise ValueError(
                f"{value!r} is not an allowed URL: use an http://, https:// or doi: address "
                "with no spaces, angle brackets or quotes"
            )
        return value

    @field_validator("doi")
    @classmethod
    def _plain_doi(cls, value: str | None) -> str | None:
        if value is not None and (_UNSAFE_IN_LINK.search(value) or clean_id(value) != value):
            raise ValueError(
                f"{value!r} is not a DOI as written here (e.g. 10.1000/xyz): "
                "no spaces, angle brackets or quotes"
            )
        return value

    def citation(self) -> str:
        """A one-line reference in Vancouver-like style, with every recorded variant."""
        return citation(self)
