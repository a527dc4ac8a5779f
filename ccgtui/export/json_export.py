"""JSON: complete and lossless, stable key order, readable by ``ccgtui import``.

Schema (version 1)::

    {"format": "ccgtui-export", "schema_version": 1,
     "studies": [Study, ...], "sources": [Source, ...], "cases": [Case, ...],
     "banners": {record id: [banner, ...]}}

``banners`` holds, for each illustrative or composite record, the wording every other
output shows above it; ``ccgtui import`` ignores it (it follows from the records).

Each record is the case-file mapping (``model_dump(mode="json")`` without
defaults), so it loads back through the same validation as a YAML file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ccgtui.export.selection import SCHEMA_VERSION, ExportError, Selection
from ccgtui.facts import SummarisedCases
from ccgtui.json_safe import compact_json, json_text
from ccgtui.present.cached import CachedRecords, Flags, Listed
from ccgtui.wording import banners

if TYPE_CHECKING:
    from ccgtui.model import Case, Source, Study


def _dump(model: Study | Source | Case) -> dict[str, Any]:
    # A study or source read from the cache: the JSON it was read from is this dump
    # (tests/export/test_json_export_cache.py), and needs no serializer schema built.
    from ccgtui.light_cases import cached_json  # the models: only on this path

    cached = cached_json(model)
    return cached if cached is not None else model.model_dump(mode="json", exclude_defaults=True)


def export_data(selection: Selection) -> dict[str, Any]:
    full = selection.what in ("study", "cases") and len(selection.cases) == len(
        selection.dataset.cases
    )
    sources = selection.dataset.sources if full else selection.cited_sources()
    records: list[Study | Case] = [*selection.studies, *selection.cases]
    return {
        "format": "ccgtui-export",
        "schema_version": SCHEMA_VERSION,
        "studies": [_dump(s) for s in selection.studies],
        "sources": [_dump(s) for s in sources],
        "cases": [_dump(c) for c in selection.cases],
        "banners": {r.id: banners(r) for r in records if banners(r)},
    }


def render_json(selection: Selection) -> str:
    return json_text(export_data(selection), sort_keys=True) + "\n"


def stream_json(selection: Selection) -> Iterator[str]:
    """The same document as :func:`render_json`, compact, one record at a time.

    Each record is encoded by json's C encoder as it comes (``indent`` would make
    json use its pure-Python encoder), so neither the whole document nor its text
    is ever held: at 10k cases the text alone is ~80 MB.  The cases may be a lazy
    view (the store's): each is read once, as it is written, and what comes before
    them (their studies and banners) is taken from their summaries.  Keys in the
    same sorted order; ``json.loads`` of the result equals that of :func:`render_json`'s.
    """
    dataset = selection.dataset
    full = selection.what in ("study", "cases") and len(selection.cases) == len(dataset.cases)
    sources = dataset.sources if full else selection.cited_sources()
    cases = selection.cases
    if isinstance(cases, SummarisedCases) and selection.what == "cases" and len(cases):
        # the same answers as the cases would give (facts derives both), without reading them
        wanted = {s.study for s in cases.summaries}
        studies = [s for s in dataset.studies if s.id in wanted]
        flagged = {s.id: banners(s) for s in studies if banners(s)}
        flagged |= {c.id: banners(c) for c in cases.summaries if banners(c)}
    else:
        studies = selection.studies
        records: list[Study | Case] = [*studies, *cases]
        flagged = {r.id: banners(r) for r in records if banners(r)}
    yield '{"banners":' + compact_json(flagged) + ',"cases":['
    for n, record in enumerate(_case_records(cases)):
        yield ("," if n else "") + compact_json(record)
    yield '],"format":"ccgtui-export","schema_version":' + str(SCHEMA_VERSION)
    yield ',"sources":[' + ",".join(compact_json(_dump(s)) for s in sources)
    yield '],"studies":[' + ",".join(compact_json(_dump(s)) for s in studies)
    yield "]}\n"


def _case_records(cases: Sequence[Case]) -> Iterator[dict[str, Any]]:
    """Each case's record; over the store's cache, its cached JSON, not validated again.

    The cache holds ``model_dump_json(exclude_defaults=True)`` of the validated case: the
    same mapping as :func:`_dump` (``tests/export/test_json_export_cache.py``: same bytes), and
    at 10k cases validating it again was most of the export's time (issue 16).
    """
    from ccgtui.light_cases import RawCases

    if isinstance(cases, RawCases):
        for i in range(len(cases)):
            yield json.loads(cases.raw(i))
    else:
        for case in cases:
            yield _dump(case)


def stream_cached_json(records: CachedRecords, listing: Sequence[Listed]) -> Iterator[str]:
    """:func:`stream_json` of every case, from the cache's JSON (:mod:`ccgtui.present.cached`).

    The same bytes as :func:`stream_json` over the store's dataset (each record there is
    also its cached JSON), with no model imported: ``listing`` (the store's
    ``case_listing()``, in file order) gives the banners and which studies are exported,
    before the cases are read.
    """
    studies, flagged = _studies_and_banners(records, listing)
    yield '{"banners":' + compact_json(flagged) + ',"cases":['
    for i in range(len(records.case_ids)):
        yield ("," if i else "") + compact_json(json.loads(records.case_json(i)))
    yield '],"format":"ccgtui-export","schema_version":' + str(SCHEMA_VERSION)
    yield ',"sources":[' + ",".join(compact_json(s) for s in records.sources.values())
    yield '],"studies":[' + ",".join(compact_json(s) for s in studies)
    yield "]}\n"


def render_cached_json(records: CachedRecords, listing: Sequence[Listed]) -> str:
    """:func:`render_json` of every case (``--pretty``), from the cache's JSON: the same text."""
    studies, flagged = _studies_and_banners(records, listing)
    data = {
        "format": "ccgtui-export",
        "schema_version": SCHEMA_VERSION,
        "studies": studies,
        "sources": list(records.sources.values()),
        "cases": [json.loads(records.case_json(i)) for i in range(len(records.case_ids))],
        "banners": flagged,
    }
    return json_text(data, sort_keys=True) + "\n"


def _studies_and_banners(
    records: CachedRecords, listing: Sequence[Listed]
) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """The studies of the cases (in file order) and the banners of those and the cases."""
    wanted = {c.study for c in listing}
    studies = [s for s in records.studies.values() if s["id"] in wanted]
    flagged = {s["id"]: banners(Flags.of(s)) for s in studies if banners(Flags.of(s))}
    flagged |= {c.id: banners(c) for c in listing if banners(c)}
    return studies, flagged


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
