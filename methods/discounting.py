"""Discounting and compounding to a base year (贴现/复利折算; pure kernel).

Sources and status (``law_and_methods.md`` §3.4):

* The factor ``(1 + r)^(t_b − t')`` is the standard US NRDA / HEA form (SECOND-HAND: NOAA HEA
  literature), UNVERIFIED against GB/T 39791.1 App. B.  Years before the base (claim) year t_b are
  **compounded** (factor > 1 for r > 0), later years **discounted** (factor < 1).
* **No Chinese discount rate was found** (UNVERIFIED).  ``rate`` is therefore a required input;
  3 % for past injuries is US practice (SECOND-HAND, reference only) and is never a default here.
* The timing convention is our ``policy_default`` and must be traced by the caller:

  ========= ============ ==========================================
  timing    t'           meaning
  ========= ============ ==========================================
  "start"   t            the loss of year t is counted at its start
  "mid"     t + 0.5      … at mid-year
  "end"     t + 1        … at its end
  ========= ============ ==========================================

Units: years [年] as numbers (integer years usually; fractional allowed), rate [1/年] as a plain
fraction (0.03 for 3 %; a string such as ``"3%"`` is refused), factors [1].
"""

from __future__ import annotations

from typing import Any

import numpy as np

from factors.errors import InputError
from methods._validate import Checks, fail, as_float_array, broadcast_shape, result

__all__ = ["discount_factors", "TIMINGS", "timing_offset", "check_rate"]

#: Timing conventions and the offset added to year t to get the counting point t'.
TIMINGS = {"start": 0.0, "mid": 0.5, "end": 1.0}


def timing_offset(timing: Any) -> float:
    """Offset of the counting point for a timing convention (``"start"`` 0, ``"mid"`` 0.5, ``"end"`` 1).

    Examples
    --------
    >>> timing_offset("mid")
    0.5
    >>> timing_offset("middle")
    Traceback (most recent call last):
    ...
    factors.errors.InputError: timing: expected one of 'start', 'mid', 'end', got 'middle'
    """
    if not isinstance(timing, str) or timing not in TIMINGS:
        raise InputError("timing", "one of 'start', 'mid', 'end'", timing)
    return TIMINGS[timing]


def check_rate(checks: Checks, rate: Any, path: str = "discount_rate") -> np.ndarray:
    """Validate a discount rate: a plain finite number (or array) > −1, errors recorded in ``checks``.

    Shared by the kernels that discount (path ``discount_rate`` in errors).

    Examples
    --------
    >>> from methods._validate import Checks
    >>> c = Checks()
    >>> check_rate(c, 0.03)
    array(0.03)
    >>> _ = check_rate(c, "3%")
    >>> c.done()
    Traceback (most recent call last):
    ...
    factors.errors.InputError: discount_rate: expected a plain number > −1 per year (0.03 for 3 %), got '3%'
    """
    try:
        r = as_float_array(rate, path)
    except InputError as exc:
        checks.add(InputError(path, "a plain number > −1 per year (0.03 for 3 %)", exc.got))
        return np.full((), np.nan)
    ok = np.isfinite(r) & (r > -1)
    if not ok.all():
        if r.ndim == 0:
            checks.add(InputError(path, "a finite number > −1 per year (0.03 for 3 %)", float(r)))
        else:
            checks.add(fail(r, ~ok, path, "a finite number > −1 per year (0.03 for 3 %)"))
    return r


def discount_factor_array(t: np.ndarray, tb: np.ndarray, r: np.ndarray, offset: float) -> np.ndarray:
    """(1+r)^(tb − t − offset), exactly 1 where r == 0 (no validation)."""
    exponent = tb - (t + offset) if offset else tb - t
    with np.errstate(over="ignore"):
        df = np.power(1.0 + r, exponent)
    if np.ndim(r) == 0:
        return np.ones_like(df) if r == 0 else df
    return np.where(r == 0, 1.0, df)


def discount_factors(years: Any, base_year: Any, rate: Any, timing: str = "start"):
    r"""Discount/compound factors :math:`DF_t = (1 + r)^{t_b - t'}` [1].

    Parameters
    ----------
    years : float or array_like
        Years t [年] (e.g. 2019, 2020 …).
    base_year : float or array_like
        Base (claim) year :math:`t_b` [年]; all amounts are expressed in its value.
    rate : float or array_like
        Annual rate r [1/年] as a fraction, r > −1 (0.03 for 3 %).  Required: no default
        exists in Chinese practice.  ``r = 0`` gives factors of exactly 1.
    timing : {"start", "mid", "end"}
        Counting point t' = t, t + 0.5 or t + 1 (see module docstring).

    All inputs broadcast with plain numpy rules (per-case rates against a year axis: pass
    ``rate[:, None]``).

    Returns
    -------
    float or numpy.ndarray
        DF [1]; a Python float when all inputs are scalars.  DF = 1 at t' = t_b.

    Raises
    ------
    InputError
        ``discount_rate`` not a plain number > −1; ``years``/``base_year`` non-numeric or not
        finite; ``timing`` unknown.

    Examples
    --------
    Base year 2024 at 3 %: 2022 is compounded, 2026 discounted.

    >>> discount_factors([2022, 2024, 2026], 2024, 0.03)
    array([1.0609    , 1.        , 0.94259591])
    >>> discount_factors(2024, 2024, 0.03, timing="end")  # counted at 2025
    0.970873786407767
    >>> discount_factors(2010, 2024, 0.0)
    1.0
    """
    c = Checks()
    t = c.array(years, "years")
    tb = c.array(base_year, "base_year")
    r = check_rate(c, rate)
    offset = c.run(timing_offset, timing)
    c.done()
    broadcast_shape(years=t, base_year=tb, discount_rate=r)
    return result(discount_factor_array(t, tb, r, offset))
