"""Command palette providers: jump to a case or source; matrices, compare, exports, notes.

Each reaches the app through its navigation API
(:class:`ccgtui.tui.navigation.Navigator`); the text shown is literal (see
:mod:`ccgtui.tui.palette`).  Each provider's ``HELP``: what it offers, one item a
line in the help screen (``?``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.await_complete import AwaitComplete
from textual.command import CommandPalette, Provider

from ccgtui import dimensions
from ccgtui.tui.navigation import Navigator, navigator, open_screen
from ccgtui.tui.palette import Item, ItemCommands, plain

if TYPE_CHECKING:
    from ccgtui.facts import CaseSummary
    from ccgtui.model import Case

EXPORT_FORMATS = ("md", "html", "csv", "json")


def _nav(provider: Provider) -> Navigator:
    return navigator(provider.app)


def summaries(cases: Sequence[Case]) -> list[CaseSummary]:
    """The cases' summaries from the store's index (no case is read)."""
    from ccgtui.facts import summaries

    return summaries(cases)


class CaseCommands(ItemCommands):
    """Jump to any case by id or label."""

    HELP = ("jump to a case by id or label",)

    def _items(self) -> list[Item]:
        nav = _nav(self)
        if nav.dataset is None:
            return []
        return [
            (
                plain(f"Jump to case: {c.label} ({c.id})"),
                partial(nav.jump_to_case, c.id),
                f"{c.kind} case",
            )
            for c in summaries(nav.dataset.cases)  # from the index: no case is read
        ]


class SourceCommands(ItemCommands):
    """Open the full reference of any source by id, author or title."""

    HELP = ("jump to a source by id, author or title",)

    def _items(self) -> list[Item]:
        nav = _nav(self)
        if nav.dataset is None:
            return []
        return [
            (
                plain(
                    f"Jump to source: [{s.id}] {', '.join(s.authors[:2])} {s.year or ''} {s.title}"
                ),
                partial(nav.open_source, s.id),
                f"{s.level.value} source",
            )
            for s in nav.dataset.sources
        ]


class ActionCommands(ItemCommands):
    """Matrices, compare, exports and bookmarks from the palette."""

    HELP = (
        "open a matrix by sectors, arenas, themes, or this case's stages",
        "compare this case with another",
        "export this case or everything (md, html, csv, json)",
        "show bookmarks",
    )

    def _discoverable(self, text: str) -> bool:
        return not text.startswith("Compare with")  # one per case: only when typed for

    def _items(self) -> list[Item]:
        nav = _nav(self)
        dataset = nav.dataset
        if dataset is None:
            return []
        current = nav.current_case
        items: list[Item] = [
            (f"Open matrix by {by}", partial(_on_main, nav, "action_matrix", by), "cases × " + by)
            for by in dimensions.names(one_case=False)  # ccgtui/dimensions.py
        ]
        if current is not None:
            items.append(
                (
                    "Open matrix by stages (this case)",
                    partial(_on_main, nav, "action_matrix", "stages"),
                    f"stages of {current} × arenas",
                )
            )
            items += [
                (
                    f"Compare with… {c.id}",
                    partial(_on_main, nav, "open_compare", [current, c.id]),
                    f"compare {current} with {c.id}",
                )
                for c in summaries(dataset.cases)
                if c.id != current
            ]
        for fmt in EXPORT_FORMATS:
            if current is not None:
                items.append(
                    (
                        f"Export this case as {fmt}…",
                        partial(_export, self.app, nav, fmt, "case", current),
                        "write a file",
                    )
                )
            items.append(
                (
                    f"Export everything as {fmt}…",
                    partial(_export, self.app, nav, fmt, "cases", None),
                    "write a file",
                )
            )
        items.append(
            ("Show bookmarks", partial(_on_main, nav, "action_bookmarks"), "your bookmarks")
        )
        return items


class NotesCommands(ItemCommands):
    """Palette: "All notes", where orphaned notes can be read too."""

    TEXT = "All notes (every note, orphaned ones flagged)"

    def _items(self) -> list[Item]:
        return [(self.TEXT, self._open, "read, edit or delete any note")]

    def _open(self) -> None:
        from ccgtui.tui.screens.all_notes import AllNotesScreen

        nav = _nav(self)
        if nav.dataset is not None:
            nav.back_to_main()
            open_screen(self.app, AllNotesScreen(nav))


def _on_main(nav: Navigator, action: str, *args: Any) -> None:
    """Back on the main screen, run one of its actions."""
    from ccgtui.tui.screens.main import MainScreen

    main = nav.back_to_main()
    assert isinstance(main, MainScreen)
    getattr(main, action)(*args)


def _export(app: App[Any], nav: Navigator, fmt: str, what: str, case_id: str | None) -> None:
    from ccgtui.tui.screens.export import ExportScreen

    if nav.dataset is None:
        return

    def done(message: str | None) -> None:
        if message:
            app.notify(message, title="Export", markup=False)

    open_screen(app, ExportScreen(nav.dataset, fmt, what, case_id), done)


def done() -> AwaitComplete:
    """An awaitable that is already complete (``AwaitComplete.nothing`` is untyped)."""
    return AwaitComplete.nothing()  # type: ignore[no-any-return,no-untyped-call]


def _nothing() -> None:
    """The command of a hit already run."""


class OnceCommandPalette(CommandPalette):
    """Textual's palette, closed once and running its command once.

    Typed fast, ``enter enter`` selects the highlighted command twice before the palette
    has closed: the second selection dismissed the palette again, which pops whatever
    screen is then on top (the main screen: ``LookupError``), and ran the command again.
    """

    _dismissed = False

    def dismiss(self, result: None = None) -> AwaitComplete:
        if self.is_current and not self._dismissed:
            self._dismissed = True
            return super().dismiss(result)
        # Already closed: ``_select_or_command`` runs the selected command next; make it a no-op.
        hit = self._selected_command
        if hit is not None:
            self._selected_command = replace(hit, command=_nothing)
        return done()
