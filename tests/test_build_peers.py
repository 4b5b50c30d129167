"""Peer groups and geographic levels in the dataset (issue 14, data part).

Every observation says which territory it measures (``level``, ``area``); where a cell has
figures at several levels the finest is preferred, in the build and in the loaders; every
city belongs to a group and has its official Chinese name; a cluster figure is filed under
each city of the cluster and never passes for a city figure.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest

import analysis
from analysis import errors
from analysis.build import build, known_gaps
from analysis.build.schema import CURATION_COLUMNS
from analysis.build.write import to_csv
from analysis.catalogue import city_groups, load_cities

ROOT = Path(analysis.__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
DATA = ROOT / "data"
DOMESTIC = ["Hangzhou", "Nanjing", "Suzhou", "Wuhan", "Chengdu", "Xian"]
GLOBAL = ["Tokyo", "Seoul", "Singapore", "Boston", "SanFrancisco-SanJose", "London", "NewYork"]
CHINESE = {"Hangzhou": "杭州", "Nanjing": "南京", "Suzhou": "苏州", "Wuhan": "武汉", "Chengdu": "成都",
           "Xian": "西安", "Tokyo": "东京", "Seoul": "首尔", "Singapore": "新加坡", "Boston": "波士顿",
           "SanFrancisco-SanJose": "旧金山-圣何塞", "London": "伦敦", "NewYork": "纽约"}


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def quiet(*_args, **_kwargs):
    pass


@pytest.fixture(scope="module")
def observations() -> list[dict]:
    return read(DATA / "observations.csv")


@pytest.fixture(scope="module")
def levels() -> list[str]:
    descriptor = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    (resource,) = [r for r in descriptor["resources"] if r["name"] == "observations"]
    (field,) = [f for f in resource["schema"]["fields"] if f["name"] == "level"]
    return field["constraints"]["enum"]


@pytest.fixture
def raw_copy(tmp_path) -> Path:
    target = tmp_path / "raw"
    shutil.copytree(RAW, target)
    return target


def edit_curation(folder: Path, match: dict, **changes) -> None:
    rows = read(folder / "curation.csv")
    hits = [r for r in rows if all(r[k] == v for k, v in match.items())]
    assert len(hits) == 1, (match, len(hits))
    hits[0].update(changes)
    (folder / "curation.csv").write_text(to_csv(rows, CURATION_COLUMNS), encoding="utf-8")


NEW_YORK_2021 = {"raw_file": "peers.csv", "city": "New York", "year": "2021"}


# ------------------------------------------------------------------------ levels on every row

def test_levels_are_declared_finest_first(levels):
    assert levels == ["city", "metro", "cluster", "province", "country"]


def test_every_observation_has_a_valid_level_and_a_named_area(observations, levels):
    names = {c["code"]: (c["name_en"], c["name_zh"]) for c in read(DATA / "cities.csv")}
    for o in observations:
        where = (o["city"], o["year"], o["indicator"], o["value"])
        assert o["level"] in levels, where
        assert o["area"] and o["area_zh"], where
        if o["level"] == "city":
            assert (o["area"], o["area_zh"]) == names[o["city"]], where
        else:
            assert o["area"] != names[o["city"]][0], where        # another territory is named


def test_the_four_core_cities_are_city_level_except_the_nature_index(observations):
    core = {"Beijing", "Shanghai", "Shenzhen", "Guangzhou"}
    for o in observations:
        if o["city"] in core and not o["indicator"].startswith(("nature_index", "gii_", "gihi_")):
            assert o["level"] == "city", (o["city"], o["year"], o["indicator"])
    ranks = [o for o in observations if o["indicator"] == "nature_index_city_rank"]
    assert ranks and {o["level"] for o in ranks} == {"metro"}


def test_national_figures_of_hubs_are_country_level(observations):
    tokyo = [o for o in observations if (o["city"], o["indicator"]) == ("Tokyo", "rd_intensity")]
    assert {(o["level"], o["area"]) for o in tokyo} == {("country", "Japan")}
    singapore = [o for o in observations if (o["city"], o["indicator"]) == ("Singapore", "rd_intensity")]
    assert singapore and {o["level"] for o in singapore} == {"city"}     # a city-state


# ------------------------------------------------------------------------ preference rule

def test_the_finest_level_is_preferred_where_a_cell_has_several(observations, levels):
    cells = {}
    for o in observations:
        cells.setdefault((o["city"], o["year"], o["indicator"]), []).append(o)
    mixed = {key: rows for key, rows in cells.items() if len({o["level"] for o in rows}) > 1}
    assert ("NewYork", "2021", "rd_intensity") in mixed                  # state 2.0, country 3.46
    for key, rows in mixed.items():
        (preferred,) = [o for o in rows if o["preferred"] == "true"]
        assert preferred["level"] == min((o["level"] for o in rows), key=levels.index), key
    (state,) = [o for o in mixed[("NewYork", "2021", "rd_intensity")] if o["preferred"] == "true"]
    assert (state["level"], state["value"]) == ("province", "2.0")


def test_the_build_stops_when_a_coarser_level_is_preferred(raw_copy):
    edit_curation(raw_copy, dict(NEW_YORK_2021, raw_indicator="rd_intensity_national"), preferred="true")
    edit_curation(raw_copy, dict(NEW_YORK_2021, raw_indicator="rd_intensity_state"), preferred="false")
    with pytest.raises(errors.BuildError, match=r"NewYork 2021 rd_intensity: the preferred row is at "
                                                r"level country but the cell has a province-level row"):
        build(raw_copy, log=quiet)


def test_the_loaders_refuse_a_coarser_preferred_row(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder, ignore=shutil.ignore_patterns("raw", "*.md"))
    rows = read(folder / "observations.csv")
    for row in rows:
        if (row["city"], row["year"], row["indicator"]) == ("NewYork", "2021", "rd_intensity"):
            row["preferred"] = "true" if row["level"] == "country" else "false"
    (folder / "observations.csv").write_text(to_csv(rows, list(rows[0])), encoding="utf-8")
    with pytest.raises(errors.DuplicateObservationError, match=r"NewYork 2021 rd_intensity: the preferred "
                                                               r"row is at level country"):
        analysis.load_observations(data_dir=folder)


def test_a_level_above_city_needs_a_named_area(raw_copy):
    edit_curation(raw_copy, dict(NEW_YORK_2021, raw_indicator="rd_intensity_state"), area="", area_zh="")
    with pytest.raises(errors.BuildError, match="province-level figure needs 'area' and 'area_zh'"):
        build(raw_copy, log=quiet)


def test_an_unknown_level_stops_the_build(raw_copy):
    edit_curation(raw_copy, dict(NEW_YORK_2021, raw_indicator="rd_intensity_state"), level="state")
    with pytest.raises(errors.BuildError, match="level 'state' is not one of city, metro"):
        build(raw_copy, log=quiet)


def test_a_city_level_figure_belongs_to_one_city(raw_copy):
    edit_curation(raw_copy, {"raw_file": "peers.csv", "city": "Xi'an", "year": "2022",
                             "raw_indicator": "rd_intensity"}, cities="Xian;Wuhan")
    with pytest.raises(errors.BuildError, match="a city-level figure belongs to one city"):
        build(raw_copy, log=quiet)


def test_parts_of_different_territories_are_not_divided():
    """Derived ratios use parts measuring one territory: a city numerator over a province
    denominator is skipped, with the reason logged."""
    from analysis.build.derive import derive_ratios
    catalogue = {"x_per_gdp": {"derive": "true", "numerator": "x", "denominator": "gdp", "scale": "100",
                               "name_en": "x per GDP", "unit": "percent"}}
    common = dict(city="Boston", year="2020", preferred=True, derived=False, lower_bound=False,
                  approximate=False, year_inferred=False, vintage="", source_id="src-0000000000")
    rows = [dict(common, indicator="x", value="5", level="city", area="Boston", area_zh="波士顿"),
            dict(common, indicator="gdp", value="100", level="province", area="Massachusetts",
                 area_zh="马萨诸塞州")]
    derived, _, skipped = derive_ratios(rows, catalogue, lambda *parts: "src-1111111111")
    assert derived == [] and "measure different territories" in skipped[0][3]
    rows[0].update(level="province", area="Massachusetts", area_zh="马萨诸塞州")
    (one,) = derive_ratios(rows, catalogue, lambda *parts: "src-1111111111")[0]
    assert (one["value"], one["level"], one["area"]) == ("5.00", "province", "Massachusetts")


# ------------------------------------------------------------------------ clusters

def test_a_cluster_rank_is_filed_under_each_city_of_the_cluster(observations):
    rows = [o for o in observations if o["indicator"] == "gii_cluster_rank" and o["year"] == "2024"
            and o["city"] in ("Guangzhou", "Shenzhen")]
    assert {o["city"] for o in rows} == {"Guangzhou", "Shenzhen"}
    assert {(o["value"], o["level"], o["source_id"]) for o in rows} == {("2", "cluster", rows[0]["source_id"])}
    assert all("Shenzhen-Hong Kong-Guangzhou" in o["area"] for o in rows)
    assert all(o["level"] == "cluster" for o in observations if o["indicator"].startswith("gii_"))


def test_gdp_in_yuan_holds_no_foreign_currency(observations):
    cities = {c["code"]: c for c in read(DATA / "cities.csv")}
    assert not [o for o in observations if o["indicator"] == "gdp" and cities[o["city"]]["group"] == "global"]
    usd = [o for o in observations if o["indicator"] == "gdp_usd"]
    assert usd and {o["unit"] for o in usd} == {"million US dollars"}


# ------------------------------------------------------------------------ cities and groups

def test_every_city_has_a_group_and_the_groups_are_the_issue_lists():
    cities = read(DATA / "cities.csv")
    assert all(c["group"] in ("core", "domestic", "global") for c in cities)
    groups = city_groups(load_cities())
    assert groups == {"core": ["Beijing", "Shanghai", "Shenzhen", "Guangzhou"], "domestic": DOMESTIC,
                      "global": GLOBAL}


def test_new_cities_have_their_official_chinese_names_country_and_coverage():
    cities = {c["code"]: c for c in read(DATA / "cities.csv")}
    for code, name_zh in CHINESE.items():
        assert cities[code]["name_zh"] == name_zh, code
        assert re.search(r"[\u4e00-\u9fff]", cities[code]["country_zh"]), code
        assert len(cities[code]["coverage"]) > 40, code
    assert "Massachusetts" in cities["Boston"]["coverage"]          # which Boston the figures measure


def test_city_groups_keeps_table_order_and_every_code():
    table = load_cities()
    groups = city_groups(table)
    assert sorted(sum(groups.values(), [])) == sorted(table["code"])
    assert list(groups) == ["core", "domestic", "global"]


# ------------------------------------------------------------------------ coverage tables

def test_peer_coverage_tables_in_data_readme_match_the_data():
    for group, markers in known_gaps.PEER_MARKERS.items():
        assert known_gaps.readme_table(DATA / "README.md", markers) == known_gaps.peer_coverage_table(group), \
            f"the {group} coverage table is stale: run python -m analysis.build known-gaps --write"


def test_peer_coverage_shows_both_levels_of_a_mixed_cell():
    table = known_gaps.peer_coverage_table("global")
    (line,) = [row for row in table.splitlines() if row.startswith("| `rd_intensity` |")]
    new_york = line.strip("| ").split(" | ")[-1]
    assert "province" in new_york and "country" in new_york
