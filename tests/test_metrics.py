"""Tests of analysis.metrics on the hand-built ``four_cities`` panel (see conftest.py)."""

import math

import numpy as np
import pandas as pd
import pytest

from analysis import metrics

CITIES = ["Guangzhou", "Beijing", "Shanghai", "Shenzhen"]


def row(frame, **where):
    """The single row of ``frame`` matching ``where``."""
    mask = np.logical_and.reduce([frame[column] == value for column, value in where.items()])
    assert mask.sum() == 1, f"expected one row for {where}, found {mask.sum()}"
    return frame.loc[mask].iloc[0]


# --------------------------------------------------------------------------- year alignment

@pytest.mark.parametrize("indicator, year, expected_years", [
    ("rd_expenditure", "common", {"Guangzhou": 2020, "Beijing": 2020, "Shanghai": 2020, "Shenzhen": 2020}),
    ("rd_expenditure", "own", {"Guangzhou": 2021, "Beijing": 2021, "Shanghai": 2021, "Shenzhen": 2020}),
    ("rd_intensity", "common", {"Guangzhou": 2021, "Beijing": 2021, "Shanghai": 2021, "Shenzhen": 2021}),
    ("patents", "common", {"Guangzhou": 2021, "Beijing": 2021, "Shanghai": 2021, "Shenzhen": 2021}),
])
def test_latest_comparable_year_reports_year_per_city(four_cities, indicator, year, expected_years):
    out = metrics.latest_comparable_year(four_cities, indicators=indicator, year=year)
    assert list(out["city"]) == CITIES
    assert dict(zip(out["city"], out["year"])) == expected_years
    assert (out["missing"] == "").all()


def test_latest_comparable_year_values_and_unit(four_cities):
    out = metrics.latest_comparable_year(four_cities, indicators="rd_expenditure")
    assert dict(zip(out["city"], out["value"])) == {
        "Guangzhou": 600.0, "Beijing": 2160.0, "Shanghai": 1638.0, "Shenzhen": 1485.0}
    assert set(out["unit"]) == {"100 million yuan"}


def test_no_common_year_gives_na_and_says_why(four_cities):
    data = four_cities[~((four_cities["city"] == "Guangzhou") & (four_cities["year"] == 2021))]
    out = metrics.latest_comparable_year(data, indicators="university_rank")
    assert out["year"].isna().all()
    assert out["value"].isna().all()
    assert out["missing"].str.startswith("no year in which all of Guangzhou, Beijing").all()


def test_own_year_without_any_value_is_missing(four_cities):
    data = four_cities[~((four_cities["city"] == "Shanghai") & (four_cities["indicator"] == "patents"))]
    out = metrics.latest_comparable_year(data, indicators="patents", year="own")
    shanghai = row(out, city="Shanghai")
    assert pd.isna(shanghai["year"]) and math.isnan(shanghai["value"])
    assert shanghai["missing"] == "Shanghai: no value in any year"


# ----------------------------------------------------------------------------- difference

@pytest.mark.parametrize("indicator, year, peer, difference, ratio, difference_pct, peer_year, lower_bound", [
    ("rd_intensity", "common", "Beijing", -3.0, 0.5, -50.0, 2021, False),
    ("rd_intensity", "common", "Shanghai", -1.3, 3.0 / 4.3, -1.3 / 4.3 * 100, 2021, False),
    ("rd_intensity", "common", "Shenzhen", -2.5, 3.0 / 5.5, -2.5 / 5.5 * 100, 2021, True),
    ("rd_expenditure", "common", "Beijing", -1560.0, 600 / 2160, -1560 / 2160 * 100, 2020, False),
    ("rd_expenditure", "own", "Shenzhen", -735.0, 750 / 1485, -735 / 1485 * 100, 2020, False),
    ("patents", 2019, "Beijing", -1500.0, 100 / 1600, -93.75, 2019, False),
])
def test_difference_expected_values(four_cities, indicator, year, peer, difference, ratio, difference_pct,
                                    peer_year, lower_bound):
    out = metrics.difference(four_cities, indicators=indicator, year=year)
    result = row(out, peer=peer)
    assert result["difference"] == pytest.approx(difference)
    assert result["ratio"] == pytest.approx(ratio)
    assert result["difference_pct"] == pytest.approx(difference_pct)
    assert result["peer_year"] == peer_year
    assert bool(result["lower_bound"]) == lower_bound
    assert result["missing"] == ""


def test_difference_units_percent_becomes_percentage_points(four_cities):
    out = metrics.difference(four_cities, indicators=["rd_intensity", "gdp"])
    units = dict(zip(out["indicator"], out["difference_unit"]))
    assert units == {"rd_intensity": "percentage points", "gdp": "100 million yuan"}


def test_difference_reports_year_of_each_city_when_they_differ(four_cities):
    out = metrics.difference(four_cities, indicators="gdp", year="own")
    shenzhen = row(out, peer="Shenzhen")
    assert (shenzhen["focus_year"], shenzhen["peer_year"]) == (2021, 2020)


