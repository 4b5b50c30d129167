"""The claims notebook: the verdicts on the report's claims and its 2019 plan's targets."""

from __future__ import annotations

import pandas as pd

from .. import claims
from ..formatting import Column, ReaderTable
from ..loading import load_observations
from .context import ReportContext


def claim_verdicts(ctx: ReportContext) -> pd.DataFrame:
    """Verdicts on the report's claims (:mod:`analysis.claims`), from independent sources.

    The ledger is about Guangzhou as the report wrote it, so every city's data is used
    whatever the focus and peers; all rows are passed, so conflicting sources are weighed.
    """
    observations = load_observations(data_dir=ctx.params.data_dir, preferred_only=False)
    return claims.evaluate_claims(claims.load_claims(ctx.params.data_dir), observations, ctx.sources,
                                  ctx.catalogue)


def verdict_counts_table(ctx: ReportContext, verdicts: pd.DataFrame) -> ReaderTable:
    """How many claims (and plan targets) got each verdict; recorded as ``verdict_counts``
    (``{"claim": {verdict: n}, "target": {verdict: n}}``) for the landing page."""
    msg = ctx.msg
    counts = claims.verdict_counts(verdicts, lang=ctx.labels.lang)
    ctx.recorder.value("verdict_counts", {group: dict(zip(part["verdict"], part["count"]))
                                          for group, part in counts.groupby("group", sort=False)})
    columns = [Column("group_label", msg("column.claims_group")), Column("verdict_label", msg("column.verdict")),
               Column("count", msg("column.count"), "number", unit="count")]
    return ReaderTable("verdict_counts", msg("table.verdict_counts"), counts, columns, raw=counts[["group", "verdict",
                                                                                              "count"]])


def claims_table(ctx: ReportContext, verdicts: pd.DataFrame, *, targets: bool = False) -> ReaderTable:
    """Each claim of the report (or, with ``targets``, each target of its 2019 plan) with its
    verdict, reason, evidence and sources, wholly in the reader's language
    (:func:`analysis.claims.claims_table`)."""
    rows = verdicts.loc[verdicts["kind"].eq(claims.TARGET) == targets]
    table = claims.claims_table(rows, lang=ctx.labels.lang, labels=ctx.labels)
    headers = claims.column_labels(ctx.labels.lang)
    kinds = {"year": "year", "claim": "note", "quote": "note", "reason": "note", "evidence": "note",
             "sources": "note"}
    quoted = {"quote"} if ctx.labels.lang == "en" else set()     # the report's own Chinese text
    columns = [Column(key, headers[key], kinds.get(key, "text"), lang="zh-CN" if key in quoted else None)
               for key in table.columns]
    name = "targets" if targets else "claims"
    return ReaderTable(name, ctx.msg(f"table.{name}"), table, columns, raw=rows)


def targets_table(ctx: ReportContext, verdicts: pd.DataFrame) -> ReaderTable:
    """:func:`claims_table` of the 2019 plan's targets."""
    return claims_table(ctx, verdicts, targets=True)
