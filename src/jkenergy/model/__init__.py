"""The Pyomo LP, one module per component family.

Every family module has the same contract, so a reader knows where to look:

``add_variables(m, x)``
    declare the family's variables (fixed limits as bounds);
``add_constraints(m, x)``
    add its own rows, each function's docstring stating the equations;
``balance_terms(m, x)``
    what it injects into (+) or withdraws from (-) bus balances, as
    ``(bus position, variable, component position, coefficient)``;
``objective_terms(m, x)``
    its share of the total cost.

:func:`build_model` calls them in order and adds the bus balances and the objective.
"""

from __future__ import annotations

import pyomo.environ as pyo

from . import adequacy, buses, generators, links, policy, storage
from .inputs import ModelInputs, prepare

FAMILIES = (generators, storage, links, buses, policy, adequacy)
"""Component families in the order they are built."""

__all__ = ["FAMILIES", "ModelInputs", "build_model", "prepare"]


def build_model(x: ModelInputs) -> pyo.ConcreteModel:
    r"""Build the LP for prepared inputs.

    Objective (million USD in the model, USD to the user), the sum of the families'
    ``objective_terms``: capital cost of capacity added above the existing one
    (:math:`N_g` for generators), fixed cost
    of existing generator capacity kept (:math:`K_g`: :math:`\underline{P}_g`, or what a
    retirable generator keeps), and the weighted operating, carbon and unserved-energy
    cost:

    .. math::
        \min \;
        \sum_{g \in G^{ext}} c^{cap}_g N_g + \sum_g c^{fix}_g K_g
        + \sum_{s \in S^{ext}} \left[ c^{cap}_s (P_s - \underline{P}_s)
        + c^{E}_s (E_s - \underline{E}_s) \right]
        + \sum_{l \in L^{ext}} c^{cap}_l (P_l - \underline{P}_l)

        + \sum_t w_t \Big[ \sum_g (c^{mar}_{g,t} + \tau_{c(g)} e_g) \, p_{g,t}
        + \sum_s c^{mar}_s \, p^-_{s,t}
        + \sum_l c^{mar}_l (f_{l,t} + r_{l,t})
        + \sum_b \text{VOLL}_b \, u_{b,t} \Big]

    In diagnosis mode (``x.relax``) the objective is instead the weighted sum of the
    balance and policy slacks, so the solution shows where and by how much the model
    falls short.
    """
    m = pyo.ConcreteModel(name="jkenergy")
    m.snapshot = pyo.RangeSet(0, x.n_snapshots - 1)
    for family in FAMILIES:
        family.add_variables(m, x)
    for family in FAMILIES:
        family.add_constraints(m, x)
    terms = []
    for family in FAMILIES:
        terms += family.balance_terms(m, x)
    buses.add_balance(m, x, terms)
    if x.relax:
        parts = (
            buses.relaxation_terms(m, x)
            + policy.relaxation_terms(m, x)
            + adequacy.relaxation_terms(m, x)
        )
    else:
        parts = []
        for family in FAMILIES:
            parts += family.objective_terms(m, x)
    m.objective = pyo.Objective(expr=pyo.quicksum(parts), sense=pyo.minimize)
    return m
