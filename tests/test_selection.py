"""What the report compares (analysis.selection), on small hand-built frames."""

import math

import pandas as pd
import pytest

from analysis import selection

CITIES = ["Guangzhou", "Beijing", "Shanghai"]


def frame(rows):
    """Tidy rows from (city, year, indicator, value[, lower_bound])."""
    return pd.DataFrame([{"city": r[0], "year": r[1], "indicator": r[2], "value": float(r[3]), "unit": "count",
                          "lower_bound": r[4] if len(r) > 4 else False} for r in rows])


# a: all three cities, two years each (a trend); b: two cities, one year each (sparse);
# c: one city only; d: all three but no year they share
DATA = frame([
    ("Guangzhou", 2019, "a", 1), ("Guangzhou", 2020, "a", 2), ("Beijing", 2019, "a", 5), ("Beijing", 2020, "a", 6),
    ("Shanghai", 2019, "a", 3), ("Shanghai", 2020, "a", 2, True),
    ("Guangzhou", 2020, "b", 7), ("Beijing", 2018, "b", 9),
    ("Guangzhou", 2020, "c", 1),
    ("Guangzhou", 2018, "d", 4), ("Beijing", 2019, "d", 8), ("Shanghai", 2020, "d", 6),
])
DIRECTIONS = {"a": 1, "b": 1, "c": 1, "d": -1}


def test_comparable_needs_figures_for_enough_cities():
    assert selection.comparable(DATA, ["c", "b", "a", "d", "zz"]) == ["b", "a", "d"]
    assert selection.comparable(DATA, "c", min_cities=1) == ["c"]
    assert selection.comparable(DATA, ["a", "d"], min_cities=3) == ["a", "d"]


def test_trend_needs_two_cities_with_two_years_and_sparse_is_the_rest():
    assert selection.trend_indicators(DATA, ["a", "b", "c", "d"]) == ["a"]
    assert selection.sparse_indicators(DATA, ["a", "b", "c", "d"]) == ["b", "d"]


def test_scoreboard_uses_the_latest_shared_year_and_ranks_there():
    out = selection.scoreboard_values(DATA, DIRECTIONS, ["a"], focus="Guangzhou", peers=["Beijing", "Shanghai"])
    assert out["city"].tolist() == CITIES
    assert out["year"].tolist() == [2020] * 3 and out["shared_year"].all()
    assert out["value"].tolist() == [2.0, 6.0, 2.0]
    assert out["rank"].tolist() == [2.0, 1.0, 2.0]                  # a tie shares the better rank
    assert out["lower_bound"].tolist() == [False, False, True]


def test_scoreboard_without_a_shared_year_shows_each_citys_latest_unranked():
    out = selection.scoreboard_values(DATA, DIRECTIONS, ["a", "d"], focus="Guangzhou", peers=["Beijing", "Shanghai"])
    d = out[out["indicator"] == "d"]
    assert d["year"].tolist() == [2018, 2019, 2020] and not d["shared_year"].any()
    assert d["value"].tolist() == [4.0, 8.0, 6.0] and d["rank"].isna().all()
    assert out.loc[out["indicator"] == "a", "shared_year"].all()


def test_scoreboard_shared_year_is_the_latest_all_cities_have_not_the_latest_year():
    data = DATA[~((DATA["indicator"] == "a") & (DATA["city"] == "Beijing") & (DATA["year"] == 2020))]
    out = selection.scoreboard_values(data, DIRECTIONS, "a", focus="Guangzhou", peers=["Beijing", "Shanghai"])
    assert out["year"].tolist() == [2019] * 3 and out["rank"].tolist() == [3.0, 1.0, 2.0]


def test_scoreboard_does_not_rank_a_context_indicator():
    out = selection.scoreboard_values(DATA, {**DIRECTIONS, "a": 0}, "a", focus="Guangzhou",
                                      peers=["Beijing", "Shanghai"])
    assert out["shared_year"].all() and out["rank"].isna().all()


