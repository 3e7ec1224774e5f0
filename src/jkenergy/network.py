"""The energy network: components as pandas tables, validated as they are added.

Nothing here knows about Japan or Korea. Component attributes are defined once, in
:mod:`jkenergy.components`; every ``add_*`` method checks its input against that table and
either adds the whole component or raises and leaves the network unchanged.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
import pandas as pd

from .components import (
    COMPONENT_ATTRIBUTES,
    COMPONENT_TABLES,
    DEFAULT_RENEWABLE_CARRIERS,
    Attribute,
)
from .errors import ComponentError, DuplicateComponentError, UnknownComponentError
from .specs import AttributePath, parse_path

if TYPE_CHECKING:
    from .periods import Periods
    from .results import Result

Scalar = float | int
_OPTIMIZER: Callable[..., Result] | None = None


def register_optimizer(optimize: Callable[..., Result]) -> None:
    """Make ``optimize(network, **options)`` the function :meth:`Network.optimize` calls.

    The solve package calls this on import, so the network layer needs no import of the
    solver (layers import only downwards).

    Examples
    --------
    >>> import jkenergy as jk
    >>> from jkenergy.network import register_optimizer
    >>> register_optimizer(jk.optimize)  # what ``import jkenergy`` does
    """
    global _OPTIMIZER
    _OPTIMIZER = optimize


SeriesLike: TypeAlias = Scalar | pd.Series | np.ndarray | list


def _format_snapshot(ts: Any) -> str:
    return str(pd.Timestamp(ts)) if not isinstance(ts, int | np.integer) else f"position {ts}"


def fixed_size_build(network: Network, table: str, name: str) -> bool:
    """Whether a component is a build of fixed size: ``p_nom_extendable`` with
    ``p_nom_min == p_nom_max`` (its capacity is that size, paid at ``capital_cost`` above
    ``p_nom``), as :func:`jkenergy.japan_korea` makes a link of ``interconnector: <MW>``.

    :meth:`Network.set_attribute` sets the size of such a build when given its ``p_nom``.

    Parameters
    ----------
    network : Network
    table : str
        ``"generators"``, ``"storage"``, ``"links"``, ... (a table without
        ``p_nom_extendable`` has no builds).
    name : str
        The component; an unknown name is not a build.

    Returns
    -------
    bool

    Examples
    --------
    >>> import pandas as pd
    >>> n = Network(pd.date_range("2030", periods=1, freq="h"))
    >>> n.add_bus("A"); n.add_bus("B")
    >>> n.add_link("AB", bus0="A", bus1="B", p_nom_extendable=True, p_nom_min=5.0,
    ...            p_nom_max=5.0)
    >>> n.add_link("BA", bus0="B", bus1="A", p_nom_extendable=True, p_nom_max=5.0)
    >>> fixed_size_build(n, "links", "AB"), fixed_size_build(n, "links", "BA")
    (True, False)
    """
    frame = getattr(network, table)
    if "p_nom_extendable" not in frame.columns or name not in frame.index:
        return False
    row = frame.loc[name]
    return bool(row["p_nom_extendable"]) and float(row["p_nom_min"]) == float(row["p_nom_max"])


_BOUNDS = ("p_nom_extendable", "p_nom_max", "p_nom_min")


def _component(path: str) -> str:
    return path.rpartition(".")[0]


def split_size_overrides(overrides: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split ``{path: value}`` overrides into those applied first and the sizes applied
    last (:meth:`Network.set_attributes`): every ``p_nom``, with the bounds
    (``p_nom_extendable``, ``p_nom_max``, ``p_nom_min``) of a component whose ``p_nom`` is
    overridden too.

    A builder applies the first part as it builds and the sizes on the built network,
    where :meth:`Network.set_attribute` knows a build of fixed size.

    Examples
    --------
    >>> first, sizes = split_size_overrides({"links.L.p_nom": 5.0, "links.L.p_nom_max": 9.0,
    ...                                      "generators.g.p_nom_max": 3.0})
    >>> first, sizes
    ({'generators.g.p_nom_max': 3.0}, {'links.L.p_nom': 5.0, 'links.L.p_nom_max': 9.0})
    """
    sized = {_component(p) for p in overrides if p.rpartition(".")[2] == "p_nom"}
    late = {
        p
        for p in overrides
        if _component(p) in sized and p.rpartition(".")[2] in ("p_nom", *_BOUNDS)
    }
    first = {p: v for p, v in overrides.items() if p not in late}
    return first, {p: v for p, v in overrides.items() if p in late}


