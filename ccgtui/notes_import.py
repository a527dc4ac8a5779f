"""Reading another researcher's notes export for ``ccgtui notes import``.

The file is untrusted: it may come by e-mail or a shared folder.  Every row is
checked before anything is written, all problems are reported (as
``notes[3].text: ...``), sizes are capped, and text is stored control-stripped
like a note typed here (display cleans it again through ``ccgtui.safe_text``).
The format is what ``ccgtui notes export --format json`` writes; exports from
before the ``format`` marker are recognised by their shape.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ccgtui.model import strip_control
from ccgtui.notes_merge import Row, legacy_uid
from ccgtui.userdata import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    UserDataError,
    normalise_tag,
    parse_target,
)

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_ROWS = 100_000  # notes, bookmarks and tags, each
MAX_TEXT = 100_000  # characters in one note
MAX_SHORT = 2_000  # a context, label or anchor field
MAX_AUTHOR = 200
MAX_HISTORY = 10_000
MAX_PROBLEMS = 30  # listed; the rest are counted
_KEY = re.compile(r"^[0-9a-f]{32}$")


class ImportProblems(ValueError):
    """The file cannot be imported; ``problems`` says where and why (nothing was written)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Incoming:
    """An export's rows, checked and cleaned, ready for :func:`ccgtui.userdata.import_notes`."""

    notes: list[Row] = field(default_factory=list)
    tags: set[tuple[str, str]] = field(default_factory=set)
    bookmarks: list[Row] = field(default_factory=list)


def read_export(path: Path) -> Incoming:
    """The checked contents of the export at ``path``; raises :class:`ImportProblems`."""
    if path.is_dir():
        raise ImportProblems(["is a folder, not a notes export"])
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ImportProblems([f"cannot read it: {exc.strerror or exc}"]) from exc
    if len(raw) > MAX_FILE_BYTES:
        raise ImportProblems([f"larger than {MAX_FILE_BYTES // 2**20} MB; not a notes export"])
    return parse_export(raw)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:  # two readers could see two different notes
            raise ValueError(f"the key {json.dumps(key)[:60]} appears twice in one object")
        out[key] = value
    return out


def parse_export(raw: bytes) -> Incoming:
    try:
        data = json.loads(
            raw.decode("utf-8"),
            parse_constant=_refuse_constant,
            object_pairs_hook=_no_duplicates,
        )
    except UnicodeDecodeError as exc:
        raise ImportProblems([f"not UTF-8 text ({exc.reason} at byte {exc.start})"]) from exc
    except RecursionError as exc:
        raise ImportProblems(["nested too deeply to be a notes export"]) from exc
    except ValueError as exc:
        raise ImportProblems([f"not valid JSON ({exc})"]) from exc
    _check_kind(data)
    problems: list[str] = []
    incoming = Incoming(
        notes=_rows(data, "notes", _note, problems),
        tags=_tags(data.get("tags", {}), problems),
        bookmarks=_rows(data, "bookmarks", _bookmark, problems),
    )
    if problems:
        extra = len(problems) - MAX_PROBLEMS
        shown = problems[:MAX_PROBLEMS]
        raise ImportProblems(shown + ([f"... and {extra} more problems"] if extra > 0 else []))
    return incoming


def _check_kind(data: Any) -> None:
    if not isinstance(data, dict):
        raise ImportProblems(["not a notes export (the top level is not a JSON object)"])
    meta = data.get("meta")
    if "format" not in data and isinstance(meta, dict):
        raise ImportProblems(
            [
                "a ccgtui database file, not a notes export; "
                "`ccgtui notes export --format json -o FILE` writes one to share"
            ]
        )
    if "format" in data and data["format"] != EXPORT_FORMAT:
        raise ImportProblems([f"not a notes export (format {_shown(data['format'])})"])
    if "format" not in data and not isinstance(data.get("notes"), list):
        raise ImportProblems(["not a notes export (no 'format' marker and no 'notes' list)"])
    version = data.get("format_version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ImportProblems([f"format_version: {_shown(version)} is not a version number"])
    if version > EXPORT_VERSION:
        raise ImportProblems(
            [
                f"written by a newer ccgtui (export format {version}); this ccgtui reads format "
                f"{EXPORT_VERSION}: upgrade ccgtui to import it"
            ]
        )


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=True)
    return text if len(text) <= 60 else text[:57] + "..."


def _rows(
    data: dict[str, Any],
    table: str,
    check: Callable[[dict[str, Any], str], Row],
    problems: list[str],
) -> list[Row]:
    rows = data.get(table, [])
    if not isinstance(rows, list):
        problems.append(f"{table}: not a list")
        return []
    if len(rows) > MAX_ROWS:
        problems.append(f"{table}: {len(rows)} rows, more than {MAX_ROWS}")
        return []
    out: list[Row] = []
    for i, row in enumerate(rows):
        where = f"{table}[{i}]"
        if not isinstance(row, dict):
            problems.append(f"{where}: not a JSON object")
            continue
        try:
            out.append(check(row, where))
        except _Bad as bad:
            problems.extend(bad.problems)
    return out


