"""HiGHS presets on the same LP: simplex, interior point with and without crossover, PDLP.

The week cases run in CI; the month cases (PDLP alone takes minutes there) are ``slow``.

A preset without a vertex (PDLP, ``-nocrossover``) may stop where its own (relative)
criteria hold but the absolute tolerances checked afterwards do not: the result must
then be flagged ``unverified`` with an objective close to simplex's, never called optimal.
The ``optimal`` column of the figures records which happened.
"""

from __future__ import annotations

import pytest

import jkenergy as jk
from harness import HORIZONS, network, record, run, run_with_result

VERTEX = {"auto", "simplex", "ipm", "hipo"}
"""Presets that end at a vertex (simplex or crossover): they must prove optimality."""


def _cases():
    for label in ("week", "month"):
        for algorithm in jk.ALGORITHMS:
            marks = (pytest.mark.slow,) if label != "week" else ()
            yield pytest.param(label, algorithm, id=f"national-{label}-{algorithm}", marks=marks)


@pytest.mark.parametrize(("label", "algorithm"), list(_cases()))
def test_algorithm(benchmark, label, algorithm):
    hours = HORIZONS[label]
    net, network_s = network("national", hours)
    row, result = benchmark.pedantic(run_with_result, args=(net,),
                                     kwargs={"algorithm": algorithm}, rounds=1,
                                     iterations=1)  # fmt: skip
    record(benchmark, {"regions": "national", "hours": hours, "algorithm": algorithm,
                       "network_s": network_s, **row})  # fmt: skip
    if algorithm in VERTEX or row["optimal"] == 1.0:
        assert result.termination_condition == "optimal"
        return
    assert result.termination_condition == "unverified"
    reference = run(network("national", hours)[0], algorithm="simplex")["objective"]
    assert abs(result.objective - reference) <= 1e-3 * abs(reference)
