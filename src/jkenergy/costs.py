"""Cost helpers: annualising investment costs.

All money is USD of one stated price year; ``capital_cost`` attributes are annualised
(USD per MW, or per MWh of storage energy, per year).
"""

from __future__ import annotations

import math

from .errors import ComponentError


def annuity(rate: float, lifetime: float) -> float:
    r"""Capital recovery factor: the share of an investment paid back each year.

    .. math:: a(r, n) = \frac{r}{1 - (1 + r)^{-n}}, \qquad a(0, n) = 1/n

    Parameters
    ----------
    rate : float
        Discount rate per year, as a fraction (0.05 for 5 %). Must be >= 0.
    lifetime : float
        Economic lifetime in years. Must be > 0.

    Returns
    -------
    float
        Annuity factor in 1/year.

    Examples
    --------
    >>> round(annuity(0.05, 20), 6)
    0.080243
    >>> annuity(0.0, 25)
    0.04
    """
    if not (isinstance(rate, int | float) and math.isfinite(rate) and rate >= 0):
        raise ComponentError(f"annuity: rate must be a finite number >= 0, got {rate!r}")
    if not (isinstance(lifetime, int | float) and math.isfinite(lifetime) and lifetime > 0):
        raise ComponentError(f"annuity: lifetime must be a finite number > 0, got {lifetime!r}")
    if rate == 0:
        return 1.0 / lifetime
    return rate / (1.0 - (1.0 + rate) ** (-lifetime))


def annualised_capital_cost(
    capex: float, rate: float, lifetime: float, fom_fraction: float = 0.0
) -> float:
    r"""Annualised capital cost from overnight investment and fixed O&M.

    .. math:: c = \text{capex} \cdot (a(r, n) + \text{fom})

    Parameters
    ----------
    capex : float
        Overnight investment cost (USD per MW, or per MWh for storage energy).
    rate, lifetime : float
        Passed to :func:`annuity`.
    fom_fraction : float, default 0
        Fixed operation and maintenance cost per year as a fraction of ``capex``.

    Returns
    -------
    float
        USD per MW (or MWh) per year.

    Examples
    --------
    >>> round(annualised_capital_cost(1000.0, 0.0, 10.0, 0.02), 6)
    120.0
    """
    if not (math.isfinite(capex) and capex >= 0):
        raise ComponentError(f"annualised_capital_cost: capex must be >= 0, got {capex!r}")
    if not (math.isfinite(fom_fraction) and fom_fraction >= 0):
        raise ComponentError(
            f"annualised_capital_cost: fom_fraction must be >= 0, got {fom_fraction!r}"
        )
    return capex * (annuity(rate, lifetime) + fom_fraction)
