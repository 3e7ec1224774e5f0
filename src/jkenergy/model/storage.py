r"""Storage: charging, discharging, state of charge, power and energy capacity.

Notation (per storage :math:`s`, snapshot :math:`t` of weight :math:`w_t` hours):
:math:`p^+_{s,t}` charging (MW drawn from the bus), :math:`p^-_{s,t}` dispatch (MW delivered
to the bus), :math:`e_{s,t}` state of charge at the end of :math:`t` (MWh), :math:`P_s` power
capacity, :math:`E_s` energy capacity, :math:`\eta^+`, :math:`\eta^-` store and dispatch
efficiencies, :math:`\lambda` standing loss per hour, :math:`h_s` ``max_hours``,
:math:`\Delta_t` the storage time step in hours (``Network.snapshot_durations``: the
snapshot's own length, which the weight :math:`w_t` exceeds when a snapshot also stands for
other hours, as on a week weighted to a year or a representative day standing for many).

Representative periods (``x.periods``, see :mod:`jkenergy.aggregation`): typical period
:math:`k` with snapshots :math:`t \in k`, original periods :math:`i = 0..N-1` represented by
:math:`k(i)`. With ``linked`` periods :math:`e_{s,t}` is the *intra-period* state of charge,
relative to the start of the period, and :math:`e^{\text{inter}}_{s,i}` the state of charge at
the start of original period :math:`i` (Kotzur et al. 2018). Otherwise every typical period
is cyclic on its own.
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


def _linked(x: ModelInputs) -> bool:
    return x.periods is not None and x.periods.linked


def _energy_cap(m: pyo.ConcreteModel, x: ModelInputs, i: int):
    """Energy capacity of storage ``i`` in GWh: a number or a variable expression."""
    fixed = _energy_capacity(x)[i]
    if not np.isnan(fixed):
        return float(fixed)
    hours = x.storage.static["max_hours"][i]
    return float(hours) * m.sto_p_nom[i] if not np.isnan(hours) else m.sto_e_nom[i]


def add_variables(m: pyo.ConcreteModel, x: ModelInputs) -> None:
    r"""Declare ``sto_p_store``, ``sto_p_dispatch``, ``sto_e`` and the capacity variables.

    Fixed capacities are bounds (first line), where :math:`E_s = h_s P_s` if ``max_hours``
    is set and ``e_nom`` otherwise; extendable capacities are bounded by their limits
    (second line; energy only without ``max_hours``):

    .. math::
        0 \le p^+_{s,t} \le P_s, \qquad 0 \le p^-_{s,t} \le P_s, \qquad
        0 \le e_{s,t} \le E_s \quad (\text{fixed } P_s, E_s)

        \max(\underline{P}_s, P^{min}_s) \le P_s \le \overline{P}_s, \qquad
        \underline{E}_s \le E_s \le \overline{E}_s \quad (\text{extendable})

    Linked representative periods add, per typical period :math:`k`, the highest and lowest
    intra-period level :math:`\overline{e}_{s,k}`, :math:`\underline{e}_{s,k}`, and per
    original period :math:`i` the level at its start :math:`e^{\text{inter}}_{s,i}`; the
    intra-period level :math:`e_{s,t}` may then be negative:

    .. math::
        \overline{e}_{s,k} \ge 0 \ge \underline{e}_{s,k}, \qquad
        0 \le e^{\text{inter}}_{s,i} \; (\le E_s \text{ if fixed}), \qquad
        -E_s \le e_{s,t} \le E_s \; (\text{fixed } E_s; \text{ else free})

        e^{\text{inter}}_{s,0} = e^{\text{initial}}_s \quad (\text{non-cyclic storage})
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
    linked = _linked(x)
    e_lb = [-v if linked else 0.0 for v in e_ub]
    m.sto_e = pyo.Var(m.sto, m.snapshot, bounds=lambda _, i, t: (finite(e_lb[i]), finite(e_ub[i])))
    p_lo = (s.static["p_nom_lower"] * POWER).tolist()
    p_hi = (s.static["p_nom_max"] * POWER).tolist()
    e_lo, e_hi = (s.static["e_nom"] * POWER).tolist(), (s.static["e_nom_max"] * POWER).tolist()
    m.sto_p_nom = pyo.Var(m.sto_p_ext, bounds=lambda _, i: (p_lo[i], finite(p_hi[i])))
    m.sto_e_nom = pyo.Var(m.sto_e_ext, bounds=lambda _, i: (e_lo[i], finite(e_hi[i])))
    if linked:
        per = x.periods
        assert per is not None  # _linked(x) checked it
        cyclic = s.static["cyclic"].astype(bool).tolist()
        e0 = (s.static["e_initial"] * POWER).tolist()
        m.sto_typical = pyo.RangeSet(0, per.n_typical - 1)
        m.sto_period = pyo.RangeSet(0, len(per.sequence) - 1)
        m.sto_e_max = pyo.Var(m.sto, m.sto_typical, bounds=lambda _, i, k: (0.0, finite(e_ub[i])))
        m.sto_e_min = pyo.Var(m.sto, m.sto_typical, bounds=lambda _, i, k: (finite(e_lb[i]), 0.0))

        def inter_bounds(_, i, d):
            if d == 0 and not cyclic[i]:
                return (e0[i], e0[i])
            return (0.0, finite(e_ub[i]))

        m.sto_e_inter = pyo.Var(m.sto, m.sto_period, bounds=inter_bounds)


