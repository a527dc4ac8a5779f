"""Hostile text in REFI-QDA exports: markup, <, &, quotes, controls XML cannot carry.

Each value goes into every field the project writes (case label, statement text,
stage title, partner organisation, theme, source title and notes, the user's note
and tag).  The project must still validate against the official XSD, the text must
come back as the same characters (controls dropped), and offsets must still slice
out each statement.  Cases are built with ``model_construct`` too, as if the
loader's cleaning had been skipped.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xmlschema

from ccgtui.export import Selection
from ccgtui.export.formats import Options, render, render_bytes
from ccgtui.export.qdpx import PROJECT_NS, xml_text
from ccgtui.model import (
    Case,
    CaseKind,
    Dataset,
    Level,
    Partner,
    Sector,
    Source,
    SourceType,
    Stage,
    Statement,
    Study,
)
from ccgtui.userdata import Note

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "refi-qda"
PROJECT_XSD = xmlschema.XMLSchema(SCHEMAS / "Project.xsd")
CODEBOOK_XSD = xmlschema.XMLSchema(SCHEMAS / "Codebook.xsd")
Q = f"{{{PROJECT_NS}}}"

HOSTILE = [
    "<script>alert('x')</script> & <b>&amp; ]]> <!-- -->",
    '"quoted" \'single\' <?xml version="1.0"?> <!DOCTYPE x [<!ENTITY e "boom">]> &e;',
    "\x1b]0;pwned\x07 escape, \x00 NUL, \x0b VT, \x9b C1, \ufffe \uffff",
    "cr\rlf\r\nand lone\rcarriage returns",
    "[bold]markup[/] [link=http://evil]y[/link] [@click=app.quit]z[/]",
    "surrogate-free astral 𝒳 and bidi \u202e override",
]


def hostile_dataset(text: str) -> Dataset:
    """Every field a qdpx export writes, holding ``text`` (built without validation)."""
    statement = Statement.model_construct(text=text, sources=["bad"], unverified=True)
    stage = Stage.model_construct(
        id="s1", title=text, text=text, sources=["bad"], sectors=[Sector.social_work]
    )
    partner = Partner.model_construct(
        id=None, sector=Sector.other, organisation=text, role=text, text=text, sources=["bad"]
    )
    case = Case.model_construct(
        id="hostile",
        study="st",
        kind=CaseKind.scoping,
        label=text,
        illustrative=False,
        summary=statement,
        place=Statement.model_construct(text=text, sources=[]),
        population=Statement.model_construct(text="", unknown=True, sources=[]),
        service_area=statement,
        period=None,
        methods=[statement],
        story=[stage],
        arenas={},
        partners=[partner],
        sectors_unknown=None,
        enablers=[statement],
        barriers=[],
        outcomes=[],
        findings=[],
        themes=[text, "plain"],
    )
    source = Source.model_construct(
        id="bad",
        type=SourceType.report,
        authors=[text],
        year=2020,
        title=text,
        container=text,
        doi=None,
        url=text,
        level=Level.unverified,
        illustrative=False,
        notes=[text],
        variants=[],
    )
    study = Study.model_construct(id="st", title=text, short_title=text)
    return Dataset.model_construct(studies=[study], sources=[source], cases=[case])


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_is_escaped_and_the_project_still_validates(text: str) -> None:
    dataset = hostile_dataset(text)
    note = Note(id=1, target="case:hostile", text=text, created="not a date", updated="")
    options = Options(notes=[note], bookmarks=[])
    selection = Selection(dataset, cases=list(dataset.cases), tags={"hostile": [text]})
    data = render_bytes("qdpx", selection, options)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        qde = archive.read("project.qde").decode("utf-8")
        (source_name,) = [n for n in archive.namelist() if n.startswith("sources/")]
        source_text = archive.read(source_name).decode("utf-8")
    PROJECT_XSD.validate(qde)
    CODEBOOK_XSD.validate(render("qdc", selection, Options()))

    root = ET.fromstring(qde)  # parses: nothing broke out of its element or attribute
    assert root.findtext(f"{Q}Notes/{Q}Note/{Q}PlainTextContent") == xml_text(text)
    case_el = root.find(f"{Q}Cases/{Q}Case")
    assert case_el is not None and case_el.get("name") == xml_text(text, one_line=True)
    assert "Tag: " + xml_text(text, one_line=True) in {s.get("name") for s in root.iter(f"{Q}Set")}
    assert "\x1b" not in qde and "\x00" not in qde and "\r" not in source_text
    for sel in root.iter(f"{Q}PlainTextSelection"):
        start, end = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
        if sel.get("name") != "hostile/population":  # the one unknown, with empty text
            assert source_text[start:end] == xml_text(text), sel.get("name")
    # Every reference resolves to an element of the project.
    guids = {el.get("guid") for el in root.iter()}
    assert {r.get("targetGUID") for r in root.iter() if r.get("targetGUID")} <= guids
