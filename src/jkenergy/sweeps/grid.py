"""Sweep grids: the grammar of grid keys, cases, and applying a case to a base.

A case is a mapping of keys to values, applied to the sweep's base:

``<table>.<component>.<attribute>``
    Any component attribute (the ``overrides`` of a scenario file), e.g.
    ``links.JP-KR.p_nom`` or ``generators.KR_coal.marginal_cost``; ``<table>`` is one of
    ``buses``, ``loads``, ``generators``, ``storage``, ``links``. Values are scalars.
    ``p_nom`` is the component's size in the case: the fixed capacity of a component that
    is not extendable; for a *build of fixed size* (``p_nom_extendable`` with
    ``p_nom_min == p_nom_max``, as ``interconnector: <MW>`` makes the JP-KR link) it sets
    both bounds to the value, so the build has that size and its capital cost counts as in
    the base; for an optimised build (``p_nom_min < p_nom_max``) it is the existing
    capacity, free, on top of which the optimiser may build. A case may not set both
    ``p_nom`` and the bounds of a build of fixed size.
``carbon_price.<country>``
    Carbon price in USD/tCO2 (>= 0) of one country; ``carbon_price.*`` sets every country.
``co2_limit.<name>``
    Limit in tCO2 over the weighted horizon. If the base defines a limit ``<name>``, its
    limit changes; otherwise ``<name>`` must be a country and a limit on that country alone
    is added. ``null`` removes the limit.
``base.<option>``
    An option of :func:`jkenergy.japan_korea` as in a scenario file's ``base:`` section
    (``interconnector``, ``year``, ``nuclear``, ``hydrogen``, ...); scenario bases only.

A grid is either a product of named axes, ``{"links.JP-KR.p_nom": [0, 2000],
"carbon_price.KR": [0, 50, 100]}`` (6 cases), or an explicit list of cases,
``[{"links.JP-KR.p_nom": 0}, {"links.JP-KR.p_nom": 2000, "carbon_price.KR": 50}]``. In a
YAML grid file the two forms read ``axes: {...}`` and ``cases: [...]``.

Keys are *parametric* if they change only costs, bounds or right-hand sides of the LP
(:data:`PARAMETRIC`, ``carbon_price.*``, and ``co2_limit.<name>`` of a limit the base
defines) and *structural* otherwise. A case's network is the base built with its structural
items (as scenario overrides and options), then its parametric items set on the built
network (``p_nom`` always on the built network, where a build of fixed size is known);
:func:`validate` checks every case that way, without solving.
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import itertools
import json
import os
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np

from ..components import COMPONENT_ATTRIBUTES, Attribute
from ..errors import JkEnergyError, SweepError
from ..network import Network, fixed_size_build
from ..scenario import Scenario, load_scenario
from ..specs import TABLE_COMPONENT, AttributePath

PARAMETRIC = {
    (table, attribute)
    for table in ("generators", "links")
    for attribute in ("p_nom", "p_nom_max", "marginal_cost", "capital_cost")
}
"""Component attributes that change only costs, bounds or right-hand sides of the LP."""

_LIMIT = Attribute("limit", "float", "tCO2", 0.0, "", lower=0.0)


@dataclass(frozen=True)
class Key:
    """A parsed grid key: ``kind`` is ``component``, ``carbon_price``, ``co2_limit`` or
    ``base``; ``name`` the component, country, limit or option; ``table`` and ``attribute``
    are set for component keys."""

    text: str
    kind: str
    name: str
    table: str = ""
    attribute: str = ""


def parse_key(text: str) -> Key:
    """Parse a grid key (see the module docstring), raising :class:`SweepError`."""
    if not isinstance(text, str):
        raise SweepError(f"grid key {text!r}: expected a string")
    head, _, rest = text.partition(".")
    if head in ("carbon_price", "co2_limit", "base"):
        if not rest or "." in rest:
            raise SweepError(f"grid key {text!r}: expected '{head}.<name>'")
        return Key(text, head, rest)
    if head in TABLE_COMPONENT:
        name, _, attribute = rest.rpartition(".")
        if not name or not attribute:
            raise SweepError(f"grid key {text!r}: expected '{head}.<component>.<attribute>'")
        component = TABLE_COMPONENT[head]
        if attribute not in COMPONENT_ATTRIBUTES[component]:
            raise SweepError(
                f"grid key {text!r}: {component} has no attribute {attribute!r}; expected one "
                f"of {sorted(COMPONENT_ATTRIBUTES[component])}"
            )
        return Key(text, "component", name, head, attribute)
    raise SweepError(
        f"grid key {text!r}: expected '<table>.<component>.<attribute>' (table one of "
        f"{sorted(TABLE_COMPONENT)}), 'carbon_price.<country>', 'co2_limit.<name>' or "
        "'base.<option>'"
    )


def _normalise(value: Any) -> Any:
    """Plain JSON-able Python values; integral floats become ints, so 1000 == 1000.0."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, Mapping):
        return {str(k): _normalise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normalise(v) for v in value]
    raise SweepError(f"grid value {value!r}: expected a number, string, boolean or null")


