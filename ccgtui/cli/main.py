"""The ``ccgtui`` click group and the core commands."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from ccgtui import __version__
from ccgtui.cli.complete import complete_case_ids
from ccgtui.cli.context import Env, NotFound, fail_load, pass_env
from ccgtui.cli.filters import FilterCommand
from ccgtui.cli.output import echo, emit, format_option, print_json
from ccgtui.safe_text import show_name
from ccgtui.wording import plural

if TYPE_CHECKING:
    from ccgtui.model import Dataset

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

# Commands that live in their own module, imported only when used, so that
# `ccgtui --help` and quick lookups stay fast.  name -> "module:attribute".
LAZY_COMMANDS: dict[str, str] = {
    "search": "ccgtui.cli.search:search",
    "matrix": "ccgtui.cli.analysis:matrix",
    "compare": "ccgtui.cli.analysis:compare",
    "export": "ccgtui.cli.export:export",
    "import": "ccgtui.cli.export:import_command",
    "schema": "ccgtui.cli.schema:schema",
    "open": "ccgtui.cli.open:open_source",
    "note": "ccgtui.cli.notes:note",
    "notes": "ccgtui.cli.notes:notes",
    "tag": "ccgtui.cli.notes:tag",
    "bookmark": "ccgtui.cli.notes:bookmark",
    "serve": "ccgtui.cli.serve:serve",
}
# One-line help for `ccgtui --help`, so listing the commands imports none of them.
LAZY_HELP: dict[str, str] = {
    "search": "Search every statement, label, stage, partner, source and note.",
    "matrix": "Cases × partner sectors, arenas or themes.",
    "compare": "Two or more cases side by side, aligned by field.",
    "export": "Export a briefing (md, html), a spreadsheet (csv) or a dump (json).",
    "import": "Turn a JSON export or a REFI-QDA project (.qdpx) into a case folder.",
    "schema": "The JSON Schema of case files, for editors.",
    "open": "Open a source's DOI or URL in the browser (or print it).",
    "note": "Add, list, edit and remove your notes.",
    "notes": "Export your notes, or merge in a colleague's.",
    "tag": "Tag cases.",
    "bookmark": "Bookmark cases, stages and sources.",
    "serve": "The explorer in a web browser, on 127.0.0.1 (needs ccgtui[serve]).",
}


class LazyGroup(click.Group):
    """A click group that imports a command's module only when it is run."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        lazy = [name for name in LAZY_COMMANDS if self._available(name)]
        return sorted({*super().list_commands(ctx), *lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS and self._available(cmd_name):
            import importlib

            module_name, attr = LAZY_COMMANDS[cmd_name].split(":")
            command = getattr(importlib.import_module(module_name), attr)
            assert isinstance(command, click.Command)
            return command
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> object:
        # click turns EPIPE into exit 1, which means "not found"; a reader that
        # stopped reading (`ccgtui list | head -1`) is no failure.
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            quiet_broken_pipe()

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            if name in LAZY_COMMANDS:
                rows.append((name, LAZY_HELP.get(name, "")))
            else:
                command = super().get_command(ctx, name)
                if command is not None and not command.hidden:
                    rows.append((name, command.get_short_help_str(limit=formatter.width - 20)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    @staticmethod
    def _available(name: str) -> bool:
        import importlib.util

        module_name = LAZY_COMMANDS[name].split(":")[0]
        return importlib.util.find_spec(module_name) is not None


@click.group(cls=LazyGroup, invoke_without_command=True, context_settings=CONTEXT)
@click.option(
    "--db",
    type=click.Path(dir_okay=True, path_type=Path),
    envvar="CCGTUI_DB",
    help="Database file (default: your user data folder; env CCGTUI_DB).",
)
@click.option(
    "--cases",
    # A mistyped folder is a usage error (exit 2), never an answer from another folder.
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    envvar="CCGTUI_CASES",
    help="Case folder to load (default: the bundled study; env CCGTUI_CASES).",
)
@click.option(
    "--open",
    "open_case",
    metavar="CASE",
    help="Open the explorer on this case (id, prefix or part of its label), not where you "
    "left off.",
)
@click.option(
    "--present",
    is_flag=True,
    help="Open the explorer in big-screen mode for a projector (P toggles it).",
)
@click.version_option(__version__, prog_name="ccgtui")
@click.pass_context
def cli(
    ctx: click.Context, db: Path | None, cases: Path | None, open_case: str | None, present: bool
) -> None:
    """Explore the CCG clinical-leadership case studies (NIHR 12/136/104).

    With no command, opens the terminal explorer. Examples:

    \b
      ccgtui                         open the explorer on the bundled study
      ccgtui list --format json      every case, for scripts
      ccgtui show composite-frail-elderly --section story
      ccgtui --cases ./my-cases validate --strict
    """
    ctx.obj = Env(db=db, cases=cases)
    if ctx.invoked_subcommand is None:
        from ccgtui.cli.tui import refuse_without_terminal, run_tui

        refuse_without_terminal()

        run_tui(ctx.obj, open_case=open_case, present=present)


@cli.command()
@click.option(
    "--strict",
    is_flag=True,
    help="Also require a source on every statement, "
    "a DOI or URL on every source, and print the coverage report.",
)
@pass_env
def validate(env: Env, strict: bool) -> None:
    """Check a case folder and list every problem as file:line: field: message.

    Exit code 0 when valid, 1 when not.  Example: ccgtui --cases ./my-cases validate --strict
    """
    from ccgtui import paths
    from ccgtui.loader import LoadError, load_folder

    folder = paths.cases_dir(env.cases)
    try:
        dataset = load_folder(folder)
    except LoadError as exc:
        fail_load(exc)
    if strict:
        from ccgtui.audit import coverage, format_coverage, strict_problems

        click.echo(format_coverage(coverage(dataset)))
        problems = strict_problems(dataset)
        if problems:
            counted = plural(len(problems), "strict problem")
            click.echo(f"ccgtui: {counted} in {show_name(folder)}:", err=True)
            for problem in problems:
                click.echo(f"  {problem}", err=True)
            raise SystemExit(1)
    click.echo(
        f"{show_name(folder)}: valid ({plural(len(dataset.studies), 'study')}, "
        f"{plural(len(dataset.cases), 'case')}, {plural(len(dataset.sources), 'source')})"
    )


@cli.command()
@pass_env
def load(env: Env) -> None:
    """Validate the case folder and (re)load it into the database.

    Your notes, tags and bookmarks are never touched.  Example: ccgtui --cases ./my-cases load
    """
    from ccgtui import paths

    # A load that did not load is a failure, whatever older data the database holds.
    unchanged = f"database left unchanged ({show_name(paths.db_path(env.db))})"
    store, report = env.open(reload=True, failed_note=unchanged)
    if report.problems is not None:
        fail_load(report.problems, unchanged)
    loaded = plural(len(store.dataset().cases), "case")
    click.echo(f"loaded {loaded} from {show_name(store.cases_dir)} into {show_name(store.db_path)}")


@cli.command("list", cls=FilterCommand)
@click.argument("filters", nargs=-1)
@format_option
@pass_env
def list_cases(env: Env, filters: tuple[str, ...], fmt: str) -> None:
    """List the cases, optionally filtered (the same filters as `ccgtui search`).

    \b
    Examples:
      ccgtui list --format json | python -m json.tool
      ccgtui list kind:in-depth
      ccgtui list sector:social-work -is:illustrative   (-key:value excludes)
    """

    listed = env.store().case_summaries()  # from the index: no case is read to list them
    if filters:
        from ccgtui.cli.search import parse_or_usage, user_notes_and_tags
        from ccgtui.query import passes

        query = parse_or_usage(" ".join(filters))
        if query.words:
            raise click.UsageError(
                f"list takes only key:value filters; to search for {query.text!r} use "
                "`ccgtui search`"
            )
        tags = user_notes_and_tags(env)[1]
        listed = [s for s in listed if passes(s.facets, s.id, query.filters, tags)]
        if not listed:
            raise NotFound(f"no case matches {' '.join(filters)!r}")
    rows = [
        {
            "id": s.id,
            "kind": s.kind,
            "label": s.label,
            "study": s.study,
            "illustrative": s.illustrative,
        }
        for s in listed
    ]
    columns = ["id", "kind", "label", "study", "illustrative"]
    if fmt != "table":
        emit(rows, columns, fmt, title="Cases")
        return
    from ccgtui.cli.fit import print_fitted

    # Ids whole, labels cut with "…" to fit; study and the flag only when there is room.
    print_fitted(rows, columns, title="Cases", squeeze="label", optional=("illustrative", "study"))


@cli.command()
@click.argument("case_ref", metavar="CASE", shell_complete=complete_case_ids)
@click.option(
    "--section",
    type=click.Choice(
        ["all", "overview", "story", "arenas", "partners", "evidence", "sources", "ids"]
    ),
    default="all",
    show_default=True,
    help="Print only this part, fit to paste.",
)
@click.option(
    "--brief",
    is_flag=True,
    help="Five lines fit to paste: label, kind banner, arenas, partners, key finding.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@pass_env
def show(env: Env, case_ref: str, section: str, brief: bool, fmt: str) -> None:
    """Show one case: its story, arenas, partners, evidence and sources.

    CASE is an id, a unique id prefix or part of the label.  The last section lists
    the stage, arena and partner ids that `note add` and `bookmark add` take.
    Example: ccgtui show composite --section partners
    """
    from ccgtui.describe import case_section, case_sections, render_sections

    if brief and section != "all":
        raise click.UsageError("--brief and --section: choose one")
    dataset = env.cases_with_references([case_ref])
    case = dataset.cases[0]
    if brief:
        from ccgtui.glance import brief as brief_lines

        lines = brief_lines(case, dataset)
        if fmt == "json":
            print_json({"id": case.id, "brief": lines})
        else:
            echo("\n".join(lines))
        return
    if fmt == "json":
        print_json(case.model_dump(mode="json"))
        return
    from ccgtui.cli.case_ids import TITLE, case_id_lines
    from ccgtui.wording import banners

    if section == "all":
        sections = [*case_sections(case, dataset), (TITLE, case_id_lines(case))]
    elif section == "ids":
        sections = [(TITLE, case_id_lines(case))]
    else:  # the section and the sources it cites, with their levels and notes
        sections = case_section(case, dataset, section)
    # The banners head every section too: a section is meant to be pasted on its own.
    echo(render_sections(sections, banners(case)), nl=False)


@cli.command()
@click.argument("study_id", required=False)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--stats", is_flag=True, help="Counts, the phases and the survey charts.")
@pass_env
def study(env: Env, study_id: str | None, fmt: str, stats: bool) -> None:
    """Show a study: objectives, phases, team, surveys, concepts and findings.

    With no STUDY_ID, the main study.  Example: ccgtui study --format json
    """
    from ccgtui.describe import render_sections, study_sections

    dataset = env.dataset()
    if study_id:
        chosen = dataset.study(study_id)
    else:
        chosen = dataset.studies[0] if dataset.studies else None
    if chosen is None:
        known = ", ".join(s.id for s in dataset.studies)
        raise NotFound(f"no study {study_id!r}; known studies: {known}")
    if stats:
        _print_stats(dataset, chosen.id, fmt)
        return
    if fmt == "json":
        print_json(chosen.model_dump(mode="json"))
        return
    from ccgtui.wording import banners

    echo(render_sections(study_sections(chosen, dataset), banners(chosen)), nl=False)


def _print_stats(dataset: Dataset, study_id: str, fmt: str) -> None:
    from dataclasses import asdict

    from ccgtui.analysis import bar_chart, study_stats

    stats = study_stats(dataset, study_id)
    if fmt == "json":
        data = asdict(stats)
        data["phases"] = [p.model_dump(mode="json") for p in stats.phases]
        data["measures"] = [m.model_dump(mode="json") for m in stats.measures]
        print_json(data)
        return
    kinds = ", ".join(f"{k} {n}" for k, n in stats.cases_by_kind.items())
    lines = [
        f"Study {stats.study_id}",
        f"  cases:       {sum(stats.cases_by_kind.values())} ({kinds})",
        f"  statements:  {stats.statements} ({stats.unknowns} unknown, "
        f"{stats.unverified} unverified)",
        f"  sources:     {stats.sources} cited",
        "Phases",
        *(f"  {p.number}. {p.period or '(date not reported)':>20}  {p.name}" for p in stats.phases),
    ]
    if stats.measures:
        lines += ["Survey results", *(f"  {line}" for line in bar_chart(stats.measures))]
    echo("\n".join(lines))


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Create a new, valid case folder with commented templates to fill in.

    Example: ccgtui init my-cases && ccgtui --cases my-cases validate
    """
    from ccgtui.scaffold import write_template

    try:
        written = write_template(directory)
    except FileExistsError as exc:
        raise NotFound(f"{directory} already holds case files; choose an empty folder") from exc
    except OSError as exc:
        raise NotFound(f"cannot create {directory}: {exc.strerror or exc}") from exc
    for path in written:
        click.echo(f"created {path}")


@cli.group()
def db() -> None:
    """Where the database is, and whether it is healthy."""


@db.command("path")
@pass_env
def db_path(env: Env) -> None:
    """Print the database and case-folder paths.  Example: ccgtui --db ./team.json db path"""
    from ccgtui import paths
    from ccgtui.store import Store

    store = Store(paths.db_path(env.db), paths.cases_dir(env.cases))
    click.echo(f"database:  {store.db_path}")
    click.echo(f"notes:     {store.user_path}")
    click.echo(f"backups:   {store.backup_dir}")
    click.echo(f"cases:     {store.cases_dir}")


@db.command("check")
@pass_env
def db_check(env: Env) -> None:
    """Check the database files without changing them (exit 1 if unhealthy).

    Example: ccgtui db check || ccgtui db restore --latest
    """
    from ccgtui import paths
    from ccgtui.store import Store

    store = Store(paths.db_path(env.db), paths.cases_dir(env.cases))
    problems = store.check()
    if problems:
        for problem in problems:
            click.echo(f"ccgtui: {problem}", err=True)
        raise SystemExit(1)
    meta = store.meta()
    click.echo(f"ok: {store.db_path} (loaded {meta.get('loaded_at', 'never')})")


@db.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@pass_env
def db_backup(env: Env, file: Path, force: bool) -> None:
    """Copy your notes, tags and bookmarks to FILE.  Example: ccgtui db backup notes.json"""
    from ccgtui.store import store_for
    from ccgtui.userdata import UserDataError, backup_to

    store = store_for(env.db, env.cases)
    try:
        size = backup_to(store, file, force=force)
    except UserDataError as exc:
        raise NotFound(str(exc)) from exc
    click.echo(f"backed up notes to {file} ({size} bytes)")


@db.command("restore")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--latest", is_flag=True, help="Restore the newest good automatic backup.")
@pass_env
def db_restore(env: Env, file: Path | None, latest: bool) -> None:
    """Replace your notes with FILE (checked first), or the newest backup with --latest.

    The notes it replaces are kept among the automatic backups.
    Example: ccgtui db restore notes.json
    """
    from ccgtui.store import store_for
    from ccgtui.userdata import UserDataError, restore_from

    store = store_for(env.db, env.cases)
    if (file is None) == (not latest):
        found = "\n".join(f"  {p}" for p in store.backups()) or "  (none)"
        raise click.UsageError(f"give FILE or --latest (not both); backups:\n{found}")
    try:
        used = restore_from(store, file)
    except UserDataError as exc:
        raise NotFound(str(exc)) from exc
    click.echo(f"restored notes from {used}")


def quiet_broken_pipe() -> NoReturn:
    """Exit 0 without a word: whoever read our output has stopped reading.

    stdout is pointed at /dev/null so that Python's final flush of what is
    still buffered cannot fail again on the way out.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    raise SystemExit(0)


def main() -> None:
    try:
        try:
            cli(prog_name="ccgtui")
        finally:
            sys.stdout.flush()  # output small enough to be still buffered fails here
    except BrokenPipeError:
        quiet_broken_pipe()
