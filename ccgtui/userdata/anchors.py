"""Whether a target still exists, what it is called now, and where a moved partner went.

A partner position is checked against the :class:`PartnerAnchor` stored with the
note, so reordering the partners orphans a note instead of moving it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ccgtui.model.vocabularies import Arena
from ccgtui.userdata.targets import (
    Target,
    UserDataError,
    _partners,
    parse_target,
    target_for_partner,
)

if TYPE_CHECKING:
    from ccgtui.model import Case, Dataset, Partner


@dataclass(frozen=True)
class PartnerAnchor:
    """The partner a note was written on, remembered with the note.

    A partner *position* is checked against it, so that reordering the partners
    in the case file orphans the note instead of moving it to another partner.
    """

    sector: str
    organisation: str = ""
    text: str = ""

    @classmethod
    def of(cls, partner: Partner) -> PartnerAnchor:
        return cls(partner.sector.value, partner.organisation or "", partner.text)

    @classmethod
    def from_doc(cls, value: Any) -> PartnerAnchor | None:
        if not isinstance(value, dict) or not value.get("sector"):
            return None
        return cls(
            str(value["sector"]), str(value.get("organisation") or ""), str(value.get("text") or "")
        )

    def matches(self, partner: Partner) -> bool:
        """Same sector and organisation; a partner with no organisation needs the same text."""
        if (partner.sector.value, partner.organisation or "") != (self.sector, self.organisation):
            return False
        return bool(self.organisation) or partner.text == self.text


def _partner_name(partner: Partner) -> str:
    return partner.organisation or partner.sector.label


def _find_partner(case: Case, target: Target) -> tuple[int, Partner] | None:
    """(position from 1, partner) for a partner target, whatever its form."""
    partners = _partners(case)
    number = target.position
    if number is not None:
        return (number, partners[number - 1]) if number <= len(partners) else None
    return next(((i, p) for i, p in enumerate(partners, 1) if p.id == target.parts[1]), None)


def _remembered_name(context: str, number: int) -> str | None:
    """The partner name in a note's context ("<case> › Partner 2: <name>"), if there."""
    marker = f" › Partner {number}: "
    return context.rpartition(marker)[2] if marker in context else None


def _still_there(partner: Partner, number: int, anchor: PartnerAnchor | None, context: str) -> bool:
    """Is the partner at this position still the one the note was written on?"""
    if anchor is not None:
        return anchor.matches(partner)
    remembered = _remembered_name(context, number)  # notes written before anchors
    return remembered is None or remembered == _partner_name(partner)


def resolve_target(
    target: str | Target,
    dataset: Dataset,
    *,
    anchor: PartnerAnchor | None = None,
    context: str = "",
) -> str | None:
    """A readable name for the target if it exists in ``dataset``, else ``None``.

    For a partner position, the partner there must still match ``anchor`` (or,
    for a note older than anchors, the name remembered in ``context``).
    """
    t = target if isinstance(target, Target) else parse_target(target)
    if t.kind == "study":
        study = dataset.study(t.parts[0])
        return f"Study: {study.short_title or study.title}" if study else None
    if t.kind == "source":
        source = dataset.source(t.parts[0])
        return f"Source: {source.title}" if source else None
    case = dataset.case(t.parts[0])
    if case is None:
        return None
    if t.kind == "case":
        return f"Case: {case.label}"
    if t.kind == "stage":
        stages = case.story if isinstance(case.story, list) else []
        stage = next((s for s in stages if s.id == t.parts[1]), None)
        return f"{case.label} › Stage: {stage.title}" if stage else None
    if t.kind == "arena":
        return f"{case.label} › Arena: {Arena(t.parts[1]).label}"
    found = _find_partner(case, t)
    if found is None:
        return None
    number, partner = found
    if t.position is None:
        return f"{case.label} › Partner {partner.id}: {_partner_name(partner)}"
    if not _still_there(partner, number, anchor, context):
        return None
    return f"{case.label} › Partner {number}: {_partner_name(partner)}"


def target_exists(target: str | Target, dataset: Dataset) -> bool:
    return resolve_target(target, dataset) is not None


def resolve_safe(
    target: str,
    dataset: Dataset,
    *,
    anchor: PartnerAnchor | None = None,
    context: str = "",
) -> str | None:
    """Like :func:`resolve_target`, but a malformed stored target is just orphaned."""
    try:
        return resolve_target(target, dataset, anchor=anchor, context=context)
    except UserDataError:
        return None


def moved_to(
    target: str, dataset: Dataset, *, anchor: PartnerAnchor | None = None, context: str = ""
) -> str | None:
    """For an orphaned partner note: the target of the one partner that matches it now.

    ``None`` when the target still resolves, is not a partner, or no partner (or
    more than one) in the case matches what the note was written on.
    """
    try:
        t = parse_target(target)
    except UserDataError:
        return None
    case = dataset.case(t.parts[0]) if t.kind == "partner" else None
    if case is None or resolve_target(t, dataset, anchor=anchor, context=context) is not None:
        return None
    partners = _partners(case)
    if anchor is not None:
        hits = [i for i, p in enumerate(partners, 1) if anchor.matches(p)]
    elif t.position is not None and (name := _remembered_name(context, t.position)):
        hits = [i for i, p in enumerate(partners, 1) if _partner_name(p) == name]
    else:
        hits = []
    return target_for_partner(case, hits[0]) if len(hits) == 1 else None
