"""Restoration cost 修复费用法 (category 4, CC-1235(4); SPC-EDC Art. 12 components).

``cost = Σ_i round(q_i × p_i) + Σ_k round(subtotal × s_k)``: engineering line items (quantity ×
unit price, units checked so that quantity × price is money), then percentage surcharges the case
cites (design, supervision, contingency …) applied to the engineering subtotal, not compounded.
Monitoring, acceptance and effect-evaluation costs (SPC-EDC Art. 12) are line items too.
Each line and surcharge is rounded to the fen (half-up) and the item is their exact sum.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

import numpy as np
from pydantic import Field, field_validator

from assess.law.categories import BY_KEY
from assess.law.quantities import AnyQty, Qty, convert_exact
from assess.law.valuation.base import DamageItemBase, Draws, EvalContext, LineItem, StrictModel
from factors.errors import UnitError
from factors.money import ROUNDING_NOTE, Decimals, Fen, exact_product, fmt, money_sum, product_fen
from factors.trace import TraceNode, value_spec
from factors.units import check_unit, exact_factor


class RestorationLine(StrictModel):
    """An engineering line item 工程量清单项: quantity × unit price."""

    label: str = Field(min_length=1)
    quantity: AnyQty
    unit_price: Qty = Field(description="Price per unit of quantity, e.g. 元/m³, 万元/hm², 元/项")
    basis: str | None = None

    @field_validator("unit_price")
    @classmethod
    def _price_non_negative(cls, q: Qty) -> Qty:
        if q.lowest() < 0:
            raise ValueError(f"expected a non-negative unit price, got {q.lowest()}")
        return q


class Surcharge(StrictModel):
    """A percentage surcharge on the engineering subtotal (设计费、监理费、不可预见费 …)."""

    label: str = Field(min_length=1)
    rate: Decimal = Field(ge=0, le=1, description="Fraction of the engineering subtotal, e.g. 0.05 for 5 %")
    basis: str = Field(min_length=1, description="The fee standard or plan section that fixes the rate")


class RestorationInputs(StrictModel):
    lines: list[RestorationLine] = Field(min_length=1)
    surcharges: list[Surcharge] = Field(default_factory=list)


class RestorationCostItem(DamageItemBase):
    """A damage item valued by the restoration cost of its plan (修复方案费用)."""

    method: Literal["restoration_cost"]
    inputs: RestorationInputs

    @field_validator("category")
    @classmethod
    def _category(cls, v: str) -> str:
        # Clean-up/restoration (4), or compensatory restoration used as the measure of interim (1)
        # or permanent (2) loss; never assessment (3) or prevention (5) costs.
        if v not in ("remediation_costs", "interim_service_loss", "permanent_loss"):
            raise ValueError("a restoration-cost item goes to remediation_costs (or interim_service_loss / "
                             "permanent_loss for compensatory restoration), not " + v)
        return v

    def evaluate(self, ctx: EvalContext, path: str) -> list[LineItem]:
        return [evaluate_restoration(self, ctx, path)]

    def sample_amounts(self, ctx: EvalContext, path: str, draws: Draws) -> list[tuple[str, Any]]:
        """Kernel :func:`methods.restoration.restoration_cost` on the sampled lines (cases × lines)."""
        from methods.restoration import restoration_cost

        q, p = [], []
        for i, line in enumerate(self.inputs.lines):
            lp = f"{path}.inputs.lines[{i}]"
            factor = _line_factor(line, lp)
            q.append(draws.value(line.quantity, f"{lp}.quantity"))
            p.append(draws.value(line.unit_price, f"{lp}.unit_price", factor))
        q_arr = np.stack(np.broadcast_arrays(*q), axis=-1)
        p_arr = np.stack(np.broadcast_arrays(*p), axis=-1)
        rates = [float(s.rate) for s in self.inputs.surcharges]
        return [(self.category, restoration_cost(q_arr, p_arr, rates).total)]


def _line_factor(line: RestorationLine, path: str) -> Fraction:
    return line_factor(line.quantity.unit, line.unit_price.unit, f"{path}.unit_price.unit")


def line_factor(quantity_unit: str, price_unit: str, path: str) -> Fraction:
    """Exact factor turning quantity × unit price into 元 (once per line, or per batch column); the
    units must multiply to money, else a :class:`UnitError` at ``path`` (the price unit's field)."""
    try:
        check_unit(price_unit, path)
        return exact_factor(f"({quantity_unit})*({price_unit})", "元", path)
    except UnitError:
        raise UnitError(path, f"a price per {quantity_unit} (e.g. 元/{quantity_unit}) so that quantity × unit price is money",
                        price_unit) from None


def line_fen(quantity: Decimals, unit_price: Decimals, factor: Fraction) -> Fen:
    """The amount of each engineering line, ``round(quantity × unit_price)`` in fen (half-up).

    One line per element (the single case: a column of length one; the batch: a million rows).
    ``factor`` turns the units' product into 元 (:func:`_line_factor`, once per column); the product
    is exact (:func:`factors.money.product_fen`), rounded once.
    """
    return product_fen([quantity, unit_price], factor, exact=lambda i: line_exact(quantity.dec(i), unit_price.dec(i), factor))


def surcharge_fen(subtotal: Decimals, rate: Decimals) -> Fen:
    """Each surcharge ``round(engineering subtotal × rate)`` in fen (the subtotal already to the fen, e.g.
    :meth:`Decimals.of_fen` of a fen column); percentages of the subtotal, not compounded."""
    return product_fen([subtotal, rate])


def line_amount(line: RestorationLine, path: str) -> tuple[Decimal, Decimal]:
    """(exact product in 元, rounded amount) of one line; the units must multiply to money."""
    factor = _line_factor(line, path)
    q, p = line.quantity.value, line.unit_price.value
    return line_exact(q, p, factor), line_fen(Decimals.of([q]), Decimals.of([p]), factor).amount()


def line_exact(quantity: Decimal, unit_price: Decimal, factor: Fraction) -> Decimal:
    """Exact ``quantity × unit_price`` in 元 (``factor``: the units' product → 元); not rounded."""
    return convert_exact(exact_product(quantity, unit_price), factor)


def evaluate_restoration(item: RestorationCostItem, ctx: EvalContext, path: str) -> LineItem:
    rule = BY_KEY[item.category].rule
    nodes: list[TraceNode] = []
    amounts: list[Decimal] = []
    for i, line in enumerate(item.inputs.lines):
        lp = f"{path}.inputs.lines[{i}]"
        exact, amount = line_amount(line, lp)
        amounts.append(amount)
        nodes.append(TraceNode(
            id=f"{item.id}.lines[{i}]", kind="formula", label={"zh": f"工程量×单价：{line.label}", "en": f"quantity × unit price: {line.label}"},
            formula="quantity × unit_price",
            inputs={"quantity": line.quantity.spec(f"{lp}.quantity"), "unit_price": line.unit_price.spec(f"{lp}.unit_price")},
            result=value_spec(fmt(amount), "元", exact=str(exact.normalize()), rounding=ROUNDING_NOTE),
        ))
    subtotal = money_sum(amounts)
    sub_node = TraceNode(
        id=f"{item.id}.subtotal", kind="sum", label={"zh": "工程费用小计", "en": "Engineering subtotal"},
        formula=" + ".join(fmt(a) for a in amounts), result=value_spec(fmt(subtotal), "元"), children=nodes,
    )
    parts = [subtotal]
    children = [sub_node]
    for k, s in enumerate(item.inputs.surcharges):
        sp = f"{path}.inputs.surcharges[{k}]"
        exact = exact_product(subtotal, s.rate)
        amount = surcharge_fen(Decimals.of([subtotal]), Decimals.of([s.rate])).amount()
        parts.append(amount)
        children.append(TraceNode(
            id=f"{item.id}.surcharges[{k}]", kind="formula", label={"zh": f"费率：{s.label}", "en": f"surcharge: {s.label}"},
            formula="engineering_subtotal × rate",
            inputs={"engineering_subtotal": value_spec(fmt(subtotal), "元", f"{item.id}.subtotal"),
                    "rate": value_spec(s.rate, "1", f"{sp}.rate", basis=s.basis)},
            result=value_spec(fmt(amount), "元", exact=str(exact.normalize()), rounding=ROUNDING_NOTE),
        ))
    total = money_sum(parts)
    trace = TraceNode(
        id=item.id, kind="sum", label={"zh": f"修复费用：{item.label}", "en": f"Restoration cost: {item.label}"},
        formula="Σ round(quantity × unit_price) + Σ round(subtotal × rate)",
        result=value_spec(fmt(total), "元"), rule=rule, children=children,
    )
    return LineItem(id=item.id, category=item.category, label={"zh": item.label, "en": item.label},
                    amount=total, source=path, trace=trace)

