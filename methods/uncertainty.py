"""Monte Carlo uncertainty for the valuation kernels (不确定性分析; pure, reproducible).

Not a rule of law: the design note (§9) keeps Monte Carlo results **out of the ledger**; they are
reported beside the point estimate with their seed and library versions, and displayed to 百元
(sampling noise ≈ 0.1 % at n = 10 000).

Reproducibility contract: all inputs are drawn from **one** ``numpy.random.default_rng(seed)``
(PCG64), in **sorted order of input name**, ``n`` values each; the same seed, n, inputs and
numpy version give bit-for-bit the same draws and percentiles.  ``func`` is called **once** with
whole arrays, so it must be vectorised (every kernel in :mod:`methods` is).

Distributions (parameters in the input's own unit):

* :class:`Point` (value) — a constant, broadcast to n draws;
* :class:`Uniform` (low, high) — ``rng.uniform``;
* :class:`Triangular` (low, mode, high) — ``rng.triangular``;
* :class:`LogNormal` (median, gsd) — **median / geometric standard deviation** parametrisation:
  ``ln X ~ Normal(ln median, ln gsd)``, so about 68 % of draws lie in [median/gsd, median·gsd];
  gsd ≥ 1 (gsd = 1 is the point median).  Chosen because experts state "typically M, within a
  factor of k"; from (mu, sigma) of ln X use ``LogNormal(exp(mu), exp(sigma))``;
* :class:`Frozen` (dist) — any frozen ``scipy.stats`` distribution, drawn with
  ``dist.rvs(size=n, random_state=rng)``.

scipy is never imported at module import time (CLI start-up time): versions are read with
:mod:`importlib.metadata`, and scipy objects arrive only through :class:`Frozen`.
Percentiles: ``numpy.percentile(..., method="linear")`` (Hyndman–Fan type 7, numpy's default).
"""

from __future__ import annotations

import functools
import importlib.metadata
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Union

import numpy as np

from factors.errors import InputError

__all__ = ["Point", "Uniform", "Triangular", "LogNormal", "Frozen", "sample", "monte_carlo", "MCResult",
           "PERCENTILE_METHOD"]

#: numpy.percentile method used for the reported percentiles.
PERCENTILE_METHOD = "linear"


def _num(x: Any, path: str) -> float:
    if isinstance(x, (bool, np.bool_, str, bytes)):
        raise InputError(path, "a finite number", x)
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise InputError(path, "a finite number", x) from None
    if not math.isfinite(v):
        raise InputError(path, "a finite number", x)
    return v


@dataclass(frozen=True)
class Point:
    """A fixed value.

    Examples
    --------
    >>> sample(Point(2.5), 3, np.random.default_rng(0))
    array([2.5, 2.5, 2.5])
    """

    value: float

    def _draw(self, n: int, rng: np.random.Generator, path: str) -> np.ndarray:
        return np.full(n, _num(self.value, f"{path}.value"))


@dataclass(frozen=True)
class Uniform:
    """Uniform on [low, high], ``low ≤ high``.

    Examples
    --------
    >>> x = sample(Uniform(1.0, 2.0), 1000, np.random.default_rng(0))
    >>> bool(x.min() >= 1.0 and x.max() <= 2.0)
    True
    """

    low: float
    high: float

    def _draw(self, n: int, rng: np.random.Generator, path: str) -> np.ndarray:
        lo, hi = _num(self.low, f"{path}.low"), _num(self.high, f"{path}.high")
        if hi < lo:
            raise InputError(f"{path}.high", f"a number ≥ low ({lo:g})", hi)
        return rng.uniform(lo, hi, n)


