"""``ccgtui import``: a JSON export back into a case folder that ``load`` accepts.

An export may come from anyone, so it is treated as a case folder is:

- every record is validated first, and problems are reported as
  ``export.json: cases[3].label: ...`` with keys shown escaped;
- file names are made from the *validated* ids only (``00001-<id>.yaml``; an id
  matches ``[a-z0-9][a-z0-9._-]*``), never from the raw text, which validation
  cleans but does not change in the record (ESC, newlines, spaces);
- each file must be within the loader's size limit, and the written folder must
  pass the loader itself before it appears under its name: it is written to a
  hidden folder beside the target and renamed into place, so a refusal leaves
  nothing behind.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ccgtui.loader import (
    MAX_FILE_BYTES,
    SOURCES_FILE,
    STUDIES_DIR,
    STUDY_FILE,
    LoadError,
    Problem,
    load_folder,
    record_problem,
)
from ccgtui.model import Case, Source, Study
from ccgtui.safe_text import show_name

M = TypeVar("M", bound=BaseModel)


class ImportFailed(Exception):
    """The folder cannot be written (not empty, no permission, disk full)."""


def import_export(data: dict[str, Any], folder: Path, export_file: Path) -> list[Path]:
    """Write the export ``data`` (read from ``export_file``) as a new case folder.

    Raises :class:`LoadError` listing every problem with the records, or with the
    folder they would make, and :class:`ImportFailed` if it cannot be written.
    Returns the files written, under ``folder``.
    """
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ImportFailed(f"{show_name(folder)} is not an empty folder; choose a new folder")
    where = str(export_file)
    problems: list[Problem] = []
    studies = _records(data, "studies", Study, where, problems)
    sources = _records(data, "sources", Source, where, problems)
    cases = _records(data, "cases", Case, where, problems)
    if problems:
        raise LoadError(problems)

    files: list[tuple[tuple[str, ...], str, str]] = []  # (relative parts, text, record)
    files.append(((SOURCES_FILE,), _yaml({"sources": [_dump(s) for s in sources]}), "sources"))
    for n, study in enumerate(studies):
        parts = (STUDY_FILE,) if n == 0 else (STUDIES_DIR, f"{n:04d}-{study.id}.yaml")
        files.append((parts, _yaml(_dump(study)), f"studies[{n}]"))
    for n, case in enumerate(cases):
        files.append(((f"{n + 1:05d}-{case.id}.yaml",), _yaml(_dump(case)), f"cases[{n}]"))
    for _, text, record in files:
        size = len(text.encode("utf-8"))
        if size > MAX_FILE_BYTES:
            problems.append(
                Problem(
                    where,
                    None,
                    record,
                    f"would be a file of {size:,} bytes, over the loader's "
                    f"{MAX_FILE_BYTES:,}-byte limit; shorten it",
                )
            )
    if problems:
        raise LoadError(problems)
    return _write_checked(folder, files)


def _records(
    data: dict[str, Any], key: str, model: type[M], where: str, problems: list[Problem]
) -> list[M]:
    raw = data.get(key)
    if not isinstance(raw, list):
        got = "missing" if raw is None else f"a {type(raw).__name__}"
        problems.append(Problem(where, None, key, f"expected a list of records, got {got}"))
        return []
    valid: list[M] = []
    for i, item in enumerate(raw):
        try:
            valid.append(model.model_validate(item))
        except ValidationError as exc:
            problems += [record_problem(where, (key, i), err) for err in exc.errors()]
    return valid


def _dump(model: BaseModel) -> dict[str, Any]:
    # The validated record, as an export writes it: what load reads back is the same.
    dumped: dict[str, Any] = model.model_dump(mode="json", exclude_defaults=True)
    return dumped


# libyaml's emitter when PyYAML has it: the pure-Python one spent 37 of 51 s of an
# import of 1,000 cases; the loader reads either back the same (checked before renaming).
_DUMPER: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _yaml(payload: Any) -> str:
    return yaml.dump(payload, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=100)


def _write_checked(folder: Path, files: Sequence[tuple[tuple[str, ...], str, str]]) -> list[Path]:
    """Write beside ``folder``, check with the loader, then rename into place."""
    parent = folder.absolute().parent
    staging = parent / f".{folder.name}.import-{secrets.token_hex(4)}"
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging.mkdir()
        for parts, text, _ in files:
            path = staging.joinpath(*parts)
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise ImportFailed(f"cannot write {show_name(folder)}: {exc.strerror or exc}") from exc
    try:
        load_folder(staging)
    except LoadError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise LoadError([_renamed(p, staging, folder) for p in exc.problems]) from exc
    try:
        os.replace(staging, folder)  # replaces an empty folder; fails if one appeared since
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise ImportFailed(f"cannot create {show_name(folder)}: {exc.strerror or exc}") from exc
    return [folder.joinpath(*parts) for parts, _, _ in files]


def _renamed(problem: Problem, staging: Path, folder: Path) -> Problem:
    """A problem found in the staging folder, named as the folder it would have become."""
    file = problem.file
    if file.startswith(str(staging)):
        file = str(folder) + file[len(str(staging)) :]
    return Problem(file, problem.line, problem.field, problem.message)
