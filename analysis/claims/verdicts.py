"""Verdicts: each claim and target against the evidence, with the reason as a code and its fields.

See :mod:`analysis.claims` for the rules. One function per kind of check (:func:`_single`
for thresholds, equalities, published ranks and targets, :func:`_ratio` (also ratio
targets), :func:`_ordering`, :func:`_rank`); :func:`evaluate_claims` runs them over the
ledger and adds the labelled proxy-year lines. A reason is a code from
:data:`REASON_CODES` and a dict of fields (cities, years, indicator codes, figures, source
ids); :mod:`analysis.claims.wording` words it in English or Chinese.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import pandas as pd

from .. import metrics
from .._frame import catalogue_table, require_columns, unknown_text
from .._vocab import FLAG_COLUMNS
from ..errors import InvalidArgumentError
from .evidence import Cell, Evidence, Interval, compare, compare_intervals, finite
from .ledger import CLAIM_KINDS, Claim, clean_text, parse_claims, report_source_ids, source_table

VERDICTS = ("supported", "contradicted", "not verifiable")
"""The verdicts on a claim, in display order."""


TARGET_VERDICTS = ("met", "missed", "not verifiable")
"""The verdicts on a target of the 2019 plan, in display order."""


CHECKS = ("as stated", "nearest common year (proxy)")
"""``check`` codes: the claim as the ledger states it, and the labelled proxy-year check."""


AS_STATED, PROXY = CHECKS


SUPPORTED, CONTRADICTED, NOT_VERIFIABLE = VERDICTS


MET, MISSED, _ = TARGET_VERDICTS


REASON_CODES = (
    "no_series", "unknown_series", "related_series_only", "unusable_cells", "year_inferred",
    "value_holds", "value_fails", "value_open",
    "ratio_holds", "ratio_fails", "ratio_open", "ratio_year_inferred", "ratio_base_not_positive",
    "base_in_target_year",
    "ordering_holds", "ordering_fails", "ordering_open",
    "rank_context_series", "rank_subject_unusable", "rank_holds", "rank_fails", "rank_open", "rank_unproven",
    "rank_broader_fails", "rank_broader_consistent",
)
"""Every ``reason_code``; each has a message ``claims.reason.<code>`` in both languages.

no_series, unknown_series
    No catalogue series measures the row (``indicator`` empty), or its code is not in the catalogue.
related_series_only
    Only a related but different series (``related``) is in the data; it cannot stand in.
unusable_cells
    A figure is missing or only the report gives it (``cells``: problems).
year_inferred, ratio_year_inferred
    A figure's year is inferred, so it decides nothing (``inferred``; ``would``: what it
    would show taken as stated).
value_holds, value_fails, value_open
    The city's figure against the target (``cell``, ``figure``, ``condition``).
ratio_holds, ratio_fails, ratio_open, ratio_base_not_positive
    Value in ``year`` over value in ``base_year`` against the target.
base_in_target_year
    A target counted from the position at the start of its own year: the year's figure is
    the base, and the outcome at the end of the year is not in the data.
ordering_holds, ordering_fails, ordering_open
    The city against each other city (``pairs`` that hold, fail, stay open or decide
    nothing; ``problems``).
rank_context_series, rank_subject_unusable, rank_holds, rank_fails, rank_open, rank_unproven
    A rank computed among the listed cities (``among``, ``detail``, ``unproven``).
rank_broader_fails, rank_broader_consistent
    A national or global rank checked on the cities in the data: contradicted, or at most
    consistent.

