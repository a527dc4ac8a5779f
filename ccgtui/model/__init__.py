"""The case-file schema: pydantic models and the controlled vocabularies.

Every fact-bearing value is a :class:`Statement` (text plus the ids of the
sources it comes from) or an explicit unknown.  List-valued fields may be an
:class:`Unknown` marker instead of a list, so "the sources are silent" is
recorded in the data rather than left as an empty list that looks like "none".

Unknown keys are errors everywhere (``extra="forbid"``): a typo in a case file
must never vanish silently.  Models are frozen; the loader builds them once.

The parts: ``vocabularies`` (plain enums, no pydantic), ``statements`` (Statement,
Unknown, the frozen base), ``case``, ``study``, ``source`` and ``dataset``.  Every
public name is importable from ``ccgtui.model`` as before the split.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ccgtui.model.case import (
        Case,
        Partner,
        PartnersOrUnknown,
        Stage,
        StagesOrUnknown,
        StatementsOrUnknown,
    )
    from ccgtui.model.dataset import Dataset
    from ccgtui.model.source import Source, Variant
    from ccgtui.model.statements import (
        UNKNOWN_TEXT,
        Label,
        SectorsUnknown,
        SourceId,
        Statement,
        StatementRef,
        Unknown,
        iter_statements,
        strip_control,
    )
    from ccgtui.model.study import Concept, Measure, Phase, Study, Survey, TeamMember
    from ccgtui.model.vocabularies import (
        ARENA_TITLES,
        SECTOR_TITLES,
        Arena,
        CaseKind,
        Level,
        Sector,
        SourceType,
    )

# Where each public name lives: imported on first use, so a command imports only
# the parts it touches (issue 16's light imports).
_HOMES: dict[str, str] = {
    "Case": "ccgtui.model.case",
    "Partner": "ccgtui.model.case",
    "PartnersOrUnknown": "ccgtui.model.case",
    "Stage": "ccgtui.model.case",
    "StagesOrUnknown": "ccgtui.model.case",
    "StatementsOrUnknown": "ccgtui.model.case",
    "Dataset": "ccgtui.model.dataset",
    "Source": "ccgtui.model.source",
    "Variant": "ccgtui.model.source",
    "UNKNOWN_TEXT": "ccgtui.model.statements",
    "Label": "ccgtui.model.statements",
    "SectorsUnknown": "ccgtui.model.statements",
    "SourceId": "ccgtui.model.statements",
    "Statement": "ccgtui.model.statements",
    "StatementRef": "ccgtui.model.statements",
    "Unknown": "ccgtui.model.statements",
    "iter_statements": "ccgtui.model.statements",
    "strip_control": "ccgtui.model.statements",
    "Concept": "ccgtui.model.study",
    "Measure": "ccgtui.model.study",
    "Phase": "ccgtui.model.study",
    "Study": "ccgtui.model.study",
    "Survey": "ccgtui.model.study",
    "TeamMember": "ccgtui.model.study",
    "ARENA_TITLES": "ccgtui.model.vocabularies",
    "SECTOR_TITLES": "ccgtui.model.vocabularies",
    "Arena": "ccgtui.model.vocabularies",
    "CaseKind": "ccgtui.model.vocabularies",
    "Level": "ccgtui.model.vocabularies",
    "Sector": "ccgtui.model.vocabularies",
    "SourceType": "ccgtui.model.vocabularies",
}

if not TYPE_CHECKING:  # mypy sees the imports above; a typo is still an error
    from ccgtui.lazy_exports import lazy_getattr

    __getattr__ = lazy_getattr(__name__, _HOMES, globals())


__all__ = [
    "ARENA_TITLES",
    "SECTOR_TITLES",
    "UNKNOWN_TEXT",
    "Arena",
    "Case",
    "CaseKind",
    "Concept",
    "Dataset",
    "Label",
    "Level",
    "Measure",
    "Partner",
    "PartnersOrUnknown",
    "Phase",
    "Sector",
    "SectorsUnknown",
    "Source",
    "SourceId",
    "SourceType",
    "Stage",
    "StagesOrUnknown",
    "Statement",
    "StatementRef",
    "StatementsOrUnknown",
    "Study",
    "Survey",
    "TeamMember",
    "Unknown",
    "Variant",
    "iter_statements",
    "strip_control",
]
