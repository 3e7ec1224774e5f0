r"""Capacity adequacy: planning reserve margins over groups of countries.

A reserve margin :math:`r` (``Network.add_reserve_margin``) covers the electricity buses
:math:`B_r` of a set of countries, whose load (coincident within the group) is

.. math:: D_{r,t} = \sum_{b \in B_r} \sum_{d \in b} D_{d,t}

Notation (per reserve margin :math:`r`, snapshot :math:`t`): :math:`m_r` the margin,
:math:`\kappa` a component's ``capacity_credit``, :math:`H_r` the reserve margin's
``storage_hours``; for a link :math:`l`, :math:`x_{l,t} \ge 0` the firm capacity it
carries from ``bus0`` to ``bus1`` and :math:`y_{l,t} \ge 0` back (bidirectional links
only), both measured at the sending end, and :math:`\eta_l` its efficiency.

Capacity rows carry no snapshot weight: a weight counts hours of energy, while a
requirement on capacity holds in each hour a snapshot stands for."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyomo.environ as pyo

from ..errors import ComponentError, InfeasibleError
from .generators import zero_capacity
from .inputs import POWER, ModelInputs

_TOL = 1e-12


@dataclass
class Plan:
    """Which components enter which reserve-margin rows (positions; scaled units)."""

    names: list[str]
    member: np.ndarray
    """(reserve margin, bus): True where the bus belongs to the group."""
    demand: np.ndarray
    """(reserve margin, snapshot): the group's load, GW."""
    margin: np.ndarray
    storage_hours: np.ndarray
    gen_credit: np.ndarray
    """(generator, snapshot): firm capacity per unit of capacity."""
    hours: list[list[int]] = field(default_factory=list)
    """Snapshots with a row, per reserve margin (see :func:`add_constraints`)."""
    gens: list[list[int]] = field(default_factory=list)
    """Generators of each group with some firm capacity."""
    sto_factor: list[dict[int, float]] = field(default_factory=list)
    """Per group, storage whose firm capacity is a factor times its power capacity."""
    sto_const: list[float] = field(default_factory=list)
    """Per group, firm capacity of fixed storage credited by duration, GW."""
    sto_var: list[tuple[int, int]] = field(default_factory=list)
    """(group, storage) whose firm capacity min(P, E/H) is a variable."""
    imports: list[list[tuple[int, str]]] = field(default_factory=list)
    """Per group, (link, "fwd" or "bwd") directions that send into it from outside."""
    exports: list[list[tuple[int, str]]] = field(default_factory=list)
    """Per group, directions that send out of it into another group with a margin."""
    transfers: list[int] = field(default_factory=list)
    """Links with a credit that carry firm capacity into some group from outside it."""

    @property
    def rows(self) -> list[tuple[int, int]]:
        return [(r, t) for r, ts in enumerate(self.hours) for t in ts]


