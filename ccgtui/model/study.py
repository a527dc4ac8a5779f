"""A study: its team, phases, surveys, measures, concepts and findings."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from ccgtui.model.statements import _ID, Label, SourceId, Statement, _Frozen
from ccgtui.model.vocabularies import Arena


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
