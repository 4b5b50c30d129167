"""Tests of analysis.index on the hand-built ``cross_section`` (see conftest.py).

In the cross-section Beijing is best on every indicator; t1 is lower-is-better and x1 is
a context indicator, which is never scored.
"""

import math

import numpy as np
import pandas as pd
import pytest

from analysis import index, metrics
from analysis.errors import InvalidArgumentError

SD_S1 = math.sqrt(500 / 3)      # sample sd of s1 = 40, 30, 20, 10


def scores(frame, indicator):
    rows = frame[frame["indicator"] == indicator]
    return dict(zip(rows["city"], rows["value"]))


def component(frame, name):
    rows = frame[frame["component"] == name]
    return dict(zip(rows["city"], rows["score"]))


# ---------------------------------------------------------------------------- normalise

@pytest.mark.parametrize("method, params, indicator, expected", [
    ("n_minmax", None, "s1", {"Beijing": 1.0, "Shanghai": 2 / 3, "Shenzhen": 1 / 3, "Guangzhou": 0.0}),
    ("n_minmax", None, "t1", {"Beijing": 1.0, "Shanghai": 0.75, "Shenzhen": 0.0, "Guangzhou": 0.5}),
    ("n_minmax", {"l_u": (1, 100)}, "s2", {"Beijing": 100.0, "Shanghai": 50.5, "Shenzhen": 1.0, "Guangzhou": 25.75}),
    ("n_zscore", None, "s1", {"Beijing": 15 / SD_S1, "Shanghai": 5 / SD_S1, "Shenzhen": -5 / SD_S1,
                              "Guangzhou": -15 / SD_S1}),
    ("n_zscore", {"m_sd": (10, 2)}, "s1", {"Beijing": 10 + 30 / SD_S1, "Shanghai": 10 + 10 / SD_S1,
                                           "Shenzhen": 10 - 10 / SD_S1, "Guangzhou": 10 - 30 / SD_S1}),
    ("n_rank", None, "t1", {"Beijing": 4.0, "Shanghai": 3.0, "Shenzhen": 1.0, "Guangzhou": 2.0}),
    ("n_dist2ref", None, "s1", {"Beijing": 100.0, "Shanghai": 200 / 3, "Shenzhen": 100 / 3, "Guangzhou": 0.0}),
    ("n_dist2ref", {"ref": "Shanghai"}, "s1", {"Beijing": 150.0, "Shanghai": 100.0, "Shenzhen": 50.0,
                                               "Guangzhou": 0.0}),
    ("n_dist2ref", {"ref": ["Shanghai", "Shenzhen"], "scale": 1}, "l1",
     {"Beijing": 1.5, "Shanghai": 0.75, "Shenzhen": 1.0, "Guangzhou": 0.0}),
])
def test_normalise_expected_values(cross_section, index_catalogue, method, params, indicator, expected):
    out = index.normalise(cross_section, index_catalogue, method=method, params=params)
    assert scores(out, indicator) == pytest.approx(expected)
    assert set(out["unit"]) == {f"score ({method})"}


def test_normalise_rank_ties_are_averaged(cross_section, index_catalogue):
    data = cross_section.copy()
    data.loc[(data["indicator"] == "s1") & (data["city"] == "Shanghai"), "value"] = 40.0
    out = index.normalise(data, index_catalogue, method="n_rank")
    assert scores(out, "s1") == {"Beijing": 3.5, "Shanghai": 3.5, "Shenzhen": 2.0, "Guangzhou": 1.0}


@pytest.mark.parametrize("method", index.NORMALISATIONS)
def test_normalise_keeps_shape_and_input(cross_section, index_catalogue, method):
    before = cross_section.copy(deep=True)
    shuffled = cross_section.sample(frac=1.0, random_state=3)
    out = index.normalise(shuffled, index_catalogue, method=method)
    pd.testing.assert_index_equal(out.index, shuffled.index)
    assert list(out.columns[: len(shuffled.columns)]) == list(shuffled.columns)
    pd.testing.assert_frame_equal(cross_section, before)
    assert out["value"].notna().sum() == 24      # 6 scored indicators x 4 cities, x1 not scored


