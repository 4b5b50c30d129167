"""Build the shipped dataset (``data/*.csv`` and ``data/datapackage.json``) from ``data/raw``.

Run from the project root::

    python scripts/build_dataset.py                  # rebuild data/ from data/raw/
    python scripts/build_dataset.py --out /tmp/x     # build elsewhere (tests do this)
    python scripts/build_dataset.py --stubs          # print curation rows for uncurated raw rows

Inputs, all in ``data/raw`` (see ``data/README.md``):

- every ``*.csv`` whose header is the raw format
  ``city,year,indicator,value,unit,source_title,source_url,quote,note`` (the shared
  source files copied verbatim, ``report_2018.csv`` and any later fill file);
- ``curation.csv``: one row per raw row, keyed by (raw_file, city, year, raw_indicator,
  value, source_url), giving the target series, the preferred flag, the vintage, the
  lower-bound / approximate / year-inferred flags and the reason;
- ``source_meta.csv``: publisher and source type of each (source_title, source_url);
- ``indicators.csv``, ``gaps.csv``, ``cities.csv``: authored tables, checked and copied.

The build is deterministic (same inputs, same bytes out) and stops with a message naming
the row and the file to edit on anything it cannot place: an uncurated raw row, a stale
curation row, an unknown series or city, a unit that differs from the catalogue, two
preferred rows for one (city, year, series), a flag that contradicts the raw text without
a ``flag_note``, or an R&D-intensity inconsistency not explained in the catalogue.
Only the standard library is used.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RAW = ROOT / "data" / "raw"
DEFAULT_OUT = ROOT / "data"

RAW_COLUMNS = ["city", "year", "indicator", "value", "unit", "source_title", "source_url",
               "quote", "note"]
CURATION_COLUMNS = ["raw_file", "city", "year", "raw_indicator", "value", "source_url",
                    "series", "preferred", "vintage", "lower_bound", "approximate",
                    "year_inferred", "flag_note", "reason"]
SOURCE_META_COLUMNS = ["source_title", "source_url", "publisher", "source_type", "accessed"]
OBSERVATION_COLUMNS = ["city", "year", "indicator", "value", "unit", "source_id", "preferred",
                       "lower_bound", "approximate", "year_inferred", "vintage", "note"]
SOURCE_COLUMNS = ["source_id", "title", "publisher", "url", "source_type", "quote", "accessed"]
INDICATOR_COLUMNS = ["code", "family", "name_en", "name_zh", "unit", "unit_zh", "gap",
                     "direction", "numerator", "denominator", "scale", "definition", "caveats"]
GAP_COLUMNS = ["code", "number", "name_en", "name_zh", "report_quote_zh", "gist_en"]
CITY_COLUMNS = ["code", "name_en", "name_zh", "province_en", "province_zh", "admin_level"]
AUTHORED = {"curation.csv": CURATION_COLUMNS, "source_meta.csv": SOURCE_META_COLUMNS,
            "indicators.csv": INDICATOR_COLUMNS, "gaps.csv": GAP_COLUMNS,
            "cities.csv": CITY_COLUMNS}

SOURCE_TYPES = ["official", "media quoting official", "research report", "database", "secondary"]
GAP_CODES = ["strategic", "rd_intensity", "leading_firms", "talent_capital", "culture", "context"]
# unit -> Chinese unit, as in docs/data-model.md
UNITS = {"100 million yuan": "亿元", "percent": "%", "count": "个", "persons": "人",
         "10 thousand persons": "万人", "person-years": "人年", "rank": "位", "flag": "是/否",
         "share": "份额(Share)", "count per 10k persons": "件/万人"}
# raw unit spellings -> catalogue unit (each is one line so a reviewer sees every rename)
UNIT_ALIASES = {
    "亿元": "100 million yuan",          # 亿元 = 10^8 yuan
    "Share": "share",                    # Nature Index Share, lower-case like the other units
}
UNRELIABLE = "UNRELIABLE"               # rows whose note says this never reach the data
BOOL = {"true": True, "false": False}
INTENSITY_TOLERANCE = {"exact": 0.02, "approximate": 0.05}   # percentage points


class BuildError(Exception):
    """The raw data or the curation cannot be turned into the dataset; the message says why."""


# ----------------------------------------------------------------------------------------
# text heuristics: what the raw note and quote say about a figure. The curation table is
# authoritative; where it disagrees with these, it must say why (column flag_note).

_LB_NOTE = re.compile(r"(?i)lower bound")
_LB_WORDS = r"超过|超過|突破|超|逾|more than|over|exceed(?:ed|s|ing)?|surpass(?:ed|es|ing)?"
_AP_NOTE = re.compile(r"(?i)(?<!existing )\b(?:rounded|approximate|preliminary)\b(?! row)|左右")
_AP_BEFORE = r"约|近|about|nearly|almost|around|rund|approximately"
_YI_NOTE = re.compile(r"(?i)year[^;.]{0,40}\binferred\b|\binferred\b[^;.]{0,20}\byear|"
                      r"year assignment is an inference|reference year not|year not printed|"
                      r"year not stated|year ambiguous|data year ambiguous|treat year with caution|"
                      r"taken as [^;]{0,30}(?:20\d\d|year-end|stock)|assumed (?:latest|20\d\d)")
_NUMBER = re.compile(r"\d[\d,]*(?:[.,]\d+)?")


def _digits(text: str) -> str:
    """Significant digits of a number as written: '1.1' -> '11', '14,000' -> '14', '0.51' -> '51'."""
    return re.sub(r"\D", "", text).lstrip("0").rstrip("0")


def _value_tokens(quote: str, value: str):
    """Spans of the numbers in ``quote`` whose significant digits equal those of ``value``."""
    target = _digits(value)
    return [m for m in _NUMBER.finditer(quote) if target and _digits(m.group()) == target]


def text_flags(note: str, quote: str, value: str) -> dict:
    """Lower-bound, approximate and year-inferred flags as the raw note and quote state them.

    Note: LOWER BOUND, ROUNDED / APPROXIMATE / PRELIMINARY / 左右, 'year ... inferred'.
    Quote: 超过 / 突破 / more than / over / exceeded just before the figure itself; 约 /
    about / nearly just before it or 左右 just after it. Only the figure's own number counts
    (its significant digits, so '1.1 万' matches 11000), not other numbers in the sentence.
    """
    lower = bool(_LB_NOTE.search(note))
    approx = bool(_AP_NOTE.search(note))
    for match in _value_tokens(quote, value):
        before = quote[max(0, match.start() - 16):match.start()]
        after = quote[match.end():match.end() + 6]
        if re.search(rf"(?i)(?:{_LB_WORDS})[\s了达到至:：]{{0,3}}$", before):
            lower = True
        if re.search(rf"(?i)(?:{_AP_BEFORE})\s{{0,2}}$", before) or re.match(r"[\s%％万亿元件家个人]{0,4}左右", after):
            approx = True
    return {"lower_bound": lower, "approximate": approx,
            "year_inferred": bool(_YI_NOTE.search(note))}


# ----------------------------------------------------------------------------------------
# reading

def read_csv(path: Path, columns: list[str]) -> list[dict]:
    """Rows of a UTF-8 CSV with exactly ``columns`` as header."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, strict=True)
        header = next(reader, None)
        if header != columns:
            raise BuildError(f"{path}: header {header} is not the expected {columns}.")
        rows = []
        for number, row in enumerate(reader, start=2):
            if len(row) != len(columns):
                raise BuildError(f"{path} line {number}: {len(row)} fields, header has {len(columns)}.")
            rows.append(dict(zip(columns, row)))
    return rows


