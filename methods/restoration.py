"""Restoration cost method 修复费用法 (category 4 of Civil Code Art. 1235; pure kernel).

Sources and status (``law_and_methods.md`` §3.3):

* ``cost = Σ_i q_i × p_i`` over the items of the restoration plan (quantity × unit price); the
  items include the components listed in SPC-EDC Art. 12 (制定、实施修复方案的费用，修复期间的监测、
  监管费用，修复完成后的验收费用、修复效果后评估费用) — list VERIFIED.  Which items a plan contains is
  the caller's input.
* Percentage surcharges (design, supervision, contingency …) are an engineering-estimate
  convention, not a rule of law: their rates are caller inputs (our ``policy_default`` or the
  plan's own figures), never constants here.  **Each surcharge is applied to the engineering
  subtotal Σ q × p, not compounded** on other surcharges:
  ``total = subtotal × (1 + Σ_k s_k)``.  A surcharge that should compound must be entered as its
  own line by the caller.

Shapes: the line axis is the **last** axis.  1-D inputs are the lines of one plan; 2-D inputs are
(cases × lines).  Units (checked by the caller): quantity [any unit u], unit price [元/u],
surcharge rates [1] (fractions: 0.05 for 5 %); amounts [元] in float64 (the ledger redoes the
products exactly in Decimal and rounds per line to the fen).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from factors.errors import InputError
from methods._validate import Checks, broadcast_shape, result

__all__ = ["line_costs", "restoration_cost", "RestorationCost"]


def line_costs(quantity: Any, unit_price: Any):
    """Cost of each line, ``q × p`` [元], broadcasting.

    Parameters
    ----------
    quantity : float or array_like
        Quantity of each item [u] (m³, t, hm², 项 …), ≥ 0.
    unit_price : float or array_like
        Unit price [元/u], ≥ 0.

    Returns
    -------
    float or numpy.ndarray
        ``quantity × unit_price`` [元].

    Examples
    --------
    >>> line_costs(1200, 35.50)
    42600.0
    >>> line_costs([10, 20], [3.0, 0.5])
    array([30., 10.])
    """
    c = Checks()
    q = c.array(quantity, "quantity", "non_negative")
    p = c.array(unit_price, "unit_price", "non_negative")
    c.done()
    broadcast_shape(quantity=q, unit_price=p)
    return result(q * p)


class RestorationCost(NamedTuple):
    """Result of :func:`restoration_cost` (amounts in [元]).

    Attributes
    ----------
    lines : numpy.ndarray
        ``q × p`` per line, shape ``(..., n_lines)``.
    subtotal : float or numpy.ndarray
        Engineering subtotal Σ lines, shape ``(...)``.
    surcharges : numpy.ndarray
        ``subtotal × s_k`` per surcharge, shape ``(..., n_surcharges)``, in the order given.
    total : float or numpy.ndarray
        ``subtotal + Σ surcharges``, shape ``(...)``.
    """

    lines: Any
    subtotal: Any
    surcharges: Any
    total: Any


def restoration_cost(quantities: Any, unit_prices: Any, surcharge_rates: Any = ()) -> RestorationCost:
    r"""Restoration cost: :math:`S = \sum_i q_i p_i`, :math:`T = S (1 + \sum_k s_k)` [元].

    Surcharges apply to the engineering subtotal S each, **not compounding** (see module
    docstring).

    Parameters
    ----------
    quantities : array_like
        Quantities [u], shape ``(n_lines,)`` or ``(cases, n_lines)``; ≥ 0.
    unit_prices : array_like
        Unit prices [元/u], broadcast against ``quantities`` (e.g. one price list
        ``(n_lines,)`` for all cases); ≥ 0.
    surcharge_rates : array_like, optional
        Fractions in [0, 1] (design, supervision, contingency …), shape ``(n_surcharges,)`` or
        ``(cases, n_surcharges)``; empty by default.

    Returns
    -------
    RestorationCost
        ``lines``, ``subtotal``, ``surcharges``, ``total``.  ``subtotal`` and ``total`` are Python
        floats for a single plan (1-D input).

    Raises
    ------
    InputError
        Non-numeric, non-finite (by index), negative quantities or prices; a rate outside [0, 1];
        a scalar where lines are expected; shapes that do not broadcast.

    Examples
    --------
    Two lines, design 5 % and contingency 10 % on the subtotal:
    1000 m³ × 120 元/m³ + 50 t × 400 元/t = 140000 元; surcharges 7000 + 14000; total 161000 元.

    >>> r = restoration_cost([1000, 50], [120.0, 400.0], [0.05, 0.10])
    >>> r.subtotal, r.total
    (140000.0, 161000.0)
    >>> r.surcharges
    array([ 7000., 14000.])
    """
    c = Checks()
    q = c.array(quantities, "quantities", "non_negative")
    p = c.array(unit_prices, "unit_prices", "non_negative")
    s = c.array(surcharge_rates, "surcharge_rates", "fraction")
    c.done()
    c.run(_require_line_axis, q, p, s)
    c.done()
    broadcast_shape(quantities=q, unit_prices=p)
    lines = q * p
    subtotal = _sum_last(lines)
    broadcast_shape(subtotal=subtotal[..., None], surcharge_rates=s)
    surcharges = subtotal[..., None] * s
    total = subtotal + _sum_last(surcharges)
    return RestorationCost(lines=lines, subtotal=result(subtotal), surcharges=surcharges, total=result(total))


def _sum_last(x: np.ndarray) -> np.ndarray:
    """Sum over the last axis strictly left to right (same order for one plan and for a batch).

    Faster than ``x.sum(axis=-1)`` for a short line axis (one vectorised add per line) and
    independent of numpy's pairwise-summation blocking, so a case summed alone equals its row of a
    batch bit for bit.
    """
    if x.shape[-1] == 0:
        return np.zeros(x.shape[:-1])
    out = x[..., 0].copy()
    for i in range(1, x.shape[-1]):
        out += x[..., i]
    return out


def _require_line_axis(q: np.ndarray, p: np.ndarray, s: np.ndarray) -> None:
    if q.ndim == 0 and p.ndim == 0:
        raise InputError("quantities", "an array of lines (last axis = lines); use line_costs for one product",
                         float(q))
    if s.ndim == 0:
        raise InputError("surcharge_rates", "a sequence of fractions, one per surcharge (e.g. [0.05, 0.10])",
                         float(s))
