"""A coarser clock: the national network solved hourly and at 2 h and 3 h, and the error.

``jk.aggregation.resample(net, hours)`` merges consecutive snapshots (weights and storage
time steps summed, series weight-averaged, so weighted energy and cost are conserved). For
each resolution the figures compare it with the hourly optimum of the same network:

- ``objective_error_pct``: relative error of total system cost;
- ``link_mw``, ``link_error_mw``: the JP-KR link's optimal size and its difference from
  the hourly one;
- ``capacity_error_pct``: the largest relative error of a country's capacity by carrier
  (``capacity_worst`` names it), over carriers with at least 1 % of the country's capacity
  and every storage energy capacity (as in ``test_bench_aggregation.py``);
- ``time_ratio``: the hourly LP time (build + hand-over + solve + extraction) over the
  coarser case's resample + LP time.

The week runs in CI (three small solves); the month (~40-60 s on the shared 2-core
machine) and the year are ``slow``. Run: ``pytest benchmarks/test_bench_clock.py
--benchmark-only`` (week), ``JK_BENCH_SLOW=1 pytest benchmarks/test_bench_clock.py
--benchmark-only -k month``, or ``python benchmarks/test_bench_clock.py week month [year]``
for the table.
"""

from __future__ import annotations

import sys
import time

import pytest

import jkenergy as jk
from harness import HORIZONS, capacities, network, record, run_with_result
from test_bench_aggregation import capacity_error

RESOLUTIONS = (2, 3)
_HOURLY: dict[str, dict] = {}


def _link_mw(result: jk.Result) -> float:
    return float(result.dataset["link_p_nom_opt"].sel(link="JP-KR").item())


def hourly(label: str) -> dict:
    """The hourly optimum of the national horizon (solved once per session)."""
    if label not in _HOURLY:
        net, _ = network("national", HORIZONS[label])
        row, result = run_with_result(net)
        assert row["optimal"] == 1.0
        _HOURLY[label] = {**row, "link_mw": _link_mw(result),
                          "capacities": capacities(result.dataset)}  # fmt: skip
    return _HOURLY[label]


def compare(label: str, hours: int) -> dict:
    """Solve the national horizon at ``hours`` h resolution; figures against hourly."""
    ref = hourly(label)
    net, _ = network("national", HORIZONS[label])
    start = time.perf_counter()
    coarse = jk.aggregation.resample(net, hours=hours)
    resample_s = time.perf_counter() - start
    row, result = run_with_result(coarse)
    cap_err, cap_worst = capacity_error(capacities(result.dataset), ref["capacities"])
    link = _link_mw(result)
    return {
        "regions": "national", "hours": HORIZONS[label], "resolution_h": hours,
        "resample_s": resample_s, **row,
        "hourly_objective": ref["objective"], "hourly_total_s": ref["total_s"],
        "objective_error_pct": 100.0 * (row["objective"] - ref["objective"]) / ref["objective"],
        "link_mw": link, "hourly_link_mw": ref["link_mw"], "link_error_mw": link - ref["link_mw"],
        "capacity_error_pct": cap_err, "capacity_worst": cap_worst,
        "time_ratio": ref["total_s"] / (resample_s + row["total_s"]),
    }  # fmt: skip


def _cases():
    for label in ("week", "month", "year"):
        marks = () if label == "week" else (pytest.mark.slow,)
        for hours in RESOLUTIONS:
            yield pytest.param(label, hours, id=f"{label}-{hours}h", marks=marks)


@pytest.mark.parametrize(("label", "hours"), list(_cases()))
def test_clock(benchmark, label, hours):
    row = benchmark.pedantic(compare, args=(label, hours), rounds=1, iterations=1)
    record(benchmark, row)
    assert row["optimal"] == 1.0
    # weighted energy is conserved, so cost moves little; a loose sanity bound, not a target
    assert abs(row["objective_error_pct"]) < 10.0


def main(labels: list[str]) -> None:
    head = ("horizon", "clock", "rows", "columns", "total_s", "time_ratio", "objective",
            "objective_error_pct", "link_mw", "link_error_mw", "capacity_error_pct",
            "capacity_worst")  # fmt: skip
    print("| " + " | ".join(head) + " |\n|" + "---|" * len(head))
    for label in labels:
        ref = hourly(label)
        print(f"| {label} | 1 h | {ref['rows']:,.0f} | {ref['columns']:,.0f} | "
              f"{ref['total_s']:.2f} | 1 | {ref['objective']:.6e} | 0 | {ref['link_mw']:,.0f} | "
              f"0 | 0 | |")  # fmt: skip
        for hours in RESOLUTIONS:
            r = compare(label, hours)
            print(f"| {label} | {hours} h | {r['rows']:,.0f} | {r['columns']:,.0f} | "
                  f"{r['total_s']:.2f} | {r['time_ratio']:.2f} | {r['objective']:.6e} | "
                  f"{r['objective_error_pct']:+.3f} | {r['link_mw']:,.0f} | "
                  f"{r['link_error_mw']:+,.0f} | {r['capacity_error_pct']:.1f} | "
                  f"{r['capacity_worst']} |")  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1:] or ["month"])