def read_raw(raw_dir: Path):
    """Raw rows of every raw-format CSV in ``raw_dir`` and the authored tables, by file name."""
    raw, authored = [], {}
    for path in sorted(raw_dir.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle), None)
        if header == RAW_COLUMNS:
            for row in read_csv(path, RAW_COLUMNS):
                row["raw_file"] = path.name
                raw.append(row)
        elif path.name in AUTHORED:
            authored[path.name] = read_csv(path, AUTHORED[path.name])
        else:
            raise BuildError(
                f"{path}: neither the raw format ({','.join(RAW_COLUMNS)}) nor one of the "
                f"authored tables ({', '.join(sorted(AUTHORED))}); fix its header or move it out "
                "of data/raw.")
    missing = sorted(set(AUTHORED) - set(authored))
    if missing:
        raise BuildError(f"{raw_dir}: missing authored table(s) {', '.join(missing)}.")
    return raw, authored


def raw_key(row: dict) -> tuple:
    """Key joining a raw row to its curation row."""
    return (row["raw_file"], row["city"], str(row["year"]), row.get("indicator", row.get("raw_indicator")),
            row["value"], row["source_url"])


def source_id(title: str, url: str, quote: str) -> str:
    """``src-`` + first 10 hex digits of sha1(title + newline + url + newline + quote)."""
    return "src-" + hashlib.sha1(f"{title}\n{url}\n{quote}".encode("utf-8")).hexdigest()[:10]


