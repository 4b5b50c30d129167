"""Reader tables: numbers rounded by unit, flags as marks, missing as a dash, every text
escaped, and a layout that round-trips for the workbook."""

from __future__ import annotations

import math

import pandas as pd

from analysis.formatting import Column, Prose, ReaderTable, format_value, marks, round_for


def test_numbers_are_written_by_unit():
    assert format_value(292.0916000000001, "100 million yuan") == "292.1"
    assert format_value(-3.2900000000000005, "percentage points", signed=True) == "−3.29"
    assert format_value(0.42, "percentage points", signed=True) == "+0.42"
    assert format_value(13000.0, "count") == "13,000" and format_value(20.0, "count") == "20"
    assert format_value(float("nan"), "count") == "—" and format_value(None, "percent") == "—"
    assert format_value(0.511144, None) == "0.5111" and format_value(12345.6, None) == "12,346"
    assert round_for(292.0916000000001, "100 million yuan") == 292.1 and round_for(20.0, "count") == 20
    assert round_for(math.nan, "count") is None


def test_flags_become_marks():
    assert marks({"lower_bound": True, "approximate": True, "year_inferred": False}) == "▲≈"
    assert marks({"year_inferred": True, "derived": True}) == "?†" and marks({}) == ""


def table() -> ReaderTable:
    frame = pd.DataFrame({"name": ["<script>alert(1)</script>", "=HYPERLINK(\"x\")"], "value": [3.444, None],
                          "unit": ["percent", "count"], "note": ["a" * 200, ""]})
    return ReaderTable("t", "Title <b>", frame, [Column("name", "Name & co"), Column("value", "Value", "number",
                       unit_column="unit"), Column("note", "Note", "note")], legend=["— no figure"])


def test_html_has_no_index_escapes_every_text_and_never_truncates():
    html = table().to_html()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Title &lt;b&gt;" in html and "Name &amp; co" in html
    assert "a" * 200 in html                                 # notes are never cut
    assert ">3.44<" in html and ">—<" in html
    assert 'class="reader-table"' in html and "kind-number" in html
    assert "<th" in html and "row_heading" not in html       # no positional index


def test_a_table_without_rows_shows_its_title_and_legend_but_no_header_row():
    empty = table()
    empty = ReaderTable(empty.name, empty.title, empty.frame.iloc[0:0], empty.columns, legend=["<nothing> to show"])
    html = empty.to_html()
    assert "<table" not in html and "<th" not in html
    assert "Title &lt;b&gt;" in html and "&lt;nothing&gt; to show" in html

def test_text_shown_and_values_stored_agree():
    shown = table().display_frame()
    assert list(shown.columns) == ["Name & co", "Value", "Note"]
    assert shown["Value"].tolist() == ["3.44", "—"]
    assert table().values()[0][1] == 3.44 and table().values()[1][1] is None


def test_the_layout_round_trips():
    again = ReaderTable.from_layout(table().to_layout())
    assert again.values() == table().values() and again.to_html() == table().to_html()


def test_a_number_column_may_hold_a_word():
    frame = pd.DataFrame({"extra": [981.25, "already above"], "unit": "100 million yuan"})
    words = ReaderTable("x", "X", frame, [Column("extra", "Extra", "number", unit_column="unit")])
    assert words.display_frame()["Extra"].tolist() == ["981.2", "already above"]
    assert [row[0] for row in words.values()] == [981.2, "already above"]


def test_prose_escapes_and_has_a_plain_text_form():
    lead = Prose("lead", "Gap <1>", quote="二是……", gist="gist", sentences=["x < y", "z"])
    html = lead._repr_html_()
    assert "<h1>Gap &lt;1&gt;</h1>" in html and 'lang="zh-CN"' in html and "x &lt; y" in html
    assert repr(lead).splitlines() == ["Gap <1>", "二是……", "gist", "x < y", "z"]
