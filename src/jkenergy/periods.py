"""What a clustered network carries: how its snapshots stand for the original horizon."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import ComponentError


@dataclass(frozen=True, eq=False)
class Periods:
    """How the snapshots of an aggregated network stand for the original horizon.

    Attributes
    ----------
    sequence : numpy.ndarray of int, shape (D,)
        Typical period (0..K-1) that each original period, in order, is represented by.
    starts : pandas.DatetimeIndex, shape (D,)
        Start of each original period.
    snapshot_period : numpy.ndarray of int, shape (T,)
        Typical period of each snapshot; each typical period's snapshots are contiguous and
        in order (K blocks).
    duration : numpy.ndarray of float, shape (T,)
        Hours each snapshot lasts inside its period (the storage time step), while the
        network's snapshot weight also counts how many periods the snapshot stands for.
    linked : bool, default True
        True: storage carries energy across periods (inter-period state of charge).
        False: every typical period is cyclic on its own (storage starts and ends each
        typical period at the same level; nothing moves between periods).
    """

    sequence: np.ndarray
    starts: pd.DatetimeIndex
    snapshot_period: np.ndarray
    duration: np.ndarray
    linked: bool = True

    def __post_init__(self) -> None:
        k = self.n_typical
        if sorted(set(self.sequence.tolist())) != list(range(k)):
            raise ComponentError("periods: sequence must use every typical period 0..K-1")
        if np.any(np.diff(self.snapshot_period) < 0) or len(self.starts) != len(self.sequence):
            raise ComponentError("periods: snapshots must be grouped by typical period, in order")

    @property
    def n_typical(self) -> int:
        """Number of typical periods K."""
        return int(self.snapshot_period.max()) + 1

    @property
    def first(self) -> np.ndarray:
        """Position of the first snapshot of each typical period."""
        return np.searchsorted(self.snapshot_period, np.arange(self.n_typical), side="left")

    @property
    def last(self) -> np.ndarray:
        """Position of the last snapshot of each typical period."""
        return np.searchsorted(self.snapshot_period, np.arange(self.n_typical), side="right") - 1

    @property
    def hours(self) -> np.ndarray:
        """Length of each typical period in hours."""
        return np.bincount(self.snapshot_period, weights=self.duration, minlength=self.n_typical)

    @property
    def counts(self) -> np.ndarray:
        """Number of original periods each typical period represents."""
        return np.bincount(self.sequence, minlength=self.n_typical)

    @property
    def label(self) -> np.ndarray:
        """The original period that names each typical period (its earliest member)."""
        return np.array([int(np.argmax(self.sequence == k)) for k in range(self.n_typical)])
