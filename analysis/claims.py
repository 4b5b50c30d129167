"""Check the report's quantitative claims against the sourced data.

The claim ledger (``data/claims.csv``, described by ``data/raw/claims.schema.json``) lists
what the Guangzhou S&T Bureau's 2018 report (``seeds/000_1da18392a39b6ff1.txt``) says
about Guangzhou's position and gaps: the Chinese text, an English gist, the catalogue
series, the cities, the year(s) and the kind of claim:

``threshold``
    "超过 / 突破 X": the city's value against ``target`` with ``operator``.
``equality``
    A stated figure: the city's value lies within ``target`` +- ``tolerance``.
``ratio``
    "翻番": value in ``year`` divided by value in ``base_year`` against ``target``.
``ordering``
    "低于北京、上海、深圳": the city's value against each of ``other_cities``.
``rank``
    "居全国第三", "排名第 25 位": if the indicator is itself a published rank (catalogue
    unit ``rank``), its value is compared with ``target``; otherwise the rank is computed
    among the subject and ``other_cities`` (required for scope ``peers``; a ``national`` or
    ``global`` claim without them uses every city with rows for the series), and a
    ``national`` or ``global`` rank can then only be checked for consistency (never
    supported). A computed rank is never supported when a listed city lacks a usable value
    or fewer than 2 cities are ranked; such a city counts as possibly ahead, so the rank
    range can still contradict the claim.

:func:`evaluate_claims` gives each claim one verdict from :data:`VERDICTS` with the reason
and the evidence (values, years, flags, source ids and titles).

Rules
-----
* **Independent evidence only** (default): many Guangzhou rows were typed from the report
  itself. Checking a claim against them is circular, so rows whose source is the report
  (:func:`report_source_ids`) are shown in the evidence but not used. A claim whose only
  evidence is the report is "not verifiable (only source is the report itself)".
* **Preferred rows first**: for each (city, year, indicator) the preferred row is used if
  it is usable, else the best independent non-preferred row (exact before lower-bound or
  approximate); other rows and conflicting values are listed in the evidence.
* **Bounds, not points**: a ``lower_bound`` row ("超过 X") means the value is at least X;
  an ``approximate`` row means X +- ``approximate_tolerance`` x X. A verdict is
  ``supported`` only if every value the bounds allow satisfies the claim,
  ``contradicted`` only if none does, and ``not verifiable`` otherwise. So a lower bound
  of 12000 proves "> 11000", cannot show "= 12000", and can neither prove nor contradict
  "> 13000".
* **Inferred years decide nothing**: a figure flagged ``year_inferred`` (its source gives
  no year; the data entry inferred it) may be another year's figure. Claims are about a
  specific year, so such a figure can neither support nor contradict one: the verdict is
  ``not verifiable``, the reason names the figure and says what it would show if the
  inferred year were right. A contradiction from it would be as unsound as a support. In
  an ordering claim a pair with such a figure decides nothing, but a failing pair of
  figures of certain year still contradicts; in a computed rank such a city counts as
  possibly ahead (a year-inferred subject city leaves every comparison open). Point gaps
  and ranks in the evidence name the cities whose figure is a bound, approximate or of
  inferred year ("bounds involved: ...", "year inferred: ...").
* **Missing years are not bridged**: a missing cell makes the claim not verifiable, naming
  the cell. For claims about several cities (ordering, computed rank), a separate line
  with ``check`` = ``"nearest common year (proxy)"`` repeats the check in the nearest year
  in which every city has a usable value. It never replaces the ``"as stated"`` verdict.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import metrics
from .catalogue import check_language
from .datapackage import read_table
from .errors import InvalidArgumentError

__all__ = [
    "CHECKS", "CLAIM_COLUMNS", "CLAIM_KINDS", "OPERATORS", "RANK_SCOPES", "REPORT_TITLE", "REPORT_URL",
    "VERDICTS", "VERDICT_COLUMNS", "check_claims", "claims_table", "evaluate_claims", "load_claims",
    "report_source_ids", "verdict_counts",
]

CLAIM_KINDS = ("threshold", "rank", "ratio", "ordering", "equality")
"""Kinds of claim the evaluator understands."""
OPERATORS = (">", ">=", "<", "<=", "=")
"""Comparison operators of the ledger."""
RANK_SCOPES = ("national", "global", "peers")
"""Scope of a rank claim: among all Chinese cities, worldwide, or among the listed cities."""
VERDICTS = ("supported", "contradicted", "not verifiable")
"""The three verdicts, in display order."""
CHECKS = ("as stated", "nearest common year (proxy)")
"""``check`` labels: the claim as the ledger states it, and the labelled proxy-year check."""
AS_STATED, PROXY = CHECKS
SUPPORTED, CONTRADICTED, NOT_VERIFIABLE = VERDICTS

REPORT_URL = "seeds/000_1da18392a39b6ff1.txt"
"""Address of the report in ``sources.csv`` (the package copy)."""
REPORT_TITLE = "广州市科学技术局2018年工作总结和2019年工作安排"
"""Title of the report in ``sources.csv``."""

CLAIM_COLUMNS = ("claim_id", "ledger_version", "section", "claim_zh", "gist_en", "kind", "indicator", "city",
                 "other_cities", "year", "base_year", "operator", "target", "tolerance", "scope", "unit", "note")
"""Columns of ``claims.csv``, in order."""
VERDICT_COLUMNS = ("claim_id", "ledger_version", "check", "section", "kind", "indicator", "city",
                   "other_cities", "claim_year", "base_year", "year", "operator", "target", "tolerance",
                   "scope", "unit", "verdict", "reason", "evidence", "source_ids", "report_source_ids",
                   "sources", "claim_zh", "gist_en")
"""Columns of :func:`evaluate_claims`' result, in order."""

_INEQUALITIES = (">", ">=", "<", "<=")
_OBS_REQUIRED = ("city", "year", "indicator", "value", "source_id")
_FLAG_TEXT = {"lower_bound": "lower bound", "approximate": "approximate", "year_inferred": "year inferred"}


