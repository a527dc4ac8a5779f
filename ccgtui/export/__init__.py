"""Exports: one module per format, all pure (text in memory), written atomically.

Rendering builds the whole document in memory first and only then writes it
(temp file + rename), so a failure half-way leaves no partial file.  The formats
are registered in :mod:`ccgtui.export.formats`.  What to export (``Selection``) and
``ExportError`` live in :mod:`ccgtui.export.selection`, which the format modules import:
none of them imports this package, so there is no import loop through it.  This package
imports the model only for type checking, so listing the formats (CLI choices) stays cheap.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ccgtui.export import formats

if TYPE_CHECKING:
    from ccgtui.export.selection import SCHEMA_VERSION, ExportError, Progress, Selection

__all__ = [
    "CITATION_FORMATS",
    "FORMATS",
    "SCHEMA_VERSION",
    "ExportError",
    "Progress",
    "Selection",
    "render",
    "write_chunks",
    "write_output",
]

FORMATS = formats.names(sources_only=False)  # documents (and matrices)
CITATION_FORMATS = formats.names(sources_only=True)  # the sources only (export.citations)
_FROM_SELECTION = ("SCHEMA_VERSION", "ExportError", "Progress", "Selection")


def __getattr__(name: str) -> Any:
    """``Selection``, ``ExportError``... from :mod:`ccgtui.export.selection`, loaded when
    first asked for: listing the formats (the CLI's choices) loads nothing else."""
    if name in _FROM_SELECTION:
        from ccgtui.export import selection

        return getattr(selection, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    from ccgtui.export.selection import ExportError
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
    from ccgtui.export.selection import ExportError
    from ccgtui.fileio import OutputError
    from ccgtui.fileio import write_output as write_file

    try:  # one writer for every output: devices and FIFOs are written through, never replaced
        write_file(path, raw, force=force)
    except OutputError as exc:
        raise ExportError(str(exc)) from exc
