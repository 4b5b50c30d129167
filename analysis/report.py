"""Run every notebook headlessly with papermill and assemble the report folder.

Before any notebook starts, the run checks the whole data folder (every table, the keys
between them and the claim ledger) and the output location (see
:mod:`analysis.report_folder`). Each notebook then runs in a worker process of its own
(:mod:`analysis.workers`) with a kernel of this interpreter (:mod:`analysis.execution`)
and a time limit. A failing notebook does not stop the others: its executed copy, with
the error, is kept, and the run reports it and returns a non-zero status.

The run writes into a staging folder and moves it into place only when everything is
written, so an earlier report is never left half-overwritten. A stop signal (SIGTERM,
SIGINT, SIGHUP) stops every worker and kernel, removes the staging folder and raises
:class:`analysis.processes.RunInterrupted`.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from ._vocab import CONTEXT_GAP
from .catalogue import Labels
from .claims import load_claims
from .execution import kernel_folder, run_notebook
from .formatting import ReaderTable
from .landing import landing_page
from .loading import check_data_folder, load_sources
from .messages import Messages
from .outputs import READER_DIR, SUMMARY_DIR
from .pages import notebook_body, page
from .parameters import ReportParameters
from .processes import StopSignals
from .report_folder import (
    LATEST,
    LOW_FREE_BYTES,
    REPORTS_DIR,
    ReportFolderError,
    check_output_dir,
    dated_output_dir,
    describe,
    failed_dir,
    free_bytes,
    hidden_path,
    open_staging,
    point_latest,
    remove_empty,
    replace_dir,
    report_files,
)
from .shipped import shipped_folder
from .summary import build_summary
from .workbook import WORKBOOK, Sheet, sources_table, write_workbook
from .workers import WorkerPool

NOTEBOOKS_DIR = shipped_folder("notebooks")
DEFAULT_TIMEOUT = 600.0
"""Seconds one notebook may take, kernel start included (the slowest takes ~20 s)."""
OVERRUN_GRACE = 120.0
"""Seconds past the time limit after which a worker still busy (starting its kernel,
rendering HTML) is stopped; a cell still running at the limit fails well before."""

__all__ = ["DEFAULT_TIMEOUT", "LATEST", "NOTEBOOKS_DIR", "REPORTS_DIR", "WORKBOOK", "NotebookResult",
           "ReportFolderError", "check_output_dir", "dated_output_dir", "execute_notebook",
           "failed_dir", "notebook_paths", "run_report"]


@dataclass
class NotebookResult:
    """Outcome of one notebook: ``error`` is None on success."""

    name: str
    title: str
    seconds: float
    error: str | None = None
    values: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None


def notebook_paths(notebooks_dir=None) -> list[Path]:
    """The report's notebooks, in file-name order (``00_overview.ipynb`` first)."""
    folder = Path(notebooks_dir) if notebooks_dir is not None else NOTEBOOKS_DIR
    paths = sorted(folder.glob("*.ipynb"))
    if not paths:
        raise FileNotFoundError(f"no notebooks (*.ipynb) in {folder}.")
    return paths