def test_difference_to_itself_is_zero(four_cities):
    out = metrics.difference(four_cities, focus="Beijing", peers=["Beijing"], year="own")
    assert len(out) == 5
    assert (out["difference"] == 0).all()
    assert (out["ratio"] == 1).all()
    assert (out["difference_pct"] == 0).all()


def test_difference_missing_value_is_nan_not_zero(four_cities):
    out = metrics.difference(four_cities, indicators="patents", year=2020)
    beijing = row(out, peer="Beijing")
    assert math.isnan(beijing["difference"]) and math.isnan(beijing["ratio"]) and math.isnan(beijing["difference_pct"])
    assert beijing["missing"] == "Beijing 2020: no value"
    assert row(out, peer="Shanghai")["difference"] == pytest.approx(200 - 1500)


def test_difference_zero_peer_value_gives_nan_ratio(four_cities):
    data = four_cities.copy()
    data.loc[(data["city"] == "Shenzhen") & (data["indicator"] == "patents"), "value"] = 0.0
    shenzhen = row(metrics.difference(data, indicators="patents"), peer="Shenzhen")
    assert shenzhen["difference"] == 400.0
    assert math.isnan(shenzhen["ratio"]) and math.isnan(shenzhen["difference_pct"])
    assert "peer value is 0" in shenzhen["missing"]


def test_difference_propagates_approximate_flag(four_cities):
    out = metrics.difference(four_cities, indicators="patents", year="common")
    assert out["approximate"].all()     # Guangzhou's 2021 patents are approximate
    assert not out["lower_bound"].any()


def test_gap_is_a_deprecated_alias_with_the_old_column_names(four_cities):
    new = metrics.difference(four_cities, year="own")
    with pytest.warns(DeprecationWarning, match="metrics.gap is deprecated; use metrics.difference"):
        old = metrics.gap(four_cities, year="own")
    renamed = {"gap_abs": "difference", "gap_abs_unit": "difference_unit", "gap_ratio": "ratio",
               "gap_pct": "difference_pct"}
    assert set(renamed) <= set(old.columns) and not set(renamed.values()) & set(old.columns)
    pd.testing.assert_frame_equal(old.rename(columns=renamed), new)


# ----------------------------------------------------------------------------------- rank

@pytest.mark.parametrize("indicator, year, expected", [
    ("patents", 2021, {"Shanghai": 1, "Beijing": 2, "Guangzhou": 3, "Shenzhen": 4}),
    ("university_rank", 2021, {"Beijing": 1, "Shanghai": 2, "Guangzhou": 3, "Shenzhen": 4}),
    ("rd_intensity", 2021, {"Beijing": 1, "Shenzhen": 2, "Shanghai": 3, "Guangzhou": 4}),
    ("rd_intensity", 2019, {"Beijing": 1, "Shenzhen": 2, "Guangzhou": 3}),
])
def test_rank_expected_values(four_cities, four_cities_catalogue, indicator, year, expected):
    out = metrics.rank(four_cities, four_cities_catalogue, indicators=indicator)
    ranked = out[(out["year"] == year) & out["rank"].notna()]
    assert dict(zip(ranked["city"], ranked["rank"])) == expected
    assert set(out.loc[out["year"] == year, "n_ranked"]) == {len(expected)}


def test_rank_missing_city_is_nan_with_reason(four_cities, four_cities_catalogue):
    out = metrics.rank(four_cities, four_cities_catalogue, indicators="rd_intensity")
    shanghai = row(out, city="Shanghai", year=2019)
    assert math.isnan(shanghai["rank"])
    assert shanghai["missing"] == "Shanghai 2019: no value"


def test_rank_context_indicator_is_not_ranked(four_cities, four_cities_catalogue):
    out = metrics.rank(four_cities, four_cities_catalogue, indicators="gdp")
    assert out["rank"].isna().all()
    assert (out["missing"].str.contains("direction 0")).all()


def test_rank_lower_bound_flags_whole_comparison(four_cities, four_cities_catalogue):
    out = metrics.rank(four_cities, four_cities_catalogue, indicators="rd_intensity")
    assert out.loc[out["year"] == 2021, "lower_bound"].all()
    assert not out.loc[out["year"] != 2021, "lower_bound"].any()


def test_rank_accepts_direction_mapping(four_cities):
    out = metrics.rank(four_cities, {"university_rank": 1}, indicators="university_rank")
    assert row(out, city="Shenzhen", year=2021)["rank"] == 1.0


@pytest.mark.parametrize("factor", [0.001, 7.3, 1e6])
def test_rank_unchanged_by_positive_rescaling(four_cities, four_cities_catalogue, factor):
    rescaled = four_cities.assign(value=four_cities["value"] * factor)
    before = metrics.rank(four_cities, four_cities_catalogue)["rank"]
    after = metrics.rank(rescaled, four_cities_catalogue)["rank"]
    pd.testing.assert_series_equal(before, after)


