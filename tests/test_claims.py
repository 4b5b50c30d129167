"""Claim checker: each claim kind gives supported, contradicted and not verifiable on
hand-built fixtures, and each target met, missed and not verifiable; lower bounds only
prove what they can; the report is never evidence for itself; proxy-year lines stand
apart; the shipped ledger loads and evaluates cleanly. Reasons are checked as codes and
fields, and in the English wording (tests/test_claims_wording.py checks both languages)."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from conftest import SEED, SHIPPED

import analysis
from analysis import claims as cl
from analysis.catalogue import Labels
from analysis.claims import wording
from analysis.errors import DataFileError
from analysis.messages import Messages

PEERS = "Beijing Shanghai Shenzhen"

# ------------------------------------------------------------------------ fixtures

SOURCES = pd.DataFrame([
    ("src-report0001", cl.REPORT_TITLE, "广州市科学技术局", "Guangzhou S&T Bureau", "广州市科学技术局", cl.REPORT_URL,
     "official"),
    ("src-report0002", cl.REPORT_TITLE, "广州市科学技术局", "Guangzhou S&T Bureau", "广州市科学技术局", cl.REPORT_URL,
     "official"),
    ("src-indep00001", "Statistical yearbook", "Statistics Bureau", "Statistics Bureau", "统计局",
     "https://stats.example/1", "official"),
    ("src-indep00002", "Newspaper report", "Daily", "Daily", "日报", "https://news.example/2",
     "media quoting official"),
], columns=["source_id", "title", "publisher", "publisher_en", "publisher_zh", "url", "source_type"])

# English names are the codes, so reasons read "Guangzhou 2018 hte not in data"
CATALOGUE = pd.DataFrame([
    ("hte", "count", "个", 1, "高新技术企业数"), ("rdi", "percent", "%", 1, "研发投入强度"),
    ("turnover", "100 million yuan", "亿元", 1, "技术合同成交额"), ("ni_rank", "rank", "位", -1, "自然指数排名"),
    ("ctx", "count", "个", 0, "背景指标"),
], columns=["code", "unit", "unit_zh", "direction", "name_zh"]).set_index("code", drop=False)
CATALOGUE.insert(1, "name_en", CATALOGUE["code"])

CITIES = pd.DataFrame([("Guangzhou", "广州"), ("Beijing", "北京"), ("Shanghai", "上海"), ("Shenzhen", "深圳")],
                      columns=["code", "name_zh"]).set_index("code", drop=False)
CITIES.insert(1, "name_en", CITIES["code"])
LABELS = {lang: Labels(CATALOGUE, CITIES, pd.DataFrame(), lang) for lang in ("en", "zh")}


def reason(row, lang: str = "en") -> str:
    """The reason of a verdict row worded in ``lang`` with the fixture's names."""
    return wording.reason_text(row, wording.Words(Messages(lang), LABELS[lang]))


def evidence(row, lang: str = "en") -> str:
    return wording.evidence_text(row, wording.Words(Messages(lang), LABELS[lang]))


def items(row) -> list:
    """The evidence items of a verdict row."""
    return json.loads(row["evidence"])

UNITS = dict(zip(CATALOGUE["code"], CATALOGUE["unit"]))


def obs(*rows) -> pd.DataFrame:
    """Observations from (city, year, indicator, value, source_id[, flags...]) tuples.

    Flags are given as a trailing dict: preferred (default True), lower_bound, approximate,
    year_inferred.
    """
    records = []
    for row in rows:
        flags = row[5] if len(row) > 5 else {}
        city, year, indicator, value, source = row[:5]
        records.append({
            "city": city, "year": year, "indicator": indicator, "value": float(value),
            "unit": UNITS[indicator], "source_id": source, "preferred": flags.get("preferred", True),
            "lower_bound": flags.get("lower_bound", False), "approximate": flags.get("approximate", False),
            "year_inferred": flags.get("year_inferred", False), "vintage": "", "note": ""})
    return pd.DataFrame(records)


def claim(**fields) -> pd.DataFrame:
    """A one-claim ledger with defaults for Guangzhou 2018."""
    row = {column: "" for column in cl.CLAIM_COLUMNS}
    row.update(claim_id="C01", ledger_version=1, section="一", claim_zh="测试", gist_en="test",
               city="Guangzhou", year=2018)
    row.update(fields)
    return pd.DataFrame([row])


def ledger(*frames) -> pd.DataFrame:
    out = pd.concat(frames, ignore_index=True)
    out["claim_id"] = [f"C{i + 1:02d}" for i in range(len(out))]
    return out


def evaluate(claims, observations, **kwargs) -> pd.DataFrame:
    return cl.evaluate_claims(claims, observations, SOURCES, CATALOGUE, **kwargs)


def one(claims, observations, **kwargs) -> pd.Series:
    """The single "as stated" verdict row."""
    out = evaluate(claims, observations, **kwargs)
    stated = out[out["check"] == "as stated"]
    assert len(stated) == 1
    return stated.iloc[0]


IND = "src-indep00001"
IND2 = "src-indep00002"
REP = "src-report0001"
LB = {"lower_bound": True}
APPROX = {"approximate": True}
INFERRED = {"year_inferred": True}


# ------------------------------------------------------------------------ threshold

def threshold(op=">", target=11000, indicator="hte"):
    return claim(kind="threshold", indicator=indicator, operator=op, target=target, unit="count")


def test_threshold_supported_contradicted_and_missing():
    assert one(threshold(), obs(("Guangzhou", 2018, "hte", 12000, IND)))["verdict"] == "supported"
    row = one(threshold(), obs(("Guangzhou", 2018, "hte", 10000, IND)))
    assert row["verdict"] == "contradicted"
    assert row["reason_code"] == "value_fails" and json.loads(row["reason_fields"])["figure"]["value"] == 10000
    assert "10,000" in reason(row)
    row = one(threshold(), obs(("Guangzhou", 2017, "hte", 12000, IND)))
    assert row["verdict"] == "not verifiable"
    assert json.loads(row["reason_fields"]) == {"cells": [{"problem": "missing", "city": "Guangzhou", "year": 2018,
                                                           "indicator": "hte"}]}
    assert "Guangzhou 2018 hte not in data" in reason(row)


