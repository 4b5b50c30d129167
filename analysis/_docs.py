"""Parameter descriptions shared by the docstrings of the metrics, index and sensitivity modules.

Each description is written once here and slotted into a docstring by :func:`fill_docs`,
which replaces a line holding only ``{name}`` with the entry ``name`` of :data:`PARAMS`,
indented like the placeholder.
"""

from __future__ import annotations

import re

PARAMS = {
    "data": """\
data : pandas.DataFrame or Panel
    Tidy observations, one row per (city, year, indicator): columns ``city``, ``year``
    (int), ``indicator``, ``value`` (float, a plain number in ``unit``) and ``unit``;
    optional boolean flags ``lower_bound``, ``approximate`` and ``year_inferred`` (an
    absent flag column counts as False). Other columns are ignored. Left unchanged.
    Checked on every call; a :class:`Panel` (:func:`panel`) is checked once, so pass
    one when several metrics run on the same large frame.""",
    "focus": """\
focus : str, default "Guangzhou"
    City compared with the peers.""",
    "peers": """\
peers : sequence of str, default ("Beijing", "Shanghai", "Shenzhen")
    Cities the focus city is compared with; a single string means one peer.""",
    "indicators": """\
indicators : str or sequence of str, optional
    Indicator codes (catalogue ``code``) to compute; all indicators in ``data`` by default.""",
    "year": """\
year : int or {"common", "own"}, default "common"
    Year of the values used. An int uses that year for every city. ``"common"`` uses,
    per indicator, the latest year in which every compared city has a value;
    ``"own"`` uses each city's own latest year. The year used is reported per city.""",
    "catalogue": """\
catalogue : pandas.DataFrame
    Indicator catalogue indexed by ``code`` (or with a ``code`` column), with at least
    ``direction`` (1 higher is better, -1 lower is better, 0 context, not ranked).""",
    "window": """\
window : int, default 5
    Length of the growth window in years: growth runs from ``end - window`` to ``end``.""",
    "by": """\
by : str or None, default "year"
    Column whose values form separate comparisons (one index per year by default). None
    treats ``data`` as one cross-section, e.g. the output of
    :func:`analysis.metrics.latest_comparable_year`, with one row per (city, indicator).""",
    "index_weights": """\
weights : mapping of str to float, optional
    Weight of each scored indicator relative to the others in its gap (non-negative;
    rescaled to sum to 1 within each gap). Equal by default; when given, it must name
    every scored indicator.
gap_weights : mapping of str to float, optional
    Weight of each gap in the index (non-negative; rescaled to sum to 1). Equal by
    default; when given, it must name every gap that has scored indicators.""",
    "min_coverage": """\
min_coverage : float, default 0.5
    Missing-value policy: a missing indicator is skipped and the remaining weights are
    rescaled. A gap score needs the available indicators to carry at least this share
    of the gap's weight, and the index needs the scored gaps to carry at least this
    share of the gap weights; below it the score is NaN and ``missing`` says why.""",
    "flags_and_missing": """\
Every row also carries ``lower_bound``, ``approximate`` and ``year_inferred``: True when
any value the row's result was computed from has that flag (a gap computed from a
lower bound is itself only a bound). ``missing`` is the empty string when every value
needed was present, else a description of what is missing or undefined, e.g.
``"Shenzhen 2021: no value"``; the result is then NaN (never 0).""",
}
PARAMS["data_vintage"] = PARAMS["data"] + """
    A ``vintage`` column (text; absent = none recorded) is used here: growth needs the
    same vintage at both ends (see Vintages in the module docs)."""

_PLACEHOLDER = re.compile(r"^(?P<indent>[ \t]*)\{(?P<name>\w+)\}[ \t]*$", re.MULTILINE)


def fill_docs(func):
    """Replace each placeholder line ``{name}`` in ``func``'s docstring by ``PARAMS[name]``.

    Raises KeyError naming the placeholder when :data:`PARAMS` has no such entry, so a
    typo fails at import time rather than leaving a placeholder in the help text.
    """

    def indent(match: re.Match) -> str:
        text = PARAMS[match.group("name")]
        return "\n".join(match.group("indent") + line if line else line for line in text.splitlines())

    func.__doc__ = _PLACEHOLDER.sub(indent, func.__doc__)
    return func