def test_normalise_context_indicator_is_nan_with_reason(cross_section, index_catalogue):
    out = index.normalise(cross_section, index_catalogue)
    context = out[out["indicator"] == "x1"]
    assert context["value"].isna().all()
    assert (context["missing"] == "direction 0 (context indicator): not scored").all()
    assert (out.loc[out["indicator"] != "x1", "missing"] == "").all()


@pytest.mark.parametrize("seed", range(5))
def test_minmax_lies_in_unit_interval(seed, index_catalogue):
    rng = np.random.default_rng(seed)
    cities = [f"city{i}" for i in range(30)]
    data = pd.DataFrame([{"city": c, "year": y, "indicator": code, "value": rng.lognormal(3, 2)}
                         for c in cities for y in (2020, 2021) for code in index_catalogue.index])
    out = index.normalise(data, index_catalogue)
    scored = out["value"].dropna()
    assert len(scored) == 30 * 2 * 6
    assert scored.between(0.0, 1.0).all()
    assert (out.groupby(["year", "indicator"])["value"].max().dropna() == 1.0).all()


def test_normalise_by_year_never_mixes_years(four_cities, four_cities_catalogue):
    out = index.normalise(four_cities, four_cities_catalogue, method="n_minmax")
    rd_2019 = out[(out["indicator"] == "rd_expenditure") & (out["year"] == 2019)]
    assert dict(zip(rd_2019["city"], rd_2019["value"])) == pytest.approx(
        {"Guangzhou": 0.0, "Beijing": 1.0, "Shanghai": 1020 / 1300, "Shenzhen": 800 / 1300})


def test_zero_range_gives_nan_and_warns(cross_section, index_catalogue):
    data = cross_section.copy()
    data.loc[data["indicator"] == "s1", "value"] = 7.0
    message = "n_minmax: zero range across cities for 1 indicator group\\(s\\) \\(s1 2021"
    with pytest.warns(RuntimeWarning, match=message):
        out = index.normalise(data, index_catalogue)
    s1 = out[out["indicator"] == "s1"]
    assert s1["value"].isna().all()
    assert (s1["missing"] == "zero range across cities").all()


def test_minmax_single_city_is_nan_and_warns(cross_section, index_catalogue):
    data = cross_section[~((cross_section["indicator"] == "s1") & (cross_section["city"] != "Beijing"))]
    with pytest.warns(RuntimeWarning, match="n_minmax: fewer than 2 cities with a value"):
        out = index.normalise(data, index_catalogue)
    beijing = out[(out["indicator"] == "s1")].iloc[0]
    assert math.isnan(beijing["value"]) and beijing["missing"] == "fewer than 2 cities with a value"


def test_dist2ref_without_reference_value_is_nan_and_warns(cross_section, index_catalogue):
    data = cross_section[~((cross_section["indicator"] == "s1") & (cross_section["city"] == "Shanghai"))]
    with pytest.warns(RuntimeWarning, match="n_dist2ref: reference city has no value for 1 indicator group"):
        out = index.normalise(data, index_catalogue, method="n_dist2ref", params={"ref": "Shanghai"})
    s1 = out[out["indicator"] == "s1"]
    assert s1["value"].isna().all()
    assert (s1["missing"] == "reference city has no value").all()
    assert scores(out, "s2")["Shanghai"] == 100.0


def test_zscore_single_city_is_nan_and_warns(cross_section, index_catalogue):
    data = cross_section[~((cross_section["indicator"] == "s1") & (cross_section["city"] != "Beijing"))]
    with pytest.warns(RuntimeWarning, match="fewer than 2 cities with a value"):
        out = index.normalise(data, index_catalogue, method="n_zscore")
    assert math.isnan(scores(out, "s1")["Beijing"])


def test_missing_value_stays_nan(cross_section, index_catalogue):
    data = cross_section.copy()
    data.loc[(data["indicator"] == "r1") & (data["city"] == "Shenzhen"), "value"] = np.nan
    out = index.normalise(data, index_catalogue)
    assert math.isnan(scores(out, "r1")["Shenzhen"])
    assert scores(out, "r1")["Shanghai"] == pytest.approx(1 / 3)
    row = out[(out["indicator"] == "r1") & (out["city"] == "Shenzhen")].iloc[0]
    assert row["missing"] == "Shenzhen 2021: no value"


