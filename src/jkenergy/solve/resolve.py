"""Re-solve a compiled LP with changed costs, bounds and right-hand sides, warm-started.

:class:`ParametricLP` builds and compiles the LP of a network once (through the solve
path's own :func:`~jkenergy.solve.highs.hand_over`), solves it, and then solves networks that
differ from it only in parametric values (:func:`lp_parameters`: generator and link costs,
capacities and limits, carbon prices, CO2 limits) by changing the HiGHS model in place
(``changeColsCost``, ``changeColsBounds``, ``changeRowsBounds``) and running the simplex
from the first solution's basis. Every solve starts from that same basis, so a result does
not depend on which networks were solved before it.

The map from network values to LP entries mirrors :mod:`jkenergy.model`; it is checked
against the compiled LP when a :class:`ParametricLP` is built, so a change of the model
disables re-solving (:class:`NotReusable`) rather than giving wrong answers.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..network import Network


class NotReusable(Exception):
    """The compiled LP cannot be changed in place for this structure."""


def _hooks():
    """The solve-path internals the re-solve path builds on, or None if they moved."""
    try:
        from ..model import build_model, prepare
        from ..results import build_dataset
        from .highs import _MODEL_STATUS, Result, Solution, _highs_options, hand_over, optimize
    except ImportError:
        return None
    from . import highs as solve

    default = inspect.signature(optimize).parameters["algorithm"].default
    return {
        "prepare": prepare, "build_model": build_model, "hand_over": hand_over,
        "Solution": Solution, "build_dataset": build_dataset, "Result": Result,
        "status": _MODEL_STATUS, "highs_options": _highs_options, "default_algorithm": default,
        "auto_preset": getattr(solve, "auto_preset", None),
    }  # fmt: skip


def _same(a: Any, b: Any) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return False
    try:
        return bool(np.array_equal(a, b, equal_nan=True))
    except TypeError:
        return bool(np.array_equal(a, b))


def _compatible(x0, x1) -> bool:
    """Whether two prepared inputs differ only in parametric values (same LP structure)."""
    free = {
        "generators": {
            "p_nom",
            "p_nom_min",
            "p_nom_lower",
            "p_nom_max",
            "capital_cost",
            "carbon_cost",
            "marginal_cost",
        },
        "links": {
            "p_nom",
            "p_nom_min",
            "p_nom_lower",
            "p_nom_max",
            "capital_cost",
            "marginal_cost",
        },
    }
    for name in ("buses", "loads", "generators", "storage", "links"):
        t0, t1 = getattr(x0, name), getattr(x1, name)
        if t0.names != t1.names:
            return False
        for part in ("static", "series"):
            d0, d1 = getattr(t0, part), getattr(t1, part)
            if set(d0) != set(d1):
                return False
            if any(not _same(d0[k], d1[k]) for k in d0 if k not in free.get(name, ())):
                return False
    return (
        _same(x0.weights, x1.weights)
        and _same(x0.durations, x1.durations)
        and x0.snapshots.equals(x1.snapshots)
        and _same(x0.bus_load, x1.bus_load)
        and list(x0.co2_limits.index) == list(x1.co2_limits.index)
        and list(x0.co2_limits["countries"]) == list(x1.co2_limits["countries"])
        and x0.renewable_shares.equals(x1.renewable_shares)
        and (x0.periods is None) == (x1.periods is None)
        and x0.relax == x1.relax
    )


def _positions(component, lookup: dict[int, int], shape: tuple[int, ...]) -> np.ndarray:
    out = np.full(shape, -1, dtype=np.int64)
    for k, v in component.items():
        j = lookup.get(id(v))
        if j is not None:
            out[k] = j
    return out


_COLS = ("gen_p", "gen_p_nom", "link_fwd", "link_bwd", "link_p_nom")
_ROWS = ("link_cap", "co2")


def lp_parameters(x) -> dict[str, Any]:
    r"""Costs, bounds and right-hand sides of the parametric LP entries, from model inputs.

    Mirrors :mod:`jkenergy.model` (scaled units): for generator :math:`g` and snapshot
    :math:`t`, cost of :math:`p_{g,t}` is :math:`w_t (c^{mar}_{g,t} + \tau e_g)`, its bounds
    :math:`[\underline{\pi} P, \overline{\pi} P]` (fixed) or :math:`[0, \infty)`
    (extendable); :math:`P_g` costs :math:`c^{cap}_g` within :math:`[P^{nom}, P^{max}]`
    and adds :math:`-c^{cap}_g P^{nom}_g` to the objective's constant; likewise for links
    (fixed flows bounded by :math:`P_l`, bidirectional capacity rows :math:`\le P_l`); CO2
    rows :math:`\le L`. Entries that do not exist in the model are NaN. The map is checked
    against the compiled LP before it is used (:class:`ParametricLP`).
    """
    from ..model.inputs import CO2, COST, POWER

    g, k, w = x.generators, x.links, x.weights
    nan = np.nan
    ext = g.static["p_nom_extendable"].astype(bool)
    pnom = g.static["p_nom"].astype(float) * POWER
    col = ext[:, None]
    out: dict[str, Any] = {
        "gen_p_cost": (g.series["marginal_cost"] + g.static["carbon_cost"][:, None]) * w * COST,
        "gen_p_lower": np.where(col, 0.0, g.series["p_min_pu"] * pnom[:, None]),
        "gen_p_upper": np.where(col, np.inf, g.series["p_max_pu"] * pnom[:, None]),
        "gen_p_nom_cost": np.where(ext, g.static["capital_cost"] * COST, nan),
        "gen_p_nom_lower": np.where(ext, g.static["p_nom_lower"] * POWER, nan),
        "gen_p_nom_upper": np.where(ext, g.static["p_nom_max"] * POWER, nan),
    }
    offset = -float(np.sum((g.static["capital_cost"] * COST * pnom)[ext]))
    lext = k.static["p_nom_extendable"].astype(bool)
    bidi = k.static["bidirectional"].astype(bool)
    lnom = k.static["p_nom"].astype(float) * POWER
    T = x.n_snapshots
    ub = np.broadcast_to(np.where(lext, np.inf, lnom)[:, None], (len(k), T))
    flow_cost = k.static["marginal_cost"][:, None] * w * COST
    out.update({
        "link_fwd_cost": flow_cost,
        "link_fwd_lower": np.zeros((len(k), T)),
        "link_fwd_upper": ub,
        "link_bwd_cost": np.where(bidi[:, None], flow_cost, nan),
        "link_bwd_lower": np.where(bidi[:, None], np.zeros((len(k), T)), nan),
        "link_bwd_upper": np.where(bidi[:, None], ub, nan),
        "link_p_nom_cost": np.where(lext, k.static["capital_cost"] * COST, nan),
        "link_p_nom_lower": np.where(lext, k.static["p_nom_lower"] * POWER, nan),
        "link_p_nom_upper": np.where(lext, k.static["p_nom_max"] * POWER, nan),
        "link_cap_upper": np.broadcast_to(
            np.where(lext, 0.0, np.where(bidi, lnom, nan))[:, None], (len(k), T)
        ),
        "co2_upper": x.co2_limits["limit"].to_numpy(dtype=float) * CO2,
    })  # fmt: skip
    offset -= float(np.sum((k.static["capital_cost"] * COST * lnom)[lext]))
    out["offset"] = offset
    return out


class ParametricLP:
    """One compiled LP whose parametric entries are changed in place between solves.

    Built from a network (the structural base of a group of cases): the Pyomo model is
    compiled and handed to HiGHS once, the map of parametric entries (:func:`lp_parameters`)
    is checked against the compiled LP, and the base is solved once to get a basis. Each
    :meth:`solve` then updates only the entries that differ and runs the simplex from that
    basis (``warm_start``) or the configured algorithm from scratch.

    Raises
    ------
    NotReusable
        If the solve path's internals are not available or the map disagrees with the LP.
    """

    def __init__(self, network: Network, options: Mapping[str, Any], warm_start: bool = True):
        hooks = _hooks()
        if hooks is None:
            raise NotReusable("the solve path's internals (solve.highs.hand_over, ...) moved")
        start = time.perf_counter()
        self.hooks = hooks
        opts = dict(options)
        algorithm = opts.pop("algorithm", hooks["default_algorithm"])
        self.algorithm = algorithm
        self.options = hooks["highs_options"](
            algorithm, opts.pop("threads", None), opts.pop("time_limit", None),
            {k: v for k, v in opts.items() if k != "log"},
        )  # fmt: skip
        self.network = network
        self.x = hooks["prepare"](network)
        self.model = hooks["build_model"](self.x)
        self.lp = hooks["hand_over"](self.model)
        if algorithm == "auto" and hooks["auto_preset"] is not None:  # as optimize() picks it
            self.options = {**hooks["auto_preset"](self.lp.shape[1])[1], **self.options}
        m, x = self.model, self.x
        col = {id(v): j for j, v in enumerate(self.lp.columns)}
        row = {id(c): r for r, c in enumerate(self.lp.rows)}
        G, L, T = len(x.generators), len(x.links), x.n_snapshots
        index = {
            "gen_p": _positions(m.gen_p, col, (G, T)),
            "gen_p_nom": _positions(m.gen_p_nom, col, (G,)),
            "link_fwd": _positions(m.link_p_fwd, col, (L, T)),
            "link_bwd": _positions(m.link_p_bwd, col, (L, T)),
            "link_p_nom": _positions(m.link_p_nom, col, (L,)),
            "link_cap": _positions(m.link_capacity, row, (L, T)),
            "co2": _positions(m.co2_cap, row, (len(x.co2_limits),)),
        }
        self.index = {k: v.ravel() for k, v in index.items()}
        held = self.lp.highs.getLp()
        self.base = lp_parameters(self.x)
        self.offset0 = float(held.offset_)
        self.cols, self.rows = self._flat(self.base)
        self._check(held)
        self.current = self.base
        self.row_lower = np.asarray(held.row_lower_, dtype=float)[self.rows[0]]
        self.basis = None
        self.base_solve_s = 0.0
        if warm_start:
            t = time.perf_counter()
            status, _ = self._run(self.options, None)
            self.base_solve_s = time.perf_counter() - t
            if status == "optimal":
                self.basis = self.lp.highs.getBasis()
        self.setup_s = time.perf_counter() - start

    def _flat(self, params):
        """(column positions, cost, lower, upper), (row positions, upper) over the entries
        that exist in the LP."""
        cols = [[], [], [], []]
        for name in _COLS:
            pos = self.index[name]
            keep = pos >= 0
            cols[0].append(pos[keep])
            for i, kind in enumerate(("cost", "lower", "upper"), start=1):
                cols[i].append(np.ravel(params[f"{name}_{kind}"])[keep])
        rows = [[], []]
        for name in _ROWS:
            pos = self.index[name]
            keep = pos >= 0
            rows[0].append(pos[keep])
            rows[1].append(np.ravel(params[f"{name}_upper"])[keep])
        return [np.concatenate(c) for c in cols], [np.concatenate(r) for r in rows]

    def _check(self, held) -> None:
        pos, cost, lower, upper = self.cols
        rpos, rupper = self.rows
        checks = {
            "column costs": (np.asarray(held.col_cost_)[pos], cost),
            "column lower bounds": (np.asarray(held.col_lower_)[pos], lower),
            "column upper bounds": (np.asarray(held.col_upper_)[pos], upper),
            "row upper bounds": (np.asarray(held.row_upper_)[rpos], rupper),
            "row lower bounds": (np.asarray(held.row_lower_)[rpos], np.full(len(rpos), -np.inf)),
        }
        for what, (lp_value, ours) in checks.items():
            if not np.allclose(lp_value, ours, rtol=1e-9, atol=1e-12, equal_nan=False):
                raise NotReusable(
                    f"the parametric map disagrees with the compiled LP ({what}); "
                    "jkenergy.model changed: update jkenergy.sweeps.run.lp_parameters"
                )

    def _missing_changed(self, params) -> bool:
        """Whether an entry absent from the LP would have to change (needs a rebuild)."""
        for name in (*_COLS, *_ROWS):
            absent = self.index[name] < 0
            if not absent.any():
                continue
            kinds = ("upper",) if name in _ROWS else ("cost", "lower", "upper")
            for kind in kinds:
                new = np.ravel(params[f"{name}_{kind}"])[absent]
                old = np.ravel(self.base[f"{name}_{kind}"])[absent]
                if not _same(new, old):
                    return True
        return False

    def _update(self, params) -> None:
        h = self.lp.highs
        cols, rows = self._flat(params)
        old_cols, old_rows = self._flat(self.current)
        pos = cols[0].astype(np.int32)
        changed = cols[1] != old_cols[1]
        if changed.any():
            h.changeColsCost(int(changed.sum()), pos[changed], cols[1][changed])
        changed = (cols[2] != old_cols[2]) | (cols[3] != old_cols[3])
        if changed.any():
            h.changeColsBounds(int(changed.sum()), pos[changed], cols[2][changed], cols[3][changed])
        changed = rows[1] != old_rows[1]
        if changed.any():
            rpos = rows[0].astype(np.int32)
            h.changeRowsBounds(
                int(changed.sum()), rpos[changed], self.row_lower[changed], rows[1][changed]
            )
        h.changeObjectiveOffset(self.offset0 + params["offset"] - self.base["offset"])
        self.current = params

    def _run(self, options: Mapping[str, Any], basis) -> tuple[str, bool]:
        h = self.lp.highs
        h.clearSolver()
        if basis is not None:
            h.setBasis(basis)
        for key, value in options.items():
            h.setOptionValue(key, value)
        h.run()
        term = self.hooks["status"].get(h.getModelStatus().name, "unknown")
        feasible = term == "optimal" or h.getInfo().primal_solution_status == 2
        return term, feasible

    def solve(self, network: Network):
        """Solve ``network`` (the base plus parametric changes) in place.

        Returns
        -------
        jkenergy.Result or None
            None if the network's LP differs in structure, or if the solve did not end
            with a solution (the caller then solves it the ordinary way, which diagnoses).
        """
        from ..model.inputs import MONEY

        start = time.perf_counter()
        x = self.hooks["prepare"](network)
        if not _compatible(self.x, x):
            return None
        params = lp_parameters(x)
        if self._missing_changed(params):
            return None
        self._update(params)
        options = dict(self.options)
        if self.basis is not None:
            options["solver"] = "simplex"
        update_s = time.perf_counter() - start
        start = time.perf_counter()
        term, feasible = self._run(options, self.basis)
        solve_s = time.perf_counter() - start
        if not feasible or term not in ("optimal", "time_limit", "iteration_limit"):
            return None
        start = time.perf_counter()
        objective = float(self.lp.highs.getObjectiveValue()) / MONEY
        sol = self.hooks["Solution"](self.lp)
        dataset = self.hooks["build_dataset"](network, x, self.model, sol, objective)
        stats = {
            "build_s": update_s, "handover_s": 0.0, "solve_s": solve_s,
            "extraction_s": time.perf_counter() - start,
            "rows": float(self.lp.shape[0]), "columns": float(self.lp.shape[1]),
        }  # fmt: skip
        status = "ok" if term == "optimal" else "warning"
        dataset.attrs.update(
            status=status, termination_condition=term,
            algorithm="simplex (warm start)" if self.basis is not None else self.algorithm,
            solver=f"HiGHS {self.lp.highs.version()}",
            **{f"stats_{k}": v for k, v in stats.items()},
        )  # fmt: skip
        return self.hooks["Result"](status, term, objective, dataset, stats)
