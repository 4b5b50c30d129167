"""Where the shipped ``data/`` and ``notebooks/`` folders are, in a checkout or an install.

In a checkout (and an editable install, ``pip install -e .``) they are the project's
top-level folders beside the package. A built wheel (``pip install .``) carries copies of
them inside the package, as package data (``analysis/data``, ``analysis/notebooks``; see
``[tool.setuptools]`` in ``pyproject.toml``), found with :mod:`importlib.resources`.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

SHIPPED_FOLDERS = ("data", "notebooks")


def shipped_folder(name: str) -> Path:
    """The shipped folder ``name`` (``"data"`` or ``"notebooks"``).

    The copy inside the installed package when there is one (a wheel install), else the
    folder of that name beside the package (a checkout).
    """
    if name not in SHIPPED_FOLDERS:
        raise ValueError(f"unknown shipped folder '{name}'; use one of: {', '.join(SHIPPED_FOLDERS)}.")
    packaged = Path(str(resources.files(__package__) / name))
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / name
