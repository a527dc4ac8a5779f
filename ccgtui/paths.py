"""Where things live: the database and the case folder, with their overrides.

Precedence: command-line option, then environment variable, then default.
"""

from __future__ import annotations

import os
from pathlib import Path

DB_ENV = "CCGTUI_DB"
CASES_ENV = "CCGTUI_CASES"
DB_FILENAME = "ccgtui.json"

_PACKAGE = Path(__file__).resolve().parent


def default_db_path() -> Path:
    # platformdirs is imported here, not at module level, to keep CLI start-up lean.
    from platformdirs import user_data_path

    return user_data_path("ccgtui", appauthor=False) / DB_FILENAME


def bundled_cases_dir() -> Path:
    """The dataset shipped with ccgtui: inside the wheel, or the repo's cases/."""
    installed = _PACKAGE / "_bundled" / "cases"
    return installed if installed.is_dir() else _PACKAGE.parent / "cases"


def db_path(option: Path | str | None = None) -> Path:
    value = option or os.environ.get(DB_ENV)
    path = Path(value).expanduser() if value else default_db_path()
    return path / DB_FILENAME if path.is_dir() else path


def cases_dir(option: Path | str | None = None) -> Path:
    value = option or os.environ.get(CASES_ENV)
    return Path(value).expanduser() if value else bundled_cases_dir()
