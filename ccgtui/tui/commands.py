"""Command palette providers: "Jump to case…" and "Jump to source…".

Case text goes into the palette as ``Content`` (never markup); the help line
holds only ids and vocabulary values, which cannot contain markup.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

if TYPE_CHECKING:
    from ccgtui.tui.app import CcgApp


def _app(provider: Provider) -> CcgApp:
    from ccgtui.tui.app import CcgApp

    app = provider.app
    assert isinstance(app, CcgApp)
    return app


class CaseCommands(Provider):
    """Jump to any case by id or label."""

    def _items(self) -> list[tuple[str, str, str]]:
        dataset = _app(self).dataset
        if dataset is None:
            return []
        return [
            (f"Jump to case: {c.label} ({c.id})", c.id, f"{c.kind.value} case")
            for c in dataset.cases
        ]

    async def discover(self) -> Hits:
        app = _app(self)
        for text, case_id, help_text in self._items():
            yield DiscoveryHit(
                Content(text), partial(app.jump_to_case, case_id), text=text, help=help_text
            )

    async def search(self, query: str) -> Hits:
        app = _app(self)
        matcher = self.matcher(query)
        for text, case_id, help_text in self._items():
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(text),
                    partial(app.jump_to_case, case_id),
                    text=text,
                    help=help_text,
                )


class SourceCommands(Provider):
    """Open the full reference of any source by id, author or title."""

    def _items(self) -> list[tuple[str, str, str]]:
        dataset = _app(self).dataset
        if dataset is None:
            return []
        return [
            (
                f"Jump to source: [{s.id}] {', '.join(s.authors[:2])} {s.year or ''} {s.title}",
                s.id,
                f"{s.level.value} source",
            )
            for s in dataset.sources
        ]

    async def search(self, query: str) -> Hits:
        app = _app(self)
        matcher = self.matcher(query)
        for text, source_id, help_text in self._items():
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(text),
                    partial(app.open_source, source_id),
                    text=text,
                    help=help_text,
                )


class ActionCommands(Provider):
    """Matrices, compare, exports and bookmarks from the palette."""

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
            for by in ("sectors", "arenas", "themes")
        ]
        current = main.current_case
        if current is not None:
            items += [
                (
                    f"Compare with… {c.id}",
                    partial(
                        _on_main, app, lambda m, other=c.id, me=current: m.open_compare([me, other])
                    ),
                    f"compare {current} with {c.id}",
                )
                for c in dataset.cases
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
                yield Hit(score, matcher.highlight(text), callback, text=text, help=help_text)


def _on_main(app: CcgApp, action: Callable[..., object]) -> None:
    action(app._back_to_main())


def _export(app: CcgApp, fmt: str, what: str, case_id: str | None) -> None:
    from ccgtui.tui.screens.export import ExportScreen

    if app.dataset is None:
        return

    def done(message: str | None) -> None:
        if message:
            app.notify(message, title="Export", markup=False)

    app.push_screen(ExportScreen(app.dataset, fmt, what, case_id), done)
