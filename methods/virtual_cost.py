"""Virtual treatment cost method 虚拟治理成本法 (pure kernel).

Sources and status (``law_and_methods.md`` §3.2):

* **Current method**: GB/T 39793.2-2020 《生态环境损害鉴定评估技术指南 基础方法 第2部分：水污染虚拟治理
  成本法》 (and 39793.1 for air), in force 2021-01-01.  Scope and the terms 排放数量 (3.2) and
  单位治理成本 (3.1) are VERIFIED; the formula ``D = E × C × γ`` is **SECOND-HAND** (two
  practitioner codes; the standard's own equation was not seen).  The adjustment coefficient γ
  (调整系数) is **UNVERIFIED**: its composition and tables are unknown, so γ is always an input and
  nothing here computes or defaults it.
* **Older method**: 《环境损害鉴定评估推荐方法（第II版）》 环办〔2014〕90号 (document number
  SECOND-HAND): virtual treatment cost × a sensitivity multiplier chosen inside a range that
  depends on the function class of the receiving environment.  Only surface water class III
  (4.5–6×) is SECOND-HAND; every other cell is UNVERIFIED.  The kernel hard-codes no range: the
  caller passes it from a cited parameter, and the kernel only checks the multiplier lies in it.
* Which version applies by damage date (before 2021-01-01: 环办政法函〔2017〕1488号) is decided by
  the caller, not here.

Units (checked by the caller at the boundary; the kernel sees plain float64):
quantity E [t] or [m³]; unit cost C [元/t] or [元/m³] matching E; γ and the multiplier [1];
result [元].  Money is float64 here; the ledger recomputes plain products of entered decimals
exactly in Decimal (``factors.money.exact_product``) and rounds once to the fen.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from factors.errors import InputError
from methods._validate import Checks, as_float_array, broadcast_shape, require_in_range, result

__all__ = ["virtual_treatment_cost", "virtual_treatment_cost_2014"]


def virtual_treatment_cost(quantity: Any, unit_cost: Any, gamma: Any):
    r"""Damage by the virtual treatment cost method, :math:`D = E \times C \times \gamma` [元].

    GB/T 39793.2-2020 (formula SECOND-HAND, γ UNVERIFIED; see module docstring).

    Parameters
    ----------
    quantity : float or array_like
        E, 排放数量: amount discharged over the standard/quota or beyond the legal boundary
        [t] or [m³].  ≥ 0.
    unit_cost : float or array_like
        C, 单位治理成本 in the unit matching ``quantity`` [元/t] or [元/m³].  ≥ 0.
    gamma : float or array_like
        γ, 调整系数 [1], supplied by the caller (no table is shipped).  ≥ 0.

    Returns
    -------
    float or numpy.ndarray
        D [元], float64; a Python float when every input is a scalar, otherwise an array of the
        broadcast shape.

    Raises
    ------
    InputError
        An input is non-numeric, non-finite (reported by index) or negative, or the shapes do
        not broadcast.  All problems are reported together.

    Examples
    --------
    Worked example E1 (``law_and_methods.md`` §4): 1200 t × 35.50 元/t × 1.5

    >>> virtual_treatment_cost(1200, 35.50, 1.5)
    63900.0
    >>> virtual_treatment_cost([1200, 100], 35.50, [1.5, 1.0])
    array([63900.,  3550.])
    """
    c = Checks()
    e = c.array(quantity, "quantity", "non_negative")
    cost = c.array(unit_cost, "unit_cost", "non_negative")
    g = c.array(gamma, "gamma", "non_negative")
    c.done()
    broadcast_shape(quantity=e, unit_cost=cost, gamma=g)
    return result(e * cost * g)


def virtual_treatment_cost_2014(quantity: Any, unit_cost: Any, multiplier: Any, multiplier_range: Any, *,
                                range_source: str = "range supplied by the caller"):
    r"""Older recommended method (环办〔2014〕90号): :math:`D = E \times C \times k`, k in a range [元].

    The multiplier k (sensitivity by function class of the receiving environment) is an input
    and must lie in the inclusive range ``multiplier_range = (low, high)`` taken by the caller from
    a cited parameter.  Status: document number and surface water III = 4.5–6 SECOND-HAND, all
    other cells UNVERIFIED (see module docstring); nothing is hard-coded here.

    Parameters
    ----------
    quantity : float or array_like
        E [t] or [m³], ≥ 0.
    unit_cost : float or array_like
        C [元/t] or [元/m³] matching E, ≥ 0.
    multiplier : float or array_like
        k [1], the chosen multiplier, ``low ≤ k ≤ high``.
    multiplier_range : (low, high)
        Inclusive bounds [1]; each a float or an array broadcast over cases (one range per case).
        ``low`` finite and ≥ 0; ``high ≥ low``; an open upper end (class I ">8") is ``math.inf``.
    range_source : str, optional
        Citation of the range, quoted in the error message (e.g.
        ``"环办〔2014〕90号 surface water III (SECOND-HAND)"``).

    Returns
    -------
    float or numpy.ndarray
        D [元].

    Raises
    ------
    InputError
        Bad inputs as for :func:`virtual_treatment_cost`; a malformed range (path
        ``multiplier_range``); a multiplier outside the range (path ``multiplier``, naming the
        range and its source).

    Examples
    --------
    >>> virtual_treatment_cost_2014(1200, 35.50, 5.0, (4.5, 6.0))
    213000.0
    >>> virtual_treatment_cost_2014(1200, 35.50, 7.0, (4.5, 6.0), range_source="surface water III")
    Traceback (most recent call last):
    ...
    factors.errors.InputError: multiplier: expected a value in [4.5, 6] (surface water III), got 7.0
    """
    c = Checks()
    e = c.array(quantity, "quantity", "non_negative")
    cost = c.array(unit_cost, "unit_cost", "non_negative")
    k = c.array(multiplier, "multiplier", "non_negative")
    low = high = None
    try:
        if isinstance(multiplier_range, (str, bytes)) or len(multiplier_range) != 2:
            raise TypeError
        raw_low, raw_high = multiplier_range
    except TypeError:
        c.add(InputError("multiplier_range", "a pair (low, high)", multiplier_range))
    else:
        low = c.array(raw_low, "multiplier_range.low", "non_negative")
        high = c.run(as_float_array, raw_high, "multiplier_range.high")
        if high is not None:
            if np.isnan(high).any():
                c.add(InputError("multiplier_range.high", "a number (math.inf for an open end)", raw_high))
            elif np.isfinite(low).all() and not (high >= low).all():
                c.add(InputError("multiplier_range", "low ≤ high", multiplier_range))
    c.done()
    broadcast_shape(quantity=e, unit_cost=cost, multiplier=k, low=low, high=high)
    require_in_range(k, low, high, "multiplier", range_source)
    return result(e * cost * k)
