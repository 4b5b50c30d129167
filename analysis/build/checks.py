"""Checks the build applies to the authored tables and to the observations it makes.

Each check raises :class:`~analysis.errors.BuildError` naming the row and the file to edit.
Type, enum, pattern and key constraints of the authored tables are the descriptor's and
are enforced by :func:`analysis.datapackage.read_table`; the checks here are the rules a
Table Schema cannot state.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from ..errors import BuildError
from .schema import Schema

RATIO_TOLERANCE = {"exact": 0.02, "approximate": 0.05}
"""Largest |printed ratio - numerator / denominator x scale| accepted, in the ratio's unit."""

NAME_SCRIPTS = {
    "indicators.csv": {"name_en": "en", "name_zh": "zh", "unit_zh": "zh"},
    "gaps.csv": {"name_en": "en", "name_zh": "zh"},
    "cities.csv": {"name_en": "en", "name_zh": "zh", "province_en": "en", "province_zh": "zh"},
    "source_meta.csv": {"publisher_en": "en", "publisher_zh": "zh"},
    "vintages.csv": {"vintage_zh": "zh"},
}
"""The name columns of the authored tables by file, each with the script it must be written in."""

CJK = re.compile(r"[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0002fa1f]")
"""Chinese characters, kana, CJK punctuation and full-width forms: none in an English name."""

LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+")
"""A run of Latin letters: in a Chinese name only as an all-capital acronym (R&D, PCT, A股, GDP)."""


def check_catalogue(indicators: list[dict], gaps: list[dict], schema: Schema) -> None:
    """Rules of ``gaps.csv`` and ``indicators.csv`` beyond their Table Schema.

    Gap codes in the descriptor's order, numbered 0 (context) and 1-5; context series and
    only they have direction 0; ``unit_zh`` is the Chinese form of ``unit``; numerator,
    denominator and scale come together and name catalogue codes; ``derive`` needs them;
    ``index_variant`` names another series of the same gap; ``plausible_min`` is not above
    ``plausible_max``.
    """
    codes = schema.enum("gaps", "code")
    if [g["code"] for g in gaps] != codes:
        raise BuildError(f"gaps.csv: codes must be, in order, {codes}.")
    if sorted(int(g["number"]) for g in gaps) != list(range(len(codes))):
        raise BuildError(f"gaps.csv: numbers must be 0 (context) and 1-{len(codes) - 1}.")
    catalogue = {row["code"]: row for row in indicators}
    for row in indicators:
        where = f"indicators.csv {row['code']}"
        if (row["gap"] == "context") != (row["direction"] == "0"):
            raise BuildError(f"{where}: context series have direction 0 and only they do.")
        if schema.units[row["unit"]] != row["unit_zh"]:
            raise BuildError(f"{where}: unit_zh of '{row['unit']}' is '{schema.units[row['unit']]}', "
                             f"not '{row['unit_zh']}'.")
        ratio = [row["numerator"], row["denominator"], row["scale"]]
        if any(ratio) and not all(ratio):
            raise BuildError(f"{where}: give numerator, denominator and scale together or none.")
        for part in ratio[:2]:
            if part and part not in catalogue:
                raise BuildError(f"{where}: ratio part '{part}' is not a catalogue code.")
        if row["derive"] == "true" and not all(ratio):
            raise BuildError(f"{where}: derive = true needs numerator, denominator and scale.")
        for part in ratio[:2]:
            if row["derive"] == "true" and catalogue[part]["derive"] == "true":
                raise BuildError(f"{where}: ratio part '{part}' is itself derived; derived series "
                                 "are computed from printed figures only.")
        variant = row["index_variant"]
        if variant and (variant not in catalogue or variant == row["code"]
                        or catalogue[variant]["gap"] != row["gap"]):
            raise BuildError(f"{where}: index_variant '{variant}' must be another catalogue code "
                             "of the same gap.")
        low, high = row["plausible_min"], row["plausible_max"]
        if low and high and Decimal(low) > Decimal(high):
            raise BuildError(f"{where}: plausible_min {low} is above plausible_max {high}.")


