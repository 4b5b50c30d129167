"""Tests of analysis._ranks: every rank kernel equals pandas' ranking of the same numbers."""

import numpy as np
import pandas as pd
import pytest

from analysis._ranks import average_ranks, descending_ranks, sorted_ranks


def pandas_descending(scores):
    return pd.DataFrame(scores).rank(axis=1, ascending=False, method="min").fillna(0).to_numpy()


def test_ranks_match_pandas_min_method():
    rng = np.random.default_rng(5)
    scores = rng.integers(0, 6, size=(200, 9)).astype(float) - 2.5      # many ties, negative values
    scores[rng.random(scores.shape) < 0.1] = np.nan
    scores[0, :2] = [0.0, -0.0]
    np.testing.assert_array_equal(descending_ranks(scores), pandas_descending(scores))


@pytest.mark.parametrize("case", ["continuous", "near_ties", "exact_ties", "constant_row"])
def test_fast_ranks_are_exact(case):
    rng = np.random.default_rng(6)
    scores = rng.normal(size=(300, 50))
    if case == "near_ties":      # closer than the 32-bit quantisation step: must still be ordered exactly
        scores[::3, 1] = scores[::3, 0] + 1e-12
    if case == "exact_ties":
        scores[::2, 4] = scores[::2, 7]
    if case == "constant_row":
        scores[5] = 2.0
    expected = pd.DataFrame(scores).rank(axis=1, ascending=False, method="min").to_numpy()
    np.testing.assert_array_equal(descending_ranks(scores), expected)



@pytest.mark.parametrize("size", [4, 300])
def test_scores_one_ulp_apart_are_not_tied(size):
    # 64-bit keys keep all but the lowest log2(size) bits; scores that differ only there
    # must still be ordered as pandas orders them, not tied
    rng = np.random.default_rng(7)
    scores = rng.normal(size=(50, size))
    scores[:, 1] = np.nextafter(scores[:, 0], np.inf)
    scores[:, 2] = np.nextafter(scores[:, 0], -np.inf)
    scores[::5, 3] = np.nan                                  # NaN sends every row down the exact path
    np.testing.assert_array_equal(descending_ranks(scores), pandas_descending(scores))


def test_infinities_rank_and_nan_does_not():
    scores = np.array([[np.nan, -np.inf, 1.0, np.inf, np.nan, -np.inf],
                       [2.0, 2.0, np.nan, 2.0, -1.0, np.nan]])
    np.testing.assert_array_equal(descending_ranks(scores), pandas_descending(scores))
    assert descending_ranks(scores)[0].tolist() == [0, 3, 2, 1, 0, 3]


def test_sorted_ranks_list_each_row_from_the_lowest_score_up():
    rng = np.random.default_rng(8)
    scores = rng.normal(size=(100, 12))
    city, rank = sorted_ranks(scores)
    ordered = np.take_along_axis(scores, city.astype(np.intp), axis=1)
    assert (np.diff(ordered, axis=1) >= 0).all()
    np.testing.assert_array_equal(rank, np.take_along_axis(pandas_descending(scores), city.astype(np.intp), axis=1))


def test_average_ranks_match_pandas_average_method():
    rng = np.random.default_rng(9)
    values = rng.integers(0, 5, size=(3, 40, 7)).astype(float)
    values[rng.random(values.shape) < 0.1] = np.nan
    expected = np.stack([pd.DataFrame(block).rank(axis=1, method="average").to_numpy() for block in values])
    np.testing.assert_array_equal(average_ranks(values), expected)
