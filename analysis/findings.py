"""What the data says about each of the report's gaps, as numbers with stable keys.

:func:`gap_finding` summarises one gap for the focus city: which of the gap's series all
compared cities report in a common year, the focus city's rank on each, its position
(ahead of every peer, behind every peer, in between), the headline series, and which
series cannot be compared and why. :func:`rd_finding` adds, for R&D intensity, the
difference to each peer, the extra R&D spending the focus city would need at its own
GDP, and the catch-up years at current growth. The results are plain dicts of codes and
numbers (JSON-ready, the same whatever the language); :mod:`analysis.narrative` turns
them into sentences.

Pure functions: tidy observations and the catalogue in, a dict out; nothing is read or
written.
"""

from __future__ import annotations

import math

import pandas as pd

from . import metrics, selection
from ._vocab import FLAG_COLUMNS

FLAGS = tuple(FLAG_COLUMNS)


def gap_finding(data: pd.DataFrame, catalogue: pd.DataFrame, *, gap: str, focus: str, peers) -> dict:
    """The focus city's standing on one of the report's gaps.

    Parameters
    ----------
    data : tidy preferred observations of the compared cities within the report's years.
    catalogue : the indicator catalogue (``gap``, ``family``, ``direction``, ``unit``).
    gap : gap code (``"strategic"``, ``"rd_intensity"``, ...).
    focus, peers : the compared cities.

    Returns
    -------
    dict with ``gap``, ``focus``, ``peers``, ``series`` (every catalogue series of the gap),
    ``comparable`` (one entry per series all compared cities report in a common year:
    ``indicator``, ``year``, ``unit``, ``direction``, ``values`` {city: value}, ``flags``
    {city: [flag, ...]}, ``focus_rank`` (None for context series), ``ranked`` (cities
    ranked), ``rank_exact`` (False when a lower bound or an approximate figure is
    involved), ``position`` (``"ahead"``, ``"behind"``, ``"between"``, ``"tied"`` or
    ``"unranked"``)), ``not_comparable`` (``indicator``, ``cities_without_figure`` and
    ``reason``: ``"no_figure"`` when some city has none in the years, else
    ``"no_common_year"``), ``headline`` (the series the finding leads with: the first
    ranked comparable series of :func:`analysis.selection.family_choice`, so a count that
    scales with size is represented by its per-head variant; None when nothing is
    comparable) and ``positions`` (the indicators of that choice, one per family, per
    position).
    """
    peers = list(peers)
    cities = [focus, *peers]
    series = [code for code in catalogue.index[catalogue["gap"] == gap]]
    present = set(data.loc[data["city"].isin(cities), "indicator"])
    with_data = [code for code in series if code in present]
    comparable, not_comparable = [], []
    everyone = set(cities) <= set(data["city"])     # a city without any figure shares no year
    latest = (metrics.latest_comparable_year(data, focus=focus, peers=peers, indicators=with_data, year="common")
              if with_data and everyone else None)
    for code in series:
        rows = None if latest is None else latest.loc[latest["indicator"] == code].set_index("city")
        if rows is not None and len(rows) and rows["year"].notna().all():
            comparable.append(_series_entry(rows, catalogue, code, focus, cities))
            continue
        have = set(data.loc[data["indicator"] == code, "city"])
        without = [city for city in cities if city not in have]
        not_comparable.append({"indicator": code, "cities_without_figure": without,
                               "reason": "no_figure" if without else "no_common_year"})
    ranked = [entry["indicator"] for entry in comparable if entry["focus_rank"] is not None]
    summarised = selection.family_choice(ranked, catalogue)
    headline = summarised[0] if summarised else (comparable[0]["indicator"] if comparable else None)
    positions = {key: [entry["indicator"] for entry in comparable
                       if entry["indicator"] in summarised and entry["position"] == key]
                 for key in ("ahead", "tied", "between", "behind")}
    return {"gap": gap, "focus": focus, "peers": peers, "series": series, "comparable": comparable,
            "not_comparable": not_comparable, "headline": headline, "positions": positions}


def _series_entry(rows: pd.DataFrame, catalogue: pd.DataFrame, code: str, focus: str, cities) -> dict:
    direction = int(catalogue.at[code, "direction"])
    values = {city: _number(rows.at[city, "value"]) for city in cities}
    flags = {city: _flags(rows, city) for city in cities}
    entry = {"indicator": code, "year": int(rows["year"].iloc[0]), "unit": str(rows["unit"].iloc[0]),
             "direction": direction, "values": values, "flags": flags, "focus_rank": None,
             "ranked": len(cities), "position": "unranked",
             "rank_exact": not any(f in ("lower_bound", "approximate") for fs in flags.values() for f in fs)}
    if direction == 0:
        return entry
    oriented = {city: value * direction for city, value in values.items()}
    better = sum(value > oriented[focus] for value in oriented.values())
    equal = sum(value == oriented[focus] for city, value in oriented.items() if city != focus)
    entry["focus_rank"] = better + 1
    if better == 0:
        entry["position"] = "tied" if equal else "ahead"
    elif better + equal == len(cities) - 1 and equal == 0:
        entry["position"] = "behind"
    else:
        entry["position"] = "between"
    return entry