# --------------------------------------------------------------------------- loading

def load_claims(data_dir=None) -> pd.DataFrame:
    """The claim ledger, typed and checked, one row per claim in ledger order.

    Reads resource ``claims`` of the data folder's ``datapackage.json`` with
    :func:`analysis.datapackage.read_table` (types, required fields, enums, primary key).

    Parameters
    ----------
    data_dir : str or path-like, optional
        Data folder; default ``$ANALYSIS_DATA_DIR`` or the shipped ``data/``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CLAIM_COLUMNS`: ``ledger_version``, ``year`` and ``base_year`` as
        Int64, ``target`` and ``tolerance`` as float (NaN when empty), the rest strings
        (``""`` when empty).

    Raises
    ------
    DataFileError
        (or a subclass) for a missing or malformed file, naming file, record and field.
    InvalidArgumentError
        (a ValueError) for a claim whose fields do not fit its kind (see
        :func:`check_claims`).
    """
    claims = read_table("claims", data_dir)
    check_claims(claims)
    return claims


# ------------------------------------------------------------------------ validation

@dataclass(frozen=True)
class _Claim:
    """One ledger row, typed."""

    claim_id: str
    ledger_version: object
    section: str
    claim_zh: str
    gist_en: str
    kind: str
    indicator: str
    city: str
    other_cities: tuple
    year: int
    base_year: int | None
    operator: str
    target: float | None
    tolerance: float
    scope: str
    unit: str


