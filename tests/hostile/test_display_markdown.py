"""Markdown and HTML exports: no data string becomes live HTML or a non-web link.

A source ``url`` with tabs (``x><img<TAB>src=x<TAB>onerror=alert(1)><x``) came out raw and
rendered as a live ``<img onerror>``; ``javascript:alert(1)`` became a link; ``notes
export --format md`` put labels and note text in raw.  Each export here is rendered by
markdown-it-py (CommonMark, raw HTML enabled as most renderers have it) and the HTML it
yields is parsed: only the tags and attributes the export writes itself may appear, and
every link is http(s) or one of the document's own anchors.

The exports must be safe on their own, whatever the loader accepts, so the hostile
sources are put into a loaded dataset directly (``model_copy`` skips validation).
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from ccgtui import userdata
from ccgtui.export import Selection, render
from ccgtui.loader import load_folder
from ccgtui.model import Dataset
from ccgtui.safe_text import is_clean
from ccgtui.store import Store

TAB_URL = "x><img\tsrc=x\tonerror=alert(1)><x"
JS_URL = "javascript:alert(1)"
HTML = '<img src=x onerror=alert(1)><script>alert(1)</script><a href="javascript:x">y</a>'
MD_LINK = "[click](javascript:alert(1)) ![i](http://evil.example/t.png) <javascript:alert(1)>"
GOOD_URL = "https://example.org/report_v2*final?a=1&b=2"

# What the exports write themselves (headings, lists, emphasis, the reference anchors).
OWN_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "a", "strong", "em"}
OWN_TAGS |= {"blockquote", "code", "br", "table", "thead", "tbody", "tr", "th", "td", "q"}


class Page(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def to_html(markdown: str) -> str:
    """CommonMark as a permissive renderer sees it: markdown-it's own refusal of
    ``javascript:`` links is switched off, as many renderers have none."""
    md = MarkdownIt("commonmark")
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md.render(markdown)


def _rendered_tags(markdown: str) -> list[tuple[str, dict[str, str | None]]]:
    page = Page()
    page.feed(to_html(markdown))
    return page.tags


def assert_no_html_from_data(markdown: str) -> None:
    tags = _rendered_tags(markdown)
    assert {t for t, _ in tags} <= OWN_TAGS, tags
    for tag, attrs in tags:
        assert set(attrs) <= {"href", "id", "title", "start"}, (tag, attrs)
        href = attrs.get("href")
        if href is not None:
            assert href.startswith(("https://", "http://", "#ref-", "#")), href
    assert "onerror" not in "".join(str(a) for _, a in tags)


@pytest.fixture
def hostile(minimal_folder: Path) -> Dataset:
    dataset = load_folder(minimal_folder)
    base = dataset.sources[0]
    sources = [
        base.model_copy(update={"doi": None, "url": TAB_URL}),
        base.model_copy(update={"id": "src-js", "doi": None, "url": JS_URL}),
        base.model_copy(update={"id": "src-ok", "doi": None, "url": GOOD_URL, "title": HTML}),
    ]
    case = dataset.cases[0]
    cited = case.partners[0].model_copy(update={"sources": ["src-a", "src-js", "src-ok"]})  # type: ignore[union-attr]
    case = case.model_copy(update={"label": HTML + MD_LINK, "partners": [cited]})
    return dataset.model_copy(update={"sources": sources, "cases": [case]})


def test_markdown_export_has_no_html_or_script_links(hostile: Dataset) -> None:
    text = render("md", Selection(hostile, cases=list(hostile.cases)))
    assert_no_html_from_data(text)


def test_markdown_export_links_only_web_urls_and_keeps_them_intact(hostile: Dataset) -> None:
    text = render("md", Selection(hostile, cases=list(hostile.cases)))
    hrefs = [a.get("href") for t, a in _rendered_tags(text) if t == "a" and "href" in a]
    web = [h for h in hrefs if h and not h.startswith("#")]
    assert web == ["https://example.org/report_v2*final?a=1&b=2"]
    html = to_html(text)
    # the refused URLs are still there to read, as text
    assert "javascript:alert(1)" in html and "onerror=alert(1)" in html


def test_html_export_has_no_html_from_data(hostile: Dataset) -> None:
    text = render("html", Selection(hostile, cases=list(hostile.cases)))
    page = Page()
    page.feed(text)
    assert not {"img", "script"} & {t for t, _ in page.tags}
    for _, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs)
        assert not (attrs.get("href") or "#").lower().startswith("javascript")


def test_matrix_markdown_export_escapes_labels(hostile: Dataset) -> None:
    text = render("md", Selection(hostile, what="matrix", cases=list(hostile.cases)))
    assert_no_html_from_data(text)


def test_notes_export_markdown_escapes_everything(minimal_folder: Path, isolated_db: Path) -> None:
    from click.testing import CliRunner

    from ccgtui.cli import cli

    (minimal_folder / "case-a.yaml").write_text(
        (minimal_folder / "case-a.yaml")
        .read_text(encoding="utf-8")
        .replace("label: Case A", "label: '<b onmouseover=alert(1)>Case</b> [x](javascript:y)'"),
        encoding="utf-8",
    )
    store = Store(isolated_db, minimal_folder)
    store.open()
    dataset = store.dataset()
    userdata.add_note(store, "case:case-a", f"{HTML}\n\n- {MD_LINK}\n===\n`code`", dataset=dataset)
    userdata.add_note(store, "source:src-a", "fine `tick` ``two``", dataset=dataset)
    userdata.add_tags(store, "case-a", ["<img src=x onerror=alert(1)>"])
    userdata.add_bookmark(store, "case:case-a", HTML, dataset=dataset)
    result = CliRunner().invoke(cli, ["--cases", str(minimal_folder), "notes", "export"])
    assert result.exit_code == 0, result.stderr
    assert_no_html_from_data(result.stdout)
    html = to_html(result.stdout)
    assert "onmouseover=alert(1)" in html and "javascript:alert(1)" in html  # shown as text
    assert "fine `tick` ``two``" in html  # backticks in a note are text, not code spans
    assert "<h1>" in html and html.count("<h1>") == 1  # '===' under a note line is no heading


@pytest.mark.parametrize("fmt", ["md", "html", "json", "csv"])
def test_exports_carry_no_terminal_controls(hostile: Dataset, fmt: str) -> None:
    """Exports go to standard output and get ``cat``-ed: no data string may act on a terminal."""
    attack = "\x1b]0;pwned\x07\x9b2J"
    case = hostile.cases[0].model_copy(update={"label": f"Case{attack}A"})
    dataset = hostile.model_copy(update={"cases": [case]})
    for what in ("cases", "matrix"):
        text = render(fmt, Selection(dataset, what=what, cases=[case]))
        assert is_clean(text.replace("\r\n", "\n")), (what, text)  # CSV lines end in CRLF
        assert "Case" in text