def run_report(params: ReportParameters, out, *, notebooks_dir=None, jobs: int | None = None,
               timeout: float | None = DEFAULT_TIMEOUT, progress: bool = True,
               update_latest: bool = False) -> list[NotebookResult]:
    """Execute every notebook with ``params`` and write the report folder.

    Parameters
    ----------
    params : validated parameters (:func:`analysis.parameters.check_parameters`).
    out : report folder. A run in which every notebook succeeded replaces it as a whole
        at the end; any other run goes to :func:`failed_dir` ``(out)`` instead.
    notebooks_dir : folder of notebooks to run (default: the shipped ``notebooks/``).
    jobs : parallel notebooks (default: number of CPUs).
    timeout : seconds each notebook may take (None: no limit); a notebook over it fails.
    progress : show a progress bar on stderr.
    update_latest : point ``<out's parent>/latest`` at ``out`` if every notebook succeeded.

    Returns
    -------
    One :class:`NotebookResult` per notebook, in notebook order.

    Raises
    ------
    Before anything is written or run: an AnalysisError subclass naming the fault in the
    data folder (:func:`analysis.loading.check_data_folder`, the claim ledger) or in
    ``out`` (ReportFolderError: a file, not a report, holds files the report did not
    write, read-only, too little free space), FileNotFoundError when the notebooks folder
    has no notebook. During the run: ReportFolderError when the output location fails
    (the disk fills up), RunInterrupted on a stop signal. Either way nothing is replaced
    and no staging folder is left.
    """
    out = Path(out).resolve()
    check_data_folder(params.data_dir)
    load_claims(params.data_dir)
    paths = notebook_paths(notebooks_dir)
    check_output_dir(out)
    check_output_dir(failed_dir(out))
    staging, created, placed = hidden_path(out, "staging"), [], False
    with StopSignals() as stop_signals:
        try:
            created = open_staging(out)
            with kernel_folder() as kernels:
                started = time.time()
                results = _execute_all(paths, params, staging, jobs, timeout, progress, kernels,
                                       on_tick=lambda: _check_free_space(staging, out))
            ok = all(r.ok for r in results)
            if not ok:
                _check_free_space(staging, out)  # a notebook that failed on a full disk
            _assemble(staging, params, results, time.time() - started)
            with stop_signals.held():
                _place(staging, out if ok else failed_dir(out))
                placed = True
                if update_latest and ok:
                    point_latest(out)
        finally:
            with stop_signals.held():
                shutil.rmtree(staging, ignore_errors=True)
                if not placed:
                    remove_empty(created)  # e.g. reports/ on a fresh clone
    return results


def _check_free_space(staging: Path, out: Path) -> None:
    free = free_bytes(staging)
    if free < LOW_FREE_BYTES:
        raise ReportFolderError(
            f"the disk holding {out.parent} is full ({free / 2**20:.1f} MB free); the run stopped "
            "and replaced nothing. Free some space and run again.")


def _assemble(staging: Path, params: ReportParameters, results, seconds: float) -> None:
    """Write the workbook, the landing page and summary.json (last: it lists every file)."""
    labels = Labels.load(params.lang, params.data_dir)
    try:
        _write_workbook(staging, results, labels, load_sources(params.data_dir))
        _write_index(staging, labels, results, params, seconds)
        shutil.rmtree(staging / READER_DIR, ignore_errors=True)
        _write_summary(staging, params, results, seconds, labels)
    except OSError as exc:
        raise ReportFolderError(f"could not write the report in {staging.parent}: {describe(exc)}; "
                                "nothing was replaced.") from exc


def _place(staging: Path, target: Path) -> None:
    try:
        replace_dir(staging, target)
    except OSError as exc:
        raise ReportFolderError(f"could not move the report into {target}: {describe(exc)}; "
                                "nothing was replaced.") from exc


def _execute_all(paths, params, staging, jobs, timeout, progress, kernels, on_tick) -> list[NotebookResult]:
    import papermill  # noqa: F401  imported once here (about 1.4 s): each forked worker inherits it

    names = [p.stem for p in paths]
    bar = _progress_bar(len(paths), progress)

    def finished(index, result):
        bar.set_postfix_str(f"{result.name}: {'ok' if result.ok else 'FAILED'}")
        bar.update(1)

    def overrun(index):
        return NotebookResult(names[index], names[index], timeout + OVERRUN_GRACE,
                              f"did not finish within {timeout + OVERRUN_GRACE:g} s and was stopped")

    def lost(index, exitcode):
        return NotebookResult(names[index], names[index], 0.0,
                              f"its worker process ended (exit status {exitcode}) before the notebook finished")

    jobs = max(1, min(jobs or os.cpu_count() or 1, len(paths)))
    arguments = [(str(p), params.as_dict(), str(staging), timeout, str(kernels)) for p in paths]
    try:
        with WorkerPool(jobs) as pool:
            return pool.run(execute_notebook, arguments, overrun=overrun, lost=lost,
                            limit=None if timeout is None else timeout + OVERRUN_GRACE,
                            on_result=finished, on_tick=on_tick)
    finally:
        bar.close()


