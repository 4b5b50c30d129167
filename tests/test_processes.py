"""Stop signals in the main process: the first raises RunInterrupted, later ones are
ignored, and a held block delivers its signal only when it ends."""

from __future__ import annotations

import os
import signal

import pytest

from analysis.processes import RunInterrupted, StopSignals


@pytest.mark.parametrize("signum, status", [(signal.SIGTERM, 143), (signal.SIGINT, 130), (signal.SIGHUP, 129)])
def test_a_stop_signal_raises_with_its_exit_status(signum, status):
    with pytest.raises(RunInterrupted) as stop:
        with StopSignals():
            os.kill(os.getpid(), signum)
    assert stop.value.exit_status == status and str(stop.value) == f"interrupted by {signal.Signals(signum).name}"


def test_a_held_block_finishes_before_the_signal_is_raised_and_later_signals_are_ignored():
    steps = []
    with pytest.raises(RunInterrupted):
        with StopSignals() as stop_signals:
            with stop_signals.held():
                os.kill(os.getpid(), signal.SIGTERM)
                steps.append("moved into place")
                os.kill(os.getpid(), signal.SIGINT)  # ignored: the run is already stopping
                steps.append("latest pointed")
            steps.append("never reached")
    assert steps == ["moved into place", "latest pointed"]


def test_the_previous_handlers_come_back():
    before = signal.getsignal(signal.SIGTERM)
    with StopSignals():
        assert signal.getsignal(signal.SIGTERM) is not before
    assert signal.getsignal(signal.SIGTERM) is before
