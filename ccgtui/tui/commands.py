"""Command palette providers: "Jump to case…" and "Jump to source…".

Case text goes into the palette as ``Content`` (never markup); the help line
holds only ids and vocabulary values, which cannot contain markup.
"""

from __future__ import annotations

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
