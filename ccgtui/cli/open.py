"""``ccgtui open SOURCE``: a source's DOI (as https://doi.org/...) or URL, in the browser."""

from __future__ import annotations

import webbrowser

import click

from ccgtui.cli.context import Env, NotFound, pass_env
from ccgtui.links import source_link
from ccgtui.safe_text import clean_id


def _browser() -> webbrowser.BaseBrowser | None:
    """The user's browser, or None when there is none (a server, ssh without X)."""
    try:
        return webbrowser.get()
    except webbrowser.Error:
        return None


@click.command("open")
@click.argument("source_ref", metavar="SOURCE")
@click.option("--print", "print_only", is_flag=True, help="Print the address only.")
@pass_env
def open_source(env: Env, source_ref: str, print_only: bool) -> None:
    """Print a source's DOI (as https://doi.org/...) or URL and open it in the browser.

    SOURCE is a source id (storey2018) or a note target (source:storey2018). With no
    browser available, or with --print, the address is printed only.

    \b
    Example: ccgtui open storey2018
    """
    source_id = source_ref.removeprefix("source:")
    source = env.dataset().source(source_id)
    if source is None:
        raise NotFound(f"no source {clean_id(source_id)!r} (ccgtui search lists sources)")
    link = source_link(source)
    if link is None:
        raise NotFound(f"source {source.id} has no DOI or web address to open")
    click.echo(link)
    if print_only:
        return
    browser = _browser()
    if browser is None:
        click.echo("no browser available here; the address is above", err=True)
        return
    browser.open(link)
