"""Cross-case analysis: framework matrices, side-by-side comparison, study counts.

Pure functions over a :class:`~ccgtui.model.Dataset`: no I/O, no Textual, so the CLI,
the TUI and the exports share one answer.  One module each: ``matrix`` (its dimensions
are the registry ``ccgtui.dimensions``), ``compare`` and ``stats``; every public name is
importable from ``ccgtui.analysis`` as before the split (issue 14).
"""

from __future__ import annotations

from ccgtui.analysis.compare import CompareRow as CompareRow
from ccgtui.analysis.compare import Comparison as Comparison
from ccgtui.analysis.compare import Line as Line
from ccgtui.analysis.compare import compare as compare
from ccgtui.analysis.matrix import LEGEND as LEGEND
from ccgtui.analysis.matrix import SHORT_LABELS as SHORT_LABELS
from ccgtui.analysis.matrix import Matrix as Matrix
from ccgtui.analysis.matrix import MatrixRow as MatrixRow
from ccgtui.analysis.matrix import MatrixStream as MatrixStream
from ccgtui.analysis.matrix import evidence_json as evidence_json
from ccgtui.analysis.matrix import matrix as matrix
from ccgtui.analysis.matrix import matrix_stream as matrix_stream
from ccgtui.analysis.matrix import stage_arena as stage_arena
from ccgtui.analysis.matrix import statement_json as statement_json
from ccgtui.analysis.stats import StudyStats as StudyStats
from ccgtui.analysis.stats import bar_chart as bar_chart
from ccgtui.analysis.stats import study_stats as study_stats
from ccgtui.facts import Cell as Cell
from ccgtui.facts import CellState as CellState
from ccgtui.facts import Evidence as Evidence
from ccgtui.facts import StatementCounts as StatementCounts
from ccgtui.facts import arena_cell as arena_cell
from ccgtui.facts import sector_cell as sector_cell
