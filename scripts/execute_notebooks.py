"""Write each notebook's ``.ipynb`` from its paired ``.py`` source and execute it in place.

The ``notebooks/*.py`` files (jupytext percent format) are the reviewable source of each
notebook; the ``.ipynb`` beside it carries the executed outputs that nbval compares. After
changing a ``.py`` (or editing a notebook in JupyterLab, which keeps the pair in step
through jupytext), run from the project root::

    python scripts/execute_notebooks.py            # every notebook
    python scripts/execute_notebooks.py 02_rd_intensity

and commit both files. Cell ids are fixed (``cell-01``, ...) and papermill's timing
metadata is dropped, so a re-run changes only what the outputs show.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import jupytext
import nbformat

from analysis.execution import kernel_folder, run_notebook

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def paired_notebook(source: Path) -> nbformat.NotebookNode:
    """The notebook of a ``.py`` source, with fixed cell ids and no outputs."""
    notebook = jupytext.read(source)
    for number, cell in enumerate(notebook.cells, 1):
        cell.id = f"cell-{number:02d}"
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook


def execute(source: Path, kernels: Path) -> None:
    target = source.with_suffix(".ipynb")
    nbformat.write(paired_notebook(source), target)
    error = run_notebook(target, target, {}, kernel_dir=kernels, timeout=600)
    if error:
        raise SystemExit(f"{target.name}: {error}")
    notebook = nbformat.read(target, as_version=4)
    notebook.metadata.pop("papermill", None)
    for cell in notebook.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    nbformat.write(notebook, target)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="notebook stems (default: all)")
    args = parser.parse_args(argv)
    sources = sorted(NOTEBOOKS.glob("*.py"))
    if args.names:
        sources = [s for s in sources if s.stem in args.names]
    with kernel_folder() as kernels:
        for source in sources:
            execute(source, kernels)
            print(source.with_suffix(".ipynb").relative_to(NOTEBOOKS.parent), file=sys.stderr)


if __name__ == "__main__":
    main()
