"""Representative days against the full horizon: cost error, capacity error, speed-up.

For each ``n_days`` the national network is aggregated with
``jk.timeseries.representative_days`` (typical days + peak-demand and lowest-renewable
days, inter-period storage) and solved; the figures compare it with the full-horizon
optimum of the same network:

- ``objective_error_pct``: relative error of total system cost;
- ``capacity_error_pct``: the largest relative error of a country's optimal capacity by
  carrier (``capacity_worst`` names it), over carriers holding at least 1 % of the
  country's capacity (generators, storage power, storage energy and links);
- ``speedup``: full-horizon LP time (build + hand-over + solve + extraction) over the
  aggregated case's aggregation + LP time.

The full year is ``slow``; setting ``JK_BENCH_REFERENCE=path.json`` reuses a full-year
reference saved by an earlier run (``write_reference``) instead of solving it again.
"""

from __future__ import annotations

import json
import os
import time

import pytest

import jkenergy as jk
from harness import HORIZONS, capacities, network, record, run_with_result

_REFERENCES: dict[int, dict] = {}


def _reference(hours: int) -> dict:
    """Full-horizon optimum: objective, LP time and capacities (solved once per session)."""
    if hours in _REFERENCES:
        return _REFERENCES[hours]
    path = os.environ.get("JK_BENCH_REFERENCE")
    if path and hours == HORIZONS["year"] and os.path.exists(path):
        with open(path) as f:
            ref = json.load(f)
        ref["capacities"] = {tuple(k.split("|")): v for k, v in ref["capacities"].items()}
    else:
        net, _ = network("national", hours)
        result = net.optimize()
        stats = result.stats
        ref = {
            "objective": result.objective,
            "total_s": stats["build_s"] + stats["handover_s"] + stats["solve_s"]
            + stats["extraction_s"],
            "capacities": capacities(result.dataset),
        }  # fmt: skip
        if path and hours == HORIZONS["year"]:
            write_reference(ref, path)
    _REFERENCES[hours] = ref
    return ref


def write_reference(ref: dict, path: str) -> None:
    """Save a reference (capacity keys joined with ``|``) for ``JK_BENCH_REFERENCE``."""
    caps = {"|".join(k): v for k, v in ref["capacities"].items()}
    with open(path, "w") as f:
        json.dump({**ref, "capacities": caps}, f, indent=1)


def capacity_error(agg: dict, full: dict) -> tuple[float, str]:
    """Largest relative capacity error (%) over significant (country, carrier) pairs."""
    totals: dict[str, float] = {}
    for (country, carrier), value in full.items():
        if not carrier.endswith(":energy"):
            totals[country] = totals.get(country, 0.0) + value
    worst, name = 0.0, ""
    for (country, carrier), value in full.items():
        if carrier.endswith(":energy"):
            significant = value > 0 and agg.get((country, carrier), 0.0) + value > 0
        else:
            significant = value >= 0.01 * totals[country]
        if significant:
            err = 100.0 * abs(agg.get((country, carrier), 0.0) - value) / value
            if err > worst:
                worst, name = err, f"{country} {carrier}"
    return worst, name


def _cases():
    yield pytest.param("week", 3, id="week-3days")
    for n_days in (8, 16, 32, 64):
        yield pytest.param("year", n_days, id=f"year-{n_days}days", marks=pytest.mark.slow)


@pytest.mark.parametrize(("label", "n_days"), list(_cases()))
def test_representative_days(benchmark, label, n_days):
    hours = HORIZONS[label]
    full = _reference(hours)
    net, _ = network("national", hours)
    start = time.perf_counter()
    agg = jk.timeseries.representative_days(net, n_days=n_days)
    aggregate_s = time.perf_counter() - start
    row, result = benchmark.pedantic(run_with_result, args=(agg,), rounds=1, iterations=1)
    cap_err, cap_worst = capacity_error(capacities(result.dataset), full["capacities"])
    record(benchmark, {
        "regions": "national", "hours": hours, "n_days": n_days,
        "aggregate_s": aggregate_s, **row,
        "full_objective": full["objective"], "full_total_s": full["total_s"],
        "objective_error_pct": 100.0 * (row["objective"] - full["objective"])
        / full["objective"],
        "capacity_error_pct": cap_err, "capacity_worst": cap_worst,
        "speedup": full["total_s"] / (aggregate_s + row["total_s"]),
    })  # fmt: skip
    assert row["optimal"] == 1.0
