"""Run textual-serve with ccgtui's own page (imported only by `ccgtui serve`)."""

from __future__ import annotations

from pathlib import Path

import textual_serve
from aiohttp import web
from textual_serve.server import Server

TEMPLATES = Path(__file__).parent / "templates"
# The JavaScript, the terminal's CSS and the Roboto Mono fonts textual-serve ships.
STATICS = Path(textual_serve.__file__).parent / "static"


class LocalServer(Server):
    """textual-serve with a page that loads nothing from another machine."""

    async def on_startup(self, app: web.Application) -> None:
        # The base class prints a banner with the whole command line; the CLI has
        # already said where the explorer is.
        return None


def serve(command: str, host: str, port: int, url: str) -> None:
    server = LocalServer(
        command,
        host=host.strip("[]"),
        port=port,
        title="ccgtui",
        public_url=url.rstrip("/"),
        statics_path=STATICS,
        templates_path=TEMPLATES,
    )
    server.serve()
