"""Resolve what a person typed (an id, a prefix, part of a label) to a record."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar


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


def find_case(cases: Sequence[L], ref: str) -> tuple[L | None, list[str]]:
    """The case ``ref`` names (cases or their summaries), else ``None`` and near-miss ids."""
    return _find(cases, ref, lambda c: c.label)


def _find(items: Sequence[T], ref: str, label: Callable[[T], str]) -> tuple[T | None, list[str]]:
    wanted = ref.strip().casefold()
    for item in items:
        if item.id.casefold() == wanted:
            return item, []
    prefixed = [i for i in items if i.id.casefold().startswith(wanted)]
    if len(prefixed) == 1:
        return prefixed[0], []
    in_label = [i for i in items if wanted and wanted in label(i).casefold()]
    if len(in_label) == 1 and not prefixed:
        return in_label[0], []
    if prefixed or in_label:
        return None, [i.id for i in (prefixed or in_label)][:5]
    from rapidfuzz import process
    from rapidfuzz.fuzz import WRatio

    choices = {i.id: f"{i.id} {label(i)}" for i in items}
    near = process.extract(ref, choices, scorer=WRatio, limit=3, score_cutoff=60)
    return None, [key for _, _, key in near]