# family f: f1 and f2 count the same thing; f1 lacks Shanghai in 2020, so 2019 is its common
# year; g1 is lower-is-better; x1 is a context indicator
INDEX_DATA = frame([
    *[(c, y, "f1", v) for (c, y), v in {("Guangzhou", 2019): 1, ("Beijing", 2019): 2, ("Shanghai", 2019): 3,
                                         ("Guangzhou", 2020): 4, ("Beijing", 2020): 5}.items()],
    *[(c, 2020, "f2", v) for c, v in zip(CITIES, (7, 8, 9))],
    *[(c, 2021, "g1", v) for c, v in zip(CITIES, (3, 2, 1))],
    *[(c, 2021, "x1", v) for c, v in zip(CITIES, (1, 1, 1))],
    ("Guangzhou", 2021, "h1", 5), ("Beijing", 2021, "h1", 6),
])


def catalogue(order=("f1", "f2", "g1", "x1", "h1")):
    rows = {"f1": ("f", "strategic", 1), "f2": ("f", "strategic", 1), "g1": ("g", "culture", -1),
            "x1": ("x", "context", 1), "h1": ("h", "culture", 1)}
    return pd.DataFrame([(code, *rows[code]) for code in order],
                        columns=["code", "family", "gap", "direction"]).set_index("code")


def test_index_inputs_take_the_first_complete_indicator_of_each_family_in_catalogue_order():
    inputs = selection.index_inputs(INDEX_DATA, catalogue(), focus="Guangzhou", peers=["Beijing", "Shanghai"])
    assert list(pd.unique(inputs["indicator"])) == ["f1", "g1"]        # x1 is context, h1 lacks Shanghai
    f1 = inputs[inputs["indicator"] == "f1"]
    assert f1["year"].tolist() == [2019] * 3 and f1["value"].tolist() == [1.0, 2.0, 3.0]
    assert "missing" not in inputs.columns


def test_the_catalogue_row_order_decides_within_a_family():
    inputs = selection.index_inputs(INDEX_DATA, catalogue(("f2", "f1", "g1", "x1", "h1")), focus="Guangzhou",
                                    peers=["Beijing", "Shanghai"])
    assert list(pd.unique(inputs["indicator"])) == ["f2", "g1"]
    assert set(inputs.loc[inputs["indicator"] == "f2", "year"]) == {2020}


def test_index_inputs_leave_out_direction_zero():
    table = catalogue()
    table.loc["g1", "direction"] = 0
    inputs = selection.index_inputs(INDEX_DATA, table, focus="Guangzhou", peers=["Beijing", "Shanghai"])
    assert set(inputs["indicator"]) == {"f1"}


@pytest.mark.parametrize("focus, peers", [("Guangzhou", ["Beijing"]), ("Beijing", ["Guangzhou"])])
def test_index_inputs_follow_the_compared_cities(focus, peers):
    inputs = selection.index_inputs(INDEX_DATA, catalogue(), focus=focus, peers=peers)
    assert list(pd.unique(inputs["indicator"])) == ["f1", "g1", "h1"]      # with two cities h1 is complete
    assert inputs.loc[inputs["indicator"] == "f1", "year"].tolist() == [2020, 2020]
    assert not math.isnan(inputs["value"].sum())


def test_family_choice_uses_the_size_adjusted_variant_the_catalogue_names():
    table = catalogue(("f1", "f2", "g1", "x1", "h1")).assign(index_variant="")
    table.loc["f1", "index_variant"] = "f2"                  # f2 is f1 per head
    assert selection.family_choice(["f1", "f2", "g1"], table) == ["f2", "g1"]
    # the raw count never stands in for its variant: without f2 the family has no choice
    assert selection.family_choice(["f1", "g1"], table) == ["g1"]


def test_index_inputs_take_the_variant_of_a_count():
    table = catalogue().assign(index_variant="")
    table.loc["f1", "index_variant"] = "f2"
    inputs = selection.index_inputs(INDEX_DATA, table, focus="Guangzhou", peers=["Beijing", "Shanghai"])
    assert list(pd.unique(inputs["indicator"])) == ["f2", "g1"]
