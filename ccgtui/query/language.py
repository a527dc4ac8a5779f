"""The query language: words, "phrases", ``a OR b``, ``-word`` and ``key:value`` filters.

Shared by ``ccgtui search``, ``ccgtui list`` and the explorer; parsing reads only the
filter registry, never the cases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ccgtui.filter_keys import FILTERS
from ccgtui.search_build import WORD as _WORD


class QueryError(ValueError):
    """A filter the query language does not know; the message lists what it does."""


@dataclass(frozen=True)
class Filter:
    key: str
    value: str
    negate: bool = False


@dataclass(frozen=True)
class Query:
    """A parsed query.  ``words``: every word that must match, in order (phrase words too).

    ``groups``: what must match, one tuple of alternatives each (``a OR b`` is one group);
    ``phrases``: word sequences that must also stand next to each other in one text;
    ``excluded``: words (exactly or as a prefix) no hit may contain.
    """

    words: tuple[str, ...] = ()
    filters: tuple[Filter, ...] = ()
    groups: tuple[tuple[str, ...], ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.words and not self.groups:  # Query(("a", "b")): every word one group
            object.__setattr__(self, "groups", tuple((w,) for w in self.words))

    @property
    def text(self) -> str:
        return " ".join(self.words)


# The longest query any front end takes (characters).  A real one is a few words;
# far longer ones come from a paste or a script gone wrong, and a 100 kB query made the
# explorer grow past 2 GB (issue 13).  Front ends refuse longer input before parsing.
MAX_QUERY_CHARS = 1000


_PIECE = re.compile(r'"([^"]*)"?|(\S+)')  # a quoted phrase (closed or not) or a bare token


def parse_query(text: str) -> Query:
    """Split ``text`` into words, phrases, ``OR``, ``-word`` and ``key:value`` filters.

    ``"care home"`` matches only where the words stand together in that order;
    ``a OR b`` (capital OR, between two words) matches either; ``-word`` drops
    hits containing the word; ``-key:value`` negates a filter.
    """
    groups: list[list[str]] = []
    phrases: list[tuple[str, ...]] = []
    excluded: list[str] = []
    filters: list[Filter] = []
    pending_or = last_plain = False
    for match in _PIECE.finditer(text):
        quoted, token = match.group(1), match.group(2)
        if quoted is not None:
            words = [w.lower() for w in _WORD.findall(quoted)]
            groups += [[w] for w in words]
            if len(words) > 1:
                phrases.append(tuple(words))
            pending_or = last_plain = False
            continue
        negate = token.startswith("-") and ":" in token
        body = token[1:] if negate else token
        key, sep, value = body.partition(":")
        if sep and key.isalpha():
            filters.append(_checked(Filter(key.lower(), value.strip(), negate)))
        elif token == "OR" and last_plain and not pending_or:
            pending_or = True  # joins the previous word and the next one
        elif token.startswith("-") and len(token) > 1:
            excluded += [w.lower() for w in _WORD.findall(token[1:])]
            pending_or = last_plain = False
        else:
            words = [w.lower() for w in _WORD.findall(token)]
            if pending_or and words:
                groups[-1].append(words.pop(0))
            groups += [[w] for w in words]
            pending_or, last_plain = False, bool(groups)
    if pending_or:  # "a OR" at the end: OR was the word "or"
        groups.append(["or"])
    flat = tuple(w for g in groups for w in g)
    return Query(
        flat,
        tuple(filters),
        tuple(tuple(g) for g in groups),
        tuple(phrases),
        tuple(dict.fromkeys(excluded)),
    )


def _checked(f: Filter) -> Filter:
    spec = FILTERS.get(f.key)
    if spec is None:
        raise QueryError(f"unknown filter {f.key!r}; use one of: {', '.join(FILTERS)}")
    if not f.value:
        raise QueryError(f"filter {f.key}: needs a value, e.g. {f.key}:{spec.example}")
    allowed = spec.allowed()
    if allowed is not None and f.value not in allowed:
        raise QueryError(f"{f.key}:{f.value} is not allowed; use one of: {', '.join(allowed)}")
    return f