def _bool(text: str, where: str) -> bool:
    if text not in BOOL:
        raise BuildError(f"{where}: '{text}' is not true/false.")
    return BOOL[text]


def _number(text: str, where: str) -> float:
    if not re.fullmatch(r"-?\d+(?:\.\d+)?", text):
        raise BuildError(f"{where}: value '{text}' is not a plain number.")
    return float(text)


# ----------------------------------------------------------------------------------------
# checks of the authored tables

def check_authored(authored: dict) -> tuple[list, list, list]:
    gaps, cities, indicators = authored["gaps.csv"], authored["cities.csv"], authored["indicators.csv"]
    if [g["code"] for g in gaps] != GAP_CODES:
        raise BuildError(f"gaps.csv: codes must be, in order, {GAP_CODES}.")
    if sorted(int(g["number"]) for g in gaps) != [0, 1, 2, 3, 4, 5]:
        raise BuildError("gaps.csv: numbers must be 0 (context) and 1-5.")
    for table, name in ((gaps, "gaps.csv"), (cities, "cities.csv"), (indicators, "indicators.csv")):
        codes = [r["code"] for r in table]
        if len(set(codes)) != len(codes):
            raise BuildError(f"{name}: repeated code(s) {sorted({c for c in codes if codes.count(c) > 1})}.")
        for row in table:
            empty = [k for k, v in row.items() if v.strip() == "" and k not in
                     ("numerator", "denominator", "scale", "province_en", "province_zh")]
            if empty:
                raise BuildError(f"{name} {row['code']}: empty field(s) {', '.join(empty)}.")
    codes = {r["code"] for r in indicators}
    for row in indicators:
        where = f"indicators.csv {row['code']}"
        if row["gap"] not in GAP_CODES:
            raise BuildError(f"{where}: gap '{row['gap']}' is not one of {GAP_CODES}.")
        if row["direction"] not in ("1", "0", "-1"):
            raise BuildError(f"{where}: direction must be 1, 0 or -1.")
        if row["unit"] not in UNITS or row["unit_zh"] != UNITS[row["unit"]]:
            raise BuildError(f"{where}: unit '{row['unit']}' / '{row['unit_zh']}' is not one of {UNITS}.")
        if (row["gap"] == "context") != (row["direction"] == "0"):
            raise BuildError(f"{where}: context series have direction 0 and only they do.")
        ratio = [row["numerator"], row["denominator"], row["scale"]]
        if any(ratio) and not all(ratio):
            raise BuildError(f"{where}: give numerator, denominator and scale together or none.")
        if all(ratio):
            for part in ratio[:2]:
                if part not in codes:
                    raise BuildError(f"{where}: ratio part '{part}' is not a catalogue code.")
            _number(row["scale"], where)
    return gaps, cities, indicators


