"""Tables (analysis.tables): one indicator as city x year, the coverage of the data and its
change, and markdown; ``years`` is an inclusive (start, end) pair, a range or one year."""

from __future__ import annotations

import pandas as pd
import pytest

import analysis
from analysis import errors, tables


def test_wide_table_has_one_row_per_city_and_one_column_per_year():
    cities = ["Guangzhou", "Beijing", "Shanghai", "Shenzhen"]
    data = analysis.load_observations(cities, indicators="rd_intensity")
    table = analysis.wide_table(data, "rd_intensity", cities=cities, years=range(2015, 2025))
    assert table.shape == (4, 10)
    assert list(table.index) == cities
    one = data.iloc[0]
    assert table.at[one["city"], one["year"]] == one["value"]
    assert table.notna().sum().sum() == len(data.loc[data["year"].between(2015, 2024)])


def test_wide_table_refuses_several_rows_for_one_cell():
    everything = analysis.load_observations(indicators="gdp", preferred_only=False)
    with pytest.raises(errors.InvalidArgumentError, match=r"several rows for \d+ \(city, year, indicator\) key"):
        analysis.wide_table(everything, "gdp")


def test_coverage_lists_missing_series_instead_of_dropping_them():
    data = analysis.load_observations(indicators=["rd_intensity"])
    flags = analysis.year_coverage(data, range(2015, 2025), cities=["Guangzhou", "Atlantis"])
    assert not flags.loc[("rd_intensity", "Atlantis")].any()
    text = analysis.coverage_table(data, range(2015, 2025), cities=["Guangzhou", "Atlantis"])
    assert text.at["rd_intensity", "Atlantis"] == "—"
    known = sorted(data.loc[data["city"] == "Guangzhou", "year"])
    assert text.at["rd_intensity", "Guangzhou"].endswith(f"({len([y for y in known if y <= 2024])})")


def test_coverage_change_counts_years_before_and_now():
    now = analysis.load_observations(indicators=["rd_intensity", "gdp"])
    dropped = (now["city"] == "Guangzhou") & (now["indicator"] == "rd_intensity") & now["year"].isin([2016, 2017])
    before = now.loc[~dropped & ~((now["city"] == "Beijing") & (now["indicator"] == "gdp"))]
    change = analysis.coverage_change(before, now, range(2015, 2025))
    guangzhou = now.loc[(now["city"] == "Guangzhou") & (now["indicator"] == "rd_intensity")
                        & now["year"].between(2015, 2024), "year"].nunique()
    assert change.at["rd_intensity", "Guangzhou"] == f"{guangzhou - 2} → {guangzhou}"
    assert change.at["gdp", "Beijing"] == "0 → 10"       # a series that appeared shows as 0 → n
    assert change.at["gdp", "Shanghai"] == "10"          # unchanged cells carry the count only
    assert list(change.columns) == sorted(now["city"].unique())


def test_wide_table_years_is_a_range_not_a_list_of_columns(four_cities):
    # (2015, 2024) used to give two columns, 2015 and 2024
    table = analysis.wide_table(four_cities, "rd_intensity", years=(2018, 2021))
    assert list(table.columns) == [2018, 2019, 2020, 2021]
    assert table[2018].isna().all() and table.at["Beijing", 2020] == 6.0
    pd.testing.assert_frame_equal(table, analysis.wide_table(four_cities, "rd_intensity", years=range(2018, 2022)))
    assert list(analysis.wide_table(four_cities, "rd_intensity", years=2020).columns) == [2020]
    assert list(analysis.wide_table(four_cities, "rd_intensity").columns) == [2019, 2020, 2021]
    with pytest.raises(errors.InvalidArgumentError, match="not understood; give \\(start, end\\), a range or one year"):
        analysis.wide_table(four_cities, "rd_intensity", years=[2019, 2020, 2021])


def test_coverage_takes_years_as_load_observations_does(four_cities):
    by_pair = analysis.year_coverage(four_cities, (2018, 2021))
    pd.testing.assert_frame_equal(by_pair, analysis.year_coverage(four_cities, range(2018, 2022)))
    assert list(by_pair.columns) == [2018, 2019, 2020, 2021]
    assert by_pair.loc[("patents", "Beijing")].tolist() == [False, True, False, True]
    text = analysis.coverage_table(four_cities, (2019, 2021), cities=["Beijing"])
    assert text.at["patents", "Beijing"] == "2019, 2021 (2)"
    with pytest.raises(errors.InvalidArgumentError, match="start 2021 is after end 2019"):
        analysis.coverage_table(four_cities, (2021, 2019))


def test_markdown_table_and_year_runs():
    frame = pd.DataFrame({"A": ["1", "2"]}, index=pd.Index(["x", "y"], name="code"))
    assert tables.markdown_table(frame) == "| code | A |\n|---|---|\n| x | 1 |\n| y | 2 |"
    assert tables.year_runs([2019, 2015, 2016, 2017]) == "2015-2017, 2019" and tables.year_runs([]) == ""
