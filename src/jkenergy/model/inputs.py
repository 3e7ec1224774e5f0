"""Network -> plain arrays and lists, prepared once before the Pyomo model is built.

The LP works in scaled units for numerical health: power in GW, energy in GWh, money in
million USD, emissions in MtCO2. Users never see them: inputs are scaled here and outputs
unscaled in :mod:`jkenergy.results`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..components import COMPONENT_ATTRIBUTES, COMPONENT_TABLES
from ..network import Network
from ..periods import Periods

POWER = 1e-3
"""GW per MW (also GWh per MWh)."""
MONEY = 1e-6
"""Million USD per USD."""
CO2 = 1e-6
"""MtCO2 per tCO2."""
COST = MONEY / POWER
"""Scale of a cost coefficient in USD/MW or USD/MWh: objective (M USD) per variable unit (GW)."""
PU_TOLERANCE = 1e-4
"""``p_max_pu`` / ``p_min_pu`` below this are treated as 0: a solar profile's 1e-8 at dawn
would otherwise put a coefficient eight orders of magnitude below the rest into the matrix
(slowing interior point and simplex alike), for at most 0.01 % of a generator's capacity."""


def finite(value: float) -> float | None:
    """A variable bound for Pyomo: ``None`` for +/-inf (no bound)."""
    return None if np.isinf(value) else value


@dataclass
class Table:
    """One component type, as arrays indexed by position (rows) and snapshot (columns)."""

    names: list[str]
    static: dict[str, np.ndarray] = field(default_factory=dict)
    series: dict[str, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.names)

    def where(self, attribute: str) -> list[int]:
        """Positions whose boolean attribute is True."""
        return [int(i) for i in np.flatnonzero(self.static[attribute])]


@dataclass
class ModelInputs:
    """Everything the model builders need, with no pandas lookups left."""

    snapshots: pd.DatetimeIndex
    weights: np.ndarray
    """Hours each snapshot stands for in sums over the horizon (cost, energy, emissions)."""
    durations: np.ndarray
    """Hours of a snapshot as a storage time step (``Network.snapshot_durations``; with
    representative periods the snapshot's length inside its period)."""
    buses: Table
    loads: Table
    generators: Table
    storage: Table
    links: Table
    bus_load: np.ndarray
    """Load per bus and snapshot, GW (bus x snapshot)."""
    co2_limits: pd.DataFrame
    renewable_shares: pd.DataFrame
    renewable_carriers: frozenset[str] = frozenset()
    relax: bool = False
    """Diagnosis mode: balances and policies get slack, the objective minimises slack."""
    periods: Periods | None = None
    """Representative periods (see :mod:`jkenergy.aggregation`), or None."""
    reserve_margins: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["countries", "margin", "storage_hours"])
    )
    """Planning reserve margins (:meth:`~jkenergy.Network.add_reserve_margin`)."""

    @property
    def n_snapshots(self) -> int:
        return len(self.snapshots)


_DTYPES = {"bool": bool, "float": float, "series": float, "str": object}


def _table(network: Network, component: str, static: list[str], series: list[str]) -> Table:
    frame = getattr(network, COMPONENT_TABLES[component])
    t = Table(names=list(frame.index))
    for col in static:
        dtype = _DTYPES[COMPONENT_ATTRIBUTES[component][col].kind]
        t.static[col] = frame[col].to_numpy(dtype=dtype)
    for col in series:
        t.series[col] = network.get_series(component, col).to_numpy(dtype=float).T
    return t


def _positions(names: list[str], values: np.ndarray) -> np.ndarray:
    lookup = {n: i for i, n in enumerate(names)}
    return np.array([lookup[v] for v in values], dtype=int)


def prepare(network: Network, relax: bool = False) -> ModelInputs:
    """Validate the network again (:meth:`~jkenergy.network.Network.validate`: tables may
    have been edited after ``add_*``) and turn it into :class:`ModelInputs` (scaled units).

    Parameters
    ----------
    network : Network
    relax : bool, default False
        Build the infeasibility-diagnosis variant (see :mod:`jkenergy.model.buses`).
    """
    network.validate()
    buses = _table(network, "bus", ["carrier", "country", "voll"], [])
    bus_names = buses.names
    gens = _table(
        network,
        "generator",
        [
            "carrier",
            "p_nom",
            "p_nom_extendable",
            "p_nom_min",
            "p_nom_max",
            "capital_cost",
            "co2_intensity",
            "capacity_credit",
            "fixed_cost",
            "retirable",
        ],
        ["p_max_pu", "p_min_pu", "marginal_cost"],
    )
    gens.static["bus"] = _positions(bus_names, network.generators["bus"].to_numpy())
    for pu in ("p_max_pu", "p_min_pu"):
        gens.series[pu] = np.where(gens.series[pu] < PU_TOLERANCE, 0.0, gens.series[pu])
    loads = _table(network, "load", [], ["p"])
    loads.static["bus"] = _positions(bus_names, network.loads["bus"].to_numpy())
    storage = _table(
        network,
        "storage",
        [
            "carrier",
            "p_nom",
            "p_nom_extendable",
            "p_nom_min",
            "p_nom_max",
            "max_hours",
            "e_nom",
            "e_nom_extendable",
            "e_nom_max",
            "capital_cost",
            "capital_cost_energy",
            "marginal_cost",
            "efficiency_store",
            "efficiency_dispatch",
            "standing_loss",
            "cyclic",
            "e_initial",
            "capacity_credit",
        ],
        [],
    )
    storage.static["bus"] = _positions(bus_names, network.storage["bus"].to_numpy())
    links = _table(
        network,
        "link",
        [
            "carrier",
            "p_nom",
            "p_nom_extendable",
            "p_nom_min",
            "p_nom_max",
            "efficiency",
            "bidirectional",
            "capital_cost",
            "marginal_cost",
            "capacity_credit",
        ],
        [],
    )
    links.static["bus0"] = _positions(bus_names, network.links["bus0"].to_numpy())
    links.static["bus1"] = _positions(bus_names, network.links["bus1"].to_numpy())

    for table in (gens, storage, links):  # lower bound of an extendable capacity
        table.static["p_nom_lower"] = np.maximum(table.static["p_nom"], table.static["p_nom_min"])

    # carbon price folds into the generators' marginal cost (USD/MWh)
    gen_country = buses.static["country"][gens.static["bus"]] if len(gens) else np.array([])
    carbon = np.array([network.carbon_prices.get(c, 0.0) for c in gen_country], dtype=float)
    gens.static["country"] = gen_country
    gens.static["carbon_cost"] = carbon * gens.static["co2_intensity"].astype(float)

    bus_load = np.zeros((len(buses), len(network.snapshots)))
    if len(loads):
        np.add.at(bus_load, loads.static["bus"], loads.series["p"])

    weights = network.snapshot_weightings.to_numpy(dtype=float)
    periods = network.periods
    return ModelInputs(
        snapshots=network.snapshots,
        weights=weights,
        durations=(
            network.snapshot_durations.to_numpy(dtype=float)
            if periods is None
            else np.asarray(periods.duration, dtype=float)
        ),
        buses=buses,
        loads=loads,
        generators=gens,
        storage=storage,
        links=links,
        bus_load=bus_load * POWER,
        co2_limits=network.co2_limits,
        renewable_shares=network.renewable_shares,
        renewable_carriers=network.renewable_carriers,
        relax=relax,
        periods=periods,
        reserve_margins=network.reserve_margins,
    )
