"""The evidence for a claim: which figure the data give for a (city, year, indicator).

:class:`Evidence` indexes every observation row (preferred or not) by city, year and
indicator and picks, for each cell, the figure a verdict may use (:class:`Cell`): the
preferred row if it is usable, else the best independent non-preferred row, never the
report's own row unless asked. A figure allows an :class:`Interval` of values (a lower
bound is open above, an approximate figure is widened by a tolerance); :func:`compare`
and :func:`compare_intervals` say whether every, no or only some allowed values satisfy
a comparison.

Everything here is data, not wording: a cell's evidence is an item (a dict of codes,
numbers and source ids, :meth:`Evidence.cell`) that :mod:`analysis.claims.wording` renders
in the reader's language.
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

MISSING, REPORT_ONLY = "missing", "report_only"
"""Statuses of a cell that cannot be used (a usable cell is ``"ok"``)."""


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
    status: str                       # "ok", MISSING or REPORT_ONLY
    interval: Interval | None = None
    value: float | None = None
    unit: str = ""
    flags: dict = field(default_factory=dict)
    used_ids: list = field(default_factory=list)
    report_ids: list = field(default_factory=list)
    looked_at_ids: list = field(default_factory=list)   # every source id of the cell's rows
    circular: bool = False            # the value used comes from the report itself
    item: dict = field(default_factory=dict)            # the evidence item (see Evidence.cell)

    @property
    def ref(self) -> dict:
        """The cell as reason and evidence fields name it."""
        return {"city": self.city, "year": self.year, "indicator": self.indicator}

    @property
    def figure(self) -> dict:
        """The figure used, as reason fields carry it: value, flags and the interval it allows
        (``hi`` None when unbounded)."""
        return figure(self.indicator, self.value, self.flags, self.interval)

    @property
    def problem(self) -> dict | None:
        """Why the cell cannot be used (None when it can): ``{"problem": status, city, year, indicator}``."""
        return None if self.status == "ok" else {"problem": self.status, **self.ref}


def figure(indicator: str, value: float, flags: dict, interval: Interval) -> dict:
    """A figure as reason fields carry it (JSON-ready: an infinite bound is None)."""
    return {"indicator": indicator, "value": value, "lower_bound": bool(flags.get("lower_bound")),
            "approximate": bool(flags.get("approximate")), "lo": finite(interval.lo), "hi": finite(interval.hi)}


def finite(value: float) -> float | None:
    """``value``, or None when it is infinite (JSON has no infinity)."""
    return None if value is None or math.isinf(value) else float(value)


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
        """The figure used for a cell and its evidence item.

        The item is ``{"item": "cell", city, year, indicator, status}`` plus, for a usable
        cell, ``used`` (the row used), ``figure``, ``preferred_ids`` with
        ``preferred_is_report`` (when a non-preferred row had to be used), ``others`` (the
        other rows, not used), ``conflicts`` and ``compatible`` (other
        values outside or inside the interval of the one used) and ``circular``; for a
        cell only the report gives, ``report_rows``. A row is ``{value, unit, lower_bound,
        approximate, year_inferred, vintage, source_id, report, preferred}``.
        """
        rows = [r for r in self.rows.get((city, year, indicator), []) if has_value(r)]
        report_rows = [r for r in rows if str(r["source_id"]) in self.report_ids]
        cell = Cell(city, year, indicator, MISSING, report_ids=sorted({str(r["source_id"]) for r in report_rows}),
                    looked_at_ids=list(dict.fromkeys(str(r["source_id"]) for r in rows)))
        cell.item = {"item": "cell", **cell.ref, "status": MISSING}
        if not rows:
            return cell
        candidates = self._candidates(rows)
        if not candidates:
            cell.status = cell.item["status"] = REPORT_ONLY
            cell.item["report_rows"] = [self._row_item(r) for r in report_rows]
            return cell
        chosen = candidates[0]
        cell.status, cell.value = "ok", float(chosen["value"])
        cell.interval = self._interval(chosen)
        cell.unit = clean_text(chosen.get("unit")) or self.units.get(indicator, "")
        cell.flags = {name: row_flag(chosen, name) for name in FLAG_COLUMNS}
        cell.used_ids = [str(chosen["source_id"])]
        cell.circular = str(chosen["source_id"]) in self.report_ids
        item = cell.item
        item.update(status="ok", used=self._row_item(chosen), figure=cell.figure)
        preferred = [r for r in rows if row_flag(r, "preferred", True)]
        if not row_flag(chosen, "preferred", True) and preferred:
            item["preferred_ids"] = [str(r["source_id"]) for r in preferred]
            item["preferred_is_report"] = all(str(r["source_id"]) in self.report_ids for r in preferred)
        others = [r for r in rows if r is not chosen]
        item["others"] = [self._row_item(r) for r in others]
        differing = [r for r in others if not math.isclose(float(r["value"]), cell.value, rel_tol=1e-9)]
        conflicts = [r for r in differing if not _overlap(self._interval(r), cell.interval)]
        item["conflicts"] = [{"value": float(r["value"]), "source_id": str(r["source_id"])} for r in conflicts]
        item["compatible"] = [{"value": float(r["value"]), "source_id": str(r["source_id"])}
                              for r in differing if r not in conflicts]
        item["circular"] = cell.circular
        return cell

    def _interval(self, row: dict) -> Interval:
        value = float(row["value"])
        lower, approximate = row_flag(row, "lower_bound"), row_flag(row, "approximate")
        spread = abs(value) * self.tolerance if approximate else 0.0
        return Interval(value - spread, math.inf if lower else value + spread)

    def _row_item(self, row: dict) -> dict:
        sid = str(row["source_id"])
        return {"value": float(row["value"]), "unit": clean_text(row.get("unit")),
                **{name: row_flag(row, name) for name in ("lower_bound", "approximate", "year_inferred")},
                "vintage": clean_text(row.get("vintage")), "source_id": sid, "report": sid in self.report_ids,
                "preferred": row_flag(row, "preferred", True)}

    def publishers(self, ids) -> dict:
        """``{source_id: {"en": publisher_en, "zh": publisher_zh}}`` for ``ids`` (empty names
        when the sources table lacks them or the id)."""
        out = {}
        for sid in dict.fromkeys(ids):
            row = self.sources.loc[sid] if sid in self.sources.index else {}
            out[sid] = {"en": clean_text(row.get("publisher_en")), "zh": clean_text(row.get("publisher_zh"))}
        return out


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
