"""Joint and several liability 连带责任 (Civil Code Arts. 178, 1168, 1171; shares by Art. 1231).

The case states that its obligors (two or more; all of them — a joint group within the obligors is not
modelled) are jointly and severally liable, on which ground and with what basis:
``joint_and_several: {ground, basis}``.  The grounds:

* ``joint_tort`` — CC-1168 「二人以上共同实施侵权行为，造成他人损害的，应当承担连带责任。」
* ``each_sufficient`` — CC-1171 「二人以上分别实施侵权行为造成同一损害，每个人的侵权行为都足以造成全部损害的，行为人承担连带责任。」
* ``agreement`` — CC-178 para. 3 「连带责任，由法律规定或者当事人约定。」 (the parties' agreement).

Effect, CC-178 paras. 1–2: the rights holder may claim the whole from any of them (「权利人有权请求部分或者
全部连带责任人承担责任」), so each owes the rights holder up to the whole compensation (the CC-1235
ledger total); among themselves 「连带责任人的责任份额根据各自责任大小确定；难以确定责任大小的，平均承担
责任。实际承担责任超过自己责任份额的连带责任人，有权向其他连带责任人追偿。」  The internal shares are the
obligors' stated shares or quantities (CC-1231's factors, given by the user), else equal; they are split to
the fen by :func:`factors.money.allocate` (largest remainder, the odd fen to the obligor listed first).
For each obligor the output gives its internal amount and what it could recover if it paid the whole.

The punitive award is not part of the joint amount here (it is apportioned by :mod:`assess.law.punitive`):
whether joint liability extends to it is not settled by these articles — our reading, stated.  Before
2021-01-01 the Civil Code was not in force: the earlier texts (the Tort Liability Law, the General Rules of
Civil Law) are not recorded in ``data/``, so the output says so and shows the Code's rule as information.
Texts: ``data/rules.toml`` (CC-178, CC-1168, CC-1171, CC-1231).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field

from assess.law.punitive import obligor_weights
from assess.law.valuation.base import StrictModel
from factors.money import allocate, fmt
from factors.trace import TraceNode, value_spec

CIVIL_CODE = date(2021, 1, 1)
GROUND_RULE = {"joint_tort": "CC-1168", "each_sufficient": "CC-1171", "agreement": "CC-178"}
GROUND_LABEL = {
    "joint_tort": {"zh": "共同实施侵权行为（民法典第一千一百六十八条）", "en": "a joint tort (CC Art. 1168)"},
    "each_sufficient": {"zh": "分别侵权、每人均足以造成全部损害（民法典第一千一百七十一条）",
                        "en": "separate torts, each sufficient for the whole damage (CC Art. 1171)"},
    "agreement": {"zh": "当事人约定（民法典第一百七十八条第三款）", "en": "the parties' agreement (CC Art. 178 para. 3)"},
}


class JointAndSeveral(StrictModel):
    """Two or more obligors jointly and severally liable 连带责任 (CC Arts. 178, 1168, 1171)."""

    ground: Literal["joint_tort", "each_sufficient", "agreement"] = Field(
        description="连带责任的依据 joint_tort (CC 1168), each_sufficient (CC 1171) or agreement (CC 178)")
    basis: str = Field(min_length=1, description="认定依据 The judgment, agreement or finding relied on")


def joint_problems(case: Any) -> list[tuple[str, str, object]]:
    """``joint_and_several`` needs two or more obligors."""
    if getattr(case, "joint_and_several", None) is None or len(case.obligors) >= 2:
        return []
    return [("joint_and_several", "a case with two or more obligors (二人以上, CC Arts. 178, 1168, 1171)",
             f"{len(case.obligors)} obligor(s)")]


@dataclass
class JointLine:
    obligor: str
    name: str
    owes_up_to: Decimal          # to the rights holder: the whole (CC-178 para. 1)
    internal: Decimal            # its share among the joint obligors (CC-178 para. 2), to the fen
    recourse_if_pays_whole: Decimal

    def to_dict(self) -> dict[str, Any]:
        return {"obligor": self.obligor, "name": self.name, "owes_rights_holder_up_to": fmt(self.owes_up_to),
                "internal_share": fmt(self.internal), "recourse_if_pays_whole": fmt(self.recourse_if_pays_whole)}


@dataclass
class Joint:
    ground: str
    rule: str
    basis: str
    amount: Decimal
    weights_from: str
    lines: list[JointLine]
    trace: TraceNode
    warnings: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"ground": self.ground, "rule": self.rule, "basis": self.basis, "amount": fmt(self.amount),
                "internal_shares_from": self.weights_from, "obligors": [x.to_dict() for x in self.lines]}


def build_joint(case: Any, amount: Decimal, on: date) -> Joint | None:
    """The joint and several liability of ``case`` over ``amount`` (the CC-1235 total), judged on ``on``."""
    j = getattr(case, "joint_and_several", None)
    if j is None:
        return None
    obligors = list(case.obligors)
    weights, how = obligor_weights(obligors)
    parts = allocate(amount, weights)
    lines = [JointLine(o.id, o.name, amount, part, amount - part) for o, part in zip(obligors, parts, strict=True)]
    rule = GROUND_RULE[j.ground]
    warnings: list[dict[str, str]] = []
    pre_code = on < CIVIL_CODE
    if pre_code:
        warnings.append({"path": "joint_and_several",
                         "zh": f"适用日期 {on} 早于《民法典》施行（2021-01-01）：当时的连带责任规定（侵权责任法、民法总则）未收录，"
                               "下列按民法典规则列示，仅供参考",
                         "en": f"the governing date {on} is before the Civil Code (2021-01-01): the joint-liability rules then in "
                               "force (Tort Liability Law, General Rules of Civil Law) are not recorded; shown under the Code "
                               "for information"})
    children = [
        TraceNode(id="joint.ground", kind="decision", label={"zh": "连带责任的依据", "en": "Ground of joint liability"},
                  inputs={"ground": value_spec(j.ground, None, "joint_and_several.ground"),
                          "basis": value_spec(j.basis, None, "joint_and_several.basis")},
                  result=value_spec(GROUND_LABEL[j.ground]["zh"]), rule=rule,
                  note={"zh": f"认定依据：{j.basis}", "en": f"basis: {j.basis}"}),
    ]
    for x in lines:
        children.append(TraceNode(
            id=f"joint.{x.obligor}", kind="formula", label={"zh": f"{x.name}：内部份额", "en": f"{x.name}: internal share"},
            formula=f"allocate({fmt(amount)}, weights) → {fmt(x.internal)}; recourse if it pays the whole = "
                    f"{fmt(amount)} − {fmt(x.internal)}",
            result=value_spec(fmt(x.internal), "元", recourse_if_pays_whole=fmt(x.recourse_if_pays_whole)),
            rule="CC-178",
            note={"zh": "对外可被请求承担全部；内部按份额分担，超过自己份额的可向其他连带责任人追偿",
                  "en": "liable to the rights holder for the whole; internally by share, with recourse for what it pays "
                        "beyond its share"}))
    trace = TraceNode(
        id="joint", kind="note", label={"zh": "连带责任", "en": "Joint and several liability"},
        inputs={"amount": value_spec(fmt(amount), "元", "ledger.total"),
                "weights": value_spec(how["source"], None)},
        result=value_spec(fmt(amount), "元"), rule="CC-178", children=children,
        note={"zh": "内部份额按各自责任大小（义务人份额或数量，民法典第一千二百三十一条所列因素由使用者给出）确定，难以确定的平均承担；"
                    "惩罚性赔偿不计入连带金额（本软件的解读）",
              "en": "internal shares by each one's responsibility (the obligors' shares or quantities; CC Art. 1231's factors, "
                    "given by the user), equal where it cannot be determined; the punitive award is not in the joint "
                    "amount (our reading)"})
    return Joint(j.ground, rule, j.basis, amount, how["source"], lines, trace, warnings)


__all__ = ["JointAndSeveral", "Joint", "JointLine", "build_joint", "joint_problems", "GROUND_RULE"]
