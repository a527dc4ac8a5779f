"""A package's public names imported on first use (PEP 562 module ``__getattr__``).

The core packages (model, loader, query, userdata) re-export every name of their
parts, but a command should pay only for the parts it uses: ``ccgtui list`` must not
import the YAML reader or build pydantic schemas.  Each package lists where each name
lives and takes its ``__getattr__`` from here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_getattr(
    package: str, homes: Mapping[str, str], namespace: dict[str, Any]
) -> Callable[[str], object]:
    """``__getattr__`` for ``package``: import a name's home module when first asked."""

    def __getattr__(name: str) -> object:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home), name)
        namespace[name] = value  # found once; later lookups are plain
        return value

    return __getattr__
