"""Hostile text in citation exports: markup, <, &, braces, backslashes, controls, forged records.

Each value must come back as the same text (controls dropped, line breaks as spaces)
when the export is parsed, and must not break the file's structure: no extra RIS
record, no unbalanced BibTeX brace, no second JSON item.
"""

from __future__ import annotations

import json

import pytest

from ccgtui.export.citations import render_bibtex, render_csl_json, render_ris
from ccgtui.model import Level, Source, SourceType
from ccgtui.safe_text import clean_line
from tests.export.citation_parsers import brace_depths_ok, parse_bibtex, parse_ris, unescape_bibtex

HOSTILE = [
    "[bold]x[/] [link=http://evil]y[/link]",
    "<script>alert('x')</script> & <b>&amp;",
    "unbalanced } braces { and }}} more",
    r"back\slash \textbf{x} $math$ 50% #1 a_b ^ ~",
    "\x1b]0;pwned\x07 escape and \x00 NUL and \x9b C1",
    "line one\nER  - \nTY  - JOUR\nTI  - forged record",
    "a and b}, title = {forged",
    '"}], "id": "forged',
]


def hostile_source(text: str, *, validated: bool) -> Source:
    fields = {
        "id": "hostile",
        "type": SourceType.article,
        "authors": [text, "Doe J"],
        "year": 2020,
        "title": text,
        "container": text,
        "volume": text,
        "pages": text,
        "level": Level.unverified,
        "notes": [text, f"second note {text}"],
    }
    # Unvalidated too: the exporters must not rely on the loader having cleaned the text.
    return Source(**fields) if validated else Source.model_construct(**fields)


def expected(text: str) -> str:
    return clean_line(text).strip()


@pytest.mark.parametrize("validated", [True, False], ids=["loaded", "raw"])
@pytest.mark.parametrize("text", HOSTILE)
def test_csl_json_keeps_hostile_text_as_data(text: str, validated: bool) -> None:
    source = hostile_source(text, validated=validated)
    items = json.loads(render_csl_json([source, source]))
    assert len(items) == 2
    item = items[0]
    assert item["title"] == clean_line(source.title)
    assert item["container-title"] == clean_line(source.container)
    assert item["page"] == clean_line(source.pages)
    assert item["author"][0]["literal"] == clean_line(source.authors[0])
    for note in source.notes:
        assert clean_line(note) in item["note"].split("\n")
    assert all(ch >= " " or ch == "\n" for ch in json.dumps(item, ensure_ascii=False))


@pytest.mark.parametrize("validated", [True, False], ids=["loaded", "raw"])
@pytest.mark.parametrize("text", HOSTILE)
def test_ris_cannot_be_forged_by_a_value(text: str, validated: bool) -> None:
    source = hostile_source(text, validated=validated)
    records = parse_ris(render_ris([source, source]))
    assert len(records) == 2  # a line break in a value never starts or ends a record
    record = records[0]
    assert record["TI"] == [expected(source.title)]
    assert record["T2"] == [expected(source.container)]
    assert record["AU"][0] == expected(source.authors[0])
    assert [expected(n) for n in source.notes] == record["N1"][1:]


@pytest.mark.parametrize("validated", [True, False], ids=["loaded", "raw"])
@pytest.mark.parametrize("text", HOSTILE)
def test_bibtex_escapes_every_special_character(text: str, validated: bool) -> None:
    source = hostile_source(text, validated=validated)
    bib = render_bibtex([source, source])
    assert brace_depths_ok(bib)
    assert all(ch >= " " or ch == "\n" for ch in bib)
    entries = parse_bibtex(bib)
    assert [key for _, key, _ in entries] == ["hostile", "hostile-2"]  # keys stay unique
    fields = entries[0][2]
    assert set(fields) == {"author", "title", "journal", "year", "volume", "pages", "note"}
    assert unescape_bibtex(fields["title"]) == clean_line(source.title)
    assert unescape_bibtex(fields["journal"]) == clean_line(source.container)
    assert unescape_bibtex(fields["volume"]) == clean_line(source.volume)
    assert clean_line(source.notes[0]) in unescape_bibtex(fields["note"])
    # The organisation-like author is one braced name; " and " inside it splits nothing.
    assert fields["author"].endswith(" and Doe, J")


def test_a_key_made_of_hostile_characters_is_still_a_key() -> None:
    source = Source.model_construct(
        id="a b,{c}%", type=SourceType.report, title="T", level=Level.primary
    )
    entries = parse_bibtex(render_bibtex([source]))
    assert entries[0][1] == "a-b--c--"
