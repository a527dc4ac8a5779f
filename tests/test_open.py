"""``ccgtui open SOURCE`` (issue 17 item 4), with the browser module stubbed."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccgtui.cli import cli
from tests.conftest import BUNDLED_CASES, ILLUSTRATIVE, MINIMAL_SOURCES


class FakeBrowser:
    def __init__(self) -> None:
        self.opened: list[str] = []

    def open(self, url: str) -> bool:
        self.opened.append(url)
        return True


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> FakeBrowser:
    fake = FakeBrowser()
    monkeypatch.setattr(webbrowser, "get", lambda *_: fake)
    return fake


def run(folder: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--cases", str(folder), "open", *args])
    return result.exit_code, result.stdout, result.stderr


def test_a_doi_opens_through_the_resolver(browser: FakeBrowser) -> None:
    code, out, _ = run(BUNDLED_CASES, "storey2018")
    assert code == 0 and out == "https://doi.org/10.3310/hsdr06020\n"
    assert browser.opened == ["https://doi.org/10.3310/hsdr06020"]
    assert run(BUNDLED_CASES, "source:storey2018")[1] == out  # a note target works too


def test_without_a_doi_the_url_opens(browser: FakeBrowser) -> None:
    code, out, _ = run(ILLUSTRATIVE, "riverside-minutes")
    assert (code, out) == (0, "https://example.org/riverside/minutes\n")
    assert browser.opened == ["https://example.org/riverside/minutes"]


def test_print_only_and_no_browser_just_print(
    browser: FakeBrowser, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(BUNDLED_CASES, "storey2018", "--print")[0] == 0
    assert browser.opened == []

    def none(*_: object) -> object:
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", none)
    code, out, err = run(BUNDLED_CASES, "storey2018")
    assert code == 0 and out == "https://doi.org/10.3310/hsdr06020\n"
    assert "no browser" in err


def test_unknown_source_and_source_without_a_link_exit_1(
    browser: FakeBrowser, minimal_folder: Path
) -> None:
    code, _, err = run(BUNDLED_CASES, "nope\x1b[31m")
    assert code == 1 and err.startswith("ccgtui: no source 'nope[31m'") and "\x1b" not in err
    sources = minimal_folder / "sources.yaml"
    sources.write_text(MINIMAL_SOURCES.replace("    doi: 10.1000/xyz\n", ""), encoding="utf-8")
    code, out, err = run(minimal_folder, "src-a")
    assert (code, out) == (1, "") and "src-a has no DOI or web address" in err
    assert browser.opened == []
