"""Infeasibility diagnosis: re-solve with slack on every balance and policy and say what
falls short."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InfeasibleError, UnboundedError
from ..model import build_model, prepare
from ..model.inputs import CO2, POWER
from .handover import Solution, _run

if TYPE_CHECKING:
    from ..network import Network


def _diagnose(network: Network, options: dict[str, Any], term: str) -> None:
    """Re-solve with slack on every balance and policy and raise with what falls short."""
    x = prepare(network, relax=True)
    model = build_model(x)
    lp, _, incumbent, _, _ = _run(
        model, {**options, "time_limit": options.get("time_limit", 600.0)}, False
    )
    if incumbent is None:
        raise InfeasibleError(f"optimize: HiGHS reported the model {term}; diagnosis failed")
    sol = Solution(lp)
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
