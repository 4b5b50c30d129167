"""Read the tables of the data folder as its ``datapackage.json`` describes them.

The descriptor (Frictionless Data Package, Table Schema) is the single statement of the
table layout: field names and types, required fields, enum and range constraints and the
primary key. This module reads one resource, checks every record against its schema and
returns a typed :class:`pandas.DataFrame`. Cross-table checks (units, sources, preferred
rows) live in :mod:`analysis.loading`.
"""

from __future__ import annotations

import csv
import datetime
import json
import math
import os
from pathlib import Path

import pandas as pd

from .errors import (
    DataFileError,
    DuplicateObservationError,
    ImpossibleYearError,
    MalformedCSVError,
    MissingSourceError,
    MissingValueError,
    NonNumericValueError,
)
from .shipped import shipped_folder

DATA_DIR_ENV = "ANALYSIS_DATA_DIR"
"""Environment variable that points the loaders at another data folder."""

DESCRIPTOR = "datapackage.json"
_SHIPPED_DATA_DIR = shipped_folder("data")
_TRUE, _FALSE = {"true", "True", "TRUE", "1"}, {"false", "False", "FALSE", "0"}


def resolve_data_dir(data_dir=None) -> Path:
    """Folder the loaders read: ``data_dir``, else ``$ANALYSIS_DATA_DIR``, else shipped ``data/``."""
    chosen = data_dir if data_dir is not None else os.environ.get(DATA_DIR_ENV) or _SHIPPED_DATA_DIR
    path = Path(chosen).expanduser().resolve()
    if not (path / DESCRIPTOR).is_file():
        origin = ("argument data_dir" if data_dir is not None
                  else f"${DATA_DIR_ENV}" if os.environ.get(DATA_DIR_ENV) else "the shipped data folder")
        raise DataFileError(
            f"no {DESCRIPTOR} here (data folder from {origin}). Point data_dir or "
            f"${DATA_DIR_ENV} at a folder holding {DESCRIPTOR} and its CSV tables "
            "(a copy of the project's data/ folder).", path=path)
    return path


def read_descriptor(data_dir=None) -> dict:
    """The parsed ``datapackage.json`` of the data folder."""
    path = resolve_data_dir(data_dir) / DESCRIPTOR
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataFileError(f"not valid UTF-8 JSON ({exc}); restore it from the project's data/.",
                            path=path) from exc


def resource_schema(descriptor: dict, name: str) -> dict:
    """The resource called ``name`` (path and Table Schema) from a descriptor."""
    for resource in descriptor.get("resources", []):
        if resource.get("name") == name:
            return resource
    known = sorted(r.get("name", "?") for r in descriptor.get("resources", []))
    raise DataFileError(f"{DESCRIPTOR} has no resource '{name}' (it has: {', '.join(known)}).")


def read_table(name: str, data_dir=None) -> pd.DataFrame:
    """Read resource ``name`` of the data folder, checked against its Table Schema.

    Returns a DataFrame whose columns follow the schema's field order and types:
    ``integer`` -> Int64, ``number`` -> float64, ``boolean`` -> bool, ``string`` -> object
    (empty cells become ``""`` for optional strings, NaN/<NA> for optional numbers).
    Raises a :class:`~analysis.errors.DataFileError` subclass naming file, record and
    field for malformed CSV, wrong type, missing required value, enum or range
    violation, and repeated primary key.
    """
    folder = resolve_data_dir(data_dir)
    resource = resource_schema(read_descriptor(folder), name)
    path = folder / resource["path"]
    schema = resource["schema"]
    fields = schema["fields"]
    records, lines = _read_csv_records(path, [f["name"] for f in fields])
    columns = {f["name"]: [_convert(f, rec[f["name"]], path, i, lines[i - 1])
                           for i, rec in enumerate(records, start=1)] for f in fields}
    frame = pd.DataFrame({f["name"]: pd.Series(columns[f["name"]], dtype=_DTYPES[f.get("type", "string")])
                          for f in fields})
    _check_primary_key(frame, schema.get("primaryKey"), path, lines)
    frame.attrs["path"], frame.attrs["lines"] = str(path), lines
    return frame


_DTYPES = {"string": "object", "integer": "Int64", "number": "float64", "boolean": "bool",
           "date": "object", "year": "Int64"}


