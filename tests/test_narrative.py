"""Findings and their sentences on small hand-built data: a leader, a laggard, a tie, a
missing peer, a lower bound and a single-year window, in English and Chinese."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import findings, narrative
from analysis.catalogue import Labels, load_cities, load_gaps

CITIES = ["Guangzhou", "Beijing", "Shanghai"]
CATALOGUE = pd.DataFrame([
    # code, family, gap, direction, unit, unit_zh, name_en, name_zh, numerator, denominator, scale
    ("labs", "labs", "strategic", 1, "count", "个", "Key labs", "重点实验室", "", "", None),
    ("awards", "awards", "strategic", 1, "count", "个", "National awards", "国家科技奖", "", "", None),
    ("rank", "rank", "strategic", -1, "rank", "位", "Science-city rank", "科研城市排名", "", "", None),
    ("rd_intensity", "rd_intensity", "rd_intensity", 1, "percent", "%", "R&D intensity", "研发投入强度",
     "rd_expenditure", "gdp", 100.0),
    ("rd_expenditure", "rd_expenditure", "rd_intensity", 1, "100 million yuan", "亿元", "R&D expenditure",
     "研发经费", "", "", None),
    ("gdp", "gdp", "context", 0, "100 million yuan", "亿元", "GDP", "地区生产总值", "", "", None),
], columns=["code", "family", "gap", "direction", "unit", "unit_zh", "name_en", "name_zh", "numerator",
            "denominator", "scale"]).set_index("code", drop=False)


def labels(lang="en") -> Labels:
    return Labels(CATALOGUE, load_cities(), load_gaps(), lang)


def frame(rows, **flags) -> pd.DataFrame:
    """Tidy observations from (city, year, indicator, value) rows; ``flags`` maps a flag
    name to the (city, year, indicator) cells that carry it."""
    data = pd.DataFrame(rows, columns=["city", "year", "indicator", "value"])
    data["unit"] = data["indicator"].map(CATALOGUE["unit"])
    for flag in ("lower_bound", "approximate", "year_inferred", "derived"):
        cells = set(flags.get(flag, ()))
        data[flag] = [(c, y, i) in cells for c, y, i in zip(data["city"], data["year"], data["indicator"])]
    return data


def sentences(finding, lang="en") -> str:
    names = labels(lang)
    return " ".join(narrative.finding_sentences(finding, names.msg, names))


def strategic(data):
    return findings.gap_finding(data, CATALOGUE, gap="strategic", focus="Guangzhou", peers=CITIES[1:])


LABS = [("Guangzhou", 2020, "labs", 30.0), ("Beijing", 2020, "labs", 20.0), ("Shanghai", 2020, "labs", 10.0)]
AWARDS = [("Guangzhou", 2020, "awards", 1.0), ("Beijing", 2020, "awards", 5.0), ("Shanghai", 2020, "awards", 3.0)]


def test_a_leader_ranks_first_and_is_ahead_of_every_peer():
    finding = strategic(frame(LABS))
    [entry] = finding["comparable"]
    assert (entry["focus_rank"], entry["position"], entry["year"]) == (1, "ahead", 2020)
    assert finding["headline"] == "labs" and finding["positions"]["ahead"] == ["labs"]
    text = sentences(finding)
    assert "Guangzhou ranks 1st of 3 on Key labs (count) in 2020: Guangzhou 30, Beijing 20 and Shanghai 10." in text
    chinese = sentences(finding, "zh")
    assert "广州在3个城市中排第1" in chinese and "广州30、北京20和上海10" in chinese


def test_a_laggard_is_behind_every_peer_and_the_positions_sentence_counts_the_series():
    finding = strategic(frame(LABS + AWARDS))
    assert finding["positions"] == {"ahead": ["labs"], "tied": [], "between": [], "behind": ["awards"]}
    text = sentences(finding)
    assert "Across the 2 ranked series that all 3 cities report in a common year (one per family), Guangzhou is " \
           "ahead of every peer on Key labs and behind every peer on National awards." in text
    assert "Data: 2 of 3 series can be compared in a common year; not comparable: Science-city rank (no figure " \
           "for Guangzhou, Beijing and Shanghai)." in text


def test_a_tie_for_first_is_said_as_a_tie():
    data = frame([("Guangzhou", 2020, "labs", 20.0), ("Beijing", 2020, "labs", 20.0), ("Shanghai", 2020, "labs", 5.0)])
    finding = strategic(data)
    assert finding["comparable"][0]["position"] == "tied"
    assert "ranks tied 1st of 3" in sentences(finding) and "并列第1" in sentences(finding, "zh")


def test_lower_is_better_for_a_rank():
    data = frame([("Guangzhou", 2020, "rank", 25.0), ("Beijing", 2020, "rank", 1.0), ("Shanghai", 2020, "rank", 7.0)])
    entry = strategic(data)["comparable"][0]
    assert (entry["focus_rank"], entry["position"]) == (3, "behind")


def test_a_missing_peer_makes_the_series_not_comparable_and_the_gap_unmeasurable():
    finding = strategic(frame(LABS[:2]))                  # Shanghai has no figure
    assert finding["comparable"] == [] and finding["headline"] is None
    assert {"indicator": "labs", "cities_without_figure": ["Shanghai"], "reason": "no_figure"} in \
        finding["not_comparable"]
    text = sentences(finding)
    assert text.startswith("The data cannot yet measure this gap for Guangzhou: none of its 3 series has figures "
                           "for all 3 cities in a common year.")
    assert "Key labs (no figure for Shanghai)" in text
    assert "现有数据尚无法衡量广州的这一差距" in sentences(finding, "zh")


def test_figures_in_different_years_are_not_comparable():
    data = frame([("Guangzhou", 2019, "labs", 30.0), ("Beijing", 2020, "labs", 20.0), ("Shanghai", 2020, "labs", 10.0)])
    finding = strategic(data)
    assert {"indicator": "labs", "cities_without_figure": [], "reason": "no_common_year"} in finding["not_comparable"]
    assert "Key labs (no common year)" in sentences(finding)


def test_a_lower_bound_is_marked_and_the_rank_is_not_exact():
    data = frame(LABS, lower_bound=[("Beijing", 2020, "labs")])
    finding = strategic(data)
    assert finding["comparable"][0]["rank_exact"] is False
    text = sentences(finding)
    assert "Beijing ≥20" in text and "The rank is not exact: a figure is a lower bound or approximate." in text
    # a derived figure is exact: it does not make the rank uncertain
    assert strategic(frame(LABS, derived=[("Beijing", 2020, "labs")]))["comparable"][0]["rank_exact"] is True


RD = [(city, year, indicator, value) for city, values in {
    "Guangzhou": {2018: (2.5, 500.0, 20000.0), 2023: (3.0, 900.0, 30000.0)},
    "Beijing": {2018: (6.0, 1800.0, 30000.0), 2023: (6.5, 2600.0, 40000.0)},
    "Shanghai": {2018: (2.8, 840.0, 30000.0), 2023: (2.9, 1160.0, 40000.0)},
}.items() for year, triple in values.items() for indicator, value in zip(("rd_intensity", "rd_expenditure", "gdp"),
                                                                            triple)]


def rd(data):
    return findings.rd_finding(data, CATALOGUE, focus="Guangzhou", peers=CITIES[1:])


def test_rd_finding_gives_the_difference_the_extra_spending_and_already_above():
    finding = rd(frame(RD))["rd"]
    beijing, shanghai = finding["peers"]["Beijing"], finding["peers"]["Shanghai"]
    assert finding["focus"] == {"year": 2023, "value": 3.0, "flags": []}
    assert beijing["difference"] == pytest.approx(-3.5) and shanghai["difference"] == pytest.approx(0.1)
    # Beijing: 6.5% of Guangzhou's GDP 30000 = 1950, minus its 900
    assert beijing["extra"] == pytest.approx(1050.0) and beijing["extra_pct"] == pytest.approx(1050 / 900 * 100)
    assert shanghai["already_above"] is True and shanghai["extra"] is None
    text = sentences(rd(frame(RD)))
    assert "In 2023, Guangzhou's R&D intensity was 3.00%: 3.50 percentage points below Beijing (6.50%) and 0.10 " \
           "percentage points above Shanghai (2.90%)." in text
    assert "1,050.0 to match Beijing (+117%)" in text and "It is already above Shanghai." in text
    chinese = sentences(rd(frame(RD)), "zh")
    assert "比北京（6.50%）低3.50个百分点" in chinese and "其已高于上海。" in chinese


def test_rd_catch_up_needs_a_growth_window_a_single_year_gives_no_projection():
    single = frame([row for row in RD if row[1] == 2023])
    finding = rd(single)["rd"]
    assert finding["peers"]["Beijing"]["reach_status"] == "unknown"
    assert "have no projection against Beijing (growth rate missing)" in sentences(rd(single))
    # with 2018 and 2023 (a five-year window) the projection has a year
    reach = rd(frame(RD))["rd"]["peers"]["Beijing"]
    assert reach["reach_status"] == "projected" and reach["reach_year"] > 2023
    assert f"reach the current level of Beijing in {reach['reach_year']}" in sentences(rd(frame(RD)))


def test_leader_shares_put_the_leader_at_100():
    shares = findings.leader_shares(strategic(frame(LABS + AWARDS))).set_index(["indicator", "city"])["share"]
    assert shares[("labs", "Guangzhou")] == 100 and shares[("labs", "Shanghai")] == pytest.approx(100 / 3)
    assert shares[("awards", "Beijing")] == 100 and shares[("awards", "Guangzhou")] == pytest.approx(20)
