"""Tests of analysis.sensitivity (also ``analysis.index.sensitivity``) on the hand-built
``cross_section`` and ``two_cities`` (see conftest.py)."""

import math

import numpy as np
import pandas as pd
import pytest

from analysis import _composite, index, sensitivity
from analysis.sensitivity import _draw_weights, _rank_summary, _variance_shares


def test_index_reexports_the_sensitivity_analysis():
    assert index.sensitivity is sensitivity.sensitivity
    assert index.SensitivityResult is sensitivity.SensitivityResult


def test_drawn_weights_sum_to_one(cross_section, index_catalogue):
    structure = _composite.weight_structure(index.index_weights(index_catalogue))
    within, between = _draw_weights(np.random.default_rng(0), structure, 500, 1.0)
    for columns in structure.gap_columns:
        assert within[:, columns].sum(axis=1) == pytest.approx(np.ones(500))
    assert between.sum(axis=1) == pytest.approx(np.ones(500))
    assert (within > 0).all() and (between > 0).all()


@pytest.mark.parametrize("normalisation", index.NORMALISATIONS)
@pytest.mark.parametrize("aggregation", index.AGGREGATIONS)
def test_leader_on_every_indicator_always_ranks_first(cross_section, index_catalogue, normalisation, aggregation):
    result = sensitivity.sensitivity(cross_section, index_catalogue, normalisations=[normalisation],
                               aggregations=[aggregation], n_draws=300, concentration=0.5, seed=7)
    beijing = result.ranks.set_index("city").loc["Beijing"]
    assert beijing["rank_mean"] == 1.0            # first in every one of the 300 draws
    assert beijing["rank_p95"] == 1.0 and beijing["rank_nominal"] == 1.0
    assert beijing["n_ranked"] == 300


def test_sensitivity_is_reproducible(cross_section, index_catalogue):
    def run(seed):
        return sensitivity.sensitivity(cross_section, index_catalogue, n_draws=400, seed=seed)

    first, again, other = run(11), run(11), run(12)
    pd.testing.assert_frame_equal(first.ranks, again.ranks)
    pd.testing.assert_frame_equal(first.factors, again.factors)
    assert not first.ranks["rank_mean"].equals(other.ranks["rank_mean"])


def test_sensitivity_nominal_matches_aggregate(cross_section, index_catalogue):
    result = sensitivity.sensitivity(cross_section, index_catalogue, n_draws=50, seed=0)
    nominal = result.ranks.set_index("city")["rank_nominal"]
    aggregated = index.aggregate(index.normalise(cross_section, index_catalogue), index_catalogue)
    expected = aggregated[aggregated["component"] == "index"].set_index("city")["rank"]
    assert nominal.to_dict() == expected.to_dict()
    assert result.settings["nominal"] == ("n_minmax", "a_amean")


def test_sensitivity_summaries(cross_section, index_catalogue):
    result = sensitivity.sensitivity(cross_section, index_catalogue, n_draws=2000, seed=3)
    assert list(result.ranks.columns) == ["year", "city", "rank_nominal", "rank_median", "rank_p05", "rank_p95",
                                          "rank_mean", "n_ranked"]
    assert result.factors["rank_variance_share"].sum() == pytest.approx(1.0)
    assert set(result.factors["factor"]) == {"normalisation", "aggregation", "normalisation x aggregation",
                                             "weights"}
    assert list(result.factors["rank_variance_share"]) == sorted(result.factors["rank_variance_share"], reverse=True)
    assert result.choices.groupby("factor")["n_draws"].sum().to_dict() == {"aggregation": 2000,
                                                                          "normalisation": 2000}
    ranks = result.ranks
    assert (ranks["rank_p05"] <= ranks["rank_median"]).all() and (ranks["rank_median"] <= ranks["rank_p95"]).all()
    assert set(result.settings["gmean_offsets"]) == {(2021, name) for name in index.NORMALISATIONS}
    assert result.settings["gmean_offsets"][(2021, "n_rank")] == 0.0       # ranks are >= 1 already
    assert result.settings["gmean_offsets"][(2021, "n_minmax")] == 1.0


def test_sensitivity_weights_only_explain_all_variance(cross_section, index_catalogue):
    result = sensitivity.sensitivity(cross_section, index_catalogue, normalisations=["n_minmax"],
                               aggregations=["a_amean"], n_draws=500, seed=0)
    shares = result.factors.set_index("factor")["rank_variance_share"]
    assert shares["weights"] == pytest.approx(1.0)
    assert shares["normalisation"] == pytest.approx(0.0) and shares["aggregation"] == pytest.approx(0.0)