def _text(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()


def _number(value) -> float | None:
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _cities(value) -> tuple:
    return tuple(dict.fromkeys(part for part in re.split(r"[\s;,、]+", _text(value)) if part))


def _parse_claims(claims: pd.DataFrame) -> list[_Claim]:
    """Typed claims; InvalidArgumentError naming the claim and the allowed values on any fault."""
    if not isinstance(claims, pd.DataFrame):
        raise TypeError(f"claims must be a pandas DataFrame, not {type(claims).__name__}.")
    required = ("claim_id", "kind", "indicator", "city", "year", "operator", "target")
    absent = [column for column in required if column not in claims.columns]
    if absent:
        raise InvalidArgumentError(f"claims lack column(s) {', '.join(absent)}; the ledger has columns "
                                   f"{', '.join(CLAIM_COLUMNS)}.")
    parsed, seen = [], set()
    for position, (_, row) in enumerate(claims.iterrows(), start=1):
        get = row.get
        claim_id = _text(get("claim_id")) or f"(row {position})"

        def fail(message: str):
            raise InvalidArgumentError(f"claim {claim_id}: {message}")

        if claim_id in seen:
            fail("claim_id repeats an earlier row; give every claim its own id.")
        seen.add(claim_id)
        kind, operator = _text(get("kind")), _text(get("operator"))
        if kind not in CLAIM_KINDS:
            fail(f"unknown kind {kind!r}; allowed kinds: {', '.join(CLAIM_KINDS)}.")
        if operator not in OPERATORS:
            fail(f"unknown operator {operator!r}; allowed operators: {', '.join(OPERATORS)}.")
        year, base_year = _number(get("year")), _number(get("base_year"))
        if year is None or math.isnan(year) or year != int(year):
            fail(f"year {get('year')!r} is not a whole year.")
        if base_year is not None and (math.isnan(base_year) or base_year != int(base_year)):
            fail(f"base_year {get('base_year')!r} is not a whole year.")
        target, tolerance = _number(get("target")), _number(get("tolerance"))
        if target is not None and math.isnan(target):
            fail(f"target {get('target')!r} is not a number.")
        if tolerance is not None and (math.isnan(tolerance) or tolerance < 0):
            fail(f"tolerance {get('tolerance')!r} must be a number >= 0.")
        city, others, scope = _text(get("city")), _cities(get("other_cities")), _text(get("scope"))
        if not city:
            fail("city is empty; name the subject city (e.g. Guangzhou).")
        if city in others:
            fail(f"other_cities lists the subject city {city} itself.")
        if scope and scope not in RANK_SCOPES:
            fail(f"unknown scope {scope!r}; allowed scopes: {', '.join(RANK_SCOPES)}.")
        if tolerance and operator != "=":
            fail(f"tolerance applies only to operator '='; operator is {operator!r}.")
        if kind == "ordering":
            if operator not in _INEQUALITIES:
                fail(f"an ordering claim needs one of the operators {', '.join(_INEQUALITIES)}; got {operator!r}.")
            if not others:
                fail("an ordering claim needs other_cities (the cities the subject is compared with).")
            if target is not None:
                fail("an ordering claim has no target; leave it empty.")
        else:
            if target is None:
                fail(f"a {kind} claim needs a target.")
        if kind == "threshold" and operator not in _INEQUALITIES:
            fail(f"a threshold claim needs one of the operators {', '.join(_INEQUALITIES)}; got {operator!r} "
                 "(use kind 'equality' for a stated figure).")
        if kind == "equality" and operator != "=":
            fail(f"an equality claim needs operator '='; got {operator!r} (use kind 'threshold').")
        if kind == "ratio":
            if base_year is None:
                fail("a ratio claim needs base_year (the earlier year: 翻番 from base_year to year).")
            if int(base_year) == int(year):
                fail("base_year equals year; a ratio claim compares two different years.")
            if target <= 0:
                fail("a ratio claim needs a positive target (2 for 翻番).")
        if kind == "rank":
            if scope not in RANK_SCOPES:
                fail(f"a rank claim needs a scope, one of: {', '.join(RANK_SCOPES)}.")
            if target < 1 or target != int(target):
                fail(f"a rank target must be a whole number >= 1; got {target:g}.")
            if scope == "peers" and not others:
                fail("a rank claim with scope 'peers' needs other_cities (the peers it is ranked among); "
                     "without them the rank would be taken among whichever cities have rows.")
        parsed.append(_Claim(
            claim_id=claim_id, ledger_version=get("ledger_version"), section=_text(get("section")),
            claim_zh=_text(get("claim_zh")), gist_en=_text(get("gist_en")), kind=kind,
            indicator=_text(get("indicator")), city=city, other_cities=others, year=int(year),
            base_year=None if base_year is None else int(base_year), operator=operator, target=target,
            tolerance=tolerance or 0.0, scope=scope, unit=_text(get("unit"))))
    return parsed


def check_claims(claims: pd.DataFrame) -> None:
    """Check that every ledger row is a well-formed claim of its kind.

    Parameters
    ----------
    claims : pandas.DataFrame
        Ledger rows (columns :data:`CLAIM_COLUMNS`; ``claim_id``, ``kind``, ``indicator``,
        ``city``, ``year``, ``operator`` and ``target`` are required).

    Raises
    ------
    InvalidArgumentError
        (a ValueError) naming the claim: unknown kind (allowed: :data:`CLAIM_KINDS`),
        unknown operator (allowed: :data:`OPERATORS`), unknown scope, repeated id, or
        fields that do not fit the kind (an ordering claim or a ``peers`` rank claim
        without ``other_cities``, a ratio claim without ``base_year``, a rank claim without
        ``scope``, a tolerance on an inequality, ...).
    """
    _parse_claims(claims)


# ------------------------------------------------------------------------ sources

def report_source_ids(sources: pd.DataFrame, *, report_url: str = REPORT_URL,
                      report_title: str = REPORT_TITLE) -> list[str]:
    """Ids of the sources that are the report itself.

    A source is the report if its ``url`` is (or ends with) ``report_url`` or its
    ``title`` equals ``report_title``. Each report sentence has its own source id
    (the id hashes title, address and quote), so there are several.

    Parameters
    ----------
    sources : pandas.DataFrame
        The sources table (``source_id`` as column or index, ``url``, ``title``).
    report_url, report_title : str
        How the report is cited.

    Returns
    -------
    list of str
        Sorted source ids.
    """
    table = _source_table(sources)
    url = table["url"].map(_text) if "url" in table.columns else pd.Series("", index=table.index)
    title = table["title"].map(_text) if "title" in table.columns else pd.Series("", index=table.index)
    is_report = url.eq(report_url) | url.str.endswith("/" + report_url) | title.eq(report_title)
    return sorted(map(str, table.index[is_report.to_numpy()]))


def _source_table(sources: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(sources, pd.DataFrame):
        raise TypeError(f"sources must be a pandas DataFrame, not {type(sources).__name__}.")
    if "source_id" in sources.columns:
        return sources.set_index(sources["source_id"].astype(str), drop=False).rename_axis(None)
    return sources


# ------------------------------------------------------------------------- evidence

@dataclass(frozen=True)
class _Interval:
    """Values a figure allows: ``lo`` to ``hi`` (``hi`` infinite for a lower bound)."""

    lo: float
    hi: float


@dataclass
class _Cell:
    """What the data say about one (city, year, indicator) for the verdict."""

    city: str
    year: int
    indicator: str
    status: str                       # "ok", "missing" or "report only"
    interval: _Interval | None = None
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


def _plain_number(value: float) -> str:
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


class _Data:
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
        usable = [r for r in rows if _has_value(r)]
        if self.independent_only:
            usable = [r for r in usable if str(r["source_id"]) not in self.report_ids]
        return sorted(usable, key=lambda r: (not _flag(r, "preferred", True), _flag(r, "lower_bound"),
                                             _flag(r, "approximate"), _flag(r, "year_inferred"),
                                             str(r["source_id"])))

    def cell(self, city: str, year: int, indicator: str) -> _Cell:
        rows = [r for r in self.rows.get((city, year, indicator), []) if _has_value(r)]
        report_rows = [r for r in rows if str(r["source_id"]) in self.report_ids]
        cell = _Cell(city, year, indicator, "missing", report_ids=sorted({str(r["source_id"]) for r in report_rows}))
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
        cell.unit = _text(chosen.get("unit")) or self.units.get(indicator, "")
        cell.flags = {name: _flag(chosen, name) for name in metrics.FLAG_COLUMNS}
        cell.used_ids = [str(chosen["source_id"])]
        cell.circular = str(chosen["source_id"]) in self.report_ids
        parts = [f"{cell.label} = {self._row_text(chosen)}"]
        preferred = [r for r in rows if _flag(r, "preferred", True)]
        if not _flag(chosen, "preferred", True) and preferred:
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
                    f"{_plain_number(float(r['value']))} ({r['source_id']})" for r in conflicts)
                    + f", incompatible with {cell.describe}")
            if close:
                parts.append("other rows differ but are compatible with it (rounding or bounds): " + ", ".join(
                    f"{_plain_number(float(r['value']))} ({r['source_id']})" for r in close))
        if cell.circular:
            parts.append("the value used is the report's own figure (circular)")
        cell.evidence = "; ".join(parts)
        return cell

    def _interval(self, row: dict) -> tuple[_Interval, str]:
        value = float(row["value"])
        lower, approximate = _flag(row, "lower_bound"), _flag(row, "approximate")
        spread = abs(value) * self.tolerance if approximate else 0.0
        lo, hi = value - spread, (math.inf if lower else value + spread)
        if lower and approximate:
            text = f"at least about {_plain_number(value)} (lower bound, approximate: from {_plain_number(lo)})"
        elif lower:
            text = f"at least {_plain_number(value)} (lower bound)"
        elif approximate:
            text = f"about {_plain_number(value)} (approximate: {_plain_number(lo)}-{_plain_number(hi)})"
        else:
            text = _plain_number(value)
        return _Interval(lo, hi), text

    def _row_text(self, row: dict) -> str:
        sid = str(row["source_id"])
        flags = [text for name, text in _FLAG_TEXT.items() if _flag(row, name)]
        vintage = _text(row.get("vintage"))
        if vintage:
            flags.append(f"vintage {vintage}")
        unit = _text(row.get("unit"))
        source = self._source_label(sid)
        kind = "the report itself" if sid in self.report_ids else "independent"
        preferred = "preferred" if _flag(row, "preferred", True) else "not preferred"
        return (f"{_plain_number(float(row['value']))}{' ' + unit if unit else ''}"
                f"{' (' + ', '.join(flags) + ')' if flags else ''} [{sid}: {source}; {kind}; {preferred}]")

    def _source_label(self, sid: str) -> str:
        if sid not in self.sources.index:
            return "source not in sources table"
        row = self.sources.loc[sid]
        title = _text(row.get("title")) or "untitled"
        kind = _text(row.get("source_type"))
        return f"{title}{' (' + kind + ')' if kind else ''}"

    def source_text(self, ids) -> str:
        out = []
        for sid in dict.fromkeys(ids):
            if sid not in self.sources.index:
                out.append(f"{sid}: not in sources table")
                continue
            row = self.sources.loc[sid]
            bits = [_text(row.get("title"))]
            publisher, url = _text(row.get("publisher")), _text(row.get("url"))
            if publisher:
                bits.append(publisher)
            if url:
                bits.append(url)
            out.append(f"{sid}: " + ", ".join(b for b in bits if b)
                       + (" [the report itself]" if sid in self.report_ids else ""))
        return " | ".join(out)


