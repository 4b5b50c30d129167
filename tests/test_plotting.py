"""Charts: Chinese labels render with a shipped CJK font and no missing glyphs, plot
functions draw on the Axes they are given and return it, and lower bounds and data gaps
are shown as such."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import analysis  # noqa: E402
from analysis import plotting, sheets  # noqa: E402
from analysis.catalogue import Labels  # noqa: E402
from analysis.style import missing_glyphs, use_cjk_font  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def zh_context():
    return sheets.open_report("test", "Guangzhou", ["Beijing", "Shanghai", "Shenzhen"], 2015, 2024,
                              None, "zh", None)


def test_every_chinese_label_in_the_data_has_a_glyph_in_the_shipped_font():
    labels = Labels.load("zh")
    texts = [*labels.catalogue["name_zh"], *labels.catalogue["unit_zh"], *labels.cities["name_zh"],
             *labels.gaps["name_zh"]]
    missing = {text: missing_glyphs(text) for text in texts if missing_glyphs(text)}
    assert missing == {}
    assert missing_glyphs("广州 ก") == {"ก"}  # the check can fail: Thai is not in the font
    assert missing_glyphs("≥▲—（）：；") == set()  # symbols the charts and sentences use


def test_a_chinese_chart_draws_without_missing_glyph_warnings(zh_context):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = sheets.trend_figure(zh_context, ["rd_intensity", "high_tech_enterprises"])
        fig.canvas.draw()
    glyph_warnings = [str(w.message) for w in caught if "glyph" in str(w.message).lower()]
    assert glyph_warnings == []
    ax = fig.axes[0]
    assert ax.get_title() == zh_context.labels.indicator("rd_intensity")
    assert "研究与试验发展" in ax.get_title()
    assert use_cjk_font() in matplotlib.rcParams["font.sans-serif"][0]


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
    counts = ax.collections[0].get_array().reshape(2, 4)
    expected = flags.sum(axis=1).unstack("city").loc[["rd_intensity", sparse], cities].to_numpy()
    assert (counts == expected).all()
    assert counts[1, cities.index(absent_city)] == 0
    assert "数据覆盖" in ax.get_title()


def test_gap_bars_label_the_years_compared(zh_context):
    from analysis import metrics

    gaps = metrics.gap(zh_context.data, indicators=["rd_intensity"], year=2018)
    ax = plotting.plot_gap_bars(gaps, indicator="rd_intensity", labels=zh_context.labels)
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == 3 and all("(2018)" in t for t in texts)
    assert [p.get_width() for p in ax.patches] == pytest.approx(gaps["gap_abs"].tolist())


def test_gap_bars_keep_missing_peers_and_judge_behind_by_direction(zh_context):
    from analysis import metrics

    ranks = metrics.gap(zh_context.data, indicators=["nature_index_city_rank"], year=2017)
    assert ranks["gap_abs"].isna().any()  # Shenzhen was not in the 2017 top 50
    ax = plotting.plot_gap_bars(ranks, indicator="nature_index_city_rank", labels=zh_context.labels)
    texts = [t.get_text() for t in ax.texts]
    assert len(ax.patches) == 3 and texts.count("无数据") == int(ranks["gap_abs"].isna().sum())
    colours = {zh_context.labels.city(p): bar.get_facecolor() for p, bar in zip(ranks["peer"], ax.patches)}
    # Guangzhou 25th: behind Beijing (1st) and Shanghai (7th) though the gap is positive
    assert colours["北京"] == colours["上海"] == matplotlib.colors.to_rgba("#c0392b")
