"""Gap metrics: the focus city against its peers, indicator by indicator.

Every function is pure: no I/O, inputs left unchanged. Each takes tidy observations
(columns ``city``, ``year``, ``indicator``, ``value``, ``unit``; one row per (city, year,
indicator), as the loaders return the preferred rows) plus ``focus`` and ``peers``, and
returns a tidy DataFrame with a fresh RangeIndex, one row per result.

Values are plain numbers in the indicator's ``unit`` (e.g. ``percent`` for R&D intensity,
``100 million yuan`` for R&D expenditure). Gaps are focus minus peer, so a negative gap
means the focus city's value is lower; whether lower is worse depends on the indicator's
``direction`` in the catalogue.

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
(the window's start and end value, the only two figures the rate uses) and, through
them, ``catch_up``. Otherwise the growth is NaN and ``missing`` says e.g.
``"vintages differ: 2018 'first release' vs 2019 'revised (...)'"``. Two empty labels
match (a series without recorded vintages is taken as one consistent series), but an
empty label does not match a non-empty one: a label marks a series whose releases
differ, and a figure without one cannot be shown to be of the same release (e.g. a
pre-census estimate against an unlabelled later figure). Labels are compared as exact
text. Gaps, ranks and the latest comparable year compare cities within one year and do
not check vintages; they report each value's ``vintage`` so that mixed releases can be
seen.

Flags
-----
``lower_bound``, ``approximate`` and ``year_inferred`` propagate: an output row's flag is
True when any value its result was computed from carries it. A gap computed from a
lower bound ("more than X") is itself only a bound.

Input checks
------------
Nothing is coerced. ``city`` and ``indicator`` must be non-empty text, ``year`` whole
numbers, ``value`` numbers (NaN, None or NA for a missing value), the flag columns
booleans (missing only on a row without a value) and ``vintage`` text; any other entry
raises :class:`~analysis.errors.InvalidArgumentError` naming the column and rows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ._docs import fill_docs
from .errors import InvalidArgumentError, UnknownCityError, UnknownIndicatorError
from .loading import OBSERVATION_KEY
from .parameters import DEFAULT_FOCUS, DEFAULT_PEERS

__all__ = [
    "CATCH_UP_HORIZON", "DEFAULT_FOCUS", "DEFAULT_PEERS", "FLAG_COLUMNS", "REACH_STATUSES", "YEAR_MODES",
    "catch_up", "change_since", "check_observations", "extra_needed_to_match", "gap", "growth_cagr", "growth_yoy",
    "latest_comparable_year", "rank",
]

YEAR_MODES = ("common", "own")
FLAG_COLUMNS = ("lower_bound", "approximate", "year_inferred")
REACH_STATUSES = ("already", "projected", "beyond horizon", "never", "unknown")
CATCH_UP_HORIZON = 2050
PERCENT_UNIT = "percent"
PERCENTAGE_POINTS = "percentage points"
_REQUIRED_COLUMNS = ("city", "year", "indicator", "value", "unit")
_NOT_RANKED = "direction 0 (context indicator): not ranked"


# ----------------------------------------------------------------------------- checks

def check_observations(data, *, key=OBSERVATION_KEY, required=_REQUIRED_COLUMNS, vintage: bool = True) -> None:
    """Raise unless ``data`` is well-formed tidy data.

    ``data`` must be a DataFrame with the ``required`` columns; the ``key`` columns must
    be filled (``city`` and ``indicator`` non-empty strings, ``year`` whole numbers) and
    unique together; ``value`` must hold numbers (NaN, None or NA mean missing); the flag
    columns present must hold booleans (a flag may only be missing on a row without a
    value); with ``vintage``, a ``vintage`` column must hold strings (or missing = "").
    Nothing is coerced: text such as ``"12,000"`` or ``"true"`` is an error naming the
    rows, never read as missing or False.
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame, not {type(data).__name__}.")
    absent = [column for column in required if column not in data.columns]
    if absent:
        raise InvalidArgumentError(
            f"data lacks column(s) {', '.join(absent)}; tidy data has columns {', '.join(required)}.")
    key = list(key)
    codes = [_key_codes(data, column, key) for column in key]
    duplicated = _duplicated(codes) if codes else np.zeros(len(data), dtype=bool)
    if duplicated.any():
        keys = data.loc[duplicated, key].drop_duplicates()
        shown = "; ".join(" ".join(map(str, row)) for row in keys.head(10).itertuples(index=False))
        more = f" and {len(keys) - 10} more" if len(keys) > 10 else ""
        raise InvalidArgumentError(
            f"data has several rows for {len(keys)} ({', '.join(key)}) key(s): {shown}{more}. "
            "Keep one row per key, e.g. the preferred rows (preferred == True).")
    if "value" in data.columns:
        _check_values(data, key)
    for flag in FLAG_COLUMNS:
        if flag in data.columns:
            _check_flag(data, flag, key)
    if vintage and "vintage" in data.columns:
        _check_vintage(data, key)


