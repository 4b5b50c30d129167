"""Read the tables of the data folder as its ``datapackage.json`` describes them.

The descriptor (Frictionless Data Package, Table Schema) is the single statement of the
table layout: field names and types, the constraints of each field (``required``,
``unique``, ``enum``, ``minimum``, ``maximum``, ``minLength``, ``maxLength``, ``pattern``),
the primary key and foreign keys within a table. It is authored by hand in
``data/raw/datapackage.json`` and copied to ``data/`` by the build (:mod:`analysis.build`).
This module reads one resource, checks every record against its schema and returns a
typed :class:`pandas.DataFrame`;
:func:`read_csv_records` is the one CSV reader of the package (the build uses it too).
Cross-table checks (units, sources, preferred rows, plausible ranges) live in
:mod:`analysis.loading`.
"""

from __future__ import annotations

import csv
import datetime
import json
import math
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

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
    Raises a :class:`~analysis.errors.DataFileError` subclass naming file, record, line
    and field for malformed CSV, wrong type, missing required value, a broken constraint
    (enum, range, length, pattern, unique) and a repeated primary key; a constraint this
    reader does not know is a fault of the descriptor and raises too, so no declared
    constraint is silently skipped.
    """
    folder = resolve_data_dir(data_dir)
    descriptor = folder / DESCRIPTOR
    resource = resource_schema(read_descriptor(folder), name)
    path = folder / resource["path"]
    frame = _read_checked(name, str(path), _fingerprint(path), _fingerprint(descriptor))
    out = frame.copy()                       # callers may change their frame: the cache keeps its own
    out.attrs = dict(frame.attrs)            # path and RecordLines: both immutable, safe to share
    return out


class RecordLines(tuple):
    """The 1-based file line where each record of a table starts, kept in the frame's
    ``attrs`` to name the line of a fault. Immutable, so the deep copy pandas makes of
    ``attrs`` on every operation shares it instead of copying one int per record."""

    def __deepcopy__(self, memo):
        return self


def _fingerprint(path: Path):
    """What tells one version of a file from another: size and modification time (ns)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


@lru_cache(maxsize=32)
def _read_checked(name: str, path_text: str, fingerprint, descriptor_fingerprint) -> pd.DataFrame:
    """:func:`read_table`'s work, kept for the same file version: a notebook reads several
    tables more than once (the parameter check, the loaders, the labels). A changed file
    (size or modification time) or descriptor is read again."""
    path = Path(path_text)
    resource = resource_schema(read_descriptor(path.parent), name)
    schema = resource["schema"]
    fields = schema["fields"]
    _, records, lines = read_csv_records(path, [f["name"] for f in fields])
    columns = {f["name"]: [_convert(f, rec[f["name"]], path, i, lines[i - 1])
                           for i, rec in enumerate(records, start=1)] for f in fields}
    frame = pd.DataFrame({f["name"]: pd.Series(columns[f["name"]], dtype=_DTYPES[f.get("type", "string")])
                          for f in fields})
    for field in fields:
        if field.get("constraints", {}).get("unique"):
            _check_primary_key(frame, [field["name"]], path, lines)
    _check_primary_key(frame, schema.get("primaryKey"), path, lines)
    _check_self_references(frame, schema.get("foreignKeys", []), path, lines)
    frame.attrs["path"], frame.attrs["lines"] = str(path), RecordLines(lines)
    return frame


_DTYPES = {"string": "object", "integer": "Int64", "number": "float64", "boolean": "bool",
           "date": "object", "year": "Int64"}


class CSVRecords(NamedTuple):
    """A CSV file as read by :func:`read_csv_records`."""

    header: list[str]
    """Column names of the header row."""
    records: list[dict]
    """One dict per record, column name -> text exactly as in the file."""
    lines: list[int]
    """1-based line of the file where each record starts (records may span lines)."""


