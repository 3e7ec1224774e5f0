"""Scenario sweeps: many solves, local by default, on a Dask cluster when asked, nothing lost.

:func:`sweep` solves every case of a grid (grammar of the keys: :mod:`jkenergy.sweep_grid`)
and writes each one to a store the moment it finishes; :func:`open_sweep` reads the store
back as one :class:`xarray.Dataset` with the grid's axes as dimensions.

Execution: every case runs :func:`run_case` through ``dask.distributed``'s
``Client.submit`` — on the client given, or on a ``LocalCluster`` of worker processes on
127.0.0.1 that the sweep starts and closes. A case whose worker dies is retried once on
another worker (``distributed.scheduler.allowed-failures = 1`` on the sweep's own cluster),
then recorded as ``lost``; a case that fails (bad value, infeasible, solver error) is
recorded with its error and the others go on.

Re-solving: where a case changes only parametric values (costs, bounds, right-hand sides),
each worker compiles the LP once per combination of the case's structural items and
re-solves it in place, warm-started (:mod:`jkenergy.parametric`); other cases rebuild.

Store: a directory with ``grid.json`` (the grid and the base's fingerprint) and one NetCDF
file per case, ``case-<hash of its inputs>.nc``, written to a temporary file and renamed,
so a file in the store is always complete. Its root group is the full result dataset
(:func:`jkenergy.open_results` reads it), its ``summary`` group the scalars that
:func:`open_sweep` stacks; both carry the case's inputs, status, error and timings as
``sweep_*`` / ``time_*`` attributes. Running the same sweep again skips the cases already
in the store. On a cluster, the store must be a directory the workers and the client share.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import socket
import sys
import threading
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from .errors import InfeasibleError, UnboundedError
from .network import Network
from .parametric import NotReusable, ParametricLP
from .scenario import Scenario
from .sweep_grid import (
    Case,
    Grid,
    SweepError,
    SweepJob,
    _apply,
    _canonical,
    load_grid,
    make_job,
    split_case,
    structural_network,
    validate,
)

logger = logging.getLogger(__name__)

GRID_FILE = "grid.json"
FORMAT = 1
EXIT_FAILED_CASES = 5
"""Exit code of ``jkenergy sweep`` when some cases failed (they are recorded in the store)."""

OK_STATUSES = ("ok", "warning")
FAILED_STATUSES = ("infeasible", "error", "invalid", "lost")
"""``infeasible``: infeasible or unbounded; ``error``: any other error in the case;
``invalid``: rejected before solving; ``lost``: its worker died twice."""

_NETCDF = "h5netcdf"

_CACHE: dict[str, Any] = {}
_CACHE_LOCK = threading.Lock()


def clear_cache() -> None:
    """Forget the compiled LPs this process keeps for re-solving."""
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
            try:
                _CACHE[key] = ParametricLP(network, job.options, job.warm_start)
                timings["setup_s"] = _CACHE[key].setup_s
            except NotReusable as err:
                logger.warning("sweep: re-solve disabled, every case rebuilds: %s", err)
                _CACHE[key] = None
        yield _CACHE[key]
    finally:
        _CACHE_LOCK.release()


def solve_case(job: SweepJob, values: Mapping[str, Any]):
    """Solve one case in this process; returns (Result, network, timings).

    With ``job.reuse`` the case is solved by :class:`ParametricLP` where it can be (see the
    module docstring), otherwise its network is built and optimised from scratch.
    """
    from .solve import optimize

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


# ---------------------------------------------------------------------- store


def _summary(result, network: Network) -> xr.Dataset:
    """Scalar and per-country summary of one solved case."""
    from . import analysis

    out = xr.Dataset()
    out["objective"] = xr.Variable(
        (), result.objective, {"units": "USD", "long_name": "total system cost"}
    )
    ds = result.dataset
    if ds is None:
        return out
    per_country = {
        "system_cost": (analysis.country_costs(ds)["system cost [USD]"], "USD",
                        "system cost (capital, operating, carbon, unserved)"),
        "net_cost": (analysis.welfare(ds)["net cost [USD]"], "USD",
                     "net cost at marginal prices (welfare)"),
        "emissions": (analysis.emissions(ds)["emissions [tCO2]"], "tCO2", "CO2 emissions"),
        "co2_price": (analysis.emissions(ds)["CO2 price [USD/tCO2]"], "USD/tCO2",
                      "CO2 price of the limits covering the country (dual)"),
        "renewable_share": (analysis.renewables(ds)["renewable share [-]"], "1",
                            "renewable share of electricity demand"),
    }  # fmt: skip
    for name, (series, units, long_name) in per_country.items():
        out[name] = xr.DataArray(
            series.to_numpy(dtype=float), dims="country",
            coords={"country": series.index.astype(str)},
            attrs={"units": units, "long_name": long_name},
        )  # fmt: skip
    countries = out["country"].values.tolist()
    prices = [float(network.carbon_prices.get(c, 0.0)) for c in countries]
    out["carbon_price"] = xr.DataArray(
        prices, dims="country", attrs={"units": "USD/tCO2", "long_name": "carbon price (input)"}
    )
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


def _write(
    store: Path, case: Case, record: Mapping[str, Any], dataset: xr.Dataset | None,
    summary: xr.Dataset | None,
) -> Path:  # fmt: skip
    """Write one case file atomically (temporary file in the store, then rename)."""
    attrs = {k: v for k, v in record.items() if v is not None}
    root = (dataset if dataset is not None else xr.Dataset()).copy()
    root.attrs.update(attrs)
    summary = (summary if summary is not None else xr.Dataset()).copy()
    summary.attrs.update(attrs)
    final = store / case.filename
    tmp = store / f".{case.filename}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp"
    try:
        root.to_netcdf(tmp, engine=_NETCDF)
        summary.to_netcdf(tmp, mode="a", group="summary", engine=_NETCDF)
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)
    return final


def _record(job: SweepJob, case: Case, status: str, error: str = "", **extra: Any) -> dict:
    return {
        "sweep_format": FORMAT,
        "sweep_case": _canonical(case.values),
        "sweep_case_id": case.id,
        "sweep_base": job.description,
        "sweep_base_fingerprint": job.fingerprint,
        "sweep_status": status,
        "sweep_error": error,
        **extra,
    }


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
        result, network, timings = solve_case(job, case.values)
        status, term, dataset = result.status, result.termination_condition, result.dataset
        for k, v in result.stats.items():
            if k.endswith("_s"):
                timings[k] = v
        summary = _summary(result, network)
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


def _status_of(path: Path) -> str | None:
    if not path.is_file():
        return None
    import h5netcdf

    try:
        with h5netcdf.File(path, "r") as f:
            return str(f.attrs.get("sweep_status", "error"))
    except OSError:
        return None


# ------------------------------------------------------------------ progress


def _duration(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "--"
    seconds = round(seconds)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}h{m:02d}m" if h else f"{m}m{s:02d}s" if m else f"{s}s"


@dataclass
class _Progress:
    """Cases done / failed / remaining with an ETA, on one line (a TTY) or one line per
    finished case (a log or a notebook)."""

    total: int
    enabled: bool = True
    stream: Any = None
    done: int = 0
    failed: int = 0
    start: float = field(default_factory=time.perf_counter)

    def __post_init__(self) -> None:
        self.stream = self.stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def update(self, case: Case, status: str) -> None:
        if status in FAILED_STATUSES:
            self.failed += 1
        else:
            self.done += 1
        finished = self.done + self.failed
        elapsed = time.perf_counter() - self.start
        left = self.total - finished
        eta = elapsed / finished * left if finished else math.inf
        width = 24
        filled = int(width * finished / self.total) if self.total else width
        line = (
            f"sweep [{'#' * filled}{'.' * (width - filled)}] {self.done} done, "
            f"{self.failed} failed, {left} left, ETA {_duration(eta)}"
        )
        logger.debug("case %s (%s): %s", case.id, case.label(), status)
        if not self.enabled:
            return
        if self.tty:
            self.stream.write("\r" + line + ("\n" if left == 0 else ""))
        else:
            self.stream.write(f"{line}  <- {case.label()}: {status}\n")
        self.stream.flush()


# ---------------------------------------------------------------------- sweep


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


@contextlib.contextmanager
def _executor(client: Any, workers: int | None):
    """A dask.distributed Client: the one given, one for a scheduler address, or a
    LocalCluster of worker processes on the loopback interface, closed afterwards."""
    import dask
    from distributed import Client, LocalCluster

    if client is not None and not isinstance(client, str):
        yield client
        return
    if isinstance(client, str):
        with Client(client) as own:
            yield own
        return
    n = workers or _cores()
    # A case whose worker dies is retried once on another worker, then recorded as lost.
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        cluster = LocalCluster(
            n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
            dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR,
        )  # fmt: skip
    own = Client(cluster)
    try:
        yield own
    finally:
        # Running cases finish and are written; a failure to close must not hide why we
        # stopped (a KeyboardInterrupt, an error).
        for close in (own.close, cluster.close):
            try:
                close()
            except Exception as err:
                logger.warning("sweep: closing the local cluster: %s", err)


def _prepare_store(store: Path, job: SweepJob, grid: Grid, force: bool) -> None:
    store.mkdir(parents=True, exist_ok=True)
    meta = store / GRID_FILE
    if meta.is_file() and not force:
        old = json.loads(meta.read_text())
        if old.get("base_fingerprint") != job.fingerprint:
            raise SweepError(
                f"store {store} holds a sweep of another base ({old.get('base')}); "
                "use another store, or force=True (--force) to overwrite its cases"
            )
    for stale in store.glob(".case-*.tmp"):  # left by a killed process
        stale.unlink(missing_ok=True)
    data = {"format": FORMAT, "base": json.loads(job.description),
            "base_fingerprint": job.fingerprint, **grid.to_json()}  # fmt: skip
    tmp = store / f".{GRID_FILE}.{uuid.uuid4().hex[:8]}.tmp"
    tmp.write_text(json.dumps(data, indent=1))
    os.replace(tmp, meta)


def sweep(
    base: Scenario | str | os.PathLike | Callable[[], Network],
    grid: Grid | Mapping[str, Any] | Sequence[Mapping[str, Any]],
    store: str | os.PathLike,
    client: Any = None,
    *,
    workers: int | None = None,
    force: bool = False,
    retry_failed: bool = False,
    reuse: bool = True,
    strict: bool = False,
    solver: Mapping[str, Any] | None = None,
    progress: bool = True,
    case_hook: Callable[[dict[str, Any]], None] | None = None,
) -> xr.Dataset:
    """Solve every case of a grid and write each to ``store`` as soon as it finishes.

    Parameters
    ----------
    base : Scenario, path of a scenario file, or callable returning a Network
        What every case starts from. A callable must be picklable (module-level, or a
        closure cloudpickle can ship) and is called on the workers.
    grid : mapping, list of mappings or Grid
        A product of axes ``{key: [values]}`` or a list of cases ``[{key: value}]``; keys
        as in the module docstring.
    store : path
        Directory for ``grid.json`` and one ``case-<id>.nc`` per case; created if needed.
        Cases already in it are skipped (resume).
    client : dask.distributed.Client or str, optional
        Run on this cluster (or the scheduler at this address). Default: a LocalCluster
        of ``workers`` processes on 127.0.0.1, closed at the end.
    workers : int, optional
        Worker processes of the default cluster; default the number of cores.
    force : bool, default False
        Re-run every case, and accept a store written for another base.
    retry_failed : bool, default False
        Re-run cases recorded as failed (infeasible or error); lost cases always re-run.
    reuse : bool, default True
        Re-solve the compiled LP with changed costs/bounds/right-hand sides where only
        those change (module docstring); False builds every case from scratch.
    strict : bool, default False
        Raise :class:`SweepError` listing every bad case before solving anything, instead
        of recording them as ``invalid`` and running the rest.
    solver : mapping, optional
        Keyword arguments of :func:`jkenergy.optimize`, over the scenario's ``solver``
        section. Cases solve single-threaded (``threads=1``) unless told otherwise: the
        parallelism is across cases.
    progress : bool, default True
        Progress bar (cases done / failed / remaining, ETA) and summary on stderr.
    case_hook : callable, optional
        Called on the worker with the case's values before it is solved (instrumentation,
        tests); an exception it raises fails the case.

    Returns
    -------
    xarray.Dataset
        :func:`open_sweep` of the store.

    Examples
    --------
    >>> import jkenergy as jk  # doctest: +SKIP
    >>> ds = jk.sweep("examples/scenarios/interconnector_1gw.yaml",
    ...               {"links.JP-KR.p_nom": [0, 2000, 4000], "carbon_price.*": [0, 100]},
    ...               store="link_carbon")  # doctest: +SKIP
    >>> (ds.objective.sel({"links.JP-KR.p_nom": 0}) - ds.objective)  # saving  # doctest: +SKIP
    """
    start = time.perf_counter()
    store = Path(store)
    job = make_job(base, store, solver=solver, reuse=reuse, case_hook=case_hook)
    grid = Grid.from_spec(grid)
    cases = grid.cases()
    invalid = validate(job, cases)
    if invalid:
        lines = [f"{c.label()}: {invalid[c.id]}" for c in cases if c.id in invalid]
        message = f"{len(lines)} of {len(cases)} cases are invalid:\n  " + "\n  ".join(lines)
        if strict:
            raise SweepError(f"sweep: {message}")
        logger.warning("sweep: %s", message)
    _prepare_store(store, job, grid, force)
    todo, skipped = [], 0
    for case in cases:
        if case.id in invalid:
            _write(store, case, _record(job, case, "invalid", invalid[case.id]), None, None)
            continue
        status = None if force else _status_of(store / case.filename)
        done = OK_STATUSES if retry_failed else (*OK_STATUSES, "infeasible", "error")
        if status in done:
            skipped += 1
        else:
            todo.append(case)
    bar = _Progress(len(todo), enabled=progress)
    if progress:
        print(
            f"sweep: {len(cases)} cases: {len(todo)} to solve, {skipped} already in {store}, "
            f"{len(invalid)} invalid", file=sys.stderr,
        )  # fmt: skip
    if todo:
        _run(job, todo, client, workers, bar)
    ds = open_sweep(store)
    counts = Counter(ds["status"].values.ravel().tolist())
    ds.attrs["elapsed_s"] = time.perf_counter() - start
    text = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    message = f"sweep: {len(cases)} cases in {_duration(time.perf_counter() - start)}: {text}"
    logger.info(message)
    if progress:
        print(message + f" (store {store})", file=sys.stderr)
        for status, error, label in _failures(ds):
            print(f"  {status}: {label}: {error.splitlines()[0] if error else ''}",
                  file=sys.stderr)  # fmt: skip
    return ds


def _order(job: SweepJob, cases: Sequence[Case]) -> list[Case]:
    """Cases grouped by structure, so each worker's compiled LP serves many cases."""

    def key(case: Case) -> tuple[str, int]:
        structural, _ = split_case(case.values, job.base_limits)
        return _canonical(structural), case.index

    return sorted(cases, key=key)


