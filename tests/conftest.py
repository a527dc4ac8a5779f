"""Fixtures shared by every test: an isolated database and small case folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccgtui.loader import load_folder
from ccgtui.model import Dataset
from ccgtui.store import Store

REPO = Path(__file__).resolve().parents[1]
BUNDLED_CASES = REPO / "cases"
ILLUSTRATIVE = REPO / "examples" / "illustrative"

MINIMAL_SOURCES = """\
sources:
  - id: src-a
    type: article
    authors: [Doe J]
    year: 2018
    title: A paper
    container: A Journal
    doi: 10.1000/xyz
    level: primary
"""

MINIMAL_STUDY = """\
id: study-a
title: A study
objective:
  text: Find things out.
  sources: [src-a]
phases:
  - number: 1
    name: Scoping
    text: Look around.
    sources: [src-a]
"""

MINIMAL_CASE = """\
id: case-a
study: study-a
kind: in-depth
label: Case A
place: {unknown: true}
story:
  - id: start
    title: Start
    arena: board
    sectors: [primary-care]
    text: The board agreed.
    sources: [src-a]
partners:
  - sector: social-work
    text: Social work joined.
    sources: [src-a]
"""


@pytest.fixture(autouse=True)
def isolated_db(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own database; the real user data folder is never touched."""
    path = tmp_path_factory.mktemp("db") / "ccgtui.json"
    monkeypatch.setenv("CCGTUI_DB", str(path))
    monkeypatch.delenv("CCGTUI_CASES", raising=False)
    # Nor the real preferences file (an explorer started by a test writes it).
    monkeypatch.setenv("CCGTUI_CONFIG", str(path.parent / "config.toml"))
    return path


def write_folder(root: Path, files: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def minimal_folder(tmp_path: Path) -> Path:
    """A small valid case folder: one source, one study, one case."""
    return write_folder(
        tmp_path / "cases",
        {"sources.yaml": MINIMAL_SOURCES, "study.yaml": MINIMAL_STUDY, "case-a.yaml": MINIMAL_CASE},
    )


@pytest.fixture(scope="session")
def bundled() -> Dataset:
    """The bundled case folder, loaded once."""
    return load_folder(BUNDLED_CASES)


@pytest.fixture(scope="session")
def illustrative() -> Dataset:
    """The illustrative example folder, loaded once."""
    return load_folder(ILLUSTRATIVE)


def reopened_store(db: Path, folder: Path) -> Store:
    """A store on ``folder`` opened a second time, so it serves the lazy view from its index."""
    from ccgtui.lazy_cases import LazyCases

    Store(db, folder).open()
    store = Store(db, folder)
    assert not store.open().reloaded
    assert isinstance(store.dataset().cases, LazyCases)
    return store
