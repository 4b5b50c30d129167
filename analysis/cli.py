"""Command line: ``python -m analysis report [options]`` runs the full report;
``python -m analysis coverage [options]`` prints which years the data covers.

The report command's exit status (:data:`EXIT_STATUS`, also in ``--help``): 0 every
notebook succeeded; 1 a notebook failed or timed out (the others still ran; each failure
is named with its notebook and cell); 2 bad parameters, bad data or an unusable output
location, in one line naming what and where, found before any notebook starts (or, for a
disk that fills up, when it happens), with nothing replaced; 128 + the signal number
(130 SIGINT, 143 SIGTERM, 129 SIGHUP) for an interrupted run, after it stopped its
workers and kernels and removed its unfinished report.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import AnalysisError
from .loading import load_observations
from .parameters import DEFAULT_END, DEFAULT_FOCUS, DEFAULT_PEERS, DEFAULT_START, check_parameters
from .processes import RunInterrupted
from .report import DEFAULT_TIMEOUT, REPORTS_DIR, dated_output_dir, failed_dir, run_report
from .report_folder import describe
from .tables import coverage_change, coverage_table, markdown_table

EXIT_STATUS = """exit status:
  0    every notebook succeeded; the report is in --out (or reports/<date>-<focus>/,
       and reports/latest points at it)
  1    a notebook failed or timed out; the others still ran and each failure is named
       with its notebook and cell; this report is in <out>-failed/, so the report in
       --out and reports/latest stay the last good one
  2    bad parameters, bad data or an unusable output location (read-only, full, a
       file, a folder holding files the report did not write), in one line naming what
       and where; found before any notebook starts (a disk that fills up during the run
       stops it), and nothing is replaced or left behind
  130  interrupted by SIGINT (Ctrl-C); 143 by SIGTERM; 129 by SIGHUP: every worker and
       kernel is stopped, the unfinished report removed, the earlier one left as it was"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Benchmark a focus city's innovation gaps against peer cities.")
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser(
        "report", help="execute every notebook and write the report folder",
        description="Execute every notebook with papermill and write executed notebooks, "
                    "HTML, PNG figures, index.html, summary.json and an Excel workbook. The "
                    "data folder and the output location are checked before any notebook starts.",
        epilog=EXIT_STATUS, formatter_class=argparse.RawDescriptionHelpFormatter)
    report.add_argument("--focus", default=DEFAULT_FOCUS, help="focus city (default %(default)s)")
    report.add_argument("--peers", nargs="+", default=list(DEFAULT_PEERS),
                        help="peer cities and groups: core (Beijing, Shanghai, Shenzhen, Guangzhou), "
                             "domestic (Hangzhou, Nanjing, Suzhou, Wuhan, Chengdu, Xian), global (Tokyo, "
                             "Seoul, Singapore, Boston, SanFrancisco-SanJose, London, NewYork); a group "
                             "leaves out the focus city (default: %(default)s)")
    report.add_argument("--start", type=int, default=DEFAULT_START, help="first year (default %(default)s)")
    report.add_argument("--end", type=int, default=DEFAULT_END, help="last year (default %(default)s)")
    report.add_argument("--lang", default="en", choices=["en", "zh"], help="chart and table language")
    report.add_argument("--data-dir", default=None,
                        help="data folder (default: $ANALYSIS_DATA_DIR or the shipped data/)")
    report.add_argument("--out", default=None,
                        help=f"report folder (default: {REPORTS_DIR}/<date>-<focus>/, and "
                             f"{REPORTS_DIR}/latest is pointed at it after a clean run); a run "
                             "in which a notebook failed goes to <out>-failed/ instead")
    report.add_argument("--jobs", type=int, default=None, help="parallel notebooks (default: CPUs)")
    report.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help="time one notebook may take, kernel start included; a notebook over "
                             "it fails (default %(default)g)")
    report.add_argument("--notebooks", default=None, help="folder of notebooks to run")
    report.add_argument("--quiet", action="store_true",
                        help="no progress bar: a good run prints only its summary line (stdout)")
    coverage = commands.add_parser(
        "coverage", help="print the years covered per indicator and city (markdown)",
        description="Print, as a markdown table, the years with a (preferred) figure for each "
                    "indicator and city; with --before, the count of years in an earlier "
                    "data folder and now.")
    coverage.add_argument("--start", type=int, default=DEFAULT_START, help="first year (default %(default)s)")
    coverage.add_argument("--end", type=int, default=DEFAULT_END, help="last year (default %(default)s)")
    coverage.add_argument("--cities", nargs="+", default=None, help="cities (default: all)")
    coverage.add_argument("--indicators", nargs="+", default=None, help="series codes (default: all)")
    coverage.add_argument("--data-dir", default=None,
                          help="data folder (default: $ANALYSIS_DATA_DIR or the shipped data/)")
    coverage.add_argument("--before", default=None,
                          help="earlier data folder to compare with (cells read 'before → now')")
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "coverage":
        return print_coverage(args)
    return run_report_command(args)


def run_report_command(args) -> int:
    """The report command: exit status as :data:`EXIT_STATUS` says; one line per fault."""
    if args.jobs is not None and args.jobs < 1:
        return _error(f"--jobs must be at least 1, not {args.jobs}.")
    if not args.timeout > 0:
        return _error(f"--timeout must be a positive number of seconds, not {args.timeout:g}.")
    out = None
    try:
        params = check_parameters(args.focus, args.peers, args.start, args.end, args.data_dir,
                                  args.lang)
        out = Path(args.out or dated_output_dir(params)).resolve()
        # run_report checks the data folder, the notebooks folder and --out before it runs anything
        results = run_report(params, out, notebooks_dir=args.notebooks, jobs=args.jobs,
                             timeout=args.timeout, progress=not args.quiet,
                             update_latest=args.out is None)
    except (AnalysisError, FileNotFoundError) as exc:
        return _error(str(exc))
    except OSError as exc:  # an I/O fault the checks could not foresee: still one line
        return _error(f"{exc.filename or out}: {describe(exc)}.")
    except KeyboardInterrupt:  # Ctrl-C before the run started: nothing to clean up
        print("error: interrupted by SIGINT before any notebook started.", file=sys.stderr)
        return 130
    except RunInterrupted as stop:
        earlier = f"; the report in {out} is unchanged" if out is not None and out.is_dir() else ""
        print(f"error: {stop}; stopped every notebook and kernel and removed the unfinished "
              f"report{earlier}.", file=sys.stderr)
        return stop.exit_status
    failed = [r for r in results if not r.ok]
    folder = failed_dir(out) if failed else out
    for r in failed:
        print(f"FAILED {r.name}.ipynb: {r.error} (executed copy kept in {folder}/notebooks/)",
              file=sys.stderr)
    kept = f"; the report in {out} is unchanged" if failed and out.is_dir() else ""
    print(f"report: {folder}/index.html ({len(results) - len(failed)} of {len(results)} notebooks ok{kept})")
    return 1 if failed else 0


def _error(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def print_coverage(args) -> int:
    """Print the coverage table (or the before → now change table) as markdown."""
    years = range(args.start, args.end + 1)
    try:
        now = load_observations(args.cities, args.indicators, (args.start, args.end), args.data_dir)
        if args.before is None:
            table = coverage_table(now, years, cities=args.cities, indicators=args.indicators)
        else:
            before = load_observations(years=(args.start, args.end), data_dir=args.before)
            table = coverage_change(before, now, years, cities=args.cities, indicators=args.indicators)
    except AnalysisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(markdown_table(table))
    return 0
