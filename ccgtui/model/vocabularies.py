"""The controlled vocabularies of the case files: arenas, sectors, kinds, levels, source types.

Plain enums, no pydantic: filters, labels and the index rows use them without
building a schema.
"""

from __future__ import annotations

from enum import StrEnum


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
