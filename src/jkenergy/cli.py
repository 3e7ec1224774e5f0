"""Command line: ``jkenergy run | compare | sweep | info``.

Exit codes:

- 0: success.
- 1: an internal error (a bug): a traceback follows; please report it.
- 2: bad input: a scenario, grid, result or data file, an option, or an output location
  that cannot be written or is being written by another run (one line says which).
- 3: the model is infeasible or unbounded.
- 4: a solver limit was reached (time or iteration limit): the best solution found, if
  any, is written and flagged in every table; ``compare`` of a result that is not optimal
  (unless ``--accept-nonoptimal``).
- 5: ``sweep``: some cases failed (recorded in the store with their error).
- 130: interrupted (Ctrl-C); nothing half-written is left.

``run`` writes every output (NetCDF, tables, figures) into a temporary folder beside
``--out`` and moves it into place only when all of it is complete, replacing an earlier
run's folder whole; a run that fails or is killed leaves the old folder as it was. Only
one run at a time may write a folder (a lock on ``.<out>.lock`` beside it).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import xarray as xr

from . import __version__, analysis, files
from .errors import DataError, InfeasibleError, JkEnergyError, UnboundedError
from .results import Result, open_results, write_netcdf
from .scenario import Scenario, ScenarioError, load_scenario

logger = logging.getLogger("jkenergy")

EXIT_OK, EXIT_BAD_INPUT, EXIT_INFEASIBLE, EXIT_LIMIT = 0, 2, 3, 4
EXIT_INTERRUPTED = 130
RESULT_FILE = "result.nc"
OPTIMAL = "optimal"


def readable(table: pd.DataFrame) -> pd.DataFrame:
    """Rescale columns for reading: USD -> bn USD, tCO2 -> MtCO2, MWh -> TWh, MW -> GW."""
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
    return out.round(3)


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
        analysis.hydrogen(ds),
    ]
    table = pd.concat(parts, axis=1)
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


def _print_table(title: str, table: pd.DataFrame, results: Mapping[str, xr.Dataset]) -> None:
    """Print a table under its title, with a warning line if a result in it is not optimal."""
    print(f"\n{title}\n")
    flagged = _not_optimal(results)
    if flagged:
        which = ", ".join(f"{name} ({term})" for name, term in flagged.items())
        print(f"WARNING: not optimal: {which}; their numbers are not an optimum\n")
    print(readable(table).to_string())


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
            jobs[scenario.path] = _Job(scenario, ".")
        if baseline is not None:
            folder = _stem_folder(baseline) if several else "baseline"
            jobs.setdefault(baseline.path, _Job(baseline, folder))
            pairs.append((scenario.path, baseline.path))
        jobs.setdefault(scenario.path, _Job(scenario, _stem_folder(scenario)))
    _check_distinct(jobs)
    return _Plan(jobs, pairs, [s.path for s in scenarios])


def _stem_folder(scenario: Scenario) -> str:
    return files.safe_name(scenario.path.stem, what=f"run: scenario file {scenario.path}")


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


def _solve(scenario: Scenario, full_year: bool) -> Result:
    """Solve one scenario (its dataset is None if a limit left no solution)."""
    if full_year:
        scenario = scenario.model_copy(update={"time": scenario.time.model_copy(
            update={"resample": None, "representative_days": None, "hours": None})})  # fmt: skip
    start = time.perf_counter()
    logger.info("scenario %r: building", scenario.name)
    result = scenario.solve()
    logger.info(
        "scenario %r: %s in %.1f s (build %.1f s, hand-over %.1f s, HiGHS %.1f s, %d rows)",
        scenario.name, result.termination_condition, time.perf_counter() - start,
        result.stats["build_s"], result.stats["handover_s"], result.stats["solve_s"],
        result.stats["rows"],
    )  # fmt: skip
    if not result.is_optimal:
        logger.warning(
            "scenario %r: solver stopped before optimality (%s); %s",
            scenario.name, result.termination_condition,
            "no solution to write" if result.dataset is None
            else "the best solution found is written, flagged in every table",
        )  # fmt: skip
    return result


def _write_result(ds: xr.Dataset, folder: Path) -> None:
    """``result.nc``, ``summary.csv`` and figures of one scenario into ``folder``."""
    from . import plot

    folder.mkdir(parents=True, exist_ok=True)
    write_netcdf(ds, folder / RESULT_FILE)
    summary(ds).to_csv(folder / "summary.csv")
    for path in plot.save_all(ds, folder / "figures"):
        logger.debug("wrote %s", path)


def _solve_all(plan: _Plan, tmp: Path, full_year: bool) -> dict[Path, xr.Dataset | None]:
    """Solve every job and write its results below ``tmp``; the datasets by file.

    Raises
    ------
    _LimitReached
        If no solve left a solution (there is nothing to write).
    """
    solved: dict[Path, xr.Dataset | None] = {}
    stopped = []
    for path, job in plan.jobs.items():
        result = _solve(job.scenario, full_year)
        solved[path] = result.dataset
        if result.dataset is not None:
            _write_result(result.dataset, files.path_inside(tmp, job.folder, what="run --out"))
        else:
            stopped.append(f"{job.scenario.name} ({result.termination_condition})")
    if len(stopped) == len(solved):
        raise _LimitReached(
            f"run: solver stopped before any solution was found: {', '.join(stopped)}; "
            "no results written"
        )
    return solved


def _cooperation_tables(
    plan: _Plan, solved: Mapping[Path, xr.Dataset | None], tmp: Path
) -> list[tuple[str, pd.DataFrame, dict[str, xr.Dataset]]]:
    """Each pair's cooperation table, written to its scenario's folder as cooperation.csv."""
    tables = []
    for scenario, baseline in plan.pairs:
        name, base = plan.jobs[scenario].scenario.name, plan.jobs[baseline].scenario.name
        if solved[scenario] is None or solved[baseline] is None:
            logger.warning("run: no cooperation table of %r against %r: no solution", name, base)
            continue
        results = {base: solved[baseline], name: solved[scenario]}
        table = cooperation(results, base)
        table.to_csv(tmp / plan.jobs[scenario].folder / "cooperation.csv")
        tables.append((f"Cooperation: {name} against {base} (per year)", table, results))
    return tables


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
            solved = _solve_all(plan, tmp, args.full_year)
            tables = _cooperation_tables(plan, solved, tmp)
        logger.info("run: wrote %s%s", out, " (replacing the earlier results)" if replacing else "")
    for title, table, results in tables:
        _print_table(title, table, results)
    _print_summaries(plan, solved, out)
    return _limit_exit(plan, solved, out)


def _print_summaries(plan: _Plan, solved: Mapping[Path, xr.Dataset | None], out: Path) -> None:
    listed = {plan.jobs[p].scenario.name: solved[p] for p in plan.listed if solved[p] is not None}
    if len(plan.listed) == 1:
        for name, ds in listed.items():
            _print_table(f"{name}: per country (per year)", summary(ds), {name: ds})
        return
    tables = {name: summary(ds) for name, ds in listed.items()}
    title = f"Per country (per year), results in {out}/<scenario file>/"
    _print_table(title, pd.concat(tables, names=["scenario"]), listed)


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
    return open_results(path).dataset


def _baseline_label(wanted: str | None, folders: Mapping[str, Path]) -> str:
    if wanted is None:
        return next(iter(folders))
    if wanted in folders:
        return wanted
    for label, folder in folders.items():
        if Path(wanted).resolve() == folder.resolve():
            return label
    raise DataError(f"compare: --baseline {wanted!r} is none of {list(folders)}")


def cmd_compare(args: argparse.Namespace) -> int:
    if args.out:
        files.check_output_file(args.out, what="compare --out")
    folders = _labels(args.dirs)
    results = {label: _open_result(folder) for label, folder in folders.items()}
    baseline = _baseline_label(args.baseline, folders)
    table = cooperation(results, baseline)
    _print_table(f"Cooperation against {baseline} (per year)", table, results)
    if args.out:
        with files.atomic_file(args.out) as tmp:
            table.to_csv(tmp)
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
    from importlib.metadata import version

    from .study import datasets

    print(f"jkenergy {__version__}, python {sys.version.split()[0]}")
    packages = ("pyomo", "highspy", "xarray", "pandas", "numpy", "pydantic")
    print("  " + ", ".join(f"{name} {version(name)}" for name in packages))
    print()
    print(datasets.describe())
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


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return value


def parser() -> argparse.ArgumentParser:
    """The argument parser of the ``jkenergy`` command."""
    p = argparse.ArgumentParser(
        prog="jkenergy", description=__doc__.splitlines()[0],
        epilog="Exit codes: 0 success, 1 internal error (a bug), 2 bad input or output "
        "location, 3 infeasible or unbounded, 4 solver limit reached or (compare) a result "
        "not optimal, 5 some sweep cases failed, 130 interrupted.",
    )  # fmt: skip
    p.add_argument("--version", action="version", version=f"jkenergy {__version__}")
    verbosity = p.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    verbosity.add_argument("-v", "--verbose", action="store_true", help="debug output")
    sub = p.add_subparsers(dest="command", required=True)

    run = sub.add_parser(
        "run", help="solve scenario files; write NetCDF, tables and figures",
        epilog="With one file, results go to OUT (its baseline to OUT/baseline); with "
        "several, each to OUT/<file stem>, and a baseline shared by several is solved once.",
    )  # fmt: skip
    run.add_argument("scenario", nargs="+", help="scenario YAML file(s)")
    run.add_argument("--out", required=True, help="output directory")
    run.add_argument(
        "--full-year", action="store_true", help="ignore the file's time aggregation: every hour"
    )
    run.set_defaults(func=cmd_run)

    compare = sub.add_parser("compare", help="cooperation table of result directories")
    compare.add_argument("dirs", nargs="+", help="directories written by 'jkenergy run'")
    compare.add_argument(
        "--baseline", help="the baseline: its folder, or its label (the folder's name, with "
        "parent folders where two share a name: a/out, b/out); default the first",
    )  # fmt: skip
    compare.add_argument("--out", help="also write the table to this CSV file")
    compare.add_argument(
        "--accept-nonoptimal", action="store_true",
        help="exit 0 even if a result is not optimal (it is still flagged in the table)",
    )  # fmt: skip
    compare.set_defaults(func=cmd_compare)

    sweep = sub.add_parser(
        "sweep", help="solve a grid of cases of a scenario; one NetCDF per case, resumable",
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

    info = sub.add_parser("info", help="data set summary and versions")
    info.set_defaults(func=cmd_info)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``jkenergy`` command; returns the exit code (see the module)."""
    args = parser().parse_args(argv)
    level = logging.WARNING if args.quiet else logging.DEBUG if args.verbose else logging.INFO
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(message)s")
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