def test_threshold_boundary_strict_and_non_strict():
    data = obs(("Guangzhou", 2018, "hte", 11000, IND))
    assert one(threshold(">"), data)["verdict"] == "contradicted"
    assert one(threshold(">="), data)["verdict"] == "supported"
    assert one(threshold("<"), data)["verdict"] == "contradicted"
    assert one(threshold("<="), data)["verdict"] == "supported"


def test_lower_bound_proves_only_what_it_can():
    data = obs(("Guangzhou", 2018, "hte", 12000, IND, LB))     # "超过 12000"
    assert one(threshold(">", 11000), data)["verdict"] == "supported"
    assert one(threshold(">=", 12000), data)["verdict"] == "supported"
    # a floor cannot show an exact figure ...
    row = one(claim(kind="equality", indicator="hte", operator="=", target=12000, unit="count"), data)
    assert row["verdict"] == "not verifiable"
    assert row["reason_code"] == "value_open" and "lower bound" in reason(row)
    # ... nor prove or contradict a higher threshold
    row = one(threshold(">", 13000), data)
    assert row["verdict"] == "not verifiable"
    # but a floor above the claimed figure does rule out "< X" and "= X"
    assert one(threshold("<", 11000), data)["verdict"] == "contradicted"
    assert one(claim(kind="equality", indicator="hte", operator="=", target=11000, unit="count"),
               data)["verdict"] == "contradicted"


def test_lower_bound_is_never_contradicted_on_a_greater_than_claim():
    for floor in (5000, 10999, 11000, 12000):
        data = obs(("Guangzhou", 2018, "hte", floor, IND, LB))
        assert one(threshold(">", 11000), data)["verdict"] != "contradicted"
    assert one(threshold(">", 11000), obs(("Guangzhou", 2018, "hte", 10999, IND, LB)))["verdict"] == "not verifiable"


def test_approximate_figure_cannot_confirm_an_exact_one():
    data = obs(("Guangzhou", 2018, "hte", 12000, IND, APPROX))
    assert one(claim(kind="equality", indicator="hte", operator="=", target=12000, unit="count"),
               data)["verdict"] == "not verifiable"
    assert one(threshold(">", 10000), data)["verdict"] == "supported"
    # with no tolerance for approximation the rounded figure is taken at face value
    assert one(claim(kind="equality", indicator="hte", operator="=", target=12000, unit="count"),
               data, approximate_tolerance=0.0)["verdict"] == "supported"


# ------------------------------------------------------------------------- equality

def equality(target=357, tolerance=1, year=2017):
    return claim(kind="equality", indicator="turnover", operator="=", target=target, tolerance=tolerance,
                 year=year, unit="100 million yuan")


def test_equality_supported_contradicted_and_missing():
    assert one(equality(), obs(("Guangzhou", 2017, "turnover", 357.51, IND)))["verdict"] == "supported"
    assert one(equality(tolerance=0), obs(("Guangzhou", 2017, "turnover", 357.51, IND)))["verdict"] == "contradicted"
    assert one(equality(), obs(("Guangzhou", 2017, "turnover", 360, IND)))["verdict"] == "contradicted"
    row = one(equality(), obs(("Beijing", 2017, "turnover", 357, IND)))
    assert row["verdict"] == "not verifiable"
    assert "Guangzhou 2017 turnover not in data" in reason(row)


def test_equality_unit_must_match_catalogue():
    with pytest.raises(ValueError, match="catalogue unit"):
        evaluate(claim(kind="equality", indicator="turnover", operator="=", target=357, unit="count"),
                 obs(("Guangzhou", 2018, "turnover", 357, IND)))


# ---------------------------------------------------------------------------- ratio

def ratio(op=">=", target=2):
    return claim(kind="ratio", indicator="turnover", year=2018, base_year=2017, operator=op, target=target,
                 unit="times")


def test_ratio_supported_contradicted_and_missing():
    row = one(ratio(), obs(("Guangzhou", 2017, "turnover", 357.51, IND), ("Guangzhou", 2018, "turnover", 719.38, IND)))
    assert row["verdict"] == "supported"
    assert "2.01" in reason(row)
    assert row["source_ids"] == IND
    assert one(ratio(), obs(("Guangzhou", 2017, "turnover", 357.51, IND),
                            ("Guangzhou", 2018, "turnover", 600, IND)))["verdict"] == "contradicted"
    row = one(ratio(), obs(("Guangzhou", 2018, "turnover", 719.38, IND)))
    assert row["verdict"] == "not verifiable"
    assert "Guangzhou 2017 turnover not in data" in reason(row)


def test_ratio_with_bounds():
    # a floor on the later value can prove a doubling ...
    assert one(ratio(), obs(("Guangzhou", 2017, "turnover", 357, IND),
                            ("Guangzhou", 2018, "turnover", 800, IND, LB)))["verdict"] == "supported"
    # ... a floor on the base value cannot (the base may be larger)
    assert one(ratio(), obs(("Guangzhou", 2017, "turnover", 357, IND, LB),
                            ("Guangzhou", 2018, "turnover", 800, IND)))["verdict"] == "not verifiable"
    # but it can rule out "more than tripled"
    assert one(ratio(">", 3), obs(("Guangzhou", 2017, "turnover", 357, IND, LB),
                                  ("Guangzhou", 2018, "turnover", 800, IND)))["verdict"] == "contradicted"


# ------------------------------------------------------------------------- ordering

def ordering(op="<", year=2018):
    return claim(kind="ordering", indicator="rdi", other_cities=PEERS, operator=op, year=year, unit="percent")


def rdi(year, gz=2.6, bj=6.0, sh=4.0, sz=4.2, flags=None):
    values = {"Guangzhou": gz, "Beijing": bj, "Shanghai": sh, "Shenzhen": sz}
    flags = flags or {}
    return [(city, year, "rdi", value, IND, flags.get(city, {})) for city, value in values.items() if value is not None]


