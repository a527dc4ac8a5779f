"""A case: its story stages, partners, arenas and evidence, with the checks across fields."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Discriminator, Field, Tag, field_validator, model_validator

from ccgtui.model.statements import (
    _ID,
    Label,
    SectorsUnknown,
    Statement,
    Unknown,
    _Frozen,
)
from ccgtui.model.vocabularies import Arena, CaseKind, Sector


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
