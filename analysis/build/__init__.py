"""Build the shipped dataset (``data/*.csv``, ``data/datapackage.json``) from ``data/raw``.

Run from the project root (``data/README.md`` describes the inputs and the rules)::

    python -m analysis.build build                # rebuild data/ from data/raw/
    python -m analysis.build build --out /tmp/x   # build elsewhere
    python -m analysis.build stubs                # draft curation rows for uncurated raw rows
    python -m analysis.build known-gaps --write   # rewrite the known-gaps table of data/README.md

Modules: :mod:`~analysis.build.schema` (the authored descriptor and the build's input
formats), :mod:`~analysis.build.heuristics` (what a raw note and quote say about a
figure), :mod:`~analysis.build.curate` (raw rows -> observations and sources, step by step),
:mod:`~analysis.build.derive` (derived series), :mod:`~analysis.build.checks` (rules on the
authored tables and the observations), :mod:`~analysis.build.write` (staged, checked
output), :mod:`~analysis.build.stubs`, :mod:`~analysis.build.known_gaps`.
"""

from .curate import build, source_id
from .write import write

__all__ = ["build", "source_id", "write"]
