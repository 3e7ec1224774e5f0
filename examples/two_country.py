"""A small two-country example: Japan and Korea as one bus each, with a link, batteries and
a hydrogen chain, on stylised hourly shapes (not the bundled data set).

Run ``python examples/two_country.py --hours 168`` (default) or ``--hours 8760`` for a full
year. Prints the optimal capacities, prices and the timing of each stage.
"""

from __future__ import annotations

import argparse
import logging

import numpy as np
import pandas as pd

import jkenergy as jk


def stylised_network(hours: int = 168) -> jk.Network:
    """Two buses with offset seasonal demand peaks, solar, wind, gas, storage and hydrogen.

    Demand, capacity factors and costs are round illustrative numbers (an assumption, not
    data): Japan peaks in August, Korea in January and August almost equally.
    """
    snapshots = pd.date_range("2030-01-01", periods=hours, freq="h")
    t = np.arange(hours)
    day = (snapshots.dayofyear.to_numpy() - 1) / 365.0
    hour = snapshots.hour.to_numpy()
    daily = 1 + 0.15 * np.sin(2 * np.pi * (hour - 9) / 24)
    jp_season = 1 + 0.12 * np.cos(2 * np.pi * (day - 0.6))  # August peak
    kr_season = 1 + 0.10 * np.cos(4 * np.pi * (day - 0.05))  # winter and summer peaks
    solar = np.clip(np.sin(np.pi * (hour - 6) / 12), 0, None) * (
        0.8 + 0.2 * np.cos(2 * np.pi * (day - 0.45))
    )
    rng = np.random.default_rng(0)
    wind = np.clip(
        0.35 + 0.25 * np.sin(2 * np.pi * t / 97) + 0.1 * rng.standard_normal(hours), 0, 1
    )

    n = jk.Network(snapshots, weights=8760 / hours)  # each hour stands for 8760/T hours
    for c, load, season in (("JP", 95_000.0, jp_season), ("KR", 62_000.0, kr_season)):
        n.add_bus(c, carrier="electricity", country=c)
        n.add_bus(f"{c}_H2", carrier="hydrogen", country=c)
        n.add_load(f"{c}_load", bus=c, p=load * season * daily)
        n.add_generator(f"{c}_solar", bus=c, carrier="solar", p_nom_extendable=True,
                        capital_cost=jk.annualised_capital_cost(520e3, 0.05, 30, 0.02),
                        p_max_pu=solar)  # fmt: skip
        n.add_generator(f"{c}_wind", bus=c, carrier="onwind", p_nom_extendable=True,
                        capital_cost=jk.annualised_capital_cost(1500e3, 0.05, 30, 0.012),
                        p_max_pu=wind)  # fmt: skip
        n.add_generator(f"{c}_gas", bus=c, carrier="gas", p_nom=0.8 * load,
                        p_nom_extendable=True, capital_cost=jk.annualised_capital_cost(
                            1200e3, 0.05, 25, 0.03),
                        marginal_cost=90.0, co2_intensity=0.36)  # fmt: skip
        n.add_storage(f"{c}_battery", bus=c, carrier="battery", p_nom_extendable=True,
                      max_hours=4.0, capital_cost=jk.annualised_capital_cost(
                          4 * 200e3 + 230e3, 0.05, 15),
                      efficiency_store=0.96, efficiency_dispatch=0.96)  # fmt: skip
        n.add_link(f"{c}_electrolyser", bus0=c, bus1=f"{c}_H2", carrier="electrolysis",
                   p_nom_extendable=True, efficiency=0.62,
                   capital_cost=jk.annualised_capital_cost(2000e3, 0.05, 25, 0.04))  # fmt: skip
        n.add_storage(f"{c}_H2_store", bus=f"{c}_H2", carrier="hydrogen_store",
                      e_nom_extendable=True, p_nom=float("inf"),
                      capital_cost_energy=jk.annualised_capital_cost(18e3, 0.05, 30))  # fmt: skip
        n.add_link(f"{c}_H2_turbine", bus0=f"{c}_H2", bus1=c, carrier="h2_turbine",
                   p_nom_extendable=True, efficiency=0.49,
                   capital_cost=jk.annualised_capital_cost(500e3, 0.05, 25, 0.02))  # fmt: skip
        n.add_co2_limit(f"{c}_cap", countries=[c], limit=0.3 * 0.36 * load * 8760)
    n.add_link("JP-KR", bus0="JP", bus1="KR", carrier="DC", p_nom_extendable=True,
               bidirectional=True, efficiency=0.975,
               capital_cost=jk.annualised_capital_cost(1.4e6, 0.05, 40, 0.01))  # fmt: skip
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=int, default=168)
    parser.add_argument("--algorithm", default="ipm", choices=list(jk.ALGORITHMS))
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    result = stylised_network(args.hours).optimize(algorithm=args.algorithm)
    ds = result.dataset
    print(result)
    print("\nOptimal capacity (MW):")
    for var in ("generator_p_nom_opt", "storage_p_nom_opt", "storage_e_nom_opt", "link_p_nom_opt"):
        print(ds[var].to_series().round(0).to_string())
    print("\nMean price (USD/MWh):")
    print(ds["bus_price"].mean("snapshot").to_series().round(2).to_string())
    print("\nCO2 price (USD/t):")
    print(ds["co2_price"].to_series().round(2).to_string())
    print("\nTimes:", {k: round(v, 3) for k, v in result.stats.items()})


if __name__ == "__main__":
    main()
