"""Tear sheets: the tables, figures and sentences the notebooks show, in the reader's language.

Each function composes :mod:`analysis.metrics`, :mod:`analysis.selection`,
:mod:`analysis.findings` and :mod:`analysis.plotting` for one notebook section, so a
notebook cell stays one call long; it labels, formats and lays out. Tables come back as
:class:`~analysis.formatting.ReaderTable` (rounded by unit, flags as marks, the metric's
raw frame kept for machines); every word comes from the message catalogue
(:mod:`analysis.messages`). A :class:`ReportContext` carries the validated parameters,
the data, the labels and the output recorder, and shows and records what a cell makes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import matplotlib.pyplot as plt
import pandas as pd

from . import claims, findings, index, metrics, narrative, plotting, selection
from ._frame import as_list
from ._vocab import CONTEXT_GAP
from .catalogue import Labels, city_groups, gap_indicators
from .formatting import Column, FigureOutput, Prose, ReaderTable, marks
from .loading import load_observations, load_sources
from .outputs import Recorder
from .parameters import ReportParameters, check_parameters
from .style import chart_style, register_cjk_font
from .tables import year_coverage

BASE_YEAR = 2018
"""The source report's year: 'since 2018' paragraphs start here."""
GROWTH_WINDOW = 5
"""Years of growth behind the catch-up projections."""
WIDE_CITIES = 6
"""Compared cities up to which a table gives each city a column; beyond, one row per city."""
INDEX_DRAWS, INDEX_SEED = 4000, 2018
"""Monte Carlo draws of the index sensitivity, and their seed (reproducible)."""


@dataclass
class ReportContext:
    """Everything a notebook needs: parameters, preferred observations of the compared
    cities within the years, the catalogue, sources, labels and the output recorder."""

    params: ReportParameters
    data: pd.DataFrame
    catalogue: pd.DataFrame
    sources: pd.DataFrame
    labels: Labels
    recorder: Recorder
    set_aside: pd.DataFrame | None = None
    """Figures at another geographic level than the comparison's (:func:`analysis.selection.same_level`)."""

    @property
    def focus(self) -> str:
        return self.params.focus

    @property
    def peers(self) -> tuple[str, ...]:
        return self.params.peers

    @property
    def cities(self) -> list[str]:
        return self.params.cities

    @property
    def msg(self):
        return self.labels.msg

    def gap_indicators(self, gap: str) -> list[str]:
        """Catalogue indicators of ``gap`` that have at least one figure in the data."""
        present = set(self.data["indicator"])
        return [code for code in gap_indicators(gap, self.catalogue) if code in present]

    # -------------------------------------------------------------- show and record
    def show(self, fig, name: str, *, caption: str = "", landing: bool = False) -> None:
        """Record ``fig`` as ``figures/<notebook>-<name>.png`` with its caption, display it and
        close it (or say that there is nothing to show when ``fig`` is None).

        ``landing`` puts the figure on the report's landing page under its gap. The figure
        is rendered once for both; closing keeps the inline backend from showing it again,
        so a notebook's outputs are the same in JupyterLab, papermill and nbval.
        """
        from IPython.display import display

        if fig is None:
            display(Prose("paragraph", self.msg("figure.nothing")))
            return
        png = self.recorder.figure(fig, name, caption=caption, landing=landing)
        plt.close(fig)
        display(FigureOutput(png, caption))

    def table(self, table: ReaderTable) -> ReaderTable:
        """Record ``table`` (raw CSV for machines, the reader's layout for the workbook) and
        return it for display."""
        self.recorder.table(table)
        return table

    def section(self, key: str, **fields) -> None:
        """Display a section heading and its lead paragraph from the message catalogue."""
        from IPython.display import display

        display(Prose("heading", self.msg(f"section.{key}.title", **fields)))
        text = self.msg(f"section.{key}.text", **fields)
        if text:
            display(Prose("paragraph", text))

    def paragraph(self, text: str) -> None:
        from IPython.display import display

        display(Prose("paragraph", text))

    def caption(self, indicators) -> str:
        """Source line for charts of ``indicators``."""
        rows = self.data.loc[self.data["indicator"].isin(as_list(indicators))]
        return plotting.source_caption(rows, self.sources, self.labels)