def _canonical(values: Mapping[str, Any]) -> str:
    return json.dumps(values, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class Case:
    """One case: its position in the grid and the key -> value mapping to apply."""

    index: int
    values: dict[str, Any]

    @property
    def id(self) -> str:
        """Stable hash of the inputs; names the case's file in the store."""
        return hashlib.sha1(_canonical(self.values).encode()).hexdigest()[:12]

    @property
    def filename(self) -> str:
        return f"case-{self.id}.nc"

    def label(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.values.items()) or "(base)"


@dataclass
class Grid:
    """A product of named axes (``axes``) or an explicit list of cases (``explicit``)."""

    axes: dict[str, list[Any]] | None = None
    explicit: list[dict[str, Any]] | None = None

    @classmethod
    def from_spec(cls, spec: Grid | Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> Grid:
        """From a mapping of key to values (product), ``{"axes": ...}``, ``{"cases": ...}``
        or a list of mappings (explicit cases)."""
        if isinstance(spec, Grid):
            return spec
        if isinstance(spec, Mapping) and set(spec) in ({"axes"}, {"cases"}):
            return cls.from_spec(spec.get("axes", spec.get("cases")))
        if isinstance(spec, Mapping):
            axes = {}
            for key, values in spec.items():
                parse_key(key)
                if not isinstance(values, list | tuple) or not values:
                    raise SweepError(f"grid axis {key!r}: expected a non-empty list of values")
                values = [_normalise(v) for v in values]
                if len({_canonical({"v": v}) for v in values}) != len(values):
                    raise SweepError(f"grid axis {key!r}: values repeat: {values}")
                axes[str(key)] = values
            if not axes:
                raise SweepError("grid: no axes")
            return cls(axes=axes)
        if isinstance(spec, list | tuple) and spec:
            cases = []
            for i, case in enumerate(spec):
                if not isinstance(case, Mapping):
                    raise SweepError(f"grid case {i}: expected a mapping of key to value")
                for key in case:
                    parse_key(key)
                cases.append({str(k): _normalise(v) for k, v in case.items()})
            seen = Counter(_canonical(c) for c in cases)
            repeated = [c for c, n in seen.items() if n > 1]
            if repeated:
                raise SweepError(f"grid: case {repeated[0]} is listed more than once")
            return cls(explicit=cases)
        raise SweepError(
            "grid: expected a mapping of key to list of values, or a non-empty list of cases"
        )

    @property
    def shape(self) -> tuple[int, ...]:
        if self.axes is not None:
            return tuple(len(v) for v in self.axes.values())
        return (len(self.explicit or []),)

    def cases(self) -> list[Case]:
        """Every case, in grid order (C order over the axes)."""
        if self.axes is not None:
            keys = list(self.axes)
            combos = itertools.product(*self.axes.values())
            return [Case(i, dict(zip(keys, c, strict=True))) for i, c in enumerate(combos)]
        return [Case(i, dict(c)) for i, c in enumerate(self.explicit or [])]

    def to_json(self) -> dict[str, Any]:
        return {"axes": self.axes} if self.axes is not None else {"cases": self.explicit}


def load_grid(path: str | Path) -> Grid:
    """Read a grid YAML file: ``axes: {key: [values]}`` or ``cases: [{key: value}, ...]``."""
    import yaml

    from ..scenario import _Loader

    path = Path(path)
    if not path.is_file():
        raise SweepError(f"grid file {path} not found")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except yaml.YAMLError as err:
        raise SweepError(f"{path}: not valid YAML: {err}") from err
    if (
        isinstance(data, Mapping)
        and set(data) - {"axes", "cases"}
        and ("axes" in data or "cases" in data)
    ):
        raise SweepError(f"{path}: unknown top-level keys {sorted(set(data) - {'axes', 'cases'})}")
    try:
        return Grid.from_spec(data)
    except SweepError as err:
        raise SweepError(f"{path}: {err}") from None


# ------------------------------------------------------------- applying a case


@dataclass(frozen=True)
class SweepJob:
    """Everything a worker needs to solve cases of one sweep (picklable)."""

    store: str
    scenario: Scenario | None
    builder: Callable[[], Network] | None
    options: dict[str, Any]
    """Keyword arguments of :func:`jkenergy.optimize`."""
    fingerprint: str
    base_limits: frozenset[str]
    reuse: bool = True
    warm_start: bool = True
    case_hook: Callable[[dict[str, Any]], None] | None = None
    description: str = ""


def make_job(
    base: Scenario | str | os.PathLike | Callable[[], Network],
    store: str | os.PathLike = ".",
    *,
    solver: Mapping[str, Any] | None = None,
    reuse: bool = True,
    warm_start: bool = True,
    case_hook: Callable[[dict[str, Any]], None] | None = None,
) -> SweepJob:
    """Describe a sweep's base for the workers (see :func:`sweep` for the arguments)."""
    scenario: Scenario | None = None
    builder: Callable[[], Network] | None = None
    if isinstance(base, Scenario):
        scenario = base
    elif isinstance(base, str | os.PathLike):
        scenario = load_scenario(base)
    elif callable(base):
        builder = base
    else:
        raise SweepError(
            f"sweep: base must be a Scenario, a scenario file or a callable returning a "
            f"Network, got {type(base).__name__}"
        )
    options: dict[str, Any] = {"threads": 1}  # and optimize()'s default algorithm
    if scenario is not None:
        dump = scenario.model_dump(mode="json", exclude={"name", "description", "solver"})
        description = json.dumps({"name": scenario.name, **dump}, sort_keys=True)
        fingerprint = hashlib.sha1(_canonical(dump).encode()).hexdigest()[:16]
        limits = frozenset(scenario.policy.co2_limits)
        opts = scenario.solver
        options = {"algorithm": opts.algorithm, "threads": opts.threads or 1, **opts.options}
        if opts.time_limit is not None:
            options["time_limit"] = opts.time_limit
    else:
        name = f"{getattr(base, '__module__', '?')}.{getattr(base, '__qualname__', repr(base))}"
        description = json.dumps({"callable": name})
        try:  # its source too, so that editing the function changes the base
            source = inspect.getsource(cast(Callable[[], Network], base))  # no scenario
        except (OSError, TypeError):
            source = ""
        fingerprint = hashlib.sha1(f"{name}\n{source}".encode()).hexdigest()[:16]
        limits = None  # read from the network, below
    options.update(solver or {})
    job = SweepJob(str(Path(store)), scenario, builder, options, fingerprint, frozenset(),
                   reuse, warm_start, case_hook, description)  # fmt: skip
    if limits is None:
        limits = frozenset(_call_builder(job).co2_limits.index)
    return dataclasses.replace(job, base_limits=limits)


def _call_builder(job: SweepJob) -> Network:
    assert job.builder is not None  # make_job sets one when there is no scenario
    network = job.builder()
    if not isinstance(network, Network):
        raise SweepError(
            f"sweep: the base callable must return a jkenergy.Network, got {type(network).__name__}"
        )
    return network


def split_case(values: Mapping[str, Any], base_limits: Iterable[str] = ()):
    """Split a case into (structural, parametric) items (see the module docstring)."""
    limits = set(base_limits)
    structural: dict[str, Any] = {}
    parametric: dict[str, Any] = {}
    for text, value in values.items():
        key = parse_key(text)
        if key.kind == "carbon_price":
            parametric[text] = value
        elif key.kind == "co2_limit":
            target = parametric if value is not None and key.name in limits else structural
            target[text] = value
        elif key.kind == "component" and (key.table, key.attribute) in PARAMETRIC:
            parametric[text] = value
        else:
            structural[text] = value
    return structural, parametric


_BOUNDS = ("p_nom_min", "p_nom_max", "p_nom_extendable")


def _conflicts(network: Network, items: Mapping[str, Any]) -> None:
    """Refuse a case that sets both the size of a build of fixed size (``p_nom``) and one of
    the attributes that define it (its bounds, ``p_nom_extendable``): the result would
    depend on the order they are applied in."""
    keys = [parse_key(text) for text in items]
    sized = {(k.table, k.name) for k in keys if k.kind == "component" and k.attribute == "p_nom"}
    for k in keys:
        if (k.kind == "component" and k.attribute in _BOUNDS and (k.table, k.name) in sized
                and fixed_size_build(network, k.table, k.name)):  # fmt: skip
            raise SweepError(
                f"grid keys {k.table}.{k.name}.p_nom and {k.text}: {k.table}.{k.name} is a build "
                "of fixed size, whose size p_nom sets (p_nom_min = p_nom_max); set either its "
                "size or its bounds in one case, not both"
            )


def _apply(network: Network, items: Mapping[str, Any]) -> None:
    """Apply grid items to a built network (``*`` keys first, so specific ones win).

    Component attributes go through :meth:`Network.set_attribute`, the one setter, whose
    rule gives ``p_nom`` of a build of fixed size (:func:`fixed_size_build`) its size, as a
    grid means it: both bounds (``p_nom_min = p_nom_max``); ``p_nom`` of any other
    component is its existing capacity (the fixed capacity of a component that is not
    extendable).
    """
    _conflicts(network, items)
    for text, value in sorted(items.items(), key=lambda kv: not kv[0].endswith(".*")):
        key = parse_key(text)
        try:
            if key.kind == "carbon_price":
                countries = network.countries if key.name == "*" else [key.name]
                for country in countries:
                    network.set_carbon_price(country, value)
            elif key.kind == "co2_limit":
                if value is None:
                    network.co2_limits = network.co2_limits.drop(index=key.name, errors="ignore")
                elif key.name in network.co2_limits.index:
                    label = f"co2_limit {key.name!r}"
                    network.co2_limits.loc[key.name, "limit"] = Network._number(
                        label, _LIMIT, value
                    )
                else:
                    network.add_co2_limit(key.name, countries=[key.name], limit=value)
            elif key.kind == "base":
                raise SweepError("'base.*' keys need a scenario as the sweep's base")
            else:
                path = AttributePath(key.table, key.name, key.attribute)
                network.set_attribute(path, value, source="base network")
        except JkEnergyError as err:
            raise SweepError(f"grid key {text!r} = {value!r}: {err}") from None


VALIDATION_HOURS = 48
""":func:`validate` builds a scenario's cases on the first hours of the year only: the
builder, the overrides and the policies run the same code as on the scenario's own time
resolution, without the time aggregation (tsam) that is most of a representative-days
build, and the worker builds each case again on the full resolution anyway."""


def structural_network(
    job: SweepJob, structural: Mapping[str, Any], hours: int | None = None
) -> Network:
    """The base network with the structural items of a case applied.

    ``hours``: build a scenario's network on the first ``hours`` of the year instead of
    the scenario's time resolution (for :func:`validate`; ignored for a builder function).
    """
    if job.scenario is None:
        network = _call_builder(job)
        _apply(network, structural)
        return network
    data = job.scenario.model_dump()
    if hours is not None:
        data["time"] = {"hours": hours}
    sizes = {}  # set on the built network, where a build of fixed size is known
    for text, value in structural.items():
        key = parse_key(text)
        if key.kind == "component" and key.attribute == "p_nom":
            sizes[text] = value
        elif key.kind == "base":
            data["base"][key.name] = value
        elif key.kind == "co2_limit" and value is None:
            data["policy"]["co2_limits"].pop(key.name, None)
        elif key.kind == "co2_limit":
            data["policy"]["co2_limits"][key.name] = {"countries": [key.name], "limit": value}
        elif key.kind == "carbon_price":
            data["policy"]["carbon_price"][key.name] = value
        else:
            data["overrides"][text] = value
    try:
        scenario = Scenario.model_validate(data)
    except Exception as err:  # pydantic's ValidationError
        lines = [
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']} (got {e.get('input')!r})"
            for e in getattr(err, "errors", lambda: [])()
        ]
        raise SweepError(f"grid: {'; '.join(lines) or err}") from None
    scenario._path = job.scenario.path
    network = scenario.network()
    _apply(network, sizes)
    return network


# ---------------------------------------------------------------- validation


def validate(job: SweepJob, cases: Sequence[Case]) -> dict[str, str]:
    """Check every case without solving: {case id: error} for the bad ones.

    Builds the base network once per distinct combination of structural items (for a
    scenario, on its first :data:`VALIDATION_HOURS` hours), then applies each case's
    parametric items to a copy of it.
    """
    errors: dict[str, str] = {}
    groups: dict[str, list] = defaultdict(list)
    for case in cases:
        try:
            structural, parametric = split_case(case.values, job.base_limits)
        except SweepError as err:
            errors[case.id] = str(err)
            continue
        groups[_canonical(structural)].append((case, structural, parametric))
    for members in groups.values():
        structural = members[0][1]
        try:
            network = structural_network(job, structural, hours=VALIDATION_HOURS)
        except (JkEnergyError, Exception) as err:
            for case, _, _ in members:
                errors[case.id] = f"{type(err).__name__}: {err}" if not isinstance(
                    err, JkEnergyError) else str(err)  # fmt: skip
            continue
        for case, _, parametric in members:
            try:
                _apply(network.copy(), parametric)
            except JkEnergyError as err:
                errors[case.id] = str(err)
    return errors
