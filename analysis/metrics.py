"""Metrics: the focus city against its peers, indicator by indicator.

Every function is pure: no I/O, inputs left unchanged. Each takes tidy observations
(columns ``city``, ``year``, ``indicator``, ``value``, ``unit``; one row per (city, year,
indicator), as the loaders return the preferred rows) plus ``focus`` and ``peers``, and
returns a tidy DataFrame with a fresh RangeIndex, one row per result. The checks, the
choice of years and the pairing of the focus city with its peers are shared by every
metric (:mod:`analysis._align`); this module holds the formulas.

Values are plain numbers in the indicator's ``unit`` (e.g. ``percent`` for R&D intensity,
``100 million yuan`` for R&D expenditure). Differences are focus minus peer, so a negative
difference means the focus city's value is lower; whether lower is worse depends on the
indicator's ``direction`` in the catalogue.

Missing data
------------
One design throughout: a result that cannot be computed is NaN (never 0), and every
output row has a string column ``missing`` that is empty when every value needed was
present and otherwise says what is missing or undefined (``"Shenzhen 2021: no value"``,
``"no year in which all of Guangzhou, Beijing have a value"``, ``"peer value is 0: ratio
and percent undefined"``). Select ``out[out["missing"] != ""]`` to list the holes.

Years
-----
Data years differ across cities. Nothing is compared across years silently: every output
names the year used per city (``year``, ``focus_year``, ``peer_year``), chosen by the
``year`` argument (an explicit year, the latest ``"common"`` year or each city's ``"own"``
latest year; see :func:`latest_comparable_year`).

Vintages
--------
An optional string column ``vintage`` says which release a figure comes from
(``"first release"``, ``"revised (...)"``, ``"census count (2020-11-01)"``, ...). An
absent column or a missing entry counts as ``""``: no vintage recorded. Growth compares
one city's figures of two years, so it is only computed when both figures have the
same vintage label: ``growth_yoy`` (the year and the previous year), ``growth_cagr``
(the window's start and end value, the only two figures the rate uses), ``change_since``
and, through ``growth_cagr``, ``catch_up``. Otherwise the result is NaN and ``missing``
says e.g. ``"vintages differ: 2018 'first release' vs 2019 'revised (...)'"``. Two empty
labels match (a series without recorded vintages is taken as one consistent series), but
an empty label does not match a non-empty one: a label marks a series whose releases
differ, and a figure without one cannot be shown to be of the same release (e.g. a
pre-census estimate against an unlabelled later figure). Labels are compared as exact
text. Differences, ranks and the latest comparable year compare cities within one year
and do not check vintages; they report each value's ``vintage`` so that mixed releases
can be seen.

Flags
-----
``lower_bound``, ``approximate`` and ``year_inferred`` propagate: an output row's flag is
True when any value its result was computed from carries it. A difference computed from
a lower bound ("more than X") is itself only a bound.

Input checks
------------
Nothing is coerced. ``city`` and ``indicator`` must be non-empty text, ``year`` whole
numbers, ``value`` numbers (NaN, None or NA for a missing value), the flag columns
booleans (missing only on a row without a value) and ``vintage`` text; any other entry
raises :class:`~analysis.errors.InvalidArgumentError` naming the column and rows. Empty
data raises it too (there is no focus city to compare).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ._align import (
    Panel,
    Prepared,
    Years,
    check_whole_year,
    check_window,
    check_year,
    compared_cities,
    pair_with_focus,
    panel,
    prepare,
    ratio_parts_at,
    rows_in_grid_order,
    select,
    text_column,
    values_at,
    values_by_year,
    vintage_break,
    years_used,
)
from ._docs import fill_docs
from ._frame import (
    catalogue_table,
    check_observations,
    directions,
    join_reasons,
    no_value,
    ratio_definition,
    reason_where,
)
from ._ranks import descending_ranks
from ._vocab import (
    DEFAULT_FOCUS,
    DEFAULT_PEERS,
    FLAG_COLUMNS,
    PERCENT_UNIT,
    PERCENTAGE_POINTS,
    YEAR_MODES,
    change_unit,
)
from .errors import InvalidArgumentError, UnknownIndicatorError

__all__ = [
    "CATCH_UP_HORIZON", "DEFAULT_FOCUS", "DEFAULT_PEERS", "FLAG_COLUMNS", "PERCENTAGE_POINTS", "PERCENT_UNIT", "Panel",
    "REACH_STATUSES", "YEAR_MODES",
    "catch_up", "change_since", "check_observations", "difference", "extra_needed_to_match", "gap", "growth_cagr",
    "growth_yoy", "latest_comparable_year", "panel", "rank",
]

REACH_STATUSES = ("already", "projected", "beyond horizon", "never", "unknown")
"""Statuses of :func:`catch_up`'s reach and overtake columns."""
CATCH_UP_HORIZON = 2050
"""Last year :func:`catch_up` projects a crossing to."""
_NOT_RANKED = "direction 0 (context indicator): not ranked"
_GAP_COLUMNS = {"difference": "gap_abs", "difference_unit": "gap_abs_unit", "ratio": "gap_ratio",
                "difference_pct": "gap_pct"}


