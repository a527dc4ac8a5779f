"""The help screen (``?``) lists every key of every screen and what the palette offers.

The classes are found here independently of the help module (every Screen subclass
and every widget with bindings under ``ccgtui.tui``), so a new screen or key that the
help misses fails this test.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path
from typing import Any

from textual.app import App
from textual.command import CommandPalette, Provider
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Static

import ccgtui.tui
from ccgtui.tui.screens.help import (
    HelpScreen,
    bindings_of,
    help_content,
    help_sections,
    palette_providers,
    provider_help,
)
from tests.tui.conftest import running


def _subclasses(base: type) -> set[type]:
    found: set[type] = set()
    for sub in base.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def explorer_screens_and_widgets() -> list[type[DOMNode]]:
    """Every screen of the explorer, and every widget of it that declares bindings."""
    for info in pkgutil.walk_packages(ccgtui.tui.__path__, "ccgtui.tui."):
        importlib.import_module(info.name)
    ours = [
        c
        for c in _subclasses(DOMNode)
        if c.__module__.startswith("ccgtui.tui.")
        and not issubclass(c, App)
        # Textual's palette, changed only in how it closes: its keys are Textual's.
        and not issubclass(c, CommandPalette)
    ]
    return sorted(
        (
            c
            for c in ours
            if issubclass(c, Screen)
            or any(k.__dict__.get("BINDINGS") for k in c.__mro__ if k.__module__ == c.__module__)
        ),
        key=lambda c: c.__qualname__,
    )


def sections_of(text: str) -> dict[str, list[tuple[list[str], str]]]:
    """The help text as {section title: [(keys, description), ...]}."""
    sections: dict[str, list[tuple[list[str], str]]] = {}
    current: list[tuple[list[str], str]] = []
    for line in text.splitlines()[2:]:
        if not line.strip():
            continue
        if not line.startswith(" "):
            current = sections.setdefault(line, [])
            continue
        parts = re.split(r"\s{2,}", line.strip(), maxsplit=1)
        if len(parts) == 1:  # a line of the palette's list: no key of its own
            current.append(([], parts[0]))
        else:
            current.append((parts[0].split(" / "), parts[1]))
    return sections


def assert_listed(app: App[Any], cls: type[DOMNode], text: str) -> None:
    titles = {c: title for title, c, _ in help_sections(app)}
    assert cls in titles, f"{cls.__qualname__} has no section in the help"
    sections = sections_of(text)
    rows = sections[titles[cls]] + sections["Everywhere"]
    for binding in bindings_of(cls):
        key = app.get_key_display(binding)
        description = binding.tooltip or binding.description or binding.action
        assert any(key in keys and description == desc for keys, desc in rows), (
            f"{cls.__qualname__}: {key} ({description}) is not in the help"
        )


def test_every_screen_is_found() -> None:
    names = {c.__name__ for c in explorer_screens_and_widgets()}
    assert {
        "MainScreen",
        "MatrixScreen",
        "CellScreen",
        "CompareScreen",
        "SearchScreen",
        "TagScreen",
        "BookmarksScreen",
        "ExportScreen",
        "NoteScreen",
        "TargetScreen",
        "StudyScreen",
        "SourceScreen",
        "HelpScreen",
        "CaseList",
        "SourceList",
    } <= names


async def test_help_lists_every_binding_of_every_screen(fixture_folder: Path) -> None:
    async with running(fixture_folder, size=(100, 40)) as (app, pilot):
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        # On screen: the same text, descriptions wrapped beside their keys.
        body = app.screen.query_one("#help-body", Static)
        assert str(body.render()) == help_content(app, width=body.size.width).plain
        text = help_content(app).plain  # unwrapped: one row a line
        for cls in explorer_screens_and_widgets():
            assert_listed(app, cls, text)
        # the app's own keys and the Textual widgets the explorer relies on
        from textual.widgets import DataTable, Tabs

        for cls in (type(app), Tabs, DataTable):
            for binding in bindings_of(cls):
                description = binding.tooltip or binding.description or binding.action
                assert description in text, description
        # the matrix keys, as a reader would look for them
        matrix = sections_of(text)["Matrix"]
        assert (["4"], "Stages") in matrix and (["e"], "Export") in matrix


async def test_help_says_what_the_palette_offers(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, _):
        text = help_content(app).plain
        palette = text[text.index("Command palette:") :].split("\n\n")[0]
        explorer_screens_and_widgets()  # imports every module under ccgtui.tui
        providers = [
            cls
            for cls in _subclasses(Provider)
            if cls.__module__.startswith("ccgtui.tui.") and not inspect.isabstract(cls)
        ]
        assert {"CaseCommands", "SourceCommands", "ActionCommands", "MatrixCommands"} <= {
            p.__name__ for p in providers
        }
        assert set(providers) <= set(palette_providers(app))
        for provider in providers:
            help_items = provider_help(provider)
            assert help_items, f"{provider.__name__} says nothing for the help screen"
            for item in help_items:
                assert item in palette
        for words in ("jump to a case", "jump to a source", "open a matrix", "compare"):
            assert words in palette
        for words in ("export this case", "export this matrix", "show bookmarks", "theme"):
            assert words in palette


async def test_long_descriptions_wrap_beside_their_keys(fixture_folder: Path) -> None:
    async with running(fixture_folder, size=(80, 24)) as (app, pilot):
        await pilot.press("question_mark")
        await pilot.pause()
        body = app.screen.query_one("#help-body", Static)
        lines = str(body.render()).splitlines()
        rows = [line for line in lines if line.startswith("  ")]  # keys and descriptions
        assert rows and max(len(line) for line in rows) <= body.size.width
        bullet = next(i for i, line in enumerate(lines) if "• open a matrix" in line)
        column = lines[bullet].index("•")
        assert lines[bullet + 1].startswith(" " * (column + 2))  # continues under the text
