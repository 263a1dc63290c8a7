"""Rounding of the award 金额取整: a judicial choice, stated with its basis (issue 14 §2).

No law fixes how an award is rounded.  The default is the project's rule (:mod:`factors.money`): every
ledger line to the fen (0.01 元), half-up, and totals as exact sums.  A judgment may round otherwise —
to the whole 元, to 10 or 100 元 — at each line or only at the total.  The case states it:

``rounding: {step: "1", at: "line" | "total", basis: "<the judgment or text relied on>"}``

* ``at: "line"`` — each ledger line (already to the fen, the figure an appraisal report prints) is
  rounded half-up to ``step``; subtotals and the total stay exact sums of the rounded lines.
* ``at: "total"`` — the lines stay to the fen; the total is rounded half-up to ``step`` and the
  difference is shown as a line of its own, 尾数调整 (rounding adjustment), so the printed lines still add
  up exactly to the printed total.  In the funds (:mod:`assess.law.funds`) the adjustment follows the
  destination of the largest ledger line (a policy default of this software, marked as such).

The step is a power of ten from 0.01 元 up; half-up is :func:`factors.money.to_step` (the tie rule of
:func:`factors.money.to_fen`).  The choice and its basis are shown in the trace (``ledger.rounding``).
The rule works on a column of amounts (:func:`round_lines`), the one function the single case calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, Sequence

from pydantic import Field, field_validator, model_validator

from assess.law.valuation.base import LineItem, StrictModel
from factors.money import FEN, fmt, money_sum, to_step
from factors.trace import TraceNode, value_spec

AT_LABEL = {"line": {"zh": "逐项取整", "en": "each line rounded"},
            "total": {"zh": "合计取整（尾数调整）", "en": "total rounded (rounding adjustment)"}}


def step_label(step: Decimal) -> dict[str, str]:
    """``0.01`` → 分 / fen, ``1`` → 元, ``100`` → 100 元."""
    if step == FEN:
        return {"zh": "分（0.01元）", "en": "the fen (0.01 yuan)"}
    if step == Decimal("0.1"):
        return {"zh": "角（0.1元）", "en": "0.1 yuan"}
    s = f"{step.normalize():f}"
    return {"zh": f"{s}元", "en": f"{s} yuan"}


class Rounding(StrictModel):
    """How the award is rounded 金额取整 (a judicial choice; default: each line to the fen)."""

    step: Decimal = Field(default=FEN, description="取整单位 Rounding step in 元: 0.01 (default), 0.1, 1, 10, 100 …")
    at: Literal["line", "total"] = Field(default="line", description="逐项 (line) or 合计 (total) 取整位置")
    basis: str | None = Field(default=None, min_length=1,
                              description="取整依据 The judgment or text relied on (required for any step but 0.01)")

    @field_validator("step")
    @classmethod
    def _power_of_ten(cls, v: Decimal) -> Decimal:
        if not v.is_finite() or v < FEN or v.normalize().as_tuple().digits != (1,):
            raise ValueError(f"expected a power of ten from 0.01 元 up (0.01, 0.1, 1, 10, 100 …), got {v}")
        return v

    @model_validator(mode="after")
    def _basis(self) -> "Rounding":
        if not self.is_default and not self.basis:
            raise ValueError("expected basis: the judgment or text that rounds the award this way (a judicial choice "
                             "is stated with its basis)")
        return self

    @property
    def is_default(self) -> bool:
        """True when nothing differs from the fen at each line."""
        return self.step == FEN


def round_lines(amounts: Sequence[Decimal], step: Decimal) -> list[Decimal]:
    """Each amount (to the fen) rounded half-up to ``step``: the rule, on a column of amounts."""
    return [to_step(a, step) for a in amounts]


def adjustment(total: Decimal, step: Decimal) -> Decimal:
    """The 尾数调整 that brings an exact total to ``step``: ``to_step(total) − total`` (may be negative)."""
    return to_step(total, step) - total


@dataclass
class Rounded:
    """The rounding applied to a ledger: the adjustment line (at the total) and the trace node."""

    rounding: Rounding
    adjustment: Decimal
    trace: TraceNode

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"step": fmt(self.rounding.step) if self.rounding.step < 1 else f"{self.rounding.step:f}",
                               "at": self.rounding.at, "basis": self.rounding.basis}
        if self.rounding.at == "total":
            out["adjustment"] = fmt(self.adjustment)
        return out


def _note(r: Rounding) -> dict[str, str]:
    lab = step_label(r.step)
    return {"zh": f"取整至{lab['zh']}，{AT_LABEL[r.at]['zh']}，四舍五入；依据：{r.basis}",
            "en": f"half-up to {lab['en']}, {AT_LABEL[r.at]['en']}; basis: {r.basis}"}


def apply_rounding(items: list[LineItem], rounding: Rounding | None) -> Rounded | None:
    """Apply the stated rounding to the ledger lines (in place, at ``line``) or compute the adjustment (at
    ``total``).  ``None`` for the default (to the fen at each line: nothing changes)."""
    if rounding is None or rounding.is_default:
        return None
    step, note = rounding.step, _note(rounding)
    if rounding.at == "line":
        new = round_lines([i.amount for i in items], step)
        for item, amount in zip(items, new, strict=True):
            before = item.amount
            item.amount = amount
            item.trace.add(TraceNode(
                id=f"{item.id}.rounding", kind="rounding", label={"zh": "取整", "en": "Rounding"},
                formula=f"{fmt(before)} → {fmt(amount)}", result=value_spec(fmt(amount), "元"), note=note))
            if item.trace.result is not None:
                item.trace.result = {**item.trace.result, "value": fmt(amount), "rounding": note}
        node = TraceNode(id="ledger.rounding", kind="rounding", label={"zh": "金额取整（裁判选择）", "en": "Rounding of the award (judicial choice)"},
                         inputs={"step": value_spec(f"{step:f}", "元", "rounding.step"),
                                 "at": value_spec("line", None, "rounding.at")},
                         formula="each line: half-up to the step; totals are exact sums of the rounded lines",
                         result=value_spec(fmt(money_sum(i.amount for i in items if i.counted)), "元"), note=note)
        return Rounded(rounding, Decimal("0.00"), node)
    exact = money_sum(i.amount for i in items if i.counted)
    adj = adjustment(exact, step)
    node = TraceNode(id="ledger.rounding_adjustment", kind="rounding", label={"zh": "尾数调整", "en": "Rounding adjustment"},
                     inputs={"step": value_spec(f"{step:f}", "元", "rounding.step"),
                             "at": value_spec("total", None, "rounding.at"),
                             "lines": value_spec(fmt(exact), "元")},
                     formula=f"{fmt(to_step(exact, step))} − {fmt(exact)}", result=value_spec(fmt(adj), "元"), note=note)
    return Rounded(rounding, adj, node)


__all__ = ["Rounding", "Rounded", "apply_rounding", "round_lines", "adjustment", "step_label"]
