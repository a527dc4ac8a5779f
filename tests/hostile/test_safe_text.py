"""The one display-cleaning function: what it removes and how it shows names."""

from __future__ import annotations

from ccgtui.safe_text import clean, clean_id, clean_line, is_clean, show_name

ATTACKS = ["\x1b]0;pwned\x07", "\x1b]52;c;SGVsbG8=\x07", "\x1b[2J", "\x9b31m", "\x00nul"]


def test_clean_removes_every_terminal_control_but_keeps_lines() -> None:
    for attack in ATTACKS:
        assert is_clean(clean(f"before {attack} after"))
    assert clean("a\nb\tc") == "a\nb\tc"
    assert clean_line("a\nb\tc") == "a b c"


def test_clean_id_drops_bidi_overrides_and_zero_width() -> None:
    assert clean_id("ad\u202emin\u200b\u2066x") == "adminx"


def test_show_name_escapes_hidden_characters_visibly() -> None:
    assert show_name("ok.yaml") == "ok.yaml"
    shown = show_name("\x1b]0;pwned\x07.yaml")
    assert shown == "'\\x1b]0;pwned\\x07.yaml'"
    assert is_clean(shown)
    assert show_name(b"bad\xff.yaml") == "'bad\\xff.yaml'"
    assert show_name("x\u202ey") == "'x\\u202ey'"
