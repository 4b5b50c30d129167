"""The evidence for a claim: which figure the data give for a (city, year, indicator).

:class:`Evidence` indexes every observation row (preferred or not) by city, year and
indicator and picks, for each cell, the figure a verdict may use (:class:`Cell`): the
preferred row if it is usable, else the best independent non-preferred row, never the
report's own row unless asked. A figure allows an :class:`Interval` of values (a lower
bound is open above, an approximate figure is widened by a tolerance); :func:`compare`
and :func:`compare_intervals` say whether every, no or only some allowed values satisfy
a comparison. The evidence text lists every row looked at, in English.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._frame import unknown_text
from .._vocab import FLAG_COLUMNS
from ..errors import InvalidArgumentError
from .ledger import INEQUALITIES, OPERATORS, clean_text

_FLAG_TEXT = {"lower_bound": "lower bound", "approximate": "approximate", "year_inferred": "year inferred"}


@dataclass(frozen=True)
class Interval:
    """Values a figure allows: ``lo`` to ``hi`` (``hi`` infinite for a lower bound)."""

    lo: float
    hi: float


@dataclass
class Cell:
    """What the data say about one (city, year, indicator) for the verdict."""

    city: str
    year: int
    indicator: str
    status: str                       # "ok", "missing" or "report only"
    interval: Interval | None = None
    value: float | None = None
    describe: str = ""                # "12099", "at least 11000 (lower bound)", ...
    unit: str = ""
    flags: dict = field(default_factory=dict)
    used_ids: list = field(default_factory=list)
    report_ids: list = field(default_factory=list)
    circular: bool = False            # the value used comes from the report itself
    evidence: str = ""

    @property
    def label(self) -> str:
        return f"{self.city} {self.year} {self.indicator}"

    @property
    def why(self) -> str:
        """Why the cell cannot be used (empty when it can)."""
        if self.status == "missing":
            return f"{self.label} not in data"
        if self.status == "report only":
            return f"{self.label}: only source is the report itself"
        return ""


def plain_number(value: float) -> str:
    """A number as plain text at full precision for evidence: ``12099``, ``357.51``, ``inf``.

    Not :func:`analysis.style.format_number` (4 significant digits would turn 719.38 into
    719.4) and not ``sheets._fmt`` (which marks lower bounds with a sign).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "NaN"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return np.format_float_positional(round(float(value), 6), trim="-")


