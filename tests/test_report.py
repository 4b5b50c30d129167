"""The report command and the notebooks it runs: parameters checked before anything runs,
a full run on the shipped data with defaults and with other parameters (asserting the
numbers the notebooks recorded), a failing notebook, and the report folder's atomic
replacement and ``latest`` pointer."""

from __future__ import annotations

import functools
import json
import re
import shutil
from pathlib import Path

import nbformat
import openpyxl
import pandas as pd
import pytest

import analysis
from analysis import cli, report
from analysis.parameters import check_parameters

SHIPPED = Path(analysis.__file__).resolve().parent.parent / "data"
NOTEBOOK_NAMES = sorted(p.stem for p in report.notebook_paths())


@functools.cache
def shipped_observations() -> pd.DataFrame:
    """observations.csv read straight with pandas, without the package's loaders (read once)."""
    return pd.read_csv(SHIPPED / "observations.csv", encoding="utf-8")


def preferred_value(city: str, year: int, indicator: str) -> float:
    """A figure read straight from observations.csv, without the package's loaders."""
    table = shipped_observations()
    row = table.loc[(table["city"] == city) & (table["year"] == year)
                    & (table["indicator"] == indicator) & table["preferred"]]
    assert len(row) == 1, (city, year, indicator)
    return float(row["value"].iloc[0])


def latest_common_year(cities, indicator: str, start: int, end: int) -> int:
    table = shipped_observations()
    rows = table.loc[(table["indicator"] == indicator) & table["preferred"] & table["year"].between(start, end)]
    years = set.intersection(*(set(rows.loc[rows["city"] == c, "year"]) for c in cities))
    return max(years)


# default_report (conftest.py): the one full default run the tests below share


@pytest.fixture(scope="module")
def other_report(tmp_path_factory):
    """A run with other parameters, of the two notebooks whose values the test reads."""
    notebooks = tmp_path_factory.mktemp("notebooks")
    for name in ("00_overview", "02_rd_intensity"):
        shutil.copy(report.NOTEBOOKS_DIR / f"{name}.ipynb", notebooks)
    out = tmp_path_factory.mktemp("reports") / "shenzhen"
    code = cli.main(["report", "--focus", "Shenzhen", "--peers", "Beijing", "Guangzhou",
                     "--start", "2016", "--end", "2022", "--lang", "zh", "--out", str(out),
                     "--notebooks", str(notebooks), "--quiet"])
    return code, out


# --- parameters -------------------------------------------------------------------------

@pytest.mark.parametrize("argv, message", [
    (["--focus", "Atlantis"], r"unknown city 'Atlantis' in focus; known cities: .*Guangzhou"),
    (["--peers", "Beijing", "Gotham"], r"unknown city or group 'Gotham' in peers"),
    (["--focus", "Beijing"], r"focus city Beijing is also among the peers"),
    (["--start", "2022", "--end", "2016"], r"start_year 2022 is after end_year 2016"),
    (["--start", "1990", "--end", "1995"], r"no data between 1990 and 1995 for Guangzhou, Beijing"),
    (["--peers", "Beijing", "Beijing"], r"name a city twice"),
    (["--jobs", "0"], r"--jobs must be at least 1"),
])
def test_bad_parameters_stop_the_run_before_anything_is_written(tmp_path, capsys, argv, message):
    out = tmp_path / "report"
    assert cli.main(["report", *argv, "--out", str(out), "--quiet"]) == 2
    assert re.search(message, capsys.readouterr().err)
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_unknown_language_is_rejected_by_the_parser(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["report", "--lang", "fr"])
    assert stop.value.code == 2
    assert "invalid choice: 'fr'" in capsys.readouterr().err


def test_notebook_parameters_are_checked_inside_the_notebook_too():
    with pytest.raises(ValueError, match=r"unknown language 'fr'"):
        check_parameters(lang="fr")
    with pytest.raises(ValueError, match=r"start_year='2015' is not a whole year"):
        check_parameters(start_year="2015")


# --- the full report on the shipped data ---------------------------------------------------

def test_default_report_writes_every_artefact(default_report):
    code, out = default_report
    assert code == 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["schema_version"] == 2
    assert summary["ok"] and sorted(summary["notebooks"]) == NOTEBOOK_NAMES
    assert summary["parameters"]["focus"] == "Guangzhou"
    assert [f["gap"] for f in summary["findings"]] == ["strategic", "rd_intensity", "leading_firms",
                                                        "talent_capital", "culture"]
    for name in NOTEBOOK_NAMES:
        assert (out / "notebooks" / f"{name}.ipynb").is_file()
        assert "<html" in (out / "html" / f"{name}.html").read_text(encoding="utf-8")[:500].lower()
    figures = sorted(p.name for p in (out / "figures").glob("*.png"))
    assert "02_rd_intensity-trend.png" in figures and "00_overview-index_ranks.png" in figures
    assert len(figures) == len(set(figures))
    assert all((out / "figures" / f).stat().st_size > 10_000 for f in figures)
    workbook = openpyxl.load_workbook(out / report.WORKBOOK, read_only=True)
    assert workbook.sheetnames == [*NOTEBOOK_NAMES, "sources"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f"html/{name}.html" in index for name in NOTEBOOK_NAMES)
    assert not [p.name for p in out.parent.iterdir() if p.name.startswith(".")]  # no staging left
    assert not (out / ".reader").exists()
    assert summary["files"] == sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())


