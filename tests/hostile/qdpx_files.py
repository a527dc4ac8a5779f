"""Small REFI-QDA projects built by hand, as another tool would write them, for the
``import qdpx`` tests (friendly and hostile)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

NS = "urn:QDA-XML:project:1.0"
G = "00000000-0000-4000-8000-{:012d}"  # GUIDs by number: G.format(1)

INTERVIEW = (
    "Interviewer: How did the board start?\n"
    "GP chair: We made frailty our first priority in 2014.\n"
    "Interviewer: And the council?\n"
    "GP chair: Social workers joined the huddles later.\n"
)
FIRST = "We made frailty our first priority in 2014."
SECOND = "Social workers joined the huddles later."


def foreign_qde(
    case_name: str = "Northtown CCG",
    code_name: str = "Priority setting",
    extra: str = "",
    start: int | str | None = None,
    end: int | str | None = None,
) -> str:
    """A QualCoder/NVivo-style project: one case, two variables, one interview coded
    twice, a PDF source, a note and a second, uncoded text source held inline."""
    s1 = INTERVIEW.index(FIRST) if start is None else start
    e1 = INTERVIEW.index(FIRST) + len(FIRST) if end is None else end
    s2 = INTERVIEW.index(SECOND)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="{NS}" name="Frailty &amp; leadership" origin="QualCoder 3.5">
  <CodeBook><Codes>
    <Code guid="{G.format(1)}" name="Leadership" isCodable="true">
      <Code guid="{G.format(2)}" name="{code_name}" isCodable="true"/>
      <Code guid="{G.format(3)}" name="Partnership" isCodable="true"/>
    </Code>
    <Code guid="{G.format(4)}" name="Never used" isCodable="true"/>
    <Code guid="{G.format(5)}" name="Whole document" isCodable="true"/>
  </Codes></CodeBook>
  <Variables>
    <Variable guid="{G.format(10)}" name="Place" typeOfVariable="Text"/>
    <Variable guid="{G.format(11)}" name="Region" typeOfVariable="Text"/>
    <Variable guid="{G.format(12)}" name="Population" typeOfVariable="Text"/>
  </Variables>
  <Cases>
    <Case guid="{G.format(20)}" name="{case_name}">
      <VariableValue><VariableRef targetGUID="{G.format(10)}"/>
        <TextValue>Northtown</TextValue></VariableValue>
      <VariableValue><VariableRef targetGUID="{G.format(11)}"/>
        <TextValue>North</TextValue></VariableValue>
      <VariableValue><VariableRef targetGUID="{G.format(12)}"/></VariableValue>
      <SourceRef targetGUID="{G.format(30)}"/>
      <SourceRef targetGUID="{G.format(32)}"/>
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="{G.format(30)}" name="Interview 1" plainTextPath="internal://{G.format(30)}.txt">
      <PlainTextSelection guid="{G.format(40)}" name="first"
          startPosition="{s1}" endPosition="{e1}">
        <Description>The chair's own words.</Description>
        <Coding guid="{G.format(50)}"><CodeRef targetGUID="{G.format(2)}"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="{G.format(41)}"
          startPosition="{s2}" endPosition="{s2 + len(SECOND)}">
        <Coding guid="{G.format(51)}"><CodeRef targetGUID="{G.format(3)}"/></Coding>
      </PlainTextSelection>
    </TextSource>
    <PDFSource guid="{G.format(31)}" name="Minutes.pdf" path="internal://{G.format(31)}.pdf"/>
    <TextSource guid="{G.format(32)}" name="Field notes">
      <PlainTextContent>No passage coded here.</PlainTextContent>
      <Coding guid="{G.format(52)}"><CodeRef targetGUID="{G.format(5)}"/></Coding>
    </TextSource>
  </Sources>
  <Notes><Note guid="{G.format(60)}" name="memo">
    <PlainTextContent>m</PlainTextContent></Note></Notes>
  {extra}
</Project>
"""


def qdpx_bytes(qde: str | bytes, members: dict[str, bytes] | None = None) -> bytes:
    """A zip with ``project.qde`` and ``members`` (default: the interview's text)."""
    if members is None:
        members = {f"sources/{G.format(30)}.txt": INTERVIEW.encode("utf-8")}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde if isinstance(qde, bytes) else qde.encode("utf-8"))
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def write_qdpx(path: Path, qde: str | bytes, members: dict[str, bytes] | None = None) -> Path:
    path.write_bytes(qdpx_bytes(qde, members))
    return path