def _read_csv_records(path: Path, expected: list[str]):
    """Records of a CSV as dicts, and the line each record starts on."""
    if not path.is_file():
        raise DataFileError("file missing; restore it from the project's data/ folder.", path=path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:  # -sig: tolerate Excel's BOM
            reader = csv.reader(handle, strict=True)
            header = next(reader, None)
            if header is None:
                raise MalformedCSVError("file is empty; it needs the header row "
                                        f"{','.join(expected)}.", path=path)
            if header != expected:
                missing = [c for c in expected if c not in header]
                extra = [c for c in header if c not in expected]
                detail = "; ".join(x for x in (
                    f"missing column(s) {', '.join(missing)}" if missing else "",
                    f"unexpected column(s) {', '.join(extra)}" if extra else "",
                    "columns in a different order" if not missing and not extra else "") if x)
                raise MalformedCSVError(f"header does not match {DESCRIPTOR} ({detail}); "
                                        f"expected: {','.join(expected)}.", path=path, line=1)
            records, lines = [], []
            start = reader.line_num + 1
            for row in reader:
                if len(row) != len(expected):
                    raise MalformedCSVError(
                        f"{len(row)} fields where the header has {len(expected)}; check for an "
                        "unquoted comma or a missing field.", path=path, row=len(records) + 1,
                        line=start)
                records.append(dict(zip(expected, row)))
                lines.append(start)
                start = reader.line_num + 1
    except UnicodeDecodeError as exc:
        raise MalformedCSVError(f"not UTF-8 text ({exc}); save the file as UTF-8.", path=path) from exc
    except csv.Error as exc:
        raise MalformedCSVError(f"CSV cannot be parsed near line {reader.line_num}: {exc}; "
                                "check the quoting of that line.", path=path) from exc
    return records, lines


def _convert(field: dict, text: str, path: Path, row: int, line: int):
    """One cell converted to its schema type, with constraints checked."""
    name, kind = field["name"], field.get("type", "string")
    constraints = field.get("constraints", {})
    where = dict(path=path, row=row, line=line, field=name)
    if text == "":
        if constraints.get("required"):
            error = {"source_id": MissingSourceError}.get(name, MissingValueError)
            raise error("value is required but empty"
                        + ("; every figure needs a source in sources.csv." if name == "source_id" else "."),
                        **where)
        return "" if kind == "string" else None
    if kind in ("integer", "year"):
        try:
            value = int(text)
        except ValueError:
            error = ImpossibleYearError if _is_year(name) else NonNumericValueError
            raise error(f"'{text}' is not a whole number.", **where) from None
    elif kind == "number":
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):  # 'nan', 'inf' and '1e999' parse but are not figures
            raise NonNumericValueError(
                f"'{text}' is not a number; write a plain finite number in the row's unit "
                "(no thousands separators, units or words such as '超过'; leave out a missing "
                "figure instead of writing NaN).", **where)
    elif kind == "boolean":
        if text not in _TRUE | _FALSE:
            raise NonNumericValueError(f"'{text}' is not a boolean; write true or false.", **where)
        value = text in _TRUE
    else:
        value = text
    _check_constraints(name, value, constraints, where)
    return value


def _is_year(name: str) -> bool:
    return name == "year" or name.endswith("_year")


def _check_constraints(name: str, value, constraints: dict, where: dict) -> None:
    enum = constraints.get("enum")
    if enum is not None and value not in enum:
        raise DataFileError(f"'{value}' is not one of: {', '.join(map(str, enum))}.", **where)
    low, high = constraints.get("minimum"), constraints.get("maximum")
    if _is_year(name):
        high = min(h for h in (high, datetime.date.today().year) if h is not None)
    if (low is not None and value < low) or (high is not None and value > high):
        error = ImpossibleYearError if _is_year(name) else DataFileError
        raise error(f"{value} lies outside the allowed range {low}-{high}"
                    + (" (a reference year cannot be in the future)." if _is_year(name) else "."),
                    **where)


def _check_primary_key(frame: pd.DataFrame, key, path: Path, lines: list[int]) -> None:
    if not key:
        return
    key = [key] if isinstance(key, str) else list(key)
    repeated = frame.duplicated(subset=key, keep="first")
    if repeated.any():
        index = int(repeated.to_numpy().nonzero()[0][0])
        first = int(frame.loc[frame[key].eq(frame.loc[index, key]).all(axis=1)].index[0])
        values = ", ".join(f"{k}={frame.at[index, k]}" for k in key)
        raise DuplicateObservationError(
            f"repeats the key ({values}) of record {first + 1} (line {lines[first]}); "
            "remove one of the two rows or give them distinct keys.",
            path=path, row=index + 1, line=lines[index])
