"""Recorder: a notebook's headline values, tables and figures, written only when a report
run gives a folder."""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from analysis.outputs import Recorder  # noqa: E402


def test_recorder_writes_only_when_a_report_run_gives_a_folder(tmp_path):
    quiet = Recorder(None, "nb")
    assert quiet.value("x", 1.5) == 1.5 and quiet.values == {"x": 1.5}
    loud = Recorder(tmp_path, "nb")
    loud.value("gap", 3.44 - 6.73)
    loud.value("missing", float("nan"))
    loud.table("t", pd.DataFrame({"a": [1, 2]}, index=["x", "y"]))
    stored = json.loads((tmp_path / "summary" / "nb.json").read_text(encoding="utf-8"))
    assert stored == {"gap": -3.29, "missing": None}
    assert pd.read_csv(tmp_path / "tables" / "nb" / "t.csv", index_col=0)["a"].tolist() == [1, 2]
    assert list(tmp_path.iterdir()) and not list((tmp_path).glob("figures"))


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
    png = Recorder(tmp_path, "nb").figure(fig, "trend")
    plt.close(fig)
    assert png.startswith(b"\x89PNG")
    assert (tmp_path / "figures" / "nb-trend.png").read_bytes() == png
