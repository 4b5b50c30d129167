"""Worker processes: results in job order, a crashed or overrunning job, and no child or
"kernel" left once the pool stops, whether the run ends or is interrupted."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from analysis.workers import WorkerPool


def echo(value, *, on_kernel_start):
    time.sleep(0.2 * (value % 2))  # odd jobs finish last
    return value * 10


def crash(code, *, on_kernel_start):
    os._exit(code)


def sleep_with_kernel(seconds, record, *, on_kernel_start):
    """Start a stand-in kernel (its own session, like a Jupyter kernel), write the child's
    and the kernel's process ids to ``record``, then sleep."""
    kernel = subprocess.Popen(["sleep", "600"], start_new_session=True)
    on_kernel_start(kernel.pid)
    Path(record).write_text(f"{os.getpid()} {kernel.pid}", encoding="utf-8")
    time.sleep(seconds)
    return "slept"


def recorded(folder: Path) -> list[int]:
    return [int(pid) for path in folder.glob("*.pids") for pid in path.read_text(encoding="utf-8").split()]




def never(*args):
    raise AssertionError("not expected")


def test_results_come_back_in_job_order():
    finished = []
    with WorkerPool(2) as pool:
        results = pool.run(echo, [(i,) for i in range(5)], overrun=never, lost=never,
                           on_result=lambda index, result: finished.append(index))
    assert results == [0, 10, 20, 30, 40]
    assert sorted(finished) == [0, 1, 2, 3, 4]


def test_a_job_whose_process_dies_gets_the_lost_result():
    with WorkerPool(2) as pool:
        results = pool.run(crash, [(3,), (4,)], overrun=never, lost=lambda index, code: ("lost", index, code))
    assert results == [("lost", 0, 3), ("lost", 1, 4)]


def test_a_job_over_the_limit_is_stopped_with_its_kernel(tmp_path, process_ended):
    with WorkerPool(1) as pool:
        results = pool.run(sleep_with_kernel, [(600, tmp_path / "a.pids")], limit=1.0,
                           overrun=lambda index: "overran", lost=never)
    assert results == ["overran"]
    pids = recorded(tmp_path)
    assert len(pids) == 2 and all(process_ended(pid) for pid in pids)


class Stop(Exception):
    pass


def test_an_exception_in_the_main_process_stops_every_child_and_kernel(tmp_path, process_ended):
    def tick():
        if len(recorded(tmp_path)) == 4:
            raise Stop  # e.g. RunInterrupted from a signal, or a full disk
    with pytest.raises(Stop):
        with WorkerPool(2) as pool:
            pool.run(sleep_with_kernel, [(600, tmp_path / "a.pids"), (600, tmp_path / "b.pids")],
                     overrun=never, lost=never, on_tick=tick)
    pids = recorded(tmp_path)
    assert len(pids) == 4 and all(process_ended(pid) for pid in pids)