def open_report(notebook: str, focus, peers, start_year, end_year, data_dir=None, lang="en",
                output_dir=None) -> ReportContext:
    """Check the notebook's parameters, load the data and start its recorder."""
    params = check_parameters(focus, peers, start_year, end_year, data_dir, lang)
    register_cjk_font()
    data = load_observations(cities=params.cities, years=params.years, data_dir=params.data_dir)
    data, set_aside = selection.same_level(data, params.focus)   # never rank across geographic levels
    labels = Labels.load(lang, params.data_dir)
    recorder = Recorder(output_dir, notebook)
    recorder.value("parameters", params.as_dict())
    return ReportContext(params, data, labels.catalogue, load_sources(params.data_dir), labels, recorder,
                         set_aside)


# ------------------------------------------------------------------------------- leads

def gap_lead(ctx: ReportContext, gap: str) -> None:
    """A gap notebook's opening: its title, the report's sentence on the gap (with the
    English gist in an English report), the finding computed from the data (recorded as
    ``finding`` for the landing page) and, except for R&D intensity, the chart of each city
    as a share of the leader on the gap's comparable series (on the landing page too)."""
    from IPython.display import display

    row = ctx.labels.gaps.loc[gap]
    finding = gap_finding(ctx, gap)
    ctx.recorder.value("finding", finding)
    sentences = (narrative.rd_sentences if gap == "rd_intensity" else narrative.gap_sentences)(
        finding, ctx.msg, ctx.labels)
    title = ctx.msg("lead.gap_title", number=int(row["number"]), gap=ctx.labels.gap(gap))
    ctx.recorder.value("title", title)
    display(Prose("lead", title, quote=row["report_quote_zh"], gist=_gist(ctx, row),
                  intro=ctx.msg("lead.gap_intro"), sentences=sentences))
    if gap != "rd_intensity":
        shares = findings.leader_shares(finding)
        if len(shares):
            ctx.show(leader_shares_figure(ctx, shares), "profile", landing=True,
                     caption=ctx.msg("caption.profile", gap=ctx.labels.gap(gap), focus=ctx.labels.city(ctx.focus)))


def gap_finding(ctx: ReportContext, gap: str) -> dict:
    """:func:`analysis.findings.gap_finding` (or :func:`~analysis.findings.rd_finding`) of the report's data."""
    if gap == "rd_intensity":
        return findings.rd_finding(ctx.data, ctx.catalogue, focus=ctx.focus, peers=ctx.peers,
                                   window=GROWTH_WINDOW)
    return findings.gap_finding(ctx.data, ctx.catalogue, gap=gap, focus=ctx.focus, peers=ctx.peers)


def notebook_lead(ctx: ReportContext, key: str) -> Prose:
    """The opening of a notebook that is not about one gap (overview, claims): title and text."""
    quote = ctx.labels.gaps.loc["context", "report_quote_zh"] if key == "overview" else ""
    title = ctx.recorder.value("title", ctx.msg(f"lead.{key}.title"))
    return Prose("lead", title, quote=quote, intro=ctx.msg(f"lead.{key}.text"))


def _gist(ctx: ReportContext, row) -> str:
    return row["gist_en"] if ctx.labels.lang == "en" else ""


# ------------------------------------------------------------------------------- tables

