"""Command line: ``jkenergy run | compare | info``.

Exit codes: 0 success, 2 bad input, 3 infeasible or unbounded model, 4 solver limit
reached (time or iteration limit; results of the best solution found are still written).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import xarray as xr

from . import __version__, analysis
from .errors import InfeasibleError, JkEnergyError, UnboundedError
from .results import open_results
from .scenario import Scenario, ScenarioError, load_scenario

logger = logging.getLogger("jkenergy")

EXIT_OK, EXIT_BAD_INPUT, EXIT_INFEASIBLE, EXIT_LIMIT = 0, 2, 3, 4
RESULT_FILE = "result.nc"


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


def summary(ds: xr.Dataset) -> pd.DataFrame:
    """One row per country: system cost, emissions, CO2 price, renewables, hydrogen."""
    parts = [
        analysis.country_costs(ds)[["system cost [USD]"]],
        analysis.emissions(ds),
        analysis.renewables(ds)[["renewable share [-]", "curtailment [MWh]"]],
        analysis.hydrogen(ds),
    ]
    return pd.concat(parts, axis=1)


def _solve(scenario: Scenario, out: Path, full_year: bool) -> xr.Dataset:
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
    if result.dataset is not None:
        out.mkdir(parents=True, exist_ok=True)
        result.to_netcdf(out / RESULT_FILE)
        summary(result.dataset).to_csv(out / "summary.csv")
        from . import plot

        for path in plot.save_all(result.dataset, out / "figures"):
            logger.debug("wrote %s", path)
        logger.info("scenario %r: wrote %s", scenario.name, out)
    if not result.is_optimal:
        raise _LimitReached(result.termination_condition)
    return result.dataset


class _LimitReached(Exception):
    pass


def cmd_run(args: argparse.Namespace) -> int:
    if len(args.scenario) > 1:
        return _run_many(args)
    scenario = load_scenario(args.scenario[0])
    out = Path(args.out)
    results = {scenario.name: _solve(scenario, out, args.full_year)}
    baseline = scenario.baseline_scenario()
    if baseline is not None:
        results = {baseline.name: _solve(baseline, out / "baseline", args.full_year), **results}
        _print_cooperation(results, scenario.name, baseline.name, out)
    print(f"\n{scenario.name}: per country (per year)\n")
    print(readable(summary(results[scenario.name])).to_string())
    return EXIT_OK


def _run_many(args: argparse.Namespace) -> int:
    """Several scenario files: each in ``OUT/<file stem>/``; a baseline shared by several
    (or itself listed) is solved once."""
    scenarios = [load_scenario(path) for path in args.scenario]
    stems = [s.path.stem for s in scenarios]
    if len(set(stems)) < len(stems):
        raise ScenarioError(f"run: scenario file names must differ, got {stems}")
    out = Path(args.out)
    solved: dict[Path, xr.Dataset] = {}

    def solve_once(scenario: Scenario) -> xr.Dataset:
        if scenario.path not in solved:
            solved[scenario.path] = _solve(scenario, out / scenario.path.stem, args.full_year)
        return solved[scenario.path]

    for scenario in scenarios:
        baseline = scenario.baseline_scenario()
        if baseline is not None:
            results = {baseline.name: solve_once(baseline), scenario.name: solve_once(scenario)}
            _print_cooperation(results, scenario.name, baseline.name, out / scenario.path.stem)
        else:
            solve_once(scenario)
    print(f"\nPer country (per year), results in {out}/<scenario file>/\n")
    tables = {s.name: readable(summary(solved[s.path])) for s in scenarios}
    print(pd.concat(tables, names=["scenario"]).to_string())
    return EXIT_OK


def _print_cooperation(results: dict[str, xr.Dataset], name: str, baseline: str, out: Path) -> None:
    table = analysis.cooperation_table(results, baseline=baseline)
    table.to_csv(out / "cooperation.csv")
    print(f"\nCooperation: {name} against {baseline} (per year)\n")
    print(readable(table).to_string())


def cmd_compare(args: argparse.Namespace) -> int:
    results = {}
    for directory in args.dirs:
        path = Path(directory) / RESULT_FILE
        if not path.is_file():
            raise FileNotFoundError(f"compare: {path} not found (run 'jkenergy run' first)")
        results[Path(directory).name] = open_results(path).dataset
    baseline = args.baseline or next(iter(results))
    table = analysis.cooperation_table(results, baseline=baseline)
    print(readable(table).to_string())
    if args.out:
        table.to_csv(args.out)
    return EXIT_OK


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
    from .sweeps.run import EXIT_FAILED_CASES, FAILED_STATUSES, load_grid, sweep, to_table

    scenario = load_scenario(args.scenario)
    grid = load_grid(args.grid)
    ds = sweep(
        scenario, grid, store=args.out, client=args.scheduler, workers=args.workers,
        force=args.force, retry_failed=args.retry_failed, reuse=not args.rebuild,
        progress=not args.quiet,
    )  # fmt: skip
    table = to_table(ds)
    table.to_csv(Path(args.out) / "sweep.csv")
    costs = ["objective", *(c for c in table.columns if c.startswith("system_cost "))]
    shown = table[["status", *costs]].rename(columns={c: f"{c} [USD]" for c in costs})
    print(f"\nSweep of {scenario.name} (per year; all columns in {args.out}/sweep.csv)\n")
    print(readable(shown).to_string())
    failed = int(ds["status"].isin(list(FAILED_STATUSES)).sum())
    return EXIT_FAILED_CASES if failed else EXIT_OK


def parser() -> argparse.ArgumentParser:
    """The argument parser of the ``jkenergy`` command."""
    p = argparse.ArgumentParser(prog="jkenergy", description=__doc__.splitlines()[0])
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
    compare.add_argument("--baseline", help="name (directory name) of the baseline; default first")
    compare.add_argument("--out", help="also write the table to this CSV file")
    compare.set_defaults(func=cmd_compare)

    sweep = sub.add_parser(
        "sweep", help="solve a grid of cases of a scenario; one NetCDF per case, resumable",
        epilog="Exit code 5: some cases failed (recorded in the store with their error). "
        "Grid keys: see the jkenergy.sweeps.grid module.",
    )  # fmt: skip
    sweep.add_argument("scenario", help="base scenario YAML file")
    sweep.add_argument("--grid", required=True, help="grid YAML file (axes: or cases:)")
    sweep.add_argument("--out", required=True, help="store directory (resumed if it exists)")
    where = sweep.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, help="local worker processes (default: cores)")
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
    """Entry point of the ``jkenergy`` command; returns the exit code."""
    args = parser().parse_args(argv)
    level = logging.WARNING if args.quiet else logging.DEBUG if args.verbose else logging.INFO
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(message)s")
    try:
        return args.func(args)
    except (InfeasibleError, UnboundedError) as err:
        logger.error("%s", err)
        return EXIT_INFEASIBLE
    except _LimitReached as err:
        logger.error("solver stopped before optimality (%s); results written", err)
        return EXIT_LIMIT
    except (JkEnergyError, FileNotFoundError, KeyError) as err:
        # bad scenario, data or component values, unknown names, solver options HiGHS rejects
        logger.error("%s", err)
        return EXIT_BAD_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
