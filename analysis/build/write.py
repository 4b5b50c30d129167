"""Write the built tables and the descriptor, checked by the package's own loaders first."""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from pathlib import Path

from ..catalogue import load_gaps
from ..datapackage import DESCRIPTOR
from ..loading import load_observations
from .schema import AUTHORED_RESOURCES, BUILT_RESOURCES


def to_csv(rows: list[dict], columns: list[str]) -> str:
    """``rows`` as CSV text: one header, ``\\n`` line ends, booleans as true/false."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["true" if row[c] is True else "false" if row[c] is False else row[c]
                         for c in columns])
    return buffer.getvalue()


def write(tables: dict, out_dir) -> list[Path]:
    """Write the tables of :func:`analysis.build.curate.build` and the descriptor to ``out_dir``.

    The files are first written to a staging folder inside ``out_dir`` and loaded there
    with :func:`analysis.loading.load_observations` (every check the users' loaders make:
    schema constraints, keys, units, sources, plausible ranges, preferred rows); only then
    are they moved into place, one file at a time, so a failed check leaves ``out_dir`` as
    it was. Returns the paths written.
    """
    schema = tables["schema"]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    texts = {schema.resource(name)["path"]: to_csv(tables[name], schema.columns(name))
             for name in (*BUILT_RESOURCES, *AUTHORED_RESOURCES)}
    texts[DESCRIPTOR] = schema.text
    staging = Path(tempfile.mkdtemp(prefix=".build-", dir=out_dir))
    try:
        for name, text in texts.items():
            (staging / name).write_text(text, encoding="utf-8", newline="")
        load_observations(data_dir=staging)
        load_gaps(staging)
        for name in texts:
            os.replace(staging / name, out_dir / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [out_dir / name for name in texts]
