"""Loaders: the shipped data round-trips, filters work, and every kind of bad data file
raises its own error naming file, record and fix."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import SHIPPED

import analysis
from analysis import errors
from analysis.datapackage import DATA_DIR_ENV

# data_copy (a writable copy of the shipped data folder) comes from conftest.py


def edit_observations(folder: Path, edit) -> int:
    """Apply ``edit(rows)`` to observations.csv rows (list of dicts); return 1-based record edited."""
    path = folder / "observations.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = reader.fieldnames, list(reader)
    record = edit(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return record


# --- the shipped data ---------------------------------------------------------------

def test_shipped_data_round_trips_through_the_csv():
    data = analysis.load_observations(preferred_only=False)
    raw = pd.read_csv(SHIPPED / "observations.csv", encoding="utf-8", keep_default_na=False)
    assert len(data) == len(raw)
    merged = data.merge(raw, on=["city", "year", "indicator", "source_id"], suffixes=("", "_raw"))
    assert len(merged) == len(raw)
    assert (merged["value"] == merged["value_raw"].astype(float)).all()
    assert (merged["unit"] == merged["unit_raw"]).all()


def test_preferred_rows_are_unique_per_city_year_indicator():
    data = analysis.load_observations()
    assert not data.duplicated(["city", "year", "indicator"]).any()
    assert data["preferred"].all()
    everything = analysis.load_observations(preferred_only=False)
    assert len(everything) > len(data)  # conflicts are kept, not dropped


def test_filters_select_exactly_what_was_asked():
    data = analysis.load_observations(cities=["Guangzhou", "Beijing"], indicators="rd_intensity",
                                      years=(2016, 2020))
    assert set(data["city"]) == {"Guangzhou", "Beijing"}
    assert set(data["indicator"]) == {"rd_intensity"}
    assert data["year"].between(2016, 2020).all()
    guangzhou = data.loc[data["city"] == "Guangzhou", "year"].tolist()
    assert guangzhou == sorted(guangzhou)
    raw = pd.read_csv(SHIPPED / "observations.csv", encoding="utf-8", keep_default_na=False)
    expected = raw[(raw["city"] == "Guangzhou") & (raw["indicator"] == "rd_intensity") & raw["year"].between(2016, 2020)
                   & (raw["preferred"].astype(str).str.lower() == "true")]
    assert len(guangzhou) == len(expected)


def test_single_year_and_range_filters_agree():
    by_pair = analysis.load_observations(years=(2018, 2018))
    by_int = analysis.load_observations(years=2018)
    by_range = analysis.load_observations(years=range(2018, 2019))
    pd.testing.assert_frame_equal(by_pair, by_int)
    pd.testing.assert_frame_equal(by_pair, by_range)
    assert set(by_pair["year"]) == {2018}


def test_coverage_command_prints_markdown_and_refuses_bad_arguments(data_copy, capsys):
    from analysis import cli
    assert cli.main(["coverage", "--indicators", "rd_intensity", "--cities", "Guangzhou", "Shanghai",
                     "--data-dir", str(data_copy)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "| indicator | Guangzhou | Shanghai |" and lines[1] == "|---|---|---|"
    expected = analysis.coverage_table(analysis.load_observations(indicators="rd_intensity"), range(2015, 2025),
                                       cities=["Guangzhou", "Shanghai"])
    assert lines[2] == f"| rd_intensity | {expected.at['rd_intensity', 'Guangzhou']} | " \
                       f"{expected.at['rd_intensity', 'Shanghai']} |"

    def drop_shanghai_2017_intensity(rows):
        rows[:] = [r for r in rows if (r["city"], r["year"], r["indicator"]) != ("Shanghai", "2017", "rd_intensity")]
    earlier = data_copy.parent / "earlier"
    shutil.copytree(data_copy, earlier)
    edit_observations(earlier, drop_shanghai_2017_intensity)
    assert cli.main(["coverage", "--indicators", "rd_intensity", "--before", str(earlier),
                     "--cities", "Beijing", "Guangzhou", "Shanghai", "Shenzhen", "--data-dir", str(data_copy)]) == 0
    row = capsys.readouterr().out.splitlines()[2].split(" | ")
    shanghai = expected.at["rd_intensity", "Shanghai"].rsplit("(", 1)[1].rstrip(")")
    assert row[3] == f"{int(shanghai) - 1} → {shanghai}"

    assert cli.main(["coverage", "--cities", "Atlantis", "--data-dir", str(data_copy)]) == 2
    assert "unknown city 'Atlantis'" in capsys.readouterr().err
    assert cli.main(["coverage", "--start", "2024", "--end", "2015"]) == 2
    assert "impossible year range" in capsys.readouterr().err

def test_coverage_before_reads_a_data_folder_from_before_geographic_levels(data_copy, capsys):
    """An earlier release has no ``level`` field; ``coverage --before`` still compares with it."""
    from analysis import cli, loading
    earlier = data_copy.parent / "earlier"
    shutil.copytree(data_copy, earlier)
    descriptor = json.loads((earlier / "datapackage.json").read_text(encoding="utf-8"))
    schema = next(r for r in descriptor["resources"] if r["name"] == "observations")["schema"]
    schema["fields"] = [f for f in schema["fields"] if f["name"] != "level"]
    (earlier / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    table = pd.read_csv(earlier / "observations.csv", dtype=str, keep_default_na=False)
    table.drop(columns="level").to_csv(earlier / "observations.csv", index=False)

    assert loading.geographic_levels(earlier) is None
    assert cli.main(["coverage", "--indicators", "rd_intensity", "--cities", "Guangzhou", "--before", str(earlier),
                     "--data-dir", str(data_copy)]) == 0
    row = capsys.readouterr().out.splitlines()[2]
    years = analysis.load_observations("Guangzhou", "rd_intensity", (2015, 2024), data_dir=data_copy)["year"]
    assert row == f"| rd_intensity | {years.nunique()} |"          # same count before and now: no arrow


def test_sources_are_keyed_and_carry_their_quote():
    sources = analysis.load_sources()
    assert sources.index.is_unique and (sources["quote"].str.len() > 0).all()


def test_data_dir_argument_and_environment_variable(data_copy, monkeypatch):
    def keep_five_preferred(rows):
        rows[:] = [row for row in rows if row["preferred"] == "true"][:5]
    edit_observations(data_copy, keep_five_preferred)
    assert len(analysis.load_observations(data_dir=data_copy, preferred_only=False)) == 5
    monkeypatch.setenv(DATA_DIR_ENV, str(data_copy))
    assert len(analysis.load_observations(preferred_only=False)) == 5
    assert len(analysis.load_observations(data_dir=SHIPPED, preferred_only=False)) > 5


# --- bad arguments ---------------------------------------------------------------------

def test_unknown_city_argument_lists_known_cities():
    with pytest.raises(errors.UnknownCityError, match=r"'Atlantis'.*known cities: .*Guangzhou"):
        analysis.load_observations(cities=["Atlantis"])


def test_unknown_indicator_argument_lists_known_indicators():
    with pytest.raises(errors.UnknownIndicatorError, match=r"'rd_intensty'.*known indicators: .*rd_intensity"):
        analysis.load_observations(indicators="rd_intensty")


@pytest.mark.parametrize("years, message", [
    ((2020, 2015), "start 2020 is after end 2015"),
    ((2015.5, 2020), "whole years"),
    ("2015-2020", "not understood"),
])
def test_impossible_year_range_argument(years, message):
    with pytest.raises(errors.InvalidArgumentError, match=message):
        analysis.load_observations(years=years)


def test_missing_data_folder_names_the_folder_and_the_fix(tmp_path):
    with pytest.raises(errors.DataFileError, match=r"no datapackage.json here .*argument data_dir"):
        analysis.load_observations(data_dir=tmp_path / "nowhere")


# --- bad data files: one error type per fault -------------------------------------------

def _set(field, value, record=3):
    def edit(rows):
        rows[record - 1][field] = value
        return record
    return edit


@pytest.mark.parametrize("edit, error, message", [
    (_set("value", "1.1万"), errors.NonNumericValueError, r"'1.1万' is not a number"),
    (_set("value", "nan"), errors.NonNumericValueError, r"'nan' is not a number.*leave out a missing figure"),
    (_set("value", "inf"), errors.NonNumericValueError, r"'inf' is not a number"),
    (_set("year", "20x8"), errors.ImpossibleYearError, r"'20x8' is not a whole number"),
    (_set("year", "2107"), errors.ImpossibleYearError, r"2107 lies outside .*future"),
    (_set("year", "1066"), errors.ImpossibleYearError, r"1066 lies outside"),
    (_set("city", "Atlantis"), errors.UnknownCityError, r"unknown city 'Atlantis'; known cities"),
    (_set("indicator", "rd_intensty"), errors.UnknownIndicatorError, r"unknown indicator 'rd_intensty'"),
    (_set("unit", "rank"), errors.UnitMismatchError, r"unit 'rank' differs from the catalogue unit"),
    (_set("source_id", ""), errors.MissingSourceError, r"every figure needs a source"),
    (_set("source_id", "src-0000000000"), errors.MissingSourceError, r"'src-0000000000' is not in sources.csv"),
    (_set("preferred", "maybe"), errors.NonNumericValueError, r"'maybe' is not a boolean"),
])
def test_each_bad_field_raises_its_own_error_naming_file_record_and_field(data_copy, edit, error, message):
    record = edit_observations(data_copy, edit)
    with pytest.raises(error, match=message) as caught:
        analysis.load_observations(data_dir=data_copy)
    assert caught.value.path.endswith("observations.csv")
    assert caught.value.row == record
    assert f"record {record} (line " in str(caught.value)


def test_duplicate_key_row_is_rejected(data_copy):
    edit_observations(data_copy, lambda rows: rows.append(dict(rows[0])))
    with pytest.raises(errors.DuplicateObservationError, match=r"repeats the key .* of record 1"):
        analysis.load_observations(data_dir=data_copy)


def test_two_preferred_rows_for_one_city_year_indicator_are_rejected(data_copy):
    def duplicate_preferred(rows):
        other = next(r["source_id"] for r in rows if r["source_id"] != rows[0]["source_id"])
        clone = dict(rows[0], source_id=other, preferred="true")
        rows.append(clone)
        return len(rows)
    edit_observations(data_copy, duplicate_preferred)
    with pytest.raises(errors.DuplicateObservationError, match=r"has 2 rows marked preferred"):
        analysis.load_observations(data_dir=data_copy)


@pytest.mark.parametrize("damage, message", [
    (lambda text: text.replace("city,year", "town,year", 1), r"missing column\(s\) city; unexpected column\(s\) town"),
    (lambda text: text + 'Guangzhou,2018,"unterminated\n', r"cannot be parsed|fields where the header has"),
    (lambda text: text + "Guangzhou,2018,rd_intensity\n", r"3 fields where the header has"),
    (lambda text: "", r"file is empty"),
])
def test_malformed_csv_is_reported_with_the_fix(data_copy, damage, message):
    path = data_copy / "observations.csv"
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(errors.MalformedCSVError, match=message):
        analysis.load_observations(data_dir=data_copy)


def test_a_byte_order_mark_from_excel_is_tolerated(data_copy):
    path = data_copy / "observations.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    with_bom = analysis.load_observations(data_dir=data_copy)
    pd.testing.assert_frame_equal(with_bom, analysis.load_observations())


def test_non_utf8_file_is_reported(data_copy):
    path = data_copy / "observations.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    with pytest.raises(errors.MalformedCSVError, match=r"not UTF-8 text.*save the file as UTF-8"):
        analysis.load_observations(data_dir=data_copy)


def test_errors_from_bad_arguments_are_value_errors():
    assert issubclass(errors.UnknownCityError, ValueError)
    assert issubclass(errors.InvalidArgumentError, ValueError)
    assert issubclass(errors.NonNumericValueError, errors.AnalysisError)


# --- constraints the descriptor declares, plausible ranges, derived rows ----------------

def _set_where(match: dict, field: str, value: str):
    def edit(rows):
        index = next(i for i, r in enumerate(rows) if all(r[k] == v for k, v in match.items()))
        rows[index][field] = value
        return index + 1
    return edit


@pytest.mark.parametrize("value", ["-3.44", "344"])
def test_an_implausible_rd_intensity_fails_to_load_naming_file_row_and_range(data_copy, value):
    record = edit_observations(data_copy, _set_where({"indicator": "rd_intensity", "preferred": "true"},
                                                      "value", value))
    with pytest.raises(errors.ImplausibleValueError,
                       match=rf"rd_intensity = {value} percent lies outside the plausible range 0 to 15") as caught:
        analysis.load_observations(data_dir=data_copy)
    assert caught.value.row == record and caught.value.field == "value"
    assert caught.value.path.endswith("observations.csv") and f"record {record} (line " in str(caught.value)


def test_a_source_id_that_breaks_the_declared_pattern_is_rejected(data_copy):
    record = edit_observations(data_copy, _set("source_id", "SOURCE!"))
    with pytest.raises(errors.DataFileError, match=r"'SOURCE!' does not match the pattern src-\[0-9a-f\]\{10\}") as caught:
        analysis.load_observations(data_dir=data_copy)
    assert (caught.value.row, caught.value.field) == (record, "source_id")


def test_every_declared_constraint_is_enforced_or_refused(data_copy):
    path = data_copy / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    fields = next(r for r in descriptor["resources"] if r["name"] == "cities")["schema"]["fields"]
    fields[1]["constraints"] = {"required": True, "maxLength": 6}        # name_en "Guangzhou" has 9
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(errors.DataFileError, match=r"cities.csv, record \d+ \(line \d+\), field 'name_en': .* allows 0-6"):
        analysis.load_cities(data_copy)
    fields[1]["constraints"] = {"required": True, "format": "email"}     # not a Table Schema constraint
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(errors.DataFileError, match=r"constraint\(s\) format on field 'name_en'.*does not enforce"):
        analysis.load_cities(data_copy)


def test_a_derived_row_never_wins_over_a_printed_one(data_copy):
    def prefer_a_derived_copy(rows):
        printed = next(r for r in rows if r["indicator"] == "rd_intensity" and r["preferred"] == "true")
        other = next(r["source_id"] for r in rows if r["source_id"] != printed["source_id"])
        printed["preferred"] = "false"
        rows.append(dict(printed, source_id=other, preferred="true", derived="true"))
        return len(rows)
    record = edit_observations(data_copy, prefer_a_derived_copy)
    with pytest.raises(errors.DuplicateObservationError, match=r"preferred row is derived although the cell holds a printed") as caught:
        analysis.load_observations(data_dir=data_copy)
    assert caught.value.row == record


def test_a_catalogue_reference_to_an_unknown_code_is_rejected(data_copy):
    path = data_copy / "indicators.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = reader.fieldnames, list(reader)
    index = next(i for i, r in enumerate(rows) if r["index_variant"])
    rows[index]["index_variant"] = "no_such_series"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(errors.DataFileError, match=r"'no_such_series' is not a code of this table") as caught:
        analysis.load_catalogue(data_copy)
    assert (caught.value.row, caught.value.field) == (index + 1, "index_variant")


def test_record_lines_ride_along_with_a_table_without_being_copied(data_copy):
    """Each record's file line stays in ``attrs`` (to name a fault's line); pandas copies
    ``attrs`` on every operation, so the lines are one immutable object shared, not copied."""
    from analysis.datapackage import read_table
    sources = read_table("sources", data_copy)
    lines = sources.attrs["lines"]
    assert len(lines) == len(sources) and lines[0] == 2                # line 1 is the header
    assert all(a < b for a, b in zip(lines, lines[1:]))
    derived = sources.loc[sources.index[:3]].copy().set_index("source_id")
    assert derived.attrs["lines"] is lines
