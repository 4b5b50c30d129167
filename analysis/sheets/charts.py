"""The charts of the tear sheets: trends, differences, shares of the leader and index
ranks, each with its caption.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from .. import plotting, selection
from .._frame import as_list
from ..style import chart_style
from ._base import (
    INDEX_DRAWS,
    panels,
)
from .context import ReportContext


def trend_indicators(ctx: ReportContext, indicators) -> list[str]:
    """:func:`analysis.selection.trend_indicators` on the report's data."""
    return selection.trend_indicators(ctx.data, indicators)


@chart_style()
def trend_figure(ctx: ReportContext, indicators, *, ncols: int | None = None, data=None, cities=None):
    """Small multiples: one trend chart per indicator, focus in red, with source lines and
    one legend for the figure. ``ncols`` defaults to 2 for up to four indicators, else 3.
    ``data`` and ``cities`` default to the report's. None when there is no indicator to draw."""
    codes = as_list(indicators)
    if not codes:
        return None
    data = ctx.data if data is None else data
    cities = ctx.cities if cities is None else list(cities)
    fig, axes = panels(len(codes), ncols, top=0.35)
    for ax, code in zip(axes, codes):
        rows = data.loc[data["indicator"] == code]
        plotting.plot_trend(rows, indicator=code, labels=ctx.labels, focus=ctx.focus, cities=cities,
                            years=ctx.params.years, legend=False, ax=ax,
                            caption=plotting.source_caption(rows, ctx.sources, ctx.labels))
    handles = {}
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(label, handle)
    order = [ctx.labels.city(c) for c in cities]
    labels = sorted(handles, key=lambda lab: order.index(lab) if lab in order else len(order))
    fig.legend([handles[lab] for lab in labels], labels, loc="upper center", ncols=min(len(labels), 6),
               frameon=False, fontsize=9)
    return fig


def show_trends(ctx: ReportContext, indicators, *, name: str = "trends", landing: bool = False,
                ncols: int | None = None) -> None:
    """Show the :func:`trend_figure` of those ``indicators`` that have a trend, one per family
    (:func:`analysis.selection.family_choice`: sibling series count the same thing, and the
    scoreboard lists them all), with its caption."""
    codes = selection.family_choice(trend_indicators(ctx, indicators), ctx.catalogue)
    ctx.show(trend_figure(ctx, codes, ncols=ncols), name, caption=trend_caption(ctx, codes) if codes else "",
             landing=landing)


def trend_caption(ctx: ReportContext, indicators) -> str:
    """Caption of :func:`trend_figure`: what is drawn, the years and the marks."""
    return ctx.msg("caption.trend", indicators=ctx.msg.join(ctx.labels.indicator(c) for c in as_list(indicators)),
                   start=ctx.params.start_year, end=ctx.params.end_year, focus=ctx.labels.city(ctx.focus))


@chart_style()
def leader_shares_figure(ctx: ReportContext, shares: pd.DataFrame):
    """:func:`analysis.plotting.plot_leader_shares` of a finding's series, sized to them."""
    rows = shares["indicator"].nunique()
    fig, ax = plt.subplots(figsize=(8.5, 0.55 * rows + 1.6))
    plotting.plot_leader_shares(shares, labels=ctx.labels, focus=ctx.focus, ax=ax)
    fig.tight_layout()
    return fig


@chart_style()
def difference_figure(ctx: ReportContext, result: pd.DataFrame, indicator: str):
    """Bars of the focus city's difference to each peer for one indicator of :func:`differences`."""
    result = result.loc[result["indicator"] == indicator]
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(result) + 1.8))
    plotting.plot_difference_bars(result, indicator=indicator, labels=ctx.labels, caption=ctx.caption(indicator),
                                  ax=ax)
    fig.tight_layout()
    return fig


def show_difference(ctx: ReportContext, result: pd.DataFrame, indicator: str, *, name: str = "difference",
                    landing: bool = False) -> None:
    """Show the :func:`difference_figure` of one indicator with its caption."""
    rows = result.loc[(result["indicator"] == indicator) & result["difference"].notna()]
    caption = ctx.msg("caption.difference", focus=ctx.labels.city(ctx.focus),
                      indicator=ctx.labels.indicator(indicator)) if len(rows) else ""
    ctx.show(difference_figure(ctx, result, indicator) if len(rows) else None, name, caption=caption,
             landing=landing)


@chart_style()
def rank_figure(ctx: ReportContext, sensitivity):
    """Median rank and 5-95% interval per city under the Monte Carlo draws."""
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(ctx.cities) + 1.4))
    plotting.plot_rank_distribution(sensitivity.ranks, labels=ctx.labels, focus=ctx.focus, ax=ax)
    fig.tight_layout()
    return fig


def show_ranks(ctx: ReportContext, sensitivity) -> None:
    """Show the :func:`rank_figure` with its caption (on the landing page too)."""
    ctx.show(None if sensitivity is None else rank_figure(ctx, sensitivity), "index_ranks", landing=True,
             caption=ctx.msg("caption.index_ranks", draws=INDEX_DRAWS))
