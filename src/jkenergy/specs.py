"""Component specifications and dotted-path overrides, shared by the builder, scenario files
and sweeps.

A network is first described as :class:`Specs` — for each table (``buses``, ``loads``,
``generators``, ``storage``, ``links``) an ordered mapping of component name to its
``add_*`` keyword arguments — then overridden, then built. An override path reads
``"<table>.<component>.<attribute>"``, for example ``"links.JP-KR.p_nom"``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from .components import COMPONENT_ATTRIBUTES, COMPONENT_TABLES
from .errors import ComponentError, UnknownComponentError

if TYPE_CHECKING:
    from .network import Network

TABLE_COMPONENT = {table: comp for comp, table in COMPONENT_TABLES.items()}
"""Table name -> component type (``"generators"`` -> ``"generator"``)."""


class AttributePath(NamedTuple):
    """A parsed ``"<table>.<component>.<attribute>"`` path."""

    table: str
    name: str
    attribute: str

    @property
    def component(self) -> str:
        """The component type of the table (``"links"`` -> ``"link"``)."""
        return TABLE_COMPONENT[self.table]

    def __str__(self) -> str:
        return f"{self.table}.{self.name}.{self.attribute}"


def parse_path(text: str, source: str = "override") -> AttributePath:
    """Parse ``"<table>.<component>.<attribute>"``: the one grammar of attribute paths.

    The table is the text before the first dot and the attribute the text after the last
    one, so a component name may contain dots (``"generators.JP.solar.p_nom"`` names
    ``JP.solar``). The table and the attribute are checked against the attribute table; the
    component name is checked where a network or specs are at hand.

    Parameters
    ----------
    text : str
        The path.
    source : str
        Where it comes from, for error messages (a file name, ``"grid"``, ...).

    Raises
    ------
    UnknownComponentError
        For an unknown table.
    ComponentError
        For a malformed path or an attribute the component does not have.

    Examples
    --------
    >>> parse_path("links.JP-KR.p_nom")
    AttributePath(table='links', name='JP-KR', attribute='p_nom')
    >>> parse_path("links.JP-KR")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    jkenergy.errors.ComponentError: override: 'links.JP-KR' must read '<table>.<component>...
    """
    table, sep, rest = str(text).partition(".")
    name, sep2, attribute = rest.rpartition(".")
    if not (isinstance(text, str) and sep and sep2 and name and attribute):
        raise ComponentError(f"{source}: {text!r} must read '<table>.<component>.<attribute>'")
    if table not in TABLE_COMPONENT:
        raise UnknownComponentError(
            f"{source}: {text!r}: unknown table {table!r}; expected one of {list(TABLE_COMPONENT)}"
        )
    known = COMPONENT_ATTRIBUTES[TABLE_COMPONENT[table]]
    if attribute not in known:
        raise ComponentError(
            f"{source}: {text!r}: {TABLE_COMPONENT[table]} has no attribute {attribute!r}; "
            f"expected one of {sorted(known)}"
        )
    return AttributePath(table, name, attribute)


class Specs(dict):
    """``{table: {name: attributes}}`` for the five component tables, in build order."""

    def __init__(self) -> None:
        super().__init__({table: {} for table in TABLE_COMPONENT})

    def add(self, table: str, name: str, **attributes: Any) -> None:
        """Describe one component (validated later, when the network is built).

        Examples
        --------
        >>> specs = Specs()
        >>> specs.add("buses", "JP", country="JP")
        >>> specs["buses"]
        {'JP': {'country': 'JP'}}
        """
        self[table][name] = attributes

    def override(self, path: str, value: Any, source: str = "override") -> None:
        """Set one attribute by its dotted path.

        Parameters
        ----------
        path : str
            ``"<table>.<component>.<attribute>"``; the component name may contain dots only
            if it is not followed by another dot-free attribute (the last dot splits).
        value : object
            The new value; validated when the network is built.
        source : str
            Where the override comes from, for error messages (a file name, "grid", ...).

        Raises
        ------
        UnknownComponentError
            For an unknown table or component.
        ComponentError
            For an unknown attribute or a malformed path.

        Examples
        --------
        >>> specs = Specs()
        >>> specs.add("buses", "JP", country="JP")
        >>> specs.add("generators", "JP_coal", bus="JP", p_nom=100.0)
        >>> specs.override("generators.JP_coal.p_nom", 80.0)
        >>> specs["generators"]["JP_coal"]["p_nom"]
        80.0
        >>> specs.override("generators.JP_coal.pnom", 80.0)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        jkenergy.errors.ComponentError: override: ... has no attribute 'pnom'; expected one of [...]
        """
        table, name, attribute = parse_path(path, f"{source}: override")
        if name not in self[table]:
            raise UnknownComponentError(
                f"{source}: override {path!r}: no {TABLE_COMPONENT[table]} named {name!r}; "
                f"known: {list(self[table])}"
            )
        self[table][name][attribute] = value

    def build(self, network: Network) -> Network:
        """Add every described component to ``network`` (buses first) and return it.

        Examples
        --------
        >>> import pandas as pd
        >>> from jkenergy import Network
        >>> specs = Specs()
        >>> specs.add("buses", "JP", country="JP")
        >>> specs.add("loads", "JP_load", bus="JP", p=100.0)
        >>> specs.build(Network(pd.date_range("2030", periods=1, freq="h")))
        Network(1 snapshots; 1 buses, 1 loads, 0 generators, 0 storage, 0 links)
        """
        adders: dict[str, Callable[..., None]] = {
            "buses": network.add_bus,
            "loads": network.add_load,
            "generators": network.add_generator,
            "storage": network.add_storage,
            "links": network.add_link,
        }
        for table, adder in adders.items():
            for name, attributes in self[table].items():
                adder(name, **attributes)
        return network


def apply_overrides(specs: Specs, overrides: Mapping[str, Any], source: str = "override") -> None:
    """Apply ``{path: value}`` overrides to ``specs`` (see :meth:`Specs.override`).

    Examples
    --------
    >>> specs = Specs()
    >>> specs.add("buses", "JP")
    >>> specs.add("buses", "KR")
    >>> specs.add("links", "JP-KR", bus0="JP", bus1="KR", p_nom=1000.0)
    >>> apply_overrides(specs, {"links.JP-KR.p_nom": 2000.0}, source="my.yaml")
    >>> specs["links"]["JP-KR"]["p_nom"]
    2000.0
    """
    for path, value in overrides.items():
        specs.override(path, value, source)
