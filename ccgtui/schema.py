"""JSON Schemas for the files of a case folder, generated from the pydantic models.

Editors that speak the YAML language server (VS Code's YAML extension, Neovim,
Helix, ...) check a case file as it is typed when its first line names a schema::

    # yaml-language-server: $schema=schema/case.schema.json

There is one schema per kind of file: ``case`` (a case file), ``study``
(``study.yaml`` and ``studies/*.yaml``) and ``sources`` (``sources.yaml``).  The
schemas say what the models' types say; ``ccgtui validate`` checks more (source
ids resolve, ids are unique, URLs are safe), so a file the schema accepts may
still have a problem the loader names.  ``docs/schema/`` holds the generated
files; a test keeps them equal to what :func:`schema_text` produces.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic.json_schema import models_json_schema

from ccgtui.model import Case, Source, Study

KINDS = ("case", "study", "sources")
DRAFT = "https://json-schema.org/draft/2020-12/schema"

_TITLES = {
    "case": ("ccgtui case file", "One case: cases/*.yaml in a ccgtui case folder."),
    "study": (
        "ccgtui study file",
        "A study: study.yaml or studies/*.yaml in a ccgtui case folder.",
    ),
    "sources": ("ccgtui sources file", "sources.yaml: every source the folder's statements cite."),
}


def schema_for(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) for one kind of file in a case folder."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; use one of: {', '.join(KINDS)}")
    refs, shared = models_json_schema(
        [(Case, "validation"), (Study, "validation"), (Source, "validation")],
        ref_template="#/$defs/{model}",
    )
    defs = _numbers_as_text(shared["$defs"])
    if kind == "sources":
        root: dict[str, Any] = {
            "type": "object",
            "properties": {"sources": {"type": "array", "items": refs[(Source, "validation")]}},
            "required": ["sources"],
            "additionalProperties": False,
        }
    else:
        root = dict(refs[(Case if kind == "case" else Study, "validation")])
    title, description = _TITLES[kind]
    return {"$schema": DRAFT, "title": title, "description": description, **root, "$defs": defs}


def schema_text(kind: str) -> str:
    """The schema as the text ``ccgtui schema`` writes (stable, so it can be committed)."""
    return json.dumps(schema_for(kind), indent=2, ensure_ascii=False) + "\n"


def _numbers_as_text(node: Any) -> Any:
    """Let a number stand where text is expected, as the models do (``volume: 6``).

    YAML reads ``period: 2015`` as a number; the models accept it as the text "2015"
    (``coerce_numbers_to_str``), so the schema must not flag it in an editor.
    """
    if isinstance(node, dict):
        out = {key: _numbers_as_text(value) for key, value in node.items()}
        if out.get("type") == "string" and "enum" not in out and "const" not in out:
            out["type"] = ["string", "number"]
        return out
    if isinstance(node, list):
        return [_numbers_as_text(item) for item in node]
    return node
