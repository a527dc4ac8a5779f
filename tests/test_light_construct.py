"""Records rebuilt from the cache without validation equal the validated ones (issue 16).

``light_cases.construct`` is how the store's lazy view reads a case, and how it reads the
studies and sources, so ``show`` and ``export`` build no schema.  ``repr`` is compared, not
``==``: the vocabularies are ``StrEnum`` s, and ``Arena.board == "board"``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ccgtui.lazy_cases import LazyCases
from ccgtui.light_cases import Unbuildable, construct
from ccgtui.model import Case, Source, Study
from ccgtui.store import Store

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("folder", [ROOT / "cases", ROOT / "examples" / "illustrative"])
def test_every_cached_record_rebuilds_as_validated(tmp_path: Path, folder: Path) -> None:
    store = Store(tmp_path / "db.json", folder)
    store.open()
    dataset = store.dataset()
    cases = dataset.cases
    assert isinstance(cases, LazyCases)  # the store's lazy view
    raw = cases.raw
    assert len(cases) > 0
    for i in range(len(cases)):
        validated = Case.model_validate_json(raw(i))
        built = construct(Case, json.loads(raw(i)))
        assert repr(built) == repr(validated)
        assert built.model_fields_set == validated.model_fields_set
        assert repr(cases[i]) == repr(validated)  # what the view hands out
    for model, records in ((Study, dataset.studies), (Source, dataset.sources)):
        assert records
        for record in records:
            dumped = record.model_dump(mode="json", exclude_defaults=True)
            assert repr(construct(model, dumped)) == repr(model.model_validate(dumped))


def test_what_validation_never_wrote_is_refused() -> None:
    with pytest.raises(Unbuildable):
        construct(Case, {"id": "x", "study": "s", "kind": "no-such-kind", "label": "x"})
    with pytest.raises(Unbuildable):
        construct(Case, {"id": "x", "study": "s", "kind": "in-depth", "label": "x", "extra": 1})
    with pytest.raises(Unbuildable):
        construct(Case, {"id": "x", "study": "s", "kind": "in-depth"})  # no label


@pytest.mark.parametrize(
    "change",
    [
        {"label": 1111},  # a number where validation wrote text
        {"label": ["x"]},
        {"summary": {"text": ["Six main in-depth case studies"], "sources": ["a"]}},
        {"summary": {"text": "x", "unknown": "yes"}},  # a bool field holding text
        {"themes": [1]},
    ],
)
def test_a_wrong_json_type_is_refused_not_shown(change: dict[str, object]) -> None:
    # A cache damaged in place (same size, same mtime, so its index still fits) must be
    # validated, which names the problem, never rebuilt into a case whose label prints
    # as 1111 or whose text prints as a Python list (seen in show and export md).
    data = {"id": "x", "study": "s", "kind": "in-depth", "label": "x", **change}
    with pytest.raises(Unbuildable):
        construct(Case, data)


def test_a_damaged_cached_case_is_still_reported(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.json", ROOT / "cases")
    store.open()
    cases = store.dataset().cases
    assert isinstance(cases, LazyCases)
    start, end = cases._spans[0]
    data = bytearray(store.db_path.read_bytes())
    body = json.loads(bytes(data[start:end]))
    body["kind"] = "x" * len(body["kind"])  # same length: the span still fits
    data[start:end] = json.dumps(body, separators=(",", ":")).encode().ljust(end - start)
    store.db_path.write_bytes(bytes(data))
    fresh = Store(tmp_path / "db.json", ROOT / "cases")
    fresh.open(reload=False)
    with pytest.raises(ValueError):  # validation says what is wrong, as before
        fresh.dataset().cases[0]


def test_export_dumps_cached_studies_and_sources_as_they_were_read(tmp_path: Path) -> None:
    from ccgtui.export.json_export import _dump
    from ccgtui.light_cases import cached_json

    store = Store(tmp_path / "db.json", ROOT / "cases")
    store.open()
    dataset = store.dataset()
    for record in [*dataset.studies, *dataset.sources]:
        assert cached_json(record) is not None  # the export's fast path is taken
        assert _dump(record) == record.model_dump(mode="json", exclude_defaults=True)
    made = construct(Source, dict(cached_json(dataset.sources[0]) or {}))
    assert cached_json(made) is None  # only what the store read keeps its JSON


@pytest.mark.parametrize(
    "command",
    [
        ["show", "composite-frail-elderly"],
        ["compare", "composite-frail-elderly", "in-depth-1"],
        ["matrix", "--by", "arenas"],  # light_case, not construct
    ],
)
def test_a_damaged_cached_case_is_an_error_not_a_traceback(
    tmp_path: Path, command: list[str]
) -> None:
    from click.testing import CliRunner

    from ccgtui.cli.main import cli

    db = tmp_path / "db.json"
    store = Store(db, ROOT / "cases")
    store.open()
    data = db.read_bytes()
    assert data.count(b'"kind":"composite"') == 1
    stat = db.stat()
    db.write_bytes(data.replace(b'"kind":"composite"', b'"kind":"compositX"'))
    os.utime(db, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # damaged in place: the index fits
    args = ["--db", str(db), "--cases", str(ROOT / "cases"), *command]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 1
    assert "the case cache" in result.stderr and "is damaged" in result.stderr
    assert "ccgtui load" in result.stderr


@pytest.mark.parametrize(
    ("command", "damage"),
    [
        # export json copies each cached case's JSON as it was read: without the checksum
        # a damaged case was written out with exit 0 (review, 2026-12-02)
        (["export", "json"], (b'"kind":"composite"', b'"kind":"compositX"')),
        (["show", "composite-frail-elderly"], (b"not one site", b"not one sitE")),  # its label
        # the studies table comes first in the file, so its title is the first match
        (["study", "ccg-clinical-leadership"], (b"Clinical leadership", b"Clinical leadershiq")),
    ],
)
def test_a_case_or_table_damaged_in_place_fails_its_checksum(
    tmp_path: Path, command: list[str], damage: tuple[bytes, bytes]
) -> None:
    from click.testing import CliRunner

    from ccgtui.cli.main import cli

    db = tmp_path / "db.json"
    Store(db, ROOT / "cases").open()
    data = db.read_bytes()
    assert damage[0] in data
    stat = db.stat()
    db.write_bytes(data.replace(damage[0], damage[1], 1))  # valid JSON, valid-looking text
    os.utime(db, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size and mtime: index fits
    out = tmp_path / "out.json"
    args = ["--db", str(db), "--cases", str(ROOT / "cases"), *command]
    if command[0] == "export":
        args += ["-o", str(out)]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert "is damaged" in result.stderr and "checksum" in result.stderr
    assert "ccgtui load" in result.stderr
    assert not out.exists()
