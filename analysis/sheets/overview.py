"""The overview: the composite index with its uncertainty and what the data covers."""

from __future__ import annotations

import pandas as pd

from .. import index, narrative, selection
from .._vocab import CONTEXT_GAP
from ..formatting import Column, Prose, ReaderTable, marks
from ..tables import year_coverage
from ._base import (
    INDEX_DRAWS,
    INDEX_SEED,
    city_marks,
    legend_lines,
    not_computable,
)
from .context import ReportContext


def index_inputs(ctx: ReportContext) -> pd.DataFrame:
    """:func:`analysis.selection.index_inputs` of the report's data: one indicator per
    family, at the latest year every compared city has."""
    return selection.index_inputs(ctx.data, ctx.catalogue, focus=ctx.focus, peers=ctx.peers)


def index_inputs_table(ctx: ReportContext, inputs: pd.DataFrame) -> ReaderTable:
    """``inputs`` as indicator x city values with the gap and the year used."""
    msg, labels = ctx.msg, ctx.labels
    rows = []
    for code, part in inputs.groupby("indicator", sort=False):
        part = part.set_index("city")
        row = {"gap": labels.gap(ctx.catalogue.at[code, "gap"]), "indicator": labels.indicator(code, unit=True),
               "year": int(part["year"].iloc[0]), "unit": part["unit"].iloc[0],
               "marks": city_marks(part, labels)}
        for city in ctx.cities:
            row[f"value_{city}"] = part.at[city, "value"] if city in part.index else None
        rows.append(row)
    columns = [Column("gap", msg("column.gap")), Column("indicator", msg("column.indicator")),
               Column("year", msg("column.year"), "year"),
               *[Column(f"value_{city}", labels.city(city), "number", unit_column="unit") for city in ctx.cities],
               Column("marks", msg("column.marks"), "marks")]
    return ReaderTable("index_inputs", msg("table.index_inputs"), pd.DataFrame(rows), columns,
                       legend=legend_lines(msg), raw=inputs)


def composite_index(ctx: ReportContext, inputs: pd.DataFrame, *, n_draws: int = INDEX_DRAWS, seed: int = INDEX_SEED):
    """Nominal composite index (min-max, arithmetic mean, equal weights) and its sensitivity.

    Returns ``(scores, sensitivity)``: the aggregated scores of every component (index and
    the gaps) per city, and the :class:`analysis.sensitivity.SensitivityResult` of
    ``n_draws`` Monte Carlo draws over weights, normalisation and aggregation (seeded).
    The focus city's index rank with its 5-95% interval is recorded as ``index`` for the
    landing page. Without any input (no indicator all compared cities share a year of)
    nothing can be computed: ``(None, None)``, and ``index`` records ``computable: false``.
    """
    if inputs.empty:
        ctx.recorder.value("index", {"focus": ctx.focus, "cities": len(ctx.cities), "computable": False})
        return None, None
    normalised = index.normalise(inputs, ctx.catalogue, method="n_minmax", by=None)
    scores = index.aggregate(normalised, ctx.catalogue, method="a_amean", by=None)
    result = index.sensitivity(inputs, ctx.catalogue, n_draws=n_draws, seed=seed, by=None,
                               params={"n_dist2ref": {"ref": list(ctx.peers)}})
    ranks = result.ranks.set_index("city")
    gaps_in = [g for g in ctx.labels.gaps.index if g in set(scores["component"])]
    ctx.recorder.value("index", {
        "focus": ctx.focus, "cities": len(ctx.cities), "computable": True, "draws": n_draws, "gaps": gaps_in,
        "rank_nominal": ranks.at[ctx.focus, "rank_nominal"], "rank_median": ranks.at[ctx.focus, "rank_median"],
        "rank_p05": ranks.at[ctx.focus, "rank_p05"], "rank_p95": ranks.at[ctx.focus, "rank_p95"],
        "ranks": result.ranks})
    return scores, result


