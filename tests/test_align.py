"""Alignment (analysis._align): the panel, the compared rows, the years used and the vintage
rule, on the hand-built ``four_cities`` panel (see conftest.py)."""

import numpy as np
import pandas as pd
import pytest

from analysis import _align
from analysis.errors import InvalidArgumentError, UnknownCityError, UnknownIndicatorError

PEERS = ["Beijing", "Shanghai", "Shenzhen"]


def test_panel_encodes_each_row(four_cities):
    panel = _align.panel(four_cities)
    assert len(panel) == len(four_cities)
    assert panel.cities == ("Guangzhou", "Beijing", "Shanghai", "Shenzhen")
    assert panel.indicators == ("gdp", "rd_expenditure", "rd_intensity", "patents", "university_rank")
    row = four_cities.index[(four_cities["city"] == "Shenzhen") & (four_cities["year"] == 2021)
                            & (four_cities["indicator"] == "rd_intensity")][0]
    assert (panel.cities[panel.city[row]], panel.indicators[panel.indicator[row]]) == ("Shenzhen", "rd_intensity")
    assert (panel.year[row], panel.value[row], panel.flags["lower_bound"][row]) == (2021, 5.5, True)
    assert dict(zip(panel.indicators, panel.units))["rd_intensity"] == "percent"
    assert "5 indicators" in repr(panel)


def test_flags_count_only_on_rows_with_a_value(four_cities):
    data = four_cities.copy()
    data.loc[0, ["value", "approximate"]] = [np.nan, True]
    assert not _align.panel(data).flags["approximate"][0]


def test_several_units_for_one_indicator_are_refused_when_units_are_needed(four_cities):
    data = four_cities.copy()
    data.loc[data["city"] == "Beijing", "unit"] = "other"
    panel = _align.panel(data)                               # checking the rows does not need units
    with pytest.raises(InvalidArgumentError, match="several units in data: gdp: 100 million yuan, other"):
        _ = panel.units


@pytest.mark.parametrize("far_apart", [False, True])
def test_rows_at_finds_each_figure_and_nothing_else(four_cities, far_apart):
    data = four_cities.copy()
    if far_apart:                                   # a year span too wide for a dense table: sorted keys
        data.loc[data["year"] == 2021, "year"] = 4_000_000
    panel = _align.panel(data)
    rows = panel.rows_at(panel.indicator, panel.city, panel.year)
    assert (rows == np.arange(len(data))).all()
    assert (panel.rows_at([0, 0], [0, 0], [1990, 2019], known=[True, False]) == -1).all()


def test_prepare_checks_cities_and_indicators_against_the_data(four_cities, empty):
    prepared = _align.prepare(four_cities, "Shanghai", ["Beijing", "Shanghai"], ["patents", "gdp"])
    assert prepared.cities == ["Shanghai", "Beijing"] and prepared.indicators == ["patents", "gdp"]
    assert len(prepared.rows) == 5 + 6                 # Beijing lacks 2020 patents
    assert set(np.asarray(prepared.cities)[prepared.city]) == {"Shanghai", "Beijing"}
    with pytest.raises(UnknownCityError, match="unknown city 'Paris' in focus/peers; cities in data: Beijing"):
        _align.prepare(four_cities, "Paris", PEERS)
    with pytest.raises(UnknownIndicatorError, match="unknown indicator 'x'; indicators in data: gdp"):
        _align.prepare(four_cities, "Guangzhou", PEERS, ["x"])
    with pytest.raises(InvalidArgumentError, match="data has no rows"):
        _align.prepare(empty, "Guangzhou", PEERS)
    with pytest.raises(InvalidArgumentError, match="peers is empty"):
        _align.prepare(four_cities, "Guangzhou", [])


@pytest.mark.parametrize("year, expected", [
    ("common", [2020, 2020, 2020, 2020, 2021, 2021, 2021, 2021]),
    ("own", [2021, 2021, 2021, 2020, 2021, 2021, 2021, 2021]),
    (2019, [2019] * 8),
])
def test_years_used_per_indicator_and_city(four_cities, year, expected):
    prepared = _align.prepare(four_cities, "Guangzhou", PEERS, ["rd_expenditure", "patents"])
    years = _align.years_used(prepared, year)
    assert years.year.tolist() == expected and years.known.all() and (years.missing == "").all()


def test_no_year_says_why(four_cities):
    data = four_cities[~((four_cities["city"] == "Shenzhen") & (four_cities["indicator"] == "patents"))]
    prepared = _align.prepare(data, "Guangzhou", PEERS, "patents")
    common = _align.years_used(prepared, "common")
    assert not common.known.any()
    assert set(common.missing) == {"no year in which all of Guangzhou, Beijing, Shanghai, Shenzhen have a value"}
    own = _align.years_used(prepared, "own")
    assert own.known.tolist() == [True, True, True, False]
    assert own.missing[3] == "Shenzhen: no value in any year"
    assert own.as_array().isna().tolist() == [False, False, False, True]


def test_values_at_reads_each_cell_and_names_the_holes(four_cities):
    prepared = _align.prepare(four_cities, "Guangzhou", PEERS, "patents")
    values = _align.values_at(prepared, _align.years_used(prepared, 2020))
    assert values["city"].tolist() == ["Guangzhou", "Beijing", "Shanghai", "Shenzhen"]
    assert values["value"].iloc[[0, 2, 3]].tolist() == [200.0, 1500.0, 300.0] and np.isnan(values["value"][1])
    assert values["missing"].tolist() == ["", "Beijing 2020: no value", "", ""]
    assert values["unit"].tolist() == ["count"] * 4 and str(values["year"].dtype) == "Int64"


def test_pair_with_focus_puts_the_focus_beside_each_peer_in_city_order(four_cities):
    prepared = _align.prepare(four_cities, "Beijing", ["Shenzhen", "Beijing", "Guangzhou"], ["gdp", "patents"])
    pairs = _align.pair_with_focus(_align.values_at(prepared, _align.years_used(prepared, 2019)), prepared)
    assert pairs["peer"].tolist() == ["Beijing", "Shenzhen", "Guangzhou"] * 2     # compared cities' order
    assert pairs["indicator"].tolist() == ["gdp"] * 3 + ["patents"] * 3
    assert set(pairs["focus"]) == {"Beijing"}
    assert pairs["focus_value"].tolist() == [30000.0] * 3 + [1600.0] * 3
    assert pairs["peer_value"].tolist() == [30000.0, 26000.0, 20000.0, 1600.0, 300.0, 100.0]


def test_vintage_break_only_where_both_figures_exist_and_labels_differ():
    reason = _align.vintage_break([2018, 2018, 2018], ["", "a", "a"], [2020, 2020, 2020], ["", "b", "b"],
                                  [True, True, False], pd.RangeIndex(3))
    assert reason.eq("").tolist() == [True, False, True]
    assert list(reason.texts) == ["vintages differ: 2018 'a' vs 2020 'b'"]
    unlabelled = _align.vintage_break([2019], [""], [2020], ["census"], [True], pd.RangeIndex(1))
    assert list(unlabelled.texts) == ["vintages differ: 2019 (none recorded) vs 2020 'census'"]
