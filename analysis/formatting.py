"""Numbers and tables formatted for reading: rounded by unit, marked, never truncated.

A :class:`ReaderTable` is what a notebook shows and the workbook stores: the values
(still numbers, rounded as shown), one :class:`Column` per column with its label and
unit, the flag marks of each row and a legend. It renders to HTML through pandas'
Styler (no index, numbers right-aligned, every text escaped) and keeps its raw frame
(stable codes, full precision) for ``summary.json`` and the CSV files.
"""

from __future__ import annotations

import base64
import html
import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

DASH = "—"
"""Shown for a missing value; the row's note says why."""

UNIT_DECIMALS = {
    "percent": 2, "percentage points": 2, "100 million yuan": 1, "count": 0, "persons": 0,
    "10 thousand persons": 1, "person-years": 0, "rank": 0, "flag": 0, "share": 2,
    "count per 10k persons": 2, "percent per year": 1, "ratio": 2, "score": 2, "year": 0,
}
"""Decimals shown per unit (a unit not listed shows up to 4 significant digits)."""

FLAG_MARKS = {"lower_bound": "▲", "approximate": "≈", "year_inferred": "?", "derived": "†"}
"""The mark of each flag column, shown instead of a True/False column."""


def decimals_for(unit) -> int | None:
    """Decimals shown for ``unit`` (None: not a listed unit)."""
    return UNIT_DECIMALS.get(unit) if isinstance(unit, str) else None


def round_for(value, unit):
    """``value`` rounded as it is shown for ``unit`` (NaN and None stay missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    places = decimals_for(unit)
    if places is None:
        return float(f"{value:.4g}")
    return round(float(value), places) if places else int(round(float(value)))


def format_value(value, unit=None, *, signed: bool = False, decimals: int | None = None) -> str:
    """A number as people write it: ``12,099``, ``3.44``, ``+0.42``; missing is a dash.

    Decimals follow ``unit`` (:data:`UNIT_DECIMALS`) unless ``decimals`` is given.
    """
    if value is None or value is pd.NA or (isinstance(value, (float, np.floating)) and math.isnan(value)):
        return DASH
    places = decimals if decimals is not None else decimals_for(unit)
    sign = "+" if signed and value > 0 else ""
    if places is None:
        text = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"
    else:
        text = f"{value:,.{places}f}"
    if text.startswith("-"):
        text = "−" + text[1:]   # a real minus sign
    return sign + text


def marks(row, flags=tuple(FLAG_MARKS)) -> str:
    """The marks of a row's true flags, e.g. ``"▲≈"`` (empty when none is set)."""
    return "".join(FLAG_MARKS[f] for f in flags if bool(_get(row, f, False)))


