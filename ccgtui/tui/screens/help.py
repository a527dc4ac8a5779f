"""The help screen: every key binding, generated from the bindings themselves.

Every screen, dialog and widget of the explorer that declares ``BINDINGS`` (found by
importing ``ccgtui.tui.screens``, ``ccgtui.tui.dialogs`` and ``ccgtui.tui.widgets``) gets
a section, so a new screen or key shows up here without anyone remembering to add it.
``SECTION_TITLES`` only names and orders the sections; a class missing from it
is still listed, under a title made from its name.  The palette line is built
from the ``HELP`` text of each command palette provider.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import textwrap
from functools import cache
from typing import Any, ClassVar

from rich.cells import cell_len
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static

from ccgtui.tui import render
from ccgtui.tui.errors import Guarded
from ccgtui.tui.keys import SCROLL, vim_keys

Row = tuple[str, str, tuple[str, ...]]  # keys, description, binding ids

# Section titles, in the order shown.  Keys are class names (screens and widgets of the
# explorer, plus the Textual widgets below), so this file imports no screen eagerly.
SECTION_TITLES = {
    "MainScreen": "Case browser",
    "CaseList": "Case list",
    "Tabs": "Tab bar",
    "SourceList": "Sources tab",
    "NoteList": "Notes tab",
    "SourceScreen": "Source detail",
    "StudyScreen": "Study screen",
    "SearchScreen": "Search",
    "MatrixScreen": "Matrix",
    "CellScreen": "Matrix cell (the statements behind it)",
    "CompareScreen": "Compare",
    "DataTable": "Matrix and Compare tables",
    "TargetScreen": "Choose what a note or bookmark is about",
    "NoteScreen": "Note editor",
    "TagScreen": "Tags",
    "BookmarksScreen": "Bookmarks",
    "ConfirmScreen": "Confirm",
    "ExportScreen": "Export dialog",
    "HelpScreen": "This help",
}

# Textual widgets whose own keys matter in the explorer.
TEXTUAL_WIDGETS = ("Tabs", "DataTable")

KEY_STYLE = "bold $text-accent"
MIN_DESCRIPTION_WIDTH = 20  # narrower than this, descriptions are left to wrap as they will


def bindings_of(cls: type[DOMNode]) -> list[Binding]:
    """Every binding ``cls`` has, inherited ones included; subclasses override by key."""
    by_key: dict[str, Binding] = {}
    for klass in reversed(cls.__mro__):
        own = klass.__dict__.get("BINDINGS")
        if not own:
            continue
        for key, binding in BindingsMap(own):
            by_key[key] = binding
    return [b for b in by_key.values() if not b.system]


def rows_for(app: App[Any], bindings: list[Binding]) -> list[Row]:
    """One row per action: keys that do the same thing are joined."""
    grouped: dict[tuple[str, str], list[str]] = {}
    ids: dict[tuple[str, str], list[str]] = {}
    for binding in bindings:
        # The tooltip is the long form of a footer word shortened to fit ("Bmark").
        description = binding.tooltip or binding.description or binding.action
        group = (binding.action, description)
        grouped.setdefault(group, []).append(app.get_key_display(binding))
        if binding.id:
            ids.setdefault(group, []).append(binding.id)
    return [
        (" / ".join(keys), group[1], tuple(ids.get(group, []))) for group, keys in grouped.items()
    ]


def _declares_bindings(cls: type) -> bool:
    """Does ``cls`` or one of its explorer (``ccgtui``) ancestors declare ``BINDINGS``?"""
    return any(
        k.__dict__.get("BINDINGS") for k in cls.__mro__ if k.__module__.startswith("ccgtui.")
    )


@cache
def explorer_classes() -> tuple[type[DOMNode], ...]:
    """Every screen and widget class of the explorer that has key bindings of its own."""
    import ccgtui.tui.dialogs
    import ccgtui.tui.screens
    import ccgtui.tui.widgets

    found: list[type[DOMNode]] = []
    for package in (ccgtui.tui.screens, ccgtui.tui.dialogs, ccgtui.tui.widgets):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, DOMNode)
                    and value.__module__ == module.__name__
                    and _declares_bindings(value)
                ):
                    found.append(value)
    return tuple(found)


def section_title(cls: type) -> str:
    """The section's title: from ``SECTION_TITLES``, else the class name in words."""
    if cls.__name__ in SECTION_TITLES:
        return SECTION_TITLES[cls.__name__]
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", cls.__name__).split()
    if len(words) > 1 and words[-1] in ("Screen", "Widget"):
        words = words[:-1]
    return " ".join(words).capitalize()


def help_sections(app: App[Any]) -> list[tuple[str, type[DOMNode] | None, list[Row]]]:
    """(title, class, rows) for everywhere (class ``None``) and every screen and widget."""
    import textual.widgets

    classes: list[type[DOMNode]] = [
        *(getattr(textual.widgets, name) for name in TEXTUAL_WIDGETS),
        *explorer_classes(),
    ]
    order = list(SECTION_TITLES)
    classes.sort(
        key=lambda c: (order.index(c.__name__) if c.__name__ in order else len(order), c.__name__)
    )
    # Keys every screen has (focus next/previous, copy) are listed once, under Everywhere.
    common = {(b.key, b.action) for b in bindings_of(Screen)}
    sections: list[tuple[str, type[DOMNode] | None, list[Row]]] = [
        ("Everywhere", None, everywhere_rows(app))
    ]
    for cls in classes:
        own = [b for b in bindings_of(cls) if (b.key, b.action) not in common]
        rows = rows_for(app, own)
        if rows:
            sections.append((section_title(cls), cls, rows))
    return sections


