"""``ccgtui export`` and ``ccgtui import``: scripted exports that open cleanly."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ccgtui import dimensions
from ccgtui.cli.analysis import DimensionChoice, DimensionOption
from ccgtui.cli.complete import complete_case_ids
from ccgtui.cli.context import Env, NotFound, fail_load, pass_env
from ccgtui.cli.filters import FilterCommand
from ccgtui.cli.output import force_option, output_option
from ccgtui.export import formats  # the registry only: no format module, no pydantic
from ccgtui.safe_text import show_name
from ccgtui.wording import plural

LONG_EXPORT = 200  # cases: above this, show a progress bar on a terminal


@click.command(cls=FilterCommand)
@click.argument(
    "fmt",
    metavar="FORMAT",
    type=click.Choice(formats.names()),
)
@click.argument("filters", nargs=-1)
@click.option(
    "--what",
    type=click.Choice(["cases", "study", "case", "matrix"]),
    default="cases",
    show_default=True,
    help="cases: the study and its cases; study: the studies only; "
    "case: the cases given with --case; matrix: a cross-case matrix.",
)
@click.option(
    "--case",
    "case_refs",
    multiple=True,
    metavar="ID",
    shell_complete=complete_case_ids,
    help="A case to export (repeat for more); implies --what case.",
)
@click.option(
    "--by",
    cls=DimensionOption,
    type=DimensionChoice(),  # the matrix dimension registry (ccgtui/dimensions.py)
    default="sectors",
    show_default=True,
    help_prefix="Matrix columns, with --what matrix: ",
)
@output_option
@force_option
@click.option("--long", "long_", is_flag=True, help="CSV: one row per statement.")
@click.option(
    "--raw-csv",
    is_flag=True,
    help="CSV: keep cells starting with = + - @ as they "
    "are. By default they get a leading ' so spreadsheets do not run them as formulas.",
)
@click.option("--excel", is_flag=True, help="CSV: start with a UTF-8 BOM for Excel.")
@click.option(
    "--crlf",
    is_flag=True,
    help="qdpx: end the sources' lines with CRLF, as MAXQDA does (offsets count the CRs).",
)
@click.option(
    "--pretty",
    is_flag=True,
    help="JSON: indented for reading (the default on a terminal; files and pipes get "
    "compact JSON, written one record at a time).",
)
@pass_env
def export(
    env: Env,
    fmt: str,
    filters: tuple[str, ...],
    what: str,
    case_refs: tuple[str, ...],
    by: str,
    output: Path | None,
    force: bool,
    long_: bool,
    raw_csv: bool,
    excel: bool,
    crlf: bool,
    pretty: bool,
) -> None:
    """Export a briefing (md, html), a spreadsheet (csv), a lossless dump (json) or citations.

    csl-json, ris and bibtex export the sources (for Zotero and other reference
    managers): all of them, or those the cases given with --case (or FILTERS) cite.
    Each keeps its evidence level, variants and notes in its note field.

    qdpx is a REFI-QDA project (NVivo, ATLAS.ti, MAXQDA, QualCoder): each case a text
    source whose statements are coded by arena, sector, field, theme, cited source and
    flag, with your notes, tags and bookmarks; qdc is its codebook alone.

    FILTERS use the search syntax (kind:in-depth sector:social-work ...; -key:value excludes).
    CSV cells that start with = + - @ get a leading ' (see --raw-csv).

    \b
    Examples:
      ccgtui export md -o briefing.md
      ccgtui export html --case composite-frail-elderly -o composite.html
      ccgtui export csv kind:in-depth --long > statements.csv
      ccgtui export md -kind:scoping -o briefing.md
      ccgtui export json -o all.json && ccgtui import all.json my-cases
      ccgtui export md --what matrix --by arenas
      ccgtui export csv --what matrix --by stages --case composite-frail-elderly
      ccgtui export bibtex -o ccg.bib
      ccgtui export ris --case composite-frail-elderly -o composite.ris
      ccgtui export qdpx -o study.qdpx
      ccgtui export qdpx --crlf -o for-maxqda.qdpx
      ccgtui export qdc -o codebook.qdc
    """
    from ccgtui.cli.search import user_notes_and_tags
    from ccgtui.export import ExportError, Selection, write_output

    if crlf and fmt != "qdpx":
        raise click.UsageError("--crlf is for qdpx only (its text sources)")
    if what == "matrix" and dimensions.lookup(by).one_case and len(case_refs) != 1:
        raise click.UsageError(f"--what matrix --by {by} needs one --case ID")
    streamed = fmt == "json" and not (pretty or _to_terminal(output))
    every_case = what == "cases" and not filters and not case_refs
    if fmt == "json" and every_case and _export_cached_json(env, output, force, streamed):
        return  # from the cache's JSON, no model imported
    dataset = env.dataset()
    # A streamed JSON export reads each case once, as it is written: the store's lazy
    # view keeps memory flat at 10k cases (a list would hold every case validated).
    # A matrix reads each case's cached JSON too, only the fields its dimension needs.
    lazy = (streamed or what == "matrix") and not filters and not case_refs
    cases = dataset.cases if lazy else list(dataset.cases)
    # Your tags filter (tag:NAME) and are columns of the themes matrix, as in the explorer.
    tags = user_notes_and_tags(env)[1] if filters or (what == "matrix" and by == "themes") else None
    if filters:
        from ccgtui.cli.search import parse_or_usage
        from ccgtui.query import filter_cases

        query = parse_or_usage(" ".join(filters))
        if query.words:
            raise click.UsageError("export takes key:value filters only (try `ccgtui search`)")
        cases = filter_cases(dataset, query, tags=tags)
    if case_refs:
        cases = [env.case(ref) for ref in case_refs]
        what = "case" if what == "cases" else what
    if what == "case" and not case_refs:
        raise click.UsageError("--what case needs --case ID")
    if not cases and what != "study":
        raise NotFound("no case matches those filters; nothing exported")
    selection = Selection(dataset, what=what, cases=cases, by=by, tags=tags)  # type: ignore[arg-type]
    try:
        if formats.lookup(fmt).binary:
            write_output(_binary(env, fmt, selection, output, crlf), output, force=force)
        elif streamed:
            from ccgtui.export import write_chunks
            from ccgtui.export.json_export import stream_json
            from ccgtui.export.matrix_export import stream_matrix_json

            chunks = stream_matrix_json if what == "matrix" else stream_json
            write_chunks(chunks(selection), output, force=force)
        else:
            text = _render_with_progress(fmt, selection, long_, raw_csv)
            write_output(text, output, force=force, bom=excel and fmt == "csv")
    except ExportError as exc:
        raise NotFound(str(exc)) from exc
    if output is not None and str(output) != "-":
        click.echo(f"wrote {output} ({fmt}, {_counted(fmt, selection)})", err=True)


def _export_cached_json(env: Env, output: Path | None, force: bool, streamed: bool) -> bool:
    """``export json`` of every case straight from the cache's JSON, importing no model
    (issue 16), compact and streamed or (``--pretty``, a terminal) indented; ``False``
    when the store cannot hand out its records that way."""
    from ccgtui.present.cached import cached_records

    env.need_cases("read the cases")
    store = env.store()
    records = cached_records(store)
    if records is None:
        return False
    if not records.case_ids:
        raise NotFound("no case matches those filters; nothing exported")
    from ccgtui.export import ExportError, write_chunks, write_output
    from ccgtui.export.json_export import render_cached_json, stream_cached_json
    from ccgtui.present.cached import Listed

    # id, kind, study and flag of each case from the table of contents, for the banners
    # and the studies written before the cases (no summary built: 0.3 s at 10k cases)
    listing = [Listed._make(row) for row in store.case_listing()]
    try:
        if streamed:
            write_chunks(stream_cached_json(records, listing), output, force=force)
        else:
            write_output(render_cached_json(records, listing), output, force=force)
    except ExportError as exc:
        raise NotFound(str(exc)) from exc
    if output is not None and str(output) != "-":
        click.echo(f"wrote {output} (json, {plural(len(records.case_ids), 'case')})", err=True)
    return True


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def _to_terminal(output: Path | None) -> bool:
    return (output is None or str(output) == "-") and _stdout_is_terminal()


def _binary(env: Env, fmt: str, selection: object, output: Path | None, crlf: bool) -> bytes:
    """A zip (qdpx) with the user's notes, tags and bookmarks; never onto a terminal."""
    from ccgtui import userdata
    from ccgtui.export import Selection

    assert isinstance(selection, Selection)
    if (output is None or str(output) == "-") and _stdout_is_terminal():
        raise click.UsageError(
            f"{fmt} is a zip archive; give -o FILE{formats.lookup(fmt).extension}"
        )
    store = env.store()
    if selection.tags is None:
        selection.tags = userdata.list_tags(store)
    options = formats.Options(
        notes=userdata.list_notes(store), bookmarks=userdata.list_bookmarks(store), crlf=crlf
    )
    return formats.render_bytes(fmt, selection, options)


