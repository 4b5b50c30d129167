"""Alignment: which cities, indicators and years a metric compares, and the values there.

Reads no file. Every metric of :mod:`analysis.metrics` calls :func:`prepare` once: it
checks the tidy observations (:func:`analysis._frame.check_observations`) and encodes them
as a :class:`Panel` (skipped when it is given one), checks the focus, peers and indicators
against the data and selects the compared rows. The metric then picks a year per
indicator and city (:func:`years_used`), reads the values there (:func:`values_at`),
pairs the focus city with each peer (:func:`pair_with_focus`) and computes its formula.

Years: an explicit year is used for every city; ``"common"`` is, per indicator, the latest
year in which every compared city has a value; ``"own"`` each city's own latest year.

The vintage rule (:func:`vintage_break`): two figures of one city are only compared over
time when their ``vintage`` labels are equal; an empty label (none recorded) only matches
an empty one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from ._frame import (
    Reason,
    as_list,
    check_known,
    checked_key_codes,
    is_int,
    join_reasons,
    no_value,
    quoted_vintage,
    reason_where,
    vintage_text,
)
from ._vocab import FLAG_COLUMNS, YEAR_MODES
from .errors import InvalidArgumentError, UnknownCityError, UnknownIndicatorError

_NO_YEAR = np.iinfo(np.int64).min
_DENSE_LIMIT = 1 << 22          # largest dense (indicator, city, year) lookup table, in cells


# --------------------------------------------------------------------------- the panel

@dataclass(frozen=True, eq=False, repr=False)
class Panel:
    """Tidy observations, checked once and encoded for the metrics.

    Every metric accepts a Panel wherever it accepts a tidy DataFrame and then skips the
    checks, so build one with :func:`panel` when several metrics run on one large frame.
    The arrays are read-only; the frame it was built from is not kept.

    Attributes
    ----------
    cities, indicators : tuple of str
        Distinct cities and indicator codes, in order of first appearance.
    city, indicator : numpy.ndarray
        Per row, the position of its city and indicator in ``cities`` and ``indicators``.
    year : numpy.ndarray
        Per row, the year (int64).
    value : numpy.ndarray
        Per row, the value (float64, NaN where missing).
    flags : dict of str to numpy.ndarray
        Per flag of ``FLAG_COLUMNS``, True where the row has a value carrying the flag.
    vintage : numpy.ndarray
        Per row, the vintage label (object, ``""`` where none is recorded).
    """

    cities: tuple
    indicators: tuple
    city: np.ndarray
    indicator: np.ndarray
    year: np.ndarray
    value: np.ndarray
    flags: dict
    vintage: np.ndarray
    unit: np.ndarray

    def __repr__(self) -> str:
        return (f"Panel({len(self.year):,} rows: {len(self.cities)} cities x {len(self.indicators)} "
                f"indicators)")

    def __len__(self) -> int:
        return len(self.year)

    @classmethod
    def from_frame(cls, data: pd.DataFrame) -> "Panel":
        """Check ``data`` (:func:`analysis._frame.check_observations`) and encode it."""
        encoded = checked_key_codes(data)
        city, cities = encoded["city"]
        indicator, indicators = encoded["indicator"]
        value = pd.to_numeric(data["value"], errors="coerce").astype(float).to_numpy()
        has_value = ~np.isnan(value)
        flags = {}
        for flag in FLAG_COLUMNS:
            raw = data[flag].eq(True).fillna(False).to_numpy(dtype=bool) if flag in data.columns else False
            flags[flag] = _frozen(has_value & raw)
        vintage = (vintage_text(data["vintage"]).to_numpy(dtype=object) if "vintage" in data.columns
                   else np.full(len(data), "", dtype=object))
        return cls(cities=tuple(cities), indicators=tuple(indicators), city=_frozen(city),
                   indicator=_frozen(indicator), year=_frozen(data["year"].to_numpy(dtype="int64")),
                   value=_frozen(value), flags=flags, vintage=_frozen(vintage),
                   unit=_frozen(data["unit"].to_numpy(dtype=object)))

    @cached_property
    def units(self) -> np.ndarray:
        """Unit of each indicator (object array, in ``indicators`` order).

        Raises InvalidArgumentError naming every indicator with several units.
        """
        first = np.full(len(self.indicators), -1)
        first[self.indicator[::-1]] = np.arange(len(self.indicator))[::-1]      # first row of each indicator
        expected = self.unit[first[self.indicator]]
        differs = self.unit != expected
        if differs.any() and (differs & ~(pd.isna(self.unit) & pd.isna(expected))).any():
            frame = pd.DataFrame({"indicator": np.asarray(self.indicators, dtype=object)[self.indicator],
                                  "unit": self.unit})
            found = frame.groupby("indicator")["unit"].unique()
            mixed = found[found.map(len) > 1]
            raise InvalidArgumentError(
                "indicator(s) with several units in data: "
                + "; ".join(f"{code}: {', '.join(map(str, units))}" for code, units in mixed.items())
                + ". Convert to the catalogue unit first.")
        return _frozen(self.unit[first])

    def selection(self, city_ids: np.ndarray, indicator_ids: np.ndarray) -> tuple:
        """``(rows, city, indicator)``: the rows of the cities and indicators at these
        positions and, per row, the position of its city and indicator among them. The last
        few selections are kept (the panel is read-only)."""
        key = (tuple(city_ids), tuple(indicator_ids))
        if key not in self._selections:
            if len(self._selections) >= 4:
                self._selections.pop(next(iter(self._selections)))
            self._selections[key] = _select_rows(self, city_ids, indicator_ids)
        return self._selections[key]

    @cached_property
    def _selections(self) -> dict:
        return {}

    @cached_property
    def position(self) -> dict:
        """``{"city": {name: position}, "indicator": {code: position}}``."""
        return {"city": {c: i for i, c in enumerate(self.cities)},
                "indicator": {c: i for i, c in enumerate(self.indicators)}}

    @cached_property
    def _index(self) -> tuple:
        """Lookup from (indicator, city, year) to row: a dense table or sorted keys."""
        if not len(self.year):
            return 0, 1, np.empty(0, dtype=np.int64), None
        low, span = int(self.year.min()), int(self.year.max()) - int(self.year.min()) + 1
        key = (self.indicator.astype(np.int64) * len(self.cities) + self.city) * span + (self.year - low)
        cells = len(self.indicators) * len(self.cities) * span
        if cells <= max(_DENSE_LIMIT, 4 * len(key)):
            table = np.full(cells, -1, dtype=np.int64)
            table[key] = np.arange(len(key))
            return low, span, table, None
        order = np.argsort(key, kind="stable")
        return low, span, key[order], order

    def rows_at(self, indicator, city, year, known=None) -> np.ndarray:
        """Row of each (indicator position, city position, year); -1 where there is none
        (or where ``known`` is False)."""
        indicator, city, year = np.broadcast_arrays(np.asarray(indicator, dtype=np.int64),
                                                    np.asarray(city, dtype=np.int64),
                                                    np.asarray(year, dtype=np.int64))
        low, span, table, order = self._index
        inside = (year >= low) & (year < low + span)
        if known is not None:
            inside &= np.asarray(known, dtype=bool)
        key = (indicator * len(self.cities) + city) * span + np.where(inside, year - low, 0)
        out = np.full(key.shape, -1, dtype=np.int64)
        if order is None:
            out[inside] = table[key[inside]]
        else:
            found = np.searchsorted(table, key[inside])
            found = np.minimum(found, len(table) - 1)
            hit = table[found] == key[inside]
            out[inside] = np.where(hit, order[found], -1)
        return out


def text_column(names, codes: np.ndarray):
    """``names[codes]`` as a column of pandas' default text dtype (one conversion of the
    distinct names, then a take)."""
    return pd.Series(np.asarray(names, dtype=object)).array.take(np.asarray(codes, dtype=np.int64))


def _frozen(array: np.ndarray) -> np.ndarray:
    array = np.asarray(array)
    array.flags.writeable = False
    return array


def panel(data) -> Panel:
    """``data`` checked and encoded as a :class:`Panel` (returned as is if it is one)."""
    return data if isinstance(data, Panel) else Panel.from_frame(data)


# -------------------------------------------------------------------------- arguments

def check_year(year, name: str = "year") -> None:
    """InvalidArgumentError unless ``year`` is an int or one of :data:`YEAR_MODES`."""
    if is_int(year) or year in YEAR_MODES:
        return
    raise InvalidArgumentError(f"{name} must be an int or one of {', '.join(map(repr, YEAR_MODES))}; got {year!r}.")


def check_window(window) -> None:
    """InvalidArgumentError unless ``window`` is a whole number of years >= 1."""
    if not is_int(window) or window < 1:
        raise InvalidArgumentError(f"window must be a whole number of years >= 1; got {window!r}.")


def check_whole_year(value, name: str, example: int) -> None:
    """InvalidArgumentError unless ``value`` is a whole year (an int, not a bool)."""
    if not is_int(value):
        raise InvalidArgumentError(f"{name} must be a whole year, e.g. {example}; got {value!r}.")


def compared_cities(data: Panel, focus: str, peers) -> tuple[str, list[str], list[str]]:
    """Checked ``focus`` and ``peers`` and the compared cities (focus first, no repeats)."""
    peers = as_list(peers, unique=True)
    if not peers:
        raise InvalidArgumentError("peers is empty; name at least one peer city.")
    if not len(data):
        raise InvalidArgumentError("data has no rows; give observations of the focus city and its peers.")
    check_known([focus, *peers], sorted(data.cities), what="city", where="in focus/peers",
                known_as="cities in data", error=UnknownCityError)
    return focus, peers, list(dict.fromkeys([focus, *peers]))


def indicator_codes(data: Panel, indicators) -> list[str]:
    """The requested indicator codes (all in ``data`` when None), checked against ``data``."""
    if indicators is None:
        return list(data.indicators)
    return check_known(indicators, sorted(data.indicators), what="indicator", known_as="indicators in data",
                       error=UnknownIndicatorError, unique=True)


# ------------------------------------------------------------------------ preparation

@dataclass(frozen=True, eq=False)
class Prepared:
    """The compared cities and indicators and their rows of the panel.

    ``city`` and ``indicator`` give, per selected row, the position in ``cities`` and
    ``indicators``; ``rows`` the row in ``panel``. Grids are laid out indicator by
    indicator, each with the cities in order (position ``indicator x len(cities) + city``).
    """

    panel: Panel
    focus: str
    peers: list
    cities: list
    indicators: list
    city_ids: np.ndarray
    indicator_ids: np.ndarray
    rows: np.ndarray
    city: np.ndarray
    indicator: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.indicators), len(self.cities)

    def column(self, name: str) -> np.ndarray:
        """Per selected row: ``"year"``, ``"value"``, ``"vintage"`` or a flag."""
        source = self.panel.flags[name] if name in FLAG_COLUMNS else getattr(self.panel, name)
        return source if len(self.rows) == len(source) else source[self.rows]

    def grid_names(self) -> tuple[np.ndarray, np.ndarray]:
        """Indicator and city of every grid cell (object arrays)."""
        n_indicators, n_cities = self.shape
        return (np.repeat(np.asarray(self.indicators, dtype=object), n_cities),
                np.tile(np.asarray(self.cities, dtype=object), n_indicators))

    def rows_at(self, indicator, city, year, known=None) -> np.ndarray:
        """Panel rows at (indicator position, city position, year); -1 where none."""
        return self.panel.rows_at(self.indicator_ids[indicator], self.city_ids[city], year, known)

    def units(self) -> np.ndarray:
        """Unit of each compared indicator (raises if one has several in the data)."""
        return self.panel.units[self.indicator_ids]


def prepare(data, focus: str, peers, indicators=None) -> Prepared:
    """Check ``data``, ``focus``, ``peers`` and ``indicators`` and select the compared rows.

    ``indicators`` None means every indicator in ``data``. Raises UnknownCityError or
    UnknownIndicatorError naming what the data lacks.
    """
    data = panel(data)
    focus, peers, cities = compared_cities(data, focus, peers)
    return select(data, focus, peers, cities, indicator_codes(data, indicators))


def select(data: Panel, focus: str, peers: list, cities: list, indicators: list) -> Prepared:
    """The rows of ``cities`` and ``indicators`` (all known to ``data``)."""
    city_ids = np.array([data.position["city"][c] for c in cities], dtype=np.int64)
    indicator_ids = np.array([data.position["indicator"][code] for code in indicators], dtype=np.int64)
    rows, city, indicator = data.selection(city_ids, indicator_ids)
    return Prepared(data, focus, peers, cities, indicators, city_ids, indicator_ids, rows, city, indicator)


def _select_rows(data: Panel, city_ids: np.ndarray, indicator_ids: np.ndarray) -> tuple:
    city_of = np.full(len(data.cities), -1, dtype=np.int64)
    city_of[city_ids] = np.arange(len(city_ids))
    indicator_of = np.full(len(data.indicators), -1, dtype=np.int64)
    indicator_of[indicator_ids] = np.arange(len(indicator_ids))
    city, indicator = city_of[data.city], indicator_of[data.indicator]
    if (city >= 0).all() and (indicator >= 0).all():
        return _frozen(np.arange(len(city))), _frozen(city), _frozen(indicator)
    rows = np.flatnonzero((city >= 0) & (indicator >= 0))
    return _frozen(rows), _frozen(city[rows]), _frozen(indicator[rows])


# ------------------------------------------------------------------------------ years

@dataclass(frozen=True)
class Years:
    """The year used per grid cell: ``year`` (int64, valid where ``known``) and ``missing``
    (object array, why there is no year; ``""`` otherwise)."""

    year: np.ndarray
    known: np.ndarray
    missing: np.ndarray

    def as_array(self) -> pd.arrays.IntegerArray:
        """The years as an Int64 array (NA where not known)."""
        return _int64_array(self.year, self.known)


def _int64_array(year: np.ndarray, known: np.ndarray) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(np.where(known, year, 0).astype(np.int64), ~np.asarray(known, dtype=bool))


def years_used(prepared: Prepared, year) -> Years:
    """The year to use per (indicator, city) cell: see ``year`` in the module docs.

    Only rows with a value count as available.
    """
    n_indicators, n_cities = prepared.shape
    size = n_indicators * n_cities
    if is_int(year):
        return Years(np.full(size, int(year), dtype=np.int64), np.ones(size, dtype=bool),
                     np.full(size, "", dtype=object))
    has_value = ~np.isnan(prepared.column("value"))
    years = prepared.column("year")[has_value]
    indicator, city = prepared.indicator[has_value], prepared.city[has_value]
    if year == "own":
        latest = np.full(size, _NO_YEAR, dtype=np.int64)
        np.maximum.at(latest, indicator * n_cities + city, years)
        known = latest != _NO_YEAR
        names = np.tile(np.asarray(prepared.cities, dtype=object), n_indicators)
        missing = np.full(size, "", dtype=object)
        missing[~known] = names[~known] + ": no value in any year"
        return Years(latest, known, missing)
    axis, position = _year_axis(years)
    counts = np.bincount(indicator * len(axis) + position, minlength=n_indicators * len(axis))
    complete = counts.reshape(n_indicators, len(axis)) == n_cities
    has_common = complete.any(axis=1)
    last = len(axis) - 1 - np.argmax(complete[:, ::-1], axis=1) if len(axis) else np.zeros(n_indicators, int)
    common = np.where(has_common, axis[last] if len(axis) else 0, _NO_YEAR)
    known = np.repeat(has_common, n_cities)
    everyone = (", ".join(prepared.cities) if n_cities <= 8 else f"the {n_cities} compared cities")
    missing = np.where(known, "", f"no year in which all of {everyone} have a value").astype(object)
    return Years(np.repeat(common, n_cities), known, missing)


def _year_axis(years: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct years in order and each year's position among them."""
    if not len(years):
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    low, high = int(years.min()), int(years.max())
    if high - low < 4096:
        axis = np.arange(low, high + 1, dtype=np.int64)
        return axis, years - low
    return np.unique(years, return_inverse=True)


