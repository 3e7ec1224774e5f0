"""Networks to and from PyPSA, for the components both have.

:func:`to_pypsa` writes a :class:`~jkenergy.Network` as a :class:`pypsa.Network`;
:func:`from_pypsa` reads one back. Both carry what the two models mean the same way
and refuse the rest with a :class:`~jkenergy.errors.ComponentError` naming the component
and the attribute, so that a converted network never solves to a different optimum in
silence.

What maps to what:

- bus (``carrier``, ``country``) <-> Bus (``electricity`` <-> ``AC``; ``country`` as an
  extra column, read back from ``country`` or else ``location``);
- load ``p`` <-> Load ``p_set``;
- generator <-> Generator (``co2_intensity`` <-> the carrier's ``co2_emissions`` divided
  by the generator's ``efficiency``);
- storage with ``max_hours`` <-> StorageUnit (``cyclic`` <-> ``cyclic_state_of_charge``,
  ``e_initial`` <-> ``state_of_charge_initial``);
- storage with ``p_nom = inf`` and ``max_hours = NaN`` <-> Store (``e_nom``;
  ``capital_cost_energy`` <-> ``capital_cost``);
- one-way link <-> Link with ``p_min_pu = 0``; bidirectional link <-> Link with
  ``p_min_pu = -1``, lossless and without marginal cost only (PyPSA's reverse flow gains
  the loss and earns the marginal cost);
- CO2 limit over every country <-> GlobalConstraint ``primary_energy`` on
  ``co2_emissions``;
- snapshot weights <-> ``snapshot_weightings`` ``objective`` and ``generators`` (cost,
  energy, emissions: one column in jkenergy, so the two must agree); snapshot durations
  (the storage time step) <-> ``snapshot_weightings`` ``stores``, written from
  ``Network.snapshot_durations`` and read back as explicit ``durations`` (not left to the
  default rule, which would step hourly snapshots weighted 3 h by 1 h where PyPSA steps by
  3 h).

Capacity: an extendable component's existing capacity is ``p_nom`` in both; PyPSA's lower
bound ``p_nom_min`` is jkenergy's ``max(p_nom, p_nom_min)``. PyPSA subtracts the capital
cost of the existing capacity from its objective, so both objectives count new capacity
only and agree.

PyPSA is an optional dependency (``pip install jkenergy[bench]``).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .errors import ComponentError
from .network import Network

if TYPE_CHECKING:
    import pypsa

__all__ = ["from_pypsa", "to_pypsa"]

_ELECTRIC = {"AC": "electricity", "DC": "electricity"}
"""PyPSA bus carriers read as jkenergy's ``electricity``."""

_GENERATOR = ("p_nom", "p_nom_extendable", "p_nom_max", "capital_cost")
_STORAGE_UNIT = (
    "p_nom", "p_nom_extendable", "p_nom_max", "max_hours", "capital_cost", "marginal_cost",
    "efficiency_store", "efficiency_dispatch", "standing_loss",
)  # fmt: skip
_LINK = ("p_nom", "p_nom_extendable", "p_nom_max", "efficiency", "capital_cost", "marginal_cost")

_READ: dict[str, set[str]] = {
    "buses": {"carrier", "country", "location"},
    "loads": {"bus", "carrier", "p_set"},
    "generators": {"bus", "carrier", "p_nom_min", "marginal_cost", "p_max_pu", "p_min_pu",
                   "efficiency", *_GENERATOR},
    "storage_units": {"bus", "carrier", "p_nom_min", "cyclic_state_of_charge",
                      "state_of_charge_initial", "p_min_pu", "p_max_pu", *_STORAGE_UNIT},
    "stores": {"bus", "carrier", "e_nom", "e_nom_extendable", "e_nom_min", "e_nom_max",
               "capital_cost", "standing_loss", "e_cyclic", "e_initial"},
    "links": {"bus0", "bus1", "carrier", "p_nom_min", "p_min_pu", "p_max_pu", *_LINK},
    "carriers": {"co2_emissions", "color", "nice_name"},
    "global_constraints": {"type", "carrier_attribute", "sense", "constant"},
}  # fmt: skip
"""PyPSA input attributes :func:`from_pypsa` reads, per component list."""