def test_rank_ties_share_best_rank(four_cities, four_cities_catalogue):
    data = four_cities.copy()
    data.loc[(data["indicator"] == "patents") & (data["year"] == 2021) & (data["city"] == "Beijing"), "value"] = 4500
    out = metrics.rank(data, four_cities_catalogue, indicators="patents")
    ranks = out[out["year"] == 2021].set_index("city")["rank"]
    assert ranks.to_dict() == {"Guangzhou": 3.0, "Beijing": 1.0, "Shanghai": 1.0, "Shenzhen": 4.0}


# --------------------------------------------------------------------------------- growth

@pytest.mark.parametrize("city, year, expected", [
    ("Guangzhou", 2020, 100.0),
    ("Guangzhou", 2021, 100.0),
    ("Shanghai", 2021, 200.0),
    ("Shenzhen", 2021, 0.0),
])
def test_growth_yoy_expected_values(four_cities, city, year, expected):
    out = metrics.growth_yoy(four_cities, indicators="patents")
    result = row(out, city=city, year=year)
    assert result["growth_pct"] == pytest.approx(expected)
    assert result["previous_year"] == year - 1


def test_growth_yoy_does_not_bridge_a_missing_year(four_cities):
    out = metrics.growth_yoy(four_cities, indicators="patents")
    beijing = row(out, city="Beijing", year=2021)
    assert math.isnan(beijing["growth_pct"])
    assert beijing["missing"] == "Beijing 2020: no value"


def test_growth_yoy_flags_from_either_year(four_cities):
    out = metrics.growth_yoy(four_cities, indicators="patents")
    assert row(out, city="Guangzhou", year=2021)["approximate"]
    assert not row(out, city="Guangzhou", year=2020)["approximate"]


@pytest.mark.parametrize("city, expected", [
    ("Guangzhou", (750 / 500) ** 0.5 * 100 - 100),
    ("Beijing", (2400 / 1800) ** 0.5 * 100 - 100),
    ("Shanghai", (1720 / 1520) ** 0.5 * 100 - 100),
])
def test_growth_cagr_expected_values(four_cities, city, expected):
    out = metrics.growth_cagr(four_cities, indicators="rd_expenditure", window=2)
    result = row(out, city=city)
    assert result["cagr_pct"] == pytest.approx(expected)
    assert (result["start_year"], result["end_year"], result["window"]) == (2019, 2021, 2)


def test_growth_cagr_missing_start_is_nan(four_cities):
    out = metrics.growth_cagr(four_cities, indicators="rd_expenditure", window=2)
    shenzhen = row(out, city="Shenzhen")
    assert shenzhen["end_year"] == 2020
    assert math.isnan(shenzhen["cagr_pct"])
    assert shenzhen["missing"] == "Shenzhen 2018: no value"


def test_growth_cagr_non_positive_start_is_nan(four_cities):
    data = four_cities.copy()
    data.loc[(data["indicator"] == "patents") & (data["city"] == "Shenzhen") & (data["year"] == 2019), "value"] = 0
    shenzhen = row(metrics.growth_cagr(data, indicators="patents", window=2), city="Shenzhen")
    assert math.isnan(shenzhen["cagr_pct"])
    assert "positive start value" in shenzhen["missing"]


# ------------------------------------------------------------------------------- catch-up

@pytest.mark.parametrize("indicator, peer, reach, overtake", [
    # Guangzhou patents 400 growing 100 %/yr (2019-2021)
    ("patents", "Beijing", ("projected", 2025), ("projected", 2029)),     # 3600, +50 %/yr
    ("patents", "Shanghai", ("projected", 2025), ("never", None)),        # 4500, +200 %/yr
    ("patents", "Shenzhen", ("already", None), ("already", None)),        # 300, flat
    # university_rank, lower is better: Guangzhou 200 -> 50, i.e. -50 %/yr
    ("university_rank", "Beijing", ("projected", 2022), ("projected", 2022)),   # 25, flat
    ("university_rank", "Shanghai", ("projected", 2022), ("unknown", None)),    # 40, no growth rate
    ("university_rank", "Shenzhen", ("already", None), ("already", None)),      # 100
])
def test_catch_up_expected_years(four_cities, four_cities_catalogue, indicator, peer, reach, overtake):
    out = metrics.catch_up(four_cities, four_cities_catalogue, indicators=indicator, window=2)
    result = row(out, peer=peer)
    assert (result["reach_status"], _year(result["reach_year"])) == reach
    assert (result["overtake_status"], _year(result["overtake_year"])) == overtake
    assert result["window"] == 2


def _year(value):
    return None if pd.isna(value) else int(value)


def test_catch_up_states_growth_used(four_cities, four_cities_catalogue):
    out = metrics.catch_up(four_cities, four_cities_catalogue, indicators="patents", window=2)
    beijing = row(out, peer="Beijing")
    assert beijing["focus_cagr_pct"] == pytest.approx(100.0)
    assert beijing["peer_cagr_pct"] == pytest.approx(50.0)
    assert (beijing["focus_year"], beijing["peer_year"]) == (2021, 2021)


