"""One function per chart. Each takes data first, keyword-only options and ``ax=None``
(falls back to the current Axes), labels title and unit, and returns the Axes; showing
and saving are left to the caller. Charts of values mark lower bounds (▲ or "≥" = "at
least") and difference bars hatch differences computed from a bound, so a bound is never
read as a point value; lines break at missing years instead of bridging them, and a city
without a figure keeps its row, marked "no figure".

Each plot runs in the package's chart style (:func:`analysis.style.chart_style`: the
shipped CJK font) for its own call only, so the caller's rcParams are left as they were;
``set_style=False`` draws in the caller's style instead.
"""

from __future__ import annotations

import textwrap
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ._vocab import DEFAULT_FOCUS, PERCENTAGE_POINTS
from .catalogue import Labels
from .style import city_palette, format_change, format_number, styled

LOWER_BOUND_MARKER = "^"


def _axes(ax):
    return ax if ax is not None else plt.gca()


def _lower_bounds(frame: pd.DataFrame) -> pd.Series:
    """The ``lower_bound`` flag of each row (False where the column is absent or missing)."""
    if "lower_bound" not in frame.columns:
        return pd.Series(False, index=frame.index)
    return frame["lower_bound"].eq(True)


def source_caption(data: pd.DataFrame, sources: pd.DataFrame, labels: Labels, *,
                   limit: int = 2, width: int = 48) -> str:
    """A short source note naming the publishers behind ``data`` (most used first)."""
    publishers = data["source_id"].map(sources[labels.publisher_column]).value_counts().index.tolist()
    shown = labels.msg("list.semicolon").join(p if len(p) <= width else p[:width - 1] + "…"
                                              for p in publishers[:limit])
    more = len(publishers) - limit
    if more > 0:
        shown += labels.msg("plot.more_sources", count=more)
    return labels.msg("plot.source", publishers=shown)


def add_source_line(ax, text: str, *, width: int = 80):
    """Write ``text`` under the Axes, small and grey, wrapped at ``width`` characters."""
    ax.annotate("\n".join(textwrap.wrap(text, width)), xy=(0, 0), xycoords="axes fraction",
                xytext=(0, -34), textcoords="offset points", fontsize=7.5, color="#555555", va="top")
    return ax


