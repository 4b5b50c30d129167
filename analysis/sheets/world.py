"""The global view: the focus city against the global innovation hubs, every figure with
the territory it measures.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from .. import findings, narrative, plotting
from ..formatting import Column, Prose, ReaderTable, marks
from ..loading import load_observations
from ..style import chart_style
from ._base import (
    group_cities,
    legend_lines,
)
from .charts import (
    trend_figure,
)
from .context import ReportContext


def global_data(ctx: ReportContext) -> pd.DataFrame:
    """Preferred figures of the focus city and the global hubs in the report's years, at every
    geographic level (each figure says which territory it measures)."""
    return load_observations(cities=[ctx.focus, *group_cities(ctx, "global")], years=ctx.params.years,
                             data_dir=ctx.params.data_dir)


def global_lead(ctx: ReportContext, data: pd.DataFrame) -> dict:
    """The global notebook's opening: title, what it compares, and the finding against the
    hubs (recorded as ``global`` for the landing page); returns the finding."""
    from IPython.display import display

    finding = findings.global_finding(data, focus=ctx.focus, hubs=group_cities(ctx, "global"))
    ctx.recorder.value("global", finding)
    title = ctx.recorder.value("title", ctx.msg("lead.global.title", focus=ctx.labels.city(ctx.focus)))
    sentences = narrative.global_sentences(finding, ctx.msg, ctx.labels)
    clusters = [r for r in finding["ranks"] if r["focus_level"] == "cluster"]
    sentences += [ctx.msg("global.cluster_note", focus=ctx.labels.city(ctx.focus),
                          area=r["focus_area_zh"] if ctx.labels.lang == "zh" else r["focus_area"])
                  for r in clusters[:1]]
    display(Prose("lead", title, intro=ctx.msg("lead.global.text"), sentences=sentences))
    return finding


def global_intensity_table(ctx: ReportContext, finding: dict) -> ReaderTable:
    """Each city's latest R&D intensity with the territory and level it measures: side by
    side, not ranked."""
    msg, labels = ctx.msg, ctx.labels
    items = finding["intensity"]
    frame = pd.DataFrame({
        "city": [labels.city(i["city"]) for i in items],
        "measures": [labels.territory(i["city"], i["level"], i["area"], i["area_zh"]) for i in items],
        "year": [i["year"] for i in items], "value": [i["value"] for i in items],
        "marks": [marks({f: True for f in i["flags"]}) for i in items]})
    columns = [Column("city", msg("column.city")), Column("measures", msg("column.measures")),
               Column("year", msg("column.year"), "year"),
               Column("value", labels.indicator(finding["indicator"], unit=True), "number", unit="percent"),
               Column("marks", msg("column.marks"), "marks")]
    return ReaderTable("global_intensity", msg("table.global_intensity"), frame, columns,
                       legend=[msg("legend.levels"), *legend_lines(msg)], raw=pd.DataFrame(items))


@chart_style()
def global_intensity_figure(ctx: ReportContext, finding: dict):
    """Bars of each city's latest R&D intensity, named with the territory and level it measures."""
    items = finding["intensity"]
    values = pd.DataFrame({"city": [i["city"] for i in items], "year": [i["year"] for i in items],
                           "value": [i["value"] for i in items],
                           "lower_bound": ["lower_bound" in i["flags"] for i in items]})
    names = [narrative.located(i, ctx.labels) for i in items]
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(items) + 1.6))
    plotting.plot_city_values(values, indicator=finding["indicator"], labels=ctx.labels, focus=ctx.focus,
                              names=names, ax=ax)
    fig.tight_layout()
    return fig


def show_global_intensity(ctx: ReportContext, finding: dict) -> None:
    """Show :func:`global_intensity_figure` with its caption (on the landing page too)."""
    ctx.show(global_intensity_figure(ctx, finding) if finding["intensity"] else None, "intensity", landing=True,
             caption=ctx.msg("caption.global_intensity", indicator=ctx.labels.indicator(finding["indicator"])))


def show_global_ranks(ctx: ReportContext, data: pd.DataFrame) -> None:
    """Trend charts of the published global ranks of the focus city and the hubs."""
    codes = [c for c in findings.RANK_SERIES if c in set(data["indicator"])]
    cities = [ctx.focus, *group_cities(ctx, "global")]
    ctx.show(trend_figure(ctx, codes, data=data, cities=cities), "ranks",
             caption=ctx.msg("caption.global_ranks", focus=ctx.labels.city(ctx.focus)) if codes else "")


def global_ranks_table(ctx: ReportContext, finding: dict) -> ReaderTable:
    """Per published rank: the latest edition shared with the hubs, where the focus city
    stands, how many hubs are above it and the nearest one."""
    msg, labels = ctx.msg, ctx.labels
    rows = []
    for rank in finding["ranks"]:
        nearest = next((i for i in rank["ahead"] if i["city"] == rank["nearest"]), None)
        rows.append({"indicator": labels.indicator(rank["indicator"]), "year": rank["year"],
                     "focus": labels.level_label(ctx.focus, rank["focus_level"], rank["focus_area"],
                                                 rank["focus_area_zh"]),
                     "focus_rank": rank["focus_rank"], "ahead": len(rank["ahead"]), "hubs": rank["hubs_ranked"],
                     "nearest": narrative.located(nearest, labels) if nearest else msg("value.none_above"),
                     "nearest_rank": nearest["value"] if nearest else None, "places": rank["places"]})
    columns = [Column("indicator", msg("column.indicator_name")), Column("year", msg("column.edition"), "year"),
               Column("focus", msg("column.focus_measures")), Column("focus_rank", msg("column.rank"), "number",
                                                                      unit="rank"),
               Column("ahead", msg("column.hubs_ahead"), "number", unit="count"),
               Column("hubs", msg("column.hubs_ranked"), "number", unit="count"),
               Column("nearest", msg("column.nearest_above")),
               Column("nearest_rank", msg("column.nearest_rank"), "number", unit="rank"),
               Column("places", msg("column.places"), "number", unit="rank")]
    legend = [msg("legend.levels")] if rows else [msg("legend.no_shared_edition")]
    return ReaderTable("global_ranks", msg("table.global_ranks"), pd.DataFrame(rows, columns=[c.key for c in columns]),
                       columns, legend=legend, raw=pd.DataFrame(finding["ranks"]))
