"""Decisions on thresholds 门槛判断: the comparison with the operator stored in the data, its trace node,
and the wording when a jurisdiction has no rule.  Shared by routing and deadlines; the comparison
itself lives in :mod:`factors.thresholds` (:func:`~factors.thresholds.compare` for one value,
:func:`~factors.thresholds.compare_array` for arrays).  CC-1259: 以上/以下/以内 include the number,
超过/不满 exclude it; the operator lives in ``data/``, never in code.
"""

from __future__ import annotations

from typing import Any

from factors.errors import RuleNotApplicable, RuleNotInForce
from factors.i18n import label
from factors.store import OP_WORDING, Param
from factors.trace import TraceNode, parameter_node, value_spec


def no_rule_text(name: str, jurisdiction: str, exc: RuleNotInForce) -> dict[str, str]:
    """Wording when a jurisdiction has no value for ``name``: not applicable there, or no rule recorded."""
    if isinstance(exc, RuleNotApplicable):
        return label("law", "not applicable in this jurisdiction: {error}", error=str(exc))
    if jurisdiction == "CN":
        return label("law", "no national rule recorded ({name}); only the Jiangsu or Shanghai rules have one", name=name)
    return label("law", "no rule recorded in {jurisdiction} ({name}), nor nationally", jurisdiction=jurisdiction, name=name)


def decision_node(node_id: str, node_label: dict[str, str], amount: Any, source: str, param: Param, holds: bool,
                  unit: str | None, outcome: dict[str, str], children: list[TraceNode] | None = None) -> TraceNode:
    """A ``decision`` node: ``amount`` compared with ``param`` by the op in the data, in CC-1259 words."""
    w = OP_WORDING[param.op]
    u = f" {unit}" if unit else ""
    yes = label("law", "holds") if holds else label("law", "does not hold")
    return TraceNode(
        id=node_id, kind="decision", label=node_label,
        formula=f"{amount}{u} {param.op} {param.value}{u}",
        inputs={"amount": value_spec(amount, unit, source),
                "threshold": value_spec(param.value, None if param.unit == "1" else param.unit, param.name)},
        result={"value": str(holds).lower()}, rule=param.rule,
        note=label("law", "{amount} {op} {value}: {verdict}. {outcome}", amount=f"{amount}{u}", op=w, value=f"{param.value}{u}",
                   verdict=yes, outcome=outcome),
        children=[parameter_node(f"{node_id}.threshold", param), *(children or [])],
    )