def _run(job: SweepJob, cases: Sequence[Case], client: Any, workers: int | None, bar) -> None:
    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    store = Path(job.store)
    token = uuid.uuid4().hex[:8]
    with _executor(client, workers) as executor:
        futures = {}
        try:
            for case in _order(job, cases):
                future = executor.submit(run_case, job, case, key=f"jk-case-{case.id}-{token}",
                                         retries=1, pure=False)  # fmt: skip
                futures[future] = case
            for future in as_completed(futures):
                case = futures[future]
                if future.status == "finished":
                    status = _status_of(Path(future.result())) or "error"
                else:
                    err = future.exception()
                    lost = isinstance(err, KilledWorker)
                    status = "lost" if lost else "error"
                    message = (
                        "its worker died twice (killed, out of memory?)" if lost
                        else f"{type(err).__name__}: {err}"
                    )  # fmt: skip
                    _write(store, case, _record(job, case, status, message), None, None)
                bar.update(case, status)
        except BaseException:
            with contextlib.suppress(Exception):
                executor.cancel(list(futures))
            print(
                f"\nsweep interrupted: queued cases cancelled, running ones finish and are "
                f"written to {store}; run the same sweep again to resume",
                file=sys.stderr,
            )
            raise


# ------------------------------------------------------------------ reading