_IGNORED = {
    "type", "control", "weight", "build_year", "lifetime", "q_set", "x", "y", "v_nom",
    "v_mag_pu_set", "v_mag_pu_min", "v_mag_pu_max", "unit", "active", "sign",
    "max_growth", "max_relative_growth", "length", "terrain_factor",
}  # fmt: skip
"""Inputs that do not change a linear dispatch-and-investment optimum (power flow, plotting,
clustering, multi-period growth, a link's length); ``active`` and ``sign`` are checked
separately."""

_NOT_IN_JKENERGY = ("lines", "transformers", "shunt_impedances", "processes")


def _pypsa():
    try:
        import pypsa
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError(
            "jkenergy's PyPSA converters need pypsa (pip install 'jkenergy[bench]')"
        ) from err
    return pypsa


# ----------------------------------------------------------------------------- to PyPSA
def _refuse(label: str, attribute: str, why: str) -> ComponentError:
    return ComponentError(f"to_pypsa: {label}: {attribute} {why}")


def _static_or_series(network: Network, component: str, name: str, attr: str) -> Any:
    """The value of a series attribute: a float, or a Series over the snapshots."""
    value = network.get_series(component, attr)[name]
    return float(value.iloc[0]) if np.allclose(value, value.iloc[0], rtol=0, atol=0) else value


def _check_to_pypsa(network: Network) -> None:
    if network.periods is not None:
        raise _refuse(
            "network", "periods",
            "(representative periods with linked storage) have no PyPSA equivalent; "
            "convert the network before aggregating it",
        )  # fmt: skip
    for name, voll in network.buses["voll"].items():
        if not math.isnan(float(voll)):
            raise _refuse(
                f"bus {name!r}", "voll",
                "has no PyPSA attribute; add a generator with marginal_cost=voll instead",
            )  # fmt: skip
    if network.carbon_prices:
        country = next(iter(network.carbon_prices))
        raise _refuse(
            f"carbon_price {country!r}", "price",
            "has no PyPSA equivalent (fold it into the generators' marginal_cost)",
        )  # fmt: skip
    if len(network.renewable_shares):
        raise _refuse(
            f"renewable_share {network.renewable_shares.index[0]!r}", "share",
            "has no PyPSA global constraint",
        )  # fmt: skip
    for name, row in network.co2_limits.iterrows():
        if set(row["countries"]) != set(network.countries):
            raise _refuse(
                f"co2_limit {name!r}", "countries",
                f"{list(row['countries'])} covers part of the network only; PyPSA's "
                "primary_energy constraint covers every generator",
            )  # fmt: skip
        if row["allocation"]:
            raise _refuse(f"co2_limit {name!r}", "allocation", "has no PyPSA equivalent")
    for name, row in network.links.iterrows():
        if row["bidirectional"] and (row["efficiency"] != 1.0 or row["marginal_cost"] != 0.0):
            raise _refuse(
                f"link {name!r}", "bidirectional",
                "with efficiency < 1 or a marginal_cost has no single PyPSA Link (PyPSA's "
                "reverse flow, p_min_pu=-1, gains the loss and earns the cost); split it "
                "into two one-way links",
            )  # fmt: skip
    for name, row in network.storage.iterrows():
        if math.isnan(row["max_hours"]):
            plain = (
                row["p_nom"] == math.inf
                and row["efficiency_store"] == 1.0
                and row["efficiency_dispatch"] == 1.0
                and row["marginal_cost"] == 0.0
            )
            if not plain:
                raise _refuse(
                    f"storage {name!r}", "max_hours",
                    "is NaN (energy sized apart from power): only a store with p_nom=inf, "
                    "efficiencies 1 and no marginal_cost maps to a PyPSA Store; otherwise "
                    "build the Store and its two Links in PyPSA",
                )  # fmt: skip


def _carriers(network: Network, n: pypsa.Network) -> None:
    gens = network.generators
    intensity: dict[str, float] = {}
    for name, row in gens.iterrows():
        c, value = str(row["carrier"]), float(row["co2_intensity"])
        if c in intensity and not math.isclose(intensity[c], value, rel_tol=1e-12):
            raise _refuse(
                f"generator {name!r}", "co2_intensity",
                f"{value:g} differs from that of another {c!r} generator ({intensity[c]:g}); "
                "PyPSA keeps emissions per carrier: give them different carriers",
            )  # fmt: skip
        intensity[c] = value
    used = set(gens["carrier"]) | set(network.storage["carrier"]) | set(network.links["carrier"])
    used |= {"AC" if c == "electricity" else c for c in network.buses["carrier"]}
    for c in sorted(str(c) for c in used):
        n.add("Carrier", c, co2_emissions=intensity.get(c, 0.0))


