"""Fixtures for the explorer tests: a fixed fixture case folder and app helpers.

The fixture folder is invented test data (not facts about the study); it
exercises every tab: a full composite case, a mostly-unknown in-depth case, a
scoping case and an illustrative case, two studies, and an unverified source.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot

from ccgtui.tui.app import CcgApp, make_app
from tests.conftest import write_folder

SOURCES = """\
sources:
  - id: fix-report
    type: report
    authors: [Author A, Author B]
    year: 2017
    title: Fixture final report
    container: Fixture Series
    volume: "5"
    issue: "2"
    url: https://example.org/fixture-report
    level: primary
    notes: [Dates differ from the protocol.]
  - id: fix-article
    type: article
    authors: [Author C]
    year: 2018
    title: Fixture journal article
    container: Journal of Fixtures
    doi: 10.0000/fixture
    level: secondary
  - id: fix-web
    type: web-page
    title: Fixture web page
    url: https://example.org/page
    level: unverified
"""

STUDY = """\
id: fix-study
title: Fixture study of clinical leadership
short_title: Fixture study
funder: {text: Fixture Funder, sources: [fix-report]}
project_number: {text: FX/00/001, sources: [fix-report]}
dates:
  - {text: 2013 to 2016, sources: [fix-report]}
team:
  - {name: Author A, role: Lead, institution: Fixture University, sources: [fix-report]}
  - {name: Author B, role: Co-investigator, institution: Other University}
objective: {text: Understand fixture leadership., sources: [fix-report]}
objectives:
  - {text: First fixture objective., sources: [fix-report]}
  - {text: Second fixture objective., sources: [fix-report]}
  - {text: Third fixture objective., sources: [fix-article]}
  - {text: Fourth fixture objective., unverified: true, sources: [fix-web]}
phases:
  - {number: 1, name: Review, period: "2013", text: Read the literature., sources: [fix-report]}
  - {number: 2, name: Survey one, period: "2014", text: First survey., sources: [fix-report]}
  - {number: 3, name: Cases, text: Six in-depth cases., sources: [fix-report]}
  - {number: 4, name: Survey two, period: "2016", text: Second survey., sources: [fix-report]}
  - {number: 5, name: Synthesis, period: "2016", text: Bring it together., sources: [fix-report]}
participants:
  - {text: Fixture participants were interviewed., sources: [fix-report]}
surveys:
  - id: survey-2014
    year: 2014
    population: {text: Fixture board members, sources: [fix-report]}
    mode: {text: Online, sources: [fix-report]}
measures:
  - id: engaged
    label: Fixture engagement
    values: {2014: 60, 2016: 45}
    text: Engagement fell between surveys.
    unverified: true
    sources: [fix-web]
concepts:
  - {id: arena-board, name: Board arena, kind: arena, arena: board,
     text: Strategy is set at the board., sources: [fix-article]}
  - {id: arena-programme, name: Programme arena, kind: arena, arena: programme,
     text: Plans are negotiated., sources: [fix-article]}
  - {id: arena-practice, name: Practice arena, kind: arena, arena: practice,
     text: Change happens at delivery., sources: [fix-article]}
  - {id: logic, name: Fixture logic, kind: logic, text: A fixture logic., sources: [fix-article]}
findings:
  - {text: Fixture finding about leadership., sources: [fix-article]}
