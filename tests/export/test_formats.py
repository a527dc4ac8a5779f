"""The export format registry: a format without a matrix renderer cannot write HTML for one."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import click
import pytest

from ccgtui.export import ExportError, Selection, render
from ccgtui.export import formats as registry
from ccgtui.export.formats import ExportFormat, Options
from ccgtui.model import Dataset


@pytest.fixture
def plain_text() -> Iterator[ExportFormat]:
    """A new format registered for one test: documents only, no matrix renderer."""
    fmt = registry.register(
        ExportFormat("plain", ".txt", "plain text", lambda sel, _: f"{len(sel.cases)} cases\n")
    )
    yield fmt
    del registry.FORMATS["plain"]


def test_a_format_without_a_matrix_renderer_refuses_a_matrix(
    plain_text: ExportFormat, bundled: Dataset
) -> None:
    cases = list(bundled.cases)
    assert render("plain", Selection(bundled, cases=cases)) == f"{len(cases)} cases\n"
    with pytest.raises(ExportError, match="plain cannot export a matrix") as caught:
        render("plain", Selection(bundled, what="matrix", cases=cases))
    assert "md, json, csv, html" in str(caught.value)  # the formats that can
    assert registry.lookup("plain") is plain_text


def test_the_matrix_renderer_refuses_a_format_it_does_not_know(bundled: Dataset) -> None:
    """It used to fall through to HTML for any name it did not test for."""
    from ccgtui.export.matrix_export import render_matrix

    selection = Selection(bundled, what="matrix", cases=list(bundled.cases))
    assert render_matrix("html", selection).startswith("<!DOCTYPE html>")
    with pytest.raises(ExportError, match="odt"):
        render_matrix("odt", selection)


def test_every_shipped_matrix_format_renders_one(bundled: Dataset) -> None:
    selection = Selection(bundled, what="matrix", cases=list(bundled.cases))
    for name, fmt in registry.FORMATS.items():
        if fmt.render_matrix is not None:
            assert render(name, selection).strip(), name
            continue
        with pytest.raises(ExportError, match="cannot export a matrix"):
            render(name, selection)
    assert {n for n, f in registry.FORMATS.items() if f.render_matrix} == {
        "md",
        "json",
        "csv",
        "html",
    }


def test_unknown_and_twice_registered_formats_are_refused() -> None:
    with pytest.raises(ExportError, match="unknown format 'odt'; use one of: md, json"):
        registry.lookup("odt")
    with pytest.raises(ValueError, match="twice"):
        registry.register(registry.FORMATS["md"])
    assert Options().long is False


def test_the_cli_offers_exactly_the_registered_formats() -> None:
    from ccgtui.cli.export import export

    param = next(p for p in export.params if p.name == "fmt")
    assert isinstance(param.type, click.Choice)
    assert tuple(param.type.choices) == registry.names()


def test_listing_the_formats_imports_no_renderer_and_no_pydantic() -> None:
    code = (
        "import sys; from ccgtui.export import formats; formats.names()\n"
        "print('HEAVY', [m for m in sys.modules if m.startswith(('pydantic', 'ccgtui.model',"
        " 'ccgtui.export.')) and m != 'ccgtui.export.formats'])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "HEAVY []" in result.stdout, result.stdout[-500:] + result.stderr[-500:]