def test_catch_up_never_when_focus_not_growing(four_cities, four_cities_catalogue):
    out = metrics.catch_up(four_cities, four_cities_catalogue, focus="Shenzhen", peers=["Beijing"],
                           indicators="patents", window=2)
    assert (out["reach_status"].iloc[0], out["overtake_status"].iloc[0]) == ("never", "never")
    assert out["reach_year"].isna().all()


def test_catch_up_context_indicator_is_unknown(four_cities, four_cities_catalogue):
    out = metrics.catch_up(four_cities, four_cities_catalogue, indicators="gdp", window=1)
    assert set(out["reach_status"]) == {"unknown"}
    assert out["missing"].str.contains("direction 0").all()


# --------------------------------------------------------------------- what it would take

@pytest.mark.parametrize("year, peer, extra, peer_ratio, source, lower_bound", [
    ("common", "Beijing", 750.0, 6.0, "reported", False),      # 6 % of 25000 - 750
    ("common", "Shanghai", 325.0, 4.3, "reported", False),
    ("common", "Shenzhen", 625.0, 5.5, "reported", True),      # Shenzhen's 5.5 % is a lower bound
    (2020, "Beijing", 900.0, 6.0, "reported", False),
    (2019, "Shanghai", 300.0, 4.0, "computed", False),         # 1520 / 38000 x 100
])
def test_extra_needed_to_match_expected(four_cities, four_cities_catalogue, year, peer, extra, peer_ratio, source,
                                        lower_bound):
    out = metrics.extra_needed_to_match(four_cities, four_cities_catalogue, year=year)
    result = row(out, peer=peer)
    assert result["extra"] == pytest.approx(extra)
    assert result["peer_ratio"] == pytest.approx(peer_ratio)
    assert result["peer_ratio_source"] == source
    assert bool(result["lower_bound"]) == lower_bound
    assert result["unit"] == "100 million yuan"
    assert result["missing"] == ""


def test_extra_needed_to_match_details(four_cities, four_cities_catalogue):
    beijing = row(metrics.extra_needed_to_match(four_cities, four_cities_catalogue), peer="Beijing")
    assert (beijing["focus_year"], beijing["peer_year"]) == (2021, 2021)
    assert beijing["focus_ratio"] == pytest.approx(3.0)
    assert beijing["needed_numerator"] == pytest.approx(1500.0)
    assert beijing["extra_pct"] == pytest.approx(100.0)
    assert beijing["ratio_unit"] == "percent"


def test_extra_needed_to_match_is_zero_against_itself(four_cities, four_cities_catalogue):
    out = metrics.extra_needed_to_match(four_cities, four_cities_catalogue, focus="Beijing", peers=["Beijing"])
    assert out["extra"].iloc[0] == pytest.approx(0.0)


def test_extra_needed_to_match_missing_year_is_nan(four_cities, four_cities_catalogue):
    out = metrics.extra_needed_to_match(four_cities, four_cities_catalogue, year=2022)
    assert out["extra"].isna().all()
    assert out["missing"].str.startswith("Guangzhou 2022: no rd_expenditure and no gdp").all()
    assert "Beijing 2022: no rd_intensity" in row(out, peer="Beijing")["missing"]


def test_extra_needed_to_match_rejects_non_ratio(four_cities, four_cities_catalogue):
    with pytest.raises(ValueError, match="'patents' is not a ratio indicator.*ratio indicators: rd_intensity"):
        metrics.extra_needed_to_match(four_cities, four_cities_catalogue, indicator="patents")


def test_extra_needed_to_match_needs_parts_in_data(four_cities, four_cities_catalogue):
    data = four_cities[four_cities["indicator"] != "gdp"]
    with pytest.raises(ValueError, match="gdp is not in data"):
        metrics.extra_needed_to_match(data, four_cities_catalogue)


# ------------------------------------------------------------------------ errors and purity

CALLS = {
    "latest_comparable_year": lambda data, cat, **kw: metrics.latest_comparable_year(data, **kw),
    "difference": lambda data, cat, **kw: metrics.difference(data, **kw),
    "rank": lambda data, cat, **kw: metrics.rank(data, cat, **kw),
    "growth_yoy": lambda data, cat, **kw: metrics.growth_yoy(data, **kw),
    "growth_cagr": lambda data, cat, **kw: metrics.growth_cagr(data, **kw),
    "change_since": lambda data, cat, **kw: metrics.change_since(data, start_year=2019, **kw),
    "catch_up": lambda data, cat, **kw: metrics.catch_up(data, cat, **kw),
    "extra_needed_to_match": lambda data, cat, **kw: metrics.extra_needed_to_match(data, cat, **kw),
}


@pytest.mark.parametrize("name", CALLS)
def test_inputs_not_mutated(four_cities, four_cities_catalogue, name):
    data_before, catalogue_before = four_cities.copy(deep=True), four_cities_catalogue.copy(deep=True)
    out = CALLS[name](four_cities, four_cities_catalogue)
    assert len(out) > 0
    pd.testing.assert_frame_equal(four_cities, data_before)
    pd.testing.assert_frame_equal(four_cities_catalogue, catalogue_before)
    assert isinstance(out.index, pd.RangeIndex)


