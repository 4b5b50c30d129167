"""The tidy-frame contract and the checks every public module shares.

Reads no file. :func:`check_observations` is the contract of tidy observations (one row
per city, year and indicator; typed key, value and flag columns; nothing coerced). Beside
it: the column and code checks (:func:`require_columns`, :func:`check_known`), the
catalogue lookups (:func:`catalogue_table`, :func:`directions`) and the helpers that
build the ``missing`` column, which says why a result is NaN (:func:`reason_where`,
:func:`join_reasons`, :func:`no_value`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ._vocab import FLAG_COLUMNS, OBSERVATION_COLUMNS, OBSERVATION_KEY
from .errors import InvalidArgumentError, UnknownIndicatorError

# ------------------------------------------------------------------------ small checks

def is_int(value) -> bool:
    """True for a Python or NumPy integer that is not a bool."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def as_list(values, *, unique: bool = False) -> list:
    """``values`` as a list: a single string becomes a one-element list; ``unique`` drops
    repeats (first occurrence kept)."""
    values = [values] if isinstance(values, str) else list(values)
    return list(dict.fromkeys(values)) if unique else values


def require_frame(frame, name: str = "data") -> None:
    """TypeError unless ``frame`` is a pandas DataFrame."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, not {type(frame).__name__}.")


def require_columns(frame, columns, *, name: str = "data", hint: str = "") -> None:
    """Raise unless ``frame`` is a DataFrame with ``columns``.

    The message reads ``"<name> lacks column(s) a, b; <hint>."`` (TypeError for a
    non-frame, :class:`~analysis.errors.InvalidArgumentError` for absent columns).
    """
    require_frame(frame, name)
    absent = [column for column in columns if column not in frame.columns]
    if absent:
        raise InvalidArgumentError(f"{name} lacks column(s) {', '.join(map(str, absent))}"
                                   + (f"; {hint}" if hint else "") + ".")


def unknown_text(unknown, known, *, what: str, where: str = "", known_as: str = "allowed",
                 hint: str = "") -> str:
    """``"unknown <what> 'a', 'b' <where>; <known_as>: x, y (<hint>)."``"""
    listed = ", ".join(map(str, known)) or "none"
    return (f"unknown {what} {', '.join(map(repr, unknown))}" + (f" {where}" if where else "")
            + f"; {known_as}: {listed}" + (f" ({hint})" if hint else "") + ".")


def check_known(values, known, *, what: str, where: str = "", known_as: str = "allowed", hint: str = "",
                error=InvalidArgumentError, unique: bool = False) -> list:
    """``values`` as a list (see :func:`as_list`) after checking each is in ``known``.

    Raises ``error`` with :func:`unknown_text` naming the unknown values and listing the
    known ones, e.g. ``"unknown city 'Atlantis' in peers; known cities: Beijing, ..."``.
    """
    values = as_list(values, unique=unique)
    known = list(known)
    allowed = set(known)
    unknown = [value for value in values if value not in allowed]
    if unknown:
        raise error(unknown_text(unknown, known, what=what, where=where, known_as=known_as, hint=hint))
    return values


def year_bounds(years) -> tuple[int, int]:
    """``(start, end)`` inclusive from a pair, a ``range`` or one year; InvalidArgumentError otherwise."""
    if isinstance(years, range):
        if len(years) == 0:
            raise InvalidArgumentError(f"years={years!r} is empty.")
        bounds = (min(years), max(years))
    elif is_int(years):
        bounds = (int(years), int(years))
    elif isinstance(years, (tuple, list)) and len(years) == 2:
        bounds = tuple(years)
    else:
        raise InvalidArgumentError(
            f"years={years!r} is not understood; give (start, end), a range or one year.")
    if not all(map(is_int, bounds)):
        raise InvalidArgumentError(f"years={years!r}: start and end must be whole years.")
    if bounds[0] > bounds[1]:
        raise InvalidArgumentError(
            f"impossible year range: start {bounds[0]} is after end {bounds[1]}.")
    return bounds


# ---------------------------------------------------------------------- the contract

def check_observations(data, *, key=OBSERVATION_KEY, required=OBSERVATION_COLUMNS, vintage: bool = True) -> None:
    """Raise unless ``data`` is well-formed tidy data.

    ``data`` must be a DataFrame with the ``required`` columns; the ``key`` columns must
    be filled (``city`` and ``indicator`` non-empty strings, ``year`` whole numbers) and
    unique together; ``value`` must hold numbers (NaN, None or NA mean missing); the flag
    columns present must hold booleans (a flag may only be missing on a row without a
    value); with ``vintage``, a ``vintage`` column must hold strings (or missing = "").
    Nothing is coerced: text such as ``"12,000"`` or ``"true"`` is an error naming the
    rows, never read as missing or False.
    """
    checked_key_codes(data, key=key, required=required, vintage=vintage)


def checked_key_codes(data, *, key=OBSERVATION_KEY, required=OBSERVATION_COLUMNS,
                      vintage: bool = True) -> dict:
    """:func:`check_observations`, returning each key column's ``(codes, uniques)`` as
    :func:`pandas.factorize` gives them (uniques in order of first appearance), so that
    callers need not encode the columns again."""
    require_columns(data, required, hint=f"tidy data has columns {', '.join(required)}")
    key = list(key)
    encoded = {column: _key_codes(data, column, key) for column in key}
    codes = [pair[0] for pair in encoded.values()]
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
    return encoded


def _is_missing(value) -> bool:
    """True for None, NaN, NaT and pd.NA (scalars only)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, (float, np.floating)) and math.isnan(value)


