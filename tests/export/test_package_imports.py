"""No format module imports the ``ccgtui.export`` package (issue 14): the package imports
the format registry, so an import back from a format module would be a loop. They take
``Selection`` and ``ExportError`` from ``ccgtui.export.selection``."""

from __future__ import annotations

import ast
from pathlib import Path

EXPORT = Path(__file__).resolve().parents[2] / "ccgtui" / "export"


def test_no_export_module_imports_its_own_package() -> None:
    found = []
    for path in sorted(EXPORT.glob("*.py")):
        if path.name == "__init__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "ccgtui.export":
                found.append(f"{path.name}:{node.lineno}")
            if isinstance(node, ast.Import) and any(a.name == "ccgtui.export" for a in node.names):
                found.append(f"{path.name}:{node.lineno}")
    assert found == []


def test_the_package_still_offers_selection_and_export_error() -> None:
    from ccgtui import export
    from ccgtui.export import selection

    assert export.Selection is selection.Selection
    assert export.ExportError is selection.ExportError
