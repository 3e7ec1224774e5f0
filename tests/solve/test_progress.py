"""Solver progress from HiGHS's log callback: records reach a hook while HiGHS runs, their
iteration counts agree with HiGHS's own counters, and a live line is drawn."""

from __future__ import annotations

import io
import itertools

import numpy as np
import pandas as pd
import pytest

import jkenergy as jk
from jkenergy.solve.progress import LogReader, Progress, ProgressLine


def _day() -> jk.Network:
    """Two days of hours, two buses, solar, gas, storage and a link: some hundreds of rows."""
    T = 48
    hours = np.arange(T)
    n = jk.Network(pd.date_range("2030", periods=T, freq="h"))
    n.add_bus("a")
    n.add_bus("b")
    n.add_load("da", bus="a", p=100 * (1 + 0.5 * np.sin(hours / 3)))
    n.add_load("db", bus="b", p=50 + 20 * np.cos(hours / 4))
    pv = np.clip(np.sin((hours - 6) / 12 * np.pi), 0, 1)
    n.add_generator("pv", bus="a", carrier="solar", p_nom_extendable=True, capital_cost=50.0,
                    p_max_pu=pv)  # fmt: skip
    n.add_generator("gas", bus="a", carrier="gas", p_nom_extendable=True, capital_cost=80.0,
                    marginal_cost=60.0)  # fmt: skip
    n.add_generator("gb", bus="b", carrier="gas", p_nom=300.0, marginal_cost=90.0)
    n.add_link("ab", bus0="a", bus1="b", p_nom_extendable=True, capital_cost=5.0,
               efficiency=0.97)  # fmt: skip
    n.add_storage("bat", bus="a", p_nom_extendable=True, capital_cost=3.0, max_hours=4,
                  efficiency_store=0.95, efficiency_dispatch=0.95)  # fmt: skip
    return n


@pytest.mark.parametrize(
    ("options", "counter"),
    [
        ({"algorithm": "simplex"}, "simplex_iteration_count"),
        ({"algorithm": "ipm", "solver": "ipx"}, "ipm_iteration_count"),
    ],
)
def test_progress_records_follow_highs_log(options, counter):
    """Presolve off, so the last iteration HiGHS logs is the last it made: the record's
    iteration equals HiGHS's counter, and its objective the final objective (no offset)."""
    records: list[Progress] = []
    lp = jk.solve.compile(_day(), presolve="off", **options)
    outcome = lp.solve(progress=records.append)
    assert outcome.termination == "optimal"
    last = records[-1]
    assert last.stage == "done" and last.elapsed_s >= 0.0
    assert last.iteration == getattr(lp.highs.getInfo(), counter) > 0
    assert last.objective == pytest.approx(outcome.objective, rel=1e-6)
    assert all(a.elapsed_s <= b.elapsed_s for a, b in itertools.pairwise(records))


def test_optimize_progress_true_draws_a_line_on_stderr(capsys):
    r = _day().optimize(algorithm="simplex", progress=True)
    assert r.is_optimal
    err = capsys.readouterr().err
    assert "HiGHS done" in err and "iteration" in err


def test_progress_and_log_together(capfd):
    records: list[Progress] = []
    r = _day().optimize(algorithm="simplex", log=True, progress=records.append)
    assert r.is_optimal and records[-1].stage == "done"
    assert "Model status" in capfd.readouterr().out  # HiGHS's full log, from C


def test_line_rewrites_itself_on_a_terminal():
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Tty()
    show = ProgressLine(out)
    show(Progress(1.0, "simplex", 10))
    show(Progress(2.0, "done", 12))
    assert out.getvalue() == (
        "\r\x1b[KHiGHS simplex   iteration 10   1.0 s\r\x1b[KHiGHS done   iteration 12   2.0 s\n"
    )


def test_line_on_a_file_is_throttled():
    out = io.StringIO()
    show = ProgressLine(out, every=10.0)
    for t in (0.0, 1.0, 9.0, 10.5, 11.0):
        show(Progress(t, "simplex"))
    show(Progress(12.0, "done"))
    assert [line.split()[-2] for line in out.getvalue().splitlines()] == ["0.0", "10.5", "12.0"]


def test_reader_stages():
    r = LogReader("simplex")
    for line in ("Presolving model", "Using dual simplex solver", "Performed postsolve"):
        r.read(line)
        assert r.snapshot(0.0).message == line
    assert r.snapshot(0.0).stage == "postsolve"
