"""Search and filters, shared by ``ccgtui search``, ``ccgtui list`` and the TUI.

Query syntax (the same everywhere)::

    frail social            words: every word must match (a prefix or a near miss counts)
    sector:social-work      a filter: key:value; -key:value negates it
    arena:programme kind:in-depth theme:frail-elderly tag:follow-up study:ID
    has:unknowns is:unverified is:illustrative

Why an inverted index plus rapidfuzz: a linear fuzzy scan of every text is
~200,000 comparisons at 10,000 cases, far over the 50 ms budget.  Instead the
index maps each token to the entries that contain it; a query word is matched
against the *vocabulary* (tens of thousands of distinct tokens) by exact,
prefix (binary search in the sorted vocabulary) and, for words of four or more
letters, rapidfuzz's C-implemented ``ratio`` for typos.  Only the matching
postings are scored.  Ranking: label and title matches first (field weight),
then exact over prefix over fuzzy matches.
"""

from __future__ import annotations

import bisect
import heapq
import re
import sys
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ccgtui.analysis import CellState, arena_cell, sector_cell
from ccgtui.model import (
    Arena,
    Case,
    CaseKind,
    Dataset,
    Partner,
    Sector,
    Stage,
    Statement,
    Unknown,
    iter_statements,
)

_WORD = re.compile(r"\w+", re.UNICODE)
FILTER_KEYS = ("study", "kind", "arena", "sector", "theme", "tag", "has", "is")
_HAS = ("unknowns",)
_IS = ("unverified", "illustrative")
FUZZY_MIN_LEN = 4
FUZZY_CUTOFF = 80.0

# Which detail tab shows a case field (the first part of its path).
_TABS = {
    "story": "story",
    "arenas": "arenas",
    "partners": "partners",
    "enablers": "evidence",
    "barriers": "evidence",
    "outcomes": "evidence",
    "findings": "evidence",
}


class QueryError(ValueError):
    """A filter the query language does not know; the message lists what it does."""


@dataclass(frozen=True)
class Filter:
    key: str
    value: str
    negate: bool = False


@dataclass(frozen=True)
class Query:
    words: tuple[str, ...] = ()
    filters: tuple[Filter, ...] = ()

    @property
    def text(self) -> str:
        return " ".join(self.words)


def parse_query(text: str) -> Query:
    """Split ``text`` into words and ``key:value`` filters; validate the filters."""
    words: list[str] = []
    filters: list[Filter] = []
    for token in text.split():
        negate = token.startswith("-") and ":" in token
        body = token[1:] if negate else token
        key, sep, value = body.partition(":")
        if sep and key.isalpha():
            filters.append(_checked(Filter(key.lower(), value.strip(), negate)))
        else:
            words += [w.lower() for w in _WORD.findall(token)]
    return Query(tuple(words), tuple(filters))


def _checked(f: Filter) -> Filter:
    allowed: dict[str, Sequence[str]] = {
        "kind": [k.value for k in CaseKind],
        "arena": [a.value for a in Arena],
        "sector": [s.value for s in Sector],
        "has": _HAS,
        "is": _IS,
    }
    if f.key not in FILTER_KEYS:
        raise QueryError(f"unknown filter {f.key!r}; use one of: {', '.join(FILTER_KEYS)}")
    if not f.value:
        raise QueryError(f"filter {f.key}: needs a value, e.g. {f.key}:{_example(f.key)}")
    if f.key in allowed and f.value not in allowed[f.key]:
        raise QueryError(
            f"{f.key}:{f.value} is not allowed; use one of: {', '.join(allowed[f.key])}"
        )
    return f


def _example(key: str) -> str:
    return {"study": "ccg-clinical-leadership", "theme": "frail-elderly", "tag": "follow-up"}.get(
        key, "..."
    )


def filter_cases(
    dataset: Dataset, query: Query, tags: Mapping[str, Iterable[str]] | None = None
) -> list[Case]:
    """The cases that pass every filter of ``query`` (its words are ignored).

    Decided on the cases' summaries, so a lazy dataset reads only the cases that pass.
    """
    from ccgtui.lazy_cases import LazyCases

    cases = dataset.cases
    if not isinstance(cases, LazyCases):
        return [c for c in cases if passes(case_facets(c), c.id, query.filters, tags)]
    chosen = [s.id for s in cases.summaries if passes(s.facets, s.id, query.filters, tags)]
    return [case for i in chosen if (case := cases.by_id(i)) is not None]


Facets = frozenset[tuple[str, str]]
_FACET_CACHE: dict[tuple[str, str], tuple[str, str]] = {}