@pytest.mark.parametrize("name", CALLS)
def test_unknown_city_lists_known_ones(four_cities, four_cities_catalogue, name):
    with pytest.raises(ValueError, match="unknown city 'Hangzhou'.*Beijing, Guangzhou, Shanghai, Shenzhen"):
        CALLS[name](four_cities, four_cities_catalogue, peers=["Beijing", "Hangzhou"])


@pytest.mark.parametrize("name", CALLS)
def test_duplicated_keys_are_named(four_cities, four_cities_catalogue, name):
    duplicated = pd.concat([four_cities, four_cities.iloc[[0]]], ignore_index=True)
    with pytest.raises(ValueError, match=r"several rows for 1 \(city, year, indicator\) key\(s\): Guangzhou 2019 gdp"):
        CALLS[name](duplicated, four_cities_catalogue)


@pytest.mark.parametrize("name", CALLS)
def test_empty_data_is_a_clear_error(empty, four_cities_catalogue, name):
    # empty input used to fail with "unknown city 'Guangzhou' ...; cities in data: ."
    with pytest.raises(metrics.InvalidArgumentError, match="data has no rows; give observations of the focus city"):
        CALLS[name](empty, four_cities_catalogue)


@pytest.mark.parametrize("name", CALLS)
def test_a_panel_checked_once_gives_the_same_result_as_the_frame(four_cities, four_cities_catalogue, name):
    checked = metrics.panel(four_cities)
    assert metrics.panel(checked) is checked
    pd.testing.assert_frame_equal(CALLS[name](checked, four_cities_catalogue),
                                  CALLS[name](four_cities, four_cities_catalogue))


@pytest.mark.parametrize("name", [name for name in CALLS if name != "extra_needed_to_match"])
def test_a_year_far_from_the_others_changes_nothing_else(four_cities, four_cities_catalogue, name):
    # one figure 12,000 years before the rest: the years are then indexed sparsely, not densely
    far = pd.concat([four_cities, four_cities.iloc[[0]].assign(indicator="ancient", year=-10_000)],
                    ignore_index=True)
    catalogue = pd.concat([four_cities_catalogue, four_cities_catalogue.loc[["gdp"]].rename(index={"gdp": "ancient"})])
    out = CALLS[name](far, catalogue)
    out = out[out["indicator"] != "ancient"].reset_index(drop=True)
    pd.testing.assert_frame_equal(out, CALLS[name](four_cities, four_cities_catalogue))


def test_a_panel_is_read_only_and_independent_of_its_frame(four_cities):
    data = four_cities.copy()
    checked = metrics.panel(data)
    before = metrics.difference(checked)
    data.loc[:, "value"] = 0.0
    pd.testing.assert_frame_equal(metrics.difference(checked), before)
    with pytest.raises(ValueError, match="read-only"):
        checked.value[0] = 1.0


@pytest.mark.parametrize("name", [name for name in CALLS if name != "extra_needed_to_match"])
def test_unknown_indicator_lists_known_ones(four_cities, four_cities_catalogue, name):
    with pytest.raises(ValueError, match="unknown indicator 'patent'.*gdp, patents, rd_expenditure"):
        CALLS[name](four_cities, four_cities_catalogue, indicators=["patent"])


@pytest.mark.parametrize("name", ["latest_comparable_year", "difference", "growth_cagr", "catch_up",
                                  "extra_needed_to_match"])
def test_unknown_year_option_names_allowed(four_cities, four_cities_catalogue, name):
    with pytest.raises(ValueError, match="year must be an int or one of 'common', 'own'; got 'latest'"):
        CALLS[name](four_cities, four_cities_catalogue, year="latest")


def test_mode_is_a_deprecated_name_of_year(four_cities):
    with pytest.warns(DeprecationWarning, match="mode=...\\) is deprecated; use year="):
        by_mode = metrics.latest_comparable_year(four_cities, mode="own")
    pd.testing.assert_frame_equal(by_mode, metrics.latest_comparable_year(four_cities, year="own"))
    with pytest.warns(DeprecationWarning), \
            pytest.raises(ValueError, match="mode must be one of 'common', 'own'; got 2021"):
        metrics.latest_comparable_year(four_cities, mode=2021)


def test_latest_comparable_year_at_an_explicit_year(four_cities):
    out = metrics.latest_comparable_year(four_cities, indicators="patents", year=2020)
    assert set(out["year"]) == {2020}
    assert row(out, city="Beijing")["missing"] == "Beijing 2020: no value"
    assert row(out, city="Shanghai")["value"] == 1500.0


@pytest.mark.parametrize("window", [0, 2.5, True])
def test_bad_window_rejected(four_cities, window):
    with pytest.raises(ValueError, match="window must be a whole number of years >= 1"):
        metrics.growth_cagr(four_cities, window=window)


def test_empty_peers_rejected(four_cities):
    with pytest.raises(ValueError, match="peers is empty"):
        metrics.difference(four_cities, peers=[])


