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
import sys
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from ccgtui.facts import Facets as Facets
from ccgtui.facts import SummarisedCases
from ccgtui.facts import case_facets as case_facets
from ccgtui.facts import share_facets as share_facets
from ccgtui.filter_keys import FILTER_KEYS as FILTER_KEYS  # the keys' registry
from ccgtui.filter_keys import FILTERS
from ccgtui.model import (
    Arena,
    Case,
    Dataset,
    Partner,
    Stage,
    Unknown,
    iter_statements,
)

_WORD = re.compile(r"\w+", re.UNICODE)
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


# The longest query any front end takes (characters).  A real one is a few words;
# far longer ones come from a paste or a script gone wrong, and a 100 kB query made the
# explorer grow past 2 GB (issue 13).  Front ends refuse longer input before parsing.
MAX_QUERY_CHARS = 1000


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


@dataclass
class SearchIndex:
    """Build once per dataset (and notes); ``search`` is then fast."""

    dataset: Dataset
    notes: Iterable[tuple[str, str]] = ()
    entries: list[Entry] = field(init=False, default_factory=list)
    # token -> ascending *ranks*, as arrays of 4-byte ints, not sets: at 10k cases 4 million
    # postings take 16 MB instead of 180 MB, and set operations accept them.  Ranks number
    # the entries heaviest weight first (labels, titles, ..., statements), in entry order
    # within one weight, so each weight is one range of ranks (``bands``) and a posting
    # sliced to it lists that weight's matches in entry order.
    postings: dict[str, array[int]] = field(init=False, default_factory=dict)
    order: array[int] = field(init=False, default_factory=lambda: array("I"))  # rank -> entry
    bands: list[tuple[float, int, int]] = field(init=False, default_factory=list)
    vocabulary: list[str] = field(init=False, default_factory=list)
    facets: dict[str, Facets] = field(init=False, default_factory=dict)
    _by_weight: dict[float, list[int]] = field(init=False, default_factory=dict)
    _case_ranks: dict[str, array[int]] = field(init=False, default_factory=dict)
    _filter_cache: dict[object, _Allowed] = field(init=False, default_factory=dict)

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
        self._build_postings()

    def _build_postings(self) -> None:
        """Number the entries by weight band and list each token's ranks in ascending order."""
        for weight in sorted(self._by_weight, reverse=True):
            first = len(self.order)
            self.order.extend(self._by_weight[weight])
            self.bands.append((weight, first, len(self.order)))
        self._by_weight.clear()
        building: defaultdict[str, list[int]] = defaultdict(list)
        by_case: defaultdict[str, list[int]] = defaultdict(list)
        entries, findall, lower = self.entries, _WORD.findall, str.lower
        for rank, index in enumerate(self.order):
            entry = entries[index]
            if entry.case_id is not None:
                by_case[entry.case_id].append(rank)
            for token in set(map(lower, findall(entry.text))):
                building[token].append(rank)
        self.postings = {t: array("I", ranks) for t, ranks in building.items()}
        building.clear()
        self._case_ranks = {c: array("I", ranks) for c, ranks in by_case.items()}
        self.vocabulary = sorted(self.postings)

    def _add_case(self, case: Case) -> None:
        statements = list(iter_statements(case))
        self.facets[case.id] = case_facets(case, statements)

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
        for path, item in statements:
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
        self._by_weight.setdefault(entry.weight, []).append(len(self.entries))
        self.entries.append(entry)

    # -- querying ----------------------------------------------------------------------

    def _expand(self, word: str) -> dict[str, float]:
        """Vocabulary tokens that match ``word``, with a quality in (0, 1].

        Typo matches are looked for only when the word matches no token exactly
        or as a prefix: a correct word should not drag in its near misses.
        """
        found: dict[str, float] = {}
        if word in self.postings:
            found[word] = 1.0
        vocabulary = self.vocabulary
        for i in range(bisect.bisect_left(vocabulary, word), len(vocabulary)):
            token = vocabulary[i]
            if not token.startswith(word):
                break
            found.setdefault(token, 0.8)
        if not found and len(word) >= FUZZY_MIN_LEN:
            from rapidfuzz import fuzz, process

            for token, score, _ in process.extract(
                word, vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=8
            ):
                found.setdefault(token, 0.5 * score / 100)
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
        then by entry order.
        """
        q = parse_query(query) if isinstance(query, str) else query
        if not q.words:
            return []
        expanded = [self._expand(word) for word in q.words]
        if limit <= 0 or not all(expanded):
            return []
        allowed = self._allowed(q, tags)
        if allowed is not None and not allowed.cases:
            return []
        # Per word: its tokens grouped by quality, best first.  An entry's quality for a
        # word is that of the best token it contains (the first level it appears in).
        levels: list[list[tuple[float, list[str]]]] = []
        for tokens in expanded:
            by_quality: dict[float, list[str]] = {}
            for token, quality in tokens.items():
                by_quality.setdefault(quality, []).append(token)
            levels.append(sorted(by_quality.items(), key=lambda qt: -qt[0]))
        if math.prod(map(len, levels)) * len(self.bands) > _MAX_GROUPS:
            ranked = self._rank_each(levels, allowed, limit)
        else:
            ranked = _Ranker(self, levels, allowed).best(limit)
        words = {t for tokens in expanded for t in tokens}
        return [self._hit(index, score, words) for index, score in ranked]

    def _rank_each(
        self, levels: list[list[tuple[float, list[str]]]], allowed: _Allowed | None, limit: int
    ) -> list[tuple[int, float]]:
        """Score every candidate (for queries with very many quality groups, e.g. typos)."""
        candidates: set[int] | None = None
        for word in levels:
            union: set[int] = set().union(*(self.postings[t] for _, ts in word for t in ts))
            candidates = union if candidates is None else candidates & union
            if not candidates:
                return []
        assert candidates is not None
        entries, order = self.entries, self.order
        if allowed is not None:
            candidates = {r for r in candidates if entries[order[r]].case_id in allowed.cases}
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
        best = heapq.nsmallest(
            limit,
            candidates,
            key=lambda r: (-round(worst[r], 1), -total[r] * entries[order[r]].weight, order[r]),
        )
        return [(order[r], total[r] * entries[order[r]].weight) for r in best]

    def _allowed(self, q: Query, tags: Mapping[str, Iterable[str]] | None) -> _Allowed | None:
        """The cases passing the filters; None when there are no filters."""
        if not q.filters:
            return None
        key = (q.filters, tuple(sorted((k, tuple(v)) for k, v in (tags or {}).items())))
        if key not in self._filter_cache:  # typing a query re-runs the same filters
            # What ``passes`` decides case by case, one set per filter (10k cases: 10 -> 1 ms).
            allowed = set(self.facets)
            for f in q.filters:
                having = FILTERS[f.key].having(self.facets, f.value, tags)
                allowed = allowed - having if f.negate else allowed & having
            ranks = None
            if len(allowed) * _FEW_CASES <= len(self.facets):
                found = set().union(*(self._case_ranks.get(c, ()) for c in allowed))
                ranks = array("I", sorted(found))
            self._filter_cache[key] = _Allowed(allowed, ranks)
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


class _Ranker:
    """The best entries of one query, visited group by group (see ``_FIRST_STEP``).

    A group is one quality level per word plus one weight band; all its members have
    the same rank key, and a band lists its entries in entry order, so a group's
    members come out in the order the ranking wants them.
    """

    def __init__(
        self,
        index: SearchIndex,
        levels: list[list[tuple[float, list[str]]]],
        allowed: _Allowed | None,
    ) -> None:
        self.index = index
        self.levels = levels
        # Few cases pass the filters: their entries join the words as one more posting.
        self.allowed = allowed.ranks if allowed is not None else None
        # ...else each hit is checked against the cases
        self.cases = allowed.cases if allowed is not None and allowed.ranks is None else None
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
        entries, cases = self.index.entries, self.cases
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
            for index in members:
                if cases is None or entries[index].case_id in cases:
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

    def _members(self, combo: tuple[int, ...], band: int) -> Iterator[int]:
        """Entry numbers of the group's members, ascending, a growing slice at a time."""
        _, start, end = self.index.bands[band]
        order = self.index.order
        step = _FIRST_STEP
        while start < end:
            stop = min(end, start + step)
            yield from map(order.__getitem__, self._slice(combo, band, start, stop))
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


def _case_of_target(target: str) -> str | None:
    """``case:X``, ``stage:X/s``, ``arena:X/board``, ``partner:X/1`` -> ``X``."""
    kind, _, rest = target.partition(":")
    if kind in ("case", "stage", "arena", "partner"):
        return rest.split("/")[0] or None
    return None


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
