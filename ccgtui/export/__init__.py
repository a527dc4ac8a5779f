"""Exports: one module per format, all pure (text in memory), written atomically.

Rendering builds the whole document in memory first and only then writes it
(temp file + rename), so a failure half-way leaves no partial file.  The formats
are registered in :mod:`ccgtui.export.formats`.  This package imports the model
only for type checking, so listing the formats (CLI choices) stays cheap.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ccgtui.export import formats

if TYPE_CHECKING:
    from ccgtui.model import Case, Dataset, Source, Study

FORMATS = formats.names(sources_only=False)  # documents (and matrices)
CITATION_FORMATS = formats.names(sources_only=True)  # the sources only (export.citations)
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
        from ccgtui.model import iter_statements

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
    options = formats.Options(progress=progress, long=long, raw_csv=raw_csv)
    return formats.render(fmt, selection, options)


def write_chunks(chunks: Iterable[str], path: Path | None, *, force: bool = False) -> None:
    """:func:`write_output` for text made a piece at a time (a streamed JSON export)."""
    if path is None or str(path) == "-":
        for chunk in chunks:
            sys.stdout.write(chunk)
        sys.stdout.flush()
        return
    from ccgtui.fileio import OutputError
    from ccgtui.fileio import write_output as write_file

    try:
        write_file(path, (chunk.encode("utf-8") for chunk in chunks), force=force)
    except OutputError as exc:
        raise ExportError(str(exc)) from exc


def write_output(
    text: str | bytes, path: Path | None, *, force: bool = False, bom: bool = False
) -> None:
    """Write to ``path`` atomically (refusing to overwrite unless ``force``), or stdout.

    ``bytes`` (a zip such as qdpx) are written as they are.
    """
    if isinstance(text, bytes):
        raw = text
    else:
        data = ("\ufeff" if bom else "") + text
        raw = data.encode("utf-8")
    if path is None or str(path) == "-":
        if isinstance(text, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(raw)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data)
            sys.stdout.flush()
        return
    from ccgtui.fileio import OutputError
    from ccgtui.fileio import write_output as write_file

    try:  # one writer for every output: devices and FIFOs are written through, never replaced
        write_file(path, raw, force=force)
    except OutputError as exc:
        raise ExportError(str(exc)) from exc