def test_indicator_missing_from_catalogue(four_cities, four_cities_catalogue):
    message = r"unknown indicator 'patents' \(not in the catalogue\); catalogue codes: gdp"
    with pytest.raises(ValueError, match=message):
        metrics.rank(four_cities, four_cities_catalogue.drop(index="patents"))


def test_missing_column_named(four_cities):
    with pytest.raises(ValueError, match="data lacks column\\(s\\) unit"):
        metrics.difference(four_cities.drop(columns="unit"))


def test_single_peer_string_is_one_city(four_cities):
    out = metrics.difference(four_cities, peers="Beijing", indicators="gdp")
    assert list(out["peer"]) == ["Beijing"]


# ------------------------------------------------------------------------------- vintages

def with_vintages(data, vintages):
    """``data`` with ``vintage`` set for {(city, year, indicator): label} (others keep theirs)."""
    data = data.copy()
    for (city, year, code), label in vintages.items():
        mask = (data["city"] == city) & (data["year"] == year) & (data["indicator"] == code)
        assert mask.sum() == 1
        data.loc[mask, "vintage"] = label
    return data


def test_growth_yoy_across_vintages_is_nan_with_reason(four_cities):
    data = with_vintages(four_cities, {("Guangzhou", 2019, "patents"): "first release",
                                       ("Guangzhou", 2020, "patents"): "revised",
                                       ("Guangzhou", 2021, "patents"): "revised"})
    out = metrics.growth_yoy(data, indicators="patents")
    switch = row(out, city="Guangzhou", year=2020)
    assert math.isnan(switch["growth_pct"])
    assert switch["missing"] == "vintages differ: 2019 'first release' vs 2020 'revised'"
    assert (switch["previous_vintage"], switch["vintage"]) == ("first release", "revised")
    same = row(out, city="Guangzhou", year=2021)           # 200 -> 400, both 'revised'
    assert same["growth_pct"] == pytest.approx(100.0) and same["missing"] == ""
    assert row(out, city="Shanghai", year=2021)["growth_pct"] == pytest.approx(200.0)    # both unlabelled


def test_growth_yoy_unlabelled_does_not_match_labelled(four_cities):
    # a census count among unlabelled estimates: neither step touching it is computed
    data = with_vintages(four_cities, {("Guangzhou", 2020, "patents"): "census count (2020-11-01)"})
    out = metrics.growth_yoy(data, indicators="patents")
    into, out_of = row(out, city="Guangzhou", year=2020), row(out, city="Guangzhou", year=2021)
    assert math.isnan(into["growth_pct"]) and math.isnan(out_of["growth_pct"])
    assert into["missing"] == "vintages differ: 2019 (none recorded) vs 2020 'census count (2020-11-01)'"
    assert out_of["missing"] == "vintages differ: 2020 'census count (2020-11-01)' vs 2021 (none recorded)"


def test_growth_without_vintage_column_or_with_missing_entries(four_cities):
    expected = metrics.growth_yoy(four_cities, indicators="patents")
    absent = metrics.growth_yoy(four_cities.drop(columns="vintage"), indicators="patents")
    missing = metrics.growth_yoy(four_cities.assign(vintage=None), indicators="patents")
    pd.testing.assert_frame_equal(absent, expected)
    pd.testing.assert_frame_equal(missing, expected)
    assert set(expected["vintage"]) == {""} and set(expected["previous_vintage"]) == {""}


def test_growth_cagr_checks_vintages_of_window_ends(four_cities):
    data = with_vintages(four_cities, {
        ("Beijing", 2019, "rd_expenditure"): "first release", ("Beijing", 2021, "rd_expenditure"): "revised",
        # only the end values enter the rate: a different label in between does not matter
        ("Guangzhou", 2019, "rd_expenditure"): "revised", ("Guangzhou", 2020, "rd_expenditure"): "first release",
        ("Guangzhou", 2021, "rd_expenditure"): "revised"})
    out = metrics.growth_cagr(data, indicators="rd_expenditure", window=2)
    beijing = row(out, city="Beijing")
    assert math.isnan(beijing["cagr_pct"])
    assert beijing["missing"] == "vintages differ: 2019 'first release' vs 2021 'revised'"
    assert (beijing["start_vintage"], beijing["end_vintage"]) == ("first release", "revised")
    guangzhou = row(out, city="Guangzhou")
    assert guangzhou["cagr_pct"] == pytest.approx((750 / 500) ** 0.5 * 100 - 100)
    assert guangzhou["missing"] == ""


def test_catch_up_inherits_vintage_break(four_cities, four_cities_catalogue):
    data = with_vintages(four_cities, {("Guangzhou", 2019, "patents"): "first release",
                                       ("Guangzhou", 2021, "patents"): "revised"})
    out = metrics.catch_up(data, four_cities_catalogue, indicators="patents", window=2)
    beijing = row(out, peer="Beijing")                      # behind, growth unknown
    assert math.isnan(beijing["focus_cagr_pct"])
    assert (beijing["reach_status"], beijing["overtake_status"]) == ("unknown", "unknown")
    assert beijing["reach_year"] is pd.NA
    assert "vintages differ: 2019 'first release' vs 2021 'revised'" in beijing["missing"]
    assert beijing["focus_vintage"] == "revised"
    assert row(out, peer="Shenzhen")["reach_status"] == "already"     # 400 >= 300 needs no growth rate