def test_normalise_flags_lower_bound_for_whole_group(cross_section, index_catalogue):
    data = cross_section.copy()
    data.loc[(data["indicator"] == "l1") & (data["city"] == "Shenzhen"), "lower_bound"] = True
    out = index.normalise(data, index_catalogue)
    assert out.loc[out["indicator"] == "l1", "lower_bound"].all()
    assert not out.loc[out["indicator"] != "l1", "lower_bound"].any()


@pytest.mark.parametrize("kwargs, message", [
    ({"method": "minmax"}, "unknown normalisation method 'minmax'; allowed: n_minmax, n_zscore, n_rank, n_dist2ref"),
    ({"params": {"range": (0, 1)}}, "unknown parameter\\(s\\) 'range' for n_minmax; allowed: l_u"),
    ({"params": {"l_u": (1, 0)}}, "n_minmax l_u must be two numbers \\(lower < upper\\)"),
    ({"method": "n_zscore", "params": {"m_sd": (0, -1)}}, "n_zscore m_sd must be two numbers \\(mean, sd > 0\\)"),
    ({"method": "n_rank", "params": {"l_u": (0, 1)}}, "unknown parameter\\(s\\) 'l_u' for n_rank; allowed: none"),
    ({"method": "n_dist2ref", "params": {"ref": "Hangzhou"}},
     "unknown reference city 'Hangzhou' for n_dist2ref; cities in data: Beijing, Shanghai, Shenzhen, Guangzhou"),
    ({"by": "period"}, "by must be None or a column of data; 'period' is not one of"),
])
def test_normalise_rejects_bad_options(cross_section, index_catalogue, kwargs, message):
    with pytest.raises(ValueError, match=message):
        index.normalise(cross_section, index_catalogue, **kwargs)


def test_normalise_cross_section_needs_one_row_per_city_indicator(four_cities, four_cities_catalogue):
    with pytest.raises(ValueError, match=r"several rows for \d+ \(city, indicator\) key\(s\): Guangzhou gdp"):
        index.normalise(four_cities, four_cities_catalogue, by=None)


# ---------------------------------------------------------------------------- aggregate

AMEAN_INDEX = {"Beijing": 1.0, "Shanghai": 0.6, "Shenzhen": 0.3, "Guangzhou": 0.225}


@pytest.mark.parametrize("name, expected", [
    ("index", AMEAN_INDEX),
    ("strategic", {"Beijing": 1.0, "Shanghai": 7 / 12, "Shenzhen": 1 / 6, "Guangzhou": 0.125}),
    ("rd_intensity", {"Beijing": 1.0, "Shanghai": 1 / 3, "Shenzhen": 2 / 3, "Guangzhou": 0.0}),
    ("talent_capital", {"Beijing": 1.0, "Shanghai": 0.75, "Shenzhen": 0.0, "Guangzhou": 0.5}),
])
def test_aggregate_amean_expected(cross_section, index_catalogue, name, expected):
    normalised = index.normalise(cross_section, index_catalogue)
    out = index.aggregate(normalised, index_catalogue)
    assert component(out, name) == pytest.approx(expected)
    assert (out["missing"] == "").all()
    assert list(out["coverage"]) == pytest.approx([1.0] * len(out))


def test_aggregate_layout_and_ranks(cross_section, index_catalogue):
    out = index.aggregate(index.normalise(cross_section, index_catalogue), index_catalogue)
    assert list(out.columns) == ["year", "city", "component", "score", "rank", "coverage",
                                 "lower_bound", "approximate", "year_inferred", "derived", "missing"]
    assert out["year"].dtype.kind == "i"
    assert list(pd.unique(out["component"])) == ["index", "strategic", "rd_intensity", "leading_firms",
                                                  "talent_capital", "culture"]
    ranks = out[out["component"] == "index"].set_index("city")["rank"]
    assert ranks.to_dict() == {"Beijing": 1.0, "Shanghai": 2.0, "Shenzhen": 3.0, "Guangzhou": 4.0}


