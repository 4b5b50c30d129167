"""Recorder: a notebook's headline values, tables and figures, written only when a report
run gives a folder."""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from analysis.formatting import Column, ReaderTable  # noqa: E402
from analysis.outputs import Recorder, spreadsheet_safe  # noqa: E402


def _table(raw=None) -> ReaderTable:
    shown = pd.DataFrame({"city": ["Guangzhou", "Beijing"], "value": [3.444, 6.7349], "unit": "percent"})
    return ReaderTable("t", "A table", shown, [Column("city", "City"), Column("value", "Value", "number",
                                                                          unit_column="unit")], raw=raw)


def test_recorder_writes_only_when_a_report_run_gives_a_folder(tmp_path):
    quiet = Recorder(None, "nb")
    assert quiet.value("x", 1.5) == 1.5 and quiet.values == {"x": 1.5}
    quiet.table(_table())
    assert not list(tmp_path.iterdir())
    loud = Recorder(tmp_path, "nb")
    loud.value("gap", 3.44 - 6.73)
    loud.value("missing", float("nan"))
    loud.table(_table(raw=pd.DataFrame({"city": ["Guangzhou", "Beijing"], "value": [3.444, 6.7349]})))
    stored = json.loads((tmp_path / "summary" / "nb.json").read_text(encoding="utf-8"))
    assert stored["gap"] == -3.29 and stored["missing"] is None
    # the raw frame (full precision, stable codes) goes to summary.json and the CSV ...
    assert stored["tables"]["t"] == [{"city": "Guangzhou", "value": 3.444}, {"city": "Beijing", "value": 6.7349}]
    assert pd.read_csv(tmp_path / "tables" / "nb" / "t.csv")["value"].tolist() == [3.444, 6.7349]
    # ... the reader's layout, rounded as shown, to the workbook's staging file
    [layout] = json.loads((tmp_path / ".reader" / "nb.json").read_text(encoding="utf-8"))
    assert ReaderTable.from_layout(layout).values() == [["Guangzhou", 3.44], ["Beijing", 6.73]]
    assert not list(tmp_path.glob("figures"))


def test_text_that_a_spreadsheet_would_run_is_made_text():
    frame = pd.DataFrame({"note": ["=HYPERLINK(\"http://x\")", "+1", "-x", "@SUM(A1)", "plain", None],
                          "value": [-1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    safe = spreadsheet_safe(frame)
    assert safe["note"].tolist()[:5] == ["'=HYPERLINK(\"http://x\")", "'+1", "'-x", "'@SUM(A1)", "plain"]
    assert safe["value"].tolist() == frame["value"].tolist()          # numbers are left alone
    assert frame["note"].iloc[0].startswith("=")                       # the input is not changed


def test_recorded_values_are_plain_json(tmp_path):
    loud = Recorder(tmp_path, "nb")
    frame = pd.DataFrame({"year": pd.array([2018, None], dtype="Int64"), "value": [np.float64(1.25), np.nan]})
    loud.value("table", frame)
    loud.value("scalar", np.int64(3))
    stored = json.loads((tmp_path / "summary" / "nb.json").read_text(encoding="utf-8"))
    assert stored == {"table": [{"year": 2018, "value": 1.25}, {"year": None, "value": None}], "scalar": 3}


def test_a_figure_is_rendered_once_and_saved_under_figures(tmp_path):
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    recorder = Recorder(tmp_path, "nb")
    png = recorder.figure(fig, "trend", caption="A caption", landing=True)
    plt.close(fig)
    assert png.startswith(b"\x89PNG")
    assert (tmp_path / "figures" / "nb-trend.png").read_bytes() == png
    assert recorder.values["figures"] == [{"file": "figures/nb-trend.png", "caption": "A caption", "landing": True}]
