"""HiGHS algorithm presets, the ``"auto"`` choice by LP size, and whether HiPO is available."""

from __future__ import annotations

import functools
from typing import Any

import highspy

ALGORITHMS: dict[str, dict[str, Any]] = {
    "auto": {},
    "simplex": {"solver": "simplex"},
    "ipm": {"solver": "ipm", "run_crossover": "on"},
    "ipm-nocrossover": {"solver": "ipm", "run_crossover": "off"},
    "hipo": {"solver": "hipo", "run_crossover": "on"},
    "hipo-nocrossover": {"solver": "hipo", "run_crossover": "off"},
    "pdlp": {"solver": "pdlp"},
}
"""HiGHS option presets per ``algorithm`` name; ``"auto"`` (the default) picks one by LP size
(:func:`auto_preset`).

``"ipm"`` is HiGHS's IPX interior point, ``"hipo"`` its factorisation-based interior point
HiPO (needs the ``highspy-extras`` package, installed with jkenergy; see
:func:`hipo_available`), both with crossover to a vertex; ``"pdlp"`` is the first-order
method cuPDLP-C. A result without a vertex (``"pdlp"``, the ``-nocrossover`` presets) is
checked after the solve against the tolerances it was asked for and is called optimal only
if it meets them (:func:`jkenergy.solve.outcome.verify`). Timings of each preset on the
Japan-Korea networks are in benchmarks/README.md."""

AUTO_SIMPLEX_MAX_COLUMNS = 50_000
"""``"auto"`` uses simplex up to this many LP columns and :func:`auto_preset`'s large-LP
preset above."""

AUTO_LARGE: dict[str, Any] = {
    "solver": "pdlp",
    "primal_feasibility_tolerance": 1e-5,
    "dual_feasibility_tolerance": 1e-5,
}
"""The ``"auto"`` preset for large LPs when HiPO is not available: PDLP (first-order,
scales with the matrix size). If it ends without proving optimality (other than on the
time limit), ``"auto"`` solves again with interior point."""


@functools.cache
def hipo_available() -> bool:
    """Whether this HiGHS build can run HiPO (it needs ``highspy-extras``).

    ``pip install jkenergy`` installs ``highspy[extras]``; where no ``highspy-extras``
    wheel exists for the platform, ``"auto"`` uses PDLP for large LPs instead.
    """
    probe = highspy.Highs()
    probe.setOptionValue("output_flag", False)
    return probe.setOptionValue("solver", "hipo") == highspy.HighsStatus.kOk


def auto_preset(n_columns: int) -> tuple[str, dict[str, Any]]:
    """The preset ``"auto"`` uses for an LP of ``n_columns`` columns: (name, options).

    Simplex up to :data:`AUTO_SIMPLEX_MAX_COLUMNS`; above, HiPO with crossover where
    :func:`hipo_available`, else PDLP (:data:`AUTO_LARGE`).

    Examples
    --------
    >>> auto_preset(1_000)
    ('simplex', {'solver': 'simplex'})
    """
    if n_columns <= AUTO_SIMPLEX_MAX_COLUMNS:
        return "simplex", ALGORITHMS["simplex"]
    if hipo_available():
        return "hipo", ALGORITHMS["hipo"]
    return "pdlp", AUTO_LARGE


def fallback(algorithm: str) -> str:
    """The preset ``"auto"`` solves again with when its large-LP preset ``algorithm`` stops
    short of a proven optimum: HiPO after PDLP where available, else IPX interior point.

    Examples
    --------
    >>> fallback("hipo")
    'ipm'
    """
    return "hipo" if algorithm == "pdlp" and hipo_available() else "ipm"
