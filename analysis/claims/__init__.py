"""Check the report's quantitative claims, and its 2019 plan's targets, against the sourced data.

The claim ledger (``data/claims.csv``, resource ``claims`` of ``data/datapackage.json``)
lists what the Guangzhou S&T Bureau's 2018 report (``seeds/000_1da18392a39b6ff1.txt``)
says about Guangzhou's position and gaps, and the quantitative targets its 2019 plan
(section 三) sets: the Chinese text, an English gist, the catalogue indicator (or a
related series that cannot stand in), the cities, the year(s) and the kind:

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
``target``
    A target of the 2019 plan (ids ``T01``...): the city's value in ``year`` against
    ``target`` with ``operator``, or with a ``base_year`` (翻番) the value in ``year`` over
    the value in ``base_year``. A ``base_year`` equal to ``year`` means the plan counts from
    its own start: that year's figure is the base, so the outcome is not verifiable.

:func:`evaluate_claims` gives each claim one verdict from :data:`VERDICTS` (each target one
from :data:`TARGET_VERDICTS`: met, missed, not verifiable) with the reason as a code
(:data:`REASON_CODES`) and its fields, and the evidence as items (values, years, flags,
source ids, publishers): codes and numbers, no wording. :func:`claims_table` words them in
English or Chinese through the message catalogue (``claims.*`` keys of
``analysis/messages.yml``); :func:`verdict_counts` counts them, targets apart from claims.

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
* **A related series cannot stand in**: a row that no catalogue series measures is not
  verifiable; when a related but different series exists (``related_indicator``, e.g. the
  city's S&T fund of funds for the plan's industrialisation guidance fund), the reason
  names it and says it cannot stand in.
* **Missing years are not bridged**: a missing cell makes the claim not verifiable, naming
  the cell. For claims about several cities (ordering, computed rank), a separate line
  with ``check`` = ``"nearest common year (proxy)"`` repeats the check in the nearest year
  in which every city has a usable value. It never replaces the ``"as stated"`` verdict.

The package: :mod:`~analysis.claims.ledger` loads and checks the ledger,
:mod:`~analysis.claims.evidence` picks the figure each claim is checked against,
:mod:`~analysis.claims.verdicts` applies the rules above and
:mod:`~analysis.claims.wording` words the verdicts in English or Chinese.
"""

from ..errors import InvalidArgumentError
from .ledger import (
    CLAIM_COLUMNS,
    CLAIM_KINDS,
    OPERATORS,
    RANK_SCOPES,
    REPORT_TITLE,
    REPORT_URL,
    TARGET,
    check_claims,
    load_claims,
    report_source_ids,
)
from .verdicts import (
    AS_STATED,
    CHECKS,
    CONTRADICTED,
    MET,
    MISSED,
    NOT_VERIFIABLE,
    PROXY,
    REASON_CODES,
    SUPPORTED,
    TARGET_VERDICTS,
    VERDICT_COLUMNS,
    VERDICTS,
    evaluate_claims,
)
from .wording import GROUPS, TABLE_COLUMNS, claims_table, column_labels, verdict_counts

__all__ = [
    "AS_STATED", "CHECKS", "CLAIM_COLUMNS", "CLAIM_KINDS", "CONTRADICTED", "GROUPS", "InvalidArgumentError", "MET",
    "MISSED", "NOT_VERIFIABLE", "OPERATORS", "PROXY", "RANK_SCOPES", "REASON_CODES", "REPORT_TITLE", "REPORT_URL",
    "SUPPORTED", "TABLE_COLUMNS", "TARGET", "TARGET_VERDICTS", "VERDICTS", "VERDICT_COLUMNS", "check_claims",
    "claims_table", "column_labels", "evaluate_claims", "load_claims", "report_source_ids", "verdict_counts",
]
