"""Tear sheets: the tables, figures and computed sentences the notebooks show.

Each function composes loaders, :mod:`analysis.metrics` and :mod:`analysis.plotting`
for one notebook section, so notebook cells stay one call long; it labels, formats and
lays out. The analytic choices it shows (which indicators are comparable, the
scoreboard's year rule, what enters the composite index) are made in
:mod:`analysis.selection`. A :class:`ReportContext` carries the validated parameters, the
data and the labels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import matplotlib.pyplot as plt
import pandas as pd

from . import claims, index, metrics, plotting, selection
from ._frame import as_list
from ._vocab import PERCENTAGE_POINTS
from .catalogue import Labels, gap_indicators, load_catalogue, load_cities, load_gaps
from .loading import load_observations, load_sources
from .outputs import Recorder
from .parameters import ReportParameters, check_parameters
from .style import chart_style, format_change, format_number, register_cjk_font
from .tables import year_coverage

BASE_YEAR = 2018
"""The source report's year: 'since 2018' paragraphs start here."""

FLAG_LABELS = {
    "lower_bound": ("lower bound used", "含下限值"),
    "approximate": ("approximate or preliminary", "含约数或初步数"),
    "year_inferred": ("year inferred", "年份为推断"),
    "missing": ("missing", "缺失说明"),
}
"""Column labels of the flags every gap, extra-spending and catch-up table keeps."""


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

    @property
    def focus(self) -> str:
        return self.params.focus

    @property
    def peers(self) -> tuple[str, ...]:
        return self.params.peers

    def gap_indicators(self, gap: str) -> list[str]:
        """Catalogue series of ``gap`` that have at least one figure in the data."""
        present = set(self.data["indicator"])
        return [code for code in gap_indicators(gap, self.catalogue) if code in present]

    def show(self, fig, name: str) -> None:
        """Record ``fig`` as ``<notebook>-<name>.png``, display that PNG and close the figure
        (or say that there is nothing to show when ``fig`` is None).

        The figure is rendered once for both; closing keeps the inline backend from showing
        it again, so a notebook's outputs are the same in JupyterLab, papermill and nbval.
        """
        from IPython.display import Image, Markdown, display

        if fig is None:
            display(Markdown(self.labels.text("*No series to show.*", "*没有可显示的指标。*")))
            return
        png = self.recorder.figure(fig, name)
        plt.close(fig)
        display(Image(data=png))

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
    labels = Labels(load_catalogue(params.data_dir), load_cities(params.data_dir),
                    load_gaps(params.data_dir), lang)
    recorder = Recorder(output_dir, notebook)
    recorder.value("parameters", params.as_dict())
    return ReportContext(params, data, labels.catalogue, load_sources(params.data_dir), labels, recorder)


def comparable(ctx: ReportContext, indicators, *, min_cities: int = 2) -> list[str]:
    """:func:`analysis.selection.comparable` on the report's data."""
    return selection.comparable(ctx.data, indicators, min_cities=min_cities)


# ------------------------------------------------------------------------------- tables

