"""Infeasibility diagnosis: re-solve with slack on every balance and policy and say what
falls short."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from ..errors import InfeasibleError, UnboundedError
from ..model.inputs import CO2, POWER
from .compiled import CompiledLP
from .handover import Solution
from .options import SolverOptions

if TYPE_CHECKING:
    from ..network import Network


def diagnose(network: Network, options: SolverOptions, term: str) -> None:
    """Re-solve with slack on every balance and policy and raise with what falls short.

    Called when HiGHS reports the LP infeasible (or infeasible or unbounded). The relaxed LP
    (:func:`~jkenergy.model.prepare` with ``relax=True``) minimises the weighted slack; its
    nonzero slacks say which bus balances and policies cannot be met, where and by how much.

    Raises
    ------
    InfeasibleError
        Naming the buses and snapshots that fall short, and the policies that cannot be met.
    UnboundedError
        If every balance and policy can be met and HiGHS could not tell infeasible from
        unbounded: then it is unbounded.

    Examples
    --------
    >>> import pandas as pd
    >>> import jkenergy as jk
    >>> n = jk.Network(pd.date_range("2030", periods=1, freq="h"))
    >>> n.add_bus("JP")
    >>> n.add_load("d", bus="JP", p=10.0)
    >>> n.add_generator("g", bus="JP", carrier="gas", p_nom=4.0)
    >>> diagnose(n, SolverOptions(algorithm="simplex"), "infeasible")
    Traceback (most recent call last):
    ...
    jkenergy.errors.InfeasibleError: optimize: HiGHS reported the model infeasible. Re-solved with slack on every bus balance and policy, the model falls short here:
      bus 'JP' is short of supply in 1 snapshot(s), up to 6 MW: 2030-01-01 00:00:00
    """  # noqa: E501
    time_limit = options.time_limit if options.time_limit is not None else 600.0
    lp = CompiledLP(network, options.model_copy(update={"time_limit": time_limit}), relax=True)
    if math.isnan(lp.solve().objective):
        raise InfeasibleError(f"optimize: HiGHS reported the model {term}; diagnosis failed")
    x, model = lp.inputs, lp.model
    sol = Solution(lp.handover)
    shape = (len(x.buses), x.n_snapshots)
    short = sol.values(model.slack_short, shape) / POWER
    surplus = sol.values(model.slack_surplus, shape) / POWER
    lines = []
    for label, arr in (("short of supply", short), ("with surplus it cannot absorb", surplus)):
        for b in np.flatnonzero(arr.max(axis=1) > 1e-6):
            ts = np.flatnonzero(arr[b] > 1e-6)
            when = ", ".join(str(x.snapshots[t]) for t in ts[:5]) + (" ..." if len(ts) > 5 else "")
            lines.append(
                f"bus {x.buses.names[b]!r} is {label} in {len(ts)} snapshot(s), up to "
                f"{arr[b].max():.6g} MW: {when}"
            )
    co2 = sol.values(model.slack_co2, (len(x.co2_limits),)) / CO2
    for c in np.flatnonzero(co2 > 1e-6):
        lines.append(f"co2_limit {x.co2_limits.index[c]!r} cannot be met: {co2[c]:.6g} tCO2 over")
    res_short = sol.values(model.slack_res, (len(x.renewable_shares),)) / POWER
    for r in np.flatnonzero(res_short > 1e-6):
        lines.append(
            f"renewable_share {x.renewable_shares.index[r]!r} cannot be met: "
            f"{res_short[r]:.6g} MWh short"
        )
    rm_short = sol.values(model.slack_rm, (len(x.reserve_margins), x.n_snapshots)) / POWER
    for r in np.flatnonzero(rm_short.max(axis=1, initial=0.0) > 1e-6):
        t = int(np.argmax(rm_short[r]))
        lines.append(
            f"reserve_margin {x.reserve_margins.index[r]!r} cannot be met: firm capacity "
            f"{rm_short[r, t]:.6g} MW short at {x.snapshots[t]}"
        )
    if not lines:
        if term == "infeasible_or_unbounded":
            raise UnboundedError(
                "optimize: HiGHS reported the model infeasible or unbounded, and every balance "
                "and policy can be met, so it is unbounded: look for a negative marginal_cost "
                "on a component whose output is not capped (extendable with p_nom_max=inf)."
            )
        raise InfeasibleError(
            f"optimize: HiGHS reported the model {term}, but every balance and policy can be "
            "met with zero slack; check storage e_initial against its capacity"
        )
    raise InfeasibleError(
        f"optimize: HiGHS reported the model {term}. Re-solved with slack on every bus "
        "balance and policy, the model falls short here:\n  " + "\n  ".join(lines)
    )
