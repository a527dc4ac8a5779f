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
whole folder).  Everything a caller needs is importable from here, each part imported
on first use (the fingerprint and LoadError need no YAML parser or models).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
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

# Where each public name lives: imported on first use, so a command imports only
# the parts it touches (issue 16's light imports).
_HOMES: dict[str, str] = {
    "SOURCES_FILE": "ccgtui.loader.files",
    "STUDIES_DIR": "ccgtui.loader.files",
    "STUDY_FILE": "ccgtui.loader.files",
    "YAML_SUFFIXES": "ccgtui.loader.files",
    "FileStamp": "ccgtui.loader.files",
    "case_files": "ccgtui.loader.files",
    "fingerprint": "ccgtui.loader.files",
    "rules_digest": "ccgtui.loader.files",
    "stamps": "ccgtui.loader.files",
    "Loaded": "ccgtui.loader.folder",
    "check_case_files": "ccgtui.loader.folder",
    "load": "ccgtui.loader.folder",
    "load_folder": "ccgtui.loader.folder",
    "PARALLEL_MIN_FILES": "ccgtui.loader.parallel",
    "Progress": "ccgtui.loader.parallel",
    "LoadError": "ccgtui.loader.problems",
    "Problem": "ccgtui.loader.problems",
    "record_problem": "ccgtui.loader.problems",
    "MAX_FILE_BYTES": "ccgtui.loader.yaml_file",
    "DuplicateKeyError": "ccgtui.loader.yaml_file",
    "Statement": "ccgtui.model",
    "Unknown": "ccgtui.model",
}

if not TYPE_CHECKING:  # mypy sees the imports above; a typo is still an error
    from ccgtui.lazy_exports import lazy_getattr

    __getattr__ = lazy_getattr(__name__, _HOMES, globals())


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
