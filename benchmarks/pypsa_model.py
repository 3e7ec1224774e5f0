"""The same LP in PyPSA: translate a jkenergy Network into a pypsa.Network.

Only what the national benchmark network uses is translated (anything else raises
``NotImplementedError``):

- carbon prices folded into each generator's ``marginal_cost`` (price of its bus's country
  times ``co2_intensity``), as jkenergy's LP does;
- snapshot weights as PyPSA's ``objective`` and ``generators`` weightings, durations as its
  ``stores`` weighting;
- buses, loads; generators (the lower bound of an extendable capacity,
  ``max(p_nom, p_nom_min)``, becomes ``p_nom_min``; ``p_max_pu`` / ``p_min_pu`` below
  jkenergy's ``PU_TOLERANCE`` set to 0, as jkenergy's LP does);
- storage with independent energy capacity -> a PyPSA ``Store`` on an auxiliary bus, a
  charging ``Link`` (efficiency_store, capacity P) and a discharging ``Link``
  (efficiency_dispatch, capacity P / efficiency_dispatch, so that its output is <= P), the
  two capacities tied by an extra constraint; storage with unlimited power and lossless
  conversion -> a ``Store`` on the bus itself;
- one-way links as ``Link``; a bidirectional lossy link as two ``Link`` s whose flows share
  one capacity (extra constraint ``p_fwd + p_bwd <= P``).

PyPSA charges ``capital_cost`` on the whole optimised capacity, jkenergy on the capacity
added above ``p_nom``: :func:`objective` adds back the difference.
"""

from __future__ import annotations

import math

import numpy as np

import jkenergy as jk
from jkenergy.model.inputs import PU_TOLERANCE


def _lower(row) -> float:
    """PyPSA ``p_nom_min`` for jkenergy's capacity bounds: the larger of ``p_nom`` and
    ``p_nom_min`` if extendable, else 0 (unused)."""
    return max(row["p_nom"], row["p_nom_min"]) if row["p_nom_extendable"] else 0.0