def _overlap(a: _Interval, b: _Interval) -> bool:
    return a.lo <= b.hi and b.lo <= a.hi


def _flag(row: dict, name: str, default: bool = False) -> bool:
    value = row.get(name, default)
    if value is None or (not isinstance(value, (bool, np.bool_)) and pd.isna(value)):
        return default
    return bool(value)


def _has_value(row: dict) -> bool:
    value = row.get("value")
    return value is not None and not pd.isna(value)


# --------------------------------------------------------------------------- logic

def _compare(interval: _Interval, operator: str, target: float, tolerance: float = 0.0) -> bool | None:
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
    raise InvalidArgumentError(f"unknown operator {operator!r}; allowed operators: {', '.join(OPERATORS)}.")


def _compare_intervals(a: _Interval, operator: str, b: _Interval) -> bool | None:
    """True if ``a <operator> b`` for every allowed pair of values, False if for none, else None."""
    if operator == "<":
        return True if a.hi < b.lo else False if a.lo >= b.hi else None
    if operator == "<=":
        return True if a.hi <= b.lo else False if a.lo > b.hi else None
    if operator == ">":
        return True if a.lo > b.hi else False if a.hi <= b.lo else None
    if operator == ">=":
        return True if a.lo >= b.hi else False if a.hi < b.lo else None
    raise InvalidArgumentError(f"operator {operator!r} cannot order two cities; allowed: {', '.join(_INEQUALITIES)}.")


def _verdict(outcome: bool | None) -> str:
    return SUPPORTED if outcome is True else CONTRADICTED if outcome is False else NOT_VERIFIABLE


def _claim_text(claim: _Claim, target: float | None = None) -> str:
    target = claim.target if target is None else target
    band = f" +- {_plain_number(claim.tolerance)}" if claim.operator == "=" and claim.tolerance else ""
    return f"{claim.operator} {_plain_number(target)}{band}"


@dataclass
class _Result:
    verdict: str
    reason: str
    cells: list
    extra_evidence: list = field(default_factory=list)
    missing_cells: bool = False       # a city lacked a usable value in the year checked


def _inferred(cells: list) -> list:
    """The cells used whose year is inferred (the source gives no year; the data entry inferred it)."""
    return [c for c in cells if c.status == "ok" and c.flags.get("year_inferred")]


def _inferred_text(cells: list) -> str:
    return "; ".join(f"the year of {c.label} ({c.describe}) is inferred, so it may be another year's figure"
                     for c in cells)


def _flags_note(cells: list) -> str:
    """Note for point-value evidence naming the cities whose figure is a bound or approximate, or whose
    year is inferred; empty if none. Shared by the gap and rank evidence."""
    bounds = [f"{c.city} {c.describe}" for c in cells if c.flags.get("lower_bound") or c.flags.get("approximate")]
    inferred = [c.city for c in cells if c.flags.get("year_inferred")]
    note = ""
    if bounds:
        note += f" (bounds involved: {'; '.join(bounds)}; the point value of a bound is not the value)"
    if inferred:
        note += f" (year inferred: {', '.join(inferred)})"
    return note


def _would(outcome: bool | None) -> str:
    return {True: "show", False: "rule out", None: "neither show nor rule out"}[outcome]


def _single(claim: _Claim, data: _Data, year: int) -> _Result:
    """Threshold, equality and published-rank claims: the city's own value against the target."""
    cell = data.cell(claim.city, year, claim.indicator)
    if cell.status != "ok":
        return _Result(NOT_VERIFIABLE, f"not verifiable: {cell.why}", [cell])
    outcome = _compare(cell.interval, claim.operator, claim.target, claim.tolerance)
    claim_text = _claim_text(claim)
    inferred = _inferred([cell])
    if inferred:   # the figure may be another year's: it can neither support nor contradict a claim about this one
        return _Result(NOT_VERIFIABLE, f"not verifiable: {_inferred_text(inferred)}; taken as {year} it would "
                                       f"{_would(outcome)} {claim_text}", [cell])
    if outcome is None:
        reason = (f"not verifiable: {cell.label} is {cell.describe}, which can neither show nor rule "
                  f"out {claim_text}")
    elif outcome:
        reason = f"supported: {cell.label} is {cell.describe}, so {claim_text} holds"
    else:
        reason = f"contradicted: {cell.label} is {cell.describe}, not {claim_text}"
    return _Result(_verdict(outcome), reason, [cell])


