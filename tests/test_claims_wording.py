"""Claims wording: every reason code and evidence item worded in English and in Chinese from
hand-built verdict rows, one language per cell (no Chinese in an English cell but the quoted
claim, no Latin word in a Chinese cell but source ids, indicator codes and acronyms), the
figures present; the claims table in each language, on fixtures and on the shipped data."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from conftest import SHIPPED
from test_claims import (
    CATALOGUE,
    IND,
    IND2,
    LABELS,
    LB,
    REP,
    evaluate,
    ledger,
    obs,
    ordering,
    rank_claim,
    target,
    threshold,
)

import analysis
from analysis import claims as cl
from analysis.catalogue import Labels
from analysis.claims import wording
from analysis.messages import LANGUAGES, Messages, catalogue_problems, load_messages

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
SOURCE_ID = re.compile(r"src-[0-9a-z]+")


def english_problem(text: str) -> list:
    """Chinese characters (or CJK punctuation) in an English cell."""
    return CJK.findall(text)


def chinese_problem(text: str, codes=()) -> list:
    """Latin words in a Chinese cell other than source ids, indicator codes and all-capital acronyms."""
    text = SOURCE_ID.sub("", text)
    for code in sorted(codes, key=len, reverse=True):
        text = text.replace(code, "")
    return [word for word in re.findall(r"[A-Za-z]+", text) if not word.isupper()]


def language_problem(text: str, lang: str, codes=()) -> list:
    return english_problem(text) if lang == "en" else chinese_problem(text, codes)


def words(lang: str, labels=None) -> wording.Words:
    return wording.Words(Messages(lang), labels or LABELS[lang])


# ------------------------------------------------------------------------ hand-built reasons

def ref(city="Guangzhou", year=2018, indicator="hte") -> dict:
    return {"city": city, "year": year, "indicator": indicator}


def fig(value, indicator="hte", lb=False, approx=False, lo=None, hi=None) -> dict:
    lo = value if lo is None else lo
    hi = None if lb else (value if hi is None else hi)
    return {"indicator": indicator, "value": value, "lower_bound": lb, "approximate": approx, "lo": lo, "hi": hi}


def missing(city="Guangzhou", year=2018, indicator="hte") -> dict:
    return {"problem": "missing", **ref(city, year, indicator)}


def report_only(city="Guangzhou", year=2018, indicator="hte") -> dict:
    return {"problem": "report_only", **ref(city, year, indicator)}


def pair(left, right, city="Guangzhou", other="Beijing", indicator="rdi") -> dict:
    return {"city": city, "figure": fig(left, indicator), "other": other, "other_figure": fig(right, indicator)}


def condition(operator, target, tolerance=0.0) -> dict:
    return {"operator": operator, "target": target, "tolerance": tolerance}


def ratio_fields(later, earlier, lo, hi, op=">=", target=2.0) -> dict:
    return {"city": "Guangzhou", "indicator": "turnover", "year": 2018, "base_year": 2017, "later": later,
            "earlier": earlier, "lo": lo, "hi": hi, "condition": condition(op, target)}


def rank_fields(best, worst, *, scope="", op="=", target=3, ahead=(), maybe=(), unproven=(), focus_inferred=False):
    return {"scope": scope, "n": 4, "city": "Guangzhou", "best": best, "worst": worst,
            "condition": condition(op, target), "figure": fig(11000), "focus_inferred": focus_inferred,
            "ahead": list(ahead), "maybe": list(maybe), "unproven": list(unproven)}


BJ = {"city": "Beijing", "figure": fig(25000)}
SZ = {"city": "Shenzhen", "figure": fig(14400, approx=True, lo=13680, hi=15120)}
INFERRED_SH = {"problem": "inferred", "cells": [{**ref("Shanghai"), "figure": fig(9206)}]}

REASON_EXAMPLES = {   # code: (kind, fields, figures the wording must show)
    "no_series": ("threshold", {}, []),
    "unknown_series": ("threshold", {"indicator": "nope"}, ["nope"]),
    "related_series_only": ("target", {"related": "turnover"}, []),
    "unusable_cells": ("equality", {"cells": [missing(), report_only("Beijing", 2017, "rdi")]}, ["2018", "2017"]),
    "year_inferred": ("threshold", {"inferred": [{**ref(), "figure": fig(12099)}], "year": 2018, "would": "holds",
                                    "condition": condition(">", 11000)}, ["12,099", "11,000", "2018"]),
    "value_holds": ("threshold", {"cell": ref(), "figure": fig(12099), "condition": condition(">", 11000)},
                    ["12,099", "11,000"]),
    "value_fails": ("equality", {"cell": ref(indicator="turnover"), "figure": fig(357.51, "turnover"),
                                 "condition": condition("=", 359, 1)}, ["357.51", "359", "1"]),
    "value_open": ("target", {"cell": ref(year=2019, indicator="turnover"),
                              "figure": fig(111.71, "turnover", lb=True), "condition": condition(">", 150)},
                   ["111.71", "150"]),
    "ratio_holds": ("ratio", ratio_fields(fig(719.38, "turnover"), fig(357.51, "turnover"), 2.0122, 2.0122),
                    ["719.38", "357.51", "2.0122"]),
    "ratio_fails": ("ratio", ratio_fields(fig(600, "turnover", approx=True, lo=570, hi=630), fig(357.51, "turnover"),
                                          1.5944, 1.7622), ["600", "570", "630", "1.5944", "1.7622"]),
    "ratio_open": ("target", ratio_fields(fig(800, "turnover", lb=True), fig(357, "turnover"), 2.2409, None, ">", 3),
                   ["800", "357", "2.2409"]),
    "ratio_year_inferred": ("ratio", {**ratio_fields(fig(719.38, "turnover"), fig(357.51, "turnover"), 2.0122, 2.0122),
                                      "inferred": [{**ref(year=2017, indicator="turnover"),
                                                    "figure": fig(357.51, "turnover")}], "would": "fails"},
                            ["719.38", "357.51", "2.0122"]),
    "ratio_base_not_positive": ("ratio", {"cell": ref(year=2017, indicator="turnover")}, ["2017"]),
    "base_in_target_year": ("target", {"cell": ref(year=2019, indicator="hte"), "figure": fig(8),
                                       "condition": condition(">=", 2)}, ["8", "2019"]),
    "ordering_holds": ("ordering", {"city": "Guangzhou", "year": 2018, "indicator": "rdi", "operator": "<",
                                    "holds": [pair(2.63, 6.17)], "fails": [], "open": [], "uncertain": [],
                                    "problems": []}, ["2.63", "6.17", "2018"]),
    "ordering_fails": ("ordering", {"city": "Guangzhou", "year": 2018, "indicator": "rdi", "operator": "<",
                                    "holds": [], "fails": [pair(2.63, 2.1, other="Shenzhen")], "open": [],
                                    "uncertain": [{**pair(2.63, 4.16, other="Shanghai"),
                                                   "inferred": [ref("Shanghai", indicator="rdi")]}],
                                    "problems": [missing("Beijing", indicator="rdi")]}, ["2.63", "2.1", "4.16"]),
    "ordering_open": ("ordering", {"city": "Guangzhou", "year": 2018, "indicator": "rdi", "operator": "<=",
                                   "holds": [pair(2.63, 6.17)],
                                   "open": [{**pair(3.9, 4.0, other="Shanghai"),
                                             "other_figure": fig(4.0, "rdi", approx=True, lo=3.8, hi=4.2)}],
                                   "fails": [], "uncertain": [], "problems": [report_only("Shenzhen", 2018, "rdi")]},
                      ["6.17", "3.9", "3.8", "4.2"]),
    "rank_context_series": ("rank", {"indicator": "ctx"}, []),
    "rank_subject_unusable": ("rank", {"scope": "national", "n": 4, "cells": [report_only()]}, ["4"]),
    "rank_holds": ("rank", rank_fields(3, 3, ahead=[BJ, SZ]), ["11,000", "25,000", "14,400", "13,680", "15,120"]),
    "rank_fails": ("rank", rank_fields(3, 3, target=1, ahead=[BJ, SZ], unproven=[missing("Shanghai")]),
                   ["11,000", "25,000"]),
    "rank_open": ("rank", rank_fields(2, 3, op="<=", target=2, ahead=[BJ],
                                      maybe=[{"city": "Shanghai", "figure": fig(9206), "inferred": True},
                                             {"city": "Shenzhen", "figure": None, "inferred": False}],
                                      unproven=[missing("Shenzhen"), INFERRED_SH]), ["9,206", "25,000"]),
    "rank_unproven": ("rank", rank_fields(1, 1, op="<=", target=2, unproven=[{"problem": "too_few", "ranked": 1}]),
                      ["11,000"]),
    "rank_broader_fails": ("rank", rank_fields(4, 4, scope="national", ahead=[BJ, SZ, {"city": "Shanghai",
                                                                                    "figure": fig(12000)}]),
                           ["12,000", "25,000"]),
    "rank_broader_consistent": ("rank", rank_fields(2, 3, scope="global", ahead=[BJ], focus_inferred=True,
                                                    maybe=[{"city": "Shanghai", "figure": fig(9206),
                                                            "inferred": False}],
                                                    unproven=[INFERRED_SH]), ["9,206", "11,000", "4"]),
}


def reason_row(code: str, fields: dict, kind: str = "threshold", year: int = 2018) -> pd.Series:
    return pd.Series({"reason_code": code, "reason_fields": json.dumps(fields), "kind": kind, "year": year})


def test_every_reason_code_has_a_message_in_both_languages(monkeypatch):
    for lang in LANGUAGES:
        msg = Messages(lang)
        for code in cl.REASON_CODES:
            assert msg.template(f"claims.reason.{code}").strip(), (code, lang)
        for verdict in (*cl.VERDICTS, *cl.TARGET_VERDICTS):
            assert msg(f"claims.verdict.{verdict.replace(' ', '_')}")
        for kind in cl.CLAIM_KINDS:
            assert msg(f"claims.kind.{kind}")
    assert not [p for p in catalogue_problems() if p.startswith("claims.")]
    # a code without its message stops the wording, naming the key
    monkeypatch.delitem(load_messages(), "claims.reason.value_holds")
    with pytest.raises(KeyError, match="claims.reason.value_holds"):
        wording.reason_text(reason_row("value_holds", REASON_EXAMPLES["value_holds"][1]), words("en"))


def test_every_reason_code_has_a_worded_example():
    assert set(REASON_EXAMPLES) == set(cl.REASON_CODES)


def test_unknown_reason_code_is_refused():
    with pytest.raises(ValueError, match="unknown reason code 'gone'"):
        wording.reason_text(reason_row("gone", {}), words("en"))


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("code", list(REASON_EXAMPLES))
def test_each_reason_code_in_each_language(code, lang):
    kind, fields, figures = REASON_EXAMPLES[code]
    text = wording.reason_text(reason_row(code, fields, kind), words(lang))
    assert text.strip() and "{" not in text and "None" not in text
    assert not language_problem(text, lang, codes=["nope"]), text
    for figure in figures:
        assert figure in text, (figure, text)
    if lang == "zh":   # names, not codes
        assert "Guangzhou" not in text and "Beijing" not in text and "turnover" not in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_reason_modifiers_in_each_language(lang):
    base = REASON_EXAMPLES["ordering_open"][1]
    texts = {
        "circular": {**REASON_EXAMPLES["value_holds"][1], "circular": True},
        "see_proxy": {**base, "proxy_year": 2017},
        "no_proxy": {**base, "no_proxy": True},
        "proxy": {**REASON_EXAMPLES["ordering_holds"][1], "proxy_for": 2018},
    }
    out = {name: wording.reason_text(reason_row("ordering_open" if name in ("see_proxy", "no_proxy") else
                                                "value_holds" if name == "circular" else "ordering_holds",
                                                fields, "ordering", year=2017), words(lang))
           for name, fields in texts.items()}
    for text in out.values():
        assert not language_problem(text, lang), text
    assert "2017" in out["see_proxy"] and "2017" in out["proxy"] and "2018" in out["proxy"]
    if lang == "en":
        assert out["circular"].endswith("(evidence includes the report itself: circular)")
        assert out["proxy"].startswith("proxy check on 2017") and "(the claim is about 2018)" in out["proxy"]
        assert out["no_proxy"].endswith("so no proxy check")
    else:
        assert "循环论证" in out["circular"] and out["proxy"].startswith("2017年替代核对")


# ------------------------------------------------------------------------ hand-built evidence

def row_item(value, source, *, report=False, preferred=True, **flags) -> dict:
    return {"value": value, "unit": "count", "lower_bound": flags.get("lb", False),
            "approximate": flags.get("approx", False), "year_inferred": flags.get("inferred", False),
            "vintage": "first release", "source_id": source, "report": report, "preferred": preferred}


EVIDENCE_ITEMS = [
    {"item": "cell", **ref(), "status": "ok", "used": row_item(12099, IND, preferred=False), "figure": fig(12099),
     "preferred_ids": [REP], "preferred_is_report": True,
     "others": [row_item(11000, REP, report=True, lb=True, approx=True), row_item(9000, IND2, preferred=False),
                row_item(12000, IND2, preferred=False, approx=True, inferred=True)],
     "conflicts": [{"value": 9000, "source_id": IND2}], "compatible": [{"value": 12000, "source_id": IND2}],
     "circular": False},
    {"item": "cell", **ref("Beijing"), "status": "ok", "used": row_item(25000, REP, report=True), "figure": fig(25000),
     "preferred_ids": [IND], "preferred_is_report": False, "others": [], "conflicts": [], "compatible": [],
     "circular": True},
    {"item": "cell", **ref("Shanghai"), "status": "missing"},
    {"item": "cell", **ref("Shenzhen"), "status": "report_only", "report_rows": [row_item(14400, REP, report=True)]},
    {"item": "point_gap", "method": "analysis.metrics.difference", "city": "Guangzhou", "year": 2018,
     "indicator": "rdi", "difference_unit": "percentage points",
     "differences": [{"peer": "Beijing", "difference": -3.54}, {"peer": "Shenzhen", "difference": 0.25}],
     "bounds": [{**ref("Shenzhen", indicator="rdi"), "figure": fig(4.2, "rdi", approx=True, lo=3.99, hi=4.41)}],
     "inferred_cities": ["Beijing"]},
    {"item": "point_rank", "method": "analysis.metrics.rank", "city": "Guangzhou", "year": 2018, "indicator": "hte",
     "rank": 3.0, "n_ranked": 4, "bounds": [], "inferred_cities": []},
    {"item": "no_series"},
    {"item": "related_series", "indicator": "turnover"},
]
PUBLISHERS = {IND: {"en": "Statistics Bureau", "zh": "统计局"}, IND2: {"en": "Daily", "zh": "日报"},
              REP: {"en": "Guangzhou S&T Bureau", "zh": "广州市科学技术局"}}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_evidence_item_in_each_language(lang):
    row = pd.Series({"evidence": json.dumps(EVIDENCE_ITEMS), "publishers": json.dumps(PUBLISHERS)})
    text = wording.evidence_text(row, words(lang))
    parts = text.split(" | ")
    assert len(parts) == len(EVIDENCE_ITEMS)
    assert not language_problem(text, lang), text
    for figure in ("12,099", "11,000", "9,000", "12,000", "25,000", "14,400", "−3.54", "+0.25", "3.99", "4.41"):
        assert figure in text, figure
    assert IND in parts[0] and REP in parts[0] and IND2 in parts[0]
    assert "first release" not in text    # vintages are English notes from the data: kept in the items only
    if lang == "en":
        assert parts[0].startswith("Guangzhou 2018 hte = 12,099 count [src-indep00001: Statistics Bureau; "
                                   "independent; not preferred]")
        assert "the preferred row (src-report0001) is the report itself" in parts[0]
        assert "CONFLICT: other rows give 9,000 count (src-indep00002)" in parts[0]
        assert "the value used is the report's own figure (circular)" in parts[1]
        assert parts[2] == "Shanghai 2018 hte: not in data"
        assert parts[4].startswith("point gap, Guangzhou minus each peer (2018, percentage points): "
                                   "Beijing −3.54 and Shenzhen +0.25 (bounds involved: Shenzhen about 4.2 percent")
        assert parts[4].endswith("(year inferred: Beijing)")
        assert parts[5] == "point-value rank (2018): 3 of 4 cities with a usable value"
    else:
        assert parts[0].startswith("广州2018年高新技术企业数：12,099个【src-indep00001：统计局；独立来源；非首选】")
        assert "冲突" in parts[0] and parts[2] == "上海2018年高新技术企业数：无数据"
        assert parts[5] == "点值排名（2018年）：在4个有可用数字的城市中排第3"


# ------------------------------------------------------------------------ the claims table

def fixture_verdicts() -> pd.DataFrame:
    """Every kind of claim and target on small data, with Chinese claim text and English gists."""
    claims = ledger(threshold(), threshold(target=20000), ordering(), rank_claim(3, "national"))
    claims["claim_zh"] = ["总数突破1.1万家", "总数突破2万家", "研发投入强度低于北京、上海、深圳", "居全国第三"]
    targets = [target(), target(indicator="", related_indicator="turnover")]
    for number, row in enumerate(targets, start=1):
        row["claim_id"], row["claim_zh"] = f"T{number:02d}", "发放贷款累计超150亿元"
    data = obs(("Guangzhou", 2018, "hte", 12000, IND), ("Guangzhou", 2018, "hte", 11000, REP, LB),
               ("Beijing", 2018, "hte", 25000, IND2), ("Shanghai", 2018, "hte", 9206, IND),
               ("Shenzhen", 2018, "hte", 14400, IND), ("Guangzhou", 2018, "rdi", 2.6, IND),
               ("Shanghai", 2018, "rdi", 4.0, IND), ("Shenzhen", 2018, "rdi", 4.2, IND),
               ("Guangzhou", 2017, "rdi", 2.5, IND), ("Beijing", 2017, "rdi", 5.6, IND),
               ("Shanghai", 2017, "rdi", 3.9, IND), ("Shenzhen", 2017, "rdi", 4.1, IND),
               ("Guangzhou", 2019, "turnover", 111.71, IND, LB))
    return evaluate(pd.concat([claims, *targets], ignore_index=True), data)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_claims_table_is_wholly_in_one_language(lang):
    verdicts = fixture_verdicts()
    table = cl.claims_table(verdicts, lang=lang, labels=LABELS[lang])
    assert list(table.columns) == list(cl.TABLE_COLUMNS[lang])
    assert len(table) == len(verdicts) and list(table.index) == list(range(len(table)))
    assert list(table["claim_id"]) == list(verdicts["claim_id"])
    assert str(table["year"].dtype) == "Int64"
    shown = [column for column in table.columns if column not in ("quote", "year")]
    for column in shown:
        for text in table[column]:
            assert not language_problem(str(text), lang), (column, text)
    if lang == "en":
        assert list(table["claim"]) == list(verdicts["gist_en"])
        assert list(table["quote"]) == list(verdicts["claim_zh"])
        assert list(table["verdict"]) == list(verdicts["verdict"])       # English labels are the codes
        assert list(table["check"]) == list(verdicts["check"])
        assert table.loc[0, "sources"] == "Statistics Bureau (src-indep00001)"
    else:
        assert list(table["claim"]) == list(verdicts["claim_zh"]) and "quote" not in table.columns
        assert set(table["verdict"]) <= {"得到支持", "与数据不符", "无法核实", "已达成", "未达成"}
        assert table.loc[0, "sources"] == "统计局（src-indep00001）"
        assert "最近共同年份（替代核对）" in set(table["check"])
    targets = table[verdicts["kind"].eq("target").to_numpy()]
    assert len(targets) == 2 and set(targets["kind"]) == {Messages(lang)("claims.kind.target")}
    headers = cl.column_labels(lang)
    assert list(headers) == list(table.columns)
    assert headers["verdict"] == ("Verdict" if lang == "en" else "结论")


def test_claims_table_checks_its_arguments():
    verdicts = fixture_verdicts()
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        cl.claims_table(verdicts, lang="fr", labels=LABELS["en"])
    with pytest.raises(ValueError, match="labels are in 'en' but lang is 'zh'"):
        cl.claims_table(verdicts, lang="zh", labels=LABELS["en"])
    with pytest.raises(ValueError, match="verdict table lacks column"):
        cl.claims_table(verdicts.drop(columns="reason_code"), labels=LABELS["en"])


def test_names_the_labels_lack_fall_back_to_codes():
    catalogue = CATALOGUE.drop(index="hte")
    labels = Labels(catalogue, LABELS["en"].cities, pd.DataFrame(), "en")
    row = evaluate(threshold(), obs(("Guangzhou", 2018, "hte", 12099, IND))).iloc[0]
    assert wording.reason_text(row, wording.Words(Messages("en"), labels)) == (
        "Guangzhou 2018 hte is 12,099, so > 11,000 holds")


@pytest.fixture(scope="module")
def shipped_verdicts():
    claims = cl.load_claims(SHIPPED)
    return cl.evaluate_claims(claims, analysis.load_observations(preferred_only=False, data_dir=SHIPPED),
                              analysis.load_sources(SHIPPED), analysis.load_catalogue(SHIPPED))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_shipped_claims_table_is_wholly_in_one_language(shipped_verdicts, lang):
    labels = Labels.load(lang, SHIPPED)
    table = cl.claims_table(shipped_verdicts, lang=lang, labels=labels)
    codes = list(labels.catalogue.index)
    for column in (c for c in table.columns if c not in ("quote", "year")):
        for claim_id, text in zip(table["claim_id"], table[column]):
            assert not language_problem(str(text), lang, codes), (claim_id, column, text)
    # every figure the verdicts used is named with its source's publisher in the reader's language
    publishers = analysis.load_sources(SHIPPED).set_index("source_id")[f"publisher_{lang}"]
    for sources, ids in zip(table["sources"], shipped_verdicts["source_ids"]):
        for sid in filter(None, ids.split(";")):
            assert f"{publishers[sid]}" in sources and sid in sources
