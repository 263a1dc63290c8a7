"""The case file and what it holds 案件档案: documents present and missing (SH-42), what must be published
(SH-35), material from other authorities usable in the investigation (SH-15, JS-(六)), and the content of
an assessment (SH-17).

- 上海细则第四十二条: "档案包括调查材料、鉴定意见或评估报告、磋商情况材料、赔偿协议或裁判文书、修复工作材料等。
  档案材料应当一案一卷，长期保存。"  A material is *expected* once the event it records has happened
  (``after`` in ``data/duties.toml``); it is *missing* when expected and no document of its kind is listed.
- 上海细则第三十五条: the agreement, the judgment, the use of funds and the restoration effect "应当依法向社会
  公开".  An item is due once its event has happened; published items are ``procedure.publications``.
- 上海细则第十五条 / 江苏实施意见（六）: appraisal opinions, assessment reports and expert opinions commissioned
  by the police (SH: and the procuratorate) in a criminal case "可以用于生态环境损害调查"; SH: a department's
  third-party monitoring report, once adopted in administrative enforcement.
- 上海细则第十七条: an assessment "一般应包括生态环境损害判定、……损失范围、因果关系分析、损害量化及修复方案制定等"
  (一般: a reminder when a part is missing, never a refusal).
"""

from __future__ import annotations

import datetime as dt
from datetime import date
from typing import Any, Literal

from pydantic import Field

from assess.law.findings import Finding, from_duty, item_words, no_rule
from assess.law.valuation.base import StrictModel
from factors import duties

MaterialKind = Literal["investigation", "assessment", "consultation", "agreement_or_judgment", "restoration", "other"]
AssessmentPart = Literal["damage_determination", "interim_loss_scope", "causation", "quantification", "restoration_plan"]


class CaseDocument(StrictModel):
    """One document of the case file 案卷材料 (SH-42)."""

    id: str = Field(min_length=1)
    kind: MaterialKind = Field(description="investigation 调查材料 / assessment 鉴定意见或评估报告 / consultation 磋商情况材料 / "
                                           "agreement_or_judgment 赔偿协议或裁判文书 / restoration 修复工作材料 / other")
    title: str = Field(min_length=1)
    date: dt.date | None = None
    evidence_type: Literal["appraisal_opinion", "assessment_report", "expert_opinion", "monitoring_report", "other"] | None = Field(
        default=None, description="鉴定意见 / 鉴定评估报告 / 专家意见 / 监测报告 (SH-15, JS-(六))")
    commissioned_by: Literal["rights_holder", "joint", "police", "procuratorate", "other_department", "obligor"] | None = Field(
        default=None, description="委托方 who commissioned it: the rights holder's department, jointly with the obligor, the police "
                                  "or procuratorate (criminal case), another department, the obligor")
    adopted_in_enforcement: bool | None = Field(
        default=None, description="行政执法中采用 a department's third-party monitoring report adopted in administrative enforcement (SH-15)")
    contents: list[AssessmentPart] | None = Field(
        default=None, description="评估内容 parts an assessment covers (SH-17): damage_determination, interim_loss_scope, causation, "
                                  "quantification, restoration_plan")


def _happened(p: Any, after: str | None) -> date | None:
    """The first of the ``|``-separated events (procedure.*) that has happened, or None."""
    if not after:
        return None
    dates = [getattr(p, name) for name in after.split("|")]
    dates = [d for d in dates if d is not None]
    return min(dates) if dates else None


def case_file(case: Any, on: date) -> Finding | None:
    """SH-42: the five kinds of material, each present (document ids), missing (its event happened) or not yet due."""
    docs = case.case_file
    if not docs:
        return None
    duty = duties.lookup("case_file", case.jurisdiction, on)
    if duty is None:
        return no_rule("case_file", {"zh": "案件档案", "en": "The case file"}, case.jurisdiction, "SH-42")
    items = []
    for item in duty.items:
        ids = [d.id for d in docs if d.kind == item["code"]]
        since = _happened(case.procedure, item.get("after"))
        state = "present" if ids else "missing" if since else "not_yet_due"
        items.append({"code": item["code"], "label": item_words(item), "state": state, "documents": ids,
                      "expected_since": since.isoformat() if since else None})
    missing = [i for i in items if i["state"] == "missing"]
    if not missing:
        return from_duty(duty, "case_file", "complete", {"zh": "一案一卷：已发生步骤的材料齐全", "en": "one case, one file: the "
                         "material of every step taken is in the file"}, items=items)
    return from_duty(duty, "case_file", "incomplete",
                     {"zh": "档案缺少：" + "、".join(i["label"]["zh"] for i in missing),
                      "en": "the file lacks: " + "; ".join(i["label"]["en"] for i in missing)}, items=items)


