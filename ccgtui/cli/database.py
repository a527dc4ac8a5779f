"""``ccgtui db``: where the database files are, whether they are healthy, backup and restore."""

from __future__ import annotations

from pathlib import Path

import click

from ccgtui.cli.context import Env, NotFound, pass_env


@click.group()
def db() -> None:
    """Where the database is, and whether it is healthy."""


@db.command("path")
@pass_env
def db_path(env: Env) -> None:
    """Print the database and case-folder paths.  Example: ccgtui --db ./team.json db path"""
    from ccgtui.store import store_for

    store = store_for(env.db, env.cases)  # the same files every other command uses
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
    from ccgtui.store import store_for

    store = store_for(env.db, env.cases)  # the same files every other command uses
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
