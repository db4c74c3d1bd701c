"""The analyses of a table of equilibria, by the names the sweep reads (no algorithm here).

Each analysis is defined once, over tables, in the module of its concept: the classification
in :mod:`intelgame.analysis.classify`, the quality labels and metrics in
:mod:`intelgame.analysis.quality`, the on-path plays in :mod:`intelgame.analysis.on_path_play` and
the Intuitive Criterion in :mod:`intelgame.analysis.refinements`.
"""

from __future__ import annotations

from intelgame.analysis.classify import CLASSIFICATIONS
from intelgame.analysis.on_path_play import on_path_play_column
from intelgame.analysis.quality import METRICS, QualityTable, assess_table

#: The classification, labels and metrics of each row of a table.
Columns = QualityTable
#: :func:`~intelgame.analysis.quality.assess_table`.
analyse_columns = assess_table

__all__ = ["CLASSIFICATIONS", "METRICS", "Columns", "analyse_columns", "on_path_play_column"]