def index_sentence(ctx: ReportContext, sensitivity) -> Prose:
    """The focus city's composite-index rank with its 5-95% interval, and the gaps it covers."""
    if sensitivity is None:
        return Prose("paragraph", ctx.msg("index.not_computable", cities=len(ctx.cities)))
    ranks = sensitivity.ranks.set_index("city")
    return Prose("paragraph", narrative.index_sentence(
        {"focus": ctx.focus, "cities": len(ctx.cities), "rank_nominal": ranks.at[ctx.focus, "rank_nominal"],
         "rank_p05": ranks.at[ctx.focus, "rank_p05"], "rank_p95": ranks.at[ctx.focus, "rank_p95"]},
        ctx.msg, ctx.labels))


def index_table(ctx: ReportContext, scores: pd.DataFrame, sensitivity) -> ReaderTable:
    """Per city: nominal index score and rank, the rank's median and 5-95% range over the
    draws, and whether a lower bound went into the score."""
    msg, labels = ctx.msg, ctx.labels
    if sensitivity is None:
        return not_computable(ctx, "index")
    ranks = sensitivity.ranks.set_index("city")
    index_rows = scores.loc[scores["component"] == "index"].set_index("city")
    frame = pd.DataFrame({
        "city": [labels.city(c) for c in ctx.cities],
        "score": [index_rows.at[c, "score"] for c in ctx.cities],
        "rank": [ranks.at[c, "rank_nominal"] for c in ctx.cities],
        "median": [ranks.at[c, "rank_median"] for c in ctx.cities],
        "interval": [f"{int(ranks.at[c, 'rank_p05'])}–{int(ranks.at[c, 'rank_p95'])}" for c in ctx.cities],
        "marks": [marks(index_rows.loc[c]) for c in ctx.cities],
    })
    columns = [Column("city", msg("column.city")), Column("score", msg("column.index_score"), "number", unit="score"),
               Column("rank", msg("column.rank_nominal"), "year"),
               Column("median", msg("column.rank_median"), "number", unit="ratio"),
               Column("interval", msg("column.rank_interval")), Column("marks", msg("column.marks"), "marks")]
    return ReaderTable("index", msg("table.index"), frame, columns, legend=[msg("legend.index"), *legend_lines(msg)],
                       raw=sensitivity.ranks)


def gap_scores_table(ctx: ReportContext, scores: pd.DataFrame) -> ReaderTable:
    """Per city, the score of each gap that entered the index (0-1, higher is better)."""
    msg, labels = ctx.msg, ctx.labels
    if scores is None:
        return not_computable(ctx, "gap_scores")
    wide = scores.pivot(index="city", columns="component", values="score")
    gaps = [g for g in labels.gaps.index if g in wide.columns]
    frame = pd.DataFrame({"city": [labels.city(c) for c in ctx.cities],
                          **{g: [wide.at[c, g] for c in ctx.cities] for g in gaps}})
    columns = [Column("city", msg("column.city")),
               *[Column(g, labels.gap(g), "number", unit="score") for g in gaps]]
    return ReaderTable("gap_scores", msg("table.gap_scores"), frame, columns, raw=scores)


def factors_table(ctx: ReportContext, sensitivity) -> ReaderTable:
    """Which choices of the index move the ranks most (share of the rank variance)."""
    msg = ctx.msg
    if sensitivity is None:
        return not_computable(ctx, "index_factors")
    factors = sensitivity.factors
    frame = pd.DataFrame({"factor": [msg("factor." + f.replace(" x ", "_x_")) for f in factors["factor"]],
                          "share": factors["rank_variance_share"] * 100.0})
    columns = [Column("factor", msg("column.factor")),
               Column("share", msg("column.variance_share"), "number", unit="percent")]
    return ReaderTable("index_factors", msg("table.index_factors"), frame, columns, raw=factors)


def coverage_indicators(ctx: ReportContext) -> list[str]:
    """The indicators the coverage chart lists: every indicator of the report's five gaps
    (an indicator no compared city has stays, as an empty row) and the context indicators
    some compared city has."""
    present = set(ctx.data["indicator"])
    table = ctx.catalogue
    return [code for code in table.index if table.at[code, "gap"] != CONTEXT_GAP or code in present]


def show_coverage(ctx: ReportContext) -> None:
    """What the data covers: a sentence, the share of years known per gap and city (recorded
    as ``coverage`` for the landing page) and the years known per indicator and city."""
    from IPython.display import display

    flags = coverage_flags(ctx)
    display(coverage_sentence(ctx, flags))
    display(ctx.table(coverage_by_gap_table(ctx, flags)))
    display(ctx.table(coverage_table(ctx, flags)))


