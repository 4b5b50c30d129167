"""Chart style: a CJK-capable font shipped by a dependency, and the package's palette.

The font is Noto Sans CJK SC from the ``mplfonts`` wheel, registered with matplotlib's
font manager at first use, so Chinese titles, city and indicator names never render as
boxes on a machine without system CJK fonts. The style is scoped: :func:`chart_style` is
a context manager (``matplotlib.rc_context``) and :func:`styled` applies it to one plot
call; the caller's global rcParams are never changed.
"""

from __future__ import annotations

import functools
import warnings
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager
from matplotlib.text import Text

CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"
FOCUS_COLOR = "#c0392b"
PEER_PALETTE = ("#1f4e79", "#2e86c1", "#7f8c8d", "#117a65", "#884ea0", "#b9770e", "#273746", "#48c9b0",
                "#d4ac0d", "#5b2c6f", "#85929e", "#196f3d", "#a9cce3", "#6e2c00", "#76448a", "#0b5345")
"""Peer colours, none of them red (the focus city's colour), distinct up to 16 peers."""


@lru_cache(maxsize=1)
def cjk_font_path() -> Path:
    """Path of the Noto Sans CJK SC font file shipped by ``mplfonts``."""
    import mplfonts

    path = Path(mplfonts.__file__).resolve().parent / "fonts" / CJK_FONT_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing; reinstall the project (pip install -e .) "
                                "to get the mplfonts package and its fonts.")
    return path


@lru_cache(maxsize=1)
def register_cjk_font() -> str:
    """Register the CJK font with matplotlib's font manager (rcParams untouched); return its name."""
    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def font_family() -> list[str]:
    """The charts' font family: the CJK font first, the generic sans-serif as fallback."""
    return [register_cjk_font(), "sans-serif"]


@contextmanager
def chart_style():
    """Context manager: the package's chart style (CJK font, ASCII minus) inside the block only.

    Text made inside the block keeps the font when it is drawn later; see :func:`styled`
    for the tick labels, which matplotlib makes at draw time.
    """
    with mpl.rc_context({"font.family": font_family(), "axes.unicode_minus": False}):
        yield


def styled(plot):
    """Decorator: run a ``plot_*`` function in :func:`chart_style` and give every text of the
    Axes it returns the chart font, also the title and labels of an Axes made before the
    call and the tick labels matplotlib makes when it draws. ``set_style=False`` (keyword)
    opts out."""
    @functools.wraps(plot)
    def wrapper(*args, set_style: bool = True, **kwargs):
        if not set_style:
            return plot(*args, **kwargs)
        with chart_style():
            ax = plot(*args, **kwargs)
            family = font_family()
            for text in ax.findobj(Text):
                text.set_fontfamily(family)
            ax.tick_params(labelfontfamily=family)
        return ax

    return wrapper


def use_cjk_font() -> str:
    """Deprecated: make the CJK font matplotlib's global default sans-serif; return its name.

    Plot functions no longer need it (they scope their style with :func:`chart_style`); use
    :func:`register_cjk_font` to register the font without changing rcParams.
    """
    warnings.warn("style.use_cjk_font changes rcParams for the whole session and is deprecated; plots set "
                  "their own font (style.chart_style), style.register_cjk_font registers it.",
                  DeprecationWarning, stacklevel=2)
    name = register_cjk_font()
    if mpl.rcParams["font.sans-serif"][:1] != [name]:
        mpl.rcParams["font.sans-serif"] = [name, *mpl.rcParams["font.sans-serif"]]
    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["axes.unicode_minus"] = False
    return name


def missing_glyphs(text: str) -> set[str]:
    """Characters of ``text`` the CJK font has no glyph for (empty set when all render)."""
    charmap = _charmap()
    return {ch for ch in text if not ch.isspace() and ord(ch) not in charmap}


@lru_cache(maxsize=1)
def _charmap() -> frozenset[int]:
    from matplotlib.ft2font import FT2Font

    return frozenset(FT2Font(str(cjk_font_path())).get_charmap())


def format_number(value: float) -> str:
    """A figure as people write it: ``12,099``, ``2.63``, ``0.415`` (at most 4 significant digits)."""
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def format_change(value: float) -> str:
    """A signed figure: ``+0.42``, ``-1,250``."""
    return ("+" if value >= 0 else "-") + format_number(abs(value))


def city_palette(cities, focus: str) -> dict[str, str]:
    """Colour per city: the focus city in red, peers from a fixed palette in the given order."""
    peers = [c for c in cities if c != focus]
    colors = {city: PEER_PALETTE[i % len(PEER_PALETTE)] for i, city in enumerate(peers)}
    colors[focus] = FOCUS_COLOR
    return colors
