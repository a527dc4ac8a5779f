"""One layout of each record (case, study, source) for every front end.

``show`` and ``show --section`` (:mod:`ccgtui.describe`), ``compare``, the explorer's
tabs (:mod:`ccgtui.tui.render`) and the Markdown and HTML briefings format the same
:class:`~ccgtui.present.layout.Item` for a statement and the same
:class:`~ccgtui.present.source.SourceRef` for a source, so the provenance (source ids,
unverified mark, note, the source's level, notes and conflicts, the record's banners)
is part of what they are given and no front end can drop it.
"""
