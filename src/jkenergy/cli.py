"""Command line: jkenergy run | compare | sweep | ranges | info.

Exit codes:

- 0: success.
- 1: an internal error (a bug): a traceback follows; please report it.
- 2: bad input: a scenario, grid, result or data file, an option, or an output location
  that cannot be written or is being written by another run (one line says which).
- 3: the model is infeasible or unbounded.
- 4: a solver limit was reached (time or iteration limit): the best solution found, if
  any, is written and flagged in every table; 'compare' of a result that is not optimal,
  'ranges' of a sweep with draws excluded as not optimal (unless '--accept-nonoptimal').
- 5: 'sweep': some cases failed (recorded in the store with their error).
- 130: interrupted (Ctrl-C); nothing half-written is left.

'run' writes every output (NetCDF, tables, figures) into a temporary folder beside
'--out' and moves it into place only when all of it is complete, replacing an earlier
run's folder whole; a run that fails or is killed leaves the old folder as it was. Only
one run at a time may write a folder (a lock on '.<out>.lock' beside it).
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import hashlib
import json
import logging
import os
import signal
import sys
import textwrap
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
import yaml

from . import __version__, analysis, files
from .errors import ArgumentError, DataError, InfeasibleError, JkEnergyError, UnboundedError
from .results import Result, open_results, provenance, write_netcdf
from .scenario import Scenario, ScenarioError, load_scenario
from .solve import ProgressLine

logger = logging.getLogger("jkenergy")

EXIT_OK, EXIT_BAD_INPUT, EXIT_INFEASIBLE, EXIT_LIMIT = 0, 2, 3, 4
EXIT_INTERRUPTED = 130
RESULT_FILE = "result.nc"
OPTIMAL = "optimal"
SCENARIO_FILE = "scenario.yaml"
WIDTH = 80
"""Columns the printed tables fit in (``--wide`` prints them whole)."""

COLUMN_NAMES = {
    "CO2 price [USD/tCO2]": "CO2 price (cap) [USD/tCO2]",
    "carbon price [USD/tCO2]": "carbon price (tax/ETS) [USD/tCO2]",
}
"""Printed and CSV names of :mod:`jkenergy.analysis` columns that need saying what they are."""
PRICES_EXPLAINED = (
    "CO2 price (cap): shadow price of a CO2 cap. Carbon price (tax/ETS): a set price."
)


def readable(table: pd.DataFrame, digits: int | None = 3) -> pd.DataFrame:
    """Rescale columns for reading: USD -> bn USD, tCO2 -> MtCO2, MWh -> TWh, MW -> GW.

    ``digits`` rounds the result (None: full precision, what the CSV files hold).
    """
    out = table.copy()
    units = {
        "[USD]": ("[bn USD]", 1e-9),
        "[tCO2]": ("[MtCO2]", 1e-6),
        "[MWh]": ("[TWh]", 1e-6),
        "[MW]": ("[GW]", 1e-3),
    }
    for column in table.columns:
        for unit, (new, factor) in units.items():
            if str(column).endswith(unit):
                out = out.rename(columns={column: str(column).replace(unit, new)})
                out[str(column).replace(unit, new)] = table[column] * factor
    return out if digits is None else out.round(digits)


def termination(ds: xr.Dataset) -> str:
    """How the solve that produced ``ds`` ended (``"optimal"``, ``"time_limit"``, ...)."""
    return str(ds.attrs.get("termination_condition", "unknown"))


def summary(ds: xr.Dataset) -> pd.DataFrame:
    """One row per country: system cost, emissions, CO2 price, renewables, hydrogen, and
    the solve's ``termination`` (anything but ``optimal`` flags numbers that are not an
    optimum)."""
    parts = [
        analysis.country_costs(ds)[["system cost [USD]"]],
        analysis.emissions(ds),
        analysis.renewables(ds)[["renewable share [-]", "curtailment [MWh]"]],
        analysis.hydrogen(ds).add_prefix("H2 "),
    ]
    table = pd.concat(parts, axis=1).rename(columns=COLUMN_NAMES)
    table["termination"] = termination(ds)
    return table


def cooperation(results: Mapping[str, xr.Dataset], baseline: str) -> pd.DataFrame:
    """:func:`jkenergy.analysis.cooperation_table` with each scenario's ``termination``."""
    table = analysis.cooperation_table(results, baseline=baseline)
    scenarios = table.index.get_level_values("scenario")
    table["termination"] = [termination(results[s]) for s in scenarios]
    return table


def _not_optimal(results: Mapping[str, xr.Dataset]) -> dict[str, str]:
    return {name: termination(ds) for name, ds in results.items() if termination(ds) != OPTIMAL}


def _warn_not_optimal(results: Mapping[str, xr.Dataset]) -> None:
    """Print a warning line naming every result that is not an optimum."""
    flagged = _not_optimal(results)
    if flagged:
        which = ", ".join(f"{name} ({term})" for name, term in flagged.items())
        print(f"\nWARNING: not optimal: {which}; their numbers are not an optimum")


def _print_table(
    title: str, table: pd.DataFrame, results: Mapping[str, xr.Dataset], wide: bool = False
) -> None:
    """Print a table under its title (80 columns unless ``wide``), with a warning line if a
    result in it is not optimal."""
    _warn_not_optimal(results)
    print(_heading(title))
    print(readable(table).to_string() if wide else _render(table, wide=False))


class _LimitReached(JkEnergyError):
    """A solve stopped at a limit; the message says what was written."""


# --------------------------------------------------------------------- run


