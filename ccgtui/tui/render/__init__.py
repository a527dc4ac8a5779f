"""Turn records into Textual :class:`Content`, never into markup.

The layout is :mod:`ccgtui.present`'s (the one ``show`` and the briefings format);
these modules only style it.  Everything here is a pure function of the data, so it
is easy to test and safe: text from case files is only ever placed in a ``Content``
as literal text, with styles applied as spans.  Styles are theme variables
(``$text-muted``, ``$warning``...) so every theme works.

- :mod:`.base`: styles, literal text, a statement with its provenance, tagged lines;
- :mod:`.case`: the case list entry and the case tabs;
- :mod:`.source`: a source's line on the Sources tab and its full reference;
- :mod:`.study`: the study screen's parts.
"""

from __future__ import annotations

from ccgtui.tui.render.base import (
    HEADING,
    LABEL,
    MARK_BACKGROUND,
    MARKED,
    MUTED,
    UNKNOWN,
    UNVERIFIED,
    Line,
    as_item,
    bullet_list,
    field_line,
    heading,
    item_bullets,
    join_lines,
    join_tagged,
    lit,
    mark,
    shows,
    source_ids,
    statement,
    tagged_list,
    untagged,
)
from ccgtui.tui.render.case import (
    KIND_BADGES,
    RENDERERS,
    TAB_LINES,
    arena_concepts,
    arenas_lines,
    case_prompt,
    evidence_lines,
    glance_line,
    kind_badge,
    layout_lines,
    overview_lines,
    partner_line,
    partners_lines,
    section_lines,
    stage_lines,
    story_lines,
    study_label,
    with_user_tags,
)
from ccgtui.tui.render.source import source_detail, source_prompt
from ccgtui.tui.render.study import (
    bar,
    study_concepts_lines,
    study_glance,
    study_objectives_lines,
    study_overview_lines,
    study_phases_lines,
    study_section_lines,
    study_sections,
    study_surveys_lines,
    study_team_lines,
    study_title,
)

__all__ = [
    "HEADING",
    "KIND_BADGES",
    "LABEL",
    "MARKED",
    "MARK_BACKGROUND",
    "MUTED",
    "RENDERERS",
    "TAB_LINES",
    "UNKNOWN",
    "UNVERIFIED",
    "Line",
    "arena_concepts",
    "arenas_lines",
    "as_item",
    "bar",
    "bullet_list",
    "case_prompt",
    "evidence_lines",
    "field_line",
    "glance_line",
    "heading",
    "item_bullets",
    "join_lines",
    "join_tagged",
    "kind_badge",
    "layout_lines",
    "lit",
    "mark",
    "overview_lines",
    "partner_line",
    "partners_lines",
    "section_lines",
    "shows",
    "source_detail",
    "source_ids",
    "source_prompt",
    "stage_lines",
    "statement",
    "story_lines",
    "study_concepts_lines",
    "study_glance",
    "study_label",
    "study_objectives_lines",
    "study_overview_lines",
    "study_phases_lines",
    "study_section_lines",
    "study_sections",
    "study_surveys_lines",
    "study_team_lines",
    "study_title",
    "tagged_list",
    "untagged",
    "with_user_tags",
]
