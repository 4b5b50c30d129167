"""Shared pieces of the tear sheets: report constants, the marks and notes of a table row,
and the grid of small multiples.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import pandas as pd

from .. import metrics
from ..catalogue import Labels, city_groups
from ..formatting import ReaderTable, marks

if TYPE_CHECKING:
    from .context import ReportContext

BASE_YEAR = 2018
"""The source report's year: 'since 2018' paragraphs start here."""

GROWTH_WINDOW = 5
"""Years of growth behind the catch-up projections."""

WIDE_CITIES = 6
"""Compared cities up to which a table gives each city a column; beyond, one row per city."""
INDEX_DRAWS, INDEX_SEED = 4000, 2018
"""Monte Carlo draws of the index sensitivity, and their seed (reproducible)."""


def status_text(status, year, msg) -> str:
    if status == "projected":
        return str(int(year))
    return msg(f"status.{status.replace(' ', '_')}", horizon=metrics.CATCH_UP_HORIZON)


def year_pair(focus_year, peer_year):
    if pd.isna(focus_year) or pd.isna(peer_year):
        return None if pd.isna(focus_year) else int(focus_year)
    return int(focus_year) if focus_year == peer_year else f"{int(focus_year)} / {int(peer_year)}"


def other_levels(ctx: ReportContext, indicator: str) -> str:
    """The cities whose figures of ``indicator`` measure another geographic level, labelled
    (``"Tokyo: Japan, national"``), or ``""``."""
    if ctx.set_aside is None or ctx.set_aside.empty:
        return ""
    rows = ctx.set_aside.loc[ctx.set_aside["indicator"] == indicator].drop_duplicates(["city", "level", "area"])
    return ctx.msg.join(ctx.labels.level_label(row.city, row.level, row.area, row.area_zh)
                        for row in rows.itertuples())


def city_marks(part: pd.DataFrame, labels: Labels) -> str:
    """Marks of a per-city row: ``"▲ Guangzhou; ≈ Shenzhen"`` (only the flagged cities)."""
    flagged = [f"{marks(row)} {labels.city(city)}" for city, row in part.iterrows() if marks(row)]
    return labels.msg("list.semicolon").join(flagged)


def vintage_note(row, labels) -> str:
    focus, peer = row.get("focus_vintage") or "", row.get("peer_vintage") or ""
    if focus == peer:
        return ""
    msg = labels.msg
    return msg("note.vintages", focus=labels.vintage(focus) if focus else msg("vintage.none"),
               peer=labels.vintage(peer) if peer else msg("vintage.none"))


def legend_lines(msg) -> list[str]:
    return [msg("legend.marks")]


def panels(count: int, ncols: int | None, size=(5.4, 3.9), *, top: float = 0.0):
    """A grid for ``count`` (>= 1) charts, ``size`` inches each, with fixed room for titles,
    axis labels and source lines (no layout engine: it costs more than drawing the charts),
    and ``top`` inches above for a shared legend; the unused cells are hidden."""
    ncols = min(ncols or (2 if count <= 4 else 3), count)
    nrows = math.ceil(count / ncols)
    width, height = size[0] * ncols, size[1] * nrows + top
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, height), squeeze=False)
    gap_x, gap_y = 1.0, 1.5   # inches between charts: y-axis label; source line, x label and next title
    fig.subplots_adjust(left=1.0 / width, right=1 - 0.25 / width, top=1 - (top + 0.5) / height,
                        bottom=1.0 / height, wspace=gap_x / (size[0] - gap_x), hspace=gap_y / (size[1] - gap_y))
    for ax in list(axes.flat)[count:]:
        ax.set_visible(False)
    return fig, list(axes.flat)[:count]


def gist(ctx: ReportContext, row) -> str:
    return row["gist_en"] if ctx.labels.lang == "en" else ""


def change_flags(row, side: str) -> list[str]:
    return [flag for flag in ("lower_bound", "approximate") if getattr(row, f"{side}_{flag}", False) is True]


def not_computable(ctx: ReportContext, name: str) -> ReaderTable:
    """An empty index table that says why it is empty."""
    return ReaderTable(name, ctx.msg(f"table.{name}"), pd.DataFrame(), [],
                       legend=[ctx.msg("index.not_computable", cities=len(ctx.cities))])


def group_cities(ctx: ReportContext, group: str) -> list[str]:
    """The cities of a group of the cities table, the focus city left out."""
    return [c for c in city_groups(ctx.labels.cities).get(group, []) if c != ctx.focus]
