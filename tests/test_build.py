"""Tests of the dataset build (:mod:`analysis.build`) and of the dataset it writes to data/.

The shipped tables must be exactly what the build makes from data/raw; rows the collectors
marked UNRELIABLE must never reach them; every lower bound the raw notes state must be
flagged; incompatible series of one family must never share a code; derived figures are
computed openly and never replace printed ones; and the build must stop on raw rows it
cannot place.
"""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import analysis
from analysis import errors
from analysis.build import build, checks, known_gaps, write
from analysis.build.heuristics import text_flags
from analysis.build.schema import (
    CURATION_COLUMNS,
    DERIVED_PUBLISHER_EN,
    DERIVED_PUBLISHER_ZH,
    RAW_COLUMNS,
    SOURCE_META_COLUMNS,
    UNIT_CONVERSIONS,
)
from analysis.build.write import to_csv

ROOT = Path(analysis.__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
DATA = ROOT / "data"
SEED = ROOT / "seeds" / "000_1da18392a39b6ff1.txt"
OUTPUTS = ["observations.csv", "sources.csv", "indicators.csv", "gaps.csv", "cities.csv", "vintages.csv",
           "datapackage.json"]


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def raw_rows() -> list[dict]:
    """Every row of the raw figure files, with ``raw_file`` and its curation row as ``curation``."""
    curation = {(c["raw_file"], c["city"], c["year"], c["raw_indicator"], c["value"], c["source_url"]): c
                for c in read(RAW / "curation.csv")}
    rows = []
    for path in sorted(RAW.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            if next(csv.reader(handle)) != RAW_COLUMNS:
                continue
        for row in read(path):
            key = (path.name, row["city"], row["year"], row["indicator"], row["value"], row["source_url"])
            rows.append(dict(row, raw_file=path.name, curation=curation.get(key)))
    return rows


def placed(row: dict) -> bool:
    """The raw row reaches the data: not UNRELIABLE and curated into a series."""
    return "UNRELIABLE" not in row["note"] and bool(row["curation"]["series"])


def sid(row: dict) -> str:
    text = f"{row['source_title']}\n{row['source_url']}\n{row['quote']}"
    return "src-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


@pytest.fixture(scope="module")
def observations() -> list[dict]:
    return read(DATA / "observations.csv")


@pytest.fixture(scope="module")
def catalogue() -> dict:
    return {r["code"]: r for r in read(DATA / "indicators.csv")}


@pytest.fixture(scope="module")
def sources() -> dict:
    return {r["source_id"]: r for r in read(DATA / "sources.csv")}


def filed_under(raw: dict) -> list[str]:
    """City codes a raw row is filed under: the curation's ``cities`` (a cluster may hold
    several), else the raw city."""
    codes = (raw["curation"] or {}).get("cities", "")
    return codes.split(";") if codes else [raw["city"]]


def observation_of(raw: dict, observations: list[dict]) -> list[dict]:
    """Observations that come from one raw row: same source, a city it is filed under, the
    curated year, and the raw value (after an exact unit conversion, e.g. 万元 -> 亿元)."""
    year = (raw["curation"] or {}).get("corrected_year") or raw["year"]
    value = Decimal(raw["value"].strip()) if re.fullmatch(r"-?\d+(?:\.\d+)?", raw["value"].strip()) else None
    if raw["unit"] in UNIT_CONVERSIONS and value is not None:
        value = value.scaleb(UNIT_CONVERSIONS[raw["unit"]][1])
    return [o for o in observations if o["source_id"] == sid(raw) and o["city"] in filed_under(raw)
            and o["year"] == year and value is not None and Decimal(o["value"]) == value]


@pytest.fixture
def raw_copy(tmp_path) -> Path:
    """A scratch copy of data/raw for builds that must fail."""
    target = tmp_path / "raw"
    shutil.copytree(RAW, target)
    return target


def append_csv(path: Path, row: list[str]) -> None:
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(row)


def quiet(*_args, **_kwargs):
    pass


# ---------------------------------------------------------------------------- (a) reproducible

def test_build_reproduces_committed_files_byte_for_byte(tmp_path):
    result = subprocess.run([sys.executable, "-m", "analysis.build", "build", "--out", str(tmp_path)],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for name in OUTPUTS:
        built, committed = (tmp_path / name).read_bytes(), (DATA / name).read_bytes()
        assert built == committed, f"data/{name} is stale: rerun python -m analysis.build build"
    assert not list(tmp_path.glob(".build-*"))              # the staging folder is gone


def test_the_descriptor_is_the_authored_one_copied_verbatim():
    assert (DATA / "datapackage.json").read_bytes() == (RAW / "datapackage.json").read_bytes()


def test_build_reads_the_raw_folder_it_is_given(raw_copy):
    """A figure changed in a copy of data/raw appears in the build of the copy only."""
    path, curation = raw_copy / "rd_input.csv", raw_copy / "curation.csv"
    rows = read(path)
    target = next(r for r in rows if (r["city"], r["year"], r["indicator"]) == ("Beijing", "2019", "gdp"))
    old = target["value"]
    target["value"] = "35371.31"
    path.write_text(to_csv(rows, RAW_COLUMNS), encoding="utf-8")
    cur = read(curation)
    for row in cur:
        if (row["raw_file"], row["city"], row["year"], row["raw_indicator"], row["value"]) == (
                "rd_input.csv", "Beijing", "2019", "gdp", old):
            row["value"] = "35371.31"
    curation.write_text(to_csv(cur, CURATION_COLUMNS), encoding="utf-8")

    def beijing_2019_gdp(tables):
        return {o["value"] for o in tables["observations"]
                if (o["city"], o["year"], o["indicator"]) == ("Beijing", "2019", "gdp")}
    assert "35371.31" in beijing_2019_gdp(build(raw_copy, log=quiet))
    assert "35371.31" not in beijing_2019_gdp(build(RAW, log=quiet))


def test_every_raw_row_is_an_observation_or_left_out_with_a_reason(observations, sources):
    rows = raw_rows()
    printed = [o for o in observations if sources[o["source_id"]]["source_type"] != "derived"]
    usable = [r for r in rows if placed(r)]
    assert len(printed) == sum(len(filed_under(r)) for r in usable)
    for row in usable:
        assert len(observation_of(row, observations)) == len(filed_under(row)), (
            row["raw_file"], row["city"], row["year"], row["indicator"])
    for row in rows:
        if "UNRELIABLE" not in row["note"] and not placed(row):
            assert row["curation"]["reason"].startswith("left out"), row["curation"]
            assert observation_of(row, observations) == []


# ---------------------------------------------------------------------------- (b) UNRELIABLE

def test_no_unreliable_row_reaches_observations(observations):
    unreliable = [r for r in raw_rows() if "UNRELIABLE" in r["note"]]
    for row in unreliable:
        assert observation_of(row, observations) == []
        assert all(o["source_id"] != sid(row) for o in observations)
    assert not any("UNRELIABLE" in o["note"] for o in observations)


def test_an_unreliable_row_added_to_raw_is_dropped(raw_copy):
    append_csv(raw_copy / "rd_input.csv",
               ["Guangzhou", "2019", "rd_expenditure", "9999", "100 million yuan", "spam page",
                "http://example.invalid/x", "广州研发投入9999亿元", "UNRELIABLE test row"])
    tables = build(raw_copy, log=quiet)
    assert not any(o["value"] == "9999" for o in tables["observations"])


# ---------------------------------------------------------------------------- (c) lower bounds

# raw notes that say 'lower bound' about ANOTHER row, not about their own figure
NOTE_ABOUT_ANOTHER_ROW = {("fill_search_2026.csv", "Shanghai", "2018", "high_tech_enterprises", "9206"),
                          ("fill_search_2026.csv", "Shenzhen", "2023", "high_tech_enterprises", "24700"),
                          ("fill_search_2026.csv", "Shanghai", "2019", "high_tech_enterprises", "12861")}


def test_every_lower_bound_in_raw_notes_is_flagged(observations):
    checked = 0
    for row in raw_rows():
        if not placed(row) or not re.search(r"(?i)lower bound", row["note"]):
            continue
        key = (row["raw_file"], row["city"], row["year"], row["indicator"], row["value"])
        (obs,) = observation_of(row, observations)
        expected = "false" if key in NOTE_ABOUT_ANOTHER_ROW else "true"
        assert obs["lower_bound"] == expected, key
        checked += 1
    assert checked >= 20  # the shared files state about two dozen lower bounds


def test_report_lower_bound_and_partial_scope_rows_are_flagged(observations):
    def flag(city, year, indicator, value):
        (o,) = [o for o in observations if (o["city"], o["year"], o["indicator"], o["value"])
                == (city, year, indicator, value)]
        return o["lower_bound"]
    assert flag("Guangzhou", "2018", "high_tech_enterprises", "11000") == "true"  # 突破1.1万
    assert flag("Beijing", "2020", "major_st_infrastructure", "5") == "true"        # Huairou only
    assert flag("Shenzhen", "2023", "major_st_infrastructure_local", "9") == "true"  # Guangming only


def test_text_heuristic_reads_the_figure_not_other_numbers():
    flags = text_flags("", "全社会研发投入超过800亿元,占GDP的比重提高至4.1%。", "4.1")
    assert not flags["lower_bound"]
    flags = text_flags("", "总数从2015年的1919家增加至2018年超过 1.1 万家。", "11000")
    assert flags["lower_bound"]
    assert text_flags("", "达到4.4%左右", "4.4")["approximate"]


def test_flag_contradicting_the_raw_text_needs_a_flag_note(raw_copy):
    path = raw_copy / "curation.csv"
    rows = read(path)
    for row in rows:
        if (row["raw_file"], row["city"], row["year"], row["value"]) == (
                "output.csv", "Shenzhen", "2024", "25000"):
            row["lower_bound"] = "false"      # the quote says 突破2.5万
            row["flag_note"] = ""
    path.write_text(to_csv(rows, CURATION_COLUMNS), encoding="utf-8")
    with pytest.raises(errors.BuildError, match="flag_note"):
        build(raw_copy, log=quiet)


# ---------------------------------------------------------------------------- (d) series

# For each family with several series: what the raw note (or title/quote) of a row in each
# code says. The unmarked code of a family takes the rows matching no sibling marker.
FAMILY_MARKERS = {
    "key_labs": {"state_key_labs_most_academic": ("note", r"academic \(学科\) SKLs|academic SKLs only|list of 253 academic"),
                 "state_key_labs_enterprise": ("note", r"among the 177 enterprise SKLs|^DERIVED LOWER BOUND: enterprise SKLs"),
                 "state_key_labs_province_ministry": ("note", r"among 48 省部共建 SKLs|^DERIVED LOWER BOUND: 省部共建 SKLs"),
                 "national_key_labs_reorg": ("text", r"全国重点实验室"),
                 "state_key_labs": None},
    "major_st_infrastructure": {"major_st_infrastructure_incl_planned": ("note", r"PLANNED|in preparation"),
                                "major_st_infrastructure_local": ("note", r"municipally/provincially|national/provincial/municipal"),
                                "major_st_infrastructure": None},
    "national_st_awards": {"national_st_awards_led": ("note", r"LED-only|only projects LED|LED-ONLY"),
                           "national_st_awards": None},
    "nature_index_city_rank": {"nature_index_city_rank_retro": ("note", r"(?i)retrospective|restated"),
                               "nature_index_city_rank_unverified": ("note", r"low confidence"),
                               "nature_index_city_rank": None},
    "invention_patents_granted": {"invention_patents_granted_whu": ("note", r"Wuhan Univ\. patent-database count"),
                                  "invention_patents_granted_per_10k": ("note", r"^DERIVED, not a printed figure: invention_patents_granted / resident_population "),
                                  "invention_patents_granted": None},
    "pct_applications": {"pct_applications_city": ("text", r"white paper|白皮书|白皮書|S&T Commission|IP Office\) via repost|IP Administration|IP action plan"),
                         "pct_applications": None},
    "rd_intensity": {"rd_intensity_nonstandard": ("note", r"LOW CONFIDENCE"), "rd_intensity": None},
    "gdp": {"gdp_usd": ("note", r"millions of current dollars"), "gdp_jpy": ("note", r"都内総生産"),
            "gdp_sgd": ("note", r"million Singapore dollars"), "gdp": None},
    "gii_cluster_rank": {"gii_inventive_cluster_rank": ("note", r"PCT filings only"), "gii_cluster_rank": None},
    "fiscal_st_expenditure": {"fiscal_st_expenditure_municipal": ("note", r"MUNICIPAL-LEVEL \(市级\) general public budget final accounts only"),
                              "fiscal_st_expenditure": None},
    "enterprise_rd_share": {"enterprise_rd_share_headline": ("note", r"slogan"), "enterprise_rd_share": None},
    "academicians": {"academicians_fulltime": ("text", r"FULL-TIME CAS|Full-time CAS|全职"),
                     "academicians_per_million": ("note", r"^DERIVED, not a printed figure: academicians / resident_population "), "academicians": None},
    "patents_granted_total": {"patents_granted_total_per_10k": ("note", r"^DERIVED, not a printed figure: patents_granted_total / resident_population "),
                              "patents_granted_total": None},
    "high_tech_enterprises": {"high_tech_enterprises_per_10k": ("note", r"^DERIVED, not a printed figure: high_tech_enterprises / resident_population "),
                              "high_tech_enterprises": None},
    "rd_personnel_fte": {"rd_personnel_fte_per_10k": ("note", r"^DERIVED, not a printed figure: rd_personnel_fte / resident_population "), "rd_personnel_fte": None},
    "tech_contract_turnover": {"tech_contract_turnover_seller_region": ("note", r"技术输出地域|EXPORTS \(sells\)"),
                               "tech_contract_turnover": None},
    "vc_amount": {"vc_amount_gdass": ("note", r"Guangdong Venture Capital Report"),
                  "vc_amount_zero2ipo": ("note", r"^research database: Zero2IPO"),
                  "vc_amount_sz_chamber": ("note", r"Shenzhen Chamber of Investment"),
                  "vc_amount_jiamian": ("note", r"Jiamian"),
                  "vc_amount_gdass_pct_gdp": ("note", r"^DERIVED, not a printed figure: vc_amount_gdass / gdp "),
                  "vc_amount_zero2ipo_pct_gdp": ("note", r"^DERIVED, not a printed figure: vc_amount_zero2ipo / gdp ")},
    "vc_deals": {"vc_deals_gdass": ("note", r"Guangdong Venture Capital Report"),
                 "vc_deals_zero2ipo": ("note", r"^research database: Zero2IPO"),
                 "vc_deals_sz_chamber": ("note", r"Shenzhen Chamber of Investment"),
                 "vc_deals_jiamian": ("note", r"Jiamian"),
                 "vc_deals_itjuzi": ("note", r"^database: IT桔子")},
    "incubators": {"incubators_national": ("note", r"NATIONAL-LEVEL"),
                   "incubation_carriers": ("note", r"BROADER SCOPE"),
                   "incubators_torch": ("note", r"REPORTING TO THE STATISTICS"),
                   "incubators_per_million": ("note", r"^DERIVED, not a printed figure: incubators / resident_population "), "incubators": None},
    "maker_spaces": {"maker_spaces_national": ("text", r"NATIONAL-LEVEL|recognized as national maker space"),
                     "maker_spaces_torch": ("note", r"maker spaces \(众创空间数量\) reporting"),
                     "maker_spaces_per_million": ("note", r"^DERIVED, not a printed figure: maker_spaces / resident_population "), "maker_spaces": None},
    "unicorns": {"unicorns_hurun": ("note", r"^index: Hurun(?![^;]*HALF-YEAR)"),
                 "unicorns_hurun_midyear": ("note", r"HALF-YEAR"),
                 "unicorns_gei": ("note", r"^(official \(Beijing People's Congress site\)\. )?index: (GEI|MOST Torch|Torch)"),
                 "unicorns_zeping": ("note", r"^index: 泽平"),
                 "unicorns_zgc2024": ("note", r"^index: 《中国独角兽企业发展报告\(2024年\)》"),
                 "unicorns_cbinsights": ("note", r"CB Insights unicorns")},
}


def test_family_markers_cover_every_family_with_several_series(catalogue):
    families = {}
    for code, row in catalogue.items():
        families.setdefault(row["family"], []).append(code)
    several = {f: sorted(c) for f, c in families.items() if len(c) > 1}
    assert several == {f: sorted(m) for f, m in FAMILY_MARKERS.items()}


def test_no_code_mixes_two_series_of_a_family(observations, sources):
    for family, markers in FAMILY_MARKERS.items():
        for obs in (o for o in observations if o["indicator"] in markers):
            source = sources[obs["source_id"]]
            note = obs["note"].split(" || ")[0]
            fields = {"note": note, "text": " ".join((note, source["title"], source["quote"]))}
            matched = [code for code, marker in markers.items()
                       if marker and re.search(marker[1], fields[marker[0]])]
            default = [code for code, marker in markers.items() if marker is None]
            where = (obs["city"], obs["year"], obs["indicator"], obs["value"])
            assert matched == [obs["indicator"]] or (not matched and default == [obs["indicator"]]), (
                family, where, matched)


def test_two_preferred_rows_for_one_cell_stop_the_build(raw_copy):
    path = raw_copy / "curation.csv"
    rows = read(path)
    for row in rows:
        if (row["city"], row["year"], row["series"]) == ("Shanghai", "2023", "rd_intensity"):
            row["preferred"] = "true"
    path.write_text(to_csv(rows, CURATION_COLUMNS), encoding="utf-8")
    with pytest.raises(errors.BuildError, match="[2-9] preferred rows"):
        build(raw_copy, log=quiet)


def test_uncurated_raw_row_stops_the_build(raw_copy):
    append_csv(raw_copy / "output.csv",
               ["Guangzhou", "2024", "high_tech_enterprises", "13500", "count", "new source",
                "http://example.invalid/y", "广州高新技术企业13500家", "official"])
    with pytest.raises(errors.BuildError, match="no row in data/raw/curation.csv"):
        build(raw_copy, log=quiet)


def test_unknown_series_stops_the_build(raw_copy):
    path = raw_copy / "curation.csv"
    rows = read(path)
    rows[0]["series"] = "not_a_series"
    path.write_text(to_csv(rows, CURATION_COLUMNS), encoding="utf-8")
    with pytest.raises(errors.BuildError, match="not in indicators.csv"):
        build(raw_copy, log=quiet)


# ---------------------------------------------------------------------------- consistency

def test_one_preferred_row_per_cell_and_catalogue_units(observations, catalogue):
    cells = {}
    for o in observations:
        cells.setdefault((o["city"], o["year"], o["indicator"]), []).append(o["preferred"])
        assert o["unit"] == catalogue[o["indicator"]]["unit"]
        assert o["unit"] not in ("亿元", "Share")
    assert all(flags.count("true") == 1 for flags in cells.values())


def test_rd_intensity_matches_expenditure_over_gdp_or_is_explained(observations, catalogue):
    preferred = {(o["city"], o["year"], o["indicator"]): o for o in observations
                 if o["preferred"] == "true"}
    caveats = catalogue["rd_intensity"]["caveats"]
    checked = 0
    for (city, year, code), o in preferred.items():
        num, den = preferred.get((city, year, "rd_expenditure")), preferred.get((city, year, "gdp"))
        if code != "rd_intensity" or not num or not den or "true" in (
                num["lower_bound"], den["lower_bound"], o["lower_bound"]):
            continue
        checked += 1
        implied = float(num["value"]) / float(den["value"]) * 100
        if abs(float(o["value"]) - implied) > 0.05:
            assert f"{city} {year}" in caveats, (city, year, o["value"], round(implied, 3))
    assert checked >= 25


def set_raw_value(raw_dir: Path, raw_file: str, city: str, year: str, indicator: str, value: str) -> None:
    """Change one raw figure and the value in its curation key, as a collector's correction would."""
    path = raw_dir / raw_file
    rows = read(path)
    (target,) = [r for r in rows if (r["city"], r["year"], r["indicator"]) == (city, year, indicator)]
    old, target["value"] = target["value"], value
    path.write_text(to_csv(rows, RAW_COLUMNS), encoding="utf-8")
    edit_curation(raw_dir, {"raw_file": raw_file, "city": city, "year": year, "raw_indicator": indicator,
                            "value": old}, value=value)


def set_intensity_caveats(raw_dir: Path, edit) -> None:
    path = raw_dir / "indicators.csv"
    rows = read(path)
    (row,) = [r for r in rows if r["code"] == "rd_intensity"]
    row["caveats"] = edit(row["caveats"])
    path.write_text(to_csv(rows, list(rows[0])), encoding="utf-8")


def test_an_unexplained_ratio_inconsistency_stops_the_build_until_listed(raw_copy):
    # Beijing 2019: 2233.6 / 36000 x 100 = 6.20, not the printed 6.31
    set_raw_value(raw_copy, "rd_input.csv", "Beijing", "2019", "gdp", "36000")
    with pytest.raises(errors.BuildError, match=r"Beijing 2019: rd_intensity 6.31 but .* = 6.204"):
        build(raw_copy, log=quiet)
    set_intensity_caveats(raw_copy, lambda text: text + " Beijing 2019 is discussed here.")
    with pytest.raises(errors.BuildError, match=r"Beijing 2019.*'fails for:' list"):
        build(raw_copy, log=quiet)                          # a mention outside the list does not count
    set_intensity_caveats(raw_copy, lambda text: text + " The check fails for: Beijing 2019 (a test GDP).")
    logged = []
    build(raw_copy, log=logged.append)
    assert any("ratio exception (explained in caveats): rd_intensity Beijing 2019" in line for line in logged)


def test_listed_failures_reads_only_the_fails_for_list():
    caveats = "Shanghai 2016 is mentioned. Check fails for: Beijing 2019 (why); Shenzhen 2020 (why). Guangzhou 2021 (x)."
    assert checks.listed_failures(caveats) == {"Beijing 2019", "Shenzhen 2020"}
    assert checks.listed_failures("no list here, Beijing 2019 (why).") == set()


def test_source_ids_follow_the_data_model(sources):
    for source_id, row in sources.items():
        assert source_id == sid({"source_title": row["title"], "source_url": row["url"],
                                 "quote": row["quote"]})


def test_report_rows_quote_the_package_copy_of_the_report():
    seed = SEED.read_text(encoding="utf-8").replace("**", "")
    rows = read(RAW / "report_2018.csv")
    assert rows
    for row in rows:
        assert row["quote"] in seed, row["quote"]
        assert row["source_url"] == "seeds/000_1da18392a39b6ff1.txt"
        assert row["source_title"] == "广州市科学技术局2018年工作总结和2019年工作安排"


def test_gap_quotes_come_from_section_two_of_the_report():
    seed = re.sub(r"\s+", "", SEED.read_text(encoding="utf-8").replace("**", ""))
    section = seed[seed.index("二、存在的主要问题"):seed.index("三、2019年重点工作安排")]
    for gap in read(DATA / "gaps.csv"):
        assert re.sub(r"\s+", "", gap["report_quote_zh"]) in section, gap["code"]


def test_datapackage_validates_with_frictionless():
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.Package(str(DATA / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])[:5]


def test_known_gaps_table_in_data_readme_matches_the_data():
    assert known_gaps.readme_table(DATA / "README.md") == known_gaps.known_gaps_table(), \
        "data/README.md's known-gaps table is stale: run python -m analysis.build known-gaps --write"


def test_known_gaps_cells_name_missing_and_lower_bound_years():
    years = list(range(2015, 2025))
    assert known_gaps.gap_cell(years, [], years) == "—"
    assert known_gaps.gap_cell([], [], years) == "all"
    assert known_gaps.gap_cell([y for y in years if y not in (2016, 2017, 2020)], [2019], years) \
        == "2016-2017, 2020; lower bound only: 2019"
    assert known_gaps.gap_cell(years, [2020], years) == "lower bound only: 2020"
    assert known_gaps.gap_cell(years[1:], [], years, [2016, 2017]) == "2015; derived only: 2016-2017"


# ---------------------------------------------------------------------------- a small raw folder

MINI_INDICATORS = [
    # code, name_zh, unit, unit_zh, gap, direction, numerator, denominator, scale, derive, min, max
    ("firms", "企业数", "count", "个", "leading_firms", "1", "", "", "", "false", "0", "1000000"),
    ("firms_per_10k", "每万常住人口企业数", "count per 10k residents", "个/万常住人口", "leading_firms", "1",
     "firms", "resident_population", "1", "true", "0", "10000"),
    ("resident_population", "常住人口", "10 thousand persons", "万人", "context", "0", "", "", "", "false",
     "100", "5000"),
    ("rd_expenditure", "研究与试验发展(R&D)经费支出", "100 million yuan", "亿元", "rd_intensity", "1", "", "", "",
     "false", "0", "40000"),
]
MINI_PUBLISHERS = {"a": ("P", "Publisher A", "甲出版者"), "b": ("Q (repost on q.invalid)", "Q (repost)", "乙（转载）")}
"""Source -> (publisher, publisher_en, publisher_zh) of the small raw folder."""


@pytest.fixture
def mini_raw(tmp_path) -> Path:
    """A raw folder with two cities, four series (one derived) and six raw figures."""
    folder = tmp_path / "raw"
    folder.mkdir()
    for name in ("datapackage.json", "gaps.csv", "cities.csv"):
        shutil.copy(RAW / name, folder / name)
    (folder / "vintages.csv").write_text("vintage,vintage_zh\n", encoding="utf-8")   # no figure has a vintage
    columns = list(read(RAW / "indicators.csv")[0])
    indicators = [dict(zip(columns, [code, code, code, name_zh, unit, unit_zh, gap, direction, num, den,
                                     scale, derive, "", low, high, "test range", "test", "test"]))
                  for code, name_zh, unit, unit_zh, gap, direction, num, den, scale, derive, low, high
                  in MINI_INDICATORS]
    (folder / "indicators.csv").write_text(to_csv(indicators, columns), encoding="utf-8")
    raw = [
        ("Guangzhou", "2020", "firms", "12000", "count", "a", "有1.2万家"),
        ("Guangzhou", "2020", "resident_population", "1867.66", "10 thousand persons", "a", "1867.66万人"),
        ("Beijing", "2020", "firms", "29000", "count", "b", "超过2.9万家"),
        ("Beijing", "2020", "resident_population", "2189.31", "10 thousand persons", "b", "2189.31万人"),
        ("Beijing", "2021", "firms", "27600", "count", "b", "2.76万家"),
        ("Beijing", "2021", "rd_expenditure", "26293207.5", "10000 yuan", "b", "26293207.5万元"),
    ]
    rows = [dict(zip(RAW_COLUMNS, [city, year, code, value, unit, f"title {src}", f"http://x.invalid/{src}",
                                   quote, "official"])) for city, year, code, value, unit, src, quote in raw]
    (folder / "figures.csv").write_text(to_csv(rows, RAW_COLUMNS), encoding="utf-8")
    curation = [dict(raw_file="figures.csv", city=r["city"], year=r["year"], raw_indicator=r["indicator"],
                     value=r["value"], source_url=r["source_url"], series=r["indicator"], cities="",
                     level="city", area="", area_zh="", preferred="true",
                     vintage="", lower_bound="true" if r["quote"].startswith("超过") else "false",
                     approximate="false", year_inferred="false", derived="false", corrected_year="",
                     flag_note="", reason="") for r in rows]
    (folder / "curation.csv").write_text(to_csv(curation, CURATION_COLUMNS), encoding="utf-8")
    meta = [{"source_title": f"title {s}", "source_url": f"http://x.invalid/{s}", "publisher": publisher,
             "publisher_en": en, "publisher_zh": zh, "source_type": "official", "accessed": ""}
            for s, (publisher, en, zh) in MINI_PUBLISHERS.items()]
    (folder / "source_meta.csv").write_text(to_csv(meta, SOURCE_META_COLUMNS), encoding="utf-8")
    return folder


def edit_curation(folder: Path, match: dict, **changes) -> None:
    path = folder / "curation.csv"
    rows = read(path)
    hits = [r for r in rows if all(r[k] == v for k, v in match.items())]
    assert len(hits) == 1, (match, len(hits))
    hits[0].update(changes)
    path.write_text(to_csv(rows, CURATION_COLUMNS), encoding="utf-8")


def cell(tables, city, year, code) -> list[dict]:
    return [o for o in tables["observations"] if (o["city"], o["year"], o["indicator"]) == (city, year, code)]


def test_derived_series_is_computed_from_printed_rows_with_traceable_inputs(mini_raw):
    tables = build(mini_raw, log=quiet)
    (guangzhou,) = cell(tables, "Guangzhou", "2020", "firms_per_10k")
    assert guangzhou["value"] == "6.43"                            # 12000 / 1867.66 = 6.4252...
    assert guangzhou["derived"] is True and guangzhou["preferred"] is True
    source = next(s for s in tables["sources"] if s["source_id"] == guangzhou["source_id"])
    inputs = [o["source_id"] for o in cell(tables, "Guangzhou", "2020", "firms")
              + cell(tables, "Guangzhou", "2020", "resident_population")]
    assert source["source_type"] == "derived"
    assert all(sid in source["quote"] for sid in inputs) and "12000" in source["quote"]
    (beijing,) = cell(tables, "Beijing", "2020", "firms_per_10k")
    assert beijing["lower_bound"] is True                          # 超过2.9万 over an exact population
    assert cell(tables, "Beijing", "2021", "firms_per_10k") == []  # no population for 2021


def test_derived_figure_is_not_made_where_a_printed_one_exists(mini_raw):
    path = mini_raw / "figures.csv"
    append_csv(path, ["Guangzhou", "2020", "firms_per_10k", "6.4", "count per 10k residents", "title a",
                      "http://x.invalid/a", "每万人约6.4家", "official"])
    append_csv(mini_raw / "curation.csv", ["figures.csv", "Guangzhou", "2020", "firms_per_10k", "6.4",
                                           "http://x.invalid/a", "firms_per_10k", "", "city", "", "",
                                           "true", "", "false", "true", "false", "false", "", "", ""])
    (printed,) = cell(build(mini_raw, log=quiet), "Guangzhou", "2020", "firms_per_10k")
    assert printed["value"] == "6.4" and printed["derived"] is False


def test_a_derived_row_preferred_over_a_printed_one_stops_the_build(mini_raw):
    append_csv(mini_raw / "figures.csv", ["Beijing", "2021", "firms", "27000", "count", "title a",
                                          "http://x.invalid/a", "2.7万家", "official"])
    append_csv(mini_raw / "curation.csv", ["figures.csv", "Beijing", "2021", "firms", "27000",
                                           "http://x.invalid/a", "firms", "", "city", "", "", "false", "",
                                           "false", "false", "false", "false", "", "", "printed, not preferred"])
    edit_curation(mini_raw, {"city": "Beijing", "year": "2021", "series": "firms", "value": "27600"},
                  derived="true", reason="counted from a list")
    with pytest.raises(errors.BuildError, match="derived figure is preferred over a printed one"):
        build(mini_raw, log=quiet)


def test_ten_thousand_yuan_becomes_100_million_yuan_exactly(mini_raw):
    (row,) = cell(build(mini_raw, log=quiet), "Beijing", "2021", "rd_expenditure")
    assert (row["value"], row["unit"]) == ("2629.32075", "100 million yuan")
    assert "26293207.5 10000 yuan = 2629.32075 100 million yuan" in row["note"]


def test_left_out_rows_need_a_reason_and_never_reach_the_data(mini_raw):
    match = {"city": "Beijing", "year": "2021", "series": "firms"}
    edit_curation(mini_raw, match, series="", preferred="")
    with pytest.raises(errors.BuildError, match="left out .* needs a reason"):
        build(mini_raw, log=quiet)
    edit_curation(mini_raw, {"city": "Beijing", "year": "2021", "raw_indicator": "firms"},
                  reason="restates another row")
    assert cell(build(mini_raw, log=quiet), "Beijing", "2021", "firms") == []


def test_corrected_year_refiles_the_row(mini_raw):
    edit_curation(mini_raw, {"city": "Beijing", "year": "2021", "series": "firms"}, corrected_year="2019",
                  reason="the source's 'last year' is 2019")
    tables = build(mini_raw, log=quiet)
    assert cell(tables, "Beijing", "2021", "firms") == []
    assert [o["value"] for o in cell(tables, "Beijing", "2019", "firms")] == ["27600"]


@pytest.mark.parametrize("value", ["-3.44", "344"])
def test_an_implausible_figure_stops_the_build(mini_raw, value):
    path = mini_raw / "indicators.csv"
    rows = read(path)
    for row in rows:
        if row["code"] == "rd_expenditure":
            row.update(plausible_min="0", plausible_max="100")
    path.write_text(to_csv(rows, list(rows[0])), encoding="utf-8")
    fig = mini_raw / "figures.csv"
    text = fig.read_text(encoding="utf-8").replace("26293207.5,10000 yuan", f"{value},100 million yuan")
    fig.write_text(text, encoding="utf-8")
    edit_curation(mini_raw, {"raw_indicator": "rd_expenditure"}, value=value)
    with pytest.raises(errors.BuildError, match=rf"rd_expenditure = {value} lies outside the plausible range 0 to 100"):
        build(mini_raw, log=quiet)


def test_write_moves_nothing_into_place_when_the_loaders_reject_the_output(mini_raw, tmp_path, monkeypatch):
    out = tmp_path / "out"
    write(build(mini_raw, log=quiet), out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    tables = build(mini_raw, log=quiet)
    tables["observations"][0]["unit"] = "rank"               # the loaders refuse a unit mismatch
    with pytest.raises(errors.UnitMismatchError):
        write(tables, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_csv_the_build_does_not_know_stops_it(mini_raw):
    (mini_raw / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(errors.BuildError, match="notes.csv: neither the raw format"):
        build(mini_raw, log=quiet)


def test_authored_tables_are_checked_against_the_descriptor(mini_raw):
    path = mini_raw / "indicators.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",leading_firms,", ",leading_firmz,", 1),
                    encoding="utf-8")
    with pytest.raises(errors.DataFileError, match=r"indicators.csv, record 1 .*'leading_firmz' is not one of"):
        build(mini_raw, log=quiet)


def test_build_command_reports_errors_in_one_line(mini_raw, tmp_path, capsys):
    from analysis.build.__main__ import main
    (mini_raw / "notes.csv").write_text("a,b\n", encoding="utf-8")
    assert main(["build", "--raw", str(mini_raw), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("python -m analysis.build: error: ") and err.count("\n") == 1
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# ---------------------------------------------------------------------------- the shipped derived series

def test_every_derived_figure_recomputes_from_the_inputs_its_source_names(observations, sources, catalogue):
    by_source = {(o["source_id"], o["city"], o["year"], o["indicator"]): o for o in observations}
    computed = [o for o in observations if sources[o["source_id"]]["source_type"] == "derived"]
    assert len(computed) >= 100
    for o in computed:
        row = catalogue[o["indicator"]]
        assert o["derived"] == "true" and row["derive"] == "true"
        quote = sources[o["source_id"]]["quote"]
        ids = re.findall(r"src-[0-9a-f]{10}", quote)
        num, den = (by_source[(sid, o["city"], o["year"], part)]
                    for sid, part in zip(ids, (row["numerator"], row["denominator"])))
        assert num["preferred"] == den["preferred"] == "true" and "true" not in (num["derived"], den["derived"])
        exact = Decimal(num["value"]) / Decimal(den["value"]) * Decimal(row["scale"])
        assert abs(Decimal(o["value"]) - exact) <= Decimal("0.005"), (o["indicator"], o["city"], o["year"])


def test_no_derived_figure_where_a_printed_one_exists(observations):
    cells = {}
    for o in observations:
        cells.setdefault((o["city"], o["year"], o["indicator"]), []).append(o)
    for rows in cells.values():
        preferred = [o for o in rows if o["preferred"] == "true"]
        if preferred[0]["derived"] == "true":
            assert all(o["derived"] == "true" for o in rows), rows


def test_index_variants_are_size_adjusted_versions_of_their_base(catalogue):
    variants = {code: row["index_variant"] for code, row in catalogue.items() if row["index_variant"]}
    assert {"high_tech_enterprises", "rd_personnel_fte", "academicians", "invention_patents_granted"} <= set(variants)
    for base, variant in variants.items():
        row = catalogue[variant]
        assert row["derive"] == "true" and row["numerator"] == base
        assert row["denominator"] in ("resident_population", "gdp") and row["gap"] == catalogue[base]["gap"]


def test_an_authored_input_with_another_header_stops_the_build(mini_raw):
    path = mini_raw / "source_meta.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("publisher", "publisher_name", 1), encoding="utf-8")
    with pytest.raises(errors.BuildError, match=r"source_meta.csv: header .* is not the expected"):
        build(mini_raw, log=quiet)


# ---------------------------------------------------------------------------- names in two scripts

@pytest.mark.parametrize("text, script, problem", [
    ("R&D intensity (R&D expenditure / GDP)", "en", ""),
    ("Zhao Yanan and Lü Lachang (paper)", "en", ""),
    ("National key laboratories (全国重点实验室)", "en", "Chinese characters (全国重点实验室)"),
    ("Xinhua（repost）", "en", "Chinese characters (（）)"),                  # full-width brackets
    ("研究与试验发展(R&D)经费投入强度", "zh", ""),
    ("PCT国际专利申请受理量", "zh", ""),
    ("境内（A股）上市公司数", "zh", ""),
    ("股权投资金额（清科，VC+PE）", "zh", ""),
    ("地区生产总值(GDP)", "zh", ""),
    ("新经济融资事件数（IT桔子）", "zh", ""),
    ("份额(Share)", "zh", "Latin words (Share)"),
    ("独角兽企业数（CB Insights榜单计数）", "zh", "Latin words (Insights)"),
    ("科技企业融资金额（Jiamian报告）", "zh", "Latin words (Jiamian)"),
])
def test_script_rule_of_english_and_chinese_names(text, script, problem):
    assert checks.script_problem(text, script) == problem


def test_shipped_names_keep_to_their_script(sources):
    tables = {"indicators.csv": read(DATA / "indicators.csv"), "gaps.csv": read(DATA / "gaps.csv"),
              "cities.csv": read(DATA / "cities.csv"), "source_meta.csv": list(sources.values())}
    checked = 0
    for name, rows in tables.items():
        for row in rows:
            for column, script in checks.NAME_SCRIPTS[name].items():
                assert row[column].strip(), (name, column, row)
                assert checks.script_problem(row[column], script) == "", (name, column, row[column])
                checked += 1
    assert checked > 2 * len(sources)                       # every source row has both names


def test_every_source_names_its_publisher_in_both_languages(sources):
    meta = {(r["source_title"], r["source_url"]): r for r in read(RAW / "source_meta.csv")}
    for source in sources.values():
        if source["source_type"] == "derived":
            expected = (DERIVED_PUBLISHER_EN, DERIVED_PUBLISHER_ZH)
        else:
            row = meta[(source["title"], source["url"])]
            expected = (row["publisher_en"], row["publisher_zh"])
        assert (source["publisher_en"], source["publisher_zh"]) == expected, source["source_id"]
    assert checks.script_problem(DERIVED_PUBLISHER_EN, "en") == checks.script_problem(DERIVED_PUBLISHER_ZH, "zh") == ""


def test_a_repost_is_named_for_whose_content_it_is():
    rows = read(RAW / "source_meta.csv")
    reposts = [r for r in rows if r["publisher_en"].endswith(" (repost)")]
    assert len(reposts) >= 50
    for row in reposts:
        assert row["publisher_zh"].endswith("（转载）"), row["publisher_en"]
    assert all(not re.search(r"\d{4}-\d\d|\.(com|cn|net|org)\b", r["publisher_zh"]) for r in rows)


def test_publisher_names_reach_the_sources_table(mini_raw):
    tables = build(mini_raw, log=quiet)
    by_title = {s["title"]: s for s in tables["sources"]}
    for source, (publisher, en, zh) in MINI_PUBLISHERS.items():
        row = by_title[f"title {source}"]
        assert (row["publisher"], row["publisher_en"], row["publisher_zh"]) == (publisher, en, zh)
    derived = [s for s in tables["sources"] if s["source_type"] == "derived"]
    assert derived and all((s["publisher_en"], s["publisher_zh"]) == (DERIVED_PUBLISHER_EN, DERIVED_PUBLISHER_ZH)
                           for s in derived)


def edit_source_meta(folder: Path, title: str, **changes) -> None:
    path = folder / "source_meta.csv"
    rows = read(path)
    (row,) = [r for r in rows if r["source_title"] == title]
    row.update(changes)
    path.write_text(to_csv(rows, SOURCE_META_COLUMNS), encoding="utf-8")


@pytest.mark.parametrize("column", ["publisher_en", "publisher_zh"])
def test_an_empty_publisher_name_stops_the_build(mini_raw, column):
    edit_source_meta(mini_raw, "title b", **{column: " "})
    with pytest.raises(errors.BuildError, match=rf"source_meta.csv line 3 \(title b\): empty {column}"):
        build(mini_raw, log=quiet)


@pytest.mark.parametrize("column, name, problem", [
    ("publisher_en", "新华社", r"Chinese characters \(新华社\)"),
    ("publisher_zh", "Xinhua News Agency", r"Latin words \(Xinhua, News, Agency\)"),
])
def test_a_publisher_name_in_the_wrong_script_stops_the_build(mini_raw, column, name, problem):
    edit_source_meta(mini_raw, "title a", **{column: name})
    with pytest.raises(errors.BuildError, match=rf"source_meta.csv line 2: {column} '{name}' has {problem}"):
        build(mini_raw, log=quiet)


@pytest.mark.parametrize("file_name, code, column, name", [
    ("indicators.csv", "firms", "name_en", "Firms (企业)"),
    ("indicators.csv", "firms", "name_zh", "企业数(Firms)"),
    ("cities.csv", "Guangzhou", "name_zh", "广州Canton"),
    ("gaps.csv", "culture", "name_en", "Innovation culture 创新文化"),
])
def test_an_authored_name_in_the_wrong_script_stops_the_build(mini_raw, file_name, code, column, name):
    path = mini_raw / file_name
    rows = read(path)
    (row,) = [r for r in rows if r["code"] == code]
    row[column] = name
    path.write_text(to_csv(rows, list(rows[0])), encoding="utf-8")
    with pytest.raises(errors.BuildError, match=rf"{file_name} {code}: {column} '{re.escape(name)}' has"):
        build(mini_raw, log=quiet)


def test_every_vintage_label_has_its_chinese_form(mini_raw):
    observations = read(DATA / "observations.csv")
    vintages = {row["vintage"]: row["vintage_zh"] for row in read(DATA / "vintages.csv")}
    assert {o["vintage"] for o in observations if o["vintage"]} == set(vintages)
    path = mini_raw / "curation.csv"
    rows = read(path)
    rows[0]["vintage"] = "first release"
    path.write_text(to_csv(rows, CURATION_COLUMNS), encoding="utf-8")
    with pytest.raises(errors.BuildError, match=r"vintages.csv: no Chinese form for the vintage label\(s\) "
                                                r"\[.*'first release'\]"):
        build(mini_raw, log=quiet)