def to_pypsa(network: Network) -> pypsa.Network:
    """The same network as a :class:`pypsa.Network` (see the module docstring for the map).

    Parameters
    ----------
    network : Network

    Returns
    -------
    pypsa.Network
        Unsolved; ``n.optimize()`` gives the same objective and dispatch as
        ``network.optimize()``.

    Raises
    ------
    ComponentError
        Naming the component and attribute PyPSA cannot express the same way (a bus's
        ``voll``, carbon prices, renewable shares, CO2 limits over part of the countries,
        lossy bidirectional links, storage sized apart from power with finite power,
        representative periods).

    Examples
    --------
    >>> import pandas as pd, jkenergy as jk
    >>> n = jk.Network(pd.date_range("2030", periods=2, freq="h"))
    >>> n.add_bus("JP", country="JP"); n.add_load("d", bus="JP", p=[5.0, 10.0])
    >>> n.add_generator("g", bus="JP", carrier="lng", p_nom=20.0, marginal_cost=3.0)
    >>> p = to_pypsa(n)  # doctest: +SKIP
    >>> p.buses.loc["JP", "carrier"], p.loads_t.p_set["d"].tolist()  # doctest: +SKIP
    ('AC', [5.0, 10.0])
    >>> n.set_carbon_price("JP", 10.0)
    >>> to_pypsa(n)
    Traceback (most recent call last):
    ...
    jkenergy.errors.ComponentError: to_pypsa: carbon_price 'JP': price has no PyPSA equivalent ...
    """
    _check_to_pypsa(network)
    n = _pypsa().Network()
    n.set_snapshots(network.snapshots)
    for column in ("objective", "generators"):
        n.snapshot_weightings[column] = network.snapshot_weightings.to_numpy(dtype=float)
    n.snapshot_weightings["stores"] = network.snapshot_durations.to_numpy(dtype=float)
    _carriers(network, n)
    for name, row in network.buses.iterrows():
        carrier = "AC" if row["carrier"] == "electricity" else str(row["carrier"])
        n.add("Bus", name, carrier=carrier)
    n.buses["country"] = network.buses["country"].astype(str).reindex(n.buses.index)
    loads = network.get_series("load", "p")
    for name, row in network.loads.iterrows():
        n.add("Load", name, bus=row["bus"], p_set=loads[name])
    for name, row in network.generators.iterrows():
        n.add(
            "Generator", name, bus=row["bus"], carrier=row["carrier"],
            p_nom_min=max(float(row["p_nom"]), float(row["p_nom_min"])) * row["p_nom_extendable"],
            **{a: row[a] for a in _GENERATOR},
            **{a: _static_or_series(network, "generator", name, a)
               for a in ("marginal_cost", "p_max_pu", "p_min_pu")},
        )  # fmt: skip
    for name, row in network.storage.iterrows():
        if math.isnan(row["max_hours"]):
            n.add(
                "Store", name, bus=row["bus"], carrier=row["carrier"], e_nom=row["e_nom"],
                e_nom_extendable=row["e_nom_extendable"], e_nom_max=row["e_nom_max"],
                e_nom_min=float(row["e_nom"]) * row["e_nom_extendable"],
                capital_cost=row["capital_cost_energy"], standing_loss=row["standing_loss"],
                e_cyclic=row["cyclic"], e_initial=row["e_initial"],
            )  # fmt: skip
            continue
        n.add(
            "StorageUnit", name, bus=row["bus"], carrier=row["carrier"],
            p_nom_min=max(float(row["p_nom"]), float(row["p_nom_min"])) * row["p_nom_extendable"],
            cyclic_state_of_charge=row["cyclic"], state_of_charge_initial=row["e_initial"],
            **{a: row[a] for a in _STORAGE_UNIT},
        )  # fmt: skip
    for name, row in network.links.iterrows():
        n.add(
            "Link", name, bus0=row["bus0"], bus1=row["bus1"], carrier=row["carrier"],
            p_nom_min=max(float(row["p_nom"]), float(row["p_nom_min"])) * row["p_nom_extendable"],
            p_min_pu=-1.0 if row["bidirectional"] else 0.0, **{a: row[a] for a in _LINK},
        )  # fmt: skip
    for name, row in network.co2_limits.iterrows():
        n.add(
            "GlobalConstraint", name, type="primary_energy", carrier_attribute="co2_emissions",
            sense="<=", constant=float(row["limit"]),
        )  # fmt: skip
    return n


