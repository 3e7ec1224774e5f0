"""Policy constraints: CO2 limits over sets of countries and minimum renewable shares.

Carbon prices are not constraints: they are folded into generators' operating cost
(:mod:`jkenergy.model.generators`).
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from ..errors import InfeasibleError
from .inputs import CO2, POWER, ModelInputs


def add_variables(m: pyo.ConcreteModel, x: ModelInputs) -> None:
    """Only in diagnosis mode: ``slack_co2[c]`` and ``slack_res[r]`` >= 0."""
    m.co2_limit = pyo.Set(initialize=range(len(x.co2_limits)), ordered=True)
    m.renewable_share = pyo.Set(initialize=range(len(x.renewable_shares)), ordered=True)
    if x.relax:
        m.slack_co2 = pyo.Var(m.co2_limit, domain=pyo.NonNegativeReals)
        m.slack_res = pyo.Var(m.renewable_share, domain=pyo.NonNegativeReals)


def add_constraints(m: pyo.ConcreteModel, x: ModelInputs) -> None:
    r"""CO2 limits and renewable shares.

    .. math::
        \sum_{t} w_t \sum_{g \in \mathcal{G}(C)} e_g \, p_{g,t} \le L_C

        \sum_t w_t \Big[ \sum_{g \in \mathcal{R}_c} p_{g,t}
        - \sum_{s \in \mathcal{S}_c} (p^+_{s,t} - p^-_{s,t})
        - \sum_{l \in \mathcal{L}^{\rightarrow}_c} (1-\eta_l) f_{l,t}
        - \sum_{l \in \mathcal{L}^{\leftarrow}_c} (1-\eta_l) r_{l,t} \Big]
        \ge s_c \sum_t w_t \sum_{d \in \mathcal{D}_c} D_{d,t}
        \quad (s_c > 0)

    :math:`\mathcal{G}(C)`: generators at buses of the countries :math:`C` (one CO2 limit,
    ``add_co2_limit``); :math:`e_g`: CO2 intensity (tCO2/MWh); :math:`L_C`: limit (tCO2
    over the weighted horizon). :math:`\mathcal{R}_c`: the generators of country :math:`c`
    on electricity buses whose carrier is renewable; :math:`\mathcal{D}_c`: the loads on its
    electricity buses; :math:`s_c`: the share (``add_renewable_share``).

    The share counts renewable energy that serves demand, not energy burnt in losses:
    renewable output minus what the country's storage (:math:`\mathcal{S}_c`, at its
    electricity buses) takes in and does not give back, and minus the losses of links
    between electricity buses, each direction's loss charged to the country the flow
    leaves (:math:`\mathcal{L}^{\rightarrow}_c`: links whose ``bus0`` is in :math:`c`, for
    the forward flow :math:`f`; :math:`\mathcal{L}^{\leftarrow}_c`: bidirectional links
    whose ``bus1`` is in :math:`c`, for the reverse flow :math:`r`). Without these terms an
    optimum with a binding share charges and discharges storage in the same hour, or sends
    power both ways over a lossy link, to count output that would otherwise be curtailed.
    GenX's energy share requirement instead adds :math:`s_c` times the storage and (half
    the) transmission losses to the requirement, which still counts :math:`1-s_c` of every
    MWh burnt; here a MWh lost counts not at all. That is exact when storage and links
    carry renewable energy and conservative when they carry fossil energy. For cyclic
    storage the term is its losses (conversion and standing); for non-cyclic storage it also
    holds the net change of its level over the horizon. Conversion links to other carriers
    (electrolysis) are not losses: they serve the other carrier's demand. A share of 0 keeps
    only the (never binding) first sum, so it asks nothing of the losses.

    The dual of the first row is the CO2 price (USD/tCO2), of the second the renewable
    certificate price (USD/MWh).
    """
    g, w = x.generators, x.weights
    country = g.static["country"]
    ci = g.static["co2_intensity"]
    limits = x.co2_limits

    def co2(m, c):
        countries, limit = limits.iloc[c]["countries"], float(limits.iloc[c]["limit"])
        gens = [i for i in np.flatnonzero(np.isin(country, countries) & (ci > 0)).tolist()]
        body = sum(
            float(ci[i] * w[t]) * (CO2 / POWER) * m.gen_p[i, t] for i in gens for t in m.snapshot
        )
        if x.relax:
            body = body - m.slack_co2[c]
        if isinstance(body, int | float):
            return pyo.Constraint.Feasible
        return body <= limit * CO2

    m.co2_cap = pyo.Constraint(m.co2_limit, rule=co2)

    bus_carrier = x.buses.static["carrier"]
    bus_country = x.buses.static["country"]
    elec_bus = bus_carrier == "electricity"
    renewable: np.ndarray | list[bool]
    renewable = np.isin(g.static["carrier"], sorted(x.renewable_carriers)) if len(g) else []
    gen_elec = elec_bus[g.static["bus"]] if len(g) else []
    shares = x.renewable_shares
    losses = _loss_terms(m, x) if len(shares) else {}

    def res(m, r):
        c, share = shares.iloc[r]["country"], float(shares.iloc[r]["share"])
        buses = np.flatnonzero(elec_bus & (bus_country == c))
        demand = float((x.bus_load[buses] * w).sum())
        gens = np.flatnonzero((country == c) & renewable & gen_elec).tolist()
        if not gens and not x.relax:
            if share * demand > 0:
                raise InfeasibleError(
                    f"renewable_share {shares.index[r]!r}: country {c!r} must cover a share "
                    f"{share:g} of its demand with renewables, but has no generator whose carrier "
                    f"is one of {sorted(x.renewable_carriers)} on an electricity bus"
                )
            return pyo.Constraint.Feasible
        body = sum(float(w[t]) * m.gen_p[i, t] for i in gens for t in m.snapshot)
        if share > 0:  # a share of 0 must not demand renewables for the losses
            body = body - pyo.quicksum(coef * var[i, t] for var, i, t, coef in losses.get(c, []))
        if x.relax:
            body = body + m.slack_res[r]
        return body >= share * demand

    m.res_share = pyo.Constraint(m.renewable_share, rule=res)


def _loss_terms(m: pyo.ConcreteModel, x: ModelInputs) -> dict[str, list]:
    """Per country, ``(variable, component, snapshot, weighted coefficient)`` of the energy
    its storage and electricity links lose (see :func:`add_constraints`)."""
    w = x.weights
    bus_country = x.buses.static["country"]
    elec_bus = x.buses.static["carrier"] == "electricity"
    out: dict[str, list] = {}
    for i, b in enumerate(x.storage.static["bus"]):
        if elec_bus[b]:
            rows = out.setdefault(str(bus_country[b]), [])
            for t in m.snapshot:
                rows += [(m.sto_p_store, i, t, float(w[t])), (m.sto_p_dispatch, i, t, -float(w[t]))]
    k = x.links
    bidi = set(m.link_bidi)
    for i in range(len(k)):
        b0, b1 = int(k.static["bus0"][i]), int(k.static["bus1"][i])
        loss = 1.0 - float(k.static["efficiency"][i])
        if not (elec_bus[b0] and elec_bus[b1]) or loss <= 0:
            continue
        directions = [(m.link_p_fwd, b0)] + ([(m.link_p_bwd, b1)] if i in bidi else [])
        for var, sender in directions:
            rows = out.setdefault(str(bus_country[sender]), [])
            rows += [(var, i, t, loss * float(w[t])) for t in m.snapshot]
    return out


def balance_terms(m: pyo.ConcreteModel, x: ModelInputs):
    """Policies touch no bus balance."""
    return []


def objective_terms(m: pyo.ConcreteModel, x: ModelInputs):
    """Policies add no cost of their own (carbon prices are in the generators' costs)."""
    return []


def relaxation_terms(m: pyo.ConcreteModel, x: ModelInputs):
    """Diagnosis objective part: policy slacks (Mt and GWh)."""
    if not x.relax:
        return []
    return [m.slack_co2[c] for c in m.co2_limit] + [m.slack_res[r] for r in m.renewable_share]