def plan(x: ModelInputs) -> Plan:
    """Group the components of every reserve margin (see :class:`Plan`).

    Raises
    ------
    ComponentError
        If a reserve margin's countries have no electricity load, or a storage credited
        by a number has unlimited power (``p_nom=inf``).
    """
    rm = x.reserve_margins
    n_rm, n_bus = len(rm), len(x.buses)
    bus_country = x.buses.static["country"]
    elec = x.buses.static["carrier"] == "electricity"
    member = np.zeros((n_rm, n_bus), dtype=bool)
    for r, countries in enumerate(rm["countries"]):
        member[r] = elec & np.isin(bus_country, list(countries))
    g, s, k = x.generators, x.storage, x.links
    credit = g.static["capacity_credit"]
    p = Plan(
        names=list(rm.index),
        member=member,
        demand=member.astype(float) @ x.bus_load,
        margin=rm["margin"].to_numpy(dtype=float),
        storage_hours=rm["storage_hours"].to_numpy(dtype=float),
        gen_credit=np.where(np.isnan(credit)[:, None], g.series["p_max_pu"], credit[:, None]),
    )
    for r, name in enumerate(p.names):
        if p.demand[r].max() <= 0:
            raise ComponentError(
                f"reserve_margin {name!r}: countries {list(rm['countries'].iloc[r])} have no "
                "electricity load, so the margin has nothing to cover"
            )
    gen_bus, sto_bus = g.static["bus"], s.static["bus"]
    b0, b1 = k.static["bus0"], k.static["bus1"]
    bidi = k.static["bidirectional"].astype(bool)
    credited = np.flatnonzero(k.static["capacity_credit"] > 0).tolist()
    zero = zero_capacity(x)  # capacity 0 whatever the LP does: no firm capacity
    for r in range(n_rm):
        inside = member[r]
        p.gens.append(
            [
                i
                for i in np.flatnonzero(inside[gen_bus]).tolist()
                if p.gen_credit[i].max() > 0 and not zero[i]
            ]
        )
        factor, const = {}, 0.0
        for i in np.flatnonzero(inside[sto_bus]).tolist():
            kind, value = _storage_rule(x, i, float(p.storage_hours[r]))
            if kind == "power" and value > 0:
                factor[i] = value
            elif kind == "const":
                const += value
            elif kind == "min":
                p.sto_var.append((r, i))
        p.sto_factor.append(factor)
        p.sto_const.append(const)
        imports, exports = [], []
        for i in credited:
            ends = [("fwd", b0[i], b1[i])] + ([("bwd", b1[i], b0[i])] if bidi[i] else [])
            for way, send, recv in ends:
                served = member[:, recv] & ~member[:, send]  # groups this direction feeds
                if inside[recv] and not inside[send]:
                    imports.append((i, way))
                elif inside[send] and not inside[recv] and served.any():
                    exports.append((i, way))
        p.imports.append(imports)
        p.exports.append(exports)
        varying = bool(imports or exports) or any(np.ptp(p.gen_credit[i]) > _TOL for i in p.gens[r])
        p.hours.append(list(range(x.n_snapshots)) if varying else [int(np.argmax(p.demand[r]))])
    p.transfers = sorted({i for r in range(n_rm) for i, _ in p.imports[r]})
    if not x.relax:  # diagnosis reports the shortfall of every row
        _drop_dominated(p, x)
    return p


_CANDIDATES = 48
"""Hours per group and score tried as dominating rows (:func:`_drop_dominated`)."""


def _drop_dominated(p: Plan, x: ModelInputs) -> None:
    r"""Leave out the reserve-margin rows of snapshots another snapshot's rows imply.

    Snapshot :math:`c` dominates :math:`t` for a set of groups :math:`R` when, for every
    group :math:`r \in R`, :math:`(1 + m_r) D_{r,t} \le (1 + m_r) D_{r,c}` and, for every
    generator :math:`g` of these groups, :math:`a_{g,t} \ge a_{g,c}`. Then any solution
    meeting the rows at :math:`c` meets those at :math:`t` with the same firm transfers
    (:math:`x_{l,t} = x_{l,c}`, :math:`y_{l,t} = y_{l,c}`: their capacity row is the same in
    every snapshot): capacities :math:`P_g \ge 0` and credits :math:`a \ge 0`, and storage
    credits do not depend on the snapshot. So the rows at :math:`t` (and the transfers at
    :math:`t`, which appear nowhere else) can go without changing the optimum. Groups
    coupled by transfers are checked together, the others each on its own. The dominating
    snapshots tried are, per group, the :data:`_CANDIDATES` snapshots of highest requirement
    and of highest requirement net of existing credited capacity, in order of requirement; one
    that an earlier kept candidate implies goes too (of equal snapshots the first stays).
    """
    varying = [r for r in range(len(p.names)) if len(p.hours[r]) > 1]
    coupled = [r for r in varying if p.imports[r] or p.exports[r]]
    groups = ([coupled] if coupled else []) + [[r] for r in varying if r not in coupled]
    g = x.generators.static
    existing = np.nan_to_num(g["p_nom"] * POWER, posinf=0.0)
    lower_ok = bool((g["p_nom"] >= 0).all() and (g["p_nom_min"] >= 0).all())
    for rs in groups:
        gens = sorted({i for r in rs for i in p.gens[r]})
        credit = p.gen_credit[gens]
        if not lower_ok or (credit < 0).any():
            continue
        rhs = (1.0 + p.margin[rs])[:, None] * p.demand[rs]
        candidates: set[int] = set()
        for j, r in enumerate(rs):
            firm = existing[p.gens[r]] @ p.gen_credit[p.gens[r]] if p.gens[r] else 0.0
            for score in (rhs[j], rhs[j] - firm):
                candidates.update(np.argsort(-score, kind="stable")[:_CANDIDATES].tolist())
        dominated = np.zeros(x.n_snapshots, dtype=bool)
        for c in sorted(candidates, key=lambda t: (-rhs[:, t].sum(), t)):
            if dominated[c]:  # implied by a candidate kept before it (dominance is transitive)
                continue
            dom = (rhs <= rhs[:, [c]]).all(axis=0) & (credit >= credit[:, [c]]).all(axis=0)
            dom[c] = False
            dominated |= dom
        for r in rs:
            p.hours[r] = [t for t in p.hours[r] if not dominated[t]]