def _is_missing(value) -> bool:
    """True for None, NaN, NaT and pd.NA (scalars only)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, (float, np.floating)) and math.isnan(value)


def _is_whole_number(value) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, (int, np.integer)):
        return True
    return isinstance(value, (float, np.floating)) and math.isfinite(value) and float(value).is_integer()


def _is_number(value) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def _is_code(value) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _inferred(series: pd.Series, skipna: bool) -> str:
    """pandas' inferred element type of ``series`` (C speed; e.g. "string", "floating", "mixed")."""
    return pd.api.types.infer_dtype(series, skipna=skipna)


def _bad_elements(series: pd.Series, valid) -> np.ndarray:
    """Rows whose element fails ``valid`` (a Python loop: used off the fast paths only)."""
    return np.fromiter((not valid(v) for v in series.to_numpy(dtype=object)), dtype=bool, count=len(series))


def _reject(data: pd.DataFrame, bad: np.ndarray, column: str, key, rule: str) -> None:
    """Raise InvalidArgumentError naming up to 5 rows (index label, key and element) of ``bad``."""
    rows = data.loc[np.asarray(bad, dtype=bool)]
    others = [c for c in key if c != column and c in data.columns]

    def describe(label, row) -> str:
        where = " ".join(str(row[c]) for c in others)
        return f"row {label!r}" + (f" ({where})" if where else "") + f": {row[column]!r}"

    shown = "; ".join(describe(label, row) for label, row in rows.head(5).iterrows())
    more = f" and {len(rows) - 5} more" if len(rows) > 5 else ""
    raise InvalidArgumentError(
        f"data column '{column}' {rule}; {len(rows)} row(s) do not: {shown}{more}. Fix or drop these rows "
        "(nothing is coerced).", field=column)


def _key_codes(data: pd.DataFrame, column: str, key) -> np.ndarray:
    """Integer codes of a key column (as :func:`pandas.factorize`), after checking it is filled:
    ``city`` and ``indicator`` non-empty text, ``year`` whole numbers, others not missing or blank."""
    series = data[column]
    if column == "year":
        if pd.api.types.is_bool_dtype(series.dtype):
            bad = np.ones(len(series), dtype=bool)
        elif pd.api.types.is_integer_dtype(series.dtype):
            bad = series.isna().to_numpy()
        elif pd.api.types.is_float_dtype(series.dtype):
            numbers = series.to_numpy(dtype=float, na_value=np.nan)
            with np.errstate(invalid="ignore"):
                bad = ~np.isfinite(numbers) | (numbers != np.round(numbers))
        elif _inferred(series, skipna=False) == "integer":
            bad = np.zeros(len(series), dtype=bool)
        else:
            bad = _bad_elements(series, _is_whole_number)
        if bad.any():
            _reject(data, bad, column, key, "must hold whole-number years (no NaN, no fractions, no text)")
        return pd.factorize(series)[0]
    text_only = column in ("city", "indicator")
    if text_only and _inferred(series, skipna=False) != "string":
        bad = _bad_elements(series, _is_code)          # NaN, None, numbers, ...: off the fast path
        codes = pd.factorize(series)[0]
    else:
        codes, distinct = pd.factorize(series)         # missing entries get code -1
        blank = np.fromiter((isinstance(v, str) and not v.strip() for v in distinct), dtype=bool,
                            count=len(distinct))
        bad = (codes < 0) | np.append(blank, False)[codes]     # code -1 picks the appended False
    if bad.any():
        rule = ("must hold non-empty codes (text); a missing or empty city or indicator is not allowed" if text_only
                else "is a key column and must not be missing or empty")
        _reject(data, bad, column, key, rule)
    return codes


def _duplicated(codes: list) -> np.ndarray:
    """Rows whose combination of key codes occurs more than once."""
    sizes = [int(c.max()) + 1 if len(c) else 1 for c in codes]
    if math.prod(sizes) >= 2 ** 62:
        return pd.DataFrame(dict(enumerate(codes))).duplicated(keep=False).to_numpy()
    combined = np.zeros(len(codes[0]), dtype=np.int64)
    for column_codes, size in zip(codes, sizes):
        combined = combined * size + column_codes
    return pd.Series(combined).duplicated(keep=False).to_numpy()


def _check_values(data: pd.DataFrame, key) -> None:
    """``value`` must hold numbers; NaN, None and NA (missing) are allowed."""
    series = data["value"]
    if pd.api.types.is_bool_dtype(series.dtype):
        bad = np.ones(len(series), dtype=bool)
    elif pd.api.types.is_numeric_dtype(series.dtype) or \
            _inferred(series, skipna=True) in ("floating", "integer", "mixed-integer-float", "empty"):
        return
    else:
        bad = _bad_elements(series, lambda v: _is_missing(v) or _is_number(v))
    if bad.any():
        _reject(data, bad, "value", key, "must hold numbers (NaN where missing; text such as '12,000' is not read)")


def _check_flag(data: pd.DataFrame, flag: str, key) -> None:
    """A flag column must hold booleans; a flag may be missing only where ``value`` is missing."""
    series = data[flag]
    if series.dtype == bool:
        return
    if pd.api.types.is_bool_dtype(series.dtype) or _inferred(series, skipna=True) in ("boolean", "empty"):
        not_boolean = np.zeros(len(series), dtype=bool)
    else:
        not_boolean = _bad_elements(series, lambda v: _is_missing(v) or isinstance(v, (bool, np.bool_)))
    has_value = data["value"].notna().to_numpy() if "value" in data.columns else np.ones(len(data), dtype=bool)
    bad = not_boolean | (pd.isna(series).to_numpy() & has_value)
    if bad.any():
        _reject(data, bad, flag, key, "must hold True or False (not text such as 'true'; missing only where "
                                      "value is missing)")