Fields every code may carry: ``circular`` (the evidence includes the report itself),
``proxy_year`` (a proxy line follows), ``no_proxy`` (no common year for one) and, on a
proxy line, ``proxy_for`` (the year the claim is about).
"""


VERDICT_COLUMNS = ("claim_id", "ledger_version", "check", "section", "kind", "indicator", "related_indicator",
                   "city", "other_cities", "claim_year", "base_year", "year", "operator", "target", "tolerance",
                   "scope", "unit", "verdict", "reason_code", "reason_fields", "evidence", "source_ids",
                   "report_source_ids", "publishers", "claim_zh", "gist_en")
"""Columns of :func:`evaluate_claims`' result, in order. None holds wording: ``reason_fields``,
``evidence`` and ``publishers`` are JSON text."""


_OBS_REQUIRED = ("city", "year", "indicator", "value", "source_id")

_OUTCOME = {True: "holds", False: "fails", None: "open"}


def _verdict(outcome: bool | None) -> str:
    return SUPPORTED if outcome is True else CONTRADICTED if outcome is False else NOT_VERIFIABLE


def _condition(claim: Claim) -> dict:
    """The claim's comparison as fields: ``{"operator", "target", "tolerance"}``."""
    return {"operator": claim.operator, "target": claim.target,
            "tolerance": claim.tolerance if claim.operator == "=" else 0.0}


@dataclass
class _Result:
    verdict: str
    code: str
    fields: dict
    cells: list
    extra_evidence: list = field(default_factory=list)
    missing_cells: bool = False       # a city lacked a usable value in the year checked

    def __post_init__(self):
        if self.code not in REASON_CODES:   # every code needs its message (tests check the catalogue)
            raise AssertionError(f"reason code {self.code!r} is not in REASON_CODES")


def _inferred(cells: list) -> list:
    """The cells used whose year is inferred (the source gives no year; the data entry inferred it)."""
    return [c for c in cells if c.status == "ok" and c.flags.get("year_inferred")]


def _problems(cells: list) -> list:
    return [c.problem for c in cells if c.status != "ok"]


def _cell_figure(cell: Cell) -> dict:
    return {**cell.ref, "figure": cell.figure}


def _flags_note(cells: list) -> dict:
    """Which figures of point-value evidence are bounds or approximate, and whose year is inferred."""
    return {"bounds": [_cell_figure(c) for c in cells if c.flags.get("lower_bound") or c.flags.get("approximate")],
            "inferred_cities": [c.city for c in cells if c.flags.get("year_inferred")]}


def _single(claim: Claim, data: Evidence, year: int) -> _Result:
    """Threshold, equality, published-rank claims and targets: the city's own value against the target."""
    cell = data.cell(claim.city, year, claim.indicator)
    if cell.status != "ok":
        return _Result(NOT_VERIFIABLE, "unusable_cells", {"cells": _problems([cell])}, [cell])
    outcome = compare(cell.interval, claim.operator, claim.target, claim.tolerance)
    condition = _condition(claim)
    if _inferred([cell]):   # it may be another year's figure: it can neither support nor contradict this year's
        return _Result(NOT_VERIFIABLE, "year_inferred", {"inferred": [_cell_figure(cell)], "year": year,
                                                         "would": _OUTCOME[outcome], "condition": condition}, [cell])
    return _Result(_verdict(outcome), f"value_{_OUTCOME[outcome]}",
                   {"cell": cell.ref, "figure": cell.figure, "condition": condition}, [cell])


def _ratio(claim: Claim, data: Evidence, year: int) -> _Result:
    """Ratio claims and targets: value in ``year`` over value in ``base_year`` against the target."""
    later = data.cell(claim.city, year, claim.indicator)
    earlier = data.cell(claim.city, claim.base_year, claim.indicator)
    cells = [later, earlier]
    if any(c.status != "ok" for c in cells):
        return _Result(NOT_VERIFIABLE, "unusable_cells", {"cells": _problems(cells)}, cells)
    a, b = later.interval, earlier.interval
    if b.hi <= 0:
        return _Result(NOT_VERIFIABLE, "ratio_base_not_positive", {"cell": earlier.ref}, cells)
    lo = a.lo / b.hi if a.lo >= 0 else -math.inf
    hi = math.inf if (b.lo <= 0 or math.isinf(a.hi)) else a.hi / b.lo
    outcome = compare(Interval(lo, hi), claim.operator, claim.target, claim.tolerance)
    fields = {"city": claim.city, "indicator": claim.indicator, "year": year, "base_year": claim.base_year,
              "later": later.figure, "earlier": earlier.figure, "lo": finite(round(lo, 4)),
              "hi": finite(round(hi, 4)), "condition": _condition(claim)}
    inferred = _inferred(cells)
    if inferred:   # a ratio of figures that may belong to other years proves or rules out nothing
        return _Result(NOT_VERIFIABLE, "ratio_year_inferred",
                       {**fields, "inferred": [_cell_figure(c) for c in inferred], "would": _OUTCOME[outcome]}, cells)
    return _Result(_verdict(outcome), f"ratio_{_OUTCOME[outcome]}", fields, cells)


