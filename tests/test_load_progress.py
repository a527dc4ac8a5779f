"""Progress on load (issue 16): a bar on a terminal's stderr, nothing when piped."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccgtui.cli import cli
from ccgtui.cli.progress import load_progress
from ccgtui.loader import load
from ccgtui.store import cache_entry

REPO = Path(__file__).resolve().parents[1]


def test_the_loader_counts_every_case_file() -> None:
    seen: list[tuple[int, int]] = []
    loaded = load(REPO / "cases", cache_entry, lambda done, total: seen.append((done, total)))
    total = seen[-1][1]
    assert seen[0] == (0, total)
    assert seen[-1] == (total, total) and total >= len(loaded.cases)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_piped_load_shows_no_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCGTUI_CASES", str(REPO / "cases"))
    result = CliRunner().invoke(cli, ["load"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # CliRunner's stderr is not a terminal
    assert "parsing" not in result.stdout and "files/s" not in result.stdout


def test_a_terminal_gets_a_bar_with_the_count_and_rate(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    err = Tty()
    monkeypatch.setattr("sys.stderr", err)
    with load_progress() as progress:
        assert progress is not None
        progress(0, 200)
        progress(100, 200)
        progress(200, 200)
    drawn = err.getvalue()
    assert "parsing case files" in drawn and "200/200" in drawn
    assert "writing the cache" in drawn  # after the last file, until the command goes on


def test_no_callback_when_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stderr", io.StringIO())
    with load_progress() as progress:
        assert progress is None


def test_an_incremental_reload_counts_only_the_changed_files(tmp_path: Path) -> None:
    """The bar (and the explorer's count, from the same Store.on_progress) says 1 of 1."""
    import shutil

    from ccgtui.store import Store

    folder = tmp_path / "cases"
    shutil.copytree(REPO / "cases", folder)
    db = tmp_path / "db" / "ccgtui.json"
    full: list[tuple[int, int]] = []
    first = Store(db, folder)
    first.on_progress = lambda done, total: full.append((done, total))
    first.open()
    cases = sorted(p for p in folder.glob("*.yaml") if p.name not in ("sources.yaml", "study.yaml"))
    assert full[0] == (0, len(cases)) and full[-1] == (len(cases), len(cases))
    cases[0].write_text(cases[0].read_text(encoding="utf-8") + "\n", encoding="utf-8")
    seen: list[tuple[int, int]] = []
    again = Store(db, folder)
    again.on_progress = lambda done, total: seen.append((done, total))
    assert again.open().reloaded
    assert seen == [(0, 1), (1, 1)]


def test_open_store_takes_the_progress_callback(tmp_path: Path) -> None:
    from ccgtui.store import open_store

    seen: list[tuple[int, int]] = []
    store, report = open_store(
        tmp_path / "ccgtui.json", REPO / "cases", progress=lambda d, t: seen.append((d, t))
    )
    assert report.reloaded and seen[-1][0] == seen[-1][1] > 0
    assert store.on_progress is None  # not kept for later reloads in other threads
