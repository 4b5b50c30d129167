"""Shared fixtures: hand-built panels for the metric and index tests (values made up and
round, so expected results can be computed by hand), the shipped data folder, and the
one full default report run that the report tests share."""

import shutil
import time
from pathlib import Path

import pandas as pd
import psutil
import pytest

import analysis
from analysis.datapackage import read_descriptor

SHIPPED = Path(analysis.__file__).resolve().parent.parent / "data"
"""The shipped data folder."""
SEED = SHIPPED.parent / "seeds" / "000_1da18392a39b6ff1.txt"
"""The source report."""


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of the shipped data folder (tables, the claim ledger and the descriptor)."""
    folder = tmp_path / "data"
    folder.mkdir()
    for resource in read_descriptor(SHIPPED)["resources"]:
        shutil.copy(SHIPPED / resource["path"], folder / resource["path"])
    shutil.copy(SHIPPED / "datapackage.json", folder / "datapackage.json")
    return folder


collect_ignore_glob = ["fixtures/*"]  # fixture notebooks are run by the tests, not by nbval


@pytest.fixture(scope="session")
def default_report(tmp_path_factory):
    """(exit status, folder) of ONE full report run with default parameters, shared by
    every test that reads a default report."""
    from analysis import cli

    out = tmp_path_factory.mktemp("reports") / "default"
    code = cli.main(["report", "--out", str(out), "--quiet"])
    return code, out

# (indicator, unit, {city: {year: value}})
PANEL = [
    ("gdp", "100 million yuan", {
        "Guangzhou": {2019: 20000, 2020: 25000, 2021: 25000},
        "Beijing": {2019: 30000, 2020: 36000, 2021: 40000},
        "Shanghai": {2019: 38000, 2020: 39000, 2021: 40000},
        "Shenzhen": {2019: 26000, 2020: 27000}}),
    ("rd_expenditure", "100 million yuan", {
        "Guangzhou": {2019: 500, 2020: 600, 2021: 750},
        "Beijing": {2019: 1800, 2020: 2160, 2021: 2400},
        "Shanghai": {2019: 1520, 2020: 1638, 2021: 1720},
        "Shenzhen": {2019: 1300, 2020: 1485}}),
    ("rd_intensity", "percent", {
        "Guangzhou": {2019: 2.5, 2020: 2.4, 2021: 3.0},
        "Beijing": {2019: 6.0, 2020: 6.0, 2021: 6.0},
        "Shanghai": {2020: 4.2, 2021: 4.3},
        "Shenzhen": {2019: 5.0, 2020: 5.5, 2021: 5.5}}),
    ("patents", "count", {
        "Guangzhou": {2019: 100, 2020: 200, 2021: 400},
        "Beijing": {2019: 1600, 2021: 3600},
        "Shanghai": {2019: 500, 2020: 1500, 2021: 4500},
        "Shenzhen": {2019: 300, 2020: 300, 2021: 300}}),
    ("university_rank", "rank", {
        "Guangzhou": {2019: 200, 2021: 50},
        "Beijing": {2019: 25, 2021: 25},
        "Shanghai": {2021: 40},
        "Shenzhen": {2021: 100}}),
]
LOWER_BOUNDS = {("Shenzhen", 2021, "rd_intensity")}     # "超过5.5%"
APPROXIMATE = {("Guangzhou", 2021, "patents")}


@pytest.fixture
def four_cities() -> pd.DataFrame:
    """Tidy panel 2019-2021 of four cities, five indicators, with holes and one lower bound.

    Holes: Shenzhen has no 2021 gdp or rd_expenditure, Shanghai no 2019 rd_intensity,
    Beijing no 2020 patents; university_rank is sparse.
    """
    rows = [
        {"city": city, "year": year, "indicator": code, "value": float(value), "unit": unit,
         "lower_bound": (city, year, code) in LOWER_BOUNDS, "approximate": (city, year, code) in APPROXIMATE,
         "year_inferred": False, "preferred": True, "source_id": "src-test", "vintage": "", "note": ""}
        for code, unit, by_city in PANEL for city, by_year in by_city.items() for year, value in by_year.items()
    ]
    return pd.DataFrame(rows)


@pytest.fixture
def empty(four_cities) -> pd.DataFrame:
    """The :func:`four_cities` columns without a row."""
    return four_cities.iloc[0:0]


@pytest.fixture
def four_cities_catalogue() -> pd.DataFrame:
    """Catalogue of the :func:`four_cities` indicators, indexed by code."""
    return pd.DataFrame(
        [
            ("gdp", "100 million yuan", 0, "context", None, None, None),
            ("rd_expenditure", "100 million yuan", 1, "rd_intensity", None, None, None),
            ("rd_intensity", "percent", 1, "rd_intensity", "rd_expenditure", "gdp", 100.0),
            ("patents", "count", 1, "strategic", None, None, None),
            ("university_rank", "rank", -1, "talent_capital", None, None, None),
        ],
        columns=["code", "unit", "direction", "gap", "numerator", "denominator", "scale"],
    ).set_index("code")


# One year, Beijing best on every indicator; t1 is lower-is-better, x1 is context.
CROSS_SECTION = {
    "s1": {"Beijing": 40, "Shanghai": 30, "Shenzhen": 20, "Guangzhou": 10},
    "s2": {"Beijing": 9, "Shanghai": 5, "Shenzhen": 1, "Guangzhou": 3},
    "r1": {"Beijing": 6.0, "Shanghai": 4.0, "Shenzhen": 5.0, "Guangzhou": 3.0},
    "l1": {"Beijing": 80, "Shanghai": 50, "Shenzhen": 60, "Guangzhou": 20},
    "t1": {"Beijing": 10, "Shanghai": 20, "Shenzhen": 50, "Guangzhou": 30},
    "c1": {"Beijing": 100, "Shanghai": 90, "Shenzhen": 40, "Guangzhou": 70},
    "x1": {"Beijing": 4.0, "Shanghai": 4.3, "Shenzhen": 3.0, "Guangzhou": 2.8},
}


@pytest.fixture
def cross_section() -> pd.DataFrame:
    """Tidy 2021 values of seven indicators (one to two per gap plus a context one)."""
    rows = [{"city": city, "year": 2021, "indicator": code, "value": float(value), "unit": "count",
             "lower_bound": False}
            for code, by_city in CROSS_SECTION.items() for city, value in by_city.items()]
    return pd.DataFrame(rows)


@pytest.fixture
def index_catalogue() -> pd.DataFrame:
    """Catalogue of the :func:`cross_section` indicators: five gaps plus context."""
    return pd.DataFrame(
        [("s1", 1, "strategic"), ("s2", 1, "strategic"), ("r1", 1, "rd_intensity"),
         ("l1", 1, "leading_firms"), ("t1", -1, "talent_capital"), ("c1", 1, "culture"),
         ("x1", 0, "context")],
        columns=["code", "direction", "gap"],
    ).set_index("code")


# Shenzhen leads Guangzhou on 9 of 10 indicators (all higher-is-better); Guangzhou leads on b2.
TWO_CITIES = {f"{g}{i}": ({"Shenzhen": 30.0 + i, "Guangzhou": 10.0} if (g, i) != ("b", 2)
                          else {"Shenzhen": 10.0, "Guangzhou": 50.0})
              for g in "abcde" for i in (1, 2)}


@pytest.fixture
def two_cities():
    """One year, two cities, ten indicators in five gaps (see TWO_CITIES)."""
    return pd.DataFrame([{"city": city, "year": 2021, "indicator": code, "value": value, "lower_bound": False}
                         for code, by_city in TWO_CITIES.items() for city, value in by_city.items()])


@pytest.fixture
def two_cities_catalogue():
    """Catalogue of :func:`two_cities`: gap_a ... gap_e, all higher-is-better."""
    return pd.DataFrame({"code": list(TWO_CITIES), "direction": 1,
                         "gap": [f"gap_{code[0]}" for code in TWO_CITIES]}).set_index("code")


@pytest.fixture(scope="session")
def zh_report(tmp_path_factory):
    """(exit status, folder) of ONE full report run with default parameters in Chinese
    (``--lang zh``), shared by the browser and language tests."""
    from analysis import cli

    out = tmp_path_factory.mktemp("reports") / "default-zh"
    code = cli.main(["report", "--lang", "zh", "--out", str(out), "--quiet"])
    return code, out


@pytest.fixture
def process_ended():
    """``process_ended(pid, wait)``: True once the process has exited (or is a zombie)
    within ``wait`` seconds, polling every 0.1 s."""

    def ended(pid: int, wait: float = 10.0) -> bool:
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                    return True
            except psutil.NoSuchProcess:
                return True
            time.sleep(0.1)
        return False

    return ended
