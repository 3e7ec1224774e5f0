"""The national network solved by jkenergy and by PyPSA (optional ``bench`` extra).

Both get the same LP (see pypsa_model.py) and the same HiGHS preset; the objectives must
agree to 1e-5 relative. ``ratio`` = PyPSA's ``optimize`` time (model build, hand-over,
solve, reading results) over ours (build + hand-over + solve + extraction); building the
networks themselves is not timed on either side.
"""

from __future__ import annotations

import time

import pytest

import jkenergy as jk
from harness import HORIZONS, PeakMemory, network, record, run

pypsa = pytest.importorskip("pypsa")

from pypsa_model import objective, to_pypsa  # noqa: E402

ALGORITHM = "simplex"
"""Same HiGHS preset on both sides: the one jkenergy's "auto" picks at these sizes."""


def _pypsa_run(net: jk.Network, algorithm: str) -> dict:
    n, extra = to_pypsa(net)
    options = {"output_flag": False, **jk.ALGORITHMS[algorithm]}
    with PeakMemory() as mem:
        start = time.perf_counter()
        _status, condition = n.optimize(solver_name="highs", extra_functionality=extra,
                                       solver_options=options)  # fmt: skip
        seconds = time.perf_counter() - start
    assert condition == "optimal"
    return {"pypsa_s": seconds, "pypsa_objective": objective(net, n), "pypsa_peak_mb": mem.peak}


@pytest.mark.parametrize("label", ["week", pytest.param("month", marks=pytest.mark.slow)])
def test_against_pypsa(benchmark, label):
    hours = HORIZONS[label]
    net, _ = network("national", hours)
    ours = run(net, algorithm=ALGORITHM)
    theirs = benchmark.pedantic(_pypsa_run, args=(net, ALGORITHM), rounds=1, iterations=1)
    rel = abs(theirs["pypsa_objective"] - ours["objective"]) / abs(ours["objective"])
    record(benchmark, {"regions": "national", "hours": hours, "algorithm": ALGORITHM,
                       **ours, **theirs,
                       "objective_rel_diff": rel,
                       "ratio": theirs["pypsa_s"] / ours["total_s"]})  # fmt: skip
    assert rel < 1e-5
