"""Composite index of the report's five gaps: normalise, aggregate, test robustness.

COINr's vocabulary: one verb per stage, methods named by family prefix.

- :func:`normalise` (``n_minmax``, ``n_zscore``, ``n_rank``, ``n_dist2ref``) puts every
  indicator on a common scale where higher is better, using the catalogue ``direction``.
- :func:`aggregate` (``a_amean``, ``a_gmean``) averages the normalised indicators within
  each of the five gaps (catalogue ``gap``; ``context`` and direction-0 indicators are
  left out), then averages the gap scores into the index. :func:`index_weights` shows
  the weights used.
- :func:`sensitivity` (from :mod:`analysis.sensitivity`) redraws the weights (Dirichlet)
  and the normalisation and aggregation methods many times and reports each city's rank
  distribution and which choices move ranks most.

Every function is pure, takes tidy data (one row per city, indicator and ``by`` period)
and returns tidy data. Comparisons are made only within a period (a year by default), and
inputs are never modified. Nothing is coerced: a missing or empty ``city``, ``indicator``
or ``by`` key, a year that is not a whole number (``by="year"``), text in ``value`` or a
flag that is not boolean raises :class:`~analysis.errors.InvalidArgumentError` naming the
column and rows (as in :mod:`analysis.metrics`).

Missing values
--------------
Policy: skip and re-weight. A missing indicator is left out and the weights of the
indicators present are rescaled; a gap (or the index) whose present parts carry less
than ``min_coverage`` of its weight gets no score (NaN). Each output row's ``missing``
column says what was missing and whether the score was withheld; it is the empty string
when nothing was.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._composite import (
    AGGREGATION_DEFAULTS,
    AGGREGATIONS,
    NORMALISATION_DEFAULTS,
    NORMALISATIONS,
    Structure,
    check_by,
    check_method,
    check_min_coverage,
    combine_gaps,
    gap_means,
    log_input,
    method_options,
    normalise_cube,
    orient,
    period_key,
    row_labels,
    scored_weights,
    to_cube,
    weight_structure,
    weight_table,
)
from ._docs import fill_docs
from ._frame import catalogue_table, check_observations, directions, join_reasons
from ._ranks import descending_ranks
from ._vocab import CONTEXT_GAP, FLAG_COLUMNS
from .sensitivity import SensitivityResult, sensitivity

__all__ = [
    "AGGREGATIONS", "CONTEXT_GAP", "INDEX_COMPONENT", "NORMALISATIONS", "SensitivityResult",
    "aggregate", "index_weights", "normalise", "sensitivity",
]

INDEX_COMPONENT = "index"
"""``component`` of the index rows in :func:`aggregate`'s result (the others are gap codes)."""


