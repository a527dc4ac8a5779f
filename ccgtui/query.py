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
letters, rapidfuzz's C-implemented ``ratio`` for typos.  Ranking: exact over
prefix over fuzzy matches, then label and title matches first (field weight).

Why results are not scored one by one: with a small vocabulary a common word
matches a third of all entries (~100,000 at 10,000 synthetic cases), and a
Python loop over them cost ~100 ms.  Scores take only a few values, so entries
are numbered by weight and found group by group, best first, until ``limit``
are found (see ``_Ranker``): a label or title usually supplies them all.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
import re
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from ccgtui.facts import Facets as Facets
from ccgtui.facts import SummarisedCases
from ccgtui.facts import case_facets as case_facets
from ccgtui.facts import share_facets as share_facets
from ccgtui.filter_keys import FILTER_KEYS as FILTER_KEYS  # the keys' registry
from ccgtui.filter_keys import FILTERS
from ccgtui.model import Arena, Case, Dataset
from ccgtui.search_build import WORD as _WORD
from ccgtui.search_build import Entry as Entry  # its home is search_build; kept importable here
from ccgtui.search_build import (
    build_postings,
    case_entries,
    case_raw_entries,
    note_entries,
    other_entries,
)

FUZZY_MIN_LEN = 4
FUZZY_CUTOFF = 80.0


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


def filter_cases(
    dataset: Dataset, query: Query, tags: Mapping[str, Iterable[str]] | None = None
) -> list[Case]:
    """The cases that pass every filter of ``query`` (its words are ignored).

    Decided on the cases' summaries, so a lazy dataset reads only the cases that pass.
    """
    cases = dataset.cases
    if not isinstance(cases, SummarisedCases):
        return [c for c in cases if passes(case_facets(c), c.id, query.filters, tags)]
    chosen = [s.id for s in cases.summaries if passes(s.facets, s.id, query.filters, tags)]
    return [case for i in chosen if (case := cases.by_id(i)) is not None]


def passes(
    facets: Facets,
    case_id: str,
    filters: Sequence[Filter],
    tags: Mapping[str, Iterable[str]] | None,
) -> bool:
    """Whether a case with these facets passes every filter (``-key:value`` negates)."""
    return all(FILTERS[f.key].matches(facets, case_id, f.value, tags) != f.negate for f in filters)


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


# Ranking, in search(): (exact before prefix before typo, then score, then entry number).
# An entry's score is (sum of its words' match qualities) x (its field weight), and a query
# gives only a few distinct qualities and there are only a few weights (label 10, study
# title 8, stage title 5, partner organisation and themes 3, source 2, note 1.5, statement
# 1).  So every entry falls in a *group* (the quality of each word's best token, the weight)
# whose members all share one rank key; the groups are visited best key first and each
# yields its members in entry order, which stops as soon as ``limit`` hits are found
# instead of scoring every candidate (at 10k synthetic cases a common word matches
# ~100,000 entries; a label or title usually supplies the 50 hits).
_FIRST_STEP = 2048  # ranks per first slice of a weight band; each next slice doubles
_MERGE_TOKENS = 16  # a level with more tokens (a short prefix) is merged once per band
_LOOKUP_RATIO = 32  # bisect instead of a walk when an array is this much longer than a set
_FEW_CASES = 8  # filters passing at most 1/8 of the cases narrow the postings, not the hits
_MAX_GROUPS = 4096  # more (word quality x weight) groups than this: score each candidate


@dataclass(frozen=True)
class _Allowed:
    """The cases passing a query's filters and, when they are few, their entries' ranks."""

    cases: set[str]
    ranks: array[int] | None


