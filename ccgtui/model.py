"""The case-file schema: pydantic models and the controlled vocabularies.

Every fact-bearing value is a :class:`Statement` (text plus the ids of the
sources it comes from) or an explicit unknown.  List-valued fields may be an
:class:`Unknown` marker instead of a list, so "the sources are silent" is
recorded in the data rather than left as an empty list that looks like "none".

Unknown keys are errors everywhere (``extra="forbid"``): a typo in a case file
must never vanish silently.  Models are frozen; the loader builds them once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from enum import StrEnum
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from ccgtui.safe_text import clean, clean_id
from ccgtui.wording import NOT_REPORTED

UNKNOWN_TEXT = NOT_REPORTED  # the one wording of an unknown (ccgtui.wording)

_ID = r"^[a-z0-9][a-z0-9._-]*$"
_BOOL = TypeAdapter(bool)


def strip_control(text: str) -> str:
    """Drop control characters (escape codes, NUL, ...) but keep newline and tab."""
    return clean(text)


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


def _as_label(value: Any) -> Any:
    return clean_id(value) if isinstance(value, str) else value


# An identifier-like or one-line text (label, title, name, theme): besides control
# characters, line breaks become spaces and bidi overrides and zero-width characters
# go, so one label cannot pose as another or reorder what is printed after it.
Label = Annotated[str, BeforeValidator(_as_label)]


class Arena(StrEnum):
    """The three interlocking arenas of leadership found by the study."""

    board = "board"
    programme = "programme"
    practice = "practice"

    @property
    def label(self) -> str:
        return ARENA_TITLES[self]


ARENA_TITLES: dict[Arena, str] = {
    Arena.board: "CCG board (strategy)",
    Arena.programme: "Programme board (operational planning and negotiation)",
    Arena.practice: "Point of delivery (practical implementation)",
}


class Sector(StrEnum):
    """Cross-boundary partner sectors."""

    primary_care = "primary-care"
    secondary_care = "secondary-care"
    community_care = "community-care"
    social_work = "social-work"
    hwb = "hwb"
    patients_public = "patients-public"
    other = "other"

    @property
    def label(self) -> str:
        return SECTOR_TITLES[self]


SECTOR_TITLES: dict[Sector, str] = {
    Sector.primary_care: "Primary care",
    Sector.secondary_care: "Secondary care",
    Sector.community_care: "Community care",
    # The report names "social work"; local authorities appear only at study level.
    Sector.social_work: "Social work",
    Sector.hwb: "Health and Wellbeing Board",
    Sector.patients_public: "Patients and public",
    Sector.other: "Other",
}


class CaseKind(StrEnum):
    in_depth = "in-depth"
    scoping = "scoping"
    composite = "composite"
    illustrative = "illustrative"
    # Case studies of a separate study (e.g. Coleman et al.'s eight early CCGs),
    # kept apart from the main study's scoping sites.
    related_study = "related-study"


class Level(StrEnum):
    """Evidence level of a source: a seed document we hold is primary."""

    primary = "primary"
    secondary = "secondary"
    unverified = "unverified"


class SourceType(StrEnum):
    report = "report"
    article = "article"
    web_page = "web-page"
    other = "other"


class _Frozen(BaseModel):
    # Numbers are accepted where text is expected (`period: 2015`, `volume: 6`).
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, coerce_numbers_to_str=True
    )

    @field_validator("*", mode="before")
    @classmethod
    def _no_control_chars(cls, value: Any) -> Any:
        if isinstance(value, str):
            return strip_control(value)
        if isinstance(value, list):
            return [strip_control(v) if isinstance(v, str) else v for v in value]
        return value


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
                return _BOOL.validate_python(value)
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


def _list_or_unknown(value: Any) -> str:
    return "unknown" if isinstance(value, dict | Unknown) else "list"


class Stage(Statement):
    """One step of a redesign story, in the arena where it happened."""

    id: str = Field(pattern=_ID)
    title: Label
    period: str | None = None
    arena: Arena | None = None
    sectors: list[Sector] = Field(default_factory=list)


class Partner(Statement):
    """A cross-boundary partner in a redesign.

    ``id`` is optional but recommended: notes and bookmarks on a partner with an
    id follow it when the partners are reordered (see :mod:`ccgtui.userdata`).
    It is unique within the case and never only digits, so ``partner:<case>/2``
    always means "the second partner" and ``partner:<case>/council`` an id.
    """

    id: str | None = Field(default=None, pattern=_ID)
    sector: Sector
    organisation: Label | None = None
    role: Label | None = None

    @field_validator("id")
    @classmethod
    def _not_a_position(cls, value: str | None) -> str | None:
        if value is not None and value.isdigit():
            raise ValueError(
                f"partner id {value!r} is only digits, which would read as a position; "
                "give it a letter (e.g. 'council', 'gp-federation')"
            )
        return value


class Measure(Statement):
    """A survey result with a value per survey year (e.g. a percentage)."""

    id: str = Field(pattern=_ID)
    label: Label
    unit: str = "%"
    values: dict[int, float]


class Survey(_Frozen):
    id: str = Field(pattern=_ID)
    year: int
    population: Statement
    mode: Statement
    response: Statement = Field(default_factory=lambda: Statement(unknown=True))


class TeamMember(_Frozen):
    name: Label
    role: Label
    institution: Label
    sources: list[SourceId] = Field(default_factory=list)


class Phase(Statement):
    number: int = Field(ge=1)
    name: Label
    period: str | None = None


class Concept(Statement):
    """A key idea of the study: an arena, a logic, a leadership approach..."""

    id: str = Field(pattern=_ID)
    name: Label
    kind: Literal["arena", "logic", "leadership", "other"] = "other"
    arena: Arena | None = None


# ``list[X] | Unknown``, discriminated so that an error names only one branch.
StatementsOrUnknown = Annotated[
    Annotated[list[Statement], Tag("list")] | Annotated[Unknown, Tag("unknown")],
    Discriminator(_list_or_unknown),
]
StagesOrUnknown = Annotated[
    Annotated[list[Stage], Tag("list")] | Annotated[Unknown, Tag("unknown")],
    Discriminator(_list_or_unknown),
]
PartnersOrUnknown = Annotated[
    Annotated[list[Partner], Tag("list")] | Annotated[Unknown, Tag("unknown")],
    Discriminator(_list_or_unknown),
]


class Variant(_Frozen):
    """Another value for one bibliographic field, as another record of the work gives it.

    Shown in the citation beside the value used ("2015 [repository: 2014]"), so a
    reference never hides that its records disagree.
    """

    field: Literal["year", "volume", "issue", "pages"]
    value: str = Field(min_length=1)
    given_by: Label = Field(min_length=1)


def _sentence(text: str) -> str:
    """End a citation element with a full stop, unless it ends in one already ("Why?", "al.")."""
    return text if text.endswith((".", "?", "!")) else text + "."


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

    def _with_variants(self, name: str) -> str:
        """``2015`` -> ``2015 [repository: 2014]`` for each recorded variant."""
        text = str(getattr(self, name))
        for variant in self.variants:
            if variant.field == name:
                text += f" [{variant.given_by}: {variant.value}]"
        return text

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
        parts: list[str] = []
        if self.authors:
            parts.append(_sentence(", ".join(self.authors)))
        parts.append(_sentence(self.title))
        where = self.container or ""
        if self.year:
            where = f"{where} {self._with_variants('year')}".strip()
        if self.volume:
            where += f";{self._with_variants('volume')}"
            if self.issue:
                where += f"({self._with_variants('issue')})"
        if self.pages:
            where += f":{self._with_variants('pages')}"
        if where:
            parts.append(_sentence(where))
        if self.doi:
            parts.append(f"doi:{self.doi}")
        elif self.url:
            parts.append(self.url)
        return " ".join(parts)


class Study(_Frozen):
    id: str = Field(pattern=_ID)
    title: Label
    short_title: Label | None = None
    illustrative: bool = False
    titles: list[Statement] = Field(default_factory=list)
    funder: Statement | None = None
    project_number: Statement | None = None
    dates: list[Statement] = Field(default_factory=list)
    grant: Statement | None = None
    team: list[TeamMember] = Field(default_factory=list)
    context: list[Statement] = Field(default_factory=list)
    objective: Statement | None = None
    objectives: list[Statement] = Field(default_factory=list)
    scope: list[Statement] = Field(default_factory=list)
    phases: list[Phase] = Field(default_factory=list)
    participants: list[Statement] = Field(default_factory=list)
    methods: list[Statement] = Field(default_factory=list)
    findings: list[Statement] = Field(default_factory=list)
    surveys: list[Survey] = Field(default_factory=list)
    measures: list[Measure] = Field(default_factory=list)
    concepts: list[Concept] = Field(default_factory=list)
    unknowns: list[Statement] = Field(default_factory=list)
    related: list[Label] = Field(default_factory=list)

    @field_validator("phases")
    @classmethod
    def _phases_in_order(cls, phases: list[Phase]) -> list[Phase]:
        numbers = [p.number for p in phases]
        if numbers != sorted(numbers) or len(set(numbers)) != len(numbers):
            raise ValueError(f"phase numbers must be unique and ascending, got {numbers}")
        return phases


class Case(_Frozen):
    id: str = Field(pattern=_ID)
    study: str = Field(pattern=_ID)
    kind: CaseKind
    label: Label
    illustrative: bool = False
    summary: Statement | None = None
    place: Statement = Field(default_factory=lambda: Statement(unknown=True))
    population: Statement = Field(default_factory=lambda: Statement(unknown=True))
    service_area: Statement = Field(default_factory=lambda: Statement(unknown=True))
    period: Statement | None = None
    methods: list[Statement] = Field(default_factory=list)
    story: StagesOrUnknown = Field(default_factory=list)
    arenas: dict[Arena, StatementsOrUnknown] = Field(default_factory=dict)
    partners: PartnersOrUnknown = Field(default_factory=list)
    sectors_unknown: SectorsUnknown | None = None
    enablers: StatementsOrUnknown = Field(default_factory=list)
    barriers: StatementsOrUnknown = Field(default_factory=list)
    outcomes: StatementsOrUnknown = Field(default_factory=list)
    findings: list[Statement] = Field(default_factory=list)
    themes: list[Annotated[Label, Field(min_length=1)]] = Field(default_factory=list)

    @model_validator(mode="after")
    def _illustrative_is_flagged(self) -> Case:
        if self.kind is CaseKind.illustrative and not self.illustrative:
            raise ValueError("a case of kind 'illustrative' must set 'illustrative: true'")
        return self

    @model_validator(mode="after")
    def _unknown_sectors_are_not_partners(self) -> Case:
        if self.sectors_unknown is None:
            return self
        if isinstance(self.partners, Unknown):
            raise ValueError("sectors_unknown: partners is already unknown as a whole")
        named = {p.sector for p in self.partners}
        if isinstance(self.story, list):
            named |= {sector for stage in self.story for sector in stage.sectors}
        both = [s.value for s in self.sectors_unknown.sectors if s in named]
        if both:
            raise ValueError(
                f"sectors_unknown: {', '.join(both)} also named as a partner or in a stage"
            )
        return self

    # Ids must be unique within the case: notes attach to them.  Checked per field
    # so that a problem is reported at that field (``story`` / ``partners``).
    @field_validator("story")
    @classmethod
    def _unique_stage_ids(cls, story: list[Stage] | Unknown) -> list[Stage] | Unknown:
        if isinstance(story, list):
            _check_unique("story", "stage", [s.id for s in story])
        return story

    @field_validator("partners")
    @classmethod
    def _unique_partner_ids(cls, partners: list[Partner] | Unknown) -> list[Partner] | Unknown:
        if isinstance(partners, list):
            _check_unique("partners", "partner", [p.id for p in partners])
        return partners


def _check_unique(field: str, what: str, ids: list[str | None]) -> None:
    """Raise naming every repeated id and where it occurs (``partners[0]``, ``partners[2]``)."""
    where: dict[str, list[int]] = {}
    for i, item_id in enumerate(ids):
        if item_id is not None:
            where.setdefault(item_id, []).append(i)
    dupes = [
        f"{item_id!r} ({' and '.join(f'{field}[{i}]' for i in places)})"
        for item_id, places in where.items()
        if len(places) > 1
    ]
    if dupes:
        raise ValueError(
            f"duplicate {what} id{'s' if len(dupes) > 1 else ''} {', '.join(dupes)}; "
            f"{what} ids must be unique within a case"
        )


class Dataset(BaseModel):
    """A whole validated case folder."""

    model_config = ConfigDict(frozen=True)

    studies: list[Study]
    sources: list[Source]
    # A list when loaded from a folder; the store may hand out a lazy view
    # (ccgtui.lazy_cases) that validates each case as it is read.
    cases: Sequence[Case]

    def study(self, study_id: str) -> Study | None:
        return next((s for s in self.studies if s.id == study_id), None)

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def case(self, case_id: str) -> Case | None:
        by_id = getattr(self.cases, "by_id", None)  # a lazy view finds it without a scan
        if by_id is not None:
            found: Case | None = by_id(case_id)
            return found
        return next((c for c in self.cases if c.id == case_id), None)

    @property
    def source_map(self) -> dict[str, Source]:
        return {s.id: s for s in self.sources}


# Where a statement sits, as a dotted path a person can read ("story[2]").
StatementRef = tuple[str, Statement | Unknown]


def iter_statements(obj: BaseModel, prefix: str = "") -> Iterator[StatementRef]:
    """Yield every Statement or Unknown inside ``obj`` with its field path."""
    if isinstance(obj, Statement | Unknown):
        yield prefix, obj
    for name in type(obj).model_fields:
        value = getattr(obj, name)
        path = f"{prefix}.{name}" if prefix else name
        yield from _iter_value(value, path)


def _iter_value(value: Any, path: str) -> Iterator[StatementRef]:
    if isinstance(value, BaseModel):
        yield from iter_statements(value, path)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _iter_value(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _iter_value(item, f"{path}.{key}")
