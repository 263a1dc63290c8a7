"""Steps that may start only after others 先决步骤: consultation (SH-18) and early restoration (JS-(十), SH-28).

Each rule lists dated events (``procedure.*``) that must lie on or before the step; which events, and
the rule's verbatim words, are data (``data/duties.toml``: ``consultation_start``, ``early_restoration``).

- 上海细则第十八条: consultation starts once the investigation, the assessment and the preliminary
  restoration plan are complete; "在案件调查过程中，赔偿义务人主动提议对赔偿相关事项展开磋商的，可以先行启动磋商".
  The start of consultation is the delivery of the notice (the day SH-22 counts from), else the first
  meeting, else the signing of the agreement.
- 江苏实施意见（十）: before agreement, restoration the obligor asks for may start "在书面确认损害事实后，经具体开展
  索赔工作的部门或机构同意"; 上海细则第二十八条: "在双方当事人书面确认损害事实后".

A step taken before its conditions is reported (``premature``, with a warning), never refused: the
events are what happened.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from assess.law.findings import Finding, from_duty, item_words, no_rule
from factors import duties

CONSULTATION_EVENTS = ("investigation_concluded", "assessment_concluded", "restoration_plan_prepared",
                       "obligor_proposed_consultation")
EARLY_RESTORATION_EVENTS = ("facts_confirmed_in_writing", "early_restoration_consented", "early_restoration_started")


def consultation_started(p: Any) -> tuple[str, date] | None:
    """The event that starts consultation: the notice, else the first meeting, else the agreement."""
    if p.consultation_notice_delivered:
        return "procedure.consultation_notice_delivered", p.consultation_notice_delivered
    if p.meetings:
        return "procedure.meetings[0].date", p.meetings[0].date
    if p.agreement_signed:
        return "procedure.agreement_signed", p.agreement_signed
    return None


def condition_items(duty: duties.Duty, p: Any, start: date | None) -> list[dict[str, Any]]:
    """Each listed condition with its date and state: met, missing, or after the step (too late)."""
    out = []
    for item in duty.items:
        when = getattr(p, item["code"])
        state = "missing" if when is None else "after_step" if start is not None and when > start else "met"
        out.append({"code": item["code"], "field": f"procedure.{item['code']}", "item": item.get("item", duty.rule),
                    "label": item_words(item), "date": when.isoformat() if when else None, "state": state})
    return out


def _missing_words(items: list[dict[str, Any]]) -> dict[str, str]:
    bad = [i for i in items if i["state"] != "met"]
    return {"zh": "；".join(f"{i['label']['zh']}（{'未完成' if i['state'] == 'missing' else '晚于该步骤：' + i['date']}）" for i in bad),
            "en": "; ".join(f"{i['label']['en']} ({'not done' if i['state'] == 'missing' else 'only on ' + i['date']})" for i in bad)}


def consultation_start(case: Any, on: date) -> Finding | None:
    """SH-18: may consultation start (or have started) on the case's dates?"""
    p = case.procedure
    if all(getattr(p, e) is None for e in CONSULTATION_EVENTS):
        return None
    duty = duties.lookup("consultation_start", case.jurisdiction, on)
    label = {"zh": "磋商启动条件", "en": "When consultation may start"}
    if duty is None:
        return no_rule("consultation_start", label, case.jurisdiction, "SH-18")
    started = consultation_started(p)
    start = started[1] if started else None
    items = condition_items(duty, p, start)
    figures = {"consultation_started": start.isoformat(), "started_by": started[0]} if started else {}
    if all(i["state"] == "met" for i in items):
        detail = ({"zh": "调查、鉴定评估、初步修复方案均已完成，磋商于其后启动", "en": "investigation, assessment and preliminary "
                   "restoration plan were complete when consultation started"} if started else
                  {"zh": "调查、鉴定评估、初步修复方案均已完成：应当启动磋商", "en": "investigation, assessment and preliminary "
                   "restoration plan are complete: consultation shall start"})
        return from_duty(duty, "consultation_start", "conditions_met", detail, items=items, figures=figures)
    if start is None:
        missing = _missing_words(items)
        return from_duty(duty, "consultation_start", "not_yet",
                         {"zh": f"磋商尚未启动；尚缺：{missing['zh']}", "en": f"consultation has not started; still missing: {missing['en']}"},
                         items=items, figures=figures)
    proposed = p.obligor_proposed_consultation
    exception = duty.extra.get("exception", {})
    if proposed is not None and proposed <= start:
        return from_duty(duty, "consultation_start", "started_early_on_request",
                         {"zh": f"{exception.get('zh', '')}（procedure.obligor_proposed_consultation {proposed.isoformat()}）",
                          "en": f"{exception.get('en', '')} (procedure.obligor_proposed_consultation {proposed.isoformat()})"},
                         items=items, figures=figures)
    missing = _missing_words(items)
    return from_duty(duty, "consultation_start", "premature",
                     {"zh": f"磋商于 {start.isoformat()} 启动，但{missing['zh']}，且赔偿义务人未主动提议磋商",
                      "en": f"consultation started on {start.isoformat()}, but: {missing['en']}; and the obligor did not propose it"},
                     items=items, figures=figures)


def early_restoration(case: Any, on: date) -> Finding | None:
    """JS-(十) / SH-28: restoration before agreement only after the facts are confirmed in writing (JS: and consented)."""
    p = case.procedure
    if all(getattr(p, e) is None for e in EARLY_RESTORATION_EVENTS):
        return None
    duty = duties.lookup("early_restoration", case.jurisdiction, on)
    label = {"zh": "先行修复", "en": "Early restoration (before agreement)"}
    if duty is None:
        return no_rule("early_restoration", label, case.jurisdiction, "JS-(十), SH-28")
    start = p.early_restoration_started
    items = condition_items(duty, p, start)
    figures = {"early_restoration_started": start.isoformat()} if start else {}
    if all(i["state"] == "met" for i in items):
        what = "、".join(i["label"]["zh"] for i in items)
        return from_duty(duty, "early_restoration", "conditions_met",
                         {"zh": f"{what}已具备" + ("，先行修复于其后开始" if start else "：赔偿义务人可以先行开展修复"),
                          "en": ", ".join(i["label"]["en"] for i in items) + (": early restoration began after them" if start
                                                                               else ": the obligor may start restoring")},
                         items=items, figures=figures)
    missing = _missing_words(items)
    if start is None:
        return from_duty(duty, "early_restoration", "not_yet",
                         {"zh": f"尚未开始先行修复；尚缺：{missing['zh']}", "en": f"no early restoration yet; still missing: {missing['en']}"},
                         items=items, figures=figures)
    return from_duty(duty, "early_restoration", "premature",
                     {"zh": f"先行修复于 {start.isoformat()} 开始，但{missing['zh']}",
                      "en": f"early restoration began on {start.isoformat()}, but: {missing['en']}"},
                     items=items, figures=figures)
