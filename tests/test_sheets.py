"""Tear sheets: the sentences and tables notebooks show are computed from the data and
years are never mixed silently. Facts about the shipped data sit in test_shipped_data.py;
these tests derive what they expect from the data or change it themselves."""

from __future__ import annotations

import dataclasses
import math

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from analysis import sheets  # noqa: E402
from analysis.style import format_change, format_number  # noqa: E402


@pytest.fixture(scope="module")
def ctx():
    return sheets.open_report("test", "Guangzhou", ["Beijing", "Shanghai", "Shenzhen"], 2015, 2024, None, "en", None)


def value(ctx, city, year, indicator):
    rows = ctx.data.loc[(ctx.data["city"] == city) & (ctx.data["year"] == year) & (ctx.data["indicator"] == indicator)]
    return float(rows["value"].iloc[0])


def test_since_2018_sentence_quotes_the_first_and_latest_figures(ctx):
    text = sheets.since_base_year(ctx, "rd_intensity")
    gz = ctx.data.loc[(ctx.data["city"] == "Guangzhou") & (ctx.data["indicator"] == "rd_intensity")
                      & (ctx.data["year"] >= 2018)].sort_values("year")
    first, last = gz.iloc[0], gz.iloc[-1]
    assert f"Guangzhou {first['value']:.4g} ({first['year']}) → {last['value']:.4g} ({last['year']})" in text
    assert f"{last['value'] - first['value']:+.4g} percentage points" in text


def with_flag(ctx, flag, city, year, indicator):
    """``ctx`` whose figure of (city, year, indicator) carries ``flag``."""
    data = ctx.data.copy()
    cell = (data["city"] == city) & (data["year"] == year) & (data["indicator"] == indicator)
    assert cell.sum() == 1
    data.loc[cell, flag] = True
    return dataclasses.replace(ctx, data=data)


def first_and_last_since(ctx, city, indicator, year=2018):
    rows = ctx.data.loc[(ctx.data["city"] == city) & (ctx.data["indicator"] == indicator)
                        & (ctx.data["year"] >= year)].sort_values("year")
    return rows.iloc[0], rows.iloc[-1]


def test_since_2018_marks_changes_computed_from_a_lower_bound(ctx):
    # a change from a lower bound ("突破1.1万") is at most the difference, not exactly it
    first, last = first_and_last_since(ctx, "Guangzhou", "rd_intensity")
    bounded = with_flag(ctx, "lower_bound", "Guangzhou", first["year"], "rd_intensity")
    text = sheets.since_base_year(bounded, "rd_intensity")
    assert f"Guangzhou ≥{format_number(first['value'])} ({first['year']})" in text
    assert f"≤{format_change(last['value'] - first['value'])} percentage points" in text


def test_scoreboard_uses_one_shared_year_or_says_the_years_differ(ctx):
    # one figure per city for gdp, each in a different year: no shared year
    own_years = {"Guangzhou": 2019, "Beijing": 2018, "Shanghai": 2020, "Shenzhen": 2021}
    data = ctx.data.loc[(ctx.data["indicator"] != "gdp")
                        | ctx.data[["city", "year"]].apply(tuple, axis=1).isin(own_years.items())]
    ctx = dataclasses.replace(ctx, data=data)
    board = sheets.scoreboard(ctx, ["rd_intensity", "gdp"])
    shared = board.loc[ctx.labels.indicator("rd_intensity")]
    year = int(shared["year"])
    assert shared["Guangzhou"] == value(ctx, "Guangzhou", year, "rd_intensity")
    assert shared["Beijing"] == value(ctx, "Beijing", year, "rd_intensity")
    assert shared["Guangzhou rank"] == 1 + sum(
        value(ctx, peer, year, "rd_intensity") > shared["Guangzhou"] for peer in ctx.peers)
    differs = board.loc[ctx.labels.indicator("gdp")]
    assert differs["year"] == "differs" and math.isnan(differs["Guangzhou rank"])
    assert differs["note"] == ("no shared year, each city's latest: "
                               + ", ".join(f"{city} {year}" for city, year in own_years.items()))
    assert differs["Shenzhen"] == value(ctx, "Shenzhen", 2021, "gdp")