# --------------------------------------------------------------------------- from PyPSA
def _unread(n: pypsa.Network, list_name: str) -> None:
    """Refuse any input of ``list_name`` that jkenergy would not read, unless at its default."""
    table = getattr(n, list_name)
    if table.empty:
        return
    component = n.components[list_name]
    defaults = component.defaults
    inputs = defaults.index[defaults["status"].str.startswith("Input")]
    dynamic = getattr(n, f"{list_name}_t", {})
    for attr in inputs:
        if attr in ("name", *_READ.get(list_name, ()), *_IGNORED):
            continue
        if attr in table.columns:
            default = defaults.at[attr, "default"]
            column = table[attr]
            differs = ~(column.isna() & pd.isna(default)) & (column != default)
            if differs.any():
                value = column[differs].iloc[0]
                value = value.item() if isinstance(value, np.generic) else value
                raise ComponentError(
                    f"from_pypsa: {component.name} {column.index[differs.to_numpy()][0]!r}: "
                    f"{attr}={value!r} has no jkenergy "
                    f"equivalent (only the default {default!r} can be read)"
                )
        if attr in dynamic and not dynamic[attr].empty:
            raise ComponentError(
                f"from_pypsa: {component.name} {dynamic[attr].columns[0]!r}: {attr} given per "
                "snapshot has no jkenergy equivalent"
            )
    for attr, want in (("active", True), ("sign", None)):
        if attr in table.columns and want is not None and not table[attr].all():
            bad = table.index[~table[attr].astype(bool)][0]
            raise ComponentError(
                f"from_pypsa: {component.name} {bad!r}: active=False; remove the component "
                "or make it active (jkenergy has no inactive components)"
            )
    if "sign" in table.columns:
        expected = defaults.at["sign", "default"]
        bad = table.index[table["sign"] != expected]
        if len(bad):
            raise ComponentError(
                f"from_pypsa: {component.name} {bad[0]!r}: sign={table.at[bad[0], 'sign']!r} "
                f"has no jkenergy equivalent (only {expected!r})"
            )


def _series(n: pypsa.Network, list_name: str, attr: str, name: str) -> Any:
    dynamic = getattr(n, f"{list_name}_t")[attr]
    if name in dynamic.columns:
        return dynamic[name].rename(None)
    return float(getattr(n, list_name).at[name, attr])


def _only_static(n: pypsa.Network, list_name: str, attr: str) -> None:
    dynamic = getattr(n, f"{list_name}_t").get(attr)
    if dynamic is not None and not dynamic.empty:
        raise ComponentError(
            f"from_pypsa: {n.components[list_name].name} {dynamic.columns[0]!r}: {attr} given "
            "per snapshot has no jkenergy equivalent"
        )


