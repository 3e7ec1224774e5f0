"""Tables and the solve-time plot from saved pytest-benchmark JSON files.

Usage::

    python benchmarks/report.py benchmarks/results/*.json [--plot benchmarks/solve_time.png]

Every row comes from a case's ``extra_info``; when several files hold the same case, the
last file given wins.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

COLUMNS = {
    "horizons": ["hours", "regions", "rows", "columns", "build_s", "handover_s", "solve_s",
                 "extraction_s", "total_s", "overhead_pct", "peak_mb", "objective"],
    "solvers": ["hours", "algorithm", "solve_s", "total_s", "objective"],
    "handover": ["hours", "path", "build_s", "handover_s"],
    "aggregation": ["hours", "n_days", "aggregate_s", "total_s", "full_total_s", "speedup",
                    "objective_error_pct", "capacity_error_pct", "capacity_worst"],
    "pypsa": ["hours", "total_s", "pypsa_s", "ratio", "objective", "pypsa_objective",
              "objective_rel_diff", "peak_mb", "pypsa_peak_mb"],
}  # fmt: skip
FILES = {
    "test_bench_horizons": "horizons",
    "test_bench_solvers": "solvers",
    "test_bench_handover": "handover",
    "test_bench_aggregation": "aggregation",
    "test_bench_pypsa": "pypsa",
}


def load(paths: list[str]) -> dict[str, dict[str, dict]]:
    """Rows by table and case name."""
    tables: dict[str, dict[str, dict]] = {t: {} for t in COLUMNS}
    for path in paths:
        for bench in json.loads(Path(path).read_text())["benchmarks"]:
            module = Path(bench["fullname"].split("::")[0]).stem
            if module in FILES and bench["extra_info"]:
                tables[FILES[module]][bench["name"]] = bench["extra_info"]
    return tables


def _cell(value) -> str:
    if isinstance(value, float):
        if abs(value) >= 1e6:
            return f"{value:.6e}"
        return f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"
    return str(value)


def markdown(rows: dict[str, dict], columns: list[str]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    ordered = sorted(rows.values(), key=lambda r: (str(r.get("regions", "")), r.get("hours", 0),
                                                   str(r.get("algorithm", r.get("path", ""))),
                                                   r.get("n_days", 0)))  # fmt: skip
    for row in ordered:
        lines.append("| " + " | ".join(_cell(row.get(c, "")) for c in columns) + " |")
    return "\n".join(lines)


def plot(rows: dict[str, dict], path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for regions in ("national", "areas"):
        pts = sorted((r["hours"], r["solve_s"]) for r in rows.values() if r["regions"] == regions)
        if pts:
            ax.loglog(*zip(*pts, strict=True), "o-", label=f"{regions}: HiGHS solve")
        pts = sorted(
            (r["hours"], r["build_s"] + r["handover_s"] + r["extraction_s"])
            for r in rows.values() if r["regions"] == regions
        )  # fmt: skip
        if pts:
            ax.loglog(*zip(*pts, strict=True), "x--", label=f"{regions}: build+hand-over+extract")
    ax.set_xlabel("horizon (hourly snapshots)")
    ax.set_ylabel("seconds")
    ax.set_title('jkenergy: time against horizon (2 cores, algorithm="auto")')
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--plot", help="write the solve-time plot here (PNG)")
    args = parser.parse_args()
    tables = load(args.files)
    for name, rows in tables.items():
        if rows:
            print(f"\n### {name}\n\n{markdown(rows, COLUMNS[name])}")
    if args.plot and tables["horizons"]:
        plot(tables["horizons"], args.plot)


if __name__ == "__main__":
    main()
