r"""Links: transmission between buses and conversion between carriers.

Notation (per link :math:`l`, snapshot :math:`t`): :math:`f_{l,t} \ge 0` flow from ``bus0``
to ``bus1`` measured at ``bus0``, :math:`r_{l,t} \ge 0` the reverse flow measured at
``bus1`` (bidirectional links only), :math:`P_l` capacity, :math:`\eta_l` efficiency.
``bus1`` receives :math:`\eta_l f_{l,t}`; in reverse ``bus0`` receives :math:`\eta_l r_{l,t}`.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from .inputs import COST, POWER, ModelInputs, finite


def add_variables(m: pyo.ConcreteModel, x: ModelInputs) -> None:
    r"""Declare ``link_p_fwd``, ``link_p_bwd`` (bidirectional links) and ``link_p_nom``.

    Fixed one-way links have :math:`0 \le f_{l,t} \le P_l` as a bound; extendable links
    :math:`\max(\underline{P}_l, P^{min}_l) \le P_l \le \overline{P}_l` (``p_nom_min``).
    """
    k = x.links
    ext = k.static["p_nom_extendable"].astype(bool)
    ub = np.where(ext, np.inf, k.static["p_nom"] * POWER).tolist()
    m.link = pyo.Set(initialize=range(len(k)), ordered=True)
    m.link_bidi = pyo.Set(initialize=k.where("bidirectional"), ordered=True)
    m.link_ext = pyo.Set(initialize=k.where("p_nom_extendable"), ordered=True)
    m.link_p_fwd = pyo.Var(m.link, m.snapshot, bounds=lambda _, i, t: (0.0, finite(ub[i])))
    m.link_p_bwd = pyo.Var(m.link_bidi, m.snapshot, bounds=lambda _, i, t: (0.0, finite(ub[i])))
    lo, hi = (k.static["p_nom_lower"] * POWER).tolist(), (k.static["p_nom_max"] * POWER).tolist()
    m.link_p_nom = pyo.Var(m.link_ext, bounds=lambda _, i: (lo[i], finite(hi[i])))


def add_constraints(m: pyo.ConcreteModel, x: ModelInputs) -> None:
    r"""Shared capacity of bidirectional links and capacity of extendable links.

    .. math::
        f_{l,t} + r_{l,t} \le P_l \quad (\text{bidirectional}), \qquad
        f_{l,t} \le P_l \quad (\text{one-way, extendable})

    A fixed one-way link needs no row (its limit is a bound).
    """
    p_nom = (x.links.static["p_nom"] * POWER).tolist()
    bidi, ext = set(m.link_bidi), set(m.link_ext)
    rows = [i for i in m.link if i in bidi or i in ext]

    def capacity(m, i, t):
        flow = m.link_p_fwd[i, t] + (m.link_p_bwd[i, t] if i in bidi else 0)
        return flow <= (m.link_p_nom[i] if i in ext else p_nom[i])

    m.link_capacity = pyo.Constraint(
        pyo.Set(initialize=rows, ordered=True), m.snapshot, rule=capacity
    )


def balance_terms(m: pyo.ConcreteModel, x: ModelInputs):
    r"""Flows at both ends.

    ``bus0`` gets :math:`-f_{l,t} + \eta_l r_{l,t}`; ``bus1`` gets :math:`\eta_l f_{l,t} - r_{l,t}`.
    """
    k = x.links
    terms = []
    bidi = set(m.link_bidi)
    for i in range(len(k)):
        b0, b1, eta = (
            int(k.static["bus0"][i]),
            int(k.static["bus1"][i]),
            float(k.static["efficiency"][i]),
        )
        terms += [(b0, m.link_p_fwd, i, -1.0), (b1, m.link_p_fwd, i, eta)]
        if i in bidi:
            terms += [(b1, m.link_p_bwd, i, -1.0), (b0, m.link_p_bwd, i, eta)]
    return terms


def objective_terms(m: pyo.ConcreteModel, x: ModelInputs):
    r"""Capital cost of new capacity plus weighted flow cost in either direction.

    .. math::
        \sum_{l} c^{cap}_l (P_l - \underline{P}_l) + \sum_{l,t} w_t c^{mar}_l (f_{l,t} + r_{l,t})
    """
    k = x.links
    cap, p_nom = k.static["capital_cost"] * COST, k.static["p_nom"] * POWER
    op = (k.static["marginal_cost"][:, None] * x.weights * COST).tolist()
    terms = [cap[i] * (m.link_p_nom[i] - p_nom[i]) for i in m.link_ext if cap[i]]
    for var in (m.link_p_fwd, m.link_p_bwd):
        terms += [op[i][t] * var[i, t] for i, t in var if op[i][t]]
    return terms