# ----------------------------------------------------------------- values and differences

@fill_docs
def latest_comparable_year(data, *, focus: str = DEFAULT_FOCUS, peers=DEFAULT_PEERS, indicators=None,
                           year="common", mode=None) -> pd.DataFrame:
    """Each compared city's value at the latest comparable year, and which year that is.

    Parameters
    ----------
    {data}
    {focus}
    {peers}
    {indicators}
    {year}
    mode : {"common", "own"}, optional
        Deprecated name of ``year``.

    Returns
    -------
    pandas.DataFrame
        One row per (indicator, city), focus first: ``indicator``, ``city``, ``year``
        (Int64, the year used; NA when there is none), ``value`` (in ``unit``), ``unit``,
        ``vintage`` (``""`` when none is recorded), the flags and ``missing``.

    Notes
    -----
    {flags_and_missing}
    """
    if mode is not None:
        warnings.warn("latest_comparable_year(mode=...) is deprecated; use year=... (same values).",
                      DeprecationWarning, stacklevel=2)
        if mode not in YEAR_MODES:
            raise InvalidArgumentError(f"mode must be one of {', '.join(map(repr, YEAR_MODES))}; got {mode!r}.")
        year = mode
    check_year(year)
    prepared = prepare(data, focus, peers, indicators)
    return values_at(prepared, years_used(prepared, year))


@fill_docs
def difference(data, *, focus: str = DEFAULT_FOCUS, peers=DEFAULT_PEERS, indicators=None,
               year="common") -> pd.DataFrame:
    """Difference of the focus city to each peer: focus minus peer, ratio and percent.

    Parameters
    ----------
    {data}
    {focus}
    {peers}
    {indicators}
    {year}

    Returns
    -------
    pandas.DataFrame
        One row per (indicator, peer): ``indicator``, ``focus``, ``peer``, ``focus_year``,
        ``peer_year``, ``focus_value``, ``peer_value``, ``unit``, ``difference`` (focus
        minus peer, in ``difference_unit``: the indicator's unit, or ``percentage points``
        for a ``percent`` indicator), ``difference_unit``, ``ratio`` (focus / peer, a
        plain number), ``difference_pct`` (percent of the peer's value), ``focus_vintage``
        and ``peer_vintage`` (``""`` when none is recorded; not checked, see Vintages in
        the module docs), the flags and ``missing``.

    Notes
    -----
    ``difference = focus - peer``; ``ratio = focus / peer``;
    ``difference_pct = (focus - peer) / abs(peer) x 100``. A peer value of 0 makes the
    ratio and percent NaN. A city's difference to itself is 0, 1 and 0%.

    {flags_and_missing}
    """
    check_year(year)
    prepared = prepare(data, focus, peers, indicators)
    pairs = pair_with_focus(values_at(prepared, years_used(prepared, year)), prepared)
    focus_value, peer_value = pairs["focus_value"], pairs["peer_value"]
    peer_is_zero = peer_value.eq(0)
    divisor = peer_value.where(~peer_is_zero)
    pairs["difference"] = focus_value - peer_value
    pairs["difference_unit"] = change_unit(pairs["unit"])
    pairs["ratio"] = focus_value / divisor
    pairs["difference_pct"] = (focus_value - peer_value) / divisor.abs() * 100.0
    pairs["missing"] = join_reasons(
        pairs["missing"], reason_where(peer_is_zero, "peer value is 0: ratio and percent undefined", pairs.index))
    columns = ["indicator", "focus", "peer", "focus_year", "peer_year", "focus_value", "peer_value", "unit",
               "difference", "difference_unit", "ratio", "difference_pct", "focus_vintage", "peer_vintage",
               *FLAG_COLUMNS, "missing"]
    return pairs[columns]


