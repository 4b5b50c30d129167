"""Exceptions raised by the package.

Every error says what is wrong, where (file, record, line, field) and what to do. Errors
that can come from a bad argument also derive from :class:`ValueError`, so callers that
catch ``ValueError`` keep working.
"""

from __future__ import annotations


class AnalysisError(Exception):
    """Base class of every error raised by :mod:`analysis`.

    Parameters
    ----------
    message : what is wrong and what to do
    path : file the fault is in, if any
    row : 1-based data record (header excluded), when the fault is in one record
    line : 1-based line of the file where that record starts
    field : column name, when the fault is in one field
    """

    def __init__(self, message: str, *, path=None, row: int | None = None,
                 line: int | None = None, field: str | None = None):
        self.path = None if path is None else str(path)
        self.row, self.line, self.field = row, line, field
        where = []
        if self.path is not None:
            where.append(self.path)
        if row is not None:
            where.append(f"record {row}" + (f" (line {line})" if line is not None else ""))
        if field is not None:
            where.append(f"field '{field}'")
        self.message = message
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


class DataFileError(AnalysisError):
    """A data file or the data folder is missing or unreadable."""


class MalformedCSVError(DataFileError):
    """The CSV cannot be parsed, or its header or record length is wrong."""


class MissingValueError(MalformedCSVError):
    """A required field is empty."""


class NonNumericValueError(DataFileError):
    """A numeric or boolean field holds text that is not of that type."""


class ImpossibleYearError(DataFileError):
    """A year that is not a whole number or lies outside the plausible range."""


class ImplausibleValueError(DataFileError):
    """An observation's value lies outside the plausible range its indicator declares."""


class UnitMismatchError(DataFileError):
    """An observation's unit differs from the catalogue unit of its indicator."""


class DuplicateObservationError(DataFileError):
    """Two rows share a key, or a (city, year, indicator) has no or several preferred rows."""


class MissingSourceError(DataFileError):
    """An observation has no source, or its source id is not in sources.csv."""


class BuildError(AnalysisError):
    """``data/raw`` or its curation cannot be turned into the dataset; the message says
    which row of which file to edit (raised by :mod:`analysis.build`)."""


class UnknownCityError(AnalysisError, ValueError):
    """A city code that cities.csv does not list (in a data file or an argument)."""


class UnknownIndicatorError(AnalysisError, ValueError):
    """An indicator code that the catalogue does not list (in a data file or an argument)."""


class InvalidArgumentError(AnalysisError, ValueError):
    """An argument that cannot be honoured: impossible year range, unknown option, ..."""