def check_preferred_rows(observations: list[dict], levels: list) -> None:
    """One figure per (city, year, series, source); exactly one preferred row per cell.

    A cell with several rows needs a curation reason on each, a derived row is never
    preferred where the cell holds a printed figure, and the preferred row is at the
    finest geographic level present in the cell (``levels`` lists them finest first: a
    city figure is preferred over a metro, cluster, province or country one).
    """
    seen = {}
    cells = defaultdict(list)
    for o in observations:
        key = (o["city"], o["year"], o["indicator"], o["source_id"])
        if key in seen:
            raise BuildError(f"{o['_where']} and {seen[key]}: same (city, year, series, source); "
                             "one source can give one figure per cell.")
        seen[key] = o["_where"]
        cells[(o["city"], o["year"], o["indicator"])].append(o)
    for (city, year, series), rows in cells.items():
        preferred = [o for o in rows if o["preferred"]]
        if len(preferred) != 1:
            raise BuildError(f"{city} {year} {series}: {len(preferred)} preferred rows "
                             f"({'; '.join(o['_where'] for o in rows)}); mark exactly one.")
        if preferred[0]["derived"] and not all(o["derived"] for o in rows):
            raise BuildError(f"{preferred[0]['_where']}: a derived figure is preferred over a "
                             f"printed one in {city} {year} {series}; prefer the printed row.")
        finest = finest_level([o["level"] for o in rows], levels)
        if preferred[0]["level"] != finest:
            raise BuildError(f"{preferred[0]['_where']}: {city} {year} {series}: the preferred row is "
                             f"at level {preferred[0]['level']} but the cell has a {finest}-level row; "
                             "prefer the finest level (data/README.md, curation rule 5).")
        if len(rows) > 1:
            for o in rows:
                if "|| curation:" not in o["note"]:
                    raise BuildError(f"{o['_where']}: {city} {year} {series} has {len(rows)} rows; "
                                     "give each a reason (preferred or not) in curation.csv.")


def finest_level(present: list[str], levels: list) -> str:
    """The finest of the geographic levels ``present``, by the order of ``levels`` (finest first)."""
    return min(present, key=levels.index)


def check_plausible(observations: list[dict], catalogue: dict) -> None:
    """Every value within its series' ``plausible_min`` / ``plausible_max`` (inclusive)."""
    for o in observations:
        row = catalogue[o["indicator"]]
        value = Decimal(o["value"])
        low, high = row["plausible_min"], row["plausible_max"]
        if (low and value < Decimal(low)) or (high and value > Decimal(high)):
            raise BuildError(f"{o['_where']}: {o['indicator']} = {o['value']} lies outside the "
                             f"plausible range {low or 'no limit'} to {high or 'no limit'} of "
                             f"indicators.csv ({row['plausible_note'] or 'no reason given'}); check "
                             "the figure and its unit against the source, or the range.")


def check_ratios(observations: list[dict], catalogue: dict, log=print) -> list[tuple]:
    """Check printed ratio series against their printed parts over the preferred rows.

    For every ratio series (numerator, denominator, scale in the catalogue) and every city-
    year whose preferred rows of the ratio and both parts are printed (not derived) and
    measure the same geographic level: |value - numerator / denominator x scale| must be
    within 0.02 (all three exact) or 0.05 (any approximate or a lower bound), or within half
    a unit of the ratio's last printed digit if that is wider (a share printed as 16.1 is
    checked to 0.05). Where one of the three is a lower bound only the matching inequality
    is checked (a floor on the numerator makes the implied ratio a floor, and so on); with
    two bounds nothing is checked. A city-year that fails must be listed in the ratio
    series' caveats, in the list after "fails for:" ('... fails for: Shanghai 2017 (why);
    Beijing 2016 (why).'), else the build stops; a mention elsewhere in the caveats does not
    count.

    Returns
    -------
    The listed exceptions found, as (series, city, year, value, implied, difference).
    """
    preferred = {(o["city"], o["year"], o["indicator"]): o for o in observations
                 if o["preferred"] and not o["derived"]}
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
            if not num or not den or len({o["level"], num["level"], den["level"]}) > 1:
                continue                       # a part missing, or parts of different territories
            implied = float(num["value"]) / float(den["value"]) * scale
            exact = not any(x["approximate"] or x["lower_bound"] for x in (o, num, den))
            tolerance = max(RATIO_TOLERANCE["exact" if exact else "approximate"], _half_last_digit(o["value"]))
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


