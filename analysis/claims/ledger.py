"""The claim ledger: the report's quantitative claims and the 2019 plan's targets, loaded and checked.

``data/claims.csv`` (resource ``claims`` of ``data/datapackage.json``) lists what the
report says, one row each: the Chinese text, an English gist, the catalogue indicator (or
a related series that cannot stand in for it), the cities, the year(s), the kind
(:data:`CLAIM_KINDS`; ``target`` for the plan's targets of section 三), the operator and
target. :func:`parse_claims` types each row and checks that its fields fit its kind;
:func:`report_source_ids` finds the sources that are the report itself.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass

import pandas as pd

from .._frame import require_columns, require_frame, unknown_text
from ..datapackage import read_table
from ..errors import InvalidArgumentError

CLAIM_KINDS = ("threshold", "rank", "ratio", "ordering", "equality", "target")
"""Kinds of ledger row the evaluator understands (``target``: a target of the 2019 plan)."""


TARGET = "target"
"""The kind of the 2019 plan's targets (ids ``T01``...; every other kind is a claim, ``C01``...)."""


OPERATORS = (">", ">=", "<", "<=", "=")
"""Comparison operators of the ledger."""
INEQUALITIES = (">", ">=", "<", "<=")
"""Operators that order two values (every operator but ``=``)."""
RANK_SCOPES = ("national", "global", "peers")
"""Scope of a rank claim: among all Chinese cities, worldwide, or among the listed cities."""


REPORT_URL = "seeds/000_1da18392a39b6ff1.txt"
"""Address of the report in ``sources.csv`` (the package copy)."""


REPORT_TITLE = "广州市科学技术局2018年工作总结和2019年工作安排"
"""Title of the report in ``sources.csv``."""


CLAIM_COLUMNS = ("claim_id", "ledger_version", "section", "claim_zh", "gist_en", "kind", "indicator",
                 "related_indicator", "city", "other_cities", "year", "base_year", "operator", "target", "tolerance",
                 "scope", "unit", "note")
"""Columns of ``claims.csv``, in order."""


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


@dataclass(frozen=True)
class Claim:
    """One ledger row, typed."""

    claim_id: str
    ledger_version: object
    section: str
    claim_zh: str
    gist_en: str
    kind: str
    indicator: str
    related_indicator: str
    city: str
    other_cities: tuple
    year: int
    base_year: int | None
    operator: str
    target: float | None
    tolerance: float
    scope: str
    unit: str

    @property
    def is_target(self) -> bool:
        return self.kind == TARGET


def clean_text(value) -> str:
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
    return tuple(dict.fromkeys(part for part in re.split(r"[\s;,、]+", clean_text(value)) if part))