class Network:
    """A network of buses, loads, generators, storage and links over a set of snapshots.

    Parameters
    ----------
    snapshots : pandas.DatetimeIndex
        The time steps, strictly increasing, without duplicates.
    weights : float or pandas.Series, default 1.0
        Hours each snapshot stands for in every sum over the horizon: cost, energy,
        emissions, CO2 limits and renewable shares (PyPSA's ``objective`` and
        ``generators`` weightings). A Series must be indexed by ``snapshots``.
    durations : float or pandas.Series, optional
        Hours each snapshot lasts as a storage time step (PyPSA's ``stores`` weighting).
        By default the weight, but never longer than the time to the next snapshot (the
        last snapshot: the step before it; a single snapshot: its weight). So hourly
        snapshots weighted 52 to stand for a year step storage by 1 h, while a weight that
        is the snapshot's real length (resampled 3-h blocks) is also its duration.
    renewable_carriers : iterable of str, optional
        Generator carriers that count as renewable in :meth:`add_renewable_share`.
        Defaults to :data:`jkenergy.components.DEFAULT_RENEWABLE_CARRIERS`.

    Attributes
    ----------
    buses, loads, generators, storage, links : pandas.DataFrame
        One row per component, one column per attribute (see :mod:`jkenergy.components`).
        Attributes given per snapshot hold NaN here and live in the ``*_t`` tables.
    generators_t, loads_t : dict of str to pandas.DataFrame
        Time-varying attributes, snapshots as rows and component names as columns.
    snapshot_weightings : pandas.Series
        Hours each snapshot stands for (``weights``).
    snapshot_durations : pandas.Series
        Hours each snapshot lasts as a storage time step (``durations``, or the default
        rule above applied to the current weights).
    co2_limits : pandas.DataFrame
        ``countries`` (tuple of str) and ``limit`` (tCO2 over the weighted horizon).
    carbon_prices : dict of str to float
        USD/tCO2 per country.
    renewable_shares : pandas.DataFrame
        ``country`` and ``share`` (minimum share of electricity demand).
    reserve_margins : pandas.DataFrame
        ``countries`` (tuple of str), ``margin`` (p.u. above peak demand) and
        ``storage_hours`` (h), see :meth:`add_reserve_margin`.
    periods : jkenergy.periods.Periods or None
        Set on networks made by :func:`jkenergy.aggregation.representative_days`: which
        original period each typical period stands for, so storage can carry energy
        across typical periods. ``None`` (default) for an ordinary time series.

    Examples
    --------
    >>> import pandas as pd
    >>> n = Network(pd.date_range("2030-01-01", periods=2, freq="h"))
    >>> n.add_bus("JP", country="JP")
    >>> n.add_load("JP_load", bus="JP", p=100.0)
    >>> n.add_generator("JP_gas", bus="JP", carrier="gas", p_nom=200.0, marginal_cost=50.0)
    >>> round(n.optimize().objective, 6)
    10000.0
    """

    # Set in __init__ with setattr, one table per COMPONENT_TABLES entry.
    buses: pd.DataFrame
    loads: pd.DataFrame
    generators: pd.DataFrame
    storage: pd.DataFrame
    links: pd.DataFrame
    buses_t: dict[str, pd.DataFrame]
    loads_t: dict[str, pd.DataFrame]
    generators_t: dict[str, pd.DataFrame]
    storage_t: dict[str, pd.DataFrame]
    links_t: dict[str, pd.DataFrame]

    def __init__(
        self,
        snapshots: pd.DatetimeIndex,
        weights: float | pd.Series = 1.0,
        renewable_carriers: Iterable[str] | None = None,
        durations: float | pd.Series | None = None,
    ) -> None:
        if not isinstance(snapshots, pd.DatetimeIndex):
            raise ComponentError(
                f"network: snapshots must be a pandas.DatetimeIndex, got {type(snapshots).__name__}"
            )
        if len(snapshots) == 0:
            raise ComponentError("network: snapshots must not be empty")
        if snapshots.has_duplicates:
            dup = snapshots[snapshots.duplicated()][0]
            raise ComponentError(f"network: snapshots contain a duplicate, {dup}")
        if not snapshots.is_monotonic_increasing:
            raise ComponentError("network: snapshots must be strictly increasing")
        self.snapshots = snapshots.rename("snapshot")
        self.snapshot_weightings = self._weights(weights)
        self._durations: pd.Series | None = None
        if durations is not None:
            self.snapshot_durations = durations
        self.renewable_carriers = frozenset(
            DEFAULT_RENEWABLE_CARRIERS if renewable_carriers is None else renewable_carriers
        )
        for comp, table in COMPONENT_TABLES.items():
            columns = list(COMPONENT_ATTRIBUTES[comp])
            setattr(self, table, pd.DataFrame(columns=columns, index=pd.Index([], name=comp)))
            setattr(self, f"{table}_t", {})
        self.co2_limits = pd.DataFrame(
            {
                "countries": pd.Series(dtype=object),
                "limit": pd.Series(dtype=float),
                "allocation": pd.Series(dtype=object),
            },
            index=pd.Index([], name="co2_limit"),
        )
        self.carbon_prices: dict[str, float] = {}
        self.renewable_shares = pd.DataFrame(
            {"country": pd.Series(dtype=object), "share": pd.Series(dtype=float)},
            index=pd.Index([], name="renewable_share"),
        )
        self.reserve_margins = pd.DataFrame(
            {
                "countries": pd.Series(dtype=object),
                "margin": pd.Series(dtype=float),
                "storage_hours": pd.Series(dtype=float),
            },
            index=pd.Index([], name="reserve_margin"),
        )
        self.periods: Periods | None = None

    # ------------------------------------------------------------------ basics
    def _weights(self, weights: float | pd.Series, what: str = "weights") -> pd.Series:
        if isinstance(weights, pd.Series):
            if not weights.index.equals(self.snapshots):
                raise ComponentError(
                    f"network: {what} must be indexed by exactly the snapshots "
                    f"({len(self.snapshots)} entries), got an index of {len(weights)} entries"
                )
            values = pd.to_numeric(weights, errors="coerce").to_numpy(dtype=float)
        elif isinstance(weights, int | float | np.number) and not isinstance(weights, bool):
            values = np.full(len(self.snapshots), float(weights))
        else:
            raise ComponentError(
                f"network: {what} must be a number or a pandas.Series, got {type(weights)}"
            )
        bad = ~np.isfinite(values) | (values <= 0)
        if bad.any():
            i = int(np.argmax(bad))
            raise ComponentError(
                f"network: {what} must be finite and > 0 hours, got {float(values[i])!r} "
                f"at {self.snapshots[i]}"
            )
        return pd.Series(values, index=self.snapshots, name=what.rstrip("s"))

    @property
    def snapshot_durations(self) -> pd.Series:
        """Hours each snapshot lasts as a storage time step (see ``durations`` above).

        Examples
        --------
        >>> import pandas as pd
        >>> week = pd.date_range("2030-01-07", periods=168, freq="h")
        >>> n = Network(week, weights=8760 / 168)  # a week standing for a year
        >>> float(n.snapshot_weightings.iloc[0]), float(n.snapshot_durations.iloc[0])
        (52.142857142857146, 1.0)
        """
        if self._durations is not None:
            return self._durations
        weights = self.snapshot_weightings.to_numpy(dtype=float)
        if len(self.snapshots) < 2:
            return pd.Series(weights, index=self.snapshots, name="duration")
        steps = self.snapshots[1:] - self.snapshots[:-1]
        gap = np.asarray(steps / pd.Timedelta(hours=1), dtype=float)
        gap = np.append(gap, gap[-1])
        return pd.Series(np.minimum(weights, gap), index=self.snapshots, name="duration")

    @snapshot_durations.setter
    def snapshot_durations(self, durations: float | pd.Series | None) -> None:
        """Set the storage time steps (hours); ``None`` restores the default rule."""
        self._durations = None if durations is None else self._weights(durations, "durations")

    @property
    def countries(self) -> list[str]:
        """Countries of the buses, sorted, without the empty string."""
        return sorted({c for c in self.buses["country"] if c})

    def copy(self) -> Network:
        """Return an independent deep copy of the network."""
        return copy.deepcopy(self)

    def get_series(self, component: str, attribute: str) -> pd.DataFrame:
        """Dense time series of one attribute for every component of a type.

        Parameters
        ----------
        component : {"load", "generator", "storage", "link"}
        attribute : str
            A ``series`` attribute of that component.

        Returns
        -------
        pandas.DataFrame
            Snapshots as rows, component names as columns; static values broadcast.
        """
        table = getattr(self, COMPONENT_TABLES[component])
        dynamic = getattr(self, f"{COMPONENT_TABLES[component]}_t").get(attribute)
        static = table[attribute].astype(float)
        dense = pd.DataFrame(
            np.broadcast_to(static.to_numpy(), (len(self.snapshots), len(static))).copy(),
            index=self.snapshots,
            columns=table.index,
        )
        if dynamic is not None and not dynamic.empty:
            dense[dynamic.columns] = dynamic
        return dense

    # ------------------------------------------------------------- validation
    def _series(self, label: str, attr: Attribute, value: Any) -> np.ndarray | float:
        """Validate a scalar or per-snapshot value; return a float or a float array."""
        if isinstance(value, pd.Series):
            if not value.index.equals(self.snapshots):
                extra = value.index.difference(self.snapshots)
                missing = self.snapshots.difference(value.index)
                where = (
                    f"first unknown index entry {extra[0]}"
                    if len(extra)
                    else (f"first missing snapshot {missing[0]}" if len(missing) else "order")
                )
                raise ComponentError(
                    f"{label}: {attr.name} series must be indexed by exactly the network's "
                    f"{len(self.snapshots)} snapshots, in order; it differs ({where})"
                )
            arr = pd.to_numeric(value, errors="coerce").to_numpy(dtype=float)
            text = np.isnan(arr) & value.notna().to_numpy()
            if text.any():
                i = int(np.argmax(text))
                raise ComponentError(
                    f"{label}: {attr.name} must be numeric, got {value.iloc[i]!r} "
                    f"at {self.snapshots[i]}"
                )
        elif isinstance(value, np.ndarray | list | tuple):
            try:
                arr = np.asarray(value, dtype=float)
            except (TypeError, ValueError):
                raise ComponentError(
                    f"{label}: {attr.name} must be a number or one number per snapshot "
                    f"({len(self.snapshots)}), got a non-numeric or ragged "
                    f"{type(value).__name__}"
                ) from None
            if arr.shape != (len(self.snapshots),):
                raise ComponentError(
                    f"{label}: {attr.name} must be a scalar or have one value per snapshot "
                    f"({len(self.snapshots)}), got shape {arr.shape}"
                )
        else:
            return self._number(label, attr, value)
        bad = ~np.isfinite(arr)
        if bad.any():
            i = int(np.argmax(bad))
            raise ComponentError(
                f"{label}: {attr.name} must be finite (no NaN or inf), got {float(arr[i])!r} "
                f"at {self.snapshots[i]}"
            )
        out = (arr < attr.lower) | (arr > attr.upper)
        if out.any():
            i = int(np.argmax(out))
            raise ComponentError(
                f"{label}: {attr.name} must be {attr.expected()}, got {float(arr[i])!r} "
                f"at {self.snapshots[i]}"
            )
        return arr

    @staticmethod
    def _number(label: str, attr: Attribute, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float | np.number):
            raise ComponentError(
                f"{label}: {attr.name} must be {attr.expected()}, got {type(value).__name__} "
                f"{value!r}"
            )
        x = float(value)
        ok = (
            (math.isnan(x) and attr.allow_nan)
            or (x == math.inf and attr.allow_inf)
            or (
                math.isfinite(x)
                and (x > attr.lower if attr.lower_open else x >= attr.lower)
                and x <= attr.upper
            )
        )
        if not ok:
            raise ComponentError(f"{label}: {attr.name} must be {attr.expected()}, got {x!r}")
        return x

    def _validate(self, component: str, name: Any, kwargs: Mapping[str, Any]) -> dict[str, Any]:
        label = f"{component} {name!r}"
        if not isinstance(name, str) or not name:
            raise ComponentError(f"{component}: name must be a non-empty string, got {name!r}")
        table = getattr(self, COMPONENT_TABLES[component])
        if name in table.index:
            raise DuplicateComponentError(f"{label}: a {component} of this name already exists")
        spec = COMPONENT_ATTRIBUTES[component]
        unknown = sorted(set(kwargs) - set(spec))
        if unknown:
            raise ComponentError(
                f"{label}: unknown attribute {unknown[0]!r}; expected one of {sorted(spec)}"
            )
        values: dict[str, Any] = {}
        for attr in spec.values():
            if attr.name not in kwargs and attr.required:
                raise ComponentError(f"{label}: {attr.name} is required")
            value = kwargs.get(attr.name, attr.default)
            if attr.kind == "str":
                if not isinstance(value, str):
                    raise ComponentError(
                        f"{label}: {attr.name} must be a string, got {type(value).__name__}"
                    )
            elif attr.kind == "bool":
                if not isinstance(value, bool | np.bool_):
                    raise ComponentError(
                        f"{label}: {attr.name} must be True or False, got {value!r}"
                    )
                value = bool(value)
            elif attr.kind == "series":
                value = self._series(label, attr, value)
            else:
                value = self._number(label, attr, value)
            values[attr.name] = value
        for key in ("bus", "bus0", "bus1"):
            if key in values and values[key] not in self.buses.index:
                raise UnknownComponentError(
                    f"{label}: {key} {values[key]!r} is not a bus of this network; "
                    f"known buses: {list(self.buses.index)}"
                )
        self._check_capacity(label, values)
        return values

    @staticmethod
    def _check_capacity(label: str, v: dict[str, Any]) -> None:
        for nom, ext, nmax in (
            ("p_nom", "p_nom_extendable", "p_nom_max"),
            ("e_nom", "e_nom_extendable", "e_nom_max"),
        ):
            if nom in v and v.get(ext) and v[nmax] < v[nom]:
                raise ComponentError(
                    f"{label}: {nmax} ({v[nmax]:g}) must be >= {nom} ({v[nom]:g}), the existing "
                    "capacity"
                )
        if v.get("p_nom_extendable") and v.get("p_nom_min", 0.0) > v.get("p_nom_max", math.inf):
            raise ComponentError(
                f"{label}: p_nom_max ({v['p_nom_max']:g}) must be >= p_nom_min ({v['p_nom_min']:g})"
            )
        if v.get("retirable"):
            if v["p_nom"] <= 0:
                raise ComponentError(
                    f"{label}: retirable needs existing capacity to retire, but p_nom is 0"
                )
            if not v.get("p_nom_extendable") and v["p_nom_min"] > v["p_nom"]:
                raise ComponentError(
                    f"{label}: p_nom_min ({v['p_nom_min']:g}), the capacity that must be kept, "
                    f"must be <= p_nom ({v['p_nom']:g}) for a retirable generator"
                )

    def _commit(self, component: str, name: str, values: dict[str, Any]) -> None:
        plural = COMPONENT_TABLES[component]
        table: pd.DataFrame = getattr(self, plural)
        dynamic: dict[str, pd.DataFrame] = getattr(self, f"{plural}_t")
        row = {}
        for key, value in values.items():
            if isinstance(value, np.ndarray):
                frame = dynamic.get(key)
                if frame is None:
                    frame = pd.DataFrame(index=self.snapshots)
                frame[name] = value
                dynamic[key] = frame.copy()  # defragment
                row[key] = math.nan
            else:
                row[key] = value
        new = pd.DataFrame([row], index=pd.Index([name], name=component), columns=table.columns)
        setattr(self, plural, new if table.empty else pd.concat([table, new]))

    # -------------------------------------------------------------- add_*
    def add_bus(self, name: str, **attributes: Any) -> None:
        """Add a bus (a node of one carrier where energy must balance).

        Parameters
        ----------
        name : str
        **attributes
            ``carrier`` (str, default ``"electricity"``), ``country`` (str, default ``""``)
            and ``voll`` (float, default NaN): value of lost load in USD/MWh; NaN means no
            unserved energy variable. See :data:`~jkenergy.components.COMPONENT_ATTRIBUTES`.

        Examples
        --------
        >>> import pandas as pd
        >>> n = Network(pd.date_range("2030", periods=1, freq="h"))
        >>> n.add_bus("KR", country="KR", voll=10_000.0)
        >>> n.buses.loc["KR", "country"]
        'KR'
        """
        self._commit("bus", name, self._validate("bus", name, attributes))

    def add_load(self, name: str, bus: str, p: SeriesLike) -> None:
        """Add a fixed demand in MW (scalar or one value per snapshot).

        Examples
        --------
        >>> import pandas as pd
        >>> n = Network(pd.date_range("2030", periods=2, freq="h"))
        >>> n.add_bus("JP")
        >>> n.add_load("JP_load", bus="JP", p=[100.0, 120.0])
        >>> n.get_series("load", "p")["JP_load"].tolist()
        [100.0, 120.0]
        """
        self._commit("load", name, self._validate("load", name, {"bus": bus, "p": p}))

    def add_generator(self, name: str, bus: str, **attributes: Any) -> None:
        """Add a generator; see :data:`~jkenergy.components.COMPONENT_ATTRIBUTES` for fields.

        Output is bounded by ``p_min_pu(t) * capacity`` and ``p_max_pu(t) * capacity``; an
        extendable generator's capacity lies in ``[p_nom, p_nom_max]`` and ``capital_cost``
        is charged on the capacity added above ``p_nom``.

        Examples
        --------
        >>> import pandas as pd
        >>> n = Network(pd.date_range("2030", periods=2, freq="h"))
        >>> n.add_bus("JP")
        >>> n.add_generator("JP_pv", bus="JP", carrier="solar", p_nom_extendable=True,
        ...                 capital_cost=60_000.0, p_max_pu=[0.0, 0.5])
        >>> n.get_series("generator", "p_max_pu")["JP_pv"].tolist()
        [0.0, 0.5]
        """
        values = self._validate("generator", name, {"bus": bus, **attributes})
        self._check_pu(f"generator {name!r}", values["p_min_pu"], values["p_max_pu"])
        self._commit("generator", name, values)

    def _check_pu(self, label: str, low: Any, high: Any) -> None:
        low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
        bad = np.broadcast_to(low > high, (len(self.snapshots),))
        if bad.any():
            i = int(np.argmax(bad))
            raise ComponentError(
                f"{label}: p_min_pu must be <= p_max_pu, got "
                f"{np.broadcast_to(low, bad.shape)[i]:g} > {np.broadcast_to(high, bad.shape)[i]:g} "
                f"at {self.snapshots[i]}"
            )

    def add_storage(self, name: str, bus: str, **attributes: Any) -> None:
        """Add a storage unit with power capacity and energy capacity.

        With ``max_hours`` the energy capacity is ``max_hours * p_nom`` and ``capital_cost``
        pays for both; without it (NaN) energy is sized by ``e_nom`` / ``e_nom_extendable``
        and paid by ``capital_cost_energy``.

        Examples
        --------
        >>> import pandas as pd
        >>> n = Network(pd.date_range("2030", periods=2, freq="h"))
        >>> n.add_bus("JP")
        >>> n.add_storage("JP_bat", bus="JP", p_nom=100.0, max_hours=4.0,
        ...               efficiency_store=0.95, efficiency_dispatch=0.95)
        >>> float(n.storage.loc["JP_bat", "max_hours"])
        4.0
        """
        values = self._validate("storage", name, {"bus": bus, **attributes})
        self._check_storage(f"storage {name!r}", values)
        self._commit("storage", name, values)

    @staticmethod
    def _check_storage(label: str, values: Mapping[str, Any]) -> None:
        if values["p_nom"] == math.inf and values["p_nom_extendable"]:
            raise ComponentError(f"{label}: p_nom=inf cannot be combined with p_nom_extendable")
        if values["p_nom"] == math.inf and not math.isnan(values["max_hours"]):
            raise ComponentError(f"{label}: p_nom=inf cannot be combined with max_hours")
        if not math.isnan(values["max_hours"]) and (
            values["e_nom"] > 0 or values["e_nom_extendable"] or values["capital_cost_energy"] > 0
        ):
            raise ComponentError(
                f"{label}: max_hours ties energy to power capacity; leave e_nom, "
                "e_nom_extendable and capital_cost_energy at their defaults, or set max_hours=NaN"
            )
        if not values["cyclic"]:
            fixed_energy = (
                values["max_hours"] * values["p_nom"]
                if not math.isnan(values["max_hours"])
                else values["e_nom"]
            )
            extendable = values["p_nom_extendable"] or values["e_nom_extendable"]
            if not extendable and values["e_initial"] > fixed_energy * (1 + 1e-9):
                raise ComponentError(
                    f"{label}: e_initial ({values['e_initial']:g} MWh) must not exceed the "
                    f"energy capacity ({fixed_energy:g} MWh)"
                )

    def add_link(self, name: str, bus0: str, bus1: str, **attributes: Any) -> None:
        """Add a link: transmission between buses or conversion between carriers.

        ``p_nom`` is measured at ``bus0``; ``efficiency * p0`` arrives at ``bus1``. A
        bidirectional link has two directions sharing ``p_nom``, each losing
        ``1 - efficiency``.

        Examples
        --------
        >>> import pandas as pd
        >>> n = Network(pd.date_range("2030", periods=1, freq="h"))
        >>> n.add_bus("JP"); n.add_bus("KR")
        >>> n.add_link("JP-KR", bus0="JP", bus1="KR", p_nom=2000.0, efficiency=0.975,
        ...            bidirectional=True)
        >>> bool(n.links.loc["JP-KR", "bidirectional"])
        True
        """
        values = self._validate("link", name, {"bus0": bus0, "bus1": bus1, **attributes})
        if values["bus0"] == values["bus1"]:
            raise ComponentError(f"link {name!r}: bus0 and bus1 must differ, both are {bus0!r}")
        self._commit("link", name, values)

    # ------------------------------------------------------- set_attribute
    def set_attribute(self, path: str | AttributePath, value: Any, source: str = "network") -> None:
        """Set one attribute of an existing component, validated exactly as ``add_*`` does.

        The one way to change a component after it was added (scenario overrides, sweeps).
        The component is checked as a whole with the new value (for example
        ``p_nom_max >= p_nom``); if that fails, nothing changes.

        ``p_nom`` is the component's size. For a *build of fixed size*
        (:func:`fixed_size_build`: ``p_nom_extendable`` with ``p_nom_min == p_nom_max``, as
        ``interconnector: <MW>`` makes the JP-KR link) it sets both bounds to the value, so
        the build has that size and its capital cost counts on the capacity above the
        existing ``p_nom``, which stays as it is (and the size may not be below it). For any
        other component ``p_nom`` is the existing capacity (the fixed capacity of a
        component that is not extendable; free capacity under an optimised build).

        Parameters
        ----------
        path : str or AttributePath
            ``"<table>.<component>.<attribute>"`` (:func:`~jkenergy.specs.parse_path`).
        value : object
            A scalar, or for a time-series attribute a scalar or one value per snapshot.
        source : str
            Where the change comes from, for error messages (a file name, ``"grid"``, ...).

        Raises
        ------
        UnknownComponentError
            For an unknown table or component.
        ComponentError
            For an unknown attribute or a value ``add_*`` would refuse.

        Examples
        --------
        >>> import pandas as pd
        >>> n = Network(pd.date_range("2030", periods=2, freq="h"))
        >>> n.add_bus("JP")
        >>> n.add_generator("JP_coal", bus="JP", p_nom=100.0, marginal_cost=60.0)
        >>> n.set_attribute("generators.JP_coal.p_max_pu", [1.0, 0.5])
        >>> n.get_series("generator", "p_max_pu")["JP_coal"].tolist()
        [1.0, 0.5]
        >>> n.set_attribute("generators.JP_coal.p_nom", -1.0)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        jkenergy.errors.ComponentError: generator 'JP_coal': p_nom must be ...

        ``p_nom`` of a build of fixed size is its size:

        >>> n.add_generator("JP_wind", bus="JP", p_nom_extendable=True, p_nom_min=30.0,
        ...                 p_nom_max=30.0, capital_cost=1.0)
        >>> n.set_attribute("generators.JP_wind.p_nom", 80.0)
        >>> n.generators.loc["JP_wind", ["p_nom", "p_nom_min", "p_nom_max"]].tolist()
        [0.0, 80.0, 80.0]
        """
        key = path if isinstance(path, AttributePath) else parse_path(path, source)
        table: pd.DataFrame = getattr(self, key.table)
        if key.name not in table.index:
            known = list(table.index)
            raise UnknownComponentError(
                f"{source}: no {key.component} named {key.name!r}; known: {known[:30]}"
                + (" ..." if len(known) > 30 else "")
            )
        dynamic: dict[str, pd.DataFrame] = getattr(self, f"{key.table}_t")
        saved = {a: f.copy() for a, f in dynamic.items()}
        attributes = {a: table.at[key.name, a] for a in table.columns}
        for a, frame in saved.items():
            if key.name in frame.columns:
                attributes[a] = frame[key.name]
        if key.attribute == "p_nom" and fixed_size_build(self, key.table, key.name):
            label = f"{key.component} {key.name!r}"
            size = self._number(label, COMPONENT_ATTRIBUTES[key.component]["p_nom"], value)
            existing = float(table.at[key.name, "p_nom"])
            if size < existing:
                raise ComponentError(
                    f"{label} is a build of fixed size (p_nom_extendable, p_nom_min = "
                    f"p_nom_max) on existing capacity p_nom = {existing:g}: its size must be "
                    f">= that, got {size:g}"
                )
            attributes["p_nom_min"] = attributes["p_nom_max"] = size
        else:
            attributes[key.attribute] = value
        setattr(self, key.table, table.drop(index=key.name))
        for a, frame in saved.items():
            if key.name in frame.columns:
                dynamic[a] = frame.drop(columns=key.name)
        adders: dict[str, Callable[..., None]] = {
            "bus": self.add_bus,
            "load": self.add_load,
            "generator": self.add_generator,
            "storage": self.add_storage,
            "link": self.add_link,
        }
        try:
            adders[key.component](key.name, **attributes)
        except Exception:
            setattr(self, key.table, table)
            dynamic.clear()
            dynamic.update(saved)
            raise
        setattr(self, key.table, getattr(self, key.table).reindex(table.index))

    # --------------------------------------------------------------- policy

    def set_attributes(self, overrides: Mapping[str, Any], source: str = "network") -> None:
        """Set several attributes (``{path: value}``), sizes last, each through
        :meth:`set_attribute`; stops at the first that fails.

        The sizes (:func:`split_size_overrides`) come after everything else: a ``p_nom``
        is the size of a build of fixed size, the existing capacity of anything else. A
        ``p_nom`` together with bounds (``p_nom_min``, ``p_nom_max``,
        ``p_nom_extendable``) of the same component: the bounds first, then ``p_nom``, so
        ``p_nom`` with ``p_nom_extendable: false`` makes a build existing capacity of that
        size. Refused where the size and the bounds would overwrite each other: a build of
        fixed size after the bounds are set, or before them if still extendable after.

        Raises
        ------
        ComponentError
            As :meth:`set_attribute`, or for a size given with bounds it would overwrite.

        Examples
        --------
        >>> import pandas as pd
        >>> n = Network(pd.date_range("2030", periods=1, freq="h"))
        >>> n.add_bus("A"); n.add_bus("B")
        >>> n.add_link("AB", bus0="A", bus1="B", p_nom_extendable=True, p_nom_min=5.0,
        ...            p_nom_max=5.0, capital_cost=1.0)
        >>> n.set_attributes({"links.AB.p_nom": 2.0, "links.AB.p_nom_extendable": False})
        >>> float(n.links.at["AB", "p_nom"]), bool(n.links.at["AB", "p_nom_extendable"])
        (2.0, False)
        """
        first, sizes = split_size_overrides(overrides)
        for path, value in first.items():
            self.set_attribute(path, value, source=source)
        for path in [p for p in sizes if p.rpartition(".")[2] == "p_nom"]:
            key = parse_path(path, source)
            bounds = [p for p in (f"{_component(path)}.{b}" for b in _BOUNDS) if p in sizes]
            if bounds:
                was_fixed = fixed_size_build(self, key.table, key.name)
                frame = getattr(self, key.table)
                high = sizes.get(f"{_component(path)}.p_nom_max")
                if (isinstance(high, int | float) and key.name in frame.index
                        and high < float(frame.at[key.name, "p_nom_min"])):  # fmt: skip
                    # lowering both: p_nom_min first, so no step has p_nom_min > p_nom_max
                    bounds.sort(key=lambda p: p.endswith("p_nom_max"))
                for bound in bounds:
                    self.set_attribute(bound, sizes[bound], source=source)
                extendable = bool(getattr(self, key.table).at[key.name, "p_nom_extendable"])
                if fixed_size_build(self, key.table, key.name) or (was_fixed and extendable):
                    when = "after" if fixed_size_build(self, key.table, key.name) else "before"
                    raise ComponentError(
                        f"{source}: {path} and {bounds[0]}: {key.table}.{key.name} is a "
                        f"build of fixed size {when} its bounds are set, and p_nom sets that "
                        "size (p_nom_min = p_nom_max); set either its size or its bounds, not "
                        "both (or p_nom_extendable: false to make it existing capacity)"
                    )
            self.set_attribute(key, sizes[path], source=source)

    def _country(self, label: str, country: Any) -> str:
        if country not in self.countries:
            raise UnknownComponentError(
                f"{label}: country {country!r} has no bus in this network; "
                f"known countries: {self.countries}"
            )
        return country

    def add_co2_limit(
        self,
        name: str,
        countries: Iterable[str] | str,
        limit: float,
        allocation: Mapping[str, float] | None = None,
    ) -> None:
        """Cap total CO2 emissions of generators in a set of countries over the horizon.

        Parameters
        ----------
        name : str
        countries : str or iterable of str
            One country, or several for a joint cap.
        limit : float
            tCO2 over the weighted horizon (sum over snapshots of weight x emissions).
        allocation : mapping of country to tCO2, optional
            How the permits of a joint cap are shared out (summing to ``limit``). It does not
            change the optimum; :func:`jkenergy.analysis.welfare` uses it to value each
            country's permits (and so the permit trade between them). Without it, each
            country is deemed to hold the permits for its own emissions.

        Examples
        --------
        >>> import pandas as pd
        >>> n = Network(pd.date_range("2030", periods=1, freq="h"))
        >>> n.add_bus("JP", country="JP"); n.add_bus("KR", country="KR")
        >>> n.add_co2_limit("joint", countries=["JP", "KR"], limit=1.0e6)
        >>> n.co2_limits.loc["joint", "countries"]
        ('JP', 'KR')
        """
        label = f"co2_limit {name!r}"
        if not isinstance(name, str) or not name:
            raise ComponentError(f"co2_limit: name must be a non-empty string, got {name!r}")
        if name in self.co2_limits.index:
            raise DuplicateComponentError(f"{label}: a co2_limit of this name already exists")
        group = (countries,) if isinstance(countries, str) else tuple(countries)
        if not group:
            raise ComponentError(f"{label}: countries must name at least one country")
        for c in group:
            self._country(label, c)
        limit = self._number(label, Attribute("limit", "float", "tCO2", 0.0, "", lower=0.0), limit)
        shares = None
        if allocation is not None:
            if set(allocation) != set(group):
                raise ComponentError(
                    f"{label}: allocation must name exactly the countries {sorted(set(group))}, "
                    f"got {sorted(allocation)}"
                )
            attr = Attribute("allocation", "float", "tCO2", 0.0, "", lower=0.0)
            shares = {c: self._number(label, attr, v) for c, v in sorted(allocation.items())}
            if not math.isclose(sum(shares.values()), limit, rel_tol=1e-9, abs_tol=1e-6):
                raise ComponentError(
                    f"{label}: allocation must sum to the limit {limit:g} tCO2, "
                    f"got {sum(shares.values()):g}"
                )
        self.co2_limits.loc[name] = [tuple(sorted(set(group))), limit, shares]

    def set_carbon_price(self, country: str, price: float) -> None:
        """Charge a carbon price (USD/tCO2) on the emissions of a country's generators.

        Examples
        --------
        >>> import pandas as pd
        >>> n = Network(pd.date_range("2030", periods=1, freq="h"))
        >>> n.add_bus("KR", country="KR")
        >>> n.set_carbon_price("KR", 30.0)
        >>> n.carbon_prices
        {'KR': 30.0}
        """
        label = f"carbon_price {country!r}"
        self._country(label, country)
        attr = Attribute("price", "float", "USD/tCO2", 0.0, "", lower=0.0)
        self.carbon_prices[country] = self._number(label, attr, price)

    def add_renewable_share(self, name: str, country: str, share: float) -> None:
        r"""Require renewable energy serving at least ``share`` of a country's electricity demand.

        .. math::
            \sum_t w_t \Big[\sum_{g \in R_c} p_{g,t} - \ell_{c,t}\Big]
            \ge s_c \sum_t w_t \sum_{l \in L_c} d_{l,t}

        where :math:`R_c` are the country's generators whose carrier is in
        ``renewable_carriers``, :math:`L_c` the loads on its electricity buses and
        :math:`\ell_{c,t}` the energy the country's storage and electricity links lose
        (so output burnt in losses does not count; the full row is in
        :func:`jkenergy.model.policy.add_constraints`).

        Examples
        --------
        >>> import pandas as pd
        >>> n = Network(pd.date_range("2030", periods=1, freq="h"))
        >>> n.add_bus("JP", country="JP")
        >>> n.add_renewable_share("JP_res", country="JP", share=0.4)
        >>> float(n.renewable_shares.loc["JP_res", "share"])
        0.4
        """
        label = f"renewable_share {name!r}"
        if not isinstance(name, str) or not name:
            raise ComponentError(f"renewable_share: name must be a non-empty string, got {name!r}")
        if name in self.renewable_shares.index:
            raise DuplicateComponentError(f"{label}: a renewable_share of this name already exists")
        self._country(label, country)
        attr = Attribute("share", "float", "p.u.", 0.0, "", 0.0, 1.0)
        self.renewable_shares.loc[name] = [country, self._number(label, attr, share)]

    def add_reserve_margin(
        self,
        name: str,
        countries: Iterable[str] | str,
        margin: float,
        storage_hours: float = 4.0,
    ) -> None:
        r"""Require firm capacity of at least ``(1 + margin)`` times a group's peak demand.

        The group is the electricity buses of ``countries``. Firm capacity is each
        generator's and storage unit's capacity times its ``capacity_credit`` (generators
        by default count their available output ``p_max_pu`` in the hour; storage by
        default ``min(p_nom, e_nom / storage_hours)``), plus what links with a
        ``capacity_credit`` bring in from outside the group, at most their credit times
        their capacity, shared hour by hour with other groups and taken from the sender's
        firm capacity if it has a margin too. The requirement holds in every snapshot
        against that snapshot's demand, so at the group's peak it reads

        .. math:: \sum_{g} \kappa_g P_g + \sum_s F_s + 	ext{firm imports}
            \ge (1 + m) \max_t D_t

        See :func:`jkenergy.model.adequacy.add_constraints` for the full statement and its
        convention. The dual, summed over snapshots, is the capacity price
        (``reserve_margin_price``, USD/MW/yr).

        Parameters
        ----------
        name : str
        countries : str or iterable of str
        margin : float
            Reserve above peak demand, p.u. (0.22 for 22 %).
        storage_hours : float, default 4.0
            Hours at full power a storage unit credited by duration must sustain to count
            in full.

        Examples
        --------
        >>> import pandas as pd
        >>> n = Network(pd.date_range("2030", periods=1, freq="h"))
        >>> n.add_bus("KR", country="KR")
        >>> n.add_reserve_margin("KR_rm", countries="KR", margin=0.22)
        >>> rm = n.reserve_margins.loc["KR_rm"]
        >>> rm["countries"], float(rm["margin"]), float(rm["storage_hours"])
        (('KR',), 0.22, 4.0)
        """
        label = f"reserve_margin {name!r}"
        if not isinstance(name, str) or not name:
            raise ComponentError(f"reserve_margin: name must be a non-empty string, got {name!r}")
        if name in self.reserve_margins.index:
            raise DuplicateComponentError(f"{label}: a reserve_margin of this name already exists")
        group = (countries,) if isinstance(countries, str) else tuple(countries)
        if not group:
            raise ComponentError(f"{label}: countries must name at least one country")
        for c in group:
            self._country(label, c)
        margin = self._number(
            label, Attribute("margin", "float", "p.u.", 0.0, "", lower=0.0), margin
        )
        hours = self._number(
            label,
            Attribute("storage_hours", "float", "h", 4.0, "", lower=0.0, lower_open=True),
            storage_hours,
        )
        self.reserve_margins.loc[name] = [tuple(sorted(set(group))), margin, hours]

    # ----------------------------------------------------------- validation
    def validate(self) -> None:
        """Check every table again, as ``add_*`` did; the solve calls this before building.

        Tables edited directly after ``add_*`` (``n.generators.loc["g", "marginal_cost"] =
        float("nan")``, a ``*_t`` frame, the snapshot weights) are checked against the
        attribute table like a new component.

        Raises
        ------
        ComponentError
            Naming the component, the attribute and what was expected.
        UnknownComponentError
            If a component refers to a bus, or a policy to a country, that does not exist.

        Examples
        --------
        >>> import pandas as pd
        >>> n = Network(pd.date_range("2030", periods=1, freq="h"))
        >>> n.add_bus("JP")
        >>> n.add_generator("gas", bus="JP", p_nom=10.0)
        >>> n.generators.loc["gas", "p_nom"] = float("nan")
        >>> n.validate()
        Traceback (most recent call last):
        ...
        jkenergy.errors.ComponentError: generator 'gas': p_nom must be a number in [0, inf), got nan
        """
        self._weights(self.snapshot_weightings, "weights")
        self._weights(self.snapshot_durations, "durations")
        for component, plural in COMPONENT_TABLES.items():
            self._validate_table(component, plural)
        for name, row in self.co2_limits.iterrows():
            label = f"co2_limit {name!r}"
            for c in row["countries"]:
                self._country(label, c)
            self._number(
                label, Attribute("limit", "float", "tCO2", 0.0, "", lower=0.0), row["limit"]
            )
        for country, price in self.carbon_prices.items():
            label = f"carbon_price {country!r}"
            self._country(label, country)
            self._number(label, Attribute("price", "float", "USD/tCO2", 0.0, "", lower=0.0), price)
        for name, row in self.renewable_shares.iterrows():
            label = f"renewable_share {name!r}"
            self._country(label, row["country"])
            self._number(
                label, Attribute("share", "float", "p.u.", 0.0, "", 0.0, 1.0), row["share"]
            )

    def _validate_table(self, component: str, plural: str) -> None:
        table: pd.DataFrame = getattr(self, plural)
        dynamic: dict[str, pd.DataFrame] = getattr(self, f"{plural}_t")
        spec = COMPONENT_ATTRIBUTES[component]
        missing = [a for a in spec if a not in table.columns]
        if missing:
            raise ComponentError(f"{plural}: the table has no column {missing[0]!r}")
        if table.index.has_duplicates:
            dup = table.index[table.index.duplicated()][0]
            raise DuplicateComponentError(f"{component} {dup!r}: the name occurs twice")
        for key, frame in dynamic.items():
            attr = spec.get(key)
            if attr is None or attr.kind != "series":
                raise ComponentError(f"{plural}_t: {key!r} is not a time-varying attribute")
            unknown = frame.columns.difference(table.index)
            if len(unknown):
                raise UnknownComponentError(
                    f"{plural}_t[{key!r}]: column {unknown[0]!r} is not a {component}"
                )
            for name in frame.columns:
                self._series(f"{component} {name!r}", attr, frame[name])
        for name, row in table.iterrows():
            label = f"{component} {name!r}"
            values: dict[str, Any] = {}
            for attr in spec.values():
                value = row[attr.name]
                frame = dynamic.get(attr.name)
                if attr.kind == "series" and frame is not None and name in frame.columns:
                    values[attr.name] = frame[name].to_numpy(dtype=float)
                elif attr.kind == "str":
                    if not isinstance(value, str):
                        raise ComponentError(
                            f"{label}: {attr.name} must be a string, got {value!r}"
                        )
                    values[attr.name] = value
                elif attr.kind == "bool":
                    if not isinstance(value, bool | np.bool_):
                        raise ComponentError(
                            f"{label}: {attr.name} must be True or False, got {value!r}"
                        )
                    values[attr.name] = bool(value)
                else:
                    values[attr.name] = self._number(label, attr, value)
            for key in ("bus", "bus0", "bus1"):
                if key in values and values[key] not in self.buses.index:
                    raise UnknownComponentError(
                        f"{label}: {key} {values[key]!r} is not a bus of this network"
                    )
            self._check_capacity(label, values)
            if component == "generator":
                self._check_pu(label, values["p_min_pu"], values["p_max_pu"])
            elif component == "storage":
                self._check_storage(label, values)
            elif component == "link" and values["bus0"] == values["bus1"]:
                raise ComponentError(f"{label}: bus0 and bus1 must differ")

    # ---------------------------------------------------------------- solve
    def optimize(self, **solver_options: Any) -> Result:
        """Build the LP, solve it with HiGHS and return a :class:`~jkenergy.results.Result`.

        Keyword arguments are those of :func:`jkenergy.solve.optimizer.optimize`. The network layer
        does not import the solver: the solve package registers itself as the optimiser
        when ``jkenergy`` is imported (:func:`register_optimizer`).
        """
        if _OPTIMIZER is None:
            raise RuntimeError("no optimiser registered: import jkenergy (or jkenergy.solve)")
        return _OPTIMIZER(self, **solver_options)

    def __repr__(self) -> str:
        counts = ", ".join(f"{len(getattr(self, t))} {t}" for t in COMPONENT_TABLES.values())
        return f"Network({len(self.snapshots)} snapshots; {counts})"
