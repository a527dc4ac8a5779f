"""Placeholder explorer app (the full TUI replaces this)."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class CcgApp(App[None]):
    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, db: Path | None = None, cases: Path | None = None) -> None:
        super().__init__()
        self.db = db
        self.cases = cases

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("ccgtui", id="placeholder")
        yield Footer()


def make_app(db: Path | None = None, cases: Path | None = None) -> CcgApp:
    return CcgApp(db=db, cases=cases)