def _title(text: str, width: int = 48) -> str:
    """A chart title wrapped so small multiples do not overlap (CJK text counts double)."""
    wide = sum(1 for ch in text if ord(ch) > 0x2e80)
    return "\n".join(textwrap.wrap(text, width - wide // 2)) if len(text) + wide > width else text


@styled
def plot_trend(data: pd.DataFrame, *, indicator: str, labels: Labels, focus: str = DEFAULT_FOCUS,
               cities=None, years=None, caption: str | None = None, legend: bool = True,
               ax=None, **kwargs):
    """Lines of one indicator over the years, one per city; the focus city in bold red.

    Parameters
    ----------
    data : tidy observations (preferred rows), any indicators; a ``lower_bound`` column,
        if present, marks lower bounds with ▲.
    indicator : indicator code to draw.
    labels : display labels (language, city and indicator names).
    focus : focus city code (drawn in red, thicker), default "Guangzhou".
    cities : cities to draw, in legend order; default all in ``data``.
    years : (start, end) of the x axis; default the data's range.
    caption : source line under the chart.
    legend : draw a legend on the Axes (small multiples share one figure legend instead).
    set_style : draw in the package's chart style (default) or in the caller's.
    **kwargs : passed to ``Axes.plot``.
    """
    ax = _axes(ax)
    rows = data.loc[data["indicator"] == indicator]
    bound = _lower_bounds(rows)
    cities = list(cities) if cities is not None else sorted(rows["city"].unique())
    colors = city_palette(cities, focus)
    for city in cities:
        series = rows.loc[rows["city"] == city].sort_values("year")
        if series.empty:
            continue
        # reindex on every year so a missing year breaks the line instead of bridging it
        every_year = range(int(series["year"].min()), int(series["year"].max()) + 1)
        line = series.set_index("year")["value"].reindex(every_year)
        ax.plot(line.index, line.to_numpy(), marker="o", color=colors[city],
                linewidth=2.6 if city == focus else 1.6, label=labels.city(city), **kwargs)
        bounds = series.loc[bound.loc[series.index]]
        ax.scatter(bounds["year"], bounds["value"], marker=LOWER_BOUND_MARKER, s=70,
                   color=colors[city], zorder=3)
    if bound.any():
        ax.scatter([], [], marker=LOWER_BOUND_MARKER, color="#555555",
                   label=labels.msg("plot.lower_bound"))
    if years is not None:
        ax.set_xlim(years[0] - 0.5, years[1] + 0.5)
    ax.xaxis.get_major_locator().set_params(integer=True)
    if labels.catalogue.at[indicator, "direction"] == -1 and not ax.yaxis_inverted():
        ax.invert_yaxis()  # lower is better (a rank): best at the top
    ax.set_title(_title(labels.indicator(indicator)))
    ax.set_ylabel(labels.unit(indicator))
    ax.set_xlabel(labels.msg("plot.year"))
    if legend:
        ax.legend(frameon=False, fontsize=8)
    ax.grid(alpha=0.3)
    if caption:
        add_source_line(ax, caption)
    return ax


@styled
def plot_city_values(values: pd.DataFrame, *, indicator: str, labels: Labels, focus: str = DEFAULT_FOCUS,
                     names=None, caption: str | None = None, ax=None, **kwargs):
    """Horizontal bars of one value per city, each labelled with the year it refers to.

    ``values`` has columns city, year, value and optionally lower_bound (as returned by
    :func:`analysis.metrics.latest_comparable_year`). A city without a figure keeps its
    row, marked "no figure", so a gap in the data stays visible. ``names`` replaces the
    city names on the bars (e.g. with the territory each figure measures).
    """
    ax = _axes(ax)
    colors = city_palette(values["city"].tolist(), focus)
    names = [labels.city(c) for c in values["city"]] if names is None else list(names)
    ax.barh(names, values["value"].fillna(0), color=[colors[c] for c in values["city"]], **kwargs)
    for name, value, year, bound in zip(names, values["value"], values["year"], _lower_bounds(values)):
        text = (labels.msg("plot.no_figure") if pd.isna(value)
                else f"{'≥' if bound is True else ''}{format_number(value)} ({int(year)})")
        ax.annotate(text, (0 if pd.isna(value) else value, name), xytext=(3, 0), textcoords="offset points",
                    va="center", fontsize=8, color="#888888" if pd.isna(value) else "black")
    ax.invert_yaxis()
    ax.set_title(_title(labels.indicator(indicator)))
    ax.set_xlabel(labels.unit(indicator))
    ax.margins(x=0.2)
    if caption:
        add_source_line(ax, caption)
    return ax


@styled
def plot_coverage(flags: pd.DataFrame, *, labels: Labels, ax=None, **kwargs):
    """Heatmap of how many years are known per indicator (rows) and city (columns).

    ``flags`` is :func:`analysis.tables.year_coverage` output. Empty cells (0) are data
    gaps, not performance gaps.
    """
    ax = _axes(ax)
    counts = (flags.sum(axis=1).unstack("city")  # unstack sorts: restore the given order
              .reindex(index=flags.index.unique("indicator"), columns=flags.index.unique("city")))
    years = flags.shape[1]
    image = ax.imshow(counts.to_numpy(dtype=float), cmap="Blues", vmin=0, vmax=years, aspect="auto",
                      interpolation="nearest", **kwargs)
    for (row, column), count in np.ndenumerate(counts.to_numpy()):
        if count:  # an empty cell stays empty: a gap in the data
            ax.text(column, row, str(count), ha="center", va="center", fontsize=7,
                    color="white" if count > years / 2 else "#1d1d1f")
    ax.set_xticks(range(counts.shape[1]), [labels.city(code) for code in counts.columns])
    ax.set_yticks(range(counts.shape[0]), [labels.indicator(code) for code in counts.index], fontsize=8)
    ax.xaxis.tick_top()
    ax.set_xticks(np.arange(-0.5, counts.shape[1]), minor=True)
    ax.set_yticks(np.arange(-0.5, counts.shape[0]), minor=True)
    ax.grid(which="minor", color="white", linewidth=0.8)
    ax.tick_params(which="minor", length=0)
    ax.figure.colorbar(image, ax=ax, label=labels.msg("plot.years_with_data"), fraction=0.04)
    ax.set_title(labels.msg("plot.coverage_title", start=flags.columns.min(), end=flags.columns.max()))
    ax.set_xlabel("")
    ax.set_ylabel("")
    return ax


@styled
def plot_difference_bars(differences: pd.DataFrame, *, indicator: str, labels: Labels,
                         column: str = "difference", caption: str | None = None, ax=None, **kwargs):
    """Bars of the focus city's difference to each peer for one indicator.

    ``differences`` is :func:`analysis.metrics.difference` output (columns focus, peer,
    ``column``, difference_unit, focus_year, peer_year, lower_bound). Bars are red where
    the focus city is behind and green where it is ahead, judged by the catalogue
    direction (for a rank, a negative difference is ahead). A difference computed from a
    lower bound is hatched and labelled "bound"; a peer without a difference keeps its row,
    marked "no figure".
    """
    ax = _axes(ax)
    direction = labels.catalogue.at[indicator, "direction"]
    names = [labels.city(p) for p in differences["peer"]]
    values = differences[column]
    behind = values * (direction if direction else 1) < 0
    for name, value, is_behind, bound in zip(names, values, behind, _lower_bounds(differences)):
        ax.barh(name, 0 if pd.isna(value) else value, color="#c0392b" if is_behind else "#1e8449",
                hatch="//" if bound else None, edgecolor="white" if bound else None, **kwargs)
    for name, value, fy, py, bound in zip(names, values, differences["focus_year"], differences["peer_year"],
                                          _lower_bounds(differences)):
        if pd.isna(value):
            ax.annotate(labels.msg("plot.no_figure"), (0, name), xytext=(3, 0),
                        textcoords="offset points", va="center", fontsize=8, color="#888888")
            continue
        years = f"{int(fy)}" if fy == py else f"{int(fy)} / {int(py)}"
        bound_text = labels.msg("plot.bound") if bound else ""
        ax.annotate(f"{format_change(value)} ({years}{bound_text})", (value, name),
                    xytext=(3 if value >= 0 else -3, 0), textcoords="offset points", va="center",
                    ha="left" if value >= 0 else "right", fontsize=8)
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.invert_yaxis()
    focus = labels.city(differences["focus"].iloc[0]) if len(differences) else ""
    ax.set_title(_title(labels.msg("plot.difference_title", focus=focus, indicator=labels.indicator(indicator)), 60))
    unit = differences["difference_unit"].iloc[0] if column == "difference" and len(differences) \
        else labels.unit(indicator)
    ax.set_xlabel(labels.unit_name(unit) if unit == PERCENTAGE_POINTS else labels.unit(indicator))
    ax.margins(x=0.25)
    if caption:
        add_source_line(ax, caption)
    return ax


_GAP_COLUMNS = {"gap_abs": "difference", "gap_abs_unit": "difference_unit", "gap_ratio": "ratio",
                "gap_pct": "difference_pct"}


def plot_gap_bars(gaps: pd.DataFrame, *, indicator: str, labels: Labels, column: str = "gap_abs", **kwargs):
    """Deprecated: :func:`plot_difference_bars` for the output of the deprecated
    :func:`analysis.metrics.gap` (columns ``gap_abs``, ...)."""
    warnings.warn("plotting.plot_gap_bars is deprecated; use plot_difference_bars with metrics.difference.",
                  DeprecationWarning, stacklevel=2)
    return plot_difference_bars(gaps.rename(columns=_GAP_COLUMNS), indicator=indicator, labels=labels,
                                column=_GAP_COLUMNS.get(column, column), **kwargs)


@styled
def plot_rank_distribution(ranks: pd.DataFrame, *, labels: Labels, focus: str = DEFAULT_FOCUS, ax=None,
                           **kwargs):
    """Median rank and 5-95% interval per city from the index sensitivity analysis.

    ``ranks`` has columns city, rank_median, rank_p05, rank_p95 (1 = best).
    """
    ax = _axes(ax)
    ranks = ranks.sort_values("rank_median")
    colors = city_palette(ranks["city"].tolist(), focus)
    names = [labels.city(c) for c in ranks["city"]]
    for name, city, median, low, high in zip(names, ranks["city"], ranks["rank_median"],
                                             ranks["rank_p05"], ranks["rank_p95"]):
        ax.plot([low, high], [name, name], color=colors[city], linewidth=3, alpha=0.5)
        ax.plot([median], [name], "o", color=colors[city], markersize=9, **kwargs)
    ax.set_xlim(0.5, len(ranks) + 0.5)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.invert_yaxis()
    ax.set_xlabel(labels.msg("plot.rank_axis"))
    ax.set_title(labels.msg("plot.rank_title"))
    return ax


@styled
def plot_leader_shares(shares: pd.DataFrame, *, labels: Labels, focus: str = DEFAULT_FOCUS, ax=None, **kwargs):
    """Dots of each city's value as a percentage of the leader's, one row per series.

    ``shares`` is :func:`analysis.findings.leader_shares` output. The focus city is the
    large red dot; a share built on a lower bound or an approximate figure is drawn
    hollow. The leader of each row sits at 100.
    """
    ax = _axes(ax)
    codes = list(dict.fromkeys(shares["indicator"]))
    names = [_title(f"{labels.indicator(c)} ({int(shares.loc[shares['indicator'] == c, 'year'].iloc[0])})", 56)
             for c in codes]
    colors = city_palette(list(dict.fromkeys(shares["city"])), focus)
    for row in shares.itertuples():
        y = codes.index(row.indicator)
        is_focus = row.city == focus
        ax.scatter([row.share], [y], s=120 if is_focus else 55, zorder=3 if is_focus else 2,
                   facecolors="none" if row.bound else colors[row.city], edgecolors=colors[row.city],
                   linewidths=1.5, **kwargs)
    for city in dict.fromkeys(shares["city"]):
        ax.scatter([], [], color=colors[city], s=55, label=labels.city(city))
    ax.set_yticks(range(len(codes)), names, fontsize=8)
    ax.set_ylim(len(codes) - 0.5, -0.5)
    ax.set_xlim(0, 105)
    ax.axvline(100, color="#999999", linewidth=0.8)
    ax.set_xlabel(labels.msg("plot.share_axis"))
    ax.grid(axis="x", alpha=0.3)
    ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.9 / (len(codes) + 1.5)),
              ncols=min(6, len(colors)))
    return ax