def test_ordering_supported_contradicted_and_missing():
    row = one(ordering(), obs(*rdi(2018)))
    assert row["verdict"] == "supported"
    assert set(row["source_ids"].split(";")) == {IND}
    row = one(ordering(), obs(*rdi(2018, sz=2.0)))
    assert row["verdict"] == "contradicted"
    assert [p["other"] for p in json.loads(row["reason_fields"])["fails"]] == ["Shenzhen"]
    assert "Shenzhen" in reason(row)
    row = one(ordering(), obs(*rdi(2018, bj=None)))
    assert row["verdict"] == "not verifiable"
    assert "Beijing 2018 rdi not in data" in reason(row)


def test_ordering_contradicted_even_if_another_peer_is_missing():
    row = one(ordering(), obs(*rdi(2018, bj=None, sz=2.0)))
    assert row["verdict"] == "contradicted"
    assert "Beijing 2018 rdi not in data" in reason(row)


def test_ordering_overlapping_bounds_are_not_verifiable():
    # Guangzhou "more than 2.6%" may or may not be below Shanghai's 4.0
    row = one(ordering(), obs(*rdi(2018, flags={"Guangzhou": LB})))
    assert row["verdict"] == "not verifiable"
    # approximate values whose bands overlap cannot be ordered either
    row = one(ordering(), obs(*rdi(2018, gz=3.9, flags={"Shanghai": APPROX})))
    assert row["verdict"] == "not verifiable"
    assert one(ordering(), obs(*rdi(2018, gz=3.9)))["verdict"] == "supported"


def test_ordering_evidence_has_point_gaps_from_metrics():
    row = one(ordering(), obs(*rdi(2018)))
    gap = items(row)[-1]
    assert gap["item"] == "point_gap" and gap["method"] == "analysis.metrics.difference"
    assert gap["differences"][0] == {"peer": "Beijing", "difference": -3.4}
    assert "Beijing −3.4" in evidence(row)


# ---------------------------------------------------------------------- proxy year

def test_proxy_line_is_separate_and_never_replaces_the_verdict():
    data = obs(*rdi(2018, bj=None), *rdi(2017), *rdi(2019, sz=2.0), *rdi(2015))
    out = evaluate(ordering(), data)
    assert list(out["check"]) == ["as stated", "nearest common year (proxy)"]
    stated, proxy = out.iloc[0], out.iloc[1]
    assert stated["verdict"] == "not verifiable"
    assert stated["year"] == 2018 and stated["claim_year"] == 2018
    assert "Beijing 2018 rdi not in data" in reason(stated)
    assert json.loads(stated["reason_fields"])["proxy_year"] == 2017
    assert reason(stated).endswith("see the proxy check on 2017")
    # 2017 and 2019 are equally near; the earlier year is used
    assert proxy["year"] == 2017 and proxy["claim_year"] == 2018
    assert proxy["verdict"] == "supported"
    assert json.loads(proxy["reason_fields"])["proxy_for"] == 2018
    assert reason(proxy).startswith("proxy check on 2017")
    assert "2018" in reason(proxy)


def test_no_proxy_line_when_the_year_is_complete_or_no_common_year_exists():
    assert len(evaluate(ordering(), obs(*rdi(2018), *rdi(2017)))) == 1
    out = evaluate(ordering(), obs(*rdi(2018, bj=None), *rdi(2017, sh=None)))
    assert len(out) == 1
    assert json.loads(out.iloc[0]["reason_fields"])["no_proxy"] is True
    assert "no proxy check" in reason(out.iloc[0])
    assert len(evaluate(ordering(), obs(*rdi(2018, bj=None), *rdi(2017)), proxy_year=False)) == 1


def test_proxy_year_skips_years_where_only_the_report_covers_a_city():
    data = obs(*rdi(2018, gz=None), ("Guangzhou", 2018, "rdi", 2.6, REP),
               *rdi(2017, gz=None), ("Guangzhou", 2017, "rdi", 2.5, REP), *rdi(2016))
    out = evaluate(ordering(), data)
    assert out.iloc[0]["verdict"] == "not verifiable"
    assert "only source is the report itself" in reason(out.iloc[0])
    assert out.iloc[1]["year"] == 2016


# ----------------------------------------------------------------------------- rank

def test_published_rank_supported_contradicted_and_missing():
    rank = claim(kind="rank", indicator="ni_rank", year=2017, operator="=", target=25, scope="global", unit="rank")
    assert one(rank, obs(("Guangzhou", 2017, "ni_rank", 25, IND)))["verdict"] == "supported"
    assert one(rank, obs(("Guangzhou", 2017, "ni_rank", 30, IND)))["verdict"] == "contradicted"
    row = one(rank, obs(("Guangzhou", 2016, "ni_rank", 25, IND)))
    assert row["verdict"] == "not verifiable"
    assert "Guangzhou 2017 ni_rank not in data" in reason(row)


def hte(year, gz=11000, bj=25000, sh=9206, sz=14400, flags=None):
    values = {"Guangzhou": gz, "Beijing": bj, "Shanghai": sh, "Shenzhen": sz}
    flags = flags or {}
    return [(city, year, "hte", value, IND, flags.get(city, {})) for city, value in values.items() if value is not None]


def rank_claim(target=3, scope="peers", op="="):
    return claim(kind="rank", indicator="hte", other_cities=PEERS, operator=op, target=target, scope=scope,
                 unit="rank")


PEERS_RANK_CASES = {   # case: (claim, data, verdict, phrases the reason must contain)
    "third of four, claimed third": (rank_claim(3), obs(*hte(2018)), "supported", []),
    "third of four, claimed first": (rank_claim(1), obs(*hte(2018)), "contradicted", ["ranks 3"]),
    "subject city missing": (rank_claim(3), obs(*hte(2018, gz=None)), "not verifiable",
                             ["Guangzhou 2018 hte not in data"]),
    # the only other listed city has no row: a rank among 1 city, "1-2", used to support "<= 2"
    "only other listed city missing": (
        claim(kind="rank", indicator="hte", other_cities="Beijing", operator="<=", target=2, scope="peers",
              unit="rank"),
        obs(("Guangzhou", 2018, "hte", 11000, IND), ("Beijing", 2017, "hte", 25000, IND)),
        "not verifiable", ["Beijing 2018 hte not in data", "fewer than 2 cities"]),
    # "at most 4th of four" is not supported with Shenzhen missing either
    "at most fourth with a peer missing": (rank_claim(4, op="<="), obs(*hte(2018, sz=None)), "not verifiable",
                                           ["Shenzhen 2018 hte not in data"]),
    # a contradiction stays sound: the missing city can only push Guangzhou down
    "contradiction with a peer missing": (rank_claim(1), obs(*hte(2018, sz=None)), "contradicted",
                                          ["Shenzhen 2018 hte not in data"]),
}


