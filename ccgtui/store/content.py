"""Reading the cache: the dataset (cases read lazily), summaries, the search index's stamp.

With a current table of contents the cases come as a
:class:`~ccgtui.lazy_cases.LazyCases` view, each validated when read; without
one, the whole content file is validated at once.
"""

from __future__ import annotations

import contextlib
import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

from ccgtui.bulk import gc_paused
from ccgtui.facts import CaseSummary, summaries
from ccgtui.lazy_cases import LazyCases
from ccgtui.store.index import CacheIndex, content_stat, search_stamp_of
from ccgtui.store.jsonfile import StoreError, meta_of, read_json
from ccgtui.store.write import ContentWriter

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ccgtui.model import Case, Dataset, Source, Study
    from ccgtui.search_build import Stamp as SearchStamp

    class ContentFile(BaseModel):  # what content_file() makes, for the type checker
        studies: dict[str, Study]
        sources: dict[str, Source]
        cases: dict[str, Case]


_M = TypeVar("_M", bound="BaseModel")


@dataclass(frozen=True)
class CachedRecords:
    """The cache's records as JSON (``ccgtui.present.cached.CachedRecords``)."""

    studies: dict[str, Any]  # id -> the study's JSON, in file order
    sources: dict[str, Any]
    cases: LazyCases

    @property
    def case_ids(self) -> Sequence[str]:
        """The ids in file order; ``in`` and ``index`` look one up (one row read)."""
        return self.cases.ids

    def case_json(self, i: int) -> bytes:
        """Case ``i``'s JSON, checked (checksum, its id first), else ``DamagedCache``."""
        return self.cases.raw(i)


@cache
def content_file() -> type[ContentFile]:
    """The content file's tables, validated straight from its bytes (no dict copy).

    Made on first use: defining it imports pydantic's models, which ``list`` and
    ``export json`` over a current cache never need (issue 16).
    """
    from pydantic import ConfigDict, create_model

    from ccgtui.model import Case, Source, Study

    made = create_model(  # the types given as objects: this module's annotations are text
        "ContentFile",
        __config__=ConfigDict(extra="ignore", defer_build=True),  # built when first read
        studies=(dict[str, Study], {}),
        sources=(dict[str, Source], {}),
        cases=(dict[str, Case], {}),
    )
    return made  # type: ignore[return-value]  # the class mypy sees above


