r"""Smaller networks for the same question: fewer snapshots, fewer buses.

:func:`aggregate_buses` merges buses into groups (space); the rest of this module shrinks
time.

Two ways to shrink the time dimension of a :class:`~jkenergy.network.Network`, both
returning a NEW network whose weighted sums (energy, cost, emissions) still cover the
original horizon:

:func:`resample`
    consecutive blocks of ``hours`` snapshots become one snapshot whose weight is the sum of
    the block's weights and whose time series are the weighted means of the block. Weighted
    energy is conserved exactly; storage sees ``hours``-long steps.
:func:`representative_days`
    the year's days are clustered with tsam into typical days (plus, by default, the
    peak-demand day and the lowest-renewable day kept as they are). Each typical day's
    snapshots carry weight = (days it represents) x (original weight), and the network
    gets :class:`Periods` so that storage carries energy across days with the inter-period
    state of charge of Kotzur et al. (2018), see :mod:`jkenergy.model.storage`. Seasonal
    hydrogen and pumped hydro therefore stay meaningful.

:func:`cluster_periods` is the building block of :func:`representative_days`: given which
typical period each original period belongs to, it builds the aggregated network from the
members' means. Use it to impose a clustering of your own.

Kotzur, L., Markewitz, P., Robinius, M., Stolten, D. (2018). Time series aggregation for
energy system design: modeling seasonal storage. Applied Energy 213, 123-135.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

import numpy as np
import pandas as pd

from .components import COMPONENT_TABLES
from .errors import ComponentError
from .network import Network
from .periods import Periods

EXTREMES = ("peak_demand", "min_renewable")
"""Extreme days :func:`representative_days` can keep as typical days of their own."""


# ----------------------------------------------------------------------------- helpers
def _series_frames(network: Network) -> list[tuple[str, str, pd.DataFrame]]:
    """Every time-varying input as (table, attribute, frame) with snapshots as rows."""
    out = []
    for table in COMPONENT_TABLES.values():
        for attr, frame in getattr(network, f"{table}_t").items():
            if not frame.empty:
                out.append((table, attr, frame))
    return out


def _with_series(
    network: Network,
    snapshots: pd.DatetimeIndex,
    weights: np.ndarray,
    durations: np.ndarray,
    values: dict[tuple[str, str], np.ndarray],
) -> Network:
    """A copy of ``network`` on new snapshots, with new weights, durations and series."""
    new = copy.deepcopy(network)
    new.snapshots = snapshots.rename("snapshot")
    new.snapshot_weightings = pd.Series(weights, index=new.snapshots, name="weight", dtype=float)
    new.snapshot_durations = pd.Series(durations, index=new.snapshots, dtype=float)
    for (table, attr), array in values.items():
        old = getattr(network, f"{table}_t")[attr]
        getattr(new, f"{table}_t")[attr] = pd.DataFrame(
            array, index=new.snapshots, columns=old.columns
        )
    _clip_per_unit(new)
    return new


def _clip_per_unit(network: Network) -> None:
    """Keep aggregated ``p_max_pu`` in [0, 1] and ``p_min_pu`` <= ``p_max_pu``."""
    series = network.generators_t
    if "p_max_pu" in series:
        series["p_max_pu"] = series["p_max_pu"].clip(0.0, 1.0)
    if "p_min_pu" in series:
        upper = network.get_series("generator", "p_max_pu")[series["p_min_pu"].columns]
        series["p_min_pu"] = (
            series["p_min_pu"].clip(lower=0.0).where(series["p_min_pu"] <= upper, upper)
        )


def _check_plain(network: Network, what: str) -> None:
    if network.periods is not None:
        raise ComponentError(f"{what}: the network is already aggregated into periods")


# ----------------------------------------------------------------------------- resample
def resample(network: Network, hours: int = 3) -> Network:
    r"""Merge every ``hours`` consecutive snapshots into one.

    Block :math:`B` of snapshots becomes one snapshot at the block's first timestamp with

    .. math::
        w_B = \sum_{t \in B} w_t, \qquad x_B = \frac{\sum_{t \in B} w_t x_t}{w_B}

    for every time series :math:`x` (loads, ``p_max_pu``, ``p_min_pu``, ``marginal_cost``),
    so :math:`w_B x_B = \sum_{t \in B} w_t x_t`: weighted energy and cost are conserved. The
    block's storage time step is the sum of its snapshots' durations,
    :math:`\Delta_B = \sum_{t \in B} \Delta_t` (3 h for 3 hourly snapshots, whatever their
    weight). A last, shorter block takes what is left.

    Parameters
    ----------
    network : Network
    hours : int, default 3
        Snapshots per block.

    Returns
    -------
    Network
        A new network; the input is not changed.

    Examples
    --------
    >>> import pandas as pd
    >>> n = Network(pd.date_range("2030", periods=4, freq="h"))
    >>> n.add_bus("JP")
    >>> n.add_load("d", bus="JP", p=[10.0, 20.0, 30.0, 40.0])
    >>> r = resample(n, hours=2)
    >>> r.get_series("load", "p")["d"].tolist(), r.snapshot_weightings.tolist()
    ([15.0, 35.0], [2.0, 2.0])
    >>> r.snapshot_durations.tolist()
    [2.0, 2.0]
    """
    _check_plain(network, "resample")
    if isinstance(hours, bool) or not isinstance(hours, int | np.integer) or hours < 1:
        raise ComponentError(f"resample: hours must be a positive integer, got {hours!r}")
    block = np.arange(len(network.snapshots)) // int(hours)
    w = network.snapshot_weightings.to_numpy()
    w_block = np.bincount(block, weights=w)
    d_block = np.bincount(block, weights=network.snapshot_durations.to_numpy())
    first = np.searchsorted(block, np.arange(block[-1] + 1))
    values = {}
    for table, attr, frame in _series_frames(network):
        summed = np.add.reduceat(frame.to_numpy(dtype=float) * w[:, None], first, axis=0)
        values[(table, attr)] = summed / w_block[:, None]
    return _with_series(network, network.snapshots[first], w_block, d_block, values)


# ----------------------------------------------------------------------- periods
def _steps_per_period(network: Network, period_hours: float) -> int:
    snapshots = network.snapshots
    step = (snapshots[1] - snapshots[0]) if len(snapshots) > 1 else pd.Timedelta(hours=1)
    regular = len(snapshots) < 2 or bool((snapshots[1:] - snapshots[:-1] == step).all())
    steps = pd.Timedelta(hours=period_hours) / step
    if not regular or steps != int(steps) or len(snapshots) % int(steps):
        raise ComponentError(
            f"periods: snapshots must be evenly spaced and cover whole periods of "
            f"{period_hours:g} h; got {len(snapshots)} snapshots {step} apart"
        )
    return int(steps)


def _uniform(series: pd.Series, what: str) -> float:
    v = series.to_numpy(dtype=float)
    if not np.allclose(v, v[0]):
        raise ComponentError(
            f"periods: snapshot {what} must all be equal to aggregate into periods"
        )
    return float(v[0])


def cluster_periods(
    network: Network,
    sequence: Sequence[int] | np.ndarray,
    period_hours: float = 24,
    linked: bool = True,
    representatives: dict[tuple[str, str], np.ndarray] | None = None,
) -> Network:
    r"""Aggregate a network into typical periods given which period stands for which.

    Parameters
    ----------
    network : Network
        Evenly spaced snapshots with equal weights :math:`w` and equal durations
        :math:`\Delta` (the storage time step inside a period), covering whole periods.
    sequence : sequence of int, length D (number of original periods)
        Typical period (0..K-1) of each original period, in order.
    period_hours : float, default 24
        Length of a period.
    linked : bool, default True
        Storage carries energy across periods (see :class:`Periods`).
    representatives : dict, optional
        ``(table, attribute) -> array (K, steps, columns)`` of typical values; by default
        the mean over each typical period's members.

    Returns
    -------
    Network
        Snapshots: the K typical periods one after another, each labelled by the dates of
        its earliest member. Weight of a snapshot of typical period :math:`k`:
        :math:`N_k w` with :math:`N_k` the number of members, so weighted sums still cover
        the whole horizon; its duration stays :math:`\Delta`. ``network.periods`` holds the
        :class:`Periods`.

    Examples
    --------
    >>> import pandas as pd
    >>> n = Network(pd.date_range("2030", periods=8, freq="h"))
    >>> n.add_bus("JP")
    >>> n.add_load("d", bus="JP", p=[1.0, 2, 1, 2, 5, 6, 5, 6])
    >>> a = cluster_periods(n, [0, 0, 1, 1], period_hours=2)
    >>> a.get_series("load", "p")["d"].tolist(), a.snapshot_weightings.tolist()
    ([1.0, 2.0, 5.0, 6.0], [2.0, 2.0, 2.0, 2.0])
    """
    _check_plain(network, "cluster_periods")
    steps = _steps_per_period(network, period_hours)
    n_periods = len(network.snapshots) // steps
    seq = np.asarray(sequence, dtype=int)
    if seq.shape != (n_periods,):
        raise ComponentError(
            f"cluster_periods: sequence must have one entry per period ({n_periods}), "
            f"got shape {seq.shape}"
        )
    w0 = _uniform(network.snapshot_weightings, "weights")
    d0 = _uniform(network.snapshot_durations, "durations")
    starts = network.snapshots[::steps]
    k = int(seq.max()) + 1
    snapshot_period = np.repeat(np.arange(k), steps)
    probe = Periods(seq, starts, snapshot_period, np.full(k * steps, d0), linked)
    label = probe.label
    order = np.argsort(label, kind="stable")  # typical periods in calendar order
    rank = np.empty(k, dtype=int)
    rank[order] = np.arange(k)
    periods = Periods(rank[seq], starts, snapshot_period, probe.duration, linked)
    values = {}
    for table, attr, frame in _series_frames(network):
        by_period = frame.to_numpy(dtype=float).reshape(n_periods, steps, -1)
        if representatives is not None:
            typical = np.asarray(representatives[(table, attr)], dtype=float)
        else:
            typical = np.stack([by_period[seq == j].mean(axis=0) for j in range(k)])
        values[(table, attr)] = typical[order].reshape(k * steps, -1)
    offsets = network.snapshots[:steps] - network.snapshots[0]
    snapshots = pd.DatetimeIndex(
        np.concatenate([starts[label[j]] + offsets for j in order]), name="snapshot"
    )
    weights = np.repeat(periods.counts, steps) * w0
    new = _with_series(network, snapshots, weights, periods.duration, values)
    new.periods = periods
    return new


def _extreme_days(network: Network, names: Iterable[str], steps: int) -> list[int]:
    """Original periods to keep as they are, in the order of ``names``, without repeats."""
    n_periods = len(network.snapshots) // steps
    days: list[int] = []
    for name in names:
        if name == "peak_demand":
            elec = network.buses.index[network.buses["carrier"] == "electricity"]
            loads = network.loads.index[network.loads["bus"].isin(elec)]
            total = network.get_series("load", "p")[loads].sum(axis=1).to_numpy()
            day = int(np.argmax(total)) // steps
        elif name == "min_renewable":
            gens = network.generators
            ren = gens.index[gens["carrier"].isin(network.renewable_carriers)]
            if not len(ren):
                continue
            avail = network.get_series("generator", "p_max_pu")[ren].mean(axis=1).to_numpy()
            day = int(np.argmin(avail.reshape(n_periods, steps).mean(axis=1)))
        else:
            raise ComponentError(
                f"representative_days: extremes must be among {list(EXTREMES)}, got {name!r}"
            )
        if day not in days:
            days.append(day)
    return days


def _tsam(
    days: np.ndarray, n_clusters: int, seed: int, method: str, representation: str
) -> tuple[np.ndarray, np.ndarray]:
    """Cluster ``days`` (days x steps x columns) with tsam: (assignment, representatives)."""
    import tsam

    n, steps, width = days.shape
    table = pd.DataFrame(
        days.reshape(n * steps, width),
        index=pd.date_range("2001-01-01", periods=n * steps, freq="h"),
        columns=[f"c{j}" for j in range(width)],
    )
    result = tsam.aggregate(
        table,
        n_clusters=n_clusters,
        period_duration=steps,
        temporal_resolution=1.0,
        cluster=tsam.ClusterConfig(
            # tsam types these as Literal names; it checks the strings we pass through.
            method=tsam.KMeans(random_state=seed) if method == "kmeans" else cast(Any, method),
            representation=cast(Any, representation),
        ),
    )
    assign = np.asarray(result.clustering.cluster_assignments, dtype=int)
    reps = result.cluster_representatives.to_numpy(dtype=float).reshape(n_clusters, steps, width)
    return assign, reps


def representative_days(
    network: Network,
    n_days: int = 32,
    extremes: Iterable[str] = EXTREMES,
    seed: int = 0,
    method: str = "hierarchical",
    linked: bool = True,
    representation: str = "medoid",
) -> Network:
    """Cluster the days of a network into ``n_days`` typical days with tsam.

    The extreme days (``"peak_demand"``: the day of the highest hour of total electricity
    load; ``"min_renewable"``: the day with the lowest mean ``p_max_pu`` over renewable
    generators) are kept unchanged as typical days of their own, each standing for itself;
    the other days are clustered into ``n_days - len(extreme days)`` typical days
    (tsam: ``method`` and ``representation``, rescaled so that every series keeps its
    mean). Snapshot weights and storage linking as in :func:`cluster_periods`.

    The default ``"medoid"`` representation makes each typical day a real day of its
    cluster, so Japan's and Korea's demand, wind and sun keep the hours in which they
    occurred together: what an interconnector's value rests on. ``"distribution"`` fits
    each series' value distribution (closer total cost) but orders each series by its own
    mean profile, losing that co-incidence, and undervalued the Kyushu-Busan link several
    times over when measured; the measurements (cost, link size and saving by representation
    and number of days, with the data of their date) are in benchmarks/README.md.

    Parameters
    ----------
    network : Network
        Evenly spaced snapshots with equal weights covering whole days.
    n_days : int, default 32
        Typical days in total, extremes included. ``n_days >= number of days`` returns
        every day as its own typical day (the same LP as the full horizon).
    extremes : iterable of {"peak_demand", "min_renewable"}
    seed : int, default 0
        Random state of the ``"kmeans"`` method (hierarchical clustering is deterministic).
    method : {"hierarchical", "kmeans", "kmedoids", "averaging"}, default "hierarchical"
    linked : bool, default True
        Storage carries energy across days (Kotzur's inter-period state of charge).
    representation : str, default "medoid"
        tsam's representation of a cluster ("medoid", "distribution", "mean", ...).

    Returns
    -------
    Network
    """
    _check_plain(network, "representative_days")
    steps = _steps_per_period(network, 24)
    n_periods = len(network.snapshots) // steps
    if isinstance(n_days, bool) or not isinstance(n_days, int | np.integer) or n_days < 1:
        raise ComponentError(f"representative_days: n_days must be >= 1, got {n_days!r}")
    if n_days >= n_periods:
        return cluster_periods(network, np.arange(n_periods), linked=linked)
    keep = _extreme_days(network, tuple(extremes), steps)
    n_clusters = n_days - len(keep)
    if n_clusters < 1:
        raise ComponentError(
            f"representative_days: n_days ({n_days}) must exceed the number of extreme days "
            f"({len(keep)})"
        )
    rest = np.array([d for d in range(n_periods) if d not in keep])
    frames = _series_frames(network)
    data = np.hstack(
        [f.to_numpy(dtype=float) for _, _, f in frames] or [np.zeros((len(network.snapshots), 0))]
    )
    by_period = data.reshape(n_periods, steps, -1)
    varying = np.ptp(data, axis=0) > 0
    typical = by_period[rest[:n_clusters]].copy()  # constant columns stay as they are
    if varying.any():
        assign, reps = _tsam(
            by_period[rest][:, :, varying], n_clusters, seed, method, representation
        )
        typical[:, :, varying] = reps
    else:  # nothing varies: one typical day is exact
        assign, typical, n_clusters = np.zeros(len(rest), dtype=int), typical[:1], 1
    sequence = np.empty(n_periods, dtype=int)
    sequence[rest] = assign
    for j, day in enumerate(keep):
        sequence[day] = n_clusters + j
    typical = np.concatenate([typical, by_period[keep]], axis=0)
    representatives, col = {}, 0
    for table_name, attr, frame in frames:
        width = frame.shape[1]
        representatives[(table_name, attr)] = typical[:, :, col : col + width]
        col += width
    return cluster_periods(network, sequence, 24, linked, representatives)


# ----------------------------------------------------------------------------- buses
def _weights_by_capacity(table: pd.DataFrame) -> pd.Series:
    """Weight of each generator in a merge: its potential ``p_nom_max`` if extendable (and
    finite for all), else its existing ``p_nom``; equal weights if these are all zero."""
    p_max = table["p_nom_max"].astype(float)
    if bool(table["p_nom_extendable"].iloc[0]) and np.isfinite(p_max).all() and p_max.sum() > 0:
        return p_max
    p_nom = table["p_nom"].astype(float)
    if p_nom.sum() > 0:
        return p_nom
    return pd.Series(1.0, index=table.index)


def _same(values: pd.Series) -> bool:
    first = values.iloc[0]
    return all((v == first) or (pd.isna(v) and pd.isna(first)) for v in values)


def _merge_key(row: pd.Series, skip: set[str]) -> tuple:
    return tuple(
        ("nan" if isinstance(v, float) and np.isnan(v) else v)
        for k, v in row.items()
        if k not in skip
    )


def _new_buses(network: Network, mapping: dict[str, str]) -> pd.DataFrame:
    buses = network.buses
    target = pd.Series([mapping.get(b, b) for b in buses.index], index=buses.index)
    rows = {}
    for group, members in target.groupby(target, sort=False):
        table = buses.loc[members.index]
        for attr in table.columns:
            if not _same(table[attr]):
                raise ComponentError(
                    f"aggregate_buses: buses {list(members.index)} of group {group!r} differ in "
                    f"{attr} ({table[attr].tolist()}); only buses of one {attr} can be merged"
                )
        rows[group] = table.iloc[0]
    return pd.DataFrame(rows).T.rename_axis("bus"), target


def aggregate_buses(network: Network, mapping: Mapping[str, str]) -> Network:
    r"""Merge buses into groups: a smaller network with the corridors between groups kept.

    Each group becomes one bus (named after the group; its members must share carrier,
    country and ``voll``). Buses not in ``mapping`` stay as they are.

    - **Loads** at a group's buses are summed into one load, ``<group>_load``.
    - **Generators** of a group that differ only in capacity and hourly availability are
      merged (same carrier, costs, CO2 intensity, credit, extendability, retirement):
      capacities ``p_nom``, ``p_nom_min``, ``p_nom_max`` are summed, and ``p_max_pu``,
      ``p_min_pu`` are the means weighted by capacity (the potential ``p_nom_max`` of
      extendable generators, the existing ``p_nom`` of others), so the merged unit's
      available output is the sum of its members':
      :math:`\overline{\pi}_{G,t} \sum_g w_g = \sum_g w_g \overline{\pi}_{g,t}`.
      The merged generator is named ``<group>_<carrier>`` (``_2``, ``_3``, ... for
      further distinct ones of the carrier).
    - **Storage** is kept, each unit moved to its group's bus.
    - **Links** inside a group are dropped (the group is a copper plate); links between
      groups are kept, and parallel links (same two groups in the same direction, same
      carrier, bidirectionality and extendability) of fixed capacity are merged:
      capacities summed, ``efficiency``, ``marginal_cost`` and ``capacity_credit``
      weighted by capacity; the merged link is named ``<group0>-<group1>_<carrier>``.
      Extendable links are kept one by one, with their own costs.
    - Policies, snapshots, weights and representative periods are kept as they are.

    The aggregated LP is a relaxation of the original: it gives the same optimum exactly
    where no flow inside a group was limited (the dropped links never bound) and merged
    generators would have run in proportion to their capacity.

    Parameters
    ----------
    network : Network
    mapping : mapping of bus name to group name
        Buses left out keep their own name; a group may not take the name of a bus that is
        left out.

    Returns
    -------
    Network
        A new network; the input is not changed.

    Examples
    --------
    Three buses in a chain, A-B merged into one group:

    >>> import pandas as pd
    >>> n = Network(pd.date_range("2030", periods=1, freq="h"))
    >>> for b in "ABC":
    ...     n.add_bus(b)
    >>> n.add_load("dA", bus="A", p=10.0); n.add_load("dB", bus="B", p=5.0)
    >>> n.add_generator("gA", bus="A", carrier="gas", p_nom=20.0, marginal_cost=50.0)
    >>> n.add_generator("gB", bus="B", carrier="gas", p_nom=30.0, marginal_cost=50.0)
    >>> n.add_link("A-B", bus0="A", bus1="B", p_nom=100.0, bidirectional=True)
    >>> n.add_link("B-C", bus0="B", bus1="C", p_nom=5.0)
    >>> a = aggregate_buses(n, {"A": "AB", "B": "AB"})
    >>> list(a.buses.index), list(a.links.index), float(a.generators.loc["AB_gas", "p_nom"])
    (['AB', 'C'], ['B-C'], 50.0)
    """
    unknown = sorted(set(mapping) - set(network.buses.index))
    if unknown:
        raise ComponentError(
            f"aggregate_buses: mapping names {unknown[0]!r}, which is not a bus of the network"
        )
    clash = sorted(set(mapping.values()) & (set(network.buses.index) - set(mapping)))
    if clash:
        raise ComponentError(
            f"aggregate_buses: group {clash[0]!r} has the name of a bus left out of the mapping"
        )
    buses, target = _new_buses(network, dict(mapping))
    new = Network(network.snapshots, network.snapshot_weightings.copy(), network.renewable_carriers)
    for name, row in buses.iterrows():
        new.add_bus(name, **row.to_dict())
    _aggregate_loads(network, new, target)
    _aggregate_generators(network, new, target)
    for name, row in network.storage.iterrows():
        attrs = row.to_dict()
        attrs["bus"] = target[attrs["bus"]]
        new.add_storage(name, **attrs)
    _aggregate_links(network, new, target)
    new.co2_limits = network.co2_limits.copy()
    new.carbon_prices = dict(network.carbon_prices)
    new.renewable_shares = network.renewable_shares.copy()
    new.reserve_margins = network.reserve_margins.copy()
    new.periods = copy.deepcopy(network.periods)
    return new


def _aggregate_loads(network: Network, new: Network, target: pd.Series) -> None:
    p = network.get_series("load", "p")
    bus = network.loads["bus"].map(target)
    for group in dict.fromkeys(bus):
        total = p[bus.index[bus == group]].sum(axis=1)
        new.add_load(f"{group}_load", bus=group, p=total)


def _series_or_scalar(values: pd.Series):
    return float(values.iloc[0]) if np.ptp(values.to_numpy()) == 0 else values


def _aggregate_generators(network: Network, new: Network, target: pd.Series) -> None:
    gens = network.generators
    if gens.empty:
        return
    merged = {"p_nom", "p_nom_min", "p_nom_max", "p_max_pu", "p_min_pu", "bus"}
    mc = network.get_series("generator", "marginal_cost")
    keys = {
        name: (target[row["bus"]], _merge_key(row, merged), tuple(mc[name].round(12)))
        for name, row in gens.iterrows()
    }
    groups: dict[tuple, list[str]] = {}
    for name, key in keys.items():
        groups.setdefault(key, []).append(name)
    count: dict[tuple[str, str], int] = {}
    for (group, _, _), names in groups.items():
        table = gens.loc[names]
        carrier = str(table["carrier"].iloc[0])
        count[(group, carrier)] = count.get((group, carrier), 0) + 1
        suffix = "" if count[(group, carrier)] == 1 else f"_{count[(group, carrier)]}"
        attrs = {k: v for k, v in table.iloc[0].to_dict().items() if k not in merged}
        for k in ("p_nom", "p_nom_min", "p_nom_max"):
            attrs[k] = float(table[k].sum())
        w = _weights_by_capacity(table)
        for pu in ("p_max_pu", "p_min_pu"):
            frame = network.get_series("generator", pu)[names]
            attrs[pu] = _series_or_scalar((frame * w).sum(axis=1) / w.sum())
        attrs["marginal_cost"] = _series_or_scalar(mc[names[0]])
        new.add_generator(f"{group}_{carrier}{suffix}", bus=group, **attrs)


def _aggregate_links(network: Network, new: Network, target: pd.Series) -> None:
    links = network.links
    groups: dict[tuple, list[str]] = {}
    for name, row in links.iterrows():
        g0, g1 = target[row["bus0"]], target[row["bus1"]]
        if g0 == g1:
            continue
        if row["bidirectional"] and g1 < g0:
            g0, g1 = g1, g0
        key: tuple[Any, ...]
        if row["p_nom_extendable"]:
            key = ("single", name)
        else:
            key = (g0, g1, row["carrier"], bool(row["bidirectional"]))
        groups.setdefault(key, []).append(name)
    for key, names in groups.items():
        table = links.loc[names]
        attrs = table.iloc[0].to_dict()
        if key[0] == "single" or len(names) == 1:
            name = names[0]
            attrs["bus0"], attrs["bus1"] = target[attrs["bus0"]], target[attrs["bus1"]]
        else:
            g0, g1, carrier, _ = key
            name = f"{g0}-{g1}_{carrier}" if carrier else f"{g0}-{g1}"
            w = table["p_nom"].astype(float)
            w = w if w.sum() > 0 else pd.Series(1.0, index=table.index)
            for k in ("efficiency", "marginal_cost", "capacity_credit"):
                attrs[k] = float((table[k].astype(float) * w).sum() / w.sum())
            attrs["p_nom"] = float(table["p_nom"].sum())
            attrs["p_nom_min"] = float(table["p_nom_min"].sum())
            attrs["p_nom_max"] = float(table["p_nom_max"].sum())
            attrs["bus0"], attrs["bus1"] = g0, g1
        new.add_link(name, **attrs)
