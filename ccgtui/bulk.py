"""Helpers for building many objects at once."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building a large, acyclic structure.

    Loading 10,000 cases creates millions of small objects; each allocation
    burst triggers full collections that scan everything built so far (measured:
    ``Store.dataset()`` at 10k cases 3.8 s with the collector, 1.0 s without).
    Nothing built here forms reference cycles, so nothing is leaked.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