class Content(ContentWriter):
    """The cached dataset and what is read from it."""

    def search_stamp(self) -> SearchStamp:
        """What a current search index must describe (call :meth:`open` first)."""
        self.dataset()  # makes sure the index describes the content file as it is now
        index = self._index if self._index is not None else self._read_index()
        if index is None:
            raise StoreError(f"database {self.db_path} has no index; run `ccgtui load`")
        return search_stamp_of(index)

    def rebuild_search_index(self) -> None:
        """Write the search index again from the cache (each case read once)."""
        with self.locked():
            index = self._index if self._index is not None else self._read_index()
            if index is None:
                raise StoreError(f"database {self.db_path} has no index; run `ccgtui load`")
            dataset = self.dataset()
            with gc_paused():
                # After an incremental reload, the unchanged cases' texts come from the
                # index kept from before it; only the others are validated (search_prev).
                from ccgtui.search_build import index_texts
                from ccgtui.store.search_prev import previous_texts

                kept = previous_texts(self.search_path)
                cases = dataset.cases
                texts = [
                    found if (found := kept.get(case_id)) is not None else index_texts(cases[i])
                    for i, case_id in enumerate(index.ids)
                ]
                self._write_search_index(index, dataset.studies, dataset.sources, texts)

    def dataset(self) -> Dataset:
        """The cached dataset (call :meth:`open` first).

        With a current index the cases come as a :class:`LazyCases` view: each
        is validated when read, so memory stays flat at 10,000 cases.
        """
        if self._dataset is None:
            from ccgtui.model import Case, Dataset, Source, Study

            data, self._content = self._content, None
            with gc_paused():
                if data is not None:  # the last good data, parsed by open()
                    self._dataset = Dataset(
                        studies=[Study.model_validate(v) for v in data.get("studies", {}).values()],
                        sources=[
                            Source.model_validate(v) for v in data.get("sources", {}).values()
                        ],
                        cases=[Case.model_validate(v) for v in data.get("cases", {}).values()],
                    )
                else:
                    self._dataset = self._lazy_dataset()
        return self._dataset

    def _lazy_dataset(self) -> Dataset:
        from ccgtui.model import Dataset, Source, Study

        with self.locked():
            index = self._index
            if index is None or content_stat(self.db_path) != index.content:
                index = self._read_index()  # another process reloaded since open()
            if index is None:
                tables = self._validate(content_file(), self._read_content_bytes())
                return Dataset.model_construct(
                    studies=list(tables.studies.values()),
                    sources=list(tables.sources.values()),
                    cases=list(tables.cases.values()),
                )
            self._index = index
            # Opened under the lock, so the view reads exactly the file the index describes.
            cases = self._lazy_cases(index)
            with self.db_path.open("rb") as fh:

                def table(name: str) -> bytes:
                    start, end, crc = index.table(name)
                    fh.seek(start)
                    raw = fh.read(end - start)
                    if zlib.crc32(raw) != crc or raw[:1] != b"{" or raw[-1:] != b"}":
                        raise StoreError(  # damaged in place
                            f"the case cache {self.db_path} is damaged (its {name} do not "
                            "match their checksum); run `ccgtui load` to rebuild it"
                        )
                    return b'{"' + name.encode() + b'":' + raw + b"}"

                studies = self._records(Study, "studies", table("studies"))
                sources = self._records(Source, "sources", table("sources"))
        return Dataset.model_construct(
            studies=list(studies.values()), sources=list(sources.values()), cases=cases
        )

    def cached_records(self) -> CachedRecords | None:
        """Every record as the cache's JSON (``ccgtui.present.cached``), no model built;
        ``None`` without a current table of contents (then read :meth:`dataset`)."""
        if self._content is not None:  # the last good data, parsed: no index fits it
            return None
        with self.locked():
            index = self._index
            if index is None or content_stat(self.db_path) != index.content:
                index = self._read_index()  # another process reloaded since open()
            if index is None:
                return None
            self._index = index
            cases = self._lazy_cases(index)  # opened under the lock: the file indexed
            with self.db_path.open("rb") as fh:
                tables = [self._table(fh, index, name) for name in ("studies", "sources")]
        return CachedRecords(tables[0], tables[1], cases)

    def _lazy_cases(self, index: CacheIndex) -> LazyCases:
        # The index's columns are read when first wanted (show reads one row).
        return LazyCases(
            self.db_path,
            index.span_column,
            index.id_column,
            lambda: index.summaries,
            index.crc_column,
            position=index.locate,
        )

    def _table(self, fh: BinaryIO, index: CacheIndex, name: str) -> dict[str, Any]:
        """The studies or sources, by id, as the cache's JSON (checked against its crc32)."""
        start, end, crc = index.table(name)
        fh.seek(start)
        raw = fh.read(end - start)
        try:
            table = json.loads(raw) if zlib.crc32(raw) == crc else None
            found = {str(v["id"]): v for v in table.values()} if table is not None else None
        except (ValueError, TypeError, AttributeError, KeyError):
            found = None
        if found is None:
            raise StoreError(
                f"the case cache {self.db_path} is damaged (its {name} do not "
                "match their checksum); run `ccgtui load` to rebuild it"
            )
        return found

    def _records(self, item: type[_M], name: str, raw: bytes) -> dict[str, _M]:
        """One table of the content file, each record rebuilt as validated at load time.

        The file is the one the index describes, and the index's fingerprint covers the
        folder and the validating code, so these records were validated when written:
        they are rebuilt without validating again (``light_cases.construct``), which
        would build the schemas and cost ``show`` and ``export`` a tenth of a second.
        Anything not a record as validation left it is validated, to say what is wrong.
        """
        from ccgtui.light_cases import Unbuildable, construct_keeping_json

        try:
            table = json.loads(raw)[name]
            return {key: construct_keeping_json(item, value) for key, value in table.items()}
        except (Unbuildable, ValueError, TypeError, AttributeError, KeyError):
            tables = self._validate(content_file(), raw)  # raises what is wrong
            return dict(getattr(tables, name))

    def _read_content_bytes(self) -> bytes:
        try:
            raw = self.db_path.read_bytes()
        except FileNotFoundError:
            raw = b""
        if not raw.strip():
            raise StoreError(f"database {self.db_path} is empty; run `ccgtui load`")
        return raw

    def _validate(self, model: type[_M], raw: bytes) -> _M:
        from pydantic import ValidationError

        try:
            return model.model_validate_json(raw)
        except ValidationError as exc:
            from ccgtui.wording import plural

            raise StoreError(
                f"database {self.db_path} is unreadable "
                f"({plural(exc.error_count(), 'problem')}, first: "
                f"{exc.errors()[0]['msg']}); run `ccgtui load` to rebuild it"
            ) from exc

    def case_summaries(self) -> list[CaseSummary]:
        """Id, label, kind, study and flag of every case, in file order.

        From the table of contents when it is current: ``list`` then validates no
        study or source either (what :meth:`dataset` would hand its lazy view).
        """
        index = self._current_index()
        if index is not None:
            return list(index.summaries)
        return summaries(self.dataset().cases)

    def case_listing(self) -> list[tuple[str, str, str, str, bool]]:
        """Id, kind, label, study and flag of every case, in file order (``list``).

        Read straight from the table of contents when it is current: no summary
        is built (its filter facets and counts are not printed).
        """
        index = self._current_index()
        if index is not None:
            return index.listing()
        return [(s.id, s.kind, s.label, s.study, s.illustrative) for s in self.case_summaries()]

    def _current_index(self) -> CacheIndex | None:
        """The table of contents, if nothing else was read and it still fits the file."""
        index = self._index
        if self._dataset is None and self._content is None and index is not None:
            with contextlib.suppress(OSError):
                if content_stat(self.db_path) == index.content:
                    return index
        return None

    def partial_dataset(self, case_ids: list[str]) -> Dataset:
        """Studies, sources and only the named cases (unknown ids are skipped)."""
        from ccgtui.model import Dataset

        full = self.dataset()
        chosen = [c for i in dict.fromkeys(case_ids) if (c := full.case(i)) is not None]
        return Dataset.model_construct(studies=full.studies, sources=full.sources, cases=chosen)

    def meta(self) -> dict[str, Any]:
        data = read_json(self.db_path)
        return meta_of(data) if data else {}