def _check_vintage(data: pd.DataFrame, key) -> None:
    """``vintage``, when present, must hold text; missing counts as "" (none recorded)."""
    series = data["vintage"]
    if _inferred(series, skipna=True) in ("string", "empty"):
        return
    bad = _bad_elements(series, lambda v: _is_missing(v) or isinstance(v, str))
    if bad.any():
        _reject(data, bad, "vintage", key, "must hold text (empty or missing where no vintage is recorded)")


def _compared_cities(data: pd.DataFrame, focus: str, peers) -> tuple[str, list[str], list[str]]:
    """Checked ``focus`` and ``peers`` and the compared cities (focus first, no repeats)."""
    peers = [peers] if isinstance(peers, str) else list(dict.fromkeys(peers))
    if not peers:
        raise InvalidArgumentError("peers is empty; name at least one peer city.")
    known = set(pd.unique(data["city"].dropna()))
    unknown = [city for city in [focus, *peers] if city not in known]
    if unknown:
        raise UnknownCityError(
            f"unknown city {', '.join(map(repr, unknown))} in focus/peers; cities in data: "
            f"{', '.join(sorted(known))}.")
    return focus, peers, list(dict.fromkeys([focus, *peers]))


def _indicator_codes(data: pd.DataFrame, indicators) -> list[str]:
    """The requested indicator codes (all in ``data`` when None), checked against ``data``."""
    known = list(pd.unique(data["indicator"].dropna()))
    if indicators is None:
        return known
    indicators = [indicators] if isinstance(indicators, str) else list(dict.fromkeys(indicators))
    known_set = set(known)
    unknown = [code for code in indicators if code not in known_set]
    if unknown:
        raise UnknownIndicatorError(
            f"unknown indicator {', '.join(map(repr, unknown))}; indicators in data: "
            f"{', '.join(sorted(known))}.")
    return indicators


def _check_year(year) -> None:
    if _is_year_number(year) or year in YEAR_MODES:
        return
    raise InvalidArgumentError(f"year must be an int or one of {', '.join(map(repr, YEAR_MODES))}; got {year!r}.")


def _is_year_number(year) -> bool:
    return isinstance(year, (int, np.integer)) and not isinstance(year, bool)


def _check_window(window) -> None:
    if not _is_year_number(window) or window < 1:
        raise InvalidArgumentError(f"window must be a whole number of years >= 1; got {window!r}.")


def _catalogue_table(catalogue, columns) -> pd.DataFrame:
    """``catalogue`` indexed by code, after checking it has ``columns``."""
    if not isinstance(catalogue, pd.DataFrame):
        raise TypeError(f"catalogue must be a pandas DataFrame, not {type(catalogue).__name__}.")
    if "code" in catalogue.columns:
        catalogue = catalogue.set_index("code", drop=False)
    absent = [column for column in columns if column not in catalogue.columns]
    if absent:
        raise InvalidArgumentError(f"catalogue lacks column(s) {', '.join(absent)}.")
    return catalogue


def _directions(catalogue, indicators) -> pd.Series:
    """Direction (1, -1 or 0) of each indicator, from a catalogue or a code-to-direction mapping."""
    if isinstance(catalogue, pd.DataFrame):
        direction = _catalogue_table(catalogue, ("direction",))["direction"]
    elif isinstance(catalogue, (pd.Series, Mapping)):
        direction = pd.Series(dict(catalogue), dtype=float)
    else:
        raise TypeError("catalogue must be the indicator catalogue (DataFrame) or a mapping "
                        f"of indicator code to direction, not {type(catalogue).__name__}.")
    unknown = [code for code in indicators if code not in direction.index]
    if unknown:
        raise UnknownIndicatorError(
            f"indicator {', '.join(map(repr, unknown))} not in the catalogue; catalogue codes: "
            f"{', '.join(map(str, direction.index))}.")
    direction = pd.to_numeric(direction.loc[list(indicators)], errors="coerce")
    invalid = direction[~direction.isin([1, -1, 0])]
    if len(invalid):
        raise InvalidArgumentError(
            f"direction must be 1, -1 or 0; got {', '.join(f'{c}={v}' for c, v in invalid.items())}.")
    return direction.astype(int)


def _indicator_units(data: pd.DataFrame) -> pd.Series:
    """Unit of each indicator in ``data``; raise if an indicator has several."""
    units = data.groupby("indicator")["unit"].unique()
    mixed = units[units.map(len) > 1]
    if len(mixed):
        raise InvalidArgumentError(
            "indicator(s) with several units in data: "
            + "; ".join(f"{code}: {', '.join(map(str, found))}" for code, found in mixed.items())
            + ". Convert to the catalogue unit first.")
    return units.map(lambda found: found[0])


# ---------------------------------------------------------------------------- helpers

