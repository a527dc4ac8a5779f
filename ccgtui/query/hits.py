"""A search hit and how it is shown: where it is, in words, and a snippet around its match."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ccgtui.model.vocabularies import Arena
from ccgtui.search_build import WORD as _WORD


@dataclass(frozen=True, slots=True)
class Hit:
    case_id: str | None
    study_id: str | None
    tab: str
    path: str
    label: str
    text: str
    snippet: str
    spans: tuple[tuple[int, int], ...]  # match positions within ``snippet``
    sources: tuple[str, ...]
    score: float

    @property
    def place(self) -> str:
        """Where the hit is, as a reader would say it ("Story, stage 2: title")."""
        return place_label(self.tab, self.path)

    def as_dict(self) -> dict[str, object]:
        return {
            "case_id": self.case_id,
            "study_id": self.study_id,
            "tab": self.tab,
            "field": self.path,
            "label": self.label,
            "snippet": self.snippet,
            "sources": list(self.sources),
            "score": round(self.score, 2),
        }


_PATH_PART = re.compile(r"^([a-z_]+)(?:\[(\d+)\])?$")
_SECTION_NAMES = {"label": "Case name"}


def place_label(tab: str, path: str) -> str:
    """Where a hit is, as a reader would say it, from its tab and internal path.

    ``story[1].title`` -> "Story, stage 2: title", ``arenas.board[0]`` -> "Arenas, CCG
    board, 1", a study's ``findings[2]`` -> "Study findings, 3", a note on
    ``stage:X/s`` -> "Note on stage s".  Numbers count from 1, as the tabs show them.
    """
    from ccgtui.safe_text import clean_id

    if tab == "notes":
        return _note_place(path)
    if tab == "sources":
        return "Source: title and authors"
    parts = [_PATH_PART.match(part) for part in path.split(".")]
    if not all(parts):
        return clean_id(path)  # not a path this index writes: shown as it is
    pieces: list[str] = []
    details: list[str] = []
    for n, match in enumerate(m for m in parts if m is not None):
        name, index = match.group(1), match.group(2)
        number = "" if index is None else str(int(index) + 1)
        if n == 0:
            pieces.append(_SECTION_NAMES.get(name, name.replace("_", " ").capitalize()))
            if number:
                pieces.append(f"stage {number}" if name == "story" else number)
        elif n == 1 and pieces[0] == "Arenas" and name in Arena.__members__:
            pieces += [_arena_name(name), number] if number else [_arena_name(name)]
        else:
            details.append(" ".join(x for x in (name.replace("_", " "), number) if x))
    text = ", ".join(pieces) + (f": {' '.join(details)}" if details else "")
    return f"Study {text[0].lower()}{text[1:]}" if tab == "study" else text


def _arena_name(key: str) -> str:
    """The arena's title without its explanation: "Programme board"."""
    return Arena(key).label.split(" (")[0]


def _note_place(target: str) -> str:
    from ccgtui.safe_text import clean_id

    kind, _, rest = target.partition(":")
    last = rest.split("/")[-1]
    if kind == "case":
        return "Note on the case"
    if kind == "arena" and last in Arena.__members__:
        return f"Note on arena {_arena_name(last)}"
    return clean_id(f"Note on {kind} {last}")


def make_snippet(
    text: str, tokens: set[str], width: int = 120
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A window of ``text`` around the first match, and the match spans inside it."""
    spans = [(m.start(), m.end()) for m in _WORD.finditer(text) if m.group().lower() in tokens]
    if not spans:
        return text[:width], ()
    start = max(0, spans[0][0] - width // 3)
    if start:  # begin at a word, not in the middle of one
        space = text.find(" ", start, spans[0][0])
        start = space + 1 if space != -1 else spans[0][0]
    end = min(len(text), start + width)
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    snippet = prefix + text[start:end] + suffix
    shift = len(prefix) - start
    inside = tuple((a + shift, b + shift) for a, b in spans if a >= start and b <= end)
    return snippet, inside
