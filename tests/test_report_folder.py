"""The report folder: what a run may replace, what dead runs left behind, and ``latest``."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from analysis import report_folder as rf


@pytest.fixture()
def dead_pid() -> int:
    """The id of a process that has ended."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def write_report(folder, files, *, listed=True):
    for name in files:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("x", encoding="utf-8")
    summary = {"parameters": {}, "notebooks": {}}
    if listed:
        summary["files"] = sorted({*files, rf.SUMMARY})
    (folder / rf.SUMMARY).write_text(json.dumps(summary), encoding="utf-8")


REPORT = ["index.html", "html/a.html", "notebooks/a.ipynb", "figures/a-trend.png", "tables/a/t.csv"]


def test_an_earlier_report_with_only_its_own_files_may_be_replaced(tmp_path):
    write_report(tmp_path, REPORT)
    rf.check_output_dir(tmp_path)
    assert rf.foreign_entries(tmp_path, json.loads((tmp_path / rf.SUMMARY).read_text())["files"]) == []


def test_files_added_to_a_report_are_listed_outermost_first(tmp_path):
    write_report(tmp_path, REPORT)
    for extra in ("notes.txt", "figures/mine.png", "mine/a/b.txt", "html/sub/x.html"):
        (tmp_path / extra).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / extra).write_text("mine", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    written = json.loads((tmp_path / rf.SUMMARY).read_text())["files"]
    assert rf.foreign_entries(tmp_path, written) == ["empty", "figures/mine.png", "html/sub", "mine", "notes.txt"]
    with pytest.raises(rf.ReportFolderError, match=r"holds 5 file\(s\) or folder\(s\) the report did not "
                                                    r"write: empty, figures/mine\.png, html/sub, mine, notes\.txt;"):
        rf.check_output_dir(tmp_path)


def test_a_report_from_before_the_file_list_is_judged_by_its_layout(tmp_path):
    write_report(tmp_path, REPORT, listed=False)
    rf.check_output_dir(tmp_path)
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(rf.ReportFolderError, match=r"holds 1 file\(s\) or folder\(s\) .*: notes\.txt;"):
        rf.check_output_dir(tmp_path)


def test_what_dead_runs_left_is_removed_and_a_swapped_out_report_put_back(tmp_path, dead_pid):
    (tmp_path / f".out.report-staging-{dead_pid}" / "html").mkdir(parents=True)
    (tmp_path / f".kept.report-old-{dead_pid}").mkdir()  # a killed run had swapped 'kept' out
    (tmp_path / f".kept.report-old-{dead_pid}" / "index.html").write_text("earlier", encoding="utf-8")
    (tmp_path / f".latest.report-link-{dead_pid}").symlink_to("out")
    (tmp_path / f".out.report-old-{dead_pid}").mkdir()  # 'out' exists: the swapped-out copy is stale
    (tmp_path / "out").mkdir()
    live = tmp_path / f".other.report-staging-{os.getpid()}"  # a run still going
    live.mkdir()
    (tmp_path / ".notes.tmp-12").write_text("not ours", encoding="utf-8")
    removed = rf.remove_stale(tmp_path)
    assert sorted(p.name for p in removed) == sorted(
        [f".out.report-staging-{dead_pid}", f".latest.report-link-{dead_pid}", f".out.report-old-{dead_pid}"])
    assert (tmp_path / "kept" / "index.html").read_text(encoding="utf-8") == "earlier"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([".notes.tmp-12", live.name, "kept", "out"])


def test_latest_is_a_relative_link_swapped_in_place(tmp_path):
    for name in ("2026-01-01-Guangzhou", "2026-01-08-Guangzhou"):
        (tmp_path / name).mkdir()
        rf.point_latest(tmp_path / name)
        assert os.readlink(tmp_path / rf.LATEST) == name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-01-01-Guangzhou", "2026-01-08-Guangzhou", "latest"]