def test_aggregate_gmean_expected(cross_section, index_catalogue):
    out = index.aggregate(index.normalise(cross_section, index_catalogue, method="n_rank"), index_catalogue,
                          method="a_gmean")
    expected = {"Beijing": 4.0, "Shanghai": 108 ** 0.2, "Shenzhen": (math.sqrt(2) * 9) ** 0.2,
                "Guangzhou": math.sqrt(2)}
    assert component(out, "index") == pytest.approx(expected)
    assert component(out, "strategic")["Guangzhou"] == pytest.approx(math.sqrt(2))


def test_gmean_rejects_non_positive(cross_section, index_catalogue):
    normalised = index.normalise(cross_section, index_catalogue)     # min-max: the worst city scores 0
    message = "a_gmean needs scores \\+ offset > 0; 6 are not \\(Shenzhen s2 2021, Shenzhen t1 2021"
    with pytest.raises(ValueError, match=message):
        index.aggregate(normalised, index_catalogue, method="a_gmean")


def test_gmean_offset_shifts_scores(cross_section, index_catalogue):
    normalised = index.normalise(cross_section, index_catalogue)
    out = index.aggregate(normalised, index_catalogue, method="a_gmean", params={"offset": 1.0})
    # rd_intensity has one indicator: gmean of (x + 1) is x + 1
    assert component(out, "rd_intensity") == pytest.approx({"Beijing": 2.0, "Shanghai": 4 / 3,
                                                           "Shenzhen": 5 / 3, "Guangzhou": 1.0})
    assert component(out, "index")["Beijing"] == pytest.approx(2.0)


def test_aggregate_user_weights(cross_section, index_catalogue):
    normalised = index.normalise(cross_section, index_catalogue)
    weights = {"s1": 3, "s2": 1, "r1": 1, "l1": 1, "t1": 1, "c1": 1}
    gap_weights = {"strategic": 1, "rd_intensity": 0, "leading_firms": 0, "talent_capital": 0, "culture": 0}
    out = index.aggregate(normalised, index_catalogue, weights=weights, gap_weights=gap_weights)
    expected = {"Beijing": 1.0, "Shanghai": (3 * 2 / 3 + 0.5) / 4, "Shenzhen": (3 * 1 / 3) / 4,
                "Guangzhou": 0.25 / 4}
    assert component(out, "strategic") == pytest.approx(expected)
    assert component(out, "index") == pytest.approx(expected)


def test_missing_indicator_is_skipped_and_reweighted(cross_section, index_catalogue):
    data = cross_section[~((cross_section["indicator"] == "s2") & (cross_section["city"] == "Guangzhou"))]
    out = index.aggregate(index.normalise(data, index_catalogue), index_catalogue)
    guangzhou = out[out["city"] == "Guangzhou"].set_index("component")
    assert guangzhou.at["strategic", "score"] == 0.0           # s1 only, coverage 0.5 >= 0.5
    assert guangzhou.at["strategic", "coverage"] == 0.5
    assert guangzhou.at["strategic", "missing"] == "no value for s2 (skipped, weights rescaled, coverage 0.50)"
    assert guangzhou.at["index", "score"] == pytest.approx(0.2)
    assert guangzhou.at["index", "missing"] == ""


def test_coverage_below_minimum_gives_nan_with_reason(cross_section, index_catalogue):
    data = cross_section[~((cross_section["indicator"] == "s2") & (cross_section["city"] == "Guangzhou"))]
    out = index.aggregate(index.normalise(data, index_catalogue), index_catalogue, min_coverage=0.6)
    guangzhou = out[out["city"] == "Guangzhou"].set_index("component")
    assert math.isnan(guangzhou.at["strategic", "score"])
    assert math.isnan(guangzhou.at["strategic", "rank"])
    assert guangzhou.at["strategic", "missing"] == "no value for s2 (coverage 0.50 < min_coverage 0.60: no score)"
    assert guangzhou.at["index", "score"] == pytest.approx((0 + 0 + 0.5 + 0.5) / 4)
    assert guangzhou.at["index", "coverage"] == pytest.approx(0.8)
    assert guangzhou.at["index", "missing"] == "no score for strategic (skipped, weights rescaled, coverage 0.80)"


