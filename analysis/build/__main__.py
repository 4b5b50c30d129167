"""Command line of the dataset build: ``python -m analysis.build build | stubs | known-gaps``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import AnalysisError
from .curate import build
from .known_gaps import (
    END,
    PEER_MARKERS,
    START,
    known_gaps_table,
    peer_coverage_table,
    readme_table,
    write_readme_table,
)
from .stubs import stubs
from .write import write

ROOT = Path(__file__).resolve().parents[2]
"""Project root of a source checkout (the build is a developer tool)."""
DEFAULT_RAW = ROOT / "data" / "raw"
DEFAULT_OUT = ROOT / "data"
DEFAULT_README = ROOT / "data" / "README.md"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis.build",
                                     description="Build the shipped dataset from data/raw.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("build", help="rebuild data/*.csv and data/datapackage.json")
    run.add_argument("--raw", type=Path, default=DEFAULT_RAW, help="raw folder (default data/raw)")
    run.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default data)")
    draft = commands.add_parser("stubs", help="print draft curation rows for uncurated raw rows")
    draft.add_argument("--raw", type=Path, default=DEFAULT_RAW, help="raw folder (default data/raw)")
    gaps = commands.add_parser("known-gaps", help="print (or --write) the known-gaps table and the "
                               "peer-group coverage tables of data/README.md")
    gaps.add_argument("--write", action="store_true", help="replace the table in the README")
    gaps.add_argument("--readme", type=Path, default=DEFAULT_README, help="README holding the table")
    gaps.add_argument("--data-dir", type=Path, default=None,
                      help="data folder (default: $ANALYSIS_DATA_DIR or the shipped data/)")
    gaps.add_argument("--check", action="store_true",
                      help="exit 1 if the README's table differs from the data")
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "stubs":
            sys.stdout.write(stubs(args.raw))
        elif args.command == "build":
            for path in write(build(args.raw), args.out):
                print(f"wrote {path}")
        else:
            tables = [(known_gaps_table(args.data_dir), (START, END))]
            tables += [(peer_coverage_table(group, args.data_dir), markers)
                       for group, markers in PEER_MARKERS.items()]
            if args.check:
                return 0 if all(readme_table(args.readme, markers) == table
                                for table, markers in tables) else 1
            for table, markers in tables:
                if args.write:
                    write_readme_table(args.readme, table, markers)
                else:
                    print(table, end="\n\n")
            if args.write:
                print(f"wrote {args.readme}")
    except AnalysisError as exc:
        print(f"python -m analysis.build: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
