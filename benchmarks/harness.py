"""What every benchmark shares: the networks, a stage-by-stage run and peak memory.

The networks are ``jk.japan_korea(regions=..., interconnector="optimise",
snapshots=hours)`` — national (JP, KR) or areas (nine Japanese areas + KR), capacity
expansion with batteries, pumped hydro, hydrogen and an optimisable JP-KR link, on the
bundled data. A horizon shorter than a year is its first ``hours`` hours, each weighted
``8760 / hours`` so that it still carries a year of operating cost against annualised
capital cost (see the performance notes: otherwise short horizons build almost nothing).
"""

from __future__ import annotations

import functools
import os
import threading
import time
from typing import Any

import jkenergy as jk

HORIZONS = {"week": 168, "month": 720, "quarter": 2190, "year": 8760}
"""Benchmark horizons in hours."""

_PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    """Resident memory of this process now, MB."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * _PAGE / 2**20


class PeakMemory:
    """Highest resident memory (MB) of this process while the block runs, sampled every
    ``interval`` s in a thread (HiGHS allocates outside Python, so tracemalloc would miss
    it)."""

    def __init__(self, interval: float = 0.01) -> None:
        self.interval = interval
        self.peak = 0.0
        self._stop = threading.Event()

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb())
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self.peak = rss_mb()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb())


@functools.lru_cache(maxsize=4)
def _cached(regions: str, hours: int, reserve_margin: bool) -> tuple[jk.Network, float]:
    start = time.perf_counter()
    net = jk.japan_korea(regions=regions, interconnector="optimise", snapshots=hours,
                         reserve_margin=reserve_margin)  # fmt: skip
    return net, time.perf_counter() - start


def network(regions: str, hours: int, reserve_margin: bool = True) -> tuple[jk.Network, float]:
    """A fresh copy of the benchmark network and the seconds ``jk.japan_korea`` took to
    make it (data and profiles -> Network; not part of the LP timings).

    ``reserve_margin=False`` leaves out the planning reserve margins (for the comparison
    with PyPSA, which has no equivalent of their link-sharing rows)."""
    net, seconds = _cached(regions, hours, reserve_margin)
    return net.copy(), seconds


def run(net: jk.Network, **options: Any) -> dict[str, float]:
    """Optimise ``net`` and return the stage times, LP size, peak memory and objective."""
    return run_with_result(net, **options)[0]


def run_with_result(net: jk.Network, **options: Any) -> tuple[dict[str, float], jk.Result]:
    """As :func:`run`, also returning the :class:`jkenergy.Result`."""
    with PeakMemory() as mem:
        result = net.optimize(**options)
    stats = dict(result.stats)
    ours = stats["build_s"] + stats["handover_s"] + stats["extraction_s"]
    return {
        **stats,
        "total_s": ours + stats["solve_s"],
        "overhead_pct": 100.0 * ours / stats["solve_s"] if stats["solve_s"] else float("nan"),
        "peak_mb": mem.peak,
        "objective": result.objective,
        "optimal": float(result.is_optimal),
    }, result


def record(benchmark: Any, row: dict[str, Any]) -> None:
    """Put one row of figures into pytest-benchmark's JSON (``extra_info``)."""
    benchmark.extra_info.update({k: (float(v) if isinstance(v, int | float) else v)
                                 for k, v in row.items()})  # fmt: skip


def capacities(result_dataset: Any) -> dict[tuple[str, str], float]:
    """Optimal capacity (MW; MWh for storage energy) per (country, carrier[:kind])."""
    ds = result_dataset
    out: dict[tuple[str, str], float] = {}
    pairs = [
        ("generator_p_nom_opt", "generator", ""),
        ("storage_p_nom_opt", "storage", ""),
        ("storage_e_nom_opt", "storage", ":energy"),
        ("link_p_nom_opt", "link", ""),
    ]
    for var, dim, suffix in pairs:
        series = ds[var].to_series()
        carriers = ds[f"{dim}_carrier"].to_series()
        countries = (
            ds[f"{dim}_country"].to_series()
            if f"{dim}_country" in ds.coords
            else ds["link_bus0"].to_series().map(ds["bus_country"].to_series())
        )
        for name, value in series.items():
            if value == float("inf"):
                continue
            key = (str(countries[name]), str(carriers[name]) + suffix)
            out[key] = out.get(key, 0.0) + float(value)
    return out