def scoreboard(ctx: ReportContext, indicators, *, name: str = "scoreboard", gap_column: bool = False) -> ReaderTable:
    """Focus vs peers per indicator, at the latest year every compared city has
    (:func:`analysis.selection.scoreboard_values`).

    One row per indicator: name with unit, year, each city's value (focus first), the
    focus city's rank (1 = best; blank for context indicators or without a shared year),
    the flags as marks and a note. Where the cities share no year, each city's own latest
    figure is shown, the year reads "—" and the note gives each city's year: figures of
    different years are shown, never ranked.
    """
    present = set(ctx.data["indicator"])
    codes = [code for code in as_list(indicators) if code in present]
    msg, labels = ctx.msg, ctx.labels
    values = (selection.scoreboard_values(ctx.data, ctx.catalogue, codes, focus=ctx.focus, peers=ctx.peers)
              if codes else pd.DataFrame(columns=["indicator", "city", "year", "value", "unit", "shared_year",
                                                  "rank"]))
    rows = []
    for code in codes:
        part = values.loc[values["indicator"] == code].set_index("city")
        shared = bool(part["shared_year"].all())
        row = {"code": code, "gap": labels.gap(ctx.catalogue.at[code, "gap"]),
               "indicator": labels.indicator(code, unit=True), "unit": ctx.catalogue.at[code, "unit"],
               "year": int(part["year"].iloc[0]) if shared else None, "rank": part.at[ctx.focus, "rank"]}
        for city in ctx.cities:
            row[f"value_{city}"] = part.at[city, "value"]
        row["marks"] = _city_marks(part, labels)
        notes = []
        if not shared:
            notes.append(msg("note.own_years", years=msg.join(
                msg("finding.city_value", city=labels.city(c), value=int(y) if pd.notna(y) else "—")
                for c, y in part["year"].items())))
        if (part["lower_bound"] | part["approximate"]).any() and shared:
            notes.append(msg("note.rank_not_exact"))
        other = _other_levels(ctx, code)
        if other:
            notes.append(msg("note.other_level", cities=other))
        row["note"] = msg("list.semicolon").join(notes)
        rows.append(row)
    legend = _legend(msg) if codes else [msg("legend.no_figures")]
    if len(ctx.cities) > WIDE_CITIES:   # one column per city would run off the page: one row per city instead
        return _long_scoreboard(ctx, name, rows, values, legend, gap_column)
    columns = ([Column("gap", msg("column.gap"))] if gap_column else []) + [
        Column("indicator", msg("column.indicator")), Column("year", msg("column.year"), "year"),
        *[Column(f"value_{city}", labels.city(city), "number", unit_column="unit") for city in ctx.cities],
        Column("rank", msg("column.focus_rank", focus=labels.city(ctx.focus)), "year"),
        Column("marks", msg("column.marks"), "marks"), Column("note", msg("column.note"), "note")]
    return ReaderTable(name, msg(f"table.{name}"), pd.DataFrame(rows, columns=[c.key for c in columns] + ["unit"]),
                       columns, legend=legend, raw=values)


def _long_scoreboard(ctx: ReportContext, name: str, rows: list[dict], values: pd.DataFrame, legend, gap_column):
    """The scoreboard with one row per indicator and city (for many compared cities)."""
    msg, labels = ctx.msg, ctx.labels
    long = []
    for row in rows:
        part = values.loc[values["indicator"] == row["code"]].set_index("city")
        for number, city in enumerate(ctx.cities):
            figure = part.loc[city]
            long.append({"gap": row["gap"] if number == 0 else "", "indicator": row["indicator"] if number == 0 else "",
                         "city": labels.city(city), "year": figure["year"], "value": figure["value"],
                         "unit": row["unit"], "rank": figure["rank"],
                         "marks": marks(figure), "note": row["note"] if number == 0 else ""})
    columns = ([Column("gap", msg("column.gap"))] if gap_column else []) + [
        Column("indicator", msg("column.indicator")), Column("city", msg("column.city")),
        Column("year", msg("column.year"), "year"), Column("value", msg("column.value"), "number", unit_column="unit"),
        Column("rank", msg("column.rank"), "year"), Column("marks", msg("column.marks"), "marks"),
        Column("note", msg("column.note"), "note")]
    return ReaderTable(name, msg(f"table.{name}"), pd.DataFrame(long, columns=[c.key for c in columns] + ["unit"]),
                       columns, legend=legend, raw=values)