def _ratio(claim: _Claim, data: _Data, year: int) -> _Result:
    """Ratio claims: value in ``year`` over value in ``base_year`` against the target."""
    later, earlier = data.cell(claim.city, year, claim.indicator), data.cell(claim.city, claim.base_year, claim.indicator)
    cells = [later, earlier]
    lacking = [c.why for c in cells if c.status != "ok"]
    if lacking:
        return _Result(NOT_VERIFIABLE, "not verifiable: " + "; ".join(lacking), cells)
    a, b = later.interval, earlier.interval
    if b.hi <= 0:
        return _Result(NOT_VERIFIABLE, f"not verifiable: {earlier.label} is not positive, ratio undefined", cells)
    lo = a.lo / b.hi if a.lo >= 0 else -math.inf
    hi = math.inf if (b.lo <= 0 or math.isinf(a.hi)) else a.hi / b.lo
    ratio = _Interval(lo, hi)
    outcome = _compare(ratio, claim.operator, claim.target, claim.tolerance)
    if lo == hi:
        ratio_text = f"{_plain_number(later.value)} / {_plain_number(earlier.value)} = {_plain_number(round(lo, 4))}"
    else:
        ratio_text = (f"({later.describe}) / ({earlier.describe}): between {_plain_number(round(lo, 4))} and "
                      f"{_plain_number(round(hi, 4)) if math.isfinite(hi) else 'unbounded'}")
    label = f"{claim.city} {claim.indicator} {year} / {claim.base_year}"
    claim_text = _claim_text(claim)
    inferred = _inferred(cells)
    if inferred:   # a ratio of figures that may belong to other years proves or rules out nothing
        return _Result(NOT_VERIFIABLE, f"not verifiable: {_inferred_text(inferred)}; taken as stated, {label} = "
                                       f"{ratio_text}, which would {_would(outcome)} {claim_text}", cells)
    reason = {True: f"supported: {label} = {ratio_text}, so {claim_text} holds",
              False: f"contradicted: {label} = {ratio_text}, not {claim_text}",
              None: f"not verifiable: {label} = {ratio_text}, which can neither show nor rule out {claim_text}"}[outcome]
    return _Result(_verdict(outcome), reason, cells)


def _ordering(claim: _Claim, data: _Data, year: int) -> _Result:
    """Ordering claims: the city's value against each other city's value, same year.

    A pair with a year-inferred figure decides nothing (neither holds nor fails); a pair of
    figures of certain year that fails contradicts the claim whatever the other pairs show.
    """
    focus = data.cell(claim.city, year, claim.indicator)
    others = [data.cell(city, year, claim.indicator) for city in claim.other_cities]
    cells = [focus, *others]
    missing = any(c.status != "ok" for c in cells)
    holds, fails, open_, uncertain = [], [], [], []
    for other in others:
        if focus.status != "ok" or other.status != "ok":
            continue
        outcome = _compare_intervals(focus.interval, claim.operator, other.interval)
        text = f"{claim.city} {focus.describe} {claim.operator} {other.city} {other.describe}"
        pair_inferred = _inferred([focus, other])
        if pair_inferred:
            uncertain.append(f"{claim.city} {focus.describe} vs {other.city} {other.describe} (year of "
                             f"{' and '.join(c.label for c in pair_inferred)} inferred, so the pair decides nothing)")
            continue
        (holds if outcome is True else fails if outcome is False else open_).append(
            text if outcome is not False else f"{claim.city} {focus.describe} vs {other.city} {other.describe}")
    lacking = [c.why for c in cells if c.status != "ok"]
    if fails:
        verdict = CONTRADICTED
        reason = f"contradicted ({year} {claim.indicator}): not {claim.operator} for " + "; ".join(fails)
        if lacking or uncertain:
            reason += "; also " + "; ".join(lacking + uncertain)
    elif not lacking and not open_ and not uncertain:
        verdict = SUPPORTED
        reason = f"supported ({year} {claim.indicator}): " + "; ".join(holds)
    else:
        verdict = NOT_VERIFIABLE
        pieces = list(lacking) + uncertain
        pieces += [f"bounds cannot decide {t}" for t in open_]
        reason = "not verifiable: " + "; ".join(pieces)
        if holds:
            reason += f" (holds for: {'; '.join(holds)})"
    extra = _gap_evidence(claim, focus, [o for o in others if o.status == "ok"], year)
    return _Result(verdict, reason, cells, extra, missing)


def _gap_evidence(claim: _Claim, focus: _Cell, others: list, year: int) -> list:
    """Point gaps from :func:`analysis.metrics.gap`, as evidence text."""
    if focus.status != "ok" or not others:
        return []
    frame = _point_frame([focus, *others])
    gaps = metrics.gap(frame, focus=claim.city, peers=[o.city for o in others], indicators=[claim.indicator],
                       year=year)
    text = "; ".join(f"{row.peer} {_plain_number(round(row.gap_abs, 6))}" for row in gaps.itertuples())
    unit = gaps["gap_abs_unit"].iloc[0]
    return [f"point gap {claim.city} minus peer (analysis.metrics.gap, {year}{', ' + unit if unit else ''}): {text}"
            + _flags_note([focus, *others])]


def _point_frame(cells: list) -> pd.DataFrame:
    """Tidy frame of the values used (one row per cell), as :mod:`analysis.metrics` takes it."""
    unit = cells[0].unit
    frame = pd.DataFrame({
        "city": [c.city for c in cells], "year": [c.year for c in cells],
        "indicator": [c.indicator for c in cells], "value": [c.value for c in cells],
        "unit": [unit] * len(cells),
    })
    for name in metrics.FLAG_COLUMNS:
        frame[name] = [bool(c.flags.get(name)) for c in cells]
    return frame


