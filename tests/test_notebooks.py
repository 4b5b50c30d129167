"""Each notebook is a jupytext pair: the .py is the reviewable source, the .ipynb carries the
executed outputs nbval checks. The two must say the same."""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat
import pytest

import analysis

NOTEBOOKS = Path(analysis.__file__).resolve().parent.parent / "notebooks"
PAIRS = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))


def cells(notebook):
    return [(c.cell_type, c.source.strip(), sorted(c.metadata.get("tags", []))) for c in notebook.cells]


def test_every_notebook_has_its_source():
    assert PAIRS and PAIRS == sorted(p.stem for p in NOTEBOOKS.glob("*.py"))


@pytest.mark.parametrize("name", PAIRS)
def test_the_committed_notebook_matches_its_source(name):
    committed = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    source = jupytext.read(NOTEBOOKS / f"{name}.py")
    assert cells(committed) == cells(source), (
        f"notebooks/{name}.ipynb and .py differ: run python scripts/execute_notebooks.py {name}")
    assert [c.id for c in committed.cells] == [f"cell-{i:02d}" for i in range(1, len(committed.cells) + 1)]


@pytest.mark.parametrize("name", PAIRS)
def test_each_notebook_has_one_parameters_cell_and_an_analyst_lead(name):
    notebook = jupytext.read(NOTEBOOKS / f"{name}.py")
    assert sum("parameters" in c.metadata.get("tags", []) for c in notebook.cells) == 1
    assert notebook.cells[0].cell_type == "markdown" and "analyst" in notebook.cells[0].metadata.get("tags", [])
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    assert "import pandas" not in code and "def " not in code       # logic lives in analysis/
