"""Signals and processes of the report run: how a run is interrupted, and how it ends
the processes it started.

The main process turns SIGTERM, SIGINT and SIGHUP into :class:`RunInterrupted`, so the
run can stop its workers and kernels and remove its unfinished report before it exits
with status 128 + the signal number (130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP).
Steps that must not be cut in half (moving the finished report into place) hold the
signals back until they are done. POSIX only (Linux, macOS).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
"""Signals that interrupt a run (a scheduler's stop, Ctrl-C, a closed terminal)."""


class RunInterrupted(BaseException):
    """The run received one of :data:`STOP_SIGNALS`; ``exit_status`` is 128 + its number.

    A BaseException, like KeyboardInterrupt, so no ``except Exception`` swallows it.
    """

    def __init__(self, signum: int):
        self.signum = signum
        self.signal_name = signal.Signals(signum).name
        self.exit_status = 128 + signum
        super().__init__(f"interrupted by {self.signal_name}")


class StopSignals:
    """Context manager: inside it, the first stop signal raises :class:`RunInterrupted`.

    Later signals are ignored, so they cannot cut the clean-up short. Inside
    :meth:`held`, a signal is kept back and raised when the block ends. Python can set
    signal handlers in the main thread only; elsewhere this does nothing.
    """

    def __init__(self):
        self.signum: int | None = None
        self._raised, self._held, self._previous = False, 0, {}

    def __enter__(self) -> StopSignals:
        if threading.current_thread() is threading.main_thread():
            self._previous = {s: signal.signal(s, self._handle) for s in STOP_SIGNALS}
        return self

    def __exit__(self, *exc) -> None:
        for s, action in self._previous.items():
            signal.signal(s, action)

    def _handle(self, signum, frame) -> None:
        if self.signum is None:
            self.signum = signum
            if not self._held:
                self._raise()

    def _raise(self) -> None:
        self._raised = True
        raise RunInterrupted(self.signum)

    @contextlib.contextmanager
    def held(self):
        """Keep a stop signal back during the block (moving a finished report into place,
        cleaning up); raise it when the block ends."""
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1
        if not self._held and self.signum is not None and not self._raised:
            self._raise()


def pid_alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (one of another user counts as existing)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def kill_group(pid: int) -> None:
    """SIGKILL the process group led by ``pid`` (a kernel runs in a session of its own)."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def reap(pid: int) -> None:
    """Wait for child process ``pid`` to end, so it leaves no zombie; nothing if not a child."""
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