@dataclass(frozen=True)
class Triangular:
    """Triangular on [low, high] with the given mode, ``low ≤ mode ≤ high``, ``low < high``.

    Examples
    --------
    >>> x = sample(Triangular(4.5, 5.0, 6.0), 1000, np.random.default_rng(0))
    >>> bool(x.min() >= 4.5 and x.max() <= 6.0)
    True
    """

    low: float
    mode: float
    high: float

    def _draw(self, n: int, rng: np.random.Generator, path: str) -> np.ndarray:
        lo, mo, hi = (_num(self.low, f"{path}.low"), _num(self.mode, f"{path}.mode"),
                      _num(self.high, f"{path}.high"))
        if not lo < hi:
            raise InputError(f"{path}.high", f"a number > low ({lo:g})", hi)
        if not lo <= mo <= hi:
            raise InputError(f"{path}.mode", f"a number in [{lo:g}, {hi:g}]", mo)
        return rng.triangular(lo, mo, hi, n)


@dataclass(frozen=True)
class LogNormal:
    """Log-normal by median and geometric standard deviation: ``ln X ~ N(ln median, ln gsd)``.

    ``median > 0``, ``gsd ≥ 1``.

    Examples
    --------
    >>> x = sample(LogNormal(100.0, 2.0), 100_000, np.random.default_rng(0))
    >>> bool(abs(np.median(x) / 100.0 - 1) < 0.02)
    True
    """

    median: float
    gsd: float

    def _draw(self, n: int, rng: np.random.Generator, path: str) -> np.ndarray:
        m, g = _num(self.median, f"{path}.median"), _num(self.gsd, f"{path}.gsd")
        if m <= 0:
            raise InputError(f"{path}.median", "a number > 0", m)
        if g < 1:
            raise InputError(f"{path}.gsd", "a geometric standard deviation ≥ 1", g)
        out = rng.lognormal(math.log(m), math.log(g), n)
        # exp(ln m) may differ from m in the last bit; gsd = 1 is exactly the median (draws still consumed)
        return np.full(n, m) if g == 1 else out


@dataclass(frozen=True)
class Frozen:
    """Any frozen ``scipy.stats`` distribution (or object with ``rvs(size=, random_state=)``).

    Examples
    --------
    >>> from scipy import stats
    >>> sample(Frozen(stats.norm(10, 1)), 2, np.random.default_rng(0)).shape
    (2,)
    """

    dist: Any

    def _draw(self, n: int, rng: np.random.Generator, path: str) -> np.ndarray:
        if not hasattr(self.dist, "rvs"):
            raise InputError(path, "a frozen scipy.stats distribution (with .rvs)", type(self.dist).__name__)
        return np.asarray(self.dist.rvs(size=n, random_state=rng), dtype=np.float64)


Distribution = Union[Point, Uniform, Triangular, LogNormal, Frozen]
_DISTS = (Point, Uniform, Triangular, LogNormal, Frozen)


def sample(dist: Distribution, n: int, rng: np.random.Generator, *, path: str = "input") -> np.ndarray:
    """Draw ``n`` values of ``dist`` with the generator ``rng`` (float64, shape ``(n,)``).

    A plain number is treated as :class:`Point`.

    Examples
    --------
    >>> rng = np.random.default_rng(42)
    >>> sample(Uniform(0, 1), 2, rng).round(6)
    array([0.773956, 0.438878])
    """
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)) or n < 1:
        raise InputError("n", "a whole number of draws ≥ 1", n)
    if not isinstance(rng, np.random.Generator):
        raise InputError("rng", "a numpy.random.Generator (numpy.random.default_rng(seed))", type(rng).__name__)
    if not isinstance(dist, _DISTS):
        dist = Point(_num(dist, path))
    out = dist._draw(int(n), rng, path)
    if out.shape != (n,) or not np.isfinite(out).all():
        raise InputError(path, f"a distribution giving {n} finite draws", f"shape {out.shape}")
    return out


@dataclass(frozen=True)
class MCResult:
    """Result of :func:`monte_carlo` (in the unit of ``func``'s output; not a ledger amount).

    Attributes
    ----------
    p5, p50, p95 : float
        Percentiles (``numpy.percentile``, ``method=PERCENTILE_METHOD``).
    mean : float
    seed : int
        Seed given to ``numpy.random.default_rng`` (generated and recorded if none was given).
    n : int
        Number of draws.
    order : tuple of str
        Input names in drawing order (sorted).
    percentile_method : str
    numpy_version, scipy_version : str
        Library versions (scipy read from package metadata, not imported).
    values : numpy.ndarray
        The n outputs (not shown in the repr).
    """

    p5: float
    p50: float
    p95: float
    mean: float
    seed: int
    n: int
    order: tuple
    percentile_method: str
    numpy_version: str
    scipy_version: str
    values: np.ndarray = field(repr=False, compare=False)


