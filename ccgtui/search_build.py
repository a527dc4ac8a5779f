"""What the search index holds, derived once, and the index file written from it.

Shared by the in-memory index (:class:`ccgtui.query.SearchIndex`) and the
persistent one the store writes beside the content cache at load time
(:mod:`ccgtui.search_index` reads it), so both number, weigh and tokenise the
entries the same way and give the same answers.

A case's entries are worked out where the loader validated it (a pool worker,
see ``store.cache_entry``); this module depends on the model and facts alone,
so the store can build the file without importing the query code.

The file itself (SQLite) is :mod:`ccgtui.search_file`, written whole or patched
one case at a time by :mod:`ccgtui.search_patch`; its names are re-exported here.
"""

from __future__ import annotations

import sys
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ccgtui import case_tabs
from ccgtui.facts import Later
from ccgtui.search_file import (
    SEARCH_FORMAT,
    SEARCH_VERSION,
    WORD,
    IndexCase,
    IndexText,
    Stamp,
    tokens_of,
)
from ccgtui.search_patch import write_file

if TYPE_CHECKING:
    from ccgtui.model import Case, Source, Study
    from ccgtui.model import case as _cm
    from ccgtui.model import statements as _st
else:  # the pydantic models come with the first case indexed, not with the store
    _cm = Later("ccgtui.model.case")
    _st = Later("ccgtui.model.statements")

__all__ = [
    "SEARCH_FORMAT",
    "SEARCH_VERSION",
    "WORD",
    "Entry",
    "IndexCase",
    "IndexText",
    "Postings",
    "RawEntry",
    "Stamp",
    "build_postings",
    "case_entries",
    "case_of_target",
    "case_raw_entries",
    "index_texts",
    "note_entries",
    "other_entries",
    "tokens_of",
    "write_index",
]


# One case entry as a worker sends it back: (tab, path, text, sources, weight).
RawEntry = tuple[str, str, str, tuple[str, ...], float]


@dataclass(frozen=True, slots=True)  # slots: 300k entries at 10k cases; saves ~15 MB
class Entry:
    """One searchable text and where it lives."""

    case_id: str | None
    study_id: str | None
    tab: str
    path: str
    text: str
    sources: tuple[str, ...]
    weight: float
    label: str


def case_raw_entries(case: Case) -> list[RawEntry]:
    """The case's searchable texts: label, themes, statements, stage titles, partners."""
    out: list[RawEntry] = [
        ("overview", "label", case.label, (), 10.0),
        ("overview", "themes", " ".join(case.themes), (), 3.0),
    ]
    tabs = case_tabs.field_tabs()  # which case tab shows a field (the first part of a path)
    for path, item in _st.iter_statements(case):
        if isinstance(item, _st.Unknown) or item.unknown:
            continue
        tab = tabs.get(path.split("[")[0].split(".")[0], "overview")
        sources = tuple(item.sources)
        out.append((tab, path, item.text, sources, 1.0))
        if isinstance(item, _cm.Stage):
            out.append((tab, f"{path}.title", item.title, sources, 5.0))
        if isinstance(item, _cm.Partner):
            extra = " ".join(x for x in (item.organisation, item.role, item.sector.value) if x)
            out.append((tab, f"{path}.organisation", extra, sources, 3.0))
    return out


def index_texts(case: Case) -> list[IndexText]:
    """:func:`case_raw_entries` with each text's tokens (worked out where the case is).

    Tokens are interned, so a chunk of results pickles each token once.
    """
    intern, findall, lower = sys.intern, WORD.findall, str.lower
    return [
        (
            tab,
            intern(path),
            text,
            "\x1f".join(sources),
            weight,
            tuple(map(intern, set(map(lower, findall(text))))),
        )
        for tab, path, text, sources, weight in case_raw_entries(case)
    ]


def case_entries(case_id: str, study: str, label: str, raw: Iterable[RawEntry]) -> list[Entry]:
    # Paths repeat across cases ("story[2]"): one shared string each.
    return [
        Entry(case_id, study, tab, sys.intern(path), text, sources, weight, label)
        for tab, path, text, sources, weight in raw
    ]


