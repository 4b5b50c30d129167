"""The report command's exit-status contract, by fault injection on the real command.

Most runs use the two tiny fixture notebooks (tests/fixtures/notebooks): ``a_values``
records its parameters and ``b_sleep`` sleeps ``$ANALYSIS_TEST_SLEEP`` seconds and fails
when ``$ANALYSIS_TEST_FAIL`` is set. Signals are sent to the command run in a subprocess,
exactly as a scheduler would; the other faults run ``cli.main`` in this process so an
``OSError`` can be simulated where it would happen.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import psutil
import pytest

from analysis import cli, report, report_folder
from analysis.datapackage import resolve_data_dir
from analysis.execution import KERNEL_FOLDER_PREFIX

SHIPPED = resolve_data_dir()
README = Path(__file__).resolve().parent.parent / "README.md"
FIXTURE_NOTEBOOKS = Path(__file__).resolve().parent / "fixtures" / "notebooks"
KERNEL_FOLDERS = Path(tempfile.gettempdir())
FIXTURES = ["--notebooks", str(FIXTURE_NOTEBOOKS)]


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "analysis", "report", *args]


def run(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(command(*args), cwd=cwd, env={**os.environ, **(env or {})},
                          capture_output=True, text=True, timeout=300)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` with the SHA-256 of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def alive(processes, wait: float = 5.0) -> list:
    """The processes of ``processes`` still running after up to ``wait`` seconds (a zombie
    has ended: it only waits to be reaped by whichever process adopted it)."""
    def running(process) -> bool:
        try:
            return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
        except psutil.Error:
            return False
    deadline = time.monotonic() + wait
    left = [p for p in processes if running(p)]
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = [p for p in left if running(p)]
    return left


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


@pytest.fixture(scope="module")
def good_report(tmp_path_factory) -> Path:
    """A good report of the fixture notebooks, written by a quiet run (copied by each test)."""
    folder = tmp_path_factory.mktemp("good")
    done = run(*FIXTURES, "--out", "report", "--quiet", cwd=folder)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # quiet success: nothing on stderr, no kernel warning or ERROR
    assert one_line(done.stdout) == f"report: {folder / 'report'}/index.html (2 of 2 notebooks ok)"
    summary = json.loads((folder / "report" / "summary.json").read_text(encoding="utf-8"))
    # the kernel is this interpreter, not whatever a 'python3' kernelspec points at
    assert summary["notebooks"]["a_values"]["values"]["kernel_python"] == sys.executable
    return folder / "report"


@pytest.fixture()
def earlier(good_report, tmp_path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(good_report, out)
    return out


def start_hanging_run(out: Path) -> tuple[subprocess.Popen, list]:
    """Start the command with b_sleep hanging; return it and its workers and kernels once
    b_sleep's kernel runs."""
    process = subprocess.Popen(command(*FIXTURES, "--out", str(out), "--quiet"), cwd=out.parent,
                               env={**os.environ, "ANALYSIS_TEST_SLEEP": "600"},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    main = psutil.Process(process.pid)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if any("b_sleep.json" in _command_line(p) for p in main.children(recursive=True)):
            time.sleep(1)  # let it reach the sleeping cell
            return process, main.children(recursive=True)
        time.sleep(0.2)
    process.kill()
    raise AssertionError("the hanging notebook's kernel never started")


def _command_line(process) -> str:
    try:
        return " ".join(process.cmdline())
    except psutil.Error:  # it ended meanwhile
        return ""


# --- interruptions ----------------------------------------------------------------------

@pytest.mark.parametrize("signum, status", [(signal.SIGTERM, 143), (signal.SIGINT, 130),
                                            (signal.SIGHUP, 129)])
def test_a_stop_signal_stops_everything_and_leaves_the_earlier_report(earlier, signum, status):
    before = snapshot(earlier)
    process, descendants = start_hanging_run(earlier)
    assert len(descendants) >= 2  # workers and kernels
    process.send_signal(signum)
    _, err = process.communicate(timeout=60)
    assert process.returncode == status
    assert re.fullmatch(rf"error: interrupted by {signal.Signals(signum).name}; stopped every notebook "
                        rf"and kernel and removed the unfinished report; the report in {re.escape(str(earlier))} "
                        r"is unchanged\.", one_line(err))
    assert alive(descendants) == []
    assert hidden(earlier.parent) == [] and sorted(p.name for p in earlier.parent.iterdir()) == ["out"]
    assert snapshot(earlier) == before
    assert not list(KERNEL_FOLDERS.glob(f"{KERNEL_FOLDER_PREFIX}{process.pid}-*"))


def test_sigkill_leaves_no_process_and_the_next_run_removes_the_debris(earlier, tmp_path):
    before = snapshot(earlier)
    process, descendants = start_hanging_run(earlier)
    process.kill()
    process.communicate(timeout=60)
    assert alive(descendants) == []  # workers and kernels noticed their parent's death
    assert snapshot(earlier) == before
    assert hidden(tmp_path) == [f".out.report-staging-{process.pid}"]  # nothing could clean up

    done = run(*FIXTURES, "--out", "other", "--quiet", cwd=tmp_path)  # a later run beside it
    assert done.returncode == 0, done.stderr
    assert hidden(tmp_path) == []
    assert not list(KERNEL_FOLDERS.glob(f"{KERNEL_FOLDER_PREFIX}{process.pid}-*"))
    assert snapshot(earlier) == before


def test_a_hanging_cell_fails_its_notebook_at_the_time_limit(earlier):
    before = snapshot(earlier)
    done = run(*FIXTURES, "--out", str(earlier), "--quiet", "--timeout", "4", cwd=earlier.parent,
               env={"ANALYSIS_TEST_SLEEP": "600"})
    assert done.returncode == 1
    failed = report_folder.failed_dir(earlier)
    # cell 4: the title, the parameters cell, the injected parameters and the import come first
    assert re.search(r"FAILED b_sleep\.ipynb: timed out after 4 s in cell 4 \(In \[4\]\) "
                     rf"\(executed copy kept in {re.escape(str(failed))}/notebooks/\)", done.stderr)
    summary = json.loads((failed / "summary.json").read_text(encoding="utf-8"))
    assert summary["notebooks"]["a_values"]["ok"] and not summary["notebooks"]["b_sleep"]["ok"]
    assert snapshot(earlier) == before  # the good report stays; the failed one lands beside it
    assert hidden(earlier.parent) == []


# --- a failed run never replaces a good one -----------------------------------------------

def test_a_failing_run_on_the_day_of_a_good_one_leaves_latest_on_the_good_one(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["report", *FIXTURES, "--quiet"]) == 0
    latest = tmp_path / "reports" / report.LATEST
    good = latest.resolve()
    before = snapshot(good)

    monkeypatch.setenv("ANALYSIS_TEST_FAIL", "1")
    assert cli.main(["report", *FIXTURES, "--quiet"]) == 1
    assert "FAILED b_sleep.ipynb: cell 5 (In [5]) raised RuntimeError" in capsys.readouterr().err
    assert latest.resolve() == good and snapshot(good) == before
    failed = json.loads((report_folder.failed_dir(good) / "summary.json").read_text(encoding="utf-8"))
    assert failed["ok"] is False
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == sorted(
        [good.name, f"{good.name}-failed", report.LATEST])


def test_files_the_report_did_not_write_are_never_replaced(earlier, capsys):
    (earlier / "MY_NOTES.txt").write_text("notes", encoding="utf-8")
    (earlier / "my_charts").mkdir()
    (earlier / "my_charts" / "chart.png").write_bytes(b"png")
    (earlier / "html" / "extra.html").write_text("mine", encoding="utf-8")
    before = snapshot(earlier)
    assert cli.main(["report", *FIXTURES, "--out", str(earlier), "--quiet"]) == 2
    assert one_line(capsys.readouterr().err) == (
        f"error: {earlier} holds 3 file(s) or folder(s) the report did not write: MY_NOTES.txt, "
        "html/extra.html, my_charts; the run replaces the folder whole, so move them elsewhere "
        "or choose another --out.")
    assert snapshot(earlier) == before


# --- bad data: exit 2 before any notebook starts ----------------------------------------------

def _edit_observation(field: str, value: str):
    def edit(folder: Path) -> None:
        table = pd.read_csv(folder / "observations.csv", dtype=str, keep_default_na=False)
        table.loc[4, field] = value
        table.to_csv(folder / "observations.csv", index=False)
    return edit


def _other_unit(folder: Path) -> None:
    """Record 5 gets a unit of the allowed list that is not its catalogue unit."""
    table = pd.read_csv(folder / "observations.csv", dtype=str, keep_default_na=False)
    table.loc[4, "unit"] = "percent" if table.loc[4, "unit"] != "percent" else "count"
    table.to_csv(folder / "observations.csv", index=False)


def _header_only(folder: Path) -> None:
    path = folder / "observations.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")


