"""Findings 程序检查结论: what a rule without a number decides on a case's facts and dated events.

A :class:`Finding` names the rule, the outcome code (``status``), the reason in Chinese and English, the
rule's verbatim quote (from ``data/duties.toml``), and the items it lists with their state (documents
present or missing, items published or not, amounts of recourse).  Findings appear in the result only
when the case holds the facts or events the rule speaks about.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from factors.duties import Duty

#: Outcome codes and their words (zh, en).
STATUS = {
    "in_scope": {"zh": "属于适用范围", "en": "within the scope"},
    "conditions_met": {"zh": "条件已具备", "en": "conditions met"},
    "started_early_on_request": {"zh": "应义务人提议先行启动", "en": "started early at the obligor's request"},
    "premature": {"zh": "条件未具备即开始", "en": "started before its conditions were met"},
    "not_yet": {"zh": "条件尚未具备", "en": "conditions not yet met"},
    "cannot_check": {"zh": "无法核对", "en": "cannot check"},
    "due": {"zh": "应当进行", "en": "due"},
    "done": {"zh": "已完成", "en": "done"},
    "continue_restoration": {"zh": "评估未通过，继续修复", "en": "evaluation failed: restoration continues"},
    "may_apply_for_confirmation": {"zh": "可申请司法确认", "en": "judicial confirmation may be applied for"},
    "binding": {"zh": "具有强制执行力", "en": "enforceable on non-performance"},
    "performed": {"zh": "已履行", "en": "performed"},
    "enforceable": {"zh": "可申请强制执行", "en": "enforcement may be applied for"},
    "sue": {"zh": "可提起诉讼", "en": "a suit may be filed"},
    "listed": {"zh": "已列入失信被执行人名单", "en": "entered in the dishonest judgment-debtor list"},
    "to_be_listed": {"zh": "依法列入失信被执行人名单", "en": "to be entered in the dishonest judgment-debtor list"},
    "mitigating": {"zh": "从轻、减轻或者免予处理的情节", "en": "a mitigating circumstance"},
    "complete": {"zh": "齐全", "en": "complete"},
    "incomplete": {"zh": "不全", "en": "incomplete"},
    "usable": {"zh": "可以使用", "en": "usable"},
    "not_usable": {"zh": "不符合使用条件", "en": "not usable as it stands"},
    "assumed": {"zh": "一人承担全部责任", "en": "one obligor assumes the whole liability"},
    "not_applicable": {"zh": "不适用", "en": "not applicable"},
    "no_rule": {"zh": "未记录此项规定", "en": "no rule recorded"},
}

#: States of the items a finding lists (conditions, materials, publications, reports).
ITEM_STATES = {
    "met": {"zh": "已具备", "en": "met"},
    "missing": {"zh": "缺少", "en": "missing"},
    "after_step": {"zh": "晚于该步骤", "en": "only after the step"},
    "present": {"zh": "已归档", "en": "in the file"},
    "not_yet_due": {"zh": "尚未发生", "en": "not yet due"},
    "published": {"zh": "已公开", "en": "published"},
    "to_publish": {"zh": "应当公开", "en": "to be published"},
    "usable": {"zh": "可以使用", "en": "usable"},
    "not_usable": {"zh": "不符合使用条件", "en": "not usable"},
    "cannot_check": {"zh": "无法判断", "en": "cannot decide"},
    "complete": {"zh": "齐全", "en": "complete"},
    "incomplete": {"zh": "不全", "en": "incomplete"},
}


@dataclass
class Finding:
    """One rule's conclusion on the case (``Result.duties``)."""

    key: str
    label: dict[str, str]
    status: str
    detail: dict[str, str]
    rule: str | None = None
    quote: str | None = None
    items: list[dict[str, Any]] = field(default_factory=list)
    figures: dict[str, str] = field(default_factory=dict)
    citation: dict[str, str] | None = None

    @property
    def status_label(self) -> dict[str, str]:
        return STATUS[self.status]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key, "label": self.label, "status": self.status,
                               "status_label": self.status_label, "detail": self.detail, "rule": self.rule,
                               "citation": self.citation, "quote": self.quote}
        if self.items:
            out["items"] = self.items
        if self.figures:
            out["figures"] = self.figures
        return out


def from_duty(duty: Duty, key: str, status: str, detail: dict[str, str], **kw: Any) -> Finding:
    """A finding under ``duty``: its label, rule and quote."""
    return Finding(key=key, label=duty.label, status=status, detail=detail, rule=duty.rule, quote=duty.quote, **kw)


def no_rule(key: str, label: dict[str, str], jurisdiction: str, elsewhere: str) -> Finding:
    """The case holds facts a rule speaks about, but no such rule is recorded for its jurisdiction."""
    return Finding(key=key, label=label, status="no_rule",
                   detail={"zh": f"{jurisdiction} 未记录此项规定（{elsewhere}），不作判断",
                           "en": f"no such rule recorded in {jurisdiction} ({elsewhere}); not decided"})


def item_words(item: dict[str, Any]) -> dict[str, str]:
    return {"zh": item["zh"], "en": item["en"]}
