"""Shared internals of the composite index: the data cube, the normalisation methods,
the weights and the weighted means.

Reads no file. :mod:`analysis.index` (normalise, aggregate, index_weights) and
:mod:`analysis.sensitivity` (the Monte Carlo over weights and methods) both build on it:
tidy rows are laid out as a cube of shape (periods, cities, indicators); each
normalisation method maps a cube of direction-oriented values (higher is better) to
scores; the index of a city is a two-level weighted mean (indicators within their gap,
then the gaps), with missing values skipped and the weights rescaled.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._frame import check_known, directions
from ._ranks import average_ranks
from ._vocab import CONTEXT_GAP, FLAG_COLUMNS
from .errors import InvalidArgumentError, UnknownCityError

NORMALISATIONS = ("n_minmax", "n_zscore", "n_rank", "n_dist2ref")
"""Normalisation methods (COINr names): min-max, z-score, rank, distance to a reference."""
AGGREGATIONS = ("a_amean", "a_gmean")
"""Aggregation methods: weighted arithmetic and geometric mean."""
NORMALISATION_DEFAULTS = {
    "n_minmax": {"l_u": (0.0, 1.0)},
    "n_zscore": {"m_sd": (0.0, 1.0)},
    "n_rank": {},
    "n_dist2ref": {"ref": None, "scale": 100.0},
}
"""Default options of each normalisation method."""
AGGREGATION_DEFAULTS = {"a_amean": {}, "a_gmean": {"offset": 0.0}}
"""Default options of each aggregation method."""
TOLERANCE = 1e-9
"""Slack when a coverage is compared with ``min_coverage``."""


# ----------------------------------------------------------------------------- options


def check_method(method, allowed, what: str) -> None:
    """InvalidArgumentError unless ``method`` is one of ``allowed`` (``what``: "normalisation", ...)."""
    if method not in allowed:
        check_known([method], allowed, what=f"{what} method")


def method_options(method: str, params, defaults: dict) -> dict:
    """Default options of ``method`` updated with ``params``, checked."""
    allowed = defaults[method]
    params = {} if params is None else dict(params)
    check_known(list(params), allowed, what="parameter(s)", where=f"for {method}")
    options = {**allowed, **params}
    if "l_u" in options:
        options["l_u"] = _number_pair(options["l_u"], method, "l_u", "lower < upper", lambda low, up: low < up)
    if "m_sd" in options:
        options["m_sd"] = _number_pair(options["m_sd"], method, "m_sd", "mean, sd > 0", lambda mean, sd: sd > 0)
    for name in ("scale", "offset"):
        if name in options and not math.isfinite(float(options[name])):
            raise InvalidArgumentError(f"{method} {name} must be a finite number; got {options[name]!r}.")
    return options


def _number_pair(value, method: str, name: str, rule: str, valid) -> tuple:
    """``value`` as a pair of finite floats obeying ``valid``, else InvalidArgumentError."""
    try:
        pair = tuple(float(v) for v in value)
    except (TypeError, ValueError):
        pair = ()
    if len(pair) != 2 or not all(map(math.isfinite, pair)) or not valid(*pair):
        raise InvalidArgumentError(f"{method} {name} must be two numbers ({rule}); got {value!r}.")
    return pair


def period_key(by) -> list[str]:
    """Columns identifying a row: (``by``,) city and indicator."""
    return ["city", "indicator"] if by is None else [by, "city", "indicator"]


def check_by(data: pd.DataFrame, by) -> None:
    """InvalidArgumentError unless ``by`` is None or a column of ``data``."""
    if by is not None and by not in data.columns:
        raise InvalidArgumentError(f"by must be None or a column of data; {by!r} is not one of "
                                   f"{', '.join(map(str, data.columns))}.")


def check_min_coverage(min_coverage) -> None:
    """InvalidArgumentError unless ``min_coverage`` lies in [0, 1]."""
    if not 0.0 <= float(min_coverage) <= 1.0:
        raise InvalidArgumentError(f"min_coverage must lie in [0, 1]; got {min_coverage!r}.")


# -------------------------------------------------------------------------------- cube


@dataclass(frozen=True)
class Cube:
    """Tidy rows laid out as arrays of shape (periods, cities, indicators)."""

    values: np.ndarray
    flags: dict
    periods: list
    cities: list
    indicators: list
    period_of_row: np.ndarray
    city_of_row: np.ndarray
    indicator_of_row: np.ndarray


def to_cube(data: pd.DataFrame, by, indicators) -> Cube:
    """Lay out the rows of ``indicators``; periods and cities come from all of ``data``."""
    if by is None:
        period_of_row, periods = np.zeros(len(data), dtype=int), [None]
    else:
        period_of_row, periods = pd.factorize(data[by], sort=True)
        periods = list(periods)
    city_of_row, cities = pd.factorize(data["city"])
    if (city_of_row < 0).any() or (period_of_row < 0).any():     # -1 would silently index the last city
        raise InvalidArgumentError("data has rows without a city or period; check it with check_observations.")
    kept = data["indicator"].isin(indicators).to_numpy()
    rows = data.loc[kept]
    period_of_row, city_of_row = period_of_row[kept], city_of_row[kept]
    indicator_of_row = pd.Index(indicators).get_indexer(rows["indicator"])
    shape = (len(periods), len(cities), len(indicators))
    values = np.full(shape, np.nan)
    row_values = pd.to_numeric(rows["value"], errors="coerce").to_numpy(dtype=float)
    values[period_of_row, city_of_row, indicator_of_row] = row_values
    flags = {}
    for flag in FLAG_COLUMNS:
        cube = np.zeros(shape, dtype=bool)
        if flag in rows.columns:
            raw = rows[flag].eq(True).fillna(False).to_numpy(dtype=bool)
            cube[period_of_row, city_of_row, indicator_of_row] = raw & ~np.isnan(row_values)
        flags[flag] = cube
    return Cube(values, flags, periods, list(cities), list(indicators),
                 period_of_row, city_of_row, indicator_of_row)


def row_labels(cube: Cube) -> pd.Series:
    """``"<city> <period>"`` (or ``"<city>"`` without periods) for each input row."""
    cities = np.asarray(cube.cities, dtype=object)[cube.city_of_row]
    if cube.periods == [None]:
        return pd.Series(cities, dtype=object)
    periods = np.asarray([str(p) for p in cube.periods], dtype=object)[cube.period_of_row]
    return pd.Series(cities + " " + periods, dtype=object)


def orient(cube: Cube, direction: pd.Series) -> np.ndarray:
    """Values times direction (higher is better); NaN for direction-0 indicators."""
    sign = direction.reindex(cube.indicators).to_numpy(dtype=float)
    return cube.values * np.where(sign == 0, np.nan, sign)


# ---------------------------------------------------------------------- normalisation


def _n_minmax(x, cities, *, l_u):
    low = np.fmin.reduce(x, axis=1, keepdims=True)
    span = np.fmax.reduce(x, axis=1, keepdims=True) - low
    single = _single_value(x)
    flat = (span == 0) & ~single
    lower, upper = l_u
    with np.errstate(invalid="ignore"):
        scores = lower + (x - low) / np.where(span == 0, np.nan, span) * (upper - lower)
    return scores, {_ONE_CITY: single[:, 0, :], "zero range across cities": flat[:, 0, :]}

_ONE_CITY = "fewer than 2 cities with a value"


def _single_value(x) -> np.ndarray:
    """True for the (period, indicator) groups where exactly one city has a value."""
    return (~np.isnan(x)).sum(axis=1, keepdims=True) == 1


def _n_zscore(x, cities, *, m_sd):
    present = ~np.isnan(x)
    count = present.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.nansum(x, axis=1, keepdims=True) / count
        sd = np.sqrt(np.nansum((x - mean) ** 2, axis=1, keepdims=True) / (count - 1))
        too_few = count == 1
        flat = (count > 1) & (sd == 0)
        mean_out, sd_out = m_sd
        scores = mean_out + (x - mean) / np.where(too_few | flat, np.nan, sd) * sd_out
    return scores, {_ONE_CITY: too_few[:, 0, :], "zero spread across cities": flat[:, 0, :]}


def _n_rank(x, cities):
    ranks = average_ranks(np.moveaxis(x, 1, -1))
    return np.moveaxis(ranks, -1, 1), {}


def _n_dist2ref(x, cities, *, ref, scale):
    """Distance to the reference, ``scale x (x - min) / (x_ref - min)``; see :func:`normalise`.

    Where the reference is the minimum (``x_ref == min < max``) the usual unit
    ``x_ref - min`` is 0; those groups use the unit ``max - min`` instead (they are
    listed by :func:`reference_at_minimum`).
    """
    low, high, reference, at_minimum = _dist2ref_groups(x, cities, ref)
    unit = np.where(at_minimum, high - low, reference - low)     # NaN when the reference has no value
    single = _single_value(x)
    flat = (high == low) & ~single
    no_reference = np.isnan(reference) & (~np.isnan(x)).any(axis=1, keepdims=True)
    with np.errstate(invalid="ignore"):
        scores = scale * (x - low) / np.where(unit == 0, np.nan, unit)
    return scores, {"reference city has no value": no_reference[:, 0, :], _ONE_CITY: single[:, 0, :],
                    "zero range across cities": flat[:, 0, :]}


def _dist2ref_groups(x, cities, ref):
    """Minimum, maximum, reference value and whether the reference is the minimum (of a
    group with a non-zero range), each of shape (periods, 1, indicators)."""
    low = np.fmin.reduce(x, axis=1, keepdims=True)
    high = np.fmax.reduce(x, axis=1, keepdims=True)
    if ref is None:
        reference = high
    else:
        names = check_known(ref, cities, what="reference city", where="for n_dist2ref", known_as="cities in data",
                            error=UnknownCityError)
        reference = np.fmax.reduce(x[:, [cities.index(name) for name in names], :], axis=1, keepdims=True)
    return low, high, reference, (reference == low) & (high > low)


def reference_at_minimum(cube: Cube, oriented: np.ndarray, options: dict, by) -> list:
    """The (period, indicator) groups that :func:`_n_dist2ref` scored with the fallback unit
    ``max - min`` because the reference is the minimum; ``period`` is None when ``by`` is None."""
    at_minimum = _dist2ref_groups(oriented, cube.cities, options["ref"])[3]
    periods, indicators = np.nonzero(at_minimum[:, 0, :])
    return [(None if by is None else cube.periods[p], cube.indicators[i]) for p, i in zip(periods, indicators)]

_NORMALISERS = {"n_minmax": _n_minmax, "n_zscore": _n_zscore, "n_rank": _n_rank, "n_dist2ref": _n_dist2ref}


def normalise_cube(cube: Cube, oriented: np.ndarray, method: str, options: dict, by) -> tuple:
    """Scores and per-(period, indicator) reasons for NaN; warns about degenerate groups."""
    scores, reasons = _NORMALISERS[method](oriented, cube.cities, **options)
    for reason, groups in reasons.items():
        if groups.any():
            periods, indicators = np.nonzero(groups)
            shown = ", ".join(
                cube.indicators[i] + ("" if by is None else f" {cube.periods[p]}")
                for p, i in list(zip(periods, indicators))[:10])
            warnings.warn(f"{method}: {reason} for {len(periods)} indicator group(s) ({shown}"
                          f"{', ...' if len(periods) > 10 else ''}); their scores are NaN.",
                          RuntimeWarning, stacklevel=3)
    return scores, reasons


# --------------------------------------------------------------------------- weights


@dataclass(frozen=True)
class Structure:
    """Indicators grouped into gaps with their nominal weights."""

    indicators: list
    gaps: list
    gap_of: np.ndarray          # (indicators,) position of each indicator's gap
    within: np.ndarray          # (indicators,) weight within its gap, sums to 1 per gap
    between: np.ndarray         # (gaps,) gap weight, sums to 1

    @property
    def gap_columns(self) -> list:
        return [np.flatnonzero(self.gap_of == g) for g in range(len(self.gaps))]


def _weight_values(given, names, allowed, what: str) -> np.ndarray:
    """Weights of ``names`` from ``given`` (all 1 when None), checked."""
    if given is None:
        return np.ones(len(names))
    given = dict(given)
    check_known(list(given), allowed, what="code(s)", where=f"in {what}")
    absent = [name for name in names if name not in given]
    if absent:
        raise InvalidArgumentError(f"{what} gives no weight for {', '.join(map(repr, absent))}; "
                                   "give one for each, or leave it None for equal weights.")
    values = np.array([float(given[name]) for name in names])
    if not np.isfinite(values).all() or (values < 0).any():
        raise InvalidArgumentError(f"{what} must be finite and non-negative; got {given!r}.")
    return values


def weight_table(table: pd.DataFrame, indicators, weights, gap_weights) -> pd.DataFrame:
    """Weights of ``indicators`` (all scored catalogue indicators when None): within their
    gap, of their gap and overall; see :func:`analysis.index.index_weights`."""
    scored = scorable(table, list(table.index))
    if indicators is None:
        indicators = scored
    else:
        indicators = list(indicators)
        directions(table, indicators)
        scored_set = set(scored)
        unscored = [code for code in indicators if code not in scored_set]
        if unscored:
            raise InvalidArgumentError(f"{', '.join(map(repr, unscored))} not scored (context gap or "
                                       f"direction 0); scored indicators: {', '.join(scored)}.")
    if not indicators:
        raise InvalidArgumentError("no scored indicator (gap other than context, direction 1 or -1) to weight.")
    gap_of_indicator = table["gap"].reindex(indicators).to_numpy()
    gaps = list(pd.unique(gap_of_indicator))
    gap_index = pd.Index(gaps).get_indexer(gap_of_indicator)
    raw = _weight_values(weights, indicators, scored, "weights")
    raw_gap = _weight_values(gap_weights, gaps, list(pd.unique(table["gap"].reindex(scored))), "gap_weights")
    gap_sums = np.bincount(gap_index, weights=raw, minlength=len(gaps))
    if (gap_sums == 0).any():
        raise InvalidArgumentError(f"weights of gap(s) {', '.join(np.asarray(gaps)[gap_sums == 0])} sum to 0.")
    if raw_gap.sum() == 0:
        raise InvalidArgumentError("gap_weights sum to 0.")
    weight_in_gap = raw / gap_sums[gap_index]
    gap_weight = (raw_gap / raw_gap.sum())[gap_index]
    return pd.DataFrame({"indicator": indicators, "gap": gap_of_indicator, "weight_in_gap": weight_in_gap,
                         "gap_weight": gap_weight, "weight": weight_in_gap * gap_weight})


def scorable(table: pd.DataFrame, codes: list) -> list:
    """The codes, in order, that are scored: gap other than context and direction 1 or -1."""
    direction = directions(table, codes).to_numpy()
    gap = table["gap"].reindex(codes).to_numpy()
    return [code for code, keep in zip(codes, (gap != CONTEXT_GAP) & (direction != 0)) if keep]


def weight_structure(weights: pd.DataFrame) -> Structure:
    """The :class:`Structure` of a weight table (:func:`weight_table`)."""
    gaps = list(pd.unique(weights["gap"]))
    return Structure(
        indicators=list(weights["indicator"]), gaps=gaps,
        gap_of=pd.Index(gaps).get_indexer(weights["gap"]),
        within=weights["weight_in_gap"].to_numpy(),
        between=weights.drop_duplicates("gap")["gap_weight"].to_numpy())


def scored_weights(data, table, weights, gap_weights) -> pd.DataFrame:
    """:func:`weight_table` of the scored indicators present in ``data``."""
    scored = scorable(table, list(pd.unique(data["indicator"])))
    if not scored:
        raise InvalidArgumentError("data has no scored indicator (gap other than context, direction 1 or -1).")
    return weight_table(table, scored, weights, gap_weights)


# ---------------------------------------------------------------------- weighted means


def gap_means(x, available, within, structure: Structure, min_coverage: float):
    """Yield (score, coverage) per gap, each of shape (draws, rows).

    ``x`` (rows, indicators) holds the values to average (logs for a geometric mean),
    ``within`` (draws, indicators) the weights within gaps. Missing values are skipped and
    the weights rescaled; a score whose coverage is below ``min_coverage`` is NaN.
    """
    filled = np.where(available, x, 0.0)
    present = available.astype(float)
    for columns in structure.gap_columns:
        weights = within[:, columns]
        coverage = weights @ present[:, columns].T
        with np.errstate(invalid="ignore", divide="ignore"):
            score = (weights @ filled[:, columns].T) / coverage
        too_low = (coverage < min_coverage - TOLERANCE) | (coverage <= 0)
        if too_low.any():
            score[too_low] = np.nan
        yield score, coverage


def combine_gaps(gap_scores, between, min_coverage: float):
    """Weighted mean of the gap scores that exist, and the gap weight they carry: (draws, rows)."""
    total = coverage = 0.0
    for g, score in enumerate(gap_scores):
        weight = between[:, g, None]
        if np.isnan(score).any():
            scored = ~np.isnan(score)
            total = total + weight * np.where(scored, score, 0.0)
            coverage = coverage + weight * scored
        else:
            total = total + weight * score
            coverage = coverage + weight
    with np.errstate(invalid="ignore", divide="ignore"):
        index = total / coverage
    coverage = np.broadcast_to(coverage, index.shape)
    index[(coverage < min_coverage - TOLERANCE) | (coverage <= 0)] = np.nan
    return index, coverage


def index_scores(x, available, within, between, structure: Structure, min_coverage: float):
    """Index of each row (city) under each draw of weights: shape (draws, rows).

    With no missing value the two-level weighted mean is one matrix product.
    """
    if available.all():
        return (within * between[:, structure.gap_of]) @ x.T
    scores = (score for score, _ in gap_means(x, available, within, structure, min_coverage))
    return combine_gaps(scores, between, min_coverage)[0]


def log_input(scores: np.ndarray, available: np.ndarray, offset: float, labels) -> np.ndarray:
    """``log(scores + offset)`` for the geometric mean; rejects values <= 0."""
    shifted = scores + offset
    bad = available & ~(shifted > 0)
    if bad.any():
        shown = ", ".join(labels(bad)[:5])
        raise InvalidArgumentError(
            f"a_gmean needs scores + offset > 0; {int(bad.sum())} are not ({shown}). Normalise to a "
            "positive range (e.g. method='n_minmax', params={'l_u': (1, 100)}) or pass "
            "params={'offset': ...}.")
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.log(shifted)
