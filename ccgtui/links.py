"""Where a source can be read: its DOI or web address, for `ccgtui open` and the explorer."""

from __future__ import annotations

from urllib.parse import quote

from ccgtui.export.markdown import web_link
from ccgtui.model import Source


def source_link(source: Source) -> str | None:
    """The address to open: the DOI resolver's if there is a DOI, else the URL.

    Only a plain http(s) address comes out (``web_link`` refuses ``javascript:``,
    spaces, quotes...), whatever the loader let through.
    """
    if source.doi:
        link = web_link(f"https://doi.org/{quote(source.doi, safe='/:;()._-')}")
        if link:
            return link
    return web_link(source.url) if source.url else None