def add_constraints(m: pyo.ConcreteModel, x: ModelInputs) -> None:
    r"""Capacity limits of extendable storage and the state-of-charge balance.

    .. math::
        p^+_{s,t} \le P_s,\quad p^-_{s,t} \le P_s,\quad e_{s,t} \le E_s
        \quad(\text{rows only where the capacity is a variable})

        e_{s,t} = (1-\lambda_s)^{\Delta_t} e_{s,t-1}
                  + \Delta_t \left(\eta^+_s p^+_{s,t} - p^-_{s,t} / \eta^-_s\right)

    where :math:`e_{s,-1} = e_{s,T-1}` if ``cyclic`` and ``e_initial`` otherwise. With
    representative periods the recursion restarts in each typical period: unlinked, the
    first snapshot follows the period's last (cyclic per period); linked, it starts from 0
    and :func:`add_inter_period` adds the rest.
    """
    s = x.storage
    hours = s.static["max_hours"].tolist()
    m.sto_p_store_upper = pyo.Constraint(
        m.sto_p_ext, m.snapshot, rule=lambda m, i, t: m.sto_p_store[i, t] <= m.sto_p_nom[i]
    )
    m.sto_p_dispatch_upper = pyo.Constraint(
        m.sto_p_ext, m.snapshot, rule=lambda m, i, t: m.sto_p_dispatch[i, t] <= m.sto_p_nom[i]
    )
    linked = _linked(x)
    tied_ext = [i for i in m.sto_p_ext if not np.isnan(hours[i]) and not linked]
    m.sto_e_upper_tied = pyo.Constraint(
        pyo.Set(initialize=tied_ext, ordered=True),
        m.snapshot,
        rule=lambda m, i, t: m.sto_e[i, t] <= hours[i] * m.sto_p_nom[i],
    )
    m.sto_e_upper = pyo.Constraint(
        pyo.Set(initialize=[] if linked else list(m.sto_e_ext), ordered=True),
        m.snapshot,
        rule=lambda m, i, t: m.sto_e[i, t] <= m.sto_e_nom[i],
    )

    d = x.durations
    keep = ((1.0 - s.static["standing_loss"][:, None]) ** d[None, :]).tolist()  # (1-lambda)^D_t
    eta_in = (s.static["efficiency_store"][:, None] * d[None, :]).tolist()
    eta_out = (d[None, :] / s.static["efficiency_dispatch"][:, None]).tolist()
    cyclic = s.static["cyclic"].astype(bool).tolist()
    e0 = (s.static["e_initial"] * POWER).tolist()
    prev = _previous(x)

    def soc(m, i, t):
        flows = eta_in[i][t] * m.sto_p_store[i, t] - eta_out[i][t] * m.sto_p_dispatch[i, t]
        p = prev[t]
        if p >= 0 and (t > 0 or cyclic[i] or x.periods is not None):
            return m.sto_e[i, t] - keep[i][t] * m.sto_e[i, p] - flows == 0
        if p == -2:  # linked periods: each typical period starts from 0
            return m.sto_e[i, t] - flows == 0
        return m.sto_e[i, t] - flows == keep[i][t] * e0[i]

    m.sto_soc = pyo.Constraint(m.sto, m.snapshot, rule=soc)
    if linked:
        add_inter_period(m, x)