def _base_in_target_year(claim: Claim, data: Evidence, year: int) -> _Result:
    """A target counted from the position at the start of its own year (``base_year`` = ``year``):
    the year's figure in the data is that base, so the outcome at the end of the year is unknown."""
    cell = data.cell(claim.city, year, claim.indicator)
    if cell.status != "ok":
        return _Result(NOT_VERIFIABLE, "unusable_cells", {"cells": _problems([cell])}, [cell])
    return _Result(NOT_VERIFIABLE, "base_in_target_year", {"cell": cell.ref, "figure": cell.figure,
                                                           "condition": _condition(claim)}, [cell])


def _pair(focus: Cell, other: Cell) -> dict:
    return {"city": focus.city, "figure": focus.figure, "other": other.city, "other_figure": other.figure}


def _ordering(claim: Claim, data: Evidence, year: int) -> _Result:
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
        pair_inferred = _inferred([focus, other])
        if pair_inferred:
            uncertain.append({**_pair(focus, other), "inferred": [c.ref for c in pair_inferred]})
            continue
        outcome = compare_intervals(focus.interval, claim.operator, other.interval)
        (holds if outcome is True else fails if outcome is False else open_).append(_pair(focus, other))
    fields = {"city": claim.city, "year": year, "indicator": claim.indicator, "operator": claim.operator,
              "holds": holds, "fails": fails, "open": open_, "uncertain": uncertain, "problems": _problems(cells)}
    if fails:
        verdict, code = CONTRADICTED, "ordering_fails"
    elif not fields["problems"] and not open_ and not uncertain:
        verdict, code = SUPPORTED, "ordering_holds"
    else:
        verdict, code = NOT_VERIFIABLE, "ordering_open"
    extra = _gap_evidence(claim, focus, [o for o in others if o.status == "ok"], year)
    return _Result(verdict, code, fields, cells, extra, missing)


def _gap_evidence(claim: Claim, focus: Cell, others: list, year: int) -> list:
    """Point differences from :func:`analysis.metrics.difference`, as an evidence item."""
    if focus.status != "ok" or not others:
        return []
    frame = _point_frame([focus, *others])
    gaps = metrics.difference(frame, focus=claim.city, peers=[o.city for o in others], indicators=[claim.indicator],
                              year=year)
    return [{"item": "point_gap", "method": "analysis.metrics.difference", "city": claim.city, "year": year,
             "indicator": claim.indicator, "difference_unit": gaps["difference_unit"].iloc[0],
             "differences": [{"peer": row.peer, "difference": round(float(row.difference), 6)}
                             for row in gaps.itertuples()],
             **_flags_note([focus, *others])}]


def _point_frame(cells: list) -> pd.DataFrame:
    """Tidy frame of the values used (one row per cell), as :mod:`analysis.metrics` takes it."""
    unit = cells[0].unit
    frame = pd.DataFrame({
        "city": [c.city for c in cells], "year": [c.year for c in cells],
        "indicator": [c.indicator for c in cells], "value": [c.value for c in cells],
        "unit": [unit] * len(cells),
    })
    for name in FLAG_COLUMNS:
        frame[name] = [bool(c.flags.get(name)) for c in cells]
    return frame