def overview_scoreboard(ctx: ReportContext) -> ReaderTable:
    """:func:`scoreboard` of every indicator with data, grouped by the report's gaps."""
    codes = [code for gap in ctx.labels.gaps.index for code in ctx.gap_indicators(gap)]
    return scoreboard(ctx, codes, name="scoreboard", gap_column=True)


def differences(ctx: ReportContext, indicators, *, year="common") -> pd.DataFrame:
    """:func:`analysis.metrics.difference` of the focus city to its peers: computed once,
    then shown by :func:`difference_table` and :func:`difference_figure`."""
    return metrics.difference(ctx.data, focus=ctx.focus, peers=ctx.peers, indicators=as_list(indicators),
                              year=year)


def difference_table(ctx: ReportContext, result: pd.DataFrame, *, name: str = "differences") -> ReaderTable:
    """:func:`differences` for reading: one row per indicator and peer that has a difference.

    Pairs without a figure in a common year are left out (the legend says how many and
    the notebook's finding names them), so a gap the data cannot measure shows no empty rows.
    """
    msg, labels = ctx.msg, ctx.labels
    shown = result.loc[result["difference"].notna()]
    frame = pd.DataFrame({
        "indicator": shown["indicator"].map(lambda c: labels.indicator(c, unit=True)),
        "peer": shown["peer"].map(labels.city),
        "year": [int(f) if f == p else f"{int(f)} / {int(p)}" for f, p in zip(shown["focus_year"], shown["peer_year"])],
        "focus_value": shown["focus_value"], "peer_value": shown["peer_value"],
        "difference": shown["difference"], "difference_pct": shown["difference_pct"],
        "unit": shown["unit"], "difference_unit": shown["difference_unit"],
        "marks": [marks(row) for _, row in shown.iterrows()],
        "note": [_vintage_note(row, labels) for _, row in shown.iterrows()],
    })
    columns = [Column("indicator", msg("column.indicator")), Column("peer", msg("column.peer")),
               Column("year", msg("column.year"), "year"),
               Column("focus_value", labels.city(ctx.focus), "number", unit_column="unit"),
               Column("peer_value", msg("column.peer_value"), "number", unit_column="unit"),
               Column("difference", msg("column.difference"), "number", unit_column="difference_unit", signed=True),
               Column("difference_pct", msg("column.difference_pct"), "number", unit="percent", signed=True),
               Column("marks", msg("column.marks"), "marks"), Column("note", msg("column.note"), "note")]
    legend = _legend(msg)
    left_out = len(result) - len(shown)
    if left_out:
        legend.insert(0, msg("legend.pairs_left_out", count=left_out))
    return ReaderTable(name, msg(f"table.{name}"), frame, columns, legend=legend, raw=result)


def extra_spending_table(ctx: ReportContext, *, indicator: str = "rd_intensity", year="common") -> ReaderTable:
    """Extra R&D expenditure (100 million yuan) the focus city would need, at its own GDP,
    to match each peer's R&D intensity (:func:`analysis.metrics.extra_needed_to_match`);
    "already above" where it leads."""
    msg, labels = ctx.msg, ctx.labels
    extra = metrics.extra_needed_to_match(ctx.data, ctx.catalogue, indicator=indicator, focus=ctx.focus,
                                          peers=ctx.peers, year=year)
    legend = _legend(msg)
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
        "year": [_year_pair(f, p) for f, p in zip(extra["focus_year"], extra["peer_year"])],
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
        "reach": [_status(s, y, msg) for s, y in zip(result["reach_status"], result["reach_year"])],
        "overtake": [_status(s, y, msg) for s, y in zip(result["overtake_status"], result["overtake_year"])],
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
                                            horizon=metrics.CATCH_UP_HORIZON), *_legend(msg)], raw=result)


