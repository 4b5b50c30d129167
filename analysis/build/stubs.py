"""Draft curation rows for raw rows that ``curation.csv`` does not cover yet."""

from __future__ import annotations

from pathlib import Path

from .curate import raw_key, read_raw
from .heuristics import text_flags
from .schema import CURATION_COLUMNS, UNRELIABLE, Schema
from .write import to_csv


def stubs(raw_dir) -> str:
    """CSV text of draft curation rows (heuristic flags, empty series) to review and paste.

    The ``reason`` of each draft starts with ``REVIEW:`` and the raw note, so an unreviewed
    row is easy to find; ``series`` is empty, which leaves the row out until it is set.
    """
    raw_dir = Path(raw_dir)
    raw, inputs, _ = read_raw(raw_dir, Schema.read(raw_dir))
    known = {raw_key(row) for row in inputs["curation.csv"]}
    rows = []
    for row in raw:
        if UNRELIABLE in row["note"] or raw_key(row) in known:
            continue
        flags = text_flags(row["note"], row["quote"], row["value"])
        rows.append({"raw_file": row["raw_file"], "city": row["city"], "year": row["year"],
                     "raw_indicator": row["indicator"], "value": row["value"],
                     "source_url": row["source_url"], "series": "", "cities": "", "level": "",
                     "area": "", "area_zh": "", "preferred": "",
                     "vintage": "", **flags, "derived": False, "corrected_year": "",
                     "flag_note": "", "reason": "REVIEW: " + row["note"][:120]})
    return to_csv(rows, CURATION_COLUMNS)
