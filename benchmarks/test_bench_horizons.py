"""Build, hand-over, solve and extraction timed separately, per horizon and region set.

Each case records (``extra_info`` in the saved JSON): ``network_s`` (``jk.japan_korea``),
``build_s``, ``handover_s``, ``solve_s``, ``extraction_s``, ``total_s`` (the four LP
stages), ``overhead_pct`` (our stages as % of the HiGHS solve), ``rows``, ``columns``,
``peak_mb`` (process resident memory) and ``objective``.
"""

from __future__ import annotations

import pytest

from harness import HORIZONS, network, record, run

FAST = {("national", "week"), ("areas", "week")}


def _cases():
    for regions in ("national", "areas"):
        for label in HORIZONS:
            marks = () if (regions, label) in FAST else (pytest.mark.slow,)
            yield pytest.param(regions, label, id=f"{regions}-{label}", marks=marks)


@pytest.mark.parametrize(("regions", "label"), list(_cases()))
def test_horizon(benchmark, regions, label):
    hours = HORIZONS[label]
    net, network_s = network(regions, hours)
    row = benchmark.pedantic(run, args=(net,), rounds=1, iterations=1)
    record(benchmark, {"regions": regions, "hours": hours, "network_s": network_s, **row})
    assert row["optimal"] == 1.0
