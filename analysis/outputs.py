"""What a notebook hands to the report run: headline values, tables and figures.

A notebook creates one :class:`Recorder`. With ``output_dir=None`` (an analyst working
interactively, or the nbval regression run) it writes nothing; under the report
command it writes into the run's temporary folder, which the runner then assembles into
``summary.json``, the Excel workbook and ``figures/``.
"""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

SUMMARY_DIR, TABLES_DIR, FIGURES_DIR = "summary", "tables", "figures"
FIGURE_DPI = 110


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

    def value(self, key: str, value):
        """Record a headline value for summary.json; returns ``value`` unchanged."""
        self.values[key] = _jsonable(value)
        if self.output_dir is not None:
            path = self.output_dir / SUMMARY_DIR / f"{self.notebook}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(self.values, ensure_ascii=False, indent=1), encoding="utf-8")
        return value

    def table(self, name: str, frame: pd.DataFrame) -> pd.DataFrame:
        """Record a headline table for the workbook; returns ``frame`` for display."""
        if self.output_dir is not None:
            path = self.output_dir / TABLES_DIR / self.notebook / f"{name}.csv"
            path.parent.mkdir(parents=True, exist_ok=True)
            frame.to_csv(path, encoding="utf-8")
        return frame

    def figure(self, fig, name: str) -> bytes:
        """Render ``fig`` once as PNG; save it under figures/ and return the bytes."""
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=FIGURE_DPI, bbox_inches="tight")
        png = buffer.getvalue()
        if self.output_dir is not None:
            path = self.output_dir / FIGURES_DIR / f"{self.notebook}-{name}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(png)
        return png


def _jsonable(value):
    """Plain JSON types: NaN -> None, numpy scalars -> Python, frames -> records."""
    if isinstance(value, pd.DataFrame):
        return [_jsonable(r) for r in value.to_dict(orient="records")]
    if isinstance(value, pd.Series):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        # NaN is missing; 12 significant digits drop binary noise (3.44 - 6.73 = -3.2900000000000005)
        return None if math.isnan(value) else float(f"{value:.12g}")
    if value is pd.NA or value is pd.NaT:
        return None
    return value
