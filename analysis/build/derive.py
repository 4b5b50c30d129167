"""Derived series: figures the build computes from printed ones, openly.

A catalogue row with ``derive = true`` defines a series as numerator / denominator x
scale (columns ``numerator``, ``denominator``, ``scale`` of ``indicators.csv``). The
rules:

* Inputs are the **preferred, printed** rows of the two parts for the same city and year;
  a derived figure is never computed from another derived one.
* A figure is derived only for a city-year with **no printed figure** of the series, so a
  derived value never replaces or competes with a printed one (the ratio check in
  :func:`analysis.build.checks.check_ratios` compares printed ratios with their parts).
* Both inputs must measure the same territory (geographic ``level`` and ``area``); the
  derived figure inherits it. Parts of different territories are not divided.
* Flags follow the inputs: ``approximate`` or ``year_inferred`` if either input is; a
  lower-bound numerator over an exact denominator gives a lower bound; a lower-bound
  denominator would give an upper bound, which the data cannot express, so nothing is
  derived for that city-year.
* The value is the exact decimal quotient rounded half-even to :data:`DECIMALS` places.
* Each derived figure gets its own source row (``source_type`` ``derived``) whose quote
  states the formula, both input values and their source ids, so the inputs are traceable.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

from .schema import DERIVED_PUBLISHER, DERIVED_PUBLISHER_EN, DERIVED_PUBLISHER_ZH, DERIVED_SOURCE_TYPE

DECIMALS = 2
"""Decimal places of a derived value."""


def derive_ratios(observations: list[dict], catalogue: dict, make_source_id) -> tuple[list, list, list]:
    """Derived observations and their source rows for every ``derive = true`` series.

    Parameters
    ----------
    observations : the printed observations (dicts as :func:`analysis.build.curate.build`
        makes them).
    catalogue : indicators.csv rows by code (text values).
    make_source_id : function (title, url, quote) -> source id.

    Returns
    -------
    (observations, sources, skipped): the derived rows, their source rows, and the
    (series, city, year, reason) of the city-years left out because the denominator is a
    lower bound or the parts measure different territories.
    """
    preferred = {(o["city"], o["year"], o["indicator"]): o for o in observations
                 if o["preferred"] and not o["derived"]}
    printed = {(o["city"], o["year"], o["indicator"]) for o in observations}
    derived, sources, skipped = [], [], []
    for code, row in catalogue.items():
        if row["derive"] != "true":
            continue
        numerators = {(c, y): o for (c, y, s), o in preferred.items() if s == row["numerator"]}
        for (city, year), num in sorted(numerators.items()):
            den = preferred.get((city, year, row["denominator"]))
            if den is None or (city, year, code) in printed:
                continue
            if den["lower_bound"]:
                skipped.append((code, city, year, f"{row['denominator']} is a lower bound"))
                continue
            if (num["level"], num["area"]) != (den["level"], den["area"]):
                skipped.append((code, city, year, f"{row['numerator']} ({num['area']}) and "
                                f"{row['denominator']} ({den['area']}) measure different territories"))
                continue
            value = _quotient(num["value"], den["value"], row["scale"])
            title = (f"Derived by the build: {row['name_en']} = {row['numerator']} / "
                     f"{row['denominator']} x {row['scale']}")
            quote = (f"{city} {year}: {num['value']} ({row['numerator']}, {num['source_id']}) / "
                     f"{den['value']} ({row['denominator']}, {den['source_id']}) x {row['scale']} "
                     f"= {value}")
            source_id = make_source_id(title, "", quote)
            sources.append({"source_id": source_id, "title": title, "publisher": DERIVED_PUBLISHER,
                            "publisher_en": DERIVED_PUBLISHER_EN, "publisher_zh": DERIVED_PUBLISHER_ZH,
                            "url": "", "source_type": DERIVED_SOURCE_TYPE, "quote": quote,
                            "accessed": ""})
            vintages = "; ".join(f"{o['indicator']}: {o['vintage']}" for o in (num, den) if o["vintage"])
            derived.append({
                "city": city, "year": year, "indicator": code, "value": value,
                "unit": row["unit"], "level": num["level"], "area": num["area"],
                "area_zh": num["area_zh"], "source_id": source_id, "preferred": True,
                "lower_bound": num["lower_bound"],
                "approximate": num["approximate"] or den["approximate"],
                "year_inferred": num["year_inferred"] or den["year_inferred"],
                "derived": True, "vintage": vintages,
                "note": (f"DERIVED, not a printed figure: {row['numerator']} / {row['denominator']} "
                         f"x {row['scale']} from the preferred rows {num['source_id']} and "
                         f"{den['source_id']} (no printed {code} exists for this city and year)"
                         + ("; the numerator is a lower bound, so this is one too"
                            if num["lower_bound"] else "")),
                "_where": f"derived {code} {city} {year}"})
    return derived, sources, skipped


def _quotient(numerator: str, denominator: str, scale: str) -> str:
    """numerator / denominator x scale as text, rounded half-even to DECIMALS places."""
    exact = Decimal(numerator) / Decimal(denominator) * Decimal(scale)
    return str(exact.quantize(Decimal(1).scaleb(-DECIMALS), rounding=ROUND_HALF_EVEN))
