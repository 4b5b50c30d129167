"""The shipped data and notebooks are found in a checkout and in an installed wheel."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import analysis
from analysis import report
from analysis.shipped import shipped_folder

ROOT = Path(__file__).resolve().parent.parent


def test_a_checkout_reads_its_own_folders():
    assert shipped_folder("data") == ROOT / "data"
    assert shipped_folder("notebooks") == ROOT / "notebooks"
    assert analysis.resolve_data_dir() == ROOT / "data"
    with pytest.raises(ValueError, match="unknown shipped folder 'seeds'"):
        shipped_folder("seeds")


@pytest.mark.slow
def test_a_wheel_installed_outside_the_checkout_finds_its_data_and_notebooks(tmp_path):
    """Build the wheel, install it alone into a fresh venv (its dependencies borrowed from
    this environment through a .pth file, so nothing is downloaded) and load from there."""
    source = tmp_path / "source"  # a copy, so the build writes nothing into the checkout
    skipped = shutil.ignore_patterns(".*", "*.egg-info", "__pycache__")
    top_level = {"build", "reports", "tests", "benchmarks", "docs"}   # analysis/build is a package: keep it

    def ignore(folder, names):
        return set(skipped(folder, names)) | (top_level & set(names) if Path(folder) == ROOT else set())

    shutil.copytree(ROOT, source, ignore=ignore)
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(tmp_path / "dist")], check=True, cwd=tmp_path, capture_output=True)
    [wheel] = (tmp_path / "dist").glob("analysis-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    dependencies = Path(subprocess.run([sys.executable, "-c", "import pandas, pathlib; "
                                        "print(pathlib.Path(pandas.__file__).parent.parent)"],
                                       check=True, capture_output=True, text=True).stdout.strip())
    (site / "borrowed_dependencies.pth").write_text(f"{dependencies}\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
                    str(wheel)], check=True, capture_output=True)

    probe = ("import json, analysis; from analysis import report; "
             "data = analysis.load_observations(preferred_only=False); "
             "print(json.dumps({'package': analysis.__file__, 'data': str(analysis.resolve_data_dir()), "
             "'rows': len(data), 'notebooks': [str(p) for p in report.notebook_paths()]}))")
    found = json.loads(subprocess.run([str(python), "-c", probe], check=True, capture_output=True,
                                      text=True, cwd=tmp_path).stdout)
    assert Path(found["package"]).is_relative_to(site)
    assert Path(found["data"]) == site / "analysis" / "data"
    assert found["rows"] == len(analysis.load_observations(preferred_only=False))
    assert [Path(p).name for p in found["notebooks"]] == [p.name for p in report.notebook_paths()]
    assert all(Path(p).is_relative_to(site / "analysis" / "notebooks") for p in found["notebooks"])