def gap(data, *, focus: str = DEFAULT_FOCUS, peers=DEFAULT_PEERS, indicators=None, year="common") -> pd.DataFrame:
    """Deprecated: :func:`difference` with its columns named ``gap_abs``, ``gap_abs_unit``,
    ``gap_ratio`` and ``gap_pct`` (the report's five gaps keep the word "gap")."""
    warnings.warn("metrics.gap is deprecated; use metrics.difference (columns difference, difference_unit, "
                  "ratio, difference_pct).", DeprecationWarning, stacklevel=2)
    out = difference(data, focus=focus, peers=peers, indicators=indicators, year=year)
    return out.rename(columns=_GAP_COLUMNS)


# ------------------------------------------------------------------------------- ranks

@fill_docs
def rank(data, catalogue, *, focus: str = DEFAULT_FOCUS, peers=DEFAULT_PEERS, indicators=None) -> pd.DataFrame:
    """Rank of each compared city per indicator and year (1 = best), honouring direction.

    Parameters
    ----------
    {data}
    catalogue : pandas.DataFrame or mapping of str to int
        Indicator catalogue (its ``direction`` column is used) or a mapping of indicator
        code to direction: 1 higher is better, -1 lower is better, 0 context (not ranked).
    {focus}
    {peers}
    {indicators}

    Returns
    -------
    pandas.DataFrame
        One row per (indicator, year, city) for every year in which any compared city has
        a row: ``indicator``, ``year``, ``city``, ``value`` (in ``unit``), ``unit``,
        ``vintage``, the flags, ``rank`` (float; ties share the best rank, "min" method;
        NaN without a value or for direction 0), ``n_ranked`` (cities with a value that
        year) and ``missing``.

    Notes
    -----
    Cities are only ranked against values of the same year. A rank depends on every
    city's value that year, so the flags are True for the whole (indicator, year) when
    any ranked value carries them.

    {flags_and_missing}
    """
    prepared = prepare(data, focus, peers, indicators)
    sign = directions(catalogue, prepared.indicators).to_numpy(dtype=float)
    out, indicator = values_by_year(prepared)
    sign = sign[indicator]
    with np.errstate(invalid="ignore"):
        oriented = np.where(sign != 0, out["value"].to_numpy() * sign, np.nan)
    n_cities = len(prepared.cities)
    by_year = oriented.reshape(-1, n_cities)               # one row per (indicator, year)
    ranks = descending_ranks(by_year).astype(float).ravel()
    ranks[ranks == 0] = np.nan
    used = ~np.isnan(oriented)
    for flag in FLAG_COLUMNS:
        out[flag] = np.repeat((out[flag].to_numpy() & used).reshape(by_year.shape).any(axis=1), n_cities)
    out.insert(len(out.columns) - 1, "rank", ranks)
    out.insert(len(out.columns) - 1, "n_ranked", np.repeat(used.reshape(by_year.shape).sum(axis=1), n_cities))
    out["missing"] = join_reasons(out["missing"], reason_where(sign == 0, _NOT_RANKED, out.index))
    return out


# ------------------------------------------------------------------------------ growth