def scoreboard(ctx: ReportContext, indicators) -> pd.DataFrame:
    """Focus vs peers per indicator, at the latest year every compared city has.

    One row per indicator: name, unit, year used, each city's value (focus first), the
    focus city's rank among them (1 = best; blank for context indicators) and a note.
    Where the cities share no year, each city's own latest figure is shown instead, the
    year column says "differs", the note gives each city's year and no rank is given:
    figures of different years are shown, never ranked.
    """
    codes = as_list(indicators)
    labels = ctx.labels
    values = selection.scoreboard_values(ctx.data, ctx.catalogue, codes, focus=ctx.focus, peers=ctx.peers)
    rank_column = labels.text(f"{labels.city(ctx.focus)} rank", f"{labels.city(ctx.focus)}排名")
    rows = []
    for code in codes:
        part = values.loc[values["indicator"] == code].set_index("city")
        has_common = bool(part["shared_year"].all())
        row = {labels.text("indicator", "指标"): labels.indicator(code),
               labels.text("unit", "单位"): labels.unit(code),
               labels.text("year", "年份"): (str(int(part["year"].iloc[0])) if has_common
                                             else labels.text("differs", "不同"))}
        for city in ctx.params.cities:
            row[labels.city(city)] = part.at[city, "value"]
        row[rank_column] = part.at[ctx.focus, "rank"]
        notes = []
        if not has_common:
            years = [f"{labels.city(c)} {int(y)}" if pd.notna(y) else f"{labels.city(c)} —"
                     for c, y in part["year"].items()]
            notes.append(labels.text("no shared year, each city's latest: ", "无共同年份，各城市最新：")
                         + ", ".join(years))
        bounds = [labels.city(c) for c in part.index[part["lower_bound"].fillna(False).astype(bool)]]
        if bounds:
            notes.append(labels.text("lower bound (at least), so the rank is not exact: ",
                                     "下限值（至少），排名并非确定：") + ", ".join(bounds))
        row[labels.text("note", "说明")] = "; ".join(notes)
        rows.append(row)
    columns = [labels.text("indicator", "指标"), labels.text("unit", "单位"), labels.text("year", "年份"),
               *(labels.city(c) for c in ctx.params.cities), rank_column, labels.text("note", "说明")]
    return pd.DataFrame(rows, columns=columns).set_index(columns[0])  # no row: an empty table


def gaps(ctx: ReportContext, indicators, *, year="common") -> pd.DataFrame:
    """:func:`analysis.metrics.difference` of the focus city to its peers: computed once,
    then shown by :func:`gap_table`, :func:`gap_figure` and :func:`headline_gaps`."""
    return metrics.difference(ctx.data, focus=ctx.focus, peers=ctx.peers, indicators=as_list(indicators),
                              year=year)


def gap_table(ctx: ReportContext, gaps: pd.DataFrame) -> pd.DataFrame:
    """:func:`gaps` labelled for reading: difference, ratio, percent, years used and flags."""
    return _labelled(ctx, gaps, {
        "indicator": ("indicator", "指标"), "peer": ("peer", "对标城市"),
        "focus_year": ("focus year", "本市年份"), "peer_year": ("peer year", "对标年份"),
        "focus_value": ("focus value", "本市数值"), "peer_value": ("peer value", "对标数值"),
        "difference": ("gap (focus - peer)", "差距（本市-对标）"), "difference_unit": ("gap unit", "差距单位"),
        "ratio": ("ratio (focus / peer)", "比值（本市/对标）"), "difference_pct": ("gap %", "差距 %"),
        **FLAG_LABELS})


def _labelled(ctx: ReportContext, frame: pd.DataFrame, columns: dict) -> pd.DataFrame:
    """Keep ``columns`` (code -> (en, zh)), translate codes in indicator/city columns."""
    out = frame[list(columns)].copy()
    for column in out.columns:
        if column == "indicator":
            out[column] = out[column].map(ctx.labels.indicator)
        elif column in ("peer", "focus", "city"):
            out[column] = out[column].map(ctx.labels.city)
    out.columns = [ctx.labels.text(*columns[c]) for c in out.columns]
    return out


# ------------------------------------------------------------------------------ figures

def trend_series(ctx: ReportContext, indicators) -> list[str]:
    """:func:`analysis.selection.trend_indicators` on the report's data."""
    return selection.trend_indicators(ctx.data, indicators)


def sparse_series(ctx: ReportContext, indicators) -> list[str]:
    """:func:`analysis.selection.sparse_indicators` on the report's data."""
    return selection.sparse_indicators(ctx.data, indicators)


def _panels(count: int, ncols: int | None, size=(5.4, 3.9)):
    """A grid for ``count`` (>= 1) charts; the unused cells are hidden."""
    ncols = min(ncols or (2 if count <= 4 else 3), count)
    nrows = math.ceil(count / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size[0] * ncols, size[1] * nrows), squeeze=False)
    for ax in list(axes.flat)[count:]:
        ax.set_visible(False)
    return fig, list(axes.flat)[:count]


