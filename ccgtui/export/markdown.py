"""Markdown briefing: study summary, each case's story by arena, partners, evidence,
numbered citations and a reference list.

Every value from the data goes through one of the escapers below, so a label like
``*x*``, ``[a](b)`` or ``<img onerror=...>`` reads as typed (valid CommonMark) and no data
string becomes HTML or a link: Markdown files are opened by renderers that pass raw HTML
through.  Only a URL that :func:`web_link` accepts (http, https, doi) becomes a link.
Terminal controls are dropped too, since exports are also printed and ``cat``-ed."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ccgtui.export.document import build, citation_order, references
from ccgtui.export.selection import Progress, Selection
from ccgtui.present.layout import Item, Record, Section
from ccgtui.safe_text import clean, clean_id, clean_line
from ccgtui.wording import (
    ILLUSTRATIVE_SOURCE_MARK,
    NONE_RECORDED,
    SOURCE_NOT_DEFINED,
    UNVERIFIED_MARK,
)

# Inline syntax anywhere in a value; ( ) ! only act next to [ ], which are escaped.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#])")
# A value can also open a list item or a heading: escape a leading block marker.
_LEADING_MARK = re.compile(r"^([#+=-])")
_LEADING_NUMBER = re.compile(r"^(\d+)([.)])")


# A link target: no whitespace, quotes, angle brackets, backslash, controls or invisibles.
_URL_CHARS = r"[^\s<>\"'`\\\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]+"
_WEB_URL = re.compile(rf"https?://{_URL_CHARS}", re.IGNORECASE)
_DOI_URL = re.compile(rf"doi:(10\.\d{{4,9}}/{_URL_CHARS})", re.IGNORECASE)
_BACKTICKS = re.compile(r"`+")


def md_escape(text: object) -> str:
    """Backslash-escape Markdown syntax; fold newlines so a value stays one line."""
    flat = _SPECIAL.sub(r"\\\1", " ".join(clean_line(text).split()))
    flat = _LEADING_MARK.sub(r"\\\1", flat)
    return _LEADING_NUMBER.sub(r"\1\\\2", flat)


def md_escape_block(text: object) -> str:
    """Prose of several lines (a note): each line escaped, line breaks kept as hard breaks."""
    paragraphs = re.split(r"\n[ \t]*\n", clean(text).strip())
    escaped = (
        "\\\n".join(md_escape(line) for line in para.split("\n") if line.strip())
        for para in paragraphs
    )
    return "\n\n".join(p for p in escaped if p)


def md_code(text: object) -> str:
    """An id or target as a code span: literal whatever it holds (backticks included)."""
    value = clean_id(text)
    if not value.strip():
        return md_escape(value)
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(value)), default=0) + 1)
    pad = " " if value[0] in "` " or value[-1] in "` " else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def web_link(url: str) -> str | None:
    """``url`` if it is a plain http(s) address (``doi:10.x/y`` becomes one), else None.

    Anything else (``javascript:``, ``data:``, a URL with spaces or ``<``) must never
    become a link, whatever the loader let through.
    """
    value = url.strip()
    if _WEB_URL.fullmatch(value):
        try:
            return value if urlsplit(value).hostname else None
        except ValueError:  # e.g. an unclosed IPv6 bracket
            return None
    doi = _DOI_URL.fullmatch(value)
    return f"https://doi.org/{doi.group(1)}" if doi else None


def _item(it: Item, refs: dict[str, int]) -> str:
    text = md_escape(it.text)
    if it.quote:
        text = f"“{text}”"
    if it.unknown:
        text = f"*Unknown:* {text}"
    if it.lead:
        text = f"**{md_escape(it.lead)}:** {text}"
    if it.sources:
        text += " " + "".join(f"[\\[{refs[s]}\\]](#ref-{refs[s]})" for s in it.sources)
    if it.unverified:
        text += f" **{UNVERIFIED_MARK}**"
    if it.note:
        text += f" *(note: {md_escape(it.note)})*"
    return "\n".join([f"- {text}", *(f"    - {md_escape(d)}" for d in it.details)])


def _section(section: Section, level: int, refs: dict[str, int]) -> list[str]:
    lines = [f"{'#' * level} {md_escape(section.title)}", ""]
    lines += [_item(it, refs) for it in section.items]
    if section.empty:  # recorded as empty, said so as everywhere else
        lines.append(f"- {md_escape(NONE_RECORDED)}")
    if section.items or section.empty:
        lines.append("")
    for sub in section.subsections:
        lines += _section(sub, level + 1, refs)
    return lines


def render_markdown(selection: Selection, progress: Progress | None = None) -> str:
    records: list[Record] = build(selection, progress)
    refs = citation_order(records)
    lines = ["# ccgtui briefing", ""]
    for record in records:
        lines += [f"## {md_escape(record.title)}", ""]
        for banner in record.banners:
            lines += [f"> **{md_escape(banner)}**", ""]
        for section in record.sections:
            lines += _section(section, 3, refs)
    if refs:
        lines += ["## References", ""]
        for n, ref in references(records, selection):
            text = (
                md_escape(ref.citation)
                if ref.defined
                else f"{md_escape(ref.id)} {SOURCE_NOT_DEFINED}"
            )
            link = web_link(ref.url) if ref.url else None
            if link:  # a URL that is no web address stays in the citation's text only
                text += f" <{link}>"
            if ref.defined:  # level and notes: a briefing keeps what a conflict is
                text += f" *({md_escape(ref.level_text)})*"
            if ref.illustrative:
                text += f" *{md_escape(ILLUSTRATIVE_SOURCE_MARK)}*"
            lines.append(f'{n}. <a id="ref-{n}"></a>\\[{md_escape(clean_id(ref.id))}\\] {text}')
            lines += [f"    - *Note:* {md_escape(note)}" for note in ref.notes]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
