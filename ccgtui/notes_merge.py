"""Merging another researcher's notes into yours: pure functions, no files, no store.

A note is known everywhere by its ``uid`` (a UUID given when it is written; a
note older than uids gets :func:`legacy_uid`, derived from what it already
has, so two copies of one old notes file agree).  One uid may have several
*versions*, told apart by :func:`version_key` (uid, target and text).  Each
note row carries ``history``: the keys of the versions it replaced (an edit
adds the old version's key), so a merge can tell an edit from a clash.

:func:`merge_notes` is a set operation on versions, the same whichever side
is "yours":

* identical versions become one row (histories joined, earliest created,
  latest updated);
* a version another version of the same uid lists in its history was edited
  away and is dropped; its key stays in the history of every version left
  standing (if every version lists another, as after an edit back and forth,
  all are kept);
* everything else is kept; two or more versions of one uid left standing are
  a *conflict* (:func:`conflicted`), shown until someone resolves it.

So nothing either side holds is lost: every version is present, or is an
earlier text someone replaced.  Tags and bookmarks merge as sets.

Rows here are plain dicts with the fields of a stored note (``uid``,
``target``, ``text``, ``created``, ``updated``, ``author``, ``history``,
``context``, ``anchor``) and ``id``: the local note number for rows from your
file, ``None`` for rows that would be new.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable
from typing import Any

Row = dict[str, Any]

# A fixed namespace so every ccgtui derives the same uid for the same old note.
_LEGACY_NAMESPACE = uuid.UUID("6f1d3c2e-5a0b-4c8e-9d7f-2b4a6e8c0d13")


def legacy_uid(created: str, number: int, target: str) -> str:
    """The uid of a note written before uids existed: from its creation time, number, target.

    Two researchers who started from one copied notes file get the same uid for
    the same note, so its later edits merge as versions of one note.
    """
    return str(uuid.uuid5(_LEGACY_NAMESPACE, f"{created}\n{number}\n{target}"))


def new_uid() -> str:
    return str(uuid.uuid4())


def version_key(uid: str, target: str, text: str) -> str:
    """A short digest naming one version of a note (what ``history`` lists)."""
    digest = hashlib.sha256(json.dumps([uid, target, text]).encode("utf-8"))
    return digest.hexdigest()[:32]


def key_of(row: Row) -> str:
    return version_key(str(row["uid"]), str(row["target"]), str(row["text"]))


def _rank(row: Row) -> tuple[str, str, str, str]:
    """A total order for picking which copy's details a merged row keeps (side-blind)."""
    anchor = json.dumps(row.get("anchor"), sort_keys=True)
    return (
        str(row.get("updated", "")),
        str(row.get("author", "")),
        str(row.get("context", "")),
        anchor,
    )


def _join(rows: list[Row]) -> Row:
    """Copies of one version: one row, every history, earliest created, latest updated."""
    best = max(rows, key=_rank)
    created = sorted(c for r in rows if (c := str(r.get("created", ""))))
    local = sorted(int(r["id"]) for r in rows if r.get("id") is not None)
    return {
        **best,
        "created": created[0] if created else "",
        "history": sorted({h for r in rows for h in r.get("history", ())}),
        "id": local[0] if local else None,
    }


def _group(rows: Iterable[Row]) -> dict[str, dict[str, list[Row]]]:
    groups: dict[str, dict[str, list[Row]]] = {}
    for row in rows:
        groups.setdefault(str(row["uid"]), {}).setdefault(key_of(row), []).append(row)
    return groups


def _standing(versions: dict[str, Row]) -> list[str]:
    """The version keys no other version of the same uid lists as replaced."""
    keys = sorted(versions)
    standing = [k for k in keys if not any(k in versions[o]["history"] for o in keys if o != k)]
    # Versions that each list the other (edited back and forth, or a hostile
    # file) would leave nothing: keep them all, as a conflict.
    return standing or keys


def _fold(versions: dict[str, Row]) -> list[Row]:
    """One uid's versions after the rules above, local numbers kept where they can be."""
    standing = _standing(versions)
    dropped = [k for k in sorted(versions) if k not in standing]
    out: list[Row] = []
    for key in standing:
        # Every version left standing remembers the ones dropped, so they stay
        # dropped when the same file is merged again.
        row = dict(versions[key])
        row["history"] = sorted({*row["history"], *dropped})
        out.append(row)
    # A version edited away hands its local number to a new version that replaced it.
    free = sorted(int(versions[d]["id"]) for d in dropped if versions[d].get("id") is not None)
    for row in out:
        if row["id"] is None and free:
            row["id"] = free.pop(0)
    return out


def merge_notes(local: Iterable[Row], incoming: Iterable[Row]) -> list[Row]:
    """Both sides' notes as one list (see the module docstring); new rows have ``id`` None."""
    incoming_rows = [
        {**r, "id": None} for r in incoming
    ]  # another file's numbers mean nothing here
    merged: list[Row] = []
    for _uid, versions in sorted(_group([*local, *incoming_rows]).items()):
        merged += _fold({key: _join(copies) for key, copies in versions.items()})
    return merged


def conflicted(rows: Iterable[Row]) -> set[str]:
    """The uids with more than one version standing."""
    seen: dict[str, int] = {}
    for row in rows:
        seen[str(row["uid"])] = seen.get(str(row["uid"]), 0) + 1
    return {uid for uid, n in seen.items() if n > 1}


def merge_tags(
    local: Iterable[tuple[str, str]], incoming: Iterable[tuple[str, str]]
) -> set[tuple[str, str]]:
    """(case, tag) pairs: the union."""
    return {*local, *incoming}


def new_bookmarks(local_targets: Iterable[str], incoming: Iterable[Row]) -> list[Row]:
    """The incoming bookmarks on targets you have not bookmarked (yours keep their labels)."""
    have = set(local_targets)
    out: list[Row] = []
    for row in incoming:
        if row["target"] not in have:
            have.add(row["target"])
            out.append(row)
    return out