@chart_style()
def trend_figure(ctx: ReportContext, indicators, *, ncols: int | None = None):
    """Small multiples: one trend chart per indicator, focus in red, with source lines and
    one legend for the figure. ``ncols`` defaults to 2 for up to four indicators, else 3.
    None when there is no indicator to draw."""
    codes = as_list(indicators)
    if not codes:
        return None
    fig, axes = _panels(len(codes), ncols)
    for ax, code in zip(axes, codes):
        plotting.plot_trend(ctx.data, indicator=code, labels=ctx.labels, focus=ctx.focus,
                            cities=ctx.params.cities, years=ctx.params.years,
                            caption=ctx.caption(code), legend=False, ax=ax)
    handles = {}
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(label, handle)
    order = [ctx.labels.city(c) for c in ctx.params.cities]
    labels = sorted(handles, key=lambda lab: order.index(lab) if lab in order else len(order))
    fig.tight_layout(h_pad=4.0, rect=(0, 0, 1, 1 - 0.35 / fig.get_figheight()))
    fig.legend([handles[lab] for lab in labels], labels, loc="upper center", ncols=len(labels),
               frameon=False, fontsize=9)
    return fig


@chart_style()
def snapshot_figure(ctx: ReportContext, indicators, *, ncols: int | None = None):
    """Small multiples of bars: each city's latest figure per indicator, its year beside it.

    For series too sparse for a trend. Years may differ between cities; every bar says
    which year it is, and nothing is ranked across years here. None when there is no
    indicator to draw.
    """
    codes = as_list(indicators)
    if not codes:
        return None
    values = metrics.latest_comparable_year(ctx.data, focus=ctx.focus, peers=ctx.peers,
                                            indicators=codes, year="own")
    fig, axes = _panels(len(codes), ncols, size=(5.4, 2.9))
    for ax, code in zip(axes, codes):
        plotting.plot_city_values(values.loc[values["indicator"] == code], indicator=code,
                                  labels=ctx.labels, focus=ctx.focus, caption=ctx.caption(code), ax=ax)
    fig.tight_layout(h_pad=3.5)
    return fig


@chart_style()
def coverage_figure(ctx: ReportContext, indicators=None):
    """Heatmap of years with data per indicator and city: gaps in data, not performance."""
    codes = as_list(indicators) if indicators is not None else list(ctx.catalogue.index)
    flags = year_coverage(ctx.data, ctx.params.years, cities=ctx.params.cities, indicators=codes)
    fig, ax = plt.subplots(figsize=(8, 0.32 * len(codes) + 1.8))
    plotting.plot_coverage(flags, labels=ctx.labels, ax=ax)
    return fig


# ------------------------------------------------------------------------------- text

