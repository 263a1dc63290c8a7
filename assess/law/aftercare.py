"""After the agreement or judgment 协议或判决之后: effect evaluation, confirmation and enforcement, the
dishonest-debtor list, and one obligor assuming the whole liability.

- 江苏实施意见（十三） / 上海细则第二十九条: "修复完成后应当及时组织修复效果评估。对评估未通过的，应当要求赔偿义务人
  继续开展修复" — no period is fixed (及时), so the evaluation is *due*, with no due date.
- 上海细则第二十四条: an agreement may be judicially confirmed; "对生效判决和经司法确认的赔偿协议，赔偿义务人不履行或
  不完全履行的，……可以向人民法院申请强制执行"; 第二十五条末款: an unconfirmed agreement not performed → suit.
- 上海细则第三十条: full performance is a mitigating circumstance; non-performance of a judgment or a
  confirmed agreement → "依法列入失信被执行人名单".
- 上海细则第二十三条: with two or more obligors, one may assume the whole liability by agreement and seek
  recourse from the others; the recourse against each is its share (CC-1231 shares as stated, else
  equal) of the Art. 1235 total, split to the fen by :func:`factors.money.allocate` (remainder fen to
  the obligor listed first).

Words and quotes: ``data/duties.toml``.  Findings appear only when the case holds the events or
facts concerned.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import Field

from assess.law.findings import Finding, from_duty, no_rule
from assess.law.valuation.base import StrictModel
from factors import duties
from factors.money import allocate, fmt


class WholeLiability(StrictModel):
    """One obligor assumes the whole liability 部分赔偿义务人承担全部赔偿责任 (SH-23)."""

    obligor: str = Field(min_length=1, description="承担全部责任的义务人 id of the obligor who assumes the whole liability")
    basis: str | None = Field(default=None, min_length=1, description="the agreement clause or document recording it")


def assumption_problems(case: Any) -> list[tuple[str, str, object]]:
    """``whole_liability`` needs two or more obligors and names one of them."""
    w = case.whole_liability
    if w is None:
        return []
    ids = [o.id for o in case.obligors]
    if len(ids) < 2:
        return [("whole_liability", "a case with two or more obligors (赔偿义务人为两人以上的, SH-23)", f"{len(ids)} obligor(s)")]
    if w.obligor not in ids:
        return [("whole_liability.obligor", f"one of the obligors' ids ({', '.join(ids)})", w.obligor)]
    return []


def effect_evaluation(case: Any, on: date) -> Finding | None:
    """JS-(十三) / SH-29: after restoration, the effect evaluation is due (promptly, no period fixed)."""
    p = case.procedure
    if p.restoration_completed is None:
        return None
    duty = duties.lookup("effect_evaluation", case.jurisdiction, on)
    label = {"zh": "修复效果评估", "en": "Restoration effect evaluation"}
    if duty is None:
        return no_rule("effect_evaluation", label, case.jurisdiction, "JS-(十三), SH-29")
    figures = {"restoration_completed": p.restoration_completed.isoformat()}
    items = []
    f = case.facts
    route = duty.extra.get("simple_case_route")
    if route and f.simple_facts and f.undisputed_liability and f.small_damage:
        items.append({"code": "simple_case_route", "label": route})
    if p.effect_evaluation_done is None:
        return from_duty(duty, "effect_evaluation", "due",
                         {"zh": f"修复已于 {p.restoration_completed.isoformat()} 完成，应当及时组织修复效果评估（未规定期限）",
                          "en": f"restoration completed on {p.restoration_completed.isoformat()}: the effect evaluation is due "
                                "promptly (no period is fixed)"}, items=items, figures=figures)
    figures["effect_evaluation_done"] = p.effect_evaluation_done.isoformat()
    figures["days_after_completion"] = str((p.effect_evaluation_done - p.restoration_completed).days)
    failure = duty.extra.get("on_failure")
    if p.effect_evaluation_result == "failed" and failure:
        return from_duty(duty, "effect_evaluation", "continue_restoration", failure, items=items, figures=figures)
    result = {"passed": ("，评估通过", ", passed"), "failed": ("，评估未通过", ", failed"), None: ("", "")}[p.effect_evaluation_result]
    return from_duty(duty, "effect_evaluation", "done",
                     {"zh": f"修复效果评估已于 {p.effect_evaluation_done.isoformat()} 完成{result[0]}",
                      "en": f"effect evaluated on {p.effect_evaluation_done.isoformat()}{result[1]}"}, items=items, figures=figures)


def _decided_by(p: Any) -> tuple[str, str, date] | None:
    """What binds the obligor: an effective judgment, a confirmed agreement, or an unconfirmed agreement."""
    if p.judgment_effective:
        return "judgment", "procedure.judgment_effective", p.judgment_effective
    if p.confirmation_ruling:
        return "confirmed_agreement", "procedure.confirmation_ruling", p.confirmation_ruling
    if p.agreement_signed:
        return "unconfirmed_agreement", "procedure.agreement_signed", p.agreement_signed
    return None


BINDING_WORDS = {"judgment": {"zh": "生效判决", "en": "an effective judgment"},
                 "confirmed_agreement": {"zh": "经司法确认的赔偿协议", "en": "a judicially confirmed agreement"},
                 "unconfirmed_agreement": {"zh": "未经司法确认的赔偿协议", "en": "an agreement not judicially confirmed"}}
PERFORMANCE_WORDS = {"full": {"zh": "全面履行", "en": "performed in full"}, "partial": {"zh": "不完全履行", "en": "performed in part"},
                     "none": {"zh": "不履行", "en": "not performed"}}


def enforcement(case: Any, on: date) -> Finding | None:
    """SH-24 (and SH-25 last para.): confirmation, enforcement on non-performance, or a suit."""
    p = case.procedure
    duty = duties.lookup("enforcement", case.jurisdiction, on)
    if p.performance is None and p.enforcement_applied is None and p.judgment_effective is None:
        if duty is None or p.agreement_signed is None:   # where SH-24 applies, a signed agreement is enough
            return None
    label = {"zh": "司法确认与强制执行", "en": "Judicial confirmation and enforcement"}
    if duty is None:
        return no_rule("enforcement", label, case.jurisdiction, "SH-24")
    decided = _decided_by(p)
    if decided is None:   # a performance needs an agreement or judgment (checked on input); guard only
        return None
    kind, field, when = decided
    figures = {"bound_by": kind, "bound_since": when.isoformat(), "bound_field": field}
    if p.performance:
        figures["performance"] = p.performance
    if p.enforcement_applied:
        figures["enforcement_applied"] = p.enforcement_applied.isoformat()
    bound = BINDING_WORDS[kind]
    if p.performance in ("partial", "none"):
        perf = PERFORMANCE_WORDS[p.performance]
        if kind == "unconfirmed_agreement":
            unconfirmed = duty.extra["unconfirmed"]
            return Finding("enforcement", duty.label, "sue", {"zh": f"{bound['zh']}{perf['zh']}：可以向人民法院提起诉讼（不能申请强制执行）",
                                                             "en": f"{bound['en']} {perf['en']}: a suit may be filed (no enforcement)"},
                           rule=unconfirmed["rule"], quote=unconfirmed["quote"], figures=figures)
        applied = (f"；已于 {p.enforcement_applied.isoformat()} 申请", f"; applied for on {p.enforcement_applied.isoformat()}") \
            if p.enforcement_applied else ("", "")
        return from_duty(duty, "enforcement", "enforceable",
                         {"zh": f"{bound['zh']}{perf['zh']}：可以向人民法院申请强制执行{applied[0]}",
                          "en": f"{bound['en']} {perf['en']}: enforcement may be applied for{applied[1]}"}, figures=figures)
    if p.performance == "full":
        return from_duty(duty, "enforcement", "performed", {"zh": f"{bound['zh']}已全面履行", "en": f"{bound['en']}, performed in full"},
                         figures=figures)
    if kind == "unconfirmed_agreement":
        return from_duty(duty, "enforcement", "may_apply_for_confirmation",
                         {"zh": "赔偿协议可以向有管辖权的人民法院申请司法确认", "en": "the agreement may be submitted to the competent "
                          "court for judicial confirmation"}, figures=figures)
    return from_duty(duty, "enforcement", "binding",
                     {"zh": f"{bound['zh']}：赔偿义务人不履行或不完全履行的，可以向人民法院申请强制执行（履行情况见 procedure.performance）",
                      "en": f"{bound['en']}: if the obligor does not perform in full, enforcement may be applied for "
                            "(state procedure.performance)"}, figures=figures)


def dishonest_list(case: Any, on: date) -> Finding | None:
    """SH-30: non-performance of a judgment or confirmed agreement → the dishonest-debtor list; full performance mitigates."""
    p = case.procedure
    if p.performance is None and p.dishonest_list_entered is None:
        return None
    duty = duties.lookup("dishonest_list", case.jurisdiction, on)
    label = {"zh": "失信被执行人名单", "en": "Dishonest judgment-debtor list"}
    if duty is None:
        return no_rule("dishonest_list", label, case.jurisdiction, "SH-30")
    decided = _decided_by(p)
    if decided is None:
        return None
    kind = decided[0]
    figures = {"bound_by": kind}
    if p.performance:
        figures["performance"] = p.performance
    if p.performance == "full":
        return from_duty(duty, "dishonest_list", "mitigating",
                         {"zh": "赔偿义务人积极履行赔偿责任：相关行政机关和司法机关依法将其作为从轻、减轻或者免予处理的情节",
                          "en": "the obligor performed: administrative and judicial authorities treat it as a ground to "
                                "lighten, mitigate or waive punishment"}, figures=figures)
    if kind == "unconfirmed_agreement":
        return from_duty(duty, "dishonest_list", "not_applicable",
                         {"zh": "协议未经司法确认：第三十条第二款只适用于生效判决和经司法确认的赔偿协议",
                          "en": "the agreement is not judicially confirmed: Art. 30 para. 2 applies only to effective "
                                "judgments and confirmed agreements"}, figures=figures)
    if p.dishonest_list_entered:
        figures["dishonest_list_entered"] = p.dishonest_list_entered.isoformat()
        return from_duty(duty, "dishonest_list", "listed",
                         {"zh": f"已于 {p.dishonest_list_entered.isoformat()} 列入失信被执行人名单",
                          "en": f"entered in the list on {p.dishonest_list_entered.isoformat()}"}, figures=figures)
    perf = PERFORMANCE_WORDS[p.performance or "none"]
    bound = BINDING_WORDS[kind]
    return from_duty(duty, "dishonest_list", "to_be_listed",
                     {"zh": f"{bound['zh']}{perf['zh']}：依法列入失信被执行人名单",
                      "en": f"{bound['en']} {perf['en']}: to be entered in the dishonest judgment-debtor list"}, figures=figures)


def whole_liability(case: Any, ledger: Any, on: date) -> Finding | None:
    """SH-23: one obligor owes the whole Art. 1235 total and may seek recourse for the others' shares."""
    w = case.whole_liability
    if w is None:
        return None
    duty = duties.lookup("whole_liability", case.jurisdiction, on)
    label = {"zh": "部分赔偿义务人承担全部责任", "en": "One obligor assumes the whole liability"}
    if duty is None:
        return no_rule("whole_liability", label, case.jurisdiction, "SH-23")
    total = ledger.total
    weights = [o.share if o.share is not None else Decimal(1) for o in case.obligors]
    parts = allocate(total, weights)
    items = []
    for o, part in zip(case.obligors, parts, strict=True):
        assumer = o.id == w.obligor
        items.append({"obligor": o.id, "share": str(o.share) if o.share is not None else "equal", "share_amount": fmt(part),
                      "owes_rights_holder": fmt(total if assumer else Decimal("0.00")),
                      "recourse_from": None if assumer else fmt(part)})
    recourse = sum((part for o, part in zip(case.obligors, parts, strict=True) if o.id != w.obligor), Decimal("0.00"))
    figures = {"total": fmt(total), "assumed_by": w.obligor, "recourse_total": fmt(recourse)}
    signed = case.procedure.agreement_signed
    when = (f"，已于 {signed.isoformat()} 签署协议", f"; agreement signed on {signed.isoformat()}") if signed else \
        ("，须与其签署赔偿协议", "; to be recorded in an agreement signed with it")
    return from_duty(duty, "whole_liability", "assumed",
                     {"zh": f"{w.obligor} 承担全部赔偿责任 {fmt(total)} 元{when[0]}；可依法向其余赔偿义务人追偿 {fmt(recourse)} 元（按责任份额）",
                      "en": f"{w.obligor} assumes the whole liability of {fmt(total)} 元{when[1]}; it may seek recourse of "
                            f"{fmt(recourse)} 元 from the others (by their shares)"}, items=items, figures=figures)
