"""What `ccgtui serve` runs and where it may listen; imports neither Textual nor textual-serve."""

from __future__ import annotations

import ipaddress
import shlex
import socket
import sys
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8470  # away from the 8000/8080 that development servers usually take


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: it may resolve to any interface


def app_command(db: Path | None, cases: Path | None) -> str:
    """The shell command textual-serve starts for each browser tab.

    The same interpreter runs it (``sys.executable -m ccgtui``), so the tab gets the
    install that serves it; paths are absolute because the server may change folder.
    """
    argv = [sys.executable, "-m", "ccgtui"]
    if db is not None:
        argv += ["--db", str(db.expanduser().absolute())]
    if cases is not None:
        argv += ["--cases", str(cases.expanduser().absolute())]
    return shlex.join(argv)


def free_port(host: str) -> int:
    """A port nothing listens on now (for ``--port 0``).

    textual-serve binds by number itself, so the port is released before it does;
    on a loopback address another program taking it in between is unlikely.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.bind((host.strip("[]"), 0))
        port: int = probe.getsockname()[1]
        return port


def page_url(host: str, port: int) -> str:
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    return f"http://{shown}:{port}/"
