"""The tidy-frame contract and the shared checks (analysis._frame)."""

import numpy as np
import pandas as pd
import pytest

from analysis import _frame
from analysis.errors import InvalidArgumentError, UnknownCityError, UnknownIndicatorError


def tidy(**columns):
    base = {"city": ["A", "B"], "year": [2020, 2020], "indicator": ["x", "x"], "value": [1.0, 2.0],
            "unit": ["count", "count"]}
    return pd.DataFrame({**base, **columns})


def test_well_formed_data_passes_and_is_not_changed():
    data = tidy(lower_bound=[True, False], vintage=["", None])
    before = data.copy()
    _frame.check_observations(data)
    pd.testing.assert_frame_equal(data, before)


@pytest.mark.parametrize("change, message", [
    ({"city": ["A", "A"]}, r"several rows for 1 \(city, year, indicator\) key\(s\): A 2020 x"),
    ({"year": [2020, 2020.5]}, r"column 'year' must hold whole-number years.*row 1 \(B x\): 2020.5"),
    ({"value": [1.0, "2,0"]}, r"column 'value' must hold numbers.*row 1 \(B 2020 x\): '2,0'"),
    ({"indicator": ["x", ""]}, r"column 'indicator' must hold non-empty codes"),
    ({"approximate": [False, None]}, r"column 'approximate' must hold True or False"),
    ({"vintage": ["", 3]}, r"column 'vintage' must hold text"),
])
def test_malformed_data_is_named_by_column_and_row(change, message):
    with pytest.raises(InvalidArgumentError, match=message):
        _frame.check_observations(tidy(**change))


def test_a_flag_may_be_missing_only_without_a_value():
    _frame.check_observations(tidy(value=[1.0, np.nan], lower_bound=[False, None]))


def test_checked_key_codes_give_the_encoding_of_each_key_column():
    encoded = _frame.checked_key_codes(tidy(city=["B", "A"]))
    codes, uniques = encoded["city"]
    assert list(codes) == [0, 1] and list(uniques) == ["B", "A"]     # order of first appearance


def test_require_columns_names_what_is_absent_and_the_hint():
    with pytest.raises(TypeError, match="catalogue must be a pandas DataFrame, not dict"):
        _frame.require_columns({}, ["code"], name="catalogue")
    with pytest.raises(InvalidArgumentError, match=r"^verdict table lacks column\(s\) b, c; pass X\.$"):
        _frame.require_columns(pd.DataFrame({"a": [1]}), ["a", "b", "c"], name="verdict table", hint="pass X")


def test_check_known_lists_the_known_values_in_one_wording():
    assert _frame.check_known("a", ["a", "b"], what="city") == ["a"]
    assert _frame.check_known(["b", "a", "b"], ["a", "b"], what="city", unique=True) == ["b", "a"]
    with pytest.raises(UnknownCityError, match=r"^unknown city 'z', 'y' in peers; known cities: a, b \(edit it\)\.$"):
        _frame.check_known(["a", "z", "y"], ["a", "b"], what="city", where="in peers", known_as="known cities",
                           hint="edit it", error=UnknownCityError)
    with pytest.raises(InvalidArgumentError, match="unknown parameter\\(s\\) 'q'; allowed: none"):
        _frame.check_known(["q"], [], what="parameter(s)")


def test_catalogue_lookups():
    catalogue = pd.DataFrame({"code": ["x", "y"], "direction": [1, -1]})
    assert list(_frame.catalogue_table(catalogue, ["direction"]).index) == ["x", "y"]
    assert _frame.directions(catalogue, ["y"]).to_dict() == {"y": -1}
    assert _frame.directions({"x": 0}, ["x"]).to_dict() == {"x": 0}
    with pytest.raises(UnknownIndicatorError, match=r"unknown indicator 'z' \(not in the catalogue\); catalogue codes"):
        _frame.directions(catalogue, ["z"])
    with pytest.raises(InvalidArgumentError, match="direction must be 1, -1 or 0; got x=2"):
        _frame.directions({"x": 2}, ["x"])
    with pytest.raises(InvalidArgumentError, match=r"catalogue lacks column\(s\) gap\."):
        _frame.catalogue_table(catalogue, ["gap"])


def test_reasons_are_joined_in_order_row_by_row():
    index = pd.RangeIndex(4)
    first = _frame.reason_where([True, False, True, False], "a", index)
    second = pd.Series(["", "", "b", "c"])
    third = _frame.reason_where([False] * 4, "never", index)
    joined = _frame.join_reasons(first, second, third)
    assert joined.tolist() == ["a", "", "a; b", "c"] and joined.dtype == object
    assert first.eq("").tolist() == [False, True, False, True]
    assert _frame.join_reasons(third).tolist() == [""] * 4


def test_no_value_texts_are_built_only_for_the_rows_asked():
    years = pd.array([2019, None, 2021], dtype="Int64")
    text = _frame.no_value(["A", "B", "C"], years, "no figure")
    assert list(text(np.array([True, True, False]))) == ["A 2019: no figure", "B : no figure"]


def test_small_helpers():
    assert _frame.is_int(3) and _frame.is_int(np.int64(3)) and not _frame.is_int(True) and not _frame.is_int(3.0)
    assert _frame.as_list("x") == ["x"] and _frame.as_list(("x", "y")) == ["x", "y"]
    assert _frame.vintage_text(pd.Series(["a", None, np.nan])).tolist() == ["a", "", ""]
    assert _frame.quoted_vintage("") == "(none recorded)" and _frame.quoted_vintage("r") == "'r'"