@fill_docs
def normalise(data: pd.DataFrame, catalogue: pd.DataFrame, *, method: str = "n_minmax", params=None,
              by="year") -> pd.DataFrame:
    """Put every indicator on a common scale where higher is better.

    Each indicator is normalised across the cities of one period (``by``), after
    multiplying by its catalogue direction so that higher is always better.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy values: ``city``, ``indicator``, ``value`` and the ``by`` column, one row per
        (``by``, city, indicator); optional flags ``lower_bound``, ``approximate`` and
        ``year_inferred``. Left unchanged.
    {catalogue}
    method : {"n_minmax", "n_zscore", "n_rank", "n_dist2ref"}, default "n_minmax"
        ``n_minmax``: ``l + (x - min) / (max - min) x (u - l)``, in [l, u].
        ``n_zscore``: ``m + (x - mean) / sd x s`` (sample sd, ddof=1).
        ``n_rank``: rank among the cities, 1 = lowest, ties averaged (higher is better).
        ``n_dist2ref``: ``scale x (x - min) / (x_ref - min)``: the reference city scores
        ``scale`` (100) and the lowest city 0; cities above the reference exceed ``scale``.
        Where the reference is itself the lowest value (e.g. the best peer trails the
        focus city) the unit ``x_ref - min`` is 0; such a group is scored
        ``scale x (x - min) / (max - min)``: the lowest city (the reference) scores 0,
        as the lowest city does in every group, and the best city ``scale``. With two
        cities this is min-max x ``scale``, so leading and trailing are treated
        symmetrically under both aggregations. Leaving these groups NaN would keep,
        after skip-and-reweight, only the indicators on which the reference leads (a bias
        towards it); keeping the reference at ``scale`` and the best at ``2 x scale``
        would still favour it under the geometric mean (its trailing rival would score
        0 in the other groups). :func:`sensitivity` lists these groups in ``settings``.
    params : dict, optional
        Method options. ``n_minmax``: ``l_u`` (lower, upper), default (0, 1).
        ``n_zscore``: ``m_sd`` (mean, sd), default (0, 1). ``n_dist2ref``: ``ref``, the
        reference city, or a sequence of cities whose best is the reference (e.g. the peers,
        for "best peer = 100"), default None = the best city; ``scale``, default 100.
    {by}

    Returns
    -------
    pandas.DataFrame
        A copy of ``data``, same rows, index and columns, with ``value`` replaced by the
        score (plain number on the method's scale), ``unit`` set to ``"score (<method>)"``,
        flags True when any value of the indicator's period group carries them (the score
        depends on the group) and a ``missing`` column.

    Warns
    -----
    RuntimeWarning
        When an indicator's range (or spread) across cities is zero in a period, or its
        reference city has no value: those scores are NaN.

    Raises
    ------
    InvalidArgumentError
        When a key (``city``, ``indicator``, ``by``) is missing or empty, a year is not a
        whole number, ``value`` holds text or a flag is not boolean; the message names
        the column and rows. Nothing is coerced.

    Notes
    -----
    Direction-0 (context) indicators are not normalised: NaN with ``missing`` saying so.
    ``missing`` is the empty string when the score was computed.
    """
    check_method(method, NORMALISATIONS, "normalisation")
    options = method_options(method, params, NORMALISATION_DEFAULTS)
    check_by(data, by)
    key = period_key(by)
    check_observations(data, key=key, required=[*key, "value"], vintage=False)
    indicators = list(pd.unique(data["indicator"]))
    direction = directions(catalogue, indicators)
    cube = to_cube(data, by, indicators)
    oriented = orient(cube, direction)
    scores, reasons = normalise_cube(cube, oriented, method, options, by)
    rows = (cube.period_of_row, cube.city_of_row, cube.indicator_of_row)
    out = data.copy()
    out["value"] = scores[rows]
    out["unit"] = f"score ({method})"
    used = ~np.isnan(oriented)
    for flag in FLAG_COLUMNS:
        group_flag = (cube.flags[flag] & used).any(axis=1)
        out[flag] = group_flag[cube.period_of_row, cube.indicator_of_row]
    context = direction.reindex(cube.indicators).to_numpy()[cube.indicator_of_row] == 0
    no_value = np.isnan(cube.values[rows])
    parts = [pd.Series(np.where(context, "direction 0 (context indicator): not scored", ""), dtype=object),
             pd.Series(np.where(no_value & ~context, row_labels(cube) + ": no value", ""), dtype=object)]
    for reason, groups in reasons.items():
        hit = groups[cube.period_of_row, cube.indicator_of_row] & ~no_value
        parts.append(pd.Series(np.where(hit, reason, ""), dtype=object))
    out["missing"] = join_reasons(*parts).to_numpy()
    return out


@fill_docs
def index_weights(catalogue: pd.DataFrame, *, indicators=None, weights=None, gap_weights=None) -> pd.DataFrame:
    """Weights of the indicators in the index: within their gap, of their gap, and overall.

    Parameters
    ----------
    catalogue : pandas.DataFrame
        Indicator catalogue with ``direction`` and ``gap``.
    indicators : sequence of str, optional
        Scored indicators to weight; by default every catalogue indicator that is scored
        (gap other than ``context`` and direction 1 or -1).
    {index_weights}

    Returns
    -------
    pandas.DataFrame
        One row per indicator, gaps in order of first appearance: ``indicator``, ``gap``,
        ``weight_in_gap`` (sums to 1 within each gap), ``gap_weight`` (sums to 1 over the
        gaps) and ``weight`` (their product; sums to 1), all plain shares.
    """
    return weight_table(catalogue_table(catalogue, ("direction", "gap")), indicators, weights, gap_weights)