def _status(status, year, msg) -> str:
    if status == "projected":
        return str(int(year))
    return msg(f"status.{status.replace(' ', '_')}", horizon=metrics.CATCH_UP_HORIZON)


def _year_pair(focus_year, peer_year):
    if pd.isna(focus_year) or pd.isna(peer_year):
        return None if pd.isna(focus_year) else int(focus_year)
    return int(focus_year) if focus_year == peer_year else f"{int(focus_year)} / {int(peer_year)}"


def _other_levels(ctx: ReportContext, indicator: str) -> str:
    """The cities whose figures of ``indicator`` measure another geographic level, labelled
    (``"Tokyo: Japan, national"``), or ``""``."""
    if ctx.set_aside is None or ctx.set_aside.empty:
        return ""
    rows = ctx.set_aside.loc[ctx.set_aside["indicator"] == indicator].drop_duplicates(["city", "level", "area"])
    return ctx.msg.join(ctx.labels.level_label(row.city, row.level, row.area, row.area_zh)
                        for row in rows.itertuples())


def _city_marks(part: pd.DataFrame, labels: Labels) -> str:
    """Marks of a per-city row: ``"▲ Guangzhou; ≈ Shenzhen"`` (only the flagged cities)."""
    flagged = [f"{marks(row)} {labels.city(city)}" for city, row in part.iterrows() if marks(row)]
    return labels.msg("list.semicolon").join(flagged)


def _vintage_note(row, labels) -> str:
    focus, peer = row.get("focus_vintage") or "", row.get("peer_vintage") or ""
    if focus == peer:
        return ""
    msg = labels.msg
    return msg("note.vintages", focus=labels.vintage(focus) if focus else msg("vintage.none"),
               peer=labels.vintage(peer) if peer else msg("vintage.none"))


def _legend(msg) -> list[str]:
    return [msg("legend.marks")]


# ------------------------------------------------------------------------------ figures

def trend_indicators(ctx: ReportContext, indicators) -> list[str]:
    """:func:`analysis.selection.trend_indicators` on the report's data."""
    return selection.trend_indicators(ctx.data, indicators)


def _panels(count: int, ncols: int | None, size=(5.4, 3.9), *, top: float = 0.0):
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
    fig, axes = _panels(len(codes), ncols, top=0.35)
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


def show_difference(ctx: ReportContext, result: pd.DataFrame, indicator: str, *, name: str = "difference",
                    landing: bool = False) -> None:
    """Show the :func:`difference_figure` of one indicator with its caption."""
    rows = result.loc[(result["indicator"] == indicator) & result["difference"].notna()]
    caption = ctx.msg("caption.difference", focus=ctx.labels.city(ctx.focus),
                      indicator=ctx.labels.indicator(indicator)) if len(rows) else ""
    ctx.show(difference_figure(ctx, result, indicator) if len(rows) else None, name, caption=caption,
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


def coverage_indicators(ctx: ReportContext) -> list[str]:
    """The indicators the coverage chart lists: every indicator of the report's five gaps
    (an indicator no compared city has stays, as an empty row) and the context indicators
    some compared city has."""
    present = set(ctx.data["indicator"])
    table = ctx.catalogue
    return [code for code in table.index if table.at[code, "gap"] != CONTEXT_GAP or code in present]


@chart_style()
def difference_figure(ctx: ReportContext, result: pd.DataFrame, indicator: str):
    """Bars of the focus city's difference to each peer for one indicator of :func:`differences`."""
    result = result.loc[result["indicator"] == indicator]
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(result) + 1.8))
    plotting.plot_difference_bars(result, indicator=indicator, labels=ctx.labels, caption=ctx.caption(indicator),
                                  ax=ax)
    fig.tight_layout()
    return fig


# ------------------------------------------------------------------------------- text

