r"""Storage: charging, discharging, state of charge, power and energy capacity.

Notation (per storage :math:`s`, snapshot :math:`t` of weight :math:`w_t` hours):
:math:`p^+_{s,t}` charging (MW drawn from the bus), :math:`p^-_{s,t}` dispatch (MW delivered
to the bus), :math:`e_{s,t}` state of charge at the end of :math:`t` (MWh), :math:`P_s` power
capacity, :math:`E_s` energy capacity, :math:`\eta^+`, :math:`\eta^-` store and dispatch
efficiencies, :math:`\lambda` standing loss per hour, :math:`h_s` ``max_hours``.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from .inputs import COST, POWER, ModelInputs, finite


def _energy_capacity(x: ModelInputs) -> np.ndarray:
    """Fixed energy capacity in GWh (NaN where it is a variable)."""
    s = x.storage
    tied = ~np.isnan(s.static["max_hours"])
    e = np.where(tied, s.static["max_hours"] * s.static["p_nom"], s.static["e_nom"]) * POWER
    variable = np.where(tied, s.static["p_nom_extendable"], s.static["e_nom_extendable"])
    return np.where(variable.astype(bool), np.nan, e)


def add_variables(m: pyo.ConcreteModel, x: ModelInputs) -> None:
    r"""Declare ``sto_p_store``, ``sto_p_dispatch``, ``sto_e`` and the capacity variables.

    Fixed capacities are bounds: :math:`0 \le p^\pm_{s,t} \le P_s` for a fixed
    :math:`P_s` and :math:`0 \le e_{s,t} \le E_s` for a fixed :math:`E_s`, where
    :math:`E_s = h_s P_s` if ``max_hours`` is set and ``e_nom`` otherwise.
    Extendable: :math:`\underline{P}_s \le P_s \le \overline{P}_s`,
    :math:`\underline{E}_s \le E_s \le \overline{E}_s` (energy only without ``max_hours``).
    """
    s = x.storage
    p_ext = s.static["p_nom_extendable"].astype(bool)
    tied = ~np.isnan(s.static["max_hours"])
    p_ub = np.where(p_ext, np.inf, s.static["p_nom"] * POWER).tolist()
    e_ub = np.nan_to_num(_energy_capacity(x), nan=np.inf).tolist()
    m.sto = pyo.Set(initialize=range(len(s)), ordered=True)
    m.sto_p_ext = pyo.Set(initialize=s.where("p_nom_extendable"), ordered=True)
    m.sto_e_ext = pyo.Set(
        initialize=[i for i in s.where("e_nom_extendable") if not tied[i]], ordered=True
    )
    m.sto_p_store = pyo.Var(m.sto, m.snapshot, bounds=lambda _, i, t: (0.0, finite(p_ub[i])))
    m.sto_p_dispatch = pyo.Var(m.sto, m.snapshot, bounds=lambda _, i, t: (0.0, finite(p_ub[i])))
    m.sto_e = pyo.Var(m.sto, m.snapshot, bounds=lambda _, i, t: (0.0, finite(e_ub[i])))
    p_lo, p_hi = (s.static["p_nom"] * POWER).tolist(), (s.static["p_nom_max"] * POWER).tolist()
    e_lo, e_hi = (s.static["e_nom"] * POWER).tolist(), (s.static["e_nom_max"] * POWER).tolist()
    m.sto_p_nom = pyo.Var(m.sto_p_ext, bounds=lambda _, i: (p_lo[i], finite(p_hi[i])))
    m.sto_e_nom = pyo.Var(m.sto_e_ext, bounds=lambda _, i: (e_lo[i], finite(e_hi[i])))


def add_constraints(m: pyo.ConcreteModel, x: ModelInputs) -> None:
    r"""Capacity limits of extendable storage and the state-of-charge balance.

    .. math::
        p^+_{s,t} \le P_s,\quad p^-_{s,t} \le P_s,\quad e_{s,t} \le E_s
        \quad(\text{rows only where the capacity is a variable})

        e_{s,t} = (1-\lambda_s)^{w_t} e_{s,t-1}
                  + w_t \left(\eta^+_s p^+_{s,t} - p^-_{s,t} / \eta^-_s\right)

    where :math:`e_{s,-1} = e_{s,T-1}` if ``cyclic`` and ``e_initial`` otherwise.
    """
    s = x.storage
    hours = s.static["max_hours"].tolist()
    m.sto_p_store_upper = pyo.Constraint(
        m.sto_p_ext, m.snapshot, rule=lambda m, i, t: m.sto_p_store[i, t] <= m.sto_p_nom[i]
    )
    m.sto_p_dispatch_upper = pyo.Constraint(
        m.sto_p_ext, m.snapshot, rule=lambda m, i, t: m.sto_p_dispatch[i, t] <= m.sto_p_nom[i]
    )
    tied_ext = [i for i in m.sto_p_ext if not np.isnan(hours[i])]
    m.sto_e_upper_tied = pyo.Constraint(
        pyo.Set(initialize=tied_ext, ordered=True),
        m.snapshot,
        rule=lambda m, i, t: m.sto_e[i, t] <= hours[i] * m.sto_p_nom[i],
    )
    m.sto_e_upper = pyo.Constraint(
        m.sto_e_ext, m.snapshot, rule=lambda m, i, t: m.sto_e[i, t] <= m.sto_e_nom[i]
    )

    w = x.weights
    keep = ((1.0 - s.static["standing_loss"][:, None]) ** w[None, :]).tolist()  # (1-lambda)^w_t
    eta_in = (s.static["efficiency_store"][:, None] * w[None, :]).tolist()
    eta_out = (w[None, :] / s.static["efficiency_dispatch"][:, None]).tolist()
    cyclic = s.static["cyclic"].astype(bool).tolist()
    e0 = (s.static["e_initial"] * POWER).tolist()
    last = x.n_snapshots - 1

    def soc(m, i, t):
        flows = eta_in[i][t] * m.sto_p_store[i, t] - eta_out[i][t] * m.sto_p_dispatch[i, t]
        if t > 0 or cyclic[i]:
            prev = m.sto_e[i, t - 1 if t > 0 else last]
            return m.sto_e[i, t] - keep[i][t] * prev - flows == 0
        return m.sto_e[i, t] - flows == keep[i][t] * e0[i]

    m.sto_soc = pyo.Constraint(m.sto, m.snapshot, rule=soc)


def balance_terms(m: pyo.ConcreteModel, x: ModelInputs):
    """Storage adds :math:`+p^-_{s,t} - p^+_{s,t}` at its bus."""
    terms = []
    for i, b in enumerate(x.storage.static["bus"]):
        terms += [(int(b), m.sto_p_dispatch, i, 1.0), (int(b), m.sto_p_store, i, -1.0)]
    return terms


def objective_terms(m: pyo.ConcreteModel, x: ModelInputs):
    r"""Capital cost of new power and energy capacity plus weighted dispatch cost.

    .. math::
        \sum_{s} c^{cap}_s (P_s - \underline{P}_s) + c^{E}_s (E_s - \underline{E}_s)
        + \sum_{s,t} w_t c^{mar}_s p^-_{s,t}
    """
    s = x.storage
    cap_p, cap_e = s.static["capital_cost"] * COST, s.static["capital_cost_energy"] * COST
    p_nom, e_nom = s.static["p_nom"] * POWER, s.static["e_nom"] * POWER
    op = (s.static["marginal_cost"][:, None] * x.weights * COST).tolist()
    terms = [cap_p[i] * (m.sto_p_nom[i] - p_nom[i]) for i in m.sto_p_ext if cap_p[i]]
    terms += [cap_e[i] * (m.sto_e_nom[i] - e_nom[i]) for i in m.sto_e_ext if cap_e[i]]
    terms += [op[i][t] * m.sto_p_dispatch[i, t] for i, t in m.sto_p_dispatch if op[i][t]]
    return terms