def _rank(claim: _Claim, data: _Data, year: int, catalogue: pd.DataFrame) -> _Result:
    """Rank claims on a series that is not itself a rank: rank among the listed cities.

    Cities without a usable value, or whose year is inferred, count as possibly ahead, so the
    rank range ``best``-``worst`` is sound and can contradict the claim; but it never supports it
    when a listed city lacks a value, a year is inferred or fewer than 2 cities are ranked.
    """
    direction = int(catalogue.loc[claim.indicator, "direction"])
    # a "peers" claim always lists its cities (_parse_claims); a national or global claim without
    # them is checked, for consistency only, among every city with rows for the indicator
    cities = claim.other_cities or tuple(sorted({c for (c, _, code) in data.rows if code == claim.indicator}
                                                - {claim.city}))
    focus = data.cell(claim.city, year, claim.indicator)
    others = [data.cell(city, year, claim.indicator) for city in cities]
    cells = [focus, *others]
    missing = any(c.status != "ok" for c in cells)
    n = len(cells)
    broader = claim.scope in ("national", "global")
    scope_text = f"a {claim.scope} rank needs all cities; the data hold {n}" if broader else ""
    if direction == 0:
        return _Result(NOT_VERIFIABLE, f"not verifiable: {claim.indicator} is a context series (direction 0), "
                                       "not ranked", cells)
    if focus.status != "ok":
        return _Result(NOT_VERIFIABLE, "not verifiable: " + "; ".join(x for x in (scope_text, focus.why) if x),
                       cells, missing_cells=True)
    inferred = _inferred(cells)
    focus_inferred = bool(_inferred([focus]))
    ahead, maybe = [], []
    for other in others:
        if other.status != "ok":
            maybe.append(f"{other.city} (no usable value)")
            continue
        if focus_inferred or other.flags.get("year_inferred"):
            maybe.append(f"{other.city} {other.describe}" + ("" if focus_inferred else " (year inferred)"))
            continue
        better = (_compare_intervals(other.interval, ">", focus.interval) if direction > 0
                  else _compare_intervals(other.interval, "<", focus.interval))
        if better is True:
            ahead.append(f"{other.city} {other.describe}")
        elif better is None:
            maybe.append(f"{other.city} {other.describe}")
    best, worst = 1 + len(ahead), 1 + len(ahead) + len(maybe)
    ranked = 1 + sum(c.status == "ok" for c in others)
    among = f"among the {n} cities {claim.city} ranks " + (f"{best}" if best == worst else f"{best}-{worst}")
    detail = (f"{claim.city} {focus.describe}"
              + (" (year inferred, so every comparison is open)" if focus_inferred else "")
              + f"; certainly ahead: {', '.join(ahead) or 'none'}"
              + (f"; possibly ahead: {', '.join(maybe)}" if maybe else ""))
    claim_text = _claim_text(claim)
    lacking = [c.why for c in others if c.status != "ok"]
    if broader:
        outcome = _compare(_Interval(best, math.inf), claim.operator, claim.target)
        if outcome is False:
            reason = (f"contradicted: {len(ahead)} of the cities in the data are certainly ahead, so the "
                      f"{claim.scope} rank is at least {best}, not {claim_text} ({detail})")
        else:
            reason = f"not verifiable: {scope_text}; {among}, consistent with {claim_text} ({detail})"
            outcome = None  # a broader rank is never proved by a subset of cities
            if lacking or inferred:
                reason += "; " + "; ".join(lacking + ([_inferred_text(inferred)] if inferred else []))
    else:
        outcome = _compare(_Interval(best, worst), claim.operator, claim.target)
        unproven = list(lacking)
        if inferred:
            unproven.append(_inferred_text(inferred))
        if ranked < 2:
            unproven.append(f"only {ranked} city has a usable value, and a rank among fewer than 2 cities proves nothing")
        if outcome is True and unproven:
            outcome = None   # never supported on missing, year-inferred or single-city data
            reason = f"not verifiable: {'; '.join(unproven)}; {among}, consistent with {claim_text} ({detail})"
        else:
            reason = {True: f"supported: {among}, so {claim_text} holds ({detail})",
                      False: f"contradicted: {among}, not {claim_text} ({detail})"
                             + ("; also " + "; ".join(unproven) if unproven else ""),
                      None: f"not verifiable: {among}, which can neither show nor rule out {claim_text} ({detail})"
                            + ("; " + "; ".join(unproven) if unproven else "")}[outcome]
    extra = []
    usable = [c for c in others if c.status == "ok"]
    if usable:
        frame = _point_frame([focus, *usable])
        ranks = metrics.rank(frame, {claim.indicator: direction}, focus=claim.city,
                             peers=[c.city for c in usable], indicators=[claim.indicator])
        mine = ranks.loc[ranks["city"].eq(claim.city) & ranks["year"].eq(year)].iloc[0]
        extra.append(f"point-value rank (analysis.metrics.rank, {year}): {_plain_number(mine['rank'])} of "
                     f"{int(mine['n_ranked'])} cities with a usable value" + _flags_note([focus, *usable]))
    return _Result(_verdict(outcome), reason, cells, extra, missing)


# ------------------------------------------------------------------------ evaluation

