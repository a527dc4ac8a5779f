"""JSON text safe to print: lossless, yet with nothing a terminal could act on.

``json.dumps(..., ensure_ascii=False)`` keeps non-ASCII readable but writes C1 controls
(U+0080–U+009F: ``\\x9b`` is an 8-bit CSI to some terminals), bidi overrides and
zero-width characters raw.  Here they become ``\\uXXXX`` escapes, which every JSON
reader turns back into the same text: the data is unchanged, the terminal shows
the escape.  (``json`` already escapes C0 controls, ESC included.)
"""

from __future__ import annotations

import json
import re
from typing import Any

# Outside strings JSON is ASCII, so every match is inside a string and may be escaped.
_UNSAFE = re.compile(
    r"[\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u061c"
    r"\ud800-\udfff]"  # lone surrogates (undecodable file-name bytes) would not even encode
)


def json_text(data: Any, *, indent: int | None = 2, sort_keys: bool = False) -> str:
    """``data`` as JSON (no trailing newline), invisible and control characters escaped."""
    text = json.dumps(data, ensure_ascii=False, indent=indent, sort_keys=sort_keys)
    return made_safe(text)


def compact_json(data: Any) -> str:
    """``json_text`` without spaces, by the C encoder (``indent`` makes json use Python's)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return made_safe(text)


def made_safe(text: str) -> str:
    """JSON text with invisible and control characters escaped (see the module docstring)."""
    if text.isascii() and "\x7f" not in text:  # the one unsafe ASCII character (C speed)
        return text  # most records: 10k of them scanned by the regex took 0.3 s (issue 16)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