def test_default_report_records_differences_computed_from_the_data(default_report):
    _, out = default_report
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    tables = summary["notebooks"]["02_rd_intensity"]["values"]["tables"]
    cities = ["Guangzhou", "Beijing", "Shanghai", "Shenzhen"]
    year = latest_common_year(cities, "rd_intensity", 2015, 2024)
    focus = preferred_value("Guangzhou", year, "rd_intensity")
    latest = {row["peer"]: row for row in tables["difference_latest"]}
    rd = next(f for f in summary["findings"] if f["gap"] == "rd_intensity")["rd"]
    for peer in cities[1:]:
        recorded = latest[peer]
        assert recorded["focus_year"] == recorded["peer_year"] == year
        assert recorded["difference_unit"] == "percentage points"
        expected = focus - preferred_value(peer, year, "rd_intensity")
        assert recorded["difference"] == pytest.approx(expected, abs=1e-9)
        assert rd["peers"][peer]["difference"] == pytest.approx(expected, abs=1e-9)   # the landing page's figure
    for row in tables["extra_spending"]:
        gz_rd = preferred_value("Guangzhou", row["focus_year"], "rd_expenditure")
        gz_gdp = preferred_value("Guangzhou", row["focus_year"], "gdp")
        peer_ratio = preferred_value(row["peer"], row["peer_year"], "rd_intensity")
        assert row["extra"] == pytest.approx(gz_gdp * peer_ratio / 100 - gz_rd, rel=1e-9)
        finding = rd["peers"][row["peer"]]
        assert finding["already_above"] == (row["extra"] <= 0)
        assert finding["extra"] == (None if row["extra"] <= 0 else pytest.approx(row["extra"], rel=1e-9))


def test_report_with_other_parameters_uses_them(other_report, default_report):
    code, out = other_report
    assert code == 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["parameters"] == {**summary["parameters"], "focus": "Shenzhen",
                                     "peers": ["Beijing", "Guangzhou"], "start_year": 2016,
                                     "end_year": 2022, "lang": "zh"}
    values = summary["notebooks"]["02_rd_intensity"]["values"]
    latest = {row["peer"]: row for row in values["tables"]["difference_latest"]}
    assert sorted(latest) == ["Beijing", "Guangzhou"]
    year = latest_common_year(["Shenzhen", "Beijing", "Guangzhou"], "rd_intensity", 2016, 2022)
    assert latest["Guangzhou"]["focus_year"] == year <= 2022
    assert latest["Guangzhou"]["difference"] == pytest.approx(
        preferred_value("Shenzhen", year, "rd_intensity") - preferred_value("Guangzhou", year, "rd_intensity"))
    # machine-readable output keeps its keys and codes whatever the language
    english = json.loads((default_report[1] / "summary.json").read_text(encoding="utf-8"))
    board = summary["notebooks"]["00_overview"]["values"]["tables"]["scoreboard"]
    english_board = english["notebooks"]["00_overview"]["values"]["tables"]["scoreboard"]
    assert set(board[0]) == set(english_board[0]) and {row["city"] for row in board} == {"Shenzhen", "Beijing",
                                                                                          "Guangzhou"}
    assert set(latest["Guangzhou"]) == set(english["notebooks"]["02_rd_intensity"]["values"]["tables"]
                                           ["difference_latest"][0])
    assert sorted(summary) == sorted(english)
    ranks = summary["notebooks"]["00_overview"]["values"]["index"]["ranks"]
    assert sorted(r["city"] for r in ranks) == ["Beijing", "Guangzhou", "Shenzhen"]
    csv = pd.read_csv(out / "tables" / "02_rd_intensity" / "difference_latest.csv")
    assert list(csv.columns) == list(pd.read_csv(default_report[1] / "tables" / "02_rd_intensity" /
                                                 "difference_latest.csv").columns)


# --- failures and the report folder ---------------------------------------------------------

PARAMETER_CELL = ('focus = "Guangzhou"\npeers = ["Beijing"]\nstart_year = 2015\nend_year = 2024\n'
                  'data_dir = None\nlang = "en"\noutput_dir = None')


def write_notebook(path: Path, body: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    parameters = nbformat.v4.new_code_cell(PARAMETER_CELL)
    parameters.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {path.stem}"), parameters,
                nbformat.v4.new_code_cell("from analysis.formatting import Column, ReaderTable\n"
                                          "from analysis.outputs import Recorder\n"
                                          f"rec = Recorder(output_dir, '{path.stem}')"),
                nbformat.v4.new_code_cell(body)]
    nbformat.write(nb, path)


@pytest.fixture()
def small_notebooks(tmp_path) -> Path:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    write_notebook(folder / "a_good.ipynb", 'rec.value("focus", focus)\n'
                   'rec.table(ReaderTable("t", "Table t", __import__("pandas").DataFrame({"x": [1]}), [Column("x", "X")]))')
    write_notebook(folder / "b_broken.ipynb", 'raise RuntimeError("deliberate failure")')
    return folder


