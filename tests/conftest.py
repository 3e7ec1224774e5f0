"""Small shared fixtures for the core tests: tiny networks on hourly snapshots."""

from __future__ import annotations

import pandas as pd
import pytest

import jkenergy as jk

START = "2030-01-01"


def hours(periods: int) -> pd.DatetimeIndex:
    """``periods`` hourly snapshots starting 2030-01-01 00:00."""
    return pd.date_range(START, periods=periods, freq="h")


@pytest.fixture
def make_network():
    """Factory: ``make_network(periods, weights=1.0, **kwargs)`` -> empty jk.Network.

    ``weights`` may be a float or a list (turned into a Series on the snapshots).
    """

    def _make(periods: int = 1, weights=1.0, **kwargs):
        snapshots = hours(periods)
        if isinstance(weights, list | tuple):
            weights = pd.Series(weights, index=snapshots, dtype=float)
        return jk.Network(snapshots=snapshots, weights=weights, **kwargs)

    return _make


@pytest.fixture
def series():
    """Factory: ``series(values)`` -> pd.Series on the first len(values) hourly snapshots."""

    def _series(values):
        return pd.Series(values, index=hours(len(values)), dtype=float)

    return _series


@pytest.fixture
def solve():
    """Solve with HiGHS simplex (vertex solution, unambiguous duals) unless told otherwise."""

    def _solve(network, **kwargs):
        kwargs.setdefault("algorithm", "simplex")
        return network.optimize(**kwargs)

    return _solve
