"""Alternative restoration 替代修复 and credits 抵扣 against the amount owed (SH-27; JS-(十一)).

* **Alternative restoration** (SH-27: 异地补植、营造动植物栖息地、认购碳汇、劳务代偿、技改抵扣) is for
  damage that cannot be restored: each measure is recorded with its equivalent value (等量恢复) and
  the basis of that value.  Its total offsets the **unrepairable damage** lines (destination
  ``treasury``, :mod:`assess.law.funds`) in ledger order, up to their amount.  Where it falls short,
  the **shortfall is still owed** (JS-(十一): 采取替代修复或其他赔偿方式不足以弥补……要缴纳未履行或未完全
  履行的修复费用或赔偿资金).  A value above the unrepairable damage is not carried elsewhere.
* **Credits** ordered by a court or agreed (e.g. a share of a technology-upgrade investment credited
  up to a cap): ``credited = min(round_fen(base_amount × rate), cap)``, only once the conditions are
  met (``met_on``, no later than ``deadline`` if one is set); otherwise listed as pending with 0
  credited.  Each credit reduces the lines of its ``against`` destination in order, never below 0.

Gross → each offset and credit → net, to the fen: ``net = gross − offsets − credits``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field

from assess.law.funds import FundLine
from assess.law.quantities import Money
from assess.law.valuation.base import StrictModel
from factors.money import ROUNDING_NOTE, exact_product, fmt, money_sum, to_fen
from factors.trace import TraceNode, value_spec

AltKind = Literal["off_site_planting", "habitat_creation", "carbon_sink_purchase", "labour_in_lieu",
                  "technology_upgrade_offset"]
ALT_LABEL = {
    "off_site_planting": {"zh": "异地补植", "en": "off-site planting"},
    "habitat_creation": {"zh": "营造动植物栖息地", "en": "habitat creation"},
    "carbon_sink_purchase": {"zh": "认购碳汇", "en": "carbon-sink purchase"},
    "labour_in_lieu": {"zh": "劳务代偿", "en": "labour in lieu"},
    "technology_upgrade_offset": {"zh": "技改抵扣", "en": "technology-upgrade offset"},
}


class AlternativeRestoration(StrictModel):
    """An alternative-restoration measure and its equivalent value (SH-27)."""

    id: str = Field(min_length=1)
    kind: AltKind
    description: str = Field(min_length=1)
    equivalent_value: Money
    basis: str = Field(min_length=1, description="How the equivalent value was fixed (等量恢复的依据)")


class Credit(StrictModel):
    """A court- or agreement-ordered credit against the amount owed."""

    id: str = Field(min_length=1)
    label: str = Field(min_length=1)
    ordered_by: Literal["court", "agreement"]
    document: str = Field(min_length=1, description="Judgment or agreement clause that orders the credit")
    base_amount: Money = Field(description="Amount the credit is computed from (e.g. the investment made)")
    rate: Decimal = Field(default=Decimal(1), ge=0, le=1, description="Fraction of base_amount credited")
    cap: Money | None = Field(default=None, description="Most that may be credited")
    conditions: str = Field(min_length=1)
    deadline: date | None = None
    met_on: date | None = Field(default=None, description="Date the conditions were met (none: pending)")
    against: Literal["treasury", "restoration_fund", "department_recovery"] = "treasury"


@dataclass
class Applied:
    """One offset or credit as applied: what it was worth, what was credited, and why."""

    id: str
    kind: str
    value: Decimal
    credited: Decimal
    status: str
    trace: TraceNode

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "value": fmt(self.value), "credited": fmt(self.credited),
                "status": self.status}


def _reduce(lines: list[FundLine], amount: Decimal) -> Decimal:
    """Take ``amount`` off ``lines`` in order (never below 0); returns what was taken."""
    taken = Decimal("0.00")
    for line in lines:
        take = max(min(line.net, amount - taken), Decimal("0.00"))   # a negative 尾数调整 line is never taken from
        line.net -= take
        taken += take
    return taken


def apply_alternatives(alts: list[AlternativeRestoration], lines: list[FundLine], rule: str,
                       path: str = "alternative_restoration") -> tuple[list[Applied], Decimal]:
    """Offset unrepairable damage by alternative restoration; returns (applied, shortfall still owed)."""
    target = [x for x in lines if x.kind == "damage" and x.destination == "treasury"]
    owed = money_sum(x.net for x in target)
    applied = []
    for i, a in enumerate(alts):
        value = to_fen(a.equivalent_value.in_unit("元"))
        credited = _reduce(target, value)
        status = "offset" if credited == value else ("partly offset" if credited else "nothing to offset")
        applied.append(Applied(a.id, a.kind, value, credited, status, TraceNode(
            id=f"alternative.{a.id}", kind="formula",
            label={"zh": f"替代修复：{ALT_LABEL[a.kind]['zh']}（{a.description}）",
                   "en": f"Alternative restoration: {ALT_LABEL[a.kind]['en']} ({a.description})"},
            formula="min(equivalent_value, unrepairable damage still owed)",
            inputs={"equivalent_value": a.equivalent_value.spec(f"{path}[{i}].equivalent_value")},
            result=value_spec(fmt(credited), "元", rounding=ROUNDING_NOTE), rule="SH-27",
            note={"zh": f"等量依据：{a.basis}", "en": f"equivalence basis: {a.basis}"},
        )))
    shortfall = money_sum(x.net for x in target)
    if alts and owed:
        applied.append(Applied("shortfall", "shortfall", shortfall, Decimal("0.00"), "still owed", TraceNode(
            id="alternative.shortfall", kind="formula", label={"zh": "替代修复不足部分（仍须缴纳）", "en": "Shortfall still owed"},
            formula=f"{fmt(owed)} − {fmt(money_sum(a.credited for a in applied))}", result=value_spec(fmt(shortfall), "元"),
            rule=rule,
            note={"zh": "采取替代修复或其他赔偿方式不足以弥补其对生态环境造成的损害的，要缴纳未履行或未完全履行的修复费用或赔偿资金",
                  "en": "where alternative restoration falls short, the unperformed cost or compensation is still paid"},
        )))
    return applied, shortfall


def apply_credits(credits: list[Credit], lines: list[FundLine], path: str = "credits") -> list[Applied]:
    applied = []
    for i, c in enumerate(credits):
        cp = f"{path}[{i}]"
        exact = exact_product(c.base_amount.in_unit("元"), c.rate)
        value = to_fen(exact)
        cap = to_fen(c.cap.in_unit("元")) if c.cap is not None else None
        capped = min(value, cap) if cap is not None else value
        if c.met_on is None:
            status, credited = "pending: conditions not met", Decimal("0.00")
        elif c.deadline is not None and c.met_on > c.deadline:
            status, credited = f"lapsed: conditions met {c.met_on} after the deadline {c.deadline}", Decimal("0.00")
        else:
            credited = _reduce([x for x in lines if x.destination == c.against], capped)
            status = "credited" if credited == capped else "credited up to the amount owed"
        inputs = {"base_amount": c.base_amount.spec(f"{cp}.base_amount"), "rate": value_spec(c.rate, "1", f"{cp}.rate")}
        if c.cap is not None:
            inputs["cap"] = c.cap.spec(f"{cp}.cap")
        applied.append(Applied(c.id, c.ordered_by, capped, credited, status, TraceNode(
            id=f"credit.{c.id}", kind="formula", label={"zh": f"抵扣：{c.label}", "en": f"Credit: {c.label}"},
            formula="min(round(base_amount × rate), cap)" if cap is not None else "round(base_amount × rate)",
            inputs=inputs, result=value_spec(fmt(credited), "元", exact=str(exact.normalize()), status=status),
            note={"zh": f"{'法院判决' if c.ordered_by == 'court' else '协议'}：{c.document}；条件：{c.conditions}"
                        + (f"；期限 {c.deadline}" if c.deadline else "") + (f"；满足日 {c.met_on}" if c.met_on else "；尚未满足"),
                  "en": f"{c.ordered_by}: {c.document}; conditions: {c.conditions}"
                        + (f"; deadline {c.deadline}" if c.deadline else "") + (f"; met {c.met_on}" if c.met_on else "; not yet met")},
        )))
    return applied