# ----------------------------------------------------------------------------------------
# the build

def build(raw_dir: Path, log=print) -> dict:
    """All output tables as lists of dicts, plus the datapackage descriptor."""
    raw, authored = read_raw(raw_dir)
    gaps, cities, indicators = check_authored(authored)
    catalogue = {r["code"]: r for r in indicators}
    city_codes = {c["code"] for c in cities}

    # 1. drop rows the collectors marked UNRELIABLE
    kept = [r for r in raw if UNRELIABLE not in r["note"]]
    dropped = defaultdict(int)
    for r in raw:
        if UNRELIABLE in r["note"]:
            dropped[r["raw_file"]] += 1
    log(f"raw rows: {len(raw)} in {len({r['raw_file'] for r in raw})} files; dropped "
        f"{len(raw) - len(kept)} marked {UNRELIABLE}"
        + (f" ({', '.join(f'{f}: {n}' for f, n in sorted(dropped.items()))})" if dropped else ""))

    # 2. join every kept row to exactly one curation row, and every curation row to a kept row
    curation = {}
    for number, row in enumerate(authored["curation.csv"], start=2):
        key = raw_key(row)
        if key in curation:
            raise BuildError(f"curation.csv line {number}: key {key} repeats line {curation[key]['_line']}.")
        curation[key] = dict(row, _line=number)
    raw_keys = defaultdict(list)
    for r in kept:
        raw_keys[raw_key(r)].append(r)
    repeated = [k for k, rows in raw_keys.items() if len(rows) > 1]
    if repeated:
        raise BuildError(f"raw rows share a curation key (file, city, year, indicator, value, url): {repeated}")
    uncurated = [r for r in kept if raw_key(r) not in curation]
    if uncurated:
        raise BuildError(
            f"{len(uncurated)} raw row(s) have no row in data/raw/curation.csv, e.g. "
            f"{raw_key(uncurated[0])}. Add one row per raw row (run with --stubs for a draft "
            "to review).")
    stale = [(k, c["_line"]) for k, c in curation.items() if k not in raw_keys]
    if stale:
        raise BuildError(f"curation.csv rows match no usable raw row (removed, changed or "
                         f"{UNRELIABLE}): " + "; ".join(f"line {n}: {k}" for k, n in stale))

    # 3. source metadata
    meta = {}
    for number, row in enumerate(authored["source_meta.csv"], start=2):
        key = (row["source_title"], row["source_url"])
        if key in meta:
            raise BuildError(f"source_meta.csv line {number}: repeated source {key}.")
        if row["source_type"] not in SOURCE_TYPES:
            raise BuildError(f"source_meta.csv line {number}: source_type '{row['source_type']}' "
                             f"is not one of {SOURCE_TYPES}.")
        if not row["publisher"].strip():
            raise BuildError(f"source_meta.csv line {number}: empty publisher.")
        meta[key] = row

    observations, sources, overrides = [], {}, 0
    for r in kept:
        c = curation[raw_key(r)]
        where = f"curation.csv line {c['_line']} ({r['raw_file']} {r['city']} {r['year']} {r['indicator']} {r['value']})"
        series = c["series"]
        if series not in catalogue:
            raise BuildError(f"{where}: series '{series}' is not in indicators.csv.")
        if r["city"] not in city_codes:
            raise BuildError(f"{where}: city '{r['city']}' is not in cities.csv.")
        if not re.fullmatch(r"(19|20)\d\d", r["year"]):
            raise BuildError(f"{where}: year '{r['year']}' is not a year.")
        value = r["value"].strip()
        _number(value, where)
        unit = UNIT_ALIASES.get(r["unit"], r["unit"])
        if unit != catalogue[series]["unit"]:
            raise BuildError(f"{where}: unit '{r['unit']}' -> '{unit}' differs from the catalogue "
                             f"unit '{catalogue[series]['unit']}' of {series}.")
        flags = {k: _bool(c[k], where) for k in ("lower_bound", "approximate", "year_inferred")}
        stated = text_flags(r["note"], r["quote"], value)
        differs = [k for k in flags if flags[k] != stated[k]]
        if differs and not c["flag_note"].strip():
            raise BuildError(f"{where}: {', '.join(f'{k}={flags[k]}' for k in differs)} contradicts "
                             f"the raw text ({', '.join(f'{k}={stated[k]}' for k in differs)}); "
                             "say why in flag_note.")
        overrides += bool(differs)
        if (r["source_title"], r["source_url"]) not in meta:
            raise BuildError(f"{where}: source ({r['source_title']!r}, {r['source_url']!r}) has no "
                             "row in source_meta.csv.")
        if not r["source_url"].strip():
            log(f"warning: {where} has no source address (source_url empty)")
        m = meta[(r["source_title"], r["source_url"])]
        sid = source_id(r["source_title"], r["source_url"], r["quote"])
        source = {"source_id": sid, "title": r["source_title"], "publisher": m["publisher"],
                  "url": r["source_url"], "source_type": m["source_type"], "quote": r["quote"],
                  "accessed": m["accessed"]}
        if sources.setdefault(sid, source) != source:
            raise BuildError(f"{where}: source {sid} described twice differently.")
        note = r["note"].strip()
        if c["reason"].strip():
            note = f"{note} || curation: {c['reason'].strip()}"
        if c["flag_note"].strip():
            note = f"{note} || flags: {c['flag_note'].strip()}"
        observations.append({
            "city": r["city"], "year": r["year"], "indicator": series, "value": value,
            "unit": unit, "source_id": sid, "preferred": _bool(c["preferred"], where),
            **flags, "vintage": c["vintage"].strip(), "note": note, "_where": where,
            "_raw_indicator": r["indicator"]})
    log(f"observations: {len(observations)}; flags set against the raw-text heuristics "
        f"(with flag_note): {overrides}")

    check_observations(observations, catalogue)
    check_intensity(observations, catalogue, log)

    unused = sorted(set(catalogue) - {o["indicator"] for o in observations})
    if unused:
        raise BuildError(f"indicators.csv: series without any observation: {', '.join(unused)}.")

    observations.sort(key=lambda o: (o["indicator"], o["city"], int(o["year"]), not o["preferred"],
                                     o["source_id"]))
    return {"observations": observations,
            "sources": sorted(sources.values(), key=lambda s: s["source_id"]),
            "indicators": indicators, "gaps": gaps, "cities": cities,
            # the claim ledger (data/claims.csv) is authored by hand; its schema lives here
            "claims_schema": json.loads((raw_dir / "claims.schema.json").read_text(encoding="utf-8"))}


