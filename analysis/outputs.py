"""What a notebook hands to the report run: headline values, tables and figures.

A notebook creates one :class:`Recorder`. With ``output_dir=None`` (an analyst working
interactively, or the nbval regression run) it writes nothing; under the report
command it writes into the run's temporary folder, which the runner then assembles into
``summary.json``, the Excel workbook and ``figures/``:

- ``summary/<notebook>.json``: the notebook's values (stable keys and codes, whatever the
  language): ``parameters``, ``tables`` (each table's raw frame as records), ``figures``
  (file, caption, whether it goes on the landing page) and what the notebook records
  (``finding``, ``index``, ``coverage``, ``verdict_counts``, ...);
- ``tables/<notebook>/<table>.csv``: each table's raw frame, text cells made safe for
  spreadsheets (:func:`spreadsheet_safe`);
- ``.reader/<notebook>.json``: each table as the reader sees it, in order, for the
  workbook (the runner removes the folder after use);
- ``figures/<notebook>-<name>.png``.
"""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from .formatting import ReaderTable

SUMMARY_DIR, TABLES_DIR, FIGURES_DIR, READER_DIR = "summary", "tables", "figures", ".reader"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these would be read as a formula by a spreadsheet."""
FIGURE_DPI = 100


class Recorder:
    """Collects one notebook's outputs under ``output_dir`` (no-op when it is None).

    Parameters
    ----------
    output_dir : report folder the run writes to, or None.
    notebook : notebook stem, e.g. ``"02_rd_intensity"``; prefixes every file.
    """

    def __init__(self, output_dir, notebook: str):
        self.output_dir = None if output_dir in (None, "") else Path(output_dir)
        self.notebook = notebook
        self.values: dict = {}
        self.layouts: list[dict] = []

    def value(self, key: str, value):
        """Record a value for summary.json under ``key``; returns ``value`` unchanged."""
        self.values[key] = jsonable(value)
        self._write_json(SUMMARY_DIR, self.values)
        return value

    def table(self, table: ReaderTable) -> ReaderTable:
        """Record a table: its raw frame in summary.json and as CSV, and the reader's layout
        for the workbook; returns ``table``."""
        raw = table.raw if table.raw is not None else table.frame
        self.values.setdefault("tables", {})[table.name] = jsonable(raw)
        self._write_json(SUMMARY_DIR, self.values)
        self.layouts.append(table.to_layout())
        self._write_json(READER_DIR, self.layouts)
        if self.output_dir is not None:
            path = self.output_dir / TABLES_DIR / self.notebook / f"{table.name}.csv"
            path.parent.mkdir(parents=True, exist_ok=True)
            spreadsheet_safe(raw).to_csv(path, index=False, encoding="utf-8")
        return table

    def figure(self, fig, name: str, *, caption: str = "", landing: bool = False) -> bytes:
        """Render ``fig`` once as PNG; save it under figures/ with its caption and return the bytes."""
        png = render_png(fig)
        file = f"{FIGURES_DIR}/{self.notebook}-{name}.png"
        self.values.setdefault("figures", []).append({"file": file, "caption": caption, "landing": landing})
        self._write_json(SUMMARY_DIR, self.values)
        if self.output_dir is not None:
            path = self.output_dir / file
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(png)
        return png

    def _write_json(self, folder: str, content) -> None:
        if self.output_dir is None:
            return
        path = self.output_dir / folder / f"{self.notebook}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content, ensure_ascii=False, indent=1), encoding="utf-8")


def render_png(fig, *, dpi: int = FIGURE_DPI, pad: float = 0.1) -> bytes:
    """``fig`` as PNG bytes, cropped to what it draws (as ``bbox_inches="tight"``).

    The figure is drawn once and the drawing cropped to the tight bounding box, instead of
    matplotlib's two full draws for a tight save; when something is drawn outside the
    figure's canvas (cropping would cut it off), the tight save is used instead.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    box = fig.get_tightbbox(canvas.get_renderer())
    width, height = fig.get_size_inches()
    if box.x0 < 0 or box.y0 < 0 or box.x1 > width or box.y1 > height:
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", pad_inches=pad)
        return buffer.getvalue()
    pixels = np.asarray(canvas.buffer_rgba())
    rows = pixels.shape[0]
    x0, y0 = (round(max(0.0, v - pad) * dpi) for v in (box.x0, box.y0))
    x1, y1 = round(min(width, box.x1 + pad) * dpi), round(min(height, box.y1 + pad) * dpi)
    buffer = io.BytesIO()
    Image.fromarray(pixels[rows - y1:rows - y0, x0:x1]).save(buffer, format="png", compress_level=4)
    return buffer.getvalue()


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell that a spreadsheet would read as a formula (starting
    with ``=``, ``+``, ``-``, ``@``, tab or carriage return) prefixed with ``'``."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column].dtype):
            out[column] = out[column].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v)
    return out


def jsonable(value):
    """Plain JSON types: NaN -> None, numpy scalars -> Python, frames -> records."""
    if isinstance(value, pd.DataFrame):
        return [jsonable(r) for r in value.to_dict(orient="records")]
    if isinstance(value, pd.Series):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        # NaN is missing; 12 significant digits drop binary noise (3.44 - 6.73 = -3.2900000000000005)
        return None if math.isnan(value) else float(f"{value:.12g}")
    if value is pd.NA or value is pd.NaT:
        return None
    return value