def _failures(ds: xr.Dataset):
    status = ds["status"].values.ravel()
    error = ds["error"].values.ravel()
    labels = ds["case_label"].values.ravel()
    for s, e, label in zip(status, error, labels, strict=True):
        if s in FAILED_STATUSES:
            yield str(s), str(e), str(label)


def _coordinate(values: list[Any]) -> np.ndarray:
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return np.asarray(values)
    if all(isinstance(v, str) for v in values):
        return np.asarray(values, dtype=str)
    return np.asarray(["none" if v is None else str(v) for v in values], dtype=str)


def _read_summary(path: Path) -> xr.Dataset | None:
    try:
        with xr.open_dataset(path, group="summary", engine=_NETCDF) as ds:
            return ds.load()
    except (OSError, KeyError, ValueError):
        return None


_TEXT = ("status", "error", "termination_condition", "case_id", "case_label", "worker")
_TIMES = ("time_total_s", "time_network_s", "time_setup_s", "time_build_s", "time_handover_s",
          "time_solve_s", "time_extraction_s")  # fmt: skip


def open_sweep(store: str | os.PathLike) -> xr.Dataset:
    """Read a sweep store as one dataset with the grid's axes as dimensions.

    Parameters
    ----------
    store : path
        A directory written by :func:`sweep`.

    Returns
    -------
    xarray.Dataset
        Dimensions: one per grid axis, named by its key (``"links.JP-KR.p_nom"``), or
        ``case`` for an explicit list of cases (each key then a coordinate along it), plus
        ``country``. Variables: ``status`` (``ok``, ``warning``, ``infeasible``, ``error``,
        ``invalid``, ``lost``, or ``missing`` if not in the store), ``error``,
        ``objective``, ``system_cost``, ``net_cost``, ``emissions``, ``co2_price``,
        ``carbon_price``, ``renewable_share``, ``interconnector_p_nom``, ``time_*_s``
        and ``reused``. Cases that did not solve are NaN. The full result of a case is
        ``jk.open_results(store / "case-<case_id>.nc")``.

    Raises
    ------
    SweepError
        If ``store`` has no ``grid.json``.
    """
    store = Path(store)
    meta = store / GRID_FILE
    if not meta.is_file():
        raise SweepError(f"open_sweep: {store} is not a sweep store (no {GRID_FILE})")
    info = json.loads(meta.read_text())
    grid = Grid(axes=info.get("axes"), explicit=info.get("cases"))
    cases = grid.cases()
    parts: list[xr.Dataset | None] = [_read_summary(store / c.filename) for c in cases]
    templates: dict[str, xr.DataArray] = {  # present even if no case solved
        "objective": xr.DataArray(np.nan, attrs={"units": "USD", "long_name": "total system cost"})
    }
    for part in parts:
        for name, da in part.data_vars.items() if part is not None else ():
            templates.setdefault(name, da)
    countries = sorted({str(c) for p in parts if p is not None and "country" in p.coords
                        for c in p["country"].values})  # fmt: skip
    numbers: dict[str, list[np.ndarray]] = {name: [] for name in templates}
    text: dict[str, list[str]] = {name: [] for name in _TEXT}
    times: dict[str, list[float]] = {name: [] for name in (*_TIMES, "reused")}
    for case, part in zip(cases, parts, strict=True):
        attrs = part.attrs if part is not None else {}
        for name, template in templates.items():
            if part is not None and name in part:
                da = part[name]
                if "country" in da.dims:
                    da = da.reindex(country=countries)
                numbers[name].append(np.asarray(da.values, dtype=float))
            else:
                shape = (len(countries),) if "country" in template.dims else ()
                numbers[name].append(np.full(shape, np.nan))
        text["status"].append(str(attrs.get("sweep_status", "missing")))
        text["error"].append(str(attrs.get("sweep_error", "")))
        text["termination_condition"].append(str(attrs.get("sweep_termination_condition", "")))
        text["case_id"].append(case.id)
        text["case_label"].append(case.label())
        text["worker"].append(str(attrs.get("sweep_worker", "")))
        for name in _TIMES:
            times[name].append(float(attrs.get(name, np.nan)))
        times["reused"].append(float(attrs.get("sweep_reused", np.nan)))
    if grid.axes is not None:
        dims = list(grid.axes)
        shape = grid.shape
        coords: dict[str, Any] = {k: _coordinate(v) for k, v in grid.axes.items()}
    else:
        dims, shape = ["case"], (len(cases),)
        keys = sorted({k for c in cases for k in c.values})
        coords = {"case": np.arange(len(cases))}
        for key in keys:
            coords[key] = ("case", _coordinate([c.values.get(key) for c in cases]))
    if countries:
        coords["country"] = np.asarray(countries, dtype=str)
    data = {}
    for name, arrays in numbers.items():
        extra = ["country"] if "country" in templates[name].dims else []
        stacked = np.stack(arrays).reshape(*shape, *(len(countries),) * len(extra))
        data[name] = xr.Variable([*dims, *extra], stacked, templates[name].attrs)
    for name, values in text.items():
        data[name] = xr.Variable(dims, np.asarray(values, dtype=str).reshape(shape))
    for name, values in times.items():
        data[name] = xr.Variable(
            dims,
            np.asarray(values).reshape(shape),
            {"units": "s"} if name != "reused" else {"long_name": "1 if re-solved"},
        )
    ds = xr.Dataset(data, coords=coords)
    ds.attrs.update(store=str(store), base=json.dumps(info.get("base")),
                    base_fingerprint=str(info.get("base_fingerprint", "")))  # fmt: skip
    return ds


