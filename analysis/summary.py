"""``summary.json``: what a report run found, for machines (stable keys and codes).

The file's layout is documented in ``docs/summary-json.md`` and described by the JSON
Schema ``docs/summary.schema.json`` (:data:`SCHEMA_VERSION`); keys and codes are the same
whatever ``--lang`` is (texts in the reader's language appear only as values: notebook
titles, figure captions, error messages).
"""

from __future__ import annotations

import datetime

SCHEMA_VERSION = 2
"""Version of the layout of summary.json; raised whenever a key changes meaning or goes."""


def build_summary(params, results, seconds: float, gaps, files) -> dict:
    """The content of summary.json.

    Parameters
    ----------
    params : the run's :class:`~analysis.parameters.ReportParameters`.
    results : the :class:`~analysis.report.NotebookResult` of each notebook, in order.
    seconds : wall time of the run.
    gaps : the report's gap codes in report order (``gaps.csv``, ``context`` excluded).
    files : every file of the report folder (relative paths), summary.json included.

    Returns
    -------
    dict: ``schema_version``, ``generated``, ``parameters``, ``seconds``, ``ok``,
    ``notebooks`` (per notebook: ``title``, ``ok``, ``error``, ``seconds``, ``values``),
    ``findings`` (the finding of each gap in report order, ``null`` where its notebook
    failed), ``index``, ``coverage``, ``verdict_counts`` (from the notebooks that record
    them, else ``null``) and ``files``.
    """
    recorded = {r.name: r.values for r in results}
    by_gap = {values["finding"]["gap"]: values["finding"] for values in recorded.values() if "finding" in values}
    return {
        "schema_version": SCHEMA_VERSION,
        "generated": datetime.datetime.now().isoformat(timespec="seconds"),
        "parameters": params.as_dict(),
        "seconds": round(seconds, 1),
        "ok": all(r.ok for r in results),
        "notebooks": {r.name: {"title": r.title, "ok": r.ok, "error": r.error, "seconds": round(r.seconds, 1),
                               "values": r.values} for r in results},
        "findings": [by_gap.get(gap) or {"gap": gap, "missing": True} for gap in gaps],
        "index": _first(recorded, "index"),
        "coverage": _first(recorded, "coverage"),
        "verdict_counts": _first(recorded, "verdict_counts"),
        "files": sorted(files),
    }


def _first(recorded: dict, key: str):
    return next((values[key] for values in recorded.values() if key in values), None)
