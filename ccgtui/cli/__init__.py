"""The click command line.  Nothing here imports Textual: the TUI is imported
inside the one function that starts it, so scripted use stays fast and headless.
"""

from ccgtui.cli.main import cli, main

__all__ = ["cli", "main"]