def since_base_year(ctx: ReportContext, indicator: str, *, base_year: int = BASE_YEAR) -> str:
    """A sentence on how ``indicator`` moved since ``base_year``: :func:`analysis.metrics.change_since`.

    For the focus city and each peer: the value in the first year >= ``base_year`` with a
    figure and in the latest year; cities without two such years, or whose two figures
    come from different releases (``vintage`` labels differ, e.g. before and after a
    census revision, or a preliminary against a final figure), are named as not comparable.
    """
    labels = ctx.labels
    unit = labels.unit(indicator)
    changes = metrics.change_since(ctx.data, start_year=base_year, focus=ctx.focus, peers=ctx.peers,
                                   indicators=[indicator])
    parts, missing = [], []
    for row in changes.itertuples():
        city = labels.city(row.city)
        if pd.isna(row.change):
            two_figures = pd.notna(row.start_year) and row.end_year > row.start_year
            missing.append(city + (labels.text(
                f" (releases differ: {row.start_vintage or 'none recorded'} vs {row.end_vintage or 'none recorded'})",
                f"（口径/版本不同：{row.start_vintage or '未注明'} 与 {row.end_vintage or '未注明'}）")
                if two_figures else ""))
            continue
        first = _fmt(row.start_value, row.start_lower_bound, row.start_approximate)
        last = _fmt(row.end_value, row.end_lower_bound, row.end_approximate)
        bound = {"at most": "≤", "at least": "≥", "unknown": "?"}.get(row.change_bound, "")
        change_unit = labels.text("percentage points", "个百分点") if row.change_unit == PERCENTAGE_POINTS else unit
        parts.append(labels.text(
            f"{city} {first} ({row.start_year}) → {last} ({row.end_year}), "
            f"{bound}{format_change(row.change)} {change_unit}",
            f"{city}由{first}（{row.start_year}年）变为{last}（{row.end_year}年），"
            f"变化{bound}{format_change(row.change)}{change_unit}"))
    head = labels.text(f"Since {base_year}, {labels.indicator(indicator)} ({unit}): ",
                       f"{base_year}年以来，{labels.indicator(indicator)}（{unit}）：")
    none = labels.text("no city has two comparable figures", "各城市均无两个可比数据")
    text = head + (labels.text("; ", "；").join(parts) if parts else none)
    if missing:
        text += labels.text(f". No comparable pair of figures since {base_year} for: {', '.join(missing)}",
                            f"。{base_year}年以来无可比数据：{'、'.join(missing)}")
    return text + labels.text(". (≥ value: lower bound; ≈ approximate or preliminary; ≤/≥/? change: "
                              "bound from a lower-bound figure.)",
                              "。（≥数值为下限值；≈为约数或初步数；变化前的≤/≥/?表示由下限值算出的界限。）")


def since_paragraph(ctx: ReportContext, indicators, *, base_year: int = BASE_YEAR) -> str:
    """Markdown bullets, one :func:`since_base_year` sentence per comparable indicator."""
    codes = comparable(ctx, indicators)
    if not codes:
        return ctx.labels.text("No series has figures for two or more cities.", "没有两个以上城市都有数据的指标。")
    return "\n".join(f"- {since_base_year(ctx, code, base_year=base_year)}" for code in codes)


def _fmt(value, lower_bound: bool, approximate: bool) -> str:
    """A figure with its flag: ``≥`` lower bound, ``≈`` approximate or preliminary."""
    mark = "≥" if lower_bound else "≈" if approximate else ""
    return f"{mark}{format_number(value)}"


# ---------------------------------------------------------------- R&D intensity (gap 2)

def extra_spending_table(ctx: ReportContext, *, indicator: str = "rd_intensity", year="common") -> pd.DataFrame:
    """Extra R&D expenditure (100 million yuan) the focus city needs, at its own GDP, to
    match each peer's R&D intensity; generalises to any ratio indicator of the catalogue."""
    extra = metrics.extra_needed_to_match(ctx.data, ctx.catalogue, indicator=indicator, focus=ctx.focus,
                                          peers=ctx.peers, year=year)
    return _labelled(ctx, extra, {
        "peer": ("peer", "对标城市"), "focus_year": ("focus year", "本市年份"), "peer_year": ("peer year", "对标年份"),
        "focus_numerator": ("focus numerator", "本市分子"), "focus_denominator": ("focus denominator", "本市分母"),
        "focus_ratio": ("focus ratio", "本市比率"), "peer_ratio": ("peer ratio", "对标比率"),
        "peer_ratio_source": ("peer ratio is", "对标比率来源"),
        "needed_numerator": ("needed numerator", "所需分子"), "extra": ("extra needed", "需增加"),
        "extra_pct": ("extra, % of focus numerator", "增幅 %"), "unit": ("unit", "单位"),
        **FLAG_LABELS})


