"""Where an LP's size goes: rows, columns and nonzeros per Pyomo component and per bus, and
what HiGHS's presolve takes out of it.

>>> import pandas as pd
>>> import jkenergy as jk
>>> n = jk.Network(pd.date_range("2030", periods=2, freq="h"))
>>> n.add_bus("JP", country="JP")
>>> n.add_load("d", bus="JP", p=[50.0, 150.0])
>>> n.add_generator("gas", bus="JP", carrier="gas", p_nom=200.0, marginal_cost=80.0)
>>> n.add_generator("pv", bus="JP", carrier="solar", p_nom_extendable=True,
...                 p_max_pu=[0.0, 0.5], capital_cost=1.0)
>>> size = jk.solve.lp_size(n)
>>> for line in size.values.tolist():  # pv's output at dawn is fixed at 0: no column, no row
...     print(tuple(line))
('row', 'balance', 'JP', 2, 3)
('row', 'gen_p_upper', 'JP', 1, 2)
('column', 'gen_p', 'JP', 3, 4)
('column', 'gen_p_nom', 'JP', 1, 1)

Each row counts the entries (rows or columns) of one Pyomo component at one bus and their
nonzeros in the constraint matrix; the bus is the component's own bus (``bus0`` for a
link), empty for rows that span buses (policies, reserve margins). Two balances hold
gas in both hours and pv only in the second: at dawn (``p_max_pu`` = 0) pv's output can
only be 0, so it is a constant, not a column (:func:`jkenergy.model.generators.zero_output`).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import highspy
import numpy as np
import pandas as pd

from ..errors import SolverError
from .handover import to_highs

if TYPE_CHECKING:
    from ..model.inputs import ModelInputs
    from ..network import Network
    from .compiled import CompiledLP

_BUS_INDEXED = {"balance", "unserved", "slack_short", "slack_surplus"}
"""Components whose first index is a bus position."""
_OWNER = (  # (name prefix, component table, position of the component in the index)
    ("rm_link_", "links", 0),
    ("rm_sto_", "storage", 1),
    ("gen_", "generators", 0),
    ("sto_", "storage", 0),
    ("link_", "links", 0),
)


_STATUS = {
    "kNotReduced": "not reduced",
    "kReduced": "reduced",
    "kReducedToEmpty": "reduced to empty",
    "kInfeasible": "infeasible",
    "kUnboundedOrInfeasible": "unbounded or infeasible",
    "kTimeout": "timeout",
}


def _compiled(lp: Network | CompiledLP) -> CompiledLP:
    from .compiled import CompiledLP, compile

    if isinstance(lp, CompiledLP):
        return lp
    if not hasattr(lp, "snapshots"):
        raise SolverError(f"lp_size: expected a Network or a CompiledLP, got {type(lp).__name__}")
    return compile(lp, algorithm="simplex")


def _bus_of(name: str, x: ModelInputs) -> tuple[np.ndarray | None, int]:
    """Bus position per component position for a Pyomo component name, and where the
    component sits in its index (None: the component has no bus)."""
    if name in _BUS_INDEXED:
        return np.arange(len(x.buses)), 0
    for prefix, table, position in _OWNER:
        if name.startswith(prefix):
            t = getattr(x, table)
            key = "bus0" if table == "links" else "bus"
            return np.asarray(t.static[key], dtype=int), position
    return None, 0


def _entries(items: list, nonzeros: np.ndarray, kind: str, x: ModelInputs) -> pd.DataFrame:
    groups: dict[str, list[int]] = {}
    for j, item in enumerate(items):
        groups.setdefault(item.parent_component().local_name, []).append(j)
    names = np.array([*x.buses.names, ""], dtype=object)
    frames = []
    for name, positions in groups.items():
        where, at = _bus_of(name, x)
        if where is None:
            bus = np.full(len(positions), len(names) - 1)
        else:
            keys = [items[j].index() for j in positions]
            owner = [k[at] if isinstance(k, tuple) else k for k in keys]
            bus = where[np.asarray(owner, dtype=int)]
        frame = pd.DataFrame({"bus": names[bus], "nonzeros": nonzeros[positions], "entries": 1})
        frame = frame.groupby("bus", sort=False, as_index=False).sum()
        frame.insert(0, "name", name)
        frames.append(frame)
    out = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=["name", "bus", "nonzeros", "entries"])
    )
    out.insert(0, "kind", kind)
    return out


def lp_size(lp: Network | CompiledLP) -> pd.DataFrame:
    """Rows, columns and nonzeros of a network's LP per Pyomo component and bus.

    Parameters
    ----------
    lp : Network or CompiledLP
        A network (compiled here, not solved) or an LP from :func:`~jkenergy.solve.compile`.

    Returns
    -------
    pandas.DataFrame
        One line per (kind, name, bus): ``kind`` ``"row"`` or ``"column"``, ``name`` the
        Pyomo constraint or variable, ``bus`` the bus of the component the entries belong
        to (``bus0`` for a link; ``""`` where the index has no bus), ``entries`` how many
        rows or columns and ``nonzeros`` their nonzeros in the constraint matrix. Rows come
        first, each kind sorted by nonzeros, largest first. A variable in no row and no cost
        is not a column (Pyomo's standard-form compiler leaves it out).

    Examples
    --------
    >>> import pandas as pd
    >>> import jkenergy as jk
    >>> n = jk.Network(pd.date_range("2030", periods=3, freq="h"))
    >>> n.add_bus("b")
    >>> n.add_load("d", bus="b", p=1.0)
    >>> n.add_generator("g", bus="b", carrier="gas", p_nom=2.0)
    >>> jk.solve.lp_size(n)[["kind", "name", "entries", "nonzeros"]].values.tolist()
    [['row', 'balance', 3, 3], ['column', 'gen_p', 3, 3]]
    """
    compiled = _compiled(lp)
    form, x = compiled.form, compiled.inputs
    a = form.matrix.tocsc()
    col_nz = np.diff(a.indptr)
    row_nz = np.bincount(a.indices, minlength=a.shape[0])
    out = pd.concat(
        [_entries(form.rows, row_nz, "row", x), _entries(form.columns, col_nz, "column", x)],
        ignore_index=True,
    )
    out["order"] = out["kind"].map({"row": 0, "column": 1})
    out = out.sort_values(["order", "nonzeros"], ascending=[True, False], kind="stable")
    return out[["kind", "name", "bus", "entries", "nonzeros"]].reset_index(drop=True)


def presolve_size(lp: Network | CompiledLP) -> pd.Series:
    """Rows, columns and nonzeros of the LP before and after HiGHS's presolve.

    Presolve runs on a copy of the LP handed to a new ``highspy.Highs`` (``presolve()``,
    then ``getPresolvedLp()``); ``lp`` itself is left as it is.

    Returns
    -------
    pandas.Series
        ``rows``, ``columns``, ``nonzeros`` (as handed over), ``presolved_rows``,
        ``presolved_columns``, ``presolved_nonzeros``, ``presolve_s`` (seconds) and
        ``status`` (HiGHS's model presolve status: ``"reduced"``, ``"not reduced"``,
        ``"reduced to empty"``, ...).

    Examples
    --------
    >>> import pandas as pd
    >>> import jkenergy as jk
    >>> n = jk.Network(pd.date_range("2030", periods=3, freq="h"))
    >>> n.add_bus("b")
    >>> n.add_load("d", bus="b", p=1.0)
    >>> n.add_generator("g", bus="b", carrier="gas", p_nom=2.0)
    >>> s = jk.solve.presolve_size(n)  # each balance fixes one output: nothing is left
    >>> int(s["rows"]), int(s["presolved_rows"]), s["status"]
    (3, 0, 'reduced to empty')
    """
    compiled = _compiled(lp)
    form = compiled.form
    h = to_highs(form)
    start = time.perf_counter()
    if h.presolve() == highspy.HighsStatus.kError:
        raise SolverError("presolve_size: HiGHS presolve failed")
    seconds = time.perf_counter() - start
    status = h.getModelPresolveStatus()
    reduced = h.getPresolvedLp()
    rows, columns = form.shape
    return pd.Series(
        {
            "rows": rows,
            "columns": columns,
            "nonzeros": int(form.matrix.nnz),
            "presolved_rows": int(reduced.num_row_),
            "presolved_columns": int(reduced.num_col_),
            "presolved_nonzeros": len(reduced.a_matrix_.value_),
            "presolve_s": seconds,
            "status": _STATUS.get(status.name, status.name),
        },
        dtype=object,
    )
