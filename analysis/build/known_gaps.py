"""The "Known gaps" table of ``data/README.md``, written from the data so it cannot go stale.

The table lists, for the main series and the default cities, the years 2015-2024 without a
preferred figure, the years whose only figure is a lower bound, and the years whose figure
is derived (computed from printed figures or counted from a list), not printed. A test checks that
``data/README.md`` holds exactly what :func:`known_gaps_table` makes.

:func:`peer_coverage_table` writes the coverage of the peer groups beyond the four cities
(domestic challengers, global hubs): per series and city, the years with a figure at each
geographic level, between their own markers (:data:`PEER_MARKERS`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..catalogue import city_groups, load_cities
from ..errors import BuildError
from ..loading import geographic_levels, load_observations
from ..tables import markdown_table, year_coverage, year_runs

START, END = "<!-- known-gaps:start -->", "<!-- known-gaps:end -->"
YEARS = range(2015, 2025)
CITIES = ["Beijing", "Shanghai", "Shenzhen", "Guangzhou"]
SERIES = {
    "gdp": "", "resident_population": "", "rd_expenditure": "", "rd_intensity": "",
    "basic_research_share": "", "rd_personnel_fte": "", "fiscal_st_expenditure": "whole city",
    "high_tech_enterprises": "", "enterprise_rd_share": "", "fortune_global_500_hq": "",
    "academicians": "in city", "state_key_labs": "", "major_st_infrastructure": "",
    "national_st_awards": "led or participated", "nature_index_city_rank": "",
    "invention_patents_granted": "official", "pct_applications": "CNIPA",
    "tech_contract_turnover": "", "unicorns_hurun": "",
}
"""Series code -> qualifier shown next to it (the family's other series are in the notes)."""
NO_RELEASE = {"national_st_awards": {2021, 2022}}
"""Years without a release of a series (no awards were made): not listed as gaps."""


def gap_cell(known: list[int], lower_only: list[int], years: list[int], derived_only=()) -> str:
    """Missing years as runs ("all" / "—"), then the years whose figure is only a lower
    bound, then those whose figure is derived."""
    missing = [y for y in years if y not in known]
    parts = ["all" if len(missing) == len(years) else year_runs(missing)]
    if lower_only:
        parts.append(f"lower bound only: {year_runs(lower_only)}")
    if derived_only:
        parts.append(f"derived only: {year_runs(list(derived_only))}")
    return "; ".join(part for part in parts if part) or "—"


def known_gaps_table(data_dir=None) -> str:
    """The known-gaps table as markdown: one row per series in SERIES, one column per city."""
    data = load_observations(CITIES, list(SERIES), (YEARS.start, YEARS.stop - 1), data_dir)
    known = year_coverage(data, YEARS, cities=CITIES, indicators=list(SERIES))
    lower = year_coverage(data.loc[data["lower_bound"]], YEARS, cities=CITIES, indicators=list(SERIES))
    derived = year_coverage(data.loc[data["derived"]], YEARS, cities=CITIES, indicators=list(SERIES))
    rows = {}
    for code, qualifier in SERIES.items():
        years = [y for y in YEARS if y not in NO_RELEASE.get(code, ())]
        label = f"`{code}`" + (f" ({qualifier})" if qualifier else "")
        rows[label] = [gap_cell([y for y in years if known.at[(code, city), y]],
                                [y for y in years if lower.at[(code, city), y]], years,
                                [y for y in years if derived.at[(code, city), y]]) for city in CITIES]
    table = pd.DataFrame.from_dict(rows, orient="index", columns=CITIES).rename_axis("series")
    return markdown_table(table)


PEER_GROUPS = ("domestic", "global")
"""Peer groups whose coverage tables data/README.md carries."""
PEER_MARKERS = {group: (f"<!-- peer-coverage-{group}:start -->", f"<!-- peer-coverage-{group}:end -->")
                for group in PEER_GROUPS}


def peer_coverage_table(group: str, data_dir=None) -> str:
    """Coverage of one peer group as markdown: one row per series with any figure for the
    group's cities, one column per city; a cell lists the years with a figure at each
    geographic level (all rows, preferred or not), e.g. ``2016-2021 province; 2017, 2019 country``.
    """
    cities = load_cities(data_dir)
    codes = city_groups(cities).get(group, [])
    if not codes:
        raise BuildError(f"cities.csv has no city in group '{group}'.")
    data = load_observations(codes, data_dir=data_dir, preferred_only=False)
    levels = geographic_levels(data_dir)
    rows = {}
    for code in sorted(data["indicator"].unique()):
        series = data.loc[data["indicator"] == code]
        cells = []
        for city in codes:
            here = series.loc[series["city"] == city]
            parts = [f"{year_runs(sorted(set(here.loc[here['level'] == level, 'year'])))} {level}"
                     for level in levels if (here["level"] == level).any()]
            cells.append("; ".join(parts) or "—")
        rows[f"`{code}`"] = cells
    names = [cities.at[c, "name_en"] for c in codes]
    return markdown_table(pd.DataFrame.from_dict(rows, orient="index", columns=names).rename_axis("series"))


def readme_table(readme, markers=(START, END)) -> str:
    """The table currently between the markers in ``readme``."""
    start, end = markers
    text = Path(readme).read_text(encoding="utf-8")
    if start not in text or end not in text:
        raise BuildError(f"markers {start} / {end} not found; add them around the table.", path=readme)
    return text.split(start, 1)[1].split(end, 1)[0].strip("\n")


def write_readme_table(readme, table: str, markers=(START, END)) -> None:
    """Replace the table between the markers in ``readme`` with ``table``."""
    readme_table(readme, markers)                          # the markers must be there
    start, end = markers
    text = Path(readme).read_text(encoding="utf-8")
    head, rest = text.split(start, 1)
    Path(readme).write_text(f"{head}{start}\n{table}\n{end}{rest.split(end, 1)[1]}", encoding="utf-8")