def catch_up_table(ctx: ReportContext, indicators, *, window: int = 5) -> pd.DataFrame:
    """Years in which the focus city would reach and overtake each peer at both cities'
    own compound growth over the last ``window`` years ("never" when it is not faster)."""
    result = metrics.catch_up(ctx.data, ctx.catalogue, focus=ctx.focus, peers=ctx.peers,
                              indicators=as_list(indicators), window=window)
    return _labelled(ctx, result, {
        "indicator": ("indicator", "指标"), "peer": ("peer", "对标城市"),
        "window": ("growth window (years)", "增长窗口（年）"),
        "focus_year": ("focus year", "本市年份"), "focus_value": ("focus value", "本市数值"),
        "focus_cagr_pct": ("focus growth %/yr", "本市年均增速 %"), "peer_year": ("peer year", "对标年份"),
        "peer_value": ("peer value", "对标数值"), "peer_cagr_pct": ("peer growth %/yr", "对标年均增速 %"),
        "reach_status": ("reach", "达到"), "reach_year": ("reaches peer's current level in", "达到对标现值年份"),
        "overtake_status": ("overtake", "超越"), "overtake_year": ("overtakes peer in", "超越年份"),
        **FLAG_LABELS})


@chart_style()
def gap_figure(ctx: ReportContext, gaps: pd.DataFrame, indicator: str):
    """Bars of the focus city's difference to each peer for one indicator of :func:`gaps`."""
    gaps = gaps.loc[gaps["indicator"] == indicator]
    fig, ax = plt.subplots(figsize=(7, 3.2))
    plotting.plot_difference_bars(gaps, indicator=indicator, labels=ctx.labels, caption=ctx.caption(indicator),
                                  ax=ax)
    fig.tight_layout()
    return fig


def headline_gaps(gaps: pd.DataFrame, indicator: str) -> dict:
    """``{peer: {"gap": focus - peer, "unit", values, years, flags, "missing"}}`` of one
    indicator of :func:`gaps`, for summary.json."""
    gaps = gaps.loc[gaps["indicator"] == indicator]
    return {row.peer: {"gap": row.difference, "unit": row.difference_unit, "focus_value": row.focus_value,
                       "peer_value": row.peer_value, "focus_year": row.focus_year, "peer_year": row.peer_year,
                       "lower_bound": bool(row.lower_bound), "approximate": bool(row.approximate),
                       "year_inferred": bool(row.year_inferred), "missing": row.missing}
            for row in gaps.itertuples()}


# ------------------------------------------------------------------- overview (00)

def overview_scoreboard(ctx: ReportContext) -> pd.DataFrame:
    """:func:`scoreboard` of every series with data, grouped by the report's gaps."""
    frames = []
    for gap in ctx.labels.gaps.index:
        codes = ctx.gap_indicators(gap)
        if codes:
            board = scoreboard(ctx, codes)
            board.insert(0, ctx.labels.text("gap", "差距"), ctx.labels.gap(gap))
            frames.append(board)
    return pd.concat(frames)


def index_inputs(ctx: ReportContext) -> pd.DataFrame:
    """:func:`analysis.selection.index_inputs` of the report's data: one indicator per
    family, at the latest year every compared city has."""
    return selection.index_inputs(ctx.data, ctx.catalogue, focus=ctx.focus, peers=ctx.peers)


def index_inputs_table(ctx: ReportContext, inputs: pd.DataFrame) -> pd.DataFrame:
    """``inputs`` as indicator x city values with the gap and the year used."""
    labels = ctx.labels
    wide = inputs.pivot(index="indicator", columns="city", values="value")[ctx.params.cities]
    wide.insert(0, "year", inputs.groupby("indicator")["year"].first().astype(int))
    wide.insert(0, "gap", ctx.catalogue.loc[wide.index, "gap"].map(labels.gap))
    flagged = {flag: inputs.loc[inputs[flag].fillna(False).astype(bool)].groupby("indicator")["city"]
               .agg(lambda cities: ", ".join(map(labels.city, cities))) for flag in ("lower_bound", "approximate")}
    wide["lower_bound"] = flagged["lower_bound"].reindex(wide.index).fillna("")
    wide["approximate"] = flagged["approximate"].reindex(wide.index).fillna("")
    wide.index = [labels.indicator(code, unit=True) for code in wide.index]
    wide.columns = [labels.text("gap", "差距"), labels.text("year", "年份"),
                    *[labels.city(c) for c in ctx.params.cities],
                    labels.text("lower bound (at least) for", "下限值城市"),
                    labels.text("approximate for", "约数城市")]
    return wide


