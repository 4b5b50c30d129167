"""Lint the package: ruff (rules in ruff.toml) and three rules ruff has no check for.

- No module imports another module's private (underscored) names; shared internals live in
  underscored modules (``_frame``, ``_align``, ...) whose names are imported openly.
- The pure layer reads no file: the metrics, index and selection modules and the private
  core import none of the modules that read data or present it.
- A module-level string is the module docstring or documents the assignment before it
  (ruff has no pointless-string-statement rule).
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import analysis

PACKAGE = Path(analysis.__file__).resolve().parent
MODULES = sorted(PACKAGE.rglob("*.py"))
PURE = {"_vocab", "_frame", "_align", "_ranks", "_composite", "_docs", "metrics", "index", "sensitivity",
        "selection", "tables"}
READS_OR_PRESENTS = {"loading", "parameters", "datapackage", "catalogue", "report", "cli", "sheets", "plotting",
                     "style", "outputs", "claims"}


def imports(path: Path):
    """(module imported, names imported, line) for each ``from ... import`` of the package."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("analysis")):
            module = (node.module or "").removeprefix("analysis.").split(".")[0]
            yield module, [alias.name for alias in node.names], node.lineno


def test_ruff_finds_nothing():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.fail("ruff is not installed; pip install -e '.[test]'")
    result = subprocess.run([ruff, "check", "--no-cache", str(PACKAGE)], capture_output=True, text=True,
                            cwd=PACKAGE.parent)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_private_name_is_imported_from_another_module(path):
    private = [(module, name, line) for module, names, line in imports(path)
               for name in names if name.startswith("_") and not name.startswith("__")]
    assert private == [], f"{path.name} imports private names: {private}"


@pytest.mark.parametrize("name", sorted(PURE))
def test_the_pure_layer_reads_no_file(name):
    imported = {module for module, _, _ in imports(PACKAGE / f"{name}.py")}
    assert not imported & READS_OR_PRESENTS, f"{name} imports {sorted(imported & READS_OR_PRESENTS)}"
    if name == "_vocab":
        assert not imported, "_vocab imports nothing from the package"


def test_the_checks_can_fail():
    fake = PACKAGE.parent / "tests" / "_lint_probe.py"
    try:
        fake.write_text("from analysis.metrics import _private\nfrom analysis import loading\n", encoding="utf-8")
        found = list(imports(fake))
        assert ("metrics", ["_private"], 1) in found and ("loading", ["loading"], 2) not in found
    finally:
        fake.unlink()


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_level_strings_are_docstrings(path):
    body = ast.parse(path.read_text(encoding="utf-8")).body
    for previous, node in zip(body, body[1:]):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            assert isinstance(previous, (ast.Assign, ast.AnnAssign)), f"{path.name}: stray string at line {node.lineno}"