def _check_from_pypsa(n: pypsa.Network) -> None:
    for list_name in _NOT_IN_JKENERGY:
        table = getattr(n, list_name, None)
        if table is not None and not table.empty:
            raise ComponentError(
                f"from_pypsa: {n.components[list_name].name} {table.index[0]!r}: jkenergy has "
                f"no {list_name} (no AC power flow); model the connection as a Link"
            )
    if len(getattr(n, "investment_periods", [])):
        raise ComponentError("from_pypsa: investment_periods: jkenergy solves one period")
    if not isinstance(n.snapshots, pd.DatetimeIndex):
        raise ComponentError(
            f"from_pypsa: snapshots must be a DatetimeIndex, got {type(n.snapshots).__name__}"
        )
    w = n.snapshot_weightings
    if not np.allclose(w["generators"], w["objective"], rtol=0, atol=0):
        raise ComponentError(
            "from_pypsa: snapshot_weightings: generators differs from objective; jkenergy "
            "weights cost, energy and emissions alike (one weight per snapshot; the stores "
            "column may differ, it is the storage time step)"
        )
    for list_name in ("buses", "carriers", "generators", "loads", "storage_units", "stores"):
        _unread(n, list_name)
    _unread(n, "links")
    extra = [c for c in n.links.columns if c.startswith("bus") and c not in ("bus0", "bus1")]
    for c in extra:
        used = n.links.index[n.links[c].astype(str) != ""]
        if len(used):
            raise ComponentError(
                f"from_pypsa: Link {used[0]!r}: {c} (a link with more than two ports) has no "
                "jkenergy equivalent; split it into two-port links"
            )
    for name, row in n.links.iterrows():
        if row["p_max_pu"] != 1.0 or row["p_min_pu"] not in (0.0, -1.0):
            raise ComponentError(
                f"from_pypsa: Link {name!r}: p_min_pu={row['p_min_pu']!r}, p_max_pu="
                f"{row['p_max_pu']!r}: jkenergy reads p_min_pu 0 (one way) or -1 "
                "(both ways) and p_max_pu 1 only"
            )
        if row["p_min_pu"] == -1.0 and (row["efficiency"] != 1.0 or row["marginal_cost"] != 0.0):
            raise ComponentError(
                f"from_pypsa: Link {name!r}: p_min_pu=-1 with efficiency "
                f"{row['efficiency']!r} or marginal_cost {row['marginal_cost']!r}: PyPSA's "
                "reverse flow gains the loss and earns the cost; jkenergy's bidirectional "
                "links lose and pay each way. Use efficiency 1 and marginal_cost 0, or two links"
            )
    for attr in ("efficiency", "p_min_pu", "p_max_pu", "marginal_cost"):
        _only_static(n, "links", attr)
    for attr in ("efficiency",):
        _only_static(n, "generators", attr)
    for attr in ("p_min_pu", "p_max_pu", "marginal_cost", "efficiency_store",
                 "efficiency_dispatch", "standing_loss"):  # fmt: skip
        _only_static(n, "storage_units", attr)
    for name, row in n.storage_units.iterrows():
        if row["p_min_pu"] != -1.0 or row["p_max_pu"] != 1.0:
            raise ComponentError(
                f"from_pypsa: StorageUnit {name!r}: p_min_pu/p_max_pu other than -1/1 have "
                "no jkenergy equivalent"
            )
    for name, row in n.global_constraints.iterrows():
        if (row["type"], row["carrier_attribute"], row["sense"]) != (
            "primary_energy",
            "co2_emissions",
            "<=",
        ):
            raise ComponentError(
                f"from_pypsa: GlobalConstraint {name!r}: only type primary_energy on "
                f"co2_emissions with sense '<=' is read, got {row['type']!r}, "
                f"{row['carrier_attribute']!r}, {row['sense']!r}"
            )


def _country(n: pypsa.Network) -> pd.Series:
    for column in ("country", "location"):
        if column in n.buses.columns:
            values = n.buses[column].fillna("").astype(str)
            if (values != "").any():
                return values
    return pd.Series("", index=n.buses.index)