def provider_help(provider: type) -> tuple[str, ...]:
    """A palette provider's ``HELP`` items, else the first sentence of its docstring."""
    items: tuple[str, ...] = tuple(getattr(provider, "HELP", ()))
    if items:
        return items
    doc = (inspect.getdoc(provider) or "").split("\n\n")[0].replace("\n", " ").strip()
    doc = doc.rstrip(".")
    return (doc[:1].lower() + doc[1:],) if doc else ()


def palette_providers(app: App[Any]) -> list[type]:
    """The explorer's palette providers: the app's and every screen's (lazy ones resolved)."""
    from textual.command import Provider

    candidates: list[Any] = list(app.COMMANDS)
    for cls in explorer_classes():
        if issubclass(cls, Screen):
            candidates += list(cls.COMMANDS)
    providers: list[type] = []
    for candidate in candidates:
        provider = candidate if isinstance(candidate, type) else candidate()
        if (
            isinstance(provider, type)
            and issubclass(provider, Provider)
            and provider.__module__.startswith("ccgtui.")
            and provider not in providers
        ):
            providers.append(provider)
    return providers


def palette_help(app: App[Any]) -> list[str]:
    """What the command palette offers, from each provider's ``HELP`` (or docstring)."""
    parts = [part for p in palette_providers(app) for part in provider_help(p)]
    parts = sorted(dict.fromkeys(parts), key=_palette_order)
    parts.append("change theme, show keys, screenshot, quit (Textual's own commands)")
    return parts


def _palette_order(text: str) -> tuple[int, str]:
    # Jumps first, then the actions, then what only some screens offer.
    order = ("jump", "open", "compare", "export", "show", "on the")
    rank = next((i for i, word in enumerate(order) if text.startswith(word)), len(order))
    return (rank, text)


def everywhere_rows(app: App[Any]) -> list[Row]:
    rows = rows_for(app, bindings_of(type(app)))
    rows += rows_for(app, bindings_of(Screen))
    if app.ENABLE_COMMAND_PALETTE:
        palette = Binding(app.COMMAND_PALETTE_BINDING, "command_palette", "Command palette")
        rows.append((app.get_key_display(palette), "Command palette:", ("command-palette",)))
        rows += [("", f"• {part}", ()) for part in palette_help(app)]
    return rows


def help_groups(app: App[Any]) -> list[tuple[str, list[Row]]]:
    """The bindings of every part of the explorer, by where they apply."""
    return [(title, rows) for title, _, rows in help_sections(app)]


def _row_lines(keys: str, description: str, key_width: int, width: int | None) -> list[Content]:
    """One row: keys in a column, the description wrapped beside them (hanging indent)."""
    prefix = f"  {keys.ljust(key_width)}  "
    room = None if width is None else width - cell_len(prefix)
    if room is None or room < MIN_DESCRIPTION_WIDTH:
        parts = [description]
    else:
        indent = "  " if description.startswith("• ") else ""
        parts = textwrap.wrap(description, room, subsequent_indent=indent) or [""]
    lines = [Content.assemble(render.lit(prefix, KEY_STYLE), render.lit(parts[0]))]
    lines += [render.lit(" " * cell_len(prefix) + part) for part in parts[1:]]
    return lines


def help_content(app: App[Any], width: int | None = None) -> Content:
    """The whole help text; descriptions wrap beside their keys to ``width`` if given."""
    lines: list[Content] = [
        render.lit("Keys", "bold"),
        render.lit(
            "Case text is data: every fact shows its source ids [like-this]; "
            "⚠ marks an unverified statement.",
            render.MUTED,
        ),
        Content(""),
    ]
    for title, rows in help_groups(app):
        lines.append(render.heading(title))
        key_width = max((cell_len(keys) for keys, _, _ in rows), default=0)
        for keys, description, _ in rows:
            lines += _row_lines(keys, description, key_width, width)
        lines.append(Content(""))
    return render.join_lines(lines)


class HelpBody(Static):
    """The help text, re-wrapped to its width whenever that changes."""

    def on_resize(self, event: events.Resize) -> None:
        self.update(help_content(self.app, width=event.size.width))


class HelpScreen(Guarded, ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close help", id="close-help"),
        *vim_keys("help", SCROLL, only="jk"),
    ]

    def __init__(self) -> None:
        super().__init__()

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"):
            with VerticalScroll(id="help-scroll"):
                yield HelpBody(help_content(self.app), id="help-body", markup=False)
            yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def action_scroll(self, where: str) -> None:
        scroll = self.query_one("#help-scroll", VerticalScroll)
        (scroll.scroll_down if where == "down" else scroll.scroll_up)()
