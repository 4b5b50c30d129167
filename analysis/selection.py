"""Which indicators and years the report compares: the analytic choices behind its tables.

Pure functions on plain data (tidy observations of the compared cities, the catalogue);
nothing is read or written. :mod:`analysis.sheets` labels and lays out what these choose.

- :func:`comparable`: indicators with figures for at least two compared cities.
- :func:`trend_indicators` and :func:`sparse_indicators`: which of them have a trend to
  draw (two cities with two or more years each) and which only have latest figures.
- :func:`scoreboard_values`: the scoreboard's year rule. Per indicator, the latest year in
  which every compared city has a figure, with each city's rank there; where the cities
  share no year, each city's own latest figure, unranked (figures of different years are
  shown, never ranked).
- :func:`family_choice`: per family of indicators, the one a summary uses: the first
  indicator in catalogue row order (``indicators.csv``) that every compared city has in a
  common year, where an indicator with an ``index_variant`` (its size-adjusted variant,
  e.g. high-tech enterprises per 10,000 residents) stands for that variant. The row order
  of the catalogue is therefore methodology: it ranks the indicators of a family from most
  to least preferred, and ``index_variant`` says which counts are compared per head or per
  GDP because they scale with the size of the city.
- :func:`same_level`: figures compared across cities measure one geographic level: per
  indicator the focus city's level (a Guangzhou city figure is never ranked against
  Japan's national one); the others are set aside, to be labelled, not mixed.
- :func:`index_inputs`: what enters the composite index: the :func:`family_choice` of
  every family, at its latest common year; context indicators (gap ``context`` or
  direction 0) are left out.
"""

from __future__ import annotations

import pandas as pd

from . import metrics
from ._frame import as_list, catalogue_table
from ._vocab import CONTEXT_GAP, DEFAULT_FOCUS, DEFAULT_PEERS

__all__ = ["comparable", "family_choice", "index_inputs", "same_level", "scoreboard_values", "sparse_indicators",
           "trend_indicators"]


def comparable(data: pd.DataFrame, indicators, *, min_cities: int = 2) -> list[str]:
    """The ``indicators`` (in the given order) with figures for at least ``min_cities`` cities.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy observations of the compared cities (columns ``city`` and ``indicator``).
    indicators : str or sequence of str
        Indicator codes to consider.
    min_cities : int, default 2
        Cities with a figure (in any year) an indicator needs.

    Returns
    -------
    list of str
    """
    counts = data.groupby("indicator")["city"].nunique()
    return [code for code in as_list(indicators) if counts.get(code, 0) >= min_cities]


def trend_indicators(data: pd.DataFrame, indicators) -> list[str]:
    """The ``indicators`` with a trend to draw: at least two cities with two or more years each."""
    counts = data.groupby(["indicator", "city"]).size()
    with_trend = counts[counts >= 2].reset_index().groupby("indicator")["city"].nunique()
    return [code for code in as_list(indicators) if with_trend.get(code, 0) >= 2]


def sparse_indicators(data: pd.DataFrame, indicators) -> list[str]:
    """The :func:`comparable` ``indicators`` without a trend (see :func:`trend_indicators`)."""
    trends = set(trend_indicators(data, indicators))
    return [code for code in comparable(data, indicators) if code not in trends]


def scoreboard_values(data, catalogue, indicators, *, focus: str = DEFAULT_FOCUS,
                      peers=DEFAULT_PEERS) -> pd.DataFrame:
    """Each compared city's figure per indicator under the scoreboard's year rule.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy observations (see :func:`analysis.metrics.latest_comparable_year`).
    catalogue : pandas.DataFrame or mapping of str to int
        Indicator catalogue (``direction`` is used) or a code-to-direction mapping.
    indicators : str or sequence of str
        Indicator codes, in the order of the result.
    focus, peers : str and sequence of str
        The compared cities.

    Returns
    -------
    pandas.DataFrame
        One row per (indicator, city), indicators in the given order and the focus city
        first: ``indicator``, ``city``, ``year`` (Int64; NA where the city has no figure),
        ``value`` (in the indicator's unit), ``unit``, the flags, ``shared_year`` (True
        when every compared city has a figure in the year used: the latest such year) and
        ``rank`` (1 = best among the compared cities in that shared year; NaN where the
        year is not shared or the indicator is a context indicator).
    """
    codes = as_list(indicators)
    common = metrics.latest_comparable_year(data, focus=focus, peers=peers, indicators=codes, year="common")
    own = metrics.latest_comparable_year(data, focus=focus, peers=peers, indicators=codes, year="own")
    shared = common.groupby("indicator", sort=False)["year"].transform(lambda years: years.notna().all())
    shared = shared.astype(bool).to_numpy()
    chosen = common.where(pd.Series(shared, index=common.index), own, axis=0)
    chosen = chosen.astype(common.dtypes.to_dict())
    ranks = metrics.rank(data, catalogue, focus=focus, peers=peers, indicators=codes)
    chosen = chosen.drop(columns=["vintage", "missing"]).assign(shared_year=shared)
    at_year = ranks[["indicator", "city", "year", "rank"]].astype({"year": "Int64"})
    out = chosen.merge(at_year, how="left", on=["indicator", "city", "year"])
    out["rank"] = out["rank"].where(out["shared_year"])
    return out


