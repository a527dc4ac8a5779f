"""The explorer's search index: one per (dataset, notes revision), owned by the app.

Before, every ``/`` read the notes and tags and opened the index again (and where the
store has no index file, such as the last good data of a broken folder, built one
in memory: 2.4 s at 2,000 cases).  Now the index is built once, in the search
screen's worker, and kept until the data is reloaded or the notes file changes (a
note added here or by ``ccgtui note add`` in another terminal): its revision is the
file's inode, size and modification time, which every atomic write changes.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ccgtui.model import Dataset
    from ccgtui.query import Searching
    from ccgtui.store import Store

Revision = tuple[int, int, int] | None


@dataclass(frozen=True)
class Ready:
    """An index and the user's tags (for ``tag:`` filters), as of one notes revision."""

    index: Searching
    tags: dict[str, list[str]]


def notes_revision(store: Store | None) -> Revision:
    """What changes whenever the notes file does (``None``: no store or no file yet)."""
    if store is None:
        return None
    try:
        stat = os.stat(store.user_path)
    except OSError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


class SearchIndexes:
    """Keeps the last index built; :meth:`get` runs in a worker thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # two searches opened in a burst build it once
        self._dataset: Dataset | None = None
        self._revision: Revision = None
        self._ready: Ready | None = None
        self.builds = 0  # how many times an index was built (for tests)

    def get(self, store: Store | None, dataset: Dataset) -> Ready:
        """The index of ``dataset`` with the notes now in ``store``: kept, or built now."""
        with self._lock:
            revision = notes_revision(store)
            ready = self._ready
            if ready is not None and self._dataset is dataset and self._revision == revision:
                return ready
            ready = _build(store, dataset)
            self._dataset, self._revision, self._ready = dataset, revision, ready
            self.builds += 1
            return ready


def _build(store: Store | None, dataset: Dataset) -> Ready:
    from ccgtui.search_index import index_for

    notes: list[tuple[str, str]] = []
    tags: dict[str, list[str]] = {}
    if store is not None:
        from ccgtui import userdata

        notes = [(n.target, n.text) for n in userdata.list_notes(store)]
        tags = userdata.list_tags(store)
    # The index written at load time when the store has one (issue 16), else in memory.
    return Ready(index_for(store, dataset, notes), tags)