@fill_docs
def growth_yoy(data, *, focus: str = DEFAULT_FOCUS, peers=DEFAULT_PEERS, indicators=None) -> pd.DataFrame:
    """Year-on-year growth of each compared city's values, in percent.

    Parameters
    ----------
    {data_vintage}
    {focus}
    {peers}
    {indicators}

    Returns
    -------
    pandas.DataFrame
        One row per observation of a compared city: ``indicator``, ``city``, ``year``,
        ``previous_year`` (always ``year - 1``), ``value``, ``previous_value`` (in
        ``unit``), ``unit``, ``vintage``, ``previous_vintage`` (``""`` when none is
        recorded), the flags, ``growth_pct`` (percent) and ``missing``.

    Notes
    -----
    ``growth_pct = (value - previous_value) / abs(previous_value) x 100``. Growth is only
    taken between consecutive years: a missing previous year gives NaN, it is not bridged.
    A previous value of 0 gives NaN, and so do two figures of different vintages
    (``"vintages differ: ..."``; see Vintages in the module docs).

    {flags_and_missing}
    """
    prepared = prepare(data, focus, peers, indicators)
    order = rows_in_grid_order(prepared)
    data = prepared.panel
    rows = prepared.rows[order]
    indicator, city = prepared.indicator[order], prepared.city[order]
    year = data.year[rows]
    previous = prepared.rows_at(indicator, city, year - 1)
    found = previous >= 0
    value = data.value[rows]
    previous_value = np.where(found, data.value[previous], np.nan)
    names = np.asarray(prepared.cities, dtype=object)[city]
    out = pd.DataFrame({
        "indicator": text_column(prepared.indicators, indicator), "city": text_column(prepared.cities, city),
        "year": year, "previous_year": year - 1, "value": value, "previous_value": previous_value,
        "unit": text_column(prepared.units(), indicator),
        "vintage": data.vintage[rows],
        "previous_vintage": pd.Series(np.where(found, data.vintage[previous], ""), dtype=object),
        **{flag: data.flags[flag][rows] | (found & data.flags[flag][previous]) for flag in FLAG_COLUMNS},
    })
    value, previous_value = out["value"], out["previous_value"]
    previous_is_zero = previous_value.eq(0)
    broken = vintage_break(out["previous_year"], out["previous_vintage"], out["year"], out["vintage"],
                           value.notna() & previous_value.notna(), out.index)
    defined = ~previous_is_zero & broken.eq("")
    out["growth_pct"] = (value - previous_value) / previous_value.where(defined).abs() * 100.0
    out["missing"] = join_reasons(
        reason_where(value.isna(), no_value(names, year), out.index),
        reason_where(previous_value.isna(), no_value(names, year - 1), out.index),
        reason_where(previous_is_zero, "previous value is 0: growth undefined", out.index),
        broken)
    return out


_CHANGE_BOUNDS = {(True, False): "at most", (False, True): "at least", (True, True): "unknown"}


@fill_docs
def change_since(data, *, start_year: int, focus: str = DEFAULT_FOCUS, peers=DEFAULT_PEERS,
                 indicators=None) -> pd.DataFrame:
    """Change of each compared city's figure since ``start_year``, in the indicator's unit.

    Parameters
    ----------
    {data_vintage}
    start_year : int
        Each city's change runs from its first year at or after ``start_year`` with a
        figure to its latest year with one.
    {focus}
    {peers}
    {indicators}

    Returns
    -------
    pandas.DataFrame
        One row per (indicator, city), focus first: ``indicator``, ``city``,
        ``start_year``, ``end_year`` (Int64), ``start_value``, ``end_value`` (in ``unit``),
        ``unit``, ``start_vintage``, ``end_vintage``, ``change`` (end minus start, in
        ``change_unit``: the unit, or ``percentage points`` for a ``percent`` indicator),
        ``change_unit``, ``change_bound`` (``"at most"`` when the start figure is a lower
        bound, ``"at least"`` when the end figure is, ``"unknown"`` when both are, else
        ``""``), ``start_<flag>`` and ``end_<flag>`` for each flag, the flags and ``missing``.

    Notes
    -----
    ``change`` is NaN when a city has fewer than two years with a figure since
    ``start_year``, or when its two figures are of different vintages (see Vintages in
    the module docs); ``missing`` says which.

    {flags_and_missing}
    """
    check_whole_year(start_year, "start_year", 2018)
    prepared = prepare(data, focus, peers, indicators)
    n_indicators, n_cities = prepared.shape
    years, value = prepared.column("year"), prepared.column("value")
    recent = ~np.isnan(value) & (years >= start_year)
    cell = (prepared.indicator * n_cities + prepared.city)[recent]
    first = np.full(n_indicators * n_cities, np.iinfo(np.int64).max, dtype=np.int64)
    last = np.full(n_indicators * n_cities, np.iinfo(np.int64).min, dtype=np.int64)
    np.minimum.at(first, cell, years[recent])
    np.maximum.at(last, cell, years[recent])
    has_figure = last != np.iinfo(np.int64).min
    no_reason = np.full(len(has_figure), "", dtype=object)
    start, end = (values_at(prepared, Years(span_end, has_figure, no_reason)) for span_end in (first, last))
    two_years = has_figure & (last > first)
    broken = vintage_break(start["year"], start["vintage"], end["year"], end["vintage"], two_years, start.index)
    comparable = two_years & broken.eq("")
    out = start[["indicator", "city"]].assign(
        start_year=start["year"], end_year=end["year"], start_value=start["value"], end_value=end["value"],
        unit=end["unit"], start_vintage=start["vintage"], end_vintage=end["vintage"])
    out["change"] = (end["value"] - start["value"]).where(comparable)
    out["change_unit"] = change_unit(out["unit"])
    bounds = zip(start["lower_bound"], end["lower_bound"])
    out["change_bound"] = np.where(comparable, [_CHANGE_BOUNDS.get(pair, "") for pair in bounds], "")
    for flag in FLAG_COLUMNS:
        out[f"start_{flag}"], out[f"end_{flag}"] = start[flag], end[flag]
    for flag in FLAG_COLUMNS:
        out[flag] = (start[flag] | end[flag]) & comparable
    out["missing"] = join_reasons(
        reason_where(~has_figure,
                     lambda mask: (out.loc[mask, "city"].astype(object) + f": no value since {start_year}").to_numpy(),
                     out.index),
        reason_where(has_figure & (first == last), no_value(out["city"], first, f"the only value since {start_year}"),
                     out.index),
        broken)
    return out


