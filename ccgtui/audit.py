"""How well a dataset is sourced: the strict checks and the coverage report.

Definitions used by ``ccgtui validate --strict``:

* a *statement* is every Statement or Unknown in the dataset (see
  :func:`ccgtui.model.iter_statements`); an *unknown* is one marked
  ``unknown: true`` or a whole field given as ``{unknown: true}``;
* a known statement is *cited* when it names at least one source; unknowns are
  exempt (a source cannot be cited for what it does not say), so the share
  cited is ``cited / known statements``;
* *unknowns by field* counts unknowns by the last field name in their path
  (``place``, ``partners``, ``arenas.board`` is counted as ``arenas``);
* *conflicts* are sources whose notes, and statements whose note, mention a
  conflict (the word "conflict"), plus each recorded source ``variant`` (another
  record's year or pages), so disagreements between sources stay visible;
* *distinct conflicts* group those lines by topic: every note that begins
  ``Conflict of <topic>:`` describes the same conflict as the others with that
  topic (one disagreement is often noted on each side and on the source); a
  variant's topic is ``<field> of <source id>``; any other note is its own topic.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ccgtui.model import Dataset, Statement, Unknown, iter_statements

_INDEX = re.compile(r"\[\d+\]")
_TOPIC = re.compile(r"^\s*conflict of ([^:]+):", re.IGNORECASE)


@dataclass(frozen=True)
class Coverage:
    """Counts over a whole dataset (see the module docstring for definitions).

    ``statements == known + unknowns``; ``cited <= known``; ``unverified`` counts
    known statements flagged ``unverified: true``; ``conflicts`` holds one line per
    conflict note (``"source <id>: <note>"`` or ``"<record> <path>: <note>"``).
    """

    studies: int
    cases: int
    sources: int
    statements: int
    known: int
    cited: int
    unknowns: int
    unverified: int
    unknowns_by_field: dict[str, int] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    conflict_topics: list[str] = field(default_factory=list)

    @property
    def share_cited(self) -> float:
        return 1.0 if self.known == 0 else self.cited / self.known


def _field_name(path: str) -> str:
    """``story[2].arena`` -> ``story``; ``arenas.board`` -> ``arenas``."""
    parts = _INDEX.sub("", path).split(".")
    return parts[0] if parts[0] == "arenas" else parts[-1]


def _topic(note: str) -> str:
    """``Conflict of start dates: ...`` -> ``start dates``; other notes stand alone."""
    match = _TOPIC.match(note)
    return " ".join(match.group(1).lower().split()) if match else note


def _records(dataset: Dataset) -> list[tuple[str, object]]:
    return [(f"study {s.id}", s) for s in dataset.studies] + [
        (f"case {c.id}", c) for c in dataset.cases
    ]


def coverage(dataset: Dataset) -> Coverage:
    """Count statements, citations, unknowns, unverified figures and conflicts."""
    statements = known = cited = unknowns = unverified = 0
    by_field: Counter[str] = Counter()
    conflicts: list[str] = []
    topics: dict[str, None] = {}  # insertion-ordered set
    for label, record in _records(dataset):
        for path, item in iter_statements(record):  # type: ignore[arg-type]
            statements += 1
            if isinstance(item, Unknown) or item.unknown:
                unknowns += 1
                by_field[_field_name(path)] += 1
                continue
            known += 1
            cited += bool(item.sources)
            unverified += isinstance(item, Statement) and item.unverified
            if item.note and "conflict" in item.note.lower():
                conflicts.append(f"{label} {path}: {item.note}")
                topics[_topic(item.note)] = None
    for source in dataset.sources:
        for note in source.notes:
            if "conflict" in note.lower():
                conflicts.append(f"source {source.id}: {note}")
                topics[_topic(note)] = None
        for variant in source.variants:
            value = getattr(source, variant.field)
            conflicts.append(
                f"source {source.id}: {variant.field} {value} [{variant.given_by}: {variant.value}]"
            )
            topics[f"{variant.field} of {source.id}"] = None
    return Coverage(
        studies=len(dataset.studies),
        cases=len(dataset.cases),
        sources=len(dataset.sources),
        statements=statements,
        known=known,
        cited=cited,
        unknowns=unknowns,
        unverified=unverified,
        unknowns_by_field=dict(sorted(by_field.items())),
        conflicts=conflicts,
        conflict_topics=list(topics),
    )


def strict_problems(dataset: Dataset) -> list[str]:
    """What ``--strict`` rejects: uncited statements, sources with no DOI or URL,
    team members with no source.  (Unresolved source ids are loader errors.)"""
    problems: list[str] = []
    for label, record in _records(dataset):
        for path, item in iter_statements(record):  # type: ignore[arg-type]
            if isinstance(item, Statement) and not item.unknown and not item.sources:
                problems.append(f"{label}: {path}: statement has no source: {item.text[:60]!r}")
        for i, member in enumerate(getattr(record, "team", [])):
            if not member.sources:
                problems.append(f"{label}: team[{i}]: {member.name} has no source")
    for source in dataset.sources:
        if not (source.doi or source.url):
            problems.append(f"source {source.id}: has neither a DOI nor a URL")
    return problems


def format_coverage(cov: Coverage) -> str:
    lines = [
        "Coverage report",
        f"  studies:              {cov.studies}",
        f"  cases:                {cov.cases}",
        f"  sources:              {cov.sources}",
        f"  statements:           {cov.statements} ({cov.known} known, {cov.unknowns} unknown)",
        f"  cited:                {cov.cited}/{cov.known} known statements ({cov.share_cited:.1%})",
        f"  unverified:           {cov.unverified}",
        "  unknowns by field:    "
        + (", ".join(f"{k} {v}" for k, v in cov.unknowns_by_field.items()) or "none"),
        f"  conflicts:            {len(cov.conflict_topics)} distinct"
        + (
            f" ({len(cov.conflicts)} mentions)"
            if len(cov.conflicts) != len(cov.conflict_topics)
            else ""
        ),
    ]
    lines += [f"    - {c}" for c in cov.conflicts]
    return "\n".join(lines)
