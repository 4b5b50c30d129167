"""The shared vocabulary: one definition of each name and default."""

import pandas as pd

from analysis import _vocab, catalogue, loading, metrics, parameters


def test_percent_differences_are_in_percentage_points():
    assert _vocab.change_unit("percent") == "percentage points"
    assert _vocab.change_unit("100 million yuan") == "100 million yuan"
    units = _vocab.change_unit(pd.Series(["percent", "count"]))
    assert units.tolist() == ["percentage points", "count"] and units.dtype == object


def test_every_module_uses_the_one_definition():
    assert loading.OBSERVATION_KEY is _vocab.OBSERVATION_KEY
    assert (parameters.DEFAULT_FOCUS, parameters.DEFAULT_PEERS) == (_vocab.DEFAULT_FOCUS, _vocab.DEFAULT_PEERS)
    assert (parameters.DEFAULT_START, parameters.DEFAULT_END) == (_vocab.DEFAULT_START, _vocab.DEFAULT_END)
    assert metrics.FLAG_COLUMNS is _vocab.FLAG_COLUMNS and metrics.YEAR_MODES is _vocab.YEAR_MODES
    assert catalogue.LANGUAGES is _vocab.LANGUAGES
