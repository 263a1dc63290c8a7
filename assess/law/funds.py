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

Category (2) money — loss from **permanent** damage to ecological functions — always goes to the
treasury, whatever the item's ``restorable`` flag says: it is unrepairable by definition (JS-(十二)
「对生态环境损害无法修复的案件，赔偿资金……全额上缴本级国库」; SH-34 「生态环境损害无法修复的……全额上交同级国库」;
CC Art. 1235 (二) 「生态环境功能永久性损害造成的损失」).

The punitive award goes to the treasury by the Budget Law, Art. 56 (article number per the legal
review of issue 14; text second-hand): 「政府的全部收入应当上缴国家金库，任何部门、单位和个人不得截留、占用、挪用或者拖欠。」
— the award is collected by the rights holder, a government, so it is government revenue.  The split is by
line item, not by case (the seeds speak of 可以修复的案件 / 无法修复的案件: a case with both kinds is
split item by item — our reading).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np

from factors.money import fmt, money_sum

DESTINATIONS: dict[str, dict[str, str]] = {
    "restoration_fund": {"zh": "修复资金（赔偿义务人或受委托第三方管理，专用于修复）",
                         "en": "restoration funds (managed by the obligor or the restoring third party)"},
    "treasury": {"zh": "全额上缴本级国库（非税收入，纳入一般公共预算）",
                 "en": "paid in full into the same-level treasury (non-tax revenue, general public budget)"},
    "department_recovery": {"zh": "先行支出费用的部门（机构）追偿", "en": "recovered by the department that advanced the costs"},
}


def damage_to_treasury(permanent: Any, restorable: Any) -> np.ndarray:
    """Damage lines that go to the treasury (else to restoration funds), on arrays (one line: arrays of length
    one): category (2) permanent loss always, any other line when its item cannot be restored (JS-(十二);
    SH-34; CC Art. 1235 (二))."""
    return np.asarray(permanent, bool) | ~np.asarray(restorable, bool)


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
    policy: bool = False   # destination by our policy default (none at present)
    note: dict[str, str] | None = None   # why this destination, when it is not the obvious one

    def to_dict(self) -> dict[str, Any]:
        out = {"source": self.source, "kind": self.kind, "category": self.category, "destination": self.destination,
               "rule": self.rule, "gross": fmt(self.gross), "net": fmt(self.net), "policy_default": self.policy}
        if self.note:
            out["note"] = self.note
        return out


#: Why a permanent-loss line goes to the treasury even when its item says ``restorable: true``.
PERMANENT_NOTE = {"zh": "第（二）项永久性损害损失无法修复，全额上缴国库（不论损害项 restorable 如何填写）",
                  "en": "category (2) permanent loss is unrepairable by definition: treasury, whatever the item's restorable flag"}
#: The punitive award: Budget Law Art. 56 (text second-hand; article number per the legal review).
PUNITIVE_NOTE = {"zh": "惩罚性赔偿金为政府收入：政府的全部收入应当上缴国家金库（《预算法》第五十六条）",
                 "en": "a punitive award is government revenue: all government revenue goes to the state treasury (Budget Law Art. 56)"}


#: The 尾数调整 of a total rounded to a stated step (assess/law/rounding.py).
ADJUSTMENT_NOTE = {"zh": "尾数调整随金额最大的清单项确定去向（本软件的政策默认值）",
                   "en": "the rounding adjustment goes where the largest ledger line goes (this software's policy default)"}


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
            permanent = li.category == "permanent_loss"
            dest = "treasury" if damage_to_treasury([permanent], [item.restorable])[0] else "restoration_fund"
            out.append(FundLine(li.id, "damage", li.category, dest, damage_rule, li.amount, li.amount,
                                note=PERMANENT_NOTE if (permanent and item.restorable) else None))
        else:
            out.append(FundLine(li.id, "cost", li.category, "department_recovery", cost_rule, li.amount, li.amount))
    adj = getattr(ledger, "adjustment", Decimal("0.00"))
    if adj and out:   # a total rounded to a stated step: the 尾数调整 follows the largest line (policy default)
        largest = max(out, key=lambda x: x.gross)
        out.append(FundLine("rounding_adjustment", "rounding", None, largest.destination, largest.rule, adj, adj,
                            policy=True, note=ADJUSTMENT_NOTE))
    if punitive_award:
        out.append(FundLine("punitive", "punitive", None, "treasury", "BL-56", punitive_award, punitive_award,
                            note=PUNITIVE_NOTE))
    return out


def totals(lines: list[FundLine]) -> dict[str, dict[str, str]]:
    return {d: {"gross": fmt(money_sum(x.gross for x in lines if x.destination == d)),
                "net": fmt(money_sum(x.net for x in lines if x.destination == d))}
            for d in DESTINATIONS}