@functools.lru_cache(maxsize=None)
def _version(dist_name: str) -> str:
    """A distribution's installed version, looked up once per process (not per case: a metadata scan)."""
    try:
        return importlib.metadata.version(dist_name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def monte_carlo(func: Callable[..., Any], inputs: Mapping[str, Any], n: int = 10_000,
                seed: int | None = None) -> MCResult:
    """Propagate input distributions through a vectorised kernel; report P5/P50/P95.

    Parameters
    ----------
    func : callable
        Called **once** as ``func(**arrays)`` with one ``(n,)`` float64 array per input; must
        return an array broadcastable to ``(n,)`` (or a result whose ``total`` attribute is).
        Use ``functools.partial`` or a lambda to fix non-random arguments.
    inputs : mapping of str to distribution or number
        Keyword name → :class:`Point`, :class:`Uniform`, :class:`Triangular`,
        :class:`LogNormal`, :class:`Frozen`, or a plain number (a point).  Drawn in sorted name
        order from a single generator.
    n : int, optional
        Number of draws (≥ 1), default 10 000.
    seed : int, optional
        Seed for ``numpy.random.default_rng``.  If omitted, a fresh 128-bit seed (``SeedSequence().entropy``) is generated
        and recorded in the result, so every run can be repeated.

    Returns
    -------
    MCResult

    Raises
    ------
    InputError
        A bad distribution parameter (path ``inputs.<name>.<parameter>``), bad ``n`` or
        ``seed``, or output that is not finite.

    Examples
    --------
    E1 with γ uncertain (triangular 1.2–1.5–2.0):

    >>> from methods.virtual_cost import virtual_treatment_cost
    >>> r = monte_carlo(virtual_treatment_cost,
    ...                 {"quantity": 1200, "unit_cost": Uniform(30.0, 40.0), "gamma": Triangular(1.2, 1.5, 2.0)},
    ...                 n=10_000, seed=2024)
    >>> r.seed, r.n, r.order
    (2024, 10000, ('gamma', 'quantity', 'unit_cost'))
    >>> bool(r.p5 < 63900 < r.p95)
    True
    """
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)) or n < 1:
        raise InputError("n", "a whole number of draws ≥ 1", n)
    if seed is None:
        seed = int(np.random.SeedSequence().entropy)  # 128 bits of OS entropy, recorded
    elif isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError("seed", "a whole number ≥ 0", seed)
    if not isinstance(inputs, Mapping) or not all(isinstance(k, str) for k in inputs):
        raise InputError("inputs", "a mapping of argument name to distribution", type(inputs).__name__)
    rng = np.random.default_rng(int(seed))
    order = tuple(sorted(inputs))
    problems: list[InputError] = []
    arrays: dict[str, np.ndarray] = {}
    for name in order:
        try:
            arrays[name] = sample(inputs[name], int(n), rng, path=f"inputs.{name}")
        except InputError as exc:
            problems.append(exc)
    if problems:
        raise InputError.collect(problems)
    out = func(**arrays)
    if hasattr(out, "total"):
        out = out.total
    values = np.broadcast_to(np.asarray(out, dtype=np.float64), (int(n),))
    if not np.isfinite(values).all():
        raise InputError("func", "finite outputs for every draw", f"{int((~np.isfinite(values)).sum())} non-finite")
    p5, p50, p95 = np.percentile(values, [5, 50, 95], method=PERCENTILE_METHOD)
    return MCResult(p5=float(p5), p50=float(p50), p95=float(p95), mean=float(values.mean()), seed=int(seed),
                    n=int(n), order=order, percentile_method=PERCENTILE_METHOD, numpy_version=np.__version__,
                    scipy_version=_version("scipy"), values=values.copy())