def to_pypsa(net: jk.Network):
    """Return ``(pypsa.Network, extra_functionality)``."""
    import pypsa

    if len(net.co2_limits) or len(net.renewable_shares):
        raise NotImplementedError("CO2 limits and renewable shares are not translated")
    if len(net.reserve_margins):
        raise NotImplementedError("reserve margins are not translated")
    n = pypsa.Network()
    n.set_snapshots(net.snapshots)
    weights = net.snapshot_weightings.to_numpy(dtype=float)
    n.snapshot_weightings["objective"] = weights
    n.snapshot_weightings["generators"] = weights
    n.snapshot_weightings["stores"] = net.snapshot_durations.to_numpy(dtype=float)
    if net.periods is not None:
        raise NotImplementedError("representative periods are not translated")
    for name, bus in net.buses.iterrows():
        if not math.isnan(bus["voll"]):
            raise NotImplementedError("voll is not translated")
        n.add("Bus", name, carrier=bus["carrier"])
    loads = net.get_series("load", "p")
    for name, load in net.loads.iterrows():
        n.add("Load", name, bus=load["bus"], p_set=loads[name])
    series = {a: net.get_series("generator", a) for a in ("p_max_pu", "p_min_pu", "marginal_cost")}
    for pu in ("p_max_pu", "p_min_pu"):  # the profiles jkenergy's LP sees
        series[pu] = series[pu].where(series[pu] >= PU_TOLERANCE, 0.0)
    country = net.buses["country"]
    for name, g in net.generators.iterrows():
        carbon = net.carbon_prices.get(country[g["bus"]], 0.0) * g["co2_intensity"]
        n.add("Generator", name, bus=g["bus"], carrier=g["carrier"], p_nom=g["p_nom"],
              p_nom_min=_lower(g),
              p_nom_max=g["p_nom_max"], p_nom_extendable=g["p_nom_extendable"],
              capital_cost=g["capital_cost"], p_max_pu=series["p_max_pu"][name],
              p_min_pu=series["p_min_pu"][name],
              marginal_cost=series["marginal_cost"][name] + carbon)  # fmt: skip
    tied, shared = [], []
    for name, s in net.storage.iterrows():
        if not math.isnan(s["max_hours"]) or s["marginal_cost"] or not s["cyclic"]:
            raise NotImplementedError(f"storage {name}: only independent energy, cyclic")
        store = dict(e_nom=s["e_nom"], e_nom_min=s["e_nom"] if s["e_nom_extendable"] else 0.0,
                     e_nom_max=s["e_nom_max"], e_nom_extendable=s["e_nom_extendable"],
                     capital_cost=s["capital_cost_energy"], standing_loss=s["standing_loss"],
                     e_cyclic=True)  # fmt: skip
        lossless = s["efficiency_store"] == 1.0 and s["efficiency_dispatch"] == 1.0
        if s["p_nom"] == math.inf and lossless:
            n.add("Store", name, bus=s["bus"], **store)
            continue
        aux = f"{name} store"
        n.add("Bus", aux, carrier=s["carrier"])
        n.add("Store", name, bus=aux, **store)
        ext, p = bool(s["p_nom_extendable"]), s["p_nom"]
        eta = s["efficiency_dispatch"]
        n.add("Link", f"{name} charger", bus0=s["bus"], bus1=aux,
              efficiency=s["efficiency_store"], p_nom=p, p_nom_min=_lower(s),
              p_nom_max=s["p_nom_max"], p_nom_extendable=ext,
              capital_cost=s["capital_cost"])  # fmt: skip
        n.add("Link", f"{name} discharger", bus0=aux, bus1=s["bus"], efficiency=eta,
              p_nom=p / eta, p_nom_extendable=ext)  # fmt: skip
        if ext:
            tied.append((f"{name} charger", f"{name} discharger", eta))
    for name, k in net.links.iterrows():
        ext, p = bool(k["p_nom_extendable"]), k["p_nom"]
        common = dict(efficiency=k["efficiency"], marginal_cost=k["marginal_cost"],
                      carrier=k["carrier"])  # fmt: skip
        n.add("Link", name, bus0=k["bus0"], bus1=k["bus1"], p_nom=p,
              p_nom_min=_lower(k), p_nom_max=k["p_nom_max"], p_nom_extendable=ext,
              capital_cost=k["capital_cost"], **common)  # fmt: skip
        if k["bidirectional"]:
            back = f"{name} reverse"
            n.add("Link", back, bus0=k["bus1"], bus1=k["bus0"], p_nom=p,
                  p_nom_extendable=ext, **common)  # fmt: skip
            shared.append((name, back, ext, p))

    def extra_functionality(n, snapshots):
        if not tied and not shared:
            return
        m = n.model
        p_nom, flow = m["Link-p_nom"], m["Link-p"]
        for charger, discharger, eta in tied:
            m.add_constraints(p_nom.loc[discharger] * eta - p_nom.loc[charger] == 0,
                              name=f"tie {charger}")  # fmt: skip
        for fwd, bwd, ext, p in shared:
            both = flow.loc[:, fwd] + flow.loc[:, bwd]
            if ext:
                m.add_constraints(p_nom.loc[bwd] - p_nom.loc[fwd] == 0, name=f"tie {fwd}")
                m.add_constraints(both - p_nom.loc[fwd] <= 0, name=f"share {fwd}")
            else:
                m.add_constraints(both <= p, name=f"share {fwd}")

    return n, extra_functionality


def objective(net: jk.Network, n) -> float:
    """PyPSA's objective in jkenergy's terms (capital cost of new capacity only), USD."""
    existing = 0.0
    for table, cost, nom, ext in (
        (net.generators, "capital_cost", "p_nom", "p_nom_extendable"),
        (net.storage, "capital_cost", "p_nom", "p_nom_extendable"),
        (net.storage, "capital_cost_energy", "e_nom", "e_nom_extendable"),
        (net.links, "capital_cost", "p_nom", "p_nom_extendable"),
    ):
        mask = table[ext].astype(bool) & np.isfinite(table[nom].astype(float))
        existing += float((table.loc[mask, cost] * table.loc[mask, nom]).sum())
    return float(n.objective) + float(getattr(n, "objective_constant", 0.0)) - existing
