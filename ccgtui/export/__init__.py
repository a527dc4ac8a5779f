"""Exports: one module per format, all pure (text in memory), written atomically.

Rendering builds the whole document in memory first and only then writes it
(temp file + rename), so a failure half-way leaves no partial file.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ccgtui.model import Case, Dataset, Source, Study, iter_statements

FORMATS = ("md", "json", "csv", "html")
CITATION_FORMATS = ("csl-json", "ris", "bibtex")  # the sources only (ccgtui.export.citations)
SCHEMA_VERSION = 1

Progress = Callable[[int, int], None]


class ExportError(Exception):
    """The export cannot be written; the message says why."""


@dataclass
class Selection:
    """What to export: studies, cases (in order) and the sources they cite."""

    dataset: Dataset
    what: str = "cases"  # study | cases | case | matrix
    cases: list[Case] = field(default_factory=list)
    by: str = "sectors"  # matrix dimension
    tags: dict[str, list[str]] | None = None  # the user's tags (case id -> tags), for themes

    @property
    def studies(self) -> list[Study]:
        if self.what == "study" or not self.cases:
            return list(self.dataset.studies)
        wanted = {c.study for c in self.cases}
        return [s for s in self.dataset.studies if s.id in wanted]

    def cited_sources(self) -> list[Source]:
        """Sources cited by the selection, in the dataset's order."""
        ids: set[str] = set()
        records: Sequence[Study | Case] = [*self.studies, *self.cases]
        for record in records:
            for _, item in iter_statements(record):
                ids.update(item.sources)
            for member in getattr(record, "team", []):
                ids.update(member.sources)
        return [s for s in self.dataset.sources if s.id in ids]


def render(
    fmt: str,
    selection: Selection,
    *,
    progress: Progress | None = None,
    long: bool = False,
    raw_csv: bool = False,
) -> str:
    """The export as text (the whole document, in memory)."""
    if fmt in CITATION_FORMATS:
        from ccgtui.export.citations import render_citations, selected_sources

        if selection.what == "matrix":
            raise ExportError(f"{fmt} exports the sources; --what matrix does not apply")
        sources = selected_sources(selection.dataset, selection.what, selection.cases)
        return render_citations(fmt, sources)
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
    if selection.what == "matrix":
        from ccgtui.export.matrix_export import render_matrix

        return render_matrix(fmt, selection, raw_csv=raw_csv)
    if fmt == "json":
        from ccgtui.export.json_export import render_json

        return render_json(selection)
    if fmt == "md":
        from ccgtui.export.markdown import render_markdown

        return render_markdown(selection, progress=progress)
    if fmt == "csv":
        from ccgtui.export.csv_export import render_csv

        return render_csv(selection, long=long, raw=raw_csv)
    if fmt == "html":
        from ccgtui.export.html import render_html

        return render_html(selection, progress=progress)
    raise ExportError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")


def write_output(text: str, path: Path | None, *, force: bool = False, bom: bool = False) -> None:
    """Write to ``path`` atomically (refusing to overwrite unless ``force``), or stdout."""
    data = ("\ufeff" if bom else "") + text
    if path is None or str(path) == "-":
        sys.stdout.write(data)
        sys.stdout.flush()
        return
    from ccgtui.fileio import OutputError
    from ccgtui.fileio import write_output as write_file

    try:  # one writer for every output: devices and FIFOs are written through, never replaced
        write_file(path, data.encode("utf-8"), force=force)
    except OutputError as exc:
        raise ExportError(str(exc)) from exc