def _observations(data: pd.DataFrame, cities, indicators) -> pd.DataFrame:
    """Rows of ``cities`` and ``indicators``: indicator, city, year, value, the flags and vintage.

    A flag is True only on a row that has a value; an absent flag column counts as False.
    ``vintage`` is a string, ``""`` where none is recorded (absent column or missing entry).
    """
    rows = data.loc[data["city"].isin(cities) & data["indicator"].isin(indicators)]
    values = pd.to_numeric(rows["value"], errors="coerce").astype(float)
    out = pd.DataFrame({
        "indicator": rows["indicator"].to_numpy(),
        "city": rows["city"].to_numpy(),
        "year": rows["year"].to_numpy(dtype="int64"),
        "value": values.to_numpy(),
    })
    has_value = out["value"].notna()
    for flag in FLAG_COLUMNS:
        raw = rows[flag].eq(True).fillna(False).to_numpy(dtype=bool) if flag in rows.columns else False
        out[flag] = has_value & raw
    out["vintage"] = _vintage_text(rows["vintage"]).to_numpy() if "vintage" in rows.columns else ""
    return out


def _vintage_text(column: pd.Series) -> pd.Series:
    """Vintage labels as str, ``""`` where missing."""
    return column.astype(object).where(column.notna(), "")


def _quoted_vintage(vintage: str) -> str:
    return f"'{vintage}'" if vintage else "(none recorded)"


def _vintage_break(earlier_year, earlier, later_year, later, both_present, index) -> pd.Series:
    """``"vintages differ: <year> '<vintage>' vs <year> '<vintage>'"`` where the two differ, else "".

    Only rows where both values are present (``both_present``) are checked. See Vintages in
    the module docs: labels must be equal, and an empty label only matches an empty one.
    """
    earlier, later = pd.Series(earlier, index=index), pd.Series(later, index=index)
    differs = np.asarray(both_present, dtype=bool) & (earlier != later).to_numpy()

    def text(mask):
        years = [pd.Series(y, index=index)[mask] for y in (earlier_year, later_year)]
        return np.array([
            f"vintages differ: {y0} {_quoted_vintage(v0)} vs {y1} {_quoted_vintage(v1)}"
            for y0, v0, y1, v1 in zip(years[0], earlier[mask], years[1], later[mask])], dtype=object)

    return _reason_where(differs, text, index)


def _join_reasons(*parts: pd.Series) -> pd.Series:
    """Join non-empty reason strings row by row with ``"; "``."""
    joined = parts[0].astype(object)
    for part in parts[1:]:
        part = part.astype(object)
        if not part.ne("").any():
            continue
        separator = np.where(joined.ne("") & part.ne(""), "; ", "")
        joined = joined + separator + part
    return joined


def _reason_where(condition, text, index) -> pd.Series:
    """``text`` where ``condition`` holds, else the empty string.

    ``text`` is a string, or a function of the boolean mask returning the texts of the
    selected rows (so labels are only built for the rows that need them).
    """
    condition = np.asarray(condition, dtype=bool)
    out = np.full(len(condition), "", dtype=object)
    if condition.any():
        out[condition] = text(condition) if callable(text) else text
    return pd.Series(out, index=index)


def _no_value(frame: pd.DataFrame, year_column: str = "year", what: str = "no value"):
    """Text function for :func:`_reason_where`: ``"<city> <year>: no value"`` per selected row."""
    def text(mask):
        rows = frame.loc[mask]
        years = rows[year_column].astype("string").fillna("").astype(object)
        return (rows["city"].astype(object) + " " + years + f": {what}").to_numpy()
    return text


def _lookup(keys: pd.Series, table: pd.Series) -> np.ndarray:
    """``table[key]`` for each key (NaN where absent), without a Python-level loop."""
    return table.reindex(keys.to_numpy()).to_numpy()


def _years_used(observations: pd.DataFrame, cities, indicators, year) -> pd.DataFrame:
    """The year to use per (indicator, city): indicator, city, year (Int64), missing.

    Only rows with a value count as available. See ``year`` in the docs.
    """
    _check_year(year)
    grid = pd.MultiIndex.from_product([list(indicators), list(cities)],
                                      names=["indicator", "city"]).to_frame(index=False)
    available = observations.loc[observations["value"].notna(), ["indicator", "city", "year"]]
    if _is_year_number(year):
        out = grid.assign(year=pd.array([int(year)] * len(grid), dtype="Int64"), missing="")
    elif year == "own":
        latest = available.groupby(["indicator", "city"], as_index=False)["year"].max()
        out = grid.merge(latest, how="left", on=["indicator", "city"])
        out["year"] = out["year"].astype("Int64")
        out["missing"] = _reason_where(
            out["year"].isna(),
            lambda mask: (out.loc[mask, "city"].astype(object) + ": no value in any year").to_numpy(), out.index)
    else:  # "common"
        n_cities = available.groupby(["indicator", "year"])["city"].nunique()
        common = n_cities[n_cities == len(cities)].reset_index().groupby("indicator")["year"].max()
        out = grid.assign(year=pd.array(_lookup(grid["indicator"], common), dtype="Int64"))
        everyone = ", ".join(cities) if len(cities) <= 8 else f"the {len(cities)} compared cities"
        out["missing"] = _reason_where(out["year"].isna(), f"no year in which all of {everyone} have a value",
                                       out.index)
    return out


