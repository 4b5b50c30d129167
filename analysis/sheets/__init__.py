"""Tear sheets: the tables, figures and sentences the notebooks show, in the reader's language.

Each function composes :mod:`analysis.metrics`, :mod:`analysis.selection`,
:mod:`analysis.findings` and :mod:`analysis.plotting` for one notebook section, so a
notebook cell stays one call long; it labels, formats and lays out. Tables come back as
:class:`~analysis.formatting.ReaderTable` (rounded by unit, flags as marks, the metric's
raw frame kept for machines); every word comes from the message catalogue
(:mod:`analysis.messages`). A :class:`ReportContext` carries the validated parameters,
the data, the labels and the output recorder, and shows and records what a cell makes.

One module per kind of notebook section: :mod:`~analysis.sheets.context` (the context and
a notebook's opening), :mod:`~analysis.sheets.gaps` (a gap notebook: lead, scoreboard,
differences, change since the report's year, who is closing in),
:mod:`~analysis.sheets.rd` (extra spending, catch-up), :mod:`~analysis.sheets.charts`,
:mod:`~analysis.sheets.overview` (composite index, coverage),
:mod:`~analysis.sheets.verdicts` (claims and targets) and :mod:`~analysis.sheets.world`
(the global hubs); :mod:`~analysis.sheets._base` holds what they share. Notebooks call
them all as ``sheets.<name>``.
"""

from ._base import BASE_YEAR, GROWTH_WINDOW, INDEX_DRAWS, INDEX_SEED, WIDE_CITIES, group_cities
from .charts import (
    difference_figure,
    leader_shares_figure,
    rank_figure,
    show_difference,
    show_ranks,
    show_trends,
    trend_caption,
    trend_figure,
    trend_indicators,
)
from .context import ReportContext, notebook_lead, open_report
from .gaps import (
    challengers_table,
    difference_table,
    differences,
    gap_finding,
    gap_lead,
    overview_scoreboard,
    scoreboard,
    show_challengers,
    since_paragraph,
)
from .overview import (
    composite_index,
    coverage_by_gap_table,
    coverage_flags,
    coverage_indicators,
    coverage_sentence,
    coverage_table,
    factors_table,
    gap_scores_table,
    index_inputs,
    index_inputs_table,
    index_sentence,
    index_table,
    show_coverage,
)
from .rd import catch_up_table, extra_spending_table
from .verdicts import claim_verdicts, claims_table, targets_table, verdict_counts_table
from .world import (
    global_data,
    global_intensity_figure,
    global_intensity_table,
    global_lead,
    global_ranks_table,
    show_global_intensity,
    show_global_ranks,
)

__all__ = [
    "BASE_YEAR",
    "GROWTH_WINDOW",
    "INDEX_DRAWS",
    "INDEX_SEED",
    "ReportContext",
    "WIDE_CITIES",
    "catch_up_table",
    "challengers_table",
    "claim_verdicts",
    "claims_table",
    "composite_index",
    "coverage_by_gap_table",
    "coverage_flags",
    "coverage_indicators",
    "coverage_sentence",
    "coverage_table",
    "difference_figure",
    "difference_table",
    "differences",
    "extra_spending_table",
    "factors_table",
    "gap_finding",
    "gap_lead",
    "gap_scores_table",
    "global_data",
    "global_intensity_figure",
    "global_intensity_table",
    "global_lead",
    "global_ranks_table",
    "group_cities",
    "index_inputs",
    "index_inputs_table",
    "index_sentence",
    "index_table",
    "leader_shares_figure",
    "notebook_lead",
    "open_report",
    "overview_scoreboard",
    "rank_figure",
    "scoreboard",
    "show_challengers",
    "show_coverage",
    "show_difference",
    "show_global_intensity",
    "show_global_ranks",
    "show_ranks",
    "show_trends",
    "since_paragraph",
    "targets_table",
    "trend_caption",
    "trend_figure",
    "trend_indicators",
    "verdict_counts_table",
]
