"""An unexpected error in the explorer ends in a one-line notice, not a dead app.

Textual's default for an uncaught exception is to exit with a traceback: in a meeting
that loses the user's place for a bug in one screen.  The app and every screen and
widget of ours catch what their message handlers raise and report it in one line
(the app's ``catch_errors``); the tests turn ``catch_errors`` off so that genuine
programming errors still fail them, and a test can turn it on to check the notice.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.message import Message
from textual.message_pump import MessagePump

from ccgtui.safe_text import clean_line

NOTICE_CHARS = 160


def notice(error: BaseException) -> str:
    """One line saying what went wrong (the message may quote untrusted text)."""
    text = clean_line(f"{type(error).__name__}: {error}").strip()
    if len(text) > NOTICE_CHARS:
        text = text[: NOTICE_CHARS - 1] + "…"
    return f"Something went wrong ({text}); the explorer carries on"


def report(app: App[Any], error: Exception) -> bool:
    """Show ``error`` as a notice if the app catches errors; False if it must propagate."""
    if not getattr(app, "catch_errors", False):
        return False
    app.log.error(error)
    app.notify(notice(error), severity="error", markup=False, timeout=10)
    return True


class Guarded(MessagePump):
    """Mixin for our screens and widgets: a handler that raises does not stop this pump.

    Textual ends a widget's message loop (and the app) on an uncaught exception; caught
    here, the widget keeps handling its messages.
    """

    async def _dispatch_message(self, message: Message) -> None:
        try:
            await super()._dispatch_message(message)
        except Exception as error:
            if not report(self.app, error):
                raise