def _rank(claim: Claim, data: Evidence, year: int, catalogue: pd.DataFrame) -> _Result:
    """Rank claims on a series that is not itself a rank: rank among the listed cities.

    Cities without a usable value, or whose year is inferred, count as possibly ahead, so the
    rank range ``best``-``worst`` is sound and can contradict the claim; but it never supports it
    when a listed city lacks a value, a year is inferred or fewer than 2 cities are ranked.
    """
    direction = int(catalogue.loc[claim.indicator, "direction"])
    # a "peers" claim always lists its cities (parse_claims); a national or global claim without
    # them is checked, for consistency only, among every city with rows for the indicator
    cities = claim.other_cities or tuple(sorted({c for (c, _, code) in data.rows if code == claim.indicator}
                                                - {claim.city}))
    focus = data.cell(claim.city, year, claim.indicator)
    others = [data.cell(city, year, claim.indicator) for city in cities]
    cells = [focus, *others]
    missing = any(c.status != "ok" for c in cells)
    n = len(cells)
    broader = claim.scope in ("national", "global")
    scope = {"scope": claim.scope if broader else "", "n": n}
    if direction == 0:
        return _Result(NOT_VERIFIABLE, "rank_context_series", {"indicator": claim.indicator}, cells)
    if focus.status != "ok":
        return _Result(NOT_VERIFIABLE, "rank_subject_unusable", {**scope, "cells": [focus.problem]}, cells,
                       missing_cells=True)
    inferred = _inferred(cells)
    focus_inferred = bool(_inferred([focus]))
    ahead, maybe = [], []
    for other in others:
        if other.status != "ok":
            maybe.append({"city": other.city, "figure": None, "inferred": False})
            continue
        if focus_inferred or other.flags.get("year_inferred"):
            maybe.append({"city": other.city, "figure": other.figure, "inferred": not focus_inferred})
            continue
        better = (compare_intervals(other.interval, ">", focus.interval) if direction > 0
                  else compare_intervals(other.interval, "<", focus.interval))
        if better is True:
            ahead.append({"city": other.city, "figure": other.figure})
        elif better is None:
            maybe.append({"city": other.city, "figure": other.figure, "inferred": False})
    best, worst = 1 + len(ahead), 1 + len(ahead) + len(maybe)
    ranked = 1 + sum(c.status == "ok" for c in others)
    fields = {**scope, "city": claim.city, "best": best, "worst": worst, "condition": _condition(claim),
              "figure": focus.figure, "focus_inferred": focus_inferred, "ahead": ahead, "maybe": maybe}
    unproven = _problems(others) + ([{"problem": "inferred", "cells": [_cell_figure(c) for c in inferred]}]
                                    if inferred else [])
    if broader:
        outcome = compare(Interval(best, math.inf), claim.operator, claim.target)
        if outcome is False:
            result = _Result(CONTRADICTED, "rank_broader_fails", fields, cells)
        else:   # a broader rank is never proved by a subset of cities
            result = _Result(NOT_VERIFIABLE, "rank_broader_consistent", {**fields, "unproven": unproven}, cells)
    else:
        outcome = compare(Interval(best, worst), claim.operator, claim.target)
        if ranked < 2:
            unproven.append({"problem": "too_few", "ranked": ranked})
        if outcome is True and unproven:   # never supported on missing, year-inferred or single-city data
            result = _Result(NOT_VERIFIABLE, "rank_unproven", {**fields, "unproven": unproven}, cells)
        else:
            result = _Result(_verdict(outcome), f"rank_{_OUTCOME[outcome]}", {**fields, "unproven": unproven}, cells)
    usable = [c for c in others if c.status == "ok"]
    if usable:
        frame = _point_frame([focus, *usable])
        ranks = metrics.rank(frame, {claim.indicator: direction}, focus=claim.city,
                             peers=[c.city for c in usable], indicators=[claim.indicator])
        mine = ranks.loc[ranks["city"].eq(claim.city) & ranks["year"].eq(year)].iloc[0]
        result.extra_evidence.append({"item": "point_rank", "method": "analysis.metrics.rank", "city": claim.city,
                                      "year": year, "indicator": claim.indicator, "rank": float(mine["rank"]),
                                      "n_ranked": int(mine["n_ranked"]), **_flags_note([focus, *usable])})
    result.missing_cells = missing
    return result