def _claim_kind(folder: Path) -> None:
    table = pd.read_csv(folder / "claims.csv", dtype=str, keep_default_na=False)
    table.loc[0, "kind"] = "vibes"
    table.to_csv(folder / "claims.csv", index=False)


@pytest.mark.parametrize("damage, message", [
    (_edit_observation("city", "Atlantis"),
     r"observations\.csv, record 5 \(line 6\), field 'city': unknown city 'Atlantis'"),
    (_other_unit,
     r"observations\.csv, record 5 \(line 6\), field 'unit': unit '\w+' differs from the catalogue unit"),
    (_edit_observation("source_id", "src-0000000000"),
     r"observations\.csv, record 5 \(line 6\), field 'source_id': source 'src-0000000000' is not in sources\.csv"),
    (lambda folder: (folder / "indicators.csv").unlink(), r"indicators\.csv: file missing"),
    (_header_only, r"observations\.csv: holds a header but no observation"),
    (_claim_kind, r"claims\.csv, record 1 \(line 2\), field 'kind': 'vibes' is not one of"),
], ids=["unknown-city", "unit-mismatch", "missing-source", "no-indicators", "header-only", "claims"])
def test_bad_data_stops_the_run_before_any_notebook(tmp_path, capsys, damage, message):
    data = tmp_path / "data"
    shutil.copytree(SHIPPED, data, ignore=shutil.ignore_patterns("raw"))
    damage(data)
    code = cli.main(["report", "--data-dir", str(data), "--out", str(tmp_path / "out"), "--quiet"])
    assert code == 2
    line = one_line(capsys.readouterr().err)
    assert line.startswith(f"error: {data}") and re.search(message, line), line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]  # no report, no staging