def rd_finding(data: pd.DataFrame, catalogue: pd.DataFrame, *, focus: str, peers,
               indicator: str = "rd_intensity", window: int = 5) -> dict:
    """:func:`gap_finding` for the R&D-intensity gap plus the flagship figures.

    Adds ``rd``: ``indicator``; ``year_mode`` (``"common"``, or ``"own"`` when the cities
    share no year, each city's latest figure being used); ``focus`` {year, value, flags};
    ``peers`` {city: {year, value, flags, difference (focus minus peer, percentage
    points), extra (R&D spending the focus city would need on top, 100 million yuan, at
    its own GDP; None when it is already at or above the peer), extra_pct (percent of
    its R&D spending), extra_year (the year of its R&D spending and GDP used),
    already_above (bool), reach_status and reach_year (when it would reach the peer's
    current level at current growth)}}; ``window`` (years of the growth window);
    ``horizon`` (last year a crossing is projected to).
    """
    finding = gap_finding(data, catalogue, gap=str(catalogue.at[indicator, "gap"]), focus=focus, peers=peers)
    peers = list(peers)
    if indicator not in set(data["indicator"]):
        finding["rd"] = None
        return finding
    year_mode = "common"
    difference = metrics.difference(data, focus=focus, peers=peers, indicators=[indicator], year="common")
    if difference["focus_year"].isna().all():
        year_mode = "own"
        difference = metrics.difference(data, focus=focus, peers=peers, indicators=[indicator], year="own")
    extra = _extra(data, catalogue, indicator, focus, peers, year_mode)
    catch = metrics.catch_up(data, catalogue, focus=focus, peers=peers, indicators=[indicator], window=window)
    first = difference.iloc[0]
    latest = metrics.latest_comparable_year(data, focus=focus, peers=peers, indicators=[indicator],
                                            year=year_mode).set_index("city")
    rd = {"indicator": indicator, "year_mode": year_mode, "window": window, "horizon": metrics.CATCH_UP_HORIZON,
          "focus": {"year": _year(first["focus_year"]), "value": _number(first["focus_value"]),
                    "flags": _flags(latest, focus)},
          "peers": {}}
    for row in difference.itertuples():
        peer_extra = extra.get(row.peer, {})
        peer_catch = catch.loc[catch["peer"] == row.peer]
        reach = peer_catch.iloc[0] if len(peer_catch) else None
        rd["peers"][row.peer] = {
            "year": _year(row.peer_year), "value": _number(row.peer_value), "flags": _flags(latest, row.peer),
            "difference": _number(row.difference), "difference_unit": row.difference_unit,
            **peer_extra,
            "reach_status": None if reach is None else str(reach["reach_status"]),
            "reach_year": None if reach is None else _year(reach["reach_year"]),
        }
    finding["rd"] = rd
    return finding


def _extra(data, catalogue, indicator, focus, peers, year_mode) -> dict:
    """Per peer: the extra numerator needed at the focus city's own denominator."""
    try:
        extra = metrics.extra_needed_to_match(data, catalogue, indicator=indicator, focus=focus, peers=peers,
                                              year=year_mode)
    except ValueError:  # numerator or denominator not in the data
        return {}
    out = {}
    for row in extra.itertuples():
        amount = _number(row.extra)
        already = amount is not None and amount <= 0
        out[row.peer] = {"extra": None if already else amount,
                         "extra_pct": None if already else _number(row.extra_pct),
                         "extra_unit": row.unit, "extra_year": _year(row.focus_year),
                         "already_above": already}
    return out


def _flags(values: pd.DataFrame, city: str) -> list[str]:
    """The flags set on ``city``'s row of a frame indexed by city."""
    return [flag for flag in FLAGS if flag in values.columns and bool(values.at[city, flag])]


def _number(value):
    if value is None or value is pd.NA:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def _year(value):
    return None if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) else int(value)


