"""Load the sourced observations and their sources, validated against the catalogue.

``load_observations`` is the entry point notebooks use. It reads ``observations.csv``
(typed and checked by :mod:`analysis.datapackage`), then checks it against the other
tables: every city, indicator and source exists, every unit equals the catalogue unit,
every value lies in its indicator's plausible range, and each (city, year, indicator)
has exactly one preferred row, which is a printed figure wherever one exists.
"""

from __future__ import annotations

import pandas as pd

from ._frame import year_bounds
from ._vocab import OBSERVATION_KEY
from .catalogue import check_cities, check_indicators, load_catalogue, load_cities, load_gaps, load_vintages
from .datapackage import read_descriptor, read_table, resolve_data_dir, resource_schema
from .errors import (
    DuplicateObservationError,
    ImplausibleValueError,
    MissingSourceError,
    UnitMismatchError,
    UnknownCityError,
    UnknownIndicatorError,
)


def load_sources(data_dir=None) -> pd.DataFrame:
    """The sources table, indexed by ``source_id``.

    Columns: title, publisher, url, source_type, quote (the text carrying the figure),
    accessed.
    """
    return read_table("sources", data_dir).set_index("source_id", drop=False)


def load_observations(cities=None, indicators=None, years=None, data_dir=None, *,
                      preferred_only: bool = True) -> pd.DataFrame:
    """Sourced observations as a tidy frame, validated on load.

    Parameters
    ----------
    cities : city code or list of codes (``"Guangzhou"``); None keeps all.
    indicators : series code or list of codes (``"rd_intensity"``); None keeps all.
    years : ``(start, end)`` inclusive, a ``range`` or one year; None keeps all.
    data_dir : data folder; default ``$ANALYSIS_DATA_DIR`` or the shipped ``data/``.
    preferred_only : keep only the preferred row of each (city, year, indicator)
        (default). False also returns the conflicting, non-preferred rows.

    Returns
    -------
    DataFrame with columns city, year (int), indicator, value (float, in ``unit``),
    unit, level (geographic level of the figure: city, metro, cluster, province,
    country), area, area_zh (the territory measured), source_id, preferred, lower_bound,
    approximate, year_inferred, derived, vintage, note;
    sorted by indicator, city, year. ``value`` is never filled: a missing figure is
    an absent row (see :func:`analysis.tables.coverage_table`).

    Raises
    ------
    DataFileError subclasses naming the file, record and fix for malformed data;
    UnknownCityError / UnknownIndicatorError for unknown codes in the arguments;
    InvalidArgumentError for an impossible year range.
    """
    folder = resolve_data_dir(data_dir)
    catalogue, city_table = load_catalogue(folder), load_cities(folder)
    observations = read_table("observations", folder)
    validate_observations(observations, catalogue, city_table, load_sources(folder))
    levels = geographic_levels(folder)
    if levels is not None:
        check_level_preference(observations, levels)

    # filter: arguments are checked against the tables before use
    keep = pd.Series(True, index=observations.index)
    if cities is not None:
        keep &= observations["city"].isin(check_cities(cities, city_table))
    if indicators is not None:
        keep &= observations["indicator"].isin(check_indicators(indicators, catalogue))
    if years is not None:
        start, end = year_bounds(years)
        keep &= observations["year"].between(start, end)
    if preferred_only:
        keep &= observations["preferred"]

    observations.attrs.clear()  # file and line numbers are only needed to report faults above
    result = observations.loc[keep].astype({"year": int})
    return result.sort_values(["indicator", "city", "year", "preferred"],
                              ascending=[True, True, True, False]).reset_index(drop=True)