def _plain(value):
    """A cell as a JSON value: numpy scalars as Python, missing as None."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def _get(row, key, default):
    value = row.get(key, default) if hasattr(row, "get") else getattr(row, key, default)
    return default if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) else value


@dataclass
class Column:
    """One column of a :class:`ReaderTable`.

    key : stable code of the column in the raw frame (``"focus_value"``).
    label : header in the reader's language, with the unit where one applies.
    kind : ``"text"``, ``"number"``, ``"year"``, ``"marks"`` or ``"note"`` (long text).
    unit : unit of a number column; ``unit_column`` instead names a column holding each
        row's unit (tables that mix indicators).
    signed : show a plus sign on positive numbers (differences).
    lang : language of the cells when it is not the page's (``"zh-CN"`` for the report's
        own Chinese text quoted in an English table).
    """

    key: str
    label: str
    kind: str = "text"
    unit: str | None = None
    unit_column: str | None = None
    signed: bool = False
    lang: str | None = None

    def unit_of(self, row) -> str | None:
        return _get(row, self.unit_column, None) if self.unit_column else self.unit


@dataclass
class ReaderTable:
    """A table to read, copy and store.

    name : stable key (file name of the CSV, entry of summary.json).
    title : heading in the reader's language.
    frame : one row per table row; holds every ``Column.key`` (and any unit column).
    columns : what is shown, in order.
    legend : lines shown under the table (the marks used, what a dash means, ...).
    raw : the metric's own frame, full precision and stable codes, for machines.
    """

    name: str
    title: str
    frame: pd.DataFrame
    columns: list[Column]
    legend: list[str] = field(default_factory=list)
    raw: pd.DataFrame | None = None

    def display_frame(self, *, keys: bool = False) -> pd.DataFrame:
        """Every cell as the text shown (numbers rounded by unit, missing as a dash); columns
        are the labels, or the column keys with ``keys`` (labels may repeat, keys do not)."""
        rows = self.rows()
        out = {column.key: [self.cell_text(column, row) for row in rows] for column in self.columns}
        frame = pd.DataFrame(out, columns=[c.key for c in self.columns])
        if not keys:
            frame.columns = [c.label for c in self.columns]
        return frame

    def rows(self) -> list[dict]:
        """The rows of :attr:`frame` as dicts (what :meth:`cell_text` takes)."""
        return self.frame.to_dict(orient="records")

    def values(self) -> list[list]:
        """Rows of typed cell values as stored in the workbook: numbers rounded as shown."""
        out = []
        for row in self.rows():
            cells = []
            for column in self.columns:
                value = _get(row, column.key, None)
                if column.kind == "number" and not isinstance(value, str):   # a number column may hold a word
                    cells.append(round_for(value, column.unit_of(row)) if value is not None else None)
                elif column.kind == "year":
                    cells.append(int(value) if isinstance(value, (int, float, np.integer, np.floating)) else value)
                else:
                    cells.append(None if value is None else str(value))
            out.append(cells)
        return out

    def cell_text(self, column: Column, row) -> str:
        """The text shown for ``column`` of ``row`` (a row of :attr:`frame`)."""
        value = _get(row, column.key, None)
        if column.kind == "number" and not isinstance(value, str):
            return format_value(value, column.unit_of(row), signed=column.signed)
        if column.kind == "year":
            if value is None:
                return DASH
            return str(int(value)) if isinstance(value, (int, float, np.integer, np.floating)) else str(value)
        return "" if value is None else str(value)

    def to_html(self) -> str:
        """The table as HTML: Styler, no index, numbers right-aligned, every text escaped.
        A table without rows shows its title and legend only (the legend says why)."""
        legend = "".join(f'<p class="legend">{html.escape(line)}</p>' for line in self.legend)
        if self.frame.empty:
            return f'<div class="reader-block"><h3>{html.escape(self.title)}</h3>{legend}</div>'
        shown = self.display_frame(keys=True)
        classes = pd.DataFrame(
            [[f"kind-{c.kind}" for c in self.columns]] * len(shown), columns=shown.columns, index=shown.index)
        styler = (shown.style.hide(axis="index")
                  .format(escape="html").relabel_index([html.escape(c.label) for c in self.columns], axis=1)
                  .set_td_classes(classes)
                  .set_table_attributes(f'class="reader-table" data-table="{html.escape(self.name)}"'))
        body = re.sub(r"<style[^>]*>\s*</style>\s*", "", styler.to_html(uuid=self.name, cell_ids=False))
        for number, column in enumerate(self.columns):
            if column.lang:  # cells in another language (a quote) say so, for readers and browsers
                body = re.sub(rf'<td ([^>]*class="[^"]*\bcol{number}\b[^"]*")', rf'<td lang="{column.lang}" \1',
                              body)
        return f'<div class="reader-block"><h3>{html.escape(self.title)}</h3>{body}{legend}</div>'

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_layout(self) -> dict:
        """The table as plain data (JSON-ready): what :meth:`from_layout` rebuilds."""
        keys = [c.key for c in self.columns] + [c.unit_column for c in self.columns if c.unit_column]
        frame = self.frame.reindex(columns=list(dict.fromkeys(keys)))
        return {"name": self.name, "title": self.title, "legend": list(self.legend),
                "columns": [vars(c).copy() for c in self.columns],
                "frame": {"columns": list(frame.columns),
                          "data": [[_plain(v) for v in row] for row in frame.itertuples(index=False)]}}

    @classmethod
    def from_layout(cls, layout: dict) -> "ReaderTable":
        """A table from :meth:`to_layout` (without the raw frame)."""
        frame = pd.DataFrame(layout["frame"]["data"], columns=layout["frame"]["columns"])
        return cls(layout["name"], layout["title"], frame, [Column(**c) for c in layout["columns"]],
                   legend=list(layout["legend"]))

    def __repr__(self) -> str:
        text = self.display_frame().to_string(index=False)
        return "\n".join([self.title, text, *self.legend])


class Prose:
    """Text for a notebook page, shown as HTML (every text escaped) and as plain text.

    kind : ``"heading"``, ``"paragraph"``, ``"list"`` (``sentences`` as
        bullets) or ``"lead"`` (a notebook's opening: ``text`` is the title, then the
        report's ``quote`` (Chinese source text), its English ``gist``, an ``intro`` and the
        finding's ``sentences``).
    """

    def __init__(self, kind: str, text: str, *, quote: str = "", gist: str = "", intro: str = "",
                 sentences=()):
        self.kind, self.text, self.quote, self.gist, self.intro = kind, text, quote, gist, intro
        self.sentences = list(sentences)

    def _repr_html_(self) -> str:
        e = html.escape
        if self.kind == "heading":
            return f"<h2>{e(self.text)}</h2>"
        if self.kind == "list":
            return "<ul>" + "".join(f"<li>{e(s)}</li>" for s in self.sentences) + "</ul>"
        if self.kind == "lead":
            parts = [f"<h1>{e(self.text)}</h1>"]
            if self.quote:
                parts.append(f'<blockquote lang="zh-CN"><p>{e(self.quote)}</p>'
                             + (f'<p class="gist">{e(self.gist)}</p>' if self.gist else "") + "</blockquote>")
            if self.intro:
                parts.append(f'<p class="intro">{e(self.intro)}</p>')
            if self.sentences:
                parts.append('<div class="finding">' + "".join(f"<p>{e(s)}</p>" for s in self.sentences) + "</div>")
            return "".join(parts)
        return f"<p>{e(self.text)}</p>"

    def __repr__(self) -> str:
        lines = [self.text, self.quote, self.gist, self.intro, *self.sentences]
        return "\n".join(line for line in lines if line)


class FigureOutput:
    """A rendered chart for a notebook page: the PNG with its caption as alternative text and
    as a visible caption. Shown as HTML (``<figure>``), so reader pages carry the caption."""

    def __init__(self, png: bytes, caption: str = ""):
        self.png, self.caption = png, caption

    def _repr_html_(self) -> str:
        data = base64.b64encode(self.png).decode("ascii")
        caption = html.escape(self.caption)
        figcaption = f"<figcaption>{caption}</figcaption>" if self.caption else ""
        return f'<figure class="chart"><img src="data:image/png;base64,{data}" alt="{caption}">{figcaption}</figure>'

    def __repr__(self) -> str:
        return self.caption or "[chart]"