def publication(case: Any, on: date) -> Finding | None:
    """SH-35: the items whose event has happened must be published; which are and which are not yet."""
    p = case.procedure
    duty = duties.lookup("publication", case.jurisdiction, on)
    if duty is None:
        return no_rule("publication", {"zh": "信息公开", "en": "What must be published"}, case.jurisdiction, "SH-35") \
            if p.publications else None
    published = {}
    for pub in p.publications:
        published.setdefault(pub.item, pub.date)
    items = []
    for item in duty.items:
        since = _happened(p, item.get("after"))
        if since is None and item["code"] not in published:
            continue
        when = published.get(item["code"])
        items.append({"code": item["code"], "label": item_words(item), "state": "published" if when else "to_publish",
                      "due_since": since.isoformat() if since else None, "published": when.isoformat() if when else None})
    if not items:
        return None
    todo = [i for i in items if i["state"] == "to_publish"]
    if not todo:
        return from_duty(duty, "publication", "complete", {"zh": "应当公开的信息均已公开", "en": "everything due has been published"},
                         items=items)
    return from_duty(duty, "publication", "due",
                     {"zh": "应当依法向社会公开：" + "、".join(i["label"]["zh"] for i in todo),
                      "en": "to be made public: " + "; ".join(i["label"]["en"] for i in todo)}, items=items)


def usable_evidence(case: Any, on: date) -> Finding | None:
    """SH-15 / JS-(六): reports commissioned by the police or procuratorate, and adopted monitoring reports."""
    docs = [d for d in case.case_file if d.commissioned_by in ("police", "procuratorate")
            or (d.evidence_type == "monitoring_report" and d.commissioned_by == "other_department")]
    if not docs:
        return None
    duty = duties.lookup("usable_evidence", case.jurisdiction, on)
    if duty is None:
        return no_rule("usable_evidence", {"zh": "可用于损害调查的材料", "en": "Material usable in the investigation"},
                       case.jurisdiction, "SH-15, JS-(六)")
    who = duty.extra.get("commissioned_by", [])
    items = []
    for d in docs:
        if d.commissioned_by in ("police", "procuratorate"):
            if d.commissioned_by in who:
                state, why = "usable", {"zh": "刑事案件中委托出具的鉴定意见、鉴定评估报告、专家意见等，可以用于生态环境损害调查",
                                        "en": "commissioned in a criminal case: usable in the damage investigation"}
            else:
                state, why = "cannot_check", {"zh": f"{duty.rule} 未就此委托主体作出规定", "en": f"{duty.rule} does not name this commissioner"}
        elif not duty.extra.get("monitoring_adopted"):
            state, why = "cannot_check", {"zh": f"{duty.rule} 未就部门委托的监测报告作出规定", "en": f"{duty.rule} says nothing of "
                                          "departments' monitoring reports"}
        elif d.adopted_in_enforcement is None:
            state, why = "cannot_check", {"zh": "须说明是否在行政执法过程中予以采用（adopted_in_enforcement）",
                                          "en": "state whether it was adopted in administrative enforcement (adopted_in_enforcement)"}
        elif d.adopted_in_enforcement:
            state, why = "usable", {"zh": "在行政执法过程中予以采用的监测报告，可以用于生态环境损害调查",
                                    "en": "a monitoring report adopted in administrative enforcement: usable"}
        else:
            state, why = "not_usable", {"zh": "未在行政执法过程中采用的监测报告，不符合第十五条的使用条件",
                                        "en": "not adopted in administrative enforcement: not usable under Art. 15"}
        items.append({"id": d.id, "commissioned_by": d.commissioned_by, "evidence_type": d.evidence_type, "state": state,
                      "reason": why})
    states = {i["state"] for i in items}
    status = "not_usable" if "not_usable" in states else "cannot_check" if "cannot_check" in states else "usable"
    detail = {"usable": {"zh": "所列材料均可用于损害调查", "en": "every listed report is usable in the investigation"},
              "not_usable": {"zh": "有材料不符合使用条件", "en": "a report is not usable as it stands"},
              "cannot_check": {"zh": "有材料无法判断能否使用", "en": "whether a report is usable cannot be decided"}}[status]
    return from_duty(duty, "usable_evidence", status, detail, items=items)


def assessment_content(case: Any, on: date) -> Finding | None:
    """SH-17: the parts an assessment generally includes, per assessment document that lists its contents."""
    docs = [d for d in case.case_file if d.kind == "assessment" and d.contents is not None]
    if not docs:
        return None
    duty = duties.lookup("assessment_content", case.jurisdiction, on)
    if duty is None:
        return no_rule("assessment_content", {"zh": "鉴定评估内容", "en": "Content of the assessment"}, case.jurisdiction, "SH-17")
    items, lacking = [], []
    for d in docs:
        missing = [i for i in duty.items if i["code"] not in d.contents]
        lacking += [(d.id, i) for i in missing]
        items.append({"id": d.id, "state": "complete" if not missing else "incomplete",
                      "missing": [i["code"] for i in missing]})
    if not lacking:
        return from_duty(duty, "assessment_content", "complete", {"zh": "鉴定评估内容齐全", "en": "the assessment covers every part"},
                         items=items)
    return from_duty(duty, "assessment_content", "incomplete",
                     {"zh": "鉴定评估一般应包括而未包括：" + "；".join(f"{i}：{w['zh']}" for i, w in lacking),
                      "en": "parts an assessment generally includes, missing: " + "; ".join(f"{i}: {w['en']}" for i, w in lacking)},
                     items=items)
