"""The case tab registry: a tab registered there is everywhere (issue 14).

Before the registry, ``present/case.py``, ``cli/show.py``, the explorer's detail widget,
its renderers, note marks, note targets, navigation and the search index builder each
spelled out the tabs.  Here a fake "Methods" tab is added by its registry entry and its
builder alone, and ``show --section``'s choices and output, the search index's field map,
the layout every front end formats and the explorer's tab bar all have it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from ccgtui import case_tabs
from ccgtui.case_tabs import CaseTab
from ccgtui.cli import cli
from ccgtui.model import Case, Dataset
from ccgtui.present import case as case_layout
from ccgtui.present.layout import Section, items
from tests.conftest import BUNDLED_CASES

CASE = "in-depth-1"
METHOD = "Purposefully sampled to represent"  # the first of its methods


def _methods(case: Case, dataset: Dataset | None) -> Section:
    return Section("Methods", items(case.methods, "methods"), id="methods")


@pytest.fixture
def methods_tab(monkeypatch: pytest.MonkeyPatch) -> Iterator[CaseTab]:
    """A tab added for one test: its registry entry and its builder, nothing else."""
    fake = CaseTab("methods", "Methods", "Meth", ("methods",))
    monkeypatch.setitem(case_tabs.TABS, "methods", fake)
    monkeypatch.setitem(case_layout.BUILDERS, "methods", _methods)
    yield fake


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--cases", str(BUNDLED_CASES), *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_registry_lists_every_tab_once() -> None:
    assert [t for t, _ in case_tabs.TITLES] == [
        *("overview", "story", "arenas", "partners", "evidence", "notes", "sources")
    ]
    assert case_tabs.show_choices() == [
        *("all", "overview", "story", "arenas", "partners", "evidence", "sources", "ids")
    ]
    assert case_tabs.tab_for_kind()["partner"] == "partners"
    for tab in case_tabs.sections():
        assert tab.id in case_layout.BUILDERS, f"section tab {tab.id} has no builder"
    with pytest.raises(ValueError, match="registered twice"):
        case_tabs.register(case_tabs.TABS["story"])


@pytest.mark.usefixtures("methods_tab")
def test_a_registered_tab_is_a_show_section_choice_and_prints() -> None:
    code, out, _ = run("show", "--help")
    assert code == 0
    assert "evidence|sources|methods|ids" in "".join(out.split())
    code, out, err = run("show", CASE, "--section", "methods")
    assert code == 0, err
    assert out.count("Methods\n-------") == 1 and METHOD in out
    assert "Sources\n-------" in out and "marshall2018" in out  # its provenance
    code, out, err = run("show", CASE)
    assert code == 0, err
    assert out.index("Evidence\n") < out.index("Methods\n-------") < out.index("Sources\n")


@pytest.mark.usefixtures("methods_tab")
def test_a_registered_tab_holds_its_fields_search_hits() -> None:
    from ccgtui.loader import load_folder
    from ccgtui.search_build import case_raw_entries

    case = next(c for c in load_folder(BUNDLED_CASES).cases if c.id == CASE)
    tabs = {path: tab for tab, path, *_ in case_raw_entries(case)}
    assert tabs["methods[0]"] == "methods" and tabs["findings[0]"] == "evidence"


def test_without_the_tab_search_hits_stay_where_they_were() -> None:
    """The index holds each entry's tab: the registry must give the same map as before."""
    assert case_tabs.field_tabs() == {
        "story": "story",
        "arenas": "arenas",
        "partners": "partners",
        **dict.fromkeys(("enablers", "barriers", "outcomes", "findings"), "evidence"),
    }


@pytest.mark.usefixtures("methods_tab")
async def test_a_registered_tab_is_a_tab_in_the_explorer() -> None:
    from textual.widgets import Static

    from ccgtui.tui.screens.main import MainScreen
    from ccgtui.tui.screens.target import target_choices
    from ccgtui.tui.widgets.case_detail import CaseDetail, pane_id
    from tests.tui.conftest import running

    async with running(BUNDLED_CASES, size=(140, 30)) as (app, pilot):
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert app.jump_to_case(CASE, "methods")
        await pilot.pause()
        detail = screen.query_one(CaseDetail)
        assert detail.active_tab == "methods"
        assert detail.tabs.get_tab(pane_id("methods")).label.plain == "8 Methods"
        body = str(detail.query_one("#methods-body", Static).render())
        assert "• " + METHOD in body and "[marshall2018]" in body
        assert detail.case is not None
        assert target_choices(detail.case, "methods") == target_choices(detail.case, "notes")
