"""The cache's table of contents (``*.toc.sqlite``) is read in part and checked as read.

``show`` looks one case up (one row), ``list`` reads the listed columns, and
nothing is trusted on its word: a record that does not fit is an error, an
unchanged case keeps its checksum over an incremental reload (damage is not
laundered), and an older ccgtui's JSON index is retired.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from pathlib import Path

import pytest

from ccgtui.light_cases import DamagedCache
from ccgtui.store import Store, StoreError
from tests.conftest import BUNDLED_CASES, MINIMAL_CASE
from tests.test_store import edit_toc


def _second_case(folder: Path) -> None:
    (folder / "case-b.yaml").write_text(
        MINIMAL_CASE.replace("case-a", "case-b").replace("Case A", "Case B")
    )


def test_one_case_is_found_by_reading_one_row(isolated_db: Path) -> None:
    Store(isolated_db, BUNDLED_CASES).open()
    store = Store(isolated_db, BUNDLED_CASES)
    store.open()
    index = store._index
    assert index is not None
    last = index.ids[-1]
    fresh = Store(isolated_db, BUNDLED_CASES)
    fresh.open()
    found = fresh.dataset().case(last)
    assert found is not None and found.id == last
    assert fresh._index is not None and fresh._index._all is None  # no other place was read
    records = Store(isolated_db, BUNDLED_CASES)
    records.open()
    cached = records.cached_records()
    assert cached is not None and last in cached.case_ids and "no-such" not in cached.case_ids
    i = cached.case_ids.index(last)
    assert json.loads(cached.case_json(i))["id"] == last
    assert records._index is not None and records._index._all is None


def test_the_listing_is_the_summaries_columns_and_builds_none(isolated_db: Path) -> None:
    Store(isolated_db, BUNDLED_CASES).open()
    store = Store(isolated_db, BUNDLED_CASES)
    store.open()
    listed = store.case_listing()
    assert store._index is not None and "summaries" not in vars(store._index)
    expected = [(s.id, s.kind, s.label, s.study, s.illustrative) for s in store.case_summaries()]
    assert listed == expected


def test_list_json_prints_what_the_json_encoder_prints(isolated_db: Path) -> None:
    from ccgtui.cli.output import echo_json_rows, print_json

    columns = ["id", "kind", "label", "study", "illustrative"]
    hostile = 'quote " back \\ newline \n bidi \u202e C1 \x9b nbsp \u00a0 é \u2028'
    cases: list[list[tuple[object, ...]]] = [
        [],
        [("a", "b", hostile, "d", True), ("x", "y", "z", "w", False)],
        [("a", None, "c", "d", False)],
        [("a", "b", 3, "d", 1)],  # not text or a flag: said by the json module
    ]
    for rows in cases:
        ours, json_module = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(ours):
            echo_json_rows(columns, rows)
        with contextlib.redirect_stdout(json_module):
            print_json([dict(zip(columns, row, strict=True)) for row in rows])
        assert ours.getvalue() == json_module.getvalue()


@pytest.mark.parametrize(
    ("sql", "args"),
    [
        ("UPDATE cases SET illustrative = 7 WHERE ordinal = 0", ()),
        ("UPDATE cases SET kind = ? WHERE ordinal = 1", (b"\x00\xff",)),
        ("DELETE FROM cases WHERE ordinal = 0", ()),
    ],
)
def test_a_malformed_row_is_an_error_not_a_listing(
    isolated_db: Path, minimal_folder: Path, sql: str, args: tuple[object, ...]
) -> None:
    _second_case(minimal_folder)
    Store(isolated_db, minimal_folder).open()
    edit_toc(isolated_db.with_name(isolated_db.stem + ".toc.sqlite"), sql, *args)
    store = Store(isolated_db, minimal_folder)
    store.open()
    with pytest.raises(StoreError, match="ccgtui load"):
        store.case_listing()


def test_a_reload_of_other_files_keeps_a_damaged_case_damaged(tmp_path: Path) -> None:
    """The unchanged cases' bytes are copied with the checksums they were written with."""
    from bench.synth import write_synthetic

    folder = write_synthetic(tmp_path / "cases", 8, seed=5)
    db = tmp_path / "db" / "ccgtui.json"
    db.parent.mkdir()
    store = Store(db, folder)
    store.open()
    assert store._index is not None
    _, start, end, _ = store._index.places[2]
    victim = store._index.ids[2]
    data = bytearray(db.read_bytes())
    at = data.index(b'"label":"', start, end) + len(b'"label":"')
    data[at] = ord("X") if data[at] != ord("X") else ord("Y")
    stat = db.stat()
    db.write_bytes(bytes(data))
    os.utime(db, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size and mtime: the index fits
    edited = sorted(folder.glob("synth-*.yaml"))[5]
    edited.write_text(edited.read_text() + "\n# edited\n")
    again = Store(db, folder)
    with pytest.raises(DamagedCache):  # when the search index is written, or when read
        assert again.open().reloaded
        again.dataset().case(victim)


def _damage_studies_in_place(db: Path, store: Store, old: bytes, new: bytes) -> None:
    """Replace ``old`` by ``new`` (same length) in the cached studies table, keeping the
    content file's size and mtime, so the table of contents still fits it."""
    assert store._index is not None and len(old) == len(new)
    start, end, _ = store._index.table("studies")
    data = bytearray(db.read_bytes())
    at = data.index(old, start, end)
    data[at : at + len(old)] = new
    stat = db.stat()
    db.write_bytes(bytes(data))
    os.utime(db, ns=(stat.st_atime_ns, stat.st_mtime_ns))


@pytest.mark.parametrize(
    ("old", "new"),
    [(b"Synthetic", b"Synthetix"), (b'"id":', b'"id";')],  # wrong words; not JSON at all
)
def test_a_reload_of_other_files_rereads_damaged_studies(
    tmp_path: Path, old: bytes, new: bytes
) -> None:
    """Damaged cached studies are neither copied on with a fresh checksum (which made
    them pass as sound, review) nor a traceback: the reload reads the folder again."""
    from bench.synth import write_synthetic

    folder = write_synthetic(tmp_path / "cases", 8, seed=5)
    db = tmp_path / "db" / "ccgtui.json"
    db.parent.mkdir()
    store = Store(db, folder)
    store.open()
    sound = store.dataset().studies[0].model_dump()
    _damage_studies_in_place(db, store, old, new)
    edited = sorted(folder.glob("synth-*.yaml"))[5]
    edited.write_text(edited.read_text() + "\n# edited\n")
    again = Store(db, folder)
    assert again.open().reloaded
    assert again.dataset().studies[0].model_dump() == sound


def test_an_older_json_index_is_retired_when_the_cache_is_written(
    isolated_db: Path, minimal_folder: Path
) -> None:
    old = isolated_db.with_name(isolated_db.stem + ".index.json")
    isolated_db.parent.mkdir(parents=True, exist_ok=True)
    old.write_bytes(b'{"schema_version":1,"fingerprint":"abc","content":[1,2]}')
    theirs = isolated_db.with_name("other.index.json")
    theirs.write_bytes(b'{"schema_version":1,"fingerprint":"abc"}')
    Store(isolated_db, minimal_folder).open()
    assert not old.exists() and theirs.exists()
    not_ours = b'{"fingerprint": "someone else"}'
    old.write_bytes(not_ours)
    Store(isolated_db, minimal_folder).open(reload=True)
    assert old.read_bytes() == not_ours  # not ccgtui's: left alone


def test_a_database_path_with_uri_characters_reads_its_table_of_contents(
    tmp_path: Path, minimal_folder: Path
) -> None:
    folder = tmp_path / "a #1? 100% sure"
    folder.mkdir()
    db = folder / "my db.json"
    assert Store(db, minimal_folder).open().reloaded
    again = Store(db, minimal_folder)
    assert not again.open().reloaded  # the table of contents was read, not rebuilt
    assert again.case_listing()[0][0] == "case-a"


def test_a_database_path_with_uri_characters_keeps_its_search_index(
    tmp_path: Path, minimal_folder: Path
) -> None:
    """The search index (read, checked, kept for a patch) opens from such a path too."""
    from ccgtui.search_index import current_index
    from ccgtui.store.search_prev import describes

    folder = tmp_path / "a #1? 100% sure"
    folder.mkdir()
    store = Store(folder / "my db.json", minimal_folder)
    store.open()
    assert describes(store.search_path, store.search_stamp())
    index = current_index(store)  # None: the file was not found or not current
    assert index is not None and index.search("case")


@pytest.mark.parametrize("command", [["list", "--format", "json"], ["show", "case-a"]])
def test_a_current_cache_is_read_without_importing_yaml(
    isolated_db: Path, minimal_folder: Path, command: list[str]
) -> None:
    """The loader's problems module (yaml, ~20 ms) is imported only when a load runs."""
    import subprocess
    import sys

    Store(isolated_db, minimal_folder).open()
    code = (
        "import sys; from click.testing import CliRunner; from ccgtui.cli import cli; "
        f"r = CliRunner().invoke(cli, ['--cases', {str(minimal_folder)!r}, *{command!r}]); "
        "print(r.exit_code, 'yaml' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "CCGTUI_DB": str(isolated_db)},
        check=True,
    )
    assert done.stdout.split() == ["0", "False"], done.stderr


def test_a_full_disk_during_an_incremental_reload_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The unchanged cases copied by the kernel: a failed write leaves the content file as it
    was (its index removed first, as always, so the next open reloads), and no temp file."""
    import errno

    from bench.synth import write_synthetic
    from ccgtui.store import write

    folder = write_synthetic(tmp_path / "cases", 6, seed=7)
    db = tmp_path / "db" / "ccgtui.json"
    db.parent.mkdir()
    Store(db, folder).open()
    before = db.read_bytes()
    edited = sorted(folder.glob("synth-*.yaml"))[3]
    edited.write_text(edited.read_text() + "\n# edited\n")
    ranges: list[object] = []
    real_pieces = write._write_pieces

    def counted(path: Path, pieces: list[object], old: int) -> None:
        ranges.extend(p for p in pieces if isinstance(p, tuple))
        real_pieces(path, pieces, old)  # type: ignore[arg-type]

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(write, "_write_pieces", counted)
    monkeypatch.setattr(write.os, "fsync", full)
    with pytest.raises(StoreError, match="No space left"):
        Store(db, folder).open()
    assert ranges  # the incremental path, copying ranges of the old file
    assert db.read_bytes() == before
    assert not [p for p in db.parent.iterdir() if p.name.endswith(".tmp")]
    monkeypatch.undo()
    store = Store(db, folder)
    assert store.open().reloaded
    assert [c.id for c in store.dataset().cases] == [f"synth-{i:05d}" for i in range(6)]
