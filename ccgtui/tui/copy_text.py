"""What ``y`` copies: the section (tab) shown, or the statement a search jumped to, as
plain text with its citations, fit to paste into a meeting note.

Every copy starts with the case's label and id and its banners (illustrative,
composite), so a pasted paragraph never loses what kind of record it came from; it
ends with the full references of the sources it cites.
"""

from __future__ import annotations

import re

from ccgtui.model import Case, Dataset
from ccgtui.present.source import cited_source_ids, source_refs
from ccgtui.present.text import source_lines
from ccgtui.safe_text import clean
from ccgtui.tui import render
from ccgtui.wording import banners

_IDS = re.compile(r"\[([\w.:-]+(?:, [\w.:-]+)*)\]")


def _cited(text: str, case: Case, dataset: Dataset) -> list[str]:
    """The full references of the source ids quoted in ``text`` (``[id1, id2]``), in order,
    with their levels and notes as ``show`` lists them."""
    known = dataset.source_map
    seen: dict[str, None] = {}
    for group in _IDS.findall(text):
        for source_id in group.split(", "):
            if source_id in known:
                seen.setdefault(source_id, None)
    return source_lines(source_refs(seen, dataset)) if seen else []


def section_text(
    case: Case, dataset: Dataset, tab: str, title: str, path: str | None = None
) -> str | None:
    """The tab's text (only the statement at ``path`` if given), or ``None`` if the tab has
    no text to copy."""
    head = [f"{case.label} ({case.id})", *banners(case)]
    if tab in render.TAB_LINES:
        lines = render.TAB_LINES[tab](case, dataset)
        if path is not None:
            lines = [line for line in lines if render.shows(line[1], path)]
            head.append(f"{title}:")
        else:
            head.append(f"{title}")
        body = [line.plain.rstrip() for line, _ in lines]
    elif tab == "sources":
        body = source_lines(source_refs(cited_source_ids(case), dataset))
        return clean("\n".join([*head, title, "", *body]) + "\n")
    else:
        return None
    text = "\n".join(body).strip("\n")
    references = _cited(text, case, dataset)
    parts = ["\n".join(head), text]
    if references:
        parts.append("Sources:\n" + "\n".join(references))
    return clean("\n\n".join(parts) + "\n")
