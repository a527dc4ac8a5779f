"""One YAML file read safely: bytes bounded, UTF-8 checked, duplicate keys refused.

:class:`SafeLoader` is PyYAML's safe loader (libyaml's when present) with the
defences of :mod:`ccgtui.yaml_safety` and a faster path for plain documents;
:func:`read_file` turns every way a file can be unreadable into a
:class:`~ccgtui.loader.problems.Problem`.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar

import yaml

from ccgtui.loader.problems import Problem
from ccgtui.yaml_safety import (
    TEXT_RESOLVERS,
    ExpansionError,
    check_expansion,
    expansion_limit,
    may_have_aliases,
)

# libyaml's safe loader when present (several times faster), else the pure-Python one.
_BaseSafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DuplicateKeyError(yaml.constructor.ConstructorError):
    """A mapping names the same key twice; YAML would silently keep the last value."""

    key = ""


class SafeLoader(_BaseSafeLoader):  # type: ignore[misc,valid-type]
    """The safe loader, refusing duplicate keys so a value never vanishes unnoticed.

    It also refuses aliases that expand the document beyond a few times its size
    (see :mod:`ccgtui.yaml_safety`).
    """

    # Plain scalars stay text as written ("012", "1.10", "no"); null and merge keys only.
    yaml_implicit_resolvers = TEXT_RESOLVERS

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        text = stream if isinstance(stream, str) else None
        self._expansion_limit = expansion_limit(len(text) if text is not None else MAX_FILE_BYTES)
        self._may_alias = text is None or may_have_aliases(text)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        first_line: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # `<<: *anchor` merges are allowed to repeat keys
            key = self.construct_object(key_node, deep=True)
            try:
                seen = first_line.get(key)
            except TypeError:  # unhashable key: SafeConstructor reports it below
                continue
            if seen is not None:
                error = DuplicateKeyError(
                    None,
                    None,
                    f"duplicate key {key!r} (first on line {seen}); "
                    "remove one, YAML would keep only the last",
                    key_node.start_mark,
                )
                error.key = str(key)
                raise error
            first_line[key] = key_node.start_mark.line + 1
        result: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return result

    # Resolver.resolve's implicit resolvers for each first character, looked up once.
    _implicit_by_first_char: ClassVar[dict[str, tuple[tuple[str, re.Pattern[str]], ...]]] = {}

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> Any:
        """PyYAML's ``Resolver.resolve``, without rebuilding a list for every scalar.

        libyaml's parser calls it for every node; this saves about a tenth of
        the parsing time.  Same rules, same order: the resolvers registered for
        the value's first character, then the wildcard ones.
        """
        if self.yaml_path_resolvers:  # this loader has none; if one is added, PyYAML decides
            return super().resolve(kind, value, implicit)
        if kind is yaml.ScalarNode:
            if implicit[0]:
                first = value[:1]
                table = self._implicit_by_first_char.get(first)
                if table is None:
                    resolvers = self.yaml_implicit_resolvers
                    table = (*resolvers.get(first, []), *resolvers.get(None, []))
                    self._implicit_by_first_char[first] = table
                for tag, regexp in table:
                    if regexp.match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        if kind is yaml.SequenceNode:
            return self.DEFAULT_SEQUENCE_TAG
        if kind is yaml.MappingNode:
            return self.DEFAULT_MAPPING_TAG
        return None

    def construct_document(self, node: yaml.Node) -> Any:
        """Build plain strings, lists and mappings directly; PyYAML for anything else.

        PyYAML's constructor goes through several Python calls and a generator
        per node; for case files (strings, lists and mappings, a few numbers and
        booleans) building them directly halves the YAML time (10k files: about
        2.8 s of CPU less).  Every other node (ints, booleans, dates, explicit
        tags) still goes through PyYAML's own constructor, and any document the
        shortcut does not cover exactly (a merge key, an alias of a list or
        mapping, a repeated key, any error) is built again by PyYAML from the
        start, so the data, and every error message, are PyYAML's.
        """
        if self._may_alias:
            check_expansion(node, self._expansion_limit)  # before anything is built
        try:
            data = self._build(node, set()) if self._may_alias else self._build_tree(node)
        except Exception:  # anything unusual: PyYAML decides, and reports
            self._reset_construction()
            return super().construct_document(node)
        self._reset_construction()
        return data

    def _reset_construction(self) -> None:
        self.constructed_objects: dict[yaml.Node, Any] = {}
        self.recursive_objects: dict[yaml.Node, None] = {}
        self.state_generators: list[Any] = []
        self.deep_construct = False

    def _build(self, node: yaml.Node, seen: set[int]) -> Any:
        kind = type(node)
        if kind is yaml.ScalarNode:
            return node.value if node.tag == _STR_TAG else self.construct_object(node, deep=True)
        if id(node) in seen:  # an alias: PyYAML shares the object (and handles recursion)
            raise _NotPlain
        seen.add(id(node))
        if kind is yaml.SequenceNode and node.tag == _SEQ_TAG:
            return [self._build(child, seen) for child in node.value]
        if kind is yaml.MappingNode and node.tag == _MAP_TAG:
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if type(key_node) is not yaml.ScalarNode or key_node.tag == _MERGE_TAG:
                    raise _NotPlain
                key = (
                    key_node.value
                    if key_node.tag == _STR_TAG
                    else self.construct_object(key_node, deep=True)
                )
                result[key] = self._build(value_node, seen)
            if len(result) != len(node.value):  # a repeated key: construct_mapping reports it
                raise _NotPlain
            return result
        return self.construct_object(node, deep=True)

    def _build_tree(self, node: yaml.Node) -> Any:
        """:meth:`_build` for a document that cannot hold an alias (no ``*`` in its text).

        Each node is then used once, so nothing needs remembering, and text scalars
        (nearly every node) are taken where they are met rather than by another call.
        """
        kind = type(node)
        if kind is _SCALAR:
            return node.value if node.tag == _STR_TAG else self.construct_object(node, deep=True)
        if kind is _SEQUENCE and node.tag == _SEQ_TAG:
            return [
                child.value
                if type(child) is _SCALAR and child.tag == _STR_TAG
                else self._build_tree(child)
                for child in node.value
            ]
        if kind is _MAPPING and node.tag == _MAP_TAG:
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if type(key_node) is not _SCALAR or key_node.tag == _MERGE_TAG:
                    raise _NotPlain
                key = (
                    key_node.value
                    if key_node.tag == _STR_TAG
                    else self.construct_object(key_node, deep=True)
                )
                result[key] = (
                    value_node.value
                    if type(value_node) is _SCALAR and value_node.tag == _STR_TAG
                    else self._build_tree(value_node)
                )
            if len(result) != len(node.value):  # a repeated key: construct_mapping reports it
                raise _NotPlain
            return result
        return self.construct_object(node, deep=True)

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        """A date, or a problem at its line if there is no such date (2015-13-45)."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:  # PyYAML lets datetime's error escape, without a line
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a valid date ({exc})", node.start_mark
            ) from exc


SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", SafeLoader.construct_yaml_timestamp)


class _NotPlain(Exception):
    """A YAML document the loader's shortcut leaves to PyYAML."""


_SCALAR, _SEQUENCE, _MAPPING = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode
_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_MERGE_TAG = "tag:yaml.org,2002:merge"


MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass(eq=False)
class Doc:
    """One parsed YAML file: its data, and its text for finding line numbers.

    The node tree (which knows lines) is rebuilt only when a problem needs a
    line: keeping 10,000 node trees alive cost seconds of garbage collection.
    """

    path: Path
    rel: str
    data: Any

    @cached_property
    def node(self) -> yaml.Node | None:
        # Read again rather than keep (or ship between processes) every file's text.
        try:
            text = read_regular(self.path).decode("utf-8")
            return yaml.compose(text, Loader=SafeLoader)
        except (OSError, ValueError, yaml.YAMLError):  # changed since: no line, still the problem
            return None


def read_file(path: Path) -> tuple[Doc | None, list[Problem]]:
    rel = str(path)

    def problem(line: int | None, message: str) -> tuple[None, list[Problem]]:
        return None, [Problem(rel, line, "", message)]

    try:
        raw = read_regular(path)
    except _NotRegular:
        return problem(None, "not a regular file; case files are plain YAML files")
    except _TooBig as exc:
        return problem(None, f"file is {exc}, over the {MAX_FILE_BYTES:,}-byte limit")
    except OSError as exc:  # a symlink loop, no permission, an I/O error
        return problem(None, f"cannot read the file: {why(exc)}")
    if b"\x00" in raw:
        return problem(None, "binary file (contains NUL bytes); case files must be UTF-8 text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return problem(line, f"not valid UTF-8 (byte {exc.start}): save the file as UTF-8")
    try:
        data = yaml.load(text, Loader=SafeLoader)  # noqa: S506 - a *safe* loader (C or Python)
    except (ValueError, RecursionError) as exc:  # not YAMLError: PyYAML let it escape
        return problem(None, f"cannot read the YAML: {exc}")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        err_line = mark.line + 1 if mark is not None else None
        detail = " ".join(str(getattr(exc, "problem", None) or exc).split())
        if isinstance(exc, DuplicateKeyError):
            return None, [Problem(rel, err_line, exc.key, detail)]
        if isinstance(exc, ExpansionError):
            return problem(err_line, detail)
        return problem(err_line, f"YAML syntax error: {detail}")
    if not isinstance(data, dict):
        kind = "empty" if data is None else type(data).__name__
        return problem(1, f"expected a mapping at the top of the file, got {kind}")
    return Doc(path, rel, data), []


class _NotRegular(OSError):
    """A FIFO, device or folder where a case file was listed."""


class _TooBig(OSError):
    """Over MAX_FILE_BYTES; the message is the size found."""


def read_regular(path: Path) -> bytes:
    """A regular file's bytes, at most MAX_FILE_BYTES of them.

    Opened non-blocking: a FIFO put in the file's place since the listing must not
    hang the load waiting for a writer.  Read with ``os.read``, the size ``fstat``
    gave first (a buffered ``read(MAX_FILE_BYTES + 1)`` set aside 5 MB for every file).
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _NotRegular(path)
        if st.st_size > MAX_FILE_BYTES:
            raise _TooBig(f"{st.st_size:,} bytes")
        chunks: list[bytes] = []
        total, want = 0, st.st_size + 1  # one more: a file grown since still shows it
        while total <= MAX_FILE_BYTES:  # bounded even if the file grew since
            chunk = os.read(fd, min(want, MAX_FILE_BYTES + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            want = 1 << 16
    finally:
        os.close(fd)
    if total > MAX_FILE_BYTES:
        raise _TooBig(f"over {MAX_FILE_BYTES:,} bytes")
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def why(exc: OSError) -> str:
    """The OS's reason in words ("Too many levels of symbolic links"), without the path."""
    return exc.strerror or type(exc).__name__