@dataclass
class _Job:
    """One scenario to solve and the folder (relative to ``--out``) its results go to."""

    scenario: Scenario
    folder: str


@dataclass
class _Plan:
    """What a ``run`` solves (each scenario file once) and which pairs it compares."""

    jobs: dict[Path, _Job]
    pairs: list[tuple[Path, Path]]
    """(scenario, baseline) file paths, in the order given."""
    listed: list[Path]


def _plan(paths: Sequence[str]) -> _Plan:
    """Load every scenario file (and baseline) and decide where each result goes.

    One file: its results in OUT, its baseline's in OUT/baseline. Several: each file's in
    OUT/<file stem> (made safe for a file name), a baseline shared by several solved once.
    """
    scenarios = [load_scenario(path) for path in paths]
    several = len(scenarios) > 1
    jobs: dict[Path, _Job] = {}
    pairs: list[tuple[Path, Path]] = []
    for scenario in scenarios:
        baseline = scenario.baseline_scenario()
        if not several:
            jobs[_file(scenario)] = _Job(scenario, ".")
        if baseline is not None:
            folder = _stem_folder(baseline) if several else "baseline"
            jobs.setdefault(_file(baseline), _Job(baseline, folder))
            pairs.append((_file(scenario), _file(baseline)))
        jobs.setdefault(_file(scenario), _Job(scenario, _stem_folder(scenario)))
    _check_distinct(jobs)
    return _Plan(jobs, pairs, [_file(s) for s in scenarios])


def _file(scenario: Scenario) -> Path:
    """The file a scenario was read from (:func:`load_scenario` always sets it)."""
    assert scenario.path is not None
    return scenario.path


def _stem_folder(scenario: Scenario) -> str:
    return files.safe_name(_file(scenario).stem, what=f"run: scenario file {scenario.path}")


def _check_distinct(jobs: Mapping[Path, _Job]) -> None:
    """Two scenario files may not share an output folder, nor a name (names label rows)."""
    checks = (
        (lambda job: job.folder, "would both write to OUT/{}"),
        (lambda job: job.scenario.name, "are both named {!r}"),
    )
    for key, clash in checks:
        seen: dict[str, Path] = {}
        for path, job in jobs.items():
            value = key(job)
            if value in seen:
                raise ScenarioError(
                    f"run: scenario files {seen[value]} and {path} {clash.format(value)}; "
                    "rename one"
                )
            seen[value] = path


# ----------------------------------------------------------------------------- provenance
def _resolved(scenario: Scenario) -> dict[str, Any]:
    """The scenario as solved: ``extends:`` merged in, the baseline as an absolute path."""
    data = scenario.model_dump()
    data["extends"] = None
    if scenario.baseline is not None:
        base_dir = scenario.path.parent if scenario.path else Path.cwd()
        data["baseline"] = str((base_dir / scenario.baseline).resolve())
    return data


def scenario_hash(scenario: Scenario) -> str:
    """sha256 of what determines a scenario's result: its base, time, policy, overrides and
    solver sections, as canonical JSON (names, descriptions and file paths left out)."""
    data = scenario.model_dump(include={"base", "time", "policy", "overrides", "solver"})
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _provenance(scenario: Scenario) -> dict[str, Any]:
    """Dataset attributes naming the scenario, its hash, the data set's hash and, on
    representative days, how they were drawn."""
    from .study import datasets

    attrs: dict[str, Any] = {
        "scenario_name": scenario.name,
        "scenario_sha256": scenario_hash(scenario),
        "scenario_yaml": yaml.safe_dump(_resolved(scenario), sort_keys=False),
        "data_sha256": datasets.data_hash(),
    }
    if scenario.time.representative_days:
        attrs["time_representation"] = f"tsam {scenario.time.representation}s"
    return attrs


def _write_scenario(scenario: Scenario, out: Path) -> Path:
    """Write the fully resolved scenario to ``OUT/scenario.yaml``; return its path."""
    path = out / SCENARIO_FILE
    header = (
        f"# The scenario {scenario.name!r} as solved by jkenergy {__version__}: 'extends:' merged\n"
        f"# in, every default written out. Hash (base, time, policy, overrides, solver):\n"
        f"# {scenario_hash(scenario)}\n"
    )
    path.write_text(header + yaml.safe_dump(_resolved(scenario), sort_keys=False), "utf-8")
    return path


# ----------------------------------------------------------------------------- progress
@contextlib.contextmanager
def _stage(label: str, quiet: bool) -> Iterator[None]:
    """In a terminal (and unless ``quiet``), keep a line ``label ... N s`` up to date on
    standard error while the block runs, so a long solve shows it is alive."""
    start = time.perf_counter()
    done = threading.Event()
    live = not quiet and sys.stderr.isatty()

    def tick() -> None:
        while not done.wait(1.0):
            sys.stderr.write(f"\r  {label} ... {time.perf_counter() - start:5.0f} s ")
            sys.stderr.flush()

    ticker = threading.Thread(target=tick, daemon=True) if live else None
    if ticker is not None:
        ticker.start()
    try:
        yield
    finally:
        done.set()
        if ticker is not None:
            ticker.join()
            sys.stderr.write("\r" + " " * (len(label) + 16) + "\r")
            sys.stderr.flush()


