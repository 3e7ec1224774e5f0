"""HiGHS presets on the same LP: simplex, interior point with and without crossover, PDLP.

The week cases run in CI; the month cases (PDLP alone takes minutes there) are ``slow``.
"""

from __future__ import annotations

import pytest

import jkenergy as jk
from harness import HORIZONS, network, record, run


def _cases():
    for label in ("week", "month"):
        for algorithm in jk.ALGORITHMS:
            marks = (pytest.mark.slow,) if label != "week" else ()
            yield pytest.param(label, algorithm, id=f"national-{label}-{algorithm}", marks=marks)


@pytest.mark.parametrize(("label", "algorithm"), list(_cases()))
def test_algorithm(benchmark, label, algorithm):
    hours = HORIZONS[label]
    net, network_s = network("national", hours)
    row = benchmark.pedantic(run, args=(net,), kwargs={"algorithm": algorithm}, rounds=1,
                             iterations=1)  # fmt: skip
    record(benchmark, {"regions": "national", "hours": hours, "algorithm": algorithm,
                       "network_s": network_s, **row})  # fmt: skip
    assert row["optimal"] == 1.0
