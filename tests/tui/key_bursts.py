"""Keys sent the way a fast typist sends them: all queued before the app reads the first.

``Pilot.press`` waits for the app to settle after every key, which hides what happens
when keys arrive faster than screens open (type-ahead in a meeting).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from textual import events
from textual.app import App
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key


def key_event(key: str) -> events.Key:
    """The event Textual's driver would post for ``key`` (a character or a key name)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    char: str | None
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


def burst(app: App[Any], keys: Iterable[str]) -> None:
    """Queue every key at once on the driver, as a terminal delivers typed-ahead keys."""
    driver = app._driver
    assert driver is not None
    for key in keys:
        event = key_event(key)
        event.set_sender(app)
        driver.send_message(event)