def check_observations(observations: list, catalogue: dict) -> None:
    """Primary key unique; exactly one preferred row per (city, year, series), with reasons."""
    seen = {}
    groups = defaultdict(list)
    for o in observations:
        key = (o["city"], o["year"], o["indicator"], o["source_id"])
        if key in seen:
            raise BuildError(f"{o['_where']} and {seen[key]}: same (city, year, series, source); "
                             "one source can give one figure per cell.")
        seen[key] = o["_where"]
        groups[(o["city"], o["year"], o["indicator"])].append(o)
    for (city, year, series), rows in groups.items():
        preferred = [o for o in rows if o["preferred"]]
        if len(preferred) != 1:
            raise BuildError(f"{city} {year} {series}: {len(preferred)} preferred rows "
                             f"({'; '.join(o['_where'] for o in rows)}); mark exactly one.")
        if len(rows) > 1:
            for o in rows:
                if "|| curation:" not in o["note"]:
                    raise BuildError(f"{o['_where']}: {city} {year} {series} has {len(rows)} rows; "
                                     "give each a reason (preferred or not) in curation.csv.")


def check_intensity(observations: list, catalogue: dict, log=print) -> list:
    """Check ratio series against their parts over the preferred rows.

    For every ratio series (numerator, denominator, scale in the catalogue) and every
    city-year with all three preferred rows: |value - numerator / denominator x scale| must
    be within 0.02 (all three exact) or 0.05 (any approximate or a lower bound). Where one
    of the three is a lower bound only the matching inequality is checked (a floor on the
    numerator makes the implied ratio a floor, and so on); with two bounds nothing is
    checked. A city-year that fails must be listed in the ratio series' caveats, in the
    list after "fails for:" ('... fails for: Shanghai 2017 (why); Beijing 2016 (why).'),
    else the build stops; a mention elsewhere in the caveats does not count.
    """
    preferred = {(o["city"], o["year"], o["indicator"]): o for o in observations if o["preferred"]}
    exceptions = []
    for code, row in catalogue.items():
        if not row["numerator"]:
            continue
        scale = float(row["scale"])
        for (city, year, series), o in sorted(preferred.items()):
            if series != code:
                continue
            num = preferred.get((city, year, row["numerator"]))
            den = preferred.get((city, year, row["denominator"]))
            if not num or not den:
                continue
            implied = float(num["value"]) / float(den["value"]) * scale
            exact = not any(x["approximate"] or x["lower_bound"] for x in (o, num, den))
            tolerance = INTENSITY_TOLERANCE["exact" if exact else "approximate"]
            gap = float(o["value"]) - implied
            bounds = [x["lower_bound"] for x in (o, num, den)]
            if sum(bounds) > 1:
                continue                       # two bounds: nothing can be checked
            if bounds[1]:                      # numerator is a floor: so is the implied ratio
                failed = gap < -tolerance
            elif bounds[2]:                    # denominator is a floor: implied ratio is a ceiling
                failed = gap > tolerance
            elif bounds[0]:                    # the ratio itself is a floor
                failed = gap > tolerance
            else:
                failed = abs(gap) > tolerance
            if failed:
                exceptions.append((code, city, year, o["value"], implied, gap))
                if f"{city} {year}" not in listed_failures(row["caveats"]):
                    raise BuildError(
                        f"{city} {year}: {code} {o['value']} but {row['numerator']} / "
                        f"{row['denominator']} x {row['scale']} = {implied:.3f} (difference "
                        f"{gap:+.3f} > {tolerance}); add '{city} {year} (why)' to the 'fails for:' "
                        f"list in the caveats of {code} in indicators.csv or fix the preferred rows.")
    for code, city, year, value, implied, gap in exceptions:
        log(f"ratio exception (explained in caveats): {code} {city} {year}: {value} vs "
            f"implied {implied:.3f} ({gap:+.3f})")
    return exceptions