def evaluate_claims(claims: pd.DataFrame, observations: pd.DataFrame, sources: pd.DataFrame,
                    catalogue: pd.DataFrame, *, independent_only: bool = True,
                    approximate_tolerance: float = 0.05, proxy_year: bool = True) -> pd.DataFrame:
    """A verdict for each claim of the ledger, with the reason and the evidence used.

    Pure: frames in, frame out; nothing is read or written and the inputs are not changed.

    Parameters
    ----------
    claims : pandas.DataFrame
        The ledger (:func:`load_claims`).
    observations : pandas.DataFrame
        All observation rows, including non-preferred ones, as
        ``analysis.load_observations(preferred_only=False)`` returns them: ``city``,
        ``year``, ``indicator``, ``value``, ``source_id``; optional ``unit``,
        ``preferred`` (absent = True), ``lower_bound``, ``approximate``,
        ``year_inferred`` (absent = False), ``vintage``.
    sources : pandas.DataFrame
        The sources table (:func:`analysis.load_sources`): ``source_id`` (column or
        index), ``title``, ``url``; optional ``publisher``, ``source_type``. Rows whose
        source is the report itself are found with :func:`report_source_ids`.
    catalogue : pandas.DataFrame
        The indicator catalogue (:func:`analysis.load_catalogue`): ``code`` (column or
        index), ``unit``, ``direction``.
    independent_only : bool, default True
        Use only rows whose source is not the report itself. False also uses the report's
        own rows (circular: the reason says so).
    approximate_tolerance : float, default 0.05
        Relative half-width given to an ``approximate`` figure (rounded "1.1万",
        "about", preliminary): X allows X x (1 +- 0.05).
    proxy_year : bool, default True
        Add the ``"nearest common year (proxy)"`` line for ordering and computed-rank
        claims whose year lacks a usable value for some city.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`VERDICT_COLUMNS`, one ``"as stated"`` row per claim in ledger order,
        each followed by its proxy line if any: ``check`` (:data:`CHECKS`),
        ``claim_year`` (the ledger year) and ``year`` (the year checked: the proxy year on
        a proxy line), ``verdict`` (:data:`VERDICTS`), ``reason`` (one sentence starting
        with the verdict), ``evidence`` (every figure looked at: value, unit, flags,
        source id and title, whether it is the report itself, preferred or not,
        conflicting values; point gaps or ranks from :mod:`analysis.metrics`),
        ``source_ids`` (``;``-joined ids of the rows used), ``report_source_ids`` (ids of
        the report's own rows for the cells looked at, used or not), ``sources``
        (readable citations of the rows used) and the ledger fields.

    Raises
    ------
    InvalidArgumentError
        (a ValueError) for an unknown kind (allowed: :data:`CLAIM_KINDS`) or operator
        (allowed: :data:`OPERATORS`) and other malformed claims (:func:`check_claims`),
        missing observation columns, a threshold or equality claim whose unit differs
        from the catalogue unit, or a negative ``approximate_tolerance``.

    Notes
    -----
    ``supported`` means every value the evidence allows satisfies the claim;
    ``contradicted`` means none does. A claim without an indicator, or with one the
    catalogue lacks, is not verifiable ("indicator not in catalogue"). A ``national`` or
    ``global`` rank computed from the cities in the data is never supported: at most it
    is consistent, or contradicted when more cities than the claimed rank allows are
    certainly ahead. A ``peers`` rank is never supported with a listed city missing or
    fewer than 2 cities ranked, and no claim is supported or contradicted by a figure
    whose year is inferred.
    """
    parsed = _parse_claims(claims)
    _require(observations, _OBS_REQUIRED, name="observations",
             hint="analysis.load_observations(preferred_only=False)")
    if not (isinstance(approximate_tolerance, (int, float)) and 0 <= approximate_tolerance < 1):
        raise InvalidArgumentError(f"approximate_tolerance must be a number in [0, 1); got {approximate_tolerance!r}.")
    table = metrics._catalogue_table(catalogue, ("unit", "direction"))
    source_table = _source_table(sources)
    data = _Data(observations, source_table, report_source_ids(source_table), table["unit"].map(_text).to_dict(),
                 independent_only=independent_only, approximate_tolerance=float(approximate_tolerance))

    rows = []
    for claim in parsed:
        if not claim.indicator or claim.indicator not in table.index:
            name = f"'{claim.indicator}' " if claim.indicator else ""
            rows.append(_row(claim, AS_STATED, claim.year, _Result(
                NOT_VERIFIABLE, f"not verifiable: indicator {name}not in catalogue", [],
                ["no catalogue series measures this claim, so no figure was looked at"]), data))
            continue
        unit = _text(table.loc[claim.indicator, "unit"])
        if claim.kind in ("threshold", "equality") and claim.unit and unit and claim.unit != unit:
            raise InvalidArgumentError(f"claim {claim.claim_id}: unit {claim.unit!r} differs from the catalogue "
                                       f"unit {unit!r} of {claim.indicator}; state the target in the catalogue unit.")
        published_rank = unit == "rank"
        result = _evaluate_one(claim, data, claim.year, table, published_rank)
        rows.append(_row(claim, AS_STATED, claim.year, result, data))
        multi_city = claim.kind == "ordering" or (claim.kind == "rank" and not published_rank)
        if proxy_year and multi_city and result.missing_cells:
            proxy = _nearest_common_year(claim, data, published_rank)
            if proxy is None:
                rows[-1]["reason"] += "; no year in which every city has a usable value, so no proxy check"
            else:
                rows[-1]["reason"] += f"; see the proxy check on {proxy}"
                proxied = _evaluate_one(claim, data, proxy, table, published_rank)
                proxied.reason = (f"proxy check on {proxy}, the nearest year in which every city has a usable "
                                  f"value (the claim is about {claim.year}): {proxied.reason}")
                rows.append(_row(claim, PROXY, proxy, proxied, data))
    out = pd.DataFrame(rows, columns=list(VERDICT_COLUMNS))
    for column in ("claim_year", "base_year", "year"):
        out[column] = out[column].astype("Int64")
    out["ledger_version"] = pd.to_numeric(out["ledger_version"], errors="coerce").astype("Int64")
    for column in ("target", "tolerance"):
        out[column] = out[column].astype(float)
    return out


def _evaluate_one(claim: _Claim, data: _Data, year: int, catalogue: pd.DataFrame, published_rank: bool) -> _Result:
    if claim.kind in ("threshold", "equality") or (claim.kind == "rank" and published_rank):
        return _single(claim, data, year)
    if claim.kind == "ratio":
        return _ratio(claim, data, year)
    if claim.kind == "ordering":
        return _ordering(claim, data, year)
    if claim.kind == "rank":
        return _rank(claim, data, year, catalogue)
    raise InvalidArgumentError(f"unknown kind {claim.kind!r}; allowed kinds: {', '.join(CLAIM_KINDS)}.")


