"""Tests of analysis._composite: the index's weights and weighted means."""

import numpy as np

from analysis import _composite, index
from analysis.sensitivity import _draw_weights


def test_single_product_equals_gap_by_gap_mean(index_catalogue):
    structure = _composite.weight_structure(index.index_weights(index_catalogue))
    rng = np.random.default_rng(1)
    values = rng.uniform(size=(7, 6))
    within, between = _draw_weights(rng, structure, 50, 2.0)
    available = np.ones_like(values, dtype=bool)
    fast = _composite.index_scores(values, available, within, between, structure, 0.5)
    gap_scores = (score for score, _ in _composite.gap_means(values, available, within, structure, 0.5))
    slow, coverage = _composite.combine_gaps(gap_scores, between, 0.5)
    np.testing.assert_allclose(fast, slow)
    np.testing.assert_allclose(coverage, 1.0)