class Evidence:
    """Observations indexed by (city, year, indicator), with sources and the report ids."""

    def __init__(self, observations, sources, report_ids, units, *, independent_only, approximate_tolerance):
        self.units = units
        self.rows: dict[tuple, list[dict]] = {}
        for record in observations.to_dict("records"):
            key = (str(record["city"]), int(record["year"]), str(record["indicator"]))
            self.rows.setdefault(key, []).append(record)
        self.sources = sources
        self.report_ids = set(report_ids)
        self.independent_only = independent_only
        self.tolerance = approximate_tolerance

    def usable_years(self, city: str, indicator: str) -> set:
        return {year for (c, year, code), rows in self.rows.items()
                if c == city and code == indicator and self._candidates(rows)}

    def _candidates(self, rows: list[dict]) -> list[dict]:
        usable = [r for r in rows if has_value(r)]
        if self.independent_only:
            usable = [r for r in usable if str(r["source_id"]) not in self.report_ids]
        return sorted(usable, key=lambda r: (not row_flag(r, "preferred", True), row_flag(r, "lower_bound"),
                                             row_flag(r, "approximate"), row_flag(r, "year_inferred"),
                                             str(r["source_id"])))

    def cell(self, city: str, year: int, indicator: str) -> Cell:
        rows = [r for r in self.rows.get((city, year, indicator), []) if has_value(r)]
        report_rows = [r for r in rows if str(r["source_id"]) in self.report_ids]
        cell = Cell(city, year, indicator, "missing", report_ids=sorted({str(r["source_id"]) for r in report_rows}))
        if not rows:
            cell.evidence = f"{cell.label}: not in data"
            return cell
        candidates = self._candidates(rows)
        if not candidates:
            cell.status = "report only"
            cell.evidence = (f"{cell.label}: only the report itself gives it: "
                             + "; ".join(self._row_text(r) for r in report_rows) + " (not used: circular)")
            return cell
        chosen = candidates[0]
        cell.status, cell.value = "ok", float(chosen["value"])
        cell.interval, cell.describe = self._interval(chosen)
        cell.unit = clean_text(chosen.get("unit")) or self.units.get(indicator, "")
        cell.flags = {name: row_flag(chosen, name) for name in FLAG_COLUMNS}
        cell.used_ids = [str(chosen["source_id"])]
        cell.circular = str(chosen["source_id"]) in self.report_ids
        parts = [f"{cell.label} = {self._row_text(chosen)}"]
        preferred = [r for r in rows if row_flag(r, "preferred", True)]
        if not row_flag(chosen, "preferred", True) and preferred:
            parts.append(f"the preferred row ({', '.join(str(r['source_id']) for r in preferred)}) is "
                         + ("the report itself, so an independent row is used"
                            if all(str(r["source_id"]) in self.report_ids for r in preferred)
                            else "not usable"))
        others = [r for r in rows if r is not chosen]
        if others:
            parts.append("other rows: " + "; ".join(
                self._row_text(r) + (" (the report itself, not used)" if str(r["source_id"]) in self.report_ids
                                     and self.independent_only else "")
                for r in others))
            differing = [r for r in others if not math.isclose(float(r["value"]), cell.value, rel_tol=1e-9)]
            conflicts = [r for r in differing if not _overlap(self._interval(r)[0], cell.interval)]
            close = [r for r in differing if r not in conflicts]
            if conflicts:
                parts.append("CONFLICT: other rows give " + ", ".join(
                    f"{plain_number(float(r['value']))} ({r['source_id']})" for r in conflicts)
                    + f", incompatible with {cell.describe}")
            if close:
                parts.append("other rows differ but are compatible with it (rounding or bounds): " + ", ".join(
                    f"{plain_number(float(r['value']))} ({r['source_id']})" for r in close))
        if cell.circular:
            parts.append("the value used is the report's own figure (circular)")
        cell.evidence = "; ".join(parts)
        return cell

    def _interval(self, row: dict) -> tuple[Interval, str]:
        value = float(row["value"])
        lower, approximate = row_flag(row, "lower_bound"), row_flag(row, "approximate")
        spread = abs(value) * self.tolerance if approximate else 0.0
        lo, hi = value - spread, (math.inf if lower else value + spread)
        if lower and approximate:
            text = f"at least about {plain_number(value)} (lower bound, approximate: from {plain_number(lo)})"
        elif lower:
            text = f"at least {plain_number(value)} (lower bound)"
        elif approximate:
            text = f"about {plain_number(value)} (approximate: {plain_number(lo)}-{plain_number(hi)})"
        else:
            text = plain_number(value)
        return Interval(lo, hi), text

    def _row_text(self, row: dict) -> str:
        sid = str(row["source_id"])
        flags = [text for name, text in _FLAG_TEXT.items() if row_flag(row, name)]
        vintage = clean_text(row.get("vintage"))
        if vintage:
            flags.append(f"vintage {vintage}")
        unit = clean_text(row.get("unit"))
        source = self._source_label(sid)
        kind = "the report itself" if sid in self.report_ids else "independent"
        preferred = "preferred" if row_flag(row, "preferred", True) else "not preferred"
        return (f"{plain_number(float(row['value']))}{' ' + unit if unit else ''}"
                f"{' (' + ', '.join(flags) + ')' if flags else ''} [{sid}: {source}; {kind}; {preferred}]")

    def _source_label(self, sid: str) -> str:
        if sid not in self.sources.index:
            return "source not in sources table"
        row = self.sources.loc[sid]
        title = clean_text(row.get("title")) or "untitled"
        kind = clean_text(row.get("source_type"))
        return f"{title}{' (' + kind + ')' if kind else ''}"

    def source_text(self, ids) -> str:
        out = []
        for sid in dict.fromkeys(ids):
            if sid not in self.sources.index:
                out.append(f"{sid}: not in sources table")
                continue
            row = self.sources.loc[sid]
            bits = [clean_text(row.get("title"))]
            publisher, url = clean_text(row.get("publisher")), clean_text(row.get("url"))
            if publisher:
                bits.append(publisher)
            if url:
                bits.append(url)
            out.append(f"{sid}: " + ", ".join(b for b in bits if b)
                       + (" [the report itself]" if sid in self.report_ids else ""))
        return " | ".join(out)


def _overlap(a: Interval, b: Interval) -> bool:
    return a.lo <= b.hi and b.lo <= a.hi


def row_flag(row: dict, name: str, default: bool = False) -> bool:
    value = row.get(name, default)
    if value is None or (not isinstance(value, (bool, np.bool_)) and pd.isna(value)):
        return default
    return bool(value)


def has_value(row: dict) -> bool:
    value = row.get("value")
    return value is not None and not pd.isna(value)


def compare(interval: Interval, operator: str, target: float, tolerance: float = 0.0) -> bool | None:
    """True if every allowed value satisfies ``value <operator> target``, False if none does, else None."""
    lo, hi = interval.lo, interval.hi
    if operator == ">":
        return True if lo > target else False if hi <= target else None
    if operator == ">=":
        return True if lo >= target else False if hi < target else None
    if operator == "<":
        return True if hi < target else False if lo >= target else None
    if operator == "<=":
        return True if hi <= target else False if lo > target else None
    if operator == "=":
        slack = 1e-9 * max(1.0, abs(target))  # float noise only
        low, high = target - tolerance - slack, target + tolerance + slack
        return True if (lo >= low and hi <= high) else False if (hi < low or lo > high) else None
    raise InvalidArgumentError(unknown_text([operator], OPERATORS, what="operator", known_as="allowed operators"))


def compare_intervals(a: Interval, operator: str, b: Interval) -> bool | None:
    """True if ``a <operator> b`` for every allowed pair of values, False if for none, else None."""
    if operator == "<":
        return True if a.hi < b.lo else False if a.lo >= b.hi else None
    if operator == "<=":
        return True if a.hi <= b.lo else False if a.lo > b.hi else None
    if operator == ">":
        return True if a.lo > b.hi else False if a.hi <= b.lo else None
    if operator == ">=":
        return True if a.lo >= b.hi else False if a.hi < b.lo else None
    raise InvalidArgumentError(f"operator {operator!r} cannot order two cities; allowed: {', '.join(INEQUALITIES)}.")
