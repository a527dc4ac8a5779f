"""A search index patch killed half way must not corrupt a later index (review finding).

The kept file (``*.search.sqlite.prev``) is patched in a SQLite transaction with a
rollback journal; a kill leaves that journal.  Once the kept file is gone (the next
search writes the index whole), the journal must go too: SQLite would otherwise play
it back into the next file kept under that name, another index.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench.synth import write_synthetic
from ccgtui.store import Store
from tests.test_incremental_reload import edit_label

QUERIES = ["frail", "leadership", "board", "quokka", "zebra"]

_KILLED_IN_A_TRANSACTION = """
import os, signal, sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA journal_mode=DELETE"); db.execute("PRAGMA cache_size=1")
db.execute("BEGIN IMMEDIATE")
names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
for name in names:
    db.execute(f"DELETE FROM {name}")
os.kill(os.getpid(), signal.SIGKILL)
"""


def answers(store: Store) -> dict[str, list[tuple[str | None, str, float]]]:
    from ccgtui.search_index import search_index

    index = search_index(store)
    return {q: [(h.case_id, h.path, h.score) for h in index.search(q, 500)] for q in QUERIES}


def test_a_journal_left_by_a_killed_patch_never_reaches_a_later_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ccgtui.query import SearchIndex
    from ccgtui.store import refresh

    monkeypatch.setattr(refresh, "SEARCH_NOW_MAX", 0)  # the path a big folder takes
    folder = write_synthetic(tmp_path / "cases", 24, seed=3)
    db = tmp_path / "db" / "ccgtui.json"
    store = Store(db, folder)
    store.open()
    index = store.search_path
    prev = index.with_name(index.name + ".prev")
    index.replace(prev)  # as patch_now moves it aside ...
    done = subprocess.run([sys.executable, "-c", _KILLED_IN_A_TRANSACTION, str(prev)])
    assert done.returncode != 0  # ... and was killed inside its transaction
    journal = prev.with_name(prev.name + "-journal")
    assert journal.exists()

    answers(Store(db, folder))  # no index: written whole, the kept file dropped
    assert not prev.exists() and not journal.exists()

    for n in range(13):  # most files changed: a full load
        edit_label(folder / f"synth-{n:05d}.yaml", f"Quokka {n}")
    Store(db, folder).open()
    edit_label(folder / "synth-00020.yaml", "Zebra crossing")  # one file: patched
    store = Store(db, folder)
    assert store.open().reloaded
    # Patched, not lost: with the journal left, SQLite played it back into this index
    # (the patch then failed and dropped it, or answered from the damaged file).
    assert store.search_path.exists() and not journal.exists()

    reference = SearchIndex(store.dataset())
    expected = {
        q: [(h.case_id, h.path, h.score) for h in reference.search(q, 500)] for q in QUERIES
    }
    assert answers(store) == expected
    assert expected["zebra"] and expected["quokka"]