# ----------------------------------------------------------------------------- run
def _solve(scenario: Scenario, args: argparse.Namespace) -> Result:
    """Solve one scenario (its dataset is None if a limit left no solution), with the
    provenance attributes on its dataset."""
    if args.full_year:
        scenario = scenario.model_copy(update={"time": scenario.time.model_copy(
            update={"resample": None, "representative_days": None, "hours": None})})  # fmt: skip
    start = time.perf_counter()
    logger.info("scenario %r: building", scenario.name)
    with _stage(f"scenario {scenario.name!r}: building", args.quiet):
        network = scenario.network()
    logger.info("scenario %r: solving", scenario.name)
    show = None if args.quiet or args.solver_log else ProgressLine(sys.stderr)
    options = {**scenario.solver.as_kwargs(), "progress": show, "log": args.solver_log}
    result = network.optimize(**options)
    logger.info(
        "scenario %r: %s in %.1f s (build %.1f s, hand-over %.1f s, HiGHS %.1f s, %d rows)",
        scenario.name, result.termination_condition, time.perf_counter() - start,
        result.stats["build_s"], result.stats["handover_s"], result.stats["solve_s"],
        result.stats["rows"],
    )  # fmt: skip
    if result.dataset is not None:
        result.dataset.attrs.update(_provenance(scenario))
    if not result.is_optimal:
        logger.warning(
            "scenario %r: solver stopped before optimality (%s); %s",
            scenario.name, result.termination_condition,
            "no solution to write" if result.dataset is None
            else "the best solution found is written, flagged in every table",
        )  # fmt: skip
    return result


def _write_result(scenario: Scenario, ds: xr.Dataset, folder: Path) -> None:
    """``scenario.yaml``, ``result.nc``, ``summary.csv`` and (without a baseline, which
    :func:`_cooperation_tables` draws against) the figures of one scenario into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    _write_scenario(scenario, folder)
    write_netcdf(ds, folder / RESULT_FILE)
    readable(summary(ds), digits=None).to_csv(folder / "summary.csv")
    if scenario.baseline is None:
        _figures({scenario.name: ds}, scenario.name, None, folder / "figures")


def _solve_all(plan: _Plan, tmp: Path, args: argparse.Namespace) -> dict[Path, xr.Dataset | None]:
    """Solve every job and write its results below ``tmp``; the datasets by file.

    Raises
    ------
    _LimitReached
        If no solve left a solution (there is nothing to write).
    """
    solved: dict[Path, xr.Dataset | None] = {}
    stopped = []
    folders = {path: files.path_inside(tmp, job.folder, what="run --out")
               for path, job in plan.jobs.items()}  # fmt: skip
    workers = _workers(args, len(plan.jobs))
    if workers == 1:
        outcomes = {path: _solve_and_write(job.scenario, args, folders[path])
                    for path, job in plan.jobs.items()}  # fmt: skip
    else:
        outcomes = _solve_in_processes(plan, folders, args, workers)
    for path, job in plan.jobs.items():
        solved[path], condition = outcomes[path]
        if solved[path] is None:
            stopped.append(f"{job.scenario.name} ({condition})")
    if len(stopped) == len(solved):
        raise _LimitReached(
            f"run: solver stopped before any solution was found: {', '.join(stopped)}; "
            "no results written"
        )
    return solved


def _solve_and_write(
    scenario: Scenario, args: argparse.Namespace, folder: Path
) -> tuple[xr.Dataset | None, str]:
    """Solve one scenario and write its results into ``folder``: (dataset, termination)."""
    result = _solve(scenario, args)
    if result.dataset is not None:
        _write_result(scenario, result.dataset, folder)
    return result.dataset, str(result.termination_condition)


def _workers(args: argparse.Namespace, n_jobs: int) -> int:
    """How many scenarios ``run`` solves at once: ``--jobs`` (default 1, in this process),
    never more than there are scenarios or CPU cores."""
    return max(1, min(args.jobs, n_jobs, os.cpu_count() or 1))


def _worker_init(level: int) -> None:
    """A solving process: jkenergy's messages at the parent's level; Ctrl-C is the
    parent's to handle (it stops the workers)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _log_at(level)


