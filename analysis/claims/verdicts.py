"""Verdicts: each claim against the evidence, with the reason in one sentence.

See :mod:`analysis.claims` for the rules. One function per kind of claim (:func:`_single`
for thresholds, equalities and published ranks, :func:`_ratio`, :func:`_ordering`,
:func:`_rank`); :func:`evaluate_claims` runs them over the ledger and adds the labelled
proxy-year lines.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from .. import metrics
from .._frame import catalogue_table, require_columns, unknown_text
from .._vocab import FLAG_COLUMNS
from ..errors import InvalidArgumentError
from .evidence import Cell, Evidence, Interval, compare, compare_intervals, plain_number
from .ledger import CLAIM_KINDS, Claim, clean_text, parse_claims, report_source_ids, source_table

VERDICTS = ("supported", "contradicted", "not verifiable")
"""The three verdicts, in display order."""


CHECKS = ("as stated", "nearest common year (proxy)")
"""``check`` labels: the claim as the ledger states it, and the labelled proxy-year check."""


AS_STATED, PROXY = CHECKS


SUPPORTED, CONTRADICTED, NOT_VERIFIABLE = VERDICTS


VERDICT_COLUMNS = ("claim_id", "ledger_version", "check", "section", "kind", "indicator", "city",
                   "other_cities", "claim_year", "base_year", "year", "operator", "target", "tolerance",
                   "scope", "unit", "verdict", "reason", "evidence", "source_ids", "report_source_ids",
                   "sources", "claim_zh", "gist_en")
"""Columns of :func:`evaluate_claims`' result, in order."""


_OBS_REQUIRED = ("city", "year", "indicator", "value", "source_id")


def _verdict(outcome: bool | None) -> str:
    return SUPPORTED if outcome is True else CONTRADICTED if outcome is False else NOT_VERIFIABLE


def _claim_text(claim: Claim, target: float | None = None) -> str:
    target = claim.target if target is None else target
    band = f" +- {plain_number(claim.tolerance)}" if claim.operator == "=" and claim.tolerance else ""
    return f"{claim.operator} {plain_number(target)}{band}"


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


def _single(claim: Claim, data: Evidence, year: int) -> _Result:
    """Threshold, equality and published-rank claims: the city's own value against the target."""
    cell = data.cell(claim.city, year, claim.indicator)
    if cell.status != "ok":
        return _Result(NOT_VERIFIABLE, f"not verifiable: {cell.why}", [cell])
    outcome = compare(cell.interval, claim.operator, claim.target, claim.tolerance)
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


def _ratio(claim: Claim, data: Evidence, year: int) -> _Result:
    """Ratio claims: value in ``year`` over value in ``base_year`` against the target."""
    later = data.cell(claim.city, year, claim.indicator)
    earlier = data.cell(claim.city, claim.base_year, claim.indicator)
    cells = [later, earlier]
    lacking = [c.why for c in cells if c.status != "ok"]
    if lacking:
        return _Result(NOT_VERIFIABLE, "not verifiable: " + "; ".join(lacking), cells)
    a, b = later.interval, earlier.interval
    if b.hi <= 0:
        return _Result(NOT_VERIFIABLE, f"not verifiable: {earlier.label} is not positive, ratio undefined", cells)
    lo = a.lo / b.hi if a.lo >= 0 else -math.inf
    hi = math.inf if (b.lo <= 0 or math.isinf(a.hi)) else a.hi / b.lo
    ratio = Interval(lo, hi)
    outcome = compare(ratio, claim.operator, claim.target, claim.tolerance)
    if lo == hi:
        ratio_text = f"{plain_number(later.value)} / {plain_number(earlier.value)} = {plain_number(round(lo, 4))}"
    else:
        ratio_text = (f"({later.describe}) / ({earlier.describe}): between {plain_number(round(lo, 4))} and "
                      f"{plain_number(round(hi, 4)) if math.isfinite(hi) else 'unbounded'}")
    label = f"{claim.city} {claim.indicator} {year} / {claim.base_year}"
    claim_text = _claim_text(claim)
    inferred = _inferred(cells)
    if inferred:   # a ratio of figures that may belong to other years proves or rules out nothing
        return _Result(NOT_VERIFIABLE, f"not verifiable: {_inferred_text(inferred)}; taken as stated, {label} = "
                                       f"{ratio_text}, which would {_would(outcome)} {claim_text}", cells)
    reason = {True: f"supported: {label} = {ratio_text}, so {claim_text} holds",
              False: f"contradicted: {label} = {ratio_text}, not {claim_text}",
              None: f"not verifiable: {label} = {ratio_text}, which can neither show nor rule out "
                    f"{claim_text}"}[outcome]
    return _Result(_verdict(outcome), reason, cells)


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
        outcome = compare_intervals(focus.interval, claim.operator, other.interval)
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


