"""The indicator catalogue, the report's five gaps and the cities, with their labels.

Official Chinese names sit next to the English ones; ``lang`` is ``"en"`` or ``"zh"``
wherever a label is produced.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ._frame import check_known
from ._vocab import LANGUAGES, PERCENTAGE_POINTS
from .datapackage import read_descriptor, read_table
from .errors import UnknownCityError, UnknownIndicatorError
from .messages import Messages, check_language

__all__ = [
    "LANGUAGES", "Labels", "check_cities", "check_indicators", "check_language", "city_label", "gap_indicators",
    "load_vintages", "expand_peers", "city_groups",
    "indicator_label", "load_catalogue", "load_cities", "load_gaps", "unit_label",
]


def load_catalogue(data_dir=None) -> pd.DataFrame:
    """The indicator catalogue, one row per indicator, indexed by ``code``.

    Columns: family (sibling indicators that count the same thing differently), name_en,
    name_zh, unit, unit_zh, gap, direction (1 higher is better, -1 lower is better, 0
    context), numerator, denominator, scale (ratio indicators: value = numerator /
    denominator x scale), definition, caveats. The row order is methodology: within a
    family, earlier indicators are preferred (see :func:`analysis.selection.index_inputs`).
    """
    return read_table("indicators", data_dir).set_index("code", drop=False)


def load_gaps(data_dir=None) -> pd.DataFrame:
    """The report's five gaps (and ``context``), indexed by ``code``, in report order."""
    return read_table("gaps", data_dir).sort_values("number").set_index("code", drop=False)


def load_vintages(data_dir=None) -> pd.Series:
    """The Chinese form of each vintage label (``vintages.csv``), indexed by the label; empty
    when the data folder's descriptor has no such table."""
    descriptor = read_descriptor(data_dir)
    if not any(r.get("name") == "vintages" for r in descriptor.get("resources", [])):
        return pd.Series(dtype=object)
    return read_table("vintages", data_dir).set_index("vintage")["vintage_zh"]


def load_cities(data_dir=None) -> pd.DataFrame:
    """The cities with English and Chinese names and province, indexed by ``code``."""
    return read_table("cities", data_dir).set_index("code", drop=False)


def check_cities(codes: Iterable[str], cities: pd.DataFrame, *, argument: str = "cities") -> list[str]:
    """``codes`` as a list, or UnknownCityError naming the unknown ones and the known ones."""
    return check_known(codes, cities.index, what="city", where=f"in {argument}", known_as="known cities",
                       hint="edit data/cities.csv to add one", error=UnknownCityError)


def check_indicators(codes: Iterable[str], catalogue: pd.DataFrame, *,
                     argument: str = "indicators") -> list[str]:
    """``codes`` as a list, or UnknownIndicatorError naming the unknown ones and the known ones."""
    return check_known(codes, catalogue.index, what="indicator", where=f"in {argument}", known_as="known indicators",
                       hint="see data/indicators.csv", error=UnknownIndicatorError)


def indicator_label(code: str, catalogue: pd.DataFrame, lang: str = "en", *, unit: bool = True) -> str:
    """Display name of an indicator, e.g. ``"R&D intensity (percent)"`` or ``"研究与试验发展经费投入强度（%）"``."""
    row = catalogue.loc[check_indicators(code, catalogue)[0]]
    if check_language(lang) == "zh":
        return f"{row['name_zh']}（{row['unit_zh']}）" if unit else row["name_zh"]
    return f"{row['name_en']} ({row['unit']})" if unit else row["name_en"]


def unit_label(code: str, catalogue: pd.DataFrame, lang: str = "en") -> str:
    """Unit of an indicator in the chosen language (``"100 million yuan"`` / ``"亿元"``)."""
    row = catalogue.loc[check_indicators(code, catalogue)[0]]
    return row["unit_zh"] if check_language(lang) == "zh" else row["unit"]


def city_label(code: str, cities: pd.DataFrame, lang: str = "en") -> str:
    """Display name of a city (``"Guangzhou"`` / ``"广州"``)."""
    row = cities.loc[check_cities(code, cities)[0]]
    return row["name_zh"] if check_language(lang) == "zh" else row["name_en"]


def gap_indicators(gap: str, catalogue: pd.DataFrame) -> list[str]:
    """Codes of the catalogue's indicators assigned to ``gap``, in catalogue order."""
    check_known([gap], sorted(catalogue["gap"].unique()), what="gap", known_as="the catalogue has")
    return catalogue.index[catalogue["gap"] == gap].tolist()


