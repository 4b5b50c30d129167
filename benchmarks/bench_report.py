"""Wall time and peak memory of the full report, next to a floor measured in the same run.

The floor: papermill executing an empty notebook that only imports the libraries the
report notebooks import, as many times as there are report notebooks, with the same
parallelism. The report cannot be faster than starting that many kernels and importing;
the ratio says how much the report's own work adds. Target: report <= 1.5 x floor.

    python benchmarks/bench_report.py [--jobs N] [--repeat K]

Prints figures; asserts nothing (speed is not a test).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import psutil

from analysis.parameters import check_parameters
from analysis.report import notebook_paths, run_report

IMPORTS = "from analysis import sheets"
"""What every report notebook imports (sheets brings pandas, numpy, matplotlib, seaborn)."""


class PeakMemory:
    """Samples the summed RSS of this process and all its children (kernels included)."""

    def __init__(self, interval: float = 0.05):
        self.interval, self.peak, self._stop = interval, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for process in [me, *me.children(recursive=True)]:
                try:
                    total += process.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            time.sleep(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def _run_empty(path: str) -> None:
    from analysis.execution import kernel_folder, run_notebook

    with kernel_folder() as kernels:   # the same kernel launch as the report (this interpreter, IPC)
        error = run_notebook(Path(path), Path(path), {}, kernel_dir=kernels)
    if error:
        raise SystemExit(f"floor notebook failed: {error}")


def floor(count: int, jobs: int, folder: Path) -> float:
    """Seconds for papermill to run ``count`` import-only notebooks, ``jobs`` at a time."""
    paths = []
    for i in range(count):
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.cells = [nbformat.v4.new_code_cell(IMPORTS)]
        path = folder / f"empty_{i}.ipynb"
        nbformat.write(nb, path)
        paths.append(str(path))
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(_run_empty, paths))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    count = len(notebook_paths())
    params = check_parameters()
    jobs = min(args.jobs, count)
    floors, reports, peaks_floor, peaks_report = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):
            with PeakMemory() as memory:
                floors.append(floor(count, jobs, Path(tmp)))
            peaks_floor.append(memory.peak)
            with PeakMemory() as memory:
                started = time.perf_counter()
                results = run_report(params, Path(tmp) / f"report_{i}", jobs=jobs, progress=False)
                reports.append(time.perf_counter() - started)
            peaks_report.append(memory.peak)
            if not all(r.ok for r in results):
                raise SystemExit(f"report failed: {[r.error for r in results if not r.ok]}")
    mib = 1024 * 1024
    print(f"notebooks: {count}, parallel jobs: {jobs}, CPUs: {os.cpu_count()}, repeats: {args.repeat}")
    print(f"floor  (papermill, import-only notebooks): median {statistics.median(floors):6.1f} s  "
          f"(runs: {', '.join(f'{t:.1f}' for t in floors)}), peak RSS {max(peaks_floor) / mib:,.0f} MiB")
    print(f"report (full run incl. HTML, xlsx):         median {statistics.median(reports):6.1f} s  "
          f"(runs: {', '.join(f'{t:.1f}' for t in reports)}), peak RSS {max(peaks_report) / mib:,.0f} MiB")
    print(f"ratio report / floor: {statistics.median(reports) / statistics.median(floors):.2f} (target <= 1.5)")


if __name__ == "__main__":
    main()
