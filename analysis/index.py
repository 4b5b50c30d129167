"""Composite index of the report's five gaps: normalise, aggregate, test robustness.

COINr's vocabulary: one verb per stage, methods named by family prefix.

- :func:`normalise` (``n_minmax``, ``n_zscore``, ``n_rank``, ``n_dist2ref``) puts every
  indicator on a common scale where higher is better, using the catalogue ``direction``.
- :func:`aggregate` (``a_amean``, ``a_gmean``) averages the normalised indicators within
  each of the five gaps (catalogue ``gap``; ``context`` and direction-0 indicators are
  left out), then averages the gap scores into the index. :func:`index_weights` shows
  the weights used.
- :func:`sensitivity` redraws the weights (Dirichlet) and the normalisation and
  aggregation methods many times and reports each city's rank distribution and which
  choices move ranks most.

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

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._docs import fill_docs
from .errors import InvalidArgumentError, UnknownCityError
from .metrics import FLAG_COLUMNS, _catalogue_table, check_observations, _directions, _join_reasons

__all__ = [
    "AGGREGATIONS", "NORMALISATIONS", "SensitivityResult",
    "aggregate", "index_weights", "normalise", "sensitivity",
]

NORMALISATIONS = ("n_minmax", "n_zscore", "n_rank", "n_dist2ref")
AGGREGATIONS = ("a_amean", "a_gmean")
CONTEXT_GAP = "context"
INDEX_COMPONENT = "index"
NORMALISATION_DEFAULTS = {
    "n_minmax": {"l_u": (0.0, 1.0)},
    "n_zscore": {"m_sd": (0.0, 1.0)},
    "n_rank": {},
    "n_dist2ref": {"ref": None, "scale": 100.0},
}
AGGREGATION_DEFAULTS = {"a_amean": {}, "a_gmean": {"offset": 0.0}}
_TOLERANCE = 1e-9


# ----------------------------------------------------------------------------- checks

def _check_method(method, allowed, what: str) -> None:
    if method not in allowed:
        raise InvalidArgumentError(f"unknown {what} method {method!r}; allowed: {', '.join(allowed)}.")


def _method_options(method: str, params, defaults: dict) -> dict:
    """Default options of ``method`` updated with ``params``, checked."""
    allowed = defaults[method]
    params = {} if params is None else dict(params)
    unknown = [name for name in params if name not in allowed]
    if unknown:
        raise InvalidArgumentError(
            f"unknown parameter(s) {', '.join(map(repr, unknown))} for {method}; allowed: "
            f"{', '.join(allowed) or 'none'}.")
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


def _period_key(by) -> list[str]:
    return ["city", "indicator"] if by is None else [by, "city", "indicator"]


def _check_by(data: pd.DataFrame, by) -> None:
    if by is not None and by not in data.columns:
        raise InvalidArgumentError(f"by must be None or a column of data; {by!r} is not one of "
                                   f"{', '.join(map(str, data.columns))}.")


def _check_min_coverage(min_coverage) -> None:
    if not 0.0 <= float(min_coverage) <= 1.0:
        raise InvalidArgumentError(f"min_coverage must lie in [0, 1]; got {min_coverage!r}.")


# ------------------------------------------------------------------------------ cubes

@dataclass(frozen=True)
class _Cube:
    """Tidy rows laid out as arrays of shape (periods, cities, indicators)."""

    values: np.ndarray
    flags: dict
    periods: list
    cities: list
    indicators: list
    period_of_row: np.ndarray
    city_of_row: np.ndarray
    indicator_of_row: np.ndarray


def _cube(data: pd.DataFrame, by, indicators) -> _Cube:
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
    return _Cube(values, flags, periods, list(cities), list(indicators),
                 period_of_row, city_of_row, indicator_of_row)


def _row_labels(cube: _Cube) -> pd.Series:
    """``"<city> <period>"`` (or ``"<city>"`` without periods) for each input row."""
    cities = np.asarray(cube.cities, dtype=object)[cube.city_of_row]
    if cube.periods == [None]:
        return pd.Series(cities, dtype=object)
    periods = np.asarray([str(p) for p in cube.periods], dtype=object)[cube.period_of_row]
    return pd.Series(cities + " " + periods, dtype=object)


# ---------------------------------------------------------------------- normalisation

def _average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks along the last axis, 1 = lowest, ties averaged; NaN stays NaN."""
    order = np.argsort(values, axis=-1)
    ordered = np.take_along_axis(values, order, axis=-1)
    size = ordered.shape[-1]
    position = np.arange(size)
    starts = np.ones(ordered.shape, dtype=bool)
    starts[..., 1:] = ordered[..., 1:] != ordered[..., :-1]
    ends = np.ones(ordered.shape, dtype=bool)
    ends[..., :-1] = starts[..., 1:]
    first = np.maximum.accumulate(np.where(starts, position, 0), axis=-1)
    last = np.flip(np.minimum.accumulate(np.flip(np.where(ends, position, size - 1), -1), axis=-1), -1)
    ranked = (first + last) / 2.0 + 1.0
    ranked[np.isnan(ordered)] = np.nan
    out = np.empty_like(ranked)
    np.put_along_axis(out, order, ranked, axis=-1)
    return out