def case_facets(case: Case) -> Facets:
    """Every ``key:value`` filter (except ``tag``) the case passes, worked out once.

    The search index keeps these per case, so filtering 10,000 cases never has
    to read the cases again.
    """
    items = [item for _, item in iter_statements(case)]
    found = [("study", case.study), ("kind", case.kind.value)]
    present = CellState.present
    found += [("arena", a.value) for a in Arena if arena_cell(case, a).state is present]
    found += [("sector", s.value) for s in Sector if sector_cell(case, s).state is present]
    found += [("theme", t.lower()) for t in case.themes]
    if any(isinstance(i, Unknown) or i.unknown for i in items):
        found.append(("has", "unknowns"))
    if any(isinstance(i, Statement) and i.unverified for i in items):
        found.append(("is", "unverified"))
    if case.illustrative:
        found.append(("is", "illustrative"))
    return share_facets(found)


def share_facets(pairs: Iterable[tuple[str, str]]) -> Facets:
    """The facets as a frozenset whose (key, value) tuples are shared across cases."""
    return frozenset(_FACET_CACHE.setdefault(p, p) for p in pairs)


def passes(
    facets: Facets,
    case_id: str,
    filters: Sequence[Filter],
    tags: Mapping[str, Iterable[str]] | None,
) -> bool:
    """Whether a case with these facets passes every filter (``-key:value`` negates)."""
    return all(_matches(facets, case_id, f, tags) != f.negate for f in filters)


def _matches(
    facets: Facets, case_id: str, f: Filter, tags: Mapping[str, Iterable[str]] | None
) -> bool:
    if f.key == "tag":
        return f.value.lower() in {t.lower() for t in (tags or {}).get(case_id, ())}
    value = f.value.lower() if f.key == "theme" else f.value
    return (f.key, value) in facets


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


