"""A case as the plain text of a REFI-QDA source, and the project's code tree.

Each statement, stage and partner is one :class:`Span` of its case's text whose
offsets (characters, not bytes) slice out exactly its text, with the keys of the
codes it gets (``arena:board``, ``source:storey2018``, ``flag:unknown``...).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ccgtui.model import (
    ARENA_TITLES,
    SECTOR_TITLES,
    Arena,
    Partner,
    Sector,
    SectorsUnknown,
    Stage,
    Statement,
    Unknown,
    iter_statements,
)
from ccgtui.refi import (
    FIELD_TITLES,
    FLAGS,
    PARENTS,
    guid,
    heading,
    selection_description,
    source_description,
    source_label,
    xml_text,
)

if TYPE_CHECKING:
    from ccgtui.model import Case, Dataset, Source

# -- the codebook -------------------------------------------------------------------


@dataclass
class Code:
    key: str  # e.g. "sector:social-work"; its GUID is guid("code", key)
    name: str
    description: str = ""
    children: list[Code] = field(default_factory=list)
    codable: bool = True

    @property
    def guid(self) -> str:
        return guid("code", self.key)


def codebook(dataset: Dataset, cases: Sequence[Case], sources: Sequence[Source]) -> list[Code]:
    """The code tree: six parents, their children in a fixed order."""
    children: dict[str, list[Code]] = {
        "arena": [Code(f"arena:{a.value}", ARENA_TITLES[a]) for a in Arena],
        "sector": [Code(f"sector:{s.value}", SECTOR_TITLES[s]) for s in Sector],
        "field": [Code(f"field:{k}", title) for k, title in FIELD_TITLES.items()],
        "theme": [
            Code(f"theme:{t}", xml_text(t, one_line=True))
            for t in sorted({t for c in cases for t in c.themes})
        ],
        "source": [
            Code(f"source:{s.id}", xml_text(source_label(s), one_line=True), source_description(s))
            for s in sources
        ],
        "flag": [Code(f"flag:{k}", k, text) for k, text in FLAGS.items()],
    }
    return [
        Code(f"parent:{key}", name, text, children[key], codable=False)
        for key, name, text in PARENTS
    ]


# -- a case as plain text, with its selections ----------------------------------------


@dataclass
class Span:
    """One statement's place in its case's text, and the codes it gets."""

    path: str  # e.g. "story[2]", "arenas.board[0]"
    start: int
    end: int
    codes: list[str]  # code keys
    description: str = ""  # its id, quote mark and note (refi.selection_description)

    @property
    def guid(self) -> str:
        return guid("selection", self.path)


@dataclass
class CaseText:
    case: Case
    text: str
    spans: list[Span]

    @property
    def source_guid(self) -> str:
        return guid("source", self.case.id)


def _statement_codes(path: str, item: Statement | Unknown, case: Case) -> list[str]:
    top = re.split(r"[.\[]", path, maxsplit=1)[0]
    codes = [f"field:{top}"] if top in FIELD_TITLES else []
    arenas: list[Arena] = []
    if top == "arenas":
        arenas.append(Arena(path.split(".")[1].split("[")[0]))
    if isinstance(item, Stage) and item.arena is not None:
        arenas.append(item.arena)
    codes += [f"arena:{a.value}" for a in arenas]
    sectors: list[Sector] = []
    if isinstance(item, Partner):
        sectors.append(item.sector)
    elif isinstance(item, Stage | SectorsUnknown):
        sectors += item.sectors
    codes += [f"sector:{s.value}" for s in dict.fromkeys(sectors)]
    codes += [f"source:{sid}" for sid in dict.fromkeys(item.sources)]
    if isinstance(item, Unknown) or (isinstance(item, Statement) and item.unknown):
        codes.append("flag:unknown")
    if isinstance(item, Statement) and item.unverified:
        codes.append("flag:unverified")
    return codes


def case_text(case: Case) -> CaseText:
    """The case as plain text; each statement's text is one span of it, unchanged."""
    lines: list[str] = [xml_text(case.label, one_line=True)]
    lines.append(f"Case {case.id} · kind: {case.kind.value} · study: {case.study}")
    if case.illustrative:
        lines.append("ILLUSTRATIVE: a made-up example, not real evidence.")
    text = "\n".join(lines) + "\n"
    spans: list[Span] = []
    section = ""
    for path, item in iter_statements(case):
        top = re.split(r"[.\[]", path, maxsplit=1)[0]
        if top != section:
            section = top
            text += f"\n{FIELD_TITLES.get(top, top)}\n"
        text += xml_text(heading(path, item), one_line=True) + "\n"
        body = xml_text(item.text)
        start = len(text)
        text += body + "\n"
        described = selection_description(item)
        spans.append(Span(f"{case.id}/{path}", start, start + len(body), [], described))
        spans[-1].codes = _statement_codes(path, item, case)
    if case.themes:
        text += "\nThemes\n" + "; ".join(xml_text(t, one_line=True) for t in case.themes) + "\n"
    return CaseText(case, text, spans)


def with_crlf(ct: CaseText) -> CaseText:
    """The same text with CRLF line ends (MAXQDA's), each span moved to slice it still.

    A span's start moves by the newlines before it, its end by those before its end,
    so a statement of several lines keeps its own line breaks, as CRLF too.
    """
    before = [0]  # before[i]: newlines in text[:i]
    for char in ct.text:
        before.append(before[-1] + (char == "\n"))
    spans = [
        replace(s, start=s.start + before[s.start], end=s.end + before[s.end]) for s in ct.spans
    ]
    return CaseText(ct.case, ct.text.replace("\n", "\r\n"), spans)
