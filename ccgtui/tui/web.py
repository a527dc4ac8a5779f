"""Under `ccgtui serve` (``app.is_web``) files go to the browser, not to the server's disk."""

from __future__ import annotations

import io
import re

from textual.app import App

# textual-serve puts the name in a Content-Disposition header unquoted.
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def download_name(name: str) -> str:
    """``name`` reduced to characters any header and any file system take."""
    return _UNSAFE.sub("-", name).strip(".-") or "ccgtui-export.txt"


def deliver_download(app: App[object], text: str, file_name: str) -> str:
    """Send ``text`` to the browser as a download (call on the app's thread); say so."""
    name = download_name(file_name)
    app.deliver_text(io.StringIO(text), save_filename=name, encoding="utf-8")
    return f"Sent {name} to the browser's downloads"