# --- the output location: exit 2 in one line, nothing written --------------------------------

def test_out_below_a_file_is_refused_in_one_line(tmp_path, capsys):
    (tmp_path / "afile.txt").write_text("x", encoding="utf-8")
    out = tmp_path / "afile.txt" / "sub" / "out"
    assert cli.main(["report", *FIXTURES, "--out", str(out), "--quiet"]) == 2
    assert one_line(capsys.readouterr().err) == (
        f"error: cannot write the report at {out}: {tmp_path / 'afile.txt'} is a file, not a folder.")


def test_a_read_only_location_is_refused_in_one_line(tmp_path, capsys, monkeypatch):
    read_only = tmp_path / "mnt"
    read_only.mkdir()
    mkdir = Path.mkdir

    def refuse(self, *args, **kwargs):
        if read_only in self.parents:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self))
        return mkdir(self, *args, **kwargs)
    monkeypatch.setattr(Path, "mkdir", refuse)
    out = read_only / "deep" / "out"
    assert cli.main(["report", *FIXTURES, "--out", str(out), "--quiet"]) == 2
    assert one_line(capsys.readouterr().err) == (
        f"error: cannot write the report at {out}: Read-only file system (errno 30).")
    assert list(read_only.iterdir()) == []


def test_too_little_free_space_is_refused_before_any_notebook(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(report_folder, "free_bytes", lambda path: 3 * 2**20)
    out = tmp_path / "new" / "out"
    assert cli.main(["report", *FIXTURES, "--out", str(out), "--quiet"]) == 2
    assert one_line(capsys.readouterr().err) == (
        f"error: only 3.0 MB free at {out.parent}; a report run needs at least 50 MB. "
        "Free some space or choose another --out.")
    assert list(tmp_path.iterdir()) == []  # the parent it created is gone again


def test_a_disk_that_fills_up_during_the_run_stops_it(earlier, capsys, monkeypatch):
    before = snapshot(earlier)
    free = iter([10 * 2**30, 10 * 2**30])  # enough at the start, then the disk is full
    monkeypatch.setattr(report_folder, "free_bytes", lambda path: next(free, 2**20))
    monkeypatch.setattr(report, "free_bytes", lambda path: next(free, 2**20))
    monkeypatch.setenv("ANALYSIS_TEST_SLEEP", "2")
    assert cli.main(["report", *FIXTURES, "--out", str(earlier), "--quiet"]) == 2
    assert one_line(capsys.readouterr().err) == (
        f"error: the disk holding {earlier.parent} is full (1.0 MB free); the run stopped and "
        "replaced nothing. Free some space and run again.")
    assert snapshot(earlier) == before and hidden(earlier.parent) == []
    assert not report_folder.failed_dir(earlier).exists()

    new = earlier.parent / "deep" / "er" / "new"  # parent folders the run created go again
    assert cli.main(["report", *FIXTURES, "--out", str(new), "--quiet"]) == 2
    assert not (earlier.parent / "deep").exists()


def test_a_write_error_while_assembling_replaces_nothing(earlier, capsys, monkeypatch):
    before = snapshot(earlier)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(report, "_write_workbook", full)
    assert cli.main(["report", *FIXTURES, "--out", str(earlier), "--quiet"]) == 2
    assert one_line(capsys.readouterr().err) == (
        f"error: could not write the report in {earlier.parent}: No space left on device (errno 28); "
        "nothing was replaced.")
    assert snapshot(earlier) == before and hidden(earlier.parent) == []


# --- windows and the scheduled run -------------------------------------------------------------

@pytest.mark.parametrize("year", [2024, 2020])
def test_a_single_year_window_runs(tmp_path, capsys, year):
    """Years in which no compared city has some scoreboard series (an empty scoreboard)."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(report.NOTEBOOKS_DIR / "02_rd_intensity.ipynb", notebooks)
    out = tmp_path / "out"
    code = cli.main(["report", "--start", str(year), "--end", str(year), "--notebooks", str(notebooks),
                     "--out", str(out), "--quiet"])
    assert code == 0, capsys.readouterr().err
    observations = pd.read_csv(SHIPPED / "observations.csv")
    expected = observations.loc[(observations["indicator"] == "basic_research_share")
                                & observations["preferred"] & (observations["year"] == year)]
    table = pd.read_csv(out / "tables" / "02_rd_intensity" / "basic_research.csv")
    # the raw scoreboard: one row per compared city when any city has a figure, else none
    assert len(table) == (4 if len(expected) else 0)
    assert set(table["city"]) <= {"Guangzhou", "Beijing", "Shanghai", "Shenzhen"}
    assert table["value"].dropna().sort_values().tolist() == sorted(expected["value"])


def test_the_readme_cron_line_works_on_a_fresh_clone(tmp_path):
    line = next(s.strip() for s in README.read_text(encoding="utf-8").splitlines()
                if s.strip().startswith("0 6 * * 1"))
    clone = tmp_path / "clone"
    clone.mkdir()
    (clone / ".venv").symlink_to(sys.prefix)  # the venv as the README's setup line makes it
    shell = line.split(None, 5)[5].replace("/path/to/project", shlex.quote(str(clone)))
    shell = shell.replace("-m analysis report", f"-m analysis report --notebooks {shlex.quote(str(FIXTURE_NOTEBOOKS))}")
    done = subprocess.run(["/bin/sh", "-c", shell], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    log = (clone / "reports" / "cron.log").read_text(encoding="utf-8")
    assert re.fullmatch(r"report: \S+/reports/\d{4}-\d\d-\d\d-Guangzhou/index\.html \(2 of 2 notebooks ok\)\n", log)
    assert (clone / "reports" / report.LATEST / "summary.json").is_file()
