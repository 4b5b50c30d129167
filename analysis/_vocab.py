"""The package's vocabulary: names and defaults every module shares.

Constants only (and :func:`change_unit`); imports nothing from the package, reads no file.

Words used throughout: an *indicator* is one series of figures, named by its catalogue
code (``rd_intensity``); sibling indicators that count the same thing differently (two
unicorn indices) share a *family*. A *gap* is one of the five weaknesses the report names
(catalogue column ``gap``, ``gaps.csv``); the focus city's value minus a peer's is a
*difference* (:func:`analysis.metrics.difference`).
"""

from __future__ import annotations

DEFAULT_FOCUS = "Guangzhou"
"""The focus city of the report."""
DEFAULT_PEERS = ("Beijing", "Shanghai", "Shenzhen")
"""The peers the report compares Guangzhou with."""
DEFAULT_START, DEFAULT_END = 2015, 2024
"""First and last year a report shows."""

OBSERVATION_KEY = ("city", "year", "indicator")
"""Columns that identify one figure; the preferred row is unique per key."""
OBSERVATION_COLUMNS = ("city", "year", "indicator", "value", "unit")
"""Columns every tidy frame of observations has."""
FLAG_COLUMNS = ("lower_bound", "approximate", "year_inferred", "derived")
"""Boolean flags a figure carries; a result computed from a flagged figure carries the flag."""

YEAR_MODES = ("common", "own")
"""Year choices besides an explicit year: the latest year all compared cities share, or
each city's own latest year."""

PERCENT_UNIT = "percent"
PERCENTAGE_POINTS = "percentage points"
"""Unit of a difference or change of a ``percent`` indicator."""

CONTEXT_GAP = "context"
"""Catalogue ``gap`` of indicators shown for context and never scored."""

LANGUAGES = ("en", "zh")
"""Languages of labels, tables and charts."""


def change_unit(unit):
    """Unit of a difference or change of figures in ``unit``: ``percentage points`` for
    ``percent``, else ``unit`` itself.

    ``unit`` is a string or a pandas Series of strings (then a Series of object dtype).
    """
    if isinstance(unit, str):
        return PERCENTAGE_POINTS if unit == PERCENT_UNIT else unit
    return unit.astype(object).replace({PERCENT_UNIT: PERCENTAGE_POINTS})