def since_paragraph(ctx: ReportContext, indicators, *, base_year: int = BASE_YEAR) -> Prose:
    """One sentence per comparable indicator on how it moved since ``base_year``
    (:func:`analysis.metrics.change_since`): each city's first figure from ``base_year``
    on against its latest, or why the two cannot be compared (releases differ)."""
    codes = selection.comparable(ctx.data, indicators)
    if not codes:
        return Prose("paragraph", ctx.msg("since.none"))
    changes = metrics.change_since(ctx.data, start_year=base_year, focus=ctx.focus, peers=ctx.peers,
                                   indicators=codes)
    items = [_since_sentence(ctx, code, changes.loc[changes["indicator"] == code], base_year) for code in codes]
    return Prose("list", "", sentences=items + [ctx.msg("since.legend")])


def _since_sentence(ctx: ReportContext, indicator: str, changes: pd.DataFrame, base_year: int) -> str:
    msg, labels = ctx.msg, ctx.labels
    parts, missing = [], []
    for row in changes.itertuples():
        city = labels.city(row.city)
        if pd.isna(row.change):
            two_figures = pd.notna(row.start_year) and row.end_year > row.start_year
            missing.append(msg("since.releases_differ", city=city,
                               start=labels.vintage(row.start_vintage) if row.start_vintage else msg("vintage.none"),
                               end=labels.vintage(row.end_vintage) if row.end_vintage else msg("vintage.none"))
                           if two_figures else city)
            continue
        bound = {"at most": "≤", "at least": "≥", "unknown": "?"}.get(row.change_bound, "")
        unit = labels.unit_name(row.change_unit)
        parts.append(msg("since.change", city=city,
                         first=narrative.figure(row.start_value, row.unit, _flags(row, "start")),
                         first_year=row.start_year,
                         last=narrative.figure(row.end_value, row.unit, _flags(row, "end")),
                         last_year=row.end_year,
                         change=bound + narrative.signed(row.change, row.change_unit), unit=unit))
    text = msg("since.head", year=base_year, indicator=labels.indicator(indicator, unit=True))
    text += msg("list.semicolon").join(parts) if parts else msg("since.no_pair")
    if missing:
        text += msg("since.missing", year=base_year, cities=msg.join(missing))
    return text + msg("sentence.end")


def _flags(row, side: str) -> list[str]:
    return [flag for flag in ("lower_bound", "approximate") if getattr(row, f"{side}_{flag}", False) is True]


# ------------------------------------------------------------------- overview (00)

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
               "marks": _city_marks(part, labels)}
        for city in ctx.cities:
            row[f"value_{city}"] = part.at[city, "value"] if city in part.index else None
        rows.append(row)
    columns = [Column("gap", msg("column.gap")), Column("indicator", msg("column.indicator")),
               Column("year", msg("column.year"), "year"),
               *[Column(f"value_{city}", labels.city(city), "number", unit_column="unit") for city in ctx.cities],
               Column("marks", msg("column.marks"), "marks")]
    return ReaderTable("index_inputs", msg("table.index_inputs"), pd.DataFrame(rows), columns,
                       legend=_legend(msg), raw=inputs)


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
        return _not_computable(ctx, "index")
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
    return ReaderTable("index", msg("table.index"), frame, columns, legend=[msg("legend.index"), *_legend(msg)],
                       raw=sensitivity.ranks)


def gap_scores_table(ctx: ReportContext, scores: pd.DataFrame) -> ReaderTable:
    """Per city, the score of each gap that entered the index (0-1, higher is better)."""
    msg, labels = ctx.msg, ctx.labels
    if scores is None:
        return _not_computable(ctx, "gap_scores")
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
        return _not_computable(ctx, "index_factors")
    factors = sensitivity.factors
    frame = pd.DataFrame({"factor": [msg("factor." + f.replace(" x ", "_x_")) for f in factors["factor"]],
                          "share": factors["rank_variance_share"] * 100.0})
    columns = [Column("factor", msg("column.factor")),
               Column("share", msg("column.variance_share"), "number", unit="percent")]
    return ReaderTable("index_factors", msg("table.index_factors"), frame, columns, raw=factors)