_ALL_BUT_SIGN = np.int64(0x7FFFFFFFFFFFFFFF)


def _sorted_ranks(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Competition ranks of each row of ``scores`` (draws, cities), listed from the lowest score up.

    Returns ``(city, rank)``, both (draws, cities) integer arrays: the column of the j-th
    lowest score of each row and its rank (1 = highest score; ties share the best rank; 0
    for NaN).

    Fast path: one sort of 32-bit keys, each the score quantised to the row's range in its
    high bits and the column in its low bits, so the sort also yields the permutation.
    Rows where two quantised scores coincide, and arrays with NaN, are ranked exactly by
    :func:`_exact_sorted_ranks`; the result is always exact.
    """
    size = scores.shape[1]
    bits = max(1, (size - 1).bit_length())
    if bits > 16 or np.isnan(scores).any():
        return _exact_sorted_ranks(scores)
    low = scores.min(axis=1, keepdims=True)
    span = scores.max(axis=1, keepdims=True) - low
    levels = float((1 << (32 - bits)) - 1)
    scaled = scores - low
    scaled *= levels / np.where(span > 0, span, 1.0)
    key = scaled.astype(np.uint32)
    key <<= np.uint32(bits)
    key |= np.arange(size, dtype=np.uint32)
    key.sort(axis=1)
    city = key & np.uint32((1 << bits) - 1)
    key >>= np.uint32(bits)
    collided = (key[:, 1:] == key[:, :-1]).any(axis=1)
    rank = np.broadcast_to((size - np.arange(size)).astype(np.uint32), key.shape)
    if collided.any():
        rank = rank.copy()
        city[collided], rank[collided] = _exact_sorted_ranks(scores[collided])
    return city, rank


def _exact_sorted_ranks(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_sorted_ranks` by one sort of 64-bit keys: the float's order-preserving bits
    with the lowest ``ceil(log2(cities))`` replaced by the column (scores equal to within
    relative 2**-43 for 300 cities count as ties)."""
    size = scores.shape[1]
    missing = np.isnan(scores)
    if missing.any():
        scores = np.where(missing, -np.inf, scores)
    bits = max(1, (size - 1).bit_length())
    key = (scores + 0.0).view(np.int64)                 # + 0.0 turns -0.0 into 0.0
    key = key ^ ((key >> 63) & _ALL_BUT_SIGN)           # negative floats: reverse their order
    key &= np.int64(-(1 << bits))
    key |= np.arange(size, dtype=np.int64)
    key.sort(axis=1)
    city = (key & np.int64((1 << bits) - 1)).astype(np.intp)
    value = key >> bits
    tied = value[:, 1:] == value[:, :-1]
    if tied.any():  # rank = size - last position of the tie group
        ends = np.ones(key.shape, dtype=bool)
        ends[:, :-1] = ~tied
        position = np.where(ends, np.arange(size), size - 1)
        rank = size - np.flip(np.minimum.accumulate(np.flip(position, 1), axis=1), 1)
    else:
        rank = np.broadcast_to(size - np.arange(size), key.shape)
    if missing.any():
        rank = np.where(np.arange(size) < missing.sum(axis=1, keepdims=True), 0, rank)
    return city, rank


def _descending_ranks(scores: np.ndarray) -> np.ndarray:
    """Competition ranks along the last axis of a 2-D array (1 = highest, ties share the best); 0 for NaN."""
    city, rank = _sorted_ranks(scores)
    out = np.empty(scores.shape, dtype=np.int64)
    np.put_along_axis(out, city.astype(np.intp), rank, axis=1)
    return out


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
    ranks = _average_ranks(np.moveaxis(x, 1, -1))
    return np.moveaxis(ranks, -1, 1), {}


def _n_dist2ref(x, cities, *, ref, scale):
    """Distance to the reference, ``scale x (x - min) / (x_ref - min)``; see :func:`normalise`.

    Where the reference is the minimum (``x_ref == min < max``) the usual unit
    ``x_ref - min`` is 0; those groups use the unit ``max - min`` instead (they are
    listed by :func:`_reference_at_minimum`).
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
        names = [ref] if isinstance(ref, str) else list(ref)
        unknown = [name for name in names if name not in cities]
        if unknown:
            raise UnknownCityError(f"unknown reference city {', '.join(map(repr, unknown))} for n_dist2ref; "
                                   f"cities in data: {', '.join(map(str, cities))}.")
        reference = np.fmax.reduce(x[:, [cities.index(name) for name in names], :], axis=1, keepdims=True)
    return low, high, reference, (reference == low) & (high > low)


def _reference_at_minimum(cube: _Cube, oriented: np.ndarray, options: dict, by) -> list:
    """The (period, indicator) groups that :func:`_n_dist2ref` scored with the fallback unit
    ``max - min`` because the reference is the minimum; ``period`` is None when ``by`` is None."""
    at_minimum = _dist2ref_groups(oriented, cube.cities, options["ref"])[3]
    periods, indicators = np.nonzero(at_minimum[:, 0, :])
    return [(None if by is None else cube.periods[p], cube.indicators[i]) for p, i in zip(periods, indicators)]


_NORMALISERS = {"n_minmax": _n_minmax, "n_zscore": _n_zscore, "n_rank": _n_rank, "n_dist2ref": _n_dist2ref}


def _oriented(cube: _Cube, direction: pd.Series) -> np.ndarray:
    """Values times direction (higher is better); NaN for direction-0 indicators."""
    sign = direction.reindex(cube.indicators).to_numpy(dtype=float)
    return cube.values * np.where(sign == 0, np.nan, sign)


def _normalise_cube(cube: _Cube, oriented: np.ndarray, method: str, options: dict, by) -> tuple:
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
    _check_method(method, NORMALISATIONS, "normalisation")
    options = _method_options(method, params, NORMALISATION_DEFAULTS)
    _check_by(data, by)
    key = _period_key(by)
    check_observations(data, key=key, required=[*key, "value"], vintage=False)
    indicators = list(pd.unique(data["indicator"]))
    direction = _directions(catalogue, indicators)
    cube = _cube(data, by, indicators)
    oriented = _oriented(cube, direction)
    scores, reasons = _normalise_cube(cube, oriented, method, options, by)
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
             pd.Series(np.where(no_value & ~context, _row_labels(cube) + ": no value", ""), dtype=object)]
    for reason, groups in reasons.items():
        hit = groups[cube.period_of_row, cube.indicator_of_row] & ~no_value
        parts.append(pd.Series(np.where(hit, reason, ""), dtype=object))
    out["missing"] = _join_reasons(*parts).to_numpy()
    return out


# ------------------------------------------------------------------------ aggregation

@dataclass(frozen=True)
class _Structure:
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
    unknown = [name for name in given if name not in set(allowed)]
    if unknown:
        raise InvalidArgumentError(f"{what} names unknown code(s) {', '.join(map(repr, unknown))}; "
                                   f"allowed: {', '.join(map(str, allowed))}.")
    absent = [name for name in names if name not in given]
    if absent:
        raise InvalidArgumentError(f"{what} gives no weight for {', '.join(map(repr, absent))}; "
                                   "give one for each, or leave it None for equal weights.")
    values = np.array([float(given[name]) for name in names])
    if not np.isfinite(values).all() or (values < 0).any():
        raise InvalidArgumentError(f"{what} must be finite and non-negative; got {given!r}.")
    return values


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
    table = _catalogue_table(catalogue, ("direction", "gap"))
    scorable = _scorable(table, list(table.index))
    if indicators is None:
        indicators = scorable
    else:
        indicators = list(indicators)
        _directions(table, indicators)
        scorable_set = set(scorable)
        unscored = [code for code in indicators if code not in scorable_set]
        if unscored:
            raise InvalidArgumentError(f"{', '.join(map(repr, unscored))} not scored (context gap or "
                                       f"direction 0); scored indicators: {', '.join(scorable)}.")
    if not indicators:
        raise InvalidArgumentError("no scored indicator (gap other than context, direction 1 or -1) to weight.")
    gap_of_indicator = table["gap"].reindex(indicators).to_numpy()
    gaps = list(pd.unique(gap_of_indicator))
    gap_index = pd.Index(gaps).get_indexer(gap_of_indicator)
    raw = _weight_values(weights, indicators, scorable, "weights")
    raw_gap = _weight_values(gap_weights, gaps, list(pd.unique(table["gap"].reindex(scorable))), "gap_weights")
    gap_sums = np.bincount(gap_index, weights=raw, minlength=len(gaps))
    if (gap_sums == 0).any():
        raise InvalidArgumentError(f"weights of gap(s) {', '.join(np.asarray(gaps)[gap_sums == 0])} sum to 0.")
    if raw_gap.sum() == 0:
        raise InvalidArgumentError("gap_weights sum to 0.")
    weight_in_gap = raw / gap_sums[gap_index]
    gap_weight = (raw_gap / raw_gap.sum())[gap_index]
    return pd.DataFrame({"indicator": indicators, "gap": gap_of_indicator, "weight_in_gap": weight_in_gap,
                         "gap_weight": gap_weight, "weight": weight_in_gap * gap_weight})


def _scorable(table: pd.DataFrame, codes: list) -> list:
    """The codes, in order, that are scored: gap other than context and direction 1 or -1."""
    direction = _directions(table, codes).to_numpy()
    gap = table["gap"].reindex(codes).to_numpy()
    return [code for code, keep in zip(codes, (gap != CONTEXT_GAP) & (direction != 0)) if keep]


def _structure(weights: pd.DataFrame) -> _Structure:
    gaps = list(pd.unique(weights["gap"]))
    return _Structure(
        indicators=list(weights["indicator"]), gaps=gaps,
        gap_of=pd.Index(gaps).get_indexer(weights["gap"]),
        within=weights["weight_in_gap"].to_numpy(),
        between=weights.drop_duplicates("gap")["gap_weight"].to_numpy())


def _scored_weights(data, table, weights, gap_weights) -> pd.DataFrame:
    """:func:`index_weights` of the scored indicators present in ``data``."""
    scored = _scorable(table, list(pd.unique(data["indicator"])))
    if not scored:
        raise InvalidArgumentError("data has no scored indicator (gap other than context, direction 1 or -1).")
    return index_weights(table, indicators=scored, weights=weights, gap_weights=gap_weights)


def _gap_scores(x, available, within, structure: _Structure, min_coverage: float):
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
        too_low = (coverage < min_coverage - _TOLERANCE) | (coverage <= 0)
        if too_low.any():
            score[too_low] = np.nan
        yield score, coverage


def _combine_gaps(gap_scores, between, min_coverage: float):
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
    index[(coverage < min_coverage - _TOLERANCE) | (coverage <= 0)] = np.nan
    return index, coverage


def _index_scores(x, available, within, between, structure: _Structure, min_coverage: float):
    """Index of each row (city) under each draw of weights: shape (draws, rows).

    With no missing value the two-level weighted mean is one matrix product.
    """
    if available.all():
        return (within * between[:, structure.gap_of]) @ x.T
    scores = (score for score, _ in _gap_scores(x, available, within, structure, min_coverage))
    return _combine_gaps(scores, between, min_coverage)[0]


def _log_input(scores: np.ndarray, available: np.ndarray, offset: float, labels) -> np.ndarray:
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
    _check_method(method, AGGREGATIONS, "aggregation")
    options = _method_options(method, params, AGGREGATION_DEFAULTS)
    _check_min_coverage(min_coverage)
    _check_by(normalised, by)
    key = _period_key(by)
    check_observations(normalised, key=key, required=[*key, "value"], vintage=False)
    table = _catalogue_table(catalogue, ("direction", "gap"))
    structure = _structure(_scored_weights(normalised, table, weights, gap_weights))
    cube = _cube(normalised, by, structure.indicators)
    n_periods, n_cities, n_indicators = cube.values.shape
    values = cube.values.reshape(-1, n_indicators)
    available = ~np.isnan(values)
    if method == "a_gmean":
        def labels(bad):
            p, c, i = np.nonzero(bad.reshape(cube.values.shape))
            return [f"{cube.cities[ci]} {cube.indicators[ii]}" + ("" if by is None else f" {cube.periods[pi]}")
                    for pi, ci, ii in zip(p, c, i)]
        values = _log_input(values, available, options["offset"], labels)

    within, between = structure.within[None, :], structure.between[None, :]
    gap_results = list(_gap_scores(values, available, within, structure, min_coverage))
    gap_scores = [score[0] for score, _ in gap_results]
    index, index_coverage = _combine_gaps([s[None, :] for s in gap_scores], between, min_coverage)
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
    ranks = _descending_ranks(np.moveaxis(scores.reshape(layout), 1, -1).reshape(-1, n_cities)).astype(float)
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


def _aggregate_reasons(available, scores, coverage, structure: _Structure, min_coverage: float) -> np.ndarray:
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


# ----------------------------------------------------------------------- sensitivity

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


def _draw_weights(rng, structure: _Structure, n_draws: int, concentration: float):
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
        rank = (cumulative >= q * n_ranked[:, None] - _TOLERANCE).argmax(axis=1) + 1.0
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
    if not _is_count(n_draws):
        raise InvalidArgumentError(f"n_draws must be a whole number >= 1; got {n_draws!r}.")
    if not (math.isfinite(float(concentration)) and concentration > 0):
        raise InvalidArgumentError(f"concentration must be a positive number; got {concentration!r}.")
    _check_min_coverage(min_coverage)
    params = {} if params is None else dict(params)
    unknown = [name for name in params if name not in normalisations]
    if unknown:
        raise InvalidArgumentError(f"params names method(s) {', '.join(map(repr, unknown))} not drawn from; "
                                   f"normalisations: {', '.join(normalisations)}.")
    options = {name: _method_options(name, params.get(name), NORMALISATION_DEFAULTS) for name in normalisations}
    _check_by(data, by)
    key = _period_key(by)
    check_observations(data, key=key, required=[*key, "value"], vintage=False)
    table = _catalogue_table(catalogue, ("direction", "gap"))
    weight_table = _scored_weights(data, table, weights, gap_weights)
    structure = _structure(weight_table)
    cube = _cube(data, by, structure.indicators)
    oriented = _oriented(cube, _directions(table, structure.indicators))
    scores = {name: _normalise_cube(cube, oriented, name, options[name], by)[0] for name in normalisations}
    fallback = (_reference_at_minimum(cube, oriented, options["n_dist2ref"], by)
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
                    index = _index_scores(values, available, nominal_within, nominal_between, structure, min_coverage)
                    nominal = _descending_ranks(index)[0]
                draws = (normalisation_pick == n) & (aggregation_pick == a)
                if draws.any():
                    index = _index_scores(values, available, within[draws], between[draws], structure, min_coverage)
                    histograms[n * len(aggregations) + a] = _rank_histogram(*_sorted_ranks(index), n_cities)
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


def _method_list(methods, allowed, what: str) -> tuple:
    methods = (methods,) if isinstance(methods, str) else tuple(dict.fromkeys(methods))
    if not methods:
        raise InvalidArgumentError(f"give at least one {what} method; allowed: {', '.join(allowed)}.")
    for method in methods:
        _check_method(method, allowed, what)
    return methods


def _is_count(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool) and value >= 1
