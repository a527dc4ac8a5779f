"""The export formats: one registry entry each, read by ``render`` and the CLI's choices.

An entry names its renderers; a format that cannot draw a matrix has no matrix
renderer, and asking it for one is an :class:`~ccgtui.export.ExportError` naming the
formats that can (before this registry, a new format fell through to HTML for
matrices).  Adding a format touches two files: its module and this one.

This module imports no format module and nothing heavy (the renderers import theirs
when called), so the CLI can list the formats without loading pydantic.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ccgtui.export.selection import Progress, Selection
    from ccgtui.userdata import Bookmark, Note


@dataclass(frozen=True)
class Options:
    """How to render, for the formats that take a choice."""

    progress: Progress | None = None
    long: bool = False  # csv: one row per statement
    raw_csv: bool = False  # csv: keep cells starting with = + - @ as they are
    notes: Sequence[Note] = ()  # qdpx: the user's notes, written as Notes
    bookmarks: Sequence[Bookmark] = ()  # qdpx: the user's bookmarks, written as a Set
    crlf: bool = False  # qdpx: sources end lines with CRLF (MAXQDA), offsets counting CRs


Renderer = Callable[["Selection", Options], str]
BytesRenderer = Callable[["Selection", Options], bytes]


@dataclass(frozen=True)
class ExportFormat:
    name: str  # what the user types: `ccgtui export NAME`
    extension: str  # of the file it writes, with the dot
    summary: str  # a few words for help text
    render: Renderer  # the selection (studies, cases or one case) as a document
    render_matrix: Renderer | None = None  # the selection's matrix; None: cannot draw one
    sources_only: bool = False  # exports the cited sources, not the records
    render_bytes: BytesRenderer | None = None  # a file that is not text (a zip): its bytes

    @property
    def binary(self) -> bool:
        return self.render_bytes is not None


FORMATS: dict[str, ExportFormat] = {}


def register(fmt: ExportFormat) -> ExportFormat:
    if fmt.name in FORMATS:
        raise ValueError(f"export format {fmt.name!r} is registered twice")
    FORMATS[fmt.name] = fmt
    return fmt


def names(*, sources_only: bool | None = None) -> tuple[str, ...]:
    """The registered names, in registry order (all, or only those (not) of sources)."""
    return tuple(
        n for n, f in FORMATS.items() if sources_only is None or f.sources_only == sources_only
    )


def lookup(name: str) -> ExportFormat:
    from ccgtui.export.selection import ExportError

    if name not in FORMATS:
        raise ExportError(f"unknown format {name!r}; use one of: {', '.join(FORMATS)}")
    return FORMATS[name]


def render(name: str, selection: Selection, options: Options) -> str:
    """The export as text: the matrix renderer for ``--what matrix``, else the document one."""
    from ccgtui.export.selection import ExportError

    fmt = lookup(name)
    if selection.what != "matrix":
        return fmt.render(selection, options)
    if fmt.render_matrix is None:
        able = [n for n, f in FORMATS.items() if f.render_matrix is not None]
        raise ExportError(
            f"{name} cannot export a matrix; --what matrix works with: {', '.join(able)}"
        )
    return fmt.render_matrix(selection, options)


def render_bytes(name: str, selection: Selection, options: Options) -> bytes:
    """The export as the bytes of its file: a binary format's own, else the text in UTF-8."""
    from ccgtui.export.selection import ExportError

    fmt = lookup(name)
    if fmt.render_bytes is None:
        return render(name, selection, options).encode("utf-8")
    if selection.what == "matrix":
        raise ExportError(f"{name} cannot export a matrix")
    return fmt.render_bytes(selection, options)


# -- the formats ccgtui ships (each renderer imports its module when called) -----------


def _matrix(name: str) -> Renderer:
    def render_matrix(selection: Selection, options: Options) -> str:
        from ccgtui.export.matrix_export import render_matrix

        return render_matrix(name, selection, raw_csv=options.raw_csv)

    return render_matrix


def _markdown(selection: Selection, options: Options) -> str:
    from ccgtui.export.markdown import render_markdown

    return render_markdown(selection, progress=options.progress)


def _json(selection: Selection, options: Options) -> str:
    from ccgtui.export.json_export import render_json

    return render_json(selection)


def _csv(selection: Selection, options: Options) -> str:
    from ccgtui.export.csv_export import render_csv

    return render_csv(selection, long=options.long, raw=options.raw_csv)


def _html(selection: Selection, options: Options) -> str:
    from ccgtui.export.html import render_html

    return render_html(selection, progress=options.progress)


def _citations(name: str) -> Renderer:
    def render_sources(selection: Selection, options: Options) -> str:
        from ccgtui.export.citations import render_citations, selected_sources

        sources = selected_sources(selection.dataset, selection.what, selection.cases)
        return render_citations(name, sources)

    return render_sources


def _qdpx_text(selection: Selection, options: Options) -> str:
    from ccgtui.export.selection import ExportError

    raise ExportError("qdpx is a zip archive, not text; write it to a file (-o FILE.qdpx)")


def _qdpx(selection: Selection, options: Options) -> bytes:
    from ccgtui.export.qdpx import QdpxError, UserData, render_qdpx
    from ccgtui.export.selection import ExportError

    user = UserData(notes=options.notes, tags=selection.tags or {}, bookmarks=options.bookmarks)
    try:
        return render_qdpx(selection, user, crlf=options.crlf)
    except QdpxError as exc:
        raise ExportError(str(exc)) from exc


def _qdc(selection: Selection, options: Options) -> str:
    from ccgtui.export.qdpx import render_qdc

    return render_qdc(selection)


register(ExportFormat("md", ".md", "Markdown briefing", _markdown, _matrix("md")))
register(ExportFormat("json", ".json", "lossless JSON dump", _json, _matrix("json")))
register(ExportFormat("csv", ".csv", "spreadsheet", _csv, _matrix("csv")))
register(ExportFormat("html", ".html", "HTML briefing", _html, _matrix("html")))
for _name, _ext, _summary in (
    ("csl-json", ".json", "CSL-JSON citations (Zotero)"),
    ("ris", ".ris", "RIS citations"),
    ("bibtex", ".bib", "BibTeX citations"),
):
    register(ExportFormat(_name, _ext, _summary, _citations(_name), sources_only=True))
register(
    ExportFormat(
        "qdpx",
        ".qdpx",
        "REFI-QDA project (NVivo, ATLAS.ti, MAXQDA)",
        _qdpx_text,
        render_bytes=_qdpx,
    )
)
register(ExportFormat("qdc", ".qdc", "REFI-QDA codebook", _qdc))