class Labels:
    """Display labels in one language, from the catalogue, gaps and cities tables.

    Plot and table functions take a ``Labels`` so they never look names up themselves.

    Parameters
    ----------
    catalogue, cities, gaps : frames from :func:`load_catalogue`, :func:`load_cities`,
        :func:`load_gaps`.
    lang : ``"en"`` or ``"zh"``.
    vintages : :func:`load_vintages` (the Chinese form of each release label), optional.
    """

    def __init__(self, catalogue: pd.DataFrame, cities: pd.DataFrame, gaps: pd.DataFrame,
                 lang: str = "en", vintages: pd.Series | None = None):
        self.catalogue, self.cities, self.gaps = catalogue, cities, gaps
        self.vintages = pd.Series(dtype=object) if vintages is None else vintages
        self.lang = check_language(lang)
        self.msg = Messages(lang)

    @classmethod
    def load(cls, lang: str = "en", data_dir=None) -> "Labels":
        """Labels read from the data folder."""
        return cls(load_catalogue(data_dir), load_cities(data_dir), load_gaps(data_dir), lang,
                   load_vintages(data_dir))

    def city(self, code: str) -> str:
        return city_label(code, self.cities, self.lang)

    def indicator(self, code: str, *, unit: bool = False) -> str:
        return indicator_label(code, self.catalogue, self.lang, unit=unit)

    def unit(self, code: str) -> str:
        return unit_label(code, self.catalogue, self.lang)

    def gap(self, code: str) -> str:
        row = self.gaps.loc[code]
        return row["name_zh"] if self.lang == "zh" else row["name_en"]

    def unit_name(self, unit: str) -> str:
        """A unit code (``"percent"``, ``"percentage points"``, ``"100 million yuan"``) in the
        labels' language."""
        if unit == PERCENTAGE_POINTS:
            return self.msg("unit.percentage_points")
        if self.lang == "en":
            return unit
        rows = self.catalogue.loc[self.catalogue["unit"] == unit, "unit_zh"]
        return rows.iloc[0] if len(rows) else unit

    def vintage(self, label: str) -> str:
        """A vintage label (which release a figure comes from) in the labels' language."""
        if self.lang == "zh" and label in self.vintages.index:
            return self.vintages[label]
        return label

    def level_label(self, city: str, level: str, area: str, area_zh: str) -> str:
        """A figure's city with the territory and level it measures: ``"Tokyo: Japan, national"``."""
        return self.msg("level.label", city=self.city(city), territory=self.territory(city, level, area, area_zh))

    def territory(self, city: str, level: str, area: str, area_zh: str) -> str:
        """The territory and level a figure of ``city`` measures: ``"Japan, national"``, or the
        level alone for the city's own figure (``"city"``)."""
        area = area_zh if self.lang == "zh" else area
        if area == self.city(city):
            return self.msg(f"level.{level}")
        return self.msg("level.territory", area=area, level=self.msg(f"level.{level}"))

    @property
    def publisher_column(self) -> str:
        """The column of the sources table that names publishers in the labels' language."""
        return "publisher_zh" if self.lang == "zh" else "publisher_en"


def expand_peers(names, cities: pd.DataFrame, focus: str) -> list[str]:
    """Peer cities from city codes and group names (``core``, ``domestic``, ``global``).

    A group stands for its cities in table order, the focus city left out; a city named
    twice by groups is kept once. An unknown name raises UnknownCityError listing the
    cities and the groups.
    """
    names = [names] if isinstance(names, str) else list(names)
    groups = city_groups(cities)
    unknown = [n for n in names if n not in cities.index and n not in groups]
    if unknown:
        raise UnknownCityError(
            f"unknown city or group {', '.join(map(repr, unknown))} in peers; cities: {', '.join(cities.index)}; "
            f"groups: {', '.join(groups)} (edit data/cities.csv to add one).")
    expanded: list[str] = []
    for name in names:
        if name in groups:
            expanded += [c for c in groups[name] if c != focus and c not in expanded]
        else:
            expanded.append(name)
    return expanded


def city_groups(cities: pd.DataFrame) -> dict[str, list[str]]:
    """Peer groups of the cities table: group name -> city codes, in table order.

    Parameters
    ----------
    cities : the cities table (:func:`load_cities`), with columns ``code`` and ``group``
        (``core``, ``domestic``, ``global``).

    Returns
    -------
    dict from group name to the list of city codes in that group, groups in order of
    first appearance (``{"core": ["Beijing", ...], "domestic": [...], "global": [...]}``).
    """
    groups: dict[str, list[str]] = {}
    for code, group in zip(cities["code"], cities["group"]):
        groups.setdefault(group, []).append(code)
    return groups