def _values_at(observations: pd.DataFrame, years: pd.DataFrame, units: pd.Series) -> pd.DataFrame:
    """Values at the chosen years: indicator, city, year, value, unit, vintage, flags, missing."""
    out = years.merge(observations, how="left", on=["indicator", "city", "year"])
    for flag in FLAG_COLUMNS:
        out[flag] = out[flag].eq(True)
    out["vintage"] = _vintage_text(out["vintage"])
    no_value = out["value"].isna() & out["year"].notna() & out["missing"].eq("")
    out["missing"] = _join_reasons(out["missing"], _reason_where(no_value, _no_value(out), out.index))
    out["unit"] = _lookup(out["indicator"], units)
    return out[["indicator", "city", "year", "value", "unit", "vintage", *FLAG_COLUMNS, "missing"]]


def _pair_with_focus(values: pd.DataFrame, focus: str, peers, shared=("indicator", "unit")) -> pd.DataFrame:
    """One row per (indicator, peer) with the focus city's columns beside the peer's.

    Columns other than ``shared`` get a ``focus_`` or ``peer_`` prefix; flags are combined
    with OR and ``missing`` texts are joined.
    """
    shared = list(shared)
    focus_part = values[values["city"].eq(focus)].drop(columns="city")
    focus_part = focus_part.rename(columns={c: f"focus_{c}" for c in focus_part.columns if c not in shared})
    peer_part = values[values["city"].isin(peers)].rename(columns={"city": "peer"})
    peer_part = peer_part.rename(columns={c: f"peer_{c}" for c in peer_part.columns
                                          if c not in shared and c != "peer"})
    pairs = peer_part.merge(focus_part, how="left", on=shared)
    pairs.insert(1, "focus", focus)
    for flag in FLAG_COLUMNS:
        pairs[flag] = pairs.pop(f"focus_{flag}") | pairs.pop(f"peer_{flag}")
    pairs["missing"] = _join_reasons(pairs.pop("focus_missing"), pairs.pop("peer_missing"))
    return pairs.reset_index(drop=True)


def _cagr_table(observations, cities, indicators, units, *, window: int, year) -> pd.DataFrame:
    """Compound annual growth per (indicator, city) over ``window`` years ending at ``year``."""
    end = _values_at(observations, _years_used(observations, cities, indicators, year), units)
    start_years = end[["indicator", "city"]].assign(year=end["year"] - window, missing="")
    start = _values_at(observations, start_years, units)
    start_value, end_value = start["value"], end["value"]
    both_present = start_value.notna() & end_value.notna()
    vintage_break = _vintage_break(start["year"], start["vintage"], end["year"], end["vintage"], both_present,
                                   end.index)
    defined = (start_value > 0) & (end_value >= 0) & vintage_break.eq("")
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
    out["missing"] = _join_reasons(
        end["missing"], start["missing"],
        _reason_where(undefined, "growth needs a positive start value and a non-negative end value", out.index),
        vintage_break)
    return out


# --------------------------------------------------------------------- public metrics