def _nearest_common_year(claim: _Claim, data: _Data, published_rank: bool) -> int | None:
    """Nearest year (the earlier on a tie) other than the claim year in which every city has a usable value."""
    cities = [claim.city, *claim.other_cities]
    if claim.kind == "rank" and not claim.other_cities:
        cities = sorted({c for (c, _, code) in data.rows if code == claim.indicator} | {claim.city})
    years = None
    for city in cities:
        usable = data.usable_years(city, claim.indicator)
        years = usable if years is None else years & usable
    years = sorted((years or set()) - {claim.year}, key=lambda y: (abs(y - claim.year), y))
    return years[0] if years else None


def _row(claim: _Claim, check: str, year: int, result: _Result, data: _Data) -> dict:
    used = [sid for cell in result.cells for sid in cell.used_ids]
    report = sorted({sid for cell in result.cells for sid in cell.report_ids})
    evidence = [cell.evidence for cell in result.cells] + list(result.extra_evidence)
    reason = result.reason
    if any(cell.circular for cell in result.cells if cell.status == "ok"):
        reason += " (evidence includes the report itself: circular)"
    return {
        "claim_id": claim.claim_id, "ledger_version": claim.ledger_version, "check": check,
        "section": claim.section, "kind": claim.kind, "indicator": claim.indicator, "city": claim.city,
        "other_cities": " ".join(claim.other_cities), "claim_year": claim.year, "base_year": claim.base_year,
        "year": year, "operator": claim.operator, "target": claim.target, "tolerance": claim.tolerance,
        "scope": claim.scope, "unit": claim.unit, "verdict": result.verdict, "reason": reason,
        "evidence": " | ".join(e for e in evidence if e) or "no figures looked at",
        "source_ids": ";".join(dict.fromkeys(used)), "report_source_ids": ";".join(report),
        "sources": data.source_text(used), "claim_zh": claim.claim_zh, "gist_en": claim.gist_en,
    }


# ----------------------------------------------------------------------- presentation

def verdict_counts(verdicts: pd.DataFrame, *, check: str | None = AS_STATED) -> pd.DataFrame:
    """How many claims got each verdict.

    Parameters
    ----------
    verdicts : pandas.DataFrame
        Result of :func:`evaluate_claims`.
    check : str or None, default "as stated"
        Count only rows with this ``check`` (:data:`CHECKS`); None counts every row,
        proxy lines included.

    Returns
    -------
    pandas.DataFrame
        Columns ``verdict`` and ``count`` (int), one row per verdict in :data:`VERDICTS`
        order, zeros included. ``dict(zip(out.verdict, out["count"]))`` gives a
        JSON-ready mapping.
    """
    if check is not None and check not in CHECKS:
        raise InvalidArgumentError(f"unknown check {check!r}; use one of: {', '.join(map(repr, CHECKS))} or None.")
    _require(verdicts, ("verdict", "check"))
    rows = verdicts if check is None else verdicts.loc[verdicts["check"].eq(check)]
    unknown = sorted(set(rows["verdict"]) - set(VERDICTS))
    if unknown:
        raise InvalidArgumentError(f"unknown verdict(s) {', '.join(map(repr, unknown))}; verdicts are: "
                                   f"{', '.join(VERDICTS)}.")
    counts = rows["verdict"].value_counts()
    return pd.DataFrame({"verdict": list(VERDICTS),
                         "count": [int(counts.get(v, 0)) for v in VERDICTS]})


_ZH = {
    "columns": {"claim_id": "编号", "check": "核对方式", "claim": "论断（原文）", "gist": "要点（英文）",
                "kind": "类型", "year": "年份", "verdict": "结论", "reason": "理由", "evidence": "证据",
                "sources": "来源"},
    "verdict": {SUPPORTED: "得到支持", CONTRADICTED: "与数据不符", NOT_VERIFIABLE: "无法核实"},
    "check": {AS_STATED: "按原文", PROXY: "最近共同年份（替代核对）"},
    "kind": {"threshold": "阈值", "rank": "排名", "ratio": "倍数", "ordering": "高低比较", "equality": "数值"},
}


def claims_table(verdicts: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The verdicts as a table to read or copy: one row per claim (and proxy line).

    Parameters
    ----------
    verdicts : pandas.DataFrame
        Result of :func:`evaluate_claims`.
    lang : {"en", "zh"}, default "en"
        Language of the headers and of the verdict, check and kind labels (claim text is
        Chinese, gist, reason and evidence English in both).

    Returns
    -------
    pandas.DataFrame
        Columns claim_id, check, claim (the report's text), gist, kind, year (the year
        checked), verdict, reason, evidence, sources; a fresh RangeIndex.
    """
    check_language(lang)
    _require(verdicts, ("claim_id", "check", "claim_zh", "gist_en", "kind", "year", "verdict", "reason",
                        "evidence", "sources"))
    out = pd.DataFrame({
        "claim_id": verdicts["claim_id"].to_numpy(), "check": verdicts["check"].to_numpy(),
        "claim": verdicts["claim_zh"].to_numpy(), "gist": verdicts["gist_en"].to_numpy(),
        "kind": verdicts["kind"].to_numpy(), "year": verdicts["year"].astype("Int64").to_numpy(),
        "verdict": verdicts["verdict"].to_numpy(), "reason": verdicts["reason"].to_numpy(),
        "evidence": verdicts["evidence"].to_numpy(), "sources": verdicts["sources"].to_numpy(),
    })
    if lang == "zh":
        for column in ("verdict", "check", "kind"):
            out[column] = out[column].map(lambda v, c=column: _ZH[c].get(v, v))
        out = out.rename(columns=_ZH["columns"])
    return out


def _require(frame: pd.DataFrame, columns, *, name: str = "verdicts",
             hint: str = "the result of evaluate_claims()") -> None:
    """Raise unless ``frame`` is a DataFrame with ``columns``; the message names ``hint``."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, not {type(frame).__name__}.")
    absent = [c for c in columns if c not in frame.columns]
    if absent:
        raise InvalidArgumentError(f"{name} lack column(s) {', '.join(absent)}; pass {hint}.")