def add_variables(m: pyo.ConcreteModel, x: ModelInputs) -> None:
    r"""Declare the firm transfers ``rm_link_fwd[l, t]`` (:math:`x`) and ``rm_link_bwd[l, t]``
    (:math:`y`) >= 0 of credited links into a group, and ``rm_sto_firm[r, s]``
    (:math:`F_s` >= 0) for storage credited by duration whose power or energy is a variable.

    In diagnosis mode each reserve-margin row also gets a shortfall ``slack_rm[r, t]`` >= 0.
    """
    p = plan(x)
    m.rm_plan = p
    m.reserve_margin = pyo.Set(initialize=range(len(p.names)), ordered=True)
    m.rm_row = pyo.Set(initialize=p.rows, dimen=2, ordered=True)
    bidi = x.links.static["bidirectional"]
    m.rm_link = pyo.Set(initialize=p.transfers, ordered=True)
    m.rm_link_bidi = pyo.Set(initialize=[i for i in p.transfers if bidi[i]], ordered=True)
    m.rm_link_fwd = pyo.Var(m.rm_link, m.snapshot, domain=pyo.NonNegativeReals)
    m.rm_link_bwd = pyo.Var(m.rm_link_bidi, m.snapshot, domain=pyo.NonNegativeReals)
    m.rm_sto = pyo.Set(initialize=p.sto_var, dimen=2, ordered=True)
    m.rm_sto_firm = pyo.Var(m.rm_sto, domain=pyo.NonNegativeReals)
    if x.relax:
        m.slack_rm = pyo.Var(m.rm_row, domain=pyo.NonNegativeReals)


def _storage_rule(x: ModelInputs, i: int, hours: float) -> tuple[str, float]:
    r"""How storage ``i`` is credited: ``("power", f)``: firm capacity :math:`f P_s`;
    ``("const", F)``: a fixed :math:`F` GW; ``("min", 0)``: :math:`\min(P_s, E_s / H)`
    through a variable (credited by duration, sized separately, a capacity variable)."""
    s = x.storage.static
    credit, h = s["capacity_credit"][i], s["max_hours"][i]
    p_nom = float(s["p_nom"][i])
    if not np.isnan(credit):
        if np.isinf(p_nom):
            raise ComponentError(
                f"storage {x.storage.names[i]!r}: capacity_credit {credit:g} of unlimited power "
                "(p_nom=inf) is unlimited firm capacity; leave it NaN (credit by duration)"
            )
        return ("power", float(credit))
    if not np.isnan(h):
        return ("power", min(1.0, float(h) / hours))
    if s["p_nom_extendable"][i] or s["e_nom_extendable"][i]:
        return ("min", 0.0)
    return ("const", min(p_nom, float(s["e_nom"][i]) / hours) * POWER)


