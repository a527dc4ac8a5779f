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
are found (see ``ranking._Ranker``): a label or title usually supplies them all.

The parts: ``language`` (parsing), ``filters`` (which cases pass), ``hits`` (a hit,
its place and snippet), ``ranking`` (best first) and ``index`` (the in-memory index
and the query side shared with the persistent one).  Every public name is importable
from ``ccgtui.query`` as before the split.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ccgtui.facts import Facets, case_facets, share_facets
    from ccgtui.filter_keys import FILTER_KEYS
    from ccgtui.query.filters import filter_cases, passes
    from ccgtui.query.hits import Hit, make_snippet, place_label
    from ccgtui.query.index import FUZZY_CUTOFF, FUZZY_MIN_LEN, SearchIndex, Searching
    from ccgtui.query.language import MAX_QUERY_CHARS, Filter, Query, QueryError, parse_query
    from ccgtui.search_build import Entry

# Where each public name lives: imported on first use, so a command imports only
# the parts it touches (issue 16's light imports).
_HOMES: dict[str, str] = {
    "Facets": "ccgtui.facts",
    "case_facets": "ccgtui.facts",
    "share_facets": "ccgtui.facts",
    "FILTER_KEYS": "ccgtui.filter_keys",
    "filter_cases": "ccgtui.query.filters",
    "passes": "ccgtui.query.filters",
    "Hit": "ccgtui.query.hits",
    "make_snippet": "ccgtui.query.hits",
    "place_label": "ccgtui.query.hits",
    "FUZZY_CUTOFF": "ccgtui.query.index",
    "FUZZY_MIN_LEN": "ccgtui.query.index",
    "SearchIndex": "ccgtui.query.index",
    "Searching": "ccgtui.query.index",
    "MAX_QUERY_CHARS": "ccgtui.query.language",
    "Filter": "ccgtui.query.language",
    "Query": "ccgtui.query.language",
    "QueryError": "ccgtui.query.language",
    "parse_query": "ccgtui.query.language",
    "Entry": "ccgtui.search_build",
}

if not TYPE_CHECKING:  # mypy sees the imports above; a typo is still an error
    from ccgtui.lazy_exports import lazy_getattr

    __getattr__ = lazy_getattr(__name__, _HOMES, globals())


__all__ = [
    "FILTER_KEYS",
    "FUZZY_CUTOFF",
    "FUZZY_MIN_LEN",
    "MAX_QUERY_CHARS",
    "Entry",
    "Facets",
    "Filter",
    "Hit",
    "Query",
    "QueryError",
    "SearchIndex",
    "Searching",
    "case_facets",
    "filter_cases",
    "make_snippet",
    "parse_query",
    "passes",
    "place_label",
    "share_facets",
]