def coverage_flags(ctx: ReportContext) -> pd.DataFrame:
    """Whether each (indicator, city) has a figure in each year of the report's window
    (:func:`analysis.tables.year_coverage` of :func:`coverage_indicators`): the input of the
    coverage sentence and tables."""
    return year_coverage(ctx.data, ctx.params.years, cities=ctx.cities, indicators=coverage_indicators(ctx))


def coverage_sentence(ctx: ReportContext, flags: pd.DataFrame) -> Prose:
    """How much of the report's window holds a figure (``flags``: :func:`coverage_flags`),
    recorded as ``coverage`` (with the share per gap and city, :func:`coverage_by_gap_table`)
    for the landing page."""
    cells = flags.to_numpy()
    by_gap = _coverage_by_gap(ctx, flags)
    summary = {"indicators": int(flags.index.unique("indicator").size), "cities": len(ctx.cities),
               "years": int(flags.shape[1]), "cells": int(cells.size), "known": int(cells.sum()),
               "by_gap": by_gap.to_dict(orient="records")}
    ctx.recorder.value("coverage", summary)
    return Prose("paragraph", narrative.coverage_overall(summary, ctx.msg))


def _coverage_by_gap(ctx: ReportContext, flags) -> pd.DataFrame:
    """Per gap (and context): indicators, and per city the percentage of indicator-years known."""
    per_city = flags.sum(axis=1).unstack("city").reindex(columns=ctx.cities)
    gap_of = ctx.catalogue["gap"].reindex(per_city.index)
    rows = []
    for gap in [*(g for g in ctx.labels.gaps.index if g != CONTEXT_GAP), CONTEXT_GAP]:   # the five gaps first
        part = per_city.loc[gap_of == gap]
        if part.empty:
            continue
        row = {"gap": gap, "indicators": int(len(part))}
        for city in ctx.cities:
            row[city] = float(part[city].sum()) / (len(part) * flags.shape[1]) * 100.0
        rows.append(row)
    return pd.DataFrame(rows, columns=["gap", "indicators", *ctx.cities])


def coverage_by_gap_table(ctx: ReportContext, flags: pd.DataFrame) -> ReaderTable:
    """Per gap: how many indicators, and per city the percentage of indicator-years with a
    figure (``flags``: :func:`coverage_flags`)."""
    msg, labels = ctx.msg, ctx.labels
    raw = _coverage_by_gap(ctx, flags)
    frame = raw.assign(gap_name=raw["gap"].map(labels.gap))
    columns = [Column("gap_name", msg("column.gap")), Column("indicators", msg("column.indicators"), "number",
                                                             unit="count"),
               *[Column(city, labels.city(city), "number", unit="percent") for city in ctx.cities]]
    return ReaderTable("coverage_by_gap", msg("table.coverage_by_gap", start=ctx.params.start_year,
                                               end=ctx.params.end_year), frame, columns,
                       legend=[msg("legend.coverage_by_gap")], raw=raw)


def coverage_table(ctx: ReportContext, flags: pd.DataFrame) -> ReaderTable:
    """Years with a figure per indicator and city in the report's window (``flags``:
    :func:`coverage_flags`): gaps in the data, not in performance."""
    msg, labels = ctx.msg, ctx.labels
    counts = flags.sum(axis=1).unstack("city").reindex(index=flags.index.unique("indicator"), columns=ctx.cities)
    frame = pd.DataFrame({"gap": [labels.gap(ctx.catalogue.at[c, "gap"]) for c in counts.index],
                          "indicator": [labels.indicator(c) for c in counts.index],
                          **{city: counts[city].to_numpy() for city in ctx.cities}})
    columns = [Column("gap", msg("column.gap")), Column("indicator", msg("column.indicator_name")),
               *[Column(city, labels.city(city), "number", unit="count") for city in ctx.cities]]
    raw = counts.reset_index().rename(columns={"index": "indicator"})
    return ReaderTable("coverage", msg("table.coverage", start=ctx.params.start_year, end=ctx.params.end_year,
                                       years=flags.shape[1]), frame, columns,
                       legend=[msg("legend.coverage")], raw=raw)
