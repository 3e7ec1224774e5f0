"""Japan's and Korea's synthetic hourly demand: monthly peaks and a summer and a winter week.

Run ``python examples/plot_profiles.py [out.png]`` (default ``profiles.png``). Draws the
monthly peak demand of both countries (Japan peaks in August, with a lower winter peak; Korea
peaks in August with its winter peak close behind) and one summer and one winter week of
hourly demand, and prints the monthly peaks shown.
"""

from __future__ import annotations

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

from jkenergy.study import profiles

STYLE = {  # distinct in colour and in greyscale: line style, marker, shade
    "JP": {"color": "#1f3a93", "linestyle": "-", "marker": "o", "label": "Japan"},
    "KR": {"color": "#c0392b", "linestyle": "--", "marker": "s", "label": "Korea"},
}


def week_containing(index: pd.DatetimeIndex, day: pd.Timestamp) -> pd.DatetimeIndex:
    """The Monday-to-Sunday week of hourly snapshots that contains ``day``."""
    start = day.normalize() - pd.Timedelta(days=day.dayofweek)
    return index[(index >= start) & (index < start + pd.Timedelta(days=7))]


def main(path: str = "profiles.png") -> pd.DataFrame:
    demand = profiles.demand(2030, regions="national") / 1e3  # GW
    monthly = demand.groupby(demand.index.month).max()
    monthly.index.name = "month"

    winter = demand[demand.index.month.isin((12, 1, 2))]
    weeks = {
        "Summer week (with Japan's annual peak)": week_containing(
            demand.index, demand["JP"].idxmax()
        ),
        "Winter week (with Korea's winter peak)": week_containing(
            demand.index, winter["KR"].idxmax()
        ),
    }

    fig = plt.figure(figsize=(11, 7.5), layout="constrained")
    grid = fig.add_gridspec(2, 2)
    months = ["J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D"]
    relative = monthly / monthly.max()
    panels = [
        (monthly, "monthly peak demand (GW)", "Monthly peak demand, 2030"),
        (relative, "monthly peak / annual peak", "Seasonal shape: Korea's winter is higher"),
    ]
    for column, (frame, ylabel, title) in enumerate(panels):
        ax = fig.add_subplot(grid[0, column])
        for country, style in STYLE.items():
            ax.plot(frame.index, frame[country], markersize=6, linewidth=2, **style)
        ax.set_xticks(range(1, 13), months)
        ax.set_ylabel(ylabel)
        ax.set_title(title, fontsize=10)
        ax.grid(alpha=0.3)
        ax.legend(loc="lower center" if column else "center left")

    for column, (title, week) in enumerate(weeks.items()):
        ax = fig.add_subplot(grid[1, column])  # the weeks
        hours = (week - week[0]) / pd.Timedelta(hours=1)
        for country, style in STYLE.items():
            plain = {k: v for k, v in style.items() if k != "marker"}
            ax.plot(hours, demand.loc[week, country], linewidth=1.6, **plain)
        ax.set_xticks(range(0, 169, 24), [d.strftime("%a\n%d %b") for d in week[::24]] + [""])
        ax.set_ylabel("hourly demand (GW)")
        ax.set_title(title, fontsize=10)
        ax.grid(alpha=0.3)
    fig.suptitle("Synthetic hourly demand, calibrated to the bundled data set (seed 0)")
    fig.savefig(path, dpi=120)

    table = monthly.round(1)
    table["JP/KR"] = (monthly["JP"] / monthly["KR"]).round(2)
    print("Monthly peak demand (GW), 2030")
    print(table.to_string())
    print(f"Wrote {path}")
    return table


if __name__ == "__main__":
    main(*sys.argv[1:2])