def test_variance_shares_hand_computed():
    # two normalisations, one aggregation, two cities, two draws each: the normalisation
    # alone decides the order, so it explains all of the rank variance
    histograms = np.array([[[0, 2, 0], [0, 0, 2]],
                           [[0, 0, 2], [0, 2, 0]]])
    shares = _variance_shares(histograms, 2, 1)
    assert shares == pytest.approx({"normalisation": 1.0, "aggregation": 0.0,
                                    "normalisation x aggregation": 0.0, "weights": 0.0})


def test_sensitivity_with_partly_ranked_city(cross_section, index_catalogue):
    data = cross_section[~((cross_section["city"] == "Shenzhen") & (cross_section["indicator"] != "s1"))]
    result = sensitivity.sensitivity(data, index_catalogue, n_draws=1000, seed=0)
    shenzhen = result.ranks.set_index("city").loc["Shenzhen"]
    assert 0 < shenzhen["n_ranked"] < 1000          # ranked only when the strategic gap weighs >= 0.5
    assert result.factors["rank_variance_share"].sum() == pytest.approx(1.0)


def test_sensitivity_city_below_coverage_is_unranked(cross_section, index_catalogue):
    data = cross_section[~((cross_section["city"] == "Shenzhen") & (cross_section["indicator"] != "x1"))]
    result = sensitivity.sensitivity(data, index_catalogue, n_draws=200, seed=0)
    shenzhen = result.ranks.set_index("city").loc["Shenzhen"]
    assert shenzhen["n_ranked"] == 0
    assert math.isnan(shenzhen["rank_median"]) and math.isnan(shenzhen["rank_nominal"])
    assert result.ranks.set_index("city").loc["Beijing", "rank_mean"] == 1.0


def test_rank_summary_hand_computed():
    # draws ranked the two cities (1, 2), (2, 1), (1, 2), (1, 2): counts per rank, column 0 unranked
    histogram = np.array([[0, 3, 1], [0, 1, 3]])
    summary = _rank_summary(histogram, np.array([1, 2]))
    assert list(summary["rank_median"]) == [1.0, 2.0]
    assert list(summary["rank_p95"]) == [2.0, 2.0]
    assert list(summary["rank_p05"]) == [1.0, 1.0]
    assert list(summary["rank_mean"]) == [1.25, 1.75]


@pytest.mark.parametrize("kwargs, message", [
    ({"normalisations": ["n_minmax", "n_log"]}, "unknown normalisation method 'n_log'; allowed: n_minmax"),
    ({"aggregations": []}, "give at least one aggregation method; allowed: a_amean, a_gmean"),
    ({"n_draws": 0}, "n_draws must be a whole number >= 1; got 0"),
    ({"concentration": -1}, "concentration must be a positive number"),
    ({"params": {"n_zscore": {"m_sd": (0, 1)}}, "normalisations": ["n_minmax"]},
     "params names method\\(s\\) 'n_zscore' not drawn from; normalisations: n_minmax"),
])
def test_sensitivity_rejects_bad_options(cross_section, index_catalogue, kwargs, message):
    with pytest.raises(ValueError, match=message):
        sensitivity.sensitivity(cross_section, index_catalogue, **kwargs)


def test_sensitivity_dist2ref_not_biased_towards_reference(two_cities, two_cities_catalogue):
    # Previously 9 of 10 dist2ref scores were NaN and Guangzhou ranked 1st in every draw.
    # With two cities dist2ref is min-max x 100 here, so every draw ranks as min-max does.
    def run(normalisation, **kwargs):
        return sensitivity.sensitivity(two_cities, two_cities_catalogue, normalisations=[normalisation],
                                 n_draws=500, seed=4, **kwargs)

    dist2ref = run("n_dist2ref", params={"n_dist2ref": {"ref": ["Guangzhou"]}})
    pd.testing.assert_frame_equal(dist2ref.ranks, run("n_minmax").ranks)
    ranks = dist2ref.ranks.set_index("city")
    assert ranks.at["Shenzhen", "rank_nominal"] == 1.0 and ranks.at["Shenzhen", "rank_median"] == 1.0
    assert (ranks["n_ranked"] == 500).all()
    fallback = dist2ref.settings["n_dist2ref_reference_at_minimum"]
    assert fallback == [(2021, code) for code in two_cities_catalogue.index if code != "b2"]
    assert run("n_minmax").settings["n_dist2ref_reference_at_minimum"] == []