def test_city_without_enough_data_gets_no_index(cross_section, index_catalogue):
    data = cross_section[~((cross_section["city"] == "Shenzhen") & cross_section["indicator"].isin(["s1", "s2", "r1"]))]
    out = index.aggregate(index.normalise(data, index_catalogue), index_catalogue, min_coverage=0.7)
    shenzhen = out[(out["city"] == "Shenzhen") & (out["component"] == "index")].iloc[0]
    assert math.isnan(shenzhen["score"])
    assert shenzhen["missing"] == ("no score for strategic, rd_intensity (coverage 0.60 < min_coverage 0.70: "
                                   "no score)")


def test_aggregate_propagates_lower_bound(cross_section, index_catalogue):
    data = cross_section.copy()
    data.loc[(data["indicator"] == "c1") & (data["city"] == "Beijing"), "lower_bound"] = True
    out = index.aggregate(index.normalise(data, index_catalogue), index_catalogue)
    flagged = out[out["lower_bound"]]
    assert set(flagged["component"]) == {"index", "culture"}
    assert len(flagged) == 8


def test_aggregate_keeps_input(cross_section, index_catalogue):
    normalised = index.normalise(cross_section, index_catalogue)
    before = normalised.copy(deep=True)
    index.aggregate(normalised, index_catalogue, method="a_gmean", params={"offset": 1})
    pd.testing.assert_frame_equal(normalised, before)


@pytest.mark.parametrize("kwargs, message", [
    ({"method": "a_median"}, "unknown aggregation method 'a_median'; allowed: a_amean, a_gmean"),
    ({"weights": {"s1": 1}}, "weights gives no weight for 's2', 'r1'"),
    ({"weights": {"zz": 1}}, "unknown code\\(s\\) 'zz' in weights; allowed: s1, s2, r1, l1, t1, c1"),
    ({"gap_weights": {"strategic": -1, "rd_intensity": 1, "leading_firms": 1, "talent_capital": 1,
                      "culture": 1}}, "gap_weights must be finite and non-negative"),
    ({"min_coverage": 1.5}, "min_coverage must lie in \\[0, 1\\]"),
    ({"params": {"offset": 1}}, "unknown parameter\\(s\\) 'offset' for a_amean; allowed: none"),
])
def test_aggregate_rejects_bad_options(cross_section, index_catalogue, kwargs, message):
    with pytest.raises(ValueError, match=message):
        index.aggregate(index.normalise(cross_section, index_catalogue), index_catalogue, **kwargs)


def test_index_on_latest_comparable_cross_section(four_cities, four_cities_catalogue):
    latest = metrics.latest_comparable_year(four_cities, indicators=["rd_intensity", "patents", "university_rank"])
    normalised = index.normalise(latest, four_cities_catalogue, by=None)
    out = index.aggregate(normalised, four_cities_catalogue, by=None)
    assert "year" not in out.columns
    ranks = out[out["component"] == "index"].set_index("city")["rank"]
    # 2021: rd_intensity 3/6/4.3/5.5, patents 400/3600/4500/300, university_rank 50/25/40/100
    assert ranks.to_dict() == {"Guangzhou": 4.0, "Beijing": 1.0, "Shanghai": 2.0, "Shenzhen": 3.0}


# ------------------------------------------------------------------------------ weights

@pytest.mark.parametrize("seed", range(4))
def test_weights_sum_to_one(index_catalogue, seed):
    rng = np.random.default_rng(seed)
    codes = ["s1", "s2", "r1", "l1", "t1", "c1"]
    gaps = ["strategic", "rd_intensity", "leading_firms", "talent_capital", "culture"]
    table = index.index_weights(index_catalogue, weights=dict(zip(codes, rng.uniform(0.1, 5, 6))),
                                gap_weights=dict(zip(gaps, rng.uniform(0.1, 5, 5))))
    assert table["weight"].sum() == pytest.approx(1.0)
    assert table.groupby("gap")["weight_in_gap"].sum().to_numpy() == pytest.approx(np.ones(5))
    assert table.drop_duplicates("gap")["gap_weight"].sum() == pytest.approx(1.0)


def test_equal_weights_by_default(index_catalogue):
    table = index.index_weights(index_catalogue).set_index("indicator")
    assert "x1" not in table.index
    assert table["weight"].to_dict() == pytest.approx(
        {"s1": 0.1, "s2": 0.1, "r1": 0.2, "l1": 0.2, "t1": 0.2, "c1": 0.2})


# ----------------------------------------------------- n_dist2ref with the reference at the minimum

