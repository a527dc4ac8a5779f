"""The case-folder commands: ``validate``, ``load`` and ``init``."""

from __future__ import annotations

from pathlib import Path

import click

from ccgtui.cli.context import Env, NotFound, fail_load, pass_env
from ccgtui.safe_text import show_name
from ccgtui.wording import plural


@click.command()
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


@click.command()
@pass_env
def load(env: Env) -> None:
    """Validate the case folder and (re)load it into the database.

    Your notes, tags and bookmarks are never touched.  Example: ccgtui --cases ./my-cases load
    """
    from ccgtui.store import store_for

    # A load that did not load is a failure, whatever older data the database holds.
    unchanged = f"database left unchanged ({show_name(store_for(env.db, env.cases).db_path)})"
    store, report = env.open(reload=True, failed_note=unchanged)
    if report.problems is not None:
        fail_load(report.problems, unchanged)
    loaded = plural(len(store.dataset().cases), "case")
    click.echo(f"loaded {loaded} from {show_name(store.cases_dir)} into {show_name(store.db_path)}")


@click.command()
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
