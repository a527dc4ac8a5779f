"""The ``ccgtui`` click group: lazy subcommands, the core commands added, the entry point."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NoReturn

import click

from ccgtui import __version__
from ccgtui.cli.context import Env
from ccgtui.cli.database import db
from ccgtui.cli.folder import init, load, validate
from ccgtui.cli.show import list_cases, show, study

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
        except Exception as exc:
            # A cache damaged after it was written is found when a case is read, after
            # open(): exit 1 saying so, as open() does, not a traceback.  Looked up in
            # sys.modules so that starting the CLI imports neither module.
            lazy = sys.modules.get("ccgtui.light_cases")
            jsonfile = sys.modules.get("ccgtui.store.jsonfile")
            if (lazy is None or not isinstance(exc, lazy.DamagedCache)) and (
                jsonfile is None or not isinstance(exc, jsonfile.StoreError)
            ):
                raise
            from ccgtui.cli.context import NotFound
            from ccgtui.safe_text import clean_line

            raise NotFound(clean_line(str(exc))) from exc

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
    help="Database file; its notes, backups and caches go beside it (default: notes in your "
    "user data folder, caches in your user cache folder; env CCGTUI_DB).",
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


# The core commands live in topic modules; they are light, so they are added
# eagerly (the lazy ones above are those whose modules pull in more).
for _command in (validate, load, init, list_cases, show, study, db):
    cli.add_command(_command)


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