class Searching:
    """The query side of a search index; subclasses say where the postings live.

    :class:`SearchIndex` builds everything in memory from a dataset;
    :class:`ccgtui.search_index.PersistentIndex` reads the file the store writes at
    load time.  Both number the entries the same way (``search_build``), so the
    same query gives the same hits in the same order.
    """

    postings: Mapping[str, array[int]]  # token -> ascending ranks
    order: array[int]  # rank -> entry number
    bands: list[tuple[float, int, int]]  # (weight, first rank, end rank)
    _filter_cache: dict[object, _Allowed]

    @property
    def facets(self) -> Mapping[str, Facets]:  # case id -> facets, in case order
        raise NotImplementedError

    def _prefixed(self, word: str) -> Iterator[str]:
        """Tokens starting with ``word`` (itself included), in sorted order."""
        raise NotImplementedError

    def _all_tokens(self) -> Sequence[str]:
        """The sorted vocabulary (for typo matches)."""
        raise NotImplementedError

    def _entry(self, index: int) -> Entry:
        raise NotImplementedError

    def _case_of(self, index: int) -> str | None:
        return self._entry(index).case_id

    def _text(self, index: int) -> str:
        return self._entry(index).text

    def _ranks_of_case(self, case_id: str) -> array[int] | tuple[()]:
        raise NotImplementedError

    # -- querying ----------------------------------------------------------------------

    def _expand(self, word: str) -> dict[str, float]:
        """Vocabulary tokens that match ``word``, with a quality in (0, 1].

        Typo matches are looked for only when the word matches no token exactly
        or as a prefix: a correct word should not drag in its near misses.
        """
        found: dict[str, float] = {}
        if word in self.postings:
            found[word] = 1.0
        for token in self._prefixed(word):
            found.setdefault(token, 0.8)
        if not found and len(word) >= FUZZY_MIN_LEN:
            from rapidfuzz import fuzz, process

            for token, score, _ in process.extract(
                word, self._all_tokens(), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=8
            ):
                found.setdefault(token, 0.5 * score / 100)
        return found

    def _expand_group(self, group: tuple[str, ...]) -> dict[str, float]:
        """``a OR b``: the tokens either matches, each at its better quality."""
        found: dict[str, float] = {}
        for word in group:
            for token, quality in self._expand(word).items():
                if quality > found.get(token, 0.0):
                    found[token] = quality
        return found

    def search(
        self,
        query: Query | str,
        limit: int = 50,
        tags: Mapping[str, Iterable[str]] | None = None,
    ) -> list[Hit]:
        """The best ``limit`` entries matching every word and passing the filters.

        Ranked by the weakest word's match (exact > prefix > typo), then by score (the sum
        of the words' match qualities times the field weight: labels and titles first),
        then by entry order.  Phrases and ``-word`` only drop hits; they never reorder.
        """
        q = parse_query(query) if isinstance(query, str) else query
        if not q.groups:
            return []
        expanded = [self._expand_group(group) for group in q.groups]
        if limit <= 0 or not all(expanded):
            return []
        allowed = self._allowed(q, tags)
        if allowed is not None and not allowed.cases:
            return []
        accept = self._acceptor(q, expanded, allowed)
        # Per word: its tokens grouped by quality, best first.  An entry's quality for a
        # word is that of the best token it contains (the first level it appears in).
        levels: list[list[tuple[float, list[str]]]] = []
        for tokens in expanded:
            by_quality: dict[float, list[str]] = {}
            for token, quality in tokens.items():
                by_quality.setdefault(quality, []).append(token)
            levels.append(sorted(by_quality.items(), key=lambda qt: -qt[0]))
        if math.prod(map(len, levels)) * len(self.bands) > _MAX_GROUPS:
            ranked = self._rank_each(levels, allowed, accept, limit)
        else:
            ranked = _Ranker(self, levels, allowed, accept).best(limit)
        words = {t for tokens in expanded for t in tokens}
        return [self._hit(index, score, words) for index, score in ranked]

    def _acceptor(
        self, q: Query, expanded: list[dict[str, float]], allowed: _Allowed | None
    ) -> _Accept | None:
        """A check of each candidate (rank, entry) for what postings cannot decide."""
        cases = allowed.cases if allowed is not None and allowed.ranks is None else None
        dropped: set[int] = set()
        for word in q.excluded:  # the word itself or a longer word it begins
            for token in self._prefixed(word):
                dropped.update(self.postings[token])
        phrases: list[list[dict[str, float]]] = []
        for phrase in q.phrases:
            phrases.append([self._expand(word) for word in phrase])
        if cases is None and not dropped and not phrases:
            return None

        def accept(rank: int, index: int) -> bool:
            if rank in dropped:
                return False
            if cases is not None and self._case_of(index) not in cases:
                return False
            return all(_has_phrase(self._text(index), p) for p in phrases)

        return accept

    def _rank_each(
        self,
        levels: list[list[tuple[float, list[str]]]],
        allowed: _Allowed | None,
        accept: _Accept | None,
        limit: int,
    ) -> list[tuple[int, float]]:
        """Score every candidate (for queries with very many quality groups, e.g. typos)."""
        candidates: set[int] | None = None
        for word in levels:
            union: set[int] = set().union(*(self.postings[t] for _, ts in word for t in ts))
            candidates = union if candidates is None else candidates & union
            if not candidates:
                return []
        assert candidates is not None
        order = self.order
        if allowed is not None and allowed.ranks is not None:
            candidates &= set(allowed.ranks)
        if accept is not None:
            candidates = {r for r in candidates if accept(r, order[r])}
        total = dict.fromkeys(candidates, 0.0)
        worst = dict.fromkeys(candidates, 1.0)
        for word in levels:
            remaining = set(candidates)
            for quality, tokens in word:
                for token in tokens:
                    hit = remaining.intersection(self.postings[token])
                    remaining -= hit
                    for r in hit:
                        total[r] += quality
                        if quality < worst[r]:
                            worst[r] = quality
        weight = self._weight_of_rank
        best = heapq.nsmallest(
            limit,
            candidates,
            key=lambda r: (-round(worst[r], 1), -total[r] * weight(r), order[r]),
        )
        return [(order[r], total[r] * weight(r)) for r in best]

    def _weight_of_rank(self, rank: int) -> float:
        for weight, first, end in self.bands:
            if first <= rank < end:
                return weight
        raise IndexError(f"rank {rank} is in no band")

    def _allowed(self, q: Query, tags: Mapping[str, Iterable[str]] | None) -> _Allowed | None:
        """The cases passing the filters; None when there are no filters."""
        if not q.filters:
            return None
        key = (q.filters, tuple(sorted((k, tuple(v)) for k, v in (tags or {}).items())))
        if key not in self._filter_cache:  # typing a query re-runs the same filters
            # What ``passes`` decides case by case, one set per filter (10k cases: 10 -> 1 ms).
            facets = self.facets
            allowed = set(facets)
            for f in q.filters:
                having = FILTERS[f.key].having(facets, f.value, tags)
                allowed = allowed - having if f.negate else allowed & having
            ranks = None
            if len(allowed) * _FEW_CASES <= len(facets):
                found = set().union(*(self._ranks_of_case(c) for c in allowed))
                ranks = array("I", sorted(found))
            self._filter_cache[key] = _Allowed(allowed, ranks)
        return self._filter_cache[key]

    def _hit(self, index: int, score: float, tokens: set[str]) -> Hit:
        entry = self._entry(index)
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
                word.lower(), self._all_tokens(), scorer=fuzz.ratio, score_cutoff=60, limit=limit
            )
        ]


