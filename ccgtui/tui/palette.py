"""What the command palette providers share: literal text, its highlight, lists of commands.

Case and source text goes into the palette as ``Content`` (never markup), and
the fuzzy match is highlighted on that literal text by :func:`highlight`:
Textual's own ``Matcher.highlight`` parses its argument as markup, which would
drop a ``[source-id]``, fail on a stray ``[/]`` and turn ``[@click=...]`` into
an action.  The help line holds only ids and vocabulary values, which cannot
contain markup.

:class:`ItemCommands` is a provider for a list of commands, each ``(text, what it
does, help)``: the cases, the sources, the actions, a screen's own commands.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from ccgtui.safe_text import clean_id

Item = tuple[str, Callable[[], object], str]  # text, what choosing it does, help


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


class ItemCommands(Provider):
    """A palette entry per :data:`Item`; every one is offered before typing unless
    :meth:`_discoverable` says otherwise."""

    @abstractmethod
    def _items(self) -> list[Item]: ...

    def _discoverable(self, text: str) -> bool:
        return True

    async def discover(self) -> Hits:
        for text, callback, help_text in self._items():
            if self._discoverable(text):
                yield DiscoveryHit(Content(text), callback, text=text, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, callback, help_text in self._items():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, highlight(matcher, text), callback, text=text, help=help_text)
