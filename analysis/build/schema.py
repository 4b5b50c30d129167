"""The dataset's schema as the build reads it, and the build's own input formats.

The layout of the shipped tables (columns, types, constraints, keys, units, gap codes,
source types) is authored once, in ``data/raw/datapackage.json`` (Frictionless Data
Package): :class:`Schema` reads it, and the build copies it unchanged to
``data/datapackage.json``, where the loaders read it. Nothing about the shipped tables is
typed here.

What is typed here are the build's inputs, which never ship: the raw figure files and the
curation and source-metadata tables (``data/README.md`` describes each), and the unit
spellings the build normalises.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..datapackage import DESCRIPTOR, resource_schema
from ..errors import BuildError

RAW_COLUMNS = ["city", "year", "indicator", "value", "unit", "source_title", "source_url",
               "quote", "note"]
"""Header of every raw figure file (the shared collections, copied verbatim)."""

CURATION_COLUMNS = ["raw_file", "city", "year", "raw_indicator", "value", "source_url",
                    "series", "cities", "level", "area", "area_zh", "preferred", "vintage",
                    "lower_bound", "approximate", "year_inferred", "derived", "corrected_year",
                    "flag_note", "reason"]
"""One row per raw row, keyed by its first six columns. ``series`` empty: the row is left
out (``reason`` says why); ``cities``: the city code(s) the figure is filed under, separated
by ``;`` (empty: the raw city is the code; several codes only for an area that contains them
all, such as a WIPO cluster); ``level``: the geographic level of the figure (the enum of
``observations.level``); ``area`` / ``area_zh``: the territory measured (empty only at level
city, where it is the city's own name); ``corrected_year``: the reference year when the raw
year is wrong (``reason`` says why)."""

SOURCE_META_COLUMNS = ["source_title", "source_url", "publisher", "publisher_en", "publisher_zh",
                       "source_type", "accessed"]
"""Publisher and source type of each (source_title, source_url). ``publisher`` is the full
record (authors, dates, repost hosts, notes); ``publisher_en`` and ``publisher_zh`` are the
publisher's own English and Chinese names for a chart's source line (a repost names whose
content it is: "Xinhua News Agency (repost)" / "新华社（转载）")."""

BUILD_INPUTS = {"curation.csv": CURATION_COLUMNS, "source_meta.csv": SOURCE_META_COLUMNS}
"""Authored input tables of ``data/raw`` by file name, with their exact headers."""

AUTHORED_RESOURCES = ("indicators", "gaps", "cities", "vintages")
"""Resources authored in ``data/raw`` under their shipped file names, checked and written out."""

BUILT_RESOURCES = ("observations", "sources")
"""Resources the build makes from the raw figures and the curation."""

UNIT_SPELLINGS = {
    "亿元": "100 million yuan",          # 亿元 = 10^8 yuan
    "Share": "share",                    # Nature Index Share, lower-case like the other units
}
"""Raw unit spellings -> catalogue unit (renames only; the value is unchanged)."""

UNIT_CONVERSIONS = {
    "10000 yuan": ("100 million yuan", -4),   # 万元 -> 亿元: move the decimal point 4 places left
    "billion yuan": ("100 million yuan", 1),  # 10亿元 -> 亿元: move the decimal point 1 place right
}
"""Raw unit -> (catalogue unit, power of ten): exact decimal shifts, recorded in the note."""

UNRELIABLE = "UNRELIABLE"
"""Raw rows whose note contains this word never reach the data."""

DERIVED_SOURCE_TYPE = "derived"
"""``source_type`` of the source rows the build writes for its computed figures."""

DERIVED_PUBLISHER = "analysis.build (computed from the sources named in the quote)"
"""``publisher`` of those source rows."""

DERIVED_PUBLISHER_EN = "Computed from the cited sources"
"""``publisher_en`` of those source rows."""

DERIVED_PUBLISHER_ZH = "据所列来源计算"
"""``publisher_zh`` of those source rows."""


class Schema:
    """The authored descriptor of the shipped tables.

    Parameters
    ----------
    text : the descriptor's JSON text, copied verbatim to the output folder.
    path : where it was read, for messages.
    """

    def __init__(self, text: str, path: Path):
        self.text, self.path = text, path
        try:
            self.descriptor = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BuildError(f"not valid JSON ({exc}).", path=path) from exc
        self.units = self._units()
        self._check_vocabulary()

    @classmethod
    def read(cls, raw_dir: Path) -> "Schema":
        """The descriptor ``datapackage.json`` of the raw folder."""
        path = Path(raw_dir) / DESCRIPTOR
        if not path.is_file():
            raise BuildError(f"the authored descriptor {DESCRIPTOR} is missing; restore it from "
                             "the project's data/raw/.", path=path)
        return cls(path.read_text(encoding="utf-8"), path)

    def resource(self, name: str) -> dict:
        """Resource ``name`` (path and Table Schema)."""
        return resource_schema(self.descriptor, name)

    def columns(self, name: str) -> list[str]:
        """Field names of resource ``name``, in order."""
        return [f["name"] for f in self.resource(name)["schema"]["fields"]]

    def field(self, name: str, field: str) -> dict:
        """Field ``field`` of resource ``name``."""
        for entry in self.resource(name)["schema"]["fields"]:
            if entry["name"] == field:
                return entry
        raise BuildError(f"resource '{name}' has no field '{field}'.", path=self.path)

    def enum(self, name: str, field: str) -> list:
        """The ``enum`` constraint of a field (empty list when it has none)."""
        return list(self.field(name, field).get("constraints", {}).get("enum", []))

    def _units(self) -> dict[str, str]:
        units = self.descriptor.get("units")
        if not isinstance(units, list) or not units:
            raise BuildError("the descriptor needs a 'units' list of {name, name_zh, description}.",
                             path=self.path)
        return {u["name"]: u["name_zh"] for u in units}

    def _check_vocabulary(self) -> None:
        """The enums that repeat one vocabulary in several fields must agree with each other."""
        agree = [
            (sorted(self.units), [("observations", "unit"), ("indicators", "unit")]),
            (sorted(set(self.units.values())), [("indicators", "unit_zh")]),
            (self.enum("gaps", "code"), [("indicators", "gap")]),
        ]
        for expected, fields in agree:
            for name, field in fields:
                if sorted(self.enum(name, field)) != sorted(expected):
                    raise BuildError(f"the enum of {name}.{field} must list exactly {expected}.",
                                     path=self.path)
        if DERIVED_SOURCE_TYPE not in self.enum("sources", "source_type"):
            raise BuildError(f"sources.source_type must allow '{DERIVED_SOURCE_TYPE}'.", path=self.path)