def evaluate_claims(claims: pd.DataFrame, observations: pd.DataFrame, sources: pd.DataFrame,
                    catalogue: pd.DataFrame, *, independent_only: bool = True,
                    approximate_tolerance: float = 0.05, proxy_year: bool = True) -> pd.DataFrame:
    """A verdict for each claim and target of the ledger, with the reason and the evidence used.

    Pure: frames in, frame out; nothing is read or written and the inputs are not changed.
    The result holds codes, numbers and JSON, no wording: :func:`claims_table` words it.

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
        index), ``title``, ``url``; optional ``publisher_en``, ``publisher_zh``. Rows
        whose source is the report itself are found with :func:`report_source_ids`.
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
        Columns :data:`VERDICT_COLUMNS`, one ``"as stated"`` row per ledger row in ledger
        order, each followed by its proxy line if any: ``check`` (:data:`CHECKS`),
        ``claim_year`` (the ledger year) and ``year`` (the year checked: the proxy year on
        a proxy line), ``verdict`` (:data:`VERDICTS` for a claim, :data:`TARGET_VERDICTS`
        for a target), ``reason_code`` (:data:`REASON_CODES`) and ``reason_fields`` (JSON
        object: cities, years, indicator codes, figures), ``evidence`` (JSON list of
        items: every figure looked at with value, unit, flags, source id, whether it is
        the report itself, preferred or not, conflicting values; point gaps or ranks from
        :mod:`analysis.metrics`), ``source_ids`` (``;``-joined ids of the rows used),
        ``report_source_ids`` (ids of the report's own rows for the cells looked at, used
        or not), ``publishers`` (JSON object: each source id looked at -> ``{"en", "zh"}``
        publisher names) and the ledger fields.

    Raises
    ------
    InvalidArgumentError
        (a ValueError) for an unknown kind (allowed: :data:`CLAIM_KINDS`) or operator
        (allowed: :data:`OPERATORS`) and other malformed rows (:func:`check_claims`),
        missing observation columns, a threshold, equality or target row whose unit
        differs from the catalogue unit, or a negative ``approximate_tolerance``.

    Notes
    -----
    ``supported`` (``met``) means every value the evidence allows satisfies the claim
    (target); ``contradicted`` (``missed``) means none does. A row without an indicator,
    or with one the catalogue lacks, is not verifiable; so is one whose only series is a
    related but different one (``related_indicator``), which never stands in. A
    ``national`` or ``global`` rank computed from the cities in the data is never
    supported: at most it is consistent, or contradicted when more cities than the
    claimed rank allows are certainly ahead. A ``peers`` rank is never supported with a
    listed city missing or fewer than 2 cities ranked, and no claim or target is decided
    by a figure whose year is inferred.
    """
    parsed = parse_claims(claims)
    require_columns(observations, _OBS_REQUIRED, name="observation table",
                    hint="pass analysis.load_observations(preferred_only=False)")
    if not (isinstance(approximate_tolerance, (int, float)) and 0 <= approximate_tolerance < 1):
        raise InvalidArgumentError(f"approximate_tolerance must be a number in [0, 1); got {approximate_tolerance!r}.")
    table = catalogue_table(catalogue, ("unit", "direction"))
    sources = source_table(sources)
    data = Evidence(observations, sources, report_source_ids(sources), table["unit"].map(clean_text).to_dict(),
                    independent_only=independent_only, approximate_tolerance=float(approximate_tolerance))

    rows = []
    for claim in parsed:
        if not claim.indicator or claim.indicator not in table.index:
            rows.append(_row(claim, AS_STATED, claim.year, _no_series(claim), data))
            continue
        unit = clean_text(table.loc[claim.indicator, "unit"])
        single = claim.kind in ("threshold", "equality") or (claim.is_target and claim.base_year is None)
        if single and claim.unit and unit and claim.unit != unit:
            raise InvalidArgumentError(f"claim {claim.claim_id}: unit {claim.unit!r} differs from the catalogue "
                                       f"unit {unit!r} of {claim.indicator}; state the target in the catalogue unit.")
        published_rank = unit == "rank"
        result = _evaluate_one(claim, data, claim.year, table, published_rank)
        rows.append(_row(claim, AS_STATED, claim.year, result, data))
        multi_city = claim.kind == "ordering" or (claim.kind == "rank" and not published_rank)
        if proxy_year and multi_city and result.missing_cells:
            proxy = _nearest_common_year(claim, data)
            stated = json.loads(rows[-1]["reason_fields"])
            stated.update({"no_proxy": True} if proxy is None else {"proxy_year": proxy})
            rows[-1]["reason_fields"] = _json(stated)
            if proxy is not None:
                proxied = _evaluate_one(claim, data, proxy, table, published_rank)
                proxied.fields["proxy_for"] = claim.year
                rows.append(_row(claim, PROXY, proxy, proxied, data))
    out = pd.DataFrame(rows, columns=list(VERDICT_COLUMNS))
    for column in ("claim_year", "base_year", "year"):
        out[column] = out[column].astype("Int64")
    out["ledger_version"] = pd.to_numeric(out["ledger_version"], errors="coerce").astype("Int64")
    for column in ("target", "tolerance"):
        out[column] = out[column].astype(float)
    return out