def _counted(fmt: str, selection: object) -> str:
    from ccgtui.export import CITATION_FORMATS, Selection

    assert isinstance(selection, Selection)
    if fmt in CITATION_FORMATS:
        from ccgtui.export.citations import selected_sources

        sources = selected_sources(selection.dataset, selection.what, selection.cases)
        return plural(len(sources), "source")
    return plural(len(selection.cases), "case")


def _render_with_progress(fmt: str, selection: object, long_: bool, raw_csv: bool) -> str:
    from ccgtui.export import Selection, render

    assert isinstance(selection, Selection)
    if len(selection.cases) < LONG_EXPORT or not sys.stderr.isatty():
        return render(fmt, selection, long=long_, raw_csv=raw_csv)
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(f"Exporting {fmt}", total=len(selection.cases))
        return render(
            fmt,
            selection,
            long=long_,
            raw_csv=raw_csv,
            progress=lambda n, _total: bar.update(task, completed=n),
        )


class ImportGroup(click.Group):
    """``import FILE FOLDER`` (a JSON export, as before) or ``import qdpx FILE -o FOLDER``.

    A first word that is not a subcommand is a file: the old usage goes on working
    as ``import json FILE FOLDER``.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["json", *args]
        return super().parse_args(ctx, args)


@click.group("import", cls=ImportGroup)
def import_command() -> None:
    """Turn a JSON export or a REFI-QDA project (.qdpx) into a new case folder.

    \b
    Examples:
      ccgtui import all.json my-cases          (a JSON export, as `import json`)
      ccgtui import qdpx team.qdpx -o team-cases
      ccgtui import qdpx team.qdpx -o team-cases --report unmapped.txt
      ccgtui --cases team-cases validate
    """


@import_command.command("json")
@click.argument("export_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
def import_json(ctx: click.Context, export_file: Path, folder: Path) -> None:
    """Turn a JSON export back into a case folder (YAML files) you can load and edit.

    A .qdpx file given here is imported as `import qdpx` would.

    Example: ccgtui import all.json my-cases && ccgtui --cases my-cases validate
    """
    from ccgtui.export import ExportError
    from ccgtui.export.json_export import read_export
    from ccgtui.importer import ImportFailed, import_export
    from ccgtui.loader import LoadError

    if _is_zip(export_file):
        ctx.invoke(import_qdpx, qdpx_file=export_file, folder=folder)
        return
    try:
        written = import_export(read_export(export_file), folder, export_file)
    except (ExportError, ImportFailed) as exc:
        raise NotFound(str(exc)) from exc
    except LoadError as exc:  # the records, or the folder they would make, are invalid
        fail_load(exc, f"nothing was written to {show_name(folder)}")
    click.echo(f"wrote {plural(len(written), 'file')} to {folder}")


def _is_zip(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return file.read(4) == b"PK\x03\x04"
    except OSError:
        return False  # the JSON reader says why it cannot be read


@import_command.command("qdpx")
@click.argument("qdpx_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "folder",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The new case folder (must not exist, or be empty).",
)
@click.option(
    "--kind",
    type=click.Choice(["in-depth", "scoping", "composite", "illustrative", "related-study"]),
    default="in-depth",
    show_default=True,
    help="The kind of a case whose project has no 'kind' variable (each such case is reported).",
)
@click.option(
    "--report",
    "report_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write what could not be mapped to this file instead of stderr.",
)
def import_qdpx(
    qdpx_file: Path, folder: Path, kind: str = "in-depth", report_file: Path | None = None
) -> None:
    """A REFI-QDA project (NVivo, ATLAS.ti, MAXQDA, QualCoder) as a new case folder.

    Its cases, case variables, text sources and codes are mapped to case files
    that `ccgtui validate` accepts; a ccgtui export comes back as it was written.
    What could not be mapped is listed, one line per element, on stderr (or in
    --report FILE).  An unsafe or broken file is refused with one line naming the
    member and the problem, and nothing is written.

    \b
    Example:
      ccgtui import qdpx team.qdpx -o team-cases && ccgtui --cases team-cases list
    """
    from ccgtui.fileio import OutputError, write_output
    from ccgtui.importer import ImportFailed
    from ccgtui.loader import LoadError
    from ccgtui.model import CaseKind
    from ccgtui.qdpx_import import import_qdpx as run_import
    from ccgtui.qdpx_read import QdpxRefused

    if report_file is not None and report_file.exists():
        raise click.UsageError(f"{show_name(report_file)} already exists; give a new file")
    try:
        written, report = run_import(qdpx_file, folder, CaseKind(kind))
    except QdpxRefused as exc:
        raise NotFound(f"{show_name(qdpx_file)}: {exc}; nothing was written") from exc
    except ImportFailed as exc:
        raise NotFound(str(exc)) from exc
    except LoadError as exc:
        fail_load(exc, f"nothing was written to {show_name(folder)}")
    click.echo(f"wrote {plural(len(written), 'file')} to {folder}")
    if not report:
        return
    lines = "".join(f"{line}\n" for line in report)
    if report_file is not None:
        try:
            write_output(report_file, lines.encode("utf-8"))
        except OutputError as exc:
            raise NotFound(f"{exc} (the case folder was written)") from exc
        click.echo(f"{plural(len(report), 'line')} on what was not mapped: {report_file}", err=True)
        return
    click.echo(f"ccgtui: not mapped ({plural(len(report), 'line')}):", err=True)
    click.echo("".join(f"  {line}\n" for line in report), err=True, nl=False)
