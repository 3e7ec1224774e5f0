"""Scenario files (YAML) -> validated schema -> :class:`~jkenergy.Network`.

A scenario file names the :func:`~jkenergy.japan_korea` options (``base``), the time
resolution (``time``), policies (``policy``), overrides of any component attribute
(``overrides``, dotted paths) and solver options (``solver``). It may ``extends:`` another
file (a path relative to it), whose settings it overrides key by key, and name a
``baseline`` scenario to compare against. Unknown keys, wrong types and unknown components
are errors that name the file and the key path; nothing is ignored silently.

Example::

    name: interconnector-optimal
    extends: islanded.yaml
    baseline: islanded.yaml
    base:
      interconnector: optimise
    overrides:
      links.JP-KR.p_nom_max: 8000
"""

from __future__ import annotations

import calendar
import importlib
import re
import sys
from collections.abc import Callable, Mapping
from os import PathLike
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .errors import JkEnergyError, ScenarioError
from .network import Network, split_size_overrides
from .solve.options import SolverOptions


class _Refused(yaml.YAMLError):
    """A YAML construct scenario and grid files may not use; ``str`` says what and where."""

    def __init__(self, message: str, mark: yaml.Mark | None = None) -> None:
        super().__init__(message)
        self.message, self.mark = message, mark

    def __str__(self) -> str:
        return f"line {self.mark.line + 1}: {self.message}" if self.mark else self.message


class _Loader(yaml.SafeLoader):
    """The YAML loader of scenario and grid files.

    - ``1e5`` and ``1.0e5`` are numbers (YAML 1.2), not strings;
    - anchors and aliases (``&a``, ``*a``, ``<<: *a``) are refused at the first one, so a
      few hundred bytes cannot expand into gigabytes (an "alias bomb");
    - a key given twice in one mapping is refused (PyYAML keeps the last silently).
    """

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(
                "YAML anchors and aliases (&name, *name) are not allowed; write the values out",
                event.start_mark,
            )
        return super().compose_node(parent, index)

    def compose_document(self) -> yaml.Node:
        node = super().compose_document()
        _unique_keys(node, ())
        return node


