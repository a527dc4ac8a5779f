"""The main screen's footer: every key that matters, on as many rows as it needs.

Textual's ``Footer`` keeps to one row, which at 80 columns shows about half of the
keys a meeting needs (``m``, ``space``, ``=``, ``n``, ``t``, ``b``, ``B``, ``N`` were
cut off).  This lists the screen's shown bindings (a user keymap included) and wraps
between them, never inside one.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

KEY = "bold $text-accent"


class KeyHints(Static):
    """Styled in ``app.tcss``: docked at the bottom, up to three rows."""

    def on_mount(self) -> None:
        self.call_after_refresh(self.refresh_hints)

    def hints(self) -> list[tuple[str, str]]:
        """(key as shown, description) for each shown binding of the screen, once each."""
        seen: set[tuple[str, str]] = set()
        out: list[tuple[str, str]] = []
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or not active.enabled:
                continue
            what = (binding.action, binding.description)
            if what in seen:
                continue
            seen.add(what)
            out.append((self.app.get_key_display(binding), binding.description))
        if self.app.ENABLE_COMMAND_PALETTE:
            out.append(("^p", "Palette"))
        return out

    def on_resize(self) -> None:
        self.refresh_hints()

    def refresh_hints(self) -> None:
        """Pack the hints into rows of the widget's width (a hint is never split)."""
        width = max(20, self.content_size.width or self.app.size.width - 2)
        rows: list[list[Content]] = [[]]
        used = 0
        for key, description in self.hints():
            item = Content.assemble(Content.styled(key, KEY), Content(f" {description}"))
            gap = 2 if rows[-1] else 0
            if rows[-1] and used + gap + item.cell_length > width:
                rows.append([])
                used, gap = 0, 0
            if gap:
                rows[-1].append(Content("  "))
            rows[-1].append(item)
            used += gap + item.cell_length
        self.update(Content("\n").join(Content.assemble(*row) for row in rows))