@dataclass
class SearchIndex:
    """Build once per dataset (and notes); ``search`` is then fast."""

    dataset: Dataset
    notes: Iterable[tuple[str, str]] = ()
    entries: list[Entry] = field(init=False, default_factory=list)
    # token -> ascending entry numbers; arrays of 4-byte ints, not sets: at 10k cases
    # 4 million postings take 16 MB instead of 180 MB, and set operations accept them.
    postings: dict[str, array[int]] = field(init=False, default_factory=dict)
    _building: dict[str, list[int]] = field(init=False, default_factory=lambda: defaultdict(list))
    vocabulary: list[str] = field(init=False, default_factory=list)
    facets: dict[str, Facets] = field(init=False, default_factory=dict)
    _filter_cache: dict[object, set[str]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        for case in self.dataset.cases:
            self._add_case(case)
        for study in self.dataset.studies:
            self._add(Entry(None, study.id, "study", "title", study.title, (), 8.0, study.title))
            for path, item in iter_statements(study):
                if not (isinstance(item, Unknown) or item.unknown):
                    self._add(
                        Entry(
                            None,
                            study.id,
                            "study",
                            path,
                            item.text,
                            tuple(item.sources),
                            1.0,
                            study.short_title or study.title,
                        )
                    )
        for source in self.dataset.sources:
            text = f"{source.title} {' '.join(source.authors)}"
            self._add(
                Entry(
                    None, None, "sources", f"source:{source.id}", text, (source.id,), 2.0, source.id
                )
            )
        labels = {e.case_id: e.label for e in self.entries if e.path == "label"}
        for target, text in self.notes:
            case_id = _case_of_target(target)
            self._add(
                Entry(
                    case_id, None, "notes", target, text, (), 1.5, labels.get(case_id or "", target)
                )
            )
        self.postings = {t: array("I", found) for t, found in self._building.items()}
        self._building.clear()
        self.vocabulary = sorted(self.postings)

    def _add_case(self, case: Case) -> None:
        self.facets[case.id] = case_facets(case)

        def add(tab: str, path: str, text: str, sources: Sequence[str], weight: float) -> None:
            self._add(
                # Paths repeat across cases ("story[2]"): one shared string each.
                Entry(
                    case.id,
                    case.study,
                    tab,
                    sys.intern(path),
                    text,
                    tuple(sources),
                    weight,
                    case.label,
                )
            )

        add("overview", "label", case.label, (), 10.0)
        add("overview", "themes", " ".join(case.themes), (), 3.0)
        for path, item in iter_statements(case):
            if isinstance(item, Unknown) or item.unknown:
                continue
            tab = _TABS.get(path.split("[")[0].split(".")[0], "overview")
            add(tab, path, item.text, item.sources, 1.0)
            if isinstance(item, Stage):
                add(tab, f"{path}.title", item.title, item.sources, 5.0)
            if isinstance(item, Partner):
                extra = " ".join(x for x in (item.organisation, item.role, item.sector.value) if x)
                add(tab, f"{path}.organisation", extra, item.sources, 3.0)

    def _add(self, entry: Entry) -> None:
        index = len(self.entries)
        self.entries.append(entry)
        for token in {t.lower() for t in _WORD.findall(entry.text)}:
            self._building[token].append(index)

    # -- querying ----------------------------------------------------------------------

    def _expand(self, word: str) -> dict[str, float]:
        """Vocabulary tokens that match ``word``, with a quality in (0, 1].

        Typo matches are looked for only when the word matches no token exactly
        or as a prefix: a correct word should not drag in its near misses.
        """
        found: dict[str, float] = {}
        if word in self.postings:
            found[word] = 1.0
        start = bisect.bisect_left(self.vocabulary, word)
        for token in self.vocabulary[start:]:
            if not token.startswith(word):
                break
            found.setdefault(token, 0.8)
        if not found and len(word) >= FUZZY_MIN_LEN:
            from rapidfuzz import fuzz, process

            for token, score, _ in process.extract(
                word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=8
            ):
                found.setdefault(token, 0.5 * score / 100)
        return found

    def search(
        self,
        query: Query | str,
        limit: int = 50,
        tags: Mapping[str, Iterable[str]] | None = None,
    ) -> list[Hit]:
        q = parse_query(query) if isinstance(query, str) else query
        if not q.words:
            return []
        expanded = [self._expand(word) for word in q.words]
        # Entries matching every word, by set algebra (in C), before any scoring.
        candidates: set[int] | None = None
        for tokens in expanded:
            union: set[int] = set().union(*(self.postings[t] for t in tokens))
            candidates = union if candidates is None else candidates & union
            if not candidates:
                return []
        assert candidates is not None
        allowed = self._allowed(q, tags)
        if allowed is not None:
            candidates = {i for i in candidates if self.entries[i].case_id in allowed}
        total = dict.fromkeys(candidates, 0.0)
        worst = dict.fromkeys(candidates, 1.0)  # the weakest word: exact > prefix > typo
        for tokens in expanded:
            remaining = set(candidates)
            for token, quality in sorted(tokens.items(), key=lambda tq: -tq[1]):
                hit = remaining.intersection(self.postings[token])
                remaining -= hit
                for i in hit:
                    total[i] += quality
                    if quality < worst[i]:
                        worst[i] = quality
        entries = self.entries
        # Exact matches before prefixes before typos; then labels and titles first.
        best = heapq.nsmallest(
            limit,
            candidates,
            key=lambda i: (-round(worst[i], 1), -total[i] * entries[i].weight, i),
        )
        words = {t for tokens in expanded for t in tokens}
        return [self._hit(i, total[i] * entries[i].weight, words) for i in best]

    def _allowed(self, q: Query, tags: Mapping[str, Iterable[str]] | None) -> set[str] | None:
        """Case ids passing the filters; None when there are no filters."""
        if not q.filters:
            return None
        key = (q.filters, tuple(sorted((k, tuple(v)) for k, v in (tags or {}).items())))
        if key not in self._filter_cache:  # typing a query re-runs the same filters
            self._filter_cache[key] = {
                case_id
                for case_id, facets in self.facets.items()
                if passes(facets, case_id, q.filters, tags)
            }
        return self._filter_cache[key]

    def _hit(self, index: int, score: float, tokens: set[str]) -> Hit:
        entry = self.entries[index]
        snippet, spans = make_snippet(entry.text, tokens)
        return Hit(
            entry.case_id,
            entry.study_id,
            entry.tab,
            entry.path,
            entry.label,
            entry.text,
            snippet,
            spans,
            entry.sources,
            score,
        )

    def suggest(self, word: str, limit: int = 3) -> list[str]:
        """Near misses for a word that found nothing ("did you mean")."""
        from rapidfuzz import fuzz, process

        return [
            t
            for t, _, _ in process.extract(
                word.lower(), self.vocabulary, scorer=fuzz.ratio, score_cutoff=60, limit=limit
            )
        ]


def _case_of_target(target: str) -> str | None:
    """``case:X``, ``stage:X/s``, ``arena:X/board``, ``partner:X/1`` -> ``X``."""
    kind, _, rest = target.partition(":")
    if kind in ("case", "stage", "arena", "partner"):
        return rest.split("/")[0] or None
    return None


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
