"""Liability 责任: from the ledger to what is owed and where it goes.

``gross = ledger total (CC-1235) + punitive award`` → alternative-restoration offsets (SH-27; the
shortfall still owed, JS-(十一)) → credits → ``net``, each step to the fen, with the destination of
every amount (JS-(十二) / SH-34, :mod:`assess.law.funds`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from assess.law.credits import Applied, apply_alternatives, apply_credits
from assess.law.funds import DESTINATIONS, FundLine, fund_lines, funds_rule, totals
from assess.law.joint import Joint, build_joint
from assess.law.punitive import PunitiveResult, compute_punitive
from factors.money import fmt, money_sum
from factors.trace import TraceNode, value_spec


@dataclass
class Liability:
    compensation: Decimal            # the CC-1235 ledger total
    punitive: PunitiveResult | None
    gross: Decimal
    alternatives: list[Applied]
    shortfall: Decimal
    credits: list[Applied]
    net: Decimal
    funds: list[FundLine]
    trace: TraceNode
    warnings: list[dict[str, str]] = field(default_factory=list)
    joint: Joint | None = None       # joint and several liability 连带责任 (CC-178), when the case states it

    def to_dict(self) -> dict[str, Any]:
        out = {
            "compensation": fmt(self.compensation),
            "punitive": self.punitive.to_dict() if self.punitive else None,
            "gross": fmt(self.gross),
            "alternative_restoration": [a.to_dict() for a in self.alternatives],
            "shortfall_still_owed": fmt(self.shortfall),
            "credits": [c.to_dict() for c in self.credits],
            "net_owed": fmt(self.net),
            "funds": {"lines": [x.to_dict() for x in self.funds], "by_destination": totals(self.funds)},
        }
        if self.joint is not None:
            out["joint_and_several"] = self.joint.to_dict()
        return out


def needs_liability(case: Any) -> bool:
    return bool(case.punitive or case.alternative_restoration or case.credits or case.instalment_plan
                or getattr(case, "joint_and_several", None))


def build_liability(case: Any, ledger: Any, ctx: Any) -> Liability:
    punitive = None
    if case.punitive is not None:
        punitive = compute_punitive(case.punitive, ledger.punitive_base, case.obligors, ctx.jurisdiction, ctx.on, ctx.store)
    award = punitive.award if punitive else Decimal("0.00")
    gross = ledger.total + award
    lines = fund_lines(case, ledger, award)
    damage_rule, _ = funds_rule(case.jurisdiction)
    alts, shortfall = apply_alternatives(list(case.alternative_restoration), lines, "JS-(十一)")
    credits = apply_credits(list(case.credits), lines)
    net = money_sum(x.net for x in lines)
    offsets = money_sum(a.credited for a in alts) + money_sum(c.credited for c in credits)
    assert net == gross - offsets, "liability: offsets do not reconcile"
    gross_node = TraceNode(
        id="liability.gross", kind="sum", label={"zh": "应赔总额（含惩罚性赔偿）", "en": "Gross amount (incl. punitive)"},
        formula=f"{fmt(ledger.total)} + {fmt(award)}", result=value_spec(fmt(gross), "元"), rule="CC-1235",
        children=[punitive.trace] if punitive else [],
    )
    fund_nodes = [TraceNode(
        id=f"funds.{x.source}", kind="note", label={"zh": f"{x.source} → {DESTINATIONS[x.destination]['zh']}",
                                                  "en": f"{x.source} → {DESTINATIONS[x.destination]['en']}"},
        result=value_spec(fmt(x.net), "元", gross=fmt(x.gross)), rule=x.rule,
        note=x.note,
    ) for x in lines]
    funds_node = TraceNode(id="liability.funds", kind="note", label={"zh": "资金去向", "en": "Where the money goes"},
                           rule=damage_rule, children=fund_nodes)
    trace = TraceNode(
        id="liability.net", kind="formula", label={"zh": "应付净额", "en": "Net amount owed"},
        formula=f"gross − alternative restoration − credits = {fmt(gross)} − {fmt(offsets)}",
        result=value_spec(fmt(net), "元"),
        children=[gross_node, *(a.trace for a in alts), *(c.trace for c in credits), funds_node],
    )
    warnings = list(punitive.warnings) if punitive else []
    joint = build_joint(case, ledger.total, ctx.on)   # on the punitive (substantive) date: the tort's own date
    if joint is not None:
        trace.children.append(joint.trace)
        warnings += joint.warnings
    if case.alternative_restoration and not any(x.kind == "damage" and x.destination == "treasury" for x in lines):
        warnings.append({"path": "alternative_restoration", "zh": "无不可修复损害可供替代修复抵扣（上海第二十七条）",
                         "en": "no unrepairable damage for alternative restoration to offset (SH-27)"})
    return Liability(ledger.total, punitive, gross, alts, shortfall, credits, net, lines, trace, warnings, joint)
