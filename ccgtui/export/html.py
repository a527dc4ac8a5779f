"""HTML: one self-contained page (inline CSS, no scripts, no external requests),
with a table of contents, accessible headings and citations linked to the
reference list.  Every value from the data goes through :func:`escape`: HTML-escaped,
and terminal controls dropped (the page is also printed to standard output)."""

from __future__ import annotations

import html

from ccgtui.export.document import build, citation_order, references
from ccgtui.export.selection import Progress, Selection
from ccgtui.present.layout import Item, Record, Section
from ccgtui.safe_text import clean
from ccgtui.wording import (
    ILLUSTRATIVE_SOURCE_MARK,
    NONE_RECORDED,
    SOURCE_NOT_DEFINED,
    UNVERIFIED_MARK,
)


def escape(text: object) -> str:
    """A data string as HTML text or attribute value (quotes escaped), without controls."""
    return html.escape(clean(text))


CSS = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #1b1b1b; background: #fff; }
h1, h2, h3, h4 { line-height: 1.2; }
h2 { border-bottom: 2px solid #005eb8; padding-bottom: .2rem; margin-top: 2.5rem; }
nav ol { columns: 2; }
.banner { background: #fff3cd; border: 2px solid #b8860b; padding: .5rem 1rem; font-weight: bold; }
.unknown { color: #595959; font-style: italic; }
.unverified { color: #8a4b00; font-weight: bold; }
.lead { font-weight: bold; }
.cite a { text-decoration: none; }
.note { color: #595959; }
@media (prefers-color-scheme: dark) {
  body { color: #e8e8e8; background: #161616; }
  .banner { background: #3d3100; color: #ffe69c; }
  .unknown, .note { color: #b0b0b0; }
  a { color: #8ab4f8; }
}
"""


def _item(it: Item, refs: dict[str, int]) -> str:
    parts = []
    if it.lead:
        parts.append(f'<span class="lead">{escape(it.lead)}:</span> ')
    text = escape(it.text)
    if it.quote:
        text = f"<q>{text}</q>"
    if it.unknown:
        text = f'<span class="unknown">Unknown: {text}</span>'
    parts.append(text)
    if it.sources:
        links = ", ".join(
            f'<a href="#ref-{refs[s]}" title="{escape(s)}">{refs[s]}</a>' for s in it.sources
        )
        parts.append(f' <span class="cite">[{links}]</span>')
    if it.unverified:
        parts.append(f' <span class="unverified">{escape(UNVERIFIED_MARK)}</span>')
    if it.note:
        parts.append(f' <span class="note">(note: {escape(it.note)})</span>')
    if it.details:
        parts.append("<ul>" + "".join(f"<li>{escape(d)}</li>" for d in it.details) + "</ul>")
    return f"<li>{''.join(parts)}</li>"


def _section(section: Section, level: int, refs: dict[str, int]) -> list[str]:
    out = [f"<h{level}>{escape(section.title)}</h{level}>"]
    if section.items:
        out += ["<ul>", *(_item(it, refs) for it in section.items), "</ul>"]
    if section.empty:  # recorded as empty, said so as everywhere else
        out.append(f'<p class="unknown">{escape(NONE_RECORDED)}</p>')
    for sub in section.subsections:
        out += _section(sub, min(level + 1, 6), refs)
    return out


def render_html(selection: Selection, progress: Progress | None = None) -> str:
    records: list[Record] = build(selection, progress)
    refs = citation_order(records)
    title = "ccgtui briefing"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f"<header><h1>{escape(title)}</h1></header>",
        '<nav aria-label="Contents"><h2 id="contents">Contents</h2><ol>',
    ]
    out += [f'<li><a href="#{escape(r.anchor)}">{escape(r.title)}</a></li>' for r in records]
    if refs:
        out.append('<li><a href="#references">References</a></li>')
    out += ["</ol></nav>", "<main>"]
    for record in records:
        out.append(f'<section aria-labelledby="{escape(record.anchor)}">')
        out.append(f'<h2 id="{escape(record.anchor)}">{escape(record.title)}</h2>')
        out += [f'<p class="banner" role="note">{escape(b)}</p>' for b in record.banners]
        for section in record.sections:
            out += _section(section, 3, refs)
        out.append("</section>")
    if refs:
        out += [
            '<section aria-labelledby="references">',
            '<h2 id="references">References</h2>',
            "<ol>",
        ]
        for n, ref in references(records, selection):
            text = escape(ref.citation) if ref.defined else f"{escape(ref.id)} {SOURCE_NOT_DEFINED}"
            if ref.url:
                # Shown as text, not a link: the page makes no requests and opens offline.
                text += f' <span class="note">{escape(ref.url)}</span>'
            if ref.defined:  # level and notes: a briefing keeps what a conflict is
                text += f' <span class="level">({escape(ref.level_text)})</span>'
            if ref.illustrative:
                text += f" <em>{escape(ILLUSTRATIVE_SOURCE_MARK)}</em>"
            if ref.notes:
                notes = "".join(f"<li>Note: {escape(note)}</li>" for note in ref.notes)
                text += f'<ul class="note">{notes}</ul>'
            out.append(f'<li id="ref-{n}">[{escape(ref.id)}] {text}</li>')
        out += ["</ol>", "</section>"]
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"
