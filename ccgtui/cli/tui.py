"""Start the Textual app; the only place the CLI touches Textual."""

from __future__ import annotations

import os
import sys

import click

from ccgtui.cli.context import Env

# What textual-serve sets for each browser tab it starts (`ccgtui serve`): the
# tab's pipes carry the web driver's protocol, so no terminal is needed.
WEB_DRIVER = "textual.drivers.web_driver:WebDriver"


def refuse_without_terminal() -> None:
    """The explorer needs a terminal on both ends; without one it would never exit."""
    if os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER:
        return
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        click.echo(
            "ccgtui: the explorer needs a terminal (stdin and stdout); in scripts and pipes "
            "use a command such as `ccgtui list` or `ccgtui show CASE` (`ccgtui --help` lists "
            "them)",
            err=True,
        )
        raise SystemExit(2)


def run_tui(env: Env, *, open_case: str | None = None, present: bool = False) -> None:
    from ccgtui.prefs import config_path
    from ccgtui.tui.app import make_app

    app = make_app(
        db=env.db, cases=env.cases, config=config_path(), start_case=open_case, present=present
    )
    app.run()
    # When there is no good data the app exits at once; say why, as the CLI would.
    if app.exit_message:
        click.echo(app.exit_message, err=True)
    if app.return_code:
        raise SystemExit(app.return_code)
