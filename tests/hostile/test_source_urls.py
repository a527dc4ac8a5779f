"""Source URLs are checked by the schema (issue 13, item 4, schema part).

A ``url`` holding tabs and angle brackets (``x><img	src=x	onerror=alert(1)><x``)
came out as live HTML in Markdown exports, and ``javascript:alert(1)`` became a
link.  Only http, https and doi URLs are accepted, with no whitespace, angle
brackets or quotes; a DOI may hold none of those either.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ccgtui.loader import LoadError, load_folder
from tests.conftest import MINIMAL_CASE, MINIMAL_SOURCES, MINIMAL_STUDY, write_folder


def _folder(root: Path, line: str) -> Path:
    sources = MINIMAL_SOURCES.replace("    doi: 10.1000/xyz\n", line)
    return write_folder(
        root, {"sources.yaml": sources, "study.yaml": MINIMAL_STUDY, "case-a.yaml": MINIMAL_CASE}
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a?b=c&d=e#f",
        "http://example.org/",
        "HTTPS://EXAMPLE.ORG/X",
        "doi:10.1000/xyz",
        "https://doi.org/10.1108/JHOM-05-2018-0144",
    ],
)
def test_good_urls_load(tmp_path: Path, url: str) -> None:
    dataset = load_folder(_folder(tmp_path / "cases", f"    url: {json.dumps(url)}\n"))
    assert dataset.sources[0].url == url


@pytest.mark.parametrize(
    "url",
    [
        "x><img\tsrc=x\tonerror=alert(1)><x",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "https://example.org/a b",
        "https://example.org/<b>",
        'https://example.org/"onmouseover=x',
        "https://example.org/'x",
        "https://",
        "ftp://example.org/file",
        "//example.org/x",
        "https://example.org/\u202ex",
    ],
)
def test_bad_urls_are_a_problem_naming_file_and_field(tmp_path: Path, url: str) -> None:
    folder = _folder(tmp_path / "cases", f"    url: {json.dumps(url)}\n")  # YAML-quoted
    with pytest.raises(LoadError) as info:
        load_folder(folder)
    problems = [p for p in info.value.problems if p.file.endswith("sources.yaml")]
    assert [(p.field, p.line) for p in problems] == [("sources[0].url", 8)]
    assert "http" in problems[0].message and "doi" in problems[0].message


@pytest.mark.parametrize("doi", ["10.1000/x y", "10.1000/<x>", '10.1000/"x', "10.1000/x\u200b"])
def test_a_doi_with_spaces_brackets_or_quotes_is_a_problem(tmp_path: Path, doi: str) -> None:
    with pytest.raises(LoadError) as info:
        load_folder(_folder(tmp_path / "cases", f"    doi: {json.dumps(doi)}\n"))
    problems = [p for p in info.value.problems if p.file.endswith("sources.yaml")]
    assert [p.field for p in problems] == ["sources[0].doi"]
