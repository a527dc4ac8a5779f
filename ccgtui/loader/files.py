"""Which files a case folder holds, and a cheap fingerprint of them.

The fingerprint (paths, sizes, mtimes, and a digest of the validating code)
decides whether the store's cache is current.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

YAML_SUFFIXES = (".yaml", ".yml")
SOURCES_FILE = "sources.yaml"
STUDY_FILE = "study.yaml"
STUDIES_DIR = "studies"


def case_files(folder: Path) -> list[Path]:
    """Every YAML file the loader reads, in a stable order."""
    return [folder.joinpath(*parts) for parts in yaml_files(folder)]


def yaml_files(folder: Path) -> list[tuple[str, ...]]:
    """The YAML files in ``folder`` and its studies folder, as sorted relative parts.

    ``os.scandir`` knows which entries are files without a ``stat`` each, and
    sorting tuples of names is the order of sorting the paths without comparing
    10,000 Path objects (10k files: 0.2 s with ``iterdir``, ``is_file``, ``sorted``).
    """
    found: list[tuple[str, ...]] = []
    for prefix in ((), (STUDIES_DIR,)):
        try:
            entries = os.scandir(folder.joinpath(*prefix))
        except (FileNotFoundError, NotADirectoryError):
            if not prefix:
                raise
            continue
        with entries:
            found += [
                (*prefix, entry.name)
                for entry in entries
                if os.path.splitext(entry.name)[1] in YAML_SUFFIXES and _is_file(entry)
            ]
    found.sort()
    return found


def _is_file(entry: os.DirEntry[str]) -> bool:
    """A regular file, or a link that cannot be followed (a loop): reading it says why."""
    try:
        return entry.is_file()
    except OSError:
        return True


def undecodable(parts: tuple[str, ...]) -> bool:
    """A file name whose bytes are not UTF-8 (kept by the OS as surrogate escapes)."""
    return any("\udc80" <= ch <= "\udcff" for part in parts for ch in part)


# The code that decides what a case file means: a cache built by other code (an
# older ccgtui that accepted a ``javascript:`` URL, say) must be rebuilt.  Whole
# packages are globbed, so a module moved or added inside them is still read.
_RULE_MODULES = ("yaml_safety.py", "safe_text.py")
_RULE_PACKAGES = ("model", "loader")


def _rule_files(package: Path) -> list[str]:
    """The validating modules, relative to the ``ccgtui`` folder, in a stable order."""
    found = list(_RULE_MODULES)
    for name in _RULE_PACKAGES:
        found += sorted(f"{name}/{p.name}" for p in (package / name).glob("*.py"))
    return found


@functools.cache
def _rules_digest() -> bytes:
    """A digest of the validating code itself (a hand-bumped version is easy to forget)."""
    package = Path(__file__).parent.parent  # ccgtui/
    digest = hashlib.sha256()
    for name in _rule_files(package):
        try:
            digest.update(name.encode() + b"\0" + (package / name).read_bytes())
        except OSError:  # a frozen or zipped install: fall back to the version alone
            digest.update(name.encode())
    from ccgtui import __version__

    digest.update(__version__.encode())
    return digest.digest()


# One YAML file as the fingerprint sees it: relative parts, size, mtime_ns (-1, -1: no stat).
FileStamp = tuple[tuple[str, ...], int, int]


def rules_digest() -> str:
    """The validating code's digest, in hex: a cache written under other rules is not reused."""
    return _rules_digest().hex()


def stamps(folder: Path) -> list[FileStamp]:
    """Every YAML file the loader would read, with its size and mtime, sorted as it reads them.

    Uses ``os.scandir`` rather than pathlib: at 10,000 files the Path objects
    alone cost half a second, and this runs on every start.
    """
    rows: list[FileStamp] = []
    for prefix in ((), (STUDIES_DIR,)):
        try:
            entries = os.scandir(folder.joinpath(*prefix))
        except OSError:  # missing, not a folder, unreadable: the load reports it
            continue
        with entries:
            for entry in entries:
                if os.path.splitext(entry.name)[1] in YAML_SUFFIXES and _is_file(entry):
                    try:
                        st = entry.stat()
                    except OSError:  # a symlink loop: still part of what the folder holds
                        rows.append(((*prefix, entry.name), -1, -1))
                        continue
                    rows.append(((*prefix, entry.name), st.st_size, st.st_mtime_ns))
    rows.sort()  # by path parts, as case_files() sorts
    return rows


def fingerprint(folder: Path, rows: list[FileStamp] | None = None) -> str:
    """A cheap digest of the folder (paths, sizes, mtimes) to decide on a reload.

    ``rows`` are :func:`stamps` of the folder when the caller has them already.
    """
    digest = hashlib.sha256(os.fsencode(folder.resolve()))
    digest.update(_rules_digest())  # new validation rules: the old cache is not trusted
    for parts, size, mtime_ns in stamps(folder) if rows is None else rows:
        # surrogateescape: a file name need not be UTF-8 (the load then reports it)
        digest.update(f"{'/'.join(parts)}\0{size}\0{mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()
