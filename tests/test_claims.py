"""Claim checker: each claim kind gives supported, contradicted and not verifiable on
hand-built fixtures; lower bounds only prove what they can; the report is never evidence
for itself; proxy-year lines stand apart; the shipped ledger loads and evaluates cleanly."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import SEED, SHIPPED

import analysis
from analysis import claims as cl
from analysis.errors import DataFileError

PEERS = "Beijing Shanghai Shenzhen"

# ------------------------------------------------------------------------ fixtures

SOURCES = pd.DataFrame([
    ("src-report0001", cl.REPORT_TITLE, "广州市科学技术局", cl.REPORT_URL, "official"),
    ("src-report0002", cl.REPORT_TITLE, "广州市科学技术局", cl.REPORT_URL, "official"),
    ("src-indep00001", "Statistical yearbook", "Statistics Bureau", "https://stats.example/1", "official"),
    ("src-indep00002", "Newspaper report", "Daily", "https://news.example/2", "media quoting official"),
], columns=["source_id", "title", "publisher", "url", "source_type"])

CATALOGUE = pd.DataFrame([
    ("hte", "count", 1), ("rdi", "percent", 1), ("turnover", "100 million yuan", 1),
    ("ni_rank", "rank", -1), ("ctx", "count", 0),
], columns=["code", "unit", "direction"]).set_index("code", drop=False)

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
    assert "10000" in row["reason"]
    row = one(threshold(), obs(("Guangzhou", 2017, "hte", 12000, IND)))
    assert row["verdict"] == "not verifiable"
    assert "Guangzhou 2018 hte not in data" in row["reason"]


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
    assert "lower bound" in row["reason"]
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
    assert "Guangzhou 2017 turnover not in data" in row["reason"]


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
    assert "2.01" in row["reason"]
    assert row["source_ids"] == IND
    assert one(ratio(), obs(("Guangzhou", 2017, "turnover", 357.51, IND),
                            ("Guangzhou", 2018, "turnover", 600, IND)))["verdict"] == "contradicted"
    row = one(ratio(), obs(("Guangzhou", 2018, "turnover", 719.38, IND)))
    assert row["verdict"] == "not verifiable"
    assert "Guangzhou 2017 turnover not in data" in row["reason"]


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
    assert "Shenzhen" in row["reason"]
    row = one(ordering(), obs(*rdi(2018, bj=None)))
    assert row["verdict"] == "not verifiable"
    assert "Beijing 2018 rdi not in data" in row["reason"]


def test_ordering_contradicted_even_if_another_peer_is_missing():
    row = one(ordering(), obs(*rdi(2018, bj=None, sz=2.0)))
    assert row["verdict"] == "contradicted"
    assert "Beijing 2018 rdi not in data" in row["reason"]


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
    assert "analysis.metrics.gap" in row["evidence"]
    assert "Beijing -3.4" in row["evidence"]


# ---------------------------------------------------------------------- proxy year

def test_proxy_line_is_separate_and_never_replaces_the_verdict():
    data = obs(*rdi(2018, bj=None), *rdi(2017), *rdi(2019, sz=2.0), *rdi(2015))
    out = evaluate(ordering(), data)
    assert list(out["check"]) == ["as stated", "nearest common year (proxy)"]
    stated, proxy = out.iloc[0], out.iloc[1]
    assert stated["verdict"] == "not verifiable"
    assert stated["year"] == 2018 and stated["claim_year"] == 2018
    assert "Beijing 2018 rdi not in data" in stated["reason"]
    # 2017 and 2019 are equally near; the earlier year is used
    assert proxy["year"] == 2017 and proxy["claim_year"] == 2018
    assert proxy["verdict"] == "supported"
    assert proxy["reason"].startswith("proxy check on 2017")
    assert "2018" in proxy["reason"]


def test_no_proxy_line_when_the_year_is_complete_or_no_common_year_exists():
    assert len(evaluate(ordering(), obs(*rdi(2018), *rdi(2017)))) == 1
    out = evaluate(ordering(), obs(*rdi(2018, bj=None), *rdi(2017, sh=None)))
    assert len(out) == 1
    assert "no proxy check" in out.iloc[0]["reason"]
    assert len(evaluate(ordering(), obs(*rdi(2018, bj=None), *rdi(2017)), proxy_year=False)) == 1


def test_proxy_year_skips_years_where_only_the_report_covers_a_city():
    data = obs(*rdi(2018, gz=None), ("Guangzhou", 2018, "rdi", 2.6, REP),
               *rdi(2017, gz=None), ("Guangzhou", 2017, "rdi", 2.5, REP), *rdi(2016))
    out = evaluate(ordering(), data)
    assert out.iloc[0]["verdict"] == "not verifiable"
    assert "only source is the report itself" in out.iloc[0]["reason"]
    assert out.iloc[1]["year"] == 2016


# ----------------------------------------------------------------------------- rank

def test_published_rank_supported_contradicted_and_missing():
    rank = claim(kind="rank", indicator="ni_rank", year=2017, operator="=", target=25, scope="global", unit="rank")
    assert one(rank, obs(("Guangzhou", 2017, "ni_rank", 25, IND)))["verdict"] == "supported"
    assert one(rank, obs(("Guangzhou", 2017, "ni_rank", 30, IND)))["verdict"] == "contradicted"
    row = one(rank, obs(("Guangzhou", 2016, "ni_rank", 25, IND)))
    assert row["verdict"] == "not verifiable"
    assert "Guangzhou 2017 ni_rank not in data" in row["reason"]


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
        assert phrase in row["reason"]


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
    assert "national rank needs all cities" in row["reason"]
    assert "consistent with" in row["reason"]
    # even "at most 4th" is not proved by four cities
    row = one(rank_claim(4, "national", "<="), obs(*hte(2018)))
    assert row["verdict"] == "not verifiable"
    # nor any other rank statement, even one the four cities would bear out
    row = one(rank_claim(2, "national", ">="), obs(*hte(2018, gz=9000)))
    assert row["verdict"] == "not verifiable"
    assert "national rank needs all cities" in row["reason"]


def test_national_rank_contradicted_when_too_many_cities_are_certainly_ahead():
    row = one(rank_claim(3, "national"), obs(*hte(2018, gz=9000)))   # fourth of four
    assert row["verdict"] == "contradicted"
    assert "at least 4" in row["reason"]
    # a lower bound on Guangzhou leaves Shenzhen possibly behind: consistent, not contradicted
    row = one(rank_claim(2, "national"), obs(*hte(2018, flags={"Guangzhou": LB})))
    assert row["verdict"] == "not verifiable"


def test_national_rank_with_report_only_focus_gets_a_proxy_line():
    data = obs(*hte(2018, gz=None), ("Guangzhou", 2018, "hte", 11000, REP, LB), *hte(2016, gz=4742))
    out = evaluate(rank_claim(3, "national"), data)
    stated, proxy = out.iloc[0], out.iloc[1]
    assert stated["verdict"] == "not verifiable"
    assert "national rank needs all cities" in stated["reason"]
    assert "only source is the report itself" in stated["reason"]
    assert proxy["check"] == "nearest common year (proxy)" and proxy["year"] == 2016
    assert proxy["verdict"] == "contradicted"      # fourth of four in 2016
    assert stated["verdict"] == "not verifiable"   # unchanged by the proxy


def test_rank_evidence_has_point_rank_from_metrics():
    row = one(rank_claim(3), obs(*hte(2018)))
    assert "analysis.metrics.rank" in row["evidence"]
    assert "3 of 4" in row["evidence"]


def test_peers_rank_without_other_cities_is_rejected():
    # it used to rank among whichever cities had rows: "among the 1 cities Guangzhou ranks 1"
    peers = claim(kind="rank", indicator="hte", operator="=", target=1, scope="peers", unit="rank")
    with pytest.raises(cl.InvalidArgumentError, match=r"claim C01: .*scope 'peers' needs other_cities"):
        evaluate(peers, obs(("Guangzhou", 2018, "hte", 11000, IND)))
    with pytest.raises(ValueError, match="C01"):
        cl.check_claims(peers)


def test_rank_evidence_names_the_bound_cities():
    row = one(rank_claim(3), obs(*hte(2018, flags={"Beijing": LB, "Shenzhen": APPROX})))
    evidence = row["evidence"]
    assert "point-value rank (analysis.metrics.rank, 2018): 3 of 4" in evidence
    note = evidence[evidence.index("point-value rank"):]
    assert "(bounds involved: Beijing at least 25000 (lower bound); Shenzhen about 14400" in note
    assert "Shanghai" not in note and "Guangzhou" not in note
    # the gap evidence of an ordering claim says the same
    row = one(ordering(), obs(*rdi(2018, flags={"Shanghai": APPROX})))
    gap = row["evidence"][row["evidence"].index("point gap"):]
    assert "(bounds involved: Shanghai about 4 (approximate" in gap
    # exact values: no note
    assert "bounds involved" not in one(rank_claim(3), obs(*hte(2018)))["evidence"]


# ------------------------------------------------------------------ year inferred

def test_year_inferred_figure_neither_supports_nor_contradicts_a_single_figure():
    row = one(threshold(), obs(("Guangzhou", 2018, "hte", 12000, IND, INFERRED)))
    assert row["verdict"] == "not verifiable"
    assert "the year of Guangzhou 2018 hte (12000) is inferred" in row["reason"]
    assert "would show > 11000" in row["reason"]
    row = one(threshold(), obs(("Guangzhou", 2018, "hte", 10000, IND, INFERRED)))
    assert row["verdict"] == "not verifiable"          # the 10000 may be another year's figure
    assert "would rule out > 11000" in row["reason"]
    # a preferred row of certain year is used as before
    data = obs(("Guangzhou", 2018, "hte", 12000, IND), ("Guangzhou", 2018, "hte", 12000, IND2,
                                                        {"preferred": False, "year_inferred": True}))
    assert one(threshold(), data)["verdict"] == "supported"


def test_year_inferred_figure_in_a_ratio():
    row = one(ratio(), obs(("Guangzhou", 2017, "turnover", 357.51, IND, INFERRED),
                           ("Guangzhou", 2018, "turnover", 719.38, IND)))
    assert row["verdict"] == "not verifiable"
    assert "the year of Guangzhou 2017 turnover (357.51) is inferred" in row["reason"]
    row = one(ratio(), obs(("Guangzhou", 2017, "turnover", 357.51, IND),
                           ("Guangzhou", 2018, "turnover", 600, IND, INFERRED)))
    assert row["verdict"] == "not verifiable"


def test_year_inferred_figure_in_an_ordering():
    row = one(ordering(), obs(*rdi(2018, flags={"Shanghai": INFERRED})))
    assert row["verdict"] == "not verifiable"
    assert "year of Shanghai 2018 rdi inferred" in row["reason"]
    # only the inferred pair fails: no sound contradiction
    row = one(ordering(), obs(*rdi(2018, sh=2.0, flags={"Shanghai": INFERRED})))
    assert row["verdict"] == "not verifiable"
    # a failing pair of certain year still contradicts
    row = one(ordering(), obs(*rdi(2018, sz=2.0, flags={"Shanghai": INFERRED})))
    assert row["verdict"] == "contradicted"
    assert "Shenzhen" in row["reason"] and "year of Shanghai 2018 rdi inferred" in row["reason"]
    # an inferred subject year leaves every pair open
    row = one(ordering(), obs(*rdi(2018, sz=2.0, flags={"Guangzhou": INFERRED})))
    assert row["verdict"] == "not verifiable"
    assert "gap" in row["evidence"] and "(year inferred: Guangzhou)" in row["evidence"]


def test_year_inferred_figure_in_a_computed_rank():
    # Beijing's year is inferred: it may or may not be ahead, so third is not proved
    row = one(rank_claim(3), obs(*hte(2018, flags={"Beijing": INFERRED})))
    assert row["verdict"] == "not verifiable"
    assert "ranks 2-3" in row["reason"]
    assert "the year of Beijing 2018 hte (25000) is inferred" in row["reason"]
    assert one(rank_claim(4, op="<="), obs(*hte(2018, flags={"Beijing": INFERRED})))["verdict"] == "not verifiable"
    # two cities of certain year ahead still rule out first place
    row = one(rank_claim(1), obs(*hte(2018, gz=9000, flags={"Shanghai": INFERRED})))
    assert row["verdict"] == "contradicted"
    # an inferred subject year leaves every comparison open, also for a national rank
    row = one(rank_claim(3, "national"), obs(*hte(2018, gz=9000, flags={"Guangzhou": INFERRED})))
    assert row["verdict"] == "not verifiable"
    assert "the year of Guangzhou 2018 hte (9000) is inferred" in row["reason"]
    assert "(year inferred: Guangzhou)" in row["evidence"]


def test_year_inferred_published_rank_is_not_verifiable():
    rank = claim(kind="rank", indicator="ni_rank", year=2017, operator="=", target=25, scope="global", unit="rank")
    row = one(rank, obs(("Guangzhou", 2017, "ni_rank", 25, IND, INFERRED)))
    assert row["verdict"] == "not verifiable"
    assert "inferred" in row["reason"]


# --------------------------------------------------------------------- circularity

def awards(target=21):
    return claim(kind="equality", indicator="hte", operator="=", target=target, unit="count")


def test_report_only_claim_is_not_verifiable():
    data = obs(("Guangzhou", 2018, "hte", 21, REP))
    row = one(awards(), data)
    assert row["verdict"] == "not verifiable"
    assert "only source is the report itself" in row["reason"]
    assert row["source_ids"] == ""
    assert row["report_source_ids"] == REP
    assert "21" in row["evidence"] and REP in row["evidence"]


def test_report_rows_used_only_when_asked_and_flagged_circular():
    data = obs(("Guangzhou", 2018, "hte", 21, REP))
    row = one(awards(), data, independent_only=False)
    assert row["verdict"] == "supported"
    assert "circular" in row["reason"]
    assert row["source_ids"] == REP


def test_independent_non_preferred_row_replaces_the_report():
    data = obs(("Guangzhou", 2018, "hte", 21, REP), ("Guangzhou", 2018, "hte", 19, IND, {"preferred": False}))
    row = one(awards(), data)
    assert row["verdict"] == "contradicted"
    assert row["source_ids"] == IND
    assert row["report_source_ids"] == REP
    assert "the report itself" in row["evidence"]
    assert "CONFLICT" in row["evidence"]


def test_preferred_independent_row_first_and_conflicts_reported():
    data = obs(("Guangzhou", 2018, "hte", 21, IND), ("Guangzhou", 2018, "hte", 25, IND2, {"preferred": False}))
    row = one(awards(), data)
    assert row["verdict"] == "supported"
    assert row["source_ids"] == IND
    assert "CONFLICT" in row["evidence"] and IND2 in row["evidence"]


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
    assert all("not in catalogue" in reason for reason in out["reason"])


def test_context_series_is_not_ranked():
    data = obs(("Guangzhou", 2018, "ctx", 5, IND), ("Beijing", 2018, "ctx", 9, IND))
    row = one(claim(kind="rank", indicator="ctx", other_cities="Beijing", operator="=", target=2, scope="peers",
                    unit="rank"), data)
    assert row["verdict"] == "not verifiable"
    assert "direction 0" in row["reason"]


@pytest.mark.parametrize("fields, message", [
    (dict(kind="trend", indicator="hte", operator=">", target=1), "allowed kinds: threshold, rank, ratio, ordering, equality"),
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
    # not style.format_number (719.38 would read 719.4) and not the sheets' "≥"/"≈" marks
    row = one(threshold(">", 10000), obs(("Guangzhou", 2018, "hte", 12099, IND), ("Guangzhou", 2018, "hte", 12099.75,
                                                                                   IND2, {"preferred": False})))
    assert "Guangzhou 2018 hte = 12099 count" in row["evidence"] and "12099.75 count" in row["evidence"]
    row = one(ratio(), obs(("Guangzhou", 2017, "turnover", 357.51, IND), ("Guangzhou", 2018, "turnover", 719.38, IND)))
    assert "719.38 / 357.51 = 2.0122" in row["reason"]
    assert "≥" not in row["evidence"] and "≈" not in row["evidence"]


def test_observations_without_optional_columns():
    data = obs(("Guangzhou", 2018, "hte", 12000, IND))[["city", "year", "indicator", "value", "source_id"]]
    assert one(threshold(), data)["verdict"] == "supported"


# --------------------------------------------------------------------- presentation

def test_verdict_counts_and_claims_table():
    claims = ledger(threshold(), threshold(target=20000), ordering())
    data = obs(("Guangzhou", 2018, "hte", 12000, IND), *rdi(2018, bj=None), *rdi(2017))
    out = evaluate(claims, data)
    assert len(out) == 4                                   # three claims, one proxy line
    counts = cl.verdict_counts(out)
    assert list(counts["verdict"]) == list(cl.VERDICTS)
    assert dict(zip(counts["verdict"], counts["count"])) == {"supported": 1, "contradicted": 1, "not verifiable": 1}
    every = cl.verdict_counts(out, check=None)
    assert every["count"].sum() == 4
    with pytest.raises(ValueError, match="unknown check"):
        cl.verdict_counts(out, check="proxy")

    table = cl.claims_table(out)
    assert list(table.columns) == ["claim_id", "check", "claim", "gist", "kind", "year", "verdict", "reason",
                                   "evidence", "sources"]
    assert len(table) == 4
    assert table.loc[0, "sources"].startswith(IND)
    zh = cl.claims_table(out, lang="zh")
    assert "结论" in zh.columns and set(zh["结论"]) <= {"得到支持", "与数据不符", "无法核实"}
    with pytest.raises(ValueError):
        cl.claims_table(out, lang="fr")


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
    for row in claims.itertuples():
        assert row.indicator == "" or row.indicator in catalogue.index, row.claim_id
        assert row.claim_zh in seed, row.claim_id
        assert row.kind in cl.CLAIM_KINDS and row.operator in cl.OPERATORS


def test_shipped_verdicts_never_rest_on_the_report(shipped):
    claims, observations, sources, catalogue, verdicts = shipped
    report = set(cl.report_source_ids(sources))
    assert report, "the report's own sources should be found in sources.csv"
    assert set(verdicts["verdict"]) <= set(cl.VERDICTS)
    assert list(verdicts.loc[verdicts["check"] == "as stated", "claim_id"]) == list(claims["claim_id"])
    for row in verdicts.itertuples():
        used = set(filter(None, row.source_ids.split(";")))
        if row.verdict == "supported":
            assert used and not used & report, row.claim_id
        assert "circular" not in row.reason, row.claim_id
    # a single-figure claim whose only rows are the report's is not verifiable
    for row in verdicts[verdicts["check"] == "as stated"].itertuples():
        if row.kind not in ("threshold", "equality") or not row.indicator:
            continue
        cell = observations[(observations["city"] == row.city) & (observations["year"] == row.claim_year)
                            & (observations["indicator"] == row.indicator)]
        if len(cell) and cell["source_id"].isin(report).all():
            assert row.verdict == "not verifiable", row.claim_id
            assert "only source is the report itself" in row.reason, row.claim_id


def test_shipped_verdicts_never_rest_on_an_inferred_year(shipped):
    claims, observations, sources, catalogue, verdicts = shipped
    # supported claims, and contradicted single-figure claims, use no figure of inferred year
    # (an ordering may be contradicted by a pair of certain year next to an inferred one)
    decided = verdicts["verdict"].eq("supported") | (verdicts["verdict"].eq("contradicted")
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
    assert rows["reason"].str.contains("national rank needs all cities|national rank is at least").all()


def test_shipped_proxy_lines_follow_their_claim(shipped):
    *_, verdicts = shipped
    for position in verdicts.index[verdicts["check"] == "nearest common year (proxy)"]:
        previous = verdicts.loc[position - 1]
        assert previous["check"] == "as stated"
        assert previous["claim_id"] == verdicts.loc[position, "claim_id"]
        assert previous["verdict"] == "not verifiable"
        assert verdicts.loc[position, "year"] != previous["year"]
