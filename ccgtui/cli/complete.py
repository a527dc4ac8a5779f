"""Shell completion of case ids and source ids (``shell_complete=`` on click arguments).

Completion runs on every TAB press, so it must be quick and must not touch the
database or print: it reads only the ``id:`` lines of the case folder's files
(no YAML parsing, no store, no reload).  A file it cannot read is skipped; a
wrong id is only a missed suggestion, never an error.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
from click.shell_completion import CompletionItem

from ccgtui.safe_text import clean_id

_CASE_ID = re.compile(r"^id:[ \t]*['\"]?([a-z0-9][a-z0-9._-]*)['\"]?[ \t]*(?:#.*)?$", re.M)
_SOURCE_ID = re.compile(r"^[ \t]*-[ \t]+id:[ \t]*['\"]?([a-z0-9][a-z0-9._-]*)['\"]?", re.M)
_MAX_BYTES = 1_000_000  # a file this big is not read for a suggestion
# As ccgtui.loader names them; not imported, so a TAB press does not load pydantic.
YAML_SUFFIXES = (".yaml", ".yml")
_NOT_CASES = ("sources.yaml", "study.yaml")


def _folder(ctx: click.Context) -> Path:
    from ccgtui import paths

    cases = ctx.find_root().params.get("cases")
    return paths.cases_dir(cases)


def _read(path: Path) -> str:
    try:
        if path.stat().st_size > _MAX_BYTES:
            return ""
        return path.read_text("utf-8", errors="replace")
    except OSError:
        return ""


def case_ids(folder: Path) -> list[str]:
    """The ids of the case files in ``folder``, sorted."""
    try:
        files = [
            p for p in folder.iterdir() if p.suffix in YAML_SUFFIXES and p.name not in _NOT_CASES
        ]
    except OSError:
        return []
    found = {clean_id(m.group(1)) for p in files if (m := _CASE_ID.search(_read(p)))}
    return sorted(found)


def source_ids(folder: Path) -> list[str]:
    """The ids in ``folder``'s sources file, in its order."""
    return [clean_id(m) for m in _SOURCE_ID.findall(_read(folder / "sources.yaml"))]


def complete_case_ids(
    ctx: click.Context, _param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    return [CompletionItem(i) for i in case_ids(_folder(ctx)) if i.startswith(incomplete)]


def complete_targets(
    ctx: click.Context, _param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Note and bookmark targets: case ids and ``source:<id>`` (see ccgtui.userdata)."""
    folder = _folder(ctx)
    targets = [*case_ids(folder), *(f"source:{i}" for i in source_ids(folder))]
    return [CompletionItem(t) for t in targets if t.startswith(incomplete)]
