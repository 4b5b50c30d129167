"""Command line: ``python -m analysis report [options]`` runs the full report;
``python -m analysis coverage [options]`` prints which years the data covers.

Parameters are checked against the data before any notebook runs; a bad one exits with
status 2 and one line naming the fault. A failing notebook exits with status 1 after
the other notebooks have run.
"""

from __future__ import annotations

import argparse
import sys

from .errors import AnalysisError
from .loading import load_observations
from .parameters import DEFAULT_END, DEFAULT_FOCUS, DEFAULT_PEERS, DEFAULT_START, check_parameters
from .report import REPORTS_DIR, dated_output_dir, run_report
from .tables import coverage_change, coverage_table, markdown_table


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Benchmark a focus city's innovation gaps against peer cities.")
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser(
        "report", help="execute every notebook and write the report folder",
        description="Execute every notebook with papermill and write executed notebooks, "
                    "HTML, PNG figures, index.html, summary.json and an Excel workbook.")
    report.add_argument("--focus", default=DEFAULT_FOCUS, help="focus city (default %(default)s)")
    report.add_argument("--peers", nargs="+", default=list(DEFAULT_PEERS),
                        help="peer cities (default: %(default)s)")
    report.add_argument("--start", type=int, default=DEFAULT_START, help="first year (default %(default)s)")
    report.add_argument("--end", type=int, default=DEFAULT_END, help="last year (default %(default)s)")
    report.add_argument("--lang", default="en", choices=["en", "zh"], help="chart and table language")
    report.add_argument("--data-dir", default=None,
                        help="data folder (default: $ANALYSIS_DATA_DIR or the shipped data/)")
    report.add_argument("--out", default=None,
                        help=f"report folder (default: {REPORTS_DIR}/<date>-<focus>/, and "
                             f"{REPORTS_DIR}/latest is pointed at it after a clean run)")
    report.add_argument("--jobs", type=int, default=None, help="parallel notebooks (default: CPUs)")
    report.add_argument("--notebooks", default=None, help="folder of notebooks to run")
    report.add_argument("--quiet", action="store_true", help="no progress bar")
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
    try:
        params = check_parameters(args.focus, args.peers, args.start, args.end, args.data_dir,
                                  args.lang)
    except AnalysisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.jobs is not None and args.jobs < 1:
        print(f"error: --jobs must be at least 1, not {args.jobs}.", file=sys.stderr)
        return 2
    out = args.out or dated_output_dir(params)
    try:  # run_report checks --out and the notebooks folder before it runs anything
        results = run_report(params, out, notebooks_dir=args.notebooks, jobs=args.jobs,
                             progress=not args.quiet, update_latest=args.out is None)
    except (AnalysisError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    failed = [r for r in results if not r.ok]
    for r in failed:
        print(f"FAILED {r.name}.ipynb: {r.error} (executed copy kept in {out}/notebooks/)",
              file=sys.stderr)
    print(f"report: {out}/index.html ({len(results) - len(failed)} of {len(results)} notebooks ok)")
    return 1 if failed else 0


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
