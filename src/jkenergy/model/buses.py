r"""Bus balances and unserved energy.

The balance of bus :math:`b` in snapshot :math:`t` collects what every component family
contributes (see each family's ``balance_terms``):

.. math::
    \sum_{g \in b} p_{g,t} + \sum_{s \in b} (p^-_{s,t} - p^+_{s,t})
    + \sum_{l: bus1=b} (\eta_l f_{l,t} - r_{l,t}) + \sum_{l: bus0=b} (\eta_l r_{l,t} - f_{l,t})
    + u_{b,t} = \sum_{d \in b} D_{d,t}

Its dual :math:`\mu_{b,t}` divided by :math:`w_t` is the price in USD/MWh.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pyomo.environ as pyo

from ..errors import InfeasibleError
from .inputs import COST, POWER, ModelInputs


def add_variables(m: pyo.ConcreteModel, x: ModelInputs) -> None:
    r"""Declare ``unserved[b, t]`` at buses with a value of lost load.

    .. math:: 0 \le u_{b,t} \le \sum_{d \in b} D_{d,t}

    In diagnosis mode (``x.relax``) every balance also gets a shortfall and a surplus slack
    ``slack_short[b, t]``, ``slack_surplus[b, t]`` >= 0.
    """
    voll = x.buses.static["voll"]
    m.bus = pyo.Set(initialize=range(len(x.buses)), ordered=True)
    m.bus_voll = pyo.Set(initialize=np.flatnonzero(~np.isnan(voll)).tolist(), ordered=True)
    load = x.bus_load.tolist()
    m.unserved = pyo.Var(m.bus_voll, m.snapshot, bounds=lambda _, b, t: (0.0, load[b][t]))
    if x.relax:
        m.slack_short = pyo.Var(m.bus, m.snapshot, domain=pyo.NonNegativeReals)
        m.slack_surplus = pyo.Var(m.bus, m.snapshot, domain=pyo.NonNegativeReals)


def add_constraints(m: pyo.ConcreteModel, x: ModelInputs) -> None:
    """Nothing beyond the balance, which :func:`add_balance` builds from all families."""


def balance_terms(m: pyo.ConcreteModel, x: ModelInputs):
    """Unserved energy injects :math:`+u_{b,t}`."""
    return [(b, m.unserved, b, 1.0) for b in m.bus_voll]


def add_balance(m: pyo.ConcreteModel, x: ModelInputs, terms) -> None:
    """Add ``balance[b, t]``: injections minus withdrawals equal the load (see module doc).

    Parameters
    ----------
    terms : iterable of (bus position, indexed variable, component position, coefficient)
        The families' ``balance_terms``, grouped here once per bus.
    """
    by_bus = defaultdict(list)
    for b, var, i, coef in terms:
        by_bus[b].append((var, i, coef))
    load = x.bus_load.tolist()

    def rule(m, b, t):
        body = sum(coef * var[i, t] for var, i, coef in by_bus[b])
        if x.relax:
            body = body + m.slack_short[b, t] - m.slack_surplus[b, t]
        if isinstance(body, int | float):  # an isolated bus with nothing attached
            if load[b][t] > 0:
                raise InfeasibleError(
                    f"bus {x.buses.names[b]!r}: has a load ({load[b][t] / POWER:g} MW at "
                    f"{x.snapshots[t]}) but no generator, storage, link or voll to supply it"
                )
            return pyo.Constraint.Feasible
        return body == load[b][t]

    m.balance = pyo.Constraint(m.bus, m.snapshot, rule=rule)


def objective_terms(m: pyo.ConcreteModel, x: ModelInputs):
    r"""Weighted cost of unserved energy.

    .. math:: \sum_{b,t} w_t \, \text{VOLL}_b \, u_{b,t}
    """
    voll = x.buses.static["voll"]
    w = x.weights
    return [voll[b] * w[t] * COST * m.unserved[b, t] for b, t in m.unserved]


def relaxation_terms(m: pyo.ConcreteModel, x: ModelInputs):
    """Diagnosis objective part: weighted sum of balance slacks (GWh)."""
    w = x.weights
    return [w[t] * (m.slack_short[b, t] + m.slack_surplus[b, t]) for b, t in m.slack_short]
