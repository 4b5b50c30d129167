"""Measure the innovation gaps the Guangzhou S&T Bureau's 2018 report names.

Loaders (:mod:`analysis.loading`, :mod:`analysis.catalogue`) read the sourced data in
``data/``; :mod:`analysis.tables` reshapes it; :mod:`analysis.metrics` and
:mod:`analysis.index` compute gaps and the composite index; :mod:`analysis.claims`
checks the report's own claims; :mod:`analysis.plotting` draws; :mod:`analysis.sheets`
composes them for the notebooks; :mod:`analysis.report` runs the notebooks headlessly.
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
