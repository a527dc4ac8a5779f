"""Search hits say where they are as a reader would (issue 12), in the CLI and in the explorer.

``story[1].title`` is an internal path; a reader looks for "Story, stage 2: title".
Two hits from different places never look the same.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ccgtui.cli import cli
from ccgtui.query import place_label
from tests.conftest import write_folder
from tests.tui.conftest import fixture_files


@pytest.mark.parametrize(
    ("tab", "path", "place"),
    [
        ("overview", "label", "Case name"),
        ("overview", "service_area", "Service area"),
        ("overview", "methods[0]", "Methods, 1"),
        ("story", "story[1]", "Story, stage 2"),
        ("story", "story[1].title", "Story, stage 2: title"),
        ("arenas", "arenas.board[0]", "Arenas, CCG board, 1"),
        ("partners", "partners[2].organisation", "Partners, 3: organisation"),
        ("evidence", "barriers[0]", "Barriers, 1"),
        ("study", "findings[2]", "Study findings, 3"),
        ("study", "title", "Study title"),
        ("study", "surveys[0].population", "Study surveys, 1: population"),
        ("sources", "source:fix-report", "Source: title and authors"),
        ("notes", "case:fix-composite", "Note on the case"),
        ("notes", "stage:fix-composite/negotiation", "Note on stage negotiation"),
        ("notes", "arena:fix-composite/programme", "Note on arena Programme board"),
    ],
)
def test_places_read_as_a_reader_would(tab: str, path: str, place: str) -> None:
    assert place_label(tab, path) == place


def test_a_path_of_an_unknown_shape_is_shown_cleaned() -> None:
    assert place_label("overview", "odd\x1b[31m path") == "odd[31m path"


def search_table(folder: Path, *words: str) -> str:
    result = CliRunner().invoke(cli, ["--cases", str(folder), "search", *words, "--limit", "50"])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_cli_search_names_the_place_not_the_path(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "cases", fixture_files())
    out = search_table(folder, "negotiat")
    assert "Story, stage 2: title" in out
    assert "Story, stage 2" in out.replace("Story, stage 2: title", "")
    assert "Study concepts, 2" in out
    assert "story[" not in out and "concepts[" not in out
