"""Start the Textual app; the only place the CLI touches Textual."""

from __future__ import annotations

import click

from ccgtui.cli.context import Env


def run_tui(env: Env) -> None:
    from ccgtui.tui.app import make_app

    app = make_app(db=env.db, cases=env.cases)
    app.run()
    # When there is no good data the app exits at once; say why, as the CLI would.
    if app.exit_message:
        click.echo(app.exit_message, err=True)
    if app.return_code:
        raise SystemExit(app.return_code)
