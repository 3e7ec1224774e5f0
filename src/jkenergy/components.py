"""One definition of every component attribute: type, unit, default, bounds, description.

The table drives the defaults of :class:`jkenergy.Network`'s ``add_*`` methods, their
validation and the documentation, in the spirit of PyPSA's component attribute files.
Attribute names follow PyPSA where the concept exists there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

INF = math.inf
NAN = math.nan


@dataclass(frozen=True)
class Attribute:
    """Description of one component attribute.

    Parameters
    ----------
    name : str
        Attribute name (PyPSA's where the concept exists).
    kind : {"str", "float", "bool", "series"}
        ``"series"`` means a float that may also be given per snapshot.
    unit : str
        Unit of the value as the user gives it.
    default : object
        Default value; ``None`` marks a required attribute.
    lower, upper : float
        Allowed closed interval for numbers (inclusive unless ``lower_open``).
    lower_open : bool
        If True the lower bound is excluded (for example efficiency in (0, 1]).
    allow_inf : bool
        Whether +inf is an allowed value (capacity limits).
    allow_nan : bool
        Whether NaN is allowed (meaning "not set").
    description : str
        One line for the docs.
    """

    name: str
    kind: str
    unit: str
    default: object
    description: str
    lower: float = -INF
    upper: float = INF
    lower_open: bool = False
    allow_inf: bool = False
    allow_nan: bool = False

    @property
    def required(self) -> bool:
        return self.default is None

    def expected(self) -> str:
        """Human-readable statement of the allowed range.

        Examples
        --------
        >>> COMPONENT_ATTRIBUTES["link"]["efficiency"].expected()
        'a number in (0, 1]'
        """
        lo = "(" if self.lower_open else "["
        hi = "]" if math.isfinite(self.upper) else ")"
        text = f"a number in {lo}{self.lower:g}, {self.upper:g}{hi}"
        if self.allow_inf:
            text += " (inf allowed)"
        if self.allow_nan:
            text += " or NaN for 'not set'"
        return text


def _attrs(*items: Attribute) -> dict[str, Attribute]:
    return {a.name: a for a in items}


_CAPACITY: dict[str, Any] = dict(lower=0.0)

_P_NOM_MIN = Attribute(
    "p_nom_min",
    "float",
    "MW",
    0.0,
    "Lower limit on total capacity if extendable (new capacity above p_nom is paid for) "
    "or retirable (capacity that must be kept, e.g. must-run or contracted units).",
    lower=0.0,
)


def _capacity_credit(default: float, description: str) -> Attribute:
    return Attribute(
        "capacity_credit",
        "float",
        "p.u.",
        default,
        description,
        0.0,
        1.0,
        allow_nan=math.isnan(default),
    )


COMPONENT_ATTRIBUTES: dict[str, dict[str, Attribute]] = {
    "bus": _attrs(
        Attribute("carrier", "str", "-", "electricity", "Energy carrier of the bus."),
        Attribute("country", "str", "-", "", "Country code the bus belongs to (JP, KR, ...)."),
        Attribute(
            "voll",
            "float",
            "USD/MWh",
            NAN,
            "Value of lost load; NaN means no unserved energy is allowed at this bus.",
            lower=0.0,
            allow_nan=True,
        ),
    ),
    "load": _attrs(
        Attribute("bus", "str", "-", None, "Bus the load draws from."),
        Attribute("p", "series", "MW", None, "Fixed demand.", lower=0.0),
    ),
    "generator": _attrs(
        Attribute("bus", "str", "-", None, "Bus the generator feeds."),
        Attribute("carrier", "str", "-", "", "Technology or fuel (solar, onwind, coal, ...)."),
        Attribute("p_nom", "float", "MW", 0.0, "Existing (or fixed) capacity.", **_CAPACITY),
        Attribute("p_nom_extendable", "bool", "-", False, "Whether capacity is optimised."),
        _P_NOM_MIN,
        Attribute(
            "p_nom_max",
            "float",
            "MW",
            INF,
            "Upper limit on total capacity if extendable.",
            allow_inf=True,
            **_CAPACITY,
        ),
        Attribute(
            "capital_cost",
            "float",
            "USD/MW/year",
            0.0,
            "Annualised investment cost, charged on new capacity only.",
            lower=0.0,
        ),
        Attribute(
            "marginal_cost", "series", "USD/MWh", 0.0, "Cost per MWh of output (fuel + VOM)."
        ),
        Attribute(
            "p_max_pu", "series", "p.u.", 1.0, "Available output per unit of capacity.", 0.0, 1.0
        ),
        Attribute(
            "p_min_pu", "series", "p.u.", 0.0, "Minimum output per unit of capacity.", 0.0, 1.0
        ),
        Attribute(
            "co2_intensity", "float", "tCO2/MWh", 0.0, "Emissions per MWh of output.", lower=0.0
        ),
        _capacity_credit(
            NAN,
            "Share of capacity counted as firm in reserve margins; NaN (default): its "
            "available output p_max_pu in each snapshot.",
        ),
        Attribute(
            "fixed_cost",
            "float",
            "USD/MW/year",
            0.0,
            "Fixed O&M of existing capacity p_nom, charged on what is kept (new capacity pays "
            "capital_cost instead).",
            lower=0.0,
        ),
        Attribute(
            "retirable",
            "bool",
            "-",
            False,
            "Whether the LP may retire existing capacity p_nom, down to p_nom_min, to save "
            "its fixed_cost.",
        ),
    ),
    "storage": _attrs(
        Attribute("bus", "str", "-", None, "Bus the storage charges from and discharges to."),
        Attribute("carrier", "str", "-", "battery", "Technology (battery, pumped_hydro, ...)."),
        Attribute(
            "p_nom",
            "float",
            "MW",
            0.0,
            "Existing (or fixed) power capacity; inf for a store whose power is limited "
            "elsewhere (for example by the links that fill and empty it).",
            allow_inf=True,
            **_CAPACITY,
        ),
        Attribute("p_nom_extendable", "bool", "-", False, "Whether power capacity is optimised."),
        _P_NOM_MIN,
        Attribute(
            "p_nom_max",
            "float",
            "MW",
            INF,
            "Upper limit on total power capacity if extendable.",
            allow_inf=True,
            **_CAPACITY,
        ),
        Attribute(
            "max_hours",
            "float",
            "h",
            NAN,
            "Energy capacity per unit of power capacity; NaN means energy is sized separately.",
            lower=0.0,
            lower_open=True,
            allow_nan=True,
        ),
        Attribute(
            "e_nom",
            "float",
            "MWh",
            0.0,
            "Existing energy capacity (only if max_hours is NaN).",
            lower=0.0,
        ),
        Attribute(
            "e_nom_extendable",
            "bool",
            "-",
            False,
            "Whether energy capacity is optimised (only if max_hours is NaN).",
        ),
        Attribute(
            "e_nom_max",
            "float",
            "MWh",
            INF,
            "Upper limit on total energy capacity if extendable.",
            lower=0.0,
            allow_inf=True,
        ),
        Attribute(
            "capital_cost",
            "float",
            "USD/MW/year",
            0.0,
            "Annualised cost of new power capacity (with max_hours: of power and energy).",
            lower=0.0,
        ),
        Attribute(
            "capital_cost_energy",
            "float",
            "USD/MWh/year",
            0.0,
            "Annualised cost of new energy capacity (only if max_hours is NaN).",
            lower=0.0,
        ),
        Attribute("marginal_cost", "float", "USD/MWh", 0.0, "Cost per MWh dispatched."),
        Attribute(
            "efficiency_store",
            "float",
            "p.u.",
            1.0,
            "Share of charged power that reaches the store.",
            0.0,
            1.0,
            lower_open=True,
        ),
        Attribute(
            "efficiency_dispatch",
            "float",
            "p.u.",
            1.0,
            "Share of stored energy withdrawn that reaches the bus.",
            0.0,
            1.0,
            lower_open=True,
        ),
        Attribute(
            "standing_loss", "float", "1/h", 0.0, "Share of stored energy lost per hour.", 0.0, 1.0
        ),
        Attribute("cyclic", "bool", "-", True, "State of charge at the end equals the start."),
        Attribute(
            "e_initial",
            "float",
            "MWh",
            0.0,
            "State of charge before the first snapshot (if not cyclic).",
            lower=0.0,
        ),
        _capacity_credit(
            NAN,
            "Share of power capacity counted as firm in reserve margins; NaN (default): by "
            "duration, min(p_nom, e_nom / storage_hours of the reserve margin).",
        ),
    ),
    "link": _attrs(
        Attribute("bus0", "str", "-", None, "Bus the flow leaves (input side)."),
        Attribute("bus1", "str", "-", None, "Bus the flow arrives at (output side)."),
        Attribute("carrier", "str", "-", "", "Technology (DC, AC, electrolysis, ...)."),
        Attribute("p_nom", "float", "MW", 0.0, "Existing capacity, at bus0.", **_CAPACITY),
        Attribute("p_nom_extendable", "bool", "-", False, "Whether capacity is optimised."),
        _P_NOM_MIN,
        Attribute(
            "p_nom_max",
            "float",
            "MW",
            INF,
            "Upper limit on total capacity if extendable.",
            allow_inf=True,
            **_CAPACITY,
        ),
        Attribute(
            "efficiency",
            "float",
            "p.u.",
            1.0,
            "Share of the flow that arrives (each direction of a bidirectional link).",
            0.0,
            1.0,
            lower_open=True,
        ),
        Attribute(
            "bidirectional",
            "bool",
            "-",
            False,
            "Two directions sharing one capacity, each with the same loss.",
        ),
        Attribute(
            "capital_cost",
            "float",
            "USD/MW/year",
            0.0,
            "Annualised cost of new capacity.",
            lower=0.0,
        ),
        Attribute(
            "marginal_cost", "float", "USD/MWh", 0.0, "Cost per MWh leaving bus0 (each way)."
        ),
        _capacity_credit(
            0.0,
            "Share of capacity that counts as firm capacity delivered into a reserve-margin "
            "group at the receiving end (either way if bidirectional); 0: none.",
        ),
    ),
}
"""Attribute definitions per component type (bus, load, generator, storage, link)."""

COMPONENT_TABLES: dict[str, str] = {
    "bus": "buses",
    "load": "loads",
    "generator": "generators",
    "storage": "storage",
    "link": "links",
}
"""Name of the :class:`~jkenergy.Network` table holding each component type."""

DEFAULT_RENEWABLE_CARRIERS: frozenset[str] = frozenset(
    {"solar", "onwind", "offwind", "wind", "hydro", "ror", "biomass", "geothermal"}
)
"""Carriers counted as renewable by renewable-share constraints, unless the network says
otherwise."""


def attribute_table(format: str = "frame") -> pd.DataFrame | str:
    """Every component attribute with its unit, default and meaning.

    Parameters
    ----------
    format : {"frame", "markdown"}, default "frame"
        ``"frame"``: a DataFrame indexed by (component, attribute) with columns ``type``,
        ``unit``, ``default`` (None where required), ``required`` and ``description``.
        ``"markdown"``: the same as a Markdown table (what the documentation shows).

    Returns
    -------
    pandas.DataFrame or str

    Examples
    --------
    >>> table = attribute_table()
    >>> table.loc[("generator", "p_nom"), ["unit", "default"]].tolist()
    ['MW', 0.0]
    >>> "| generator | `p_nom_extendable` |" in attribute_table("markdown")
    True
    """
    if format not in ("frame", "markdown"):
        raise ValueError(f"attribute_table: format must be 'frame' or 'markdown', got {format!r}")
    if format == "markdown":
        lines = ["| component | attribute | unit | default | description |", "|---" * 5 + "|"]
        for comp, attrs in COMPONENT_ATTRIBUTES.items():
            for a in attrs.values():
                default = "required" if a.required else repr(a.default)
                lines.append(f"| {comp} | `{a.name}` | {a.unit} | {default} | {a.description} |")
        return "\n".join(lines)
    rows = [
        (comp, a.name, a.kind, a.unit, a.default, a.required, a.description)
        for comp, attrs in COMPONENT_ATTRIBUTES.items()
        for a in attrs.values()
    ]
    columns = ["component", "attribute", "type", "unit", "default", "required", "description"]
    return pd.DataFrame(rows, columns=columns).set_index(["component", "attribute"])