related: [fix-other]
"""

OTHER_STUDY = """\
id: fix-other
title: Another fixture study
short_title: Other study
objective: {text: A second study's objective., sources: [fix-article]}
"""

COMPOSITE = """\
id: fix-composite
study: fix-study
kind: composite
label: Fixture frail elderly integration
summary: {text: A cross-case synthesis fixture., sources: [fix-article]}
place: {unknown: true}
service_area: {text: Integrated care for frail elderly people, sources: [fix-article]}
themes: [integration, frailty]
methods:
  - {text: Cross-case synthesis., sources: [fix-report]}
story:
  - id: legitimacy
    title: Board gives legitimacy
    arena: board
    sectors: [primary-care]
    text: The board backed the redesign.
    sources: [fix-article]
  - id: negotiation
    title: Programme board negotiates
    period: "2014"
    arena: programme
    sectors: [secondary-care, social-work]
    text: Partners negotiated the plan.
    sources: [fix-article, fix-report]
  - id: delivery
    title: Teams deliver
    arena: practice
    sectors: [community-care]
    text: Community teams changed practice.
    unverified: true
    sources: [fix-web]
arenas:
  board:
    - {text: GP leaders chaired the board discussion., sources: [fix-article]}
  programme: {unknown: true}
partners:
  - {sector: social-work, organisation: Fixture Council, role: co-commissioner,
     text: Social work joined the redesign., sources: [fix-article]}
  - {sector: secondary-care, text: The hospital took part., sources: [fix-report]}
  - {sector: patients-public, text: Patients were consulted., quote: true, sources: [fix-report]}
enablers:
  - {text: Shared vision., sources: [fix-article]}
barriers:
  - {text: Competing priorities., sources: [fix-article]}
outcomes: {unknown: true}
findings:
  - {text: Leadership spanned three arenas., sources: [fix-article]}
"""

IN_DEPTH = """\
id: fix-in-depth-1
study: fix-study
kind: in-depth
label: Fixture in-depth case one
story: {unknown: true}
partners: {unknown: true}
"""

SCOPING = """\
id: fix-scoping
study: fix-study
kind: scoping
label: Fixture scoping interviews
summary: {text: Scoping interviews with fixture leaders., sources: [fix-report]}
"""

ILLUSTRATIVE = """\
id: fix-illustrative
study: fix-other
kind: illustrative
illustrative: true
label: Fixture illustrative walk-through
place: {text: Fictional town, sources: [fix-web]}
"""

HOSTILE_LABEL = "[bold red]x[/] [@click=app.quit]boom[/] [link=https://evil.example]l[/]"

HOSTILE = f"""\
id: hostile
study: fix-study
kind: in-depth
label: "{HOSTILE_LABEL}\\x1b[31m"
place: {{text: "[@click=app.quit]place[/]", sources: [fix-report]}}
story:
  - id: s1
    title: "[b]stage[/b]"
    text: "Unbalanced [/] closing tag and \\x1b]0;title\\x07 escape"
    sources: [fix-report]
partners:
  - {{sector: hwb, organisation: "[red]Org[/red]", text: "$text-muted [reverse]p",
     sources: [fix-report]}}
"""


def fixture_files() -> dict[str, str]:
    return {
        "sources.yaml": SOURCES,
        "study.yaml": STUDY,
        "studies/fix-other.yaml": OTHER_STUDY,
        "a-composite.yaml": COMPOSITE,
        "b-in-depth.yaml": IN_DEPTH,
        "c-scoping.yaml": SCOPING,
        "d-illustrative.yaml": ILLUSTRATIVE,
    }


CASE_IDS = ["fix-composite", "fix-in-depth-1", "fix-scoping", "fix-illustrative"]


@pytest.fixture
def fixture_folder(tmp_path: Path) -> Path:
    return write_folder(tmp_path / "cases", fixture_files())


@pytest.fixture
def hostile_folder(tmp_path: Path) -> Path:
    return write_folder(tmp_path / "hostile", {**fixture_files(), "e-hostile.yaml": HOSTILE})


@pytest.fixture(autouse=True)
def errors_fail_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    """Programming errors fail the test instead of becoming a notice; a test that checks
    the notice sets ``app.catch_errors = True``."""
    monkeypatch.setattr(CcgApp, "catch_errors", False)


@pytest.fixture(autouse=True)
def no_real_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """``o`` on a source must never start this machine's browser from a test."""
    from textual.driver import Driver

    monkeypatch.setattr(Driver, "open_url", lambda self, url, new_tab=True: None)


class FakeClipboard:
    def __init__(self) -> None:
        self.copied: list[str] = []


@pytest.fixture
def clipboard(monkeypatch: pytest.MonkeyPatch) -> FakeClipboard:
    """Record what the app copies instead of writing to the terminal."""
    board = FakeClipboard()
    monkeypatch.setattr(CcgApp, "copy_to_clipboard", lambda self, text: board.copied.append(text))
    return board


async def wait_loaded(pilot: Pilot[None]) -> None:
    """Until the main screen is complete (or the app has given up).

    The case list is drawn first, from the table of contents, and the case detail is
    mounted once the dataset arrives (issue 16): the load worker can have finished
    while its last message, the dataset, is still being shown (``CcgApp.ready``).
    """
    app = pilot.app
    assert isinstance(app, CcgApp)
    await app.workers.wait_for_complete()
    for _ in range(1000):  # bounded: 10 s
        if app.return_code is not None or app.ready:
            break
        await pilot.pause(0.01)
    await pilot.pause()
    await pilot.pause()


Running = Callable[..., object]


@asynccontextmanager
async def running(
    cases: Path, size: tuple[int, int] = (80, 24)
) -> AsyncIterator[tuple[CcgApp, Pilot[None]]]:
    """The app on ``cases``, loaded and showing the main screen."""
    app = make_app(cases=cases, cursor_blink=False)
    async with app.run_test(size=size) as pilot:
        await wait_loaded(pilot)
        yield app, pilot


async def settle(pilot: Pilot[None]) -> None:
    """Let thread workers (a matrix, a search) finish and their results land on screen."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