def show_ranks(ctx: ReportContext, sensitivity) -> None:
    """Show the :func:`rank_figure` with its caption (on the landing page too)."""
    ctx.show(None if sensitivity is None else rank_figure(ctx, sensitivity), "index_ranks", landing=True,
             caption=ctx.msg("caption.index_ranks", draws=INDEX_DRAWS))


def _not_computable(ctx: ReportContext, name: str) -> ReaderTable:
    """An empty index table that says why it is empty."""
    return ReaderTable(name, ctx.msg(f"table.{name}"), pd.DataFrame(), [],
                       legend=[ctx.msg("index.not_computable", cities=len(ctx.cities))])


def show_coverage(ctx: ReportContext) -> None:
    """What the data covers: a sentence, the share of years known per gap and city (recorded
    as ``coverage`` for the landing page) and the years known per indicator and city."""
    from IPython.display import display

    display(coverage_sentence(ctx))
    display(ctx.table(coverage_by_gap_table(ctx)))
    display(ctx.table(coverage_table(ctx)))


@chart_style()
def rank_figure(ctx: ReportContext, sensitivity):
    """Median rank and 5-95% interval per city under the Monte Carlo draws."""
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(ctx.cities) + 1.4))
    plotting.plot_rank_distribution(sensitivity.ranks, labels=ctx.labels, focus=ctx.focus, ax=ax)
    fig.tight_layout()
    return fig


def _coverage_flags(ctx: ReportContext):
    return year_coverage(ctx.data, ctx.params.years, cities=ctx.cities, indicators=coverage_indicators(ctx))


def coverage_sentence(ctx: ReportContext) -> Prose:
    """How much of the report's window holds a figure, recorded as ``coverage`` (with the share
    per gap and city, :func:`coverage_by_gap_table`) for the landing page."""
    flags = _coverage_flags(ctx)
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


def coverage_by_gap_table(ctx: ReportContext) -> ReaderTable:
    """Per gap: how many indicators, and per city the percentage of indicator-years with a figure."""
    msg, labels = ctx.msg, ctx.labels
    flags = _coverage_flags(ctx)
    raw = _coverage_by_gap(ctx, flags)
    frame = raw.assign(gap_name=raw["gap"].map(labels.gap))
    columns = [Column("gap_name", msg("column.gap")), Column("indicators", msg("column.indicators"), "number",
                                                             unit="count"),
               *[Column(city, labels.city(city), "number", unit="percent") for city in ctx.cities]]
    return ReaderTable("coverage_by_gap", msg("table.coverage_by_gap", start=ctx.params.start_year,
                                               end=ctx.params.end_year), frame, columns,
                       legend=[msg("legend.coverage_by_gap")], raw=raw)


def coverage_table(ctx: ReportContext) -> ReaderTable:
    """Years with a figure per indicator and city in the report's window: gaps in the data,
    not in performance."""
    msg, labels = ctx.msg, ctx.labels
    flags = _coverage_flags(ctx)
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


# ------------------------------------------------------------------- claims (06)

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



# ------------------------------------------------------------- peer groups (07, challengers)

def group_cities(ctx: ReportContext, group: str) -> list[str]:
    """The cities of a group of the cities table, the focus city left out."""
    return [c for c in city_groups(ctx.labels.cities).get(group, []) if c != ctx.focus]


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
        "measures": [labels.level_label(i["city"], i["level"], i["area"], i["area_zh"]).split(": ", 1)[-1]
                     .split("：", 1)[-1] for i in items],
        "year": [i["year"] for i in items], "value": [i["value"] for i in items],
        "marks": [marks({f: True for f in i["flags"]}) for i in items]})
    columns = [Column("city", msg("column.city")), Column("measures", msg("column.measures")),
               Column("year", msg("column.year"), "year"),
               Column("value", labels.indicator(finding["indicator"], unit=True), "number", unit="percent"),
               Column("marks", msg("column.marks"), "marks")]
    return ReaderTable("global_intensity", msg("table.global_intensity"), frame, columns,
                       legend=[msg("legend.levels"), *_legend(msg)], raw=pd.DataFrame(items))


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


