"""JSON: complete and lossless, stable key order, readable by ``ccgtui import``.

Schema (version 1)::

    {"format": "ccgtui-export", "schema_version": 1,
     "studies": [Study, ...], "sources": [Source, ...], "cases": [Case, ...]}

Each record is the case-file mapping (``model_dump(mode="json")`` without
defaults), so it loads back through the same validation as a YAML file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from ccgtui.export import SCHEMA_VERSION, ExportError, Selection
from ccgtui.json_safe import json_text
from ccgtui.model import Case, Dataset, Source, Study


def _dump(model: Study | Source | Case) -> dict[str, Any]:
    return model.model_dump(mode="json", exclude_defaults=True)


def export_data(selection: Selection) -> dict[str, Any]:
    full = selection.what in ("study", "cases") and len(selection.cases) == len(
        selection.dataset.cases
    )
    sources = selection.dataset.sources if full else selection.cited_sources()
    return {
        "format": "ccgtui-export",
        "schema_version": SCHEMA_VERSION,
        "studies": [_dump(s) for s in selection.studies],
        "sources": [_dump(s) for s in sources],
        "cases": [_dump(c) for c in selection.cases],
    }


def render_json(selection: Selection) -> str:
    return json_text(export_data(selection), sort_keys=True) + "\n"


def read_export(path: Path) -> dict[str, Any]:
    """A parsed export file, checked to be one of ours."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ExportError(f"cannot read {path}: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != "ccgtui-export":
        raise ExportError(f'{path} is not a ccgtui JSON export (no "format": "ccgtui-export")')
    if data.get("schema_version") != SCHEMA_VERSION:
        raise ExportError(
            f"{path} has schema version {data.get('schema_version')!r}; "
            f"this ccgtui reads version {SCHEMA_VERSION}"
        )
    return data


def write_folder(data: dict[str, Any], folder: Path) -> list[Path]:
    """Write an export as a case folder (YAML); file names keep the export's order."""
    if folder.exists() and any(folder.iterdir()):
        raise ExportError(f"{folder} is not empty; choose a new folder")
    Dataset(
        studies=[Study.model_validate(s) for s in data["studies"]],
        sources=[Source.model_validate(s) for s in data["sources"]],
        cases=[Case.model_validate(c) for c in data["cases"]],
    )  # validate everything before writing anything
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def put(path: Path, payload: Any) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump(payload, allow_unicode=True, sort_keys=False, width=100)
        path.write_text(text, encoding="utf-8")
        written.append(path)

    put(folder / "sources.yaml", {"sources": data["sources"]})
    studies = data["studies"]
    if studies:
        put(folder / "study.yaml", studies[0])
    for n, study in enumerate(studies[1:], 1):
        put(folder / "studies" / f"{n:04d}-{study['id']}.yaml", study)
    for n, case in enumerate(data["cases"], 1):
        put(folder / f"{n:05d}-{case['id']}.yaml", case)
    return written
