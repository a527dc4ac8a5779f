"""Packaging people expect (issue 17): a LICENSE matching pyproject, a valid CITATION.cff."""

from __future__ import annotations

import json
import tomllib

import yaml
from jsonschema import Draft7Validator

from ccgtui.loader import load_folder
from tests.conftest import BUNDLED_CASES, REPO

CFF_SCHEMA = json.loads((REPO / "tests" / "data" / "cff" / "schema.json").read_text("utf-8"))


def pyproject() -> dict[str, object]:
    return tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]


def citation() -> dict[str, object]:
    data = yaml.safe_load((REPO / "CITATION.cff").read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def test_license_file_is_the_license_pyproject_names() -> None:
    assert pyproject()["license"] == "MIT"
    text = (REPO / "LICENSE").read_text("utf-8")
    assert text.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in text


def test_citation_cff_is_valid_cff_1_2() -> None:
    errors = [
        f"{list(e.absolute_path)}: {e.message}"
        for e in Draft7Validator(CFF_SCHEMA).iter_errors(citation())
    ]
    assert errors == []


def test_citation_cff_matches_pyproject() -> None:
    data, project = citation(), pyproject()
    assert data["title"] == project["name"]
    assert str(data["version"]) == project["version"]
    assert data["license"] == project["license"]


def test_the_cited_study_is_the_bundled_source_word_for_word() -> None:
    """Never invented: every field of the reference is the bundled source's."""
    (reference,) = citation()["references"]  # type: ignore[misc]
    source = load_folder(BUNDLED_CASES).source("storey2018")
    assert source is not None
    assert reference["title"] == source.title
    assert reference["doi"] == source.doi
    assert reference["url"] == source.url
    assert reference["year"] == source.year
    assert reference["journal"] == source.container
    assert str(reference["volume"]) == source.volume
    assert reference["issue"] == source.issue
    assert f"{reference['start']}-{reference['end']}" == source.pages
    names = [f"{a['family-names']} {a['given-names']}" for a in reference["authors"]]
    assert names == source.authors