def _is_whole_number(value) -> bool:
    if is_int(value):
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


def _key_codes(data: pd.DataFrame, column: str, key) -> tuple[np.ndarray, pd.Index]:
    """Codes and uniques of a key column (as :func:`pandas.factorize`), after checking it is
    filled: ``city`` and ``indicator`` non-empty text, ``year`` whole numbers, others not
    missing or blank."""
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
        return pd.factorize(series)
    text_only = column in ("city", "indicator")
    if text_only and _inferred(series, skipna=False) != "string":
        bad = _bad_elements(series, _is_code)          # NaN, None, numbers, ...: off the fast path
        codes, distinct = pd.factorize(series)
    else:
        codes, distinct = pd.factorize(series)         # missing entries get code -1
        blank = np.fromiter((isinstance(v, str) and not v.strip() for v in distinct), dtype=bool,
                            count=len(distinct))
        bad = (codes < 0) | np.append(blank, False)[codes]     # code -1 picks the appended False
    if bad.any():
        rule = ("must hold non-empty codes (text); a missing or empty city or indicator is not allowed" if text_only
                else "is a key column and must not be missing or empty")
        _reject(data, bad, column, key, rule)
    return codes, distinct


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


# ---------------------------------------------------------------------- the catalogue

def catalogue_table(catalogue, columns) -> pd.DataFrame:
    """``catalogue`` indexed by code (its ``code`` column, if any), after checking it has ``columns``."""
    require_frame(catalogue, "catalogue")
    if "code" in catalogue.columns:
        catalogue = catalogue.set_index("code", drop=False)
    require_columns(catalogue, columns, name="catalogue")
    return catalogue


def directions(catalogue, indicators) -> pd.Series:
    """Direction (1, -1 or 0) of each indicator, from a catalogue or a code-to-direction mapping."""
    if isinstance(catalogue, pd.DataFrame):
        direction = catalogue_table(catalogue, ("direction",))["direction"]
    elif isinstance(catalogue, (pd.Series, Mapping)):
        direction = pd.Series(dict(catalogue), dtype=float)
    else:
        raise TypeError("catalogue must be the indicator catalogue (DataFrame) or a mapping "
                        f"of indicator code to direction, not {type(catalogue).__name__}.")
    indicators = check_known(indicators, direction.index, what="indicator", where="(not in the catalogue)",
                             known_as="catalogue codes", error=UnknownIndicatorError)
    direction = pd.to_numeric(direction.loc[indicators], errors="coerce")
    invalid = direction[~direction.isin([1, -1, 0])]
    if len(invalid):
        raise InvalidArgumentError(
            f"direction must be 1, -1 or 0; got {', '.join(f'{c}={v}' for c, v in invalid.items())}.")
    return direction.astype(int)


