"""Read a case folder into a validated :class:`~ccgtui.model.Dataset`.

Folder layout (see ``docs/data-format.md``)::

    sources.yaml        sources: [ ... ]
    study.yaml          the main study (one mapping)
    studies/*.yaml      further studies, one per file (optional)
    *.yaml              every other top-level YAML file is one case

The loader checks the *whole* folder before returning and collects every
problem as a :class:`Problem` (file, line, field, message); it raises
:class:`LoadError` carrying all of them, so a person can fix a folder in one
pass.  Nothing here writes anything.

The package, lowest first: ``problems`` (what is wrong, in words), ``yaml_file``
(one file read safely), ``files`` (which files, their fingerprint), ``checks``
(models, ids, references), ``parallel`` (the process pool), ``folder`` (the
whole folder).  Everything a caller needs is importable from here.
"""

from __future__ import annotations

from ccgtui.loader.files import (
    SOURCES_FILE,
    STUDIES_DIR,
    STUDY_FILE,
    YAML_SUFFIXES,
    FileStamp,
    case_files,
    fingerprint,
    rules_digest,
    stamps,
)
from ccgtui.loader.folder import Loaded, check_case_files, load, load_folder
from ccgtui.loader.parallel import PARALLEL_MIN_FILES, Progress
from ccgtui.loader.problems import LoadError, Problem, record_problem
from ccgtui.loader.yaml_file import MAX_FILE_BYTES, DuplicateKeyError
from ccgtui.model import Statement, Unknown

__all__ = [
    "MAX_FILE_BYTES",
    "PARALLEL_MIN_FILES",
    "SOURCES_FILE",
    "STUDIES_DIR",
    "STUDY_FILE",
    "YAML_SUFFIXES",
    "DuplicateKeyError",
    "FileStamp",
    "LoadError",
    "Loaded",
    "Problem",
    "Progress",
    "Statement",
    "Unknown",
    "case_files",
    "check_case_files",
    "fingerprint",
    "load",
    "load_folder",
    "record_problem",
    "rules_digest",
    "stamps",
]