def test_cross_city_metrics_report_vintage(four_cities, four_cities_catalogue):
    data = with_vintages(four_cities, {("Beijing", 2021, "rd_intensity"): "first release"})
    difference = row(metrics.difference(data, indicators="rd_intensity"), peer="Beijing")
    assert (difference["focus_vintage"], difference["peer_vintage"]) == ("", "first release")
    assert difference["difference"] == pytest.approx(-3.0) and difference["missing"] == ""   # one year: not checked
    latest = metrics.latest_comparable_year(data, indicators="rd_intensity")
    assert list(latest.columns) == ["indicator", "city", "year", "value", "unit", "vintage", "lower_bound",
                                    "approximate", "year_inferred", "derived", "missing"]
    assert row(latest, city="Beijing")["vintage"] == "first release"
    ranks = metrics.rank(data, four_cities_catalogue, indicators="rd_intensity")
    assert row(ranks, city="Beijing", year=2021)["vintage"] == "first release"
    assert row(ranks, city="Shanghai", year=2019)["vintage"] == ""           # no row at all


def test_non_text_vintage_rejected(four_cities):
    data = four_cities.astype({"vintage": object})
    data.loc[3, "vintage"] = 2020
    with pytest.raises(metrics.InvalidArgumentError, match="column 'vintage' must hold text.*row 3 "):
        metrics.growth_yoy(data)


# ------------------------------------------------------------------------ catch-up horizon

def slow_pair():
    """A grows 1 %/yr (100 -> 102.01 over 2019-2021), B is flat at twice A's 2021 level."""
    return pd.DataFrame({"city": ["A", "A", "B", "B"], "year": [2019, 2021, 2019, 2021],
                         "indicator": "x", "value": [100.0, 102.01, 204.02, 204.02], "unit": "count"})


@pytest.mark.parametrize("horizon, status, year", [
    (None, "beyond horizon", None),            # default 2050
    (2090, "beyond horizon", None),
    (2091, "projected", 2091),                 # 2021 + ln 2 / ln 1.01 = 2090.66
])
def test_catch_up_horizon(horizon, status, year):
    kwargs = {} if horizon is None else {"horizon": horizon}
    out = metrics.catch_up(slow_pair(), {"x": 1}, focus="A", peers="B", window=2, **kwargs)
    result = out.iloc[0]
    assert result["focus_cagr_pct"] == pytest.approx(1.0)
    assert (result["reach_status"], _year(result["reach_year"])) == (status, year)
    assert (result["overtake_status"], _year(result["overtake_year"])) == (status, year)
    assert result["missing"] == ""


def test_catch_up_horizon_per_crossing(four_cities, four_cities_catalogue):
    # Guangzhou patents reach Beijing's level in 2025 and overtake in 2029 (see above)
    out = metrics.catch_up(four_cities, four_cities_catalogue, indicators="patents", window=2, horizon=2027)
    beijing = row(out, peer="Beijing")
    assert (beijing["reach_status"], _year(beijing["reach_year"])) == ("projected", 2025)
    assert (beijing["overtake_status"], _year(beijing["overtake_year"])) == ("beyond horizon", None)
    assert "beyond horizon" in metrics.REACH_STATUSES and metrics.CATCH_UP_HORIZON == 2050


@pytest.mark.parametrize("horizon", ["2050", 2050.0, True])
def test_catch_up_bad_horizon_rejected(four_cities, four_cities_catalogue, horizon):
    with pytest.raises(metrics.InvalidArgumentError, match="horizon must be a whole year"):
        metrics.catch_up(four_cities, four_cities_catalogue, horizon=horizon)


# --------------------------------------------------------------------------- input checks

def set_cell(data, position, column, value):
    """Copy of ``data`` with an object-typed ``column`` holding ``value`` at row ``position``."""
    data = data.astype({column: object})
    data.loc[position, column] = value
    return data


