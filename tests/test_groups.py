"""Peer groups (issue 14): the domestic challengers and the global hubs chosen by group name,
figures of different geographic levels never ranked against each other, the global view,
and two full runs whose recorded values are recomputed from the CSV files."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pandas as pd
import pytest

import analysis
from analysis import catalogue, cli, findings, selection, sheets
from analysis.parameters import check_parameters

SHIPPED = Path(analysis.__file__).resolve().parent.parent / "data"
HUBS = ["Tokyo", "Seoul", "Singapore", "Boston", "SanFrancisco-SanJose", "London", "NewYork"]
CHALLENGERS = ["Hangzhou", "Nanjing", "Suzhou", "Wuhan", "Chengdu", "Xian"]


@functools.cache
def observations() -> pd.DataFrame:
    """observations.csv read straight with pandas, without the package's loaders."""
    return pd.read_csv(SHIPPED / "observations.csv", encoding="utf-8")


# --- group names --------------------------------------------------------------------------

def test_groups_expand_to_their_cities_in_table_order():
    assert check_parameters(peers=["global"]).peers == tuple(HUBS)
    assert check_parameters(peers="domestic").peers == tuple(CHALLENGERS)
    assert check_parameters(peers=["Beijing", "global"]).peers == ("Beijing", *HUBS)
    cities = pd.read_csv(SHIPPED / "cities.csv")
    assert {g: list(c) for g, c in cities.groupby("group", sort=False)["code"]} == catalogue.city_groups(
        catalogue.load_cities())


def test_a_group_leaves_out_the_focus_city_and_a_city_named_twice_by_groups_once():
    assert check_parameters(focus="Hangzhou", peers=["Guangzhou", "domestic"]).peers == (
        "Guangzhou", *[c for c in CHALLENGERS if c != "Hangzhou"])
    assert check_parameters(peers=["Beijing", "core"]).peers == ("Beijing", "Shanghai", "Shenzhen")


@pytest.mark.parametrize("peers, message", [
    (["Atlantis"], r"unknown city or group 'Atlantis' in peers; cities: Beijing, .*NewYork; "
                   r"groups: core, domestic, global"),
    (["Beijing", "Beijing"], r"name a city twice"),
    (["Guangzhou"], r"focus city Guangzhou is also among the peers"),
])
def test_unknown_names_fail_with_the_cities_and_groups(peers, message):
    with pytest.raises(ValueError, match=message):
        check_parameters(peers=peers)


