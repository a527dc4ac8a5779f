"""Untrusted text made safe to show: one home for every print, problem message and TUI text.

Case files, notes files, index files, YAML keys and file names all come from other people
(shared folders, ``db restore``, a team ``--db``). Nothing read from them may reach the
terminal as a control sequence: an ESC can retitle the window, write the clipboard (OSC 52)
or clear the screen; bidi overrides and zero-width characters make an id look like another.

- :func:`clean` for prose (keeps newline and tab unless told otherwise);
- :func:`clean_line` for one-line labels and cells;
- :func:`clean_id` for identifiers and labels, also dropping bidi and zero-width characters;
- :func:`show_name` for file names and mapping keys in messages, ``repr``-style escaped so
  that what was hidden is visible (``'\\x1b]0;pwned\\x07'``).

This module imports nothing from the project, so every layer may use it.
"""

from __future__ import annotations

import os
import re

# C0 except tab/newline, DEL, C1.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_ALL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Bidi embeddings/overrides/isolates, zero-width space/joiners, word joiner, BOM, LRM/RLM/ALM.
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u061c]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Anything clean() would change (CR of CRLF is a control character too).
_ATTENTION = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_ATTENTION_ALL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_NEEDS_ESCAPE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u061c]"
    r"|[\udc80-\udcff]"
)


def clean(text: object, *, keep_newlines: bool = True) -> str:
    """Drop C0/C1 control characters (escape codes, NUL, ...); keep newline and tab if asked."""
    value = "" if text is None else str(text)
    if not (_ATTENTION if keep_newlines else _ATTENTION_ALL).search(value):
        return value  # nearly all text: one pass, unchanged (the loader cleans every value)
    value = _surrogates_visible(value)
    if keep_newlines:
        return _CONTROL.sub("", value.replace("\r\n", "\n"))
    return _CONTROL_ALL.sub("", value.replace("\r\n", " ").replace("\n", " ").replace("\t", " "))


def clean_line(text: object) -> str:
    """One line of literal text: line breaks and tabs become spaces, controls dropped."""
    return clean(text, keep_newlines=False)


def clean_id(text: object) -> str:
    """An identifier or label: one line, controls, bidi overrides and zero-width chars dropped."""
    return _INVISIBLE.sub("", clean_line(text))


def show_name(name: object) -> str:
    """A file name or mapping key for a message: plain if harmless, else ``repr``-escaped.

    Paths are shown relative as given; bytes that were not valid UTF-8 in a file name
    (surrogate escapes) are shown as ``\\xNN`` rather than crashing the print.
    """
    text = os.fsdecode(name) if isinstance(name, bytes | os.PathLike) else str(name)
    if not _NEEDS_ESCAPE.search(text):
        return text
    return "'" + "".join(_escape_char(ch) for ch in text) + "'"


def _escape_char(ch: str) -> str:
    if "\udc80" <= ch <= "\udcff":  # an undecodable byte kept by surrogateescape
        return f"\\x{ord(ch) - 0xDC00:02x}"
    if _NEEDS_ESCAPE.match(ch) or ch in "\\'":
        return ch.encode("unicode_escape").decode("ascii") if ch != "'" else "\\'"
    return ch


def is_clean(text: str) -> bool:
    """True if ``text`` holds no byte a terminal could act on (newline and tab allowed)."""
    return not _CONTROL.search(text) and "\x1b" not in text


def _surrogates_visible(text: str) -> str:
    """Lone surrogates (undecodable file-name bytes) would crash an encoder: show them."""
    if not _SURROGATE.search(text):  # a regex: a per-character loop doubled load times
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