def _previous(x: ModelInputs) -> list[int]:
    """Snapshot before each snapshot in the state-of-charge recursion.

    The last snapshot for the first one (used if cyclic); with periods, the period's last
    snapshot (unlinked) or -2 meaning "start from 0" (linked).
    """
    prev = np.arange(x.n_snapshots) - 1
    prev[0] = x.n_snapshots - 1
    if x.periods is not None:
        first, last = x.periods.first, x.periods.last
        prev[first] = -2 if x.periods.linked else last
    return prev.tolist()


def add_inter_period(m: pyo.ConcreteModel, x: ModelInputs) -> None:
    r"""Storage across linked representative periods (Kotzur et al. 2018).

    For typical period :math:`k` of length :math:`H_k` hours, with
    :math:`\kappa_{s,k} = (1-\lambda_s)^{H_k}`, and original periods :math:`i` in order:

    .. math::
        \underline{e}_{s,k} \le e_{s,t} \le \overline{e}_{s,k} \quad (t \in k)

        e^{\text{inter}}_{s,i+1} = \kappa_{s,k(i)} e^{\text{inter}}_{s,i}
            + e_{s,\text{last}(k(i))}
            \quad (i = N-1 \text{ wraps to } 0 \text{ if cyclic; else no row})

        e^{\text{inter}}_{s,i} + \overline{e}_{s,k(i)} \le E_s, \qquad
        \kappa_{s,k(i)} e^{\text{inter}}_{s,i} + \underline{e}_{s,k(i)} \ge 0

    The true level at snapshot :math:`t` of period :math:`i` is
    :math:`(1-\lambda_s)^{\tau_t} e^{\text{inter}}_{s,i} + e_{s,t}` with :math:`\tau_t` the
    hours since the period's start; the last two rows keep it in :math:`[0, E_s]` for every
    :math:`i` and :math:`t` (exactly without standing loss, conservatively with it).
    """
    s, per = x.storage, x.periods
    assert per is not None  # only called with linked periods
    seq = per.sequence.tolist()
    k_of_t = per.snapshot_period.tolist()
    last = per.last.tolist()
    n = len(seq)
    kappa = ((1.0 - s.static["standing_loss"][:, None]) ** per.hours[None, :]).tolist()
    cyclic = s.static["cyclic"].astype(bool).tolist()
    m.sto_e_max_def = pyo.Constraint(
        m.sto, m.snapshot, rule=lambda m, i, t: m.sto_e[i, t] <= m.sto_e_max[i, k_of_t[t]]
    )
    m.sto_e_min_def = pyo.Constraint(
        m.sto, m.snapshot, rule=lambda m, i, t: m.sto_e[i, t] >= m.sto_e_min[i, k_of_t[t]]
    )

    def chain(m, i, d):
        if d == n - 1 and not cyclic[i]:
            return pyo.Constraint.Skip
        k = seq[d]
        nxt = m.sto_e_inter[i, (d + 1) % n]
        return nxt - kappa[i][k] * m.sto_e_inter[i, d] - m.sto_e[i, last[k]] == 0

    m.sto_inter_soc = pyo.Constraint(m.sto, m.sto_period, rule=chain)
    caps = [_energy_cap(m, x, i) for i in range(len(s))]

    def upper(m, i, d):
        if isinstance(caps[i], float) and np.isinf(caps[i]):
            return pyo.Constraint.Skip
        return m.sto_e_inter[i, d] + m.sto_e_max[i, seq[d]] - caps[i] <= 0

    m.sto_inter_upper = pyo.Constraint(m.sto, m.sto_period, rule=upper)
    m.sto_inter_lower = pyo.Constraint(
        m.sto,
        m.sto_period,
        rule=lambda m, i, d: kappa[i][seq[d]] * m.sto_e_inter[i, d] + m.sto_e_min[i, seq[d]] >= 0,
    )


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
