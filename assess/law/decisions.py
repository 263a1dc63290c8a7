"""Decisions on thresholds 门槛判断: the comparison with the operator stored in the data, its trace node,
and the wording when a jurisdiction has no rule.  Shared by routing and deadlines (CC-1259: 以上/以下/以内
include the number, 超过/不满 exclude it; the operator lives in ``data/``, never in code).
"""

from __future__ import annotations

from typing import Any

from factors.errors import RuleNotApplicable, RuleNotInForce
from factors.store import OP_WORDING, Param
from factors.trace import TraceNode, parameter_node, value_spec


def no_rule_text(name: str, jurisdiction: str, exc: RuleNotInForce) -> dict[str, str]:
    """Wording when a jurisdiction has no value for ``name``: not applicable there, or no rule recorded."""
    if isinstance(exc, RuleNotApplicable):
        return {"zh": f"本法域不适用：{exc}", "en": f"not applicable in this jurisdiction: {exc}"}
    if jurisdiction == "CN":
        return {"zh": f"未记录国家层面的规定（{name}）；仅江苏或上海规则有此规定",
                "en": f"no national rule recorded ({name}); only the Jiangsu or Shanghai rules have one"}
    return {"zh": f"{jurisdiction} 未记录此项规定（{name}），国家层面亦无记录",
            "en": f"no rule recorded in {jurisdiction} ({name}), nor nationally"}



def compare(amount: Any, op: str, threshold: Any) -> bool:
    """``amount op threshold`` with the operator stored in the data (CC-1259 wording in OP_WORDING)."""
    return {"<=": amount <= threshold, "<": amount < threshold, ">=": amount >= threshold, ">": amount > threshold}[op]


def decision_node(node_id: str, label: dict[str, str], amount: Any, source: str, param: Param, holds: bool,
                  unit: str | None, outcome: dict[str, str], children: list[TraceNode] | None = None) -> TraceNode:
    """A ``decision`` node: ``amount`` compared with ``param`` by the op in the data, in CC-1259 words."""
    w = OP_WORDING[param.op]
    u = f" {unit}" if unit else ""
    yes = {"zh": "成立", "en": "holds"} if holds else {"zh": "不成立", "en": "does not hold"}
    return TraceNode(
        id=node_id, kind="decision", label=label,
        formula=f"{amount}{u} {param.op} {param.value}{u}",
        inputs={"amount": value_spec(amount, unit, source),
                "threshold": value_spec(param.value, None if param.unit == "1" else param.unit, param.name)},
        result={"value": str(holds).lower()}, rule=param.rule,
        note={"zh": f"{amount}{u} {w['zh']} {param.value}{u}：{yes['zh']}。{outcome['zh']}",
              "en": f"{amount}{u} {w['en']} {param.value}{u}: {yes['en']}. {outcome['en']}"},
        children=[parameter_node(f"{node_id}.threshold", param), *(children or [])],
    )