@pytest.mark.parametrize("case", list(PEERS_RANK_CASES))
def test_rank_among_peers(case):
    claims, data, verdict, phrases = PEERS_RANK_CASES[case]
    row = one(claims, data)
    assert row["verdict"] == verdict
    for phrase in phrases:
        assert phrase in reason(row)


def test_rank_lower_is_better_direction():
    data = obs(("Guangzhou", 2017, "hte", 5, IND), ("Beijing", 2017, "hte", 1, IND), ("Shanghai", 2017, "hte", 9, IND))
    catalogue = CATALOGUE.copy()
    catalogue.loc["hte", "direction"] = -1
    row = cl.evaluate_claims(claim(kind="rank", indicator="hte", year=2017, other_cities="Beijing Shanghai",
                                   operator="=", target=2, scope="peers", unit="rank"), data, SOURCES, catalogue)
    assert row.iloc[0]["verdict"] == "supported"


def test_national_rank_is_never_supported_by_four_cities():
    row = one(rank_claim(3, "national"), obs(*hte(2018)))
    assert row["verdict"] == "not verifiable"
    assert row["reason_code"] == "rank_broader_consistent"
    assert "national rank needs all cities" in reason(row)
    assert "consistent with" in reason(row)
    # even "at most 4th" is not proved by four cities
    row = one(rank_claim(4, "national", "<="), obs(*hte(2018)))
    assert row["verdict"] == "not verifiable"
    # nor any other rank statement, even one the four cities would bear out
    row = one(rank_claim(2, "national", ">="), obs(*hte(2018, gz=9000)))
    assert row["verdict"] == "not verifiable"
    assert "national rank needs all cities" in reason(row)


def test_national_rank_contradicted_when_too_many_cities_are_certainly_ahead():
    row = one(rank_claim(3, "national"), obs(*hte(2018, gz=9000)))   # fourth of four
    assert row["verdict"] == "contradicted"
    assert row["reason_code"] == "rank_broader_fails" and json.loads(row["reason_fields"])["best"] == 4
    assert "at least 4" in reason(row)
    # a lower bound on Guangzhou leaves Shenzhen possibly behind: consistent, not contradicted
    row = one(rank_claim(2, "national"), obs(*hte(2018, flags={"Guangzhou": LB})))
    assert row["verdict"] == "not verifiable"


def test_national_rank_with_report_only_focus_gets_a_proxy_line():
    data = obs(*hte(2018, gz=None), ("Guangzhou", 2018, "hte", 11000, REP, LB), *hte(2016, gz=4742))
    out = evaluate(rank_claim(3, "national"), data)
    stated, proxy = out.iloc[0], out.iloc[1]
    assert stated["verdict"] == "not verifiable"
    assert "national rank needs all cities" in reason(stated)
    assert "only source is the report itself" in reason(stated)
    assert proxy["check"] == "nearest common year (proxy)" and proxy["year"] == 2016
    assert proxy["verdict"] == "contradicted"      # fourth of four in 2016
    assert stated["verdict"] == "not verifiable"   # unchanged by the proxy


def test_rank_evidence_has_point_rank_from_metrics():
    row = one(rank_claim(3), obs(*hte(2018)))
    rank = items(row)[-1]
    assert rank["method"] == "analysis.metrics.rank" and (rank["rank"], rank["n_ranked"]) == (3, 4)
    assert "3 of 4" in evidence(row)


def test_peers_rank_without_other_cities_is_rejected():
    # it used to rank among whichever cities had rows: "among the 1 cities Guangzhou ranks 1"
    peers = claim(kind="rank", indicator="hte", operator="=", target=1, scope="peers", unit="rank")
    with pytest.raises(cl.InvalidArgumentError, match=r"claim C01: .*scope 'peers' needs other_cities"):
        evaluate(peers, obs(("Guangzhou", 2018, "hte", 11000, IND)))
    with pytest.raises(ValueError, match="C01"):
        cl.check_claims(peers)


def test_rank_evidence_names_the_bound_cities():
    row = one(rank_claim(3), obs(*hte(2018, flags={"Beijing": LB, "Shenzhen": APPROX})))
    text = evidence(row)
    assert "point-value rank (2018): 3 of 4" in text
    note = text[text.index("point-value rank"):]
    assert "(bounds involved: Beijing at least 25,000 count (lower bound); Shenzhen about 14,400 count" in note
    assert "Shanghai" not in note and "Guangzhou" not in note
    # the gap evidence of an ordering claim says the same
    row = one(ordering(), obs(*rdi(2018, flags={"Shanghai": APPROX})))
    gap = evidence(row)[evidence(row).index("point gap"):]
    assert "(bounds involved: Shanghai about 4 percent (approximate" in gap
    # exact values: no note
    assert "bounds involved" not in evidence(one(rank_claim(3), obs(*hte(2018))))


# ------------------------------------------------------------------ year inferred

def test_year_inferred_figure_neither_supports_nor_contradicts_a_single_figure():
    row = one(threshold(), obs(("Guangzhou", 2018, "hte", 12000, IND, INFERRED)))
    assert row["verdict"] == "not verifiable"
    assert row["reason_code"] == "year_inferred" and json.loads(row["reason_fields"])["would"] == "holds"
    assert "the year of Guangzhou 2018 hte (12,000 count) is inferred" in reason(row)
    assert "would show > 11,000" in reason(row)
    row = one(threshold(), obs(("Guangzhou", 2018, "hte", 10000, IND, INFERRED)))
    assert row["verdict"] == "not verifiable"          # the 10000 may be another year's figure
    assert "would rule out > 11,000" in reason(row)
    # a preferred row of certain year is used as before
    data = obs(("Guangzhou", 2018, "hte", 12000, IND), ("Guangzhou", 2018, "hte", 12000, IND2,
                                                        {"preferred": False, "year_inferred": True}))
    assert one(threshold(), data)["verdict"] == "supported"


