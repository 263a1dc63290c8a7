"""Value-based loss 价值量损失 (categories 1 and 2 of Civil Code Art. 1235; pure kernel).

Sources and status (``law_and_methods.md`` §3.4–3.5):

* Interim loss in value terms (价值等值) ``loss_V = Σ_t V_t × Q_t × f_t × (1+r)^(t_b − t')`` is the
  value-equivalency form of the NRDA literature (SECOND-HAND), UNVERIFIED against GB/T 39791.1
  App. B/D (not read).  How V (the unit value) is obtained (App. D methods) is the caller's input.
* **Permanent loss (category 2): no Chinese formula found.**  Two method choices are offered, both
  **UNVERIFIED as Chinese practice**, to be selected by the user and traced:

  - ``"perpetuity"``: ``A / r`` with the annual loss ``A = V × Q × f`` (r > 0 required);
  - ``"horizon"``: the same annual loss summed over a finite number of years (any r > −1,
    including 0).

Units (checked by the caller): unit value V [元/(unit·年)], quantity Q [unit] (hm², t,
individuals …), loss fraction f [1] in [0, 1], years [年], rate [1/年]; results [元].

Shapes: as in :mod:`methods.equivalency`, the year axis is last.  ``unit_value``, ``quantity`` and
``loss_fraction`` of :func:`value_loss` are *year-axis* inputs (scalar, ``(n_years,)``,
``(cases, n_years)``, or ``(cases, 1)`` for a per-case constant); ``base_year`` and ``rate`` are
*case-axis* (scalar or ``(cases,)``).  All inputs of :func:`permanent_value_loss` are case-axis.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from factors.errors import InputError
from methods._validate import Checks, broadcast_shape, result
from methods.discounting import discount_factor_array, check_rate, timing_offset
from methods.equivalency import case_column, check_year_axis, time_axis

__all__ = ["value_loss", "permanent_value_loss", "PERMANENT_METHODS"]

#: Method choices for permanent loss (both UNVERIFIED as Chinese practice).
PERMANENT_METHODS = ("perpetuity", "horizon")


def value_loss(unit_value: Any, quantity: Any, loss_fraction: Any, years: Any, base_year: Any, rate: Any,
               timing: str = "start"):
    r"""Interim value loss :math:`\sum_t V_t Q_t f_t (1+r)^{t_b - t'}` over the loss years [元].

    Parameters
    ----------
    unit_value : float or array_like
        V [元/(unit·年)], ≥ 0, year-axis.
    quantity : float or array_like
        Q [unit], ≥ 0, year-axis.
    loss_fraction : float or array_like
        f [1] in [0, 1], year-axis.
    years : array_like
        Loss years t [年], 1-D strictly increasing.
    base_year : float or array_like
        t_b [年], case-axis.
    rate : float or array_like
        r [1/年] > −1, case-axis (``discount_rate`` in errors); 0 allowed.
    timing : {"start", "mid", "end"}
        Counting point within each year (``methods.discounting``).

    Returns
    -------
    float or numpy.ndarray
        Present value at ``base_year`` [元].

    Examples
    --------
    2 000 元/(hm²·年) × 10 hm² × 30 % lost in 2022 and 2023, base year 2024, 3 %, start of year:
    6000 × 1.03² + 6000 × 1.03 = 6365.4 + 6180 = 12545.4 元.

    >>> round(value_loss(2000, 10, 0.3, [2022, 2023], 2024, 0.03), 6)
    12545.4
    """
    c = Checks()
    v = c.array(unit_value, "unit_value", "non_negative")
    q = c.array(quantity, "quantity", "non_negative")
    f = c.array(loss_fraction, "loss_fraction", "fraction")
    t, tb, r, offset = time_axis(c, years, base_year, rate, timing)
    c.done()
    for arr, name in ((v, "unit_value"), (q, "quantity"), (f, "loss_fraction")):
        if arr.ndim and arr.shape[-1] != 1:
            check_year_axis(c, arr, t.size, name)
    c.done()
    broadcast_shape(unit_value=v, quantity=q, loss_fraction=f, years=t)
    tb, r = case_column(tb), case_column(r)
    broadcast_shape(base_year=tb, discount_rate=r, unit_value=v, quantity=q, loss_fraction=f, years=t)
    annual = v * q * f
    return result((annual * discount_factor_array(t, tb, r, offset)).sum(axis=-1))


def permanent_value_loss(unit_value: Any, quantity: Any, loss_fraction: Any, rate: Any, method: str = "perpetuity",
                         horizon_years: Any = None, *, timing: str = "end"):
    r"""Permanent loss in value terms, perpetuity or finite horizon [元] (UNVERIFIED method choices).

    With the annual loss :math:`A = V Q f`, :math:`v = 1/(1+r)` and the timing offset s
    (0 start, 0.5 mid, 1 end):

    * ``"perpetuity"``: :math:`A \sum_{k \ge 0} v^{k+s} = A (1+r)^{1-s} / r`; with the default
      ``timing="end"`` this is the textbook :math:`A / r`.  Requires r > 0.
    * ``"horizon"``: :math:`A \sum_{k=0}^{H-1} v^{k+s} = A (1+r)^{1-s} (1 - v^H) / r`, and
      :math:`A H` for r = 0 (exact).

    The value is expressed at the **start of the first year of permanent loss** t_v (e.g. the
    year after recovery/restoration completion).  To express it at the base year t_b multiply by
    ``discount_factors(t_v, t_b, rate, "start")``.

    Parameters
    ----------
    unit_value : float or array_like
        V [元/(unit·年)], ≥ 0.
    quantity : float or array_like
        Q [unit], ≥ 0.
    loss_fraction : float or array_like
        f [1] in [0, 1], the service permanently lost.
    rate : float or array_like
        r [1/年] (``discount_rate`` in errors): > 0 for a perpetuity, > −1 for a horizon.
    method : {"perpetuity", "horizon"}
        Method choice (traced by the caller).
    horizon_years : int or array_like, optional
        H, number of years of permanent loss counted [年]; required for ``"horizon"``, a
        whole number ≥ 0; refused for ``"perpetuity"``.
    timing : {"start", "mid", "end"}, optional
        Counting point within each year; default ``"end"``.

    Returns
    -------
    float or numpy.ndarray
        Present value at t_v [元].

    Raises
    ------
    InputError
        r ≤ 0 with ``"perpetuity"`` (path ``discount_rate``), unknown ``method``, missing or
        non-integer ``horizon_years``, and the usual value checks.

    Examples
    --------
    Annual loss 1000 元/hm²·年 × 5 hm² × 0.2 = 1000 元:

    >>> permanent_value_loss(1000, 5, 0.2, 0.04)                  # 1000 / 0.04
    25000.0
    >>> permanent_value_loss(1000, 5, 0.2, 0.0, "horizon", 30)    # 1000 × 30
    30000.0
    >>> round(permanent_value_loss(1000, 5, 0.2, 0.04, "horizon", 2), 6)  # 1000/1.04 + 1000/1.04²
    1886.094675
    """
    c = Checks()
    v = c.array(unit_value, "unit_value", "non_negative")
    q = c.array(quantity, "quantity", "non_negative")
    f = c.array(loss_fraction, "loss_fraction", "fraction")
    r = check_rate(c, rate)
    s = c.run(timing_offset, timing)
    if method not in PERMANENT_METHODS:
        c.add(InputError("method", "one of 'perpetuity', 'horizon'", method))
    h = None
    if method == "perpetuity":
        if horizon_years is not None:
            c.add(InputError("horizon_years", "no horizon with method='perpetuity' (use method='horizon')",
                             horizon_years))
        if np.isfinite(r).all() and not (r > 0).all():
            c.add(InputError("discount_rate", "a rate > 0 for the perpetuity method (A / r)", result(r)))
    elif method == "horizon":
        if horizon_years is None:
            c.add(InputError("horizon_years", "a whole number of years ≥ 0 for method='horizon'", None))
        else:
            h = c.array(horizon_years, "horizon_years", "non_negative")
            if np.isfinite(h).all() and not (h == np.floor(h)).all():
                c.add(InputError("horizon_years", "a whole number of years ≥ 0", result(h)))
    c.done()
    broadcast_shape(unit_value=v, quantity=q, loss_fraction=f, discount_rate=r,
                    **({} if h is None else {"horizon_years": h}))
    annual = v * q * f
    growth = np.power(1.0 + r, 1.0 - s)  # (1+r)^(1−s); exactly 1 for s = 1
    if method == "perpetuity":
        return result(annual * growth / r)
    with np.errstate(divide="ignore", invalid="ignore"):
        safe_r = np.where(r == 0, 1.0, r)
        annuity = growth * -np.expm1(-h * np.log1p(r)) / safe_r
    return result(annual * np.where(r == 0, h, annuity))
