"""The search index: a query's words expanded over the vocabulary, filters, phrases, hits.

:class:`Searching` is the query side, shared by the in-memory :class:`SearchIndex`
and the store's persistent file (:mod:`ccgtui.search_index`); the ranking itself
is :mod:`ccgtui.query.ranking`.
"""

from __future__ import annotations

import bisect
import math
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from ccgtui.facts import Facets, case_facets
from ccgtui.filter_keys import FILTERS
from ccgtui.query.hits import Hit, make_snippet
from ccgtui.query.language import Query, parse_query
from ccgtui.query.ranking import _Accept, _Allowed, _Ranker, rank_each
from ccgtui.search_build import WORD as _WORD
from ccgtui.search_build import (
    Entry,
    build_postings,
    case_entries,
    case_raw_entries,
    note_entries,
    other_entries,
)

if TYPE_CHECKING:
    from ccgtui.model import Dataset

FUZZY_MIN_LEN = 4
FUZZY_CUTOFF = 80.0
_FEW_CASES = 8  # filters passing at most 1/8 of the cases narrow the postings, not the hits
_MAX_GROUPS = 4096  # more (word quality x weight) groups than this: score each candidate


class RankOrder(Protocol):
    """Rank -> entry number (an array, or the persistent file's rule)."""

    def __getitem__(self, rank: int, /) -> int: ...


class Searching:
    """The query side of a search index; subclasses say where the postings live.

    :class:`SearchIndex` builds everything in memory from a dataset;
    :class:`ccgtui.search_index.PersistentIndex` reads the file the store writes at
    load time.  Both number the entries the same way (``search_build``), so the
    same query gives the same hits in the same order.
    """

    postings: Mapping[str, array[int]]  # token -> ascending ranks
    order: RankOrder  # rank -> entry number
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
            ranked = rank_each(self, levels, allowed, accept, limit)
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