def test_index_inputs_take_one_series_per_family_at_a_year_all_cities_share(ctx):
    inputs = sheets.index_inputs(ctx)
    families = ctx.catalogue.loc[inputs["indicator"].unique(), "family"]
    assert families.is_unique
    assert (inputs.groupby("indicator")["city"].nunique() == 4).all()
    assert (inputs.groupby("indicator")["year"].nunique() == 1).all()
    assert not set(inputs["indicator"]) & {"gdp", "resident_population"}


def test_since_2018_refuses_to_difference_across_releases(ctx):
    first, last = first_and_last_since(ctx, "Guangzhou", "rd_intensity")
    data = ctx.data.copy()
    for year, vintage in ((first["year"], "first release"), (last["year"], "revised (census)")):
        data.loc[(data["city"] == "Guangzhou") & (data["year"] == year) & (data["indicator"] == "rd_intensity"),
                 "vintage"] = vintage
    text = sheets.since_base_year(dataclasses.replace(ctx, data=data), "rd_intensity")
    assert "Guangzhou (releases differ: first release vs revised (census))" in text
    assert f"Guangzhou {format_number(first['value'])} (" not in text


def test_since_2018_marks_approximate_figures(ctx):
    first, _ = first_and_last_since(ctx, "Guangzhou", "rd_intensity")
    ctx = with_flag(ctx, "approximate", "Guangzhou", first["year"], "rd_intensity")
    text = sheets.since_base_year(ctx, "rd_intensity")
    rows = ctx.data.loc[(ctx.data["indicator"] == "rd_intensity") & (ctx.data["year"] == first["year"])
                        & ctx.data["approximate"]]
    assert "Guangzhou" in set(rows["city"])
    for row in rows.itertuples():
        if row.vintage:  # a preliminary release is not differenced against a final one
            assert f"{row.city} (releases differ: {row.vintage} vs none recorded)" in text
        else:
            assert f"{row.city} ≈{format_number(row.value)} ({row.year})" in text


def test_gap_table_and_headline_keep_every_flag(ctx):
    gaps = sheets.gaps(ctx, "rd_intensity", year=2018)
    table = sheets.gap_table(ctx, gaps)
    assert {"lower bound used", "approximate or preliminary", "year inferred"} <= set(table.columns)
    headline = sheets.headline_gaps(gaps, "rd_intensity")
    flagged = ctx.data.loc[(ctx.data["indicator"] == "rd_intensity") & (ctx.data["year"] == 2018)]
    for city in ctx.peers:
        peer_flag = bool(flagged.loc[flagged["city"] == city, "approximate"].iloc[0])
        assert headline[city]["approximate"] == peer_flag


def test_index_tables_say_where_a_lower_bound_went_in(ctx):
    # mark one index input a lower bound, whether or not the shipped data has one there
    first = sheets.index_inputs(ctx).iloc[0]
    data = ctx.data.copy()
    data.loc[(data["city"] == first["city"]) & (data["year"] == first["year"])
             & (data["indicator"] == first["indicator"]), "lower_bound"] = True
    ctx = dataclasses.replace(ctx, data=data)
    inputs = sheets.index_inputs(ctx)
    table = sheets.index_inputs_table(ctx, inputs)
    bound_rows = inputs.loc[inputs["lower_bound"]]
    assert len(bound_rows) == 1
    for row in bound_rows.itertuples():
        label = ctx.labels.indicator(row.indicator, unit=True)
        assert row.city in table.at[label, "lower bound (at least) for"]
    scores, sensitivity = sheets.composite_index(ctx, inputs, n_draws=200)
    ranking = sheets.index_table(ctx, scores, sensitivity)
    assert ranking["uses a lower bound"].all()  # min-max scores depend on every city's value