def test_year_inferred_figure_in_a_ratio():
    row = one(ratio(), obs(("Guangzhou", 2017, "turnover", 357.51, IND, INFERRED),
                           ("Guangzhou", 2018, "turnover", 719.38, IND)))
    assert row["verdict"] == "not verifiable"
    assert row["reason_code"] == "ratio_year_inferred"
    assert "the year of Guangzhou 2017 turnover (357.51 100 million yuan) is inferred" in reason(row)
    row = one(ratio(), obs(("Guangzhou", 2017, "turnover", 357.51, IND),
                           ("Guangzhou", 2018, "turnover", 600, IND, INFERRED)))
    assert row["verdict"] == "not verifiable"


def test_year_inferred_figure_in_an_ordering():
    row = one(ordering(), obs(*rdi(2018, flags={"Shanghai": INFERRED})))
    assert row["verdict"] == "not verifiable"
    assert "the year of Shanghai 2018 rdi is inferred" in reason(row)
    # only the inferred pair fails: no sound contradiction
    row = one(ordering(), obs(*rdi(2018, sh=2.0, flags={"Shanghai": INFERRED})))
    assert row["verdict"] == "not verifiable"
    # a failing pair of certain year still contradicts
    row = one(ordering(), obs(*rdi(2018, sz=2.0, flags={"Shanghai": INFERRED})))
    assert row["verdict"] == "contradicted"
    assert "Shenzhen" in reason(row) and "the year of Shanghai 2018 rdi is inferred" in reason(row)
    # an inferred subject year leaves every pair open
    row = one(ordering(), obs(*rdi(2018, sz=2.0, flags={"Guangzhou": INFERRED})))
    assert row["verdict"] == "not verifiable"
    assert "gap" in evidence(row) and "(year inferred: Guangzhou)" in evidence(row)


def test_year_inferred_figure_in_a_computed_rank():
    # Beijing's year is inferred: it may or may not be ahead, so third is not proved
    row = one(rank_claim(3), obs(*hte(2018, flags={"Beijing": INFERRED})))
    assert row["verdict"] == "not verifiable"
    assert "ranks 2-3" in reason(row)
    assert "the year of Beijing 2018 hte (25,000 count) is inferred" in reason(row)
    assert one(rank_claim(4, op="<="), obs(*hte(2018, flags={"Beijing": INFERRED})))["verdict"] == "not verifiable"
    # two cities of certain year ahead still rule out first place
    row = one(rank_claim(1), obs(*hte(2018, gz=9000, flags={"Shanghai": INFERRED})))
    assert row["verdict"] == "contradicted"
    # an inferred subject year leaves every comparison open, also for a national rank
    row = one(rank_claim(3, "national"), obs(*hte(2018, gz=9000, flags={"Guangzhou": INFERRED})))
    assert row["verdict"] == "not verifiable"
    assert "the year of Guangzhou 2018 hte (9,000 count) is inferred" in reason(row)
    assert "(year inferred: Guangzhou)" in evidence(row)


def test_year_inferred_published_rank_is_not_verifiable():
    rank = claim(kind="rank", indicator="ni_rank", year=2017, operator="=", target=25, scope="global", unit="rank")
    row = one(rank, obs(("Guangzhou", 2017, "ni_rank", 25, IND, INFERRED)))
    assert row["verdict"] == "not verifiable"
    assert "inferred" in reason(row)


# --------------------------------------------------------------------- circularity

def awards(target=21):
    return claim(kind="equality", indicator="hte", operator="=", target=target, unit="count")


def test_report_only_claim_is_not_verifiable():
    data = obs(("Guangzhou", 2018, "hte", 21, REP))
    row = one(awards(), data)
    assert row["verdict"] == "not verifiable"
    assert "only source is the report itself" in reason(row)
    assert row["source_ids"] == ""
    assert row["report_source_ids"] == REP
    assert items(row)[0]["report_rows"][0]["value"] == 21
    assert "21" in evidence(row) and REP in evidence(row)


def test_report_rows_used_only_when_asked_and_flagged_circular():
    data = obs(("Guangzhou", 2018, "hte", 21, REP))
    row = one(awards(), data, independent_only=False)
    assert row["verdict"] == "supported"
    assert json.loads(row["reason_fields"])["circular"] is True and "circular" in reason(row)
    assert row["source_ids"] == REP


def test_independent_non_preferred_row_replaces_the_report():
    data = obs(("Guangzhou", 2018, "hte", 21, REP), ("Guangzhou", 2018, "hte", 19, IND, {"preferred": False}))
    row = one(awards(), data)
    assert row["verdict"] == "contradicted"
    assert row["source_ids"] == IND
    assert row["report_source_ids"] == REP
    assert "the report itself" in evidence(row)
    assert "CONFLICT" in evidence(row)


def test_preferred_independent_row_first_and_conflicts_reported():
    data = obs(("Guangzhou", 2018, "hte", 21, IND), ("Guangzhou", 2018, "hte", 25, IND2, {"preferred": False}))
    row = one(awards(), data)
    assert row["verdict"] == "supported"
    assert row["source_ids"] == IND
    assert items(row)[0]["conflicts"] == [{"value": 25, "source_id": IND2}]
    assert "CONFLICT" in evidence(row) and IND2 in evidence(row)


def test_report_sources_found_by_address_or_title():
    sources = pd.DataFrame([
        ("a", cl.REPORT_TITLE, "x", "https://kjj.gz.gov.cn/copy"),
        ("b", "other", "x", "/abs/path/" + cl.REPORT_URL),
        ("c", "广州市科学技术局2019年工作总结和2020年工作计划", "x", "https://kjj.gz.gov.cn/2019"),
    ], columns=["source_id", "title", "publisher", "url"])
    assert cl.report_source_ids(sources) == ["a", "b"]


# ----------------------------------------------------------------- other behaviour

def test_claim_without_indicator_is_not_verifiable():
    out = evaluate(ledger(claim(kind="threshold", indicator="", operator=">", target=2000),
                          claim(kind="threshold", indicator="nope", operator=">", target=2000)),
                   obs(("Guangzhou", 2018, "hte", 12000, IND)))
    assert list(out["verdict"]) == ["not verifiable"] * 2
    assert list(out["reason_code"]) == ["no_series", "unknown_series"]
    assert reason(out.iloc[1]) == "the catalogue has no series nope"


