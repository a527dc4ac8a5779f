"""Query syntax (issue 16): quoted phrases, ``OR`` and ``-word`` in free text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccgtui.cli import cli
from ccgtui.loader import load_folder
from ccgtui.model import Dataset
from ccgtui.query import SearchIndex, parse_query

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex(load_folder(REPO / "cases"))


def texts(index: SearchIndex, query: str) -> list[str]:
    return [h.text.lower() for h in index.search(query, limit=500)]


def test_parse_keeps_phrases_or_and_exclusions_apart() -> None:
    q = parse_query('"clinical leadership" gps OR nhs -england kind:in-depth')
    assert q.words == ("clinical", "leadership", "gps", "nhs")
    assert q.groups == (("clinical",), ("leadership",), ("gps", "nhs"))
    assert q.phrases == (("clinical", "leadership"),)
    assert q.excluded == ("england",)
    assert [f.key for f in q.filters] == ["kind"]


def test_or_at_the_edges_is_the_word_or() -> None:
    assert parse_query("OR care").groups == (("or",), ("care",))
    assert parse_query("care OR").groups == (("care",), ("or",))


def test_a_quoted_phrase_matches_only_words_side_by_side(index: SearchIndex) -> None:
    loose = texts(index, "clinical leadership")
    phrase = texts(index, '"clinical leadership"')
    assert phrase, "the bundled data has the phrase"
    assert len(phrase) < len(loose)  # before: the same hits as the loose words
    # every loose hit with the phrase is kept, in the same order
    assert phrase == [t for t in loose if "clinical leadership" in " ".join(t.split())]


def test_or_matches_either_word(index: SearchIndex) -> None:
    either = {h.path + str(h.case_id) for h in index.search("frail OR hospital", limit=500)}
    frail = {h.path + str(h.case_id) for h in index.search("frail", limit=500)}
    hospital = {h.path + str(h.case_id) for h in index.search("hospital", limit=500)}
    assert either == frail | hospital
    assert frail - hospital and hospital - frail


def test_minus_word_drops_hits_with_the_word(index: SearchIndex) -> None:
    with_word = texts(index, "leadership")
    without = texts(index, "leadership -clinical")
    assert without and len(without) < len(with_word)
    assert without == [t for t in with_word if "clinical" not in t]


def test_cli_search_takes_minus_word_without_double_dash(bundled_env: None) -> None:
    args = ["search", "leadership", "-clinical", "--format", "json", "--limit", "500"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert hits and not any("clinical" in h["snippet"].lower() for h in hits)


def test_cli_unknown_short_option_in_list_still_fails(bundled_env: None) -> None:
    result = CliRunner().invoke(cli, ["list", "-zz"])
    assert result.exit_code == 2


@pytest.fixture
def bundled_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCGTUI_CASES", str(REPO / "cases"))


def test_phrase_with_a_typo_still_matches(index: SearchIndex) -> None:
    typo = texts(index, '"clinical leadershp"')
    assert set(texts(index, '"clinical leadership"')) <= set(typo)


def test_dataset_fixture_is_bundled(index: SearchIndex) -> None:
    assert isinstance(index.dataset, Dataset)
