"""The cases the reader visited, for Back (``backspace``) and Forward (``alt+right``).

History records visits, not cursor moves: a case the list cursor only passed over
is not recorded when the cursor leaves it, unless the reader used it (a tab, Enter,
a mark, a note, a copy...).  The case a run of cursor moves started from is
recorded, so Back returns there.
"""

from __future__ import annotations


class History:
    def __init__(self) -> None:
        self.back: list[str] = []
        self.forward: list[str] = []
        self.passed_over = False
        """The case shown was only passed over by the list cursor (not yet a visit)."""

    def leave(self, current: str | None, *, browsing: bool) -> None:
        """The reader moves from ``current`` to another case (``browsing``: by the cursor)."""
        if current is not None and not self.passed_over:
            self.back.append(current)
            self.forward.clear()
        self.passed_over = browsing

    def step(self, current: str | None, *, back: bool) -> str | None:
        """The case Back (or Forward) goes to, ``current`` kept for the other way."""
        source, other = (self.back, self.forward) if back else (self.forward, self.back)
        if not source:
            return None
        if current is not None:
            other.append(current)
        return source.pop()
