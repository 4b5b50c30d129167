"""The report's Excel workbook: one sheet per notebook and a sources sheet, ready to use.

Each notebook sheet stacks the notebook's tables in the order the notebook shows them
(its flagship table first): a title row, a units row, then the table as an Excel table
with its own filter buttons. Numbers are stored as numbers, rounded as the page shows
them, with a number format per unit; the header of the first table is frozen; columns
are sized to their text. Text cells are always stored as text: a name or note that
starts with ``=``, ``+``, ``-`` or ``@`` can never become a formula.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

from .formatting import Column, ReaderTable, decimals_for

WORKBOOK = "headline_tables.xlsx"
"""File name of the workbook in the report folder."""
FORMULA_START = ("=", "+", "-", "@")
MAX_WIDTH, NOTE_WIDTH = 48, 60
_TITLE_FONT, _BOLD = Font(bold=True, size=13), Font(bold=True)
_UNITS_FONT = Font(italic=True, color="555555")
_FAILED_FILL = PatternFill("solid", fgColor="F8D7DA")


@dataclass
class Sheet:
    """One worksheet: a title, an optional failure line, and tables in reading order."""

    name: str
    title: str
    tables: list[ReaderTable] = field(default_factory=list)
    failure: str | None = None


def write_workbook(path, sheets: list[Sheet], *, units_label: str = "unit") -> Path:
    """Write ``sheets`` to the workbook at ``path`` (replaced) and return the path.

    ``units_label`` heads the units row (e.g. ``"unit"`` / ``"单位"``).
    """
    book = Workbook()
    book.remove(book.active)
    used_names: set[str] = set()
    for sheet in sheets:
        worksheet = book.create_sheet(_sheet_name(sheet.name, used_names))
        _fill_sheet(worksheet, sheet, units_label, used_names)
    path = Path(path)
    book.save(path)
    return path


def _sheet_name(name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "sheet"
    candidate, number = base, 2
    while candidate.lower() in used:
        suffix = f"_{number}"
        candidate, number = base[:31 - len(suffix)] + suffix, number + 1
    used.add(candidate.lower())
    return candidate


def _fill_sheet(worksheet, sheet: Sheet, units_label: str, used_names: set[str]) -> None:
    widths: dict[int, int] = {}
    set_text(worksheet.cell(row=1, column=1), sheet.title).font = _TITLE_FONT
    row = 2
    if sheet.failure:
        cell = set_text(worksheet.cell(row=row, column=1), sheet.failure)
        cell.fill, cell.font = _FAILED_FILL, _BOLD
        row += 1
    frozen = False
    for table in sheet.tables:
        row += 1
        set_text(worksheet.cell(row=row, column=1), table.title).font = _BOLD
        units_row, header_row = row + 1, row + 2
        for number, column in enumerate(table.columns, start=1):
            unit = column.unit or ""
            if number == 1 and not unit:
                unit = units_label
            set_text(worksheet.cell(row=units_row, column=number), unit).font = _UNITS_FONT
            set_text(worksheet.cell(row=header_row, column=number), column.label).font = _BOLD
            widths[number] = max(widths.get(number, 0), _text_width(column.label))
        values = table.values()
        for offset, (cells, source_row) in enumerate(zip(values, table.rows()), start=1):
            for number, (column, value) in enumerate(zip(table.columns, cells), start=1):
                cell = worksheet.cell(row=header_row + offset, column=number)
                if column.kind == "number" and value is not None and not isinstance(value, str):
                    cell.value = value
                    cell.number_format = number_format(column.unit_of(source_row), signed=column.signed)
                elif column.kind == "year" and isinstance(value, int):
                    cell.value = value
                    cell.number_format = "0"
                elif value not in (None, ""):
                    set_text(cell, value)
                    if column.kind == "note":
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
                width = _text_width(table.cell_text(column, source_row))
                limit = NOTE_WIDTH if column.kind == "note" else MAX_WIDTH
                widths[number] = min(max(widths.get(number, 0), width), limit)
        last_row = header_row + max(len(values), 1)
        if table.columns:   # a table without columns (nothing could be computed) is its title and legend
            if not values:  # an Excel table needs a data row
                set_text(worksheet.cell(row=header_row + 1, column=1), "")
            reference = f"A{header_row}:{get_column_letter(len(table.columns))}{last_row}"
            worksheet.add_table(Table(displayName=_table_name(sheet.name, table.name, used_names), ref=reference,
                                      tableStyleInfo=TableStyleInfo(name="TableStyleLight1", showRowStripes=True)))
        if not frozen and table.columns:
            worksheet.freeze_panes = f"A{header_row + 1}"
            frozen = True
        row = last_row + 1
        for line in table.legend:
            row += 1
            set_text(worksheet.cell(row=row, column=1), line).font = _UNITS_FONT
        row += 1
    for number, width in widths.items():
        worksheet.column_dimensions[get_column_letter(number)].width = max(8, width + 2)


def set_text(cell, text):
    """Store ``text`` in ``cell`` as text, never as a formula; returns the cell."""
    cell.value = str(text)
    cell.data_type = "s"
    if str(text).startswith(FORMULA_START):
        cell.quotePrefix = True  # Excel keeps it text when the cell is edited
    return cell


def number_format(unit, *, signed: bool = False) -> str:
    """Excel number format for ``unit``: thousands separators and the unit's decimals."""
    places = decimals_for(unit)
    body = "#,##0" + ("." + "0" * places if places else "") if places is not None else "#,##0.####"
    return f"+{body};-{body};0" if signed else body


def _table_name(sheet: str, table: str, used: set[str]) -> str:
    name = re.sub(r"\W", "_", f"t_{sheet}_{table}", flags=re.ASCII)
    candidate, number = name, 2
    while candidate.lower() in used:
        candidate, number = f"{name}_{number}", number + 1
    used.add(candidate.lower())
    return candidate


def _text_width(text: str) -> int:
    """Display width of ``text``: CJK characters count double."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text))


def sources_table(sources, labels) -> ReaderTable:
    """The sources sheet: every source of the data with its publisher in the reader's
    language, title, address, type and the date it was read."""
    msg = labels.msg
    frame = sources.reset_index(drop=True)
    frame["publisher_shown"] = frame[labels.publisher_column]
    columns = [Column("source_id", msg("column.source_id")), Column("publisher_shown", msg("column.publisher")),
               Column("title", msg("column.title"), "note"), Column("url", msg("column.url")),
               Column("source_type", msg("column.source_type")), Column("accessed", msg("column.accessed"))]
    return ReaderTable("sources", msg("workbook.sources"), frame, columns)
