"""Fixtures of the sweep tests."""

from __future__ import annotations

import os
import signal

import pytest

from jkenergy.sweeps import run as sweep_run


@pytest.fixture
def ctrl_c(monkeypatch):
    """``ctrl_c.arm()``: the next sweep receives SIGINT (Ctrl-C) in its own process right
    after its first case is stored and counted — a fixed point, no race with a timer.
    SIGINT raises KeyboardInterrupt even if the test runner was started in the background
    (where the shell makes the process ignore it)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    real = sweep_run._Progress.update
    state = {"armed": False}

    def update(self, case, status):
        real(self, case, status)
        if state["armed"]:
            state["armed"] = False
            os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(sweep_run._Progress, "update", update)

    class Trigger:
        @staticmethod
        def arm():
            state["armed"] = True

    yield Trigger
    signal.signal(signal.SIGINT, previous)