def listed_failures(caveats: str) -> set[str]:
    """City-years ('Shanghai 2017') in the caveats' list 'fails for: A (why); B (why).'."""
    if "fails for:" not in caveats:
        return set()
    listed = caveats.split("fails for:", 1)[1].split(").", 1)[0]
    return set(re.findall(r"(?:^|;)\s*([A-Z][a-z]+ \d{4}) \(", listed))


# ----------------------------------------------------------------------------------------
# writing

def to_csv(rows: list, columns: list) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["true" if row[c] is True else "false" if row[c] is False else row[c]
                         for c in columns])
    return buffer.getvalue()


def _field(name, kind="string", description="", required=False, **constraints):
    field = {"name": name, "type": kind}
    if description:
        field["description"] = description
    if kind == "boolean":
        field["trueValues"], field["falseValues"] = ["true"], ["false"]
    if required:
        constraints = {"required": True, **constraints}
    if constraints:
        field["constraints"] = constraints
    return field


def descriptor(tables: dict) -> dict:
    """Frictionless Data Package (v1) descriptor of the output tables."""
    units = sorted(UNITS)

    def resource(name, title, description, fields, primary_key, foreign_keys=()):
        schema = {"fields": fields, "missingValues": [""], "primaryKey": primary_key}
        if foreign_keys:
            schema["foreignKeys"] = list(foreign_keys)
        return {"name": name, "path": f"{name}.csv", "profile": "tabular-data-resource",
                "title": title, "description": description, "format": "csv",
                "mediatype": "text/csv", "encoding": "utf-8",
                "dialect": {"delimiter": ",", "header": True, "doubleQuote": True,
                            "lineTerminator": "\n"},
                "schema": schema}

    def fk(fields, resource_name, ref):
        return {"fields": fields, "reference": {"resource": resource_name, "fields": ref}}

    return {
        "profile": "tabular-data-package",
        "name": "guangzhou-innovation-gaps",
        "title": "Guangzhou innovation gaps against Beijing, Shanghai and Shenzhen, 2015-2024",
        "description": (
            "Sourced figures behind the five gaps named in section 二 of the Guangzhou Science "
            "and Technology Bureau's 2018 work summary (seeds/000_1da18392a39b6ff1.txt): strategic "
            "S&T strength, R&D intensity, leading firms, talent and capital, innovation culture, "
            "plus context series (GDP, population). Every row of observations.csv carries its "
            "source, the source text (sources.quote) and flags for lower bounds, approximate or "
            "preliminary figures and inferred years. Incompatible series of one indicator are "
            "separate codes sharing a family; they are never spliced. Missing figures are absent "
            "rows, never filled. Built by scripts/build_dataset.py from data/raw; see "
            "data/README.md."),
        "version": "0.1.0",
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
                      "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "sources": [
            {"title": "广州市科学技术局2018年工作总结和2019年工作安排 (Guangzhou S&T Bureau, 2018 work "
                      "summary and 2019 plan; package copy seeds/000_1da18392a39b6ff1.txt)",
             "path": "seeds/000_1da18392a39b6ff1.txt"},
            {"title": "Public official statistics, statistical bulletins and yearbooks, and media, "
                      "research reports and databases quoting them; one citation per figure in "
                      "sources.csv (title, publisher, address, quote)"},
        ],
        "resources": [
            resource("observations", "Observations",
                     "One sourced figure per row; exactly one preferred row per (city, year, indicator).",
                     [_field("city", description="City code (cities.csv)", required=True),
                      _field("year", "integer", "Reference year the figure measures (not the publication year)",
                             required=True, minimum=1990),
                      _field("indicator", description="Series code (indicators.csv)", required=True),
                      _field("value", "number", "Plain number in unit", required=True),
                      _field("unit", description="Equals the catalogue unit of the indicator",
                             required=True, enum=units),
                      _field("source_id", description="Key of sources.csv", required=True,
                             pattern="src-[0-9a-f]{10}"),
                      _field("preferred", "boolean", "The row used by default for its (city, year, indicator)",
                             required=True),
                      _field("lower_bound", "boolean", "The source says 'more than / 超过 / 突破 X': X is a lower bound",
                             required=True),
                      _field("approximate", "boolean", "Rounded or approximate figure, or a preliminary release",
                             required=True),
                      _field("year_inferred", "boolean", "The source does not print the reference year; the note says how it was inferred",
                             required=True),
                      _field("vintage", description="Release the figure belongs to where revisions exist; empty when not relevant"),
                      _field("note", description="Definitions, scope, conflicts, why preferred or not", required=True)],
                     ["city", "year", "indicator", "source_id"],
                     [fk("city", "cities", "code"), fk("indicator", "indicators", "code"),
                      fk("source_id", "sources", "source_id")]),
            resource("sources", "Sources", "One citation per row; source_id = 'src-' + sha1(title\\nurl\\nquote)[:10].",
                     [_field("source_id", required=True, pattern="src-[0-9a-f]{10}"),
                      _field("title", required=True),
                      _field("publisher", required=True),
                      _field("url", description="Web address, or the package path of the report"),
                      _field("source_type", required=True, enum=SOURCE_TYPES),
                      _field("quote", description="The source text that carries the figure", required=True),
                      _field("accessed", description="Date read, when known")],
                     ["source_id"]),
            resource("indicators", "Indicator catalogue", "One row per comparable series.",
                     [_field("code", required=True), _field("family", required=True),
                      _field("name_en", required=True), _field("name_zh", required=True),
                      _field("unit", required=True, enum=units),
                      _field("unit_zh", required=True, enum=sorted(set(UNITS.values()))),
                      _field("gap", required=True, enum=GAP_CODES),
                      _field("direction", "integer", "1 higher is better, -1 lower is better, 0 context",
                             required=True, enum=[-1, 0, 1]),
                      _field("numerator", description="Ratio series: numerator series code"),
                      _field("denominator", description="Ratio series: denominator series code"),
                      _field("scale", "number", "Ratio series: value = numerator / denominator x scale"),
                      _field("definition", required=True), _field("caveats", required=True)],
                     ["code"],
                     [fk("gap", "gaps", "code"), fk("numerator", "", "code"),
                      fk("denominator", "", "code")]),
            resource("gaps", "The report's five gaps", "Section 二 of the source report, plus context.",
                     [_field("code", required=True, enum=GAP_CODES),
                      _field("number", "integer", "1-5 as in the report, 0 for context", required=True,
                             minimum=0, maximum=5),
                      _field("name_en", required=True), _field("name_zh", required=True),
                      _field("report_quote_zh", required=True), _field("gist_en", required=True)],
                     ["code"]),
            resource("cities", "Cities", "The four cities compared.",
                     [_field("code", required=True), _field("name_en", required=True),
                      _field("name_zh", required=True), _field("province_en"), _field("province_zh"),
                      _field("admin_level", required=True)],
                     ["code"]),
            {**resource("claims", "Claim ledger",
                        "The source report's quantitative claims, one per row, with the series, cities, "
                        "years and kind used to check them (analysis.claims). Authored by hand in "
                        "data/claims.csv; schema in data/raw/claims.schema.json.", [], []),
             "schema": tables["claims_schema"]},
        ],
    }