def leader_shares(finding: dict) -> pd.DataFrame:
    """Each city's value as a percentage of the leader's, per summarised series of a finding.

    The series are those of ``finding["positions"]`` (one per family, ranked), in catalogue
    order. For a series where higher is better, ``share = value / leader's value x 100``;
    where lower is better (a rank), ``share = leader's value / value x 100``; the leader
    scores 100. ``bound`` is True where the city's or the leader's figure is a lower bound
    or approximate, so the share is not exact.

    Returns
    -------
    pandas.DataFrame with columns ``indicator``, ``year``, ``city``, ``value``, ``share``
    (percent of the leader) and ``bound``; empty when the finding has no such series.
    """
    chosen = {code for codes in finding["positions"].values() for code in codes}
    rows = []
    for entry in finding["comparable"]:
        if entry["indicator"] not in chosen:
            continue
        values = entry["values"]
        oriented = {c: v * entry["direction"] for c, v in values.items()}
        leader = max(oriented, key=oriented.get)
        inexact = {c for c, flags in entry["flags"].items() if {"lower_bound", "approximate"} & set(flags)}
        for city, value in values.items():
            best = values[leader]
            if entry["direction"] > 0:
                share = value / best * 100.0 if best else math.nan
            else:
                share = best / value * 100.0 if value else math.nan
            rows.append({"indicator": entry["indicator"], "year": entry["year"], "city": city, "value": value,
                         "share": share, "bound": city in inexact or leader in inexact})
    return pd.DataFrame(rows, columns=["indicator", "year", "city", "value", "share", "bound"])


RANK_SERIES = ("nature_index_city_rank", "gii_cluster_rank", "gihi_rank")
"""Published global ranks the global view reads (1 = first)."""


def global_finding(data: pd.DataFrame, *, focus: str, hubs, indicator: str = "rd_intensity",
                   ranks=RANK_SERIES) -> dict:
    """The focus city against the global innovation hubs, every figure with its level.

    Parameters
    ----------
    data : tidy preferred observations of the focus city and the hubs at every geographic
        level (columns ``level``, ``area``, ``area_zh`` say what each figure measures).
    focus, hubs : the focus city and the hub city codes.
    indicator : the intensity shown side by side (default R&D intensity).
    ranks : published rank series read edition by edition.

    Returns
    -------
    dict: ``focus``, ``hubs``; ``intensity`` (per city with a figure: ``city``, ``year``,
    ``value``, ``level``, ``area``, ``area_zh``, ``flags``: each city's latest figure,
    whatever its year and level, for showing side by side, never ranking); ``ranks`` (per
    series with a focus figure: ``indicator``, ``year`` (the latest edition in which the
    focus city and at least one hub have a rank), ``focus_rank``, ``focus_level``,
    ``focus_area``, ``focus_area_zh``, ``ahead`` (hubs ranked above it that year, best
    first: ``city``, ``rank``, ``level``, ``area``, ``area_zh``), ``nearest`` (the hub just
    above it, or None when none is) and ``places`` (its rank minus the nearest hub's),
    ``hubs_ranked`` (hubs with a rank that year)).
    """
    hubs = list(hubs)
    cities = [focus, *hubs]
    rows = data.loc[data["city"].isin(cities)]
    latest = rows.loc[rows["indicator"] == indicator].sort_values("year").groupby("city").tail(1)
    intensity = [_located(row, ("year", "value")) for row in latest.set_index("city").reindex(cities).dropna(
        subset=["value"]).reset_index().to_dict(orient="records")]
    out_ranks = []
    for code in ranks:
        series = rows.loc[rows["indicator"] == code]
        own = series.loc[series["city"] == focus]
        shared = sorted(set(own["year"]) & set(series.loc[series["city"].isin(hubs), "year"]))
        if not shared:
            continue
        year = shared[-1]
        edition = series.loc[series["year"] == year].set_index("city")
        focus_rank = float(edition.at[focus, "value"])
        ranked = edition.loc[[c for c in hubs if c in edition.index]]
        ahead = ranked.loc[ranked["value"] < focus_rank].sort_values("value")
        nearest = ahead.iloc[-1] if len(ahead) else None
        out_ranks.append({
            "indicator": code, "year": int(year), "focus_rank": focus_rank,
            "focus_level": edition.at[focus, "level"], "focus_area": edition.at[focus, "area"],
            "focus_area_zh": edition.at[focus, "area_zh"], "hubs_ranked": int(len(ranked)),
            "ahead": [_located({"city": city, **row}, ("value",)) for city, row in ahead.to_dict("index").items()],
            "nearest": None if nearest is None else str(nearest.name),
            "places": None if nearest is None else focus_rank - float(nearest["value"]),
        })
    return {"focus": focus, "hubs": hubs, "indicator": indicator, "intensity": intensity, "ranks": out_ranks}


def _located(row: dict, numbers) -> dict:
    """A figure with where it is from: city, the numbers asked for, level, area and flags."""
    out = {"city": row["city"], **{k: (int(row[k]) if k == "year" else _number(row[k])) for k in numbers},
           "level": row["level"], "area": row["area"], "area_zh": row["area_zh"]}
    out["flags"] = [flag for flag in FLAGS if bool(row.get(flag, False))]
    return out
