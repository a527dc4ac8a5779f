"""Keys typed in a burst, or before the main screen is ready, go where they were meant to.

:class:`KeyBursts` is the app's base class: it holds keys typed while the data
loads and sends them again, in order, once the main screen takes them
(:meth:`KeyBursts._replay_typeahead`), and reads again a key that comes back from a
screen another screen now covers (see :meth:`KeyBursts.on_event`).
"""

from __future__ import annotations

from textual import events
from textual.app import App
from textual.message import Message

_SENT_TO = "_ccgtui_sent_to"  # on a key event: the screen it was sent to when read
_REPLAYED = "_ccgtui_replayed"  # on a key event: typed ahead of the main screen, sent now
TYPEAHEAD_KEYS = 2000  # typed while loading: more than this are dropped whole, with a notice
QUIT_KEYS = frozenset({"ctrl+c", "ctrl+q"})  # never held: a slow load can still be left


class KeyBursts(App[None]):
    class TypeaheadReplayed(Message):
        """Every held key so far has been sent again (and is queued before this)."""

    def __init__(self) -> None:
        super().__init__()
        self._typeahead: list[events.Key] | None = []
        """Keys typed before the main screen was ready; ``None`` once they are replayed."""
        self._typeahead_lost = 0

    async def on_event(self, event: events.Event) -> None:
        """Keys typed in one burst go where the user meant them to go.

        Textual sends a key to the screen that has the focus when the key is read,
        but a key's binding runs only when the key comes back up to the app.  In a
        burst such as ``n q u i c k`` every key is read before ``n`` has opened the
        note dialog, so ``q u i c k`` would come back from the screen below it and be
        checked against the dialog's bindings: lost, or worse (``q`` quit before the
        dialog opened at once).  A key that comes back from a screen that another
        screen now covers is read again, so it goes to the screen on top (its
        priority keys such as ``ctrl+s`` included), in the order typed.  A key that
        comes back from a screen that has closed meanwhile was meant for it: it is
        dropped, not sent to the screen below.
        """
        if isinstance(event, events.Key):
            if self._hold(event):
                return
            if not event.is_forwarded:
                setattr(event, _SENT_TO, self.screen)
            else:
                sent_to = getattr(event, _SENT_TO, None)
                if sent_to is not None and sent_to is not self.screen:
                    if sent_to not in self.screen_stack:
                        return  # its screen has closed
                    again = events.Key(event.key, event.character)
                    again.set_sender(self)
                    self.post_message(again)
                    return
        await super().on_event(event)

    # -- keys typed before the main screen is ready ------------------------------

    def _hold(self, event: events.Key) -> bool:
        """Keep a key typed while loading (it was meant for the main screen, not the
        loading screen under it); True if held."""
        if (
            self._typeahead is None
            or event.is_forwarded
            or getattr(event, _REPLAYED, False)
            or event.key in QUIT_KEYS
        ):
            return False
        if self._typeahead_lost or len(self._typeahead) >= TYPEAHEAD_KEYS:
            self._typeahead_lost += len(self._typeahead) + 1  # dropped whole, not cut short
            self._typeahead.clear()
        else:
            self._typeahead.append(event)
        return True

    def _replay_typeahead(self) -> None:
        """Send the held keys again, in order, now that the main screen takes them."""
        assert self._typeahead is not None
        held, self._typeahead = self._typeahead, []
        if self._typeahead_lost:
            self.notify(
                f"{self._typeahead_lost} keys typed while loading were dropped (too many "
                "to replay safely); type them again",
                severity="warning",
                markup=False,
            )
            self._typeahead_lost = 0
        for key in held:
            again = events.Key(key.key, key.character)
            setattr(again, _REPLAYED, True)
            again.set_sender(self)
            self.post_message(again)
        self.post_message(self.TypeaheadReplayed())

    def on_key_bursts_typeahead_replayed(self, message: TypeaheadReplayed) -> None:
        # Keys typed while the held ones were being sent were held too: send them next.
        if self._typeahead or self._typeahead_lost:
            self._replay_typeahead()
        else:
            self._typeahead = None
