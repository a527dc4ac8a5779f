"""Fixed wordings shown to readers, each defined once, and counted nouns ("1 case", "2 cases").

A banner or mark that a reader relies on (is this real data? is this one CCG? was this
figure checked?) must read the same in ``show``, ``compare``, the matrix and every
export, so each is a constant here and every front end prints this one.
"""

from __future__ import annotations

from typing import Protocol

# Whole-record banners: shown first wherever a case or study is printed.
ILLUSTRATIVE_BANNER = "ILLUSTRATIVE EXAMPLE - fictional data, not a real site."
COMPOSITE_BANNER = "COMPOSITE CASE - a synthesis of cross-case findings, not one CCG."
# Short forms for a row label (matrix, compare column) where the banner does not fit;
# the banner itself is printed under the table.
ILLUSTRATIVE_MARK = "[ILLUSTRATIVE]"
COMPOSITE_MARK = "[COMPOSITE]"

# The value of an explicit unknown, when the case file gives no wording of its own.
NOT_REPORTED = "Not reported in available sources"
# Before an unknown's text where no style can set it apart (plain text, CSV cells).
UNKNOWN_PREFIX = "UNKNOWN: "
# A statement flagged ``unverified: true`` (a figure from a copy we could not check).
UNVERIFIED_MARK = "⚠ unverified"
# A list the case file records as empty (not unknown: that is NOT_REPORTED).
NONE_RECORDED = "(none recorded)"
# A source flagged ``illustrative: true``: first line wherever the whole source is shown.
ILLUSTRATIVE_SOURCE_BANNER = "ILLUSTRATIVE SOURCE: not real"
# A cited source id that the sources file does not define (the loader refuses it; shown
# rather than hidden if one gets through).
SOURCE_NOT_DEFINED = "(not defined)"
# The same flag after a source in a list of references.
ILLUSTRATIVE_SOURCE_MARK = "(illustrative)"


class _Flagged(Protocol):
    """A study or a case: both say whether they are illustrative; a case has a kind."""

    @property
    def illustrative(self) -> bool: ...


def _composite(record: _Flagged) -> bool:
    # By value, so this module imports nothing (the model imports NOT_REPORTED from it).
    return getattr(record, "kind", None) == "composite"


def banners(record: _Flagged) -> list[str]:
    """The banners a study or case carries, most important first (none for plain data)."""
    lines = [ILLUSTRATIVE_BANNER] if record.illustrative else []
    if _composite(record):
        lines.append(COMPOSITE_BANNER)
    return lines


def row_mark(record: _Flagged) -> str:
    """The short marks for a row label (COMPOSITE_MARK, ILLUSTRATIVE_MARK), or ``""``."""
    marks = [ILLUSTRATIVE_MARK] if record.illustrative else []
    if _composite(record):
        marks.append(COMPOSITE_MARK)
    return "".join(f" {m}" for m in marks)


_IRREGULAR = {"study": "studies", "entry": "entries", "match": "matches"}


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``count`` and ``noun``, the noun in the plural unless ``count`` is exactly 1."""
    if count == 1:
        return f"{count:,} {noun}"
    return f"{count:,} {many or _IRREGULAR.get(noun, noun + 's')}"