def ratio_definition(table: pd.DataFrame, indicator: str) -> tuple[str, str, float]:
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


# ------------------------------------------------------------ reasons for a NaN result

class Reason:
    """Why a result is NaN, for the rows where ``mask`` holds (see :func:`reason_where`).

    ``texts`` is one string for every selected row or an array with one per selected row;
    ``index`` the row labels. :func:`join_reasons` turns reasons into the ``missing``
    column without building a full column of text for each reason.
    """

    __slots__ = ("index", "mask", "texts")

    def __init__(self, mask: np.ndarray, texts, index=None):
        self.mask, self.texts, self.index = mask, texts, index

    def eq(self, text: str) -> np.ndarray:
        """Rows whose reason is ``text``; ``eq("")`` gives the rows without a reason."""
        if text == "":
            return ~self.mask
        out = np.zeros(len(self.mask), dtype=bool)
        out[self.mask] = np.asarray(self.texts, dtype=object) == text
        return out


def reason_where(condition, text, index=None) -> Reason:
    """``text`` where ``condition`` holds, no reason elsewhere.

    ``text`` is a string, or a function of the boolean mask returning the texts of the
    selected rows (so labels are only built for the rows that need them).
    """
    condition = np.asarray(condition, dtype=bool)
    texts = (text(condition) if callable(text) else text) if condition.any() else ""
    return Reason(condition, texts, index)


def join_reasons(*parts) -> pd.Series:
    """Join the non-empty reasons of each row with ``"; "``, in the order given.

    Each part is a :class:`Reason` or a column of strings (``""`` for no reason). Returns a
    Series of object dtype with the first part's index.
    """
    first = parts[0]
    index = first.index
    size = len(first.mask) if isinstance(first, Reason) else len(first)
    joined, filled = None, np.zeros(size, dtype=bool)
    for part in parts:
        if isinstance(part, Reason):
            mask, texts = part.mask, part.texts
        else:
            column = np.asarray(part, dtype=object)
            mask = column != ""
            texts = column[mask]
        if not mask.any():
            continue
        if joined is None:
            joined = np.full(size, "", dtype=object)
        texts = np.broadcast_to(np.asarray(texts, dtype=object), (int(mask.sum()),))
        both = filled[mask]
        rows = np.flatnonzero(mask)
        joined[rows[both]] = joined[rows[both]] + "; " + texts[both]
        joined[rows[~both]] = texts[~both]
        filled |= mask
    if joined is None:
        joined = np.full(size, "", dtype=object)
    return pd.Series(joined, index=index, dtype=object)


def no_value(cities, years, what: str = "no value"):
    """Text function for :func:`reason_where`: ``"<city> <year>: no value"`` per selected row.

    ``cities`` and ``years`` are columns (arrays or Series) of the same length; a missing
    year reads as empty.
    """
    def text(mask):
        rows = np.flatnonzero(mask)
        year_text = pd.Series(years).iloc[rows].astype("string").fillna("").to_numpy(dtype=object)
        return np.asarray(cities, dtype=object)[rows] + " " + year_text + f": {what}"
    return text


def vintage_text(column) -> pd.Series:
    """Vintage labels as str, ``""`` where missing."""
    column = pd.Series(column) if not isinstance(column, pd.Series) else column
    return column.astype(object).where(column.notna(), "")


def quoted_vintage(vintage: str) -> str:
    """``'<vintage>'``, or ``(none recorded)`` for the empty label."""
    return f"'{vintage}'" if vintage else "(none recorded)"