def composite_index(ctx: ReportContext, inputs: pd.DataFrame, *, n_draws: int = 4000, seed: int = 2018):
    """Nominal composite index (min-max, arithmetic mean, equal weights) and its sensitivity.

    Returns ``(scores, sensitivity)``: the aggregated scores of every component (index and
    the gaps) per city, and the :class:`analysis.index.SensitivityResult` of ``n_draws``
    Monte Carlo draws over weights, normalisation and aggregation (seeded, reproducible).
    """
    normalised = index.normalise(inputs, ctx.catalogue, method="n_minmax", by=None)
    scores = index.aggregate(normalised, ctx.catalogue, method="a_amean", by=None)
    result = index.sensitivity(inputs, ctx.catalogue, n_draws=n_draws, seed=seed, by=None,
                               params={"n_dist2ref": {"ref": list(ctx.peers)}})
    return scores, result


def index_table(ctx: ReportContext, scores: pd.DataFrame, sensitivity) -> pd.DataFrame:
    """Per city: nominal index score and rank, gap scores, the rank's 5-95% range, and
    whether a lower bound went into the score (a min-max score depends on every city's
    value, so one bound flags every city of that indicator)."""
    wide = scores.pivot(index="city", columns="component", values="score")
    components = ["index", *[g for g in ctx.labels.gaps.index if g in wide.columns]]
    wide = wide[components]
    wide.columns = [ctx.labels.text("index (0-1)", "综合指数（0-1）"),
                    *[ctx.labels.gap(g) for g in components[1:]]]
    ranks = sensitivity.ranks.set_index("city")
    wide[ctx.labels.text("rank (nominal)", "排名（基准）")] = ranks["rank_nominal"]
    wide[ctx.labels.text("rank, median of draws", "排名中位数")] = ranks["rank_median"]
    wide[ctx.labels.text("rank, 5-95% of draws", "排名 5-95% 区间")] = (
        ranks["rank_p05"].astype(int).astype(str) + "-" + ranks["rank_p95"].astype(int).astype(str))
    index_rows = scores.loc[scores["component"] == "index"].set_index("city")
    wide[ctx.labels.text("uses a lower bound", "含下限值")] = index_rows["lower_bound"].astype(bool)
    wide = wide.reindex(ctx.params.cities)
    wide.index = [ctx.labels.city(c) for c in wide.index]
    return wide


@chart_style()
def rank_figure(ctx: ReportContext, sensitivity):
    """Median rank and 5-95% interval per city under the Monte Carlo draws."""
    fig, ax = plt.subplots(figsize=(7, 2.8))
    plotting.plot_rank_distribution(sensitivity.ranks, labels=ctx.labels, focus=ctx.focus, ax=ax)
    fig.tight_layout()
    return fig


# ------------------------------------------------------------------- claims (06)

def claim_verdicts(ctx: ReportContext) -> pd.DataFrame:
    """Verdicts on the report's claims (:mod:`analysis.claims`), from independent sources.

    The ledger is about Guangzhou as the report wrote it, so every city's data is used
    whatever the focus and peers; all rows are passed, so conflicting sources are weighed.
    """
    observations = load_observations(data_dir=ctx.params.data_dir, preferred_only=False)
    return claims.evaluate_claims(claims.load_claims(ctx.params.data_dir), observations, ctx.sources,
                                  ctx.catalogue)
