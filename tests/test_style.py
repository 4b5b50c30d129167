"""Chart style (analysis.style): the shipped CJK font covers every Chinese label, the style
applies inside a block or a plot call only, and figures are written as people write them."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from analysis import style  # noqa: E402
from analysis.catalogue import Labels  # noqa: E402


def test_every_chinese_label_in_the_data_has_a_glyph_in_the_shipped_font():
    labels = Labels.load("zh")
    texts = [*labels.catalogue["name_zh"], *labels.catalogue["unit_zh"], *labels.cities["name_zh"],
             *labels.gaps["name_zh"]]
    missing = {text: style.missing_glyphs(text) for text in texts if style.missing_glyphs(text)}
    assert missing == {}
    assert style.missing_glyphs("广州 ก") == {"ก"}  # the check can fail: Thai is not in the font
    assert style.missing_glyphs("≥▲—（）：；−") == set()  # symbols the charts and sentences use


def test_chart_style_applies_inside_the_block_only():
    before = dict(matplotlib.rcParams)
    name = style.register_cjk_font()
    assert dict(matplotlib.rcParams) == before                 # registering changes no rcParams
    with style.chart_style():
        assert matplotlib.rcParams["font.family"][0] == name
        title = plt.figure().gca().set_title("广州")
    assert dict(matplotlib.rcParams) == before
    assert title.get_fontfamily()[0] == name                   # text made inside keeps the font


def test_styled_plots_can_opt_out():
    @style.styled
    def plot(ax=None):
        ax = ax or plt.figure().gca()
        ax.set_title("深圳")
        return ax

    assert plot().title.get_fontfamily()[0] == style.register_cjk_font()
    assert style.register_cjk_font() not in plot(set_style=False).title.get_fontfamily()


def test_use_cjk_font_is_deprecated_and_still_sets_the_global_font():
    saved = matplotlib.rcParams.copy()
    try:
        with pytest.warns(DeprecationWarning, match="use_cjk_font"):
            name = style.use_cjk_font()
        assert matplotlib.rcParams["font.sans-serif"][0] == name
    finally:
        matplotlib.rcParams.update(saved)


@pytest.mark.parametrize("value, text, change", [
    (12099.0, "12,099", "+12,099"), (2.63, "2.63", "+2.63"), (0.41523, "0.4152", "+0.4152"),
    (-1250.4, "-1,250", "-1,250"), (0.0, "0", "+0"),
])
def test_figures_are_written_as_people_write_them(value, text, change):
    assert style.format_number(value) == text
    assert style.format_change(value) == change


def test_the_focus_city_is_red_and_peers_keep_their_colours():
    colours = style.city_palette(["Beijing", "Guangzhou", "Shanghai"], "Guangzhou")
    assert colours["Guangzhou"] == style.FOCUS_COLOR
    assert [colours["Beijing"], colours["Shanghai"]] == list(style.PEER_PALETTE[:2])
