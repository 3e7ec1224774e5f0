"""Two in-memory hand-overs of the same Pyomo model to HiGHS, without solving.

``standard_form`` (ours): Pyomo's LinearStandardFormCompiler -> arrays -> one
``highspy.passModel`` call. ``persistent``: ``pyomo.contrib.solver``'s persistent HiGHS
interface (``set_instance``), which adds components one by one.
"""

from __future__ import annotations

import time

import pytest

from harness import HORIZONS, network, record
from jkenergy.model import build_model, prepare
from jkenergy.solve import hand_over


def _persistent(model):
    from pyomo.contrib.solver.solvers.highs import Highs

    Highs().set_instance(model)


@pytest.mark.parametrize("path", ["standard_form", "persistent"])
@pytest.mark.parametrize("label", ["week", pytest.param("month", marks=pytest.mark.slow)])
def test_handover(benchmark, label, path):
    net, _ = network("national", HORIZONS[label])
    start = time.perf_counter()
    model = build_model(prepare(net))
    build_s = time.perf_counter() - start
    fn = hand_over if path == "standard_form" else _persistent
    benchmark.pedantic(fn, args=(model,), rounds=1, iterations=1)
    record(benchmark, {"regions": "national", "hours": HORIZONS[label], "path": path,
                       "build_s": build_s, "handover_s": benchmark.stats.stats.max})  # fmt: skip
