"""Value-based loss 价值量损失 (categories 1 and 2 of CC-1235; GB/T 39791.1-2020 App. D).

Interim loss (category 1), the value-equivalency form of the NRDA literature (SECOND-HAND;
UNVERIFIED against GB/T 39791.1 App. B/D, not read — law_and_methods.md §3.4–3.5)::

    loss = Σ_t V × Q × f × (1+r)^(t_b − t')          [元]

V unit service value [元 per unit of Q per 年, e.g. 元/(hm²·年), 元/(亩·年), 元/(株·年)], Q the
quantity (area or resource units), f the loss fraction in [0, 1], t the loss years (a list, or
``start_year`` … ``end_year``), t_b the base (claim) year, r the discount rate (required plain
number), t' the timing convention (case or ``policy_default``).

Permanent loss (category 2): **no Chinese formula found**; two method choices, both UNVERIFIED as
practice and traced as such (:func:`methods.value.permanent_value_loss`): ``perpetuity``
``A (1+r)^(1−s) / r`` (r > 0; ``A / r`` for end-of-year timing) or a finite ``horizon`` of H years,
with ``A = V × Q × f``, valued at the start of ``first_year`` and brought to the base year with
``(1+r)^(t_b − first_year)``.

``V × Q`` (units converted with exact rational factors) is exact in Decimal; discounting runs in
float64 in the kernel and the amount is rounded once to the fen (Decimal via ``repr``, half-up).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

import numpy as np
from pydantic import Field, model_validator

from assess.law.quantities import AnyQty, Num, Qty
from assess.law.valuation.base import DamageItemBase, Draws, EvalContext, LineItem, StrictModel
from assess.law.valuation.common import (TIMINGS, DiscountRate, Timing, Year, category_node, discount_spec, float_amount_node,
                                         kernel_errors, resolve_timing)
from factors.errors import InputError, UnitError
from factors.money import EXACT, Decimals, Fen, round_fen, to_decimal
from factors.money import plain
from factors.trace import TraceNode, value_spec
from factors.units import check_unit, exact_factor

UNVERIFIED_NOTE = {
    "zh": "永久性损害的价值量计算：未见中国规定的公式；永续年金或有限年限为使用者所选方法（未核实为实务做法）",
    "en": "permanent loss in value terms: no Chinese formula found; perpetuity or a finite horizon is the user's "
          "method choice (UNVERIFIED as practice)",
}


class PermanentValue(StrictModel):
    """Permanent-loss variant (category 2)."""

    method: Literal["perpetuity", "horizon"]
    first_year: Year = Field(description="First year of permanent loss (valuation point, start of year)")
    horizon_years: int | None = Field(default=None, ge=0, description="H, years counted (method horizon only)")


class ValueLossInputs(StrictModel):
    unit_value: Qty = Field(description="V, 元 per unit of quantity per 年 (e.g. 元/(hm²·年))")
    quantity: AnyQty = Field(description="Q, area or resource units")
    loss_fraction: Num = Field(ge=0, le=1, description="f, fraction of the service lost, in [0, 1]")
    years: list[Year] | None = Field(default=None, description="Loss years (or start_year/end_year)")
    start_year: Year | None = None
    end_year: Year | None = None
    base_year: Year
    discount_rate: DiscountRate
    timing: Timing | None = None
    permanent: PermanentValue | None = Field(default=None, description="Permanent loss variant (category 2)")


class ValueLossItem(DamageItemBase):
    """A damage item valued directly by the value of the services lost."""

    method: Literal["value_loss"]
    inputs: ValueLossInputs

    @model_validator(mode="after")
    def _category(self) -> "ValueLossItem":
        want = "permanent_loss" if self.inputs.permanent is not None else "interim_service_loss"
        if self.category != want:
            raise ValueError(f"a value-loss item {'with' if want == 'permanent_loss' else 'without'} inputs.permanent "
                             f"goes to {want}, not {self.category}")
        return self

    def evaluate(self, ctx: EvalContext, path: str) -> list[LineItem]:
        return [evaluate_value_loss(self, ctx, path)]

    def sample_amounts(self, ctx: EvalContext, path: str, draws: Draws) -> list[tuple[str, Any]]:
        ip = f"{path}.inputs"
        factor = _factor(self.inputs, ip)
        annual = draws.value(self.inputs.unit_value, f"{ip}.unit_value", factor) * draws.value(
            self.inputs.quantity, f"{ip}.quantity")
        return [(self.category, _kernel(self, ctx, path, annual)[0])]


INTERIM_FORMULA = "Σ_t V × Q × f × (1+r)^(t_b − t')"
KERNEL_NAMES = {"unit_value": "unit_value", "quantity": "quantity", "horizon_years": "permanent.horizon_years"}


def _factor(inp: ValueLossInputs, ip: str) -> Decimal:
    return to_decimal(annual_factor(inp.unit_value.unit, inp.quantity.unit, f"{ip}.unit_value.unit"))


def annual_factor(unit_value_unit: str, quantity_unit: str, path: str) -> Fraction:
    """Exact factor turning unit_value × quantity × 1 年 into 元 (once per item, or per batch column);
    else a :class:`UnitError` at ``path`` (the unit value's unit field)."""
    try:
        check_unit(unit_value_unit, path)
        return exact_factor(f"({unit_value_unit})*({quantity_unit})*年", "元", path)
    except UnitError:
        raise UnitError(path, f"a value per {quantity_unit} per year (e.g. 元/({quantity_unit}·年))", unit_value_unit) from None


def _loss_years(item: ValueLossItem, ip: str) -> list[int]:
    inp = item.inputs
    if inp.years is not None and (inp.start_year is not None or inp.end_year is not None):
        raise InputError(f"{ip}.years", "either years or start_year/end_year, not both")
    if inp.years is not None:
        ys = list(inp.years)
        if not ys:
            raise InputError(f"{ip}.years", "at least one loss year", ys)
        bad = [k for k in range(1, len(ys)) if ys[k] <= ys[k - 1]]
        if bad:
            raise InputError(f"{ip}.years[{bad[0] if bad else 0}]", "years in strictly increasing order", ys[bad[0]] if bad else None)
        return ys
    if inp.start_year is None or inp.end_year is None:
        raise InputError(f"{ip}.years", "the loss years: years [...] or start_year and end_year")
    if inp.end_year < inp.start_year:
        raise InputError(f"{ip}.end_year", f"a year ≥ start_year ({inp.start_year})", inp.end_year)
    return list(range(inp.start_year, inp.end_year + 1))


def _kernel(item: ValueLossItem, ctx: EvalContext, path: str, annual: Any) -> tuple[Any, str, TraceNode, str]:
    """(amount float/array, formula, timing node, years text) from the annual value V × Q [元/年] (Monte Carlo draws)."""
    inp, ip = item.inputs, f"{path}.inputs"
    timing, timing_node = resolve_timing(ctx, inp.timing, ip, f"{item.id}.timing")
    r, f = float(inp.discount_rate), float(inp.loss_fraction)
    years = _loss_years(item, ip) if inp.permanent is None else []  # its errors carry full paths already
    with kernel_errors(ip, KERNEL_NAMES):
        if inp.permanent is None:
            out = interim_loss(annual, f, years, inp.base_year, r, timing)
            return out, INTERIM_FORMULA, timing_node, f"{years[0]}–{years[-1]}"
        p = inp.permanent
        out = permanent_loss(annual, f, r, p.method, p.horizon_years, p.first_year, inp.base_year, timing)
        formula, span = _permanent_text(p)
        return out, formula, timing_node, span


def _permanent_text(p: PermanentValue) -> tuple[str, str]:
    """(formula, years text) of a permanent loss, for the trace."""
    formula = ("V × Q × f × (1+r)^(1−s) / r × (1+r)^(t_b − t_v)" if p.method == "perpetuity" else
               "V × Q × f × Σ_{k<H} (1+r)^−(k+s) × (1+r)^(t_b − t_v)")
    span = f"{p.first_year}–" + ("∞" if p.method == "perpetuity" else f"{p.first_year + (p.horizon_years or 0) - 1}")
    return formula, span


def permanent_loss(annual: Any, loss_fraction: Any, rate: Any, method: str, horizon_years: int | None, first_year: int,
                   base_year: Any, timing: str) -> Any:
    """The kernel call of a permanent value loss [元]: valued at the start of ``first_year``
    (:func:`methods.value.permanent_value_loss`), brought to the base year with ``(1+r)^(t_b − first_year)``."""
    from methods.discounting import discount_factors
    from methods.value import permanent_value_loss

    pv = permanent_value_loss(annual, 1.0, loss_fraction, rate, method, horizon_years if method == "horizon" else None,
                              timing=timing)
    return pv * discount_factors(first_year, base_year, rate, "start")


def permanent_loss_fen(annual: Decimals, loss_fraction: Decimals, rate: Decimals, method: str, horizon_years: int | None,
                       first_year: int, base_year: np.ndarray, timing: str) -> tuple[np.ndarray, Fen]:
    """The permanent value loss of each element [元] (float, for the trace) and its amount in fen
    (as :func:`interim_loss_fen`: one kernel call; an element near a half fen recomputed as one case)."""
    x = np.asarray(permanent_loss(annual.x, loss_fraction.x, rate.x, method, horizon_years, first_year, base_year, timing),
                   dtype=float)

    def exact(i: int) -> Decimal:
        one = permanent_loss(float(annual.dec(i)), float(loss_fraction.dec(i)), float(rate.dec(i)), method, horizon_years,
                             first_year, int(base_year[i]), timing)
        return Decimal(repr(float(one)))

    return x, round_fen(x, exact)


def interim_loss(annual: Any, loss_fraction: Any, years: list[int], base_year: Any, rate: Any, timing: str) -> Any:
    """The kernel call of an interim value loss [元]: ``annual`` = V × Q [元/年] per case (scalar or ``(cases,)``).

    ``loss_fraction`` is a scalar or per case; ``base_year`` and ``rate`` scalars or ``(cases,)``.  The single-case
    path and the batch path (:mod:`assess.app.batch`) both call this, so their floats come from the same kernel.
    """
    from methods.value import value_loss

    per_case = annual[..., None] if np.ndim(annual) else annual  # (cases, 1): constant over the years
    f = loss_fraction[..., None] if np.ndim(loss_fraction) else loss_fraction
    return value_loss(per_case, 1.0, f, years, base_year, rate, timing)


def annual_value(unit_value: Decimal, quantity: Decimal, factor: Decimal) -> Decimal:
    """Exact V × Q [元/年] (``factor``: the units' product × 1 年 → 元, :func:`annual_factor`)."""
    return EXACT.multiply(EXACT.multiply(unit_value, quantity), factor)


def annual_values(unit_value: Decimals, quantity: Decimals, factor: Fraction) -> Decimals:
    """V × Q [元/年] per element: float64 for the kernel, the exact :func:`annual_value` on demand."""
    f_dec = to_decimal(factor)
    return Decimals(unit_value.x * quantity.x * float(factor),
                    lambda i: annual_value(unit_value.dec(i), quantity.dec(i), f_dec), None)


def interim_loss_fen(annual: Decimals, loss_fraction: Decimals, years: list[int], base_year: np.ndarray, rate: Decimals,
                     timing: str) -> tuple[np.ndarray, Fen]:
    """The interim value loss of each element [元] (float, for the trace) and its amount in fen.

    Every element has the same loss ``years`` and ``timing`` (:func:`interim_loss_fen_by_span`
    groups a batch).  The float comes from one :func:`interim_loss` call on the columns; an element
    at or near a half fen is recomputed as the single case computes it (the exact V × Q as float,
    one kernel call, ``repr`` → Decimal) and rounded by :func:`factors.money.to_fen`.
    """
    x = np.asarray(interim_loss(annual.x, loss_fraction.x, years, base_year, rate.x, timing), dtype=float)

    def exact(i: int) -> Decimal:
        one = interim_loss(float(annual.dec(i)), float(loss_fraction.dec(i)), years, int(base_year[i]), float(rate.dec(i)), timing)
        return Decimal(repr(float(one)))

    return x, round_fen(x, exact)


def interim_loss_fen_by_span(annual: Decimals, loss_fraction: Decimals, start_year: np.ndarray, end_year: np.ndarray,
                             base_year: np.ndarray, rate: Decimals, timing: np.ndarray) -> Fen:
    """:func:`interim_loss_fen` of many cases with loss years ``start_year … end_year`` each and a
    ``timing`` code each (index into :data:`TIMINGS`): one sort groups the cases that share
    (number of years, timing), then one kernel call per group.

    Within a group the years are counted from each case's first loss year: years ``0 … H−1`` and
    base year ``t_b − start``.  The discount exponent ``t_b − (t + s)`` is the same number either
    way (whole years and halves: exact in float64), so every float — and every fen — is the one the
    single case computes with its calendar years; only the number of kernel calls falls (one per
    span length and timing instead of one per first year, last year and timing)."""
    out = Fen.zeros(annual.x.size)
    if annual.x.size == 0:
        return out
    start = start_year.astype(np.int64)
    length = end_year.astype(np.int64) - start + 1
    key = length * len(TIMINGS) + timing
    order = np.argsort(key, kind="stable")
    for rows in np.split(order, np.flatnonzero(np.diff(key[order])) + 1):
        k = rows[0]
        years = list(range(int(length[k])))
        _, fen = interim_loss_fen(annual.take(rows), loss_fraction.take(rows), years, base_year[rows] - start[rows],
                                  rate.take(rows), TIMINGS[int(timing[k])])
        out.put(rows, fen)
    return out


def evaluate_value_loss(item: ValueLossItem, ctx: EvalContext, path: str) -> LineItem:
    inp, ip = item.inputs, f"{path}.inputs"
    annual = annual_value(inp.unit_value.value, inp.quantity.value, _factor(inp, ip))
    # the array functions on columns of length one
    timing, timing_node = resolve_timing(ctx, inp.timing, ip, f"{item.id}.timing")
    years = _loss_years(item, ip) if inp.permanent is None else []  # its errors carry full paths already
    a, f, r, base = Decimals.of([annual]), Decimals.of([inp.loss_fraction]), Decimals.of([inp.discount_rate]), np.array([inp.base_year])
    with kernel_errors(ip, KERNEL_NAMES):
        if inp.permanent is None:
            x, fen = interim_loss_fen(a, f, years, base, r, timing)
            formula, span = INTERIM_FORMULA, f"{years[0]}–{years[-1]}"
        else:
            p = inp.permanent
            x, fen = permanent_loss_fen(a, f, r, p.method, p.horizon_years, p.first_year, base, timing)
            formula, span = _permanent_text(p)
    out, amount = float(x[0]), fen.amount()
    inputs = {"V": inp.unit_value.spec(f"{ip}.unit_value"), "Q": inp.quantity.spec(f"{ip}.quantity"),
              "V×Q": value_spec(plain(annual), "元/年"),
              "f": value_spec(inp.loss_fraction, "1", f"{ip}.loss_fraction"),
              "years": value_spec(span, "年"), **discount_spec(inp.discount_rate, inp.base_year, ip)}
    children = [timing_node]
    if inp.permanent is not None:
        p = inp.permanent
        inputs["method"] = value_spec(p.method, None, f"{ip}.permanent.method")
        if p.horizon_years is not None:
            inputs["H"] = value_spec(p.horizon_years, "年", f"{ip}.permanent.horizon_years")
        children.append(TraceNode(id=f"{item.id}.permanent_method", kind="decision",
                                  label={"zh": f"永久性损害计算方法：{p.method}", "en": f"Permanent-loss method: {p.method}"},
                                  rule="GBT39791.1-D", note=UNVERIFIED_NOTE))
    children.append(category_node(f"{item.id}.category", item.category, {
        "zh": "价值量法：期间损失计入第（一）类，永久性损失计入第（二）类", "en": "value loss: interim → (1), permanent → (2)"}))
    amount, node = float_amount_node(
        item.id, {"zh": f"价值量损失：{item.label}", "en": f"Value-based loss: {item.label}"}, formula, out, inputs,
        rule="GBT39791.1-D", children=children, amount=amount)
    node.note = {"zh": "价值等值公式为二手资料，未与GB/T 39791.1附录D核对；浮点贴现，金额经repr转为Decimal后一次四舍五入至分",
                 "en": "value-equivalency form (second-hand), not checked against GB/T 39791.1 App. D; float64 "
                       "discounting, the amount rounded once to the fen via repr → Decimal"}
    return LineItem(id=item.id, category=item.category, label={"zh": item.label, "en": item.label},
                    amount=amount, source=path, trace=node)
