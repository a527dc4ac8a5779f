"""The cache's records as JSON, for ``show`` and ``export json`` without the pydantic models.

The content cache holds each study, source and case as ``model_dump(mode="json",
exclude_defaults=True)`` of the record validated when the folder was loaded, and the
table of contents a crc32 of each, checked whenever one is read.  Importing the model
classes (pydantic's machinery with them) was most of what ``show`` and ``export json``
cost over their dependencies on the bundled data (issue 16), and neither needs them:
``export json`` writes that JSON as it is, and ``show`` prints it through
:mod:`ccgtui.present.views`.

The store hands these records out through ``Store.cached_records()`` when it has a
current table of contents; without one (or with a store that has no such method) the
callers take the model path as before, so this is only ever a faster way to the same
output (``tests/test_cached_records.py`` compares the two byte for byte).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

Json = dict[str, Any]


class CachedRecords(Protocol):
    """What ``Store.cached_records()`` returns: every record as the cache's JSON."""

    @property
    def studies(self) -> Mapping[str, Json]:
        """Study id -> its cached JSON, in file order (checked against its crc32)."""
        ...

    @property
    def sources(self) -> Mapping[str, Json]:
        """Source id -> its cached JSON, in file order (checked against its crc32)."""
        ...

    @property
    def case_ids(self) -> Sequence[str]:
        """The cases' ids, in file order (``in`` and ``index`` find one)."""
        ...

    def case_json(self, i: int) -> bytes:
        """Case ``i``'s cached JSON (in file order), checked against its crc32 and its id
        (else ``DamagedCache``)."""
        ...


def cached_records(store: object) -> CachedRecords | None:
    """The store's records as JSON, or ``None``: then read them as models (``dataset()``)."""
    method = getattr(store, "cached_records", None)
    if not callable(method):
        return None
    found: CachedRecords | None = method()
    return found


def case_data(records: CachedRecords, case_id: str) -> Json | None:
    """The case ``case_id`` as a JSON object, or ``None`` if there is no such case."""
    ids = records.case_ids
    if case_id not in ids:
        return None
    i = ids.index(case_id)
    data = json.loads(records.case_json(i))
    if not isinstance(data, dict) or data.get("id") != case_id:
        from ccgtui.light_cases import DamagedCache

        raise DamagedCache(
            f"the case cache is damaged (entry {i} is not the case {case_id!r}); "
            "run `ccgtui load` to rebuild it"
        )
    return data


class Listed(NamedTuple):
    """A row of ``Store.case_listing()``: id, kind, label, study and flag of a case."""

    id: str
    kind: str
    label: str
    study: str
    illustrative: bool


@dataclass(frozen=True)
class Flags:
    """What :func:`ccgtui.wording.banners` reads of a record, from its JSON."""

    illustrative: bool
    kind: str | None = None

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> Flags:
        kind = data.get("kind")
        return cls(data.get("illustrative", False) is True, kind if isinstance(kind, str) else None)
