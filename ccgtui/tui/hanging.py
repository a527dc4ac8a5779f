"""Text whose wrapped rows keep their indent (a hanging indent), for the case tabs.

Textual wraps a long line back to column 0, so at 80 columns a bullet's second row
looked like a new paragraph (issue 12).  Here each line is wrapped at the width it is
drawn at, and its continuation rows start where its text starts: under the text after
``  • ``, ``1. ``, ``●─ ``, or two columns in for an unindented line.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from textual.containers import ScrollableContainer
from textual.content import Content
from textual.css.styles import RulesMap
from textual.selection import Selection
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widget import Widget
from textual.widgets import Static

# Leading spaces, then an optional bullet, timeline mark or number with its spaces.
_PREFIX = re.compile(r" *(?:(?:[•●│][─]*|\d+\.) +)?")
UNINDENTED_HANG = 2  # continuation rows of an unindented line start this far in


def hang_width(line: Content) -> int:
    """How far in the continuation rows of ``line`` start."""
    prefix = _PREFIX.match(line.plain)
    width = cell_len(prefix.group()) if prefix else 0
    return width or UNINDENTED_HANG


def hang(line: Content, width: int) -> list[Content]:
    """``line`` (no newline in it) wrapped to ``width``, continuation rows indented."""
    if width <= 0 or line.cell_length <= width:
        return [line]
    indent = min(hang_width(line), width // 2)
    rows: list[Content] = []
    rest, room = line, width
    while rest.plain:
        first = rest.wrap(room)[0]
        plain = rest.plain
        if not first.plain or not plain.startswith(first.plain):
            rows.append(rest)  # not a plain cut (never seen): let Textual wrap the rest
            break
        rows.append(first if not rows else Content(" " * indent) + first)
        offset = len(first.plain)
        while offset < len(plain) and plain[offset] == " ":
            offset += 1  # the space the row was broken at
        rest, room = rest[offset:], width - indent
    return rows or [line]


def hung_lines(lines: list[Content], width: int) -> list[Content]:
    return [row for line in lines for part in line.split("\n") for row in hang(part, width)]


def scroll_to_lines(
    body: Widget,
    scroll: ScrollableContainer,
    lines: list[Content],
    span: tuple[int, int],
    *,
    keep_top: bool = False,
    force: bool = False,
) -> tuple[int, int] | None:
    """Scroll the highlighted ``lines[first:end]`` of ``body`` (drawn as HangingText inside
    ``scroll``) into view, with a quarter of the view of context above them.

    Returns the rows (start, end) they fill inside ``body``, or ``None`` before ``body``
    is laid out at its real width (call again after the next refresh; ``force``: scroll
    anyway once it has a width).  ``keep_top``: stay at the top when they show from there.
    """
    width = body.content_size.width
    if width <= 0:
        return None
    # Each line wraps on its own, with its hanging indent, as HangingText lays it out.
    heights = [len(hung_lines([line], width)) for line in lines]
    # Where body's text starts inside the scrolled content.
    offset = body.region.y - scroll.content_region.y + round(scroll.scroll_y)
    if scroll.virtual_size.height < offset + sum(heights) and not force:
        return None  # laid out at an older width still
    first, end = span
    top = sum(heights[:first])
    rows = (top, top + sum(heights[first:end]))
    height = scroll.scrollable_content_region.height
    stay = keep_top and offset + rows[1] <= height
    y = 0 if stay else max(0, offset + top - max(1, height // 4))
    scroll.scroll_to(y=y, animate=False, immediate=True)
    return rows


class HangingText(Visual):
    """``lines`` drawn with hanging indents at whatever width the widget has."""

    def __init__(self, lines: list[Content]) -> None:
        self.lines = lines
        self._width = -1
        self._wrapped = Content("")

    def __str__(self) -> str:
        return "\n".join(line.plain for line in self.lines)

    def at(self, width: int) -> Content:
        """The text as drawn at ``width``: rows joined by newlines (cached per width)."""
        if width != self._width:
            self._width = width
            self._wrapped = Content("\n").join(hung_lines(self.lines, width))
        return self._wrapped

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        return self.at(width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max((line.cell_length for line in self.lines), default=0)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.at(width).get_height(rules, width)


class HangingStatic(Static):
    """A Static for :class:`HangingText`; mouse selection copies the rows as drawn."""

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        visual = self._render()
        if isinstance(visual, HangingText):
            return selection.extract(str(visual.at(self.content_size.width))), "\n"
        return super().get_selection(selection)
