"""One notebook in a kernel of this interpreter: which interpreter, which transport, a quiet
shutdown, and a time limit or a dead kernel named with its cell."""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager

from analysis import execution

FIXTURE_NOTEBOOKS = Path(__file__).resolve().parent / "fixtures" / "notebooks"
PARAMETERS = {"focus": "Shenzhen", "peers": ["Beijing"]}


@pytest.fixture()
def foreign_python3_kernelspec(tmp_path, monkeypatch):
    """A ``python3`` kernelspec on JUPYTER_PATH that points at another interpreter."""
    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": ["/nonexistent/python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (elsewhere)", "language": "python"}), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    return spec


def test_the_kernel_is_this_interpreter_whatever_python3_kernelspec_is_installed(
        foreign_python3_kernelspec, tmp_path):
    assert KernelSpecManager().get_kernel_spec("python3").argv[0] == "/nonexistent/python3"  # the trap
    assert execution.InterpreterKernelSpecs().get_kernel_spec("python3").argv[0] == sys.executable
    error = execution.run_notebook(FIXTURE_NOTEBOOKS / "a_values.ipynb", tmp_path / "a.ipynb",
                                   {**PARAMETERS, "output_dir": str(tmp_path)}, kernel_dir=tmp_path)
    assert error is None
    values = json.loads((tmp_path / "summary" / "a_values.json").read_text(encoding="utf-8"))
    assert values["kernel_python"] == sys.executable and values["focus"] == "Shenzhen"


def test_a_good_notebook_runs_on_ipc_and_stops_without_an_interrupt(tmp_path, capfd, monkeypatch, process_ended):
    interrupts = []

    async def record_interrupt(self):
        interrupts.append(self)
    monkeypatch.setattr(AsyncKernelManager, "interrupt_kernel", record_interrupt)
    started = []

    def kernel_started(pid):
        info = json.loads((tmp_path / "a_values.json").read_text(encoding="utf-8"))
        started.append((pid, info["transport"]))

    error = execution.run_notebook(FIXTURE_NOTEBOOKS / "a_values.ipynb", tmp_path / "a.ipynb", PARAMETERS,
                                   kernel_dir=tmp_path, on_kernel_start=kernel_started)
    assert error is None
    [(pid, transport)] = started
    assert transport == "ipc" and process_ended(pid, wait=5.0)
    assert interrupts == []  # an interrupt makes the kernel log "KeyboardInterrupt caught" as an ERROR
    err = capfd.readouterr().err
    assert "WARNING" not in err and "ERROR" not in err, err  # e.g. "Kernel is running over TCP"
    assert list(tmp_path.iterdir()) == [tmp_path / "a.ipynb"]  # connection file and sockets removed


def test_a_cell_over_the_time_limit_fails_the_notebook_and_its_kernel_is_killed(tmp_path, monkeypatch, process_ended):
    monkeypatch.setenv("ANALYSIS_TEST_SLEEP", "600")
    started = []
    before = time.monotonic()
    error = execution.run_notebook(FIXTURE_NOTEBOOKS / "b_sleep.ipynb", tmp_path / "b.ipynb", PARAMETERS,
                                   kernel_dir=tmp_path, timeout=3, on_kernel_start=started.append)
    assert time.monotonic() - before < 60
    # cells: title, parameters, injected parameters, import, sleep
    assert error == "timed out after 3 s in cell 4 (In [4])"
    assert process_ended(started[0], wait=5.0)
    assert (tmp_path / "b.ipynb").is_file()  # the executed copy is kept


def test_a_kernel_that_dies_is_named_with_its_cell(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("import os\nos._exit(1)")]
    nbformat.write(notebook, tmp_path / "dies.ipynb")
    error = execution.run_notebook(tmp_path / "dies.ipynb", tmp_path / "out.ipynb", {}, kernel_dir=tmp_path)
    # the cell's number is known if the kernel announced it before it died
    assert re.fullmatch(r"kernel died in cell 1( \(In \[2\]\))?", error), error


def test_kernel_folders_of_dead_runs_are_removed(tmp_path, monkeypatch):
    monkeypatch.setattr(execution.tempfile, "gettempdir", lambda: str(tmp_path))
    dead = psutil.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f"{execution.KERNEL_FOLDER_PREFIX}{dead.pid}-abc"
    live = tmp_path / f"{execution.KERNEL_FOLDER_PREFIX}{os.getppid()}-abc"
    stale.mkdir()
    live.mkdir()
    with execution.kernel_folder() as folder:
        assert folder.is_dir() and folder.name.startswith(f"{execution.KERNEL_FOLDER_PREFIX}{os.getpid()}-")
        assert not stale.exists() and live.is_dir()
    assert not folder.exists()


def _run_and_report(notebook, folder, queue):
    execution.run_notebook(Path(notebook), Path(folder) / "out.ipynb", PARAMETERS, kernel_dir=Path(folder),
                           on_kernel_start=queue.put)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
def test_a_kernel_dies_the_moment_the_process_that_started_it_dies(tmp_path, monkeypatch, capfd, process_ended):
    monkeypatch.setenv("ANALYSIS_TEST_SLEEP", "600")
    queue = multiprocessing.Queue()
    runner = multiprocessing.Process(target=_run_and_report,
                                     args=(str(FIXTURE_NOTEBOOKS / "b_sleep.ipynb"), str(tmp_path), queue))
    runner.start()
    kernel = queue.get(timeout=60)
    runner.kill()
    runner.join()
    assert process_ended(kernel, wait=0.5)
    time.sleep(1.5)  # ipykernel's own check of its parent runs every second: it must have had no work
    assert "Parent appears to have exited" not in capfd.readouterr().err


def _noisy_notebook(path: Path, fail: bool) -> Path:
    """A notebook whose kernel writes to its own stderr (as ipykernel does when a shutdown
    races), then fails or not."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    body = 'import os\nos.write(2, b"kernel noise on its own stderr\\n")'
    notebook.cells = [nbformat.v4.new_code_cell(body + ('\nraise RuntimeError("boom")' if fail else ""))]
    nbformat.write(notebook, path)
    return path


@pytest.mark.parametrize("fail", [False, True])
def test_the_kernels_own_output_stays_out_of_the_runs_stderr_and_is_kept_on_failure(tmp_path, capfd, fail):
    source = _noisy_notebook(tmp_path / "noisy.ipynb", fail)
    executed = tmp_path / "out" / "noisy.ipynb"
    executed.parent.mkdir()
    error = execution.run_notebook(source, executed, {}, kernel_dir=tmp_path)
    assert (error is not None) == fail
    assert "kernel noise" not in capfd.readouterr().err
    log = executed.with_suffix(".kernel.log")
    assert log.is_file() == fail                      # kept only to explain a failure
    if fail:
        assert "kernel noise on its own stderr" in log.read_text(encoding="utf-8")
    assert not list(tmp_path.glob("*.log"))           # the kernel folder's copy is gone either way
