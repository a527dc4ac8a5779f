"""A small dialog that exports the current case, a matrix or everything to a file.

``ExportScreen(dataset, fmt, what, case_id=None)`` shows the path (editable);
Enter writes the file in a thread worker, never overwriting without asking
twice, and dismisses with a message for the caller to notify (``None`` when
cancelled).
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ccgtui.model import Dataset

EXTENSIONS = {"md": "md", "html": "html", "json": "json", "csv": "csv"}


def default_path(fmt: str, what: str, case_id: str | None) -> Path:
    stem = f"ccgtui-{case_id}" if what == "case" and case_id else f"ccgtui-{what}"
    return Path.cwd() / f"{stem}.{EXTENSIONS[fmt]}"


class ExportScreen(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel-export"),
    ]

    def __init__(self, dataset: Dataset, fmt: str, what: str, case_id: str | None = None) -> None:
        super().__init__(id="export")
        self.dataset = dataset
        self.fmt = fmt
        self.what = what
        self.case_id = case_id
        self._confirm_overwrite: Path | None = None

    def compose(self) -> ComposeResult:
        subject = f"case {self.case_id}" if self.what == "case" else self.what
        with Vertical(id="export-dialog"):
            yield Static(
                f"Export {subject} as {self.fmt}. Enter writes, Escape cancels.", markup=False
            )
            yield Input(str(default_path(self.fmt, self.what, self.case_id)), id="export-path")
            yield Static("", id="export-status", markup=False)

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(Input.Submitted, "#export-path")
    def _submitted(self, event: Input.Submitted) -> None:
        path = Path(event.value).expanduser()
        if path.exists() and self._confirm_overwrite != path:
            self._confirm_overwrite = path
            self._status(f"{path} exists: press Enter again to overwrite it.")
            return
        self._status("Writing…")
        self._write(path, force=path.exists())

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _write(self, path: Path, force: bool) -> None:
        from ccgtui.export import ExportError, Selection, render, write_output

        cases = list(self.dataset.cases)
        if self.what == "case":
            cases = [c for c in cases if c.id == self.case_id]
        selection = Selection(self.dataset, what=self.what, cases=cases)
        try:
            write_output(render(self.fmt, selection), path, force=force)
        except (ExportError, OSError) as exc:
            self.app.call_from_thread(self._status, f"Not written: {exc}")
            return
        self.app.call_from_thread(self.dismiss, f"Wrote {path}")

    def _status(self, text: str) -> None:
        self.query_one("#export-status", Static).update(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
