"""`ccgtui serve`: the explorer in a browser; textual-serve is imported only when it runs."""

from __future__ import annotations

import importlib.util
import sys

import click

from ccgtui.cli.context import Env, NotFound, pass_env
from ccgtui.serve.command import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    app_command,
    free_port,
    is_loopback,
    page_url,
)

NO_LOGIN = (
    "textual-serve has no login: anyone who can reach the port gets the explorer, "
    "and with it your notes"
)


@click.command()
@click.option(
    "--host",
    default=DEFAULT_HOST,
    show_default=True,
    help="Address to listen on; anything but loopback also needs --allow-remote.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="Port to listen on; 0 picks a free one (the URL is printed).",
)
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Listen on a --host other machines can reach (no login: read the warning above).",
)
@pass_env
def serve(env: Env, host: str, port: int, allow_remote: bool) -> None:
    """Serve the explorer to a web browser, for a meeting-room screen.

    Each browser tab runs its own explorer on this machine, with the same --db and
    --cases.  It listens on 127.0.0.1 only: textual-serve has no login, so anyone who
    reaches the port reaches your notes.  To show it on another machine, use an SSH
    tunnel rather than --allow-remote.  Examples:

    \b
      ccgtui serve                              then open http://127.0.0.1:8470/
      ssh -L 8470:127.0.0.1:8470 you@this-host  on the other machine, then the same URL
      ccgtui --cases ./my-cases serve --port 0  pick a free port
    """
    if not is_loopback(host) and not allow_remote:
        click.echo(
            f"ccgtui: refusing to serve on {host!r}: {NO_LOGIN}.  Use an SSH tunnel to "
            "127.0.0.1, or add --allow-remote if everyone on that network may read them",
            err=True,
        )
        raise SystemExit(2)
    if importlib.util.find_spec("textual_serve") is None:
        raise NotFound("ccgtui serve needs textual-serve: pip install 'ccgtui[serve]'")
    try:
        chosen = port or free_port(host)
    except OSError as exc:
        raise NotFound(f"cannot listen on {host}: {exc.strerror or exc}") from exc
    url = page_url(host, chosen)
    if not is_loopback(host):
        click.echo(f"ccgtui: warning: {NO_LOGIN}", err=True)
    click.echo(f"ccgtui: serving the explorer at {url} (Ctrl+C stops)")
    # A test or a script waits for this line before it connects.
    sys.stdout.flush()

    from ccgtui.serve.server import serve as run_server

    try:
        run_server(app_command(env.db, env.cases), host, chosen, url)
    except OSError as exc:  # the port is taken, or the address is not this machine's
        raise NotFound(f"cannot listen on {url}: {exc.strerror or exc}") from exc
