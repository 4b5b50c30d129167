"""Chart style: a CJK-capable font shipped by a dependency, and the package's palette.

The font is Noto Sans CJK SC from the ``mplfonts`` wheel, registered with matplotlib
at first use, so Chinese titles, city and indicator names never render as boxes on a
machine without system CJK fonts.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager

CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"
FOCUS_COLOR = "#c0392b"
PEER_PALETTE = ("#1f4e79", "#2e86c1", "#7f8c8d", "#117a65", "#884ea0", "#b9770e")


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
def use_cjk_font() -> str:
    """Register the CJK font and make it matplotlib's default sans-serif; return its name."""
    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["font.sans-serif"] = [name, *mpl.rcParams["font.sans-serif"]]
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