@fill_docs
def growth_cagr(data, *, focus: str = DEFAULT_FOCUS, peers=DEFAULT_PEERS, indicators=None,
                window: int = 5, year="own") -> pd.DataFrame:
    """Compound annual growth rate of each compared city over a window, in percent per year.

    Parameters
    ----------
    {data_vintage}
    {focus}
    {peers}
    {indicators}
    {window}
    year : int or {"common", "own"}, default "own"
        End year of the window: an int for every city, the latest ``"common"`` year, or
        each city's ``"own"`` latest year (see :func:`latest_comparable_year`).

    Returns
    -------
    pandas.DataFrame
        One row per (indicator, city): ``indicator``, ``city``, ``start_year``,
        ``end_year`` (Int64), ``window`` (years), ``start_value``, ``end_value`` (in
        ``unit``), ``unit``, ``start_vintage``, ``end_vintage`` (``""`` when none is
        recorded), ``cagr_pct`` (percent per year), the flags and ``missing``.

    Notes
    -----
    ``cagr_pct = ((end_value / start_value) ** (1 / window) - 1) x 100``, defined for a
    positive start value and a non-negative end value of the same vintage, else NaN
    (``"vintages differ: ..."``; see Vintages in the module docs). The start year is
    exactly ``end_year - window``; a missing start value gives NaN rather than a shorter
    window.

    {flags_and_missing}
    """
    check_year(year)
    check_window(window)
    return _cagr_table(prepare(data, focus, peers, indicators), window=window, year=year)


def _cagr_table(prepared: Prepared, *, window: int, year) -> pd.DataFrame:
    """Compound annual growth per (indicator, city) over ``window`` years ending at ``year``."""
    end_years = years_used(prepared, year)
    end = values_at(prepared, end_years)
    start = values_at(prepared, Years(end_years.year - window, end_years.known,
                                      np.full(len(end_years.year), "", dtype=object)))
    start_value, end_value = start["value"], end["value"]
    both_present = start_value.notna() & end_value.notna()
    broken = vintage_break(start["year"], start["vintage"], end["year"], end["vintage"], both_present, end.index)
    defined = (start_value > 0) & (end_value >= 0) & broken.eq("")
    growth_factor = (end_value / start_value.where(defined)) ** (1.0 / window)
    undefined = both_present & ~((start_value > 0) & (end_value >= 0))
    out = pd.DataFrame({
        "indicator": end["indicator"], "city": end["city"],
        "start_year": start["year"], "end_year": end["year"], "window": window,
        "start_value": start_value, "end_value": end_value, "unit": end["unit"],
        "start_vintage": start["vintage"], "end_vintage": end["vintage"],
        "cagr_pct": (growth_factor - 1.0) * 100.0,
    })
    for flag in FLAG_COLUMNS:
        out[flag] = start[flag] | end[flag]
    out["missing"] = join_reasons(
        end["missing"], start["missing"],
        reason_where(undefined, "growth needs a positive start value and a non-negative end value", out.index),
        broken)
    return out


