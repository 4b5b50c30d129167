"""Sensitivity of the composite index's ranking to weights and methods (Monte Carlo).

:func:`sensitivity` redraws the weights (Dirichlet, within and across gaps) and the
normalisation and aggregation methods many times and reports each city's rank
distribution and which choices move ranks most. It is also available as
``analysis.index.sensitivity``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._composite import (
    AGGREGATIONS,
    NORMALISATION_DEFAULTS,
    NORMALISATIONS,
    TOLERANCE,
    Structure,
    check_by,
    check_method,
    check_min_coverage,
    index_scores,
    method_options,
    normalise_cube,
    orient,
    period_key,
    reference_at_minimum,
    scored_weights,
    to_cube,
    weight_structure,
)
from ._docs import fill_docs
from ._frame import as_list, catalogue_table, check_observations, directions, is_int
from ._ranks import descending_ranks, sorted_ranks
from .errors import InvalidArgumentError

__all__ = ["SensitivityResult", "sensitivity"]


@dataclass(frozen=True)
class SensitivityResult:
    """Outcome of :func:`sensitivity`.

    Attributes
    ----------
    ranks : pandas.DataFrame
        Per (``by``, city): ``rank_nominal`` (nominal weights, first normalisation and
        aggregation method), ``rank_median``, ``rank_p05``, ``rank_p95`` (inverted-CDF
        quantiles over the draws, so whole ranks), ``rank_mean`` and ``n_ranked`` (draws
        in which the city had an index score). 1 = best.
    factors : pandas.DataFrame
        Per (``by``, factor): ``rank_variance_share``, the share of the variance of the
        ranks explained by ``normalisation``, ``aggregation``, their interaction, and
        ``weights`` (the rest: the variance within a method combination). Each city's
        variance is taken over the draws in which it was ranked; sums of squares are pooled
        over the cities. Shares sum to 1 (NaN when ranks never vary); sorted largest first.
    choices : pandas.DataFrame
        Per (``by``, factor, level): ``n_draws`` and ``mean_abs_rank_shift``, the mean
        absolute difference from the nominal rank over the draws using that method and
        the cities; sorted largest first.
    settings : dict
        The arguments used, the nominal methods, the ``a_gmean`` offsets applied per
        (period, normalisation) and ``n_dist2ref_reference_at_minimum``: the (period,
        indicator) groups where the ``n_dist2ref`` reference was the lowest value and the
        fallback unit ``max - min`` was used (see :func:`normalise`; period None when
        ``by`` is None; empty when ``n_dist2ref`` is not drawn).
    """

    ranks: pd.DataFrame
    factors: pd.DataFrame
    choices: pd.DataFrame
    settings: dict


@fill_docs
def sensitivity(data: pd.DataFrame, catalogue: pd.DataFrame, *, normalisations=NORMALISATIONS,
                aggregations=AGGREGATIONS, weights=None, gap_weights=None, n_draws: int = 1000,
                concentration: float = 1.0, min_coverage: float = 0.5, params=None, seed=None,
                by="year") -> SensitivityResult:
    """How robust the index ranking is to weights, normalisation and aggregation choices.

    Monte Carlo: each draw picks a normalisation and an aggregation method uniformly
    and draws weights within each gap and across gaps from Dirichlet distributions
    centred on the nominal weights; the ranks of the cities under every draw give each
    city's rank distribution. Vectorised: one matrix product per method combination.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy raw values (not normalised): ``city``, ``indicator``, ``value`` and the
        ``by`` column, one row per (``by``, city, indicator). Left unchanged.
    catalogue : pandas.DataFrame
        Indicator catalogue with ``direction`` and ``gap``.
    normalisations : sequence of str, default all of NORMALISATIONS
        Normalisation methods to draw from; the first is the nominal one.
    aggregations : sequence of str, default ("a_amean", "a_gmean")
        Aggregation methods to draw from; the first is the nominal one. For ``a_gmean``
        the normalised scores of a period are shifted so the smallest is 1 when it is
        <= 0 (offset reported in ``settings``).
    {index_weights}
    n_draws : int, default 1000
        Number of Monte Carlo draws.
    concentration : float, default 1.0
        Dirichlet concentration: parameters ``concentration x nominal weight x number of
        parts``. 1 with equal nominal weights draws every weighting equally likely;
        larger values keep draws closer to the nominal weights.
    {min_coverage}
    params : dict, optional
        Options per normalisation method, e.g. ``{"n_dist2ref": {"ref": peers}}``.
    seed : int or numpy.random.Generator, optional
        Seed; the same seed gives the same result.
    {by}

    Returns
    -------
    SensitivityResult
        ``ranks``, ``factors``, ``choices`` (tidy DataFrames with the ``by`` column unless
        None) and ``settings``; see :class:`SensitivityResult`.
    """
    normalisations, aggregations = _method_list(normalisations, NORMALISATIONS, "normalisation"), \
        _method_list(aggregations, AGGREGATIONS, "aggregation")
    if not (is_int(n_draws) and n_draws >= 1):
        raise InvalidArgumentError(f"n_draws must be a whole number >= 1; got {n_draws!r}.")
    if not (math.isfinite(float(concentration)) and concentration > 0):
        raise InvalidArgumentError(f"concentration must be a positive number; got {concentration!r}.")
    check_min_coverage(min_coverage)
    params = {} if params is None else dict(params)
    unknown = [name for name in params if name not in normalisations]
    if unknown:
        raise InvalidArgumentError(f"params names method(s) {', '.join(map(repr, unknown))} not drawn from; "
                                   f"normalisations: {', '.join(normalisations)}.")
    options = {name: method_options(name, params.get(name), NORMALISATION_DEFAULTS) for name in normalisations}
    check_by(data, by)
    key = period_key(by)
    check_observations(data, key=key, required=[*key, "value"], vintage=False)
    table = catalogue_table(catalogue, ("direction", "gap"))
    weight_table = scored_weights(data, table, weights, gap_weights)
    structure = weight_structure(weight_table)
    cube = to_cube(data, by, structure.indicators)
    oriented = orient(cube, directions(table, structure.indicators))
    scores = {name: normalise_cube(cube, oriented, name, options[name], by)[0] for name in normalisations}
    fallback = (reference_at_minimum(cube, oriented, options["n_dist2ref"], by)
                if "n_dist2ref" in normalisations else [])

    rng = np.random.default_rng(seed)
    normalisation_pick = rng.integers(len(normalisations), size=n_draws)
    aggregation_pick = rng.integers(len(aggregations), size=n_draws)
    within, between = _draw_weights(rng, structure, n_draws, concentration)
    nominal_within, nominal_between = structure.within[None, :], structure.between[None, :]

    n_cities = len(cube.cities)
    rank_rows, factor_rows, choice_rows, offsets = [], [], [], {}
    for p, period in enumerate(cube.periods):
        histograms = np.zeros((len(normalisations) * len(aggregations), n_cities, n_cities + 1))
        for n, name in enumerate(normalisations):
            available = ~np.isnan(scores[name][p])
            for a, aggregation in enumerate(aggregations):
                values = scores[name][p]
                if aggregation == "a_gmean":
                    offsets[(period, name)] = _gmean_offset(values)
                    with np.errstate(invalid="ignore", divide="ignore"):
                        values = np.log(values + offsets[(period, name)])
                if (n, a) == (0, 0):
                    index = index_scores(values, available, nominal_within, nominal_between, structure, min_coverage)
                    nominal = descending_ranks(index)[0]
                draws = (normalisation_pick == n) & (aggregation_pick == a)
                if draws.any():
                    index = index_scores(values, available, within[draws], between[draws], structure, min_coverage)
                    histograms[n * len(aggregations) + a] = _rank_histogram(*sorted_ranks(index), n_cities)
        label = {} if by is None else {by: period}
        summary = _rank_summary(histograms.sum(axis=0), nominal)
        rank_rows.append(pd.DataFrame({**label, "city": cube.cities, **summary}))
        shares = _variance_shares(histograms, len(normalisations), len(aggregations))
        factor_rows.append(pd.DataFrame([{**label, "factor": factor, "rank_variance_share": share}
                                         for factor, share in shares.items()]))
        choice_rows.append(pd.DataFrame([{**label, **row}
                                         for row in _choice_shifts(histograms, nominal, normalisations, aggregations)]))

    group = [] if by is None else [by]
    factors = pd.concat(factor_rows, ignore_index=True).sort_values(
        [*group, "rank_variance_share"], ascending=[True] * len(group) + [False], kind="stable")
    choices = pd.concat(choice_rows, ignore_index=True).sort_values(
        [*group, "mean_abs_rank_shift"], ascending=[True] * len(group) + [False], kind="stable")
    settings = {"n_draws": n_draws, "seed": seed, "concentration": concentration, "min_coverage": min_coverage,
                "normalisations": normalisations, "aggregations": aggregations,
                "nominal": (normalisations[0], aggregations[0]), "normalisation_params": options,
                "gmean_offsets": offsets, "weights": weight_table,
                "n_dist2ref_reference_at_minimum": fallback}
    return SensitivityResult(ranks=pd.concat(rank_rows, ignore_index=True),
                             factors=factors.reset_index(drop=True),
                             choices=choices.reset_index(drop=True), settings=settings)


def _draw_weights(rng, structure: Structure, n_draws: int, concentration: float):
    """Dirichlet draws centred on the nominal weights: within gaps (draws, indicators), gaps (draws, gaps).

    Parameters ``concentration x nominal weight x number of parts``: with equal nominal
    weights, ``concentration = 1`` is the flat Dirichlet.
    """
    sizes = np.bincount(structure.gap_of)
    gamma = _gamma(rng, concentration * structure.within * sizes[structure.gap_of], n_draws)
    membership = np.eye(len(structure.gaps))[structure.gap_of]
    within = gamma / (gamma @ membership)[:, structure.gap_of]
    gap_gamma = _gamma(rng, concentration * structure.between * len(structure.gaps), n_draws)
    return within, gap_gamma / gap_gamma.sum(axis=1, keepdims=True)


def _gamma(rng, shape: np.ndarray, n_draws: int) -> np.ndarray:
    """Gamma(shape, 1) draws, (draws, len(shape)); the exponential sampler when every shape is 1."""
    if np.all(shape == 1.0):
        return rng.standard_exponential(size=(n_draws, len(shape)))
    return rng.standard_gamma(shape, size=(n_draws, len(shape)))


def _gmean_offset(scores: np.ndarray) -> float:
    """Offset making the smallest score 1 when it is <= 0, else 0."""
    lowest = np.fmin.reduce(scores, axis=None)
    return float(1.0 - lowest) if lowest <= 0 else 0.0


def _rank_histogram(city: np.ndarray, rank: np.ndarray, n_cities: int) -> np.ndarray:
    """Draw counts per (city, rank), shape (cities, cities + 1); column 0 counts unranked draws."""
    cells = (city * (n_cities + 1) + rank).ravel()
    return np.bincount(cells, minlength=n_cities * (n_cities + 1)).reshape(n_cities, n_cities + 1)


def _rank_summary(histogram: np.ndarray, nominal: np.ndarray) -> dict:
    """Nominal, median, 5 % and 95 % (inverted CDF), mean rank and draws ranked, per city.

    ``histogram`` (cities, ranks + 1) counts draws per rank, column 0 the unranked draws.
    """
    counts = histogram[:, 1:]
    n_ranked = counts.sum(axis=1)
    cumulative = counts.cumsum(axis=1)

    def quantile(q):
        rank = (cumulative >= q * n_ranked[:, None] - TOLERANCE).argmax(axis=1) + 1.0
        return np.where(n_ranked > 0, rank, np.nan)

    with np.errstate(invalid="ignore", divide="ignore"):
        mean = counts @ np.arange(1, counts.shape[1] + 1) / n_ranked
    return {"rank_nominal": np.where(nominal > 0, nominal, np.nan), "rank_median": quantile(0.5),
            "rank_p05": quantile(0.05), "rank_p95": quantile(0.95), "rank_mean": mean,
            "n_ranked": n_ranked.astype(np.int64)}


def _variance_shares(histograms: np.ndarray, n_normalisations: int, n_aggregations: int) -> dict:
    """Share of the rank variance due to each factor: first-order, interaction, weights (the rest).

    ``histograms`` (normalisation x aggregation combinations, cities, ranks + 1) count the
    draws per rank. For each city, over the draws in which it was ranked, the variance of
    its rank splits into the variance of its mean rank between method combinations and the
    variance within them (due to the weights); sums of squares are pooled over the cities.
    """
    counts = histograms[:, :, 1:]                                   # (combinations, cities, ranks)
    rank = np.arange(1, counts.shape[2] + 1)
    draws = counts.sum(axis=2)                                      # (combinations, cities)
    sums = counts @ rank
    with np.errstate(invalid="ignore", divide="ignore"):
        grand_mean = sums.sum(axis=0) / draws.sum(axis=0)           # NaN for a city never ranked

    def between(group_sums, group_draws):
        with np.errstate(invalid="ignore", divide="ignore"):
            squares = group_draws * (group_sums / group_draws - grand_mean) ** 2
        return float(np.where(group_draws > 0, squares, 0.0).sum())

    grid = (n_normalisations, n_aggregations, -1)
    by_combination = between(sums, draws)
    by_normalisation = between(sums.reshape(grid).sum(axis=1), draws.reshape(grid).sum(axis=1))
    by_aggregation = between(sums.reshape(grid).sum(axis=0), draws.reshape(grid).sum(axis=0))
    deviations = np.nan_to_num((rank[None, :] - grand_mean[:, None]) ** 2)
    total = float((counts.sum(axis=0) * deviations).sum())
    parts = {"normalisation": by_normalisation, "aggregation": by_aggregation,
             "normalisation x aggregation": by_combination - by_normalisation - by_aggregation,
             "weights": total - by_combination}
    return {factor: part / total if total > 0 else np.nan for factor, part in parts.items()}


def _choice_shifts(histograms: np.ndarray, nominal: np.ndarray, normalisations, aggregations) -> list:
    """Mean absolute rank shift from nominal over the draws using each method, and their number."""
    counts = histograms[:, nominal > 0, 1:]                         # cities with a nominal rank
    distance = np.abs(np.arange(1, counts.shape[2] + 1)[None, :] - nominal[nominal > 0, None])
    grid = (len(normalisations), len(aggregations))
    shift = np.tensordot(counts, distance.astype(float), axes=([1, 2], [0, 1])).reshape(grid)
    ranked = counts.reshape(len(counts), -1).sum(axis=1).reshape(grid)
    draws = histograms[:, 0, :].sum(axis=1).reshape(grid)
    rows = []
    for factor, levels, axis in (("normalisation", normalisations, 1), ("aggregation", aggregations, 0)):
        for level, level_shift, level_ranked, level_draws in zip(
                levels, shift.sum(axis=axis), ranked.sum(axis=axis), draws.sum(axis=axis)):
            rows.append({"factor": factor, "level": level, "n_draws": int(level_draws),
                         "mean_abs_rank_shift": level_shift / level_ranked if level_ranked else np.nan})
    return rows


def _method_list(methods, allowed, what: str) -> tuple:
    methods = tuple(as_list(methods, unique=True))
    if not methods:
        raise InvalidArgumentError(f"give at least one {what} method; allowed: {', '.join(allowed)}.")
    for method in methods:
        check_method(method, allowed, what)
    return methods
