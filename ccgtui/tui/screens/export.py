"""A small dialog that exports the current case, a matrix or everything to a file.

``ExportScreen(dataset, fmt, what, case_id=None, by="sectors", tags=None)`` shows
the path (editable); a path ending in .md, .html, .csv or .json picks that format.
Enter writes the file in a thread worker, never overwriting without asking twice,
and dismisses with a message for the caller to notify (``None`` when cancelled).
A matrix export writes the dimension ``by`` (for ``stages``, of ``case_id``) with
the user's ``tags`` as theme columns.
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
from ccgtui.tui.errors import Guarded

EXTENSIONS = {"md": "md", "html": "html", "json": "json", "csv": "csv"}
FORMAT_OF = {f".{ext}": fmt for fmt, ext in EXTENSIONS.items()}
MAX_PATH = 4096  # characters in the export path (PATH_MAX on Linux)
FORMAT_OF |= {".markdown": "md", ".htm": "html"}


def default_path(fmt: str, what: str, case_id: str | None, by: str = "sectors") -> Path:
    if what == "case" and case_id:
        stem = f"ccgtui-{case_id}"
    elif what == "matrix":
        stem = f"ccgtui-matrix-{by}" + (f"-{case_id}" if by == "stages" and case_id else "")
    else:
        stem = f"ccgtui-{what}"
    return Path.cwd() / f"{stem}.{EXTENSIONS[fmt]}"


def format_for(path: Path, fmt: str) -> str:
    """The format the file name asks for (.md .html .csv .json), else ``fmt``."""
    return FORMAT_OF.get(path.suffix.lower(), fmt)


class ExportScreen(Guarded, ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel-export"),
    ]

    def __init__(
        self,
        dataset: Dataset,
        fmt: str,
        what: str,
        case_id: str | None = None,
        *,
        by: str = "sectors",
        tags: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__()
        self.dataset = dataset
        self.fmt = fmt
        self.what = what
        self.case_id = case_id
        self.by = by
        self.tags = tags
        self._confirm_overwrite: Path | None = None

    def _subject(self) -> str:
        if self.what == "case":
            return f"case {self.case_id}"
        if self.what == "matrix":
            rows = f"stages of {self.case_id}" if self.by == "stages" else "cases"
            columns = "arenas" if self.by == "stages" else self.by
            return f"the matrix {rows} × {columns}"
        return self.what

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog"):
            yield Static(
                f"Export {self._subject()} as {self.fmt} (or end the name in .md, .html, "
                ".csv or .json). Enter writes, Escape cancels.",
                markup=False,
            )
            path = default_path(self.fmt, self.what, self.case_id, self.by)
            yield Input(str(path), id="export-path", max_length=MAX_PATH)
            yield Static("", id="export-status", markup=False)

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(Input.Submitted, "#export-path")
    def _submitted(self, event: Input.Submitted) -> None:
        path = Path(event.value).expanduser()
        if path.exists() and not self.app.is_web and self._confirm_overwrite != path:
            self._confirm_overwrite = path
            self._status(f"{path} exists: press Enter again to overwrite it.")
            return
        self._status("Writing…")
        self._write(path, format_for(path, self.fmt), force=path.exists())

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _write(self, path: Path, fmt: str, force: bool) -> None:
        from ccgtui.export import ExportError, Selection, render, write_output

        if self.what == "case" or (self.what == "matrix" and self.by == "stages"):
            one = self.dataset.case(self.case_id or "")
            cases = [one] if one is not None else []
        else:
            cases = list(self.dataset.cases)
        selection = Selection(self.dataset, what=self.what, cases=cases, by=self.by, tags=self.tags)
        try:
            text = render(fmt, selection)
            if self.app.is_web:  # `ccgtui serve`: a download in the browser, not a server file
                from ccgtui.tui.web import deliver_download

                sent = self.app.call_from_thread(deliver_download, self.app, text, path.name)
                self.app.call_from_thread(self._written, sent)
                return
            write_output(text, path, force=force)
        except (ExportError, OSError) as exc:
            self.app.call_from_thread(self._status, f"Not written: {exc}")
            return
        self.app.call_from_thread(self._written, f"Wrote {path}")

    def _written(self, message: str) -> None:
        # A palette command may have replaced this dialog meanwhile: Textual's dismiss
        # would then close whatever is on top, so say it in a notice instead.
        if self.is_current:
            self.dismiss(message)
        else:
            self.app.notify(message, title="Export", markup=False)

    def _status(self, text: str) -> None:
        self.query_one("#export-status", Static).update(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