def challengers_table(ctx: ReportContext, indicators) -> ReaderTable | None:
    """Who among the domestic challengers leads the focus city on each ranked indicator, and
    when the one behind would overtake the other at both cities' current growth (catch-up in
    both directions); recorded as ``challengers`` for the landing page. None when no peer is
    a domestic challenger."""
    msg, labels = ctx.msg, ctx.labels
    challengers = [p for p in ctx.peers if p in group_cities(ctx, "domestic")]
    codes = [c for c in selection.comparable(ctx.data, indicators) if ctx.catalogue.at[c, "direction"] != 0]
    if not challengers or not codes:
        return None
    forward = metrics.catch_up(ctx.data, ctx.catalogue, focus=ctx.focus, peers=challengers, indicators=codes,
                               window=GROWTH_WINDOW)
    rows, records = [], []
    for row in forward.itertuples():
        if pd.isna(row.focus_value) or pd.isna(row.peer_value):
            continue
        focus_leads = row.reach_status == "already"
        if focus_leads:   # when would the challenger overtake the focus city?
            back = metrics.catch_up(ctx.data, ctx.catalogue, focus=row.peer, peers=[ctx.focus],
                                    indicators=[row.indicator], window=GROWTH_WINDOW).iloc[0]
            status, year = back["overtake_status"], back["overtake_year"]
        else:
            status, year = row.overtake_status, row.overtake_year
        leader = ctx.focus if focus_leads else row.peer
        records.append({"focus": ctx.focus, "indicator": row.indicator, "challenger": row.peer, "leader": leader,
                        "crossing_status": status, "crossing_year": None if pd.isna(year) else int(year)})
        rows.append({"indicator": labels.indicator(row.indicator, unit=True), "challenger": labels.city(row.peer),
                     "leader": labels.city(leader), "peer_year": row.peer_year, "peer_value": row.peer_value,
                     "focus_value": row.focus_value, "unit": row.unit,
                     "peer_growth": row.peer_cagr_pct, "focus_growth": row.focus_cagr_pct,
                     "crossing": _status(status, year, msg), "marks": marks(row._asdict())})
    ctx.recorder.value("challengers", records)
    focus = labels.city(ctx.focus)
    columns = [Column("indicator", msg("column.indicator")), Column("challenger", msg("column.challenger")),
               Column("leader", msg("column.leader")), Column("peer_year", msg("column.year"), "year"),
               Column("peer_value", msg("column.challenger_value"), "number", unit_column="unit"),
               Column("focus_value", msg("column.city_value", city=focus), "number", unit_column="unit"),
               Column("peer_growth", msg("column.challenger_growth"), "number", unit="percent per year"),
               Column("focus_growth", msg("column.city_growth", city=focus), "number", unit="percent per year"),
               Column("crossing", msg("column.crossing")), Column("marks", msg("column.marks"), "marks")]
    return ReaderTable("challengers", msg("table.challengers", focus=focus), pd.DataFrame(rows), columns,
                       legend=[msg("legend.challengers", window=GROWTH_WINDOW, horizon=metrics.CATCH_UP_HORIZON),
                               *_legend(msg)], raw=pd.DataFrame(records))


def show_challengers(ctx: ReportContext, indicators) -> None:
    """The :func:`challengers_table` under its heading, when a peer is a domestic challenger."""
    from IPython.display import display

    table = challengers_table(ctx, indicators)
    if table is not None:
        ctx.section("challengers", focus=ctx.labels.city(ctx.focus))
        display(ctx.table(table))
