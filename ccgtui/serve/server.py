"""Run textual-serve with ccgtui's own page (imported only by `ccgtui serve`)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import textual_serve
from aiohttp import web
from textual_serve.server import Server

TEMPLATES = Path(__file__).parent / "templates"
# The JavaScript, the terminal's CSS and the Roboto Mono fonts textual-serve ships.
STATICS = Path(textual_serve.__file__).parent / "static"


class LocalServer(Server):
    """textual-serve with a page that loads nothing from another machine, and a
    Ctrl+C that ends the open tabs' explorers instead of waiting for the tabs to close."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._tabs: set[asyncio.BaseTransport] = set()  # each open tab's connection

    async def on_startup(self, app: web.Application) -> None:
        # The base class prints a banner with the whole command line; the CLI has
        # already said where the explorer is.
        return None

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        transport = request.transport
        if transport is not None:
            self._tabs.add(transport)
        try:
            return await super().handle_websocket(request)
        finally:
            self._tabs.discard(transport)  # type: ignore[arg-type]

    async def on_shutdown(self, app: web.Application) -> None:
        # aiohttp waits for open handlers; dropping each tab's connection makes
        # textual-serve quit that tab's explorer, so the server can stop.
        for transport in list(self._tabs):
            transport.close()


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
