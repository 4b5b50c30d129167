"""Tear sheets: the tables and sentences notebooks show are computed from the data, in the
reader's language, and years are never mixed silently. Facts about the shipped data sit in
test_shipped_data.py; these tests derive what they expect from the data or change it."""

from __future__ import annotations

import dataclasses
import math
import re

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from analysis import sheets  # noqa: E402
from analysis.catalogue import Labels  # noqa: E402
from analysis.formatting import format_value  # noqa: E402


@pytest.fixture(scope="module")
def ctx():
    return sheets.open_report("test", "Guangzhou", ["Beijing", "Shanghai", "Shenzhen"], 2015, 2024, None, "en", None)


def in_language(ctx, lang):
    labels = ctx.labels
    return dataclasses.replace(ctx, labels=Labels(labels.catalogue, labels.cities, labels.gaps, lang))


def value(ctx, city, year, indicator):
    rows = ctx.data.loc[(ctx.data["city"] == city) & (ctx.data["year"] == year) & (ctx.data["indicator"] == indicator)]
    return float(rows["value"].iloc[0])


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


def since_text(ctx, indicator="rd_intensity") -> str:
    return sheets.since_paragraph(ctx, [indicator]).sentences[0]


def test_since_2018_sentence_quotes_the_first_and_latest_figures(ctx):
    first, last = first_and_last_since(ctx, "Guangzhou", "rd_intensity")
    text = since_text(ctx)
    assert (f"Guangzhou {format_value(first['value'], 'percent')}% ({first['year']}) → "
            f"{format_value(last['value'], 'percent')}% ({last['year']})") in text
    assert f"{format_value(last['value'] - first['value'], 'percentage points', signed=True)} percentage points" in text


def test_since_2018_marks_changes_computed_from_a_lower_bound(ctx):
    # a change from a lower bound ("突破1.1万") is at most the difference, not exactly it
    first, last = first_and_last_since(ctx, "Guangzhou", "rd_intensity")
    text = since_text(with_flag(ctx, "lower_bound", "Guangzhou", first["year"], "rd_intensity"))
    assert f"Guangzhou ≥{format_value(first['value'], 'percent')}% ({first['year']})" in text
    assert f"≤{format_value(last['value'] - first['value'], 'percentage points', signed=True)}" in text


def test_since_2018_refuses_to_difference_across_releases(ctx):
    first, last = first_and_last_since(ctx, "Guangzhou", "rd_intensity")
    data = ctx.data.copy()
    for year, vintage in ((first["year"], "first release"), (last["year"], "revised (census)")):
        data.loc[(data["city"] == "Guangzhou") & (data["year"] == year) & (data["indicator"] == "rd_intensity"),
                 "vintage"] = vintage
    text = since_text(dataclasses.replace(ctx, data=data))
    assert "Guangzhou (releases differ: first release vs revised (census))" in text
    assert f"Guangzhou {format_value(first['value'], 'percent')}% (" not in text


def test_since_2018_is_wholly_chinese_in_a_chinese_report(ctx):
    text = since_text(in_language(ctx, "zh"))
    assert text.startswith("2018年以来") and "广州由" in text and "个百分点" in text
    assert "Guangzhou" not in text and "percentage" not in text


def test_scoreboard_uses_one_shared_year_or_says_the_years_differ(ctx):
    # one figure per city for gdp, each in a different year: no shared year
    own_years = {"Guangzhou": 2019, "Beijing": 2018, "Shanghai": 2020, "Shenzhen": 2021}
    data = ctx.data.loc[(ctx.data["indicator"] != "gdp")
                        | ctx.data[["city", "year"]].apply(tuple, axis=1).isin(own_years.items())]
    ctx = dataclasses.replace(ctx, data=data)
    board = sheets.scoreboard(ctx, ["rd_intensity", "gdp"]).frame.set_index("indicator")
    shared = board.loc[ctx.labels.indicator("rd_intensity", unit=True)]
    year = int(shared["year"])
    assert shared["value_Guangzhou"] == value(ctx, "Guangzhou", year, "rd_intensity")
    assert shared["value_Beijing"] == value(ctx, "Beijing", year, "rd_intensity")
    assert shared["rank"] == 1 + sum(value(ctx, peer, year, "rd_intensity") > shared["value_Guangzhou"]
                                     for peer in ctx.peers)
    differs = board.loc[ctx.labels.indicator("gdp", unit=True)]
    assert math.isnan(differs["year"]) and math.isnan(differs["rank"])
    assert differs["note"] == ("no shared year; each city's latest: "
                               + ", ".join(f"{city} {year}" for city, year in own_years.items()).replace(
                                   ", Shenzhen", " and Shenzhen"))
    assert differs["value_Shenzhen"] == value(ctx, "Shenzhen", 2021, "gdp")