def from_pypsa(n: pypsa.Network) -> Network:
    """A jkenergy :class:`~jkenergy.Network` from a :class:`pypsa.Network`.

    Parameters
    ----------
    n : pypsa.Network
        With snapshots as a DatetimeIndex and equal ``objective`` and ``generators``
        weightings (jkenergy's weights); the ``stores`` weighting becomes the durations.
        Buses' countries are read from a ``country`` column (else ``location``).

    Returns
    -------
    Network

    Raises
    ------
    ComponentError
        Naming the PyPSA component and attribute jkenergy has no equivalent for (lines and
        transformers, unit commitment, ramp limits, multi-port links, quadratic costs,
        storage inflow, ... any input not at its default that is not mapped).

    Examples
    --------
    >>> import pandas as pd
    >>> import pypsa  # doctest: +SKIP
    >>> p = pypsa.Network()  # doctest: +SKIP
    >>> p.set_snapshots(pd.date_range("2030", periods=2, freq="h"))  # doctest: +SKIP
    >>> p.add("Bus", "JP"); p.add("Load", "d", bus="JP", p_set=[5.0, 10.0])  # doctest: +SKIP
    >>> p.add("Generator", "g", bus="JP", p_nom=20.0, marginal_cost=3.0)  # doctest: +SKIP
    >>> from_pypsa(p).optimize().objective  # doctest: +SKIP
    45.0
    >>> from_pypsa("network.nc")
    Traceback (most recent call last):
    ...
    jkenergy.errors.ComponentError: from_pypsa: expected a pypsa.Network, got str ...
    """
    if type(n).__name__ != "Network" or not hasattr(n, "storage_units"):
        raise ComponentError(
            f"from_pypsa: expected a pypsa.Network, got {type(n).__name__} (read a file with "
            "pypsa.Network(path) first)"
        )
    _check_from_pypsa(n)
    snapshots = pd.DatetimeIndex(n.snapshots).rename("snapshot")
    w = n.snapshot_weightings
    out = Network(
        snapshots,
        weights=pd.Series(w["objective"].to_numpy(dtype=float), index=snapshots),
        durations=pd.Series(w["stores"].to_numpy(dtype=float), index=snapshots),
    )
    country = _country(n)
    for name, row in n.buses.iterrows():
        carrier = _ELECTRIC.get(str(row["carrier"]), str(row["carrier"]))
        out.add_bus(str(name), carrier=carrier, country=country[name])
    emissions = n.carriers["co2_emissions"].to_dict() if "co2_emissions" in n.carriers else {}
    for name in n.loads.index:
        out.add_load(str(name), bus=str(n.loads.at[name, "bus"]),
                     p=_series(n, "loads", "p_set", name))  # fmt: skip
    for name, row in n.generators.iterrows():
        intensity = float(emissions.get(row["carrier"], 0.0)) / float(row["efficiency"])
        out.add_generator(
            str(name), bus=str(row["bus"]), carrier=str(row["carrier"]),
            co2_intensity=intensity, **_capacity(row, f"Generator {name!r}"),
            **{a: float(row[a]) for a in ("capital_cost",)},
            **{a: _series(n, "generators", a, name)
               for a in ("marginal_cost", "p_max_pu", "p_min_pu")},
        )  # fmt: skip
    for name, row in n.storage_units.iterrows():
        out.add_storage(
            str(name), bus=str(row["bus"]), carrier=str(row["carrier"]),
            **_capacity(row, f"StorageUnit {name!r}"),
            cyclic=bool(row["cyclic_state_of_charge"]),
            e_initial=float(row["state_of_charge_initial"]),
            **{a: float(row[a]) for a in _STORAGE_UNIT if not a.startswith("p_nom")},
        )  # fmt: skip
    for name, row in n.stores.iterrows():
        ext = bool(row["e_nom_extendable"])
        out.add_storage(
            str(name), bus=str(row["bus"]), carrier=str(row["carrier"]), p_nom=math.inf,
            max_hours=math.nan, e_nom=float(row["e_nom"]), e_nom_extendable=ext,
            e_nom_max=float(row["e_nom_max"]), capital_cost_energy=float(row["capital_cost"]),
            standing_loss=float(row["standing_loss"]), cyclic=bool(row["e_cyclic"]),
            e_initial=float(row["e_initial"]),
        )  # fmt: skip
        if ext and float(row["e_nom_min"]) > float(row["e_nom"]):
            raise ComponentError(
                f"from_pypsa: Store {name!r}: e_nom_min above e_nom has no jkenergy "
                "equivalent (its storage has no minimum energy capacity); set e_nom to it"
            )
    for name, row in n.links.iterrows():
        out.add_link(
            str(name), bus0=str(row["bus0"]), bus1=str(row["bus1"]),
            carrier=str(row["carrier"]), bidirectional=bool(row["p_min_pu"] == -1.0),
            efficiency=float(row["efficiency"]), capital_cost=float(row["capital_cost"]),
            marginal_cost=float(row["marginal_cost"]), **_capacity(row, f"Link {name!r}"),
        )  # fmt: skip
    for name, row in n.global_constraints.iterrows():
        if not out.countries:
            raise ComponentError(
                f"from_pypsa: GlobalConstraint {name!r}: jkenergy's CO2 limits cover "
                "countries; give the buses a 'country' column"
            )
        out.add_co2_limit(str(name), countries=out.countries, limit=float(row["constant"]))
    return out


def _capacity(row: pd.Series, label: str) -> dict[str, Any]:
    """jkenergy capacity attributes of a PyPSA component (``p_nom`` family)."""
    ext = bool(row["p_nom_extendable"])
    values = {"p_nom": float(row["p_nom"]), "p_nom_extendable": ext}
    if not ext:
        return values
    if float(row["p_nom_min"]) < float(row["p_nom"]):
        raise ComponentError(
            f"from_pypsa: {label}: extendable with p_nom_min={row['p_nom_min']!r} below "
            f"p_nom={row['p_nom']!r}: PyPSA may retire capacity below p_nom (and earn back its "
            "capital cost), jkenergy keeps p_nom as existing capacity; set p_nom_min >= p_nom"
        )
    values["p_nom_max"] = float(row["p_nom_max"])
    # jkenergy's lower bound is max(p_nom, p_nom_min): a p_nom_min equal to p_nom adds nothing
    low = float(row["p_nom_min"])
    values["p_nom_min"] = low if low > float(row["p_nom"]) else 0.0
    return values
