"""Two YAML defences for case files from other people, used by :mod:`ccgtui.loader`.

- **Alias expansion is bounded.**  Aliases make a small file stand for a huge
  one: one 100 kB anchor used 10,000 times is 1 GB once anything copies it
  (validation, the cache), and nested aliases reach terabytes within the 5 MB
  file limit.  :func:`check_expansion` measures the expanded size on the node
  graph PyYAML composed, each shared node counted once per use but visited
  once, so the measuring itself costs no more than the file.
- **Plain scalars stay text.**  YAML 1.1 reads ``012`` as 10, ``1.10`` as 1.1,
  ``1:30:00`` as 5400, ``.inf`` as infinity and ``no`` as false, and a citation
  quietly changes.  :data:`TEXT_RESOLVERS` keeps only ``null`` and merge keys
  as implicit types; every other plain scalar is the text as written, and the
  model turns text into numbers and booleans where a field is one (``year``,
  ``number``, ``unknown``), so a typed field still reads ``2018`` or ``true``.
"""

from __future__ import annotations

import re

import yaml

# An alias-free document's scalars and nodes add up to no more than its own size
# (each node takes at least a character); aliases may repeat content up to this many
# times the file size, and small files up to the floor, before the file is refused.
EXPANSION_FACTOR = 4
EXPANSION_FLOOR = 1024 * 1024

_KEPT_TAGS = frozenset({"tag:yaml.org,2002:null", "tag:yaml.org,2002:merge"})

# First character -> [(tag, pattern)], as PyYAML's Resolver keeps them, null and merge only.
TEXT_RESOLVERS: dict[str | None, list[tuple[str, re.Pattern[str]]]] = {
    first: kept
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
    if (kept := [(tag, regexp) for tag, regexp in resolvers if tag in _KEPT_TAGS])
}


class ExpansionError(yaml.constructor.ConstructorError):
    """Aliases make the document too big, or make a list or mapping contain itself."""


def expansion_limit(source_chars: int) -> int:
    """How big (in characters and nodes) a document of ``source_chars`` may expand to."""
    return max(EXPANSION_FACTOR * source_chars, EXPANSION_FLOOR)


def may_have_aliases(text: str) -> bool:
    """False only when the text cannot hold an alias (every alias starts with ``*``)."""
    return "*" in text


def check_expansion(root: yaml.Node, limit: int) -> None:
    """Raise :class:`ExpansionError` if ``root``, aliases expanded, exceeds ``limit``.

    Size is the length of every scalar plus one per node, as if each alias were
    written out.  The error points at the innermost list or mapping that goes
    over (where the repetition is), or at one that contains itself.  Iterative,
    so deep nesting cannot exhaust the stack.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            open_nodes.discard(key)
            total = 1 + sum(sizes[id(child)] for child in _children(node))
            sizes[key] = total
            if total > limit:
                raise ExpansionError(
                    None,
                    None,
                    f"aliases expand this {_kind(node)} to {total:,} characters, over the "
                    f"limit of {limit:,} ({EXPANSION_FACTOR}x the file size); "
                    "write the repeated content out, or repeat less",
                    node.start_mark,
                )
            continue
        if key in sizes:
            continue  # measured already: an alias of it costs its size again, not a visit
        if key in open_nodes:
            raise ExpansionError(
                None,
                None,
                f"a recursive alias: this {_kind(node)} contains itself; "
                "case files hold plain lists and mappings",
                node.start_mark,
            )
        if isinstance(node, yaml.ScalarNode):
            sizes[key] = 1 + len(node.value)
            continue
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _kind(node: yaml.Node) -> str:
    return "mapping" if isinstance(node, yaml.MappingNode) else "list"