@fill_docs
def latest_comparable_year(data: pd.DataFrame, *, focus: str = DEFAULT_FOCUS, peers=DEFAULT_PEERS,
                           indicators=None, mode: str = "common") -> pd.DataFrame:
    """Each compared city's value at the latest comparable year, and which year that is.

    Parameters
    ----------
    {data}
    {focus}
    {peers}
    {indicators}
    mode : {"common", "own"}, default "common"
        ``"common"``: per indicator, the latest year in which every compared city (focus
        and peers) has a value, the same year for all. ``"own"``: each city's own latest
        year with a value, which may differ between cities.

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
    if mode not in YEAR_MODES:
        raise InvalidArgumentError(f"mode must be one of {', '.join(map(repr, YEAR_MODES))}; got {mode!r}.")
    check_observations(data)
    focus, peers, cities = _compared_cities(data, focus, peers)
    codes = _indicator_codes(data, indicators)
    observations = _observations(data, cities, codes)
    return _values_at(observations, _years_used(observations, cities, codes, mode), _indicator_units(data))


@fill_docs
def gap(data: pd.DataFrame, *, focus: str = DEFAULT_FOCUS, peers=DEFAULT_PEERS, indicators=None,
        year="common") -> pd.DataFrame:
    """Gap of the focus city to each peer: absolute, ratio and percent.

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
        ``peer_year``, ``focus_value``, ``peer_value``, ``unit``, ``gap_abs`` (focus minus
        peer, in ``gap_abs_unit``: the indicator's unit, or ``percentage points`` for a
        ``percent`` indicator), ``gap_abs_unit``, ``gap_ratio`` (focus / peer, a plain
        number), ``gap_pct`` (percent of the peer's value), ``focus_vintage`` and
        ``peer_vintage`` (``""`` when none is recorded; not checked, see Vintages in the
        module docs), the flags and ``missing``.

    Notes
    -----
    ``gap_abs = focus - peer``; ``gap_ratio = focus / peer``;
    ``gap_pct = (focus - peer) / abs(peer) x 100``. A peer value of 0 makes the ratio and
    percent NaN. A city's gap to itself is 0, 1 and 0%.

    {flags_and_missing}
    """
    check_observations(data)
    _check_year(year)
    focus, peers, cities = _compared_cities(data, focus, peers)
    codes = _indicator_codes(data, indicators)
    observations = _observations(data, cities, codes)
    values = _values_at(observations, _years_used(observations, cities, codes, year), _indicator_units(data))
    pairs = _pair_with_focus(values, focus, peers)
    focus_value, peer_value = pairs["focus_value"], pairs["peer_value"]
    peer_is_zero = peer_value.eq(0)
    divisor = peer_value.where(~peer_is_zero)
    pairs["gap_abs"] = focus_value - peer_value
    pairs["gap_abs_unit"] = pairs["unit"].astype(object).replace({PERCENT_UNIT: PERCENTAGE_POINTS})
    pairs["gap_ratio"] = focus_value / divisor
    pairs["gap_pct"] = (focus_value - peer_value) / divisor.abs() * 100.0
    pairs["missing"] = _join_reasons(
        pairs["missing"], _reason_where(peer_is_zero, "peer value is 0: ratio and percent undefined", pairs.index))
    columns = ["indicator", "focus", "peer", "focus_year", "peer_year", "focus_value", "peer_value", "unit",
               "gap_abs", "gap_abs_unit", "gap_ratio", "gap_pct", "focus_vintage", "peer_vintage", *FLAG_COLUMNS,
               "missing"]
    return pairs[columns]


@fill_docs
def rank(data: pd.DataFrame, catalogue, *, focus: str = DEFAULT_FOCUS, peers=DEFAULT_PEERS,
         indicators=None) -> pd.DataFrame:
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
        ``vintage``, ``rank`` (float; ties share the best rank, "min" method; NaN without
        a value or for direction 0), ``n_ranked`` (cities with a value that year), the
        flags and ``missing``.

    Notes
    -----
    Cities are only ranked against values of the same year. A rank depends on every
    city's value that year, so the flags are True for the whole (indicator, year) when
    any ranked value carries them.

    {flags_and_missing}
    """
    check_observations(data)
    focus, peers, cities = _compared_cities(data, focus, peers)
    codes = _indicator_codes(data, indicators)
    direction = _directions(catalogue, codes)
    observations = _observations(data, cities, codes)
    groups = observations[["indicator", "year"]].drop_duplicates()
    out = groups.merge(pd.DataFrame({"city": cities}), how="cross").merge(
        observations, how="left", on=["indicator", "city", "year"])
    out = _sort_rows(out, {"indicator": codes, "year": None, "city": cities})
    out.insert(4, "unit", _lookup(out["indicator"], _indicator_units(data)))
    out.insert(5, "vintage", _vintage_text(out.pop("vintage")))
    row_direction = pd.Series(_lookup(out["indicator"], direction), index=out.index)
    oriented = (out["value"] * row_direction).where(row_direction.ne(0))
    by_group = out.groupby(["indicator", "year"], sort=False).ngroup().to_numpy()
    out["rank"] = oriented.groupby(by_group).rank(method="min", ascending=False)
    out["n_ranked"] = oriented.groupby(by_group).transform("count").astype(int)
    used = oriented.notna()
    for flag in FLAG_COLUMNS:
        out[flag] = (out[flag].eq(True) & used).groupby(by_group).transform("any").astype(bool)
    no_value = out["value"].isna()
    out["missing"] = _join_reasons(
        _reason_where(no_value, _no_value(out), out.index),
        _reason_where(row_direction.eq(0), _NOT_RANKED, out.index))
    return out


def _sort_rows(frame: pd.DataFrame, orders: dict) -> pd.DataFrame:
    """Sort by the given columns; a list gives that column's order, None its natural order."""
    def position(column):
        order = orders[column.name]
        return column if order is None else pd.Index(order).get_indexer(column)

    return frame.sort_values(list(orders), key=position, kind="stable").reset_index(drop=True)


@fill_docs
def growth_yoy(data: pd.DataFrame, *, focus: str = DEFAULT_FOCUS, peers=DEFAULT_PEERS,
               indicators=None) -> pd.DataFrame:
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
        recorded), ``growth_pct`` (percent), the flags and ``missing``.

    Notes
    -----
    ``growth_pct = (value - previous_value) / abs(previous_value) x 100``. Growth is only
    taken between consecutive years: a missing previous year gives NaN, it is not bridged.
    A previous value of 0 gives NaN, and so do two figures of different vintages
    (``"vintages differ: ..."``; see Vintages in the module docs).

    {flags_and_missing}
    """
    check_observations(data)
    focus, peers, cities = _compared_cities(data, focus, peers)
    codes = _indicator_codes(data, indicators)
    observations = _observations(data, cities, codes)
    previous = observations.assign(year=observations["year"] + 1).rename(
        columns={"value": "previous_value", "vintage": "previous_vintage",
                 **{flag: f"previous_{flag}" for flag in FLAG_COLUMNS}})
    out = observations.merge(previous, how="left", on=["indicator", "city", "year"])
    out = _sort_rows(out, {"indicator": codes, "city": cities, "year": None})
    out.insert(3, "previous_year", out["year"] - 1)
    out.insert(5, "previous_value", out.pop("previous_value"))
    out.insert(6, "unit", _lookup(out["indicator"], _indicator_units(data)))
    out.insert(7, "vintage", out.pop("vintage"))
    out.insert(8, "previous_vintage", _vintage_text(out.pop("previous_vintage")))
    value, previous_value = out["value"], out["previous_value"]
    previous_is_zero = previous_value.eq(0)
    vintage_break = _vintage_break(out["previous_year"], out["previous_vintage"], out["year"], out["vintage"],
                                   value.notna() & previous_value.notna(), out.index)
    defined = ~previous_is_zero & vintage_break.eq("")
    out["growth_pct"] = (value - previous_value) / previous_value.where(defined).abs() * 100.0
    for flag in FLAG_COLUMNS:
        out[flag] = out[flag] | out.pop(f"previous_{flag}").eq(True)
    out.insert(len(out.columns) - 1, "growth_pct", out.pop("growth_pct"))
    out["missing"] = _join_reasons(
        _reason_where(value.isna(), _no_value(out), out.index),
        _reason_where(previous_value.isna(), _no_value(out, "previous_year"), out.index),
        _reason_where(previous_is_zero, "previous value is 0: growth undefined", out.index),
        vintage_break)
    return out


_CHANGE_BOUNDS = {(True, False): "at most", (False, True): "at least", (True, True): "unknown"}


@fill_docs
def change_since(data: pd.DataFrame, *, start_year: int, focus: str = DEFAULT_FOCUS, peers=DEFAULT_PEERS,
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
    check_observations(data)
    if not _is_year_number(start_year):
        raise InvalidArgumentError(f"start_year must be a whole year, e.g. 2018; got {start_year!r}.")
    focus, peers, cities = _compared_cities(data, focus, peers)
    codes = _indicator_codes(data, indicators)
    observations = _observations(data, cities, codes)
    units = _indicator_units(data)
    recent = observations.loc[observations["value"].notna() & (observations["year"] >= start_year)]
    span = recent.groupby(["indicator", "city"], as_index=False)["year"].agg(first="min", last="max")
    grid = pd.MultiIndex.from_product([codes, cities], names=["indicator", "city"]).to_frame(index=False)
    years = grid.merge(span, how="left", on=["indicator", "city"])
    start, end = (_values_at(observations, grid.assign(year=years[end_of_span].astype("Int64"), missing=""), units)
                  for end_of_span in ("first", "last"))
    two_years = (years["last"] > years["first"]).to_numpy()
    vintage_break = _vintage_break(start["year"], start["vintage"], end["year"], end["vintage"], two_years,
                                   grid.index)
    comparable = two_years & vintage_break.eq("").to_numpy()
    out = grid.assign(start_year=start["year"], end_year=end["year"], start_value=start["value"],
                      end_value=end["value"], unit=end["unit"], start_vintage=start["vintage"],
                      end_vintage=end["vintage"])
    out["change"] = (end["value"] - start["value"]).where(comparable)
    out["change_unit"] = out["unit"].astype(object).replace({PERCENT_UNIT: PERCENTAGE_POINTS})
    bounds = zip(start["lower_bound"], end["lower_bound"])
    out["change_bound"] = np.where(comparable, [_CHANGE_BOUNDS.get(pair, "") for pair in bounds], "")
    for flag in FLAG_COLUMNS:
        out[f"start_{flag}"], out[f"end_{flag}"] = start[flag], end[flag]
    for flag in FLAG_COLUMNS:
        out[flag] = (start[flag] | end[flag]) & comparable
    out["missing"] = _join_reasons(
        _reason_where(years["first"].isna(),
                      lambda mask: (out.loc[mask, "city"].astype(object) + f": no value since {start_year}").to_numpy(),
                      out.index),
        _reason_where(years["first"].eq(years["last"]).fillna(False),
                      _no_value(out, "start_year", f"the only value since {start_year}"), out.index),
        vintage_break)
    return out


@fill_docs
def growth_cagr(data: pd.DataFrame, *, focus: str = DEFAULT_FOCUS, peers=DEFAULT_PEERS, indicators=None,
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
    check_observations(data)
    _check_year(year)
    _check_window(window)
    focus, peers, cities = _compared_cities(data, focus, peers)
    codes = _indicator_codes(data, indicators)
    observations = _observations(data, cities, codes)
    return _cagr_table(observations, cities, codes, _indicator_units(data), window=window, year=year)


@fill_docs
def catch_up(data: pd.DataFrame, catalogue, *, focus: str = DEFAULT_FOCUS, peers=DEFAULT_PEERS,
             indicators=None, window: int = 5, year="own", horizon: int = CATCH_UP_HORIZON) -> pd.DataFrame:
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
    after ``horizon`` (no year given); ``"never"`` its growth (in the direction that is better) is not
    faster (reach: not positive; overtake: not faster than the peer's); ``"unknown"`` a
    value or growth rate is missing or not positive, or a growth rate is undefined
    because its window's end values are of different vintages (see ``missing``).

    Reach: the first whole year ``t`` with
    ``focus_value x (1 + g_focus) ** (t - focus_year)`` at or past ``peer_value``.
    Overtake: the first whole year in which the focus city's projected value is at or past
    the peer's projected value, both growing at their own rates; "already" compares them
    at the later of the two current years.

    {flags_and_missing}
    """
    check_observations(data)
    _check_year(year)
    _check_window(window)
    if not _is_year_number(horizon):
        raise InvalidArgumentError(f"horizon must be a whole year, e.g. {CATCH_UP_HORIZON}; got {horizon!r}.")
    focus, peers, cities = _compared_cities(data, focus, peers)
    codes = _indicator_codes(data, indicators)
    direction = _directions(catalogue, codes)
    observations = _observations(data, cities, codes)
    growth = _cagr_table(observations, cities, codes, _indicator_units(data), window=window, year=year)
    growth = growth.drop(columns=["start_year", "start_value", "start_vintage"]).rename(
        columns={"end_year": "year", "end_value": "value", "end_vintage": "vintage"})
    pairs = _pair_with_focus(growth, focus, peers, shared=("indicator", "unit", "window"))

    sign = _lookup(pairs["indicator"], direction).astype(float)
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
    pairs["missing"] = _join_reasons(
        pairs["missing"],
        _reason_where(sign == 0, "direction 0 (context indicator): no catch-up", pairs.index),
        _reason_where(both_present & ~positive & (sign != 0), "catch-up needs positive values", pairs.index))
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


