"""Facts we expect the shipped data (``data/``) to keep.

Every other test builds its own data or derives what it expects from the data it reads;
the figures below are the ones the report and the notebooks are known to show. A data
update that changes one of them fails here, and only here: check the new figure against
its source, then update the expectation.
"""

from __future__ import annotations

import pytest
from conftest import SHIPPED

import analysis
from analysis import claims, sheets


@pytest.fixture(scope="module")
def data():
    return analysis.load_observations(data_dir=SHIPPED)


def figure(data, city, year, indicator):
    rows = data.loc[(data["city"] == city) & (data["year"] == year) & (data["indicator"] == indicator)]
    assert len(rows) <= 1
    return None if rows.empty else rows.iloc[0]


def test_guangzhou_2018_high_tech_enterprises_is_the_reports_lower_bound(data):
    row = figure(data, "Guangzhou", 2018, "high_tech_enterprises")          # "突破1.1万"
    assert (row["value"], bool(row["lower_bound"])) == (11000.0, True)


def test_the_four_cities_share_no_year_of_enterprise_rd_share(data):
    years = data.loc[data["indicator"] == "enterprise_rd_share"].groupby("city")["year"].apply(set)
    assert years.get("Beijing") == {2018}
    assert not set.intersection(*[years.get(c, set()) for c in ("Guangzhou", "Beijing", "Shanghai", "Shenzhen")])


def test_2018_rd_intensity_shanghai_from_the_bulletin_shenzhen_preliminary(data):
    # Shanghai: the NBS 2018 bulletin's 4.16 (preferred over the press's "about 4%");
    # Shenzhen: only the preliminary 4.2 was found
    for city, value, approximate in (("Shanghai", 4.16, False), ("Shenzhen", 4.2, True)):
        row = figure(data, city, 2018, "rd_intensity")
        assert (row["value"], bool(row["approximate"])) == (value, approximate)


def test_nature_index_2017(data):
    # Shenzhen was not in the 2017 top 50; Guangzhou 25th, behind Beijing (1st) and Shanghai (7th)
    assert figure(data, "Shenzhen", 2017, "nature_index_city_rank") is None
    ranks = {c: figure(data, c, 2017, "nature_index_city_rank")["value"] for c in ("Guangzhou", "Beijing", "Shanghai")}
    assert ranks == {"Guangzhou": 25.0, "Beijing": 1.0, "Shanghai": 7.0}


def test_guangzhou_rd_intensity_2016_to_2020_is_complete(data):
    years = data.loc[(data["city"] == "Guangzhou") & (data["indicator"] == "rd_intensity"), "year"]
    assert set(range(2016, 2021)) <= set(years)


def test_resident_population_vintages_differ_across_the_2020_census():
    ctx = sheets.open_report("test", "Guangzhou", ["Beijing", "Shanghai", "Shenzhen"], 2015, 2024, SHIPPED, "en", None)
    text = sheets.since_paragraph(ctx, ["resident_population"]).sentences[0]
    rows = ctx.data.loc[(ctx.data["indicator"] == "resident_population") & (ctx.data["year"] >= 2018)]
    for city in ctx.params.cities:
        own = rows.loc[rows["city"] == city].sort_values("year")
        first, last = own["vintage"].iloc[0], own["vintage"].iloc[-1]
        assert first and last and first != last  # the 2020 census sits between them
        assert f"{city} (releases differ: {first} vs {last})" in text
    assert "→" not in text


def test_the_claim_ledger_covers_the_reports_claims():
    ledger = claims.load_claims(SHIPPED)
    assert len(ledger) >= 20
    assert set(ledger["kind"]) == set(claims.CLAIM_KINDS)     # every kind is exercised
    quoted = {"nature_index_city_rank", "high_tech_enterprises", "tech_contract_turnover", "rd_intensity",
              "academicians", "state_key_labs"}
    assert quoted <= set(ledger["indicator"])


def test_the_claim_verdicts_and_the_plans_targets():
    ledger = claims.load_claims(SHIPPED)
    verdicts = claims.evaluate_claims(ledger, analysis.load_observations(preferred_only=False, data_dir=SHIPPED),
                                      analysis.load_sources(SHIPPED), analysis.load_catalogue(SHIPPED))
    counts = claims.verdict_counts(verdicts)
    assert {g: dict(zip(f["verdict"], f["count"])) for g, f in counts.groupby("group", sort=False)} == {
        "claim": {"supported": 5, "contradicted": 0, "not verifiable": 21},
        "target": {"met": 0, "missed": 0, "not verifiable": 7}}
    stated = verdicts[verdicts["check"].eq("as stated")].set_index("claim_id")
    assert list(stated.index[stated["verdict"].eq("supported")]) == ["C09", "C10", "C11", "C12", "C22"]
    # the seven targets of section 三, each not verifiable for its own reason
    assert dict(stated.loc[[f"T0{n}" for n in range(1, 8)], "reason_code"]) == {
        "T01": "no_series", "T02": "no_series", "T03": "no_series",
        "T04": "related_series_only",      # the city's S&T fund of funds is not the fund the plan names
        "T05": "base_in_target_year",      # 8 partner banks (31 March 2019) is the base; end-2019 not found
        "T06": "value_open",               # at least 111.71亿元 (31 March 2019) cannot decide "超过150亿元"
        "T07": "unusable_cells",           # the only 2018 stock (突破1.1万) is the report's own figure
    }
