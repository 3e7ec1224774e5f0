"""Before/after of the LP reductions (outputs that can only be 0,
:func:`jkenergy.model.generators.zero_output`; dominated reserve-margin hours,
``jkenergy.model.adequacy._drop_dominated``) in one session: rows, columns and HiGHS solve
time of the LP with the reductions and with them switched off (the formulation before
them), alternating, ``rounds`` times each.

Run: ``python benchmarks/reduction.py national:month areas:week [rounds]``.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

import jkenergy as jk
from harness import HORIZONS, network
from jkenergy.model import adequacy, generators

_ON = (generators.zero_output, generators.zero_capacity, adequacy._drop_dominated)


def _switch(on: bool) -> None:
    if on:
        generators.zero_output, generators.zero_capacity, adequacy._drop_dominated = _ON
        adequacy.zero_capacity = _ON[1]
        return
    adequacy._drop_dominated = lambda p, x: None
    generators.zero_output = lambda x: np.zeros((len(x.generators), x.n_snapshots), bool)
    generators.zero_capacity = adequacy.zero_capacity = lambda x: np.zeros(len(x.generators), bool)


def main(cases: list[str], rounds: int) -> None:
    print("| case | LP | rows | columns | nonzeros | solve_s min | solve_s median | objective |")
    print("|---|---|---|---|---|---|---|---|")
    for case in cases:
        regions, label = case.split(":")
        net, _ = network(regions, HORIZONS[label])
        runs: dict[bool, list] = {True: [], False: []}
        for _ in range(rounds):
            for on in (False, True):
                _switch(on)
                lp = jk.solve.compile(net)
                outcome = lp.solve()
                runs[on].append((lp.shape, lp.form.matrix.nnz, outcome.solve_s, outcome.objective,
                                 lp.algorithm))  # fmt: skip
        _switch(True)
        for on in (False, True):
            (rows, cols), nnz, _, objective, algorithm = runs[on][0]
            times = [r[2] for r in runs[on]]
            label_lp = "reduced" if on else "before"
            low, mid = min(times), statistics.median(times)
            print(f"| {case} ({algorithm}) | {label_lp} | {rows:,} | {cols:,} | {nnz:,} | "
                  f"{low:.2f} | {mid:.2f} | {objective:.9e} |")  # fmt: skip


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if ":" in a]
    rounds = int(next((a for a in sys.argv[1:] if a.isdigit()), "3"))
    main(args or ["national:week"], rounds)