def read_csv_records(path, expected: list[str] | None = None) -> CSVRecords:
    """Every record of a UTF-8 CSV file as text, with the line each record starts on.

    Parameters
    ----------
    path : the CSV file (comma-separated, one header row, RFC 4180 quoting; a leading
        byte-order mark is tolerated).
    expected : the exact header the file must have; None accepts any header.

    Returns
    -------
    CSVRecords (header, records, lines). Values are not converted: every cell is text.

    Raises
    ------
    DataFileError if the file is missing; MalformedCSVError (naming file, record and
    line) if it is empty, not UTF-8, not parseable, has another header than ``expected``,
    or a record with more or fewer fields than the header.
    """
    path = Path(path)
    if not path.is_file():
        raise DataFileError("file missing; restore it from the project's data/ folder.", path=path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:  # -sig: tolerate Excel's BOM
            reader = csv.reader(handle, strict=True)
            header = next(reader, None)
            if header is None:
                raise MalformedCSVError("file is empty; it needs a header row"
                                        + (f" {','.join(expected)}." if expected else "."), path=path)
            if expected is None:
                expected = header
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
    return CSVRecords(header, records, lines)


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


_CONSTRAINTS = {"required", "unique", "enum", "minimum", "maximum", "minLength", "maxLength", "pattern"}


@lru_cache(maxsize=None)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def _check_constraints(name: str, value, constraints: dict, where: dict) -> None:
    """Raise if ``value`` breaks one of the field's Table Schema constraints.

    ``required`` is checked by the caller (on the text) and ``unique`` on the whole
    column; ``pattern`` must match the whole value, as Table Schema specifies.
    """
    unknown = sorted(set(constraints) - _CONSTRAINTS)
    if unknown:
        raise DataFileError(f"{DESCRIPTOR} declares constraint(s) {', '.join(unknown)} on field "
                            f"'{name}', which this reader does not enforce; use only "
                            f"{', '.join(sorted(_CONSTRAINTS))}.", path=where["path"], field=name)
    enum = constraints.get("enum")
    if enum is not None and value not in enum:
        raise DataFileError(f"'{value}' is not one of: {', '.join(map(str, enum))}.", **where)
    pattern = constraints.get("pattern")
    if pattern is not None and not _compiled(pattern).fullmatch(str(value)):
        raise DataFileError(f"'{value}' does not match the pattern {pattern} that {DESCRIPTOR} "
                            "declares for this field.", **where)
    length = len(value) if isinstance(value, str) else None
    shortest, longest = constraints.get("minLength"), constraints.get("maxLength")
    if length is not None and ((shortest is not None and length < shortest)
                               or (longest is not None and length > longest)):
        raise DataFileError(f"'{value}' has {length} characters; {DESCRIPTOR} allows "
                            f"{shortest if shortest is not None else 0}-"
                            f"{longest if longest is not None else 'any'}.", **where)
    low, high = constraints.get("minimum"), constraints.get("maximum")
    if _is_year(name):
        high = min(h for h in (high, datetime.date.today().year) if h is not None)
    if (low is not None and value < low) or (high is not None and value > high):
        error = ImpossibleYearError if _is_year(name) else DataFileError
        raise error(f"{value} lies outside the allowed range {low}-{high}"
                    + (" (a reference year cannot be in the future)." if _is_year(name) else "."),
                    **where)


def _check_self_references(frame: pd.DataFrame, foreign_keys: list, path: Path, lines: list[int]) -> None:
    """Foreign keys into the same table (reference resource ""): every non-empty value must
    be a value of the referenced field (e.g. a ratio part must be a catalogue code).
    Keys into other tables are checked where both tables are loaded (:mod:`analysis.loading`)."""
    for key in foreign_keys:
        if key.get("reference", {}).get("resource") != "":
            continue
        field, target = key["fields"], key["reference"]["fields"]
        known = set(frame[target])
        values = frame[field]
        for index in frame.index[(values != "") & values.notna() & ~values.isin(known)]:
            raise DataFileError(f"'{values[index]}' is not a {target} of this table, which "
                                f"{DESCRIPTOR} requires for {field}.", path=path, row=index + 1,
                                line=lines[index], field=field)


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