def write(tables: dict, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, columns in (("observations", OBSERVATION_COLUMNS), ("sources", SOURCE_COLUMNS),
                          ("indicators", INDICATOR_COLUMNS), ("gaps", GAP_COLUMNS),
                          ("cities", CITY_COLUMNS)):
        path = out_dir / f"{name}.csv"
        path.write_text(to_csv(tables[name], columns), encoding="utf-8", newline="")
        written.append(path)
    path = out_dir / "datapackage.json"
    path.write_text(json.dumps(descriptor(tables), ensure_ascii=False, indent=2) + "\n",
                    encoding="utf-8", newline="")
    written.append(path)
    return written


def stubs(raw_dir: Path) -> str:
    """Draft curation rows (heuristic flags, empty series) for raw rows curation.csv lacks."""
    raw, authored = read_raw(raw_dir)
    known = {raw_key(r) for r in authored["curation.csv"]}
    rows = []
    for r in raw:
        if UNRELIABLE in r["note"] or raw_key(r) in known:
            continue
        flags = text_flags(r["note"], r["quote"], r["value"])
        rows.append({"raw_file": r["raw_file"], "city": r["city"], "year": r["year"],
                     "raw_indicator": r["indicator"], "value": r["value"],
                     "source_url": r["source_url"], "series": "", "preferred": "",
                     "vintage": "", **flags, "flag_note": "", "reason": "REVIEW: " + r["note"][:120]})
    return to_csv(rows, CURATION_COLUMNS)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw", type=Path, default=DEFAULT_RAW, help="raw folder (default data/raw)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default data)")
    parser.add_argument("--stubs", action="store_true",
                        help="print draft curation rows for uncurated raw rows and exit")
    args = parser.parse_args(argv)
    try:
        if args.stubs:
            sys.stdout.write(stubs(args.raw))
            return 0
        tables = build(args.raw)
        for path in write(tables, args.out):
            print(f"wrote {path}")
    except BuildError as exc:
        print(f"build_dataset: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
