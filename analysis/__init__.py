"""Measure the innovation gaps the Guangzhou S&T Bureau's 2018 report names.

Loaders (:mod:`analysis.loading`, :mod:`analysis.catalogue`, :mod:`analysis.datapackage`)
read the sourced data in ``data/``; :mod:`analysis.tables` reshapes it;
:mod:`analysis.metrics` compares the focus city with its peers (differences, ranks,
growth, catch-up); :mod:`analysis.index` and :mod:`analysis.sensitivity` build the
composite index and test its robustness; :mod:`analysis.selection` chooses what the
report compares; :mod:`analysis.claims` checks the report's own claims;
:mod:`analysis.plotting` and :mod:`analysis.style` draw; :mod:`analysis.sheets` composes
them for the notebooks, :mod:`analysis.outputs` records what they show and
:mod:`analysis.report` and :mod:`analysis.cli` run the notebooks headlessly.

The private core (underscored modules, reading no file) is shared by all of them:
``_vocab`` (names and defaults), ``_frame`` (the tidy-frame contract and checks),
``_align`` (cities, indicators and years compared), ``_ranks`` (rank kernels),
``_composite`` (the index's cube, methods and weights) and ``_docs`` (shared parameter
docs).
"""

from .catalogue import (
    Labels,
    city_label,
    gap_indicators,
    indicator_label,
    load_catalogue,
    load_cities,
    load_gaps,
)
from .datapackage import DATA_DIR_ENV, resolve_data_dir
from .loading import load_observations, load_sources
from .parameters import DEFAULT_FOCUS, DEFAULT_PEERS, check_parameters
from .tables import coverage_change, coverage_table, wide_table, year_coverage

__all__ = [
    "DATA_DIR_ENV", "DEFAULT_FOCUS", "DEFAULT_PEERS", "Labels", "check_parameters",
    "city_label", "coverage_change", "coverage_table", "gap_indicators", "indicator_label",
    "load_catalogue", "load_cities", "load_gaps", "load_observations", "load_sources",
    "resolve_data_dir", "wide_table", "year_coverage",
]
