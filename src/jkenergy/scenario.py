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

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from .errors import DataError, JkEnergyError
from .network import Network


class _Loader(yaml.SafeLoader):
    """YAML loader that reads ``1e5`` and ``1.0e5`` as numbers (YAML 1.2), not strings."""


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


class ScenarioError(DataError):
    """A scenario file is malformed; the message names the file and the key path."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BaseOptions(_Strict):
    """Arguments of :func:`jkenergy.japan_korea`."""

    year: int = Field(2030, ge=2000, le=2100)
    regions: Literal["national", "areas"] = "national"
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

    @field_validator("interconnector")
    @classmethod
    def _non_negative(cls, value: Any) -> Any:
        if isinstance(value, float) and value < 0:
            raise ValueError("must be >= 0 MW, 'optimise' or null")
        return value


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


class Policy(_Strict):
    carbon_price: dict[str, float] = {}
    """USD/tCO2 replacing the stated carbon price of the countries named; the others pay
    their stated price of the model year (``jk.datasets.carbon_prices``)."""
    co2_limits: dict[str, Co2Limit] = {}
    renewable_shares: dict[str, RenewableShare] = {}

    @field_validator("carbon_price")
    @classmethod
    def _prices(cls, value: dict[str, float]) -> dict[str, float]:
        for country, price in value.items():
            if price < 0:
                raise ValueError(f"carbon price of {country} must be >= 0 USD/tCO2, got {price}")
        return value


class SolverOptions(_Strict):
    algorithm: Literal[
        "auto", "simplex", "ipm", "ipm-nocrossover", "hipo", "hipo-nocrossover", "pdlp"
    ] = "auto"
    threads: int | None = Field(None, gt=0)
    time_limit: float | None = Field(None, gt=0)
    options: dict[str, Any] = {}
    """Any other HiGHS option by its HiGHS name."""


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
        from .study.builder import japan_korea

        where = str(self.path) if self.path else self.name
        if self.time.resample and self.time.representative_days:
            raise ScenarioError(f"{where}: time: set resample or representative_days, not both")
        try:
            network = japan_korea(
                **self.base.model_dump(),
                snapshots=self.time.hours,
                carbon_price=self.policy.carbon_price,
                co2_limits={k: v.model_dump() for k, v in self.policy.co2_limits.items()},
                renewable_shares={
                    k: v.model_dump() for k, v in self.policy.renewable_shares.items()
                },
                **self.overrides,
            )
        except JkEnergyError as err:
            raise ScenarioError(f"{where}: {err}") from err
        return _aggregate(network, self.time)

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
        options = {
            "algorithm": self.solver.algorithm,
            "threads": self.solver.threads,
            "time_limit": self.solver.time_limit,
            **self.solver.options,
            **solver_overrides,
        }
        return self.network().optimize(**options)

    def baseline_scenario(self) -> Scenario | None:
        """The scenario named by ``baseline`` (resolved relative to this file), if any.

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
        return load_scenario(base_dir / self.baseline)


def _aggregate(network: Network, time: TimeOptions) -> Network:
    if time.resample is None and time.representative_days is None:
        return network
    from . import aggregation

    if time.resample is not None:
        return aggregation.resample(network, hours=time.resample)
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


def _describe(err: ValidationError, path: Path) -> str:
    lines = []
    for e in err.errors():
        key = ".".join(str(p) for p in e["loc"])
        if e["type"] == "extra_forbidden":
            lines.append(f"{path}: {key}: unknown key")
        elif e["type"] == "missing":
            lines.append(f"{path}: {key}: required key missing")
        else:
            lines.append(f"{path}: {key}: {e['msg']} (got {e.get('input')!r})")
    return "\n".join(lines)


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file, following ``extends``.

    Parameters
    ----------
    path : str or Path

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
    return scenario
