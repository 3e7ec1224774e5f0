r"""Generators: output, optional capacity expansion, operating and carbon cost.

Notation (per generator :math:`g`, snapshot :math:`t` of weight :math:`w_t` hours):
:math:`p_{g,t}` output (MW), :math:`P_g` capacity (MW), :math:`\underline{P}_g` = ``p_nom``,
:math:`\overline{P}_g` = ``p_nom_max``, :math:`\overline{\pi}_{g,t}` = ``p_max_pu``,
:math:`\underline{\pi}_{g,t}` = ``p_min_pu``. Per-unit values below
:data:`~jkenergy.model.inputs.PU_TOLERANCE` (1e-4) are taken as 0.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from .inputs import COST, POWER, ModelInputs, finite


def add_variables(m: pyo.ConcreteModel, x: ModelInputs) -> None:
    r"""Declare ``gen_p[g, t]`` and, for extendable generators, ``gen_p_nom[g]``.

    Fixed limits are bounds, not rows: for a non-extendable generator (first line) and
    an extendable one (second line)

    .. math::
        \underline{\pi}_{g,t} \underline{P}_g \le p_{g,t}
        \le \overline{\pi}_{g,t} \underline{P}_g \quad (g \notin G^{ext})

        p_{g,t} \ge 0, \qquad \max(\underline{P}_g, P^{min}_g) \le P_g \le \overline{P}_g
        \quad (g \in G^{ext})

    with :math:`P^{min}_g` = ``p_nom_min`` (capacity that must be built).
    """
    g = x.generators
    ext = g.static["p_nom_extendable"].astype(bool)
    p_nom = g.static["p_nom"][:, None] * POWER
    lower = np.where(ext[:, None], 0.0, g.series["p_min_pu"] * p_nom).tolist()
    upper = np.where(ext[:, None], np.inf, g.series["p_max_pu"] * p_nom).tolist()
    m.gen = pyo.Set(initialize=range(len(g)), ordered=True)
    m.gen_ext = pyo.Set(initialize=g.where("p_nom_extendable"), ordered=True)
    m.gen_p = pyo.Var(m.gen, m.snapshot, bounds=lambda _, i, t: (lower[i][t], finite(upper[i][t])))
    nom_lo = (g.static["p_nom_lower"] * POWER).tolist()
    nom_hi = (g.static["p_nom_max"] * POWER).tolist()
    m.gen_p_nom = pyo.Var(m.gen_ext, bounds=lambda _, i: (nom_lo[i], finite(nom_hi[i])))


def add_constraints(m: pyo.ConcreteModel, x: ModelInputs) -> None:
    r"""Output limits of extendable generators.

    .. math::
        p_{g,t} \le \overline{\pi}_{g,t} P_g, \qquad
        p_{g,t} \ge \underline{\pi}_{g,t} P_g \quad (\text{only where } \underline{\pi}_{g,t} > 0)
    """
    g = x.generators
    pmax = g.series["p_max_pu"].tolist()
    pmin = g.series["p_min_pu"]
    m.gen_p_upper = pyo.Constraint(
        m.gen_ext, m.snapshot, rule=lambda m, i, t: m.gen_p[i, t] - pmax[i][t] * m.gen_p_nom[i] <= 0
    )
    lower_idx = [(i, t) for i in m.gen_ext for t in np.flatnonzero(pmin[i] > 0).tolist()]
    pmin_l = pmin.tolist()
    m.gen_p_lower = pyo.Constraint(
        pyo.Set(initialize=lower_idx, dimen=2, ordered=True) if lower_idx else pyo.Set(dimen=2),
        rule=lambda m, i, t: m.gen_p[i, t] - pmin_l[i][t] * m.gen_p_nom[i] >= 0,
    )


def balance_terms(m: pyo.ConcreteModel, x: ModelInputs):
    """Each generator injects :math:`+p_{g,t}` at its bus."""
    return [(int(b), m.gen_p, i, 1.0) for i, b in enumerate(x.generators.static["bus"])]


def objective_terms(m: pyo.ConcreteModel, x: ModelInputs):
    r"""Capital cost of new capacity plus weighted operating and carbon cost.

    .. math::
        \sum_{g \in \text{ext}} c^{cap}_g (P_g - \underline{P}_g)
        + \sum_{g,t} w_t \,(c^{mar}_{g,t} + \tau_{c(g)} e_g)\, p_{g,t}

    with :math:`\tau_c` the carbon price of the generator's country and :math:`e_g` its
    CO2 intensity.
    """
    g = x.generators
    cap = g.static["capital_cost"] * COST
    p_nom = g.static["p_nom"] * POWER
    op = (
        (g.series["marginal_cost"] + g.static["carbon_cost"][:, None]) * x.weights * COST
    ).tolist()
    terms = [cap[i] * (m.gen_p_nom[i] - p_nom[i]) for i in m.gen_ext if cap[i]]
    terms += [op[i][t] * m.gen_p[i, t] for i, t in m.gen_p if op[i][t]]
    return terms
