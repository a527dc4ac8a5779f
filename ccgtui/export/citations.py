"""Citations out: the sources as CSL-JSON, RIS or BibTeX, for Zotero and other reference managers.

Each format carries what a plain reference would lose in a note field (CSL ``note``,
RIS ``N1``, BibTeX ``note``): the source's evidence level (so an *unverified* source
stays marked as such), every recorded variant ("year 2015; the repository gives 2014")
and the source's own notes (conflicts between records, what we hold).

Every value is cleaned of control characters and escaped for its format: JSON by the
json module, RIS by keeping each value on its one line, BibTeX by escaping its
special characters (``{ } \\ $ & % # _ ^ ~``) so braces always balance.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence

from ccgtui.model import Case, Dataset, Source, SourceType, iter_statements
from ccgtui.safe_text import clean_line

__all__ = ["render_citations", "selected_sources"]

# "Storey J", "van der Berg JP": a family name and up to three initials (Vancouver style).
_PERSON = re.compile(
    r"^(?P<family>(?:(?:van|von|der|den|de|du|da|la|le|di) )*[^\s,]+) (?P<given>[A-Z]{1,3})$"
)

_CSL_TYPE = {
    SourceType.report: "report",
    SourceType.article: "article-journal",
    SourceType.web_page: "webpage",
    SourceType.other: "document",
}
_RIS_TYPE = {
    SourceType.report: "RPRT",
    SourceType.article: "JOUR",
    SourceType.web_page: "ELEC",
    SourceType.other: "GEN",
}
_BIBTEX_TYPE = {
    SourceType.report: "techreport",
    SourceType.article: "article",
    SourceType.web_page: "misc",
    SourceType.other: "misc",
}
# Where each type's container goes in BibTeX.
_BIBTEX_CONTAINER = {
    SourceType.report: "series",
    SourceType.article: "journal",
    SourceType.web_page: "howpublished",
    SourceType.other: "howpublished",
}


def cited_by(dataset: Dataset, cases: Iterable[Case]) -> list[Source]:
    """The sources the given cases cite (their own statements only), in the dataset's order."""
    ids: set[str] = set()
    for case in cases:
        for _, item in iter_statements(case):
            ids.update(item.sources)
    return [s for s in dataset.sources if s.id in ids]


def selected_sources(dataset: Dataset, what: str, cases: Sequence[Case]) -> list[Source]:
    """Every source for a whole-folder export; those the cases cite for a case selection.

    ``what`` is "case" for cases named with --case, "cases" for all or filtered cases.
    """
    whole = what == "study" or (
        what == "cases" and {c.id for c in cases} == {c.id for c in dataset.cases}
    )
    return list(dataset.sources) if whole else cited_by(dataset, cases)


def render_citations(fmt: str, sources: Sequence[Source]) -> str:
    """The sources in ``fmt`` (one of :data:`ccgtui.export.CITATION_FORMATS`)."""
    if fmt == "csl-json":
        return render_csl_json(sources)
    if fmt == "ris":
        return render_ris(sources)
    if fmt == "bibtex":
        return render_bibtex(sources)
    raise ValueError(f"unknown citation format {fmt!r}")


def note_lines(source: Source) -> list[str]:
    """What a reference manager should keep beside the reference: level, variants, notes."""
    lines = [f"ccgtui evidence level: {source.level.value}"]
    if source.illustrative:
        lines.append("ccgtui: illustrative source, not a real reference")
    for variant in source.variants:
        used = getattr(source, variant.field)
        lines.append(
            f"Records disagree on {variant.field}: {used} here; "
            f"{clean_line(variant.given_by)} gives {clean_line(variant.value)}"
        )
    lines.extend(clean_line(note) for note in source.notes)
    return lines


def _person(author: str) -> tuple[str, str] | None:
    """(family, given) for a personal name in Vancouver style; None for an organisation."""
    match = _PERSON.match(author)
    return (match["family"], match["given"]) if match else None


def _pages(pages: str) -> tuple[str, str | None]:
    first, sep, last = pages.partition("-")
    return (first, last) if sep and first and last else (pages, None)


# --- CSL-JSON ---------------------------------------------------------------------------


def csl_item(source: Source) -> dict[str, object]:
    """One CSL-JSON item (the shape Zotero, pandoc and citeproc read)."""
    item: dict[str, object] = {"id": clean_line(source.id), "type": _CSL_TYPE[source.type]}
    authors: list[dict[str, str]] = []
    for raw in source.authors:
        author = clean_line(raw)
        person = _person(author)
        authors.append({"family": person[0], "given": person[1]} if person else {"literal": author})
    if authors:
        item["author"] = authors
    item["title"] = clean_line(source.title)
    optional = {
        "container-title": source.container,
        "volume": source.volume,
        "issue": source.issue,
        "page": source.pages,
        "DOI": source.doi,
        "URL": source.url,
    }
    item.update({key: clean_line(value) for key, value in optional.items() if value})
    if source.year is not None:
        item["issued"] = {"date-parts": [[source.year]]}
    item["note"] = "\n".join(note_lines(source))
    return item


