"""Reshape tidy observations into the tables analysts read: one indicator as city x year,
the coverage of the data (which years are known for each indicator and city, and how
that changed between two versions of the data), and any such table as markdown text.

Pure functions: tidy frame in (as :func:`analysis.load_observations` returns it),
DataFrame (or markdown text) out, nothing read or written. ``years`` means what it means
in :func:`analysis.load_observations`: an inclusive ``(start, end)`` pair, a ``range`` or
one year.
"""

from __future__ import annotations

import pandas as pd

from ._frame import check_observations, year_bounds


def _year_columns(years) -> list[int]:
    """Every year from start to end of ``years`` (see :func:`analysis._frame.year_bounds`)."""
    start, end = year_bounds(years)
    return list(range(start, end + 1))


def wide_table(data: pd.DataFrame, indicator: str, *, cities=None, years=None) -> pd.DataFrame:
    """One indicator as a city x year table of values (unit unchanged).

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy observations, one row per (city, year, indicator).
    indicator : str
        Indicator code to show.
    cities : sequence of str, optional
        Row order; cities absent from ``data`` appear as all-NaN rows. Default: the
        cities in ``data``, sorted.
    years : (int, int), range or int, optional
        Inclusive ``(start, end)``, a ``range`` or one year: one column per year, years
        without data as NaN columns. Default: the years in ``data``.

    Returns
    -------
    pandas.DataFrame
        Indexed by city with one column per year; missing cells are NaN.
    """
    rows = data.loc[data["indicator"] == indicator]
    check_observations(rows)  # one row per (city, year, indicator), typed as the metrics expect
    table = rows.pivot(index="city", columns="year", values="value")
    if cities is not None:
        table = table.reindex(list(cities))
    if years is not None:
        table = table.reindex(columns=_year_columns(years))
    table.columns.name, table.index.name = "year", "city"
    return table


def year_coverage(data: pd.DataFrame, years, *, cities=None, indicators=None) -> pd.DataFrame:
    """Which years are known: a boolean frame indexed by (indicator, city), one column per year.

    ``years`` is an inclusive ``(start, end)`` pair, a ``range`` or one year. Every
    requested city and indicator gets a row, so a missing indicator shows up as an
    all-False row instead of disappearing.
    """
    years = _year_columns(years)
    cities = sorted(data["city"].unique()) if cities is None else list(cities)
    indicators = sorted(data["indicator"].unique()) if indicators is None else list(indicators)
    present = (data.loc[data["year"].isin(years)]
               .assign(present=True)
               .pivot_table(index=["indicator", "city"], columns="year", values="present",
                            aggfunc="any", fill_value=False))
    full = pd.MultiIndex.from_product([indicators, cities], names=["indicator", "city"])
    return present.reindex(index=full, columns=years, fill_value=False).astype(bool)


def coverage_table(data: pd.DataFrame, years, *, cities=None, indicators=None) -> pd.DataFrame:
    """Coverage as text: indicator x city cells such as ``"2015-2022, 2024 (9)"``, ``"—"`` if none.

    Built from :func:`year_coverage` (``years`` as there); the count of years is in brackets.
    """
    flags = year_coverage(data, years, cities=cities, indicators=indicators)
    text = flags.apply(lambda row: _describe_years([y for y, known in row.items() if known]), axis=1)
    return text.unstack("city").reindex(index=flags.index.unique("indicator"),
                                        columns=flags.index.unique("city"))


def coverage_change(before: pd.DataFrame, after: pd.DataFrame, years, *, cities=None,
                    indicators=None) -> pd.DataFrame:
    """Years known per indicator and city in two versions of the data, as text.

    Cells read ``"6 → 9"`` where the count of known years changed and ``"9"`` where it did
    not; ``years`` as in :func:`year_coverage`. Rows and columns are the union of both
    versions unless ``cities`` or ``indicators`` are given, so an indicator that appeared or
    vanished shows as ``0 → n``.
    """
    both = pd.concat([before[["city", "indicator"]], after[["city", "indicator"]]])
    cities = sorted(both["city"].unique()) if cities is None else list(cities)
    indicators = sorted(both["indicator"].unique()) if indicators is None else list(indicators)
    counts = [year_coverage(frame, years, cities=cities, indicators=indicators).sum(axis=1)
              for frame in (before, after)]
    text = pd.Series([str(a) if a == b else f"{b} → {a}" for b, a in zip(*counts)],
                     index=counts[1].index)
    return text.unstack("city").reindex(index=indicators, columns=cities)


def markdown_table(table) -> str:
    """A DataFrame of text as a markdown table, the index as the first column."""
    header = [table.index.name or "", *map(str, table.columns)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join([str(key), *map(str, row)]) + " |"
              for key, row in zip(table.index, table.itertuples(index=False))]
    return "\n".join(lines)


def year_runs(years) -> str:
    """Years as runs: ``[2015, 2016, 2017, 2019]`` -> ``"2015-2017, 2019"`` (``""`` if none)."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def _describe_years(years: list[int]) -> str:
    return f"{year_runs(years)} ({len(years)})" if years else "—"
