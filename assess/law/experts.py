"""Expert panels 专家意见 (simplified assessment, SH-16 / JS-(七)): how several opinions combine.

SH-16 requires at least 3 experts (parameter ``experts.min_count``); no text says how their
amounts combine (law_and_methods.md §5 q.12), so every rule below is our documented choice:

* **median** (default 中位数): the middle amount; for an even count, the mean of the two middle ones;
* **trimmed_mean** (截尾均值): drop ``floor(n × trim_fraction)`` amounts at each end (parameter
  ``experts.trim_fraction``, policy default 0.2 → none for 3–4 experts, one each end for 5–9),
  then the mean of the rest;
* **mean** (算术平均): the plain mean.

Dispersion is always reported: minimum, maximum, range, population standard deviation and the
coefficient of variation ``CV = sd / mean`` (0 when the mean is 0).  **Outliers** are flagged, never
dropped: an amount is an outlier when ``|x − median| > k × MAD``, where ``MAD`` is the median of
the absolute deviations from the median (unscaled) and ``k`` the parameter ``experts.outlier_mad_k``
(policy default 3); when MAD is 0 every amount other than the median is flagged.  The **spread**
is flagged when CV exceeds ``experts.spread_cv_max`` (policy default 0.3).

The statistics are exact Decimal arithmetic (60 digits); the aggregate is rounded to the fen once,
by :func:`factors.money.to_fen`, where it enters the ledger.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, Sequence

from factors.money import EXACT

Aggregation = Literal["median", "trimmed_mean", "mean"]
AGGREGATIONS: tuple[str, ...] = ("median", "trimmed_mean", "mean")

AGGREGATION_LABEL = {
    "median": {"zh": "中位数", "en": "median"},
    "trimmed_mean": {"zh": "截尾均值", "en": "trimmed mean"},
    "mean": {"zh": "算术平均值", "en": "mean"},
}


def median(values: Sequence[Decimal]) -> Decimal:
    s = sorted(values)
    n = len(s)
    mid = n // 2
    return s[mid] if n % 2 else EXACT.divide(s[mid - 1] + s[mid], Decimal(2))


def mean(values: Sequence[Decimal]) -> Decimal:
    return EXACT.divide(sum(values, Decimal(0)), Decimal(len(values)))


def trimmed(values: Sequence[Decimal], fraction: Decimal) -> list[Decimal]:
    """The sorted values with ``floor(n × fraction)`` dropped at each end."""
    s = sorted(values)
    cut = int(EXACT.multiply(Decimal(len(s)), fraction))
    return s[cut:len(s) - cut] if cut else s


@dataclass(frozen=True)
class PanelStats:
    """The aggregate of one category's amounts and their dispersion (all exact, unrounded)."""

    method: str
    values: tuple[Decimal, ...]
    aggregate: Decimal
    used: tuple[Decimal, ...]          # the amounts the aggregate is computed from
    median: Decimal
    mad: Decimal
    minimum: Decimal
    maximum: Decimal
    sd: Decimal
    cv: Decimal
    outliers: tuple[int, ...]          # indices into ``values``
    spread_exceeded: bool

    @property
    def range(self) -> Decimal:
        return self.maximum - self.minimum


def aggregate(values: Sequence[Decimal], method: str, *, k: Decimal, cv_max: Decimal,
              trim_fraction: Decimal) -> PanelStats:
    """Combine ``values`` by ``method`` and measure their dispersion (see the module docstring)."""
    if not values:
        raise ValueError("aggregate: no amounts")
    if method not in AGGREGATIONS:
        raise ValueError(f"aggregate: method must be one of {AGGREGATIONS}")
    vals = tuple(values)
    med = median(vals)
    deviations = [abs(v - med) for v in vals]
    mad = median(deviations)
    limit = EXACT.multiply(k, mad)
    outliers = tuple(i for i, d in enumerate(deviations) if d > limit)
    mu = mean(vals)
    var = EXACT.divide(sum((EXACT.multiply(v - mu, v - mu) for v in vals), Decimal(0)), Decimal(len(vals)))
    sd = var.sqrt(EXACT)
    cv = EXACT.divide(sd, mu) if mu else Decimal(0)
    if method == "median":
        used, agg = tuple(sorted(vals)), med
    elif method == "mean":
        used, agg = tuple(sorted(vals)), mu
    else:
        kept = trimmed(vals, trim_fraction)
        used, agg = tuple(kept), mean(kept)
    return PanelStats(
        method=method, values=vals, aggregate=agg, used=used, median=med, mad=mad,
        minimum=min(vals), maximum=max(vals), sd=sd, cv=cv, outliers=outliers, spread_exceeded=cv > cv_max,
    )
