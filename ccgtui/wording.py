"""Counted nouns in messages: "1 case", "2 cases" (one place, so no "1 problems")."""

from __future__ import annotations

_IRREGULAR = {"study": "studies", "entry": "entries", "match": "matches"}


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``count`` and ``noun``, the noun in the plural unless ``count`` is exactly 1."""
    if count == 1:
        return f"{count:,} {noun}"
    return f"{count:,} {many or _IRREGULAR.get(noun, noun + 's')}"