def test_context_series_is_not_ranked():
    data = obs(("Guangzhou", 2018, "ctx", 5, IND), ("Beijing", 2018, "ctx", 9, IND))
    row = one(claim(kind="rank", indicator="ctx", other_cities="Beijing", operator="=", target=2, scope="peers",
                    unit="rank"), data)
    assert row["verdict"] == "not verifiable"
    assert "direction 0" in reason(row)


@pytest.mark.parametrize("fields, message", [
    (dict(kind="trend", indicator="hte", operator=">", target=1),
     "allowed kinds: threshold, rank, ratio, ordering, equality, target"),
    (dict(kind="threshold", indicator="hte", operator="~", target=1), "allowed operators: >, >=, <, <=, ="),
    (dict(kind="ordering", indicator="rdi", operator="<"), "other_cities"),
    (dict(kind="ordering", indicator="rdi", operator="=", other_cities="Beijing"), "ordering claim needs one of"),
    (dict(kind="ratio", indicator="turnover", operator=">=", target=2), "base_year"),
    (dict(kind="rank", indicator="hte", operator="=", target=3), "scope"),
    (dict(kind="rank", indicator="hte", operator="=", target=3, scope="province"), "allowed scopes"),
    (dict(kind="rank", indicator="hte", operator="=", target=1, scope="peers"), "scope 'peers' needs other_cities"),
    (dict(kind="threshold", indicator="hte", operator=">", target=1, tolerance=1), "tolerance applies only"),
    (dict(kind="equality", indicator="hte", operator=">", target=1), "equality claim needs operator '='"),
    (dict(kind="threshold", indicator="hte", operator=">"), "needs a target"),
])
def test_malformed_claims_raise_value_error(fields, message):
    with pytest.raises(ValueError, match=re.escape(message)) as info:
        evaluate(claim(**fields), obs(("Guangzhou", 2018, "hte", 1, IND)))
    assert "C01" in str(info.value)


def test_repeated_claim_id_raises():
    claims = pd.concat([threshold(), threshold()], ignore_index=True)
    with pytest.raises(ValueError, match="repeats"):
        evaluate(claims, obs(("Guangzhou", 2018, "hte", 1, IND)))


def test_inputs_are_not_mutated():
    claims = ledger(threshold(), ordering(), rank_claim(3, "national"), ratio())
    data = obs(*rdi(2018, bj=None), *rdi(2017), *hte(2018), ("Guangzhou", 2017, "turnover", 1, REP))
    sources, catalogue = SOURCES.copy(), CATALOGUE.copy()
    before = [frame.copy(deep=True) for frame in (claims, data, sources, catalogue)]
    cl.evaluate_claims(claims, data, sources, catalogue)
    for frame, copy in zip((claims, data, sources, catalogue), before):
        pd.testing.assert_frame_equal(frame, copy)


def test_catalogue_without_direction_is_refused_and_code_may_be_a_column():
    with pytest.raises(cl.InvalidArgumentError, match="catalogue lacks column.*direction"):
        cl.evaluate_claims(threshold(), obs(("Guangzhou", 2018, "hte", 12000, IND)), SOURCES,
                           CATALOGUE.drop(columns="direction"))
    # a catalogue with code as a column only works too
    plain = CATALOGUE.reset_index(drop=True)
    assert cl.evaluate_claims(threshold(), obs(("Guangzhou", 2018, "hte", 12000, IND)), SOURCES,
                              plain).iloc[0]["verdict"] == "supported"


def test_evidence_quotes_figures_at_full_precision_without_marks():
    # not rounded by unit (719.38 would read 719.4) and not the reader tables' "▲"/"≈" marks
    row = one(threshold(">", 10000), obs(("Guangzhou", 2018, "hte", 12099, IND), ("Guangzhou", 2018, "hte", 12099.75,
                                                                                   IND2, {"preferred": False})))
    assert "Guangzhou 2018 hte = 12,099 count" in evidence(row) and "12,099.75 count" in evidence(row)
    row = one(ratio(), obs(("Guangzhou", 2017, "turnover", 357.51, IND), ("Guangzhou", 2018, "turnover", 719.38, IND)))
    assert "719.38 / 357.51 = 2.0122" in reason(row)
    assert "▲" not in evidence(row) and "≈" not in evidence(row)


def test_observations_without_optional_columns():
    data = obs(("Guangzhou", 2018, "hte", 12000, IND))[["city", "year", "indicator", "value", "source_id"]]
    assert one(threshold(), data)["verdict"] == "supported"


# --------------------------------------------------------------------------- targets

def target(op=">", value=150.0, year=2019, base_year=None, indicator="turnover", unit="100 million yuan", **fields):
    row = dict(claim_id="T01", section="三", kind="target", indicator=indicator, operator=op, target=value, year=year,
               unit=unit, **fields)
    if base_year is not None:
        row.update(base_year=base_year, unit="times")
    return claim(**row)


