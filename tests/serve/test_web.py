"""The download name under `ccgtui serve` goes into an HTTP header unquoted."""

from __future__ import annotations

from ccgtui.tui.web import download_name


def test_an_ordinary_export_name_is_kept() -> None:
    assert download_name("ccgtui-matrix-sectors.md") == "ccgtui-matrix-sectors.md"


def test_a_name_cannot_break_the_header() -> None:
    assert download_name("a b;\r\nSet-Cookie: x=1.md") == "a-b-Set-Cookie-x-1.md"
    assert download_name("../..") == "ccgtui-export.txt"
