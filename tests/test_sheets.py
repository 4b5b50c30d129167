"""Tear sheets: the sentences and tables notebooks show are computed from the data, years
are never mixed silently, and recording writes nothing unless a report run asks for it."""

from __future__ import annotations

import dataclasses
import json
import math

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import sheets  # noqa: E402
from analysis.outputs import Recorder  # noqa: E402


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


def test_since_2018_marks_changes_computed_from_a_lower_bound(ctx):
    text = sheets.since_base_year(ctx, "high_tech_enterprises")
    # Guangzhou 2018 is the report's "突破1.1万": the change from it is at most, not exactly
    assert "Guangzhou ≥11,000 (2018)" in text and "≤+" in text


def test_scoreboard_uses_one_shared_year_or_says_the_years_differ(ctx):
    board = sheets.scoreboard(ctx, ["rd_intensity", "enterprise_rd_share"])
    shared = board.loc["R&D intensity (R&D expenditure / GDP)"]
    year = int(shared["year"])
    assert shared["Guangzhou"] == value(ctx, "Guangzhou", year, "rd_intensity")
    assert shared["Beijing"] == value(ctx, "Beijing", year, "rd_intensity")
    assert shared["Guangzhou rank"] == 1 + sum(
        value(ctx, peer, year, "rd_intensity") > shared["Guangzhou"] for peer in ctx.peers)
    differs = board.iloc[1]
    assert differs["year"] == "differs" and math.isnan(differs["Guangzhou rank"])
    assert "no shared year" in differs["note"] and "Beijing 2018" in differs["note"]


def test_index_inputs_take_one_series_per_family_at_a_year_all_cities_share(ctx):
    inputs = sheets.index_inputs(ctx)
    families = ctx.catalogue.loc[inputs["indicator"].unique(), "family"]
    assert families.is_unique
    assert (inputs.groupby("indicator")["city"].nunique() == 4).all()
    assert (inputs.groupby("indicator")["year"].nunique() == 1).all()
    assert not set(inputs["indicator"]) & {"gdp", "resident_population"}


def test_recorder_writes_only_when_a_report_run_gives_a_folder(tmp_path):
    quiet = Recorder(None, "nb")
    assert quiet.value("x", 1.5) == 1.5 and quiet.values == {"x": 1.5}
    loud = Recorder(tmp_path, "nb")
    loud.value("gap", 3.44 - 6.73)
    loud.value("missing", float("nan"))
    loud.table("t", pd.DataFrame({"a": [1, 2]}, index=["x", "y"]))
    stored = json.loads((tmp_path / "summary" / "nb.json").read_text(encoding="utf-8"))
    assert stored == {"gap": -3.29, "missing": None}
    assert pd.read_csv(tmp_path / "tables" / "nb" / "t.csv", index_col=0)["a"].tolist() == [1, 2]
    assert list(tmp_path.iterdir()) and not list((tmp_path).glob("figures"))


def test_since_2018_refuses_to_difference_across_a_census_revision(ctx):
    text = sheets.since_base_year(ctx, "resident_population")
    rows = ctx.data.loc[(ctx.data["indicator"] == "resident_population") & (ctx.data["year"] >= 2018)]
    for city in ctx.params.cities:
        own = rows.loc[rows["city"] == city].sort_values("year")
        first, last = own["vintage"].iloc[0], own["vintage"].iloc[-1]
        assert first and last and first != last  # the 2020 census sits between them
        assert f"{city} (releases differ: {first} vs {last})" in text
    assert "→" not in text


def test_since_2018_marks_approximate_figures(ctx):
    text = sheets.since_base_year(ctx, "rd_intensity")
    rows = ctx.data.loc[(ctx.data["indicator"] == "rd_intensity") & (ctx.data["year"] == 2018)
                        & ctx.data["approximate"]]
    assert not rows.empty  # Shanghai's "about 4%" and Shenzhen's preliminary 4.2
    for row in rows.itertuples():
        if row.vintage:  # a preliminary release is not differenced against a final one
            assert f"{row.city} (releases differ: {row.vintage} vs none recorded)" in text
        else:
            assert f"{row.city} ≈{row.value:.4g} (2018)" in text


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
