"""``ccgtui import qdpx`` of hostile or broken files (issue 17): each refused with exit
1, one line naming the member and the problem, no traceback, and nothing written
(no folder, no staging folder left beside it).

Zip bombs (a ratio, a member over its limit, a total over the limit), path traversal
in member names and in ``plainTextPath``, DTDs and entities (billion laughs, an
external entity), text that is not UTF-8, missing or doubled members, bad offsets;
and names holding markup and escape codes, imported and reported literally.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ccgtui import qdpx_read
from ccgtui.cli import cli
from ccgtui.export import Selection
from ccgtui.export.formats import Options, render_bytes
from ccgtui.loader import load_folder
from ccgtui.refi import xml_text
from ccgtui.safe_text import clean_id
from tests.hostile.case_folders import terminal_safe
from tests.hostile.qdpx_files import INTERVIEW, G, foreign_qde, qdpx_bytes
from tests.hostile.test_exchange_qdpx import HOSTILE as HOSTILE_TEXTS
from tests.hostile.test_exchange_qdpx import hostile_dataset

TEXT_MEMBER = f"sources/{G.format(30)}.txt"


def _import(tmp_path: Path, data: bytes) -> tuple[Result, Path]:
    qdpx = tmp_path / "in.qdpx"
    qdpx.write_bytes(data)
    out = tmp_path / "out"
    return CliRunner().invoke(cli, ["import", "qdpx", str(qdpx), "-o", str(out)]), out


def _refused(tmp_path: Path, data: bytes, *expected: str) -> str:
    result, out = _import(tmp_path, data)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # no traceback
    message = result.stderr
    assert message.startswith("ccgtui: ") and message.count("\n") == 1, message
    assert "nothing was written" in message
    for text in expected:
        assert text in message, message
    assert terminal_safe((result.stdout + message).encode())
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]  # no staging left
    return message


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_the_friendly_file_imports(tmp_path: Path) -> None:
    """The baseline the refusals below change one thing of."""
    result, out = _import(tmp_path, qdpx_bytes(foreign_qde()))
    assert result.exit_code == 0, result.output
    assert len(load_folder(out).cases) == 1


def test_a_zip_bomb_is_refused_by_its_ratio(tmp_path: Path) -> None:
    bomb = _zip({"project.qde": foreign_qde().encode(), TEXT_MEMBER: b"\0" * (8 * 2**20)})
    assert len(bomb) < 50_000  # 8 MB of text in a small file
    _refused(tmp_path, bomb, TEXT_MEMBER, "compressed", "zip bomb")


def test_a_member_over_its_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(qdpx_read, "MAX_SOURCE_BYTES", len(INTERVIEW) - 1)
    _refused(tmp_path, qdpx_bytes(foreign_qde()), TEXT_MEMBER, "over the", "limit")


def test_a_project_over_its_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(qdpx_read, "MAX_QDE_BYTES", 1000)
    _refused(tmp_path, qdpx_bytes(foreign_qde()), "project.qde", "limit")


def test_the_total_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(qdpx_read, "MAX_TOTAL_BYTES", len(foreign_qde()) + 10)
    _refused(tmp_path, qdpx_bytes(foreign_qde()), TEXT_MEMBER, "over")


def test_a_size_that_lies_is_not_trusted(tmp_path: Path) -> None:
    """The central directory says the text is 10 bytes: reading stops there and the
    zip's own CRC check refuses it; the declared size is never the only guard."""
    data = bytearray(qdpx_bytes(foreign_qde()))
    name = TEXT_MEMBER.encode()
    header = data.rindex(name) - 46  # the central directory's entry: 46 bytes, then the name
    assert data[header : header + 4] == b"PK\x01\x02"
    data[header + 24 : header + 28] = (10).to_bytes(4, "little")  # uncompressed size
    _refused(tmp_path, bytes(data), "not a readable zip archive")


@pytest.mark.parametrize(
    "name", ["../evil.txt", "/etc/evil.txt", "sources\\..\\evil.txt", "C:/evil.txt", "a/../../b"]
)
def test_member_names_outside_the_project_are_refused(tmp_path: Path, name: str) -> None:
    data = _zip(
        {"project.qde": foreign_qde().encode(), TEXT_MEMBER: INTERVIEW.encode(), name: b"x"}
    )
    _refused(tmp_path, data, "a path outside the project")


