"""The pieces of every rendered record: styles, literal text, a statement with its
provenance, and tagged lines (each line with the statement it shows).

A statement is the layout's :class:`~ccgtui.present.layout.Item`, the one ``show``,
``compare`` and the briefings format: its source ids, unverified mark and note follow
its text here in the same order, styled.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.content import Content

from ccgtui.model import Statement, Unknown
from ccgtui.present.layout import Item, item
from ccgtui.safe_text import clean
from ccgtui.wording import NONE_RECORDED, UNVERIFIED_MARK

# Styles (theme variables only).
MUTED = "$foreground-muted"
UNKNOWN = "$foreground-muted italic"
UNVERIFIED = "$text-warning"
HEADING = "bold $text-accent"
LABEL = "bold"

# The statement a search jumped to: bold on a tinted background (a theme colour, so it
# reads on light and dark themes), under the line's own colours.
MARK_BACKGROUND = "accent-muted"
MARKED = f"bold on ${MARK_BACKGROUND}"


def lit(text: str, style: str = "") -> Content:
    """Literal text, optionally styled; never parsed as markup, control characters dropped."""
    text = clean(text)
    return Content.styled(text, style) if style else Content(text)


def join_lines(lines: Iterable[Content]) -> Content:
    return Content("\n").join(list(lines))


def source_ids(ids: Sequence[str]) -> Content:
    """``[id1, id2]`` dimmed, or empty."""
    return lit(f" [{', '.join(ids)}]", MUTED) if ids else Content("")


def as_item(value: Item | Statement | Unknown) -> Item:
    return value if isinstance(value, Item) else item(value)


def statement(value: Item | Statement | Unknown, *, prefix: str = "") -> Content:
    """One fact with its source ids, unverified mark and note (the layout's item)."""
    it = as_item(value)
    text = f"\u201c{it.text}\u201d" if it.quote else it.text
    quiet = it.unknown or it.text == NONE_RECORDED
    parts: list[Content] = []
    if prefix:
        parts.append(lit(prefix))
    parts.append(lit(text, UNKNOWN if quiet else ""))
    parts.append(source_ids(it.sources))
    if it.unverified:
        parts.append(lit(f" {UNVERIFIED_MARK}", UNVERIFIED))
    if it.note:
        parts.append(lit(f" (note: {it.note})", MUTED))
    return Content.assemble(*parts)


def field_line(label: str, value: Item | Statement | Unknown | None) -> Content:
    """``Label: value [src]``; a missing value is shown as unknown, never blank."""
    shown = value if value is not None else Unknown(unknown=True)
    return Content.assemble(lit(f"{label}: ", LABEL), statement(shown))


def heading(text: str) -> Content:
    return lit(text, HEADING)


# -- tagged lines: each line of a tab with the statement it shows ----------------

Line = tuple[Content, str | None]
"""A line of a tab and the path of the statement it shows (as ``iter_statements``
names it: ``summary``, ``story[1]``, ``arenas.board[0]``, ``partners[2]``...), or None."""


def untagged(lines: Iterable[Content]) -> list[Line]:
    return [(line, None) for line in lines]


def item_bullets(found: Sequence[Item], path: str, indent: str = "  ") -> list[Line]:
    """A list field's items as bullets tagged with their paths; a whole unknown list
    (its one item has the list's own path) unbulleted; an empty list NONE_RECORDED."""
    if not found:
        return [(lit(f"{indent}{NONE_RECORDED}", UNKNOWN), path)]
    return [
        (statement(it, prefix=indent if it.path == path else f"{indent}• "), it.path)
        for it in found
    ]


def bullet_list(value: Sequence[Statement] | Unknown, indent: str = "  ") -> list[Content]:
    return [line for line, _ in tagged_list(value, "", indent)]


def tagged_list(value: Sequence[Statement] | Unknown, path: str, indent: str = "  ") -> list[Line]:
    """A list field of the model as :func:`item_bullets` (``path[i]``; unknown: ``path``)."""
    from ccgtui.present.layout import items

    return item_bullets(items(value, path), path, indent)


def join_tagged(lines: Sequence[Line]) -> Content:
    return join_lines(line for line, _ in lines)


def shows(tag: str | None, path: str) -> bool:
    """Does a line tagged ``tag`` show the statement at ``path``?

    A sub-path counts: ``story[1].title`` is shown by the ``story[1]`` block,
    ``partners[0].organisation`` by the ``partners[0]`` line.
    """
    return tag is not None and (path == tag or path.startswith(f"{tag}."))


def mark(lines: Sequence[Line], path: str) -> tuple[Content, tuple[int, int] | None]:
    """The tab with the lines showing ``path`` marked, and their ``(first, end)`` indices.

    ``None`` when no line shows it (then nothing is marked).
    """
    found = [i for i, (_, tag) in enumerate(lines) if shows(tag, path)]
    if not found:
        return join_tagged(lines), None
    first, end = found[0], found[-1] + 1
    out = [
        line.stylize_before(MARKED, 0, len(line)) if first <= i < end else line
        for i, (line, _) in enumerate(lines)
    ]
    return join_lines(out), (first, end)