def _no_series(claim: Claim) -> _Result:
    if claim.related_indicator:
        return _Result(NOT_VERIFIABLE, "related_series_only", {"related": claim.related_indicator}, [],
                       [{"item": "related_series", "indicator": claim.related_indicator}])
    if claim.indicator:
        return _Result(NOT_VERIFIABLE, "unknown_series", {"indicator": claim.indicator}, [], [{"item": "no_series"}])
    return _Result(NOT_VERIFIABLE, "no_series", {}, [], [{"item": "no_series"}])


def _evaluate_one(claim: Claim, data: Evidence, year: int, catalogue: pd.DataFrame, published_rank: bool) -> _Result:
    if claim.is_target:
        result = (_single(claim, data, year) if claim.base_year is None
                  else _base_in_target_year(claim, data, year) if claim.base_year == year
                  else _ratio(claim, data, year))
        result.verdict = {SUPPORTED: MET, CONTRADICTED: MISSED}.get(result.verdict, result.verdict)
        return result
    if claim.kind in ("threshold", "equality") or (claim.kind == "rank" and published_rank):
        return _single(claim, data, year)
    if claim.kind == "ratio":
        return _ratio(claim, data, year)
    if claim.kind == "ordering":
        return _ordering(claim, data, year)
    if claim.kind == "rank":
        return _rank(claim, data, year, catalogue)
    raise InvalidArgumentError(unknown_text([claim.kind], CLAIM_KINDS, what="kind", known_as="allowed kinds"))


def _nearest_common_year(claim: Claim, data: Evidence) -> int | None:
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


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _row(claim: Claim, check: str, year: int, result: _Result, data: Evidence) -> dict:
    used = [sid for cell in result.cells for sid in cell.used_ids]
    report = sorted({sid for cell in result.cells for sid in cell.report_ids})
    looked_at = [sid for cell in result.cells for sid in cell.looked_at_ids]
    fields = dict(result.fields)
    if any(cell.circular for cell in result.cells if cell.status == "ok"):
        fields["circular"] = True
    return {
        "claim_id": claim.claim_id, "ledger_version": claim.ledger_version, "check": check,
        "section": claim.section, "kind": claim.kind, "indicator": claim.indicator,
        "related_indicator": claim.related_indicator, "city": claim.city,
        "other_cities": " ".join(claim.other_cities), "claim_year": claim.year, "base_year": claim.base_year,
        "year": year, "operator": claim.operator, "target": claim.target, "tolerance": claim.tolerance,
        "scope": claim.scope, "unit": claim.unit, "verdict": result.verdict, "reason_code": result.code,
        "reason_fields": _json(fields),
        "evidence": _json([cell.item for cell in result.cells] + list(result.extra_evidence)),
        "source_ids": ";".join(dict.fromkeys(used)), "report_source_ids": ";".join(report),
        "publishers": _json(data.publishers(looked_at)), "claim_zh": claim.claim_zh, "gist_en": claim.gist_en,
    }
