"""The help screen: every key binding, generated from the bindings themselves."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from ccgtui.tui import render

Row = tuple[str, str, tuple[str, ...]]  # keys, description, binding ids


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
        description = binding.description or binding.tooltip or binding.action
        group = (binding.action, description)
        grouped.setdefault(group, []).append(app.get_key_display(binding))
        if binding.id:
            ids.setdefault(group, []).append(binding.id)
    return [
        (" / ".join(keys), group[1], tuple(ids.get(group, []))) for group, keys in grouped.items()
    ]


def help_groups(app: App[Any]) -> list[tuple[str, list[Row]]]:
    """The bindings of every part of the explorer, by where they apply."""
    from textual.widgets import Tabs

    from ccgtui.tui.screens.main import MainScreen
    from ccgtui.tui.screens.source import SourceScreen
    from ccgtui.tui.screens.study import StudyScreen
    from ccgtui.tui.widgets.case_list import CaseList
    from ccgtui.tui.widgets.source_list import SourceList

    everywhere = rows_for(app, bindings_of(type(app)))
    if app.ENABLE_COMMAND_PALETTE:
        palette = Binding(app.COMMAND_PALETTE_BINDING, "command_palette", "Command palette")
        everywhere.append(
            (
                app.get_key_display(palette),
                "Command palette: jump to case, jump to source, change theme",
                ("command-palette",),
            )
        )
    parts: list[tuple[str, type[DOMNode]]] = [
        ("Case browser", MainScreen),
        ("Case list", CaseList),
        ("Tab bar", Tabs),
        ("Sources tab", SourceList),
        ("Source detail", SourceScreen),
        ("Study screen", StudyScreen),
        ("This help", HelpScreen),
    ]
    groups = [("Everywhere", everywhere)]
    groups += [(title, rows_for(app, bindings_of(cls))) for title, cls in parts]
    return groups


def help_content(app: App[Any]) -> Content:
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
        width = max((len(keys) for keys, _, _ in rows), default=0)
        for keys, description, _ in rows:
            lines.append(
                Content.assemble(
                    render.lit(f"  {keys.ljust(width)}  ", "bold $text-accent"),
                    render.lit(description),
                )
            )
        lines.append(Content(""))
    return render.join_lines(lines)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close help", id="close-help"),
        Binding("j", "scroll('down')", "Scroll down", show=False, id="help-down"),
        Binding("k", "scroll('up')", "Scroll up", show=False, id="help-up"),
    ]

    def __init__(self) -> None:
        super().__init__(id="help")

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"):
            with VerticalScroll(id="help-scroll"):
                yield Static(help_content(self.app), id="help-body", markup=False)
            yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def action_scroll(self, where: str) -> None:
        scroll = self.query_one("#help-scroll", VerticalScroll)
        (scroll.scroll_down if where == "down" else scroll.scroll_up)()