@fill_docs
def extra_needed_to_match(data: pd.DataFrame, catalogue: pd.DataFrame, *, indicator: str = "rd_intensity",
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
    check_observations(data)
    _check_year(year)
    focus, peers, cities = _compared_cities(data, focus, peers)
    table = _catalogue_table(catalogue, ("numerator", "denominator", "scale", "unit"))
    numerator, denominator, scale = _ratio_definition(table, indicator)
    absent = [code for code in (numerator, denominator) if code not in set(pd.unique(data["indicator"]))]
    if absent:
        raise UnknownIndicatorError(
            f"{indicator} = {numerator} / {denominator} x {scale:g}, but {', '.join(absent)} "
            f"is not in data; indicators in data: {', '.join(sorted(pd.unique(data['indicator'])))}.")
    observations = _observations(data, cities, [indicator, numerator, denominator])
    per_year = _ratio_parts(observations, indicator, numerator, denominator, scale)
    is_focus = per_year["city"].eq(focus)
    usable = per_year["computed"].notna() | (~is_focus & per_year["reported"].notna())
    available = per_year.loc[usable, ["city", "year"]].assign(indicator=indicator, value=1.0)
    at = _years_used(available, cities, [indicator], year).merge(per_year, how="left", on=["city", "year"])

    own = at.loc[at["city"].eq(focus)].iloc[0]
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
        focus_flag = bool(own[f"parts_{flag}"]) if pd.notna(own[f"parts_{flag}"]) else False
        out[flag] = focus_flag | (peer_flag & peer_ratio.notna())
    peer_missing = _join_reasons(
        rows["missing"].astype(object),
        _reason_where(rows["year"].notna() & peer_ratio.isna(),
                      _no_value(rows, what=f"no {indicator} and no {numerator} / {denominator}"), rows.index))
    out["missing"] = _join_reasons(
        pd.Series(_focus_missing(own, numerator, denominator), index=out.index, dtype=object), peer_missing)
    return out


def _ratio_parts(observations, indicator, numerator, denominator, scale) -> pd.DataFrame:
    """Per (city, year): the reported ratio, its numerator, denominator and computed ratio, with flags.

    ``reported_<flag>`` is the reported ratio's flag; ``parts_<flag>`` is True when the
    numerator or the denominator carries it.
    """
    def wide(field: str) -> pd.DataFrame:
        return observations.pivot(index=["city", "year"], columns="indicator", values=field).reindex(
            columns=[indicator, numerator, denominator])

    values = wide("value")
    parts = pd.DataFrame({"reported": values[indicator], "numerator": values[numerator],
                          "denominator": values[denominator]})
    parts["computed"] = parts["numerator"] / parts["denominator"].where(parts["denominator"].ne(0)) * scale
    for flag in FLAG_COLUMNS:
        flags = wide(flag).eq(True)
        parts[f"reported_{flag}"] = flags[indicator]
        parts[f"parts_{flag}"] = flags[numerator] | flags[denominator]
    return parts.reset_index()


def _ratio_definition(table: pd.DataFrame, indicator: str) -> tuple[str, str, float]:
    """Numerator code, denominator code and scale of a ratio indicator of the catalogue."""
    def given(text) -> bool:
        return not pd.isna(text) and str(text).strip() != ""

    ratios = [code for code, row in table.iterrows() if given(row["numerator"]) and given(row["denominator"])]
    if indicator not in table.index or indicator not in ratios:
        raise UnknownIndicatorError(
            f"{indicator!r} is not a ratio indicator of the catalogue (one with a numerator and a "
            f"denominator); ratio indicators: {', '.join(map(str, ratios)) or 'none'}.")
    row = table.loc[indicator]
    scale = pd.to_numeric(row["scale"], errors="coerce")
    if pd.isna(scale) or not math.isfinite(scale) or scale == 0:
        raise InvalidArgumentError(f"catalogue scale of {indicator} must be a non-zero number; got {row['scale']!r}.")
    return str(row["numerator"]), str(row["denominator"]), float(scale)


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