def _progress_bar(total: int, enabled: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="notebooks", unit="nb", disable=not enabled, file=sys.stderr)


def execute_notebook(path: str, parameters: dict, staging: str, timeout: float | None = None,
                     kernel_dir: str | None = None, *, on_kernel_start=None) -> NotebookResult:
    """Run one notebook with papermill into ``staging`` and render it to HTML.

    Never raises: an error inside the notebook (papermill saves the executed copy with the
    failing cell's traceback), a timeout, a kernel that dies or an unreadable output all
    come back as the result's ``error``, so one notebook cannot stop the others.
    ``timeout``, ``kernel_dir`` and ``on_kernel_start`` are those of
    :func:`analysis.execution.run_notebook` (``kernel_dir`` default: a new temporary folder).
    """
    source, staging = Path(path), Path(staging)
    started = time.time()
    try:
        with contextlib.nullcontext(kernel_dir) if kernel_dir else kernel_folder() as kernels:
            title, error, values = _execute_and_render(source, parameters, staging, timeout,
                                                       Path(kernels), on_kernel_start)
    except Exception as exc:  # anything outside the notebook's own cells
        title, error, values = source.stem, f"{type(exc).__name__}: {exc}", {}
    return NotebookResult(source.stem, title, time.time() - started, error, values)


def _execute_and_render(source: Path, parameters: dict, staging: Path, timeout, kernel_dir: Path,
                        on_kernel_start):
    import nbformat

    executed = staging / "notebooks" / source.name
    error = run_notebook(source, executed, {**parameters, "output_dir": str(staging)},
                         kernel_dir=kernel_dir, timeout=timeout, on_kernel_start=on_kernel_start)
    summary = staging / SUMMARY_DIR / f"{source.stem}.json"
    values = json.loads(summary.read_text(encoding="utf-8")) if summary.is_file() else {}
    title = values.get("title") or source.stem
    if executed.is_file():
        notebook = nbformat.read(executed, as_version=4)
        lang = parameters.get("lang", "en")
        nav = f'<a href="../index.html">{html.escape(Messages(lang)("landing.back"))}</a>'
        (staging / "html" / f"{source.stem}.html").write_text(
            page(title, notebook_body(notebook), lang, nav=nav), encoding="utf-8")
    return title, error, values


def _write_summary(staging: Path, params: ReportParameters, results, seconds: float, labels) -> None:
    gaps = [code for code in labels.gaps.index if code != CONTEXT_GAP]
    files = {*report_files(staging), "summary.json"} - {READER_DIR}  # what a later run may replace
    summary = build_summary(params, results, seconds, gaps, files)
    (staging / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")


def _write_workbook(staging: Path, results, labels, sources) -> None:
    """One sheet per notebook (its tables in the order it shows them) and a sources sheet."""
    msg = labels.msg
    sheets = []
    for result in results:
        layouts = staging / READER_DIR / f"{result.name}.json"
        tables = ([ReaderTable.from_layout(t) for t in json.loads(layouts.read_text(encoding="utf-8"))]
                  if layouts.is_file() else [])
        failure = None if result.ok else msg("workbook.failed", error=result.error or "")
        sheets.append(Sheet(result.name, result.title, tables, failure))
    sheets.append(Sheet("sources", msg("workbook.sources"), [sources_table(sources, labels)]))
    write_workbook(staging / WORKBOOK, sheets, units_label=msg("column.unit"))


def _write_index(staging: Path, labels, results, params, seconds) -> None:
    gaps = [code for code in labels.gaps.index if code != CONTEXT_GAP]
    summary = build_summary(params, results, seconds, gaps, [])
    (staging / "index.html").write_text(landing_page(summary, labels), encoding="utf-8")
