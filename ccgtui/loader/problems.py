"""What is wrong with a case folder: :class:`Problem`, :class:`LoadError`, and the words.

A pydantic error becomes a problem with the file's own spelling of the field
(``story[2].arena``), its line when the YAML node tree knows it, and a message
that names the allowed values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ccgtui.model import Arena, CaseKind, Level, Sector, SourceType
from ccgtui.safe_text import clean_id, show_name

# Allowed values, shown in the message when a vocabulary value is wrong.
_VOCABULARIES: dict[str, list[str]] = {
    "arena": [a.value for a in Arena],
    "arenas": [a.value for a in Arena],
    "sector": [s.value for s in Sector],
    "sectors": [s.value for s in Sector],
    "kind": [k.value for k in CaseKind],
    "level": [lv.value for lv in Level],
    "type": [t.value for t in SourceType],
}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a case folder, located as precisely as we can."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        # File names and keys come from the folder's author: escaped, never raw (an ESC
        # in a key could retitle the window or write the clipboard).
        file = show_name(self.file)
        where = f"{file}:{self.line}" if self.line else file
        return f"{where}: {show_name(self.field) if self.field else '-'}: {clean_id(self.message)}"


class LoadError(Exception):
    """The case folder is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.field))
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in case folder"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in self.problems))


@dataclass
class Collector:
    root: Path
    problems: list[Problem] = field(default_factory=list)

    def add(self, rel: str, line: int | None, fld: str, message: str) -> None:
        self.problems.append(Problem(rel, line, fld, message))


def record_problem(file: str, prefix: tuple[str | int, ...], err: Any) -> Problem:
    """One pydantic error in a record that has no lines (e.g. from a JSON export)."""
    loc, err = error_location(err, prefix)
    return Problem(file, None, dotted(loc), error_message(err, loc))


def error_location(err: Any, prefix: tuple[str | int, ...]) -> tuple[tuple[str | int, ...], Any]:
    """An error's path as the file spells it (no union branch names), and its kind."""
    raw_loc = tuple(err["loc"])
    loc = prefix + tuple(p for p in raw_loc if p not in ("list", "unknown", "[key]"))
    if "[key]" in raw_loc:  # a bad mapping key: judge it by its container's vocabulary
        loc = loc[:-1]
        err = {**err, "type": "enum"}
    return loc, err


def error_message(err: Any, loc: tuple[str | int, ...]) -> str:
    kind = err["type"]
    last = next((p for p in reversed(loc) if isinstance(p, str)), "")
    if kind == "extra_forbidden":
        return "unknown key (check the spelling; see docs/data-format.md)"
    if kind == "missing":
        return "required field is missing"
    if kind == "enum" or (kind == "literal_error" and last in _VOCABULARIES):
        allowed = _VOCABULARIES.get(last) or []
        got = err.get("input")
        return f"{got!r} is not allowed; use one of: {', '.join(allowed)}"
    if kind == "string_pattern_mismatch":
        return f"{err.get('input')!r} is not a valid id (lowercase letters, digits, '.', '_', '-')"
    if kind in _EXPECTED:  # text where a number or yes/no belongs (plain scalars stay text)
        return f"expected {_EXPECTED[kind]}, got {err.get('input')!r}"
    msg = str(err["msg"])
    return msg.removeprefix("Value error, ")


_EXPECTED = {
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_parsing": "a number",
    "bool_parsing": "true or false",
}


def dotted(loc: Iterable[str | int]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def line_of(node: yaml.Node | None, loc: Iterable[str | int]) -> int | None:
    """Follow ``loc`` through the YAML node tree; return the deepest line found."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in loc:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if str(key.value) == str(part):
                    child, line = value, key.start_mark.line + 1
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(part, int)
            and 0 <= part < len(node.value)
        ):
            child = node.value[part]
            line = child.start_mark.line + 1
        if child is None:
            break
        node = child
    return line