def _half_last_digit(value: str) -> float:
    """Half a unit of the last digit of a number as written: '16.1' -> 0.05, '4.13' -> 0.005."""
    decimals = len(value.split(".", 1)[1]) if "." in value else 0
    return 0.5 * 10 ** -decimals


def listed_failures(caveats: str) -> set[str]:
    """City-years ('Shanghai 2017') in the caveats' list 'fails for: A (why); B (why).'."""
    if "fails for:" not in caveats:
        return set()
    listed = caveats.split("fails for:", 1)[1].split(").", 1)[0]
    return set(re.findall(r"(?:^|;)\s*([A-Z][a-z]+ \d{4}) \(", listed))


def script_problem(text: str, script: str) -> str:
    """What in ``text`` breaks the rule of ``script``; empty if nothing does.

    ``"en"``: no Chinese characters (nor kana, CJK punctuation or full-width forms).
    ``"zh"``: no Latin word except all-capital acronyms, such as those official Chinese
    statistical names use (R&D, PCT, A股, VC, PE, GDP) and capitalised brand acronyms (IT桔子).
    """
    if script == "en":
        found = CJK.findall(text)
        return f"Chinese characters ({''.join(found)})" if found else ""
    words = [word for word in LATIN_WORD.findall(text) if not word.isupper()]
    return f"Latin words ({', '.join(words)})" if words else ""


def check_scripts(file_name: str, rows: list[dict]) -> None:
    """Each name column of ``file_name`` (:data:`NAME_SCRIPTS`) in its own script.

    An English report shows ``*_en`` names, a Chinese one ``*_zh`` names, so neither may
    carry the other language: the official Chinese name of a series belongs in ``name_zh``,
    beside which the English report can show it, not inside ``name_en``. Rows are named by
    their ``_line`` (authored inputs) or ``code`` (authored tables).
    """
    hints = {"en": "give the English name (the official Chinese one belongs in the Chinese column)",
             "zh": "give the official Chinese name, or a Chinese rendering of a foreign name; "
                   "only all-capital acronyms (R&D, PCT, A股, VC, PE, GDP) may stay in Latin letters"}
    for row in rows:
        where = f"line {row['_line']}" if "_line" in row else row.get("code") or row["vintage"]
        for column, script in NAME_SCRIPTS[file_name].items():
            problem = script_problem(row[column], script)
            if problem:
                raise BuildError(f"{file_name} {where}: {column} '{row[column]}' has {problem}; "
                                 f"{hints[script]}.")


def check_vintages(observations: list[dict], vintages: list[dict]) -> None:
    """Every vintage label of the observations has its Chinese form in ``vintages.csv``, and
    that table lists no label the observations do not use."""
    used = {o["vintage"] for o in observations if o["vintage"]}
    listed = {row["vintage"] for row in vintages}
    missing, unused = sorted(used - listed), sorted(listed - used)
    if missing:
        raise BuildError(f"vintages.csv: no Chinese form for the vintage label(s) {missing}; add a row "
                         "(vintage,vintage_zh) for each, so a Chinese report can name the release.")
    if unused:
        raise BuildError(f"vintages.csv: label(s) {unused} are used by no observation; remove them.")