def parse_claims(claims: pd.DataFrame) -> list[Claim]:
    """Typed claims; InvalidArgumentError naming the claim and the allowed values on any fault."""
    require_columns(claims, ("claim_id", "kind", "indicator", "city", "year", "operator", "target"),
                    name="claim ledger", hint=f"the ledger has columns {', '.join(CLAIM_COLUMNS)}")
    parsed, seen = [], set()
    for position, (_, row) in enumerate(claims.iterrows(), start=1):
        get = row.get
        claim_id = clean_text(get("claim_id")) or f"(row {position})"

        def fail(message: str, claim_id=claim_id):
            raise InvalidArgumentError(f"claim {claim_id}: {message}")

        if claim_id in seen:
            fail("claim_id repeats an earlier row; give every claim its own id.")
        seen.add(claim_id)
        kind, operator = clean_text(get("kind")), clean_text(get("operator"))
        if kind not in CLAIM_KINDS:
            fail(unknown_text([kind], CLAIM_KINDS, what="kind", known_as="allowed kinds"))
        if claim_id[:1] in ("C", "T") and (claim_id[0] == "T") != (kind == TARGET):
            fail("ids of targets start with T and ids of claims with C; "
                 f"this {'target' if kind == TARGET else kind + ' claim'} has id {claim_id}.")
        if operator not in OPERATORS:
            fail(unknown_text([operator], OPERATORS, what="operator", known_as="allowed operators"))
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
        indicator, related = clean_text(get("indicator")), clean_text(get("related_indicator"))
        if related and indicator:
            fail(f"related_indicator {related!r} is only for a row that no series measures; "
                 f"indicator is {indicator!r} (leave one of them empty).")
        city, others, scope = clean_text(get("city")), _cities(get("other_cities")), clean_text(get("scope"))
        if not city:
            fail("city is empty; name the subject city (e.g. Guangzhou).")
        if city in others:
            fail(f"other_cities lists the subject city {city} itself.")
        if scope and scope not in RANK_SCOPES:
            fail(unknown_text([scope], RANK_SCOPES, what="scope", known_as="allowed scopes"))
        if tolerance and operator != "=":
            fail(f"tolerance applies only to operator '='; operator is {operator!r}.")
        if kind == "ordering":
            if operator not in INEQUALITIES:
                fail(f"an ordering claim needs one of the operators {', '.join(INEQUALITIES)}; got {operator!r}.")
            if not others:
                fail("an ordering claim needs other_cities (the cities the subject is compared with).")
            if target is not None:
                fail("an ordering claim has no target; leave it empty.")
        elif target is None:
            fail(f"a {kind} {'row' if kind == TARGET else 'claim'} needs a target.")
        if kind == TARGET and (others or scope):
            fail("a target is about one city; leave other_cities and scope empty.")
        if kind == "threshold" and operator not in INEQUALITIES:
            fail(f"a threshold claim needs one of the operators {', '.join(INEQUALITIES)}; got {operator!r} "
                 "(use kind 'equality' for a stated figure).")
        if kind == "equality" and operator != "=":
            fail(f"an equality claim needs operator '='; got {operator!r} (use kind 'threshold').")
        if kind == TARGET and base_year is not None:
            if int(base_year) > int(year):
                fail("base_year is after year; a target counts from base_year to year.")
            if target <= 0:
                fail("a target with a base_year is a ratio (翻番: >= 2) and needs a positive target.")
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
        parsed.append(Claim(
            claim_id=claim_id, ledger_version=get("ledger_version"), section=clean_text(get("section")),
            claim_zh=clean_text(get("claim_zh")), gist_en=clean_text(get("gist_en")), kind=kind,
            indicator=indicator, related_indicator=related, city=city, other_cities=others, year=int(year),
            base_year=None if base_year is None else int(base_year), operator=operator, target=target,
            tolerance=tolerance or 0.0, scope=scope, unit=clean_text(get("unit"))))
    return parsed


def check_claims(claims=None) -> None:
    """Check that every ledger row is a well-formed claim or target of its kind.

    Parameters
    ----------
    claims : pandas.DataFrame, str, path-like or None
        Ledger rows (columns :data:`CLAIM_COLUMNS`; ``claim_id``, ``kind``, ``indicator``,
        ``city``, ``year``, ``operator`` and ``target`` are required), or a data folder
        whose ledger is read and checked (:func:`load_claims`; None: the default folder).

    Raises
    ------
    DataFileError
        (or a subclass) when a data folder is given and its ledger file is missing or
        malformed.
    InvalidArgumentError
        (a ValueError) naming the claim: unknown kind (allowed: :data:`CLAIM_KINDS`),
        unknown operator (allowed: :data:`OPERATORS`), unknown scope, repeated id, or
        fields that do not fit the kind (an ordering claim or a ``peers`` rank claim
        without ``other_cities``, a ratio claim without ``base_year``, a rank claim without
        ``scope``, a tolerance on an inequality, a target id not starting with ``T`` or a
        claim id with it, a target with ``other_cities`` or a ``base_year`` after its year,
        a ``related_indicator`` beside an ``indicator``, ...).
    """
    if claims is None or isinstance(claims, (str, os.PathLike)):
        load_claims(claims)
    else:
        parse_claims(claims)


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
    table = source_table(sources)
    url = table["url"].map(clean_text) if "url" in table.columns else pd.Series("", index=table.index)
    title = table["title"].map(clean_text) if "title" in table.columns else pd.Series("", index=table.index)
    is_report = url.eq(report_url) | url.str.endswith("/" + report_url) | title.eq(report_title)
    return sorted(map(str, table.index[is_report.to_numpy()]))


def source_table(sources: pd.DataFrame) -> pd.DataFrame:
    """The sources table indexed by ``source_id`` (as text)."""
    require_frame(sources, "sources")
    if "source_id" in sources.columns:
        return sources.set_index(sources["source_id"].astype(str), drop=False).rename_axis(None)
    return sources