def index_inputs(data, catalogue: pd.DataFrame, *, focus: str = DEFAULT_FOCUS, peers=DEFAULT_PEERS) -> pd.DataFrame:
    """The values the composite index uses: one indicator per family, at a year all cities share.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy observations (see :func:`analysis.metrics.latest_comparable_year`).
    catalogue : pandas.DataFrame
        Indicator catalogue with ``family``, ``gap`` and ``direction``, indexed by ``code``
        (or with a ``code`` column), in its file's row order.
    focus, peers : str and sequence of str
        The compared cities.

    Returns
    -------
    pandas.DataFrame
        One row per (chosen indicator, city): ``indicator``, ``city``, ``year`` (the
        indicator's latest year in which every compared city has a figure), ``value``,
        ``unit``, ``vintage`` and the flags. Per family, the chosen indicator is the first
        in catalogue order that every compared city has in a common year; context
        indicators are left out.
    """
    table = catalogue_table(catalogue, ("family", "gap", "direction"))
    table = table.loc[(table["direction"] != 0) & (table["gap"] != CONTEXT_GAP)]
    present = set(data["indicator"])
    values = metrics.latest_comparable_year(data, focus=focus, peers=peers,
                                            indicators=[c for c in table.index if c in present], year="common")
    complete = values.groupby("indicator")["year"].apply(lambda years: years.notna().all())
    chosen = family_choice([code for code, full in complete.items() if full], table)
    return values.loc[values["indicator"].isin(chosen)].drop(columns="missing").reset_index(drop=True)


def family_choice(candidates, catalogue: pd.DataFrame) -> list[str]:
    """Per family, the indicator a summary uses, among ``candidates``.

    Parameters
    ----------
    candidates : sequence of str
        Indicator codes that qualify (e.g. those every compared city has in a common year).
    catalogue : pandas.DataFrame
        Indicator catalogue with ``family`` (and optionally ``index_variant``), indexed by
        ``code``, in its file's row order.

    Returns
    -------
    list of str
        One code per family that has a qualifying indicator, families in catalogue order.
        Within a family the catalogue order decides, and an indicator whose
        ``index_variant`` names another indicator is represented by that variant: the
        variant is used when it qualifies, else nothing at that position (the raw count is
        not compared across cities of different size).
    """
    table = catalogue_table(catalogue, ("family",))
    variants = table["index_variant"] if "index_variant" in table.columns else pd.Series("", index=table.index)
    stands_for = {code: variant for code, variant in variants.items() if isinstance(variant, str) and variant}
    replaced = set(stands_for.values())
    qualifying = set(as_list(candidates))
    chosen = []
    for family in table["family"].unique():
        for code in table.index[table["family"] == family]:
            if code in replaced and code not in stands_for:
                continue  # considered at the position of the indicator it is the variant of
            pick = stands_for.get(code, code)
            if pick in qualifying:
                chosen.append(pick)
                break
    return chosen


def same_level(data: pd.DataFrame, focus: str = DEFAULT_FOCUS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split ``data`` into the figures that measure each indicator's comparison level and the rest.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy observations with a ``level`` column (``city``, ``metro``, ``cluster``,
        ``province``, ``country``); without one, everything is kept.
    focus : str
        The focus city: per indicator, its level is the comparison level (its most common
        level when it has several). Where the focus city has no figure, the level most of
        the other figures have.

    Returns
    -------
    (kept, set_aside) : two frames with ``data``'s columns. ``kept`` holds the figures at
    each indicator's comparison level, so a comparison never mixes levels silently;
    ``set_aside`` holds the others, which a table or chart may show only labelled with
    their level and area.
    """
    if "level" not in data.columns or data.empty:
        return data, data.iloc[0:0]
    def usual(levels: pd.Series) -> str:
        return levels.value_counts().index[0]   # most common; value_counts breaks ties by first seen

    own = data.loc[data["city"] == focus].groupby("indicator")["level"].agg(usual)
    every = data.groupby("indicator")["level"].agg(usual)
    reference = data["indicator"].map(own).astype(object)
    reference = reference.where(reference.notna(), data["indicator"].map(every))
    kept = data["level"].eq(reference)
    return data.loc[kept], data.loc[~kept]
