"""Command line: jkenergy run | compare | sweep | info.

Exit codes: 0 success, 2 bad input, 3 infeasible or unbounded model, 4 solver limit
reached (time or iteration limit; results of the best solution found are still written).
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import hashlib
import json
import logging
import sys
import textwrap
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
import yaml

from . import __version__, analysis
from .errors import DataError, InfeasibleError, JkEnergyError, UnboundedError
from .results import open_results, provenance
from .scenario import Scenario, ScenarioError, load_scenario

logger = logging.getLogger("jkenergy")

EXIT_OK, EXIT_BAD_INPUT, EXIT_INFEASIBLE, EXIT_LIMIT = 0, 2, 3, 4
RESULT_FILE = "result.nc"
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


def summary(ds: xr.Dataset) -> pd.DataFrame:
    """One row per country: system cost, emissions, CO2 price, renewables, hydrogen."""
    parts = [
        analysis.country_costs(ds)[["system cost [USD]"]],
        analysis.emissions(ds),
        analysis.renewables(ds)[["renewable share [-]", "curtailment [MWh]"]],
        analysis.hydrogen(ds).add_prefix("H2 "),
    ]
    return pd.concat(parts, axis=1).rename(columns=COLUMN_NAMES)


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
def _solve(scenario: Scenario, out: Path, args: argparse.Namespace) -> xr.Dataset:
    if args.full_year:
        scenario = scenario.model_copy(update={"time": scenario.time.model_copy(
            update={"resample": None, "representative_days": None, "hours": None})})  # fmt: skip
    start = time.perf_counter()
    logger.info("scenario %r: building", scenario.name)
    with _stage(f"scenario {scenario.name!r}: building and solving", args.quiet):
        result = scenario.solve()
    logger.info(
        "scenario %r: %s in %.1f s (build %.1f s, hand-over %.1f s, HiGHS %.1f s, %d rows)",
        scenario.name, result.termination_condition, time.perf_counter() - start,
        result.stats["build_s"], result.stats["handover_s"], result.stats["solve_s"],
        result.stats["rows"],
    )  # fmt: skip
    if result.dataset is not None:
        out.mkdir(parents=True, exist_ok=True)
        result.dataset.attrs.update(_provenance(scenario))
        _write_scenario(scenario, out)
        result.to_netcdf(out / RESULT_FILE)
        readable(summary(result.dataset), digits=None).to_csv(out / "summary.csv")
        if scenario.baseline is None:  # with a baseline, _report draws them against it
            _figures({scenario.name: result.dataset}, scenario.name, None, out / "figures")
        logger.info("scenario %r: wrote %s", scenario.name, out)
    if not result.is_optimal:
        raise _LimitReached(result.termination_condition)
    return result.dataset


def _figures(results: Mapping[str, xr.Dataset], name: str, baseline: str | None, out: Path) -> None:
    from . import plot

    with _stage(f"scenario {name!r}: drawing figures", quiet=True):
        for path in plot.save_run(results, name, baseline, out):
            logger.debug("wrote %s", path)


class _LimitReached(Exception):
    pass


def cmd_run(args: argparse.Namespace) -> int:
    if len(args.scenario) > 1:
        return _run_many(args)
    scenario = load_scenario(args.scenario[0])
    out = Path(args.out)
    results = {scenario.name: _solve(scenario, out, args)}
    baseline = scenario.baseline_scenario()
    if baseline is not None:
        results = {baseline.name: _solve(baseline, out / "baseline", args), **results}
        _report(results, scenario.name, baseline.name, out, args.wide)
    else:
        _print_summary(scenario.name, results[scenario.name], args.wide)
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
            solved[scenario.path] = _solve(scenario, out / scenario.path.stem, args)
        return solved[scenario.path]

    for scenario in scenarios:
        baseline = scenario.baseline_scenario()
        if baseline is not None:
            results = {baseline.name: solve_once(baseline), scenario.name: solve_once(scenario)}
            _report(results, scenario.name, baseline.name, out / scenario.path.stem, args.wide)
        else:
            solve_once(scenario)
    print(f"\nPer country, results in {out}/<scenario file>/\n")
    tables = {s.name: summary(solved[s.path]) for s in scenarios}
    table = pd.concat(tables, names=["scenario"])
    print(_render(table, wide=args.wide))
    print(PRICES_EXPLAINED)
    return EXIT_OK


# ----------------------------------------------------------------------------- answer first
def _report(
    results: dict[str, xr.Dataset], name: str, baseline: str, out: Path, wide: bool
) -> None:
    """Verdict, the cooperation table (80 columns unless ``wide``), CSV and figures."""
    table = analysis.cooperation_table(results, baseline=baseline)
    readable(table, digits=None).to_csv(out / "cooperation.csv")
    _figures(results, name, baseline, out / "figures")
    print()
    print("\n".join(verdict(results[baseline], results[name], name, baseline)))
    print(_heading(f"Cooperation: {name} against {baseline}{_per(results[name])}"))
    if wide:
        print(readable(table).to_string())
    else:
        print(_render(_cooperation_view(table.loc[name], baseline), wide=False))
    print(_heading(f"{name}: per country{_per(results[name])}"))
    print(_render(summary(results[name]), wide=wide))
    print(PRICES_EXPLAINED)


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
    results, folders = {}, {}
    for directory in args.dirs:
        path = Path(directory) / RESULT_FILE
        if not path.is_file():
            raise FileNotFoundError(f"compare: {path} not found (run 'jkenergy run' first)")
        ds = open_results(path).dataset
        name = str(ds.attrs.get("scenario_name", Path(directory).resolve().name))
        name = name if name not in results else str(Path(directory).resolve().name)
        results[name], folders[Path(directory).resolve().name] = ds, name
    baseline = folders.get(args.baseline, args.baseline) or next(iter(results))
    if baseline not in results:
        raise KeyError(f"compare: baseline {baseline!r} is none of {list(results)}")
    table = analysis.cooperation_table(results, baseline=baseline)
    for name, ds in results.items():
        if name == baseline:
            continue
        print("\n".join(verdict(results[baseline], ds, name, baseline)))
        if not args.wide:
            print()
            print(_render(_cooperation_view(table.loc[name], baseline), wide=False))
            print()
        if args.figures:
            _figures({baseline: results[baseline], name: ds}, name, baseline,
                     Path(args.figures) / name)  # fmt: skip
    if args.wide:
        print(readable(table).to_string())
    if args.out:
        readable(table, digits=None).to_csv(args.out)
    return EXIT_OK


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


def _common() -> argparse.ArgumentParser:
    """-q/-v/--version, accepted before or after the command."""
    common = argparse.ArgumentParser(add_help=False)
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
    run.set_defaults(func=cmd_run)

    compare = sub.add_parser(
        "compare", parents=[common], help="answer and cooperation table of result directories"
    )
    compare.add_argument("dirs", nargs="+", help="directories written by 'jkenergy run'")
    compare.add_argument(
        "--baseline", help="scenario or directory name of the baseline; default the first"
    )
    compare.add_argument("--out", help="also write the table to this CSV file")
    compare.add_argument("--figures", help="write the comparison figures into this directory")
    compare.add_argument("--wide", action="store_true", help="print the full table")
    compare.set_defaults(func=cmd_compare)

    sweep = sub.add_parser(
        "sweep", parents=[common],
        help="solve a grid of cases of a scenario; one NetCDF per case, resumable",
        epilog="Exit code 5: some cases failed (recorded in the store with their error). "
        "Grid keys: see the module jkenergy.sweeps.grid.",
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

    info = sub.add_parser(
        "info", parents=[common], help="versions and data set, or what produced a result"
    )
    info.add_argument("result", nargs="?", help="a result.nc (or its folder): print its provenance")
    info.set_defaults(func=cmd_info)
    return p


def _configure_logging(args: argparse.Namespace) -> None:
    """jkenergy's messages at the level asked for; other libraries' at WARNING (``-v`` must
    not print Pyomo's internals)."""
    level = logging.WARNING if args.quiet else logging.DEBUG if args.verbose else logging.INFO
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s")
    logger.setLevel(level)
    for name in ("pyomo", "matplotlib", "h5py", "fsspec", "numba"):
        logging.getLogger(name).setLevel(logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``jkenergy`` command; returns the exit code."""
    args = parser().parse_args(argv)
    _configure_logging(args)
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
