"""Ranking a query's candidates, best first, without scoring each one.

Ranking, in search(): (exact before prefix before typo, then score, then entry number).
An entry's score is (sum of its words' match qualities) x (its field weight), and a query
gives only a few distinct qualities and there are only a few weights (label 10, study
title 8, stage title 5, partner organisation and themes 3, source 2, note 1.5, statement
1).  So every entry falls in a *group* (the quality of each word's best token, the weight)
whose members all share one rank key; the groups are visited best key first and each
yields its members in entry order, which stops as soon as ``limit`` hits are found
instead of scoring every candidate (at 10k synthetic cases a common word matches
~100,000 entries; a label or title usually supplies the 50 hits).
"""

from __future__ import annotations

import bisect
import heapq
import itertools
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ccgtui.query.index import Searching

_FIRST_STEP = 2048  # ranks per first slice of a weight band; each next slice doubles
_MERGE_TOKENS = 16  # a level with more tokens (a short prefix) is merged once per band
_LOOKUP_RATIO = 32  # bisect instead of a walk when an array is this much longer than a set


@dataclass(frozen=True)
class _Allowed:
    """The cases passing a query's filters and, when they are few, their entries' ranks."""

    cases: set[str]
    ranks: array[int] | None


# accept(rank, entry number): whether a candidate passes what the postings cannot decide
_Accept = Callable[[int, int], bool]


def rank_each(
    index: Searching,
    levels: list[list[tuple[float, list[str]]]],
    allowed: _Allowed | None,
    accept: _Accept | None,
    limit: int,
) -> list[tuple[int, float]]:
    """Score every candidate (for queries with very many quality groups, e.g. typos)."""
    candidates: set[int] | None = None
    for word in levels:
        union: set[int] = set().union(*(index.postings[t] for _, ts in word for t in ts))
        candidates = union if candidates is None else candidates & union
        if not candidates:
            return []
    assert candidates is not None
    order = index.order
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
                hit = remaining.intersection(index.postings[token])
                remaining -= hit
                for r in hit:
                    total[r] += quality
                    if quality < worst[r]:
                        worst[r] = quality
    bands = index.bands

    def weight(rank: int) -> float:
        return weight_of_rank(bands, rank)

    best = heapq.nsmallest(
        limit,
        candidates,
        key=lambda r: (-round(worst[r], 1), -total[r] * weight(r), order[r]),
    )
    return [(order[r], total[r] * weight(r)) for r in best]


def weight_of_rank(bands: Sequence[tuple[float, int, int]], rank: int) -> float:
    """The field weight of the band holding ``rank``."""
    for weight, first, end in bands:
        if first <= rank < end:
            return weight
    raise IndexError(f"rank {rank} is in no band")


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