@pytest.mark.parametrize("name", CALLS)
@pytest.mark.parametrize("column, value, message", [
    ("value", "12,000", r"column 'value' must hold numbers.*1 row\(s\) do not: row 0 \(Guangzhou 2019 gdp\): '12,000'"),
    ("value", True, r"column 'value' must hold numbers.*row 0 \(Guangzhou 2019 gdp\): True"),
    ("year", 2020.7, r"column 'year' must hold whole-number years.*row 0 \(Guangzhou gdp\): 2020.7"),
    ("year", np.nan, r"column 'year' must hold whole-number years.*row 0 \(Guangzhou gdp\): nan"),
    ("year", "2019", r"column 'year' must hold whole-number years.*row 0 \(Guangzhou gdp\): '2019'"),
    ("city", np.nan, r"column 'city' must hold non-empty codes.*row 0 \(2019 gdp\): nan"),
    ("city", " ", r"column 'city' must hold non-empty codes.*row 0 \(2019 gdp\): ' '"),
    ("indicator", None, r"column 'indicator' must hold non-empty codes.*row 0 \(Guangzhou 2019\): None"),
    ("lower_bound", "true", r"column 'lower_bound' must hold True or False.*row 0 \(Guangzhou 2019 gdp\): 'true'"),
    ("approximate", np.nan, r"column 'approximate' must hold True or False.*row 0 \(Guangzhou 2019 gdp\): nan"),
])
def test_malformed_input_rejected_naming_rows(four_cities, four_cities_catalogue, name, column, value, message):
    data = set_cell(four_cities, 0, column, value)
    with pytest.raises(metrics.InvalidArgumentError, match=message) as caught:
        CALLS[name](data, four_cities_catalogue)
    assert caught.value.field == column


def test_fractional_year_is_not_truncated_into_a_duplicate(four_cities):
    # Guangzhou gdp 2020.7 next to 2020 used to become a second 2020 row
    data = pd.concat([four_cities, four_cities.iloc[[1]].assign(year=2020.7, value=1.0)], ignore_index=True)
    message = r"whole-number years.*1 row\(s\) do not: row 50 \(Guangzhou gdp\): 2020.7"
    with pytest.raises(metrics.InvalidArgumentError, match=message):
        metrics.growth_yoy(data, indicators="gdp")


def test_text_flags_rejected_whatever_they_say(four_cities):
    data = four_cities.assign(lower_bound=np.where(four_cities["lower_bound"], "true", "false"))
    with pytest.raises(metrics.InvalidArgumentError, match=r"'lower_bound'.*50 row\(s\) do not.* and 45 more"):
        metrics.difference(data)


def test_missing_values_and_unknown_flags_without_value_allowed(four_cities):
    data = set_cell(set_cell(four_cities, 0, "value", None), 0, "lower_bound", None)
    data = set_cell(data, 1, "value", np.nan)
    out = metrics.growth_yoy(data, indicators="gdp")
    guangzhou = row(out, city="Guangzhou", year=2020)
    assert math.isnan(guangzhou["growth_pct"])
    assert guangzhou["missing"] == "Guangzhou 2020: no value; Guangzhou 2019: no value"
    assert not guangzhou["lower_bound"]


def test_whole_float_years_and_object_numbers_accepted(four_cities):
    data = four_cities.astype({"year": float, "value": object})
    pd.testing.assert_frame_equal(metrics.difference(data), metrics.difference(four_cities))


# ------------------------------------------------------------------- change_since

def change_row(out, city, indicator="rd_intensity"):
    return out.loc[(out["city"] == city) & (out["indicator"] == indicator)].iloc[0]


def test_change_since_runs_from_first_to_latest_figure(four_cities):
    out = metrics.change_since(four_cities, start_year=2020, indicators="rd_intensity")
    assert list(out["city"]) == ["Guangzhou", "Beijing", "Shanghai", "Shenzhen"]
    gz = change_row(out, "Guangzhou")
    assert (gz["start_year"], gz["end_year"], gz["start_value"], gz["end_value"]) == (2020, 2021, 2.4, 3.0)
    assert gz["change"] == pytest.approx(0.6) and gz["change_unit"] == "percentage points"
    assert gz["change_bound"] == "" and gz["missing"] == ""
    # Shenzhen 2021 is "more than 5.5": the change from 5.5 is at least 0
    sz = change_row(out, "Shenzhen")
    assert sz["change"] == 0 and sz["change_bound"] == "at least"
    assert sz["lower_bound"] and sz["end_lower_bound"] and not sz["start_lower_bound"]


def test_change_since_needs_two_figures(four_cities):
    out = metrics.change_since(four_cities, start_year=2021, indicators="rd_intensity")
    gz = change_row(out, "Guangzhou")
    assert math.isnan(gz["change"]) and gz["missing"] == "Guangzhou 2021: the only value since 2021"
    out = metrics.change_since(four_cities, start_year=2022, indicators="rd_intensity")
    assert out["change"].isna().all() and out["start_year"].isna().all()
    assert change_row(out, "Beijing")["missing"] == "Beijing: no value since 2022"


def test_change_since_refuses_two_vintages(four_cities):
    data = four_cities.assign(vintage="")
    data.loc[(data["city"] == "Guangzhou") & (data["year"] == 2021), "vintage"] = "revised"
    before = data.copy()
    gz = change_row(metrics.change_since(data, start_year=2019, indicators="rd_intensity"), "Guangzhou")
    assert math.isnan(gz["change"]) and not gz["lower_bound"]
    assert gz["missing"] == "vintages differ: 2019 (none recorded) vs 2021 'revised'"
    pd.testing.assert_frame_equal(data, before)


def test_change_since_rejects_a_year_that_is_not_whole(four_cities):
    with pytest.raises(metrics.InvalidArgumentError, match="start_year must be a whole year"):
        metrics.change_since(four_cities, start_year="2018")
