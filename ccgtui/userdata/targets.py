"""Target ids, built and parsed: what a note or bookmark points at (`case:ID`, `partner:C/2`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ccgtui.model.vocabularies import Arena

if TYPE_CHECKING:
    from ccgtui.model import Case, Partner

TARGET_KINDS = ("study", "case", "stage", "arena", "partner", "source")
_ID = r"[a-z0-9][a-z0-9._-]*"
_TARGET_RE = {
    "study": re.compile(rf"^({_ID})$"),
    "case": re.compile(rf"^({_ID})$"),
    "source": re.compile(rf"^({_ID})$"),
    "stage": re.compile(rf"^({_ID})/({_ID})$"),
    "arena": re.compile(rf"^({_ID})/(board|programme|practice)$"),
    "partner": re.compile(rf"^({_ID})/({_ID})$"),  # a position or a partner id
}
_POSITION = re.compile(r"^[1-9][0-9]*$")


class UserDataError(ValueError):
    """A bad target, tag or text, or an id that does not exist."""


@dataclass(frozen=True)
class Target:
    """A parsed target id: ``kind`` plus the id parts after the colon."""

    kind: str
    parts: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.kind}:{'/'.join(self.parts)}"

    @property
    def case_id(self) -> str | None:
        """The case this target belongs to, if any."""
        return self.parts[0] if self.kind in ("case", "stage", "arena", "partner") else None

    @property
    def position(self) -> int | None:
        """``n`` for ``partner:<case>/<n>``; ``None`` for a partner id and every other kind."""
        if self.kind == "partner" and self.parts[1].isdigit():
            return int(self.parts[1])
        return None


def study_target(study_id: str) -> str:
    return f"study:{study_id}"


def case_target(case_id: str) -> str:
    return f"case:{case_id}"


def stage_target(case_id: str, stage_id: str) -> str:
    return f"stage:{case_id}/{stage_id}"


def arena_target(case_id: str, arena: Arena | str) -> str:
    return f"arena:{case_id}/{Arena(arena).value}"


def partner_target(case_id: str, ref: int | str) -> str:
    """``ref`` is the partner's id, or its position counting from 1 (the first is 1).

    :func:`target_for_partner` picks the id when the partner has one.
    """
    if isinstance(ref, int):
        if ref < 1:
            raise UserDataError(f"partner numbers count from 1, got {ref}")
        return f"partner:{case_id}/{ref}"
    return str(parse_target(f"partner:{case_id}/{ref}"))


def target_for_partner(case: Case, number: int) -> str:
    """The target for the ``number``-th partner of ``case`` (from 1): its id if it has one."""
    partners = _partners(case)
    if not 1 <= number <= len(partners):
        raise UserDataError(f"{case.id} has no partner {number}")
    return partner_target(case.id, partners[number - 1].id or number)


def source_target(source_id: str) -> str:
    return f"source:{source_id}"


def parse_target(text: str) -> Target:
    """Check ``text`` against the grammar; raise UserDataError saying what is wrong."""
    kind, sep, rest = text.strip().partition(":")
    if not sep or kind not in _TARGET_RE:
        raise UserDataError(
            f"{text!r} is not a target; use KIND:ID with KIND one of "
            f"{', '.join(TARGET_KINDS)} (e.g. case:composite-frail-elderly)"
        )
    match = _TARGET_RE[kind].match(rest)
    if match is not None and kind == "partner":
        ref = match.group(2)
        if ref.isdigit() and not _POSITION.match(ref):  # 0, 007: neither a position nor an id
            match = None
    if match is None:
        shapes = {
            "stage": "stage:<case-id>/<stage-id>",
            "arena": "arena:<case-id>/board|programme|practice",
            "partner": "partner:<case-id>/<partner-id> or partner:<case-id>/<number from 1>",
        }
        shape = shapes.get(kind, f"{kind}:<id>")
        raise UserDataError(f"{text!r} is not a valid {kind} target; expected {shape}")
    return Target(kind, match.groups())


def _partners(case: Case) -> list[Partner]:
    return case.partners if isinstance(case.partners, list) else []
