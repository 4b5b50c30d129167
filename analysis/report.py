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
import datetime
import html
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .claims import load_claims
from .execution import kernel_folder, run_notebook
from .loading import check_data_folder
from .outputs import FIGURES_DIR, SUMMARY_DIR, TABLES_DIR
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
from .workers import WorkerPool

NOTEBOOKS_DIR = shipped_folder("notebooks")
WORKBOOK = "headline_tables.xlsx"
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
    try:
        _write_workbook(staging, results)
        _write_index(staging, params, results)
        _write_summary(staging, params, results, seconds)
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
    from nbconvert import HTMLExporter

    executed = staging / "notebooks" / source.name
    error = run_notebook(source, executed, {**parameters, "output_dir": str(staging)},
                         kernel_dir=kernel_dir, timeout=timeout, on_kernel_start=on_kernel_start)
    title = source.stem
    if executed.is_file():
        notebook = nbformat.read(executed, as_version=4)
        title = _notebook_title(notebook) or title
        body, _ = HTMLExporter().from_notebook_node(notebook)
        (staging / "html" / f"{source.stem}.html").write_text(body, encoding="utf-8")
    summary = staging / SUMMARY_DIR / f"{source.stem}.json"
    values = json.loads(summary.read_text(encoding="utf-8")) if summary.is_file() else {}
    return title, error, values


def _notebook_title(notebook) -> str | None:
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return None


def _write_summary(staging: Path, params: ReportParameters, results, seconds: float) -> None:
    summary = {
        "generated": datetime.datetime.now().isoformat(timespec="seconds"),
        "parameters": params.as_dict(),
        "seconds": round(seconds, 1),
        "ok": all(r.ok for r in results),
        "notebooks": {r.name: {"title": r.title, "ok": r.ok, "error": r.error,
                               "seconds": round(r.seconds, 1), "values": r.values}
                      for r in results},
        "files": sorted({*report_files(staging), "summary.json"}),  # what a later run may replace
    }
    (staging / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1),
                                          encoding="utf-8")


def _write_workbook(staging: Path, results) -> None:
    """One sheet per notebook; its recorded tables stacked with a title row each."""
    with pd.ExcelWriter(staging / WORKBOOK, engine="openpyxl") as writer:
        for result in results:
            folder = staging / TABLES_DIR / result.name
            row = 0
            sheet = result.name[:31]
            if not result.ok:  # tables recorded before the failure must not pass for a full run
                pd.DataFrame({result.name: [f"FAILED: {result.error}; tables below are partial"]}).to_excel(
                    writer, sheet_name=sheet, index=False)
                row = 3
            for table_path in sorted(folder.glob("*.csv")) if folder.is_dir() else []:
                table = pd.read_csv(table_path, index_col=0, encoding="utf-8")
                pd.DataFrame({table_path.stem: []}).to_excel(writer, sheet_name=sheet, startrow=row,
                                                             index=False)
                table.to_excel(writer, sheet_name=sheet, startrow=row + 1)
                row += len(table) + 4
            if row == 0:
                pd.DataFrame({result.name: ["no headline tables"]}).to_excel(writer, sheet_name=sheet, index=False)


def _write_index(staging: Path, params: ReportParameters, results) -> None:
    rows = []
    for r in results:
        status = "ok" if r.ok else f"<b>FAILED</b>: {html.escape(r.error)}"
        headline = "<br>".join(f"{html.escape(k)}: {html.escape(json.dumps(v, ensure_ascii=False))}"
                               for k, v in r.values.items() if not isinstance(v, (list, dict)))
        rows.append(f"<tr><td><a href='html/{r.name}.html'>{html.escape(r.title)}</a></td>"
                    f"<td><a href='notebooks/{r.name}.ipynb'>{r.name}.ipynb</a></td>"
                    f"<td>{status}</td><td>{headline}</td></tr>")
    figures = sorted((staging / FIGURES_DIR).glob("*.png")) if (staging / FIGURES_DIR).is_dir() else []
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Innovation gap report: {html.escape(params.focus)}</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:1100px}}td,th{{border-bottom:1px solid #ddd;
padding:.4em;vertical-align:top;text-align:left}}table{{border-collapse:collapse}}</style></head><body>
<h1>Innovation gap report: {html.escape(params.focus)} vs {html.escape(', '.join(params.peers))}</h1>
<p>Years {params.start_year}-{params.end_year}, language {params.lang}. Generated
{datetime.datetime.now():%Y-%m-%d %H:%M}. Data folder: {html.escape(params.data_dir)}.
Headline numbers: <a href="summary.json">summary.json</a>; tables: <a href="{WORKBOOK}">{WORKBOOK}</a>.</p>
<table><tr><th>Notebook</th><th>Executed</th><th>Status</th><th>Headline values</th></tr>
{''.join(rows)}</table>
<h2>Figures</h2>{''.join(f"<p><img src='figures/{p.name}' style='max-width:100%'></p>" for p in figures)}
</body></html>"""
    (staging / "index.html").write_text(page, encoding="utf-8")