# Shenzhen leads Guangzhou on 9 of 10 indicators (all higher-is-better); Guangzhou leads on b2.


def test_dist2ref_reference_at_minimum_scales_by_range(two_cities, two_cities_catalogue):
    out = index.normalise(two_cities, two_cities_catalogue, method="n_dist2ref", params={"ref": "Guangzhou"})
    assert out["value"].notna().all() and (out["missing"] == "").all()
    # Guangzhou (the reference) is the minimum on a1: unit max - min, so 0 and 100
    assert scores(out, "a1") == {"Shenzhen": 100.0, "Guangzhou": 0.0}
    # Guangzhou leads on b2: the usual (x - min) / (x_ref - min)
    assert scores(out, "b2") == {"Shenzhen": 0.0, "Guangzhou": 100.0}


def test_dist2ref_reference_at_minimum_among_three(cross_section, index_catalogue):
    # reference Guangzhou is the lowest on s1 (10 of 10..40): (x - 10) / 30 x 100
    out = index.normalise(cross_section, index_catalogue, method="n_dist2ref", params={"ref": "Guangzhou"})
    assert scores(out, "s1") == pytest.approx({"Beijing": 100.0, "Shanghai": 200 / 3, "Shenzhen": 100 / 3,
                                               "Guangzhou": 0.0})
    # on s2 (9, 5, 1, 3) Guangzhou is above the minimum: (x - 1) / (3 - 1) x 100
    assert scores(out, "s2") == pytest.approx({"Beijing": 400.0, "Shanghai": 200.0, "Shenzhen": 0.0,
                                               "Guangzhou": 100.0})


# --------------------------------------------------------------------------- input checks

def xyz():
    return pd.DataFrame({"city": ["X", "Y", "Z"], "year": 2021, "indicator": "s1", "value": [1.0, 2.0, 3.0]})


INDEX_CALLS = {
    "normalise": lambda data, cat: index.normalise(data, cat),
    "aggregate": lambda data, cat: index.aggregate(data, cat),
    "sensitivity": lambda data, cat: index.sensitivity(data, cat, n_draws=10, seed=0),
}


@pytest.mark.parametrize("name", INDEX_CALLS)
@pytest.mark.parametrize("extra, message", [
    # a row without a city used to overwrite the last city's value (Z: 3 scored as if 100)
    ({"city": np.nan, "value": 100.0}, r"column 'city' must hold non-empty codes.*row 3 \(2021 s1\): nan"),
    ({"city": "W", "indicator": "", "value": 5.0}, r"column 'indicator' must hold non-empty codes.*row 3"),
    ({"city": "W", "year": np.nan, "value": 5.0}, r"column 'year' must hold whole-number years.*row 3 \(W s1\)"),
    ({"city": "W", "year": 2021.5, "value": 5.0}, r"column 'year' must hold whole-number years.*row 3 \(W s1\)"),
    ({"city": "W", "value": "12,000"}, r"column 'value' must hold numbers.*row 3 \(2021 W s1\): '12,000'"),
    ({"city": "W", "value": 5.0, "lower_bound": "true"}, r"column 'lower_bound' must hold True or False.*row 3"),
])
def test_index_rejects_malformed_rows(index_catalogue, name, extra, message):
    data = pd.concat([xyz(), pd.DataFrame([{**xyz().iloc[0].to_dict(), **extra}])], ignore_index=True)
    if "lower_bound" in extra:
        data["lower_bound"] = data["lower_bound"].astype(object).where(data["lower_bound"].notna(), False)
    with pytest.raises(InvalidArgumentError, match=message):
        INDEX_CALLS[name](data, index_catalogue)


def test_index_cross_section_rejects_missing_city(index_catalogue):
    data = pd.concat([xyz(), pd.DataFrame([{"city": None, "indicator": "s1", "value": 100.0}])], ignore_index=True)
    with pytest.raises(InvalidArgumentError, match=r"column 'city'.*row 3 \(s1\): None"):
        index.normalise(data.drop(columns="year"), index_catalogue, by=None)


def test_index_without_bad_rows_scores_as_before(index_catalogue):
    assert scores(index.normalise(xyz(), index_catalogue), "s1") == {"X": 0.0, "Y": 0.5, "Z": 1.0}