def values_at(prepared: Prepared, years: Years) -> pd.DataFrame:
    """Values at the chosen years: indicator, city, year, value, unit, vintage, flags, missing.

    One row per grid cell (see :class:`Prepared`); ``value`` is NaN and ``missing`` says
    why where there is no year or no value.
    """
    n_indicators, n_cities = prepared.shape
    cells = np.arange(n_indicators * n_cities)
    rows = prepared.rows_at(cells // n_cities, cells % n_cities, years.year, years.known)
    found = rows >= 0
    city = prepared.grid_names()[1]
    data = prepared.panel
    value = np.where(found, data.value[rows], np.nan)
    out = pd.DataFrame({
        "indicator": text_column(prepared.indicators, cells // n_cities),
        "city": text_column(prepared.cities, cells % n_cities), "year": years.as_array(), "value": value,
        "unit": text_column(prepared.units(), cells // n_cities),
        "vintage": pd.Series(np.where(found, data.vintage[rows], ""), dtype=object),
        **{flag: found & data.flags[flag][rows] for flag in FLAG_COLUMNS},
    })
    lacking = np.isnan(value) & years.known & (years.missing == "")
    out["missing"] = join_reasons(pd.Series(years.missing, dtype=object),
                                  reason_where(lacking, no_value(city, years.year), out.index))
    return out


def pair_with_focus(values: pd.DataFrame, prepared: Prepared, shared=("indicator", "unit")) -> pd.DataFrame:
    """One row per (indicator, peer) with the focus city's columns beside the peer's.

    ``values`` has one row per grid cell (as :func:`values_at` gives it). Columns other than
    ``shared`` get a ``focus_`` or ``peer_`` prefix; flags are combined with OR and
    ``missing`` texts are joined. Peers come in the order of the compared cities.
    """
    n_indicators, n_cities = prepared.shape
    peers = set(prepared.peers)
    peer_position = np.array([i for i, city in enumerate(prepared.cities) if city in peers], dtype=np.int64)
    base = np.repeat(np.arange(n_indicators) * n_cities, len(peer_position))
    peer_rows = base + np.tile(peer_position, n_indicators)
    focus_rows = base + prepared.cities.index(prepared.focus)
    out = {}
    for column in values.columns:
        if column in shared:
            out[column] = _take(values[column], peer_rows)
        elif column == "city":
            out["peer"] = _take(values[column], peer_rows)
    out["focus"] = prepared.focus
    for side, rows in (("focus", focus_rows), ("peer", peer_rows)):
        for column in values.columns:
            if column not in shared and column != "city":
                out[f"{side}_{column}"] = _take(values[column], rows)
    pairs = pd.DataFrame(out)
    for flag in FLAG_COLUMNS:
        pairs[flag] = pairs.pop(f"focus_{flag}") | pairs.pop(f"peer_{flag}")
    pairs["missing"] = join_reasons(pairs.pop("focus_missing"), pairs.pop("peer_missing"))
    return pairs


def _take(column: pd.Series, rows: np.ndarray):
    taken = column.array.take(rows)
    return pd.Series(taken, dtype=column.dtype) if column.dtype == object else taken


def values_by_year(prepared: Prepared) -> tuple[pd.DataFrame, np.ndarray]:
    """Every compared city's value in each year in which any compared city has a row.

    Returns the values, one row per (indicator, year, city) (indicators and cities in
    order, years ascending): ``indicator``, ``year``, ``city``, ``value``, ``unit``,
    ``vintage``, the flags (of the value itself) and ``missing`` (``"<city> <year>: no
    value"``); and each row's indicator position.
    """
    n_indicators, n_cities = prepared.shape
    axis, position = _year_axis(prepared.column("year"))
    span = max(len(axis), 1)
    present = np.zeros(n_indicators * span, dtype=bool)
    group_key = prepared.indicator * span + position
    present[group_key] = True
    groups = np.flatnonzero(present)                         # (indicator, year) in order
    table = np.full((len(groups), n_cities), -1, dtype=np.int64)
    table[(np.cumsum(present) - 1)[group_key], prepared.city] = prepared.rows
    rows = table.ravel()
    found = rows >= 0
    data = prepared.panel
    indicator = np.repeat(groups // span, n_cities)
    year = np.repeat(axis[groups % span] if len(axis) else np.empty(0, dtype=np.int64), n_cities)
    city = np.tile(np.arange(n_cities), len(groups))
    value = np.where(found, data.value[rows], np.nan)
    out = pd.DataFrame({
        "indicator": text_column(prepared.indicators, indicator), "year": year,
        "city": text_column(prepared.cities, city), "value": value,
        "unit": text_column(prepared.units(), indicator),
        "vintage": pd.Series(np.where(found, data.vintage[rows], ""), dtype=object),
        **{flag: found & data.flags[flag][rows] for flag in FLAG_COLUMNS},
    })
    out["missing"] = join_reasons(reason_where(np.isnan(value), no_value(
        np.asarray(prepared.cities, dtype=object)[city], year), out.index))
    return out, indicator


def rows_in_grid_order(prepared: Prepared) -> np.ndarray:
    """Positions of the selected rows ordered by indicator, city and year."""
    n_indicators, n_cities = prepared.shape
    years = prepared.column("year")
    if not len(years):
        return np.empty(0, dtype=np.int64)
    low, span = int(years.min()), int(years.max()) - int(years.min()) + 1
    key = (prepared.indicator * n_cities + prepared.city) * span + (years - low)
    cells = n_indicators * n_cities * span
    if cells <= max(1 << 22, 4 * len(key)):
        slot = np.full(cells, -1, dtype=np.int64)
        slot[key] = np.arange(len(key))
        return slot[slot >= 0]
    return np.argsort(key, kind="stable")


def ratio_parts_at(prepared: Prepared, indicator, numerator, denominator, scale, year) -> pd.DataFrame:
    """Per compared city (focus first), at the year used: the reported ratio, its numerator,
    denominator and computed ratio, with flags.

    A year is usable for the focus city when the ratio can be computed from its parts, and
    for a peer also when the ratio is reported. ``reported_<flag>`` is the reported
    ratio's flag; ``parts_<flag>`` is True when the numerator or the denominator carries it.
    """
    n_cities = len(prepared.cities)
    axis, position = _year_axis(prepared.column("year"))
    span = max(len(axis), 1)
    slot = prepared.city * span + position
    data = prepared.panel

    def grid(code: str, values: np.ndarray, fill) -> np.ndarray:
        out = np.full(n_cities * span, fill, dtype=np.asarray(values).dtype)
        if code in prepared.indicators:
            mine = prepared.indicator == prepared.indicators.index(code)
            out[slot[mine]] = values[prepared.rows[mine]]
        return out.reshape(n_cities, span)

    reported, top, bottom = (grid(code, data.value, np.nan) for code in (indicator, numerator, denominator))
    with np.errstate(invalid="ignore", divide="ignore"):
        computed = top / np.where(bottom != 0, bottom, np.nan) * scale
    usable = ~np.isnan(computed)
    usable[1:] |= ~np.isnan(reported[1:])                   # peers may use a reported ratio
    latest = axis[span - 1 - np.argmax(usable[:, ::-1], axis=1)] if len(axis) else np.zeros(n_cities, np.int64)
    if is_int(year):
        chosen, known = np.full(n_cities, int(year)), np.ones(n_cities, dtype=bool)
        missing = np.full(n_cities, "", dtype=object)
    elif year == "own":
        chosen, known = latest, usable.any(axis=1)
        missing = np.where(known, "", np.asarray(prepared.cities, dtype=object) + ": no value in any year")
    else:
        shared = usable.all(axis=0)
        everyone = ", ".join(prepared.cities) if n_cities <= 8 else f"the {n_cities} compared cities"
        chosen = np.full(n_cities, axis[span - 1 - np.argmax(shared[::-1])] if shared.any() else 0)
        known = np.full(n_cities, shared.any())
        missing = np.where(known, "", f"no year in which all of {everyone} have a value").astype(object)
    column = np.minimum(np.searchsorted(axis, chosen), max(len(axis) - 1, 0))
    inside = known & (axis[column] == chosen) if len(axis) else np.zeros(n_cities, dtype=bool)
    cities = np.arange(n_cities)

    def pick(array: np.ndarray, fill):
        return np.where(inside, array[cities, column], fill)

    out = pd.DataFrame({
        "city": prepared.cities, "year": pd.arrays.IntegerArray(np.where(known, chosen, 0), ~known),
        "missing": pd.Series(missing, dtype=object),
        "reported": pick(reported, np.nan), "numerator": pick(top, np.nan),
        "denominator": pick(bottom, np.nan), "computed": pick(computed, np.nan),
    })
    for flag in FLAG_COLUMNS:
        flags = data.flags[flag]
        out[f"reported_{flag}"] = pick(grid(indicator, flags, False), False)
        out[f"parts_{flag}"] = pick(grid(numerator, flags, False) | grid(denominator, flags, False), False)
    return out


# ---------------------------------------------------------------------------- vintages

def vintage_break(earlier_year, earlier, later_year, later, both_present, index) -> Reason:
    """``"vintages differ: <year> '<vintage>' vs <year> '<vintage>'"`` where the two differ, else "".

    Only rows where both values are present (``both_present``) are checked: labels must be
    equal, and an empty label (none recorded) only matches an empty one.
    """
    earlier, later = np.asarray(earlier, dtype=object), np.asarray(later, dtype=object)
    differs = np.asarray(both_present, dtype=bool) & (earlier != later)

    def text(mask):
        years = [np.asarray(pd.Series(y).astype(object))[mask] for y in (earlier_year, later_year)]
        return np.array([
            f"vintages differ: {y0} {quoted_vintage(v0)} vs {y1} {quoted_vintage(v1)}"
            for y0, v0, y1, v1 in zip(years[0], earlier[mask], years[1], later[mask])], dtype=object)

    return reason_where(differs, text, index)
