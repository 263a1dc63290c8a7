"""Monte Carlo band of a case 不确定性分析 (``assess run CASE --uncertainty``).

Every input given with a ``distribution`` (a quantity, γ or a multiplier) is drawn with
:func:`methods.uncertainty.monte_carlo`: one ``numpy.random.default_rng(seed)`` (PCG64), inputs in
sorted order of their case field path, ``draws`` values each; each damage item then evaluates its
vectorised kernel (:mod:`methods`) on the sampled arrays (``sample_amounts``), cost items add their
amounts (or draws).  Cross-check items are left out, as in the ledger.

Reported: P5 / P50 / P95 (numpy ``percentile``, linear) and the mean of each category and of the
total, **displayed to 百元** (half-up to 100 元: sampling noise at 10 000 draws is about 0.1 %),
with the seed, the number of draws and the numpy/scipy versions.  The same seed, draws, case and
numpy version reproduce the band bit for bit.  The ledger keeps the deterministic point values:
the band is never a ledger amount (design note §9).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

from assess.law.categories import CATEGORIES, KEYS
from assess.law.valuation.base import Draws, EvalContext, distributions
from assess.law.valuation.ratio import RatioItem, ratio_samples
from factors.money import to_display_step

if TYPE_CHECKING:
    from assess.law.case import Case

DISPLAY_STEP = Decimal(100)
DEFAULT_DRAWS = 10_000


@dataclass(frozen=True)
class UncertaintyOptions:
    """Monte Carlo settings: number of draws (default 10 000) and seed (generated and recorded if None)."""

    draws: int = DEFAULT_DRAWS
    seed: int | None = None


@dataclass
class Band:
    p5: float
    p50: float
    p95: float
    mean: float

    def to_dict(self) -> dict[str, str]:
        return {k: str(to_display_step(getattr(self, k), DISPLAY_STEP)) for k in ("p5", "p50", "p95", "mean")}


@dataclass
class UncertaintyResult:
    seed: int
    draws: int
    inputs: list[str]
    categories: dict[str, Band]
    total: Band
    numpy_version: str
    scipy_version: str
    percentile_method: str
    values: dict[str, np.ndarray] = field(repr=False, default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed, "draws": self.draws, "inputs": self.inputs,
            "percentiles": "P5 / P50 / P95 (numpy.percentile, method=" + self.percentile_method + ")",
            "display": "rounded half-up to 100 元 (百元) for display; the ledger keeps the point values",
            "numpy_version": self.numpy_version, "scipy_version": self.scipy_version,
            "categories": {k: b.to_dict() for k, b in self.categories.items()},
            "total": self.total.to_dict(),
        }

    def render(self, lang: str) -> list[str]:
        from factors.i18n import t

        head = {"zh": f"不确定性（蒙特卡罗，{self.draws} 次抽样，种子 {self.seed}；单位：元，取整至百元；清单仍用点值）",
                "en": f"Uncertainty (Monte Carlo, {self.draws} draws, seed {self.seed}; 元 rounded to 100; the ledger keeps point values)"}
        lines = [t(head, lang), "  " + t({"zh": "随机输入", "en": "uncertain inputs"}, lang) + ": " + (", ".join(self.inputs) or "—")]
        rows = [(f"({c.number}) {t(c.label, lang)}", self.categories[c.key]) for c in CATEGORIES]
        rows.append((t({"zh": "合计", "en": "Total"}, lang), self.total))
        for label, b in rows:
            d = b.to_dict()
            lines.append(f"  P5 {int(Decimal(d['p5'])):>12,}  P50 {int(Decimal(d['p50'])):>12,}  P95 {int(Decimal(d['p95'])):>12,}  {label}")
        lines.append(f"  numpy {self.numpy_version}, scipy {self.scipy_version}")
        return lines


def run_uncertainty(case: "Case", ctx: EvalContext, options: UncertaintyOptions) -> UncertaintyResult:
    """The seeded Monte Carlo band of ``case`` (see module docstring)."""
    from methods.uncertainty import PERCENTILE_METHOD, monte_carlo

    dists: dict[str, Any] = {}
    for i, item in enumerate(case.damage_items):
        if not item.cross_check:
            dists.update(distributions(item, f"damage_items[{i}]"))
    for i, cost in enumerate(case.cost_items):
        dists.update(distributions(cost, f"cost_items[{i}]"))
    n = options.draws
    per_category: dict[str, np.ndarray] = {}

    def evaluate(**arrays: np.ndarray) -> np.ndarray:
        draws = Draws(arrays)
        sums = {k: np.zeros(n) for k in KEYS}
        by_item: dict[str, Any] = {}   # each item's sampled amount, for the items set as a ratio of it
        for i, item in enumerate(case.damage_items):
            if item.cross_check or isinstance(item, RatioItem):
                continue
            for category, amount in item.sample_amounts(ctx, f"damage_items[{i}]", draws):
                sums[category] = sums[category] + amount
                by_item[item.id] = by_item.get(item.id, 0) + amount
                by_item[f"{item.id}.{category}"] = amount
        for i, cost in enumerate(case.cost_items):
            amount = draws.qty(cost.amount, f"cost_items[{i}].amount", "元")
            sums[cost.category] = sums[cost.category] + amount
            by_item[cost.id] = amount
        for i, item in enumerate(case.damage_items):
            if isinstance(item, RatioItem) and not item.cross_check:
                for category, amount in ratio_samples(item, by_item, f"damage_items[{i}]"):
                    sums[category] = sums[category] + amount
        per_category.update(sums)
        total = np.zeros(n)
        for k in KEYS:  # fixed order: the same sum bit for bit
            total = total + sums[k]
        return total

    mc = monte_carlo(evaluate, dists, n=n, seed=options.seed)

    def band(values: np.ndarray) -> Band:
        p5, p50, p95 = np.percentile(values, [5, 50, 95], method=PERCENTILE_METHOD)
        return Band(float(p5), float(p50), float(p95), float(values.mean()))

    return UncertaintyResult(
        seed=mc.seed, draws=mc.n, inputs=list(mc.order), categories={k: band(per_category[k]) for k in KEYS},
        total=Band(mc.p5, mc.p50, mc.p95, mc.mean), numpy_version=mc.numpy_version, scipy_version=mc.scipy_version,
        percentile_method=mc.percentile_method, values={**per_category, "total": mc.values},
    )
