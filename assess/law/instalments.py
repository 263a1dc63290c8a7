"""Instalments 分期赔付 and the doubled interest for delayed performance 迟延履行期间的债务利息.

**Eligibility** (administrative or agreed instalments, JS-(十一); SH-8): where the rule in force makes it
a condition (``instalments.capacity_insufficient_required``: JS-(十一) yes; SH-8, which weighs fault and
business condition 分类处置, and the national rules: no), the obligor's capacity is insufficient
(特别是小微企业或者个人 — an example, not a condition: a large or medium enterprise gets a warning); and a
**full, effective property guarantee** covers the deferred amount
(``instalments.guarantee_coverage_min``: 全额).  A cash deposit is managed as compensation
(保证金视同赔偿金管理): it counts as paid, so ``deferred = amount − cash deposits`` and the other
effective guarantees must be ≥ ``deferred × coverage``; a shortfall is an :class:`InputError` that
states it.  A schedule fixed by a **judgment** is the court's: eligibility is not re-checked.

**Schedule**: explicit ``dates``, or ``first_due`` + ``count`` + ``frequency`` (monthly / quarterly):
instalment *k* falls ``k`` months (×3 for quarterly) after ``first_due``, counted from ``first_due``
itself (not chained) on the corresponding day or else the month end (CC Art. 202, via
:func:`factors.calendar.period_end`); a due date on a rest day rolls to the next working day (CC Art.
203; the decision and its sources: :func:`due_dates`), unless ``roll: "none"`` (CC Art. 204).
Amounts are the deferred amount split equally to the fen by
:func:`factors.money.allocate` (odd fen on the earliest instalments), summing exactly.

**Late performance** (CPL-264; SPC-DPI Arts. 1–4): doubled interest
``I = P_unpaid × r × days``, ``r`` = the daily rate parameter ``interest.delayed_performance_daily_rate``
(SPC-DPI-1, 日万分之一点七五), each instalment from its own due date (SPC-DPI-2), each part stopping on
the day it is paid (SPC-DPI-3), ``days = payment date − due date`` (our day count, a
``policy_default`` reading of Art. 2 with CC 201).  Payments go to principal first, then to the
doubled interest (SPC-DPI-4), principal to the earliest-due instalment first (our choice).  No
ordinary interest is computed (only if a judgment awards it; not modelled).  For an agreement not
confirmed by a court the statutory rate does not apply (law_and_methods.md §5 q.10): interest only
at ``agreed_daily_rate`` if the agreement sets one, else none, with a warning.  Each interest
amount is rounded to the fen once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, model_validator

from assess.law.quantities import Money
from assess.law.valuation.base import StrictModel
from factors.calendar import period_end
from factors.errors import CalendarNotCovered, InputError
from factors.money import ROUNDING_NOTE, allocate, exact_product, fmt, money_sum, to_fen
from factors.store import ParameterStore
from factors.trace import TraceNode, parameter_node, value_spec

RATE = "interest.delayed_performance_daily_rate"
COVER = "instalments.guarantee_coverage_min"
CAPACITY = "instalments.capacity_insufficient_required"
STEP_MONTHS = {"monthly": 1, "quarterly": 3}
ZERO = Decimal("0.00")


class Capacity(StrictModel):
    insufficient: bool = Field(description="Whether the obligor's capacity to pay is insufficient 赔偿能力不足")
    basis: str = Field(min_length=1, description="Evidence (financial statements, audit …)")


class Guarantee(StrictModel):
    kind: Literal["cash_deposit", "mortgage", "pledge", "surety", "other"]
    value: Money
    effective: bool = Field(default=True, description="Whether the guarantee is legally effective 有效")
    description: str = Field(min_length=1)


class Payment(StrictModel):
    date: date
    amount: Money
    reference: str | None = None
    kind: Literal["payment", "escrow"] | None = Field(
        default=None, description="payment 支付 (default) or escrow 提存 (CC Arts. 557, 571; without an instalment plan)")


class InstalmentPlan(StrictModel):
    """An instalment plan (分期赔付方案) and the guarantee behind it."""

    basis: Literal["judgment", "confirmed_agreement", "agreement"] = Field(
        description="judgment 生效判决; confirmed_agreement 经司法确认的协议; agreement 未经司法确认的协议")
    agreement_date: date = Field(description="Date of the agreement or effective judgment")
    obligor: str | None = Field(default=None, description="Obligor id (default: the case's obligors together)")
    amount: Money | None = Field(default=None, description="Amount scheduled (default: the net amount owed)")
    capacity: Capacity | None = None
    guarantees: list[Guarantee] = Field(default_factory=list)
    first_due: date | None = None
    count: int | None = Field(default=None, ge=1, le=600)
    frequency: Literal["monthly", "quarterly"] | None = None
    dates: list[date] | None = Field(default=None, min_length=1)
    roll: Literal["none", "next_working_day"] = Field(
        default="next_working_day",
        description="A due date on a rest day moves to the next working day (CC 203; default); 'none' when the "
                    "judgment or agreement fixes the very day (CC 204: 当事人另有约定的除外)")
    agreed_daily_rate: Decimal | None = Field(default=None, ge=0, description="Interest rate an unconfirmed agreement sets")
    as_of: date | None = Field(default=None, description="Statement date (default: the last payment, else the agreement date)")

    @model_validator(mode="after")
    def _shape(self) -> "InstalmentPlan":
        generated = (self.first_due, self.count, self.frequency)
        if self.dates is not None:
            if any(x is not None for x in generated):
                raise ValueError("expected either dates or first_due + count + frequency, not both")
            if any(b <= a for a, b in zip(self.dates, self.dates[1:], strict=False)):
                raise ValueError("expected dates in increasing order")
        elif any(x is None for x in generated):
            raise ValueError("expected dates, or first_due + count + frequency")
        first = self.dates[0] if self.dates else self.first_due
        if self.dates is None:
            last = first.year * 12 + first.month - 1 + (self.count - 1) * STEP_MONTHS[self.frequency]
            if last // 12 > 9998:   # the last due date, and the grace or rolling after it, stay inside 9999
                raise ValueError(f"expected a schedule that ends by 9998 (instalment {self.count} would fall in "
                                 f"{last // 12}); check first_due and count")
        elif self.dates[-1].year > 9998:
            raise ValueError("expected due dates by 9998 (dates after that cannot be computed with)")
        if first < self.agreement_date:
            raise ValueError(f"expected the first due date on or after agreement_date {self.agreement_date}")
        if self.agreed_daily_rate is not None and self.basis != "agreement":
            raise ValueError("expected agreed_daily_rate only for an unconfirmed agreement (basis agreement)")
        return self


@dataclass
class Instalment:
    number: int
    due: date
    amount: Decimal
    paid: Decimal = ZERO
    interest: Decimal = ZERO          # doubled interest fixed by payments made
    accrued: Decimal = ZERO           # interest running on the unpaid part up to the statement date
    parts: list[dict[str, Any]] = field(default_factory=list)

    @property
    def unpaid(self) -> Decimal:
        return self.amount - self.paid

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "due": self.due.isoformat(), "amount": fmt(self.amount), "paid": fmt(self.paid),
                "unpaid": fmt(self.unpaid), "interest": fmt(self.interest), "accrued_interest": fmt(self.accrued),
                "payments": self.parts}


@dataclass
class Schedule:
    amount: Decimal
    deposit: Decimal
    deferred: Decimal
    instalments: list[Instalment]
    rate: Decimal | None
    as_of: date
    interest_paid: Decimal
    trace: TraceNode
    payments: bool
    warnings: list[dict[str, str]] = field(default_factory=list)

    @property
    def interest(self) -> Decimal:
        return money_sum(i.interest for i in self.instalments)

    @property
    def accrued(self) -> Decimal:
        return money_sum(i.accrued for i in self.instalments)

    @property
    def principal_outstanding(self) -> Decimal:
        return money_sum(i.unpaid for i in self.instalments)

    @property
    def outstanding(self) -> Decimal:
        """Principal unpaid + interest fixed and not paid + interest running to the statement date."""
        return self.principal_outstanding + self.interest - self.interest_paid + self.accrued

    def to_dict(self) -> dict[str, Any]:
        return {
            "amount": fmt(self.amount), "cash_deposit_counted_as_paid": fmt(self.deposit), "deferred": fmt(self.deferred),
            "daily_rate": None if self.rate is None else str(self.rate),
            "instalments": [i.to_dict() for i in self.instalments],
            "statement": {"as_of": self.as_of.isoformat(), "principal_outstanding": fmt(self.principal_outstanding),
                          "interest_on_late_payments": fmt(self.interest), "interest_paid": fmt(self.interest_paid),
                          "interest_accrued_on_unpaid": fmt(self.accrued), "outstanding": fmt(self.outstanding)},
        }


def due_dates(plan: InstalmentPlan, warnings: list[dict[str, str]] | None = None) -> list[date]:
    """The due date of each instalment.

    Decision (issue 14 §3): an instalment due on a rest day **rolls** to the next working day.  Each
    instalment is a period of performance — SPC-DPI Art. 2 counts interest 「自每次履行期间届满之日起计算」 —
    and CC Art. 203 moves the last day of a period: 「期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日。」
    CC Art. 204 lets an agreement say otherwise (「但是法律另有规定或者当事人另有约定的除外」): ``roll: "none"``.
    Where the working-day calendar does not cover the year the nominal day is kept and a warning says
    the roll was not checked (give ``--calendar``); the day is never guessed to be a working day silently.
    """
    def one(start: date, months: int, unit: str) -> date:
        try:
            return period_end(start, months, unit, roll=plan.roll).due
        except CalendarNotCovered as exc:
            nominal = period_end(start, months, unit, roll="none").due
            if warnings is not None:
                warnings.append({"path": "instalment_plan.roll",
                                 "zh": f"到期日{nominal}：工作日历未覆盖该年，未能核对是否顺延（可用 --calendar 提供）：{exc}",
                                 "en": f"due {nominal}: the working-day calendar does not cover its year, so the rest-day roll "
                                       f"(CC 203) was not checked (give --calendar): {exc}"})
            return nominal

    if plan.dates is not None:
        return [one(d, 0, "day") for d in plan.dates]
    step = STEP_MONTHS[plan.frequency]
    return [one(plan.first_due, k * step, "month") for k in range(plan.count)]


def _check_eligibility(plan: InstalmentPlan, amount: Decimal, obligors: list[Any], jurisdiction: str, on: date,
                       store: ParameterStore, path: str) -> tuple[Decimal, list[TraceNode], list[dict[str, str]]]:
    """(cash deposit counted as paid, trace nodes, warnings); raises on ineligibility."""
    deposit = money_sum(to_fen(g.value.in_unit("元")) for g in plan.guarantees if g.kind == "cash_deposit" and g.effective)
    if plan.basis == "judgment":
        note = TraceNode(id="instalments.eligibility", kind="note", label={"zh": "分期履行由判决确定", "en": "Instalments fixed by judgment"},
                         note={"zh": "判决确定的分期，不再审查分期赔付条件", "en": "a court's schedule: eligibility not re-checked"})
        return deposit, [note], []
    problems = []
    warnings = []
    condition = store.lookup(CAPACITY, jurisdiction, on)
    required = condition.value == 1
    insufficient = plan.capacity is not None and plan.capacity.insufficient
    if required and not insufficient:
        problems.append(InputError(f"{path}.capacity.insufficient",
                                   f"true: instalments need insufficient capacity to pay ({condition.rule} 赔偿能力不足)",
                                   None if plan.capacity is None else False))
    covered = [o for o in obligors if plan.obligor in (None, o.id)]
    big = [o.id for o in covered if o.kind == "enterprise" and o.size in ("large", "medium")]
    if required and big:
        warnings.append({"path": f"{path}.obligor", "zh": f"{', '.join(big)} 非小微企业或个人（{condition.rule}“特别是小微企业或者个人”）",
                         "en": f"{', '.join(big)}: not a small/micro enterprise or individual ({condition.rule} names them in particular)"})
    cover = store.lookup(COVER, jurisdiction, on)
    deferred = max(amount - deposit, ZERO)
    needed = to_fen(exact_product(deferred, cover.value))
    other = money_sum(to_fen(g.value.in_unit("元")) for g in plan.guarantees if g.kind != "cash_deposit" and g.effective)
    if other < needed:
        problems.append(InputError(f"{path}.guarantees",
                                   f"effective guarantees (other than cash deposits) ≥ {fmt(needed)} 元 = deferred "
                                   f"{fmt(deferred)} × {cover.value} ([{cover.rule}] 全额有效财产担保)",
                                   f"{fmt(other)} 元, shortfall {fmt(needed - other)} 元"))
    if problems:
        raise InputError.collect(problems)
    node = TraceNode(
        id="instalments.eligibility", kind="decision", label={"zh": "分期赔付条件", "en": "Eligibility for instalments"},
        formula=("capacity insufficient ∧ " if required else "")
        + f"guarantees {fmt(other)} ≥ deferred {fmt(deferred)} × {cover.value}",
        inputs={"capacity": value_spec(capacity_text(plan), None, f"{path}.capacity",
                                       **({} if plan.capacity is None else {"basis": plan.capacity.basis})),
                "cash_deposit": value_spec(fmt(deposit), "元", f"{path}.guarantees (cash_deposit)"),
                "guarantees": value_spec(fmt(other), "元", f"{path}.guarantees")},
        result=value_spec("eligible"), rule=cover.rule, children=[parameter_node(CAPACITY, condition),
                                                               parameter_node("instalments.guarantee_coverage_min", cover)],
        note={"zh": "保证金视同赔偿金管理，计为已付", "en": "a cash deposit is managed as compensation: counted as paid"},
    )
    return deposit, [node], warnings


def capacity_text(plan: InstalmentPlan) -> str:
    """The stated capacity as the trace shows it: insufficient, sufficient or not stated."""
    if plan.capacity is None:
        return "not stated"
    return "insufficient" if plan.capacity.insufficient else "sufficient"


def build_schedule(plan: InstalmentPlan, payments: list[Payment], amount: Decimal, obligors: list[Any],
                   jurisdiction: str, on: date, store: ParameterStore, as_of: date | None = None,
                   path: str = "instalment_plan") -> Schedule:
    deposit, nodes, warnings = _check_eligibility(plan, amount, obligors, jurisdiction, on, store, path)
    deferred = max(amount - deposit, ZERO)
    dues = due_dates(plan, warnings)
    parts = allocate(deferred, [1] * len(dues))
    insts = [Instalment(k + 1, d, a) for k, (d, a) in enumerate(zip(dues, parts, strict=False))]

    rate_node = None
    rate: Decimal | None = None
    if plan.basis == "agreement":
        rate = plan.agreed_daily_rate
        if rate is None:
            warnings.append({"path": f"{path}.agreed_daily_rate",
                             "zh": "未经司法确认的协议不适用加倍迟延履行利息；协议未约定利率，不计利息",
                             "en": "an unconfirmed agreement bears no statutory doubled interest and sets no rate: none computed"})
        else:
            rate_node = TraceNode(id="instalments.rate", kind="input", label={"zh": "协议约定日利率", "en": "Agreed daily rate"},
                                  result=value_spec(rate, "1", f"{path}.agreed_daily_rate"))
    else:
        p = store.lookup(RATE, jurisdiction, on)
        rate, rate_node = p.value, parameter_node("instalments.rate", p)

    problems = []
    for i, pay in enumerate(payments):
        if pay.date < plan.agreement_date:
            problems.append(InputError(f"payments[{i}].date", f"a date on or after the agreement date {plan.agreement_date}",
                                       pay.date.isoformat()))
    if problems:
        raise InputError.collect(problems)
    if as_of is None:
        as_of = plan.as_of or max((p.date for p in payments), default=plan.agreement_date)
    interest_paid = ZERO
    order = sorted(range(len(payments)), key=lambda i: (payments[i].date, i))
    pay_nodes = []
    for i in order:
        pay = payments[i]
        if pay.date > as_of:
            continue
        left = to_fen(pay.amount.in_unit("元"))
        for inst in insts:
            if left == 0:
                break
            portion = min(inst.unpaid, left)
            if portion == 0:
                continue
            days = max((pay.date - inst.due).days, 0)
            interest = to_fen(exact_product(portion, rate, days)) if (rate is not None and days) else ZERO
            inst.paid += portion
            inst.interest += interest
            left -= portion
            inst.parts.append({"payment": i, "date": pay.date.isoformat(), "principal": fmt(portion),
                               "days_late": days, "interest": fmt(interest)})
            if days:
                pay_nodes.append(TraceNode(
                    id=f"instalments[{inst.number}].payments[{i}]", kind="formula",
                    label={"zh": f"第{inst.number}期迟延履行利息（{pay.date}付款）",
                           "en": f"Instalment {inst.number}: interest on the part paid {pay.date}"},
                    formula=f"P × r × days = {fmt(portion)} × {rate} × {days}",
                    inputs={"P": value_spec(fmt(portion), "元", f"payments[{i}].amount"),
                            "days": value_spec(days, "day", f"{pay.date} − {inst.due}")},
                    result=value_spec(fmt(interest), "元", rounding=ROUNDING_NOTE), rule="SPC-DPI-2",
                ))
        if left:
            owed_interest = money_sum(x.interest for x in insts) - interest_paid
            if left > owed_interest:
                raise InputError(f"payments[{i}].amount", f"at most {fmt(to_fen(pay.amount.in_unit('元')) - left + owed_interest)} 元 "
                                 f"(principal then interest still owed on {pay.date}: overpayment)", fmt(to_fen(pay.amount.in_unit("元"))))
            interest_paid += left
    for inst in insts:
        days = (as_of - inst.due).days
        if inst.unpaid and days > 0 and rate is not None:
            inst.accrued = to_fen(exact_product(inst.unpaid, rate, days))
            pay_nodes.append(TraceNode(
                id=f"instalments[{inst.number}].accrued", kind="formula",
                label={"zh": f"第{inst.number}期未付部分利息（计至{as_of}）",
                       "en": f"Instalment {inst.number}: interest on the unpaid part to {as_of}"},
                formula=f"P_unpaid × r × days = {fmt(inst.unpaid)} × {rate} × {days}",
                result=value_spec(fmt(inst.accrued), "元", rounding=ROUNDING_NOTE), rule="SPC-DPI-2",
            ))
    sched_node = TraceNode(
        id="instalments.schedule", kind="formula", label={"zh": "分期计划", "en": "Instalment schedule"},
        formula=f"allocate({fmt(deferred)}, {len(insts)} equal parts): largest remainder, odd fen to the earliest",
        inputs={f"#{x.number}": value_spec(fmt(x.amount), "元", due=x.due.isoformat()) for x in insts},
        result=value_spec(fmt(money_sum(x.amount for x in insts)), "元"), rule="CC-200-204",
    )
    interest_node = TraceNode(
        id="instalments.interest", kind="sum", label={"zh": "加倍部分债务利息", "en": "Doubled interest for delayed performance"},
        formula="Σ P × r × days (principal first, SPC-DPI-4)",
        result=value_spec(fmt(money_sum(x.interest for x in insts) + money_sum(x.accrued for x in insts)), "元"),
        rule="SPC-DPI-1", children=[*([rate_node] if rate_node else []), *pay_nodes],
        note={"zh": "自每期履行期间届满之日起计算；天数 = 付款日 − 到期日（政策默认）；先本金后利息（第四条）",
              "en": "from each instalment's due date; days = payment date − due date (policy default); principal first (Art. 4)"},
    )
    trace = TraceNode(id="instalments", kind="note", label={"zh": "分期赔付", "en": "Instalments"},
                      rule="JS-(十一)" if jurisdiction != "CN-SH" else "SH-8", children=[*nodes, sched_node, interest_node])
    return Schedule(amount, deposit, deferred, insts, rate, as_of, interest_paid, trace, bool(payments), warnings)