def test_failing_notebook_does_not_stop_the_others(small_notebooks, tmp_path, capsys):
    code = cli.main(["report", "--notebooks", str(small_notebooks), "--out", str(tmp_path / "out"), "--quiet"])
    assert code == 1
    err = capsys.readouterr().err
    # cell 4 counts the markdown cell and the parameters cell papermill injects
    assert "FAILED b_broken.ipynb: cell 4 (In [4]) raised RuntimeError: deliberate failure" in err
    assert not (tmp_path / "out").exists()  # a failed run lands beside --out, never in it
    out = tmp_path / "out-failed"
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["notebooks"]["a_good"]["ok"] and summary["notebooks"]["a_good"]["values"]["focus"] == "Guangzhou"
    assert not summary["notebooks"]["b_broken"]["ok"] and not summary["ok"]
    kept = nbformat.read(out / "notebooks" / "b_broken.ipynb", as_version=4)
    errors = [o for c in kept.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors and errors[0]["evalue"] == "deliberate failure"
    assert (out / "html" / "b_broken.html").is_file()
    workbook = openpyxl.load_workbook(out / report.WORKBOOK)
    first = [row for row in workbook["b_broken"].iter_rows(values_only=True)][:2]
    assert first[1][0].startswith("FAILED: cell 4 (In [4]) raised RuntimeError")
    good = [row[0] for row in workbook["a_good"].iter_rows(values_only=True)]
    assert "Table t" in good and not any(str(v).startswith("FAILED") for v in good)  # its table, no failure note


def test_an_earlier_report_is_replaced_whole_or_not_at_all(small_notebooks, tmp_path, monkeypatch):
    (small_notebooks / "b_broken.ipynb").unlink()
    out = tmp_path / "out"
    params = check_parameters()
    report.run_report(params, out, notebooks_dir=small_notebooks, progress=False)
    (out / "index.html").write_text("earlier report", encoding="utf-8")

    def crash(*args, **kwargs):
        raise OSError("disk full")
    monkeypatch.setattr(report, "_write_index", crash)
    with pytest.raises(report.ReportFolderError, match="disk full; nothing was replaced"):
        report.run_report(params, out, notebooks_dir=small_notebooks, progress=False)
    assert (out / "index.html").read_text(encoding="utf-8") == "earlier report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notebooks", "out"]  # no staging left

    monkeypatch.undo()
    report.run_report(params, out, notebooks_dir=small_notebooks, progress=False)
    assert (out / "index.html").read_text(encoding="utf-8").startswith("<!doctype html>")


@pytest.mark.parametrize("occupant", ["thesis.docx", "data"])
def test_a_folder_that_is_not_a_report_is_never_replaced(small_notebooks, tmp_path, capsys, occupant):
    out = tmp_path / "out"
    (out / occupant).mkdir(parents=True) if occupant == "data" else (
        out.mkdir() or (out / occupant).write_text("precious", encoding="utf-8"))
    code = cli.main(["report", "--notebooks", str(small_notebooks), "--out", str(out), "--quiet"])
    assert code == 2
    assert "is not an earlier report" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == [occupant]


def test_a_missing_notebooks_folder_is_a_parameter_error(tmp_path, capsys):
    code = cli.main(["report", "--notebooks", str(tmp_path / "nowhere"), "--out", str(tmp_path / "r"), "--quiet"])
    assert code == 2
    assert "no notebooks (*.ipynb) in" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


def test_scheduled_run_lands_in_a_dated_folder_and_moves_latest(small_notebooks, tmp_path, monkeypatch):
    (small_notebooks / "b_broken.ipynb").unlink()
    monkeypatch.chdir(tmp_path)
    assert cli.main(["report", "--notebooks", str(small_notebooks), "--quiet"]) == 0
    dated = report.dated_output_dir(check_parameters())
    assert dated.is_dir() and dated.name.endswith("-Guangzhou")
    latest = Path("reports") / report.LATEST
    assert latest.is_symlink() and latest.resolve() == dated.resolve()


def test_default_report_records_the_claim_verdicts(default_report):
    from analysis import claims

    _, out = default_report
    values = json.loads((out / "summary.json").read_text(encoding="utf-8"))["notebooks"]["06_claims"]["values"]
    verdicts = claims.evaluate_claims(claims.load_claims(), analysis.load_observations(preferred_only=False),
                                      analysis.load_sources(), analysis.load_catalogue())
    counts = claims.verdict_counts(verdicts)   # claims and the plan's targets apart ("not verifiable" in both)
    assert values["verdict_counts"] == {group: dict(zip(f["verdict"], f["count"]))
                                        for group, f in counts.groupby("group", sort=False)}
    assert sum(sum(group.values()) for group in values["verdict_counts"].values()) == len(claims.load_claims())
    recorded = {(row["claim_id"], row["check"]): row["verdict"]
                for name in ("claims", "targets") for row in values["tables"][name]}
    assert recorded == {(r.claim_id, r.check): r.verdict for r in verdicts.itertuples()}
