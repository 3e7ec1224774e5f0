"""Where the LP's size goes: rows, columns and nonzeros per Pyomo component (summed over
buses) and what HiGHS's presolve removes, for the benchmark networks.

Run: ``python benchmarks/lp_size.py national:week national:month areas:week`` (prints
markdown tables; ``--by-bus`` adds the per-bus split of the largest families).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import jkenergy as jk
from harness import HORIZONS, network


def main(cases: list[str], by_bus: bool = False) -> None:
    for case in cases:
        regions, label = case.split(":")
        net, _ = network(regions, HORIZONS[label])
        lp = jk.solve.compile(net, algorithm="simplex")
        size = jk.solve.lp_size(lp)
        pre = jk.solve.presolve_size(lp)
        print(f"\n### {regions} {label} ({HORIZONS[label]} h)\n")
        print(
            f"{pre['rows']:,} rows x {pre['columns']:,} columns, {pre['nonzeros']:,} nonzeros; "
            f"after HiGHS presolve {pre['presolved_rows']:,} x {pre['presolved_columns']:,}, "
            f"{pre['presolved_nonzeros']:,} nonzeros ({pre['status']}, {pre['presolve_s']:.2f} s)\n"
        )
        total = size.groupby("kind")[["entries", "nonzeros"]].sum()
        families = size.groupby(["kind", "name"], sort=False)[["entries", "nonzeros"]].sum()
        print("| kind | name | entries | share | nonzeros |")
        print("|---|---|---|---|---|")
        for (kind, name), row in families.iterrows():
            share = 100 * row["entries"] / total.loc[kind, "entries"]
            print(f"| {kind} | {name} | {row['entries']:,} | {share:.1f} % | {row['nonzeros']:,} |")
        if by_bus:
            print("\n| kind | name | bus | entries | nonzeros |\n|---|---|---|---|---|")
            for line in size.head(40).itertuples():
                print(f"| {line.kind} | {line.name} | {line.bus} | {line.entries:,} | "
                      f"{line.nonzeros:,} |")  # fmt: skip


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(args or ["national:week"], by_bus="--by-bus" in sys.argv)
