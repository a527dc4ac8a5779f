"""Small, strict readers for RIS and BibTeX, so the tests parse citations back as a tool would."""

from __future__ import annotations

import re

RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  - (.*)$")

_BIBTEX_UNESCAPE = re.compile(
    r"\\textbackslash\{\}|\\textasciicircum\{\}|\\textasciitilde\{\}|\\[{}$&%#_]|[{}]"
)
_UNESCAPED = {
    "\\textbackslash{}": "\\",
    "\\textasciicircum{}": "^",
    "\\textasciitilde{}": "~",
}


def parse_ris(text: str) -> list[dict[str, list[str]]]:
    """Records of tag -> values; every non-blank line must be ``XX  - value``."""
    records: list[dict[str, list[str]]] = []
    current: dict[str, list[str]] | None = None
    for line in text.split("\r\n"):
        if not line:
            continue
        match = RIS_LINE.match(line)
        assert match, f"not a RIS line: {line!r}"
        tag, value = match.groups()
        if tag == "TY":
            assert current is None, "TY before the previous record's ER"
            current = {}
        assert current is not None, f"{tag} outside a record"
        if tag == "ER":
            records.append(current)
            current = None
            continue
        current.setdefault(tag, []).append(value)
    assert current is None, "last record has no ER"
    return records


def brace_depths_ok(text: str) -> bool:
    """Unescaped braces balance and never close more than they opened."""
    depth, i = 0, 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2  # \{ \} and the like are escaped characters, not braces
            continue
        depth += ch == "{"
        depth -= ch == "}"
        if depth < 0:
            return False
        i += 1
    return depth == 0


def parse_bibtex(text: str) -> list[tuple[str, str, dict[str, str]]]:
    """(type, key, fields) per entry; field values are the raw braced contents."""
    entries: list[tuple[str, str, dict[str, str]]] = []
    i = 0
    while (at := text.find("@", i)) != -1:
        head = re.compile(r"@(\w+)\{([^,\s]+),").match(text, at)
        assert head, f"bad entry head at {text[at : at + 40]!r}"
        kind, key = head.groups()
        fields: dict[str, str] = {}
        i = head.end()
        while True:
            field = re.compile(r"\s*(\w+) = \{").match(text, i)
            if not field:
                break
            start = j = field.end()
            depth = 1
            while depth:
                if text[j] == "\\":
                    j += 2
                    continue
                depth += text[j] == "{"
                depth -= text[j] == "}"
                j += 1
            fields[field.group(1)] = text[start : j - 1]
            i = j
            if text[i] == ",":
                i += 1
        closing = re.compile(r"\s*\}").match(text, i)
        assert closing, f"entry {key} does not close"
        i = closing.end()
        entries.append((kind, key, fields))
    return entries


def unescape_bibtex(value: str) -> str:
    """The text a BibTeX value stands for: escapes undone, grouping braces dropped."""

    def one(match: re.Match[str]) -> str:
        token = match.group()
        if token in _UNESCAPED:
            return _UNESCAPED[token]
        if token in "{}":
            return ""  # a grouping brace
        return token[1]

    return _BIBTEX_UNESCAPE.sub(one, value)
