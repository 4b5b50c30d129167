"""The R&D-intensity sections: the extra spending needed to match each peer and the catch-
up years.
"""

from __future__ import annotations

import pandas as pd

from .. import metrics
from ..formatting import Column, ReaderTable, marks
from ._base import (
    GROWTH_WINDOW,
    legend_lines,
    status_text,
    year_pair,
)
from .context import ReportContext


def extra_spending_table(ctx: ReportContext, *, indicator: str = "rd_intensity", year="common") -> ReaderTable:
    """Extra R&D expenditure (100 million yuan) the focus city would need, at its own GDP,
    to match each peer's R&D intensity (:func:`analysis.metrics.extra_needed_to_match`);
    "already above" where it leads."""
    msg, labels = ctx.msg, ctx.labels
    extra = metrics.extra_needed_to_match(ctx.data, ctx.catalogue, indicator=indicator, focus=ctx.focus,
                                          peers=ctx.peers, year=year)
    legend = legend_lines(msg)
    if year == "common" and extra["extra"].isna().all():   # no common year: each city's own latest, said so
        extra = metrics.extra_needed_to_match(ctx.data, ctx.catalogue, indicator=indicator, focus=ctx.focus,
                                              peers=ctx.peers, year="own")
        legend.insert(0, msg("legend.own_years"))
    left_out = int(extra["extra"].isna().sum())
    extra = extra.loc[extra["extra"].notna()]
    if left_out:
        legend.insert(0, msg("legend.peers_left_out", count=left_out))
    ahead = extra["extra"] <= 0
    numerator = extra["numerator"].iloc[0] if len(extra) else "rd_expenditure"
    denominator = ctx.catalogue.at[indicator, "denominator"]
    frame = pd.DataFrame({
        "peer": extra["peer"].map(labels.city),
        "year": [year_pair(f, p) for f, p in zip(extra["focus_year"], extra["peer_year"])],
        "focus_numerator": extra["focus_numerator"], "focus_denominator": extra["focus_denominator"],
        "focus_ratio": extra["focus_ratio"], "peer_ratio": extra["peer_ratio"],
        "extra": extra["extra"].astype(object).where(~ahead, msg("value.already_above")),
        "extra_pct": extra["extra_pct"].where(~ahead),
        "marks": [marks(row) for _, row in extra.iterrows()],
        "note": [msg("note.peer_ratio_computed") if source == "computed" else ""
                 for source in extra["peer_ratio_source"]],
    })
    columns = [Column("peer", msg("column.peer")), Column("year", msg("column.year_focus_peer"), "year"),
               Column("focus_numerator", labels.indicator(numerator, unit=True), "number",
                      unit=ctx.catalogue.at[numerator, "unit"]),
               Column("focus_denominator", labels.indicator(denominator, unit=True), "number",
                      unit=ctx.catalogue.at[denominator, "unit"]),
               Column("focus_ratio", msg("column.focus_ratio", focus=labels.city(ctx.focus)), "number",
                      unit="percent"),
               Column("peer_ratio", msg("column.peer_ratio"), "number", unit="percent"),
               Column("extra", msg("column.extra", unit=labels.unit(numerator)), "number",
                      unit=ctx.catalogue.at[numerator, "unit"]),
               Column("extra_pct", msg("column.extra_pct"), "number", unit="percent"),
               Column("marks", msg("column.marks"), "marks"), Column("note", msg("column.note"), "note")]
    return ReaderTable("extra_spending", msg("table.extra_spending"), frame, columns, legend=legend, raw=extra)


def catch_up_table(ctx: ReportContext, indicator: str) -> ReaderTable:
    """When the focus city would reach each peer's current level, and overtake the (still
    growing) peer, at both cities' compound growth over the last :data:`GROWTH_WINDOW` years."""
    msg, labels = ctx.msg, ctx.labels
    result = metrics.catch_up(ctx.data, ctx.catalogue, focus=ctx.focus, peers=ctx.peers, indicators=[indicator],
                              window=GROWTH_WINDOW)
    frame = pd.DataFrame({
        "peer": result["peer"].map(labels.city),
        "focus_year": result["focus_year"], "focus_value": result["focus_value"],
        "focus_cagr_pct": result["focus_cagr_pct"], "peer_year": result["peer_year"],
        "peer_value": result["peer_value"], "peer_cagr_pct": result["peer_cagr_pct"],
        "reach": [status_text(s, y, msg) for s, y in zip(result["reach_status"], result["reach_year"])],
        "overtake": [status_text(s, y, msg) for s, y in zip(result["overtake_status"], result["overtake_year"])],
        "unit": result["unit"],
        "marks": [marks(row) for _, row in result.iterrows()],
    })
    focus = labels.city(ctx.focus)
    columns = [Column("peer", msg("column.peer")),
               Column("focus_year", msg("column.city_year", city=focus), "year"),
               Column("focus_value", msg("column.city_value", city=focus), "number", unit_column="unit"),
               Column("focus_cagr_pct", msg("column.city_growth", city=focus), "number", unit="percent per year"),
               Column("peer_year", msg("column.peer_year"), "year"),
               Column("peer_value", msg("column.peer_value"), "number", unit_column="unit"),
               Column("peer_cagr_pct", msg("column.peer_growth"), "number", unit="percent per year"),
               Column("reach", msg("column.reach")), Column("overtake", msg("column.overtake")),
               Column("marks", msg("column.marks"), "marks")]
    return ReaderTable(f"catch_up_{indicator}", msg("table.catch_up", indicator=labels.indicator(indicator)), frame,
                       columns, legend=[msg("legend.catch_up", window=GROWTH_WINDOW,
                                            horizon=metrics.CATCH_UP_HORIZON), *legend_lines(msg)], raw=result)
