"""Run every notebook headlessly with papermill and assemble the report folder.

The run writes into a temporary folder beside the target and moves it into place only
when everything is written, so an earlier report at the same path is never left
half-overwritten. A failing notebook does not stop the others: its executed copy, with
the error, is kept, and the run reports it and returns a non-zero status.
"""

from __future__ import annotations

import datetime
import html
import json
import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import AnalysisError
from .outputs import FIGURES_DIR, SUMMARY_DIR, TABLES_DIR
from .parameters import ReportParameters
from .shipped import shipped_folder

NOTEBOOKS_DIR = shipped_folder("notebooks")
REPORTS_DIR = Path("reports")
LATEST = "latest"
WORKBOOK = "headline_tables.xlsx"


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


def dated_output_dir(params: ReportParameters, reports_dir=REPORTS_DIR, today=None) -> Path:
    """``reports/<YYYY-MM-DD>-<focus>``: where a run without ``--out`` lands."""
    today = today or datetime.date.today()
    return Path(reports_dir) / f"{today.isoformat()}-{params.focus}"


def run_report(params: ReportParameters, out, *, notebooks_dir=None, jobs: int | None = None,
               progress: bool = True, update_latest: bool = False) -> list[NotebookResult]:
    """Execute every notebook with ``params`` and write the report folder ``out``.

    Parameters
    ----------
    params : validated parameters (:func:`analysis.parameters.check_parameters`).
    out : report folder; replaced as a whole at the end of the run.
    notebooks_dir : folder of notebooks to run (default: the shipped ``notebooks/``).
    jobs : parallel notebooks (default: number of CPUs).
    progress : show a progress bar on stderr.
    update_latest : point ``<out's parent>/latest`` at ``out`` if every notebook succeeded.

    Returns
    -------
    One :class:`NotebookResult` per notebook, in notebook order.

    Raises
    ------
    ReportFolderError when ``out`` must not be replaced, FileNotFoundError when the
    notebooks folder has no notebook: both before anything is written or run.
    """
    out = Path(out).resolve()
    check_output_dir(out)
    paths = notebook_paths(notebooks_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.tmp-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "notebooks").mkdir(parents=True)
    (staging / "html").mkdir()
    started = time.time()
    try:
        results = _execute_all(paths, params, staging, jobs, progress)
        _write_summary(staging, params, results, time.time() - started)
        _write_workbook(staging, results)
        _write_index(staging, params, results)
        _replace_dir(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if update_latest and all(r.ok for r in results):
        _point_latest(out)
    return results


def check_output_dir(out: Path) -> None:
    """Raise ReportFolderError unless ``out`` is absent, empty, or an earlier report.

    The run replaces ``out`` whole, so a folder holding anything else (``--out .``,
    ``--out data``, a typo) must never be taken for a report.
    """
    if out.is_file():
        raise ReportFolderError(f"{out} is a file; --out must name a report folder.")
    if not out.is_dir() or not any(out.iterdir()):
        return
    try:
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        summary = None
    if not (isinstance(summary, dict) and "parameters" in summary and "notebooks" in summary):
        raise ReportFolderError(
            f"{out} exists and is not an earlier report (no summary.json written by this package); "
            "the run replaces its --out folder whole, so choose a new or empty folder.")


class ReportFolderError(AnalysisError, ValueError):
    """--out names a folder the report run must not replace."""


def _execute_all(paths, params, staging, jobs, progress) -> list[NotebookResult]:
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(paths)))
    results: dict[str, NotebookResult] = {}
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(execute_notebook, str(p), params.as_dict(), str(staging))
                   for p in paths]
        bar = _progress_bar(len(futures), progress)
        for future in as_completed(futures):
            result = future.result()
            results[result.name] = result
            bar.set_postfix_str(f"{result.name}: {'ok' if result.ok else 'FAILED'}")
            bar.update(1)
        bar.close()
    return [results[p.stem] for p in paths]


def _progress_bar(total: int, enabled: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="notebooks", unit="nb", disable=not enabled, file=sys.stderr)


def execute_notebook(path: str, parameters: dict, staging: str) -> NotebookResult:
    """Run one notebook with papermill into ``staging`` and render it to HTML.

    Never raises: an error inside the notebook (papermill saves the executed copy with the
    failing cell's traceback), a kernel that dies or an unreadable output all come back as
    the result's ``error``, so one notebook cannot stop the others.
    """
    source, staging = Path(path), Path(staging)
    started = time.time()
    try:
        title, error, values = _execute_and_render(source, parameters, staging)
    except Exception as exc:  # anything outside the notebook's own cells
        title, error, values = source.stem, f"{type(exc).__name__}: {exc}", {}
    return NotebookResult(source.stem, title, time.time() - started, error, values)


def _execute_and_render(source: Path, parameters: dict, staging: Path):
    import nbformat
    import papermill
    from nbconvert import HTMLExporter

    executed = staging / "notebooks" / source.name
    error = None
    try:
        papermill.execute_notebook(
            str(source), str(executed), parameters={**parameters, "output_dir": str(staging)},
            cwd=str(source.parent), progress_bar=False, kernel_name="python3")
    except papermill.PapermillExecutionError as exc:
        error = (f"cell {exc.cell_index} (In [{exc.exec_count}]) raised "
                 f"{exc.ename}: {exc.evalue}")
    except Exception as exc:  # kernel died, bad notebook file, ...: keep the run going
        error = f"{type(exc).__name__}: {exc}"
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


def _replace_dir(staging: Path, out: Path) -> None:
    """Move ``staging`` to ``out``; an earlier ``out`` is swapped out whole, then removed."""
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    had_old = out.exists() or out.is_symlink()
    if had_old:
        os.replace(out, old)
    try:
        os.replace(staging, out)
    except OSError:
        if had_old:
            os.replace(old, out)  # put the earlier report back before giving up
        raise
    shutil.rmtree(old, ignore_errors=True)


def _point_latest(out: Path) -> None:
    link = out.parent / LATEST
    temporary = out.parent / f".{LATEST}.tmp-{os.getpid()}"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(out.name)
    os.replace(temporary, link)
