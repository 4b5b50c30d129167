"""Write the "Known gaps" table of ``data/README.md`` from the data, so it cannot go stale.

Run from the project root after ``scripts/build_dataset.py``::

    python scripts/known_gaps.py            # print the table
    python scripts/known_gaps.py --write    # replace the table in data/README.md

The table lists, for the main series and the default cities, the years 2015-2024 without a
preferred figure, and the years whose only figure is a lower bound. A test checks that
``data/README.md`` holds exactly what this script prints.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

import analysis
from analysis.tables import markdown_table, year_coverage, year_runs

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "data" / "README.md"
START, END = "<!-- known-gaps:start -->", "<!-- known-gaps:end -->"
YEARS = range(2015, 2025)
CITIES = ["Beijing", "Shanghai", "Shenzhen", "Guangzhou"]
# series code -> qualifier shown next to it (the family's other series are listed in the notes)
SERIES = {
    "gdp": "", "resident_population": "", "rd_expenditure": "", "rd_intensity": "",
    "basic_research_share": "", "rd_personnel_fte": "", "fiscal_st_expenditure": "whole city",
    "high_tech_enterprises": "", "enterprise_rd_share": "", "fortune_global_500_hq": "",
    "academicians": "in city", "state_key_labs": "", "major_st_infrastructure": "",
    "national_st_awards": "led or participated", "nature_index_city_rank": "",
    "invention_patents_granted": "official", "pct_applications": "CNIPA",
    "tech_contract_turnover": "", "unicorns_hurun": "",
}
NO_RELEASE = {"national_st_awards": {2021, 2022}}   # no awards were made for these years


def gap_cell(known: list[int], lower_only: list[int], years: list[int]) -> str:
    """Missing years as runs ("all" / "—"), then the years whose figure is only a lower bound."""
    missing = [y for y in years if y not in known]
    parts = ["all" if len(missing) == len(years) else year_runs(missing)]
    if lower_only:
        parts.append(f"lower bound only: {year_runs(lower_only)}")
    return "; ".join(part for part in parts if part) or "—"


def known_gaps_table(data_dir=None) -> str:
    """The known-gaps table as markdown: one row per series in SERIES, one column per city."""
    data = analysis.load_observations(CITIES, list(SERIES), (YEARS.start, YEARS.stop - 1), data_dir)
    known = year_coverage(data, YEARS, cities=CITIES, indicators=list(SERIES))
    lower = year_coverage(data.loc[data["lower_bound"]], YEARS, cities=CITIES, indicators=list(SERIES))
    rows = {}
    for code, qualifier in SERIES.items():
        years = [y for y in YEARS if y not in NO_RELEASE.get(code, ())]
        label = f"`{code}`" + (f" ({qualifier})" if qualifier else "")
        rows[label] = [gap_cell([y for y in years if known.at[(code, city), y]],
                                [y for y in years if lower.at[(code, city), y]], years) for city in CITIES]
    table = pd.DataFrame.from_dict(rows, orient="index", columns=CITIES).rename_axis("series")
    return markdown_table(table)


def readme_table(readme: Path = README) -> str:
    """The table currently between the markers in ``readme``."""
    text = readme.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"{readme}: markers {START} / {END} not found; add them around the table.")
    return text.split(START, 1)[1].split(END, 1)[0].strip("\n")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="replace the table in data/README.md")
    args = parser.parse_args(argv)
    table = known_gaps_table()
    if not args.write:
        print(table)
        return 0
    readme_table()                                   # the markers must be there
    text = README.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    README.write_text(f"{head}{START}\n{table}\n{END}{rest.split(END, 1)[1]}", encoding="utf-8")
    print(f"wrote {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