def validate_observations(observations: pd.DataFrame, catalogue: pd.DataFrame,
                          cities: pd.DataFrame, sources: pd.DataFrame) -> None:
    """Cross-table checks of typed observations; raise on the first fault found.

    Checks, in order: known city, known indicator, source present in sources.csv,
    unit equal to the catalogue unit, value within the indicator's plausible range
    (catalogue columns ``plausible_min`` / ``plausible_max``, inclusive; empty means no
    limit), exactly one preferred row per (city, year, indicator), and no derived row
    preferred in a cell that also holds a printed figure. Each error names the file,
    record, line and field.
    """
    path, lines = observations.attrs.get("path"), observations.attrs.get("lines")

    def where(index: int) -> dict:
        return dict(path=path, row=index + 1, line=lines[index] if lines else None)

    for index in observations.index[~observations["city"].isin(cities.index)]:
        raise UnknownCityError(f"unknown city '{observations.at[index, 'city']}'; known cities: "
                               f"{', '.join(cities.index)} (add it to cities.csv or fix the spelling).",
                               field="city", **where(index))
    for index in observations.index[~observations["indicator"].isin(catalogue.index)]:
        raise UnknownIndicatorError(
            f"unknown indicator '{observations.at[index, 'indicator']}'; add it to indicators.csv "
            f"or use a known code: {', '.join(catalogue.index)}.", field="indicator", **where(index))
    for index in observations.index[~observations["source_id"].isin(sources.index)]:
        raise MissingSourceError(
            f"source '{observations.at[index, 'source_id']}' is not in sources.csv; every figure "
            "needs a source row (title, publisher, address, quote).", field="source_id",
            **where(index))
    expected_unit = observations["indicator"].map(catalogue["unit"])
    for index in observations.index[observations["unit"] != expected_unit]:
        raise UnitMismatchError(
            f"unit '{observations.at[index, 'unit']}' differs from the catalogue unit "
            f"'{expected_unit[index]}' of {observations.at[index, 'indicator']}; convert the value "
            "to the catalogue unit and say so in the note.", field="unit", **where(index))
    _check_plausible(observations, catalogue, where)
    preferred_count = observations.groupby(list(OBSERVATION_KEY))["preferred"].transform("sum")
    for index in observations.index[preferred_count != 1]:
        city, year, indicator = observations.loc[index, list(OBSERVATION_KEY)]
        count = int(preferred_count[index])
        raise DuplicateObservationError(
            f"{city} {year} {indicator} has {count} rows marked preferred; mark exactly one "
            "preferred and give the reason in its note.", field="preferred", **where(index))
    if "derived" in observations.columns:
        printed = (~observations["derived"]).groupby(
            [observations[k] for k in OBSERVATION_KEY]).transform("any")
        for index in observations.index[observations["preferred"] & observations["derived"] & printed]:
            city, year, indicator = observations.loc[index, list(OBSERVATION_KEY)]
            raise DuplicateObservationError(
                f"{city} {year} {indicator}: the preferred row is derived although the cell holds a "
                "printed figure; a derived value never replaces a printed one: prefer the printed row.",
                field="preferred", **where(index))


def _check_plausible(observations: pd.DataFrame, catalogue: pd.DataFrame, where) -> None:
    """Raise ImplausibleValueError for the first value outside its indicator's plausible range."""
    if "plausible_min" not in catalogue.columns:
        return
    low = observations["indicator"].map(catalogue["plausible_min"])
    high = observations["indicator"].map(catalogue["plausible_max"])
    outside = (observations["value"] < low) | (observations["value"] > high)
    for index in observations.index[outside.fillna(False)]:
        code = observations.at[index, "indicator"]
        bounds = (low[index], high[index])
        limits = " to ".join("no limit" if pd.isna(b) else f"{b:g}" for b in bounds)
        reason = catalogue.at[code, "plausible_note"]
        raise ImplausibleValueError(
            f"{code} = {observations.at[index, 'value']:g} {observations.at[index, 'unit']} lies "
            f"outside the plausible range {limits} that indicators.csv declares"
            + (f" ({reason})" if reason else "") + "; check the figure and its unit against the source.",
            field="value", **where(index))


def check_data_folder(data_dir=None):
    """Check every table of the data folder and the keys between them; return the folder.

    Reads the cities, the gaps, the indicator catalogue, the sources and all observation
    rows (preferred or not) as the loaders do, with every check they make, so a broken
    data update is found before any work starts.

    Raises
    ------
    DataFileError subclasses, UnknownCityError or UnknownIndicatorError naming the file,
    record and field, as :func:`load_observations` does.
    """
    folder = resolve_data_dir(data_dir)
    load_gaps(folder)
    load_vintages(folder)
    load_observations(data_dir=folder, preferred_only=False)
    return folder


def geographic_levels(data_dir=None) -> list[str] | None:
    """The geographic levels of ``observations.level``, finest first (the descriptor's enum order).

    None for a data folder from before the levels were recorded (its schema has no
    ``level`` field), such as an earlier release read by ``coverage --before``.
    """
    fields = resource_schema(read_descriptor(data_dir), "observations")["schema"]["fields"]
    return next((f["constraints"]["enum"] for f in fields if f["name"] == "level"), None)


def check_level_preference(observations: pd.DataFrame, levels: list[str]) -> None:
    """Raise DuplicateObservationError where a preferred row is not at the finest level of its cell.

    Where one (city, year, indicator) has figures at several geographic levels (a city
    figure and a national one, say), the preferred row must be at the finest level present,
    in the order of ``levels`` (finest first).
    """
    path, lines = observations.attrs.get("path"), observations.attrs.get("lines")
    rank = observations["level"].map({level: i for i, level in enumerate(levels)})
    finest = rank.groupby([observations[k] for k in OBSERVATION_KEY]).transform("min")
    for index in observations.index[observations["preferred"] & (rank != finest)]:
        city, year, indicator = observations.loc[index, list(OBSERVATION_KEY)]
        raise DuplicateObservationError(
            f"{city} {year} {indicator}: the preferred row is at level {observations.at[index, 'level']} "
            f"but the cell has a {levels[int(finest[index])]}-level figure; prefer the finest level.",
            field="preferred", path=path, row=index + 1, line=lines[index] if lines else None)