def test_the_command_line_refuses_an_unknown_group_before_the_run(tmp_path, capsys):
    assert cli.main(["report", "--peers", "galactic", "--out", str(tmp_path / "r"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "unknown city or group 'galactic'" in err and "groups: core, domestic, global" in err
    assert not (tmp_path / "r").exists()


# --- geographic levels ---------------------------------------------------------------------

def frame(rows):
    data = pd.DataFrame(rows, columns=["city", "year", "indicator", "value", "level"])
    return data.assign(unit="percent", area=data["city"], area_zh=data["city"])


def test_a_country_figure_is_never_ranked_against_a_city_figure():
    data = frame([("Guangzhou", 2021, "rd_intensity", 3.1, "city"), ("Tokyo", 2021, "rd_intensity", 3.3, "country"),
                  ("Singapore", 2021, "rd_intensity", 2.2, "city")])
    kept, aside = selection.same_level(data, "Guangzhou")
    assert set(kept["city"]) == {"Guangzhou", "Singapore"} and aside["city"].tolist() == ["Tokyo"]
    # where the focus city has no figure, the level most figures have decides
    data = frame([("Tokyo", 2021, "x", 1, "country"), ("Seoul", 2021, "x", 2, "country"),
                  ("Boston", 2021, "x", 3, "province")])
    kept, aside = selection.same_level(data, "Guangzhou")
    assert set(kept["city"]) == {"Tokyo", "Seoul"} and aside["city"].tolist() == ["Boston"]


@pytest.fixture(scope="module")
def global_context():
    return sheets.open_report("test", "Guangzhou", ["global"], 2015, 2024, None, "en", None)


def test_the_report_ranks_only_same_level_figures_and_labels_the_others(global_context):
    ctx = global_context
    rd = ctx.data.loc[ctx.data["indicator"] == "rd_intensity"]
    assert set(rd["level"]) == {"city"} and set(rd["city"]) == {"Guangzhou", "Singapore"}
    table = sheets.scoreboard(ctx, ["rd_intensity"])
    note = next(n for n in table.frame["note"] if n)
    assert "Tokyo: Japan, national" in note and "Boston: Massachusetts (state), state or province" in note
    assert table.raw.loc[table.raw["city"] == "Tokyo", "value"].isna().all()   # not compared, not ranked
    assert len(table.columns) <= 10 and "city" in [c.key for c in table.columns]   # eight cities: one row each


def test_the_global_finding_reads_every_level_and_finds_the_nearest_hub_above(global_context):
    data = sheets.global_data(global_context)
    finding = findings.global_finding(data, focus="Guangzhou", hubs=HUBS)
    table = observations().loc[observations()["preferred"] & observations()["year"].between(2015, 2024)]
    for item in finding["intensity"]:
        rows = table.loc[(table["city"] == item["city"]) & (table["indicator"] == "rd_intensity")]
        latest = rows.loc[rows["year"] == rows["year"].max()].iloc[0]
        assert (item["year"], item["value"], item["level"]) == (latest["year"], latest["value"], latest["level"])
    for rank in finding["ranks"]:
        edition = table.loc[(table["indicator"] == rank["indicator"]) & (table["year"] == rank["year"])]
        values = edition.set_index("city")["value"]
        others = values.drop("Guangzhou")
        above = others[others.index.isin(HUBS) & (others < values["Guangzhou"])]
        assert [a["city"] for a in rank["ahead"]] == above.sort_values().index.tolist()
        if len(above):
            assert rank["nearest"] == above.idxmax() and rank["places"] == values["Guangzhou"] - above.max()


# --- two full runs --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def global_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("global") / "report"
    code = cli.main(["report", "--peers", "global", "--out", str(out), "--quiet"])
    return code, out


@pytest.fixture(scope="module")
def challenger_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("hangzhou") / "report"
    code = cli.main(["report", "--focus", "Hangzhou", "--peers", "Guangzhou", "domestic", "--out", str(out),
                     "--quiet"])
    return code, out


def test_a_run_against_the_global_hubs(global_report):
    code, out = global_report
    assert code == 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["parameters"]["peers"] == HUBS
    finding = summary["notebooks"]["07_global"]["values"]["global"]
    table = observations().loc[observations()["preferred"]]
    for item in finding["intensity"]:
        row = table.loc[(table["city"] == item["city"]) & (table["indicator"] == "rd_intensity")
                        & (table["year"] == item["year"])].iloc[0]
        assert item["value"] == pytest.approx(row["value"]) and item["area"] == row["area"]
    page = (out / "index.html").read_text(encoding="utf-8")
    assert '<section class="group">' in page and "Against the global innovation hubs" in page
    assert "Tokyo: Japan, national" in page                   # a cross-level figure says what it measures
    assert summary["index"]["computable"] is False            # no indicator all eight cities share a year of


def test_a_challenger_as_focus_against_guangzhou_and_the_domestic_group(challenger_report):
    code, out = challenger_report
    assert code == 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["parameters"]["focus"] == "Hangzhou"
    assert summary["parameters"]["peers"] == ["Guangzhou", *[c for c in CHALLENGERS if c != "Hangzhou"]]
    records = summary["notebooks"]["02_rd_intensity"]["values"]["challengers"]
    table = observations().loc[observations()["preferred"]]
    for record in records:
        rows = table.loc[(table["indicator"] == record["indicator"])
                         & table["city"].isin(["Hangzhou", record["challenger"]])
                         & table["year"].between(2015, 2024)]
        latest = rows.sort_values("year").groupby("city").tail(1).set_index("city")["value"]
        leader = "Hangzhou" if latest["Hangzhou"] >= latest[record["challenger"]] else record["challenger"]
        assert record["leader"] == leader                          # who leads, recomputed from the CSV
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "The domestic challengers" in page and re.search(r"Hangzhou", page)
    assert "Xi&#x27;an" in page or "Xi'an" in page
