"""The ids `note add` and `bookmark add` take for one case, as a section of `ccgtui show`.

They were only in `show --format json`; a person at a meeting reads the text form.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from ccgtui.model.vocabularies import Arena
from ccgtui.safe_text import clean_id, clean_line

if TYPE_CHECKING:
    from ccgtui.model import Case
    from ccgtui.present.views import CaseView

TITLE = "Ids (for note add, bookmark add)"
ID_WIDTH = 48  # longer ids push their name further right rather than being cut


def case_id_lines(case: Case | CaseView) -> list[str]:
    """One line per target in ``case``: the target id, then what it is."""
    from ccgtui.userdata import (
        arena_target,
        case_target,
        stage_target,
        target_for_partner,
    )

    rows = [(case_target(case.id), "the whole case")]
    # A case's view (show, from the cache) reads as its model: present.views
    model = cast("Case", case)
    stages = model.story if isinstance(model.story, list) else []
    rows += [
        (stage_target(case.id, s.id), f"stage {n}: {s.title}") for n, s in enumerate(stages, 1)
    ]
    rows += [(arena_target(case.id, a), f"arena: {a.label}") for a in Arena]
    partners = model.partners if isinstance(model.partners, list) else []
    rows += [
        (target_for_partner(model, n), f"partner {n}: {p.organisation or p.sector.label}")
        for n, p in enumerate(partners, 1)
    ]
    width = min(ID_WIDTH, max(len(target) for target, _ in rows))
    return [f"{clean_id(target):<{width}}  {clean_line(name)}" for target, name in rows]
