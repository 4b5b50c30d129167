"""Run jobs in child processes that never outlive the run that started them.

Each job runs in a child process of its own, at most ``workers`` at a time. A child
sits in a process group of its own, so a Ctrl-C or a ``timeout`` aimed at the
terminal's or the scheduler's process group reaches the main process only, which then
stops the children in order. A child tells the main process the id of every kernel it
starts; :meth:`WorkerPool.stop` asks each child to stop (:data:`STOP_SIGNAL`: it kills
its kernels' process groups, waits for them and exits) and kills whatever is left after
:data:`STOP_GRACE` seconds. A child also watches its parent: when the main process
dies, even by SIGKILL, the child kills its kernels and exits within
:data:`PARENT_POLL` seconds. (A kernel whose child died exits by itself too: ipykernel
watches its parent.) POSIX only.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import wait

from .processes import kill_group, pid_alive, reap

STOP_SIGNAL = signal.SIGUSR1
"""What the main process sends a child to stop it (SIGTERM and SIGINT are taken by
nbclient inside the child while a notebook runs)."""
STOP_GRACE = 5.0
"""Seconds a child gets to stop its kernels before it is killed."""
PARENT_POLL = 0.2
"""Seconds between a child's checks that its parent is still there."""
TICK = 0.5
"""Seconds the main process waits for news before it calls ``on_tick`` again."""
STOPPED_STATUS = 128 + STOP_SIGNAL
"""Exit status of a child that stopped its kernels on request or on its parent's death."""


@dataclass
class _Child:
    index: int
    process: multiprocessing.Process
    conn: object
    deadline: float | None
    kernels: list[int] = field(default_factory=list)
    result: object = None
    done: bool = False


class WorkerPool:
    """Runs ``function(*arguments, on_kernel_start=...)`` for each job in a child process.

    Use as a context manager: leaving the block (normally, or by an exception such as
    :class:`analysis.processes.RunInterrupted`) stops every child still running.

    Parameters
    ----------
    workers : children running at once (at least 1).
    """

    def __init__(self, workers: int):
        self.workers = max(1, workers)
        self._running: dict[int, _Child] = {}
        self._context = multiprocessing.get_context()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def run(self, function, jobs, *, overrun, lost, limit: float | None = None,
            on_result=None, on_tick=None) -> list:
        """Run every job; return their results in job order.

        Parameters
        ----------
        function : module-level function (it is sent to the child), called as
            ``function(*job, on_kernel_start=callback)``; the callback takes a kernel's
            process id. Its return value must pickle.
        jobs : sequence of argument tuples.
        limit : seconds a child may run before it is stopped; None for no limit.
        overrun : ``overrun(index)`` gives the result of a job stopped at ``limit``.
        lost : ``lost(index, exitcode)`` gives the result of a job whose child ended
            without one (it crashed or was killed).
        on_result : ``on_result(index, result)`` as each job finishes.
        on_tick : called at least every :data:`TICK` seconds while jobs run; an
            exception it raises stops the run (the children are stopped on exit).
        """
        results = [None] * len(jobs)
        queue = deque(range(len(jobs)))
        while queue or self._running:
            while queue and len(self._running) < self.workers:
                index = queue.popleft()
                self._start(index, function, jobs[index], limit)
            wait([c.conn for c in self._running.values()]
                 + [c.process.sentinel for c in self._running.values()], timeout=TICK)
            for child in list(self._running.values()):
                self._receive(child)
                if not child.done and child.process.exitcode is not None:
                    self._receive(child)  # a result sent just before it exited
                    if not child.done:
                        child.result, child.done = lost(child.index, child.process.exitcode), True
                if not child.done and child.deadline is not None and time.monotonic() > child.deadline:
                    self._stop_child(child)
                    child.result, child.done = overrun(child.index), True
                if child.done:
                    self._finish(child)
                    results[child.index] = child.result
                    if on_result is not None:
                        on_result(child.index, child.result)
            if on_tick is not None:
                on_tick()
        return results

    def stop(self) -> None:
        """Stop every running child and its kernels; return when they are gone."""
        children = list(self._running.values())
        for child in children:  # ask them all at once, so they stop in parallel
            if child.process.exitcode is None:
                _signal(child.process.pid, STOP_SIGNAL)
        for child in children:
            self._stop_child(child)
            self._finish(child)

    def _start(self, index, function, arguments, limit) -> None:
        receiver, sender = self._context.Pipe(duplex=False)
        process = self._context.Process(target=_child_main, name=f"analysis-worker-{index}",
                                        args=(sender, function, tuple(arguments), os.getpid()),
                                        daemon=True)
        process.start()
        sender.close()
        deadline = None if limit is None else time.monotonic() + limit
        self._running[index] = _Child(index, process, receiver, deadline)

    def _receive(self, child: _Child) -> None:
        try:
            while child.conn.poll():
                kind, value = child.conn.recv()
                if kind == "kernel":
                    child.kernels.append(value)
                else:
                    child.result, child.done = value, True
        except (EOFError, OSError):
            pass

    def _stop_child(self, child: _Child) -> None:
        """Stop ``child`` at once: ask, wait :data:`STOP_GRACE`, then kill it and its kernels."""
        if child.process.exitcode is None:
            _signal(child.process.pid, STOP_SIGNAL)
            child.process.join(STOP_GRACE)
        if child.process.exitcode is None:
            for pid in child.kernels:
                kill_group(pid)
            child.process.kill()
        child.process.join()

    def _finish(self, child: _Child) -> None:
        child.process.join()
        child.conn.close()
        self._running.pop(child.index, None)


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def _child_main(sender, function, arguments, main: int) -> None:
    """Body of a child process: run one job, report kernels and the result to ``sender``.

    ``main`` is the main process's id; the child's parent is the main process, or the
    fork server (which ends with it) under the ``forkserver`` start method.
    """
    os.setpgid(0, 0)
    parent = os.getppid()
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)  # not the main process's handlers, inherited by fork
    kernels: list[int] = []

    def stop_kernels_and_exit(*_) -> None:
        for pid in kernels:
            kill_group(pid)
            reap(pid)
        os._exit(STOPPED_STATUS)

    def kernel_started(pid: int) -> None:
        kernels.append(pid)
        sender.send(("kernel", pid))

    signal.signal(STOP_SIGNAL, stop_kernels_and_exit)
    if not pid_alive(main):
        stop_kernels_and_exit()
    threading.Thread(target=_watch_parent, args=(parent, stop_kernels_and_exit), daemon=True).start()
    result = function(*arguments, on_kernel_start=kernel_started)
    sender.send(("result", result))
    sender.close()


def _watch_parent(parent: int, on_death) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL)
    on_death()