def _unique_keys(node: yaml.Node, where: tuple[str, ...]) -> None:
    """Raise if a mapping in ``node`` has a key twice; the message gives its key path."""
    if isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _unique_keys(item, (*where, str(i)))
    if not isinstance(node, yaml.MappingNode):
        return
    seen: dict[tuple[str, str], int] = {}
    for key, value in node.value:
        name = str(key.value) if isinstance(key, yaml.ScalarNode) else "?"
        if isinstance(key, yaml.ScalarNode):
            line = key.start_mark.line + 1
            if (key.tag, name) in seen:
                raise _Refused(
                    f"{'.'.join((*where, name))}: key given twice (lines "
                    f"{seen[(key.tag, name)]} and {line}); the first would be ignored"
                )
            seen[(key.tag, name)] = line
        _unique_keys(value, (*where, name))


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |\.[0-9_]+(?:[eE][-+]?[0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
        re.X,
    ),
    list("-+0123456789."),
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


JAPAN_KOREA = "jkenergy:japan_korea"
"""The default builder of a scenario's network (:func:`jkenergy.japan_korea`)."""


class BaseOptions(BaseModel):
    """The network a scenario starts from: a builder and its keyword arguments.

    ``builder`` names a function ``"module:function"`` that returns a
    :class:`~jkenergy.Network`; by default the Japan–Korea builder, whose arguments are
    the fields below (each validated). Any other builder gets the keys given next to it as
    keyword arguments, unvalidated here: the function's own checks apply, and a key it
    does not take is an error naming the key.
    """

    model_config = ConfigDict(extra="allow")

    builder: str = JAPAN_KOREA
    year: int = Field(2030, ge=2000, le=2100)
    regions: Literal["national", "three", "areas"] = "national"
    """Japan as one bus, three nodes (East 50 Hz, West 60 Hz, Kyushu) or nine areas."""
    interconnector: float | Literal["optimise"] | None = None
    seed: int = 0
    nuclear: Literal["operating", "operable", "policy"] = "operating"
    gx_ets: Literal["low", "central", "high"] = "central"
    """Japan's GX-ETS price case in the stated carbon price (floor, midpoint, ceiling)."""
    hydrogen: bool = True
    hydrogen_chain: Literal["price", "separate", "shared"] = "price"
    hydrogen_demand: dict[str, float] = {}
    """TWh/yr of hydrogen used outside the power sector, per country."""
    voll: float | None = Field(None, ge=0)
    reserve_margin: bool = True
    """Each country's planning reserve margin of ``year`` (see :func:`jkenergy.japan_korea`)."""

    @field_validator("interconnector")
    @classmethod
    def _non_negative(cls, value: Any) -> Any:
        if isinstance(value, float) and value < 0:
            raise ValueError("must be >= 0 MW, 'optimise' or null")
        return value

    @field_validator("builder")
    @classmethod
    def _module_function(cls, value: str) -> str:
        module, sep, function = value.partition(":")
        if not (sep and module and function.isidentifier()):
            raise ValueError(f"expected 'module:function', got {value!r}")
        return value

    @model_validator(mode="after")
    def _known_keys(self) -> BaseOptions:
        if self.builder == JAPAN_KOREA and self.model_extra:
            known = sorted(set(type(self).model_fields) - {"builder"})
            raise PydanticCustomError(
                "unknown_builder_key",
                "unknown key (the Japan-Korea builder takes {known})",
                {"key": next(iter(self.model_extra)), "known": ", ".join(known)},
            )
        return self

    def arguments(self) -> dict[str, Any]:
        """The builder's keyword arguments: all fields for the Japan-Korea builder, the keys
        given in the file for any other.

        Returns
        -------
        dict of str to object
            Keyword arguments for the builder (never ``builder`` itself). For the
            Japan-Korea builder every field, defaults included; for another builder only
            the keys given (a field such as ``year`` only if set), the fields' values
            validated, the other keys as they are.

        Examples
        --------
        >>> args = BaseOptions(interconnector=2000).arguments()
        >>> args["interconnector"], args["year"], args["nuclear"], "builder" in args
        (2000.0, 2030, 'operating', False)
        >>> own = BaseOptions(builder="my_model:build", year=2040, load_mw=90)
        >>> sorted(own.arguments().items())
        [('load_mw', 90), ('year', 2040)]
        """
        if self.builder == JAPAN_KOREA:
            return self.model_dump(exclude={"builder"})
        given = {k: getattr(self, k) for k in self.model_fields_set if k != "builder"}
        return {**given, **(self.model_extra or {})}


class TimeOptions(_Strict):
    """Time resolution: a full hourly year unless one of these is set.

    ``hours`` keeps the first hours of the year; ``resample`` averages into n-hour blocks;
    ``representative_days`` clusters the year into typical days (with inter-period
    storage), each represented as ``representation`` says (tsam; see
    :func:`jkenergy.aggregation.representative_days`). ``resample`` and
    ``representative_days`` exclude each other.
    """

    hours: int | None = Field(None, gt=0, le=8784)
    resample: int | None = Field(None, gt=0, le=24)
    representative_days: int | None = Field(None, gt=0, le=366)
    representation: Literal["medoid", "distribution", "mean"] = "medoid"


class Co2Limit(_Strict):
    countries: list[str] = Field(min_length=1)
    limit: float = Field(ge=0)
    allocation: dict[str, float] | None = None
    """Permits per country under a joint cap (tCO2, summing to ``limit``)."""


class RenewableShare(_Strict):
    country: str
    share: float = Field(ge=0, le=1)


class ReserveMargin(_Strict):
    """A planning reserve margin (:meth:`jkenergy.Network.add_reserve_margin`)."""

    countries: list[str] = Field(min_length=1)
    margin: float = Field(ge=0)
    storage_hours: float = Field(4.0, gt=0)


class Policy(_Strict):
    carbon_price: dict[str, float] = {}
    """USD/tCO2 replacing the stated carbon price of the countries named; the others pay
    their stated price of the model year (``jk.datasets.carbon_prices``)."""
    co2_limits: dict[str, Co2Limit] = {}
    renewable_shares: dict[str, RenewableShare] = {}
    reserve_margin: dict[str, ReserveMargin] = {}

    @field_validator("carbon_price")
    @classmethod
    def _prices(cls, value: dict[str, float]) -> dict[str, float]:
        for country, price in value.items():
            if price < 0:
                raise ValueError(f"carbon price of {country} must be >= 0 USD/tCO2, got {price}")
        return value


class Scenario(_Strict):
    """A validated scenario. Build it with :meth:`network`, solve with :meth:`solve`."""

    name: str
    description: str = ""
    extends: str | None = None
    baseline: str | None = None
    base: BaseOptions = BaseOptions()
    time: TimeOptions = TimeOptions()
    policy: Policy = Policy()
    overrides: dict[str, Any] = {}
    solver: SolverOptions = SolverOptions()
    _path: Path | None = PrivateAttr(default=None)

    @property
    def path(self) -> Path | None:
        """The file the scenario was read from, if any."""
        return self._path

    @field_validator("overrides")
    @classmethod
    def _dotted(cls, value: dict[str, Any]) -> dict[str, Any]:
        for key in value:
            if key.count(".") < 2:
                raise ValueError(
                    f"override key {key!r} must read '<table>.<component>.<attribute>'"
                )
        return value

    def check_time(self) -> None:
        """Refuse time settings that cannot take effect.

        Raises
        ------
        ScenarioError
            If ``resample`` and ``representative_days`` are both set, or
            ``representative_days`` exceeds the days of the horizon (``time.hours``, or the
            hours of ``base.year``).

        Examples
        --------
        >>> Scenario(name="demo", time={"hours": 48, "representative_days": 3}).check_time()
        Traceback (most recent call last):
        ...
        jkenergy.errors.ScenarioError: demo: time.representative_days: 3 days is more ...
        """
        where = str(self.path) if self.path else self.name
        time = self.time
        if time.resample and time.representative_days:
            raise ScenarioError(f"{where}: time: set resample or representative_days, not both")
        if time.representative_days is None or (
            time.hours is None and self.base.builder != JAPAN_KOREA
        ):
            return  # a user's builder sets its own horizon; aggregation checks it
        year_hours = 8784 if calendar.isleap(self.base.year) else 8760
        hours = time.hours or year_hours
        source = f"time.hours: {time.hours}" if time.hours else f"the year {self.base.year}"
        if time.representative_days > hours // 24:
            raise ScenarioError(
                f"{where}: time.representative_days: {time.representative_days} days is more "
                f"than the horizon's {hours // 24} ({source})"
            )

    def network(self) -> Network:
        """Build the network this scenario describes.

        Raises
        ------
        ScenarioError
            If an override names an unknown component or attribute, a policy names an
            unknown country, or a value is out of range (the message names the file).

        Examples
        --------
        >>> s = Scenario(name="demo", base={"interconnector": 2000}, time={"hours": 24},
        ...              overrides={"generators.JP_solar.p_nom_max": 2e5})
        >>> n = s.network()
        >>> len(n.snapshots), float(n.generators.loc["JP_solar", "p_nom_max"])
        (24, 200000.0)
        """
        self.check_time()
        where = str(self.path) if self.path else self.name
        if self.base.builder != JAPAN_KOREA:
            return _aggregate(self._custom_network(where), self.time)
        from .study.builder import japan_korea

        first, sizes = split_size_overrides(self.overrides)
        try:
            network = japan_korea(
                **self.base.arguments(),
                snapshots=self.time.hours,
                carbon_price=self.policy.carbon_price,
                co2_limits={k: v.model_dump() for k, v in self.policy.co2_limits.items()},
                renewable_shares={
                    k: v.model_dump() for k, v in self.policy.renewable_shares.items()
                },
                **first,
            )
            network.set_attributes(sizes, source="overrides")
            for name, rm in self.policy.reserve_margin.items():
                network.add_reserve_margin(name, **rm.model_dump())
        except JkEnergyError as err:
            raise ScenarioError(f"{where}: {err}") from err
        return _aggregate(network, self.time)

    def _custom_network(self, where: str) -> Network:
        """The network of a user's builder, with this scenario's policies and overrides."""
        if self.time.hours is not None:
            raise ScenarioError(
                f"{where}: time.hours: the builder {self.base.builder!r} sets its own "
                "snapshots; pass the horizon as one of its arguments under base:"
            )
        build = _builder(self.base.builder, where, self.path.parent if self.path else None)
        try:
            network = build(**self.base.arguments())
        except TypeError as err:
            raise ScenarioError(f"{where}: base: {self.base.builder}: {err}") from err
        except JkEnergyError as err:
            raise ScenarioError(f"{where}: base: {self.base.builder}: {err}") from err
        if not isinstance(network, Network):
            raise ScenarioError(
                f"{where}: base.builder: {self.base.builder} returned "
                f"{type(network).__name__}, expected a jkenergy.Network"
            )
        try:
            for country, price in self.policy.carbon_price.items():
                network.set_carbon_price(country, price)
            for name, cap in self.policy.co2_limits.items():
                network.add_co2_limit(name, **cap.model_dump())
            for name, share in self.policy.renewable_shares.items():
                network.add_renewable_share(name, **share.model_dump())
            network.set_attributes(self.overrides, source="overrides")
        except JkEnergyError as err:
            raise ScenarioError(f"{where}: {err}") from err
        return network

    def solve(self, **solver_overrides: Any):
        """Build and optimise; returns a :class:`~jkenergy.results.Result`.

        Keyword arguments override the scenario's ``solver`` section (see
        :func:`jkenergy.optimize`).

        Examples
        --------
        >>> s = Scenario(name="demo", time={"hours": 24})
        >>> s.solve(algorithm="simplex").status
        'ok'
        """
        return self.network().optimize(**{**self.solver.as_kwargs(), **solver_overrides})

    def baseline_scenario(self) -> Scenario | None:
        """The scenario named by ``baseline`` (resolved relative to this file), if any.

        Raises
        ------
        ScenarioError
            If the baseline file is malformed, or has this scenario's ``name`` (the two
            would label the same rows of a comparison).

        Examples
        --------
        >>> from pathlib import Path
        >>> import tempfile
        >>> d = Path(tempfile.mkdtemp())
        >>> _ = (d / "islanded.yaml").write_text("name: islanded\\n")
        >>> _ = (d / "linked.yaml").write_text(
        ...     "name: linked\\nextends: islanded.yaml\\nbaseline: islanded.yaml\\n"
        ...     "base: {interconnector: optimise}\\n")
        >>> load_scenario(d / "linked.yaml").baseline_scenario().name
        'islanded'
        """
        if self.baseline is None:
            return None
        base_dir = self.path.parent if self.path else Path.cwd()
        baseline = load_scenario(base_dir / self.baseline)
        if baseline.name == self.name:
            where = str(self.path) if self.path else self.name
            raise ScenarioError(
                f"{where}: baseline: {baseline.path} has the same name {self.name!r}; a "
                "scenario cannot be compared with its baseline under one name (rename one)"
            )
        return baseline


def _builder(spec: str, where: str, folder: Path | None) -> Callable[..., Any]:
    """Import ``"module:function"``, also from the scenario file's folder (``folder``)."""
    module_name, _, function = spec.partition(":")
    try:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as first:
            if folder is None or first.name != module_name.partition(".")[0]:
                raise
            sys.path.insert(0, str(folder))
            try:
                module = importlib.import_module(module_name)
            finally:
                sys.path.remove(str(folder))
    except ImportError as err:
        raise ScenarioError(f"{where}: base.builder: cannot import {module_name!r}: {err}") from err
    build = getattr(module, function, None)
    if not callable(build):
        raise ScenarioError(f"{where}: base.builder: {module_name} has no function {function!r}")
    return build


def _aggregate(network: Network, time: TimeOptions) -> Network:
    if time.resample is None and time.representative_days is None:
        return network
    from . import aggregation

    if time.resample is not None:
        return aggregation.resample(network, hours=time.resample)
    assert time.representative_days is not None  # neither option set returned above
    return aggregation.representative_days(
        network, n_days=time.representative_days, representation=time.representation
    )


def _merge(parent: Mapping[str, Any], child: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge two mappings; the child's values win, ``overrides`` merge key by key."""
    out = dict(parent)
    for key, value in child.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _read(path: Path, chain: tuple[Path, ...]) -> dict[str, Any]:
    if path in chain:
        cycle = " -> ".join(str(p) for p in (*chain, path))
        raise ScenarioError(f"{chain[-1]}: extends: circular chain {cycle}")
    if not path.is_file():
        where = f"{chain[-1]}: extends" if chain else "scenario"
        raise ScenarioError(f"{where}: file {path} not found")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}
    except _Refused as err:
        raise ScenarioError(f"{path}: {err}") from None
    except yaml.YAMLError as err:
        raise ScenarioError(f"{path}: not valid YAML: {err}") from err
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: expected a mapping of keys at the top level")
    parent = data.get("extends")
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ScenarioError(f"{path}: extends: expected a file path, got {parent!r}")
    inherited = _read((path.parent / parent).resolve(), (*chain, path))
    inherited.pop("name", None)
    inherited.pop("description", None)
    return _merge(inherited, data)


def _short(value: Any, limit: int = 80) -> str:
    """``repr(value)``, cut to ``limit`` characters: an error message stays one short line."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 5]}...{text[-2:]}"


def _describe(err: ValidationError, path: Path) -> str:
    lines = []
    for e in err.errors():
        key = ".".join(str(p) for p in e["loc"])
        if e["type"] == "unknown_builder_key":
            lines.append(f"{path}: {key}.{e['ctx']['key']}: {e['msg']}")
        elif e["type"] == "extra_forbidden":
            lines.append(f"{path}: {key}: unknown key")
        elif e["type"] == "missing":
            lines.append(f"{path}: {key}: required key missing")
        else:
            lines.append(f"{path}: {key}: {e['msg']} (got {_short(e.get('input'))})")
    return "\n".join(lines)


def load_scenario(path: str | PathLike) -> Scenario:
    """Read and validate a scenario file, following ``extends``.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        Naming the file and the key path of every problem found.

    Examples
    --------
    >>> from pathlib import Path
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "s.yaml"
    >>> _ = f.write_text("name: demo\\nbase: {interconnector: 2000}\\ntime: {hours: 24}\\n")
    >>> load_scenario(f).base.interconnector
    2000.0
    """
    path = Path(path).resolve()
    data = _read(path, ())
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as err:
        raise ScenarioError(_describe(err, path)) from None
    scenario._path = path
    scenario.check_time()
    return scenario