def test_a_source_path_outside_the_project_is_refused(tmp_path: Path) -> None:
    qde = foreign_qde().replace(f"internal://{G.format(30)}.txt", "internal://../../etc/passwd")
    _refused(tmp_path, qdpx_bytes(qde), "../../etc/passwd", "outside the project")


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol3;"/>"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE p [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&xxe;"/>"""


@pytest.mark.parametrize("qde", [BILLION_LAUGHS, EXTERNAL, "<!doctype x><Project/>"])
def test_dtds_and_entities_are_refused_before_parsing(tmp_path: Path, qde: str) -> None:
    _refused(tmp_path, qdpx_bytes(qde), "project.qde", "DOCTYPE declaration (refused)")


def test_an_entity_without_a_doctype_is_refused_too(tmp_path: Path) -> None:
    _refused(tmp_path, qdpx_bytes('<Project><!ENTITY e "x"></Project>'), "ENTITY declaration")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (foreign_qde().encode("utf-16"), "not UTF-8"),
        (b"<Project><unclosed></Project>", "not well-formed XML"),
        (b'<Other xmlns="x"/>', "not a QDA-XML project"),
    ],
    ids=["utf-16", "not-well-formed", "not-a-project"],
)
def test_bad_xml_is_refused(tmp_path: Path, data: bytes, expected: str) -> None:
    _refused(tmp_path, qdpx_bytes(data), "project.qde", expected)


def test_a_missing_source_member_is_refused(tmp_path: Path) -> None:
    _refused(tmp_path, qdpx_bytes(foreign_qde(), members={}), TEXT_MEMBER, "missing")


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        ({"readme.txt": b"hello"}, "expected one project .qde at the archive's root, found none"),
        (
            {"project.qde": b"<Project/>", "other.qde": b"<Project/>"},
            "found project.qde, other.qde",
        ),
        ({"project.qde": b"<Project/>", "PROJECT.QDE": b"<Project/>"}, "appears twice"),
    ],
    ids=["none", "two", "twice"],
)
def test_wrong_members_are_refused(
    tmp_path: Path, members: dict[str, bytes], expected: str
) -> None:
    _refused(tmp_path, _zip(members), expected)


def test_an_encrypted_member_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("project.qde")
        info.flag_bits |= 0x1
        archive.writestr(info, foreign_qde())
    _refused(tmp_path, buffer.getvalue(), "project.qde", "encrypted")


def test_not_a_zip_is_refused(tmp_path: Path) -> None:
    _refused(tmp_path, b"PK\x03\x04 not really", "not a readable zip archive")


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (10, 5, "positions 10..5 are outside its source"),
        (0, 10_000, f"positions 0..10000 are outside its source of a {len(INTERVIEW)}-character"),
        (-1, 5, "outside its source"),
        ("x", 5, "not whole numbers"),
    ],
)
def test_bad_offsets_are_refused(tmp_path: Path, start: object, end: object, expected: str) -> None:
    qde = foreign_qde(start=start, end=end)  # type: ignore[arg-type]
    _refused(tmp_path, qdpx_bytes(qde), "selection first", expected)


HOSTILE_NAME = "[bold red]boss[/] &lt;b&gt;&amp;amp;&lt;/b&gt; \u202e"  # as in an attribute


def test_markup_in_names_is_kept_as_text_and_shown_literally(tmp_path: Path) -> None:
    qde = foreign_qde(case_name=HOSTILE_NAME, code_name="[link=http://x]code[/link]")
    text = INTERVIEW.replace("first priority", "first \x1b[2J\x1b]0;pwned\x07priority")
    members = {TEXT_MEMBER: text.encode()}
    result, out = _import(tmp_path, qdpx_bytes(qde, members))
    assert result.exit_code == 0, result.output
    assert terminal_safe((result.stdout + result.stderr).encode())
    assert "[bold red]boss[/] <b>&amp;</b>" in result.stderr  # markup printed as text
    (case,) = load_folder(out).cases
    assert case.label.startswith("[bold red]boss[/] <b>&amp;</b>") and "\u202e" not in case.label
    assert case.themes[0] == "[link=http://x]code[/link]"
    assert all(terminal_safe(f.text.encode()) for f in case.findings)


def test_escape_codes_in_a_member_name_are_refused_and_shown_escaped(tmp_path: Path) -> None:
    data = _zip({"project.qde": foreign_qde().encode(), "sources/\x1b]0;pwned\x07.txt": b"x"})
    message = _refused(tmp_path, data, "control characters in its name")
    assert "\\x1b" in message


@pytest.mark.parametrize("text", HOSTILE_TEXTS, ids=range(len(HOSTILE_TEXTS)))
def test_a_hostile_ccgtui_export_imports_to_a_valid_folder(tmp_path: Path, text: str) -> None:
    """Every field of the export holding markup, <, &, controls: the import is valid,
    its output terminal-safe, and each statement's text is what the export carried."""
    dataset = hostile_dataset(text)
    data = render_bytes("qdpx", Selection(dataset, cases=list(dataset.cases)), Options())
    result, out = _import(tmp_path, data)
    assert result.exit_code == 0, result.output
    assert terminal_safe((result.stdout + result.stderr).encode())
    (case,) = load_folder(out).cases
    assert case.summary is not None and case.summary.text == xml_text(text).strip()
    title = clean_id(xml_text(text, one_line=True)).strip()  # a label drops bidi overrides too
    assert isinstance(case.story, list) and case.story[0].title == title
