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
method cuPDLP-C.

Measured on the Japan-Korea networks (benchmarks/README.md, 2 shared cores): dual simplex
is the fastest preset up to a month of national hours (0.3 s for a week, 1.7-3.9 s for a
month against 12 s for IPX and 8.6 s for PDLP). On the full national year HiPO with
crossover solves in 133-161 s, IPX in 2,484 s; PDLP to a relative feasibility of 1e-5
reaches the optimum in 83-91 s but is not a vertex and, on some of the scenarios, fails
HiGHS's final check of the unscaled tolerances (status ``unknown``), which then costs a
second solve."""

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
