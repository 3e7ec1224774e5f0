"""Rebuild vs re-solve for a 10-case sweep (link size x carbon price), one process, in series.

``rebuild``: every case builds its network from the scenario, builds the Pyomo model, hands
it to HiGHS and solves from scratch (``jk.sweep(..., reuse=False)``). ``resolve``: the
network and LP are built once, solved once, and each case changes costs, bounds and
right-hand sides in place and re-runs the simplex from that basis (the default).
``resolve-cold``: built once, but each case solved from scratch with the scenario's
algorithm (what the re-use of the build alone is worth). The cases are what a sweep worker
runs (:func:`jkenergy.sweeps.worker.solve_case`), without dask, so the ratio is the solve path's.

Base: ``examples/scenarios/interconnector_1gw.yaml`` (national, 2030, 1 GW link, hydrogen;
the link taken as existing) with ``links.JP-KR.p_nom`` in {0, 1, 2, 4, 8} GW x
``carbon_price.*`` in {0, 100} USD/t.

Run: ``pytest benchmarks/test_sweep_resolve.py --benchmark-only -s`` (one week, CI) and
``JK_BENCH_SLOW=1 pytest benchmarks/test_sweep_resolve.py --benchmark-only -s`` (16
representative days); or ``python benchmarks/test_sweep_resolve.py [week|days16|month]``
for the table.

Measured on the 2-core development machine, shared with other jobs (seconds for all 10
cases, scenario algorithm ``ipm``; the objectives of the three modes agree to 1e-15):

================  =======  =======  ============  ==============  ===================
horizon           rebuild  resolve  resolve-cold  rebuild/resolve  rebuild/resolve-cold
================  =======  =======  ============  ==============  ===================
week (168 h)         17.9      2.3           4.6             7.8                  3.9
16 rep. days         98.2     33.4          92.0             2.9                  1.1
================  =======  =======  ============  ==============  ===================

With 16 representative days (22,314 rows x 20,066 columns) the re-solve path spends 12.3 s
once (network 1.6 s, build and hand-over ~1.5 s, the base's interior-point solve ~9 s),
then 0.8-2.3 s per case that changes the link size and 3.9-5.0 s per case that also moves
the carbon price from 0 to 100 USD/t (warm dual simplex), against ~9.8 s per rebuilt case.
So the gain grows with the number of cases towards ~3.5x for this model and is largest
where the cases differ little; the build is not the bottleneck here, the solve is.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

import jkenergy as jk
from jkenergy.sweeps import Grid, clear_cache, make_job, solve_case

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SCENARIO = EXAMPLES / "scenarios" / "interconnector_1gw.yaml"
GRID = {"links.JP-KR.p_nom": [0, 1000, 2000, 4000, 8000], "carbon_price.*": [0, 100]}
HORIZONS = {
    "week": {"hours": 168, "representative_days": None},
    "days16": {"hours": None, "representative_days": 16},
    "month": {"hours": 720, "representative_days": None},
}
MODES = {
    "rebuild": {"reuse": False},
    "resolve": {"reuse": True, "warm_start": True},
    "resolve-cold": {"reuse": True, "warm_start": False},
}


# The link is taken as existing, so its size is a bound that cases change in place (the
# scenario's new-build link is sized by p_nom_min = p_nom_max, a rebuild-type change).
EXISTING_LINK = {"links.JP-KR.p_nom": 1000.0, "links.JP-KR.p_nom_extendable": False}


def scenario(horizon: str) -> jk.Scenario:
    base = jk.load_scenario(SCENARIO)
    time_options = base.time.model_copy(update=HORIZONS[horizon])
    overrides = {**base.overrides, **EXISTING_LINK}
    national = base.base.model_copy(update={"regions": "national"})  # as measured below
    return base.model_copy(update={"time": time_options, "overrides": overrides, "base": national})


def run(horizon: str, mode: str) -> tuple[float, list[float]]:
    """Seconds for the 10 cases (after a warm-up of the profiles cache) and objectives."""
    base = scenario(horizon)
    base.network()  # profiles and data cached, as in a worker after its first case
    clear_cache()
    job = make_job(base, ".", **MODES[mode])
    start = time.perf_counter()
    objectives = []
    for case in Grid.from_spec(GRID).cases():
        result, _, _ = solve_case(job, case.values)
        assert result.is_optimal
        objectives.append(result.objective)
    seconds = time.perf_counter() - start
    clear_cache()
    return seconds, objectives


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("horizon", ["week", pytest.param("days16", marks=pytest.mark.slow)])
def test_sweep_resolve(benchmark, horizon, mode):
    seconds, objectives = benchmark.pedantic(run, args=(horizon, mode), rounds=1, iterations=1)
    benchmark.extra_info.update({"horizon": horizon, "mode": mode, "cases": len(objectives),
                                 "seconds": seconds})  # fmt: skip


def main(horizons: list[str]) -> None:
    head = ("horizon", "rebuild", "resolve", "res-cold", "ratio", "cold")
    print(f"{head[0]:10} " + " ".join(f"{h:>9}" for h in head[1:]))
    for horizon in horizons:
        times, objectives = {}, {}
        for mode in MODES:
            times[mode], objectives[mode] = run(horizon, mode)
        worst = max(
            abs(a - b) / abs(b)
            for mode in ("resolve", "resolve-cold")
            for a, b in zip(objectives[mode], objectives["rebuild"], strict=True)
        )
        print(
            f"{horizon:10} {times['rebuild']:9.1f} {times['resolve']:9.1f} "
            f"{times['resolve-cold']:9.1f} {times['rebuild'] / times['resolve']:9.1f} "
            f"{times['rebuild'] / times['resolve-cold']:9.1f}   max rel. objective gap {worst:.1e}"
        )


if __name__ == "__main__":
    main(sys.argv[1:] or ["week"])
