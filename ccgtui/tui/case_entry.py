"""The case list's first frame: its entries drawn from the table of contents, no case model.

The explorer's first frame is the case list (issue 16: "the explorer paints from the
index and builds summaries for the rows it shows; everything else arrives after the
first frame").  An entry needs a case's label, kind and study, and the study's short
title: all in the store's table of contents and its cached study records, so this
module imports neither the pydantic models nor :mod:`ccgtui.tui.render` (which styles
whole cases and imports them).  ``render.case`` re-exports the entry and its badges.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, overload

from textual.content import Content

from ccgtui.safe_text import clean

if TYPE_CHECKING:
    from ccgtui.store import Store

MUTED = "$foreground-muted"  # render.base.MUTED, the same theme variable

# By the kind's value: a CaseKind is a StrEnum, so it finds the same entry.
KIND_BADGES: dict[str, tuple[str, str]] = {
    "in-depth": ("IN-DEPTH", "bold $text-primary"),
    "scoping": ("SCOPING", "bold $text-secondary"),
    # Not green: a synthesis across sites is not a verified finding (issue 15).
    "composite": ("COMPOSITE", "bold $text-primary on $primary-muted"),
    "illustrative": ("ILLUSTRATIVE", "bold $text-warning"),
    "related-study": ("RELATED STUDY", "bold $text-secondary"),
}


class Entry(Protocol):
    """What an entry shows of a case (a :class:`ListRow`, a summary or a case)."""

    @property
    def id(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def study(self) -> str: ...


class ListRow(NamedTuple):
    """A case as its table-of-contents row lists it: id, kind, label, study, flag, in
    the order ``Store.case_listing`` gives them (a row is used as it comes)."""

    id: str
    kind: str
    label: str
    study: str
    illustrative: bool


class Rows(Sequence[ListRow]):
    """The rows, each made a :class:`ListRow` when read: the first frame reads a screenful
    of 10,000 (making them all took as long as reading them from the table of contents)."""

    def __init__(self, raw: Sequence[Sequence[Any]]) -> None:
        self._raw = raw

    def __len__(self) -> int:
        return len(self._raw)

    @overload
    def __getitem__(self, i: int) -> ListRow: ...
    @overload
    def __getitem__(self, i: slice) -> Rows: ...
    def __getitem__(self, i: int | slice) -> ListRow | Rows:
        if isinstance(i, slice):
            return Rows(self._raw[i])
        return ListRow(*self._raw[i])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Rows) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Listing:
    """What the first frame shows: every case's row, in file order, and the study labels."""

    rows: Rows
    study_labels: dict[str, str]


def _lit(text: str, style: str = "") -> Content:
    text = clean(text)  # literal text, never markup; control characters dropped
    return Content.styled(text, style) if style else Content(text)


def kind_badge(kind: str) -> Content:
    text, style = KIND_BADGES[kind]
    return _lit(text, style)


def case_prompt(case: Entry, study_label: str, marked: bool = False) -> Content:
    """The case list entry: label, then kind badge and study."""
    mark = _lit("● ", "bold $text-accent") if marked else Content("")
    return Content.assemble(
        mark,
        _lit(case.label),
        "\n  ",
        kind_badge(str(case.kind)),
        _lit(f" {study_label}", MUTED),
    )


def study_labels(studies: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """Each study's short title, else its id (``render.study_label``), from cached JSON."""
    labels: dict[str, str] = {}
    for study_id, data in studies.items():
        short = data.get("short_title")
        labels[study_id] = short if isinstance(short, str) and short else study_id
    return labels


def read_listing(store: Store) -> Listing:
    """The first frame's listing: the table of contents' rows (``Store.case_listing``) and
    the studies' cached JSON (``Store.cached_records``), no model built; without a current
    table of contents the store answers from its dataset, and so do the labels here."""
    rows = Rows(store.case_listing())
    records = store.cached_records()
    if records is not None:
        labels = study_labels(records.studies)
    else:
        labels = {s.id: s.short_title or s.id for s in store.dataset().studies}
    return Listing(rows, labels)