# accept(rank, entry number): whether a candidate passes what the postings cannot decide
_Accept = Callable[[int, int], bool]


def _has_phrase(text: str, phrase: list[dict[str, float]]) -> bool:
    """Whether ``text`` has the phrase's words side by side, in order (each as matched)."""
    words = [w.lower() for w in _WORD.findall(text)]
    n = len(phrase)
    return any(all(words[i + k] in phrase[k] for k in range(n)) for i in range(len(words) - n + 1))


@dataclass
class SearchIndex(Searching):
    """Built in memory once per dataset (and notes); ``search`` is then fast."""

    dataset: Dataset
    notes: Iterable[tuple[str, str]] = ()
    entries: list[Entry] = field(init=False, default_factory=list)
    # token -> ascending *ranks* (see search_build.Postings)
    postings: dict[str, array[int]] = field(init=False, default_factory=dict)  # type: ignore[assignment]
    order: array[int] = field(init=False, default_factory=lambda: array("I"))
    bands: list[tuple[float, int, int]] = field(init=False, default_factory=list)
    vocabulary: list[str] = field(init=False, default_factory=list)
    _facets: dict[str, Facets] = field(init=False, default_factory=dict)
    _case_ranks: dict[str, array[int]] = field(init=False, default_factory=dict)
    _filter_cache: dict[object, _Allowed] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        entries = self.entries
        for case in self.dataset.cases:
            self._facets[case.id] = case_facets(case)
            entries += case_entries(case.id, case.study, case.label, case_raw_entries(case))
        entries += other_entries(self.dataset.studies, self.dataset.sources)
        labels = {e.case_id: e.label for e in entries if e.path == "label" and e.case_id}
        entries += note_entries(self.notes, labels)
        built = build_postings(entries)
        self.order, self.bands, self.postings = built.order, built.bands, built.postings
        self._case_ranks = built.case_ranks
        self.vocabulary = sorted(self.postings)

    @property
    def facets(self) -> dict[str, Facets]:
        return self._facets

    def _prefixed(self, word: str) -> Iterator[str]:
        vocabulary = self.vocabulary
        for i in range(bisect.bisect_left(vocabulary, word), len(vocabulary)):
            token = vocabulary[i]
            if not token.startswith(word):
                break
            yield token

    def _all_tokens(self) -> Sequence[str]:
        return self.vocabulary

    def _entry(self, index: int) -> Entry:
        return self.entries[index]

    def _ranks_of_case(self, case_id: str) -> array[int] | tuple[()]:
        return self._case_ranks.get(case_id, ())