def to_table(ds: xr.Dataset) -> pd.DataFrame:
    """One row per case: the grid's values, status, objective and per-country columns."""
    scalar = [n for n, v in ds.data_vars.items() if "country" not in v.dims]
    frame = ds[scalar].to_dataframe()
    if "country" in ds.dims:
        wide = ds[[n for n, v in ds.data_vars.items() if "country" in v.dims]].to_dataframe()
        wide = wide.unstack("country")
        wide.columns = [f"{name} {country}" for name, country in wide.columns]
        frame = frame.join(wide)
    return frame


def saving(ds: xr.Dataset, along: str, reference: Any = 0, variable: str = "objective"):
    """Cost saved against the ``reference`` value of axis ``along`` (positive = cheaper).

    Examples
    --------
    >>> saving(ds, "links.JP-KR.p_nom")  # doctest: +SKIP
    """
    if along not in ds.dims:
        raise SweepError(f"saving: {along!r} is not an axis of the sweep; axes {list(ds.dims)}")
    out = ds[variable].sel({along: reference}) - ds[variable]
    return out.assign_attrs(units=ds[variable].attrs.get("units", ""),
                            long_name=f"saving vs {along}={reference}")  # fmt: skip


__all__ = [
    "EXIT_FAILED_CASES",
    "Case",
    "Grid",
    "SweepError",
    "SweepJob",
    "clear_cache",
    "load_grid",
    "make_job",
    "open_sweep",
    "run_case",
    "saving",
    "solve_case",
    "sweep",
    "to_table",
    "validate",
]
