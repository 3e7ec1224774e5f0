"""Scenario sweeps: many solves, local by default, on a Dask cluster when asked, nothing lost.

:func:`sweep` solves every case of a grid (grammar of the keys: :mod:`jkenergy.sweeps.grid`)
and writes each one to a store the moment it finishes; :func:`open_sweep` reads the store
back as one :class:`xarray.Dataset` with the grid's axes as dimensions.

Execution: every case runs :func:`run_case` through ``dask.distributed``'s
``Client.submit`` — on the client given, or on a ``LocalCluster`` of worker processes on
127.0.0.1 that the sweep starts and closes. That cluster speaks TLS with credentials made
for it alone (``distributed.security.Security.temporary()``: a new key and certificate that
this process holds and hands to its workers), so no other process — another local user's
included — can connect to its scheduler or workers and run code as you; it has no
dashboard, and its HTTP servers serve no pages. A cluster of your own (``client=``,
``jkenergy sweep --scheduler``) is as safe as you start it: a plain ``tcp://`` scheduler
accepts anyone who can reach its port. Start it with TLS (``dask scheduler --tls-ca-file
ca.pem --tls-cert scheduler.pem --tls-key scheduler-key.pem``, workers likewise) and connect
with ``Client("tls://host:8786", security=Security(tls_ca_file=..., tls_client_cert=...,
tls_client_key=..., require_encryption=True))``; for ``--scheduler``, put the same in
dask's configuration (``distributed.comm.tls.ca-file``, ``distributed.comm.tls.client.cert``,
``distributed.comm.tls.client.key``, ``distributed.comm.require-encryption``; e.g. the
environment variables ``DASK_DISTRIBUTED__COMM__TLS__CA_FILE`` ...).

A case whose worker dies is retried once on another worker
(``distributed.scheduler.allowed-failures = 1`` on the sweep's own cluster), then recorded
as ``lost``; a case that fails (bad value, infeasible, solver error) is recorded with its
error and the others go on.

Re-solving: where a case changes only parametric values (costs, bounds, right-hand sides),
each worker compiles the LP once per combination of the case's structural items and
re-solves it in place, warm-started (:mod:`jkenergy.solve.resolve`); other cases rebuild.

Store: a directory with ``grid.json`` (the grid and the base's fingerprint) and one NetCDF
file per case, ``case-<hash of its inputs>.nc``, always complete, with its checksum
(:mod:`jkenergy.sweeps.store`). Running the same sweep again skips the cases already in the
store — those that pass their checksum and were solved for this base; a damaged case, or
one of another base (left by an interrupted ``force`` run), is solved again, with a message
naming its file. On a cluster, the store must be a directory the workers and the client
share. What runs on a worker for one case
is :mod:`jkenergy.sweeps.worker`.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xarray as xr

from ..errors import ArgumentError
from ..network import Network
from ..scenario import Scenario
from .grid import (
    Case,
    Grid,
    SweepError,
    SweepJob,
    _canonical,
    load_grid,
    make_job,
    split_case,
    validate,
)
from .store import (
    FAILED_STATUSES,
    FORMAT,
    GRID_FILE,
    OK_STATUSES,
    _failures,
    _record,
    _status_of,
    _write,
    open_sweep,
    read_meta,
    saving,
    stored,
    to_table,
)
from .worker import clear_cache, run_case, solve_case

logger = logging.getLogger(__name__)

EXIT_FAILED_CASES = 5
"""Exit code of ``jkenergy sweep`` when some cases failed (they are recorded in the store)."""
EXIT_INTERRUPTED = 130
"""Exit code of ``jkenergy sweep`` stopped by Ctrl-C (128 + SIGINT, as a shell reports it)."""


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


def _connect(address: str):
    """A Client of the scheduler at ``address``; :class:`ArgumentError` naming it if none
    answers (within dask's ``distributed.comm.timeouts.connect``)."""
    from distributed import Client

    try:
        return Client(address)
    except (OSError, TimeoutError, ValueError, TypeError) as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise ArgumentError(
            f"sweep: no dask scheduler answers at {address!r} (client= / --scheduler): {reason}"
        ) from None


@contextlib.contextmanager
def _executor(client: Any, workers: int | None):
    """A dask.distributed Client: the one given, one for a scheduler address, or a
    LocalCluster of worker processes on the loopback interface speaking TLS with temporary
    credentials (module docstring), closed afterwards."""
    import dask
    from distributed import Client, LocalCluster
    from distributed.security import Security

    if client is not None and not isinstance(client, str):
        yield client
        return
    if isinstance(client, str):
        with _connect(client) as own:
            yield own
        return
    n = workers or _cores()
    # A case whose worker dies is retried once on another worker, then recorded as lost.
    # The HTTP servers (scheduler and workers; plain HTTP, no credentials) serve nothing.
    private: dict[str, list[str]] = {
        "distributed.scheduler.http.routes": [],
        "distributed.worker.http.routes": [],
    }
    with dask.config.set({"distributed.scheduler.allowed-failures": 1, **private}):
        cluster = LocalCluster(
            n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
            protocol="tls://", security=Security.temporary(), dashboard_address=None,
            silence_logs=logging.ERROR,
        )  # fmt: skip
    own = Client(cluster, security=cluster.security)
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


def _check_store(store: Path, job: SweepJob, force: bool) -> None:
    """Refuse, before anything is built, a store that is a file, or holds a sweep of
    another base or a damaged ``grid.json`` (unless ``force``)."""
    if store.exists() and not store.is_dir():
        raise SweepError(f"sweep: store {store} is a file, not a directory")
    if (store / GRID_FILE).exists() and not force:
        old = read_meta(store)
        if old.get("base_fingerprint") != job.fingerprint:
            raise SweepError(
                f"store {store} holds a sweep of another base ({old.get('base')}); "
                "use another store, or force=True (--force) to overwrite its cases"
            )


def _check_workers(client: Any, workers: Any) -> None:
    if workers is None:
        return
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ArgumentError(
            f"sweep: workers must be a whole number >= 1 of local worker processes, got {workers!r}"
        )
    if client is not None:
        raise ArgumentError(
            "sweep: workers sizes the sweep's own local cluster and cannot take effect with "
            "client=; size your cluster where you start it"
        )


def _prepare_store(store: Path, job: SweepJob, grid: Grid) -> None:
    store.mkdir(parents=True, exist_ok=True)
    meta = store / GRID_FILE
    for stale in store.glob(".case-*.tmp"):  # left by a killed process
        stale.unlink(missing_ok=True)
    data = {"format": FORMAT, "base": json.loads(job.description),
            "base_fingerprint": job.fingerprint, **grid.to_json()}  # fmt: skip
    tmp = store / f".{GRID_FILE}.{uuid.uuid4().hex[:8]}.tmp"
    tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
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
        Cases already in it are skipped (resume) if they pass their checksum and were
        solved for this base; others are solved again, with a message naming the file.
    client : dask.distributed.Client or str, optional
        Run on this cluster (or the scheduler at this address: secure it as the module
        docstring says). Default: a LocalCluster of ``workers`` processes on 127.0.0.1,
        speaking TLS with temporary credentials, closed at the end.
    workers : int, optional
        Worker processes of the default cluster (>= 1); default the number of cores.
        Refused with ``client``.
    force : bool, default False
        Re-run every case, and accept a store written for another base (or whose
        ``grid.json`` is damaged).
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

    Raises
    ------
    SweepError
        Bad grid, base or store (damaged ``grid.json``, another base); before anything is
        solved.
    ArgumentError
        ``workers`` below 1 or given with ``client``, or no scheduler answers at ``client``.
    KeyboardInterrupt
        On Ctrl-C, after a message on stderr: queued cases are cancelled, those written
        stay in the store, and running the same sweep again resumes.

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
    solving = False
    try:
        _check_workers(client, workers)
        job = make_job(base, store, solver=solver, reuse=reuse, case_hook=case_hook)
        grid = Grid.from_spec(grid)
        cases = grid.cases()
        _check_store(store, job, force)
        invalid = validate(job, cases)
        if invalid:
            lines = [f"{c.label()}: {invalid[c.id]}" for c in cases if c.id in invalid]
            message = f"{len(lines)} of {len(cases)} cases are invalid:\n  " + "\n  ".join(lines)
            if strict:
                raise SweepError(f"sweep: {message}")
            logger.warning("sweep: %s", message)
        _prepare_store(store, job, grid)
        todo, skipped = [], 0
        done = OK_STATUSES if retry_failed else (*OK_STATUSES, "infeasible", "error")
        for case in cases:
            if case.id in invalid:
                _write(store, case, _record(job, case, "invalid", invalid[case.id]), None, None)
                continue
            path = store / case.filename
            status, problem = (None, "") if force else stored(path, job.fingerprint)
            if problem:
                logger.warning("sweep: %s: %s; solving it again", path, problem)
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
            solving = True
            _run(job, todo, client, workers, bar)
    except KeyboardInterrupt:
        where = (f"queued cases cancelled, the cases written so far stay in {store}" if solving
                 else "before any case was solved")  # fmt: skip
        print(f"\nsweep interrupted ({where}); run the same sweep again to resume",
              file=sys.stderr)  # fmt: skip
        raise
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
            raise


__all__ = [
    "EXIT_FAILED_CASES",
    "EXIT_INTERRUPTED",
    "FAILED_STATUSES",
    "OK_STATUSES",
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
