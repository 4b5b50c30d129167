"""Tests of scripts/build_dataset.py and of the dataset it writes to data/.

The shipped tables must be exactly what the build makes from data/raw; rows the collectors
marked UNRELIABLE must never reach them; every lower bound the raw notes state must be
flagged; incompatible series of one family must never share a code; and the build must
stop on raw rows it cannot place.
"""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
DATA = ROOT / "data"
SCRIPT = ROOT / "scripts" / "build_dataset.py"
SEED = ROOT / "seeds" / "000_1da18392a39b6ff1.txt"
OUTPUTS = ["observations.csv", "sources.csv", "indicators.csv", "gaps.csv", "cities.csv",
           "datapackage.json"]
RAW_HEADER = ["city", "year", "indicator", "value", "unit", "source_title", "source_url",
              "quote", "note"]

sys.path.insert(0, str(ROOT / "scripts"))
import build_dataset  # noqa: E402


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def raw_rows() -> list[dict]:
    rows = []
    for path in sorted(RAW.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            if next(csv.reader(handle)) != RAW_HEADER:
                continue
        for row in read(path):
            rows.append(dict(row, raw_file=path.name))
    return rows


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


def observation_of(raw: dict, observations: list[dict]) -> list[dict]:
    """Observations that come from one raw row (same source, city, year and value)."""
    return [o for o in observations if o["source_id"] == sid(raw) and o["city"] == raw["city"]
            and o["year"] == raw["year"] and o["value"] == raw["value"].strip()]


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
    result = subprocess.run([sys.executable, str(SCRIPT), "--out", str(tmp_path)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    for name in OUTPUTS:
        built, committed = (tmp_path / name).read_bytes(), (DATA / name).read_bytes()
        assert built == committed, f"data/{name} is stale: rerun python scripts/build_dataset.py"


def test_build_reads_only_the_raw_folder_it_is_given():
    assert not re.search(r"\.\.[/\\]", SCRIPT.read_text(encoding="utf-8"))  # no path outside the project
    assert build_dataset.DEFAULT_RAW == ROOT / "data" / "raw"


def test_every_raw_row_is_an_observation_or_unreliable(observations):
    rows = raw_rows()
    usable = [r for r in rows if "UNRELIABLE" not in r["note"]]
    assert len(observations) == len(usable)
    for row in usable:
        assert len(observation_of(row, observations)) == 1, (row["raw_file"], row["city"],
                                                              row["year"], row["indicator"])


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
    tables = build_dataset.build(raw_copy, log=quiet)
    assert not any(o["value"] == "9999" for o in tables["observations"])


# ---------------------------------------------------------------------------- (c) lower bounds

# raw notes that say 'lower bound' about ANOTHER row, not about their own figure
NOTE_ABOUT_ANOTHER_ROW = {("fill_search_2026.csv", "Shanghai", "2018", "high_tech_enterprises", "9206"),
                          ("fill_search_2026.csv", "Shenzhen", "2023", "high_tech_enterprises", "24700"),
                          ("fill_search_2026.csv", "Shanghai", "2019", "high_tech_enterprises", "12861")}


def test_every_lower_bound_in_raw_notes_is_flagged(observations):
    checked = 0
    for row in raw_rows():
        if "UNRELIABLE" in row["note"] or not re.search(r"(?i)lower bound", row["note"]):
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
    flags = build_dataset.text_flags("", "全社会研发投入超过800亿元,占GDP的比重提高至4.1%。", "4.1")
    assert not flags["lower_bound"]
    flags = build_dataset.text_flags("", "总数从2015年的1919家增加至2018年超过 1.1 万家。", "11000")
    assert flags["lower_bound"]
    assert build_dataset.text_flags("", "达到4.4%左右", "4.4")["approximate"]


def test_flag_contradicting_the_raw_text_needs_a_flag_note(raw_copy):
    path = raw_copy / "curation.csv"
    rows = read(path)
    for row in rows:
        if (row["raw_file"], row["city"], row["year"], row["value"]) == (
                "output.csv", "Shenzhen", "2024", "25000"):
            row["lower_bound"] = "false"      # the quote says 突破2.5万
            row["flag_note"] = ""
    path.write_text(build_dataset.to_csv(rows, build_dataset.CURATION_COLUMNS), encoding="utf-8")
    with pytest.raises(build_dataset.BuildError, match="flag_note"):
        build_dataset.build(raw_copy, log=quiet)


# ---------------------------------------------------------------------------- (d) series

# For each family with several series: what the raw note (or title/quote) of a row in each
# code says. The unmarked code of a family takes the rows matching no sibling marker.
FAMILY_MARKERS = {
    "key_labs": {"state_key_labs_most_academic": ("note", r"academic \(学科\) SKLs|academic SKLs only"),
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
                                  "invention_patents_granted": None},
    "pct_applications": {"pct_applications_city": ("text", r"white paper|白皮书|白皮書|S&T Commission|IP Office\) via repost|IP Administration|IP action plan"),
                         "pct_applications": None},
    "rd_intensity": {"rd_intensity_nonstandard": ("note", r"LOW CONFIDENCE"), "rd_intensity": None},
    "fiscal_st_expenditure": {"fiscal_st_expenditure_municipal": ("note", r"MUNICIPAL-LEVEL \(市级\) general public budget final accounts only"),
                              "fiscal_st_expenditure": None},
    "enterprise_rd_share": {"enterprise_rd_share_headline": ("note", r"slogan"), "enterprise_rd_share": None},
    "academicians": {"academicians_fulltime": ("text", r"FULL-TIME CAS|Full-time CAS|全职"), "academicians": None},
    "vc_amount": {"vc_amount_gdass": ("note", r"Guangdong Venture Capital Report"),
                  "vc_amount_zero2ipo": ("note", r"^research database: Zero2IPO"),
                  "vc_amount_sz_chamber": ("note", r"Shenzhen Chamber of Investment"),
                  "vc_amount_jiamian": ("note", r"Jiamian")},
    "vc_deals": {"vc_deals_gdass": ("note", r"Guangdong Venture Capital Report"),
                 "vc_deals_zero2ipo": ("note", r"^research database: Zero2IPO"),
                 "vc_deals_sz_chamber": ("note", r"Shenzhen Chamber of Investment"),
                 "vc_deals_jiamian": ("note", r"Jiamian"),
                 "vc_deals_itjuzi": ("note", r"^database: IT桔子")},
    "incubators": {"incubators_national": ("note", r"NATIONAL-LEVEL"),
                   "incubation_carriers": ("note", r"BROADER SCOPE"), "incubators": None},
    "maker_spaces": {"maker_spaces_national": ("note", r"NATIONAL-LEVEL"), "maker_spaces": None},
    "unicorns": {"unicorns_hurun": ("note", r"^index: Hurun(?![^;]*HALF-YEAR)"),
                 "unicorns_hurun_midyear": ("note", r"HALF-YEAR"),
                 "unicorns_gei": ("note", r"^(official \(Beijing People's Congress site\)\. )?index: (GEI|MOST Torch|Torch)"),
                 "unicorns_zeping": ("note", r"^index: 泽平"),
                 "unicorns_zgc2024": ("note", r"^index: 《中国独角兽企业发展报告\(2024年\)》")},
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
    path.write_text(build_dataset.to_csv(rows, build_dataset.CURATION_COLUMNS), encoding="utf-8")
    with pytest.raises(build_dataset.BuildError, match="2 preferred rows"):
        build_dataset.build(raw_copy, log=quiet)


def test_uncurated_raw_row_stops_the_build(raw_copy):
    append_csv(raw_copy / "output.csv",
               ["Guangzhou", "2024", "high_tech_enterprises", "13500", "count", "new source",
                "http://example.invalid/y", "广州高新技术企业13500家", "official"])
    with pytest.raises(build_dataset.BuildError, match="no row in data/raw/curation.csv"):
        build_dataset.build(raw_copy, log=quiet)


def test_unknown_series_stops_the_build(raw_copy):
    path = raw_copy / "curation.csv"
    rows = read(path)
    rows[0]["series"] = "not_a_series"
    path.write_text(build_dataset.to_csv(rows, build_dataset.CURATION_COLUMNS), encoding="utf-8")
    with pytest.raises(build_dataset.BuildError, match="not in indicators.csv"):
        build_dataset.build(raw_copy, log=quiet)


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


def test_unexplained_intensity_inconsistency_stops_the_build(raw_copy):
    path = raw_copy / "indicators.csv"
    rows = read(path)
    for row in rows:
        if row["code"] == "rd_intensity":
            row["caveats"] = row["caveats"].replace("Shanghai 2017", "Shanghai in 2017")
    path.write_text(build_dataset.to_csv(rows, build_dataset.INDICATOR_COLUMNS), encoding="utf-8")
    with pytest.raises(build_dataset.BuildError, match="Shanghai 2017"):
        build_dataset.build(raw_copy, log=quiet)


def test_intensity_exception_must_be_in_the_fails_for_list_not_just_mentioned(raw_copy):
    path = raw_copy / "indicators.csv"
    rows = read(path)
    for row in rows:
        if row["code"] == "rd_intensity":
            head, listed = row["caveats"].split("fails for:", 1)
            items, rest = listed.split(").", 1)
            (first, *others) = items.split("; ")
            city_year = re.match(r"\s*([A-Z][a-z]+ \d{4}) \(", first).group(1)
            assert city_year in build_dataset.listed_failures(row["caveats"])
            # move the first listed exception out of the list into a plain mention
            row["caveats"] = (f"{head}fails for: Nowhere 1999 (placeholder{'; ' if others else ''}"
                              f"{'; '.join(others)}).{rest} {city_year} is discussed here.")
            assert city_year not in build_dataset.listed_failures(row["caveats"])
    path.write_text(build_dataset.to_csv(rows, build_dataset.INDICATOR_COLUMNS), encoding="utf-8")
    with pytest.raises(build_dataset.BuildError, match=rf"{city_year}.*'fails for:' list"):
        build_dataset.build(raw_copy, log=quiet)


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
    import known_gaps
    assert known_gaps.readme_table() == known_gaps.known_gaps_table(), \
        "data/README.md's known-gaps table is stale: run python scripts/known_gaps.py --write"


def test_known_gaps_cells_name_missing_and_lower_bound_years():
    import known_gaps
    years = list(range(2015, 2025))
    assert known_gaps.gap_cell(years, [], years) == "—"
    assert known_gaps.gap_cell([], [], years) == "all"
    assert known_gaps.gap_cell([y for y in years if y not in (2016, 2017, 2020)], [2019], years) \
        == "2016-2017, 2020; lower bound only: 2019"
    assert known_gaps.gap_cell(years, [2020], years) == "lower bound only: 2020"
