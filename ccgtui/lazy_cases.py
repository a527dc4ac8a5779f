"""Cases read from the cache file one at a time, so 10,000 of them need not sit in memory.

A validated :class:`~ccgtui.model.Case` costs about 30 KB of Python objects; the
same case as JSON in the cache is about 6 KB, and on disk it costs nothing.
:class:`LazyCases` keeps only the byte range of each case (from the store's
index) and an open descriptor of the cache file, and validates a case when it
is asked for, keeping the most recently used few hundred.

The descriptor pins the file as it was when opened: if another ccgtui process
reloads the folder, it replaces the file by rename, and this view goes on
reading the old one, a consistent snapshot, until the store is opened again.
"""

from __future__ import annotations

import json
import os
import re
import weakref
import zlib
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, overload

from ccgtui.facts import CaseSummary as CaseSummary  # its home is facts; kept importable here
from ccgtui.facts import summaries as summaries

if TYPE_CHECKING:
    from ccgtui.model import Case

KEPT_VALIDATED = 512
_PLAIN_ID = re.compile(r"[a-z0-9._-]+")  # ids whose JSON is the id in quotes


def case_head(case_id: str) -> bytes:
    """How a cached case's JSON begins: ``{"id":"<its id>"`` (the cache writes id first)."""
    plain = case_id.isascii() and _PLAIN_ID.fullmatch(case_id)
    return (
        b'{"id":' + (f'"{case_id}"' if plain else json.dumps(case_id, ensure_ascii=False)).encode()
    )


class LazyCases(Sequence["Case"]):
    """A read-only sequence of the cases in a cache file (see the module docstring).

    It carries the cases' summaries and finds a case by id, so it is a
    :class:`ccgtui.facts.SummarisedCases`: filters and totals read the summaries.
    """

    def __init__(
        self,
        path: Path,
        spans: Sequence[tuple[int, int]],
        ids: Sequence[str],
        summaries: Callable[[], Sequence[CaseSummary]],
        crcs: Sequence[int],
        *,
        position: Callable[[str], int | None] | None = None,
    ) -> None:
        """``summaries`` is called the first time they are wanted (``show`` never needs them);
        ``crcs`` are the cases' checksums from the index, checked on every read.

        The sequences are kept as given, not copied: the store's table of contents
        hands columns it reads when first wanted, and ``position`` (case id -> index)
        to find one case without reading every id (``ccgtui.store.index``).
        """
        if not len(spans) == len(ids) == len(crcs):
            raise ValueError("one byte range and one checksum per case id expected")
        self._path = path
        self._fd = os.open(path, os.O_RDONLY)
        weakref.finalize(self, os.close, self._fd)
        self._spans = spans
        self._crcs = crcs
        self._ids = ids
        self._find = position
        self._make_summaries = summaries
        self._summaries: tuple[CaseSummary, ...] | None = None
        self._load = lru_cache(maxsize=KEPT_VALIDATED)(self._validate)

    @property
    def summaries(self) -> tuple[CaseSummary, ...]:
        if self._summaries is None:
            self._summaries = tuple(self._make_summaries())
        return self._summaries

    @property
    def ids(self) -> Sequence[str]:
        """The cases' ids, in order (as given: the store's looks one id up for ``in``)."""
        return self._ids

    def raw(self, i: int) -> bytes:
        """Case ``i`` as the cache's JSON, not validated (``ccgtui.light_cases`` reads it)."""
        start, end = self._spans[i]
        raw = os.pread(self._fd, end - start, start)
        case_id = self._ids[i]
        # Damaged in place since it was written, or an index that does not fit the file:
        # the bytes must match their checksum and begin with the case's id.
        if zlib.crc32(raw) != self._crcs[i] or not raw.startswith(case_head(case_id)):
            from ccgtui.light_cases import DamagedCache

            raise DamagedCache(
                f"the case cache {self._path} is damaged (case {case_id!r} does not "
                "match its checksum); run `ccgtui load` to rebuild it"
            )
        return raw

    def _validate(self, i: int) -> Case:
        # pydantic: only once a case is read
        from ccgtui.light_cases import DamagedCache, Unbuildable, construct, validated_case
        from ccgtui.model import Case

        raw = self.raw(i)
        try:  # validated when the folder was loaded: rebuilt as it was (light_cases)
            case = construct(Case, json.loads(raw))
        except (Unbuildable, ValueError, AttributeError):  # not JSON, or not a case
            case = validated_case(raw, self._ids[i], f"{self._path} ")
        if case.id != self._ids[i]:  # the index and the file disagree
            raise DamagedCache(
                f"the case cache {self._path} is damaged (entry {i} holds {case.id!r}, "
                f"expected {self._ids[i]!r}); run `ccgtui load` to rebuild it"
            )
        return case

    def __len__(self) -> int:
        return len(self._spans)

    @overload
    def __getitem__(self, i: int) -> Case: ...
    @overload
    def __getitem__(self, i: slice) -> list[Case]: ...
    def __getitem__(self, i: int | slice) -> Case | list[Case]:
        if isinstance(i, slice):
            return [self._load(j) for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError("case index out of range")
        return self._load(i)

    def __iter__(self) -> Iterator[Case]:
        for i in range(len(self)):
            yield self._load(i)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str | bytes):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable-looking, like a list

    def validated_count(self) -> int:
        """How many cases are held validated right now (for tests and benchmarks)."""
        return self._load.cache_info().currsize

    def by_id(self, case_id: str) -> Case | None:
        if self._find is None:
            self._find = {c: i for i, c in enumerate(self._ids)}.get
        i = self._find(case_id)
        return None if i is None else self._load(i)

    def __repr__(self) -> str:
        return f"<LazyCases: {len(self)} cases>"
