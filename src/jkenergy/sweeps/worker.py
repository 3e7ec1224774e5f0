"""One sweep case, as it runs on a worker: solve it — re-solving this process's compiled LP
in place where the case changes only costs, bounds and right-hand sides
(:mod:`jkenergy.solve.resolve`) — and write its file to the store (:mod:`jkenergy.sweeps.store`).
Errors of the case are recorded in its file, not raised.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from ..errors import InfeasibleError, UnboundedError
from ..solve.resolve import ParametricLP
from .grid import Case, SweepJob, _apply, _canonical, split_case, structural_network
from .store import _record, _write

logger = logging.getLogger(__name__)

_CACHE: dict[str, Any] = {}
_CACHE_LOCK = threading.Lock()


def clear_cache() -> None:
    """Forget the compiled LPs this process keeps for re-solving.

    Examples
    --------
    >>> clear_cache()
    >>> len(_CACHE)
    0
    """
    with _CACHE_LOCK:
        _CACHE.clear()


@contextlib.contextmanager
def _borrow(job: SweepJob, structural: Mapping[str, Any], timings: dict[str, float]):
    """This process's compiled LP for (base, structural items), built on first use; None if
    it cannot be reused or another thread of this worker holds it."""
    if not _CACHE_LOCK.acquire(blocking=False):
        yield None
        return
    try:
        key = f"{job.fingerprint}:{job.warm_start}:{_canonical(dict(structural))}"
        if key not in _CACHE:
            _CACHE.clear()  # one LP per worker: full-year models are large
            start = time.perf_counter()
            network = structural_network(job, structural)
            timings["network_s"] = time.perf_counter() - start
            _CACHE[key] = ParametricLP(network, job.options, job.warm_start)
            timings["setup_s"] = _CACHE[key].setup_s
        yield _CACHE[key]
    finally:
        _CACHE_LOCK.release()


def solve_case(job: SweepJob, values: Mapping[str, Any]):
    """Solve one case in this process; returns (Result, network, timings).

    With ``job.reuse`` the case is solved by :class:`ParametricLP` where it can be (see the
    module docstring), otherwise its network is built and optimised from scratch.
    """
    from ..solve import optimize

    structural, parametric = split_case(values, job.base_limits)
    timings: dict[str, float] = {}
    if job.reuse:
        with _borrow(job, structural, timings) as lp:
            if lp is not None:
                start = time.perf_counter()
                network = lp.network.copy()
                _apply(network, parametric)
                timings["network_s"] = timings.get("network_s", 0.0) + (time.perf_counter() - start)
                result = lp.solve(network)
                if result is not None:
                    timings["reused"] = 1.0
                    return result, network, timings
                return optimize(network, **job.options), network, timings
    start = time.perf_counter()
    network = structural_network(job, structural)
    _apply(network, parametric)
    timings["network_s"] = time.perf_counter() - start
    return optimize(network, **job.options), network, timings


def _summary(result) -> xr.Dataset:
    """Scalar and per-country summary of one solved case."""
    from .. import analysis

    out = xr.Dataset()
    out["objective"] = xr.Variable(
        (), result.objective, {"units": "USD", "long_name": "total system cost"}
    )
    ds = result.dataset
    if ds is None:
        return out
    emissions = analysis.emissions(ds)
    per_country = {
        "system_cost": (analysis.country_costs(ds)["system cost [USD]"], "USD",
                        "system cost (capital, operating, carbon, unserved)"),
        "net_cost": (analysis.welfare(ds)["net cost [USD]"], "USD",
                     "net cost at marginal prices (welfare)"),
        "emissions": (emissions["emissions [tCO2]"], "tCO2", "CO2 emissions"),
        "co2_price": (emissions["CO2 price [USD/tCO2]"], "USD/tCO2",
                      "CO2 price of the limits covering the country (dual)"),
        "carbon_price": (emissions["carbon price [USD/tCO2]"], "USD/tCO2",
                         "carbon price (input)"),
        "renewable_share": (analysis.renewables(ds)["renewable share [-]"], "1",
                            "renewable share of electricity demand"),
    }  # fmt: skip
    for name, (series, units, long_name) in per_country.items():
        out[name] = xr.DataArray(
            series.to_numpy(dtype=float), dims="country",
            coords={"country": series.index.astype(str)},
            attrs={"units": units, "long_name": long_name},
        )  # fmt: skip
    country = dict(zip(ds["bus"].values.tolist(), ds["bus_country"].values.tolist(), strict=True))
    carrier = dict(zip(ds["bus"].values.tolist(), ds["bus_carrier"].values.tolist(), strict=True))
    b0, b1 = ds["link_bus0"].values.tolist(), ds["link_bus1"].values.tolist()
    cross = [
        country[a] != country[b] and carrier[a] == carrier[b] == "electricity"
        for a, b in zip(b0, b1, strict=True)
    ]
    size = float(ds["link_p_nom_opt"].values[np.array(cross, dtype=bool)].sum()) if cross else 0.0
    out["interconnector_p_nom"] = xr.Variable(
        (), size, {"units": "MW", "long_name": "capacity of cross-border electricity links"}
    )
    return out


def run_case(job: SweepJob, case: Case) -> str:
    """Solve one case and write it to the store; returns the file's path.

    This is what runs on the workers. Errors of the case (bad values, infeasible model,
    solver errors) are recorded in its file, not raised.
    """
    store = Path(job.store)
    start = time.perf_counter()
    began = time.strftime("%Y-%m-%dT%H:%M:%S")
    dataset = summary = None
    timings: dict[str, float] = {}
    status, term, error, trace = "error", "", "", ""
    try:
        if job.case_hook is not None:
            job.case_hook(dict(case.values))
        result, _, timings = solve_case(job, case.values)
        status, term, dataset = result.status, result.termination_condition, result.dataset
        for k, v in result.stats.items():
            if k.endswith("_s"):
                timings[k] = v
        summary = _summary(result)
    except (InfeasibleError, UnboundedError) as err:
        status, error = "infeasible", str(err)
    except Exception as err:
        status, error = "error", f"{type(err).__name__}: {err}"
        trace = traceback.format_exc()
    timings["total_s"] = time.perf_counter() - start
    record = _record(
        job, case, status, error,
        sweep_termination_condition=term, sweep_traceback=trace,
        sweep_worker=f"{socket.gethostname()}:{os.getpid()}", sweep_started=began,
        sweep_reused=int(timings.pop("reused", 0.0)),
        **{f"time_{k.removesuffix('_s')}_s": float(v) for k, v in timings.items()},
    )  # fmt: skip
    return str(_write(store, case, record, dataset, summary))
