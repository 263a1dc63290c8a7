"""Equivalency analysis 等值分析法: HEA / REA (categories 1 and 2 of Civil Code Art. 1235; pure kernel).

Sources and status (``law_and_methods.md`` §3.4): the formulas are the standard US NRDA forms
(SECOND-HAND: NOAA HEA literature), **UNVERIFIED against GB/T 39791.1-2020 App. B** (appendix text
not read).  Timing convention and horizon are our ``policy_default`` choices, to be traced::

    debit    = Σ_{t=t0}^{T} A_inj × (b − x_t)/b × (1+r)^(t_b−t')    # lost service-area-years
    credit_u = Σ_{t=I}^{L} (v_t − b_R)/b × (1+r)^(t_b−t')           # gain per unit restored area
    A_R      = debit / credit_u                                     # restoration size required
    cost     = A_R × unit_cost

Symbols and units (checked by the caller; plain float64 here):

====================  ===============================================================  ===============
A_inj ``area``        injured area (HEA) or injured resource units (REA)                [hm²] or [unit]
b ``baseline``        baseline service level of the injured site, > 0                  [service]
x_t ``levels``        injured-site service level in year t, 0 ≤ x_t ≤ b                 [service]
v_t                   restored-site service level (same scale as b)                     [service]
b_R                   restored site's own baseline (before the project)                 [service]
t0, T, I, L           injury start, recovery, project start, project end                [年]
t_b ``base_year``     base (claim) year; earlier years compounded, later discounted     [年]
r ``rate``            annual discount rate, required (no Chinese figure found)          [1/年]
unit_cost             cost per unit of restoration project                              [元/hm²]
====================  ===============================================================  ===============

Debit is in service-area-years [hm²·年] (resource-unit-years for REA), credit per unit in
[年], project size in [hm²] (or units), cost in [元].  t' is t, t + 0.5 or t + 1 by ``timing``
(see :mod:`methods.discounting`).

**Interim vs permanent loss.**  Interim loss (category 1, 「生态环境受到损害至修复完成期间服务功能丧失
导致的损失」) is the debit over years ``injury_year … recovery_year`` (inclusive).  Permanent loss
(category 2, 「生态环境功能永久性损害」) is the debit of the years after ``recovery_year`` in which the
service stays below baseline.  It is summed **to a finite horizon year passed by the caller**
(``horizon_year``), not to infinity: the horizon is a traced method choice (UNVERIFIED as Chinese
practice).  A perpetuity alternative in value terms is :func:`methods.value.permanent_value_loss`.

**Shapes.**  The year axis is last.  *Case-axis* inputs (``area``, ``baseline``, ``base_year``,
``rate``, ``project_baseline``, ``unit_cost``, path end points) are scalars or arrays of shape
``(cases,)``; they are broadcast over the year axis internally (``x[..., None]``).  *Year-axis*
inputs (``levels``, ``project_levels``) have shape ``(n_years,)`` or ``(cases, n_years)``;
``years`` is 1-D and strictly increasing, shared by all cases (pad a shorter case with its
baseline level: zero loss).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple, Optional

import numpy as np

from factors.errors import InputError
from methods._validate import Checks, as_float_array, broadcast_shape, require_in_range, result
from methods.discounting import discount_factor_array, check_rate, timing_offset

__all__ = [
    "linear_path",
    "stepwise_path",
    "debit",
    "credit_per_unit",
    "project_size",
    "equivalency_cost",
    "hea",
    "HEAResult",
    "YearTable",
]


class YearTable(NamedTuple):
    """Per-year working of a debit or credit (arrays with the year axis last), for the trace.

    Attributes
    ----------
    year : numpy.ndarray
        t [年], shape ``(n_years,)``.
    level : numpy.ndarray
        Service level x_t (injured) or v_t (project) [service].
    fraction : numpy.ndarray
        Loss fraction (b − x_t)/b, or gain fraction (v_t − b_R)/b [1].
    discount_factor : numpy.ndarray
        (1+r)^(t_b − t') [1].
    discounted : numpy.ndarray
        Injured site: A × fraction × DF [hm²·年]; project: fraction × DF per unit area [年].
    """

    year: Any
    level: Any
    fraction: Any
    discount_factor: Any
    discounted: Any


# --------------------------------------------------------------------------------------------
# helpers


def case_column(x: np.ndarray) -> np.ndarray:
    """A case-axis array broadcast against a trailing year axis."""
    return x[..., None] if x.ndim else x


def _check_years(c: Checks, years: Any, path: str = "years") -> np.ndarray:
    t = c.array(years, path)
    if t.ndim != 1 or t.size == 0:
        c.add(InputError(path, "a non-empty 1-D sequence of years", f"shape {t.shape}"))
    elif np.isfinite(t).all() and not (np.diff(t) > 0).all():
        bad = int(np.argmax(np.diff(t) <= 0)) + 1
        c.add(InputError(f"{path}[{bad}]", "years in strictly increasing order", float(t[bad])))
    return t


def check_year_axis(c: Checks, x: np.ndarray, n: int, path: str) -> None:
    if x.ndim and x.shape[-1] != n:
        c.add(InputError(path, f"one value per year on the last axis ({n} years)", f"shape {x.shape}"))


def _check_year_scalar(c: Checks, x: Any, path: str) -> Optional[int]:
    try:
        a = as_float_array(x, path)
    except InputError as exc:
        c.add(exc)
        return None
    if a.ndim != 0 or not np.isfinite(a) or float(a) != int(a):
        c.add(InputError(path, "a whole year such as 2021 (one for all cases)", x))
        return None
    return int(a)


def _levels_ok(c: Checks, x: np.ndarray, low: Any, high: Any, path: str, what: str) -> None:
    if np.isfinite(x).all() and np.isfinite(low).all():
        c.run(require_in_range, x, low, high, path, what)


def _loss_table(area, b, x, t, tb, r, offset) -> YearTable:
    fraction = (b - x) / b
    df = discount_factor_array(t, tb, r, offset)
    return YearTable(year=t, level=x, fraction=fraction, discount_factor=df, discounted=area * fraction * df)


def _gain_table(b, v, b_r, t, tb, r, offset) -> YearTable:
    fraction = (v - b_r) / b
    df = discount_factor_array(t, tb, r, offset)
    return YearTable(year=t, level=v, fraction=fraction, discount_factor=df, discounted=fraction * df)


# --------------------------------------------------------------------------------------------
# service-level paths


def linear_path(years: Any, start_year: Any, start_level: Any, end_year: Any, end_level: Any):
    """Service level moving linearly from ``start_level`` at ``start_year`` to ``end_level`` at ``end_year``.

    Before ``start_year`` the level is ``start_level``; from ``end_year`` on it is ``end_level``.
    The level of year t is the path's value at t (the caller's timing convention decides at
    which point of the year it is counted).  ``end_year == start_year`` gives a step.

    Parameters
    ----------
    years : array_like
        Years t [年], 1-D.
    start_year, end_year : float or array_like
        Ends of the ramp [年], case-axis; ``end_year ≥ start_year``.
    start_level, end_level : float or array_like
        Service levels at the ends [service], ≥ 0, case-axis.

    Returns
    -------
    numpy.ndarray
        Levels, shape ``(..., n_years)``.

    Examples
    --------
    Recovery from 40 % to full service (100) between 2020 and 2024:

    >>> linear_path([2019, 2020, 2021, 2022, 2023, 2024, 2025], 2020, 40, 2024, 100)
    array([ 40.,  40.,  55.,  70.,  85., 100., 100.])
    """
    c = Checks()
    t = _check_years(c, years)
    t0 = c.array(start_year, "start_year")
    t1 = c.array(end_year, "end_year")
    x0 = c.array(start_level, "start_level", "non_negative")
    x1 = c.array(end_level, "end_level", "non_negative")
    c.done()
    if not (t1 >= t0).all():
        raise InputError("end_year", "a year ≥ start_year", result(t1))
    t0, t1, x0, x1 = (case_column(a) for a in (t0, t1, x0, x1))
    span = t1 - t0
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(span > 0, np.clip((t - t0) / np.where(span > 0, span, 1.0), 0.0, 1.0), (t >= t1) * 1.0)
    return x0 + (x1 - x0) * frac


def stepwise_path(years: Any, step_years: Any, step_levels: Any, initial_level: Any):
    """Service level changing in steps: ``initial_level`` until the first step year, then ``step_levels[i]``.

    Parameters
    ----------
    years : array_like
        Years t [年], 1-D.
    step_years : array_like
        Years at which the level changes [年], 1-D, strictly increasing; from ``step_years[i]`` on
        (inclusive) the level is ``step_levels[..., i]``.
    step_levels : array_like
        Levels after each step [service], ≥ 0, shape ``(n_steps,)`` or ``(cases, n_steps)``.
    initial_level : float or array_like
        Level before the first step [service], ≥ 0, case-axis.

    Returns
    -------
    numpy.ndarray
        Levels, shape ``(..., n_years)``.

    Examples
    --------
    >>> stepwise_path([2020, 2021, 2022, 2023], [2021, 2023], [50, 100], 0)
    array([  0.,  50.,  50., 100.])
    """
    c = Checks()
    t = _check_years(c, years)
    s = _check_years(c, step_years, "step_years")
    v = c.array(step_levels, "step_levels", "non_negative")
    x0 = c.array(initial_level, "initial_level", "non_negative")
    c.done()
    if v.ndim == 0 or v.shape[-1] != s.size:
        raise InputError("step_levels", f"one level per step year ({s.size}) on the last axis", f"shape {v.shape}")
    idx = np.searchsorted(s, t, side="right")
    full = np.concatenate([np.broadcast_to(case_column(x0), v.shape[:-1] + (1,)), v], axis=-1)
    return full[..., idx]


# --------------------------------------------------------------------------------------------
# debit, credit, size, cost


def time_axis(c: Checks, years: Any, base_year: Any, rate: Any, timing: Any):
    """The year axis, base year, discount rate and timing offset every discounted sum needs (checked)."""
    return _check_years(c, years), c.array(base_year, "base_year"), check_rate(c, rate), c.run(timing_offset, timing)


def _validate_debit(c, area, baseline, levels, years, base_year, rate, timing, allow_above_baseline):
    a = c.array(area, "area", "non_negative")
    b = c.array(baseline, "baseline", "positive")
    x = c.array(levels, "levels", "non_negative")
    t, tb, r, offset = time_axis(c, years, base_year, rate, timing)
    c.done()
    check_year_axis(c, x, t.size, "levels")
    if not allow_above_baseline:
        _levels_ok(c, x, 0.0, case_column(b), "levels",
                   "0 ≤ level ≤ baseline: an injured site cannot exceed its baseline")
    c.done()
    broadcast_shape(area=a, baseline=b, base_year=tb, discount_rate=r, levels_cases=x[..., 0] if x.ndim else x)
    return case_column(a), case_column(b), x, t, case_column(tb), case_column(r), offset


def debit(area: Any, baseline: Any, levels: Any, years: Any, base_year: Any, rate: Any, timing: str = "start", *,
          allow_above_baseline: bool = False):
    r"""Discounted lost services :math:`\sum_t A (b - x_t)/b \, (1+r)^{t_b - t'}` [hm²·年].

    Parameters
    ----------
    area : float or array_like
        A_inj injured area [hm²] (or resource units for REA), ≥ 0, case-axis.
    baseline : float or array_like
        b, baseline service level [service], > 0, case-axis.
    levels : array_like
        x_t, injured-site service level per year [service], ``(n_years,)`` or
        ``(cases, n_years)``; ``0 ≤ x_t ≤ b``.
    years : array_like
        t [年], 1-D strictly increasing, same length as the last axis of ``levels``.
    base_year : float or array_like
        t_b [年], case-axis.
    rate : float or array_like
        r [1/年] > −1, case-axis (path ``discount_rate`` in errors).
    timing : {"start", "mid", "end"}
        Counting point within each year.
    allow_above_baseline : bool, optional
        Allow x_t > b (negative loss, a net gain in that year).  Off by default.

    Returns
    -------
    float or numpy.ndarray
        Debit [hm²·年], case shape.

    Raises
    ------
    InputError
        Negative area, baseline ≤ 0, a level outside [0, b] (by index), unordered years, a
        length mismatch, bad rate or timing.

    Examples
    --------
    10 hm², service at 50 % of baseline for two years, base year = first year, r = 0:
    10 × 0.5 + 10 × 0.5 = 10 hm²·年.

    >>> debit(10, 100, [50, 50], [2020, 2021], 2020, 0.0)
    10.0
    """
    c = Checks()
    a, b, x, t, tb, r, offset = _validate_debit(c, area, baseline, levels, years, base_year, rate, timing,
                                                allow_above_baseline)
    table = _loss_table(a, b, x, t, tb, r, offset)
    return result(table.discounted.sum(axis=-1))


def credit_per_unit(baseline: Any, project_levels: Any, project_baseline: Any, years: Any, base_year: Any,
                    rate: Any, timing: str = "start", *, allow_above_baseline: bool = False):
    r"""Discounted service gain per unit of restoration :math:`\sum_t (v_t - b_R)/b \, (1+r)^{t_b - t'}` [年].

    Parameters
    ----------
    baseline : float or array_like
        b, baseline of the **injured** site (the common scale) [service], > 0, case-axis.
    project_levels : array_like
        v_t, restored-site service level per year [service], ``(n_years,)`` or
        ``(cases, n_years)``; ``b_R ≤ v_t ≤ b`` (gain fraction in [0, 1]).
    project_baseline : float or array_like
        b_R, the restored site's own level without the project [service], ``0 ≤ b_R ≤ b``,
        case-axis.
    years : array_like
        t [年] of the project (I … L), 1-D strictly increasing.
    base_year, rate, timing
        As for :func:`debit`.
    allow_above_baseline : bool, optional
        Allow v_t > b (a restored site more productive than the injured baseline); the gain
        fraction may then exceed 1.  v_t ≥ b_R is always required.

    Returns
    -------
    float or numpy.ndarray
        Credit per unit area [年] (service-years per hm²), case shape.

    Examples
    --------
    A wetland created from bare land (b_R = 0) giving 50 then 100 % of baseline, r = 0:
    0.5 + 1.0 = 1.5.

    >>> credit_per_unit(100, [50, 100], 0, [2021, 2022], 2020, 0.0)
    1.5
    """
    c = Checks()
    b = c.array(baseline, "baseline", "positive")
    v = c.array(project_levels, "project_levels", "non_negative")
    br = c.array(project_baseline, "project_baseline", "non_negative")
    t, tb, r, offset = time_axis(c, years, base_year, rate, timing)
    c.done()
    check_year_axis(c, v, t.size, "project_levels")
    if not allow_above_baseline:
        _levels_ok(c, br, 0.0, b, "project_baseline", "0 ≤ project_baseline ≤ baseline")
    c.done()
    high = np.inf if allow_above_baseline else case_column(b)
    _levels_ok(c, v, case_column(br), high, "project_levels",
               "project_baseline ≤ level ≤ baseline" if not allow_above_baseline else "level ≥ project_baseline")
    c.done()
    broadcast_shape(baseline=b, project_baseline=br, base_year=tb, discount_rate=r,
                    project_levels_cases=v[..., 0] if v.ndim else v)
    table = _gain_table(case_column(b), v, case_column(br), t, case_column(tb), case_column(r), offset)
    return result(table.discounted.sum(axis=-1))


def project_size(debit: Any, credit: Any):
    """Restoration size needed to offset the debit, ``A_R = debit / credit_per_unit`` [hm²].

    Parameters
    ----------
    debit : float or array_like
        Debit [hm²·年], ≥ 0.
    credit : float or array_like
        Credit per unit area [年], > 0 (a project that gains nothing cannot offset a loss).

    Returns
    -------
    float or numpy.ndarray
        A_R [hm²] (or resource units for REA).

    Raises
    ------
    InputError
        ``credit_per_unit`` ≤ 0 (by index), negative or non-finite debit.

    Examples
    --------
    >>> project_size(10.0, 1.5)
    6.666666666666667
    >>> project_size(10.0, 0.0)
    Traceback (most recent call last):
    ...
    factors.errors.InputError: credit_per_unit: expected a number > 0, got 0.0
    """
    c = Checks()
    d = c.array(debit, "debit", "non_negative")
    k = c.array(credit, "credit_per_unit", "positive")
    c.done()
    broadcast_shape(debit=d, credit_per_unit=k)
    return result(d / k)


def equivalency_cost(size: Any, unit_cost: Any):
    """Cost of the compensating project, ``A_R × unit_cost`` [元].

    Parameters
    ----------
    size : float or array_like
        A_R [hm²], ≥ 0.
    unit_cost : float or array_like
        Cost per unit of project [元/hm²], ≥ 0.

    Examples
    --------
    >>> equivalency_cost(2.0, 150000.0)
    300000.0
    """
    c = Checks()
    s = c.array(size, "project_size", "non_negative")
    u = c.array(unit_cost, "unit_cost", "non_negative")
    c.done()
    broadcast_shape(project_size=s, unit_cost=u)
    return result(s * u)


# --------------------------------------------------------------------------------------------
# convenience


@dataclass(frozen=True)
class HEAResult:
    """Result of :func:`hea`; floats for one case, arrays of the case shape otherwise.

    Attributes
    ----------
    debit : float or numpy.ndarray
        Total discounted loss [hm²·年] = ``debit_interim + debit_permanent``.
    debit_interim : float or numpy.ndarray
        Years ``injury_year … recovery_year`` (category 1) [hm²·年].
    debit_permanent : float or numpy.ndarray
        Years ``recovery_year + 1 … horizon_year`` (category 2) [hm²·年]; 0 without a horizon.
    credit_per_unit : float or numpy.ndarray
        [年] per hm² of project.
    project_size : float or numpy.ndarray
        A_R [hm²].
    cost : float or numpy.ndarray
        A_R × unit_cost [元].
    residual_loss_fraction : float or numpy.ndarray
        Loss fraction in ``recovery_year`` [1].  If > 0 and no ``horizon_year`` was given, the
        site has not recovered and no permanent loss was counted: the caller should flag it.
    injured : YearTable
        Per-year working of the debit.
    project : YearTable
        Per-year working of the credit.
    """

    debit: Any
    debit_interim: Any
    debit_permanent: Any
    credit_per_unit: Any
    project_size: Any
    cost: Any
    residual_loss_fraction: Any
    injured: YearTable
    project: YearTable


def _levels_for(c: Checks, spec: Any, years: np.ndarray, path: str) -> Any:
    if callable(spec):
        try:
            spec = spec(years)
        except InputError as exc:
            c.add(InputError(f"{path}: {exc.path}", exc.expected, exc.got))
            return None
    return spec


def hea(*, area: Any, baseline: Any, injured_levels: Any, injury_year: Any, recovery_year: Any, base_year: Any,
        rate: Any, project_levels: Any, project_baseline: Any, project_start_year: Any, project_end_year: Any,
        unit_cost: Any, horizon_year: Any = None, timing: str = "start") -> HEAResult:
    """Habitat (or resource) equivalency analysis in one call: debit, credit, size, cost, per-year tables.

    Injured-site years run from ``injury_year`` to ``horizon_year`` (or ``recovery_year`` if no
    horizon); project years from ``project_start_year`` to ``project_end_year``, all inclusive
    whole years shared by all cases.  See the module docstring for the formulas, shapes and the
    interim/permanent split.

    Parameters
    ----------
    area, baseline, base_year, rate, project_baseline, unit_cost : float or array_like
        As in :func:`debit`, :func:`credit_per_unit` and :func:`equivalency_cost`; case-axis.
    injured_levels : callable or array_like
        x_t per injured year: an array ``(n,)`` / ``(cases, n)`` with
        ``n = last − injury_year + 1``, or a callable ``f(years) -> levels`` (e.g. a
        ``functools.partial`` of :func:`linear_path`).
    injury_year : int
        t0, first year of loss [年].
    recovery_year : int
        T, last year of interim loss (restoration complete / service recovered) [年],
        ``≥ injury_year``.
    horizon_year : int, optional
        Last year in which permanent loss is counted [年], ``≥ recovery_year``.  A method
        choice the caller traces (not perpetuity).
    project_levels : callable or array_like
        v_t per project year, as ``injured_levels``.
    project_start_year, project_end_year : int
        I and L [年], ``L ≥ I``.
    timing : {"start", "mid", "end"}

    Returns
    -------
    HEAResult

    Raises
    ------
    InputError
        Any bad input, e.g. ``recovery_year`` before ``injury_year``, a level above baseline, a
        project that gains nothing (``credit_per_unit`` ≤ 0).

    Examples
    --------
    5 hm² lose half their service in 2020–2021 and recover in 2022; a project on bare land
    gives full service in 2022–2023; base year 2020, r = 0: debit 5 × (0.5 + 0.5 + 0) = 5,
    credit 2, size 2.5 hm², cost 2.5 × 1000 = 2500 元.

    >>> r = hea(area=5, baseline=1, injured_levels=[0.5, 0.5, 1.0], injury_year=2020, recovery_year=2022,
    ...         base_year=2020, rate=0.0, project_levels=[1.0, 1.0], project_baseline=0,
    ...         project_start_year=2022, project_end_year=2023, unit_cost=1000)
    >>> r.debit, r.credit_per_unit, r.project_size, r.cost
    (5.0, 2.0, 2.5, 2500.0)
    """
    c = Checks()
    t0 = _check_year_scalar(c, injury_year, "injury_year")
    tr = _check_year_scalar(c, recovery_year, "recovery_year")
    th = None if horizon_year is None else _check_year_scalar(c, horizon_year, "horizon_year")
    pi = _check_year_scalar(c, project_start_year, "project_start_year")
    pl = _check_year_scalar(c, project_end_year, "project_end_year")
    c.done()
    if tr < t0:
        c.add(InputError("recovery_year", f"a year ≥ injury_year ({t0})", tr))
    if th is not None and th < tr:
        c.add(InputError("horizon_year", f"a year ≥ recovery_year ({tr})", th))
    if pl < pi:
        c.add(InputError("project_end_year", f"a year ≥ project_start_year ({pi})", pl))
    c.done()
    last = tr if th is None else th
    years = np.arange(t0, last + 1, dtype=np.float64)
    pyears = np.arange(pi, pl + 1, dtype=np.float64)
    x = _levels_for(c, injured_levels, years, "injured_levels")
    v = _levels_for(c, project_levels, pyears, "project_levels")
    c.done()

    # debit (validation names the hea fields)
    try:
        a, b, xa, t, tb, r, offset = _validate_debit(Checks(), area, baseline, x, years, base_year, rate, timing,
                                                     False)
    except InputError as exc:
        raise _rename(exc, {"levels": "injured_levels"}) from None
    inj = _loss_table(a, b, xa, t, tb, r, offset)
    interim_mask = t <= tr
    # contiguous rows: each case's years summed as one case alone sums them (pairwise along the row)
    d_int = np.ascontiguousarray(inj.discounted[..., interim_mask]).sum(axis=-1)
    d_perm = np.ascontiguousarray(inj.discounted[..., ~interim_mask]).sum(axis=-1)
    residual = inj.fraction[..., int(np.flatnonzero(interim_mask)[-1])]

    try:
        credit = credit_per_unit(baseline, v, project_baseline, pyears, base_year, rate, timing)
    except InputError as exc:
        raise _rename(exc, {"years": "project years"}) from None
    bp = as_float_array(project_baseline, "project_baseline")
    proj = _gain_table(b, as_float_array(v, "project_levels"), case_column(bp), pyears, tb, r, offset)
    total = d_int + d_perm
    size = project_size(total, credit)
    cost = equivalency_cost(size, unit_cost)
    return HEAResult(debit=result(total), debit_interim=result(d_int), debit_permanent=result(d_perm),
                     credit_per_unit=credit, project_size=size, cost=cost,
                     residual_loss_fraction=result(residual), injured=inj, project=proj)


def _rename(exc: InputError, names: dict[str, str]) -> InputError:
    def one(e: InputError) -> InputError:
        path = e.path
        for old, new in names.items():
            if path == old or path.startswith(old + "["):
                path = new + path[len(old):]
        return InputError(path, e.expected, e.got)

    return InputError.collect([one(e) for e in (exc.problems or [exc])])
