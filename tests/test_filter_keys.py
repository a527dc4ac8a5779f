"""The filter key registry: one definition per key, one evaluator for every front end."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ccgtui.filter_keys import FILTERS, FilterKey
from ccgtui.model import Dataset
from ccgtui.query import QueryError, SearchIndex, filter_cases, parse_query


def test_every_key_parses_with_its_example_and_its_values() -> None:
    for key, spec in FILTERS.items():
        assert parse_query(f"{key}:{spec.example}").filters[0].key == key
        for value in spec.allowed() or ():
            parse_query(f"-{key}:{value}")


def test_a_missing_value_is_explained_with_a_real_example() -> None:
    """It said `kind:...` for the keys with a fixed list of values."""
    for key in ("kind", "arena", "sector", "has", "is"):
        with pytest.raises(QueryError, match=f"needs a value, e.g. {key}:[a-z]") as caught:
            parse_query(f"{key}:")
        assert f"{key}:{FILTERS[key].example}" in str(caught.value)


@pytest.fixture
def marked() -> Iterator[FilterKey]:
    """A key added for one test: the registry entry alone makes it work."""
    spec = FilterKey("mark", "starred", on_tags=True, fold_case=True)
    FILTERS["mark"] = spec
    yield spec
    del FILTERS["mark"]


def test_a_registered_key_needs_nothing_else(marked: FilterKey, bundled: Dataset) -> None:
    first = next(iter(bundled.cases)).id
    tags = {first: ["Starred"]}
    assert [c.id for c in filter_cases(bundled, parse_query("mark:starred"), tags)] == [first]
    with pytest.raises(QueryError, match="mark"):
        parse_query("colour:red")  # the unknown-key message lists it


def test_the_search_index_and_the_case_filter_agree(bundled: Dataset) -> None:
    """The explorer's search and `ccgtui list`/the case list decide with the same evaluators."""
    cases = list(bundled.cases)
    tags = {cases[0].id: ["Follow-Up"], cases[-1].id: ["later"]}
    index = SearchIndex(bundled)
    words = {f"{k}:{v}" for facets in index.facets.values() for k, v in facets}
    words |= {"tag:follow-up", "tag:later", "theme:FRAIL-ELDERLY"}
    for text in sorted(words) + [f"-{w}" for w in sorted(words)]:
        query = parse_query(text)
        allowed = index._allowed(query, tags)
        assert allowed is not None
        expected = {c.id for c in filter_cases(bundled, query, tags)}
        assert allowed.cases == expected, text
