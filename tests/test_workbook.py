"""The workbook read back with openpyxl: one sheet per notebook plus sources, the flagship
table first, number formats, widths, frozen header, filters, and no formula anywhere."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from analysis import report
from analysis.formatting import Column, ReaderTable
from analysis.workbook import Sheet, number_format, write_workbook


def reader_tables():
    first = ReaderTable("gap_latest", "Flagship", pd.DataFrame({
        "peer": ["Beijing", "=HYPERLINK(\"http://x\",\"y\")"], "difference": [-3.2900000000000005, 0.4],
        "unit": "percentage points", "note": ["", "+1 and @me"]}),
        [Column("peer", "Peer"), Column("difference", "Difference", "number", unit_column="unit", signed=True),
         Column("note", "Note", "note")], legend=["▲ lower bound"])
    second = ReaderTable("extra", "Second", pd.DataFrame({"extra": [292.0916000000001, 13000.0]}),
                         [Column("extra", "Extra", "number", unit="100 million yuan")])
    return [first, second]


@pytest.fixture
def book(tmp_path):
    path = write_workbook(tmp_path / "w.xlsx", [Sheet("02_rd_intensity", "Gap 2", reader_tables()),
                                                Sheet("06_claims", "Claims", [], failure="FAILED: cell 3")])
    return openpyxl.load_workbook(path)


def test_sheets_tables_in_order_with_units_and_formats(book):
    assert book.sheetnames == ["02_rd_intensity", "06_claims"]
    sheet = book["02_rd_intensity"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Gap 2" and rows[2][0] == "Flagship"       # the flagship table comes first
    assert rows[3][0] == "unit"                                      # the units row above the header
    assert rows[4][:3] == ["Peer", "Difference", "Note"]
    assert rows[5][1] == -3.29 and sheet.cell(row=6, column=2).number_format == number_format(
        "percentage points", signed=True)
    second_title = next(i for i, row in enumerate(rows) if row[0] == "Second")
    assert rows[second_title + 1][0] == "100 million yuan"
    assert rows[second_title + 3][0] == 292.1 and rows[second_title + 4][0] == 13000
    assert sheet.cell(row=second_title + 5, column=1).number_format == "#,##0.0"
    assert sheet.freeze_panes == "A6"                                # below the flagship's header
    assert len(sheet.tables) == 2                                    # each table has its own filter
    assert sheet.column_dimensions["A"].width >= len("Peer")
    failed = [[c.value for c in row] for row in book["06_claims"].iter_rows()]
    assert failed[1][0] == "FAILED: cell 3"


def test_no_cell_is_ever_a_formula(book):
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert "=HYPERLINK(\"http://x\",\"y\")" in texts and "+1 and @me" in texts


def test_the_report_workbook_reads_back(default_report):
    _, out = default_report
    book = openpyxl.load_workbook(out / report.WORKBOOK)
    assert book.sheetnames[-1] == "sources"
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    numbers = [c for c in cells if isinstance(c.value, float)]
    assert numbers and all(c.number_format != "General" for c in numbers)
    assert all(round(c.value, 6) == c.value for c in numbers)        # rounded as on the page, no float noise
    sheet = book["02_rd_intensity"]
    assert sheet.freeze_panes and sheet.tables
