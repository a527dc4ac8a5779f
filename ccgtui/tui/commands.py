"""Command palette providers: jump to a case or source; matrices, compare, exports.

Case and source text goes into the palette as ``Content`` (never markup), and
the fuzzy match is highlighted on that literal text by :func:`highlight`:
Textual's own ``Matcher.highlight`` parses its argument as markup, which would
drop a ``[source-id]``, fail on a stray ``[/]`` and turn ``[@click=...]`` into
an action.  The help line holds only ids and vocabulary values, which cannot
contain markup.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from textual.await_complete import AwaitComplete
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from ccgtui import dimensions
from ccgtui.lazy_cases import summaries
from ccgtui.safe_text import clean_id
from ccgtui.tui.navigation import open_screen

# Each provider's ``HELP``: what it offers, one item a line in the help screen (``?``).

if TYPE_CHECKING:
    from ccgtui.tui.app import CcgApp


def plain(text: str) -> str:
    """One line of literal text: control characters dropped, line breaks as spaces."""
    return clean_id(text)


def highlight(matcher: Matcher, text: str) -> Content:
    """``text`` as literal ``Content``, the characters the query matched in the match style.

    The same offsets Textual's ``Matcher.highlight`` uses, applied to ``Content(text)``
    instead of to ``text`` parsed as markup.
    """
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if not score:
        return content
    for offset in offsets:
        # Lower-casing can change a string's length (e.g. "İ"); never style past the end.
        if offset < len(text) and not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def _app(provider: Provider) -> CcgApp:
    from ccgtui.tui.app import CcgApp

    app = provider.app
    assert isinstance(app, CcgApp)
    return app


class _JumpCommands(Provider):
    """A palette entry per record (text, id, help); choosing one calls :meth:`_open`."""

    @abstractmethod
    def _items(self) -> list[tuple[str, str, str]]: ...

    @abstractmethod
    def _open(self, app: CcgApp, record_id: str) -> None: ...

    async def discover(self) -> Hits:
        app = _app(self)
        for text, record_id, help_text in self._items():
            yield DiscoveryHit(
                Content(text), partial(self._open, app, record_id), text=text, help=help_text
            )

    async def search(self, query: str) -> Hits:
        app = _app(self)
        matcher = self.matcher(query)
        for text, record_id, help_text in self._items():
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score,
                    highlight(matcher, text),
                    partial(self._open, app, record_id),
                    text=text,
                    help=help_text,
                )


class CaseCommands(_JumpCommands):
    """Jump to any case by id or label."""

    HELP = ("jump to a case by id or label",)

    def _items(self) -> list[tuple[str, str, str]]:
        dataset = _app(self).dataset
        if dataset is None:
            return []
        return [
            (plain(f"Jump to case: {c.label} ({c.id})"), c.id, f"{c.kind} case")
            for c in summaries(dataset.cases)  # from the index: no case is read
        ]

    def _open(self, app: CcgApp, record_id: str) -> None:
        app.jump_to_case(record_id)


class SourceCommands(_JumpCommands):
    """Open the full reference of any source by id, author or title."""

    HELP = ("jump to a source by id, author or title",)

    def _items(self) -> list[tuple[str, str, str]]:
        dataset = _app(self).dataset
        if dataset is None:
            return []
        return [
            (
                plain(
                    f"Jump to source: [{s.id}] {', '.join(s.authors[:2])} {s.year or ''} {s.title}"
                ),
                s.id,
                f"{s.level.value} source",
            )
            for s in dataset.sources
        ]

    def _open(self, app: CcgApp, record_id: str) -> None:
        app.open_source(record_id)


class ActionCommands(Provider):
    """Matrices, compare, exports and bookmarks from the palette."""

    HELP = (
        "open a matrix by sectors, arenas, themes, or this case's stages",
        "compare this case with another",
        "export this case or everything (md, html, csv, json)",
        "show bookmarks",
    )

    def _items(self) -> list[tuple[str, Callable[[], object], str]]:
        app = _app(self)
        dataset = app.dataset
        if dataset is None:
            return []
        from ccgtui.tui.screens.main import MainScreen

        try:
            main = app.main_screen
        except Exception:  # the main screen is not up yet
            return []
        assert isinstance(main, MainScreen)
        items: list[tuple[str, Callable[[], object], str]] = [
            (
                f"Open matrix by {by}",
                partial(_on_main, app, lambda m, b=by: m.action_matrix(b)),
                "cases × " + by,
            )
            for by in dimensions.names(one_case=False)  # ccgtui/dimensions.py
        ]
        current = main.current_case
        if current is not None:
            items.append(
                (
                    "Open matrix by stages (this case)",
                    partial(_on_main, app, lambda m: m.action_matrix("stages")),
                    f"stages of {current} × arenas",
                )
            )
        if current is not None:
            items += [
                (
                    f"Compare with… {c.id}",
                    partial(
                        _on_main, app, lambda m, other=c.id, me=current: m.open_compare([me, other])
                    ),
                    f"compare {current} with {c.id}",
                )
                for c in summaries(dataset.cases)
                if c.id != current
            ]
        for fmt in ("md", "html", "csv", "json"):
            if current is not None:
                items.append(
                    (
                        f"Export this case as {fmt}…",
                        partial(_export, app, fmt, "case", current),
                        "write a file",
                    )
                )
            items.append(
                (
                    f"Export everything as {fmt}…",
                    partial(_export, app, fmt, "cases", None),
                    "write a file",
                )
            )
        items.append(
            (
                "Show bookmarks",
                partial(_on_main, app, lambda m: m.action_bookmarks()),
                "your bookmarks",
            )
        )
        return items

    async def discover(self) -> Hits:
        for text, callback, help_text in self._items():
            if not text.startswith("Compare with"):
                yield DiscoveryHit(Content(text), callback, text=text, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, callback, help_text in self._items():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, highlight(matcher, text), callback, text=text, help=help_text)


class MatrixCommands(Provider):
    """On the Matrix screen: export the matrix shown, or show another dimension."""

    HELP = ("on the Matrix screen: export this matrix, show another dimension",)

    def _items(self) -> list[tuple[str, Callable[[], object], str]]:
        from ccgtui.tui.screens.matrix import MatrixScreen

        screen = self.screen
        if not isinstance(screen, MatrixScreen):
            return []
        shown = screen.result.title if screen.result is not None else "this matrix"
        items: list[tuple[str, Callable[[], object], str]] = [
            (
                f"Export this matrix as {fmt}…",
                partial(screen.action_export, fmt),
                f"write {shown} to a file",
            )
            for fmt in ("md", "html", "csv", "json")
        ]
        items += [
            (f"Show matrix by {by}", partial(screen.action_dimension, by), "on this screen")
            for by in dimensions.names()
            if by != screen.by
        ]
        return items

    async def discover(self) -> Hits:
        for text, callback, help_text in self._items():
            yield DiscoveryHit(Content(text), callback, text=text, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, callback, help_text in self._items():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, highlight(matcher, text), callback, text=text, help=help_text)


def _on_main(app: CcgApp, action: Callable[..., object]) -> None:
    action(app._back_to_main())


def _export(app: CcgApp, fmt: str, what: str, case_id: str | None) -> None:
    from ccgtui.tui.screens.export import ExportScreen

    if app.dataset is None:
        return

    def done(message: str | None) -> None:
        if message:
            app.notify(message, title="Export", markup=False)

    open_screen(app, ExportScreen(app.dataset, fmt, what, case_id), done)


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
