"""Report parameters: the values every notebook's ``parameters`` cell sets, checked once.

The command line and each notebook call :func:`check_parameters` before doing any work,
so a bad parameter stops the run with one clear message instead of a failure deep in a
notebook cell.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ._vocab import DEFAULT_END, DEFAULT_FOCUS, DEFAULT_PEERS, DEFAULT_START
from .catalogue import check_cities, check_language, expand_peers, load_cities
from .datapackage import read_table, resolve_data_dir
from .errors import DataFileError, InvalidArgumentError


@dataclass(frozen=True)
class ReportParameters:
    """Validated notebook parameters (see :func:`check_parameters`)."""

    focus: str
    peers: tuple[str, ...]
    start_year: int
    end_year: int
    data_dir: str
    lang: str

    @property
    def cities(self) -> list[str]:
        """Focus first, then the peers."""
        return [self.focus, *self.peers]

    @property
    def years(self) -> tuple[int, int]:
        return (self.start_year, self.end_year)

    def as_dict(self) -> dict:
        return {**asdict(self), "peers": list(self.peers)}


def check_parameters(focus=DEFAULT_FOCUS, peers=DEFAULT_PEERS, start_year=DEFAULT_START,
                     end_year=DEFAULT_END, data_dir=None, lang="en") -> ReportParameters:
    """Check report parameters against the data; raise a ValueError subclass naming the fault.

    ``peers`` may name groups of the cities table (``core``, ``domestic``, ``global``): a group
    stands for its cities, the focus city left out.

    Faults: unknown city or group (the known ones are listed), focus named among the peers, no peers,
    repeated peer, start after end or not whole years, unknown language, and a city with
    no observation at all between start and end; a DataFileError when observations.csv
    holds no observation at all.
    """
    folder = resolve_data_dir(data_dir)
    cities = load_cities(folder)
    focus = check_cities(focus, cities, argument="focus")[0]
    peers = tuple(expand_peers(peers, cities, focus))
    if not peers:
        raise InvalidArgumentError("peers is empty; give at least one peer city.")
    if focus in peers:
        raise InvalidArgumentError(f"focus city {focus} is also among the peers {list(peers)}; "
                                   "a city cannot be benchmarked against itself.")
    if len(set(peers)) != len(peers):
        raise InvalidArgumentError(f"peers {list(peers)} name a city twice.")
    for name, year in (("start_year", start_year), ("end_year", end_year)):
        if not isinstance(year, int) or isinstance(year, bool):
            raise InvalidArgumentError(f"{name}={year!r} is not a whole year.")
    if start_year > end_year:
        raise InvalidArgumentError(f"start_year {start_year} is after end_year {end_year}.")
    check_language(lang)

    observations = read_table("observations", folder)
    if observations.empty:
        raise DataFileError("holds a header but no observation; a report needs sourced figures "
                            "(restore the file or point data_dir at a complete data folder).",
                            path=observations.attrs.get("path", folder / "observations.csv"))
    in_range = observations.loc[observations["year"].between(start_year, end_year), "city"]
    empty = [c for c in (focus, *peers) if c not in set(in_range)]
    if empty:
        span = observations["year"]
        raise InvalidArgumentError(
            f"no data between {start_year} and {end_year} for {', '.join(empty)}; the data "
            f"covers {int(span.min())}-{int(span.max())}.")
    return ReportParameters(focus, peers, start_year, end_year, str(folder), lang)
