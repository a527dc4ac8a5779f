"""The table of contents beside the cache (``*.index.json``), read and trusted only if it fits.

It records the folder's fingerprint, the content file's size and mtime, each
case's index row (:mod:`ccgtui.facts`, versioned by ``FACTS_VERSION``) and the
byte range of every case in the content file.  Any inconsistency means it is
ignored and the cache rebuilt; it is never trusted on its word.
"""

from __future__ import annotations

import json
import mmap
import re
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from pathlib import Path
from typing import Any

from ccgtui.facts import FACTS_VERSION, ROW_FIELDS, CaseSummary
from ccgtui.search_build import Stamp as SearchStamp
from ccgtui.store.jsonfile import SCHEMA_VERSION, dump_json

_PLAIN_ID = re.compile(r"[a-z0-9._-]+")  # ids whose JSON is the id in quotes


@dataclass(frozen=True)
class CacheIndex:
    """The parsed ``*.index.json``: see the module docstring."""

    fingerprint: str
    content: tuple[int, int]  # size and mtime_ns of the content file it describes
    rows: list[list[Any]]  # CaseSummary rows, turned into summaries only when wanted
    spans: dict[str, tuple[int, int]]  # case id, "studies", "sources" -> byte range
    files: FolderRecord | None = None  # what the folder held when read (incremental reload)
    # zlib.crc32 of each span's bytes: a cache damaged in place (same size and mtime, so
    # the index still fits) is caught when a record is read, not shown or exported.
    crcs: dict[str, int] = field(default_factory=dict)

    @property
    def ids(self) -> list[str]:
        return [str(row[0]) for row in self.rows]

    @cached_property
    def summaries(self) -> list[CaseSummary]:
        return [CaseSummary.from_row(row) for row in self.rows]


# One file of the folder as last read: relative path ("a.yaml", "studies/s.yaml"),
# size, mtime_ns, and the id of the case it holds (None: sources or a study).
FileRecord = tuple[str, int, int, str | None]


@dataclass(frozen=True)
class FolderRecord:
    """Which folder the cache was read from, under which rules, and each file's stamp.

    With it a reload re-reads only the case files whose stamp changed
    (:mod:`ccgtui.store.refresh`); without it (an older index), the whole folder.
    """

    folder: str  # resolved path
    rules: str  # ccgtui.loader.rules_digest() when it was read
    files: list[FileRecord]

    def as_json(self) -> dict[str, Any]:
        return {"folder": self.folder, "rules": self.rules, "files": self.files}

    @classmethod
    def parse(cls, raw: Any) -> FolderRecord | None:
        """The record, or ``None`` if missing or malformed (only a slower reload)."""
        try:
            folder, rules, files = raw["folder"], raw["rules"], raw["files"]
            if not (isinstance(folder, str) and isinstance(rules, str)):
                return None
            parsed: list[FileRecord] = []
            for rel, size, mtime_ns, case_id in files:
                if not (
                    isinstance(rel, str)
                    and type(size) is int
                    and type(mtime_ns) is int
                    and (case_id is None or isinstance(case_id, str))
                ):
                    return None
                parsed.append((rel, size, mtime_ns, case_id))
        except (KeyError, TypeError, ValueError):
            return None
        return cls(folder, rules, parsed)


def checked_rows(rows: Any) -> list[list[Any]]:
    """Index rows of the expected shape (a malformed index is ignored, not trusted)."""
    if not isinstance(rows, list) or not all(
        isinstance(r, list) and len(r) == ROW_FIELDS and isinstance(r[0], str) for r in rows
    ):
        raise ValueError("index rows are malformed")
    return rows


def read_index(index_path: Path, db_path: Path) -> CacheIndex | None:
    """The table of contents if it describes the content file as it is now."""
    try:
        data = json.loads(index_path.read_bytes())
        index = parse_index(data)
        current = content_stat(db_path)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if (
        data.get("schema_version") != SCHEMA_VERSION
        or data.get("facts_version") != FACTS_VERSION
        or index.content != current
        or index.crcs.keys() != index.spans.keys()
        or not spans_fit(index, db_path)
    ):
        return None  # a cache: any inconsistency means rebuild, never trust
    return index


def spans_fit(index: CacheIndex, db_path: Path) -> bool:
    """Whether every byte range lies in the content file and starts where it says.

    A damaged index (two spans swapped, one 8 GB long) with the content
    file's size and mtime intact would otherwise show the wrong case or
    read gigabytes.  Each case's entry begins ``{"id":"<its id>"``; checking
    that through a memory map costs a few milliseconds at 10k cases.
    """
    size = index.content[0]
    ids = index.ids
    if len(set(ids)) != len(ids) or not {"studies", "sources", *ids} <= index.spans.keys():
        return False
    ranges = sorted(index.spans.values())
    if any(not 0 < a < b <= size for a, b in ranges):
        return False
    if any(end > start for (_, end), (start, _) in pairwise(ranges)):
        return False  # overlapping
    try:
        with (
            db_path.open("rb") as fh,
            mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm,
        ):
            if len(mm) != size:
                return False
            for name in ("studies", "sources"):
                a, b = index.spans[name]
                if mm[a : a + 1] != b"{" or mm[b - 1 : b] != b"}":
                    return False
            for case_id in ids:
                a, b = index.spans[case_id]
                # An id as the model allows it needs no JSON escapes (10k json.dumps: 40 ms).
                plain = case_id.isascii() and _PLAIN_ID.fullmatch(case_id)
                head = b'{"id":' + (f'"{case_id}"' if plain else json.dumps(case_id)).encode()
                if mm[a : a + len(head)] != head or mm[b - 1 : b] != b"}":
                    return False
    except (OSError, ValueError):
        return False
    return True


def content_stat(db_path: Path) -> tuple[int, int]:
    stat = db_path.stat()
    return stat.st_size, stat.st_mtime_ns


def parse_index(data: dict[str, Any]) -> CacheIndex:
    return CacheIndex(
        fingerprint=str(data["fingerprint"]),
        content=(int(data["content"][0]), int(data["content"][1])),
        rows=checked_rows(data["cases"]),
        spans={key: (int(a), int(b)) for key, (a, b) in data["spans"].items()},
        files=FolderRecord.parse(data.get("files")),
        crcs={key: int(crc) for key, crc in data["crcs"].items()},
    )


def search_stamp_of(index: CacheIndex) -> SearchStamp:
    """What the search index written with this table of contents must describe."""
    return SearchStamp(index.fingerprint, *index.content, FACTS_VERSION)


def index_bytes(
    stamp: str,
    content: tuple[int, int],
    rows_json: bytes,
    spans_json: bytes,
    files: FolderRecord | None = None,
    crcs_json: bytes = b"{}",
) -> bytes:
    """The file's bytes; rows and spans come already encoded (made while the content is written)."""
    head: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "fingerprint": stamp,
        "content": list(content),
        "facts_version": FACTS_VERSION,  # the rows are facts' answers (ccgtui.facts)
    }
    if files is not None:
        head["files"] = files.as_json()
    return (
        dump_json(head)[:-1]
        + b',"cases":'
        + rows_json
        + b',"spans":'
        + spans_json
        + b',"crcs":'
        + crcs_json
        + b"}"
    )
