"""Plain text of what the terminal shows, for assertions on rendered content."""

from __future__ import annotations

from typing import Any

from textual.app import App


def screen_text(app: App[Any]) -> str:
    """Every line of the current screen as plain text (what a person would read)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text.rstrip() for strip in strips)


def text_on_background(app: App[Any], variable: str) -> list[str]:
    """On each screen row, the text drawn on the theme colour ``$variable`` (empty rows left out).

    Used to read what is highlighted, e.g. the statement a search jumped to.
    """
    from textual.color import Color

    target = Color.parse(app.theme_variables[variable]).rich_color.triplet
    rows = []
    for strip in app.screen._compositor.render_strips():
        text = "".join(
            seg.text
            for seg in strip
            if seg.style is not None
            and seg.style.bgcolor is not None
            and seg.style.bgcolor.triplet == target
        )
        if text.strip():
            rows.append(text.strip())
    return rows
