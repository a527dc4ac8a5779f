"""The architecture guards of issue 14 cannot go stale.

``lint-imports`` (run by ``make test``) checks the contracts in pyproject.toml; these
tests check that the contracts still cover every module: a new core module must be
listed where the "no Textual, no front end" rule applies to it.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ccgtui"
FRONT_ENDS = {"__main__", "cli", "serve", "tui"}


def top_level_modules() -> set[str]:
    """Every module and package directly under ccgtui/ (``__init__`` aside)."""
    names = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    names |= {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    return names


def contract(contract_id: str) -> dict[str, Any]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if c["id"] == contract_id)


def test_every_core_module_is_kept_free_of_front_ends() -> None:
    listed = {m.removeprefix("ccgtui.") for m in contract("core-no-front-end")["source_modules"]}
    core = top_level_modules() - FRONT_ENDS
    assert core - listed == set(), "add these to core-no-front-end in pyproject.toml"
    assert listed - core == set(), "these no longer exist: remove them from pyproject.toml"


def test_the_layers_contract_is_exhaustive() -> None:
    """import-linter itself then fails on a module placed in no layer."""
    layers = contract("layers")
    assert layers["exhaustive"] is True
    assert layers["containers"] == ["ccgtui"]


def mapped_modules() -> list[str]:
    """The modules the "Where things live" map of docs/design.md names, one per line."""
    text = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    section = text.split("## Where things live", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^- `([\w/]+\.py)` — ", section, flags=re.MULTILINE)


def test_the_design_map_names_every_module_once() -> None:
    mapped = mapped_modules()
    actual = {str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")}
    assert sorted(actual - set(mapped)) == [], "add these to 'Where things live' in docs/design.md"
    assert sorted(set(mapped) - actual) == [], "these no longer exist: update docs/design.md"
    assert len(mapped) == len(set(mapped)), "a module is named twice"