def other_entries(studies: Iterable[Study], sources: Iterable[Source]) -> list[Entry]:
    """The studies' titles and statements, then the sources' titles and authors."""
    out: list[Entry] = []
    for study in studies:
        out.append(Entry(None, study.id, "study", "title", study.title, (), 8.0, study.title))
        for path, item in _st.iter_statements(study):
            if not (isinstance(item, _st.Unknown) or item.unknown):
                label = study.short_title or study.title
                cited = tuple(item.sources)
                out.append(Entry(None, study.id, "study", path, item.text, cited, 1.0, label))
    for source in sources:
        text = f"{source.title} {' '.join(source.authors)}"
        path = f"source:{source.id}"
        out.append(Entry(None, None, "sources", path, text, (source.id,), 2.0, source.id))
    return out


def note_entries(notes: Iterable[tuple[str, str]], labels: Mapping[str, str]) -> list[Entry]:
    """The user's notes, labelled with their case's label (``labels``: case id -> label)."""
    out = []
    for target, text in notes:
        case_id = case_of_target(target)
        label = labels.get(case_id or "", target)
        out.append(Entry(case_id, None, "notes", target, text, (), 1.5, label))
    return out


def case_of_target(target: str) -> str | None:
    """``case:X``, ``stage:X/s``, ``arena:X/board``, ``partner:X/1`` -> ``X``."""
    kind, _, rest = target.partition(":")
    if kind in ("case", "stage", "arena", "partner"):
        return rest.split("/")[0] or None
    return None


@dataclass
class Postings:
    """Entries numbered by weight band (ranks) and each token's ascending ranks.

    Ranks number the entries heaviest weight first (labels, titles, ...,
    statements), in entry order within one weight, so each weight is one range
    of ranks (``bands``) and a posting sliced to it lists that weight's matches
    in entry order.  Arrays of 4-byte ints, not sets: at 10k cases 4 million
    postings take 16 MB instead of 180 MB.
    """

    order: array[int] = field(default_factory=lambda: array("I"))  # rank -> entry
    bands: list[tuple[float, int, int]] = field(default_factory=list)  # weight, first, end
    postings: dict[str, array[int]] = field(default_factory=dict)
    case_ranks: dict[str, array[int]] = field(default_factory=dict)


def build_postings(entries: Sequence[Entry], first_rank: int = 0, first_entry: int = 0) -> Postings:
    """Number ``entries`` (entry numbers from ``first_entry``) from rank ``first_rank``."""
    by_weight: dict[float, list[int]] = {}
    for i, entry in enumerate(entries, first_entry):
        by_weight.setdefault(entry.weight, []).append(i)
    out = Postings()
    for weight in sorted(by_weight, reverse=True):
        first = first_rank + len(out.order)
        out.order.extend(by_weight[weight])
        out.bands.append((weight, first, first_rank + len(out.order)))
    building: defaultdict[str, list[int]] = defaultdict(list)
    by_case: defaultdict[str, list[int]] = defaultdict(list)
    findall, lower = WORD.findall, str.lower
    for rank, index in enumerate(out.order, first_rank):
        entry = entries[index - first_entry]
        if entry.case_id is not None:
            by_case[entry.case_id].append(rank)
        for token in set(map(lower, findall(entry.text))):
            building[token].append(rank)
    out.postings = {t: array("I", ranks) for t, ranks in building.items()}
    building.clear()
    out.case_ranks = {c: array("I", ranks) for c, ranks in by_case.items()}
    return out


def write_index(
    path: Path, cases: Sequence[IndexCase], others: Sequence[Entry], stamp: Stamp
) -> None:
    """Write the index file at ``path`` atomically: cases in order, then ``others``.

    Entries are numbered and ranked in the order :func:`build_postings` gives the
    in-memory index (cases' texts, then studies and sources), sparsely, so that one
    case can be replaced later (:mod:`ccgtui.search_file`).
    """
    rows = [
        (e.case_id, e.study_id, e.tab, e.path, e.label, "\x1f".join(e.sources), e.weight, e.text)
        for e in others
    ]
    write_file(path, cases, rows, stamp)
