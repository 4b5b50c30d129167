"""Execute one notebook with papermill in a kernel of the running interpreter.

The kernel is always an IPython kernel of ``sys.executable`` (never whatever a
``python3`` kernelspec installed elsewhere points at, which can escape the virtual
environment). It talks to this process over IPC sockets in a private folder, not TCP:
nothing listens on a network port and the kernel has no reason to warn about
unencrypted TCP. It is stopped with a shutdown request, never interrupted first, so a
good run logs nothing; a kernel that must stop at once (a timeout, a failure, the run
being stopped) is killed with its whole process group, and a kernel whose parent dies
dies with it.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

from .processes import kill_group, pid_alive

KERNEL_FOLDER_PREFIX = "analysis-kernels-"
PR_SET_PDEATHSIG = 1
"""Linux prctl option: the signal a process gets when its parent dies."""
_KERNEL_FOLDER = re.compile(rf"^{KERNEL_FOLDER_PREFIX}(?P<pid>\d+)-")


class InterpreterKernelSpecs(KernelSpecManager):
    """Resolves every kernel name to an IPython kernel of the running interpreter."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        from ipykernel.kernelspec import get_kernel_dict

        return KernelSpec(resource_dir="", **get_kernel_dict())


@contextlib.contextmanager
def kernel_folder():
    """A private temporary folder (short path, mode 0700) for a run's kernel connection
    files and IPC sockets, removed on exit. Entering also removes the folders of runs
    whose process no longer exists."""
    root = Path(tempfile.gettempdir())
    for path in root.glob(f"{KERNEL_FOLDER_PREFIX}*"):
        match = _KERNEL_FOLDER.match(path.name)
        if match and not pid_alive(int(match["pid"])):
            shutil.rmtree(path, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{KERNEL_FOLDER_PREFIX}{os.getpid()}-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class RunKernelManager(AsyncKernelManager):
    """A kernel of ``sys.executable`` on IPC sockets beside ``connection_file``.

    ``on_start(pid)`` is called as soon as the kernel process runs (its process group has
    the same id), so a supervisor can stop it. The kernel dies with the process that
    starts it (:func:`die_with_parent`) and is never restarted. Its own output (ipykernel's
    log: a crash message, or a harmless race while it shuts down) goes to ``log_file``,
    not to the run's stderr. Asynchronous, as nbclient needs for its cell time limits.
    """

    def __init__(self, connection_file: Path, on_start=None, log_file: Path | None = None):
        super().__init__(kernel_name="python3", kernel_spec_manager=InterpreterKernelSpecs(),
                         transport="ipc", connection_file=str(connection_file), autorestart=False)
        self.on_start, self.log_file = on_start, log_file

    async def start_kernel(self, **kw) -> None:
        arm = die_with_parent(os.getpid())
        if arm is not None:
            kw.setdefault("preexec_fn", arm)
        if self.log_file is not None:
            with open(self.log_file, "ab") as log:   # the kernel keeps its own copy of the descriptor
                kw.setdefault("stdout", log)
                kw.setdefault("stderr", log)
                await super().start_kernel(**kw)
        else:
            await super().start_kernel(**kw)
        if self.on_start is not None:
            self.on_start(self.provisioner.pid)


def die_with_parent(parent: int):
    """A ``preexec_fn`` for a kernel: on Linux, the kernel gets SIGKILL the moment
    ``parent`` (the process starting it) dies, even while it is still starting up.

    None elsewhere, where ipykernel's own check of its parent (every second) remains.
    """
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl

    def arm() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # it died before the signal was armed
            os._exit(1)
    return arm


def run_notebook(source: Path, executed: Path, parameters: dict, *, kernel_dir: Path,
                 timeout: float | None = None, on_kernel_start=None) -> str | None:
    """Execute ``source`` with ``parameters`` into ``executed``; None, or what went wrong.

    Parameters
    ----------
    source : notebook to run; its folder is the kernel's working folder.
    executed : where papermill writes the executed copy (also when a cell fails).
    parameters : values for the notebook's ``parameters`` cell.
    kernel_dir : private folder for the kernel's connection file and IPC sockets (keep
        its path short: a socket path has at most about 100 characters).
    timeout : seconds the whole notebook may take, kernel start included; None for no
        limit. A cell still running at the limit fails the notebook.
    on_kernel_start : called with the kernel's process id as soon as it runs.

    Returns
    -------
    None on success, else one line naming the failure and, where known, the cell:
    ``cell 7 (In [5]) raised KeyError: ...``, ``timed out after 600 s in cell 3 (In [2])``,
    ``kernel died in cell 4 (In [3])``. The kernel's own log is kept beside ``executed``
    (``<name>.kernel.log``) when the notebook failed and the log is not empty.
    """
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    started = time.monotonic()
    log = kernel_dir / f"{source.stem}.log"
    km = RunKernelManager(kernel_dir / f"{source.stem}.json", on_start=on_kernel_start, log_file=log)
    limit = {} if timeout is None else {
        "timeout_func": lambda cell: max(1.0, started + timeout - time.monotonic())}
    error = None
    try:
        papermill.execute_notebook(
            str(source), str(executed), parameters=parameters, cwd=str(source.parent),
            progress_bar=False, kernel_name=km.kernel_name, km=km,
            start_timeout=timeout or 60, **limit)
    except papermill.PapermillExecutionError as exc:
        error = f"cell {exc.cell_index} (In [{exc.exec_count}]) raised {exc.ename}: {exc.evalue}"
    except CellTimeoutError:
        error = f"timed out after {timeout:g} s{_in_cell(executed)}"
    except DeadKernelError:
        error = f"kernel died{_in_cell(executed)}"
    except Exception as exc:  # a bad notebook file, a failed kernel start, ...: keep the run going
        error = f"{type(exc).__name__}: {exc}"
    finally:
        run_sync(stop_kernel)(km, at_once=error is not None)
        if error is not None and log.is_file() and log.stat().st_size and executed.parent.is_dir():
            shutil.copyfile(log, executed.with_suffix(".kernel.log"))
        log.unlink(missing_ok=True)
    return error


async def stop_kernel(km: AsyncKernelManager, *, at_once: bool = False) -> None:
    """Stop the kernel quietly: a shutdown request, or (``at_once``) kill its process group.

    jupyter_client's ``shutdown_kernel`` interrupts the kernel before asking it to stop,
    which makes the kernel log ``KeyboardInterrupt caught in kernel`` as an ERROR; this
    does the same steps without the interrupt.
    """
    if not km.has_kernel:
        return
    if at_once:
        kill_group(km.provisioner.pid)
    else:
        await km.request_shutdown()
    await km.finish_shutdown()
    await km.cleanup_resources()


def _in_cell(executed: Path) -> str:
    """`` in cell N (In [n])``: the last cell papermill started, from the executed copy."""
    import nbformat

    try:
        notebook = nbformat.read(executed, as_version=4)
    except (OSError, ValueError):
        return ""
    started = [i for i, cell in enumerate(notebook.cells)
               if cell.get("metadata", {}).get("papermill", {}).get("start_time")]
    if not started:
        return " before the first cell"
    cell = notebook.cells[started[-1]]
    count = cell.get("execution_count")
    return f" in cell {started[-1]}" + (f" (In [{count}])" if count is not None else "")
