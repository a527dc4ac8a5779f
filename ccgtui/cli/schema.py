"""``ccgtui schema``: the JSON Schema of case-folder files, for editors and other tools."""

from __future__ import annotations

from pathlib import Path

import click

from ccgtui.cli.context import NotFound
from ccgtui.cli.output import force_option, output_option


@click.command()
@click.option(
    "--kind",
    type=click.Choice(["case", "study", "sources"]),
    default="case",
    show_default=True,
    help="case: a case file; study: study.yaml or studies/*.yaml; sources: sources.yaml.",
)
@output_option
@force_option
def schema(kind: str, output: Path | None, force: bool) -> None:
    """Write the JSON Schema (draft 2020-12) for one kind of case-folder file.

    Name it on a file's first line and editors with the YAML language server
    check the file as you type (`ccgtui init` does this for you). The schema
    checks types and names; `ccgtui validate` also checks source ids and links.

    \b
    Examples:
      ccgtui schema > case.schema.json
      ccgtui schema --kind sources -o schema/sources.schema.json
      # yaml-language-server: $schema=schema/case.schema.json   (a case file's first line)
    """
    from ccgtui.export import ExportError, write_output
    from ccgtui.schema import schema_text

    try:
        write_output(schema_text(kind), output, force=force)
    except ExportError as exc:
        raise NotFound(str(exc)) from exc
    if output is not None and str(output) != "-":
        click.echo(f"wrote {output} ({kind} schema)", err=True)