def _gen_cap(m: pyo.ConcreteModel, x: ModelInputs, i: int):
    if i in m.gen_cap:
        return m.gen_p_nom[i]
    return float(x.generators.static["p_nom"][i] * POWER)


def _sto_power(m: pyo.ConcreteModel, x: ModelInputs, i: int):
    if i in m.sto_p_ext:
        return m.sto_p_nom[i]
    return float(x.storage.static["p_nom"][i] * POWER)


def _sto_energy(m: pyo.ConcreteModel, x: ModelInputs, i: int):
    if i in m.sto_e_ext:
        return m.sto_e_nom[i]
    return float(x.storage.static["e_nom"][i] * POWER)


def _link_cap(m: pyo.ConcreteModel, x: ModelInputs, i: int):
    if i in m.link_ext:
        return m.link_p_nom[i]
    return float(x.links.static["p_nom"][i] * POWER)


def _flow(m: pyo.ConcreteModel, i: int, way: str, t: int):
    return m.rm_link_fwd[i, t] if way == "fwd" else m.rm_link_bwd[i, t]


def add_constraints(m: pyo.ConcreteModel, x: ModelInputs) -> None:
    r"""Reserve margins and the firm capacity links carry.

    .. math::
        \sum_{g \in B_r} a_{g,t} P_g + \sum_{s \in B_r} F_s
        + \sum_{l \in \mathcal{L}^{in}_r} \eta_l z_{l,t}
        - \sum_{l \in \mathcal{L}^{out}_r} z_{l,t}
        \ge (1 + m_r) \, D_{r,t} \qquad (t \in T_r)

        x_{l,t} + y_{l,t} \le \kappa_l P_l \qquad (t \in \textstyle\bigcup_r T_r)

        F_s = \kappa_s P_s \;\; (\kappa_s \text{ set}), \qquad
        F_s = \min(P_s, E_s / H_r) \;\; (\kappa_s = \text{NaN: by duration})

    :math:`a_{g,t} = \kappa_g`, or the available output :math:`\overline{\pi}_{g,t}` where
    the credit is NaN (the default); :math:`P_g` the generator's capacity after retirement
    and expansion. :math:`z_{l,t}` is :math:`x_{l,t}` or :math:`y_{l,t}`, whichever
    direction sends into (:math:`\mathcal{L}^{in}_r`: receiving bus in :math:`B_r`, sending
    bus not) or out of the group (:math:`\mathcal{L}^{out}_r`: sending bus in :math:`B_r`,
    receiving bus in another reserve margin's group). The minimum is linear: a variable
    :math:`F_s \le P_s`, :math:`F_s \le E_s / H_r`; with ``max_hours`` :math:`h_s` it is
    :math:`\min(1, h_s / H_r) P_s`. :math:`T_r` is every snapshot where the group's firm
    capacity varies in time (links, or credits by availability), else the group's
    peak-demand snapshot alone, where the row is the same; snapshots whose rows another
    snapshot's rows imply are left out (``_drop_dominated``), and the transfers'
    capacity rows are written only for the snapshots left.

    **Convention.** A link's credited capacity :math:`\kappa_l P_l` is shared, hour by
    hour, between the directions and the groups it serves: when both ends are short in
    the same hour it helps one side or splits between them, never both in full, and
    what it sends is taken from the sender's own firm capacity when the sender has a
    margin too. Hours where the groups' peaks differ let one link (and the exporter's
    spare capacity) serve each in turn, which is the value of non-coincident peaks. The
    firm transfers :math:`x, y` are capacity, not energy: they are independent of the
    hourly dispatch. Compared with GenX's capacity reserve margin, which counts each
    line's *actual* hourly flow times a derating factor in every hour (so the energy
    dispatch is bent to show reserves flowing), this counts capacity the link could
    deliver; compared with a static annual form (each group counts :math:`\kappa_l P_l`
    of imports against its own peak), it does not count one MW twice when both sides
    peak together. Limits: within a group buses are a copper plate (internal links are
    not checked); storage is credited by power and duration, not by its state of charge
    at the peak; credits are fixed numbers, not derived from outage or weather risk
    (ELCC). The dual of the first row summed over :math:`t` is the capacity price
    (``reserve_margin_price``, USD/MW/yr when the weights sum to a year and
    ``capital_cost`` is annual).
    """
    p = m.rm_plan
    margin = p.margin.tolist()
    demand = p.demand.tolist()
    credit = p.gen_credit.tolist() if p.gen_credit is not None else []
    eta = x.links.static["efficiency"].tolist()

    def firm(m, r):
        terms = [_gen_cap(m, x, i) for i in p.gens[r]]
        sto = sum(f * _sto_power(m, x, i) for i, f in p.sto_factor[r].items()) + sum(
            m.rm_sto_firm[rr, i] for rr, i in p.sto_var if rr == r
        )
        return terms, sto + p.sto_const[r]

    local = {r: firm(m, r) for r in m.reserve_margin}

    def row(m, r, t):
        caps, sto = local[r]
        body = sum(credit[i][t] * c for i, c in zip(p.gens[r], caps, strict=True)) + sto
        body = body + sum(eta[i] * _flow(m, i, w, t) for i, w in p.imports[r])
        body = body - sum(_flow(m, i, w, t) for i, w in p.exports[r])
        if x.relax:
            body = body + m.slack_rm[r, t]
        rhs = (1.0 + margin[r]) * demand[r][t]
        if isinstance(body, int | float):
            if body < rhs - 1e-12:
                raise InfeasibleError(
                    f"reserve_margin {p.names[r]!r}: firm capacity {body / POWER:g} MW is below "
                    f"the requirement {rhs / POWER:g} MW at {x.snapshots[t]}, and nothing in "
                    "the group can be expanded"
                )
            return pyo.Constraint.Feasible
        return body >= rhs

    m.rm_firm = pyo.Constraint(m.rm_row, rule=row)
    credit_l = x.links.static["capacity_credit"].tolist()
    bidi = set(m.rm_link_bidi)
    transfer_hours = sorted(
        {t for r, ts in enumerate(p.hours) if p.imports[r] or p.exports[r] for t in ts}
    )
    m.rm_link_capacity = pyo.Constraint(
        m.rm_link,
        pyo.Set(initialize=transfer_hours, ordered=True),
        rule=lambda m, i, t: (
            m.rm_link_fwd[i, t]
            + (m.rm_link_bwd[i, t] if i in bidi else 0)
            - credit_l[i] * _link_cap(m, x, i)
            <= 0
        ),
    )

    def power(m, r, i):
        cap = _sto_power(m, x, i)
        if isinstance(cap, float) and np.isinf(cap):
            return pyo.Constraint.Skip
        return m.rm_sto_firm[r, i] - cap <= 0

    m.rm_sto_power = pyo.Constraint(m.rm_sto, rule=power)
    hours = p.storage_hours.tolist()
    m.rm_sto_energy = pyo.Constraint(
        m.rm_sto,
        rule=lambda m, r, i: hours[r] * m.rm_sto_firm[r, i] - _sto_energy(m, x, i) <= 0,
    )


def balance_terms(m: pyo.ConcreteModel, x: ModelInputs):
    """Firm capacity is not energy: reserve margins touch no bus balance."""
    return []


def objective_terms(m: pyo.ConcreteModel, x: ModelInputs):
    """Reserve margins add no cost of their own (the capacity they call for is paid for by
    its capital and fixed cost)."""
    return []


def relaxation_terms(m: pyo.ConcreteModel, x: ModelInputs):
    """Diagnosis objective part: reserve-margin shortfalls (GW, per row)."""
    if not x.relax:
        return []
    return [m.slack_rm[r, t] for r, t in m.rm_row]