@fill_docs
def aggregate(normalised: pd.DataFrame, catalogue: pd.DataFrame, *, method: str = "a_amean",
              weights=None, gap_weights=None, min_coverage: float = 0.5, params=None, by="year") -> pd.DataFrame:
    """Score each gap from its normalised indicators, then the index from the gap scores.

    Parameters
    ----------
    normalised : pandas.DataFrame
        Output of :func:`normalise` (scores where higher is better), one row per
        (``by``, city, indicator). Left unchanged.
    catalogue : pandas.DataFrame
        Indicator catalogue with ``direction`` and ``gap``. Indicators of the ``context``
        gap or with direction 0 are left out.
    method : {"a_amean", "a_gmean"}, default "a_amean"
        Weighted arithmetic mean ``sum(w x) / sum(w)`` or weighted geometric mean
        ``exp(sum(w log(x + offset)) / sum(w))``, used within gaps and across gaps.
    {index_weights}
    {min_coverage}
    params : dict, optional
        ``a_gmean``: ``offset`` (default 0) added to every score before the geometric
        mean (the result is not shifted back). Scores + offset must be > 0, else
        ValueError: min-max scores include 0, so normalise to e.g. ``l_u=(1, 100)``.
    {by}

    Returns
    -------
    pandas.DataFrame
        One row per (``by``, component, city), component ``"index"`` first then the gaps:
        ``by`` column (unless None), ``city``, ``component``, ``score`` (on the scale of
        the normalised scores), ``rank`` (1 = best within the period and component; ties
        share the best rank), ``coverage`` (share of the weight carried by the parts
        present, 0-1), the flags (True when a score used carries them) and ``missing``.
    """
    check_method(method, AGGREGATIONS, "aggregation")
    options = method_options(method, params, AGGREGATION_DEFAULTS)
    check_min_coverage(min_coverage)
    check_by(normalised, by)
    key = period_key(by)
    check_observations(normalised, key=key, required=[*key, "value"], vintage=False)
    table = catalogue_table(catalogue, ("direction", "gap"))
    structure = weight_structure(scored_weights(normalised, table, weights, gap_weights))
    cube = to_cube(normalised, by, structure.indicators)
    n_periods, n_cities, n_indicators = cube.values.shape
    values = cube.values.reshape(-1, n_indicators)
    available = ~np.isnan(values)
    if method == "a_gmean":
        def labels(bad):
            p, c, i = np.nonzero(bad.reshape(cube.values.shape))
            return [f"{cube.cities[ci]} {cube.indicators[ii]}" + ("" if by is None else f" {cube.periods[pi]}")
                    for pi, ci, ii in zip(p, c, i)]
        values = log_input(values, available, options["offset"], labels)

    within, between = structure.within[None, :], structure.between[None, :]
    gap_results = list(gap_means(values, available, within, structure, min_coverage))
    gap_scores = [score[0] for score, _ in gap_results]
    index, index_coverage = combine_gaps([s[None, :] for s in gap_scores], between, min_coverage)
    scores = np.column_stack([index[0], *gap_scores])
    coverage = np.column_stack([index_coverage[0], *(cov[0] for _, cov in gap_results)])
    if method == "a_gmean":
        scores = np.exp(scores)

    flags = {}
    for flag in FLAG_COLUMNS:
        per_indicator = cube.flags[flag].reshape(-1, n_indicators) & available
        per_gap = np.column_stack([per_indicator[:, cols].any(axis=1) for cols in structure.gap_columns])
        flags[flag] = np.column_stack([(per_gap & ~np.isnan(np.column_stack(gap_scores))).any(axis=1), per_gap])
    missing = _aggregate_reasons(available, scores, coverage, structure, min_coverage)

    layout = (n_periods, n_cities, len(structure.gaps) + 1)
    ranks = descending_ranks(np.moveaxis(scores.reshape(layout), 1, -1).reshape(-1, n_cities)).astype(float)
    ranks[ranks == 0] = np.nan

    def tidy(array):  # (periods x cities, components) -> flat in (period, component, city) order
        return np.moveaxis(np.asarray(array).reshape(layout), 1, -1).reshape(-1)

    components = [INDEX_COMPONENT, *structure.gaps]
    out = pd.DataFrame({
        "city": np.tile(np.asarray(cube.cities, dtype=object), n_periods * len(components)),
        "component": np.tile(np.repeat(np.asarray(components, dtype=object), n_cities), n_periods),
        "score": tidy(scores), "rank": ranks.reshape(-1), "coverage": tidy(coverage),
        **{flag: tidy(flags[flag]) for flag in FLAG_COLUMNS},
        "missing": tidy(missing),
    })
    if by is not None:
        out.insert(0, by, np.repeat(np.asarray(cube.periods), n_cities * len(components)))
    return out


def _aggregate_reasons(available, scores, coverage, structure: Structure, min_coverage: float) -> np.ndarray:
    """Per (row, component): what was missing and whether the score was withheld."""
    reasons = np.full(scores.shape, "", dtype=object)
    codes = np.asarray(structure.indicators, dtype=object)
    gap_names = np.asarray(structure.gaps, dtype=object)

    def describe(what, names, row, column):
        withheld = np.isnan(scores[row, column])
        share = f"coverage {coverage[row, column]:.2f}"
        tail = (f"{share} < min_coverage {min_coverage:.2f}: no score" if withheld
                else f"skipped, weights rescaled, {share}")
        return f"no {what} for {', '.join(names)} ({tail})"

    for g, columns in enumerate(structure.gap_columns):
        for row in np.flatnonzero(~available[:, columns].all(axis=1)):
            reasons[row, g + 1] = describe("value", codes[columns][~available[row, columns]], row, g + 1)
    gap_unscored = np.isnan(scores[:, 1:])
    for row in np.flatnonzero(gap_unscored.any(axis=1)):
        reasons[row, 0] = describe("score", gap_names[gap_unscored[row]], row, 0)
    return reasons