TARGET_CASES = {   # case: (target, data, verdict, reason code)
    "met": (target(), obs(("Guangzhou", 2019, "turnover", 300.99, IND)), "met", "value_holds"),
    "missed": (target(), obs(("Guangzhou", 2019, "turnover", 111.71, IND)), "missed", "value_fails"),
    # "超过 150" cannot be decided by "at least 111.71" (as of March: the year-end may be higher)
    "lower bound cannot decide": (target(), obs(("Guangzhou", 2019, "turnover", 111.71, IND, LB)), "not verifiable",
                                  "value_open"),
    # but a floor above the target meets it
    "lower bound above the target": (target(), obs(("Guangzhou", 2019, "turnover", 160, IND, LB)), "met",
                                     "value_holds"),
    # the year is not in the data: the years around it are not bridged
    "missing year": (target(), obs(("Guangzhou", 2018, "turnover", 100, IND),
                                   ("Guangzhou", 2020, "turnover", 300, IND)), "not verifiable", "unusable_cells"),
    "year inferred": (target(), obs(("Guangzhou", 2019, "turnover", 300, IND, INFERRED)), "not verifiable",
                      "year_inferred"),
    "report only": (target(), obs(("Guangzhou", 2019, "turnover", 300, REP)), "not verifiable", "unusable_cells"),
    # a related but different series is never evidence, even when it has a figure for the year
    "related series": (target(indicator="", related_indicator="turnover"),
                       obs(("Guangzhou", 2019, "turnover", 300, IND)), "not verifiable", "related_series_only"),
    "no series": (target(indicator=""), obs(("Guangzhou", 2019, "turnover", 300, IND)), "not verifiable", "no_series"),
    "ratio met": (target(">=", 2, base_year=2018),
                  obs(("Guangzhou", 2018, "turnover", 100, IND), ("Guangzhou", 2019, "turnover", 201, IND)),
                  "met", "ratio_holds"),
    "ratio missed": (target(">=", 2, base_year=2018), obs(("Guangzhou", 2018, "turnover", 100, IND),
                                                          ("Guangzhou", 2019, "turnover", 150, IND)), "missed",
                     "ratio_fails"),
    # a base that is "more than 100" cannot show growth to 120
    "ratio with a lower-bound base": (target(">", 1, base_year=2018),
                                      obs(("Guangzhou", 2018, "turnover", 100, IND, LB),
                                          ("Guangzhou", 2019, "turnover", 120, IND)), "not verifiable", "ratio_open"),
    # counted from the plan's own start: the year's figure is the base, not the outcome
    "base in the target year": (target(">=", 2, base_year=2019), obs(("Guangzhou", 2019, "turnover", 8, IND)),
                                "not verifiable", "base_in_target_year"),
}


@pytest.mark.parametrize("case", list(TARGET_CASES))
def test_target_verdicts(case):
    targets, data, verdict, code = TARGET_CASES[case]
    row = one(targets, data)
    assert (row["verdict"], row["reason_code"]) == (verdict, code)
    assert row["kind"] == "target" and row["claim_id"] == "T01"
    if verdict in ("met", "missed"):
        assert row["source_ids"] == IND


def test_target_reasons_name_the_figures():
    row = one(*TARGET_CASES["lower bound cannot decide"][:2])
    assert reason(row) == ("Guangzhou 2019 turnover is at least 111.71 100 million yuan (lower bound), "
                           "which can neither show nor rule out > 150")
    row = one(*TARGET_CASES["missing year"][:2])
    assert reason(row) == "Guangzhou 2019 turnover not in data"
    row = one(*TARGET_CASES["related series"][:2])
    assert json.loads(row["reason_fields"]) == {"related": "turnover"} and row["source_ids"] == ""
    assert "related but different series (turnover), which cannot stand in" in reason(row)
    row = one(*TARGET_CASES["base in the target year"][:2])
    assert "Guangzhou 2019 turnover (8 100 million yuan) is the base the target counts from" in reason(row)
    assert "end of 2019 is not in the data" in reason(row)


def test_targets_get_target_verdicts_beside_claims():
    rows = pd.concat([threshold(), target(op=">", value=1000, indicator="hte", unit="count")], ignore_index=True)
    out = evaluate(rows, obs(("Guangzhou", 2018, "hte", 12000, IND), ("Guangzhou", 2019, "hte", 12099, IND)))
    assert list(out["claim_id"]) == ["C01", "T01"]
    assert list(out["verdict"]) == ["supported", "met"]


@pytest.mark.parametrize("fields, message", [
    (dict(claim_id="C01"), "ids of targets start with T"),
    (dict(other_cities="Beijing"), "a target is about one city"),
    (dict(base_year=2020), "base_year is after year"),
    (dict(indicator="hte", related_indicator="turnover"), "related_indicator 'turnover' is only for a row"),
])
def test_malformed_targets_raise_value_error(fields, message):
    row = target()
    for key, value in fields.items():
        row[key] = value
    with pytest.raises(ValueError, match=re.escape(message)):
        evaluate(row, obs(("Guangzhou", 2019, "turnover", 1, IND)))


def test_target_unit_must_match_catalogue():
    with pytest.raises(ValueError, match="catalogue unit"):
        evaluate(target(unit="count"), obs(("Guangzhou", 2019, "turnover", 300, IND)))


# --------------------------------------------------------------------- counts

def test_verdict_counts_keep_targets_apart():
    claims = ledger(threshold(), threshold(target=20000), ordering())
    targets = [target(), target(value=500), target(indicator="")]
    for number, row in enumerate(targets, start=1):
        row["claim_id"] = f"T{number:02d}"
    data = obs(("Guangzhou", 2018, "hte", 12000, IND), *rdi(2018, bj=None), *rdi(2017),
               ("Guangzhou", 2019, "turnover", 300, IND))
    out = evaluate(pd.concat([claims, *targets], ignore_index=True), data)
    assert len(out) == 7                                   # six rows, one proxy line
    counts = cl.verdict_counts(out)
    assert list(counts.columns) == ["group", "verdict", "count"]
    assert list(zip(counts["group"], counts["verdict"])) == (
        [("claim", v) for v in cl.VERDICTS] + [("target", v) for v in cl.TARGET_VERDICTS])
    mapping = {g: dict(zip(f["verdict"], f["count"])) for g, f in counts.groupby("group", sort=False)}
    assert mapping == {"claim": {"supported": 1, "contradicted": 1, "not verifiable": 1},
                       "target": {"met": 1, "missed": 1, "not verifiable": 1}}
    every = cl.verdict_counts(out, check=None)
    assert every["count"].sum() == 7
    assert cl.verdict_counts(out.iloc[:0])["count"].sum() == 0   # zeros included
    zh = cl.verdict_counts(out, lang="zh")
    assert list(zh["verdict"]) == list(counts["verdict"])         # codes stay; labels beside them
    assert list(zh["verdict_label"][:3]) == ["得到支持", "与数据不符", "无法核实"]
    assert set(zh["group_label"]) == {"论断", "2019年工作安排目标"}
    with pytest.raises(ValueError, match="unknown check"):
        cl.verdict_counts(out, check="proxy")
    wrong = out.copy()
    wrong.loc[wrong["kind"].eq("target"), "verdict"] = "supported"   # a claim verdict on a target
    with pytest.raises(ValueError, match="target verdict"):
        cl.verdict_counts(wrong)


# ---------------------------------------------------------------- the shipped ledger