def render_csl_json(sources: Sequence[Source]) -> str:
    return json.dumps([csl_item(s) for s in sources], ensure_ascii=False, indent=2) + "\n"


# --- RIS --------------------------------------------------------------------------------


def _ris_line(tag: str, value: str) -> str:
    # One value per line: a line break in a value could start a forged "ER  -".
    return f"{tag}  - {clean_line(value).strip()}"


def ris_record(source: Source) -> list[str]:
    lines = [_ris_line("TY", _RIS_TYPE[source.type]), _ris_line("ID", source.id)]
    for raw in source.authors:
        person = _person(clean_line(raw))
        lines.append(_ris_line("AU", f"{person[0]}, {person[1]}" if person else raw))
    lines.append(_ris_line("TI", source.title))
    if source.container:
        lines.append(_ris_line("T2", source.container))
    if source.year is not None:
        lines.append(_ris_line("PY", str(source.year)))
    for tag, value in (("VL", source.volume), ("IS", source.issue)):
        if value:
            lines.append(_ris_line(tag, value))
    if source.pages:
        first, last = _pages(source.pages)
        lines.append(_ris_line("SP", first))
        if last:
            lines.append(_ris_line("EP", last))
    if source.doi:
        lines.append(_ris_line("DO", source.doi))
    if source.url:
        lines.append(_ris_line("UR", source.url))
    lines.extend(_ris_line("N1", note) for note in note_lines(source))
    lines.append("ER  - ")
    return lines


def render_ris(sources: Sequence[Source]) -> str:
    # RIS wants CRLF line ends; Zotero reads either, older tools only CRLF.
    return "".join("\r\n".join(ris_record(s)) + "\r\n\r\n" for s in sources)


# --- BibTeX -----------------------------------------------------------------------------

_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}
_BIBTEX_SPECIAL_RE = re.compile(r"[\\{}$&%#_^~]")
# Characters a BibTeX key may not hold.
_BAD_KEY_CHAR = re.compile(r"[^A-Za-z0-9._:-]")


def bibtex_escape(text: str) -> str:
    """``text`` as literal BibTeX: its special characters escaped, one line."""
    return _BIBTEX_SPECIAL_RE.sub(lambda m: _BIBTEX_SPECIAL[m.group()], clean_line(text))


# A word with two capitals (CCGs, NHS, GP'S) and what follows it.
_ACRONYM = re.compile(r"([A-Za-z']*[A-Z][A-Za-z']*[A-Z][A-Za-z']*)|([^A-Za-z']+|[A-Za-z']+)")


def _bibtex_title(title: str) -> str:
    # Acronyms keep their case in styles that lower-case titles: "{NHS}".
    return "".join(
        "{" + bibtex_escape(m[1]) + "}" if m[1] else bibtex_escape(m[2])
        for m in _ACRONYM.finditer(clean_line(title))
    )


def _bibtex_url(url: str) -> str:
    # The url field is read verbatim by the url package: percent-encode what would unbalance it.
    return "".join(f"%{ord(c):02X}" if c in "{}\\" or c.isspace() else c for c in clean_line(url))


def bibtex_keys(sources: Sequence[Source]) -> list[str]:
    """A valid, unique key for each source, from its id."""
    keys: list[str] = []
    seen: set[str] = set()
    for source in sources:
        base = _BAD_KEY_CHAR.sub("-", clean_line(source.id)) or "source"
        key, n = base, 1
        while key in seen:
            n += 1
            key = f"{base}-{n}"
        seen.add(key)
        keys.append(key)
    return keys


def bibtex_entry(source: Source, key: str) -> str:
    fields: list[tuple[str, str]] = []
    names = []
    for raw in source.authors:
        author = clean_line(raw)
        person = _person(author)
        if person:
            names.append(f"{bibtex_escape(person[0])}, {bibtex_escape(person[1])}")
        else:  # an organisation: braced so BibTeX does not split it into names at "and"
            names.append("{" + bibtex_escape(author) + "}")
    if names:
        fields.append(("author", " and ".join(names)))
    fields.append(("title", _bibtex_title(source.title)))
    if source.container:
        fields.append((_BIBTEX_CONTAINER[source.type], bibtex_escape(source.container)))
    if source.year is not None:
        fields.append(("year", str(source.year)))
    for name, value in (("volume", source.volume), ("number", source.issue)):
        if value:
            fields.append((name, bibtex_escape(value)))
    if source.pages:
        first, last = _pages(source.pages)
        pages = f"{first}--{last}" if last else source.pages
        fields.append(("pages", bibtex_escape(pages)))
    if source.doi:
        fields.append(("doi", _bibtex_url(source.doi)))
    if source.url:
        fields.append(("url", _bibtex_url(source.url)))
    notes = " ".join(n if n.endswith((".", "?", "!")) else n + "." for n in note_lines(source))
    fields.append(("note", bibtex_escape(notes)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{_BIBTEX_TYPE[source.type]}{{{key},\n{body}\n}}\n"


def render_bibtex(sources: Sequence[Source]) -> str:
    keys = bibtex_keys(sources)
    return "\n".join(bibtex_entry(s, k) for s, k in zip(sources, keys, strict=True))