class _Ranker:
    """The best entries of one query, visited group by group (see ``_FIRST_STEP``).

    A group is one quality level per word plus one weight band; all its members have
    the same rank key, and a band lists its entries in entry order, so a group's
    members come out in the order the ranking wants them.
    """

    def __init__(
        self,
        index: Searching,
        levels: list[list[tuple[float, list[str]]]],
        allowed: _Allowed | None,
        accept: _Accept | None,
    ) -> None:
        self.index = index
        self.levels = levels
        # Few cases pass the filters: their entries join the words as one more posting.
        self.allowed = allowed.ranks if allowed is not None else None
        # ...else each hit is checked against the cases (by ``accept``, with phrases, -words)
        self.accept = accept
        # (word, level, band) -> that level's postings cut to the band (empty: no member)
        self._cut: dict[tuple[int, int, int], list[array[int]]] = {}

    def best(self, limit: int) -> list[tuple[int, float]]:
        """(entry number, score) of the best ``limit`` entries, best first."""
        bands = [
            (band, weight)
            for band, (weight, first, end) in enumerate(self.index.bands)
            if self.allowed is None or _between(self.allowed, first, end)
        ]
        groups: dict[tuple[float, float], list[tuple[tuple[int, ...], int]]] = defaultdict(list)
        for combo in itertools.product(*(range(len(word)) for word in self.levels)):
            worst, total = 1.0, 0.0  # added up word by word, as each entry's would be
            for word, level in zip(self.levels, combo, strict=True):
                quality = word[level][0]
                total += quality
                if quality < worst:
                    worst = quality
            for band, weight in bands:
                groups[(-round(worst, 1), -total * weight)].append((combo, band))
        accept = self.accept
        found: list[tuple[int, float]] = []
        for key in sorted(groups):
            streams = [
                self._members(combo, band)
                for combo, band in groups[key]
                if all(self._band_cut(w, level, band) for w, level in enumerate(combo))
            ]
            if not streams:
                continue
            members = streams[0] if len(streams) == 1 else heapq.merge(*streams)
            score = -key[1]
            for index, rank in members:
                if accept is None or accept(rank, index):
                    found.append((index, score))
                    if len(found) == limit:
                        return found
        return found

    def _band_cut(self, word: int, level: int, band: int) -> list[array[int]]:
        key = (word, level, band)
        cut = self._cut.get(key)
        if cut is None:
            _, first, end = self.index.bands[band]
            postings = self.index.postings
            cut = [
                c for t in self.levels[word][level][1] if (c := _between(postings[t], first, end))
            ]
            if len(cut) > _MERGE_TOKENS:
                cut = [array("I", sorted(set().union(*cut)))]
            self._cut[key] = cut
        return cut

    def _members(self, combo: tuple[int, ...], band: int) -> Iterator[tuple[int, int]]:
        """(entry number, rank) of the group's members, ascending, a growing slice at a time."""
        _, start, end = self.index.bands[band]
        order = self.index.order
        step = _FIRST_STEP
        while start < end:
            stop = min(end, start + step)
            ranks = self._slice(combo, band, start, stop)
            yield from zip(map(order.__getitem__, ranks), ranks, strict=True)
            start, step = stop, step * 2

    def _slice(self, combo: tuple[int, ...], band: int, start: int, stop: int) -> Sequence[int]:
        """Ranks in [start, stop) of the group's members, ascending."""
        # Per word (and the filter): (how many postings, the postings, (word, level))
        parts: list[tuple[int, list[array[int]], tuple[int, int] | None]] = []
        for word, level in enumerate(combo):
            cuts = self._cuts(word, level, band, start, stop)
            if not cuts:
                return ()
            parts.append((sum(map(len, cuts)), cuts, (word, level)))
        if self.allowed is not None:
            cuts = [c] if (c := _between(self.allowed, start, stop)) else []
            if not cuts:
                return ()
            parts.append((len(cuts[0]), cuts, None))
        parts.sort(key=lambda part: part[0])  # start from the rarest word
        if len(parts) == 1 and len(parts[0][1]) == 1 and parts[0][2] == (0, 0):
            return parts[0][1][0]  # one word at its best level: the postings are the answer
        members: set[int] = set()
        for n, (_, cuts, word_level) in enumerate(parts):
            members = set().union(*cuts) if n == 0 else _within(members, cuts)
            if word_level is not None:  # a better token of the word: a better group
                word, level = word_level
                for better in range(level):
                    if members:
                        members -= _within(members, self._cuts(word, better, band, start, stop))
            if not members:
                return ()
        return sorted(members)

    def _cuts(self, word: int, level: int, band: int, start: int, stop: int) -> list[array[int]]:
        """The level's postings cut to ranks [start, stop) of the band, empty ones left out."""
        return [c for a in self._band_cut(word, level, band) if (c := _between(a, start, stop))]


def _within(members: set[int], postings: list[array[int]]) -> set[int]:
    """The members that occur in any of the ascending arrays.

    Few members against a long array (a rare word beside a common one): look each
    up by bisection instead of walking the whole array.
    """
    found: set[int] = set()
    for a in postings:
        if len(members) * _LOOKUP_RATIO < len(a):
            found.update(m for m in members if _contains(a, m))
        else:
            found |= members.intersection(a)
    return found


def _contains(postings: array[int], value: int) -> bool:
    at = bisect.bisect_left(postings, value)
    return at < len(postings) and postings[at] == value


def _between(postings: array[int], start: int, stop: int) -> array[int]:
    """The part of an ascending array in [start, stop)."""
    first = bisect.bisect_left(postings, start)
    return postings[first : bisect.bisect_left(postings, stop, first)]


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
