"""Charts: Chinese labels render with the shipped CJK font and no missing glyphs while the
caller's rcParams stay as they were, plot functions draw on the Axes they are given and
return it, and lower bounds and data gaps are shown as such."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import analysis  # noqa: E402
from analysis import metrics, plotting, sheets  # noqa: E402
from analysis.style import register_cjk_font  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def zh_context():
    return sheets.open_report("test", "Guangzhou", ["Beijing", "Shanghai", "Shenzhen"], 2015, 2024,
                              None, "zh", None)


def test_a_chinese_chart_draws_without_missing_glyph_warnings_or_changing_rcparams(zh_context):
    before = dict(matplotlib.rcParams)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = sheets.trend_figure(zh_context, ["rd_intensity", "high_tech_enterprises"])
        snapshot = sheets.difference_figure(zh_context, sheets.differences(zh_context, "rd_intensity"),
                                            "rd_intensity")
        flags = analysis.year_coverage(zh_context.data, (2015, 2024), cities=zh_context.cities,
                                       indicators=["rd_intensity"])
        coverage, coverage_ax = plt.subplots()
        plotting.plot_coverage(flags, labels=zh_context.labels, ax=coverage_ax)
        for figure in (fig, snapshot, coverage):
            figure.canvas.draw()                       # drawn outside the plot calls, as a notebook does
    glyph_warnings = [str(w.message) for w in caught if "glyph" in str(w.message).lower()]
    assert glyph_warnings == []
    assert dict(matplotlib.rcParams) == before
    assert register_cjk_font() not in matplotlib.rcParams["font.sans-serif"]
    ax = fig.axes[0]
    assert ax.get_title() == zh_context.labels.indicator("rd_intensity")
    assert "研究与试验发展" in ax.get_title()
    city_ticks = snapshot.axes[0].get_yticklabels()
    assert "北京" in [t.get_text() for t in city_ticks]
    assert all(t.get_fontfamily()[0] == register_cjk_font() for t in city_ticks)


def test_set_style_false_draws_in_the_callers_style(zh_context):
    ax = plotting.plot_trend(zh_context.data, indicator="rd_intensity", labels=zh_context.labels,
                             set_style=False)
    assert register_cjk_font() not in ax.title.get_fontfamily()
    styled = plotting.plot_trend(zh_context.data, indicator="rd_intensity", labels=zh_context.labels,
                                 ax=plt.figure().gca())
    assert styled.title.get_fontfamily()[0] == register_cjk_font()


def test_trend_returns_the_given_axes_marks_lower_bounds_and_breaks_at_gaps(zh_context):
    data = zh_context.data
    fig, ax = plt.subplots()
    returned = plotting.plot_trend(data, indicator="high_tech_enterprises", labels=zh_context.labels,
                                   focus="Guangzhou", cities=zh_context.params.cities, ax=ax)
    assert returned is ax
    bounds = data.loc[(data["indicator"] == "high_tech_enterprises") & data["lower_bound"]]
    marked = sum(len(c.get_offsets()) for c in ax.collections)
    assert marked == len(bounds) > 0
    gz = data.loc[(data["indicator"] == "high_tech_enterprises") & (data["city"] == "Guangzhou")]
    line = ax.get_lines()[0]
    assert line.get_label() == "广州"
    span = int(gz["year"].max() - gz["year"].min() + 1)
    assert len(line.get_xdata()) == span
    assert np.isnan(np.asarray(line.get_ydata(), dtype=float)).sum() == span - len(gz)


def test_rank_axis_is_inverted_so_the_best_rank_is_on_top(zh_context):
    ax = plotting.plot_trend(zh_context.data, indicator="nature_index_city_rank", labels=zh_context.labels,
                             focus="Guangzhou")
    assert ax.yaxis_inverted()


def test_coverage_heatmap_counts_years_per_indicator_and_city(zh_context):
    data, cities = zh_context.data, zh_context.params.cities
    # a series some compared city has no figure for at all: its cell must be shown as 0, not dropped
    present = data.groupby("indicator")["city"].unique()
    sparse = next(code for code, have in present.items() if set(cities) - set(have))
    absent_city = next(city for city in cities if city not in set(present[sparse]))
    flags = analysis.year_coverage(data, range(2015, 2025), cities=cities, indicators=["rd_intensity", sparse])
    ax = plotting.plot_coverage(flags, labels=zh_context.labels)
    counts = ax.images[0].get_array()
    expected = flags.sum(axis=1).unstack("city").loc[["rd_intensity", sparse], cities].to_numpy()
    assert (counts == expected).all()
    assert counts[1, cities.index(absent_city)] == 0
    written = {(round(t.get_position()[1]), round(t.get_position()[0])): t.get_text() for t in ax.texts}
    assert (1, cities.index(absent_city)) not in written      # an empty cell stays empty
    assert written[(0, 0)] == str(int(expected[0, 0]))
    assert "数据覆盖" in ax.get_title()


def test_difference_bars_label_the_years_compared(zh_context):
    differences = metrics.difference(zh_context.data, indicators=["rd_intensity"], year=2018)
    ax = plotting.plot_difference_bars(differences, indicator="rd_intensity", labels=zh_context.labels)
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == 3 and all("(2018)" in t for t in texts)
    assert [p.get_width() for p in ax.patches] == pytest.approx(differences["difference"].tolist())
    assert ax.get_xlabel() == "个百分点"


def test_difference_bars_keep_missing_peers_and_judge_behind_by_direction(zh_context):
    data = zh_context.data
    year = int(data.loc[data["indicator"] == "nature_index_city_rank", "year"].max())
    # one peer without a figure that year, whether or not the shipped data has one
    data = data.loc[~((data["indicator"] == "nature_index_city_rank") & (data["city"] == "Shenzhen")
                      & (data["year"] == year))]
    ranks = metrics.difference(data, indicators=["nature_index_city_rank"], year=year)
    ax = plotting.plot_difference_bars(ranks, indicator="nature_index_city_rank", labels=zh_context.labels)
    texts = [t.get_text() for t in ax.texts]
    assert len(ax.patches) == 3 and texts.count("无数据") == int(ranks["difference"].isna().sum()) >= 1
    colours = {p: bar.get_facecolor() for p, bar in zip(ranks["peer"], ax.patches)}
    for peer, difference in zip(ranks["peer"], ranks["difference"]):
        if pd.notna(difference) and difference != 0:
            # a rank: lower is better, so a positive difference is behind (red)
            behind = difference > 0
            assert colours[peer] == matplotlib.colors.to_rgba("#c0392b" if behind else "#1e8449"), peer


def test_deprecated_gap_bars_draw_the_old_metric(zh_context):
    with pytest.warns(DeprecationWarning):
        gaps = metrics.gap(zh_context.data, indicators=["rd_intensity"], year=2018)
    with pytest.warns(DeprecationWarning, match="plot_gap_bars is deprecated"):
        ax = plotting.plot_gap_bars(gaps, indicator="rd_intensity", labels=zh_context.labels)
    assert [p.get_width() for p in ax.patches] == pytest.approx(gaps["gap_abs"].tolist())


def test_plots_default_to_the_focus_city_and_need_no_lower_bound_column(zh_context):
    data = zh_context.data.drop(columns="lower_bound")
    ax = plotting.plot_trend(data, indicator="high_tech_enterprises", labels=zh_context.labels,
                             cities=zh_context.params.cities)
    guangzhou = next(line for line in ax.get_lines() if line.get_label() == "广州")
    assert matplotlib.colors.to_hex(guangzhou.get_color()) == "#c0392b" and guangzhou.get_linewidth() == 2.6
    assert sum(len(c.get_offsets()) for c in ax.collections) == 0   # no lower bound without the column
    values = metrics.latest_comparable_year(data, indicators=["rd_intensity"], year="own")
    bars = plotting.plot_city_values(values, indicator="rd_intensity", labels=zh_context.labels,
                                     ax=plt.figure().gca())
    assert matplotlib.colors.to_hex(bars.patches[0].get_facecolor()) == "#c0392b"
