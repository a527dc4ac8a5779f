"""Where things live: the database and the case folder, with their overrides.

Precedence: command-line option, then environment variable, then default.

By default the notes (``ccgtui.user.json``), their backups and the lock are in
the user data folder and the rebuildable caches (the content file, its index,
the search index) in the user cache folder, so clearing caches loses no note.
A ``--db`` or ``CCGTUI_DB`` the user names keeps everything beside that path,
which is what scripts and tests expect of one named file.
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


def default_cache_dir() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("ccgtui", appauthor=False)


def bundled_cases_dir() -> Path:
    """The dataset shipped with ccgtui: inside the wheel, or the repo's cases/."""
    installed = _PACKAGE / "_bundled" / "cases"
    return installed if installed.is_dir() else _PACKAGE.parent / "cases"


def db_path(option: Path | str | None = None) -> Path:
    value = option or os.environ.get(DB_ENV)
    path = Path(value).expanduser() if value else default_db_path()
    return path / DB_FILENAME if path.is_dir() else path


def db_chosen(option: Path | str | None = None) -> bool:
    """Whether the user named the database (``--db`` or ``CCGTUI_DB``)."""
    return bool(option or os.environ.get(DB_ENV))


def cache_dir(option: Path | str | None = None) -> Path | None:
    """The user cache folder, or ``None`` when a named ``--db`` keeps its caches beside it."""
    return None if db_chosen(option) else default_cache_dir()


def cases_dir(option: Path | str | None = None) -> Path:
    value = option or os.environ.get(CASES_ENV)
    return Path(value).expanduser() if value else bundled_cases_dir()
