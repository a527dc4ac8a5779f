"""Resolve what a person typed (an id, a prefix, part of a label) to a record."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

NEAR_CUTOFF = 60  # rapidfuzz WRatio score below which an id is not offered as a typo fix
NEAR_SPREAD = 5  # offer every id scoring within this of the best (ties are all shown)
NEAR_MAX = 8


class _Labelled(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def label(self) -> str: ...


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=_Identified)
L = TypeVar("L", bound=_Labelled)


@dataclass(frozen=True)
class Lookup(Generic[T]):
    """The one record meant, or why there is none.

    ``candidates``: every id the reference fits (an ambiguous prefix or label
    word), so the person can pick one; ``near``: the closest ids to a typo.
    """

    found: T | None
    candidates: list[str] = field(default_factory=list)
    near: list[str] = field(default_factory=list)


def find_case(cases: Sequence[L], ref: str) -> Lookup[L]:
    """The case ``ref`` names (cases or their summaries), else its candidates or near misses."""
    return _find(cases, ref, lambda c: c.label)


def _find(items: Sequence[T], ref: str, label: Callable[[T], str]) -> Lookup[T]:
    wanted = ref.strip().casefold()
    for item in items:
        if item.id.casefold() == wanted:
            return Lookup(item)
    if not wanted:
        return Lookup(None)
    prefixed = [i for i in items if i.id.casefold().startswith(wanted)]
    if len(prefixed) == 1:
        return Lookup(prefixed[0])
    in_label = [i for i in items if wanted in label(i).casefold()]
    if len(in_label) == 1 and not prefixed:
        return Lookup(in_label[0])
    if prefixed or in_label:
        return Lookup(None, candidates=[i.id for i in (prefixed or in_label)])
    return Lookup(None, near=_near(items, ref, label))


def _near(items: Sequence[T], ref: str, label: Callable[[T], str]) -> list[str]:
    """Ids closest to a mistyped reference, scored on the id and on the label."""
    from rapidfuzz import process
    from rapidfuzz.fuzz import WRatio

    best: dict[str, float] = {}
    for choices in ({i.id: i.id for i in items}, {i.id: label(i) for i in items}):
        for _, score, key in process.extract(
            ref, choices, scorer=WRatio, limit=None, score_cutoff=NEAR_CUTOFF
        ):
            best[key] = max(score, best.get(key, 0.0))
    if not best:
        return []
    top = max(best.values())
    ranked = sorted(best.items(), key=lambda kv: -kv[1])  # stable: file order among ties
    return [key for key, score in ranked if score >= top - NEAR_SPREAD][:NEAR_MAX]
