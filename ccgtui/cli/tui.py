"""Start the Textual app; the only place the CLI touches Textual."""

from __future__ import annotations

from ccgtui.cli.context import Env


def run_tui(env: Env) -> None:
    from ccgtui.tui.app import make_app

    app = make_app(db=env.db, cases=env.cases)
    app.run()
