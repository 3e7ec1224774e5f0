"""What a Japan–Korea interconnector saves, by link size and carbon price: a sweep and its
heat map.

Twenty solves of the 1 GW interconnector scenario (``examples/scenarios/interconnector_1gw
.yaml``: 2030, national, 32 representative days) over the grid
``examples/sweeps/link_carbon.yaml``: link size 0-8 GW x a carbon price of 0-150 USD/t in
both countries. The saving of each case is the system cost of the same carbon price without
the link minus its own; a fixed-size link is a new build, so its annualised cost (``links.csv``
candidate Kyushu-KR_HVDC, about 104,000 USD/MW/yr) is part of the system cost, split
half-half between the countries. The link size is a ``base.`` key: each worker builds one
LP per size and re-solves it for every carbon price. Run::

    python examples/sweep_link_carbon.py [--out DIR] [--workers N | --scheduler ADDRESS]

or the same sweep from the command line::

    jkenergy sweep examples/scenarios/interconnector_1gw.yaml \\
        --grid examples/sweeps/link_carbon.yaml --out sweep_link_carbon

The store in ``--out`` keeps every case; running again resumes or just redraws. The figure
goes to ``<out>/link_carbon_saving.png`` (``examples/sweeps/link_carbon_saving.png`` is one).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import xarray as xr

import jkenergy as jk
from jkenergy.sweeps import load_grid, saving

HERE = Path(__file__).resolve().parent
SCENARIO = HERE / "scenarios" / "interconnector_1gw.yaml"
GRID = HERE / "sweeps" / "link_carbon.yaml"
LINK, PRICE = "base.interconnector", "carbon_price.*"
TITLES = {
    "total": "Both countries",
    "JP": "Japan (system cost, half the link)",
    "KR": "Korea (system cost, half the link)",
}


def net_saving(ds: xr.Dataset) -> xr.Dataset:
    """Saving against no link at the same carbon price, net of the link's annualised cost
    (which is in the system cost), in total and per country (the link's cost split
    half-half, as in the analysis)."""
    out = xr.Dataset()
    out["total"] = saving(ds, LINK)
    by_country = saving(ds, LINK, variable="system_cost")
    for country in by_country["country"].values:
        out[str(country)] = by_country.sel(country=country, drop=True)
    return out


def heat_map(ds: xr.Dataset):
    """Net saving (bn USD/yr) over link size and carbon price: total, Japan, Korea."""
    table = net_saving(ds) / 1e9
    panels = list(table.data_vars)
    fig, axes = plt.subplots(1, len(panels), figsize=(4.2 * len(panels), 3.6), sharey=True)
    limit = float(np.nanmax(np.abs(table.to_array().values))) or 1.0
    for ax, name in zip(np.atleast_1d(axes), panels, strict=True):
        values = table[name].transpose(PRICE, LINK).values
        image = ax.imshow(values, origin="lower", cmap="RdBu", vmin=-limit, vmax=limit,
                          aspect="auto")  # fmt: skip
        for (i, j), v in np.ndenumerate(values):
            if np.isfinite(v):
                ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=8)
            else:
                ax.text(j, i, "failed", ha="center", va="center", fontsize=7)
        ax.set_xticks(range(ds.sizes[LINK]), [f"{v / 1000:g}" for v in ds[LINK].values])
        ax.set_yticks(range(ds.sizes[PRICE]), [f"{v:g}" for v in ds[PRICE].values])
        ax.set_xlabel("Japan–Korea link [GW]")
        ax.set_title(TITLES.get(name, name), fontsize=10)
    np.atleast_1d(axes)[0].set_ylabel("carbon price, JP and KR [USD/tCO2]")
    fig.colorbar(image, ax=axes, label="net saving vs no link [bn USD/yr]")
    fig.suptitle(
        "Saving from a Japan–Korea interconnector, net of its annualised cost (2030)", y=1.03
    )
    return fig


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="sweep_link_carbon", help="store directory")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, help="local worker processes (default: cores)")
    where.add_argument("--scheduler", help="address of a dask.distributed scheduler")
    args = parser.parse_args(argv)
    ds = jk.sweep(SCENARIO, load_grid(GRID), store=args.out, client=args.scheduler,
                  workers=args.workers)  # fmt: skip
    print((net_saving(ds) / 1e9).to_dataframe().round(3).to_string())
    path = Path(args.out) / "link_carbon_saving.png"
    heat_map(ds).savefig(path, dpi=120, bbox_inches="tight")
    print(f"wrote {path}")
    return path


if __name__ == "__main__":
    main()
