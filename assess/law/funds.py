"""Where the money goes 资金去向 (JS-(十二); SH-34).

Each amount owed is given a destination:

* ``restoration_fund`` — damage that **can be restored** (damage item ``restorable: true``): restoration
  funds managed by the obligor or the third party doing the restoration, used per the agreement or
  judgment (JS-(十二) para. 2; SH-27);
* ``treasury`` — damage that **cannot be restored** (``restorable: false``): collected by the
  department and paid in full into the same-level treasury as non-tax revenue in the general public
  budget (JS-(十二) para. 2; SH-34 para. 2);
* ``department_recovery`` — costs recorded as cost items (category 3 investigation and assessment,
  and categories 4–5 costs already incurred): recovered from the obligor by whoever advanced them,
  the department for costs it advanced (SH-34 para. 1; SH-28 para. 2).

The punitive award goes to the treasury: no text seen fixes its destination, so this is a
``policy_default`` reading (a punitive award restores nothing) shown in the trace.  The split is by
line item, not by case (the seeds speak of 可以修复的案件 / 无法修复的案件: a case with both kinds is
split item by item — our reading).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from factors.money import fmt, money_sum

DESTINATIONS: dict[str, dict[str, str]] = {
    "restoration_fund": {"zh": "修复资金（赔偿义务人或受委托第三方管理，专用于修复）",
                         "en": "restoration funds (managed by the obligor or the restoring third party)"},
    "treasury": {"zh": "全额上缴本级国库（非税收入，纳入一般公共预算）",
                 "en": "paid in full into the same-level treasury (non-tax revenue, general public budget)"},
    "department_recovery": {"zh": "先行支出费用的部门（机构）追偿", "en": "recovered by the department that advanced the costs"},
}


@dataclass
class FundLine:
    """One amount owed and its destination; ``net`` falls as offsets and credits are applied."""

    source: str            # ledger item id, or "punitive"
    kind: str              # "damage", "cost", "punitive"
    category: str | None
    destination: str
    rule: str
    gross: Decimal
    net: Decimal
    policy: bool = False   # destination by our policy default (punitive award)

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "kind": self.kind, "category": self.category, "destination": self.destination,
                "rule": self.rule, "gross": fmt(self.gross), "net": fmt(self.net), "policy_default": self.policy}


def funds_rule(jurisdiction: str) -> tuple[str, str]:
    """(rule for damage destinations, rule for advanced costs) in ``jurisdiction``."""
    if jurisdiction == "CN-SH":
        return "SH-34", "SH-34"
    return "JS-(十二)", "JS-(十二)"


def fund_lines(case: Any, ledger: Any, punitive_award: Decimal | None) -> list[FundLine]:
    """The destination of every counted ledger line, plus the punitive award."""
    damage_rule, cost_rule = funds_rule(case.jurisdiction)
    by_path = {f"damage_items[{i}]": item for i, item in enumerate(case.damage_items)}
    out: list[FundLine] = []
    for li in ledger.items():
        if not li.counted:
            continue
        item = by_path.get(li.source)
        if item is not None:
            dest = "restoration_fund" if item.restorable else "treasury"
            out.append(FundLine(li.id, "damage", li.category, dest, damage_rule, li.amount, li.amount))
        else:
            out.append(FundLine(li.id, "cost", li.category, "department_recovery", cost_rule, li.amount, li.amount))
    if punitive_award:
        out.append(FundLine("punitive", "punitive", None, "treasury", "POLICY", punitive_award, punitive_award, policy=True))
    return out


def totals(lines: list[FundLine]) -> dict[str, dict[str, str]]:
    return {d: {"gross": fmt(money_sum(x.gross for x in lines if x.destination == d)),
                "net": fmt(money_sum(x.net for x in lines if x.destination == d))}
            for d in DESTINATIONS}
