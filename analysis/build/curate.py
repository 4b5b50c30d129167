"""From ``data/raw`` to the dataset's tables, in clear steps.

:func:`build` reads the raw folder, then:

1. :func:`read_raw`: every raw figure file, the authored inputs and the authored tables;
2. :func:`drop_unreliable`: rows whose note says UNRELIABLE never go further;
3. :func:`join_curation`: each remaining raw row meets exactly one curation row;
4. :func:`read_source_meta`: publisher (full record, English and Chinese names) and source
   type per source;
5. :func:`place_row`: each curated row becomes one observation per city it is filed
   under (series, year, unit, geographic level and area, flags, note) and one source row,
   or is left out with its reason;
6. :func:`analysis.build.derive.derive_ratios`: the derived series;
7. the checks of :mod:`analysis.build.checks`.

It stops with a :class:`~analysis.errors.BuildError` naming the row and the file to edit
on anything it cannot place. Same inputs, same output, byte for byte.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from ..datapackage import read_csv_records, read_table
from ..errors import BuildError
from . import checks
from .derive import derive_ratios
from .heuristics import text_flags
from .schema import (
    AUTHORED_RESOURCES,
    BUILD_INPUTS,
    RAW_COLUMNS,
    UNIT_CONVERSIONS,
    UNIT_SPELLINGS,
    UNRELIABLE,
    Schema,
)

_BOOL = {"true": True, "false": False}


def build(raw_dir, log=print) -> dict:
    """All output tables of the raw folder ``raw_dir``.

    Returns
    -------
    dict with ``observations`` and ``sources`` (lists of dicts, sorted), ``indicators``,
    ``gaps``, ``cities``, ``vintages`` (the authored rows as text) and ``schema``
    (:class:`~analysis.build.schema.Schema`, whose text is the descriptor to write).
    """
    raw_dir = Path(raw_dir)
    schema = Schema.read(raw_dir)
    raw, inputs, authored = read_raw(raw_dir, schema)
    indicators, gaps, cities, vintages = (authored[name] for name in AUTHORED_RESOURCES)
    checks.check_catalogue(indicators, gaps, schema)
    for name in AUTHORED_RESOURCES:
        checks.check_scripts(schema.resource(name)["path"], authored[name])
    catalogue = {row["code"]: row for row in indicators}

    kept = drop_unreliable(raw, log)
    curation = join_curation(kept, inputs["curation.csv"])
    meta = read_source_meta(inputs["source_meta.csv"], schema)

    city_table = {row["code"]: row for row in cities}
    levels = schema.enum("observations", "level")
    observations, sources, left_out, overrides = [], {}, 0, 0
    for row in kept:
        placed = place_row(row, curation[raw_key(row)], catalogue, city_table, meta, levels)
        if placed is None:
            left_out += 1
            continue
        placed_rows, source, overridden = placed
        overrides += overridden
        if sources.setdefault(source["source_id"], source) != source:
            raise BuildError(f"{placed_rows[0]['_where']}: source {source['source_id']} described "
                             "twice differently.")
        observations += placed_rows
    log(f"observations: {len(observations)} printed; left out by curation: {left_out}; flags set "
        f"against the raw-text heuristics (with flag_note): {overrides}")

    derived, derived_sources, skipped = derive_ratios(observations, catalogue, source_id)
    for code, city, year, why in skipped:
        log(f"not derived: {code} {city} {year} ({why})")
    log(f"derived observations: {len(derived)}")
    observations += derived
    sources.update((s["source_id"], s) for s in derived_sources)

    checks.check_preferred_rows(observations, levels)
    checks.check_plausible(observations, catalogue)
    checks.check_ratios(observations, catalogue, log)
    checks.check_vintages(observations, vintages)
    unused = sorted(set(catalogue) - {o["indicator"] for o in observations})
    if unused:
        raise BuildError(f"indicators.csv: series without any observation: {', '.join(unused)}.")

    observations.sort(key=lambda o: (o["indicator"], o["city"], int(o["year"]), not o["preferred"],
                                     o["source_id"]))
    return {"observations": observations,
            "sources": sorted(sources.values(), key=lambda s: s["source_id"]),
            "indicators": indicators, "gaps": gaps, "cities": cities, "vintages": vintages, "schema": schema}


def read_raw(raw_dir: Path, schema: Schema) -> tuple[list, dict, dict]:
    """Raw rows, authored inputs and authored tables of ``raw_dir``.

    Every ``*.csv`` whose header is :data:`~analysis.build.schema.RAW_COLUMNS` is a raw
    figure file (each row gets ``raw_file``); the others must be one of the authored inputs
    (:data:`~analysis.build.schema.BUILD_INPUTS`) or one of the authored tables the
    descriptor describes (checked with :func:`analysis.datapackage.read_table`).

    Returns
    -------
    (raw rows, inputs by file name (rows with ``_line``), authored tables by resource name
    (rows as text)).
    """
    tables = {schema.resource(name)["path"]: name for name in AUTHORED_RESOURCES}
    raw, inputs, authored = [], {}, {}
    for path in sorted(raw_dir.glob("*.csv")):
        header, records, lines = read_csv_records(path)
        if header == RAW_COLUMNS:
            raw += [dict(record, raw_file=path.name) for record in records]
        elif path.name in BUILD_INPUTS:
            if header != BUILD_INPUTS[path.name]:
                raise BuildError(f"header {','.join(header)} is not the expected "
                                 f"{','.join(BUILD_INPUTS[path.name])}.", path=path, line=1)
            inputs[path.name] = [dict(record, _line=line) for record, line in zip(records, lines)]
        elif path.name in tables:
            read_table(tables[path.name], raw_dir)                   # types, enums, keys
            authored[tables[path.name]] = records
        else:
            raise BuildError(
                f"neither the raw format ({','.join(RAW_COLUMNS)}) nor one of the authored tables "
                f"({', '.join(sorted([*BUILD_INPUTS, *tables]))}); fix its header or move it out "
                "of data/raw.", path=path)
    missing = [name for name in BUILD_INPUTS if name not in inputs]
    missing += [path for path, name in tables.items() if name not in authored]
    if missing:
        raise BuildError(f"missing authored table(s) {', '.join(missing)}.", path=raw_dir)
    return raw, inputs, authored


def drop_unreliable(raw: list[dict], log=print) -> list[dict]:
    """Raw rows whose note does not contain UNRELIABLE; logs how many were dropped per file."""
    dropped = defaultdict(int)
    for row in raw:
        if UNRELIABLE in row["note"]:
            dropped[row["raw_file"]] += 1
    log(f"raw rows: {len(raw)} in {len({r['raw_file'] for r in raw})} files; dropped "
        f"{sum(dropped.values())} marked {UNRELIABLE}"
        + (f" ({', '.join(f'{f}: {n}' for f, n in sorted(dropped.items()))})" if dropped else ""))
    return [row for row in raw if UNRELIABLE not in row["note"]]


def raw_key(row: dict) -> tuple:
    """Key joining a raw row to its curation row: file, city, year, indicator, value, address."""
    return (row["raw_file"], row["city"], str(row["year"]), row.get("indicator", row.get("raw_indicator")),
            row["value"], row["source_url"])


def join_curation(kept: list[dict], curation_rows: list[dict]) -> dict:
    """Curation rows by raw key; every kept raw row has exactly one and every one a raw row."""
    curation = {}
    for row in curation_rows:
        key = raw_key(row)
        if key in curation:
            raise BuildError(f"curation.csv line {row['_line']}: key {key} repeats line "
                             f"{curation[key]['_line']}.")
        curation[key] = row
    raw_keys = defaultdict(list)
    for row in kept:
        raw_keys[raw_key(row)].append(row)
    repeated = [key for key, rows in raw_keys.items() if len(rows) > 1]
    if repeated:
        raise BuildError(f"raw rows share a curation key (file, city, year, indicator, value, url): {repeated}")
    uncurated = [row for row in kept if raw_key(row) not in curation]
    if uncurated:
        raise BuildError(
            f"{len(uncurated)} raw row(s) have no row in data/raw/curation.csv, e.g. "
            f"{raw_key(uncurated[0])}. Add one row per raw row (python -m analysis.build stubs "
            "prints a draft to review).")
    stale = [(key, row["_line"]) for key, row in curation.items() if key not in raw_keys]
    if stale:
        raise BuildError(f"curation.csv rows match no usable raw row (removed, changed or "
                         f"{UNRELIABLE}): " + "; ".join(f"line {n}: {k}" for k, n in stale))
    return curation


def read_source_meta(rows: list[dict], schema: Schema) -> dict:
    """source_meta.csv rows by (source_title, source_url), checked: one row per source, a known
    source type, and a publisher record with English and Chinese names, each in its own script
    (:func:`analysis.build.checks.check_scripts`)."""
    types = [t for t in schema.enum("sources", "source_type")]
    meta = {}
    for row in rows:
        key = (row["source_title"], row["source_url"])
        where = f"source_meta.csv line {row['_line']}"
        if key in meta:
            raise BuildError(f"{where}: repeated source {key}.")
        if row["source_type"] not in types or row["source_type"] == "derived":
            raise BuildError(f"{where}: source_type '{row['source_type']}' is not one of "
                             f"{[t for t in types if t != 'derived']}.")
        for column in ("publisher", "publisher_en", "publisher_zh"):
            if not row[column].strip():
                raise BuildError(f"{where} ({row['source_title']}): empty {column}; every source needs "
                                 "the full publisher record (publisher) and the publisher's English "
                                 "and Chinese names (publisher_en, publisher_zh).")
        meta[key] = row
    checks.check_scripts("source_meta.csv", rows)
    return meta


def source_id(title: str, url: str, quote: str) -> str:
    """``src-`` + first 10 hex digits of sha1(title + newline + url + newline + quote)."""
    return "src-" + hashlib.sha1(f"{title}\n{url}\n{quote}".encode("utf-8")).hexdigest()[:10]


def place_row(row: dict, curation: dict, catalogue: dict, cities: dict, meta: dict, levels: list):
    """One curated raw row as (observations, source, flags overridden?), or None if left out.

    The curation row decides the series (empty: the row is left out, with its reason),
    the city code(s) it is filed under, its geographic level and area, the preferred
    flag, the vintage, the lower-bound / approximate / year-inferred / derived flags and a
    corrected reference year; the raw unit is normalised to the catalogue unit
    (:data:`~analysis.build.schema.UNIT_SPELLINGS` renames,
    :data:`~analysis.build.schema.UNIT_CONVERSIONS` exact decimal shifts). A figure for an
    area containing several cities (a WIPO cluster) gives one observation per city, all
    citing the same source.

    Parameters
    ----------
    cities : cities.csv rows (text) by code.
    levels : the geographic levels, finest first (the enum of ``observations.level``).
    """
    where = (f"curation.csv line {curation['_line']} ({row['raw_file']} {row['city']} {row['year']} "
             f"{row['indicator']} {row['value']})")
    series = curation["series"]
    if not series:
        if not curation["reason"].strip():
            raise BuildError(f"{where}: a row left out (series empty) needs a reason.")
        return None
    if series not in catalogue:
        raise BuildError(f"{where}: series '{series}' is not in indicators.csv.")
    codes, level, areas = _geography(row, curation, cities, levels, where)
    year = row["year"]
    if curation["corrected_year"]:
        if not curation["reason"].strip():
            raise BuildError(f"{where}: a corrected_year needs a reason.")
        year = curation["corrected_year"]
    if not re.fullmatch(r"(19|20)\d\d", year):
        raise BuildError(f"{where}: year '{year}' is not a year.")
    value = row["value"].strip()
    if not re.fullmatch(r"-?\d+(?:\.\d+)?", value):
        raise BuildError(f"{where}: value '{value}' is not a plain number.")
    unit, value, converted = _catalogue_unit(row["unit"], value)
    if unit != catalogue[series]["unit"]:
        raise BuildError(f"{where}: unit '{row['unit']}' -> '{unit}' differs from the catalogue "
                         f"unit '{catalogue[series]['unit']}' of {series}.")
    flags = {k: _bool(curation[k], where) for k in ("lower_bound", "approximate", "year_inferred")}
    stated = text_flags(row["note"], row["quote"], row["value"].strip())
    differs = [k for k in flags if flags[k] != stated[k]]
    if differs and not curation["flag_note"].strip():
        raise BuildError(f"{where}: {', '.join(f'{k}={flags[k]}' for k in differs)} contradicts "
                         f"the raw text ({', '.join(f'{k}={stated[k]}' for k in differs)}); "
                         "say why in flag_note.")
    key = (row["source_title"], row["source_url"])
    if key not in meta:
        raise BuildError(f"{where}: source ({row['source_title']!r}, {row['source_url']!r}) has no "
                         "row in source_meta.csv.")
    sid = source_id(row["source_title"], row["source_url"], row["quote"])
    source = {"source_id": sid, "title": row["source_title"], "publisher": meta[key]["publisher"],
              "publisher_en": meta[key]["publisher_en"], "publisher_zh": meta[key]["publisher_zh"],
              "url": row["source_url"], "source_type": meta[key]["source_type"], "quote": row["quote"],
              "accessed": meta[key]["accessed"]}
    note = row["note"].strip()
    for label, text in (("curation", curation["reason"]), ("flags", curation["flag_note"]),
                        ("unit", converted)):
        if text.strip():
            note = f"{note} || {label}: {text.strip()}"
    observations = [{"city": code, "year": year, "indicator": series, "value": value, "unit": unit,
                     "level": level, "area": areas[code][0], "area_zh": areas[code][1],
                     "source_id": sid, "preferred": _bool(curation["preferred"], where),
                     **flags, "derived": _bool(curation["derived"], where),
                     "vintage": curation["vintage"].strip(), "note": note, "_where": where}
                    for code in codes]
    return observations, source, bool(differs)


def _geography(row: dict, curation: dict, cities: dict, levels: list, where: str):
    """(city codes, level, {code: (area, area_zh)}) of a curated raw row.

    ``cities`` empty files the figure under the raw city; several codes need a level above
    city (an area containing them all). At level city an empty area is the city's own name;
    at any other level the area must be named in both languages.
    """
    codes = [c.strip() for c in curation["cities"].split(";")] if curation["cities"].strip() else [row["city"]]
    unknown = [c for c in codes if c not in cities]
    if unknown:
        raise BuildError(f"{where}: city {', '.join(map(repr, unknown))} is not in cities.csv; set "
                         "the curation column 'cities' to the city code(s) the figure belongs to.")
    if len(set(codes)) != len(codes):
        raise BuildError(f"{where}: a city code repeats in 'cities' ({curation['cities']}).")
    level = curation["level"].strip()
    if level not in levels:
        raise BuildError(f"{where}: level '{level}' is not one of {', '.join(levels)}; say which "
                         "territory the figure measures.")
    if level == "city" and len(codes) > 1:
        raise BuildError(f"{where}: a city-level figure belongs to one city, not {', '.join(codes)}.")
    area, area_zh = curation["area"].strip(), curation["area_zh"].strip()
    if level != "city" and not (area and area_zh):
        raise BuildError(f"{where}: a {level}-level figure needs 'area' and 'area_zh' naming the "
                         "territory it measures.")
    return codes, level, {c: (area or cities[c]["name_en"], area_zh or cities[c]["name_zh"]) for c in codes}


def _catalogue_unit(raw_unit: str, value: str) -> tuple[str, str, str]:
    """(catalogue unit, value in it, note on the conversion or '') for a raw unit and value."""
    if raw_unit in UNIT_CONVERSIONS:
        unit, power = UNIT_CONVERSIONS[raw_unit]
        shifted = Decimal(value).scaleb(power)
        text = format(shifted, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        moved = f"{-power} places" if power < 0 else f"{power} place{'s' if power > 1 else ''} right"
        return unit, text, f"{value} {raw_unit} = {text} {unit} (decimal point moved {moved})"
    return UNIT_SPELLINGS.get(raw_unit, raw_unit), value, ""


def _bool(text: str, where: str) -> bool:
    if text not in _BOOL:
        raise BuildError(f"{where}: '{text}' is not true/false.")
    return _BOOL[text]
