"""The catalogue, the report's gaps and the cities (analysis.catalogue): keyed, bilingual,
and every unknown code named with the known ones."""

from __future__ import annotations

import pytest

import analysis
from analysis import catalogue as cat
from analysis.errors import InvalidArgumentError, UnknownCityError, UnknownIndicatorError


def test_catalogue_and_cities_are_keyed_and_bilingual():
    catalogue = analysis.load_catalogue()
    assert catalogue.index.is_unique
    assert catalogue.at["rd_intensity", "unit"] == "percent"
    assert "强度" in catalogue.at["rd_intensity", "name_zh"]
    assert (catalogue["name_zh"].str.len() > 0).all()
    cities = analysis.load_cities()
    assert cities.at["Guangzhou", "name_zh"] == "广州"


def test_labels_in_either_language():
    english, chinese = cat.Labels.load("en"), cat.Labels.load("zh")
    assert english.city("Guangzhou") == "Guangzhou" and chinese.city("Guangzhou") == "广州"
    assert chinese.indicator("rd_intensity") == chinese.catalogue.at["rd_intensity", "name_zh"]
    assert english.indicator("rd_intensity", unit=True).endswith("(percent)")
    assert english.unit_name("percentage points") == "percentage points"
    assert chinese.unit_name("percentage points") == "个百分点" and chinese.unit_name("100 million yuan") == "亿元"
    source = {"publisher_en": "Xinhua News Agency", "publisher_zh": "新华社"}
    assert (source[english.publisher_column], source[chinese.publisher_column]) == ("Xinhua News Agency", "新华社")


def test_gap_indicators_are_in_catalogue_order():
    catalogue = analysis.load_catalogue()
    codes = cat.gap_indicators("rd_intensity", catalogue)
    assert codes == [c for c in catalogue.index if catalogue.at[c, "gap"] == "rd_intensity"]
    with pytest.raises(InvalidArgumentError, match="unknown gap 'rd'; the catalogue has: "):
        cat.gap_indicators("rd", catalogue)


def test_unknown_codes_and_languages_name_the_known_ones():
    catalogue, cities = analysis.load_catalogue(), analysis.load_cities()
    with pytest.raises(UnknownCityError, match=r"unknown city 'Atlantis' in peers; known cities: .*Guangzhou.*"
                                               r"\(edit data/cities.csv to add one\)"):
        cat.check_cities(["Beijing", "Atlantis"], cities, argument="peers")
    with pytest.raises(UnknownIndicatorError, match=r"unknown indicator 'rd' in indicators; known indicators: "):
        cat.check_indicators("rd", catalogue)
    with pytest.raises(InvalidArgumentError, match=r"unknown language 'fr'; use one of: en, zh\."):
        cat.check_language("fr")
    assert cat.check_cities("Beijing", cities) == ["Beijing"]