def test_scoreboard_of_series_without_figures_is_an_empty_table_that_says_so(ctx):
    table = sheets.scoreboard(ctx.__class__(**{**vars(ctx), "data": ctx.data.iloc[0:0]}), ["rd_intensity"])
    assert table.frame.empty and table.legend == [ctx.msg("legend.no_figures")]


def test_difference_table_keeps_every_flag_as_a_mark_and_leaves_out_empty_pairs(ctx):
    # Shenzhen's 2018 figure is preliminary (test_shipped_data.py): its row carries ≈
    differences = sheets.differences(ctx, "rd_intensity", year=2018)
    table = sheets.difference_table(ctx, differences)
    marks = dict(zip(table.frame["peer"], table.frame["marks"]))
    flagged = ctx.data.loc[(ctx.data["indicator"] == "rd_intensity") & (ctx.data["year"] == 2018)]
    for city in ctx.peers:
        approximate = bool(flagged.loc[flagged["city"] == city, "approximate"].iloc[0]) or bool(
            flagged.loc[flagged["city"] == "Guangzhou", "approximate"].iloc[0])
        assert ("≈" in marks[city]) == approximate
    # a gap the data cannot measure shows no empty rows: the legend counts what is left out
    none = sheets.differences(ctx, "rd_intensity", year=1990)
    empty = sheets.difference_table(ctx, none)
    assert empty.frame.empty and empty.legend[0].startswith(f"{len(none)} indicator-peer pairs")
    assert empty.legend == [ctx.msg("legend.pairs_none", count=len(none))]     # no marks legend for no rows
    assert "<table" not in empty.to_html() and empty.legend[0] in empty.to_html()


def test_extra_spending_reads_already_above_where_the_focus_city_leads(ctx):
    # Shenzhen against Guangzhou: Shenzhen's intensity is higher in every shared year
    shenzhen = sheets.open_report("test", "Shenzhen", ["Beijing", "Guangzhou"], 2015, 2024, None, "en", None)
    table = sheets.extra_spending_table(shenzhen)
    row = table.frame.set_index("peer").loc["Guangzhou"]
    assert row["extra"] == "already above" and math.isnan(row["extra_pct"])
    assert table.raw.set_index("peer").at["Guangzhou", "extra"] < 0   # the raw metric keeps the number


def test_index_inputs_take_one_series_per_family_at_a_year_all_cities_share(ctx):
    inputs = sheets.index_inputs(ctx)
    families = ctx.catalogue.loc[inputs["indicator"].unique(), "family"]
    assert families.is_unique
    assert (inputs.groupby("indicator")["city"].nunique() == 4).all()
    assert (inputs.groupby("indicator")["year"].nunique() == 1).all()
    assert not set(inputs["indicator"]) & {"gdp", "resident_population"}


def test_index_tables_say_where_a_lower_bound_went_in(ctx):
    # mark one index input a lower bound, whether or not the shipped data has one there
    first = sheets.index_inputs(ctx).iloc[0]
    data = ctx.data.copy()
    data.loc[(data["city"] == first["city"]) & (data["year"] == first["year"])
             & (data["indicator"] == first["indicator"]), "lower_bound"] = True
    ctx = dataclasses.replace(ctx, data=data)
    inputs = sheets.index_inputs(ctx)
    table = sheets.index_inputs_table(ctx, inputs).frame.set_index("indicator")
    assert inputs["lower_bound"].sum() == 1
    label = ctx.labels.indicator(first["indicator"], unit=True)
    assert re.search(rf"▲\S* {ctx.labels.city(first['city'])}", table.at[label, "marks"])
    scores, sensitivity = sheets.composite_index(ctx, inputs, n_draws=200)
    ranking = sheets.index_table(ctx, scores, sensitivity)
    assert all("▲" in mark for mark in ranking.frame["marks"])  # min-max scores depend on every city's value


def test_tables_fit_the_page_and_speak_the_readers_language(ctx):
    chinese = in_language(ctx, "zh")
    tables = [sheets.overview_scoreboard(chinese), sheets.difference_table(chinese, sheets.differences(
        chinese, "rd_intensity")), sheets.extra_spending_table(chinese), sheets.catch_up_table(chinese, "rd_intensity")]
    for table in tables:
        assert len(table.columns) <= 10, table.name
        headers = " ".join(c.label for c in table.columns)
        assert not any(word in headers.lower() for word in ("peer", "year", "value", "note")), table.name
        text = table.display_frame().to_string()
        assert "nan" not in text.lower() and "True" not in text and "False" not in text
