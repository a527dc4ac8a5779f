"""show and export json from the cache's JSON (present.cached), with no model imported (issue 16).

When the store hands out its records as JSON (``Store.cached_records()``), ``show`` prints
a case through its view and ``export json`` writes the cached JSON as it is; both must
print exactly what the model path prints.  The records here are the store's own cache
bytes, read through its lazy view, so the comparison is of the real cached JSON.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ccgtui.cli import cli
from ccgtui.cli.context import Env
from ccgtui.export import Selection
from ccgtui.export.json_export import (
    render_cached_json,
    render_json,
    stream_cached_json,
    stream_json,
)
from ccgtui.lazy_cases import LazyCases
from ccgtui.light_cases import cached_json
from ccgtui.present.cached import Listed
from ccgtui.store import Store
from tests.conftest import BUNDLED_CASES, ILLUSTRATIVE, reopened_store

SECTIONS = ["all", "overview", "story", "arenas", "partners", "evidence", "sources", "ids"]


class RecordsOf:
    """A store's records as ``CachedRecords``: its cache's JSON, read through its lazy view."""

    def __init__(self, store: Store) -> None:
        dataset = store.dataset()
        assert isinstance(dataset.cases, LazyCases)
        self.studies = {s.id: cached_json(s) for s in dataset.studies}
        self.sources = {s.id: cached_json(s) for s in dataset.sources}
        self._cases = dataset.cases
        self._ids = [s.id for s in dataset.cases.summaries]
        self.read: list[int] = []

    @property
    def case_ids(self) -> list[str]:
        return self._ids

    def case_json(self, i: int) -> bytes:
        self.read.append(i)
        return self._cases.raw(i)


def test_a_store_without_the_method_gives_none() -> None:
    from ccgtui.present.cached import cached_records

    assert cached_records(object()) is None


@pytest.mark.parametrize("folder", [BUNDLED_CASES, ILLUSTRATIVE], ids=["bundled", "illustrative"])
def test_the_cached_export_is_the_same_bytes(folder: Path, tmp_path: Path) -> None:
    store = reopened_store(tmp_path / "db.json", folder)
    records = RecordsOf(store)
    listing = [Listed._make(row) for row in store.case_listing()]
    dataset = store.dataset()
    expected = "".join(stream_json(Selection(dataset, cases=dataset.cases)))  # type: ignore[arg-type]
    streamed = "".join(stream_cached_json(records, listing))
    assert streamed == expected
    assert records.read == list(range(len(records.case_ids)))  # each case read once, in order
    pretty = render_json(Selection(dataset, cases=list(dataset.cases)))
    assert render_cached_json(records, listing) == pretty


def run(*args: str, folder: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--cases", str(folder), *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("folder", [BUNDLED_CASES, ILLUSTRATIVE], ids=["bundled", "illustrative"])
def test_show_and_export_print_the_same_from_the_cached_json(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = [s.id for s in reopened_store(tmp_path / "db.json", folder).case_summaries()]
    refs = [*ids, "frail", "case", "zzz-no-such-case"]  # a prefix, an ambiguous one, none
    commands = [["show", ref, "--section", s] for ref in refs for s in SECTIONS]
    commands += [["show", ref, "--format", "json"] for ref in refs]
    out = tmp_path / "out.json"
    commands.append(["export", "json", "--force", "-o", str(out)])
    commands.append(["export", "json", "--pretty", "--force", "-o", str(out)])

    def outputs() -> list[tuple[int, str, str, bytes]]:
        found = []
        for command in commands:
            code, stdout, stderr = run(*command, folder=folder)
            found.append((code, stdout, stderr, out.read_bytes() if "export" in command else b""))
        return found

    monkeypatch.setattr(Store, "cached_records", lambda self: None, raising=False)
    expected = outputs()  # the model path
    made: list[RecordsOf] = []

    def cached_records(self: Store) -> Any:
        made.append(RecordsOf(self))
        return made[-1]

    def no_models(*_: object, **__: object) -> Any:
        raise AssertionError("the model path was taken")

    monkeypatch.setattr(Store, "cached_records", cached_records, raising=False)
    monkeypatch.setattr(Env, "cases_with_references", no_models)
    monkeypatch.setattr(Env, "dataset", no_models)
    assert outputs() == expected
    assert len(made) == len(commands)
    assert any(code == 0 for code, *_ in expected) and any(code == 1 for code, *_ in expected)


def test_json_not_as_validated_falls_back_to_the_models(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A case whose JSON does not read as validated is shown by the model path instead,
    which validates it (and so says what is wrong), never printed as it is."""
    reopened_store(tmp_path / "db.json", BUNDLED_CASES)
    monkeypatch.setattr(Store, "cached_records", lambda self: None, raising=False)
    expected = run("show", "composite-frail-elderly", folder=BUNDLED_CASES)  # the models

    class Odd(RecordsOf):
        def case_json(self, i: int) -> bytes:
            return super().case_json(i).replace(b'"kind":"composite"', b'"kind":7', 1)

    monkeypatch.setattr(Store, "cached_records", lambda self: Odd(self), raising=False)
    taken: list[bool] = []
    original = Env.cases_with_references

    def spy(self: Env, refs: list[str]) -> Any:
        taken.append(True)
        return original(self, refs)

    monkeypatch.setattr(Env, "cases_with_references", spy)
    assert run("show", "composite-frail-elderly", folder=BUNDLED_CASES) == expected
    assert taken == [True]


@pytest.mark.skipif(
    not hasattr(Store, "cached_records"),
    reason="the store does not hand out its records as JSON yet (notes/light.md)",
)
@pytest.mark.parametrize(
    "command",
    [["show", "composite-frail-elderly"], ["export", "json", "--force", "-o", "{out}"]],
)
def test_show_and_export_json_import_no_model(command: list[str], tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    reopened_store(db, BUNDLED_CASES)
    args = [a.format(out=tmp_path / "out.json") for a in command]
    code = (
        "import sys\n"
        "from ccgtui.cli import main\n"
        f"sys.argv = ['ccgtui', '--db', {str(db)!r}, '--cases', {str(BUNDLED_CASES)!r}, "
        f"*{args!r}]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "print(sorted(m for m in sys.modules if m.startswith(('ccgtui.model.', 'pydantic.main'))),"
        " file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-800:]
    # plain enums and the citation function at most: no pydantic model class
    imported = ast.literal_eval(done.stderr.strip().splitlines()[-1])
    assert set(imported) <= {"ccgtui.model.citation", "ccgtui.model.vocabularies"}, imported