# ---------------------------------------------------------------------------- catch-up

@fill_docs
def catch_up(data, catalogue, *, focus: str = DEFAULT_FOCUS, peers=DEFAULT_PEERS, indicators=None,
             window: int = 5, year="own", horizon: int = CATCH_UP_HORIZON) -> pd.DataFrame:
    """When the focus city would reach each peer's current level, and overtake the peer.

    Each city is projected forward at its own compound annual growth rate over the last
    ``window`` years (:func:`growth_cagr`).

    Parameters
    ----------
    {data_vintage}
    catalogue : pandas.DataFrame or mapping of str to int
        Indicator catalogue (its ``direction`` column is used) or a mapping of indicator
        code to direction. For direction -1 (lower is better) "reach" means falling to the
        peer's level; direction 0 (context) gives status ``"unknown"``.
    {focus}
    {peers}
    {indicators}
    {window}
    year : int or {"common", "own"}, default "own"
        The "current" year of each city, which is also the end of its growth window.
    horizon : int, default CATCH_UP_HORIZON (2050)
        Last year a crossing is projected to. A fixed year, not "today + n", so results
        are reproducible. Extrapolating a few years' growth for decades says little, so a
        crossing after ``horizon`` has status ``"beyond horizon"`` and no year.

    Returns
    -------
    pandas.DataFrame
        One row per (indicator, peer): ``indicator``, ``focus``, ``peer``, ``window``
        (years of the growth window), ``focus_year``, ``focus_value``, ``focus_cagr_pct``
        (percent per year), ``peer_year``, ``peer_value``, ``peer_cagr_pct``, ``unit``,
        ``focus_vintage`` and ``peer_vintage`` (of the current values), ``reach_status``
        and ``overtake_status`` (one of :data:`REACH_STATUSES`), ``reach_year`` and
        ``overtake_year`` (Int64, only when the status is ``"projected"``), the flags and
        ``missing``.

    Notes
    -----
    Statuses: ``"already"`` the focus city is at or past the level now; ``"projected"``
    the year is given (at most ``horizon``); ``"beyond horizon"`` the crossing would come
    after ``horizon`` (no year given); ``"never"`` its growth (in the direction that is
    better) is not faster (reach: not positive; overtake: not faster than the peer's);
    ``"unknown"`` a value or growth rate is missing or not positive, or a growth rate is
    undefined because its window's end values are of different vintages (see ``missing``).

    Reach: the first whole year ``t`` with
    ``focus_value x (1 + g_focus) ** (t - focus_year)`` at or past ``peer_value``.
    Overtake: the first whole year in which the focus city's projected value is at or past
    the peer's projected value, both growing at their own rates; "already" compares them
    at the later of the two current years.

    {flags_and_missing}
    """
    check_year(year)
    check_window(window)
    check_whole_year(horizon, "horizon", CATCH_UP_HORIZON)
    prepared = prepare(data, focus, peers, indicators)
    direction = directions(catalogue, prepared.indicators)
    growth = _cagr_table(prepared, window=window, year=year)
    growth = growth.drop(columns=["start_year", "start_value", "start_vintage"]).rename(
        columns={"end_year": "year", "end_value": "value", "end_vintage": "vintage"})
    pairs = pair_with_focus(growth, prepared, shared=("indicator", "unit", "window"))

    n_peers = len(pairs) // max(len(prepared.indicators), 1)
    sign = np.repeat(direction.to_numpy(dtype=float), n_peers)
    focus_value, peer_value = pairs["focus_value"].to_numpy(), pairs["peer_value"].to_numpy()
    focus_year = pairs["focus_year"].to_numpy(dtype=float, na_value=np.nan)
    peer_year = pairs["peer_year"].to_numpy(dtype=float, na_value=np.nan)
    positive = (focus_value > 0) & (peer_value > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        # Work in "better" log-space: higher is better whatever the direction.
        focus_level = sign * np.log(np.where(positive, focus_value, np.nan))
        peer_level = sign * np.log(np.where(positive, peer_value, np.nan))
        focus_speed = sign * np.log1p(pairs["focus_cagr_pct"].to_numpy() / 100.0)
        peer_speed = sign * np.log1p(pairs["peer_cagr_pct"].to_numpy() / 100.0)
        comparable = positive & (sign != 0)

        reach_status, reach_time = _crossing(
            comparable, focus_level - peer_level, focus_speed, focus_year)
        later_year = np.fmax(focus_year, peer_year)
        focus_then = np.where(later_year == focus_year, focus_level,
                              focus_level + focus_speed * (later_year - focus_year))
        peer_then = np.where(later_year == peer_year, peer_level, peer_level + peer_speed * (later_year - peer_year))
        overtake_status, overtake_time = _crossing(
            comparable, focus_then - peer_then, focus_speed - peer_speed, later_year)

    pairs["reach_status"], pairs["reach_year"] = _within_horizon(reach_status, reach_time, horizon)
    pairs["overtake_status"], pairs["overtake_year"] = _within_horizon(overtake_status, overtake_time, horizon)
    both_present = ~np.isnan(focus_value) & ~np.isnan(peer_value)
    pairs["missing"] = join_reasons(
        pairs["missing"],
        reason_where(sign == 0, "direction 0 (context indicator): no catch-up", pairs.index),
        reason_where(both_present & ~positive & (sign != 0), "catch-up needs positive values", pairs.index))
    columns = ["indicator", "focus", "peer", "window", "focus_year", "focus_value", "focus_cagr_pct",
               "peer_year", "peer_value", "peer_cagr_pct", "unit", "focus_vintage", "peer_vintage",
               "reach_status", "reach_year", "overtake_status", "overtake_year", *FLAG_COLUMNS, "missing"]
    return pairs[columns]


def _crossing(comparable, lead, speed, start):
    """Status and time at which a gap ``lead`` (in log-space) closing at ``speed`` per year turns >= 0.

    ``lead >= 0`` is "already"; otherwise a positive ``speed`` gives
    ``start - lead / speed`` ("projected") and a non-positive one "never".
    """
    known_lead = comparable & ~np.isnan(lead)
    ahead = known_lead & (lead >= 0)
    known_speed = known_lead & ~ahead & ~np.isnan(speed)
    closing = known_speed & (speed > 0)
    status = np.select([ahead, closing, known_speed], ["already", "projected", "never"], default="unknown")
    time = np.where(closing, start - lead / np.where(closing, speed, 1.0), np.nan)
    return status, time


def _within_horizon(status: np.ndarray, time: np.ndarray, horizon: int):
    """Status and whole year; a projected year after ``horizon`` becomes "beyond horizon" with no year."""
    year = _whole_year(time)
    beyond = (status == "projected") & np.asarray(year.fillna(horizon) > horizon, dtype=bool)
    status = np.where(beyond, "beyond horizon", status)
    year[beyond] = pd.NA
    return status, year


def _whole_year(time: np.ndarray) -> pd.array:
    """First whole year at or after ``time`` (rounded to 1e-9 first), as Int64."""
    rounded = np.ceil(np.round(time, 9))
    return pd.array(np.where(np.isnan(rounded), None, rounded), dtype="Int64")


# ------------------------------------------------------------------ what it would take

@fill_docs
def extra_needed_to_match(data, catalogue: pd.DataFrame, *, indicator: str = "rd_intensity",
                          focus: str = DEFAULT_FOCUS, peers=DEFAULT_PEERS, year="common") -> pd.DataFrame:
    """Extra numerator the focus city needs, at its own denominator, to match each peer's ratio.

    For R&D intensity (``rd_intensity = rd_expenditure / gdp x 100``): the extra R&D
    expenditure, in 100 million yuan (亿元), that the focus city would need at its own
    GDP to reach each peer's R&D intensity.

    Parameters
    ----------
    {data}
    catalogue : pandas.DataFrame
        Indicator catalogue with ``numerator``, ``denominator``, ``scale`` and ``unit``:
        ``indicator = numerator / denominator x scale``.
    indicator : str, default "rd_intensity"
        A ratio indicator of the catalogue whose numerator and denominator are in ``data``.
    {focus}
    {peers}
    year : int or {"common", "own"}, default "common"
        Year used. The focus city needs the numerator and denominator in that year; a peer
        needs the ratio (reported, or computed from its numerator and denominator).
        ``"common"``: the latest year in which all compared cities have what they need;
        ``"own"``: each city's own latest such year.

    Returns
    -------
    pandas.DataFrame
        One row per peer: ``indicator``, ``numerator``, ``focus``, ``peer``,
        ``focus_year``, ``peer_year``, ``focus_numerator`` and ``focus_denominator`` (in
        their catalogue units), ``focus_ratio`` and ``peer_ratio`` (in ``ratio_unit``, e.g.
        percent), ``peer_ratio_source`` (``"reported"`` or ``"computed"`` from the peer's
        numerator and denominator), ``needed_numerator``, ``extra`` (both in ``unit``, the
        numerator's unit, e.g. 100 million yuan; negative when the focus city is already
        above the peer), ``extra_pct`` (extra as percent of the focus numerator), ``unit``,
        ``ratio_unit``, the flags and ``missing``.

    Notes
    -----
    ``needed_numerator = peer_ratio / scale x focus_denominator`` and
    ``extra = needed_numerator - focus_numerator``. ``focus_ratio`` is computed from the
    focus city's numerator and denominator, so ``extra`` is 0 when the ratios are equal.
    The peer's reported ratio is preferred over one computed from its numerator and
    denominator.

    {flags_and_missing}
    """
    check_year(year)
    data = panel(data)
    focus, peers, cities = compared_cities(data, focus, peers)
    table = catalogue_table(catalogue, ("numerator", "denominator", "scale", "unit"))
    numerator, denominator, scale = ratio_definition(table, indicator)
    absent = [code for code in (numerator, denominator) if code not in data.indicators]
    if absent:
        raise UnknownIndicatorError(
            f"{indicator} = {numerator} / {denominator} x {scale:g}, but {', '.join(absent)} "
            f"is not in data; indicators in data: {', '.join(sorted(data.indicators))}.")
    parts = [code for code in (indicator, numerator, denominator) if code in data.indicators]
    at = ratio_parts_at(select(data, focus, peers, cities, parts), indicator, numerator, denominator, scale,
                         year)

    own = at.iloc[0]
    rows = at.set_index("city").loc[peers].reset_index()
    use_reported = rows["reported"].notna()
    peer_ratio = rows["reported"].where(use_reported, rows["computed"])
    needed = peer_ratio / scale * own["denominator"]
    extra = needed - own["numerator"]
    units = table["unit"]
    out = pd.DataFrame({
        "indicator": indicator, "numerator": numerator, "focus": focus, "peer": rows["city"],
        "focus_year": pd.array([own["year"]] * len(rows), dtype="Int64"), "peer_year": rows["year"],
        "focus_numerator": own["numerator"], "focus_denominator": own["denominator"],
        "focus_ratio": own["computed"], "peer_ratio": peer_ratio,
        "peer_ratio_source": np.select([use_reported, peer_ratio.notna()], ["reported", "computed"], ""),
        "needed_numerator": needed, "extra": extra,
        "extra_pct": extra / (own["numerator"] if own["numerator"] != 0 else np.nan) * 100.0,
        "unit": units.get(numerator), "ratio_unit": units.get(indicator),
    })
    for flag in FLAG_COLUMNS:
        peer_flag = rows[f"reported_{flag}"].where(use_reported, rows[f"parts_{flag}"]).eq(True)
        out[flag] = bool(own[f"parts_{flag}"]) | (peer_flag & peer_ratio.notna())
    peer_missing = join_reasons(
        rows["missing"].astype(object),
        reason_where(rows["year"].notna() & peer_ratio.isna(),
                     no_value(rows["city"], rows["year"], f"no {indicator} and no {numerator} / {denominator}"),
                     rows.index))
    out["missing"] = join_reasons(
        pd.Series(_focus_missing(own, numerator, denominator), index=out.index, dtype=object), peer_missing)
    return out


def _focus_missing(own: pd.Series, numerator: str, denominator: str) -> str:
    """What the focus city lacks to compute the extra numerator."""
    if own["missing"]:
        return own["missing"]
    lacking = [code for code, column in ((numerator, "numerator"), (denominator, "denominator"))
               if pd.isna(own[column])]
    if lacking:
        return f"{own['city']} {own['year']}: no {' and no '.join(lacking)}"
    if own["denominator"] == 0:
        return f"{own['city']} {own['year']}: {denominator} is 0"
    return ""
