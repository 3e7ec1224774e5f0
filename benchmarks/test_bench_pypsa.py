"""The national network solved by jkenergy and by PyPSA (optional ``bench`` extra).

Both get the same LP (see pypsa_model.py), the bundled network with its carbon prices but
without the reserve margins (``reserve_margin=False``, which PyPSA cannot express), and the
same HiGHS preset. The objectives must agree to 1e-5 relative. ``ratio`` = PyPSA's
``optimize`` time (model build, hand-over, solve, reading results) over ours (build +
hand-over + solve + extraction); building the networks themselves is not timed on either
side.
"""

from __future__ import annotations

import time

import pandas as pd
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
    net, _ = network("national", hours, reserve_margin=False)
    assert net.carbon_prices  # the translation of carbon prices is exercised
    ours = run(net, algorithm=ALGORITHM)
    theirs = benchmark.pedantic(_pypsa_run, args=(net, ALGORITHM), rounds=1, iterations=1)
    rel = abs(theirs["pypsa_objective"] - ours["objective"]) / abs(ours["objective"])
    record(benchmark, {"regions": "national", "hours": hours, "algorithm": ALGORITHM,
                       **ours, **theirs,
                       "objective_rel_diff": rel,
                       "ratio": theirs["pypsa_s"] / ours["total_s"]})  # fmt: skip
    assert rel < 1e-5


def test_translation_honours_p_nom_min_and_clipped_profiles():
    """A tiny network whose answer depends on ``p_nom_min`` and on the 1e-4 clipping.

    Two hours, load 10 MW; solar extendable at 100 USD/MW with p_nom 0 and p_nom_min 20,
    p_max_pu [0.5, 5e-5] (the second taken as 0); gas 100 MW at 50 USD/MWh. Solar must be
    20 MW (capital 2000) and gives 10 MW in hour 0; gas gives 10 MW in hour 1 (500).
    Objective 2500 USD on both sides.
    """
    net = jk.Network(pd.date_range("2030", periods=2, freq="h"))
    net.add_bus("b")
    net.add_load("l", "b", p=10.0)
    net.add_generator("pv", "b", carrier="solar", p_nom_extendable=True, p_nom_min=20.0,
                      capital_cost=100.0, p_max_pu=[0.5, 5e-5])  # fmt: skip
    net.add_generator("gas", "b", carrier="gas", p_nom=100.0, marginal_cost=50.0)
    ours = net.optimize(algorithm=ALGORITHM)
    n, extra = to_pypsa(net)
    n.optimize(solver_name="highs", extra_functionality=extra,
               solver_options={"output_flag": False})  # fmt: skip
    assert ours.objective == pytest.approx(2500.0, rel=1e-9)
    assert objective(net, n) == pytest.approx(2500.0, rel=1e-9)
    assert float(n.generators.p_nom_opt["pv"]) == pytest.approx(20.0)