def _solve_in_processes(
    plan: _Plan, folders: Mapping[Path, Path], args: argparse.Namespace, workers: int
) -> dict[Path, tuple[xr.Dataset | None, str]]:
    """Solve the plan's scenarios in ``workers`` processes at once (each builds and solves
    its own LP and writes its own folder); (dataset, termination) by file.

    An error in any scenario (the first in file order) stops the other processes and is
    raised, as Ctrl-C does. No live HiGHS line: one line counts the seconds for them all.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    quiet = argparse.Namespace(**{**vars(args), "quiet": True})
    context = multiprocessing.get_context("spawn")  # no fork of a process holding threads
    label = f"solving {len(plan.jobs)} scenarios, {workers} at a time"
    logger.info("run: %s (one process each; --jobs 1 solves them one by one)", label)
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_init,
                               initargs=(logger.getEffectiveLevel(),))  # fmt: skip
    try:
        with _stage(label, args.quiet):
            futures = {path: pool.submit(_solve_and_write, job.scenario, quiet, folders[path])
                       for path, job in plan.jobs.items()}  # fmt: skip
            outcomes = {path: future.result() for path, future in futures.items()}
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        for process in multiprocessing.active_children():
            process.terminate()
        raise
    pool.shutdown()
    return outcomes


def _cooperation_tables(
    plan: _Plan, solved: Mapping[Path, xr.Dataset | None], tmp: Path
) -> list[tuple[str, str, pd.DataFrame, dict[str, xr.Dataset]]]:
    """Each pair's cooperation table, written to its scenario's folder as cooperation.csv."""
    tables = []
    for scenario, baseline in plan.pairs:
        name, base = plan.jobs[scenario].scenario.name, plan.jobs[baseline].scenario.name
        ds, base_ds = solved[scenario], solved[baseline]
        if ds is None or base_ds is None:
            logger.warning("run: no cooperation table of %r against %r: no solution", name, base)
            continue
        results = {base: base_ds, name: ds}
        table = cooperation(results, base)
        folder = tmp / plan.jobs[scenario].folder
        readable(table, digits=None).to_csv(folder / "cooperation.csv")
        _figures(results, name, base, folder / "figures")
        tables.append((name, base, table, results))
    return tables


def _figures(results: Mapping[str, xr.Dataset], name: str, baseline: str | None, out: Path) -> None:
    from . import plot

    with _stage(f"scenario {name!r}: drawing figures", quiet=True):
        for path in plot.save_run(results, name, baseline, out):
            logger.debug("wrote %s", path)


def cmd_run(args: argparse.Namespace) -> int:
    plan = _plan(args.scenario)
    out = Path(args.out)
    files.check_output_folder(out, what="run --out")
    with files.folder_lock(out, what="run --out"):
        files.remove_stale(out)
        replacing = out.is_dir()
        if replacing:
            logger.info("run: %s exists; it is replaced whole once this run is complete", out)
        with files.atomic_folder(out) as tmp:
            solved = _solve_all(plan, tmp, args)
            tables = _cooperation_tables(plan, solved, tmp)
        logger.info("run: wrote %s%s", out, " (replacing the earlier results)" if replacing else "")
    for name, base, table, results in tables:
        _report(name, base, table, results, args.wide)
    _print_summaries(plan, solved, out, args.wide)
    return _limit_exit(plan, solved, out)


def _print_summaries(
    plan: _Plan, solved: Mapping[Path, xr.Dataset | None], out: Path, wide: bool
) -> None:
    listed = {plan.jobs[p].scenario.name: ds for p in plan.listed if (ds := solved[p]) is not None}
    if len(plan.listed) == 1:
        for name, ds in listed.items():
            _print_table(f"{name}: per country{_per(ds)}", summary(ds), {name: ds}, wide)
        print(PRICES_EXPLAINED)
        return
    tables = {name: summary(ds) for name, ds in listed.items()}
    title = f"Per country (per year), results in {out}/<scenario file>/"
    _print_table(title, pd.concat(tables, names=["scenario"]), listed, wide)
    print(PRICES_EXPLAINED)


def _limit_exit(plan: _Plan, solved: Mapping[Path, xr.Dataset | None], out: Path) -> int:
    """Exit 4 with one line if any solve stopped at a limit, else 0."""
    stopped = [
        f"{plan.jobs[p].scenario.name} ({'no solution' if ds is None else termination(ds)})"
        for p, ds in solved.items()
        if ds is None or termination(ds) != OPTIMAL
    ]
    if not stopped:
        return EXIT_OK
    logger.error(
        "run: solver stopped before optimality: %s; results written to %s are flagged",
        ", ".join(stopped), out,
    )  # fmt: skip
    return EXIT_LIMIT


# ----------------------------------------------------------------- compare


def _labels(dirs: Sequence[str]) -> dict[str, Path]:
    """Label each result folder by its name, or by as many trailing path parts as it takes
    to tell folders of the same name apart (``a/out``, ``b/out``)."""
    resolved = [Path(d).resolve() for d in dirs]
    for i, path in enumerate(resolved):
        if path in resolved[:i]:
            raise DataError(f"compare: {dirs[i]} given twice")
    depth = [1] * len(resolved)
    labels = [p.name or str(p) for p in resolved]
    while len(set(labels)) < len(labels):
        clashing = {label for label in labels if labels.count(label) > 1}
        for i, label in enumerate(labels):
            if label in clashing:
                depth[i] += 1
                labels[i] = Path(*resolved[i].parts[-depth[i] :]).as_posix()
    return dict(zip(labels, (Path(d) for d in dirs), strict=True))


def _open_result(folder: Path) -> xr.Dataset:
    path = folder / RESULT_FILE
    if not path.is_file():
        raise DataError(f"compare: {path} not found (run 'jkenergy run' first)")
    ds = open_results(path).dataset
    assert ds is not None  # open_results always reads one
    return ds


def _baseline_label(wanted: str | None, folders: Mapping[str, Path]) -> str:
    if wanted is None:
        return next(iter(folders))
    if wanted in folders:
        return wanted
    for label, folder in folders.items():
        if Path(wanted).resolve() == folder.resolve():
            return label
    raise DataError(f"compare: --baseline {wanted!r} is none of {list(folders)}")


# ----------------------------------------------------------------------------- answer first
def _report(
    name: str, baseline: str, table: pd.DataFrame, results: Mapping[str, xr.Dataset], wide: bool
) -> None:
    """The verdict in words, then the cooperation table (80 columns unless ``wide``)."""
    _warn_not_optimal(results)
    print()
    print("\n".join(verdict(results[baseline], results[name], name, baseline)))
    print(_heading(f"Cooperation: {name} against {baseline}{_per(results[name])}"))
    if wide:
        print(readable(table).to_string())
    else:
        print(_render(_cooperation_view(table.loc[name], baseline), wide=False))


def _print_summary(name: str, ds: xr.Dataset, wide: bool) -> None:
    print(_heading(f"{name}: per country{_per(ds)}"))
    print(_render(summary(ds), wide=wide))
    print(PRICES_EXPLAINED)


def _heading(text: str) -> str:
    return "\n" + textwrap.fill(text, WIDTH) + "\n"


def _per(ds: xr.Dataset) -> str:
    """``" (per year; 32 representative days)"``: the span the numbers sum over and the
    time resolution, in short (``jkenergy info`` gives it in full)."""
    hours = float(ds["snapshot_weight"].sum())
    span = "per year" if abs(hours - 8760.0) <= 24.0 else f"over {hours:,.0f} h"
    typical = int(ds.attrs.get("time_representative_periods", 0))
    if typical:
        noun = "days" if ds.attrs.get("time_period_hours") == 24.0 else "periods"
        return f" ({span}; {typical} representative {noun})"
    step = float(np.median(ds["snapshot_weight"].to_numpy()))
    return f" ({span}; {ds.sizes['snapshot']:,} snapshots of {step:g} h)"


def _cooperation_view(table: pd.DataFrame, baseline: str) -> pd.DataFrame:
    """The scenario's rows of :func:`analysis.cooperation_table`, with the columns that
    answer the question: welfare gain first (the per-country 'saving' only says where plants
    sit; it is in ``--wide`` and cooperation.csv)."""
    return pd.DataFrame(
        {
            "welfare gain [USD]": table[f"welfare gain vs {baseline} [USD]"],
            "system cost [USD]": table["system cost [USD]"],
            "system cost saving [USD]": table[f"saving vs {baseline} [USD]"].where(
                table.index == "total"
            ),
            "emissions [tCO2]": table["emissions [tCO2]"],
        }
    )


def _cross_border(ds: xr.Dataset) -> list[str]:
    country = dict(zip(ds["bus"].values.tolist(), ds["bus_country"].values.tolist(), strict=True))
    return [
        str(link)
        for link, b0, b1 in zip(
            ds["link"].values, ds["link_bus0"].values, ds["link_bus1"].values, strict=True
        )
        if country[str(b0)] != country[str(b1)]
    ]


def _signed(value: float, unit: str, digits: int = 3) -> str:
    return f"{value:+,.{digits}f} {unit}".replace("+-", "-")


def verdict(base: xr.Dataset, ds: xr.Dataset, name: str, baseline: str) -> list[str]:
    """The answer in plain words: the cross-border links' size, the change in total system
    cost, who gains at marginal prices and by how much, and how emissions change; lines of
    at most :data:`WIDTH` columns.

    The countries' welfare gains sum to the saving less the fall in carbon tax collected
    (carbon charges are transfers; see :mod:`jkenergy.analysis`).
    """
    lines = [f"Answer: {name} against {baseline}{_per(ds)}"]
    links = [k for k in _cross_border(ds) if float(ds["link_p_nom_opt"].sel(link=k)) > 0]
    for k in links:
        size = float(ds["link_p_nom_opt"].sel(link=k)) / 1e3
        existing = float(ds["link_p_nom_existing"].sel(link=k)) / 1e3
        how = "all of it new" if existing < 1e-6 else f"{existing:,.2f} GW of it existing"
        carrier = str(ds["link_carrier"].sel(link=k).item())
        lines.append(f"- The cross-border link {k} ({carrier}) is {size:,.2f} GW, {how}.")
    if not links:
        lines.append("- No cross-border link carries power.")
    before, after = float(base.attrs["objective"]), float(ds.attrs["objective"])
    share = (after - before) / before * 100 if before else float("nan")
    falls = "falls" if after <= before else "rises"
    if round(abs(after - before) / 1e9, 3) == 0:  # would print "rises by 0.000"
        lines.append(
            "- Total system cost of both countries is unchanged (to 0.001 bn USD), every "
            "cost counted, the links' own included."
        )
    else:
        lines.append(
            f"- Total system cost of both countries {falls} by {abs(after - before) / 1e9:,.3f} "
            f"bn USD ({abs(share):.2f} %), every cost counted, the links' own included."
        )
    net = "net cost [USD]"
    gain = (analysis.welfare(base)[net] - analysis.welfare(ds)[net]) / 1e9
    words = [f"{c} {'gains' if g >= 0 else 'loses'} {abs(g):,.3f} bn USD" for c, g in gain.items()]
    lines.append(f"- At marginal prices {' and '.join(words)}.")
    tax = float(base["generator_carbon_cost"].sum() - ds["generator_carbon_cost"].sum()) / 1e9
    if abs(tax) > 5e-4:
        lines.append(
            f"  Together {_signed(float(gain.sum()), 'bn USD')}: the saving, "
            f"{(before - after) / 1e9:,.3f} bn USD, less the {tax:,.3f} bn USD fall in carbon "
            "tax collected (a transfer, not a cost)."
        )
    column = "emissions [tCO2]"
    emis = (analysis.emissions(ds)[column] - analysis.emissions(base)[column]) / 1e6
    parts = ", ".join(f"{c} {_signed(v, 'Mt', 1)}" for c, v in emis.items())
    lines.append(f"- Emissions: {parts}; together {_signed(float(emis.sum()), 'MtCO2', 1)}.")
    return [textwrap.fill(line, WIDTH, subsequent_indent="  ") for line in lines]


_DIGITS = {"bn USD": 3, "MtCO2": 1, "TWh": 2, "GW": 2, "USD/tCO2": 2, "-": 3}


def _render(table: pd.DataFrame, wide: bool) -> str:
    """A table in units for reading, headers over three lines (name, name, unit), fitting
    :data:`WIDTH` columns unless ``wide``: columns that would not fit are left out, named."""
    shown = readable(table, digits=None)
    index = [" / ".join(map(str, i)) if isinstance(i, tuple) else str(i) for i in shown.index]
    if "termination" in shown.columns:  # a non-optimal row says so in its label
        index = [
            name if term == OPTIMAL else f"{name} ({term}!)"
            for name, term in zip(index, shown.pop("termination"), strict=True)
        ]
    left = max(len(i) for i in [*index, ""]) + 1
    columns, used, dropped = [], left, []
    for column in shown.columns:
        label, _, unit = str(column).rpartition(" [")
        unit = unit.rstrip("]")
        digits = _DIGITS.get(unit, 3)
        sign = "+" if any(w in label for w in ("gain", "saving", "change")) else ""
        values = shown[column].astype(float)
        cells = [f"{v:{sign},.{digits}f}" if np.isfinite(v) else "–" for v in values]
        wrap = max(11, *(len(w) for w in label.split()))
        while len(words := textwrap.wrap(label, wrap)) > 2:
            wrap += 1
        words = [""] * (2 - len(words)) + words
        width = max(len(unit) + 2, *(len(w) for w in words), *(len(c) for c in cells)) + 2
        if not wide and used + width > WIDTH:
            dropped.append(label)
            continue
        used += width
        columns.append((width, [*words, f"[{unit}]"], cells))
    lines = []
    for row in range(3):
        lines.append(" " * left + "".join(h[row].rjust(w) for w, h, _ in columns))
    for r, name in enumerate(index):
        lines.append(name.ljust(left) + "".join(c[r].rjust(w) for w, _, c in columns))
    if dropped:
        lines.append(
            textwrap.fill(f"(not shown: {', '.join(dropped)}; see --wide or the CSV files)", WIDTH)
        )
    return "\n".join(line.rstrip() for line in lines)


# ----------------------------------------------------------------------------- compare, info
def cmd_compare(args: argparse.Namespace) -> int:
    if args.out:
        files.check_output_file(args.out, what="compare --out")
    folders = _labels(args.dirs)
    results = {label: _open_result(folder) for label, folder in folders.items()}
    baseline = _baseline_label(args.baseline, folders)
    names = [str(ds.attrs.get("scenario_name", "")) for ds in results.values()]
    if all(names) and len(set(names)) == len(names):  # label by scenario name where unique
        by_folder = dict(zip(results, names, strict=True))
        results = {by_folder[label]: ds for label, ds in results.items()}
        baseline = by_folder[baseline]
    table = cooperation(results, baseline)
    _warn_not_optimal(results)
    for name, ds in results.items():
        if name == baseline:
            continue
        print("\n".join(verdict(results[baseline], ds, name, baseline)))
        if not args.wide:
            print()
            print(_render(_cooperation_view(table.loc[name], baseline), wide=False))
            print()
        if args.figures:
            figures = files.path_inside(
                Path(args.figures), files.safe_name(name, what="compare: scenario name"),
                what="compare --figures",
            )  # fmt: skip
            _figures({baseline: results[baseline], name: ds}, name, baseline, figures)
    if args.wide:
        _print_table(f"Cooperation against {baseline} (per year)", table, results, wide=True)
    if args.out:
        with files.atomic_file(args.out) as tmp:
            readable(table, digits=None).to_csv(tmp)
    flagged = _not_optimal(results)
    if flagged and not args.accept_nonoptimal:
        which = ", ".join(f"{name} ({term})" for name, term in flagged.items())
        logger.error(
            "compare: not optimal: %s; its numbers are not an answer "
            "(--accept-nonoptimal to accept them)",
            which,
        )
        return EXIT_LIMIT
    return EXIT_OK


# -------------------------------------------------------------- info, sweep


def cmd_info(args: argparse.Namespace) -> int:
    if args.result:
        return _info_result(Path(args.result))
    from importlib.metadata import version

    from .study import datasets

    print(f"jkenergy {__version__}, python {sys.version.split()[0]}")
    packages = ("pyomo", "highspy", "xarray", "pandas", "numpy", "pydantic")
    print("  " + ", ".join(f"{name} {version(name)}" for name in packages))
    print(f"  data set hash {datasets.data_hash()}")
    print()
    print(datasets.describe())
    return EXIT_OK


def _info_result(path: Path) -> int:
    """Print what produced a result (a result.nc or the folder holding one)."""
    if path.is_dir():
        path = path / RESULT_FILE
    if not path.is_file():
        raise FileNotFoundError(f"info: {path} not found")
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        attrs = dict(ds.attrs)
        info = provenance(ds)
    if "objective" not in attrs:
        raise DataError(f"info: {path} is not a jkenergy result (no objective attribute)")
    print(f"{path}")
    width = max(len(k) for k in info)
    for key, value in info.items():
        shown = f"{value:,.0f}" if isinstance(value, float | np.floating) else str(value)
        print(f"  {key.ljust(width)}  {shown}")
    scenario = path.parent / SCENARIO_FILE
    if scenario.is_file():
        print(f"  {'resolved scenario'.ljust(width)}  {scenario}")
    elif "scenario_yaml" in attrs:
        print("  resolved scenario (stored in the result):")
        print(textwrap.indent(str(attrs["scenario_yaml"]), "    "))
    return EXIT_OK


def cmd_sweep(args: argparse.Namespace) -> int:
    from .sweeps import run

    scenario = load_scenario(args.scenario)
    grid = run.load_grid(args.grid)
    try:
        ds = run.sweep(
            scenario, grid, store=args.out, client=args.scheduler, workers=args.workers,
            force=args.force, retry_failed=args.retry_failed, reuse=not args.rebuild,
            progress=not args.quiet,
        )  # fmt: skip
    except KeyboardInterrupt:  # sweep() said what was kept
        return run.EXIT_INTERRUPTED
    table = run.to_table(ds)
    table.to_csv(Path(args.out) / "sweep.csv")
    costs = ["objective", *(c for c in table.columns if c.startswith("system_cost "))]
    shown = table[["status", *costs]].rename(columns={c: f"{c} [USD]" for c in costs})
    print(f"\nSweep of {scenario.name} (per year; all columns in {args.out}/sweep.csv)\n")
    print(readable(shown).to_string())
    failed = int(ds["status"].isin(list(run.FAILED_STATUSES)).sum())
    return run.EXIT_FAILED_CASES if failed else EXIT_OK


def cmd_ranges(args: argparse.Namespace) -> int:
    """Print a finished sweep as ranges over its weather draws; write the table and figure.

    Exit 4 if a draw was left out because a solve of its pair is not optimal (or failed or
    is missing), unless ``--accept-nonoptimal``: the numbers then cover fewer draws.
    """
    from .sweeps import ranges as spread

    for option, path in (("--out", args.out), ("--figure", args.figure)):
        if path:
            files.check_output_file(path, what=f"ranges {option}")
    flow = args.flow.split(">")
    if len(flow) != 2 or not all(flow):
        raise ArgumentError(f"ranges --flow: expected FROM>TO (e.g. KR>JP), got {args.flow!r}")
    values = spread.seed_values(
        args.store, over=args.over, along=args.along, reference=yaml.safe_load(args.reference),
        flow=(flow[0], flow[1]),
    )  # fmt: skip
    table = spread.range_table(values)
    title = f"Ranges over {args.over} in {args.store} ({table.attrs.get('resolution', '')})"
    print(_heading(title))
    print(spread.describe_ranges(table))
    print(
        "\nP10, median, P90: numpy's linear percentiles over the draws; a draw counts as "
        f"without a link below {spread.NO_LINK_MW:g} MW."
    )
    excluded = table.attrs.get("excluded", [])
    if excluded:
        print(f"\nWARNING: {len(excluded)} draws excluded (not optimal, failed or missing):")
        for label, note in excluded:
            print(f"  {label}: {note}")
    if args.out:
        with files.atomic_file(args.out) as tmp:
            table.to_csv(tmp)
    if args.figure:
        from . import plot

        plot.ranges(values, path=args.figure)
    if excluded and not args.accept_nonoptimal:
        logger.error(
            "ranges: %d draws excluded; the ranges cover the others (--accept-nonoptimal "
            "to accept them)", len(excluded),
        )  # fmt: skip
        return EXIT_LIMIT
    return EXIT_OK


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return value


class _Parser(argparse.ArgumentParser):
    """argparse with "did you mean" for a mistyped option or command."""

    def error(self, message: str) -> Any:
        words = message.replace(",", " ").replace("'", " ").split()
        bad = [w for w in words if w.startswith("-")] if "unrecognized" in message else []
        if "invalid choice" in message:
            bad = [message.split("'")[1]]
        known = _all_options(self) if bad and bad[0].startswith("-") else _commands(self)
        hints = [m for w in bad for m in difflib.get_close_matches(w.split("=")[0], known, 1)]
        if hints:
            message += f" (did you mean {' or '.join(hints)}?)"
        super().error(message)


def _subparsers(p: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [p]
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                found += _subparsers(child)
    return found


def _all_options(p: argparse.ArgumentParser) -> list[str]:
    root = p if p.prog == "jkenergy" else None
    parsers = _subparsers(root) if root is not None else [p]
    return sorted({o for q in parsers for a in q._actions for o in a.option_strings})


def _commands(p: argparse.ArgumentParser) -> list[str]:
    return sorted({c for a in p._actions if isinstance(a, argparse._SubParsersAction)
                   for c in a.choices})  # fmt: skip


def _common() -> _Parser:
    """-q/-v/--version, accepted before or after the command."""
    # A _Parser for typeshed's add_parser(parents=...); argparse copies only its arguments.
    common = _Parser(add_help=False)
    verbosity = common.add_mutually_exclusive_group()
    verbosity.add_argument(
        "-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
        help="only warnings and errors; no progress line",
    )  # fmt: skip
    verbosity.add_argument(
        "-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
        help="jkenergy's debug messages (not those of Pyomo or other libraries)",
    )  # fmt: skip
    common.add_argument("--version", action="version", version=f"jkenergy {__version__}")
    return common


def parser() -> argparse.ArgumentParser:
    """The argument parser of the ``jkenergy`` command."""
    common = _common()
    lines = __doc__.splitlines()
    p = _Parser(
        prog="jkenergy", description=lines[0], epilog=" ".join(lines[2:]).strip(), parents=[common]
    )
    p.set_defaults(quiet=False, verbose=False)
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run = sub.add_parser(
        "run", parents=[common], help="solve scenario files; write NetCDF, tables and figures",
        description="Solve scenario files; print the answer (against the baseline, if the "
        "file names one) and write result.nc, scenario.yaml, CSV tables and figures.",
        epilog="With one file, results go to OUT (its baseline to OUT/baseline); with "
        "several, each to OUT/<file stem>, and a baseline shared by several is solved once.",
    )  # fmt: skip
    run.add_argument("scenario", nargs="+", help="scenario YAML file(s)")
    run.add_argument("--out", required=True, help="output directory")
    run.add_argument(
        "--full-year", action="store_true", help="ignore the file's time aggregation: every hour"
    )
    run.add_argument("--wide", action="store_true", help="print the full tables, however wide")
    run.add_argument(
        "--solver-log", action="store_true", help="show HiGHS's full log instead of one live line"
    )
    run.add_argument(
        "--jobs", type=_positive_int, default=1,
        help="scenarios solved at once (at most one per CPU core), each in its own process "
        "with its own LP in memory; default 1: one by one, with the live HiGHS line",
    )  # fmt: skip
    run.set_defaults(func=cmd_run)

    compare = sub.add_parser(
        "compare", parents=[common], help="answer and cooperation table of result directories"
    )
    compare.add_argument("dirs", nargs="+", help="directories written by 'jkenergy run'")
    compare.add_argument(
        "--baseline", help="the baseline: its folder, or its label (the folder's name, with "
        "parent folders where two share a name: a/out, b/out); default the first",
    )  # fmt: skip
    compare.add_argument("--out", help="also write the table to this CSV file")
    compare.add_argument("--figures", help="write the comparison figures into this directory")
    compare.add_argument("--wide", action="store_true", help="print the full table")
    compare.add_argument(
        "--accept-nonoptimal", action="store_true",
        help="exit 0 even if a result is not optimal (it is still flagged in the table)",
    )  # fmt: skip
    compare.set_defaults(func=cmd_compare)

    sweep = sub.add_parser(
        "sweep", parents=[common],
        help="solve a grid of cases of a scenario; one NetCDF per case, resumable",
        epilog="Exit codes: 2 bad input (scenario, grid, store, --workers, no scheduler at "
        "--scheduler), 5 some cases failed (recorded in the store with their error), 130 "
        "interrupted (Ctrl-C; run again to resume). Grid keys: see the jkenergy.sweeps.grid "
        "module. The default local cluster speaks TLS with temporary credentials; secure a "
        "--scheduler cluster with TLS as jkenergy.sweeps.run documents.",
    )  # fmt: skip
    sweep.add_argument("scenario", help="base scenario YAML file")
    sweep.add_argument("--grid", required=True, help="grid YAML file (axes: or cases:)")
    sweep.add_argument("--out", required=True, help="store directory (resumed if it exists)")
    where = sweep.add_mutually_exclusive_group()
    where.add_argument(
        "--workers", type=_positive_int, help="local worker processes, >= 1 (default: cores)"
    )
    where.add_argument("--scheduler", help="address of a dask.distributed scheduler")
    sweep.add_argument("--force", action="store_true", help="re-run cases already in the store")
    sweep.add_argument("--retry-failed", action="store_true", help="re-run failed cases")
    sweep.add_argument(
        "--rebuild", action="store_true", help="build every case's model from scratch"
    )
    sweep.set_defaults(func=cmd_sweep)

    rng = sub.add_parser(
        "ranges", parents=[common],
        help="a finished sweep as ranges over its weather draws (mean, P10-P90, ...)",
        description="Summarise a sweep store over its weather draws: per case of the other "
        "axes, the link, the net saving, each country's welfare gain and system-cost saving "
        "and the net flow against the baseline of the same draw (a case of the grid).",
        epilog="Exit codes: 2 bad input (not a store, an axis or baseline not in its grid), 4 "
        "draws excluded because a solve is not optimal, failed or is missing (listed; "
        "--accept-nonoptimal to exit 0). See jkenergy.sweeps.ranges.",
    )  # fmt: skip
    rng.add_argument("store", help="a store written by 'jkenergy sweep'")
    rng.add_argument("--over", default="base.seed", help="the draws' axis (default base.seed)")
    rng.add_argument(
        "--along", default="base.interconnector",
        help="the axis holding the baseline (default base.interconnector)",
    )  # fmt: skip
    rng.add_argument(
        "--reference", default="null",
        help="the baseline's value of --along, as YAML (default null: no link)",
    )  # fmt: skip
    rng.add_argument("--flow", default="KR>JP", help="net flow from>to (default KR>JP)")
    rng.add_argument("--out", help="also write the table to this CSV file")
    rng.add_argument("--figure", help="also draw the spread of saving and link to this PNG")
    rng.add_argument(
        "--accept-nonoptimal", action="store_true",
        help="exit 0 even if draws were excluded (they are still listed)",
    )  # fmt: skip
    rng.set_defaults(func=cmd_ranges)

    info = sub.add_parser(
        "info", parents=[common], help="versions and data set, or what produced a result"
    )
    info.add_argument("result", nargs="?", help="a result.nc (or its folder): print its provenance")
    info.set_defaults(func=cmd_info)
    return p


def _configure_logging(args: argparse.Namespace) -> None:
    """jkenergy's messages at the level asked for; other libraries' at WARNING (``-v`` must
    not print Pyomo's internals)."""
    _log_at(logging.WARNING if args.quiet else logging.DEBUG if args.verbose else logging.INFO)


def _log_at(level: int) -> None:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s")
    logger.setLevel(level)
    for name in ("pyomo", "matplotlib", "h5py", "fsspec", "numba"):
        logging.getLogger(name).setLevel(logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``jkenergy`` command; returns the exit code (see the module)."""
    args = parser().parse_args(argv)
    _configure_logging(args)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        logger.error("interrupted; outputs in progress were discarded, earlier ones kept")
        return EXIT_INTERRUPTED
    except Exception as err:
        code = exit_code(err)
        if code is None:
            raise  # a bug: keep the traceback (exit 1)
        logger.error("%s", err)
        return code


def exit_code(err: BaseException) -> int | None:
    """The documented exit code of an error, None for an unexpected one (a bug)."""
    if isinstance(err, InfeasibleError | UnboundedError):
        return EXIT_INFEASIBLE
    if isinstance(err, _LimitReached):
        return EXIT_LIMIT
    if isinstance(err, JkEnergyError | OSError | KeyError):
        # bad scenario, data or result files, unknown names, options HiGHS rejects, an
        # output location that cannot be written
        return EXIT_BAD_INPUT
    return None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