@pytest.fixture(scope="module")
def shipped():
    claims = cl.load_claims(SHIPPED)
    observations = analysis.load_observations(preferred_only=False, data_dir=SHIPPED)
    sources = analysis.load_sources(SHIPPED)
    catalogue = analysis.load_catalogue(SHIPPED)
    return claims, observations, sources, catalogue, cl.evaluate_claims(claims, observations, sources, catalogue)


def test_load_claims_reads_the_ledger_resource_typed():
    claims = cl.load_claims(SHIPPED)
    assert list(claims.columns) == list(cl.CLAIM_COLUMNS)
    assert str(claims["year"].dtype) == "Int64"
    assert claims["claim_id"].is_unique


def test_check_claims_takes_the_rows_or_a_data_folder(data_copy):
    cl.check_claims(cl.load_claims(SHIPPED))
    cl.check_claims(SHIPPED)
    cl.check_claims(str(data_copy))
    path = data_copy / "claims.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",ordering,", ",trend,", 1), encoding="utf-8")
    with pytest.raises(DataFileError, match="trend"):
        cl.check_claims(data_copy)
    with pytest.raises(TypeError, match="claim ledger must be a pandas DataFrame"):
        cl.check_claims({"claim_id": ["C01"]})


def test_load_claims_rejects_unknown_kind(data_copy):
    folder = data_copy
    path = folder / "claims.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",ordering,", ",trend,", 1), encoding="utf-8")
    with pytest.raises(DataFileError, match="trend"):
        cl.load_claims(folder)


def test_claims_resource_validates_with_frictionless(data_copy):
    frictionless = pytest.importorskip("frictionless")
    folder = data_copy
    report = frictionless.Package(str(folder / "datapackage.json")).get_resource("claims").validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])[:5]


def test_shipped_ledger_is_well_formed(shipped):
    claims, observations, sources, catalogue, _ = shipped
    seed = re.sub(r"\n+", "", SEED.read_text(encoding="utf-8").replace("**", ""))
    plan = seed[seed.index("三、2019 年重点工作安排"):]
    for row in claims.itertuples():
        assert row.indicator == "" or row.indicator in catalogue.index, row.claim_id
        assert row.related_indicator == "" or row.related_indicator in catalogue.index, row.claim_id
        assert row.claim_zh in seed, row.claim_id
        assert row.kind in cl.CLAIM_KINDS and row.operator in cl.OPERATORS
        # the targets quote section 三 (the 2019 plan); the claims come before it
        assert (row.kind == "target") == (row.section == "三") == row.claim_id.startswith("T"), row.claim_id
        assert (row.claim_zh in plan) == (row.kind == "target"), row.claim_id
        assert not re.search(r"[\u3000-\u9fff\uff00-\uffef]", row.gist_en), row.claim_id   # shown in English


def test_shipped_verdicts_never_rest_on_the_report(shipped):
    claims, observations, sources, catalogue, verdicts = shipped
    report = set(cl.report_source_ids(sources))
    assert report, "the report's own sources should be found in sources.csv"
    targets = verdicts["kind"].eq("target")
    assert set(verdicts.loc[~targets, "verdict"]) <= set(cl.VERDICTS)
    assert set(verdicts.loc[targets, "verdict"]) <= set(cl.TARGET_VERDICTS)
    assert list(verdicts.loc[verdicts["check"] == "as stated", "claim_id"]) == list(claims["claim_id"])
    for row in verdicts.itertuples():
        used = set(filter(None, row.source_ids.split(";")))
        if row.verdict in ("supported", "met", "contradicted", "missed"):
            assert used and not used & report, row.claim_id
        assert "circular" not in json.loads(row.reason_fields), row.claim_id
    # a single-figure claim whose only rows are the report's is not verifiable
    for row in verdicts[verdicts["check"] == "as stated"].itertuples():
        if row.kind not in ("threshold", "equality") or not row.indicator:
            continue
        cell = observations[(observations["city"] == row.city) & (observations["year"] == row.claim_year)
                            & (observations["indicator"] == row.indicator)]
        if len(cell) and cell["source_id"].isin(report).all():
            assert row.verdict == "not verifiable", row.claim_id
            assert json.loads(row.reason_fields)["cells"][0]["problem"] == "report_only", row.claim_id


def test_shipped_verdicts_never_rest_on_an_inferred_year(shipped):
    claims, observations, sources, catalogue, verdicts = shipped
    # supported claims, and contradicted single-figure claims, use no figure of inferred year
    # (an ordering may be contradicted by a pair of certain year next to an inferred one)
    decided = verdicts["verdict"].isin(["supported", "met"]) | (verdicts["verdict"].isin(["contradicted", "missed"])
                                                                & ~verdicts["kind"].isin(["ordering", "rank"]))
    for row in verdicts[decided].itertuples():
        cities = [row.city, *row.other_cities.split()]
        years = [row.year] + ([] if pd.isna(row.base_year) else [row.base_year])
        used = observations[observations["source_id"].isin(row.source_ids.split(";"))
                            & observations["indicator"].eq(row.indicator) & observations["city"].isin(cities)
                            & observations["year"].isin(years)]
        assert not used["year_inferred"].any(), row.claim_id


def test_shipped_national_rank_claims_are_never_supported(shipped):
    claims, *_, verdicts = shipped
    national = claims.loc[(claims["kind"] == "rank") & claims["scope"].isin(["national"]), "claim_id"]
    assert len(national) >= 1
    rows = verdicts[verdicts["claim_id"].isin(national)]
    assert (rows["verdict"] != "supported").all()
    assert rows["reason_code"].isin(["rank_subject_unusable", "rank_broader_consistent", "rank_broader_fails"]).all()
    assert all(json.loads(fields)["scope"] == "national" for fields in rows["reason_fields"])


def test_shipped_proxy_lines_follow_their_claim(shipped):
    *_, verdicts = shipped
    for position in verdicts.index[verdicts["check"] == "nearest common year (proxy)"]:
        previous = verdicts.loc[position - 1]
        assert previous["check"] == "as stated"
        assert previous["claim_id"] == verdicts.loc[position, "claim_id"]
        assert previous["verdict"] == "not verifiable"
        assert verdicts.loc[position, "year"] != previous["year"]
