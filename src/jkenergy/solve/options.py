"""Solver options: the algorithm preset merged with the caller's HiGHS options, each checked
with HiGHS."""

from __future__ import annotations

from typing import Any

import highspy

from ..errors import SolverError
from .presets import ALGORITHMS


def _highs_options(
    algorithm: str,
    threads: int | None,
    time_limit: float | None,
    highs_options: dict[str, Any],
) -> dict[str, Any]:
    """Merge the algorithm preset with user options and check each name with HiGHS."""
    if algorithm not in ALGORITHMS:
        raise SolverError(
            f"optimize: algorithm must be one of {list(ALGORITHMS)}, got {algorithm!r}"
        )
    options = {**ALGORITHMS[algorithm], **highs_options}
    if threads is not None:
        options["threads"] = int(threads)
    if time_limit is not None:
        options["time_limit"] = float(time_limit)
    probe = highspy.Highs()
    probe.setOptionValue("output_flag", False)
    for key, value in options.items():
        if probe.setOptionValue(key, value) != highspy.HighsStatus.kOk:
            raise SolverError(
                f"optimize: HiGHS rejected option {key}={value!r} (unknown name or bad value)"
            )
    return options
