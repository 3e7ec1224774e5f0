r"""Generators: output, optional capacity expansion, operating and carbon cost.

Notation (per generator :math:`g`, snapshot :math:`t` of weight :math:`w_t` hours):
:math:`p_{g,t}` output (MW), :math:`P_g` capacity (MW), :math:`\underline{P}_g` = ``p_nom``,
:math:`\overline{P}_g` = ``p_nom_max``, :math:`\overline{\pi}_{g,t}` = ``p_max_pu``,
:math:`\underline{\pi}_{g,t}` = ``p_min_pu``, :math:`c^{fix}_g` = ``fixed_cost``,
:math:`N_g` new capacity. Per-unit values below
:data:`~jkenergy.model.inputs.PU_TOLERANCE` (1e-4) are taken as 0.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from .inputs import COST, POWER, ModelInputs, finite


def zero_capacity(x: ModelInputs) -> np.ndarray:
    r"""Generators whose capacity can only be 0 (bool per generator).

    Fixed (neither extendable nor retirable) with ``p_nom`` = 0, or with a capacity variable
    whose bounds are both 0 (extendable with ``p_nom`` = ``p_nom_min`` = ``p_nom_max`` = 0;
    retirable with ``p_nom`` = 0). They get no capacity column and no output limit rows.
    """
    g = x.generators
    ext = g.static["p_nom_extendable"].astype(bool)
    ret = g.static["retirable"].astype(bool)
    p_nom = g.static["p_nom"]
    hi = np.where(ret & ~ext, p_nom, np.where(ext, g.static["p_nom_max"], p_nom))
    lo = np.where(ret, g.static["p_nom_min"], g.static["p_nom_lower"])
    return (p_nom == 0) & (hi == 0) & (lo == 0)


def zero_output(x: ModelInputs) -> np.ndarray:
    r"""Where a generator's output can only be 0 (bool, generator x snapshot).

    Its capacity can only be 0 (:func:`zero_capacity`), or its available output
    :math:`\overline{\pi}_{g,t}` is 0 (after :data:`~jkenergy.model.inputs.PU_TOLERANCE`;
    then :math:`\underline{\pi}_{g,t}` = 0 too, as ``p_min_pu <= p_max_pu``). Such an
    output :math:`p_{g,t}` is a fixed Pyomo variable (value 0, bounds 0): a constant in
    every row and the objective, so it is no column of the LP, and its limit is no row
    (HiGHS's presolve would remove both; this keeps them from being handed over at all).
    The optimum is the same: the LP without them is the LP with :math:`p_{g,t} = 0`
    substituted.
    """
    g = x.generators
    pmax = g.series["p_max_pu"]
    return zero_capacity(x)[:, None] | (pmax == 0)


def add_variables(m: pyo.ConcreteModel, x: ModelInputs) -> None:
    r"""Declare ``gen_p[g, t]`` and, for extendable or retirable generators, ``gen_p_nom[g]``.

    Fixed limits are bounds, not rows: for a generator of fixed capacity (first line), an
    extendable one (second line) and a retirable one (third line: existing capacity the LP
    may retire down to :math:`P^{min}_g`, and expand too if it is also extendable, with
    :math:`N_g` = ``gen_p_new[g]`` its new capacity)

    .. math::
        \underline{\pi}_{g,t} \underline{P}_g \le p_{g,t}
        \le \overline{\pi}_{g,t} \underline{P}_g \quad (g \notin G^{ext} \cup G^{ret})

        p_{g,t} \ge 0, \qquad \max(\underline{P}_g, P^{min}_g) \le P_g \le \overline{P}_g
        \quad (g \in G^{ext} \setminus G^{ret})

        P^{min}_g \le P_g \le \underline{P}_g \;(g \notin G^{ext}), \qquad
        P^{min}_g \le P_g \le \overline{P}_g, \; N_g \ge 0 \;(g \in G^{ext})
        \quad (g \in G^{ret})

    with :math:`P^{min}_g` = ``p_nom_min`` (capacity that must be kept or built). Where
    the output can only be 0 (:func:`zero_output`) its bounds are :math:`[0, 0]`; a
    generator whose capacity can only be 0 (:func:`zero_capacity`) is treated as fixed.
    """
    g = x.generators
    ext = g.static["p_nom_extendable"].astype(bool)
    ret = g.static["retirable"].astype(bool)
    zero = zero_capacity(x)
    ext, ret = ext & ~zero, ret & ~zero
    cap = ext | ret
    p_nom = g.static["p_nom"][:, None] * POWER
    off = zero_output(x)
    lower = np.where(cap[:, None] | off, 0.0, g.series["p_min_pu"] * p_nom).tolist()
    upper = np.where(off, 0.0, np.where(cap[:, None], np.inf, g.series["p_max_pu"] * p_nom))
    upper = upper.tolist()
    m.gen = pyo.Set(initialize=range(len(g)), ordered=True)
    m.gen_ext = pyo.Set(initialize=np.flatnonzero(ext).tolist(), ordered=True)
    m.gen_ret = pyo.Set(initialize=np.flatnonzero(ret).tolist(), ordered=True)
    m.gen_cap = pyo.Set(initialize=np.flatnonzero(cap).tolist(), ordered=True)
    m.gen_p = pyo.Var(m.gen, m.snapshot, bounds=lambda _, i, t: (lower[i][t], finite(upper[i][t])))
    for i, t in zip(*np.nonzero(off), strict=True):  # constants in every row: not columns
        m.gen_p[int(i), int(t)].fix(0.0)
    nom_lo = np.where(ret, g.static["p_nom_min"], g.static["p_nom_lower"]) * POWER
    nom_hi = np.where(ret & ~ext, g.static["p_nom"], g.static["p_nom_max"]) * POWER
    nom_lo, nom_hi = nom_lo.tolist(), nom_hi.tolist()
    m.gen_p_nom = pyo.Var(m.gen_cap, bounds=lambda _, i: (nom_lo[i], finite(nom_hi[i])))
    m.gen_renew = pyo.Set(initialize=np.flatnonzero(ret & ext).tolist(), ordered=True)
    m.gen_p_new = pyo.Var(m.gen_renew, domain=pyo.NonNegativeReals)


def add_constraints(m: pyo.ConcreteModel, x: ModelInputs) -> None:
    r"""Output limits of generators whose capacity is a variable (the upper one only where
    :math:`\overline{\pi}_{g,t} > 0`, see :func:`zero_output`); kept and new capacity of
    generators both retirable and extendable.

    .. math::
        p_{g,t} \le \overline{\pi}_{g,t} P_g, \qquad
        p_{g,t} \ge \underline{\pi}_{g,t} P_g \quad (\text{only where } \underline{\pi}_{g,t} > 0)

        0 \le P_g - N_g \le \underline{P}_g \quad (g \in G^{ext} \cap G^{ret})
    """
    g = x.generators
    pmax = g.series["p_max_pu"].tolist()
    pmin = g.series["p_min_pu"]
    off = zero_output(x)
    upper_idx = [(i, t) for i in m.gen_cap for t in np.flatnonzero(~off[i]).tolist()]
    m.gen_p_upper = pyo.Constraint(
        pyo.Set(initialize=upper_idx, dimen=2, ordered=True) if upper_idx else pyo.Set(dimen=2),
        rule=lambda m, i, t: m.gen_p[i, t] - pmax[i][t] * m.gen_p_nom[i] <= 0,
    )
    lower_idx = [(i, t) for i in m.gen_cap for t in np.flatnonzero(pmin[i] > 0).tolist()]
    pmin_l = pmin.tolist()
    m.gen_p_lower = pyo.Constraint(
        pyo.Set(initialize=lower_idx, dimen=2, ordered=True) if lower_idx else pyo.Set(dimen=2),
        rule=lambda m, i, t: m.gen_p[i, t] - pmin_l[i][t] * m.gen_p_nom[i] >= 0,
    )
    p_nom = (g.static["p_nom"] * POWER).tolist()
    m.gen_kept_upper = pyo.Constraint(
        m.gen_renew, rule=lambda m, i: m.gen_p_nom[i] - m.gen_p_new[i] <= p_nom[i]
    )
    m.gen_kept_lower = pyo.Constraint(
        m.gen_renew, rule=lambda m, i: m.gen_p_nom[i] - m.gen_p_new[i] >= 0
    )


def balance_terms(m: pyo.ConcreteModel, x: ModelInputs):
    """Each generator injects :math:`+p_{g,t}` at its bus."""
    return [(int(b), m.gen_p, i, 1.0) for i, b in enumerate(x.generators.static["bus"])]


def objective_terms(m: pyo.ConcreteModel, x: ModelInputs):
    r"""Capital cost of new capacity, fixed cost of existing capacity kept, and weighted
    operating and carbon cost.

    .. math::
        \sum_{g \in G^{ext} \setminus G^{ret}} c^{cap}_g (P_g - \underline{P}_g)
        + \sum_{g \notin G^{ret}} c^{fix}_g \underline{P}_g
        + \sum_{g \in G^{ret} \setminus G^{ext}} c^{fix}_g P_g
        + \sum_{g \in G^{ret} \cap G^{ext}} \left[ c^{fix}_g (P_g - N_g) + c^{cap}_g N_g \right]

        + \sum_{g,t} w_t \,(c^{mar}_{g,t} + \tau_{c(g)} e_g)\, p_{g,t}

    with :math:`\tau_c` the carbon price of the generator's country and :math:`e_g` its
    CO2 intensity. The fixed cost of capacity that cannot be retired is a constant: it
    moves the objective, not the solution (0 unless ``fixed_cost`` is set).
    """
    g = x.generators
    cap = g.static["capital_cost"] * COST
    fix = g.static["fixed_cost"] * COST
    p_nom = g.static["p_nom"] * POWER
    ret, renew = set(m.gen_ret), set(m.gen_renew)
    op = (
        (g.series["marginal_cost"] + g.static["carbon_cost"][:, None]) * x.weights * COST
    ).tolist()
    terms = [cap[i] * (m.gen_p_nom[i] - p_nom[i]) for i in m.gen_ext if cap[i] and i not in ret]
    terms += [fix[i] * p_nom[i] for i in m.gen if fix[i] and p_nom[i] and i not in ret]
    terms += [fix[i] * m.gen_p_nom[i] for i in ret - renew if fix[i]]
    terms += [fix[i] * (m.gen_p_nom[i] - m.gen_p_new[i]) for i in renew if fix[i]]
    terms += [cap[i] * m.gen_p_new[i] for i in renew if cap[i]]
    off = zero_output(x)
    terms += [op[i][t] * m.gen_p[i, t] for i, t in m.gen_p if op[i][t] and not off[i, t]]
    return terms