def _gap_evidence(claim: Claim, focus: Cell, others: list, year: int) -> list:
    """Point differences from :func:`analysis.metrics.difference`, as evidence text (still
    labelled ``analysis.metrics.gap``, the name the recorded verdicts carry)."""
    if focus.status != "ok" or not others:
        return []
    frame = _point_frame([focus, *others])
    gaps = metrics.difference(frame, focus=claim.city, peers=[o.city for o in others], indicators=[claim.indicator],
                       year=year)
    text = "; ".join(f"{row.peer} {plain_number(round(row.difference, 6))}" for row in gaps.itertuples())
    unit = gaps["difference_unit"].iloc[0]
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
        better = (compare_intervals(other.interval, ">", focus.interval) if direction > 0
                  else compare_intervals(other.interval, "<", focus.interval))
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
        outcome = compare(Interval(best, math.inf), claim.operator, claim.target)
        if outcome is False:
            reason = (f"contradicted: {len(ahead)} of the cities in the data are certainly ahead, so the "
                      f"{claim.scope} rank is at least {best}, not {claim_text} ({detail})")
        else:
            reason = f"not verifiable: {scope_text}; {among}, consistent with {claim_text} ({detail})"
            outcome = None  # a broader rank is never proved by a subset of cities
            if lacking or inferred:
                reason += "; " + "; ".join(lacking + ([_inferred_text(inferred)] if inferred else []))
    else:
        outcome = compare(Interval(best, worst), claim.operator, claim.target)
        unproven = list(lacking)
        if inferred:
            unproven.append(_inferred_text(inferred))
        if ranked < 2:
            unproven.append(f"only {ranked} city has a usable value, and a rank among fewer than 2 cities "
                            "proves nothing")
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
        extra.append(f"point-value rank (analysis.metrics.rank, {year}): {plain_number(mine['rank'])} of "
                     f"{int(mine['n_ranked'])} cities with a usable value" + _flags_note([focus, *usable]))
    return _Result(_verdict(outcome), reason, cells, extra, missing)


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
            name = f"'{claim.indicator}' " if claim.indicator else ""
            rows.append(_row(claim, AS_STATED, claim.year, _Result(
                NOT_VERIFIABLE, f"not verifiable: indicator {name}not in catalogue", [],
                ["no catalogue series measures this claim, so no figure was looked at"]), data))
            continue
        unit = clean_text(table.loc[claim.indicator, "unit"])
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


def _evaluate_one(claim: Claim, data: Evidence, year: int, catalogue: pd.DataFrame, published_rank: bool) -> _Result:
    if claim.kind in ("threshold", "equality") or (claim.kind == "rank" and published_rank):
        return _single(claim, data, year)
    if claim.kind == "ratio":
        return _ratio(claim, data, year)
    if claim.kind == "ordering":
        return _ordering(claim, data, year)
    if claim.kind == "rank":
        return _rank(claim, data, year, catalogue)
    raise InvalidArgumentError(unknown_text([claim.kind], CLAIM_KINDS, what="kind", known_as="allowed kinds"))


def _nearest_common_year(claim: Claim, data: Evidence, published_rank: bool) -> int | None:
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


def _row(claim: Claim, check: str, year: int, result: _Result, data: Evidence) -> dict:
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