class _Bad(Exception):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems


class _Row:
    """Field checks for one row, collecting every problem before giving up."""

    def __init__(self, row: dict[str, Any], where: str) -> None:
        self.row, self.where = row, where
        self.problems: list[str] = []

    def bad(self, name: str, why: str) -> None:
        self.problems.append(f"{self.where}.{name}: {why}")

    def text(self, name: str, limit: int, *, required: bool = False) -> str:
        value = self.row.get(name)
        if value is None and not required:
            return ""
        if not isinstance(value, str):
            self.bad(name, "missing" if value is None else f"not text ({_shown(value)})")
            return ""
        if len(value) > limit:
            self.bad(name, f"{len(value)} characters, more than {limit}")
            return ""
        return strip_control(value).strip()

    def time(self, name: str) -> str:
        value = self.text(name, 64)
        if value:
            try:
                datetime.fromisoformat(value)
            except ValueError:
                self.bad(name, f"not a date and time ({_shown(value)})")
        return value

    def target(self) -> str:
        value = self.text("target", 500, required=True)
        if value:
            try:
                canonical = str(parse_target(value))
            except UserDataError:
                self.bad("target", f"not a target such as case:<id> ({_shown(value)})")
                return ""
            return canonical
        if "target" in self.row and isinstance(self.row["target"], str):
            self.bad("target", "empty")
        return ""

    def anchor(self) -> dict[str, str] | None:
        value = self.row.get("anchor")
        if value is None:
            return None
        if not isinstance(value, dict) or not all(
            isinstance(v, str) and len(v) <= MAX_SHORT for v in value.values()
        ):
            self.bad("anchor", "not an object of short texts")
            return None
        return {k: strip_control(value.get(k, "")) for k in ("sector", "organisation", "text")}

    def done(self, row: Row) -> Row:
        if self.problems:
            raise _Bad(self.problems)
        return row


def _note(row: dict[str, Any], where: str) -> Row:
    r = _Row(row, where)
    target = r.target()
    text = r.text("text", MAX_TEXT, required=True)
    if not text and isinstance(row.get("text"), str) and len(row["text"]) <= MAX_TEXT:
        r.bad("text", "empty")
    created, updated = r.time("created"), r.time("updated")
    number = row.get("id")
    if number is not None and (not isinstance(number, int) or isinstance(number, bool)):
        r.bad("id", f"not a whole number ({_shown(number)})")
        number = None
    uid = _uid(r, row.get("uid"))
    if uid is None and number is None:
        r.bad("uid", "missing, and no id to derive one from")
    history = row.get("history", [])
    if not isinstance(history, list) or len(history) > MAX_HISTORY:
        r.bad("history", f"not a list of at most {MAX_HISTORY} version keys")
        history = []
    elif not all(isinstance(h, str) and _KEY.match(h) for h in history):
        r.bad("history", "holds something that is not a version key (32 hex digits)")
    out = {
        "uid": uid,
        "target": target,
        "text": text,
        "created": created,
        "updated": updated or created,
        "author": r.text("author", MAX_AUTHOR),
        "history": sorted(set(history)),
        "context": r.text("context", MAX_SHORT),
        "anchor": r.anchor(),
        "id": None,
    }
    checked = r.done(out)
    if checked["uid"] is None:  # an export from before uids: derived as its writer's copy did
        checked["uid"] = legacy_uid(str(row.get("created", "")), int(number or 0), target)
    return checked


def _uid(r: _Row, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 64:
        r.bad("uid", f"not a UUID ({_shown(value)})")
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        r.bad("uid", f"not a UUID ({_shown(value)})")
        return None


def _bookmark(row: dict[str, Any], where: str) -> Row:
    r = _Row(row, where)
    out = {
        "target": r.target(),
        "label": r.text("label", MAX_SHORT),
        "created": r.time("created"),
        "context": r.text("context", MAX_SHORT),
        "anchor": r.anchor(),
    }
    return r.done(out)


def _tags(value: Any, problems: list[str]) -> set[tuple[str, str]]:
    if not isinstance(value, dict):
        problems.append("tags: not an object of case id to tag list")
        return set()
    out: set[tuple[str, str]] = set()
    for case, tags in value.items():
        where = f"tags[{_shown(case)}]"
        try:
            parse_target(f"case:{case}")
        except UserDataError:
            problems.append(f"{where}: not a case id")
            continue
        if not isinstance(tags, list) or not all(
            isinstance(t, str) and len(t) <= 100 for t in tags
        ):
            problems.append(f"{where}: not a list of tags (each at most 100 characters)")
            continue
        for i, tag in enumerate(tags):
            try:
                out.add((case, normalise_tag(tag)))
            except UserDataError as exc:
                problems.append(f"{where}[{i}]: {exc}")
        if len(out) > MAX_ROWS:
            problems.append(f"tags: more than {MAX_ROWS}")
            break
    return out
